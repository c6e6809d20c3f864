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
# Then edges behind a router (sn reaches 198.18.5.0/24 by a route via
# rt1, a plain router without NAT) join: c (ours), and with N2N_STOCK_DIR
# d (stock n2n 3.1.1) on the segment and e (stock) behind the router. Every
# relayed echo between any two of them is relayed in XDP, each frame
# addressed to the edge's own MAC or to the router's.
#
#                  wan: br0 (198.18.0.0/24)
#       +-----------------+-----------------+-----------------+------+
#   +---+---+         +---+---+         +---+---+         +---+---+  |
#   |  sn   | .0.2    |   a   | .0.11   |   b   | .0.12   |   d   |  |
#   |  XDP  |         | -S1   |         | -S1   |         | stock |  |
#   +-------+         +-------+         +-------+         +-------+  |
#   forwarding off    overlay 198.19.8.1/.2, d .4             .0.13  |
#   route 198.18.5.0/24 via .0.50                           +---+---+
#                                                           |  rt1  | .0.50
#                                  198.18.5.0/24 (veths) ---+-------+ .5.1
#                                   c .5.2 (ours, -S1)  e .5.3 (stock, -S1)
#                                   overlay 198.19.8.3, e .5
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

# --- behind a router, and stock edges -------------------------------------
STOCK=${N2N_STOCK_DIR:-}

# router_up: rt1 on br0 (198.18.0.50) routing 198.18.5.0/24 to c and e,
# each on its own veth; sn's route to that net goes via rt1.
router_up() {
	local rns h i=2
	lab_netns_add rt1 || return 1
	rns=$(lab_ns rt1)
	lab_plug "$rns" wan0 p-rt1 &&
		ip -n "$rns" addr add 198.18.0.50/24 dev wan0 &&
		ip netns exec "$rns" sysctl -qw net.ipv4.ip_forward=1 || return 1
	for h in c e; do
		lab_netns_add $h &&
			ip -n "$rns" link add "lan$h" type veth peer name eth0 \
				netns "$(lab_ns $h)" &&
			ip -n "$rns" addr add 198.18.5.1/32 dev "lan$h" &&
			ip -n "$rns" link set "lan$h" up &&
			ip -n "$rns" route add "198.18.5.$i/32" dev "lan$h" &&
			ip -n "$(lab_ns $h)" addr add "198.18.5.$i/24" dev eth0 &&
			ip -n "$(lab_ns $h)" link set eth0 up &&
			lab_wire_csum "$(lab_ns $h)" &&
			ip -n "$(lab_ns $h)" route add default via 198.18.5.1 dev eth0 \
				onlink || return 1
		i=$((i + 1))
	done
	lab_exec sn ip route add 198.18.5.0/24 via 198.18.0.50
}

# relayed_edge HOST N MAC [stock]: a -S1 edge in community "plain" at
# 198.19.8.N, ours (control socket) or stock (management port 5644).
relayed_edge() {
	local bin=$EDGE extra=(-i 4 --ctl-socket="$T/$1.sock")
	if [ "${4:-}" = stock ]; then
		bin=$STOCK/edge extra=(-t 5644)
	fi
	lab_bg "$1" "$T/$1.log" "$bin" -f -c plain -k s3cret -A3 -S1 \
		-a "198.19.8.$2/24" -d n2x -m "$3" -p 50083 \
		-l 198.18.0.2:7654 "${extra[@]}" >"$T/$1.pid"
}

# sn_knows MAC: the supernode has that edge registered
sn_knows() {
	sn_edge_field sn "$1" mac >/dev/null 2>&1
}

stock_known() {	# both stock edges registered with sn
	sn_knows 02:00:00:00:08:04 && sn_knows 02:00:00:00:08:05
}

