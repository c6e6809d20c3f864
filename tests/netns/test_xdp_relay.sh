#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The supernode with --datapath=kernel: the XDP relay on sn1's eth0 relays
# the PACKETs of two -S1 edges behind full-cone NATs without waking the
# daemon (xdp_relayed grows by exactly the echoes sent and answered, the
# userspace "forwarded" counter does not move), and stopping the supernode
# detaches the program.
#
# Part 1: IPv4 forwarding is off on sn1 (the default), so the kernel's FIB
# lookup refuses to answer (bpf_fib_lookup() needs forwarding on the
# ingress interface) and the next hops come from the route and neighbour
# tables the daemon copies into relay_hops: here every edge is behind
# nat3, sn1's gateway, which DNATs its port as a home router would.
# Part 2: sn2 sits on the flat segment itself, the edges' NAT routers are
# its direct neighbours, and forwarding is on on its eth0: next hops come
# from the FIB and the neighbour table.
#
#                  wan: br0 (198.18.0.0/24)
#       +-----------------+-----------------+
#   +---+---+         +---+---+         +---+---+
#   | nat3  | .0.103  | nat1  | .0.101  | nat2  | .0.102   all full cone
#   +---+---+         +---+---+         +---+---+
#   +---+---+         +---+---+         +---+---+
#   |  sn1  | .3.2    |   a   | .1.2    |   b   | .2.2
#   |  XDP  |         | -S1   |         | -S1   |   overlay 198.19.7.1/.2
#   +-------+         +-------+         +-------+
#
# Checksums: relayed frames carry a right UDP checksum (updated from the
# sender's), so the edges' stacks count no UdpInCsumErrors. The lab's
# hosts send full checksums, as on a wire (lab.sh); with edge a's veth
# offload back on, its frames carry only the pseudo-header sum
# (CHECKSUM_PARTIAL), which the relay leaves to the daemon
# (xdp_checksum_partial), and the pings still go through.
#   test_xdp_relay.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

T=$(mktemp -d /tmp/n2nk-xdp.XXXXXX)
lab_on_cleanup rm -rf "$T"

lab_init "$OUT" || exit 1
lab_add_nat_host sn1 3 full
lab_add_nat_host a 1 full
lab_add_nat_host b 2 full
lab_add_public_host sn2 198.18.0.2

# burst SN LABEL: 10 relayed echoes from a to b, every one answered. The
# neighbours are pinned (no ARP), so the relay sees exactly 20 PACKETs:
# 10 requests, 10 replies, and the daemon none.
burst() {
	local f1 f2 x1 x2
	pin_neigh a n2x 198.19.7.2 02:00:00:00:07:02
	pin_neigh b n2x 198.19.7.1 02:00:00:00:07:01
	f1=$(counter "$1" forwarded)
	x1=$(counter "$1" xdp_relayed)
	t_check "${2}10 of 10 relayed echoes answered" pings_all a 198.19.7.2 10
	f2=$(counter "$1" forwarded)
	x2=$(counter "$1" xdp_relayed)
	echo "${2}10 pings: xdp_relayed $x1 -> $x2, forwarded $f1 -> $f2"
	t_check_delta "${2}the kernel relayed the 10 requests and 10 replies" \
		"$x1" "$x2" -eq 20
	t_check_delta "${2}the daemon forwarded none of them" "$f1" "$f2" -eq 0
}

# csum_errors HOST: the UDP checksum errors its stack counted.
csum_errors() {
	lab_exec "$1" awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++)
		if ($i == "InCsumErrors") c = i; h = 1 } else print $c }' \
		/proc/net/snmp
}

# checksums SN LABEL: none bad at the edges, none left to offload.
checksums() {
	t_check_eq "${2}a's stack: no UDP checksum errors" 0 "$(csum_errors a)"
	t_check_eq "${2}b's stack: no UDP checksum errors" 0 "$(csum_errors b)"
	t_check_eq "${2}no frame came with a partial checksum" 0 \
		"$(counter "$1" xdp_checksum_partial)"
}

t_require "the supernode starts with --datapath=kernel" \
	sn_start sn1 sn1 -p 7654 --datapath=kernel
t_check "the supernode logs the kernel datapath" \
	grep -q 'datapath kernel.*XDP relay on eth0' "$T/sn1.log"
t_check "forwarding off: the log says next hop from the tables" \
	grep -q "next hop from the route and neighbour tables" "$T/sn1.log"
t_check "an XDP program is attached to sn1's eth0" has_xdp sn1

t_require "-S1 edges a and b register with sn1" \
	relayed_edges 7 198.18.0.103:7654

t_check "ping through the XDP relay" pings a 198.19.7.2 5
t_check_num "xdp_relayed counts relayed packets" \
	"$(counter sn1 xdp_relayed)" -gt 0

burst sn1 ""
checksums sn1 ""

# a's offload back on: its frames reach the relay with the pseudo-header
# sum only, and the daemon relays them.
lab_exec a ethtool -K eth0 tx on >/dev/null
p1=$(counter sn1 xdp_checksum_partial)
f1=$(counter sn1 forwarded)
t_check "offload on at a: 5 of 5 echoes answered" pings_all a 198.19.7.2 5
t_check_delta "offload on at a: its 5 requests left to the daemon" \
	"$p1" "$(counter sn1 xdp_checksum_partial)" -eq 5
t_check_delta "offload on at a: the daemon forwarded them" \
	"$f1" "$(counter sn1 forwarded)" -ge 5
t_check_eq "offload on at a: b's stack counted no checksum errors" 0 \
	"$(csum_errors b)"
lab_exec a ethtool -K eth0 tx off >/dev/null

sn_stop sn1
t_check "stopping the supernode detaches XDP" \
	lab_wait_for "XDP detached" 5 no_xdp sn1
for e in a b; do lab_kill "$(cat "$T/$e.pid")"; done

# Part 2: next hops from the FIB, on the flat segment.
lab_exec sn2 sysctl -qw net.ipv4.conf.eth0.forwarding=1
t_require "sn2 starts with --datapath=kernel" \
	sn_start sn2 sn2 -p 7654 --datapath=kernel
t_check "forwarding on: the log says next hop from the FIB" \
	grep -q 'next hop from the FIB' "$T/sn2.log"
t_require "-S1 edges a and b register with sn2" \
	relayed_edges 7 198.18.0.2:7654 -2
t_check "ping through sn2's XDP relay" pings a 198.19.7.2 5
burst sn2 "FIB: "
checksums sn2 "FIB: "
t_summary
