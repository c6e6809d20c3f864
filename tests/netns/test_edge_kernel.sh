#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The edge's kernel data path (--datapath=kernel): established flows are
# moved by the TC programs, not the daemon.
#
#                    wan namespace: br0, 198.18.0.0/24
#        +-----------+-----------+-----------+-----------+
#        |           |           |           |           |
#     +--+--+     +--+--+     +--+--+     +--+--+     +--+--+
#     | sn  |     |  a  |     |  b  |     |  c  |     |  d  |
#     | .1  |     | .11 |     | .12 |     | .13 |     | .14 |
#     +-----+     +-----+     +-----+     +-----+     +-----+
#   supernode   kernel-path edges a, b: P2P; c, d: relayed (-S1) or
#   (sockets)   one on each backend; overlay 198.19.N.0/24 per pair
#
# Proves, for -A1, -A3, -A4 and -A5: ping and TCP (iperf3) P2P (and -A4
# relayed),
# with the kernel's counters showing the frames and the daemons' showing
# they moved no data frame; TCP checksums right at the receiver; a route
# whose MTU shrinks under an established path reaches the programs; a kernel
# edge and a socket edge talk both ways (same wire); -H falls back to
# sockets with auto and -A2 is refused with kernel, saying why; auto keeps
# -A3 on sockets where the kernel's AES is its slow portable C; a killed
# kernel edge's leftovers are removed by the next start; PACKETs from a
# peer's MAC but another address go to the daemon, never into the TAP by
# the kernel.
#   test_edge_kernel.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

T=$(mktemp -d /tmp/n2nk-ek.XXXXXX)
lab_on_cleanup rm -rf "$T"

lab_init "$OUT" || exit 1
lab_add_public_host sn 198.18.0.1
lab_add_public_host a 198.18.0.11
lab_add_public_host b 198.18.0.12
lab_add_public_host c 198.18.0.13
lab_add_public_host d 198.18.0.14

# -H needs a fixed community name at the supernode; the rest are let in.
printf 'c9\nc12\n.*\n' >"$T/communities"
lab_bg sn "$T/sn.log" "$SN" -p 7654 -c "$T/communities" -f -v \
	--ctl-socket="$T/sn.sock" >"$T/sn.pid"
t_require "supernode control socket" \
	lab_wait_for "sn socket" 5 test -S "$T/sn.sock"

# edge NAME HOST NET N DATAPATH ARGS...: an edge of community cNET,
# overlay 198.19.NET.N, MAC 02:00:00:00:NET:0N, port 5NET0N. EDGE_WRAP (an
# array, e.g. setpriv ...) goes before the binary.
EDGE_WRAP=()
edge() {
	local name=$1 host=$2 net=$3 n=$4 dp=$5
	shift 5
	lab_bg "$host" "$T/$name.log" "${EDGE_WRAP[@]}" "$EDGE" -f -v -i 4 \
		--ctl-socket="$T/$name.sock" -c "c$net" -a "198.19.$net.$n/24" \
		-d "n2$net" -m "$(printf '02:00:00:00:%02x:%02x' "$net" "$n")" \
		-p "5$net""0$n" \
		-l 198.18.0.1:7654 --datapath="$dp" "$@" >"$T/$name.pid"
}

wait_registered() {	# wait_registered NAME...
	local n
	for n in "$@"; do
		lab_wait_for "$n registered" 15 registered "$n" ||
			{ tail -n 20 "$T/$n.log"; return 1; }
	done
}

# quiet_overlay HOST DEV: no IPv6 on the overlay device, so no neighbour
# discovery or MLD multicast crosses a daemon while a test counts frames.
quiet_overlay() {
	lab_exec "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
}

kernel_peer() {	# kernel_peer NAME MAC: the peer's frames go in the kernel
	[ "$(peer_field "$1" "$2" datapath 2>/dev/null)" = kernel ]
}

# kernel_peers A MAC_B B MAC_A: both directions P2P in the kernel.
kernel_peers() {
	kernel_peer "$1" "$2" && kernel_peer "$3" "$4" &&
		[ "$(peer_path "$1" "$2" 2>/dev/null)" = p2p ] &&
		[ "$(peer_path "$3" "$4" 2>/dev/null)" = p2p ]
}