# xburst FROM TO_IP TO_MAC FROM_IP FROM_MAC LABEL: 10 echoes FROM ->
# TO_IP, all answered, exactly 20 PACKETs relayed in XDP, none by the daemon.
xburst() {
	local f1 f2 x1 x2 to=${7:-}
	pin_neigh "$1" n2x "$2" "$3"
	pin_neigh "$to" n2x "$4" "$5"
	f1=$(counter sn forwarded)
	x1=$(counter sn xdp_relayed)
	t_check "$6: 10 of 10 relayed echoes answered" pings_all "$1" "$2" 10
	f2=$(counter sn forwarded)
	x2=$(counter sn xdp_relayed)
	echo "$6: 10 pings: xdp_relayed $x1 -> $x2, forwarded $f1 -> $f2"
	t_check_delta "$6: the kernel relayed the 10 requests and 10 replies" \
		"$x1" "$x2" -eq 20
	t_check_delta "$6: the daemon forwarded none of them" "$f1" "$f2" -eq 0
}

t_require "a router with a net behind it" router_up
t_require "edge c behind the router starts" \
	relayed_edge c 3 02:00:00:00:08:03
t_check "edge c registers" lab_wait_for "c registered" 15 registered c
t_check "relay_hops has c's next hop (the router)" \
	lab_wait_for "3 relay_hops entries" 10 hops_at_least sn 3
xburst a 198.19.8.3 02:00:00:00:08:03 198.19.8.1 02:00:00:00:08:01 \
	"a (segment) -> c (behind rt1)" c
rt_mac=$(lab_exec rt1 cat /sys/class/net/wan0/address)
t_check "sn's neighbour entry for rt1 is rt1's MAC" \
	grep -qi "$rt_mac" <(lab_exec sn ip neigh show 198.18.0.50)

if [ -n "$STOCK" ] && [ -x "$STOCK/edge" ]; then
	lab_add_public_host d 198.18.0.13
	# No IPv6 on the stock edges' hosts: its neighbour discovery would be
	# broadcast the daemon relays, which the counts do not expect.
	for h in d e; do
		lab_exec $h sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
	done
	t_require "stock edge d (segment) starts" \
		relayed_edge d 4 02:00:00:00:08:04 stock
	t_require "stock edge e (behind rt1) starts" \
		relayed_edge e 5 02:00:00:00:08:05 stock
	t_check "sn has both stock edges registered" \
		lab_wait_for "d and e registered" 20 stock_known
	t_check "relay_hops has all five edges' next hops" \
		lab_wait_for "5 relay_hops entries" 10 hops_at_least sn 5
	xburst d 198.19.8.5 02:00:00:00:08:05 198.19.8.4 02:00:00:00:08:04 \
		"stock d (segment) -> stock e (behind rt1)" e
	xburst e 198.19.8.2 02:00:00:00:08:02 198.19.8.5 02:00:00:00:08:05 \
		"stock e (behind rt1) -> ours b (segment)" b
	xburst c 198.19.8.4 02:00:00:00:08:04 198.19.8.3 02:00:00:00:08:03 \
		"ours c (behind rt1) -> stock d (segment)" d
else
	t_skip "stock edges on the segment and behind the router" \
		"N2N_STOCK_DIR names no stock n2n 3.1.1 build"
fi

# --- an edge hopping from address to address holds one next hop ---------
# A registration from a new address moves the edge; the address it left
# goes from relay_hops with it (a reference count per address), so one
# edge cannot fill the table by re-registering from many addresses.
lab_add_public_host m 198.18.0.20
for i in $(seq 21 30); do
	lab_exec m ip addr add "198.18.0.$i/24" dev eth0
done
LG=$OUT/tools/n2n-loadgen
before=$(hops sn)
for i in $(seq 21 30); do
	lab_exec m "$LG" -l 198.18.0.2:7654 -c mover -n 2 -m register -t 1 \
		-b "198.18.0.$i" --json >"$T/mover.log" 2>&1 ||
		{ t_fail "the mover registers from 198.18.0.$i" \
			"$(tail -n 2 "$T/mover.log")"; break; }
done
sleep 3 # two hop ticks: the last address resolved, the others gone
after=$(hops sn)
echo "relay_hops: $before before 10 moves of one pair, $after after"
t_check_num "10 moves of one pair leave at most one more next hop" \
	"$after" -le $((before + 1))

for e in a b c d e; do
	[ -f "$T/$e.pid" ] && lab_kill "$(cat "$T/$e.pid")"
done
sn_stop sn
t_check "stopping the supernode detaches XDP" \
	lab_wait_for "XDP detached" 5 no_xdp sn
t_summary
