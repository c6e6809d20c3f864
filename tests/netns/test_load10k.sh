#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# 10,000 edges at one supernode (issue 11, load): n2n-loadgen registers
# 10,000 synthetic edges in 100 communities at once and every one is
# registered (the generator's ACKs and the supernode's own count agree);
# then, while a junk flood runs at the generator's top rate, two real
# edges register with the supernode and ping each other; the supernode
# stays up and counts the junk by reason. Run for each backend: the socket
# datapath and the kernel one (the XDP relay, native mode).
#
# Behaviour only: the figures it prints (supernode RSS per edge, daemon
# CPU per relayed PACKET at 100 and 10,000 edges, the flood's offered
# rate) are what docs/benchmarks.md's "10,000 edges" section reports; the
# only time limits are generous bounds against hangs.
#
#              wan namespace: bridge br0, 198.18.0.0/24
#      +------------+------------+------------+
#      |            |            |            |
#  +---+----+   +---+----+   +---+----+   +---+----+
#  |  sn    |   |  gen   |   |  e1    |   |  e2    |
#  | .0.1   |   | .0.2   |   | .0.11  |   | .0.12  |
#  |supernode   |n2n-loadgen |edge    |   |edge    |
#  +--------+   +--------+   +--------+   +--------+
#
#   test_load10k.sh BUILD_DIR
#   LOAD10K_BACKENDS="socket kernel" (default) chooses the backends;
#   LOAD10K_BPF_STATS=1 adds the XDP relay's own run time (see below).
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"
LG=$OUT/tools/n2n-loadgen
SN_AT=198.18.0.1:7654
EDGES=10000
COMMUNITIES=100
# The floods last this long at most (they are stopped once the checks
# are done); the real edges must register (REG_S) and ping (PING_S)
# within it (generous: a hang guard on a loaded 2-core machine, where
# the edges' ARP broadcasts queue behind the junk at the supernode).
REG_S=30
PING_S=40
FLOOD_S=90

T=$(mktemp -d /tmp/n2nk-load10k.XXXXXX)
lab_on_cleanup rm -rf "$T"

lab_init "$OUT" || exit 1
lab_add_public_host sn 198.18.0.1 &&
	lab_add_public_host gen 198.18.0.2 &&
	lab_add_public_host e1 198.18.0.11 &&
	lab_add_public_host e2 198.18.0.12 ||
	{ t_fail "the lab comes up" "lab_add_public_host failed"; t_summary; exit 1; }

# The supernode lists its communities, so REGISTER_SUPERs for any other
# are junk it counts (drop_community).
{
	for ((k = 0; k < COMMUNITIES; k++)); do echo "loadgen-$k"; done
	echo lgt100
	echo lgt10k
	echo real
} >"$T/communities"

rss_kb() {	# rss_kb PID: resident set in KiB
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

rcvbuf_errors() {	# the sn namespace's UDP receive-buffer drops
	lab_exec sn awk '/^Udp:/ { n++ } /^Udp:/ && n == 2 { print $6 }' \
		/proc/net/snmp
}

cpu_ticks() {	# cpu_ticks PID: utime + stime in clock ticks
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# sn_edges SN [COMMUNITY_PREFIX]: edges the supernode lists in the
# communities whose name starts with the prefix.
sn_edges() {
	ctl "$1" communities 2>/dev/null |
		jq --arg p "${2:-}" '[.rows[] | select(.community |
			startswith($p)) | .edges] | add // 0'
}

edges_reach() {	# edges_reach SN PREFIX N: a predicate for lab_wait_for
	[ "$(sn_edges "$1" "$2")" -ge "$3" ] 2>/dev/null
}

# loadgen_bg NAME ARGS...: the generator in gen, output in $T/NAME.log.
loadgen_bg() {
	local name=$1
	shift
	lab_bg gen "$T/$name.log" "$LG" -l "$SN_AT" --json "$@" \
		>"$T/$name.pid"
}