# pin_all HOST: permanent neighbours for every lab host, so no ARP frame
# goes through a daemon while a test counts them.
pin_all() {
	local h ip mac
	for h in sn a b c d; do
		ip=$(lab_ip $h)
		mac=$(lab_exec $h cat /sys/class/net/eth0/address)
		[ "$h" = "$1" ] || pin_neigh "$1" eth0 "$ip" "$mac"
	done
}

# tcp_run FROM TO_IP PORT: iperf3 for 2 s; fails unless it completes.
tcp_run() {
	local srv
	srv=$(lab_bg "${4:-b}" "$T/iperf-s-$3.log" iperf3 -s -1 -p "$3") || return 1
	lab_wait_port "${4:-b}" tcp "$3" 5 &&
		lab_exec "$1" iperf3 -c "$2" -p "$3" -t 2 -J \
			--logfile "$T/iperf-c-$3.json"
}

csum_errors() {	# csum_errors HOST: TCP and UDP checksum errors seen
	lab_exec "$1" nstat -az TcpInCsumErrors UdpInCsumErrors 2>/dev/null |
		awk '/CsumErrors/ { n += $2 } END { print n + 0 }'
}

for h in a b c d; do pin_all $h; done

# --- P2P, each kernel transform -----------------------------------------
# kernel_pair TAG NET ARGS...: a and b, both kernel path, ping, TCP,
# counters.
kernel_pair() {
	local tag=$1 net=$2 ma mb
	ma=$(printf '02:00:00:00:%02x:01' "$2") mb=$(printf '02:00:00:00:%02x:02' "$2")
	local before_a before_b tx rx
	shift 2
	edge "${tag}a" a "$net" 1 kernel "$@"
	edge "${tag}b" b "$net" 2 kernel "$@"
	t_require "$tag: edges register" wait_registered "${tag}a" "${tag}b"
	quiet_overlay a "n2$net"
	quiet_overlay b "n2$net"
	t_check "$tag: the kernel path loaded" \
		grep -q 'datapath kernel (requested with --datapath=kernel; TC on' \
		"$T/${tag}a.log"
	t_check "$tag: ping" pings a "198.19.$net.2" 5
	t_check "$tag: P2P, in the kernel, both ways" lab_wait_for \
		"$tag P2P" 15 kernel_peers "${tag}a" "$mb" "${tag}b" "$ma"
	t_check_eq "$tag: P2P path" p2p "$(peer_path "${tag}a" "$mb")"
	before_a=$(counter "${tag}a" daemon_tap_read)
	before_b=$(counter "${tag}b" daemon_tap_written)
	tx=$(counter "${tag}a" tc_tx_sent)
	rx=$(counter "${tag}b" tc_rx_delivered)
	t_check "$tag: TCP (iperf3, 2 s)" tcp_run a "198.19.$net.2" "52$net"
	t_check_delta "$tag: the kernel sent the flow" "$tx" \
		"$(counter "${tag}a" tc_tx_sent)" -ge 1000
	t_check_delta "$tag: the kernel delivered it" "$rx" \
		"$(counter "${tag}b" tc_rx_delivered)" -ge 1000
	t_check_delta "$tag: the sender's daemon read no frame of it" \
		"$before_a" "$(counter "${tag}a" daemon_tap_read)" -eq 0
	t_check_delta "$tag: the receiver's daemon wrote none" \
		"$before_b" "$(counter "${tag}b" daemon_tap_written)" -eq 0
	t_check_num "$tag: no TCP checksum error at the receiver" \
		"$(csum_errors b)" -eq 0
}
kernel_pair a1 1 -A1
kernel_pair a3 3 -k s3cret -A3
kernel_pair a4 4 -k s3cret -A4
kernel_pair a5 5 -k s3cret -A5
kernel_pair h4 12 -k s3cret -A4 -H

