#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The supernode relay benchmark: n2n-loadgen's synthetic edges send PACKETs
# through the supernode, once per backend (--datapath=socket, the XDP relay
# with --datapath=kernel --xdp-mode=native, and stock n2n's supernode when
# N2N_STOCK_DIR names a build the user made), and the table compares
# forwarded packets per second and CPU time per forwarded packet.
#
#   +-------------------+      veth pair       +--------------------+
#   | gen               |                      | sn                 |
#   | lg0 198.18.40.2   +----------------------+ sn0 198.18.40.1    |
#   | n2n-loadgen       |                      | supernode :7654    |
#   | XDP on lg0:       |                      | XDP relay (native) |
#   | lg_sink / lg_pass |                      | or none; GRO on    |
#   +-------------------+                      +--------------------+
#
# Runs per backend: the kernel-mode generator flat out with 64 and 1400-byte
# payloads, plaintext and header-encrypted (-H: the supernode opens, checks
# and seals each PACKET again), the socket-mode (sendmmsg) generator at a
# fixed rate the socket backend sustains (BENCH_RELAY_PPS, default 50000)
# and flat out.
#   bench-relay.sh BUILD_DIR [SECONDS]
set -u
OUT=$(cd "${1:-.output}" && pwd)
SECS=${2:-5}
TOP=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../tests/netns/lab.sh
source "$TOP/tests/netns/lab.sh"
T=$(mktemp -d /tmp/n2nk-bench-relay.XXXXXX)
lab_on_cleanup rm -rf "$T"
STOCK=${N2N_STOCK_DIR:-}
FIXED_PPS=${BENCH_RELAY_PPS:-50000}
LG=$OUT/tools/n2n-loadgen
SN=$OUT/sbin/supernode
SN_ADDR=198.18.40.1
HZ=$(getconf CLK_TCK)
# One kernel-mode sender per CPU, each with its own veth queue, so the
# relay and the sink run on every CPU (a queue's NAPI runs where it was
# scheduled).
NCPU=$(nproc)

[[ $SECS =~ ^[1-9][0-9]*$ ]] ||
	{ echo "bench-relay: bad SECONDS '$SECS'" >&2; exit 2; }
[[ $FIXED_PPS =~ ^[1-9][0-9]*$ ]] ||
	{ echo "bench-relay: bad BENCH_RELAY_PPS '$FIXED_PPS'" >&2; exit 2; }
for tool in ethtool bpftool jq; do
	command -v "$tool" >/dev/null ||
		{ echo "bench-relay: missing tool: $tool" >&2; exit 1; }
done
[ -x "$LG" ] || { echo "bench-relay: no $LG (make all)" >&2; exit 1; }

lab_init "$OUT" >/dev/null || exit 1
GEN_NS=$(lab_ns gen)
SN_NS=$(lab_ns sn)

# The lab has no direct veth pair between two hosts: ours, removed at exit.
topo_down() {
	local ns i
	for ns in "$GEN_NS" "$SN_NS"; do
		[ -e "/run/netns/$ns" ] || continue
		for ((i = 0; i < 30; i++)); do
			[ -z "$(ip netns pids "$ns")" ] && break
			ip netns pids "$ns" | xargs -r kill -TERM 2>/dev/null
			sleep 0.1
		done
		ip netns pids "$ns" | xargs -r kill -KILL 2>/dev/null
		ip netns del "$ns"
	done
}

# sn0 takes the generator's redirected frames without an XDP program only
# with GRO on; lg0 always runs one of the generator's XDP programs during a
# run, and GRO without one would wedge its ring (docs/benchmarks.md).
topo_up() {
	lab_on_cleanup topo_down
	ip netns add "$GEN_NS" && ip netns add "$SN_NS" &&
		ip -n "$GEN_NS" link set lo up && ip -n "$SN_NS" link set lo up &&
		ip -n "$GEN_NS" link add lg0 numtxqueues "$NCPU" \
			numrxqueues "$NCPU" type veth peer name sn0 \
			numtxqueues "$NCPU" numrxqueues "$NCPU" \
			netns "$SN_NS" &&
		ip -n "$GEN_NS" addr add 198.18.40.2/24 dev lg0 &&
		ip -n "$SN_NS" addr add "$SN_ADDR/24" dev sn0 &&
		ip -n "$GEN_NS" link set lg0 up && ip -n "$SN_NS" link set sn0 up &&
		ip netns exec "$SN_NS" ethtool -K sn0 gro on &&
		ip netns exec "$GEN_NS" ethtool -K lg0 gro off
}

# BPF run-time statistics, for the relay's own cost: on only for the XDP
# backend's companion runs (their clock reads slow every BPF program, the
# generator's included), and restored at exit.
OLD_STATS=$(sysctl -n kernel.bpf_stats_enabled)
lab_on_cleanup sysctl -qw "kernel.bpf_stats_enabled=$OLD_STATS"
sysctl -qw kernel.bpf_stats_enabled=0 || exit 1
topo_up || { echo "bench-relay: cannot build the veth pair" >&2; exit 1; }

