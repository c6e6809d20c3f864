#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# A whole n2n network in namespaces, userspace (socket) datapath. Proves:
# edges register (and log it as n2n does); ping and TCP cross the VPN P2P
# between full-cone NATs; -S1 edges are relayed (path "relay", the
# supernode's per-community forwarded count moves by exactly the echoes);
# symmetric NATs are connected through the relay (path "relay"), a full
# cone and a symmetric NAT P2P both ways, two port-restricted cones P2P; -A1, -A2,
# -A5 -z1 and -H put on the wire what they say (capture decoded with
# n2n-dissect); the config-file form sets MTU, MAC and route; an edge with
# the wrong key, and an edge of another community, get no answer although
# each works with its own kind (positive controls) and their frames are
# seen arriving and being refused; junk is dropped and counted while the
# network keeps working; edges fail over to the second supernode and
# re-register with a restarted first one.
#
#   wan br0 198.18.0.0/24: sn1 .0.1, sn2 .0.2 (supernodes, UDP 7654),
#   pub .0.11, pub2 .0.12, pub3 .0.13 (public edges)
#   ca 198.18.1.2 behind nat1 (.0.101, full cone)
#   cb 198.18.2.2 behind nat2 (.0.102, full cone)
#   sa 198.18.3.2 behind nat3 (.0.103, symmetric)
#   sb 198.18.4.2 behind nat4 (.0.104, symmetric)
#   ka 198.18.5.2 behind nat5 (.0.105, port-restricted cone)
#   kb 198.18.6.2 behind nat6 (.0.106, port-restricted cone)
#   (every NAT with a home router's input firewall, lab.sh)
#   overlay: community lab 198.19.1.0/24 (ca .1, cb .2, sa .3, sb .4, the
#   wrong-key edges .9 and .10, the config-file edge .20), relay
#   198.19.2.0/24, cone 198.19.3.0/24, one /24 per cipher pair
#   (198.19.11-16.0/24), community "other" 198.19.1.7-8 (same /24, another
#   community).
#   test_network.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

JUNK=$OUT/tests/netns/udp_junk
T=$(mktemp -d /tmp/n2nk-net.XXXXXX)
lab_on_cleanup rm -rf "$T"

lab_init "$OUT" || exit 1
lab_add_public_host sn1 198.18.0.1
lab_add_public_host sn2 198.18.0.2
lab_add_public_host pub 198.18.0.11
lab_add_public_host pub2 198.18.0.12
lab_add_public_host pub3 198.18.0.13
lab_add_nat_host ca 1 full
lab_add_nat_host cb 2 full
lab_add_nat_host sa 3 symmetric
lab_add_nat_host sb 4 symmetric
lab_add_nat_host ka 5 cone
lab_add_nat_host kb 6 cone
# No IPv6 on the hosts: the TAPs' neighbour discovery and MLD would be
# frames the exact counts below do not expect (as in test_interop.sh).
for h in sn1 sn2 pub pub2 pub3 ca cb sa sb ka kb; do
	lab_exec $h sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done

# Fixed names can use -H; the expression lets any other community in.
cat >"$T/communities" <<'EOF'
# communities of the test network
lab
che
.*
EOF

start_sn() {	# start_sn HOST: up once its control socket is
	rm -f "$T/$1.sock"
	lab_bg "$1" "$T/$1.log" "$SN" -p 7654 -c "$T/communities" -f -v \
		--datapath=socket \
		--ctl-socket="$T/$1.sock" >"$T/$1.pid"
	lab_wait_for "$1 control socket" 5 test -S "$T/$1.sock"
}

start_edge() {	# start_edge NAME HOST ARGS...: NAME names log and socket
	local name=$1 host=$2
	shift 2
	lab_bg "$host" "$T/$name.log" "$EDGE" -f -i 4 \
		--ctl-socket="$T/$name.sock" "$@" >"$T/$name.pid"
}