# --- the route changes under an established P2P path: a's route to the
# underlay gets MTU 1300, so a 1200-byte ping no longer fits once
# encapsulated; the next REGISTER_SUPER_ACK (-i 4) brings the new MTU to
# the programs, which then hand such frames to the daemon (its socket
# fragments them) instead of sending datagrams the route cannot carry ---
big_ping() { lab_exec a ping -c 1 -W 1 -s 1200 198.19.4.2 >/dev/null; }
t_check "mtu: a 1200-byte ping through the kernel path" big_ping
frag=$(counter a4a tc_tap_frag_needed)
lab_exec a ip route replace 198.18.0.0/24 dev eth0 mtu 1300
mtu_in() {	# the kernel path hands a big frame to the daemon
	big_ping
	[ "$(counter a4a tc_tap_frag_needed)" -gt "$frag" ]
}
t_check "mtu: the route's new MTU reaches the programs (frag_needed)" \
	lab_wait_for "route MTU in" 20 mtu_in
t_check "mtu: the daemon carries the big ping" big_ping
lab_exec a ip route replace 198.18.0.0/24 dev eth0

# --- relayed (-S1), both sides kernel -----------------------------------
edge r4c c 6 1 kernel -k s3cret -A4 -S1
edge r4d d 6 2 kernel -k s3cret -A4 -S1
t_require "relay: edges register" wait_registered r4c r4d
t_check "relay: ping" pings c 198.19.6.2 5
t_check "relay: in the kernel" lab_wait_for "relayed peer in kernel" 10 \
	kernel_peer r4c 02:00:00:00:06:02
# sn_relayed: PACKETs the supernode relayed, by its daemon or (auto picks
# it where it loads) by its XDP relay.
sn_relayed() {
	local f x
	f=$(counter sn forwarded) || return 1
	x=$(counter sn xdp_relayed 2>/dev/null) || x=0
	echo $((f + x))
}
fwd=$(sn_relayed)
tx=$(counter r4c tc_tx_sent)
t_check "relay: TCP (iperf3, 2 s)" tcp_run c 198.19.6.2 5261 d
t_check_delta "relay: the kernel sent it to the supernode" "$tx" \
	"$(counter r4c tc_tx_sent)" -ge 1000
t_check_delta "relay: the supernode relayed it" "$fwd" "$(sn_relayed)" \
	-ge 1000
t_check_eq "relay: the path is relay" relay \
	"$(peer_path r4c 02:00:00:00:06:02)"
t_check_num "relay: no TCP checksum error" "$(csum_errors d)" -eq 0

# --- one kernel edge, one socket edge: the same wire --------------------
edge m4c c 7 1 kernel -k s3cret -A4
edge m4d d 7 2 socket -k s3cret -A4
t_require "mixed: edges register" wait_registered m4c m4d
t_check "mixed: ping kernel -> socket" pings c 198.19.7.2 5
t_check "mixed: ping socket -> kernel" pings d 198.19.7.1 5
t_check "mixed: TCP kernel -> socket" tcp_run c 198.19.7.2 5271 d
t_check "mixed: TCP socket -> kernel" tcp_run d 198.19.7.1 5272 c

# --- a killed kernel edge leaves its veth pair; the next start with the
# same TAP name removes it (named after the TAP's name, not its ifindex) --
seg_pairs() {	# seg_pairs HOST: how many segmenting veth pairs it has
	lab_exec "$1" ip -o link show type veth | grep -c ': nks[0-9a-f]*a@'
}
pairs=$(seg_pairs c)
pid=$(cat "$T/m4c.pid")
kill -9 "$pid"
t_require "restart: the kernel edge is killed" lab_wait_for "m4c killed" 5 \
	lab_pid_gone "$pid"
t_check_num "restart: its veth pair outlives it" "$(seg_pairs c)" -eq "$pairs"
# Another MAC and address: the supernode keeps the dead edge's registration
# (and its auth token) until it expires, as stock n2n does.
edge m4r c 7 3 kernel -k s3cret -A4
t_require "restart: the edge registers again" wait_registered m4r
t_check_num "restart: the killed daemon's pair is gone, one new" \
	"$(seg_pairs c)" -eq "$pairs"
t_check "restart: ping kernel -> socket" pings c 198.19.7.2 5