# loadgen_wait NAME SECONDS: until it exits (else TERM: it reports what
# it did so far); prints its JSON ({} if none).
loadgen_wait() {
	local pid
	pid=$(cat "$T/$1.pid")
	lab_wait_for "n2n-loadgen $1 to finish" "$2" lab_pid_gone "$pid" \
		>/dev/null 2>&1 || lab_kill "$pid"
	grep -q '^{' "$T/$1.log" && grep '^{' "$T/$1.log" | tail -n 1 ||
		{ tail -n 3 "$T/$1.log" >&2; echo '{}'; }
}

field() {	# field JSON NAME
	jq -r ".$2" <<<"$1"
}

xdp_run_stats() {	# xdp_run_stats: "run_time_ns run_cnt" of sn's eth0 program
	local id
	id=$(ip -n "$(lab_ns sn)" -j link show eth0 |
		jq -r '.[0].xdp.prog.id // empty')
	[ -n "$id" ] || { echo "0 0"; return; }
	bpftool prog show id "$id" -j |
		jq -r '"\(.run_time_ns // 0) \(.run_cnt // 0)"'
}

# relay_cost SN PID N COMMUNITY COUNTER: N synthetic edges in COMMUNITY
# relay PACKETs at 20,000 pps (socket mode, N/2 pairs in turn); prints the
# daemon's CPU (user + system, every thread) per relayed PACKET (COUNTER:
# forwarded, or xdp_relayed) over 3 s of steady traffic and, with the
# BPF statistics on, the XDP program's run time per run.
relay_cost() {
	local sn=$1 pid=$2 n=$3 comm=$4 what=$5 c0 c1 f0 f1 hz r0 r1 xdp=""
	hz=$(getconf CLK_TCK)
	loadgen_bg "cost_$comm" -m socket -n "$n" -c "$comm" -r 20000 -t 8
	lab_wait_for "$n edges in $comm" 30 edges_reach "$sn" "$comm" "$n" ||
		return 1
	sleep 1
	read -ra r0 <<<"$(xdp_run_stats)"
	c0=$(cpu_ticks "$pid") && f0=$(counter "$sn" "$what") || return 1
	sleep 3
	c1=$(cpu_ticks "$pid") && f1=$(counter "$sn" "$what") || return 1
	read -ra r1 <<<"$(xdp_run_stats)"
	loadgen_wait "cost_$comm" 30 >/dev/null
	[ "$f1" -gt "$f0" ] || return 1
	((r1[1] > r0[1])) && xdp=", the XDP program \
$(((r1[0] - r0[0]) / (r1[1] - r0[1]))) ns a run over $((r1[1] - r0[1])) runs"
	echo "daemon $(((c1 - c0) * 1000000000 / hz / (f1 - f0))) ns/PACKET," \
		"$((f1 - f0)) PACKETs $what in 3 s$xdp"
}

# relay_costs SN PID COUNTER: relay_cost at 100 and at 10,000 edges.
relay_costs() {
	local out n comm=lgt100
	for n in 100 "$EDGES"; do
		[ "$n" = "$EDGES" ] && comm=lgt10k
		out=$(relay_cost "$1" "$2" "$n" "$comm" "$3") &&
			echo "$dp: relaying at $n edges: $out" ||
			echo "$dp: no relay figure at $n edges"
	done
}

edge_up() {	# edge_up NAME HOST ADDR MAC: a real edge in community real
	lab_bg "$2" "$T/$1.log" "$EDGE" -f -c real -k s3cret -A4 \
		-a "$3/24" -d n2n0 -m "$4" -l "$SN_AT" \
		--ctl-socket="$T/$1.sock" >"$T/$1.pid"
}

both_registered() { registered e1 && registered e2; }

still_running() {	# still_running NAME: a loadgen_bg run has not exited
	! lab_pid_gone "$(cat "$T/$1.pid")"
}

