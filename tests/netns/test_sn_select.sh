#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Supernode selection as n2n 3.1.1 does it (n2n-protocol.md 4.3): an edge
# with two supernodes PINGs both and moves to the one with the lowest
# criterion. Proves:
#  --select-mac: listed first, the supernode with the higher MAC is left
#   for the one with the lower MAC (n2nctl supernodes says so, with the
#   MAC as the criterion); the default (load): the edge stays on the first
#   one (both answer load 0, the current one is sticky), showing both
#   loads; --select-rtt: a supernode behind a relay that holds every
#   datagram 300 ms (udp_delay.py; no netem here) is left for a near one,
#   n2nctl shows the RTTs; with the load the edge stays on it.
#  With N2N_STOCK_DIR (a stock n2n 3.1.1 build): --select-mac with a
#   stock supernode and ours, both ways round (the lower MAC is chosen
#   whichever kind it is), and the default load keeps the first.
#
#   br0 198.18.0.0/24: sn1 .1 (MAC ...:09), sn2 .2 (MAC ...:01), far .3
#   (udp_delay to sn2, 300 ms), stock .4 (stock supernode); edges e1..e8
#   on .11-.18, overlay 198.19.40-47.0/24.
#   test_sn_select.sh BUILD_DIR [STOCK_DIR]
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
STOCK=${2:-${N2N_STOCK_DIR:-}}
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

T=$(mktemp -d /tmp/n2nk-select.XXXXXX)
lab_on_cleanup rm -rf "$T"

lab_init "$OUT" || exit 1
for h in sn1:1 sn2:2 far:3 stock:4; do
	lab_add_public_host "${h%:*}" "198.18.0.${h#*:}"
done
for n in 1 2 3 4 5 6 7 8; do lab_add_public_host "e$n" "198.18.0.1$n"; done
t_require "supernode sn1" sn_start sn1 sn1 -p 7654 --datapath=socket \
	-m 02:00:00:00:00:09
t_require "supernode sn2" sn_start sn2 sn2 -p 7654 --datapath=socket \
	-m 02:00:00:00:00:01
lab_bg far "$T/far.log" python3 "$HERE/udp_delay.py" 7654 198.18.0.2 7654 \
	300 >/dev/null
t_require "the delaying relay" lab_wait_port far udp 7654

edge() {	# edge N ARGS...: edge eN on host eN, overlay 198.19.4N.1
	local n=$1
	shift
	lab_bg "e$n" "$T/e$n.log" "$EDGE" -f -v -c sel -a "198.19.4$n.1/24" \
		-d n2s -p "5400$n" --datapath=socket --ctl-socket="$T/e$n.sock" \
		"$@" >"$T/e$n.pid"
}
current() {	# current NAME: the host:port of its current supernode
	ctl_rows "$1" supernodes |
		jq -r '.rows[] | select(.current == true) | .host'
}
selection() {	# selection NAME HOST:PORT: that supernode's criterion
	ctl_rows "$1" supernodes |
		jq -r --arg h "$2" '.rows[] | select(.host == $h) | .selection'
}
is_current() { [ "$(current "$1")" = "$2" ]; }
# settled NAME HOST:PORT: registered with HOST:PORT, and the first PONG
# round sorted (3 s at most after start; 8 s here).
settled() {
	lab_wait_for "$1 registered" 15 registered "$1" || return 1
	sleep 5
	lab_wait_for "$1 on $2" 10 is_current "$1" "$2" ||
		{ ctl_rows "$1" supernodes >&2; tail -n 20 "$T/$1.log" >&2; return 1; }
}

S1=198.18.0.1:7654 S2=198.18.0.2:7654 FAR=198.18.0.3:7654
edge 1 -l $S1 -l $S2 --select-mac
edge 2 -l $S1 -l $S2
edge 3 -l $FAR -l $S1 --select-rtt
edge 4 -l $FAR -l $S1
t_check "--select-mac: moves to the lower MAC (sn2)" settled e1 $S2
t_check "--select-mac: shows the MAC" grep -q 'mac = 020000000001' \
	<<<"$(selection e1 $S2)"
t_check "--select-mac: logged why" grep -q 'is the best (mac = ' "$T/e1.log"
t_check "load: stays on the first (sn1)" settled e2 $S1
t_check "load: shows sn2's load 0" grep -qx 'load = 0' \
	<<<"$(selection e2 $S2)"
t_check "--select-rtt: leaves the far supernode for sn1" settled e3 $S1
far_rtt=$(selection e3 $FAR | sed -n 's/^rtt = \([0-9]*\) ms$/\1/p')
t_check_num "--select-rtt: the far one's RTT is the relay's 2 x 300 ms" \
	"${far_rtt:-x}" -ge 600
t_check "load: stays on the far supernode" settled e4 $FAR

if [ -n "$STOCK" ] && [ -x "$STOCK/supernode" ]; then
	lab_bg stock "$T/stock.log" "$STOCK/supernode" -p 7654 -f -v \
		-m 02:00:00:00:00:05 >"$T/stock.pid"
	t_require "stock supernode" lab_wait_port stock udp 7654
	ST=198.18.0.4:7654
	edge 5 -l $S1 -l $ST --select-mac # stock's MAC is the lower
	edge 6 -l $ST -l $S2 --select-mac # ours is the lower
	edge 7 -l $ST -l $S1
	t_check "mixed, --select-mac: ours (:09) -> stock (:05)" settled e5 $ST
	t_check "mixed, --select-mac: stock (:05) -> ours (:01)" settled e6 $S2
	t_check "mixed, load: stays on the stock supernode" settled e7 $ST
	t_check "mixed: stock's PONG gives load 0" grep -qx 'load = 0' \
		<<<"$(selection e7 $S1)"
else
	t_skip "mixed with a stock supernode" "no N2N_STOCK_DIR"
fi
t_summary
