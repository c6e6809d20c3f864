#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench: throughput (iperf3 TCP) and RTT (ping) across the VPN in the
# namespace lab: the bare underlay as the ceiling, our edges P2P and
# relayed (-S1), relayed by the XDP relay too, and, when N2N_STOCK_DIR
# points at a stock n2n build the user made, stock n2n edges and supernode
# the same way, side by side. Then the edge's kernel data path against
# its socket path and stock n2n, per transform (tools/bench-edge.sh), and
# the supernode relay benchmark (tools/bench-relay.sh: packets per second
# and CPU per packet).
#   bench.sh BUILD_DIR [SECONDS]
set -u
OUT=$(cd "${1:-.output}" && pwd)
SECS=${2:-5}
TOP=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../tests/netns/lab.sh
source "$TOP/tests/netns/lab.sh"
T=$(mktemp -d /tmp/n2nk-bench.XXXXXX)
lab_on_cleanup rm -rf "$T"
STOCK=${N2N_STOCK_DIR:-}

lab_init "$OUT" >/dev/null || exit 1
lab_add_public_host sn 198.18.0.1
# The XDP relay sends a frame back to the Ethernet address it came from
# (include/n2nk_relay.h), so its supernode sits behind one router, nat3,
# reached at 198.18.0.103:7654 through the full-cone DNAT.
lab_add_nat_host sn2 3 full
lab_add_nat_host a 1 full
lab_add_nat_host b 2 full
lab_bg b "$T/iperf.log" iperf3 -s -p 5201 >/dev/null
lab_bg sn "$T/iperf-sn.log" iperf3 -s -p 5201 >/dev/null
lab_wait_port b tcp 5201 5 || exit 1
lab_wait_port sn tcp 5201 5 || exit 1

gbits() {	# gbits HOST DST: iperf3 TCP for SECS seconds, Gbit/s received
	lab_exec "$1" iperf3 -c "$2" -p 5201 -t "$SECS" -J 2>/dev/null |
		jq -r '(.end.sum_received.bits_per_second // 0) / 1e9 |
			. * 1000 | round / 1000'
}

# The figures of each row, kept for the ratio columns.
declare -A GBIT RTT

row() {		# row NAME GBITS RTT [VS]: print, remember, ratio against VS
	local ratio=-
	GBIT[$1]=$2 RTT[$1]=$3
	if [ -n "${4:-}" ] && [ -n "${GBIT[$4]:-}" ]; then
		ratio=$(awk -v a="$2" -v b="${GBIT[$4]}" \
			'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }')
	fi
	printf '%-30s %8s %8s %10s\n' "$1" "$2" "$3" "$ratio"
}

rtt_ms() {	# rtt_ms HOST DST: average of 50 pings, ms
	lab_exec "$1" ping -q -c 50 -i 0.02 "$2" 2>/dev/null |
		sed -nE 's|.* = [0-9.]+/([0-9.]+)/.*|\1|p'
}

# run_at SN_HOST SN_AT SN_ARGS NAME VS SN_BIN EDGE_BIN NET EXTRA...: one
# network with its supernode on SN_HOST (extra words SN_ARGS), reached by
# the edges at SN_AT; measured, removed.
run_at() {
	local host=$1 at=$2 snargs=$3 name=$4 vs=$5 snb=$6 edgeb=$7 net=$8 pids
	shift 8
	# shellcheck disable=SC2086
	pids=$(lab_bg "$host" "$T/$name-sn.log" "$snb" -p 7654 -f $snargs)
	pids="$pids $(lab_bg a "$T/$name-a.log" "$edgeb" -c bench -k bench \
		-A4 -a "198.19.$net.1/24" -d n2b -l "$at" -f "$@")"
	pids="$pids $(lab_bg b "$T/$name-b.log" "$edgeb" -c bench -k bench \
		-A4 -a "198.19.$net.2/24" -d n2b -l "$at" -f "$@")"
	if lab_wait_for "$name up" 20 lab_exec a ping -c 1 -W 1 \
		"198.19.$net.2" >/dev/null; then
		sleep 2	# let P2P settle before measuring
		row "$name" "$(gbits a "198.19.$net.2")" \
			"$(rtt_ms a "198.19.$net.2")" "$vs"
	else
		row "$name" failed - ""
	fi
	for p in $pids; do lab_kill "$p"; done
	sleep 1
}

# run NAME VS SN_BIN EDGE_BIN NET EXTRA...: the supernode on the public
# segment.
run() {
	run_at sn 198.18.0.1:7654 "" "$@"
}

printf '%-30s %8s %8s %10s\n' "TCP, ChaCha20 (-A4)" "Gbit/s" "RTT ms" \
	"vs stock"
row "underlay, no VPN" "$(gbits a 198.18.0.1)" "$(rtt_ms a 198.18.0.1)"
if [ -n "$STOCK" ]; then
	run "stock n2n P2P" "" "$STOCK/supernode" "$STOCK/edge" 12
	run "stock n2n relayed (-S1)" "" "$STOCK/supernode" "$STOCK/edge" 13 -S1
fi
run "n2nk P2P" "stock n2n P2P" "$OUT/sbin/supernode" "$OUT/sbin/edge" 10
run "n2nk relayed (-S1)" "stock n2n relayed (-S1)" "$OUT/sbin/supernode" \
	"$OUT/sbin/edge" 11 -S1
run_at sn2 198.18.0.103:7654 --datapath=kernel \
	"n2nk relayed (-S1), XDP relay" "stock n2n relayed (-S1)" \
	"$OUT/sbin/supernode" "$OUT/sbin/edge" 14 -S1

echo
"$TOP/tools/bench-edge.sh" "$OUT" "$SECS"
echo
"$TOP/tools/bench-relay.sh" "$OUT" "$SECS"
echo
# -A6's AEAD in BPF against libsodium on one core (PROG_TEST_RUN).
"$OUT/tests/bpf-tests" aead-bench
