#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Supernode names resolved off the event loop. A fake DNS server
# (slow_dns) answers after 8 s; the edge's namespace resolves through it
# (/etc/netns/<ns>/resolv.conf, bind-mounted by ip netns exec). Proves:
# while its second supernode's name is pending, the edge answers n2nctl,
# registers with its first supernode (an address) and forwards traffic to
# a peer through it; once the name resolves the edge knows its address,
# and uses it: when the first supernode stops, the edge fails over there.
# A SIGHUP while a name is pending (its thread waiting) leaves the edge
# and the supernode running.
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
lab_add_public_host f 198.18.0.3
lab_add_public_host dns2 198.18.0.54
for h in a b; do
	lab_exec $h sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done

# The edge host's resolver: the slow server, patient enough to wait.
[ -d /etc/netns ] || MADE_NETNS_DIR=1
remove_resolv_conf() {
	local h
	for h in a f; do
		rm -f "/etc/netns/$(lab_ns $h)/resolv.conf"
		rmdir "/etc/netns/$(lab_ns $h)" 2>/dev/null
	done
	[ -z "${MADE_NETNS_DIR:-}" ] || rmdir /etc/netns 2>/dev/null || true
}
lab_on_cleanup remove_resolv_conf
resolver_of() {	# resolver_of HOST DNS_IP
	mkdir -p "/etc/netns/$(lab_ns "$1")"
	printf 'nameserver %s\noptions timeout:20 attempts:1\n' "$2" \
		>"/etc/netns/$(lab_ns "$1")/resolv.conf"
}
resolver_of a 198.18.0.53
resolver_of f 198.18.0.54

lab_bg dns "$T/dns.log" "$SLOW_DNS" 198.18.0.53 $DELAY_MS $NAME 198.18.0.2 \
	>"$T/dns.pid"
t_require "supernode 1 starts" sn_start sn1 sn1 -p 7654 --datapath=socket
t_require "supernode 2 starts" sn_start sn2 sn2 -p 7654 --datapath=socket \
	-F Federation

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
# A signal while a lookup thread waits goes to the loop, not the thread.
kill -HUP "$(cat "$T/ea.pid")"
t_check "SIGHUP while the name is pending: the edge goes on" lab_wait_for \
	"ea after HUP" 3 sh -c "grep -q SIGHUP '$T/ea.log' &&
	'$CTL' -s '$T/ea.sock' -j info >/dev/null"
t_check "(the name still pending)" pending
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

# --- the supernode's federation names: -l sn2fed.slow.test (sn2, 8 s) ---
lab_bg dns2 "$T/dns2.log" "$SLOW_DNS" 198.18.0.54 $DELAY_MS sn2fed.slow.test \
	198.18.0.2 >"$T/dns2.pid"
members() {	# members NAME: supernodes in its federation community
	ctl "$1" communities 2>/dev/null |
		jq -r '.rows[] | select(.community == "*Federation") | .edges'
}
at_least() {	# at_least N CMD...: CMD prints a number >= N
	local n=$1
	shift
	[ "$("$@")" -ge "$n" ] 2>/dev/null
}
t_require "a supernode federating with a slow name starts" \
	sn_start f sn3 -p 7654 --datapath=socket -F Federation \
	-l sn2fed.slow.test:7654
t_check "it answers n2nctl while the name is pending" sh -c \
	"grep -q 'query sn2fed.slow.test' '$T/dns2.log' &&
	! grep -q 'sn2fed.slow.test:7654 is' '$T/sn3.log'"
t_check_eq "(no member yet)" 0 "$(members sn3)"
kill -HUP "$(cat "$T/sn3.pid")"
t_check "SIGHUP while the name is pending: the supernode goes on" \
	lab_wait_for "sn3 after HUP" 3 sh -c "grep -q SIGHUP '$T/sn3.log' &&
	'$CTL' -s '$T/sn3.sock' -j stats >/dev/null"
t_check "the name resolves and the supernodes federate" lab_wait_for \
	"federation" 40 at_least 1 members sn3

# Daemon mode (no -f): it forks before its first lookup, whose thread a
# later fork would have lost (the name then asked again after the 10 s
# timeout): it federates with the name asked exactly once.
queries() { grep -c "query sn2fed.slow.test" "$T/dns2.log"; }
q=$(queries)
t_check "a daemonized supernode with a slow name starts (exit 0)" \
	lab_exec f "$SN" -p 7656 --datapath=socket -F Federation \
	-l sn2fed.slow.test:7654 --ctl-socket="$T/sn4.sock"
t_check "it is running, detached" lab_wait_for "sn4 socket" 5 \
	test -S "$T/sn4.sock"
t_check "and federates through the name" lab_wait_for "sn4 federation" 40 \
	at_least 1 members sn4
t_check_eq "asked once: the lookup survived detaching" 1 $(($(queries) - q))
PID4=$(pgrep -f -- "--ctl-socket=$T/sn4.sock")
t_check_eq "one process, in a session of its own" "$PID4" \
	"$(ps -o sid= -p "$PID4" | tr -d ' ')"
t_check "SIGTERM stops it" sh -c "kill -TERM $PID4 &&
	for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 $PID4 2>/dev/null ||
	exit 0; sleep 0.5; done; exit 1"

t_summary