# Predicates for lab_wait_for: evaluated afresh on every poll.
path_is() {	# path_is NAME MAC PATH
	[ "$(peer_path "$1" "$2")" = "$3" ]
}

current_sn_is() {	# current_sn_is NAME HOST:PORT
	[ "$(ctl "$1" supernodes 2>/dev/null |
		jq -r '.rows[] | select(.current) | .host')" = "$2" ]
}

sn_edges_at_least() {	# sn_edges_at_least NAME COMMUNITY N
	[ "$(ctl "$1" edges 2>/dev/null | jq --arg c "$2" \
		'[.rows[] | select(.community == $c)] | length')" -ge "$3" ]
}

wait_registered() {	# wait_registered NAME...
	local n
	for n in "$@"; do
		lab_wait_for "$n registered" 15 registered "$n" ||
			{ tail -n 20 "$T/$n.log"; return 1; }
	done
}

SN_ARGS=(-l 198.18.0.1:7654 -l 198.18.0.2:7654)
MAC_CA=02:00:00:00:01:01
MAC_CB=02:00:00:00:01:02
MAC_SA=02:00:00:00:01:03
MAC_SB=02:00:00:00:01:04

t_require "supernode sn1 starts" start_sn sn1
t_require "supernode sn2 starts" start_sn sn2

# --- two port-restricted cone NATs (Linux masquerade behind a home
# router's input firewall, lab.sh): the punches cross and the pair goes
# P2P, checked at the end (the bare-router race is test_nat.sh's). ---
MAC_KB=02:00:00:00:03:02
start_edge ka ka -c cone -k s3cret -A4 -a 198.19.3.1/24 -d n2k \
	-m 02:00:00:00:03:01 -p 50031 -l 198.18.0.1:7654
start_edge kb kb -c cone -k s3cret -A4 -a 198.19.3.2/24 -d n2k \
	-m $MAC_KB -p 50032 -l 198.18.0.1:7654
t_check "edges behind port-restricted cones register" wait_registered ka kb

# --- P2P between two full cone NATs, ChaCha20 ---
start_edge ca ca -c lab -k s3cret -A4 -a 198.19.1.1/24 -d n2n0 \
	-m $MAC_CA -p 50001 "${SN_ARGS[@]}"
start_edge cb cb -c lab -k s3cret -A4 -a 198.19.1.2/24 -d n2n0 \
	-m $MAC_CB -p 50002 "${SN_ARGS[@]}"
t_check "edges register with the supernode" wait_registered ca cb
t_check "registration is logged as n2n does" \
	grep -q '\[OK\] edge <<< ================ >>> supernode' "$T/ca.log"
t_check "ping across the VPN (full cone - full cone)" pings ca 198.19.1.2 5
t_check "full cone - full cone goes P2P" lab_wait_for "P2P path" 10 \
	path_is ca $MAC_CB p2p
# No ARP from here on between them: every PACKET counted below is an echo.
pin_neigh ca n2n0 198.19.1.2 $MAC_CB
pin_neigh cb n2n0 198.19.1.1 $MAC_CA
before=$(counter ca tx_p2p)
t_check "5 of 5 echoes answered over P2P" pings_all ca 198.19.1.2 5
t_check_delta "the P2P counter counts the 5 echo requests" \
	"$before" "$(counter ca tx_p2p)" -eq 5
lab_bg cb "$T/iperf-s.log" iperf3 -s -1 -p 5201 >/dev/null
t_check "iperf3 listens on cb" lab_wait_port cb tcp 5201 5
t_check "TCP (iperf3) over P2P" \
	lab_exec ca iperf3 -c 198.19.1.2 -p 5201 -t 2 -J --logfile "$T/iperf-c.json"

# --- relay only (-S1), AES: only ra and rb are in community "relay" and
# their neighbours are pinned (no ARP), so sn1's count for the community
# moves by exactly the 5 echo requests and the 5 replies. ---
start_edge ra ca -c relay -k s3cret -A3 -S1 -a 198.19.2.1/24 -d n2r \
	-m 02:00:00:00:02:01 -p 50011 -l 198.18.0.1:7654
