#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The XDP relay across interfaces: the supernode has one interface on each
# of three segments and -S1 edges on each. Between eth0 and eth1, whose
# veth peers take XDP frames (they run XDP), every relayed echo stays in
# XDP: redirected to the other interface (bpf_redirect_map, egress_ifs),
# from the supernode's address on that segment, while the daemon forwards
# none. eth2's peer takes no XDP frames (no XDP program, GRO off), so with
# native XDP eth2 is not in egress_ifs: frames towards e go to the daemon
# (other_interface), e's own frames are still redirected. The slow path
# (registrations) arrives over AF_XDP on all three interfaces. Run with
# native XDP and IPv4 forwarding on (next hops from bpf_fib_lookup()) and
# off (relay_hops), then in generic mode, where the stack transmits every
# redirect and eth2 is in egress_ifs too.
#
#          br0 (198.18.0.0/24)                  br6 (198.18.6.0/24)
#     +---------+---------+                 +---------+---------+
#   +-+-+     +-+-+     +-+-+ eth0  eth1  +-+-+     +-+-+
#   | a |.11  | b |.12  |   |.0.2   .6.1 |   |     | c |.11  | d |.12
#   +---+     +---+     |   +------------+   |     +---+     +---+
#                       |        sn          |
#                       +---------+----------+
#                            eth2 | .7.1 (veth, peer without XDP or GRO)
#                               +-+-+
#                               | e | .7.11
#                               +---+
#   overlay 198.19.9.1-5 (a-e), community "plain", all -S1
#
#   test_relay_egress.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

T=$(mktemp -d /tmp/n2nk-egress.XXXXXX)
lab_on_cleanup rm -rf "$T"

lab_init "$OUT" || exit 1
lab_add_public_host sn 198.18.0.2
lab_add_public_host a 198.18.0.11
lab_add_public_host b 198.18.0.12
WAN=$(lab_ns wan)
SNNS=$(lab_ns sn)

# plug6 NS IFNAME BRPORT: a veth from br6 (port BRPORT) to NS (IFNAME).
plug6() {
	ip -n "$WAN" link add "$3" type veth peer name "$2" netns "$1" &&
		ip -n "$WAN" link set "$3" master br6 &&
		ip -n "$WAN" link set "$3" up &&
		ip -n "$1" link set "$2" up
}

segments_up() {
	local h i=11
	ip -n "$WAN" link add br6 type bridge &&
		ip -n "$WAN" link set br6 up &&
		plug6 "$SNNS" eth1 p6-sn &&
		ip -n "$SNNS" addr add 198.18.6.1/24 dev eth1 || return 1
	for h in c d; do
		lab_netns_add $h && plug6 "$(lab_ns $h)" eth0 "p6-$h" &&
			lab_wire_csum "$(lab_ns $h)" &&
			ip -n "$(lab_ns $h)" addr add "198.18.6.$i/24" dev eth0 ||
			return 1
		i=$((i + 1))
	done
	lab_netns_add e &&
		ip -n "$SNNS" link add eth2 type veth peer name eth0 \
			netns "$(lab_ns e)" &&
		ip -n "$SNNS" addr add 198.18.7.1/24 dev eth2 &&
		ip -n "$SNNS" link set eth2 up &&
		ip -n "$(lab_ns e)" addr add 198.18.7.11/24 dev eth0 &&
		ip -n "$(lab_ns e)" link set eth0 up &&
		lab_wire_csum "$(lab_ns e)" || return 1
	# What makes a veth take XDP frames (xdp_features ndo-xmit): an XDP
	# program on its peer (or GRO there, see docs/architecture.md).
	# eth0's and eth1's peers run one that passes everything; eth2's (e's
	# eth0) has neither.
	ip -n "$WAN" link set dev p-sn xdpdrv obj "$OUT/bpf/loadgen.bpf.o" \
		sec xdp program lg_pass &&
		ip -n "$WAN" link set dev p6-sn xdpdrv \
			obj "$OUT/bpf/loadgen.bpf.o" sec xdp program lg_pass &&
		lab_exec e ethtool -K eth0 gro off
}

t_require "segments 198.18.6.0/24 (br6) and 198.18.7.0/24 on sn" segments_up
# No IPv6: its neighbour discovery would be broadcast the daemon relays.
for h in a b c d e; do
	lab_exec $h sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done

