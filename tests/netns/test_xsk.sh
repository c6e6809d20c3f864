#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The supernode's slow path over AF_XDP: with --datapath=kernel, what the
# XDP relay does not forward itself (registrations, broadcasts, junk) comes
# to the daemon through AF_XDP sockets, never through the UDP stack, while
# relayed PACKETs stay in the kernel; malformed frames are dropped and
# counted; --datapath=auto picks the kernel backend on a supernode, falls
# back to sockets when the program cannot attach, and a supernode that may
# not open AF_XDP sockets keeps its slow path on the UDP socket.
#
# Same topology as test_xdp_relay.sh (the supernode behind one router,
# nat3); nat3 also throws hand-made frames at sn1.
#
#                  wan: br0 (198.18.0.0/24)
#       +-----------------+-----------------+
#   +---+---+         +---+---+         +---+---+
#   | nat3  | .0.103  | nat1  | .0.101  | nat2  | .0.102   all full cone
#   +---+---+         +---+---+         +---+---+
#       | lan0 .3.1 (raw frames from here)
#   +---+---+         +---+---+         +---+---+
#   |  sn1  | .3.2    |   a   | .1.2    |   b   | .2.2
#   | XDP + |         | -S1   |         | -S1   |   overlay 198.19.7.1/.2
#   | AF_XDP|         +-------+         +-------+
#   +-------+
#   test_xsk.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"
JUNK=$OUT/tests/netns/udp_junk

T=$(mktemp -d /tmp/n2nk-xsk.XXXXXX)
lab_on_cleanup rm -rf "$T"

lab_init "$OUT" || exit 1
lab_add_nat_host sn1 3 full
lab_add_nat_host a 1 full
lab_add_nat_host b 2 full

udp_snmp() {	# udp_snmp FIELD: a Udp: column of sn1's /proc/net/snmp
	lab_exec sn1 awk -v f="$1" \
		'/^Udp:/ { if (seen) { print $f; exit } seen = 1 }' /proc/net/snmp
}
udp_in() { udp_snmp 2; }	# datagrams sn1's UDP stack delivered
udp_noports() { udp_snmp 3; }	# ... and found no socket for

counter_above() {	# counter_above NAME COUNTER N
	[ "$(counter "$1" "$2")" -gt "$3" ]
}


# raw_frames KIND COUNT: hand-made n2n QUERY_PEERs from nat3's lan0 to
# sn1's eth0, broken as KIND says (ip_csum, udp_csum, wrong_addr); the
# relay hands them to the daemon's AF_XDP socket, which must drop them.
raw_frames() {
	local dmac smac
	dmac=$(lab_exec sn1 cat /sys/class/net/eth0/address)
	smac=$(lab_exec nat3 cat /sys/class/net/lan0/address)
	lab_exec nat3 python3 - "$1" "$2" "$dmac" "$smac" <<'EOF'
import socket, struct, sys
kind, count, dmac, smac = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s & 0xffff) + (s >> 16)
    s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
src = socket.inet_aton("198.18.0.99")
dst = socket.inet_aton("198.18.3.77" if kind == "wrong_addr" else "198.18.3.2")
# n2n common header: version 3, TTL 2, flags = QUERY_PEER, community "junk"
n2n = struct.pack("!BBH20s", 3, 2, 11, b"junk") + bytes(20)
udp_len = 8 + len(n2n)
pseudo = src + dst + struct.pack("!BBH", 0, 17, udp_len)
udp = struct.pack("!HHHH", 40000, 7654, udp_len, 0) + n2n
ucs = csum(pseudo + udp) or 0xffff
if kind == "udp_csum":
    ucs ^= 0x5555
udp = udp[:6] + struct.pack("!H", ucs) + udp[8:]
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 1, 0, 64, 17, 0,
                 src, dst)
ics = csum(ip)
if kind == "ip_csum":
    ics ^= 0x5555
ip = ip[:10] + struct.pack("!H", ics) + ip[12:]
eth = bytes.fromhex(dmac.replace(":", "")) + \
      bytes.fromhex(smac.replace(":", "")) + b"\x08\x00"
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("lan0", 0))
for _ in range(count):
    s.send(eth + ip + udp)
EOF
}

# --- --datapath=kernel: the slow path is AF_XDP --------------------------
u0=$(udp_in)
t_require "the supernode starts with --datapath=kernel" \
	sn_start sn1 sn -p 7654 --datapath=kernel
t_check "the supernode logs AF_XDP as its slow path" grep -q \
	'datapath kernel.*XDP relay on eth0.*slow path over AF_XDP on eth0' \
	"$T/sn.log"
grep -o 'slow path over AF_XDP on [^)]*)' "$T/sn.log" | head -n 1