start_edge rb cb -c relay -k s3cret -A3 -S1 -a 198.19.2.2/24 -d n2r \
	-m 02:00:00:00:02:02 -p 50012 -l 198.18.0.1:7654
t_check "-S1 edges register" wait_registered ra rb
pin_neigh ca n2r 198.19.2.2 02:00:00:00:02:02
pin_neigh cb n2r 198.19.2.1 02:00:00:00:02:01
fwd_before=$(sn_community sn1 relay forwarded)
t_check "ping with -S1 (relayed), 5 of 5" pings_all ca 198.19.2.2 5
t_check_eq "-S1 peers use the relay" relay \
	"$(peer_path ra 02:00:00:00:02:02)"
t_check_delta "the supernode relayed exactly the 10 echo PACKETs" \
	"$fwd_before" "$(sn_community sn1 relay forwarded)" -eq 10
t_check_num "relayed: no P2P packets" "$(counter ra tx_p2p)" -eq 0

# --- symmetric NATs: a new port per destination defeats punching, so the
# pair is relayed, and it works. Pinned neighbours: sa's counters for its
# peer sb see exactly the echoes. ---
start_edge sa sa -c lab -k s3cret -A4 -a 198.19.1.3/24 -d n2n0 \
	-m $MAC_SA -p 50003 "${SN_ARGS[@]}"
start_edge sb sb -c lab -k s3cret -A4 -a 198.19.1.4/24 -d n2n0 \
	-m $MAC_SB -p 50004 "${SN_ARGS[@]}"
t_check "edges behind symmetric NATs register" wait_registered sa sb
pin_neigh sa n2n0 198.19.1.4 $MAC_SB
pin_neigh sb n2n0 198.19.1.3 $MAC_SA
fwd_before=$(counter sn1 forwarded)
t_check "ping symmetric-symmetric (relayed), 5 of 5" \
	pings_all sa 198.19.1.4 5
t_check_eq "symmetric-symmetric: sa's path to sb is the relay" relay \
	"$(peer_path sa $MAC_SB)"
t_check_eq "symmetric-symmetric: sb's path to sa is the relay" relay \
	"$(peer_path sb $MAC_SA)"
t_check_num "sa sent its 5 echo requests to sb through the supernode" \
	"$(peer_field sa $MAC_SB tx_relay)" -eq 5
t_check_num "sa got sb's 5 replies through the supernode" \
	"$(peer_field sa $MAC_SB rx_relay)" -eq 5
t_check_num "sa sent nothing to sb P2P" "$(peer_field sa $MAC_SB tx_p2p)" -eq 0
# At least the 10 echo PACKETs; the REGISTERs the edges keep sending to
# each other through sn1 (punch attempts) may add to it.
t_check_delta "the supernode's forwarded count moved (>= 10)" \
	"$fwd_before" "$(counter sn1 forwarded)" -ge 10
t_check "ping full cone - symmetric" pings ca 198.19.1.3 5
# The symmetric side's REGISTER reaches ca from another port than the
# supernode saw; ca punches back there only because it is the address the
# supernode named (docs/architecture.md, "Peer paths"), and both go P2P.
fullcone_symmetric_p2p() {
	path_is ca $MAC_SA p2p && path_is sa $MAC_CA p2p
}
t_check "full cone - symmetric goes P2P both ways" lab_wait_for \
	"P2P both ways" 15 fullcone_symmetric_p2p

