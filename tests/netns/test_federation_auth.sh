#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Two federated supernodes and user/password communities, userspace
# datapath. Edges behind symmetric NATs registered at different
# supernodes reach each other through the federation; a community of the
# -c file with users admits only edges whose key is listed, and each one
# gets the community's dynamic key; a wrong password is refused.
#   test_federation_auth.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

T=$(mktemp -d /tmp/n2nk-fed.XXXXXX)
lab_on_cleanup rm -rf "$T"

lab_init "$OUT" || exit 1
lab_add_public_host sn1 198.18.0.1
lab_add_public_host sn2 198.18.0.2
lab_add_nat_host a 1 symmetric
lab_add_nat_host b 2 symmetric

{
	echo "secure"
	"$KEYGEN" alice alice-pw
	"$KEYGEN" bob bob-pw
	echo ".*"
} >"$T/communities"
FEDKEY=$("$KEYGEN" -F Federation | cut -d' ' -f2)

members() {	# members NAME: supernodes in its federation community
	ctl "$1" communities 2>/dev/null |
		jq -r '.rows[] | select(.community == "*Federation") | .edges'
}
at_least() {	# at_least N CMD...: CMD prints a number >= N
	local n=$1
	shift
	[ "$("$@")" -ge "$n" ] 2>/dev/null
}
start_edge() {	# start_edge NAME HOST ARGS...
	local name=$1 host=$2
	shift 2
	lab_bg "$host" "$T/$name.log" "$EDGE" -f -i 4 \
		--ctl-socket="$T/$name.sock" "$@" >/dev/null
}

for s in sn1:198.18.0.2 sn2:198.18.0.1; do
	lab_bg "${s%%:*}" "$T/${s%%:*}.log" "$SN" -p 7654 -f \
		-c "$T/communities" -l "${s#*:}:7654" \
		--ctl-socket="$T/${s%%:*}.sock" >/dev/null
done
t_check "supernodes federate" lab_wait_for "federation" 15 \
	at_least 1 members sn1

# --- federation: a on sn1, b on sn2, both behind symmetric NATs ---
start_edge fa a -c fed -k s3cret -A4 -a 198.19.8.1/24 -d n2f -l 198.18.0.1:7654
start_edge fb b -c fed -k s3cret -A4 -a 198.19.8.2/24 -d n2f -l 198.18.0.2:7654
t_check "edges register at their own supernodes" \
	lab_wait_for "registration" 15 sh -c "$(declare -f ctl registered); \
	CTL='$CTL' T='$T'; registered fa && registered fb"
t_check "ping across supernodes (federation relay)" \
	lab_wait_for "ping via federation" 10 pings a 198.19.8.2 2
t_check "sn1 forwarded to the federation" at_least 1 counter sn1 forwarded
t_check "edges learn the other supernode from the ACK" lab_wait_for \
	"learned supernode" 10 sh -c "'$CTL' -s '$T/fa.sock' -j supernodes | \
	jq -e '.rows | length >= 2' >/dev/null"

# --- user/password community ---
start_edge ua a -c secure -k s3cret -A4 -I alice -J alice-pw -P "$FEDKEY" \
	-a 198.19.9.1/24 -d n2s -l 198.18.0.1:7654
start_edge ub b -c secure -k s3cret -A5 -I bob -J bob-pw -P "$FEDKEY" \
	-a 198.19.9.2/24 -d n2s -l 198.18.0.1:7654
t_check "u/pw edges register" lab_wait_for "u/pw registration" 15 \
	sh -c "$(declare -f ctl registered); CTL='$CTL' T='$T'; \
	registered ua && registered ub"
t_check "u/pw community is header-encrypted" test \
	"$(ctl sn1 communities | jq -r '.rows[] | select(.community == "secure") | .header')" \
	= encrypted
t_check_fails "different ciphers cannot talk (-A4 vs -A5)" pings a 198.19.9.2 2
lab_kill "$(pgrep -f -- "-I bob -J bob-pw" | head -n 1)"
start_edge ub2 b -c secure -k s3cret -A4 -I bob -J bob-pw -P "$FEDKEY" \
	-a 198.19.9.2/24 -d n2s2 -l 198.18.0.1:7654
t_check "u/pw edges ping each other" lab_wait_for "u/pw ping" 15 \
	pings a 198.19.9.2 2
naks=$(counter sn1 register_super_nak)
start_edge bad b -c secure -k s3cret -A4 -I bob -J WRONG -P "$FEDKEY" \
	-a 198.19.10.9/24 -d n2w -l 198.18.0.1:7654 -p 50999
t_check "a wrong password is refused (NAK)" lab_wait_for "NAK" 10 \
	at_least $((naks + 1)) counter sn1 register_super_nak
t_check_fails "and never registers" registered bad

t_summary