t_require "-S1 edges a and b register through AF_XDP" \
	relayed_edges 7 198.18.0.103:7654
t_check "edges registered through AF_XDP (first datagram logged)" \
	grep -q 'AF_XDP on eth0: first datagram for the daemon' "$T/sn.log"
t_check "n2nctl counts AF_XDP frames" counter_above sn xsk_received 0
t_check "ping through the XDP relay" pings a 198.19.7.2 5

f1=$(counter sn forwarded)
x1=$(counter sn xdp_relayed)
b1=$(counter sn broadcast)
# An empty neighbour cache on a: the next ping starts with one ARP request,
# a broadcast PACKET, which the relay hands to the daemon to fan out; b's
# entry for a is pinned, so b sends no ARP. Then the relay carries the
# unicast ARP reply and the 10 requests and 10 replies: 21.
pin_neigh b n2x 198.19.7.1 02:00:00:00:07:01
lab_exec a ip neigh flush dev n2x
t_check "ping after an ARP broadcast (slow-path fan-out), 10 of 10" \
	pings_all a 198.19.7.2 10
f2=$(counter sn forwarded)
x2=$(counter sn xdp_relayed)
b2=$(counter sn broadcast)
echo "10 pings: xdp_relayed $x1 -> $x2, forwarded $f1 -> $f2," \
	"broadcast $b1 -> $b2"
t_check_delta "the daemon fanned out the one ARP broadcast" "$b1" "$b2" -eq 1
t_check_delta "the kernel relayed the ARP reply and the 20 echo PACKETs" \
	"$x1" "$x2" -eq 21
t_check_delta "the daemon forwarded none of them" "$f1" "$f2" -eq 0
u1=$(udp_in)
echo "sn1 UDP InDatagrams: $u0 -> $u1"
t_check_delta "no datagram for the daemon climbed sn1's UDP stack" \
	"$u0" "$u1" -eq 0

# --- the relay's verdicts: DAEMON over AF_XDP, STACK to the stack ---------
# A PACKET for a MAC nobody registered (unknown_dest: relay verdict DAEMON)
# reaches the daemon over AF_XDP, which drops it under the same name, and
# none climbs the UDP stack. Datagrams to another port (wrong_port:
# verdict STACK) go to the stack, never to AF_XDP, whose check would drop
# them as wrong_port.
pin_neigh a n2x 198.19.7.99 02:00:00:00:07:99
xu1=$(counter sn xdp_unknown_dest)
du1=$(counter sn drop_unknown_dest)
xd1=$(counter sn xsk_delivered)
u2=$(udp_in)
t_check "nothing answers for an unregistered MAC" no_reply a 198.19.7.99 5
t_check "the daemon drops the 5 PACKETs for it" \
	lab_wait_for "drop_unknown_dest counted" 3 \
	counter_grew sn drop_unknown_dest "$du1" 5
t_check_delta "the relay passed those 5 on as unknown_dest" \
	"$xu1" "$(counter sn xdp_unknown_dest)" -eq 5
# (a's QUERY_PEERs for that MAC are dropped under that name too)
t_check_delta "the daemon dropped those 5 as unknown_dest" \
	"$du1" "$(counter sn drop_unknown_dest)" -ge 5
t_check_delta "they came over AF_XDP (xsk_delivered)" \
	"$xd1" "$(counter sn xsk_delivered)" -ge 5
t_check_delta "none of them climbed sn1's UDP stack" "$u2" "$(udp_in)" -eq 0
xw1=$(counter sn xdp_wrong_port)
n1=$(udp_noports)
lab_exec a "$JUNK" 198.18.0.103 7699 5 >/dev/null
t_check "the relay passes 5 datagrams for port 7699 to the stack" \
	lab_wait_for "xdp_wrong_port counted" 3 \
	counter_grew sn xdp_wrong_port "$xw1" 5
t_check_delta "exactly those 5 (xdp_wrong_port)" \
	"$xw1" "$(counter sn xdp_wrong_port)" -eq 5
t_check_delta "the stack got them (no socket on 7699)" \
	"$n1" "$(udp_noports)" -eq 5
t_check_num "none came over AF_XDP (xsk_drop_wrong_port)" \
	"$(counter sn xsk_drop_wrong_port)" -eq 0

# --- junk: n2n-looking junk reaches the daemon, broken frames do not ------
d1=$(drops sn)
lab_exec a "$JUNK" 198.18.0.103 7654 200 >/dev/null
t_check "the daemon counts the junk it got (200)" \
	lab_wait_for "junk counted" 5 drops_grew sn "$d1" 200