# --- every cipher, compression, header encryption: each pair pings, and
# what it put on the wire says so (captured on ca's eth0, before nat1,
# decoded by n2n-dissect) ---
cipher_pair() {	# cipher_pair TAG NET ARGS...: UDP ports 5NET1, 5NET2
	local tag=$1 net=$2
	shift 2
	start_edge "${tag}a" ca -c "c$tag" -a "198.19.$net.1/24" -d "n2$tag" \
		-p "5$net""1" "${SN_ARGS[@]}" "$@"
	start_edge "${tag}b" cb -c "c$tag" -a "198.19.$net.2/24" -d "n2$tag" \
		-p "5$net""2" "${SN_ARGS[@]}" "$@"
}
cipher_pair a1 11 -A1
cipher_pair a2 12 -k s3cret -A2
cipher_pair a5 15 -k s3cret -A5 -z1
cipher_pair he 16 -k s3cret -A4 -H
for tag in a1 a2 a5 he; do
	t_check "$tag edges register" wait_registered "${tag}a" "${tag}b"
done
cap=$(cap_start ca eth0 "$T/ciphers.pcap" \
	'udp and (port 5111 or port 5121 or port 5151 or port 5161)')
t_check "tcpdump captures ca's eth0" test -n "$cap"
t_check "null transform (-A1)" pings ca 198.19.11.2
t_check "Twofish (-A2)" pings ca 198.19.12.2
t_check "Speck with LZO (-A5 -z1)" pings ca 198.19.15.2
# 1000 zero bytes: LZO makes them smaller, so -z1 must compress these.
t_check "Speck with LZO: 1000-byte compressible echoes" \
	lab_exec ca ping -q -c 2 -i 0.2 -W 2 -s 1000 -p 00 198.19.15.2
t_check "header encryption (-H)" pings ca 198.19.16.2
[ -n "$cap" ] && lab_kill "$cap"

# on_wire NAME PORT DISSECT_ARGS...: the captured datagrams of UDP port
# PORT, decoded by n2n-dissect into $T/NAME.txt; fails when any of them
# does not decode so (a PACKET of another transform fails it).
on_wire() {
	local name=$1 port=$2
	shift 2
	lab_exec ca tcpdump -n -r "$T/ciphers.pcap" -w "$T/$name.pcap" \
		"udp port $port" 2>/dev/null &&
		"$DISSECT" "$@" "$T/$name.pcap" >"$T/$name.txt"
}
lines() {	# lines NAME REGEX: how many lines of $T/NAME.txt match
	grep -cE -- "$2" "$T/$1.txt"
}
t_check "-A1 on the wire: every datagram decodes, PACKETs are null" \
	on_wire a1 5111 -c ca1 -k none -A1
t_check_num "-A1 on the wire: the echoes travel in null PACKETs" \
	"$(lines a1 'PACKET "ca1" .* null frame .* ICMP 198.19.11')" -ge 1
t_check "-A2 on the wire: every datagram decodes, PACKETs are twofish" \
	on_wire a2 5121 -c ca2 -k s3cret -A2
t_check_num "-A2 on the wire: the echoes decrypt with Twofish" \
	"$(lines a2 'PACKET "ca2" .* twofish frame .* ICMP 198.19.12')" -ge 1
t_check "-A5 on the wire: every datagram decodes, PACKETs are speck" \
	on_wire a5 5151 -c ca5 -k s3cret -A5
t_check_num "-z1 on the wire: PACKETs carry LZO (compression 2)" \
	"$(lines a5 'PACKET "ca5" .* speck compression 2$')" -ge 1
t_check "-H on the wire: every datagram decodes with header decryption" \
	on_wire he 5161 -c che -H -k s3cret -A4
t_check_num "-H on the wire: the echoes are in encrypted-header PACKETs" \
	"$(lines he '\[H\] PACKET "che" .* chacha20 frame .* ICMP 198.19.16')" \
	-ge 1
t_check_fails "-H on the wire: the headers do not read as plain n2n" \
	"$DISSECT" -c che -k s3cret -A4 "$T/he.pcap"
t_check_eq "sn1 sees community che header-encrypted" encrypted \
	"$(sn_community sn1 che header)"
t_check_eq "and ca2, without -H, plain" plain "$(sn_community sn1 ca2 header)"

