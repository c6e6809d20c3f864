#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# MSS clamping (--mss-clamp): routers behind -r with a 1500-byte LAN on
# each side of a 1290-byte overlay.
#
#   l1 198.19.101.2 -- lan0 a (edge -r, 198.19.100.1) ==overlay== b (edge -r,
#   198.19.100.2) lan0 -- l2 198.19.102.2;  a, b, sn on br0 (198.18.0.0/24)
#
# Edges bind their address (-p IP:PORT). Proves, on the kernel path and
# the socket path: a TCP connection from l1
# to l2 (iperf3, both directions) completes, l1 and l2 receive no ICMP
# "fragmentation needed" (their segments fit the overlay from the first
# SYN on), and the SYN and SYN-ACK reach l2 and l1 with MSS 1250 (1290 -
# 40) on the wire (tcpdump). The control, --mss-clamp=off: the same flow
# costs l1 a "fragmentation needed", so the test would see a clamp missing.
#   test_mss_clamp.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

T=$(mktemp -d /tmp/n2nk-mss.XXXXXX)
lab_on_cleanup rm -rf "$T"

lab_init "$OUT" || exit 1
lab_add_public_host sn 198.18.0.1
lab_add_public_host a 198.18.0.11
lab_add_public_host b 198.18.0.12

# lan HOST N: a LAN host lN (198.19.10N.2) behind HOST's lan0 (.1).
lan() {
	local ns host_ns
	lab_netns_add "l$2" || return 1
	ns=$(lab_ns "l$2")
	host_ns=$(lab_ns "$1")
	ip -n "$host_ns" link add lan0 type veth peer name eth0 netns "$ns" &&
		ip -n "$host_ns" addr add "198.19.10$2.1/24" dev lan0 &&
		ip -n "$host_ns" link set lan0 up &&
		ip -n "$ns" addr add "198.19.10$2.2/24" dev eth0 &&
		ip -n "$ns" link set eth0 up &&
		ip -n "$ns" route add default via "198.19.10$2.1" &&
		ip netns exec "$host_ns" sysctl -qw net.ipv4.ip_forward=1
}
t_require "LAN behind a" lan a 1
t_require "LAN behind b" lan b 2

lab_bg sn "$T/sn.log" "$SN" -p 7654 -f -v --ctl-socket="$T/sn.sock" \
	>"$T/sn.pid"
t_require "supernode control socket" \
	lab_wait_for "sn socket" 5 test -S "$T/sn.sock"

# The ICMP destination-unreachable messages HOST has received.
unreach_in() {
	lab_exec "$1" awk '/^Icmp:/ { if (!h) { for (i = 1; i <= NF; i++)
		if ($i == "InDestUnreachs") c = i; h = 1 } else print $c }' \
		/proc/net/snmp
}

# run TAG NET DATAPATH CLAMP: edges a and b of community mNET, routes
# between the LANs through the overlay 198.19.NET.0/24, then the flows.
run() {
	local tag=$1 net=$2 dp=$3 clamp=$4 n
	for n in 1 2; do
		local h; h=$([ $n = 1 ] && echo a || echo b)
		lab_bg "$h" "$T/$tag$h.log" "$EDGE" -f -v -i 4 -r \
			--ctl-socket="$T/$tag$h.sock" -c "m$net" -k s3cret -A4 \
			-a "198.19.$net.$n/24" -d "n2m$net" \
			-m "02:00:00:00:$net:0$n" -p "198.18.0.1$n:5$net""0$n" \
			-l 198.18.0.1:7654 --datapath="$dp" \
			--mss-clamp="$clamp" >"$T/$tag$h.pid"
	done
	t_require "$tag: edges register" lab_wait_for "$tag registered" 15 \
		registered "${tag}a" && lab_wait_for "$tag b" 15 \
		registered "${tag}b"
	t_check_eq "$tag: datapath $dp" "$dp" "$(info_field "${tag}a" datapath)"
	lab_exec a ip route replace 198.19.102.0/24 via "198.19.$net.2"
	lab_exec b ip route replace 198.19.101.0/24 via "198.19.$net.1"
	t_check "$tag: l1 pings l2 through the overlay" pings l1 198.19.102.2 5
	flows "$tag" "$clamp"
	# Bound to an address (-p IP:PORT), as the kernel path must cope with.
	[ "$dp" != kernel ] ||
		t_check_num "$tag: the kernel carried frames (bound address)" \
			"$(counter "${tag}a" tc_tx_sent)" -ge 100
	for n in a b; do lab_kill "$(cat "$T/$tag$n.pid")"; done
}

tcp_to() {	# tcp_to HOST DST PORT: a 2-second iperf3 run completes
	lab_exec "$1" iperf3 -c "$2" -p "$3" -t 2 >/dev/null
}

# flows TAG CLAMP: SYNs captured at both LANs, iperf3 both ways.
flows() {
	local tag=$1 clamp=$2 before cap1 cap2
	cap1=$(lab_bg l1 "$T/$tag-l1.cap" timeout 15 tcpdump -i eth0 -nn -l \
		-c 1 'tcp[13] == 0x12 and port 5201')
	cap2=$(lab_bg l2 "$T/$tag-l2.cap" timeout 15 tcpdump -i eth0 -nn -l \
		-c 1 'tcp[13] == 0x02 and port 5201')
	sleep 1 # tcpdump attached
	lab_bg l2 "$T/$tag-iperf.log" iperf3 -s -1 -p 5201 >/dev/null
	lab_wait_port l2 tcp 5201 5
	before=$(unreach_in l1)
	t_check "$tag: TCP l1 -> l2 completes" tcp_to l1 198.19.102.2 5201
	lab_wait_for "$tag tcpdump" 5 lab_pid_gone "$cap1"
	lab_wait_for "$tag tcpdump" 5 lab_pid_gone "$cap2"
	if [ "$clamp" = off ]; then
		t_check_delta "$tag: control: l1 gets fragmentation needed" \
			"$before" "$(unreach_in l1)" -ge 1
		t_check "$tag: control: l2 sees the SYN's MSS 1460" \
			grep -q 'mss 1460' "$T/$tag-l2.cap"
		return
	fi
	t_check_delta "$tag: l1 gets no fragmentation needed" "$before" \
		"$(unreach_in l1)" -eq 0
	t_check "$tag: l2 sees the SYN with MSS 1250" \
		grep -q 'mss 1250' "$T/$tag-l2.cap"
	t_check "$tag: l1 sees the SYN-ACK with MSS 1250" \
		grep -q 'mss 1250' "$T/$tag-l1.cap"
	lab_bg l1 "$T/$tag-iperf2.log" iperf3 -s -1 -p 5202 >/dev/null
	lab_wait_port l1 tcp 5202 5
	before=$(unreach_in l2)
	t_check "$tag: TCP l2 -> l1 completes" tcp_to l2 198.19.101.2 5202
	t_check_delta "$tag: l2 gets no fragmentation needed" "$before" \
		"$(unreach_in l2)" -eq 0
}

if ! command -v tcpdump >/dev/null; then
	t_skip "MSS clamping" "no tcpdump to see the SYNs"
	t_summary
	exit
fi
run k 31 kernel auto
run s 32 socket auto
run o 33 socket off

t_summary