# edge_start HOST N SN_ADDR: a -S1 edge at 198.19.9.N through SN_ADDR.
edge_start() {
	lab_bg "$1" "$T/$1.log" "$EDGE" -f -i 4 --ctl-socket="$T/$1.sock" \
		-c plain -k s3cret -A3 -S1 -a "198.19.9.$2/24" -d n2x \
		-m "02:00:00:00:09:0$2" -p "5009$2" -l "$3:7654" >"$T/$1.pid"
}

edges_start() {
	edge_start a 1 198.18.0.2 && edge_start b 2 198.18.0.2 &&
		edge_start c 3 198.18.6.1 && edge_start d 4 198.18.6.1 &&
		edge_start e 5 198.18.7.1
}

all_registered() {
	local h
	for h in a b c d e; do
		registered $h || return 1
	done
}

edges_stop() {
	local h
	for h in a b c d e; do
		[ -f "$T/$h.pid" ] && lab_kill "$(cat "$T/$h.pid")"
		rm -f "$T/$h.pid" "$T/$h.sock"
	done
}

hops_at_least() {	# hops_at_least N: relay_hops has N entries
	local n
	n=$(ctl_pick sn maps map relay_hops entries 2>/dev/null) &&
		[ "$n" -ge "$1" ]
}

N=$(printf '%s' a b c d e)	# host -> overlay number: index in $N + 1
num() { local p=${N%%"$1"*}; echo $((${#p} + 1)); }

# burst FROM TO LABEL RELAYED REDIRECT TX OTHER FWD: 10 echoes FROM -> TO,
# all answered, the overlay neighbours pinned (no ARP); the counters grow
# by exactly the numbers given.
burst() {
	local f t c name want before after
	f=$(num "$1") t=$(num "$2")
	pin_neigh "$1" n2x "198.19.9.$t" "02:00:00:00:09:0$t"
	pin_neigh "$2" n2x "198.19.9.$f" "02:00:00:00:09:0$f"
	local -A was
	for c in xdp_relayed xdp_relayed_redirect xdp_relayed_tx \
		xdp_other_interface forwarded; do
		was[$c]=$(counter sn $c)
	done
	t_check "$3: 10 of 10 echoes answered" pings_all "$1" "198.19.9.$t" 10
	set -- "$3" "$4" "$5" "$6" "$7" "$8"
	name=$1
	shift
	for c in xdp_relayed xdp_relayed_redirect xdp_relayed_tx \
		xdp_other_interface forwarded; do
		want=$1
		shift
		before=${was[$c]}
		after=$(counter sn $c)
		t_check_delta "$name: $c grew by $want" "$before" "$after" -eq "$want"
	done
}

pin_all() {
	local h o
	for h in a b c d e; do
		for o in a b c d e; do
			[ $h = $o ] || pin_neigh $h n2x "198.19.9.$(num $o)" \
				"02:00:00:00:09:0$(num $o)"
		done
	done
}

# xsk_on IF: the slow path read frames from sn's IF over AF_XDP
xsk_on() {
	local n
	n=$(counter sn "xsk_received_$1") && [ "$n" -gt 0 ]
}

# phase LABEL FORWARDING MODE: the whole run with net.ipv4.ip_forward set
# so and --xdp-mode=MODE (native: eth2 is not in egress_ifs; generic: it
# is, the stack transmits every redirect).
phase() {
	local p=$1 fwd=$2 mode=$3 log pair i x y ifs="eth0 eth1" n=2
	local -a e_counts=(10 10 0 10 10)
	if [ "$mode" = generic ]; then
		ifs="eth0 eth1 eth2" n=3 e_counts=(20 20 0 0 0)
	fi
	lab_exec sn sysctl -qw "net.ipv4.ip_forward=$fwd"
	t_require "$p: the supernode starts ($mode XDP)" \
		sn_start sn sn -p 7654 --datapath=kernel --xdp-mode="$mode"
	log=$T/sn.log
	t_check "$p: attached to eth0, eth1 and eth2 in $mode mode" \
		grep -q "XDP relay on eth0 ($mode), eth1 ($mode), eth2 ($mode)" "$log"
	t_check "$p: redirects between $ifs" \
		grep -q "redirects between $ifs;" "$log"
	if [ "$fwd" = 1 ]; then
		t_check "$p: next hop from the FIB" \
			grep -q 'next hop from the FIB' "$log"
	else
		t_check "$p: next hop from the route and neighbour tables" \
			grep -q 'next hop from the route and neighbour' "$log"
	fi
	t_check "$p: AF_XDP slow path on all three interfaces" \
		grep -q 'slow path over AF_XDP on eth0 (.*), eth1 (.*), eth2 (.*)' "$log"
	t_check "$p: egress_ifs holds $n interfaces" \
		test "$(ctl_pick sn maps map egress_ifs entries)" = $n
	t_require "$p: edges a-e start" edges_start
	t_require "$p: edges a-e register" \
		lab_wait_for "all registered" 20 all_registered
	for i in eth0 eth1 eth2; do
		t_check "$p: registrations came over AF_XDP on $i" xsk_on $i
	done
	if [ "$fwd" = 0 ]; then
		t_check "$p: relay_hops has the five edges' next hops" \
			lab_wait_for "5 relay_hops entries" 10 hops_at_least 5
	fi
	# Every overlay neighbour pinned: no ARP (broadcast or unicast
	# probes) adds to the counts.
	pin_all
	# Underlay neighbours resolved (the first frames may go through the
	# daemon while the kernel resolves them) before anything is counted.
	for pair in "a c" "b d" "a b" "a e" "d e"; do
		read -r x y <<<"$pair"
		lab_wait_for "$x reaches $y" 10 pings "$x" "198.19.9.$(num "$y")" 1
	done
	[ "$fwd" = 0 ] && lab_wait_for "5 relay_hops entries" 10 hops_at_least 5
	#     FROM TO LABEL                 relayed redir tx other fwd
	burst a c "$p: a (eth0) -> c (eth1)" 20 20 0 0 0
	burst d b "$p: d (eth1) -> b (eth0)" 20 20 0 0 0
	burst a b "$p: a -> b (both eth0)" 20 0 20 0 0
	burst a e "$p: a (eth0) -> e (eth2)" "${e_counts[@]}"
	t_check_eq "$p: no redirect aborted" 0 \
		"$(counter sn xdp_drop_redirect_aborted)"
	edges_stop
	sn_stop sn
	t_check "$p: stopping the supernode detaches XDP" \
		lab_wait_for "XDP detached" 5 no_xdp sn
}

egress_ifs_is() {	# egress_ifs_is N: egress_ifs has N entries
	[ "$(ctl_pick sn maps map egress_ifs entries 2>/dev/null)" = "$1" ]
}

# What c sees: relayed frames from sn's address on its segment.
cap_check() {
	local pid
	pid=$(cap_start c eth0 "$T/c.pcap" "udp and src port 7654") || return 1
	pings_all a 198.19.9.3 3
	lab_kill "$pid"
	lab_exec c tcpdump -n -r "$T/c.pcap" 2>/dev/null |
		grep -q '198.18.6.1.7654 > 198.18.6.11' &&
		! lab_exec c tcpdump -n -r "$T/c.pcap" 2>/dev/null |
			grep -q '198.18.0.2.7654 >'
}

phase "FIB" 1 native
phase "relay_hops" 0 native
phase "generic, relay_hops" 0 generic

# Once more with forwarding on, for the source address c sees.
lab_exec sn sysctl -qw net.ipv4.ip_forward=1
if sn_start sn sn -p 7654 --datapath=kernel --xdp-mode=native &&
	edges_start && lab_wait_for "all registered" 20 all_registered &&
	pin_all && lab_wait_for "a reaches c" 10 pings a 198.19.9.3 1; then
	t_check "relayed to c from 198.18.6.1, sn's address on c's segment" \
		cap_check
	# eth1's peer loses its XDP program: eth1 no longer takes redirected
	# frames, and the next sweep (30 s) takes it out of egress_ifs.
	ip -n "$WAN" link set dev p6-sn xdpdrv off
	t_check "without p6-sn's XDP, eth1 leaves egress_ifs" \
		lab_wait_for "egress_ifs down to 1" 45 egress_ifs_is 1
	t_check "the log says eth1 no longer takes redirected frames" \
		grep -q 'eth1 no longer takes redirected frames' "$T/sn.log"
	o1=$(counter sn xdp_other_interface)
	t_check "a -> c still answered, through the daemon" \
		pings_all a 198.19.9.3 5
	t_check_delta "frames towards c are other_interface again" \
		"$o1" "$(counter sn xdp_other_interface)" -eq 5
else
	t_fail "relayed to c from sn's address on c's segment" "setup failed"
fi
edges_stop
sn_stop sn
t_summary
