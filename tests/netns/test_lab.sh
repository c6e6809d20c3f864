#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Self-test of the namespace lab (lab.sh): public hosts reach each other,
# private hosts reach the public segment through their routers, a cone router
# keeps the source port for every destination while a symmetric one picks a
# new port per destination, nothing unsolicited gets in except through a full
# cone, the home router's input firewall drops an unsolicited datagram that
# a bare router confirms in conntrack (and then moves its host's mapping:
# the port clash), transit routers take one TTL each, and no namespace
# outlives the lab, whether it ends normally or by a signal.
#   test_lab.sh BUILD_DIR
#
#   sn1 198.18.0.1 --+                 +-- nat1 .0.101 (cone) ---- cone1 .1.2
#   sn2 198.18.0.2 --+-- wan/br0 ------+
#                                      +-- nat2 .0.102 (symmetric) - sym2 .2.2
#                                      +-- nat3 .0.103 (full) ------ full3 .3.2
#                                      +-- nat4 .0.104 (cone-bare) - bare4 .4.2
#                                      +-- hop5a .0.205 -- nat5 .0.105 (cone)
#                                      |                   -- far5 .5.2
#                                      +-- hop6a .0.206 -- hop6b -- nat6 .0.106
#                                                          (cone) -- far6 .6.2
set -u
[ $# -eq 1 ] || { echo "usage: test_lab.sh BUILD_DIR" >&2; exit 2; }
out=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
probe=$out/tests/netns/udp_probe
[ -x "$probe" ] || { echo "no $probe: run make first" >&2; exit 2; }
# shellcheck source=tests/netns/lab.sh
source "$here/lab.sh"

setup() {
	lab_init "$out" &&
		lab_add_public_host sn1 198.18.0.1 &&
		lab_add_public_host sn2 198.18.0.2 &&
		lab_add_nat_host cone1 1 cone &&
		lab_add_nat_host sym2 2 symmetric &&
		lab_add_nat_host full3 3 full &&
		lab_add_nat_host bare4 4 cone-bare &&
		lab_add_nat_host far5 5 cone 1 &&
		lab_add_nat_host far6 6 cone 2
}

# echo_on HOST PORT: start an echo server, wait until it listens, print pid.
echo_on() {
	local pid
	pid=$(lab_bg "$1" "$LAB_DIR/echo-$1-$2.log" "$probe" echo "$2") &&
		lab_wait_port "$1" udp "$2" &&
		echo "$pid"
}

port_of() {		# "seen 198.18.0.102:4711" -> 4711
	echo "${1##*:}"
}

test_reachability() {
	t_check_eq "helpers: h_sn1 runs in sn1" 198.18.0.1/24 \
		"$(h_sn1 ip -4 -o addr show dev eth0 | awk '{ print $4 }')"
	t_check "public: sn1 pings sn2" \
		lab_wait_for "sn1 -> sn2" 5 lab_ping sn1 198.18.0.2
	t_check "cone1 pings sn1 through nat1" \
		lab_wait_for "cone1 -> sn1" 5 lab_ping cone1 198.18.0.1
	t_check "sym2 pings sn1 through nat2" \
		lab_wait_for "sym2 -> sn1" 5 lab_ping sym2 198.18.0.1
	t_check "full3 pings sn1 through nat3" \
		lab_wait_for "full3 -> sn1" 5 lab_ping full3 198.18.0.1
}

# Cone: the port survives the NAT, and the mapping is the same for a second
# destination (endpoint-independent mapping).
test_cone_mapping() {
	t_check_eq "cone: sn1 sees cone1 at 198.18.0.101:40001" \
		"seen 198.18.0.101:40001" "$(lab_udp cone1 198.18.0.1 7000 40001)"
	t_check_eq "cone: sn2 sees the same mapping" \
		"seen 198.18.0.101:40001" "$(lab_udp cone1 198.18.0.2 7000 40001)"
}

# Symmetric: one local port, three destinations, three external ports.
test_symmetric_mapping() {
	local a b c re='^seen 198\.18\.0\.102:[0-9]+$'
	a=$(lab_udp sym2 198.18.0.1 7000 40001)
	b=$(lab_udp sym2 198.18.0.1 7001 40001)
	c=$(lab_udp sym2 198.18.0.2 7000 40001)
	if [[ $a =~ $re && $b =~ $re && $c =~ $re ]]; then
		t_pass "symmetric: replies come from 198.18.0.102"
	else
		t_fail "symmetric: replies come from 198.18.0.102" "got '$a' '$b' '$c'"
	fi
	a=$(port_of "$a") b=$(port_of "$b") c=$(port_of "$c")
	if [[ $a != "$b" && $a != "$c" && $b != "$c" ]]; then
		t_pass "symmetric: a new port per destination ($a $b $c)"
	else
		t_fail "symmetric: a new port per destination" "ports $a $b $c"
	fi
}

# The cone1:40001 mappings to sn1:7000 and sn2:7000 exist by now; sn1 answers
# from 7000 once its echo server is gone. Port-restricted filtering: the
# mapped peer gets in, the same host from another port and another host don't.
test_cone_filtering() {
	lab_kill "$echo_sn1_7000"
	echo_cone1=$(echo_on cone1 40001) || { t_fail "echo on cone1" "not listening"; return; }
	t_check_eq "cone: the mapped peer sn1:7000 gets in" \
		"seen 198.18.0.1:7000" "$(lab_udp sn1 198.18.0.101 40001 7000)"
	t_check_fails "cone: sn1 from another port is filtered" \
		lab_udp sn1 198.18.0.101 40001 7002
	t_check_fails "cone: unsolicited sn2:7003 is filtered" \
		lab_udp sn2 198.18.0.101 40001 7003
}

# Full cone: the port survives, and a host full3 never sent to gets in.
test_full_cone() {
	t_check_eq "full: sn1 sees full3 at 198.18.0.103:40001" \
		"seen 198.18.0.103:40001" "$(lab_udp full3 198.18.0.1 7001 40001)"
	echo_full3=$(echo_on full3 40001) || { t_fail "echo on full3" "not listening"; return; }
	t_check_eq "full: unsolicited sn2:7003 gets in" \
		"seen 198.18.0.2:7003" "$(lab_udp sn2 198.18.0.103 40001 7003)"
}

# Private addresses are unreachable from outside even with a route to them.
test_no_direct_access() {
	t_check_fails "sn1 has no route to cone1" lab_ping sn1 198.18.1.2
	lab_exec sn1 ip route add 198.18.1.0/24 via 198.18.0.101
	lab_exec sn1 ip route add 198.18.2.0/24 via 198.18.0.102
	# Control: the routes work, up to the routers' own LAN side.
	t_check "control: routed, sn1 pings nat1's LAN address" \
		lab_ping sn1 198.18.1.1
	t_check "control: routed, sn1 pings nat2's LAN address" \
		lab_ping sn1 198.18.2.1
	t_check_fails "nat1 drops a routed ping to cone1" lab_ping sn1 198.18.1.2
	t_check_fails "nat1 drops routed UDP to cone1:40001" \
		lab_udp sn1 198.18.1.2 40001 7004
	t_check_fails "nat2 drops a routed ping to sym2" lab_ping sn1 198.18.2.2
	lab_exec sn1 ip route del 198.18.1.0/24
	lab_exec sn1 ip route del 198.18.2.0/24
}

# ct_has ROUTER PATTERN: nf_conntrack in ROUTER has an entry matching it.
ct_has() {
	lab_exec "$1" cat /proc/net/nf_conntrack | grep -q -- "$2"
}

# The home router's input firewall against a bare router: a datagram from
# sn2:7005 to the router's public port 40005 before the host behind it sent
# anything. Dropped at input, it leaves no conntrack entry, and the host's
# later datagram to sn2:7005 keeps port 40005; the bare router confirms the
# entry, and the host's datagram takes another port (the port clash).
test_home_firewall() {
	local tuple='src=198.18.0.2 dst=198.18.0.10[14] sport=7005 dport=40005 '
	local got
	t_check_fails "home: unsolicited sn2:7005 to nat1:40005 gets no answer" \
		lab_udp sn2 198.18.0.101 40005 7005
	t_check_fails "bare: nor to nat4:40005" \
		lab_udp sn2 198.18.0.104 40005 7005
	t_check_fails "home: nat1 keeps no conntrack entry for it" \
		ct_has nat1 "${tuple/10\[14\]/101}"
	t_check "bare: nat4 confirmed one" ct_has nat4 "${tuple/10\[14\]/104}"
	echo_sn2_7005=$(echo_on sn2 7005) || { t_fail "echo on sn2" "not listening"; return; }
	t_check_eq "home: cone1 then reaches sn2:7005 from port 40005" \
		"seen 198.18.0.101:40005" "$(lab_udp cone1 198.18.0.2 7005 40005)"
	got=$(lab_udp bare4 198.18.0.2 7005 40005)
	if [[ $got =~ ^seen\ 198\.18\.0\.104:[0-9]+$ && $got != *:40005 ]]; then
		t_pass "bare: bare4's mapping to sn2:7005 moved off 40005 ($got)"
	else
		t_fail "bare: bare4's mapping to sn2:7005 moved off 40005" "got '$got'"
	fi
}

# ttl_dies HOST TTL: an echo to sn1 with that TTL dies on the way (a router
# said so); ttl_reaches HOST TTL: it is answered.
ttl_dies() {
	lab_exec "$1" ping -n -c 1 -W 2 -t "$2" 198.18.0.1 2>&1 |
		grep -q 'Time to live exceeded'
}
ttl_reaches() {
	lab_exec "$1" ping -n -c 1 -W 2 -t "$2" 198.18.0.1 >/dev/null 2>&1
}

# Transit routers: one (far5) or two (far6) more hops than cone1's path,
# public hosts reach the router's public address with no route of their
# own (proxy ARP), and the NAT still maps as a cone.
test_transit_hops() {
	t_check "control: cone1 reaches sn1 with TTL 2 (nat1 only)" \
		ttl_reaches cone1 2
	t_check "hop: far5's TTL 2 dies at hop5a" ttl_dies far5 2
	t_check "hop: far5's TTL 3 reaches sn1" ttl_reaches far5 3
	t_check "hops: far6's TTL 3 dies at hop6b/hop6a" ttl_dies far6 3
	t_check "hops: far6's TTL 4 reaches sn1" ttl_reaches far6 4
	t_check_eq "hop: sn1 sees far5 at 198.18.0.105:40001" \
		"seen 198.18.0.105:40001" "$(lab_udp far5 198.18.0.1 7001 40001)"
	t_check_eq "hops: sn1 sees far6 at 198.18.0.106:40001" \
		"seen 198.18.0.106:40001" "$(lab_udp far6 198.18.0.1 7001 40001)"
	t_check "hop: sn1 pings nat5's public address (proxy ARP)" \
		lab_ping sn1 198.18.0.105
}

lab_netns_with() {	# lab_netns_with PREFIX: lists matching namespaces
	ip netns list | awk -v p="$1" 'index($1, p) == 1 { print $1 }'
}

test_explicit_cleanup() {
	local prefix=$LAB_PREFIX pids pid alive=
	pids="$echo_sn1_7001 $echo_sn2_7000 $echo_cone1 $echo_full3 $echo_sn2_7005"
	lab_on_cleanup touch "$hook_flag"
	lab_cleanup
	t_check_eq "cleanup: hook ran" yes "$([ -e "$hook_flag" ] && echo yes)"
	t_check_eq "cleanup: no $prefix namespace left" "" "$(lab_netns_with "$prefix")"
	for pid in $pids; do
		lab_pid_gone "$pid" || alive+=" $pid"
	done
	t_check_eq "cleanup: echo servers are gone" "" "$alive"
}

# A script that exits early (status 3) must still clean up, and keep its status.
test_exit_cleanup() {
	local prefix=n2nk-sub$$- rc
	LAB_PREFIX=$prefix bash -c 'source "$1" && lab_init "$2" &&
		lab_add_public_host a 198.18.0.50 &&
		lab_add_nat_host b 3 symmetric &&
		lab_bg b /dev/null sleep 30 >/dev/null && exit 3' _ "$here/lab.sh" "$out"
	rc=$?
	t_check_eq "exit: status kept through lab_cleanup" 3 "$rc"
	t_check_eq "exit: no $prefix namespace left" "" "$(lab_netns_with "$prefix")"
}

# SIGTERM while a lab process runs: the trap turns it into exit 143 + cleanup.
test_signal_cleanup() {
	local prefix=n2nk-sig$$- pid rc
	LAB_PREFIX=$prefix bash -c 'source "$1" && lab_init "$2" &&
		lab_add_nat_host b 4 cone &&
		lab_bg b /dev/null sleep 30 >/dev/null && wait' _ "$here/lab.sh" "$out" &
	pid=$!
	if ! lab_wait_for "$prefix lab" 10 ns_busy "${prefix}b"; then
		t_fail "signal: lab came up" "no process in ${prefix}b"
	fi
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	t_check_eq "signal: exit status 143" 143 "$rc"
	t_check_eq "signal: no $prefix namespace left" "" "$(lab_netns_with "$prefix")"
}

ns_busy() {		# succeeds when a process runs in namespace $1
	[ -n "$(ip netns pids "$1" 2>/dev/null)" ]
}

hook_flag=$(mktemp -u "${TMPDIR:-/tmp}/n2nk-lab-hook.XXXXXX")
if ! setup; then
	t_fail "setup" "could not build the lab"
	t_summary
	exit 1
fi
t_pass "setup: wan, sn1, sn2, nat1-6 with cone1, sym2, full3, bare4, far5, far6"
test_reachability
if ! { echo_sn1_7000=$(echo_on sn1 7000) &&
	echo_sn1_7001=$(echo_on sn1 7001) &&
	echo_sn2_7000=$(echo_on sn2 7000); }; then
	t_fail "echo servers" "not listening"
	t_summary
	exit 1
fi
echo_cone1='' echo_full3='' echo_sn2_7005=''
test_cone_mapping
test_symmetric_mapping
test_cone_filtering
test_full_cone
test_no_direct_access
test_home_firewall
test_transit_hops
test_explicit_cleanup
rm -f "$hook_flag"
test_exit_cleanup
test_signal_cleanup
t_summary