if command -v python3 >/dev/null; then
	ic1=$(counter sn "$C_XSK_DROP_IP_CSUM")
	uc1=$(counter sn "$C_XSK_DROP_UDP_CSUM")
	raw_frames ip_csum 20 && raw_frames udp_csum 20
	t_check "the 20 bad IP checksums are counted" \
		lab_wait_for "$C_XSK_DROP_IP_CSUM" 3 \
		counter_grew sn "$C_XSK_DROP_IP_CSUM" "$ic1" 20
	t_check "the 20 bad UDP checksums are counted" \
		lab_wait_for "$C_XSK_DROP_UDP_CSUM" 3 \
		counter_grew sn "$C_XSK_DROP_UDP_CSUM" "$uc1" 20
	t_check_delta "n2nctl counts exactly 20 bad IP checksums" \
		"$ic1" "$(counter sn "$C_XSK_DROP_IP_CSUM")" -eq 20
	t_check_delta "n2nctl counts exactly 20 bad UDP checksums" \
		"$uc1" "$(counter sn "$C_XSK_DROP_UDP_CSUM")" -eq 20
	t_check "a bad IP checksum is logged" grep -q \
		'AF_XDP on eth0: dropped a frame (ip_checksum)' "$T/sn.log"
	t_check "a bad UDP checksum is logged" grep -q \
		'AF_XDP on eth0: dropped a frame (udp_checksum)' "$T/sn.log"
else
	t_skip "broken IP and UDP checksums dropped and counted" \
		"hand-made frames need python3"
fi
t_check "the network still works after junk" pings a 198.19.7.2 3
t_check "the supernode still runs after junk" \
	lab_exec sn1 kill -0 "$(cat "$T/sn.pid")"

# --- auto while eth0 already runs the relay: sockets, and why -------------
# Forwarding is still off: auto tries the relay anyway (next hops from
# relay_hops), and falls back only because eth0's XDP is taken.
t_check_here "a second supernode starts" sn_start sn1 busy -p 7655
t_check "auto falls back to sockets when XDP is taken, and says why" grep -q \
	'datapath socket (auto: XDP relay unavailable (attaching XDP to eth0.*); using sockets)' \
	"$T/busy.log"
t_check "the failed attempt left the first relay working" \
	pings a 198.19.7.2 3
sn_stop busy
sn_stop sn
# The rest as before relay_hops: next hops from the FIB.
lab_exec sn1 sysctl -qw net.ipv4.ip_forward=1

# --- auto on a supernode: the kernel backend, bound to one address --------
t_check_here "the auto supernode starts" \
	sn_start sn1 auto -p 198.18.3.2:7654
t_check "auto picks the kernel backend with AF_XDP and says why" grep -q \
	'datapath kernel (auto: the XDP relay loaded; XDP relay on eth0.*slow path over AF_XDP' \
	"$T/auto.log"
t_check "edges register with the auto supernode" \
	lab_wait_for "register_super counted" 6 \
	counter_above auto register_super 0
t_check "ping through the auto supernode's relay" pings a 198.19.7.2 3
if command -v python3 >/dev/null; then
	nl1=$(counter auto xdp_not_local)
	raw_frames wrong_addr 5
	# Not ours: the program leaves it to the stack (to be routed or
	# dropped there), never to the daemon's AF_XDP socket, whose check
	# (bound to 198.18.3.2) would drop it as not_local.
	t_check "frames for another address are left to the stack" \
		lab_wait_for "xdp_not_local counted" 3 \
		counter_grew auto xdp_not_local "$nl1" 5
	t_check_delta "exactly the 5 (xdp_not_local)" \
		"$nl1" "$(counter auto xdp_not_local)" -eq 5
	t_check_num "and none reaches the daemon (xsk_drop_not_local)" \
		"$(counter auto xsk_drop_not_local)" -eq 0
else
	t_skip "a frame for another address is left to the stack" \
		"hand-made frames need python3"
fi
sn_stop auto
lab_exec sn1 sysctl -qw net.ipv4.ip_forward=0

# --- no CAP_NET_RAW: the relay loads, AF_XDP does not: the UDP socket -----
u2=$(udp_in)
SN_WRAP=(setpriv --bounding-set=-net_raw)
t_check_here "a supernode without CAP_NET_RAW starts" \
	sn_start sn1 noraw -p 7654 --datapath=kernel
SN_WRAP=()
t_check "without CAP_NET_RAW the slow path is the UDP socket, and why" \
	grep -q 'AF_XDP unavailable on eth0.*Operation not permitted; slow path over the UDP socket' \
	"$T/noraw.log"
t_check "edges register over the UDP socket" \
	lab_wait_for "register_super counted" 6 \
	counter_above noraw register_super 0
t_check "relayed ping works with that fallback" pings a 198.19.7.2 3
u3=$(udp_in)
t_check_delta "the daemon read them from sn1's UDP stack" "$u2" "$u3" -gt 0
sn_stop noraw
t_summary
