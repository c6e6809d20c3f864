#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# -r bridging: a host behind an edge's bridged TAP, reached from another
# edge (the MAC learning n2n added after 3.1.1). Proves:
#  h (a namespace on a Linux bridge with edge a's TAP) and edge b ping
#  each other, on the socket path and on the kernel path; b learnt h behind a (`bridge_hosts` 1) and its frames
#  to h went to a (a's `rx_p2p` or `rx_supernode` grew by the echoes);
#  a flood of 3000 frames from random source MACs through a to b leaves
#  b's table at its cap (1024, `bridge_hosts`), counts the evictions, and
#  h still reaches b afterwards (its entry is learnt again).
#  Without -r on b, b learns nothing (control: `bridge_hosts` 0 and the
#  ping fails, as with stock n2n 3.1.1, which has no learning).
#  With N2N_STOCK_DIR: h behind a stock n2n 3.1.1 edge (-r) and our b
#  (-r) ping each other (our b learns; the stock edge needs not).
#
#   br0 198.18.0.0/24: sn .1, a .11, b .12, c .13; h behind a: bridge brh
#   in a holding a's TAP and a veth to h (198.19.50.3, MAC
#   02:00:00:00:50:33); overlay 198.19.50.0/24 (a .1, b .2, c .4).
#   test_bridge.sh BUILD_DIR [STOCK_DIR]
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
STOCK=${2:-${N2N_STOCK_DIR:-}}
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

T=$(mktemp -d /tmp/n2nk-bridge.XXXXXX)
lab_on_cleanup rm -rf "$T"

lab_init "$OUT" || exit 1
lab_add_public_host sn 198.18.0.1
lab_add_public_host a 198.18.0.11
lab_add_public_host b 198.18.0.12
lab_add_public_host c 198.18.0.13
t_require "supernode" sn_start sn sn -p 7654 --datapath=socket

H_MAC=02:00:00:00:50:33
host_h() {	# h: on bridge brh in a, with a veth
	local ns a_ns
	lab_netns_add h || return 1
	ns=$(lab_ns h)
	a_ns=$(lab_ns a)
	ip -n "$a_ns" link add brh type bridge &&
		ip -n "$a_ns" link set brh up &&
		ip -n "$a_ns" link add hv0 type veth peer name eth0 netns "$ns" &&
		ip -n "$a_ns" link set hv0 master brh &&
		ip -n "$a_ns" link set hv0 up &&
		ip -n "$ns" link set eth0 address $H_MAC &&
		ip -n "$ns" addr add 198.19.50.3/24 dev eth0 &&
		ip -n "$ns" link set eth0 up
}
t_require "host h behind a's bridge" host_h

edge() {	# edge NAME N DATAPATH ARGS...
	local name=$1 n=$2 dp=$3
	shift 3
	lab_bg "$name" "$T/$name.log" "$EDGE" -f -v -i 4 -c br -k s3cret -A4 \
		-a "198.19.50.$n/24" -d n2b -m "02:00:00:00:50:0$n" \
		-p "5500$n" -l 198.18.0.1:7654 --datapath="$dp" \
		--ctl-socket="$T/$name.sock" "$@" >"$T/$name.pid"
}
wait_registered() {
	local n
	for n in "$@"; do
		lab_wait_for "$n registered" 15 registered "$n" ||
			{ tail -n 20 "$T/$n.log"; return 1; }
	done
}
stop() { lab_kill "$(cat "$T/$1.pid")"; }
table_full() { [ "$(counter "$1" bridge_hosts)" -ge 1024 ]; }

# run DATAPATH: a and b with -r, h behind a.
run() {
	local dp=$1 before
	edge a 1 "$dp" -r
	edge b 2 "$dp" -r
	t_require "$dp: edges register" wait_registered a b
	lab_exec a ip link set n2b master brh
	t_check "$dp: h pings b" pings h 198.19.50.2 5
	t_check "$dp: b pings h" pings b 198.19.50.3 5
	t_check_num "$dp: b learnt h behind a" "$(counter b bridge_hosts)" -ge 1
	before=$(($(counter a rx_p2p) + $(counter a rx_supernode)))
	t_check "$dp: 10 echoes b -> h" pings_all b 198.19.50.3 10
	t_check_num "$dp: a took b's frames to h" \
		$(($(counter a rx_p2p) + $(counter a rx_supernode) - before)) \
		-ge 10
	[ "$dp" = socket ] || return 0
	t_check "flood: 3000 frames sent from h" lab_exec h python3 \
		"$HERE/mac_flood.py" eth0 02:00:00:00:50:02 198.19.50.2 3000
	lab_wait_for "b's table full" 15 table_full b
	t_check_eq "flood: b's table at its cap" 1024 \
		"$(counter b bridge_hosts)"
	t_check_num "flood: evictions counted" \
		"$(counter b bridge_evicted)" -ge 1
	lab_exec b ip neigh flush dev n2b
	t_check "flood: b still reaches h" pings b 198.19.50.3 5
}
run socket
stop a; stop b
lab_exec a ip link del n2b 2>/dev/null
run kernel
stop a; stop b

# Control: b without -r learns nothing and cannot reach h.
lab_exec a ip link del n2b 2>/dev/null
edge a 1 socket -r
edge c 4 socket
t_require "control: edges register" wait_registered a c
lab_exec a ip link set n2b master brh
t_check "control: without -r, c does not reach h" no_reply c 198.19.50.3 3
t_check_eq "control: c learnt nothing" 0 "$(counter c bridge_hosts)"
stop a; stop c

# Mixed: h behind a stock n2n 3.1.1 edge (-r). Stock learns nothing, but
# only the sender needs to: ours sends frames for h to the stock edge's
# MAC, and the stock edge writes them to its TAP.
stock_tap() { lab_exec a ip link show n2b >/dev/null 2>&1; }
if [ -n "$STOCK" ] && [ -x "$STOCK/edge" ]; then
	lab_exec a ip link del n2b 2>/dev/null
	lab_bg a "$T/stock.log" "$STOCK/edge" -f -c br -k s3cret -A4 \
		-a 198.19.50.1/24 -d n2b -m 02:00:00:00:50:01 -p 55001 \
		-l 198.18.0.1:7654 -r >"$T/stock.pid"
	edge b 2 socket -r
	t_require "mixed: edges register" wait_registered b
	t_require "mixed: the stock edge's TAP" lab_wait_for "stock TAP" 15 \
		stock_tap
	sleep 3 # its registration
	lab_exec a ip link set n2b master brh
	t_check "mixed: h behind a stock edge pings our b" pings h 198.19.50.2 5
	t_check "mixed: our b pings h behind the stock edge" \
		pings b 198.19.50.3 5
	t_check_num "mixed: b learnt h behind the stock edge" \
		"$(counter b bridge_hosts)" -ge 1
else
	t_skip "mixed with a stock edge" "no N2N_STOCK_DIR"
fi
t_summary