cpu_times() {	# all CPUs' busy jiffies (user..steal, softirq included), total
	awk '/^cpu / { b = $2 + $3 + $4 + $7 + $8 + $9
		print b, b + $5 + $6; exit }' /proc/stat
}

sys_busy() {	# all CPUs' busy jiffies
	cpu_times | cut -d' ' -f1
}

proc_cpu() {	# utime + stime of PID, jiffies
	awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

relay_stats() {	# "run_time_ns run_cnt" of the XDP program on sn0 (stats on)
	local id
	id=$(ip -n "$SN_NS" -j link show sn0 | jq -r '.[0].xdp.prog.id // empty')
	if [ -z "$id" ]; then
		echo "0 0"
		return
	fi
	bpftool prog show id "$id" -j |
		jq -r '"\(.run_time_ns // 0) \(.run_cnt // 0)"'
}

declare -A RES	# "SECTION BACKEND" -> "offer fwd gbit loss cpu% sys_ns own_ns"

gen_run() {	# gen_run LOADGEN_ARGS...: one generator run, its JSON
	local secs=$SECS
	# -H seals each PACKET once: its stamp holds 8 s (n2n-loadgen -H).
	[[ " $* " != *" -H "* ]] || ((secs <= 8)) || secs=8
	lab_exec gen "$LG" -l "$SN_ADDR:7654" -i lg0 -t "$secs" --json "$@" \
		2>"$T/lg.err" && return 0
	echo "bench-relay: n2n-loadgen $*: $(tail -n 1 "$T/lg.err")" >&2
	return 1
}

# shellcheck disable=SC2016 # a jq program: its $names are jq's
FIGURES='
def per(x): if .received > 0 then (x / .received | round) else "-" end;
[ (.sent_pps | round), (.received_pps | round), .rx_gbps,
  (.loss_pct * 100 | round / 100),
  ($dc / $hz / .seconds * 100 | . * 10 | round / 10),
  per($ds * 1e9 / $hz), per($dc * 1e9 / $hz) ] | map(tostring) | join(" ")'

# measure SECTION BACKEND PID LOADGEN_ARGS...: one run, CPU accounted:
# the daemon's utime+stime and every CPU's busy time across the run.
measure() {
	local key="$1 $2" pid=$3 json c0 c1 s0 s1
	shift 3
	c0=$(proc_cpu "$pid") s0=$(sys_busy)
	if ! json=$(gen_run "$@"); then
		RES[$key]=failed
		return
	fi
	c1=$(proc_cpu "$pid") s1=$(sys_busy)
	RES[$key]=$(echo "$json" | jq -r --argjson hz "$HZ" \
		--argjson dc $((c1 - c0)) --argjson ds $((s1 - s0)) "$FIGURES")
}

# relay_own SECTION LOADGEN_ARGS...: the same run again with BPF stats
# on; the relay program's ns per run becomes the XDP row's own ns.
relay_own() {
	local key="$1 xdp" r0 r1 f
	shift
	[ "${RES[$key]:-failed}" != failed ] || return
	sysctl -qw kernel.bpf_stats_enabled=1
	read -ra r0 <<<"$(relay_stats)"
	gen_run "$@" >/dev/null
	read -ra r1 <<<"$(relay_stats)"
	sysctl -qw kernel.bpf_stats_enabled=0
	read -ra f <<<"${RES[$key]}"
	f[6]=-
	if ((r1[1] > r0[1])); then
		f[6]=$(((r1[0] - r0[0]) / (r1[1] - r0[1])))
	fi
	RES[$key]="${f[*]}"
}

# start_backend NAME: the supernode in sn, its pid on stdout.
start_backend() {
	local pid
	case $1 in
	socket)
		pid=$(lab_bg sn "$T/sn-$1.log" "$SN" -p 7654 -f -c "$T/comm" \
			--datapath=socket --ctl-socket="$T/sn.sock") ;;
	xdp)
		pid=$(lab_bg sn "$T/sn-$1.log" "$SN" -p 7654 -f -c "$T/comm" \
			--datapath=kernel --xdp-mode=native \
			--ctl-socket="$T/sn.sock") ;;
	stock)
		pid=$(lab_bg sn "$T/sn-$1.log" "$STOCK/supernode" -p 7654 -f \
			-c "$T/comm") ;;
	esac
	lab_wait_port sn udp 7654 5 >/dev/null 2>&1 || return 1
	if [ "$1" = xdp ]; then
		lab_wait_for "XDP relay on sn0" 5 \
			sh -c "ip -n $SN_NS link show sn0 | grep -q xdp" || return 1
	fi
	echo "$pid"
}

# System-wide CPU figures count every process: warn when the machine is
# busy with something else (a build, another test) before the runs.
idle_check() {
	local a b
	read -ra a <<<"$(cpu_times)"
	sleep 1
	read -ra b <<<"$(cpu_times)"
	if (((b[0] - a[0]) * 10 > b[1] - a[1])); then
		echo "bench-relay: warning: the machine was" \
			"$(((b[0] - a[0]) * 100 / (b[1] - a[1])))% busy before" \
			"the runs; sys ns includes that work" >&2
	fi
}
idle_check