run_backend() {	# run_backend socket|kernel
	local dp=$1 sn=sn_$1 pid rss0 rss1 out n drop0 drop1 reason t0 c0 c1 q0
	local -a xdp=()
	[ "$dp" = kernel ] && xdp=(--xdp-mode=native)
	if ! sn_start sn "$sn" -p 7654 --datapath="$dp" "${xdp[@]}" \
		-c "$T/communities"; then
		t_fail "$dp: the supernode starts" "see its log above"
		return
	fi
	pid=$(cat "$T/$sn.pid")

	# Figures only: what relaying costs at 100 and at 10,000 edges.
	if [ "$dp" = socket ]; then
		relay_costs "$sn" "$pid" forwarded
	elif [ "$BPF_STATS" = yes ]; then
		relay_costs "$sn" "$pid" xdp_relayed
	fi
	rss0=$(rss_kb "$pid")

	# --- 10,000 edges at once ---
	c0=$(cpu_ticks "$pid")
	q0=$(rcvbuf_errors)
	loadgen_bg "reg_$dp" -m register -n "$EDGES" -C "$COMMUNITIES" \
		-t $((FLOOD_S + 60))
	t_check "$dp: the supernode lists all $EDGES edges" \
		lab_wait_for "$EDGES edges" 60 \
		edges_reach "$sn" loadgen- "$EDGES"
	n=$(ctl "$sn" communities | jq '[.rows[] |
		select(.community | startswith("loadgen-")) |
		select(.edges == 100)] | length')
	t_check_eq "$dp: each of the $COMMUNITIES communities has 100" \
		"$COMMUNITIES" "$n"
	c1=$(cpu_ticks "$pid")
	rss1=$(rss_kb "$pid")
	echo "$dp: daemon CPU while $EDGES edges registered:" \
		"$(((c1 - c0) * 1000000000 / $(getconf CLK_TCK) / EDGES))" \
		"ns per edge (n2nctl's polls included);" \
		"$(($(rcvbuf_errors) - q0)) REGISTER_SUPERs dropped by" \
		"its full UDP socket buffer (UdpRcvbufErrors)"
	echo "$dp: supernode RSS $rss0 KiB -> $rss1 KiB with $EDGES edges:" \
		"$(((rss1 - rss0) * 1024 / EDGES)) B per edge"

	# --- a junk flood at the top rate, real edges still served ---
	drop0=$(ctl "$sn" stats)
	q0=$(rcvbuf_errors)
	# Every kind from sockets, and where it can, the top rate: live
	# frames of wrong-token REGISTER_SUPERs (they cost the supernode a
	# lookup and a NAK each).
	loadgen_bg "flood_$dp" -J mix -n "$EDGES" -C "$COMMUNITIES" -r 0 \
		-t "$FLOOD_S"
	if [ "$KFLOOD" = yes ]; then
		# One sender, flat out (LOAD10K_FLOOD_THREADS=N for more: on a
		# 2-CPU machine one per CPU leaves the supernode no CPU of its
		# own, a closed loop that measures the machine, not the relay).
		loadgen_bg "kflood_$dp" -J auth -m kernel -i eth0 -n "$EDGES" \
			-C "$COMMUNITIES" -r 0 -T "${LOAD10K_FLOOD_THREADS:-1}" \
			-t "$FLOOD_S"
	fi
	sleep 2
	t0=$SECONDS
	edge_up e1 e1 198.19.50.1 02:00:00:00:50:01
	edge_up e2 e2 198.19.50.2 02:00:00:00:50:02
	t_check "$dp: two real edges register during the flood" \
		lab_wait_for "e1 and e2 registered" "$REG_S" \
		both_registered
	echo "$dp: the real edges registered $((SECONDS - t0)) s into the flood"
	t_check "$dp: and ping each other during the flood" \
		lab_wait_for "e1 -> e2 echo" "$PING_S" pings e1 198.19.50.2 1
	t_check "$dp: the flood was still on" still_running "flood_$dp"
	# Stopped (TERM) once the checks are done: it reports then.
	out=$(loadgen_wait "flood_$dp" 0)
	t_check_num "$dp: the socket flood offered junk" \
		"$(field "$out" sent)" -gt 0
	echo "$dp: socket flood (mix) offered $(field "$out" sent_pps)" \
		"junk datagrams/s"
	if [ "$KFLOOD" = yes ]; then
		out=$(loadgen_wait "kflood_$dp" 0)
		t_check_num "$dp: the live-frame flood offered junk" \
			"$(field "$out" sent)" -gt 0
		echo "$dp: live-frame flood (auth) offered" \
			"$(field "$out" sent_pps) junk datagrams/s"
	fi
	t_check "$dp: the supernode is alive after the flood" \
		sh -c "kill -0 $pid" || tail -n 15 "$T/$sn.log"
	drop1=$(ctl "$sn" stats)
	echo "$dp: the flood overflowed the UDP socket buffer" \
		"$(($(rcvbuf_errors) - q0)) times (UdpRcvbufErrors)"
	for reason in drop_community drop_auth; do
		t_check_num "$dp: the junk is counted as $reason" \
			"$(($(jq ".rows[] | select(.counter == \"$reason\") |
				.value" <<<"$drop1") - $(jq ".rows[] |
				select(.counter == \"$reason\") | .value // 0" \
				<<<"$drop0")))" -gt 0
	done
	jq -c '[.rows[] | select(.counter | test("drop|xdp_|xsk_")) |
		select(.value > 0)] | map({(.counter): .value}) | add' \
		<<<"$drop1"
	t_check "$dp: the $EDGES edges are still registered" \
		edges_reach "$sn" loadgen- "$EDGES"
	out=$(loadgen_wait "reg_$dp" 0)
	echo "$dp: registration: $out"
	t_check_num "$dp: n2n-loadgen had an ACK for each of the $EDGES" \
		"$(field "$out" registered)" -eq "$EDGES"
	t_check_num "$dp: and no NAK" "$(field "$out" reg_naks)" -eq 0
	lab_kill "$(cat "$T/e1.pid")"
	lab_kill "$(cat "$T/e2.pid")"
	sn_stop "$sn"
}