# --- what the kernel path does not take ---------------------------------
edge f3 c 8 1 auto -k s3cret -A3
edge fh d 9 2 auto -k s3cret -A4 -H
t_require "fallback: edges register" wait_registered f3 fh
# auto takes -A3 only with a kernel AES that uses the CPU's instructions:
# the driver of the kernel's cbc(aes) lskcipher of highest priority
aes_driver() {
	awk -F' *: *' '/^name/ { n = $2 } /^driver/ { d = $2 }
		/^priority/ { p = $2 }
		/^type/ && n == "cbc(aes)" && $2 == "lskcipher" && p + 0 > best {
			best = p + 0; out = d }
		END { print out }' /proc/crypto
}
if aes_driver | grep -qE 'aesni|aes-ce|s390|p8|zvkned'; then
	t_check_eq "auto with -A3, an accelerated kernel AES: kernel" kernel \
		"$(info_field f3 datapath)"
else
	t_check_eq "auto with -A3, the kernel's AES $(aes_driver): sockets" \
		socket "$(info_field f3 datapath)"
	t_check "auto with -A3: says why" grep -q \
		"stays in userspace: the kernel's AES here is $(aes_driver)" \
		<<<"$(info_field f3 why)"
fi
t_check_eq "auto with -H: the kernel path" kernel \
	"$(info_field fh datapath)"
lab_exec c "$EDGE" -f -c c10 -k s3cret -A2 -a 198.19.10.1/24 -d n2r10 \
	-p 50991 -l 198.18.0.1:7654 --datapath=kernel \
	--ctl-socket="$T/refused.sock" >"$T/refused.log" 2>&1
t_check_num "kernel with -A2: refused" "$?" -ne 0
t_check "kernel with -A2: says why" grep -q 'cipher (Twofish) runs in userspace' \
	"$T/refused.log"

# --- the kernel path cannot load (no CAP_BPF, as a unit file that forgot
# it): auto falls back to sockets, says why, and the edge works ---
EDGE_WRAP=(setpriv --bounding-set=-bpf,-sys_admin)
edge nb c 11 1 auto -k s3cret -A4
EDGE_WRAP=()
edge nk d 11 2 kernel -k s3cret -A4
t_require "no CAP_BPF: edges register" wait_registered nb nk
t_check_eq "no CAP_BPF, auto: sockets" socket "$(info_field nb datapath)"
t_check "and says why" grep -q "kernel path unavailable (loading the edge's BPF" \
	<<<"$(info_field nb why)"
t_check "and talks to a kernel-path edge" pings c 198.19.11.2 5
t_check "maps: the kernel edge lists its maps" lab_wait_for "maps" 2 \
	sh -c "$CTL -s $T/nk.sock -j maps | jq -e '[.rows[].map] | index(\"peers\") != null'"
t_check_eq "maps: none on the socket path" 0 \
	"$(ctl nb maps | jq '.rows | length')"

# --- a peer's MAC from another address: to the daemon, not the TAP -----
# spoof COUNT: PACKETs of community c4 from a's MAC to b's, sent from sn.
spoof() {
	lab_exec sn python3 - "$1" <<'EOF'
import os, socket, struct, sys
hdr = struct.pack("!BBH20s", 3, 2, 3, b"c4")
macs = bytes.fromhex("020000000401" "020000000402")
pkt = hdr + macs + bytes([1, 4]) + os.urandom(16 + 98)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(int(sys.argv[1])):
    s.sendto(pkt, ("198.18.0.12", 5402))
EOF
}
spoofed_at_least() {	# spoofed_at_least N
	local n
	n=$(counter a4b tc_rx_spoofed_source) && [ "$n" -ge "$1" ]
}
if command -v python3 >/dev/null; then
	spoof_before=$(counter a4b tc_rx_spoofed_source)
	delivered_before=$(counter a4b tc_rx_delivered)
	t_check "send 50 PACKETs as a from sn's address" spoof 50
	t_check "the kernel hands them to the daemon" lab_wait_for "spoofed" 5 \
		spoofed_at_least $((spoof_before + 50))
	t_check_delta "and delivers none itself" "$delivered_before" \
		"$(counter a4b tc_rx_delivered)" -eq 0
else
	t_skip "spoofed PACKETs" "no python3 to make them"
fi

t_summary
