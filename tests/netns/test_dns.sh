#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Supernode names resolved off the event loop. A fake DNS server
# (slow_dns) answers after 8 s; the edge's namespace resolves through it
# (/etc/netns/<ns>/resolv.conf, bind-mounted by ip netns exec). Proves:
# while its second supernode's name is pending, the edge answers n2nctl,
# registers with its first supernode (an address) and forwards traffic to
# a peer through it; once the name resolves the edge knows its address,
# and uses it: when the first supernode stops, the edge fails over there.
#
#   wan br0 198.18.0.0/24: sn1 .0.1, sn2 .0.2 (our supernodes), dns .0.53
#   (slow_dns: sn2.slow.test -> 198.18.0.2 after 8 s), a .0.11 (edge under
#   test: -l 198.18.0.1:7654 -l sn2.slow.test:7654), b .0.12 (peer edge:
#   both supernodes by address). Overlay 198.19.16.0/24.
#   test_dns.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"
SLOW_DNS=$OUT/tests/netns/slow_dns
DELAY_MS=8000
NAME=sn2.slow.test

T=$(mktemp -d /tmp/n2nk-dns.XXXXXX)
lab_on_cleanup rm -rf "$T"

lab_init "$OUT" || exit 1
lab_add_public_host sn1 198.18.0.1
lab_add_public_host sn2 198.18.0.2
lab_add_public_host dns 198.18.0.53
lab_add_public_host a 198.18.0.11
lab_add_public_host b 198.18.0.12
for h in a b; do
	lab_exec $h sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done

# The edge host's resolver: the slow server, patient enough to wait.
NS_A=$(lab_ns a)
[ -d /etc/netns ] || MADE_NETNS_DIR=1
mkdir -p "/etc/netns/$NS_A"
remove_resolv_conf() {
	rm -f "/etc/netns/$NS_A/resolv.conf"
	rmdir "/etc/netns/$NS_A"
	[ -z "${MADE_NETNS_DIR:-}" ] || rmdir /etc/netns 2>/dev/null || true
}
lab_on_cleanup remove_resolv_conf
printf 'nameserver 198.18.0.53\noptions timeout:20 attempts:1\n' \
	>"/etc/netns/$NS_A/resolv.conf"

lab_bg dns "$T/dns.log" "$SLOW_DNS" 198.18.0.53 $DELAY_MS $NAME 198.18.0.2 \
	>"$T/dns.pid"
t_require "supernode 1 starts" sn_start sn1 sn1 -p 7654 --datapath=socket
t_require "supernode 2 starts" sn_start sn2 sn2 -p 7654 --datapath=socket

start_edge() {	# start_edge NAME HOST ARGS...: pid in $T/NAME.pid
	local name=$1 host=$2
	shift 2
	rm -f "$T/$name.sock"
	lab_bg "$host" "$T/$name.log" "$EDGE" -f -v -i 4 \
		--ctl-socket="$T/$name.sock" "$@" >"$T/$name.pid"
}
sn_row() {	# sn_row EDGE HOST:PORT FIELD: its `supernodes` row
	ctl_pick "$1" supernodes host "$2" "$3"
}
pending() {	# the name is asked, no answer yet
	grep -q "query $NAME" "$T/dns.log" &&
		[ "$(ctl ea supernodes | jq -r --arg h "$NAME:7654" \
			'.rows[] | select(.host == $h) | .sockaddr')" = null ]
}

MAC_A=02:00:00:00:16:01
MAC_B=02:00:00:00:16:02
start_edge eb b -c dnsnet -k s3cret -a 198.19.16.2/24 -d n2b -m $MAC_B \
	-l 198.18.0.1:7654 -l 198.18.0.2:7654
t_check "the peer edge registers" lab_wait_for "eb registered" 15 \
	registered eb
start_edge ea a -c dnsnet -k s3cret -a 198.19.16.1/24 -d n2a -m $MAC_A \
	-l 198.18.0.1:7654 -l $NAME:7654
t_check "the edge answers n2nctl while its name waits for the DNS" \
	lab_wait_for "ea control socket" 5 sh -c \
	"'$CTL' -s '$T/ea.sock' -j info >/dev/null"
t_check "it registers with the supernode it has" \
	lab_wait_for "ea registered" 5 registered ea
t_check "and forwards to its peer through it" \
	lab_wait_for "ping a->b" 4 pings a 198.19.16.2 1
t_check "all while the name is still pending" pending
t_check "the name resolves in the background" lab_wait_for \
	"name resolved" 15 sh -c "'$CTL' -s '$T/ea.sock' -j supernodes |
	jq -e '.rows[] | select(.host == \"$NAME:7654\" and
	.sockaddr == \"198.18.0.2:7654\")' >/dev/null"
t_check_eq "the edge stayed with its first supernode meanwhile" true \
	"$(sn_row ea 198.18.0.1:7654 current)"

# Used: with the first supernode gone, the edge fails over to the name.
sn_stop sn1
t_check "the edge fails over to the resolved name" lab_wait_for \
	"failover to $NAME" 20 sh -c "'$CTL' -s '$T/ea.sock' -j supernodes |
	jq -e '.rows[] | select(.host == \"$NAME:7654\" and .current)' \
	>/dev/null"
t_check "and registers there" lab_wait_for "ea at sn2" 15 sh -c \
	"'$CTL' -s '$T/sn2.sock' -j edges | jq -e '.rows[] |
	select(.mac == \"$MAC_A\")' >/dev/null"
t_check "ping through the named supernode" lab_wait_for "ping via sn2" 20 \
	pings a 198.19.16.2 2

t_summary
