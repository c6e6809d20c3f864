#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# -S2: edges reaching their supernode over TCP, where UDP to it is blocked.
# Proves: our edge with -S2 registers with our supernode over TCP (nft drops
# every UDP datagram to the supernode on its host) and pings a UDP edge
# across the VPN, relayed; it reconnects after the supernode restarts; the
# kernel datapath is refused with -S2 and auto picks sockets, saying why;
# and the supernode holds against hostile TCP clients: a cap on connections
# overall and per source address, a connection without a registration
# closed after a few seconds (and, over a cap, the oldest of those making
# room for a new connection), a frame left unfinished (slowloris) closed,
# a frame length above 2048 closed, a peer that reads nothing gets a
# bounded queue (frames beyond it dropped), a TCP client at a UDP edge's
# ip:port gets none of its traffic, an edge moves UDP <-> TCP -- each counted by reason in
# `n2nctl stats`. With a stock n2n 3.1.1 build (N2N_STOCK_DIR or $2): our
# edge -S2 against the stock supernode, a stock edge -S2 against ours.
#
#   wan br0 198.18.0.0/24: sn .0.1 (ours, port 7654), ssn .0.2 (stock),
#   t .0.11 (-S2 edges; UDP to .0.1 and .0.2 dropped by nft), u .0.12 (UDP
#   edges), v .0.13 (an edge moving between UDP and TCP), h .0.20 (hostile clients, plus .0.200-.0.232)
#   overlay 198.19.14.0/24 (ours), 198.19.15.0/24 (mixed with stock)
#   test_tcp.sh BUILD_DIR [STOCK_DIR]
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
STOCK=${2:-${N2N_STOCK_DIR:-}}
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"
PROBE=$OUT/tests/netns/tcp_probe

T=$(mktemp -d /tmp/n2nk-tcp.XXXXXX)
lab_on_cleanup rm -rf "$T"

lab_init "$OUT" || exit 1
lab_add_public_host sn 198.18.0.1
lab_add_public_host ssn 198.18.0.2
lab_add_public_host t 198.18.0.11
lab_add_public_host u 198.18.0.12
lab_add_public_host h 198.18.0.20
lab_add_public_host v 198.18.0.13
for h in t u v; do
	lab_exec $h sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done
# The point of -S2: this host cannot send UDP to the supernodes.
lab_exec t nft -f - <<'NFT'
table inet noudp {
	chain out {
		type filter hook output priority 0;
		ip daddr { 198.18.0.1, 198.18.0.2 } meta l4proto udp counter drop
	}
}
NFT

start_edge() {	# start_edge NAME HOST ARGS...: pid in $T/NAME.pid
	local name=$1 host=$2
	shift 2
	rm -f "$T/$name.sock"
	lab_bg "$host" "$T/$name.log" "$EDGE" -f -v -i 4 \
		--ctl-socket="$T/$name.sock" "$@" >"$T/$name.pid"
}
stop() { lab_kill "$(cat "$T/$1.pid")"; }
transport() { info_field "$1" transport; }
sn_transport() { sn_edge_field sn "$1" transport; }
udp_dropped() {	# UDP datagrams nft dropped on t
	lab_exec t nft list table inet noudp | grep -o 'packets [0-9]*' |
		awk '{print $2}'
}

# henet is header-encrypted (-H): listed by name; the rest plaintext.
printf 'henet\n.*\n' >"$T/communities"
t_require "supernode starts" sn_start sn sn -p 7654 --datapath=socket \
	-c "$T/communities"
t_check "it listens on TCP 7654 too" lab_wait_port sn tcp 7654 5
t_require "a supernode with --no-tcp starts" sn_start sn snnotcp -p 7658 \
	--datapath=socket --no-tcp
if lab_port_bound sn tcp 7658; then
	t_fail "--no-tcp: no TCP listener" "TCP 7658 is bound"
else
	t_pass "--no-tcp: no TCP listener"
fi
t_check "(its UDP port is bound)" lab_port_bound sn udp 7658
sn_stop snnotcp

# --- our edge -S2, our supernode; a UDP edge on the other side ---
MAC_T=02:00:00:00:14:01
MAC_U=02:00:00:00:14:02
start_edge et t -c tcpnet -k s3cret -a 198.19.14.1/24 -d n2t -m $MAC_T \
	-l 198.18.0.1:7654 -S2
start_edge eu u -c tcpnet -k s3cret -a 198.19.14.2/24 -d n2u -m $MAC_U \
	-l 198.18.0.1:7654
t_check "the -S2 edge registers over TCP" lab_wait_for "et registered" 15 \
	registered et
t_check "the UDP edge registers" lab_wait_for "eu registered" 15 registered eu
t_check_eq "the -S2 edge says its transport" \
	"tcp connected 198.18.0.1:7654" "$(transport et)"
