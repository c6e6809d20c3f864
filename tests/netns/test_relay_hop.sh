#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The XDP relay's next hops with IPv4 forwarding off: the supernode and two
# -S1 edges share one LAN segment, so each relayed frame must go to the
# destination edge's own MAC, not back to the sender's (what the relay
# did before relay_hops). The daemon copies the route and neighbour
# tables into relay_hops; every echo between the edges is relayed in XDP
# (xdp_relayed grows by exactly the echoes sent and answered) and the
# daemon forwards none of them. --datapath=auto picks the XDP relay
# although forwarding is off.
#
#                  wan: br0 (198.18.0.0/24)
#       +-----------------+-----------------+
#   +---+---+         +---+---+         +---+---+
#   |  sn   | .0.2    |   a   | .0.11   |   b   | .0.12
#   |  XDP  |         | -S1   |         | -S1   |   overlay 198.19.8.1/.2
#   +-------+         +-------+         +-------+
#   forwarding off
#
#   test_relay_hop.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

T=$(mktemp -d /tmp/n2nk-hop.XXXXXX)
lab_on_cleanup rm -rf "$T"

lab_init "$OUT" || exit 1
lab_add_public_host sn 198.18.0.2
lab_add_public_host a 198.18.0.11
lab_add_public_host b 198.18.0.12

# hops SN: relay_hops' entries, from `n2nctl maps`.
hops() {
	ctl_pick "$1" maps map relay_hops entries
}

# hops_at_least SN N: a predicate for lab_wait_for
hops_at_least() {
	local n
	n=$(hops "$1" 2>/dev/null) && [ "$n" -ge "$2" ]
}

# burst LABEL: 10 relayed echoes from a to b, every one answered, with
# the overlay neighbours pinned (no ARP): exactly 20 PACKETs in XDP.
burst() {
	local f1 f2 x1 x2
	pin_neigh a n2x 198.19.8.2 02:00:00:00:08:02
	pin_neigh b n2x 198.19.8.1 02:00:00:00:08:01
	f1=$(counter sn forwarded)
	x1=$(counter sn xdp_relayed)
	t_check "${1}10 of 10 relayed echoes answered" pings_all a 198.19.8.2 10
	f2=$(counter sn forwarded)
	x2=$(counter sn xdp_relayed)
	echo "${1}10 pings: xdp_relayed $x1 -> $x2, forwarded $f1 -> $f2"
	t_check_delta "${1}the kernel relayed the 10 requests and 10 replies" \
		"$x1" "$x2" -eq 20
	t_check_delta "${1}the daemon forwarded none of them" "$f1" "$f2" -eq 0
}

t_check_eq "IPv4 forwarding is off on sn" 0 \
	"$(lab_exec sn sysctl -n net.ipv4.ip_forward)"
t_require "the supernode starts with --datapath=auto" \
	sn_start sn sn -p 7654 --datapath=auto
t_check "auto picks the XDP relay with forwarding off" \
	grep -q 'datapath kernel.*XDP relay on eth0' "$T/sn.log"
t_check "the log says next hop from the route and neighbour tables" \
	grep -q "next hop from the route and neighbour tables" "$T/sn.log"
t_check "an XDP program is attached to sn's eth0" has_xdp sn

t_require "-S1 edges a and b register with sn" \
	relayed_edges 8 198.18.0.2:7654
t_check "relay_hops has both edges' next hops" \
	lab_wait_for "2 relay_hops entries" 5 hops_at_least sn 2
t_check "ping between the edges on one segment" pings a 198.19.8.2 5
burst ""

# a's next hop as the kernel has it: b's MAC on sn's eth0, not a's.
b_mac=$(lab_exec b cat /sys/class/net/eth0/address)
t_check "sn's neighbour entry for b is b's MAC" \
	grep -qi "$b_mac" <(lab_exec sn ip neigh show 198.18.0.12)

for e in a b; do lab_kill "$(cat "$T/$e.pid")"; done
sn_stop sn
t_check "stopping the supernode detaches XDP" \
	lab_wait_for "XDP detached" 5 no_xdp sn
t_summary