# --- the tutorial's config-file form: -n route, -M=1390, -m, -r ---
cat >"$T/edge.conf" <<'EOF2'
# as in n2n's tutorials
-d=n2cf
-c=lab
-k=s3cret
-A4
-a=198.19.1.20/24
-p=50020
-l=198.18.0.1:7654
-M=1390
-m=02:00:00:00:01:20
-r
-n=198.19.200.0/24:198.19.1.1
EOF2
lab_bg pub "$T/cf.log" "$EDGE" "$T/edge.conf" -f -i 4 \
	--ctl-socket="$T/cf.sock" >"$T/cf.pid"
t_check "config-file edge registers" wait_registered cf
t_check "config file: -M=1390 sets the MTU" \
	lab_exec pub sh -c 'ip link show n2cf | grep -q "mtu 1390"'
t_check "config file: -m sets the MAC" \
	lab_exec pub sh -c 'ip link show n2cf | grep -q 02:00:00:00:01:20'
t_check "config file: -n adds the route" \
	lab_exec pub sh -c 'ip route | grep -q "198.19.200.0/24 via 198.19.1.1 dev n2cf"'
t_check "config-file edge reaches the community" pings pub 198.19.1.2 3
lab_kill "$(cat "$T/cf.pid")"
t_check "Packet stats printed on exit" grep -q 'TX P2P' "$T/cf.log"

# --- isolation: wrong key, other community. Each negative has its
# positive control: the outsider is registered and works with its own
# kind, and its frames are seen arriving where they are refused. ---
MAC_WK=02:00:00:00:01:09
start_edge wk pub -c lab -k WRONG -A4 -a 198.19.1.9/24 -d n2n0 \
	-m $MAC_WK -p 50009 "${SN_ARGS[@]}"
start_edge wk2 pub2 -c lab -k WRONG -A4 -a 198.19.1.10/24 -d n2n0 \
	-p 50010 "${SN_ARGS[@]}"
t_check "wrong-key edges register (the key is not checked there)" \
	wait_registered wk wk2
t_check "control: two edges with the same wrong key reach each other" \
	pings pub 198.19.1.10 3
# wk's echoes to ca go out as unicasts to ca's MAC (no ARP needed): ca
# must take in each one, and answer none. With IPv6 off nothing else
# comes to ca meanwhile but a stray frame of its P2P peers (at most 1 seen),
# so 6 echoes cannot be faked by the rest.
pin_neigh pub n2n0 198.19.1.1 $MAC_CA
in_before=$(frames_in ca)
t_check "wrong key cannot reach the community" no_reply pub 198.19.1.1 6
t_check_delta "ca took in the 6 wrong-key echoes (delivered or dropped)" \
	"$in_before" "$(frames_in ca)" -ge 6
start_edge oc sn2 -c other -k s3cret -A4 -a 198.19.1.8/24 -d n2n0 \
	-p 50008 "${SN_ARGS[@]}"
start_edge oc2 pub3 -c other -k s3cret -A4 -a 198.19.1.7/24 -d n2n0 \
	-p 50007 "${SN_ARGS[@]}"
t_check "edges of another community register" wait_registered oc oc2
t_check "control: the other community works inside itself" \
	pings sn2 198.19.1.7 3
pin_neigh sn2 n2n0 198.19.1.1 $MAC_CA
unknown_before=$(counter sn1 drop_unknown_dest)
t_check "another community is isolated" no_reply sn2 198.19.1.1 3
# (oc's QUERY_PEERs for that MAC are dropped under that name too)
t_check_delta "sn1 dropped the 3 echoes for a MAC not in 'other'" \
	"$unknown_before" "$(counter sn1 drop_unknown_dest)" -ge 3