t_check_eq "the supernode reaches it over TCP" tcp "$(sn_transport $MAC_T)"
t_check_eq "and the other over UDP" udp "$(sn_transport $MAC_U)"
t_check_eq "the -S2 edge took the socket datapath" socket \
	"$(info_field et datapath)"
t_check "auto said why: -S2 is TCP" grep -q "S2: the supernode is reached over TCP" \
	"$T/et.log"
t_check "ping -S2 edge -> UDP edge across the VPN" \
	lab_wait_for "ping t->u" 10 pings t 198.19.14.2 2
t_check "5 of 5 echoes UDP edge -> -S2 edge" pings_all u 198.19.14.1 5
t_check_eq "the -S2 edge stays relayed (no P2P)" relay \
	"$(peer_path et $MAC_U)"

# --- TCP and UDP ports are apart: a TCP client bound to a UDP edge's
# ip:port (registered, in a community of its own) gets none of its
# traffic, which still reaches the edge ---
MAC_V=02:00:00:00:14:05
start_edge ev v -c tcpnet -k s3cret -a 198.19.14.5/24 -d n2v -m $MAC_V \
	-l 198.18.0.1:7654 -p 50001
t_check "a UDP edge on port 50001 registers" lab_wait_for "ev registered" 15 \
	registered ev
lab_exec v "$PROBE" capture 198.18.0.1 7654 hostile 02:00:00:00:14:06 \
	198.18.0.13 50001 6000 >"$T/capture" &
CAP=$!
sleep 1
t_check "5 of 5 echoes -S2 edge -> UDP edge on 50001 meanwhile" \
	pings_all t 198.19.14.5 5
wait $CAP
t_check_eq "the TCP client at its ip:port got none of it" 0 "$(cat "$T/capture")"
t_check_eq "the supernode still reaches it over UDP" udp "$(sn_transport $MAC_V)"
stop ev

# The same MAC moves UDP -> TCP -> UDP: each time reached the new way.
start_edge ev v -c tcpnet -k s3cret -a 198.19.14.5/24 -d n2v -m $MAC_V \
	-l 198.18.0.1:7654 -p 50001 -S2