KERNEL_OK=1
if ! awk -F. '{ exit !($1 > 5 || ($1 == 5 && $2 >= 18)) }' <<<"$(uname -r)"
then
	KERNEL_OK=
	echo "bench-relay: kernel $(uname -r) < 5.18: no kernel-mode rows" >&2
fi

# run_both SECTION BACKEND PID ARGS...: measured, plus XDP's companion run.
run_both() {
	local section=$1 backend=$2 pid=$3
	shift 3
	measure "$section" "$backend" "$pid" "$@"
	[ "$backend" != xdp ] || relay_own "$section" "$@"
}

# run_backend NAME: every measurement against one supernode.
run_backend() {
	local pid
	if ! pid=$(start_backend "$1"); then
		echo "bench-relay: the $1 supernode did not start:" >&2
		tail -n 5 "$T/sn-$1.log" >&2
		return
	fi
	# The daemons relay on one thread: a second sender would only take
	# its CPU away, so they get one; the XDP relay gets one per CPU.
	local senders=1
	[ "$1" != xdp ] || senders=$NCPU
	if [ -n "$KERNEL_OK" ]; then
		run_both k64 "$1" "$pid" -m kernel -n 2 -s 64 -T "$senders"
		run_both k1400 "$1" "$pid" -m kernel -n 2 -s 1400 \
			-T "$senders"
		run_both h64 "$1" "$pid" -m kernel -n 2 -s 64 -T "$senders" \
			-c loadgenh -H
		run_both h1400 "$1" "$pid" -m kernel -n 2 -s 1400 \
			-T "$senders" -c loadgenh -H
	fi
	run_both fixed "$1" "$pid" -m socket -n 8 -s 64 -r "$FIXED_PPS"
	run_both s64 "$1" "$pid" -m socket -n 8 -s 64
	lab_kill "$pid"
}

# -H needs the community listed by name (n2n-protocol.md 5.4): loadgenh
# is the -H runs', loadgen the plaintext ones'.
printf 'loadgen\nloadgenh\n' >"$T/comm"
BACKENDS=(socket xdp)
[ -n "$STOCK" ] && BACKENDS+=(stock)
declare -A LABEL=([socket]="n2nk socket" [xdp]="n2nk XDP (native)"
	[stock]="stock n2n")
for b in "${BACKENDS[@]}"; do
	run_backend "$b"
done

ratio() {	# ratio A B: A/B as "N.Nx", or "-"
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0)
			printf "%.1fx", a / b; else print "-" }'
}

FMT='%-18s %9s %9s %7s %7s %6s %8s %8s %7s %7s\n'
# section KEY TITLE: the rows of one kind of run, ratios against socket.
section() {
	local key=$1 b r s
	echo
	echo "$2"
	# shellcheck disable=SC2059
	printf "$FMT" backend "offer pps" "fwd pps" Gbit/s "loss %" "sn CPU" \
		"sys ns" "own ns" "pps x" "CPU x"
	read -ra s <<<"${RES[$key socket]:-}"
	for b in "${BACKENDS[@]}"; do
		read -ra r <<<"${RES[$key $b]:-failed}"
		if [ "${r[0]}" = failed ]; then
			# shellcheck disable=SC2059
			printf "$FMT" "${LABEL[$b]}" failed - - - - - - - -
			continue
		fi
		printf -v r[2] '%.3f' "${r[2]}"
		printf -v r[3] '%.2f' "${r[3]}"
		# shellcheck disable=SC2059
		printf "$FMT" "${LABEL[$b]}" "${r[@]:0:4}" "${r[4]}%" \
			"${r[5]}" "${r[6]}" "$(ratio "${r[1]}" "${s[1]:-}")" \
			"$(ratio "${s[5]:-}" "${r[5]}")"
	done
}

echo "Supernode relay, $SECS s per run ($(nproc) CPUs, kernel $(uname -r))"
echo "sys ns = all CPUs' busy time per forwarded packet, generator included"
echo "own ns = XDP: the relay program's run time per run (BPF stats, taken"
echo "         in a second run: the stats slow every BPF program down);"
echo "         socket, stock: the daemon's CPU time per forwarded packet"
echo "pps x = forwarded pps / socket's; CPU x = socket's sys ns / this one's"
if [ -n "$KERNEL_OK" ]; then
	section k64 "kernel generator flat out (senders: XDP one per CPU, daemons one), 64-byte payload (144 B frames)"
	section k1400 \
		"kernel generator flat out (as above), 1400-byte payload (1480 B frames)"
	section h64 "-H: kernel generator flat out (as above), 64-byte payload, header-encrypted community ($((SECS < 8 ? SECS : 8)) s)"
	section h1400 "-H: kernel generator flat out (as above), 1400-byte payload, header-encrypted community ($((SECS < 8 ? SECS : 8)) s)"
fi
section fixed "socket generator at $FIXED_PPS pps, 64-byte payload, 8 edges"
section s64 "socket generator (sendmmsg) flat out, 64-byte payload, 8 edges"
