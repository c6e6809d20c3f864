#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The edge's kernel data path against the socket path and stock n2n, in
# one run, in the namespace lab: two edges, each behind a full-cone NAT,
# a supernode on the public segment (the topology of tools/bench.sh).
#
# Per transform (-A1, -A3, -A4, -A5, -A4 -H, our -A6) and path: TCP Gbit/s with 1
# and 4 streams
# (iperf3, closed loop: TCP's own pacing), UDP frames/s received with
# 64-byte payloads (iperf3 -u, unlimited rate: the sender's CPU limits it),
# RTT (ping), and the CPU time both edge daemons spent during the 1-stream
# TCP run (their share of one CPU). Also kernel VXLAN between the same two
# hosts (the kernel's own tunnel, no crypto: the ceiling), the raw underlay,
# relayed TCP (-S1), and each transform's BPF cost per 1400-byte frame from
# PROG_TEST_RUN with the crypto-bound ceiling it implies on one CPU.
# Each edge host gets one CPU of its own, as two machines would: its
# processes are pinned to it and its receive processing steered to it
# (RPS). Without that, veth runs the receiver's softirq on the sender's
# CPU, so both edges' data paths share one CPU, and spreads a flow over
# CPUs at random, which reorders it. Every figure comes from this run; on
# a shared 2-vCPU machine, expect +-15 % between runs.
#   bench-edge.sh BUILD_DIR [SECONDS]     N2N_STOCK_DIR=<stock build> adds stock
#   (BENCH_EDGE_ROWS=REGEX: only the rows whose names match)
set -u
OUT=$(cd "${1:-.output}" && pwd)
SECS=${2:-5}
TOP=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../tests/netns/lab.sh
source "$TOP/tests/netns/lab.sh"
T=$(mktemp -d /tmp/n2nk-bench-edge.XXXXXX)
lab_on_cleanup rm -rf "$T"
STOCK=${N2N_STOCK_DIR:-}

lab_init "$OUT" >/dev/null || exit 1
lab_add_public_host sn 198.18.0.1
lab_add_nat_host a 1 full
lab_add_nat_host b 2 full

# One CPU per edge host (the last two CPUs; one CPU for both if that is
# all there is): `on HOST CMD...` runs CMD there on the host's CPU. The
# supernode shares b's: it is the other end of the underlay row.
# BENCH_EDGE_CPUS=shared leaves placement to the kernel (the earlier runs).
declare -A CPU=([a]=$(($(nproc) > 1 ? $(nproc) - 2 : 0)) [b]=$(($(nproc) - 1)))
CPU[sn]=${CPU[b]}
PIN=1
[ "${BENCH_EDGE_CPUS:-}" != shared ] || PIN=
on() {
	local h=$1
	shift
	if [ -n "$PIN" ]; then
		lab_exec "$h" taskset -c "${CPU[$h]}" "$@"
	else
		lab_exec "$h" "$@"
	fi
}
on_bg() {	# on_bg HOST LOG CMD...: on's lab_bg, prints the pid
	local h=$1
	if [ -n "$PIN" ]; then
		lab_bg "$h" "$2" taskset -c "${CPU[$h]}" "${@:3}"
	else
		lab_bg "$h" "$2" "${@:3}"
	fi
}
# RPS: a host's receive processing on its CPU. A site is an edge host and
# its NAT router (nat1 is a's, nat2 is b's): without this, veth runs the
# receiving router's forwarding on the sending CPU, so the sender's CPU
# would pay for both routers, as no two machines would.
CPU[nat1]=${CPU[a]} CPU[nat2]=${CPU[b]}
for h in a b sn nat1 nat2; do
	[ -n "$PIN" ] || break
	lab_exec "$h" sh -c 'for q in /sys/class/net/*/queues/rx-*/rps_cpus
		do printf "%x" "$1" >"$q"; done' - $((1 << CPU[$h])) || exit 1
done

on_bg b "$T/iperf.log" iperf3 -s -p 5201 >/dev/null
lab_wait_port b tcp 5201 5 || exit 1
# Our supernode relays in XDP (forwarding on, so next hops come from the
# FIB); stock edges get a stock supernode on 7655, so a stock row is stock
# n2n end to end.
lab_exec sn sysctl -qw net.ipv4.ip_forward=1
# -H communities must be named at a supernode (n2n's rule; ours too).
printf 'bench%s\n' 43 44 45 46 47 48 >"$T/communities"
echo '.*' >>"$T/communities"
lab_bg sn "$T/sn.log" "$OUT/sbin/supernode" -p 7654 -f --datapath=kernel \
	-c "$T/communities" >/dev/null
[ -z "$STOCK" ] ||
	lab_bg sn "$T/sn-stock.log" "$STOCK/supernode" -p 7655 -f \
		-c "$T/communities" >/dev/null