kernel_ok() {	# live frames in BPF_PROG_TEST_RUN: kernel >= 5.18
	awk -F. '{ exit !($1 > 5 || ($1 == 5 && $2 >= 18)) }' <<<"$(uname -r)"
}

# The live-frame flood leaves gen's eth0 with XDP_TX; its veth peer on the
# bridge takes such frames only while it runs a native XDP program: the
# generator's XDP_PASS one.
KFLOOD=no
# LOAD10K_BPF_STATS=1: the XDP relay's own run time at 100 and 10,000
# edges, with kernel.bpf_stats_enabled on for that (restored at exit; it
# slows every BPF program on the machine while on). Its relayed frames
# leave sn's eth0 with XDP_TX, so the bridge's veth takes XDP_PASS too.
BPF_STATS=no
if [ "${LOAD10K_BPF_STATS:-0}" = 1 ] &&
	OLD_STATS=$(sysctl -n kernel.bpf_stats_enabled) &&
	ip -n "$(lab_ns wan)" link set dev p-sn xdpdrv \
		obj "$OUT/bpf/loadgen.bpf.o" sec xdp program lg_pass &&
	sysctl -qw kernel.bpf_stats_enabled=1; then
	lab_on_cleanup sysctl -qw "kernel.bpf_stats_enabled=$OLD_STATS"
	BPF_STATS=yes
fi
if ! kernel_ok; then
	t_skip "the live-frame flood" "needs kernel >= 5.18, this is $(uname -r)"
elif ip -n "$(lab_ns wan)" link set dev p-gen xdpdrv \
	obj "$OUT/bpf/loadgen.bpf.o" sec xdp program lg_pass; then
	KFLOOD=yes
else
	t_skip "the live-frame flood" "no native XDP on the bridge's veth"
fi
for dp in ${LOAD10K_BACKENDS:-socket kernel}; do
	run_backend "$dp"
done
t_summary
