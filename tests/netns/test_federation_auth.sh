#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Two federated supernodes and user/password communities, userspace
# datapath. Proves: the supernodes federate; edges behind symmetric NATs
# registered at different supernodes reach each other through the
# federation (each echo counted forwarded by both supernodes) and learn the
# other supernode; a community of the -c file with users admits edges whose
# user and password are listed, is header-encrypted, and its edges ping
# each other once their ciphers match (with different ciphers nothing
# answers and the receiver drops the frames as another transform); a wrong
# password is refused with a NAK and never registers.
#
#   wan br0 198.18.0.0/24: sn1 .0.1 and sn2 .0.2 (supernodes, UDP 7654,
#   federated: each names the other with -l)
#   a 198.18.1.2 behind nat1 (.0.101, symmetric): edges fa, ua
#   b 198.18.2.2 behind nat2 (.0.102, symmetric): edges fb, ub, ub2, bad
#   overlay: fed 198.19.8.0/24 (fa at sn1, fb at sn2), secure
#   198.19.9.0/24 (all at sn1), the refused edge 198.19.10.9
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
start_edge() {	# start_edge NAME HOST ARGS...: pid in $T/NAME.pid
	local name=$1 host=$2
	shift 2
	lab_bg "$host" "$T/$name.log" "$EDGE" -f -i 4 \
		--ctl-socket="$T/$name.sock" "$@" >"$T/$name.pid"
}

for s in sn1:198.18.0.2 sn2:198.18.0.1; do
	lab_bg "${s%%:*}" "$T/${s%%:*}.log" "$SN" -p 7654 -f \
		-c "$T/communities" -l "${s#*:}:7654" \
		--ctl-socket="$T/${s%%:*}.sock" >/dev/null
done
for s in sn1 sn2; do
	t_require "$s starts" lab_wait_for "$s control socket" 5 \
		test -S "$T/$s.sock"
done
t_check "supernodes federate" lab_wait_for "federation" 15 \
	at_least 1 members sn1

# --- federation: a on sn1, b on sn2, both behind symmetric NATs ---
MAC_FA=02:00:00:00:08:01
MAC_FB=02:00:00:00:08:02
start_edge fa a -c fed -k s3cret -A4 -a 198.19.8.1/24 -d n2f -m $MAC_FA \
	-l 198.18.0.1:7654
start_edge fb b -c fed -k s3cret -A4 -a 198.19.8.2/24 -d n2f -m $MAC_FB \
	-l 198.18.0.2:7654
t_check "edges register at their own supernodes" \
	lab_wait_for "registration" 15 sh -c "$(declare -f ctl registered); \
	CTL='$CTL' T='$T'; registered fa && registered fb"
t_check "ping across supernodes (federation relay)" \
	lab_wait_for "ping via federation" 10 pings a 198.19.8.2 2
# Pinned neighbours, no ARP: each echo request is forwarded by sn1 to the
# federation and delivered by sn2, each reply the other way round, so
# both count at least 2 per echo (the edges' REGISTERs, relayed the same
# way, may add).
pin_neigh a n2f 198.19.8.2 $MAC_FB
pin_neigh b n2f 198.19.8.1 $MAC_FA
f1=$(counter sn1 forwarded)
f2=$(counter sn2 forwarded)
t_check "5 of 5 echoes across the federation" pings_all a 198.19.8.2 5
t_check_delta "sn1 forwarded each echo and reply (>= 10)" \
	"$f1" "$(counter sn1 forwarded)" -ge 10
t_check_delta "sn2 forwarded each echo and reply (>= 10)" \
	"$f2" "$(counter sn2 forwarded)" -ge 10
# The list comes only in ACKs to an edge registered 20 s (SN_LIST_AFTER_MS).
t_check "edges learn the other supernode from the ACK" lab_wait_for \
	"learned supernode" 30 sh -c "'$CTL' -s '$T/fa.sock' -j supernodes | \
	jq -e '.rows | length >= 2' >/dev/null"

# --- user/password community ---
start_edge ua a -c secure -k s3cret -A4 -I alice -J alice-pw -P "$FEDKEY" \
	-a 198.19.9.1/24 -d n2s -l 198.18.0.1:7654
start_edge ub b -c secure -k s3cret -A5 -I bob -J bob-pw -P "$FEDKEY" \
	-a 198.19.9.2/24 -d n2s -l 198.18.0.1:7654
t_check "u/pw edges register" lab_wait_for "u/pw registration" 15 \
	sh -c "$(declare -f ctl registered); CTL='$CTL' T='$T'; \
	registered ua && registered ub"
t_check_eq "u/pw community is header-encrypted" encrypted \
	"$(sn_community sn1 secure header)"
# ua's ARP requests reach ub (through sn1) and ub drops them: another
# transform.
tf_before=$(counter ub "$C_DROP_TRANSFORM")
t_check "different ciphers cannot talk (-A4 vs -A5)" no_reply a 198.19.9.2 2
t_check_delta "ub got a's frames and dropped them as another transform" \
	"$tf_before" "$(counter ub "$C_DROP_TRANSFORM")" -ge 1
lab_kill "$(cat "$T/ub.pid")"
start_edge ub2 b -c secure -k s3cret -A4 -I bob -J bob-pw -P "$FEDKEY" \
	-a 198.19.9.2/24 -d n2s2 -l 198.18.0.1:7654
t_check "the -A4 bob registers" lab_wait_for "ub2 registration" 15 \
	registered ub2
# ub2 has a new MAC for 198.19.9.2: forget ub's, rather than wait for the
# neighbour entry to go stale and be probed again (that can outlast 15 s).
lab_exec a ip neigh flush dev n2s
t_check "u/pw edges ping each other" lab_wait_for "u/pw ping" 15 \
	pings a 198.19.9.2 2
naks=$(counter sn1 register_super_nak)
start_edge bad b -c secure -k s3cret -A4 -I bob -J WRONG -P "$FEDKEY" \
	-a 198.19.10.9/24 -d n2w -l 198.18.0.1:7654 -p 50999
t_check "a wrong password is refused (NAK)" lab_wait_for "NAK" 10 \
	at_least $((naks + 1)) counter sn1 register_super_nak
t_check_eq "and never registers" false "$(info_field bad registered)"

t_summary