# The transforms' BPF cost first (tests/bpf: PROG_TEST_RUN, ns per
# 1400-byte frame through edge_tx and edge_rx), for the ceiling below.
declare -A COST_TX COST_RX
while read -r t tx rx; do
	COST_TX[$t]=$tx COST_RX[$t]=$rx
done < <(N2N_VECTORS=${SHARED:-$TOP/../shared}/vectors/n2n-3.1.1 \
	"$OUT/tests/bpf-tests" 2>/dev/null | sed -nE \
	's/.*cost (-A[0-9]): .*edge_tx ([0-9]+) ns, edge_rx ([0-9]+) ns.*/\1 \2 \3/p')

# tcp HOST DST STREAMS: iperf3 TCP for SECS s, Gbit/s received.
tcp() {
	on "$1" iperf3 -c "$2" -p 5201 -t "$SECS" -P "$3" -J 2>/dev/null |
		jq -r '(.end.sum_received.bits_per_second // 0) / 1e9 |
			. * 100 | round / 100'
}

# udp_kpps HOST DST: 64-byte UDP payloads at an unlimited rate, thousands
# of datagrams per second the receiver got.
udp_kpps() {
	on "$1" iperf3 -c "$2" -p 5201 -u -b 0 -l 64 -t "$SECS" -J \
		2>/dev/null | jq -r '((.end.sum.packets // 0) -
			(.end.sum.lost_packets // 0)) / (.end.sum.seconds // 1) /
			1000 | round'
}

rtt_ms() {	# rtt_ms HOST DST: average of 50 pings, ms
	lab_exec "$1" ping -q -c 50 -i 0.02 "$2" 2>/dev/null |
		sed -nE 's|.* = [0-9.]+/([0-9.]+)/.*|\1|p'
}

cpu_ticks() {	# cpu_ticks PID...: user + system clock ticks of the pids
	local p t=0 f
	for p in "$@"; do
		f=$(cut -d' ' -f14,15 "/proc/$p/stat" 2>/dev/null) || continue
		t=$((t + ${f% *} + ${f#* }))
	done
	echo "$t"
}

declare -A GBIT

# row NAME TCP1 TCP4 KPPS RTT CPU [VS]: print; ratio of TCP1 against VS.
row() {
	local ratio=-
	GBIT[$1]=$2
	if [ -n "${7:-}" ] && [ -n "${GBIT[$7]:-}" ]; then
		ratio=$(awk -v a="$2" -v b="${GBIT[$7]}" \
			'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }')
	fi
	printf '%-34s %7s %7s %7s %7s %7s %10s\n' "$1" "$2" "$3" "$4" "$5" \
		"$6" "$ratio"
}

# measure NAME NET VS PIDS...: the figures between a and b on net NET.
measure() {
	local name=$1 net=$2 vs=$3 t0 t1 g1 g4 kp rtt cpu hz
	shift 3
	hz=$(getconf CLK_TCK)
	t0=$(cpu_ticks "$@")
	g1=$(tcp a "198.19.$net.2" 1)
	t1=$(cpu_ticks "$@")
	cpu=$(awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$SECS" \
		'BEGIN { printf "%.0f%%", 100 * d / hz / s }')
	g4=$(tcp a "198.19.$net.2" 4)
	kp=$(udp_kpps a "198.19.$net.2")
	rtt=$(rtt_ms a "198.19.$net.2")
	row "$name" "$g1" "$g4" "$kp" "$rtt" "$cpu" "$vs"
}

# BENCH_EDGE_ROWS=REGEX measures only the rows whose names match it.
wanted() { [[ $1 =~ ${BENCH_EDGE_ROWS:-.} ]]; }

# pair NAME VS EDGE_BIN NET DATAPATH ARGS...: two edges, measured, gone;
# DATAPATH - is a stock edge (and the stock supernode).
pair() {
	local name=$1 vs=$2 bin=$3 net=$4 dp=$5 pa pb extra=() sn=7654
	shift 5
	wanted "$name" || return 0
	if [ "$dp" = - ]; then sn=7655; else extra=(--datapath="$dp"); fi
	# -A6: an identity key of its own for each edge
	local ida=() idb=()
	if [[ " $* " == *" -A6 "* ]]; then
		ida=(--identity "$T/$net-a.id") idb=(--identity "$T/$net-b.id")
	fi
	pa=$(on_bg a "$T/$net-a.log" "$bin" -c "bench$net" "$@" "${ida[@]}" \
		-a "198.19.$net.1/24" -d n2b -l 198.18.0.1:$sn -f "${extra[@]}")
	pb=$(on_bg b "$T/$net-b.log" "$bin" -c "bench$net" "$@" "${idb[@]}" \
		-a "198.19.$net.2/24" -d n2b -l 198.18.0.1:$sn -f "${extra[@]}")
	if lab_wait_for "$name up" 20 lab_exec a ping -c 1 -W 1 \
		"198.19.$net.2" >/dev/null; then
		sleep 3 # P2P settles (and the kernel path with it)
		measure "$name" "$net" "$vs" "$pa" "$pb"
	else
		row "$name" failed - - - - ""
	fi
	lab_kill "$pa"
	lab_kill "$pb"
}

vxlan() {	# the kernel's VXLAN between a and b: the ceiling
	local h n peer
	for h in a b; do
		n=$([ $h = a ] && echo 1 || echo 2)
		peer=$([ $h = a ] && echo 198.18.0.102 || echo 198.18.0.101)
		lab_exec $h ip link add vx0 type vxlan id 42 dstport 4789 \
			remote "$peer" dev eth0 &&
			lab_exec $h ip addr add "198.19.99.$n/24" dev vx0 &&
			lab_exec $h ip link set vx0 up || return 1
	done
	measure "kernel VXLAN (no crypto)" 99 ""
}

if [ -n "$PIN" ]; then
	echo "one CPU per edge host: a on CPU ${CPU[a]}, b on CPU ${CPU[b]};" \
		"TCP congestion control $(sysctl -n net.ipv4.tcp_congestion_control)"
else
	echo "CPUs shared (BENCH_EDGE_CPUS=shared);" \
		"TCP congestion control $(sysctl -n net.ipv4.tcp_congestion_control)"
fi
printf '%-34s %7s %7s %7s %7s %7s %10s\n' "edge P2P" "TCP x1" "TCP x4" \
	"kpps64" "RTT ms" "daemons" "vs stock"
printf '%-34s %7s %7s %7s %7s %7s %10s\n' "" "Gbit/s" "Gbit/s" "UDP" "" \
	"CPU" "(TCP x1)"
underlay() {	# the raw underlay a -> sn (a's NAT), and without GSO and TSO
	on_bg sn "$T/iperf-u.log" iperf3 -s -p 5202 >/dev/null
	lab_wait_port sn tcp 5202 5 || return 1
	row "underlay a -> sn, no VPN" "$(on a iperf3 -c 198.18.0.1 -p 5202 \
		-t "$SECS" -J 2>/dev/null | jq -r '(.end.sum_received.bits_per_second // 0) / 1e9 | . * 100 | round / 100')" \
		- - "$(rtt_ms a 198.18.0.1)" -
	lab_exec a ethtool -K eth0 gso off tso off >/dev/null 2>&1
	row "underlay a -> sn, GSO/TSO off" "$(on a iperf3 -c 198.18.0.1 \
		-p 5202 -t "$SECS" -J 2>/dev/null | jq -r '(.end.sum_received.bits_per_second // 0) / 1e9 | . * 100 | round / 100')" \
		- - - -
	lab_exec a ethtool -K eth0 gso on tso on >/dev/null 2>&1
}
! wanted "underlay" || underlay
! wanted "kernel VXLAN" || vxlan || row "kernel VXLAN (no crypto)" failed - - - -
net=20
for t in "-A1" "-k bench -A4" "-k bench -A5"; do
	tag=${t##* }
	# shellcheck disable=SC2086
	[ -z "$STOCK" ] || pair "stock n2n $tag" "" "$STOCK/edge" $net - $t
	# shellcheck disable=SC2086
	pair "n2nk $tag, socket path" "stock n2n $tag" "$OUT/sbin/edge" \
		$((net + 1)) socket $t
	# shellcheck disable=SC2086
	pair "n2nk $tag, kernel path" "stock n2n $tag" "$OUT/sbin/edge" \
		$((net + 2)) kernel $t
	net=$((net + 3))
done
# AES (-A3, n2n's default with a key): the kernel path uses the kernel's
# AES (--datapath=kernel: auto keeps -A3 on sockets where that is the
# portable C code, as on this lab's kernel).
[ -z "$STOCK" ] || pair "stock n2n -A3" "" "$STOCK/edge" 29 - -k bench -A3
pair "n2nk -A3, socket path" "stock n2n -A3" "$OUT/sbin/edge" 30 socket \
	-k bench -A3
pair "n2nk -A3, kernel path" "stock n2n -A3" "$OUT/sbin/edge" 31 kernel \
	-k bench -A3
# Header encryption (-H), n2n's recommendation, with ChaCha20.
[ -z "$STOCK" ] || pair "stock n2n -A4 -H" "" "$STOCK/edge" 43 - \
	-k bench -A4 -H
pair "n2nk -A4 -H, socket path" "stock n2n -A4 -H" "$OUT/sbin/edge" 44 \
	socket -k bench -A4 -H
pair "n2nk -A4 -H, kernel path" "stock n2n -A4 -H" "$OUT/sbin/edge" 45 \
	kernel -k bench -A4 -H
# -A6 (ours, docs/security.md): per-peer sessions, ChaCha20-Poly1305,
# against stock n2n's -A4 (ChaCha20 without authentication).
pair "n2nk -A6, socket path" "stock n2n -A4" "$OUT/sbin/edge" 50 socket \
	-k bench -A6
pair "n2nk -A6, kernel path" "stock n2n -A4" "$OUT/sbin/edge" 51 kernel \
	-k bench -A6
[ -z "$STOCK" ] || pair "stock n2n -A4, relayed (-S1)" "" "$STOCK/edge" \
	40 - -k bench -A4 -S1
pair "n2nk -A4 -S1, socket path" "stock n2n -A4, relayed (-S1)" \
	"$OUT/sbin/edge" 41 socket -k bench -A4 -S1
pair "n2nk -A4 -S1, kernel path" "stock n2n -A4, relayed (-S1)" \
	"$OUT/sbin/edge" 42 kernel -k bench -A4 -S1
# Relayed with -H: our supernode opens, checks and seals each header in XDP.
[ -z "$STOCK" ] || pair "stock n2n -A4 -H, relayed (-S1)" "" "$STOCK/edge" \
	46 - -k bench -A4 -H -S1
pair "n2nk -A4 -H -S1, socket path" "stock n2n -A4 -H, relayed (-S1)" \
	"$OUT/sbin/edge" 47 socket -k bench -A4 -H -S1
pair "n2nk -A4 -H -S1, kernel path" "stock n2n -A4 -H, relayed (-S1)" \
	"$OUT/sbin/edge" 48 kernel -k bench -A4 -H -S1

# The ceiling the BPF cost sets. One CPU per edge: the sender's CPU
# encrypts each frame, the receiver's decrypts it, and the slower of the
# two, doing nothing else, bounds the flow. CPUs shared: veth runs the
# receiver's softirq on the sender's CPU, so one CPU does both.
echo
echo "BPF cost per 1400-byte frame (PROG_TEST_RUN) and the ceiling it sets"
for t in -A1 -A3 -A4 -A5 -A6; do
	[ -n "${COST_TX[$t]:-}" ] || { echo "  $t: no cost (bpf-tests)"; continue; }
	[ -n "${GBIT["n2nk $t, kernel path"]:-}" ] || continue # not measured
	awk -v t="$t" -v tx="${COST_TX[$t]}" -v rx="${COST_RX[$t]}" -v pin="$PIN" \
		-v got="${GBIT["n2nk $t, kernel path"]:-0}" 'BEGIN {
		ns = pin ? (tx > rx ? tx : rx) : tx + rx
		c = 1400 * 8 / ns
		printf "  %s: edge_tx %d ns, edge_rx %d ns: %.2f Gbit/s (%s);", t, tx, rx, c,
			pin ? "one CPU per edge" : "one CPU for both"
		printf " kernel path measured %s Gbit/s = %.0f%%\n", got, (c > 0 ? 100 * got / c : 0) }'
done
# The same CPU also runs TCP, the segmenting pair, the veth hops and its
# NAT router for every frame. The -A1 kernel path measures all of that
# (its BPF cost aside) in this run; with each transform's BPF cost in
# place of -A1's, it is the ceiling of this path with that cipher.
a1=${GBIT["n2nk -A1, kernel path"]:-0}
if [ -n "$PIN" ] && [ -n "${COST_TX[-A1]:-}" ] && awk -v g="$a1" 'BEGIN { exit !(g > 0) }'; then
	echo "with this path's own per-frame cost (from the -A1 kernel row: 1400 B x 8 / $a1 Gbit/s):"
	for t in -A3 -A4 -A5 -A6; do
		[ -n "${COST_TX[$t]:-}" ] || continue
		[ -n "${GBIT["n2nk $t, kernel path"]:-}" ] || continue
		awk -v t="$t" -v a1="$a1" -v a1tx="${COST_TX[-A1]}" -v a1rx="${COST_RX[-A1]}" \
			-v tx="${COST_TX[$t]}" -v rx="${COST_RX[$t]}" \
			-v got="${GBIT["n2nk $t, kernel path"]:-0}" 'BEGIN {
			path = 1400 * 8 / a1 - (a1tx > a1rx ? a1tx : a1rx)
			ns = path + (tx > rx ? tx : rx)
			c = 1400 * 8 / ns
			printf "  %s: %d ns path + %d ns cipher: %.2f Gbit/s; kernel path measured %s Gbit/s = %.0f%%\n",
				t, path, (tx > rx ? tx : rx), c, got, 100 * got / c }'
	done
fi