t_check "UDP -> TCP: it registers over TCP" lab_wait_for "ev on tcp" 15 \
	sh -c "[ \"\$('$CTL' -s '$T/sn.sock' -j edges | jq -r '.rows[] |
	select(.mac == \"$MAC_V\") | .transport')\" = tcp ]"
t_check "and is reached" lab_wait_for "ping t->v tcp" 10 pings t 198.19.14.5 2
stop ev
start_edge ev v -c tcpnet -k s3cret -a 198.19.14.5/24 -d n2v -m $MAC_V \
	-l 198.18.0.1:7654 -p 50001
t_check "TCP -> UDP: it registers over UDP" lab_wait_for "ev on udp" 15 \
	sh -c "[ \"\$('$CTL' -s '$T/sn.sock' -j edges | jq -r '.rows[] |
	select(.mac == \"$MAC_V\") | .transport')\" = udp ]"
t_check "and is reached" lab_wait_for "ping t->v udp" 10 pings t 198.19.14.5 2
stop ev

# --- --datapath=kernel -S2 is refused up front ---
t_check "--datapath=kernel -S2 is refused with a reason" sh -c \
	"'$EDGE' -c x -l 198.18.0.1:7654 -S2 --datapath=kernel -f 2>&1 |
	grep -q 'S2 (TCP to the supernode) needs the socket datapath'"

# --- reconnect after the supernode restarts ---
sn_stop sn
t_check "the -S2 edge notices the supernode went" lab_wait_for \
	"et down" 10 sh -c "'$CTL' -s '$T/et.sock' -j info |
	jq -r '.rows[0].transport' | grep -qv connected"
# Back with the XDP relay: it must leave the -S2 edge to the daemon.
t_require "supernode restarts (XDP relay)" sn_start sn sn -p 7654 \
	--datapath=kernel -c "$T/communities"
t_check "its XDP relay is attached" has_xdp sn
t_check "the -S2 edge reconnects and registers again" lab_wait_for \
	"et re-registered" 30 sh -c "'$CTL' -s '$T/sn.sock' -j edges |
	jq -e '.rows[] | select(.mac == \"$MAC_T\" and .transport == \"tcp\")'"
t_check "ping again after the restart" lab_wait_for "ping after restart" \
	20 pings t 198.19.14.2 2
t_check "5 of 5 echoes UDP edge -> -S2 edge through the XDP supernode" \
	pings_all u 198.19.14.1 5
stop eu

# --- header encryption over TCP: the frame body is the sealed datagram ---
start_edge eh t -c henet -k s3cret -H -a 198.19.17.1/24 -d n2h \
	-m 02:00:00:00:17:01 -l 198.18.0.1:7654 -S2
start_edge ehu u -c henet -k s3cret -H -a 198.19.17.2/24 -d n2hu \
	-m 02:00:00:00:17:02 -l 198.18.0.1:7654
t_check "a -H -S2 edge registers over TCP" lab_wait_for "eh registered" 15 \
	registered eh
t_check "and pings a -H UDP edge" lab_wait_for "ping eh->ehu" 15 \
	pings t 198.19.17.2 2
t_check_eq "its community is header-encrypted at the supernode" encrypted \
	"$(sn_community sn henet header)"
stop eh
stop ehu

# --- the point: a UDP edge on that host does not get through ---
d=$(udp_dropped)
start_edge ex t -c tcpnet -k s3cret -a 198.19.14.3/24 -d n2x \
	-m 02:00:00:00:14:03 -l 198.18.0.1:7654
t_check "a UDP edge on the -S2 edge's host is blocked (nft drops)" \
	lab_wait_for "nft drops" 10 sh -c "[ \$(ip netns exec $(lab_ns t) \
	nft list table inet noudp | grep -o 'packets [0-9]*' | \
	awk '{print \$2}') -ge $((d + 2)) ]"
t_check_eq "and never registers" false "$(info_field ex registered)"
stop ex

# --- failover: the first supernode refuses TCP, the second answers ---
stop et
start_edge ef t -c tcpnet -k s3cret -a 198.19.14.4/24 -d n2f \
	-m 02:00:00:00:14:04 -l 198.18.0.2:7654 -l 198.18.0.1:7654 -S2
t_check "a -S2 edge fails over to the supernode that answers" \
	lab_wait_for "ef registered" 30 registered ef
t_check_eq "over TCP" "tcp connected 198.18.0.1:7654" "$(transport ef)"
# The refusal shows as "cannot connect" or, when the RST comes after
# connect() returned, "send failed (Connection refused)": either is logged.
t_check "it logged the refused connection" grep -q -E \
	"198.18.0.2:7654 over TCP: (cannot connect|send failed).*refused" \
	"$T/ef.log"
stop ef

# --- hostile clients ---
for i in $(seq 200 232); do
	lab_exec h ip addr add "198.18.0.$i/24" dev eth0
done
SRCS=$(seq -f '198.18.0.%g' 200 232)
c_before() { counter sn "$1"; }

b=$(c_before drop_tcp_source_limit)
t_check_eq "at most 8 connections per source address" 8 \
	"$(lab_exec h "$PROBE" hold 198.18.0.1 7654 12 1000 hostile 198.18.0.20)"
t_check_delta "the rest counted as tcp_source_limit" "$b" \
	"$(counter sn drop_tcp_source_limit)" -ge 4

# Behind one NAT: squatters (no registration) make room for an edge.
lab_exec h ip addr add 198.18.0.21/24 dev eth0
lab_exec h "$PROBE" hold 198.18.0.1 7654 8 3000 - 198.18.0.21 >/dev/null &
SQ=$!
sleep 1
b=$(c_before drop_tcp_source_limit)
t_check_eq "8 squatters from an address do not keep an edge there out" 1 \
	"$(lab_exec h "$PROBE" hold 198.18.0.1 7654 1 1000 hostile 198.18.0.21)"
t_check_delta "the oldest squatter made room, counted" "$b" \
	"$(counter sn drop_tcp_source_limit)" -ge 1
wait $SQ

b=$(c_before drop_tcp_conn_limit)
# Registered (a REGISTER_SUPER each), so none times out while they open.
# shellcheck disable=SC2086
t_check_eq "at most 256 connections in all" 256 \
	"$(lab_exec h "$PROBE" hold 198.18.0.1 7654 8 1500 hostile $SRCS)"
t_check_delta "the rest counted as tcp_conn_limit" "$b" \
	"$(counter sn drop_tcp_conn_limit)" -ge 8
t_check "the supernode still answers n2nctl" counter sn received

b=$(c_before drop_tcp_timeout)
t_check_eq "a connection with no registration is closed within 8 s" 0 \
	"$(lab_exec h "$PROBE" hold 198.18.0.1 7654 1 8000 - 198.18.0.20)"
t_check_delta "counted as tcp_timeout" "$b" \
	"$(counter sn drop_tcp_timeout)" -ge 1

b=$(c_before drop_tcp_partial_frame)
t_check "a registered slowloris (a byte a second) is closed" \
	lab_exec h "$PROBE" slow 198.18.0.1 7654 hostile 02:00:00:00:14:0a
t_check_delta "counted as tcp_partial_frame" "$b" \
	"$(counter sn drop_tcp_partial_frame)" -ge 1

# Idle: a registration not renewed closes the connection (90 s; 3 s here,
# on a supernode of its own on port 7655).
SN_WRAP=(env N2NK_SN_TCP_IDLE_S=3)
t_require "a supernode with a 3 s idle timeout starts" sn_start sn snidle \
	-p 7655 --datapath=socket
SN_WRAP=()
t_check "a registered connection that goes quiet is closed" \
	lab_exec h "$PROBE" quiet 198.18.0.1 7655 hostile 02:00:00:00:14:0e
t_check_num "counted as tcp_timeout" "$(counter snidle drop_tcp_timeout)" \
	-ge 1
sn_stop snidle

# Out of file descriptors: accept4 fails, and the listener (still
# readable) rests a second at a time instead of spinning the loop; once
# fds are free again, connections are taken.
SN_WRAP=(prlimit --nofile=40:40)
t_require "a supernode with 40 fds starts" sn_start sn snfd -p 7657 \
	--datapath=socket
SN_WRAP=()
# shellcheck disable=SC2086
lab_exec h "$PROBE" hold 198.18.0.1 7657 1 2500 - $SRCS >/dev/null
t_check "out of fds: logged, the listener paused" grep -q \
	"cannot accept connections" "$T/snfd.log"
t_check_num "at most once a tick, not a spin" \
	"$(grep -c "cannot accept connections" "$T/snfd.log")" -le 6
t_check_eq "the connections closed, one is taken again" 1 \
	"$(lab_exec h "$PROBE" hold 198.18.0.1 7657 1 1000 hostile 198.18.0.20)"
sn_stop snfd

b=$(c_before drop_tcp_frame_size)
t_check "a frame length above 2048 closes the connection" \
	lab_exec h "$PROBE" big 198.18.0.1 7654 hostile 02:00:00:00:14:0b
t_check_delta "counted as tcp_frame_size" "$b" \
	"$(counter sn drop_tcp_frame_size)" -ge 1
t_check_eq "the edge registered over it is forgotten" "" \
	"$(ctl sn edges | jq -r '.rows[] | select(.mac == "02:00:00:00:14:0b") | .mac')"

b=$(c_before drop_tcp_queue_full)
t_check "a flood to a peer that reads nothing" \
	lab_exec h "$PROBE" flood 198.18.0.1 7654 hostile \
	02:00:00:00:14:0c 02:00:00:00:14:0d 8000
t_check_delta "is dropped past its queue, counted as tcp_queue_full" "$b" \
	"$(counter sn drop_tcp_queue_full)" -ge 1
t_check "the supernode still answers n2nctl after it" counter sn received

# --- stock n2n 3.1.1 ---
if [ -z "$STOCK" ] || [ ! -x "$STOCK/edge" ] || [ ! -x "$STOCK/supernode" ]; then
	t_skip "stock interop" "no stock n2n build (N2N_STOCK_DIR)"
	t_summary
	exit
fi
STOCK=$(cd "$STOCK" && pwd)
lab_bg ssn "$T/ssn.log" "$STOCK/supernode" -p 7654 -f -v >"$T/ssn.pid"
lab_wait_port ssn tcp 7654 5
MAC_S1=02:00:00:00:15:01
MAC_S2=02:00:00:00:15:02
start_edge es t -c mixnet -k s3cret -a 198.19.15.1/24 -d n2s -m $MAC_S1 \
	-l 198.18.0.2:7654 -S2
lab_bg u "$T/esu.log" "$STOCK/edge" -c mixnet -k s3cret -a 198.19.15.2 \
	-d n2su -m $MAC_S2 -l 198.18.0.2:7654 -f >"$T/esu.pid"
t_check "our -S2 edge registers with the stock supernode" \
	lab_wait_for "es registered" 15 registered es
t_check "and pings a stock UDP edge through it" \
	lab_wait_for "ping es->esu" 15 pings t 198.19.15.2 2
stop es
lab_kill "$(cat "$T/esu.pid")"

# A stock edge -S2 (on t: no UDP to the supernode) against ours.
lab_bg t "$T/est.log" "$STOCK/edge" -c mixnet -k s3cret -a 198.19.15.3 \
	-d n2st -m 02:00:00:00:15:03 -l 198.18.0.1:7654 -S2 -f >"$T/est.pid"
start_edge eu2 u -c mixnet -k s3cret -a 198.19.15.4/24 -d n2u2 \
	-m 02:00:00:00:15:04 -l 198.18.0.1:7654
t_check "a stock -S2 edge registers with our supernode over TCP" \
	lab_wait_for "stock edge on tcp" 15 sh -c "'$CTL' -s '$T/sn.sock' -j edges |
	jq -e '.rows[] | select(.mac == \"02:00:00:00:15:03\" and .transport == \"tcp\")'"
t_check "and our UDP edge pings it" lab_wait_for "ping eu2->est" 15 \
	pings u 198.19.15.3 2

t_summary
