#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The XDP relay over IPv6, end to end in namespaces: edges a and b and the
# supernode sn1 on one segment (2001:db8::/64 on br0). Our daemons do not
# register edges over IPv6 yet, so tests/netns/relay6_probe stands in for
# the supernode: it loads and attaches the relay as the supernode does
# (xdp_relay_loader_open, bound to any) and puts the two edges in its maps
# as the daemon's mirror does (xdp_relay_loader_edge_set with IPv6
# sockaddrs). Every PACKET a sends to sn1 must reach b's socket (so b's
# stack accepted its UDP checksum) exactly as the daemon's socket relay
# would send it (daemon/proto/wire.c), relayed in XDP (the relay's
# counters), with next hops from relay_hops6 (IPv6 forwarding off: the
# daemon's copy of the route and neighbour tables), then from the FIB
# (forwarding on).
# Then with the daemons themselves (IPv6 underlay): a dual-stack supernode
# on sn1 with --datapath=kernel, edges a and b -S1 over IPv6 only: 10
# relayed echoes are exactly 20 xdp_relayed PACKETs and none forwarded by
# the daemon; an IPv4 edge c and an IPv6 edge of one community reach each
# other through the daemon (xdp_other_family).
#   test_xdp_relay6.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

T=$(mktemp -d /tmp/n2nk-xdp6.XXXXXX)
lab_on_cleanup rm -rf "$T"
PROBE="$OUT/tests/netns/relay6_probe"
COUNT=40
SN6=2001:db8::1 A6=2001:db8::a B6=2001:db8::b

lab_init "$OUT" || exit 1
lab_add_public_host sn1 198.18.0.1
lab_add_public_host a 198.18.0.10
lab_add_public_host b 198.18.0.11
lab_add_public_host c 198.18.0.12
for h in sn1:$SN6 a:$A6 b:$B6; do
	lab_exec "${h%%:*}" ip -6 addr add "${h#*:}/64" dev eth0 nodad
done

csum_errors() {	# csum_errors HOST: UDP checksum errors its stack counted
	lab_exec "$1" awk '/^Udp6InCsumErrors/ { print $2 }' /proc/net/snmp6
}

# run LABEL: the probe relays COUNT PACKETs from a to b.
run() {
	local pid log="$T/serve-$1.log" relayed
	# The neighbours first, as traffic would have them.
	lab_exec sn1 ping -6 -c1 -W2 "$A6" >/dev/null 2>&1
	lab_exec sn1 ping -6 -c1 -W2 "$B6" >/dev/null 2>&1
	pid=$(lab_bg sn1 "$log" "$PROBE" serve 7654 30 "[$A6]:41001" \
		"[$B6]:41002")
	t_check "$1: the relay is attached" \
		lab_wait_for "attached" 10 grep -q '^attached' "$log"
	sleep 1 # a tick of next hops
	t_check "$1: $COUNT of $COUNT PACKETs reach b as the socket relay sends them" \
		"$PROBE" send "$SN6" 7654 "$(lab_ns a)" "$A6" 41001 \
		"$(lab_ns b)" "$B6" 41002 "$COUNT"
	lab_kill "$pid"
	lab_wait_for "the probe's counters" 5 grep -q '^relayed\|^$' "$log"
	cat "$log"
	relayed=$(awk '$1 == "relayed" { print $2 }' "$log")
	t_check_eq "$1: every one relayed in XDP" "$COUNT" "${relayed:-0}"
	t_check_eq "$1: b's stack counted no UDP checksum errors" 0 \
		"$(csum_errors b)"
}

t_check "IPv6 forwarding off on sn1" \
	test "$(lab_exec sn1 sysctl -n net.ipv6.conf.eth0.forwarding)" = 0
run "tables"
t_check "the probe said: IPv6 next hop from the tables" \
	grep -q 'IPv6 next hop from the tables' "$T/serve-tables.log"
lab_exec sn1 sysctl -qw net.ipv6.conf.eth0.forwarding=1
run "FIB"
t_check "the probe said: IPv6 next hop from the FIB" \
	grep -q 'IPv6 next hop from the FIB' "$T/serve-FIB.log"

# --- the daemons: IPv6 edges registered by the supernode itself ---
lab_exec sn1 sysctl -qw net.ipv6.conf.eth0.forwarding=0
start_edge() {	# start_edge NAME HOST ARGS...
	local name=$1 host=$2
	shift 2
	lab_bg "$host" "$T/$name.log" "$EDGE" -f -i 4 \
		--ctl-socket="$T/$name.sock" "$@" >"$T/$name.pid"
}
t_require "dual-stack supernode with --datapath=kernel" \
	sn_start sn1 sn1 -p 7654 --datapath=kernel
MAC_A=02:00:00:00:66:01 MAC_B=02:00:00:00:66:02 MAC_C=02:00:00:00:66:03
start_edge ea a -c v6 -k s3cret -A4 -S1 -a 198.19.66.1/24 -d n6 -m $MAC_A \
	-p 50661 -l "[$SN6]:7654"
start_edge eb b -c v6 -k s3cret -A4 -S1 -a 198.19.66.2/24 -d n6 -m $MAC_B \
	-p 50662 -l "[$SN6]:7654"
start_edge ec c -c v6 -k s3cret -A4 -S1 -a 198.19.66.3/24 -d n6 -m $MAC_C \
	-p 50663 -l 198.18.0.1:7654
for e in ea eb ec; do
	t_check "$e registers" lab_wait_for "$e registered" 15 registered $e
done
pin_neigh a n6 198.19.66.2 $MAC_B
pin_neigh b n6 198.19.66.1 $MAC_A
pin_neigh a n6 198.19.66.3 $MAC_C
pin_neigh c n6 198.19.66.1 $MAC_A
t_check "a -> b over IPv6, relayed" pings a 198.19.66.2 5
x1=$(counter sn1 xdp_relayed)
f1=$(counter sn1 forwarded)
t_check "10 of 10 echoes a -> b answered" pings_all a 198.19.66.2 10
t_check_delta "the kernel relayed the 10 requests and 10 replies" \
	"$x1" "$(counter sn1 xdp_relayed)" -eq 20
t_check_delta "the daemon forwarded none of them" \
	"$f1" "$(counter sn1 forwarded)" -eq 0
t_check_eq "b's stack counted no UDP checksum errors" 0 "$(csum_errors b)"
o1=$(counter sn1 xdp_other_family)
t_check "5 of 5 echoes between the IPv4 edge c and a" pings_all c 198.19.66.1 5
t_check_delta "IPv4 <-> IPv6: the daemon's (10 other_family)" \
	"$o1" "$(counter sn1 xdp_other_family)" -eq 10
t_summary