# --- junk at the supernode and at an edge: dropped, counted, harmless ---
sn_drops=$(drops sn1)
wk_drops=$(drops wk)
lab_exec pub "$JUNK" 198.18.0.1 7654 400 >/dev/null
lab_exec sn1 "$JUNK" 198.18.0.11 50009 200 >/dev/null
t_check "supernode counts dropped junk (400)" lab_wait_for "junk counted" 5 \
	drops_grew sn1 "$sn_drops" 400
t_check "edge counts dropped junk (200)" lab_wait_for "edge junk counted" 5 \
	drops_grew wk "$wk_drops" 200
t_check "network still works after junk" pings ca 198.19.1.2 3
t_check "supernode still running after junk" \
	lab_exec sn1 kill -0 "$(cat "$T/sn1.pid")"

# --- the masquerade pair, started at the top ---
t_check "port-restricted cone - cone: traffic crosses" pings ka 198.19.3.2 3
t_check "port-restricted cone - cone goes P2P" lab_wait_for "cone P2P" 10 \
	path_is ka $MAC_KB p2p

# --- failover to the second supernode, then a restarted first one ---
lab_kill "$(cat "$T/sn1.pid")"
t_check "edges fail over to sn2" lab_wait_for "failover" 20 \
	current_sn_is ca 198.18.0.2:7654
t_check "ping after failover" lab_wait_for "ping after failover" 10 \
	pings ca 198.19.1.2 2
t_check "sn1 restarts" start_sn sn1
lab_kill "$(cat "$T/sn2.pid")"
# lab: ca, cb, sa, sb and the two wrong-key edges.
t_check "every lab edge re-registers with the restarted sn1" \
	lab_wait_for "re-registration" 25 sn_edges_at_least sn1 lab 6
t_check "relayed ping through the restarted supernode" \
	lab_wait_for "ping via restarted sn1" 10 pings sa 198.19.1.4 2

# --- detached (no -f): still stops on SIGTERM; its socket dir root's ---
# The daemon forks away from lab_bg, so its pid comes from the namespace.
only_pid() {	# only_pid HOST: the one process running in HOST
	local p
	p=$(ip netns pids "$(lab_ns "$1")")
	[ "$(wc -w <<<"$p")" -eq 1 ] && echo "$p"
}
lab_add_public_host det 198.18.0.15
# In a directory it makes, as /run/n2nk: the directory stays root's (it
# is every daemon's), so the dropped daemon leaves its socket behind and
# the next start replaces it.
lab_exec det "$SN" -p 7777 --datapath=socket \
	--ctl-socket="$T/run/detached.sock" >/dev/null 2>&1
t_check "a detached supernode comes up" \
	lab_wait_for "detached socket" 5 test -S "$T/run/detached.sock"
dpid=$(only_pid det)
t_check "it runs alone in its host" t_is_num "$dpid"
# Root only for set-up: then nobody (no n2n user here), and on the socket
# datapath no capability at all.
status_field() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
t_check_eq "it dropped root: uid nobody" "$(id -u nobody)" \
	"$(status_field "$dpid" Uid)"
t_check_eq "with no capability left" 0000000000000000 \
	"$(status_field "$dpid" CapEff)"
t_check_eq "none to regain either (bounding set empty)" 0000000000000000 \
	"$(status_field "$dpid" CapBnd)"
kill -TERM "$dpid" 2>/dev/null
t_check "SIGTERM stops it" lab_wait_for "detached exit" 5 lab_pid_gone "$dpid"
t_check_eq "its control socket's directory stayed root's" "0 750" \
	"$(stat -c '%u %a' "$T/run")"
lab_exec det "$SN" -p 7777 --datapath=socket \
	--ctl-socket="$T/run/detached.sock" >/dev/null 2>&1
t_check "the next start replaces the socket left behind" \
	lab_wait_for "detached answers" 5 "$CTL" -s "$T/run/detached.sock" stats
dpid=$(only_pid det)
kill -TERM "$dpid" 2>/dev/null
t_check "and stops again" lab_wait_for "detached exit" 5 lab_pid_gone "$dpid"

t_summary
