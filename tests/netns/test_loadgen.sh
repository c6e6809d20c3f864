#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# n2n-loadgen against our supernode: bad flags are refused by name, the
# synthetic edges register (n2nctl lists them) and, at a low rate in socket
# mode, every PACKET comes back relayed; in kernel mode (live frames) the
# XDP relay forwards them without waking the daemon. Behaviour only: no
# figure here is a timing assertion.
#
#   +-----------------+     veth pair      +-----------------------+
#   | gen             |                    | sn                    |
#   | lg0 198.18.40.2 +--------------------+ sn0 198.18.40.1 :7654 |
#   | n2n-loadgen     |                    | supernode             |
#   +-----------------+                    +-----------------------+
#   test_loadgen.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"
LG=$OUT/tools/n2n-loadgen
SN_AT=198.18.40.1:7654

T=$(mktemp -d /tmp/n2nk-loadgen.XXXXXX)
lab_on_cleanup rm -rf "$T"

# refuses NAME WORD ARGS...: exit 2 and a message that names WORD.
refuses() {
	local rc=0
	"$LG" "${@:3}" >/dev/null 2>"$T/err" || rc=$?
	if [ "$rc" -eq 2 ] && grep -qF -- "$2" "$T/err"; then
		t_pass "$1"
	else
		t_fail "$1" "exit $rc, stderr: $(head -c 200 "$T/err")"
	fi
}

refuses "an odd -n is refused" "-n" -l "$SN_AT" -n 3
refuses "-n over 16384 is refused" "-n" -l "$SN_AT" -n 16386
refuses "-C 0 is refused" "-C" -l "$SN_AT" -C 0
refuses "-C over 4096 is refused" "-C" -l "$SN_AT" -C 4097
refuses "-C with a -c too long for the suffix is refused" "-C" \
	-l "$SN_AT" -C 10 -c loadgen-long-name
refuses "an unknown -J is refused" "-J" -l "$SN_AT" -J lots
refuses "-J with -m register is refused" "-J" -l "$SN_AT" -J mix -m register
refuses "-H with -C is refused" "-H" -l "$SN_AT" -H -C 2
refuses "an unknown -m is refused" "'fast'" -l "$SN_AT" -m fast
refuses "an oversized -s is refused" "-s" -l "$SN_AT" -s 9000
refuses "a negative -r is refused" "-r" -l "$SN_AT" -r -5
refuses "-t 0 is refused" "-t" -l "$SN_AT" -t 0
refuses "a -l without a port is refused" "-l" -l 198.18.40.1
refuses "a missing -l is refused" "-l" -n 2
refuses "-m kernel without -i is refused" "-i" -l "$SN_AT" -m kernel
refuses "an unknown option is named" "--bogus" -l "$SN_AT" --bogus
refuses "-T 0 is refused" "-T" -l "$SN_AT" -m kernel -i lg0 -T 0
refuses "-T with socket mode is refused" "-T" -l "$SN_AT" -T 2
refuses "-T with a set rate is refused" "-T" -l "$SN_AT" -m kernel -i lg0 \
	-r 1000 -T 2
refuses "-H beyond 8 s is refused" "-H" -l "$SN_AT" -H -t 9

lab_init "$OUT" || exit 1
GEN_NS=$(lab_ns gen)
SN_NS=$(lab_ns sn)

# A direct veth pair (the lab's hosts hang off a bridge): ours to remove.
topo_down() {
	local ns
	for ns in "$GEN_NS" "$SN_NS"; do
		[ -e "/run/netns/$ns" ] || continue
		ip netns pids "$ns" | xargs -r kill -KILL 2>/dev/null
		ip netns del "$ns"
	done
}
lab_on_cleanup topo_down
if ! { ip netns add "$GEN_NS" && ip netns add "$SN_NS" &&
	ip -n "$GEN_NS" link add lg0 type veth peer name sn0 netns "$SN_NS" &&
	ip -n "$GEN_NS" addr add 198.18.40.2/24 dev lg0 &&
	ip -n "$SN_NS" addr add 198.18.40.1/24 dev sn0 &&
	ip -n "$GEN_NS" link set lg0 up && ip -n "$SN_NS" link set sn0 up; }
then
	t_fail "the veth pair comes up" "ip failed"
	t_summary
	exit 1
fi

# start_sn NAME ARGS...: our supernode in sn with control socket $T/NAME.
start_sn() {
	local name=$1
	shift
	lab_bg sn "$T/$name.log" "$SN" -p 7654 -f --ctl-socket="$T/$name.sock" \
		"$@" >"$T/$name.pid"
	lab_wait_for "$name control socket" 5 test -S "$T/$name.sock" ||
		{ tail -n 5 "$T/$name.log"; return 1; }
}

loadgen() {	# loadgen ARGS...: the generator in gen, JSON on stdout
	lab_exec gen "$LG" -l "$SN_AT" --json "$@" 2>"$T/lg.err" ||
		{ cat "$T/lg.err" >&2; return 1; }
}

field() {	# field JSON NAME
	echo "$1" | jq -r ".$2"
}

if start_sn sns --datapath=socket; then
	out=$(loadgen -m socket -n 4 -r 2000 -t 2) || out='{}'
	echo "socket backend, socket mode: $out"
	t_check_num "socket mode sent packets" "$(field "$out" sent)" -gt 0
	# Both must be numbers: a failed run gives null for each.
	t_check_num "every PACKET came back relayed" \
		"$(field "$out" received)" -eq "$(field "$out" sent)"
	n=$(ctl sns edges | jq '[.rows[] | select(.community == "loadgen")] |
		length')
	t_check_eq "n2nctl lists the 4 synthetic edges" 4 "$n"
	t_check_num "n2n-loadgen had an ACK for each of the 4" \
		"$(field "$out" registered)" -eq 4
	out=$(loadgen -m register -n 8 -C 2 -t 1) || out='{}'
	echo "socket backend, -m register -C 2: $out"
	t_check_num "-m register sends no PACKET" "$(field "$out" sent)" -eq 0
	n=$(ctl sns communities | jq -cS '[.rows[] |
		select(.community | startswith("loadgen-")) |
		{(.community): .edges}] | add')
	t_check_eq "-C 2: pairs alternate between loadgen-0 and loadgen-1" \
		'{"loadgen-0":4,"loadgen-1":4}' "$n"
	lab_kill "$(cat "$T/sns.pid")"
else
	t_fail "the socket supernode starts" "see above"
fi

kernel_ok() {	# live frames in BPF_PROG_TEST_RUN: kernel >= 5.18
	awk -F. '{ exit !($1 > 5 || ($1 == 5 && $2 >= 18)) }' <<<"$(uname -r)"
}

if ! kernel_ok; then
	t_skip "kernel mode: the XDP relay forwards live frames" \
		"needs kernel >= 5.18, this is $(uname -r)"
elif start_sn snx --datapath=kernel --xdp-mode=native; then
	f1=$(counter snx forwarded)
	x1=$(counter snx xdp_relayed)
	out=$(loadgen -m kernel -i lg0 -n 2 -t 1) || out='{}'
	f2=$(counter snx forwarded)
	x2=$(counter snx xdp_relayed)
	echo "XDP backend, kernel mode: $out"
	echo "xdp_relayed $x1 -> $x2, forwarded $f1 -> $f2"
	sent=$(field "$out" sent)
	received=$(field "$out" received)
	t_check_num "kernel mode forwarded packets" "$received" -gt 0
	# What came back was relayed, and counted, by the XDP relay; it can
	# count no more than was sent (frames may be lost on either side).
	t_check_delta "the XDP relay counted every PACKET that came back" \
		"$x1" "$x2" -ge "$received"
	t_check_delta "and no more than were sent" "$x1" "$x2" -le "$sent"
	t_check_delta "the daemon forwarded none of them" "$f1" "$f2" -eq 0
	t_check "the XDP sink on lg0 is detached at exit" \
		lab_wait_for "lg0 without XDP" 5 \
		sh -c "! ip -n $GEN_NS link show lg0 | grep -q xdp"
	lab_kill "$(cat "$T/snx.pid")"
else
	t_fail "the XDP supernode starts" "see above"
fi

# -H: the supernode must list the community by name.
echo loadgenh >"$T/comm"
if ! kernel_ok; then
	t_skip "-H, kernel mode: the XDP relay forwards sealed PACKETs" \
		"needs kernel >= 5.18, this is $(uname -r)"
elif start_sn snh --datapath=kernel --xdp-mode=native -c "$T/comm"; then
	out=$(loadgen -m socket -i lg0 -n 2 -r 1000 -t 1 -c loadgenh -H) ||
		out="{}"
	echo "-H, XDP backend, socket mode: $out"
	t_check_num "-H socket mode: every PACKET came back, opened" \
		"$(field "$out" received)" -eq "$(field "$out" sent)"
	x1=$(counter snh xdp_relayed)
	out=$(loadgen -m kernel -i lg0 -n 2 -t 1 -c loadgenh -H) || out='{}'
	x2=$(counter snh xdp_relayed)
	echo "-H, XDP backend, kernel mode: $out (xdp_relayed $x1 -> $x2)"
	t_check_num "-H kernel mode: the sink counted relayed PACKETs" \
		"$(field "$out" received)" -gt 0
	t_check_delta "-H kernel mode: the XDP relay relayed them" \
		"$x1" "$x2" -ge "$(field "$out" received)"
	t_check_eq "-H: no PACKET refused by the kernel's key or stamp check" 0 \
		"$(($(counter snh xdp_header_key) + $(counter snh xdp_stamp) +
		$(counter snh xdp_drop_replayed)))"
else
	t_fail "the -H XDP supernode starts" "see above"
fi
t_summary
