#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# -A6, our per-peer sessions (docs/security.md), on both datapaths.
#
#                 wan namespace: br0, 198.18.0.0/24
#        +-----------+-----------+-----------+-----------+
#        |           |           |           |           |
#     +--+--+     +--+--+     +--+--+     +--+--+     +--+--+
#     | sn  |     |  a  |     |  b  |     |  c  |     |  x  |
#     | .1  |     | .11 |     | .12 |     | .13 |     | .14 |
#     +-----+     +-----+     +-----+     +-----+     +-----+
#   our supernode  -A6 edges a, b (P2P), c (-S1, relayed);
#   (and stock     x: same community, wrong key (a non-member)
#   n2n's, given)
#
# Proves: two -A6 edges reach each other P2P and relayed, through our
# supernode and (with N2N_STOCK_DIR) through stock n2n 3.1.1's; n2nctl
# peers shows identities and sessions; a replayed frame, a bit-flipped
# frame and a frame under another key are dropped and counted; a
# non-member never gets a session; a rekey under a running TCP flow does
# not stall it, and the key of the session before it does not open frames
# after it (N2NK_A6_KEYLOG); a restarted edge gets a new session; a stock
# edge told -A6's transform is refused clearly. N2NK_A6_DP picks the
# datapaths (default: socket, and kernel where it loads).
#   test_a6.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

T=$(mktemp -d /tmp/n2nk-a6.XXXXXX)
lab_on_cleanup rm -rf "$T"

lab_init "$OUT" || exit 1
lab_add_public_host sn 198.18.0.1
lab_add_public_host a 198.18.0.11
lab_add_public_host b 198.18.0.12
lab_add_public_host c 198.18.0.13
lab_add_public_host x 198.18.0.14

t_require "supernode" sn_start sn sn -p 7654

# edge NAME HOST N DATAPATH ARGS...: -A6 edge of community a6, overlay
# 198.19.6.N, MAC 02:00:00:00:06:0N, port 560N, identity in $T.
edge() {
	local name=$1 host=$2 n=$3 dp=$4
	shift 4
	rm -f "$T/$name.sock"
	lab_bg "$host" "$T/$name.log" env "N2NK_A6_KEYLOG=$T/$name.keys" \
		"${EDGE_ENV[@]}" "$EDGE" -f -v -i 4 \
		--ctl-socket="$T/$name.sock" -c a6 -A6 -k "${KEY:-s3cret}" \
		-a "198.19.6.$n/24" -d n26 --identity "$T/$name.id" \
		-m "$(printf '02:00:00:00:06:%02x' "$n")" -p "560$n" \
		-l "${SN_ADDR:-198.18.0.1:7654}" --datapath="$dp" "$@" \
		>"$T/$name.pid"
}
EDGE_ENV=()

wait_registered() {
	local n
	for n in "$@"; do
		lab_wait_for "$n registered" 15 registered "$n" ||
			{ tail -n 20 "$T/$n.log"; return 1; }
	done
}

stop() { lab_kill "$(cat "$T/$1.pid")"; }

A6F="$OUT/tests/netns/a6_frame"
MA=02:00:00:00:06:01 MB=02:00:00:00:06:02 MC=02:00:00:00:06:03
MX=02:00:00:00:06:04

fingerprint() {	# fingerprint NAME MAC: the identity NAME knows MAC by
	peer_field "$1" "$2" identity 2>/dev/null
}

my_identity() {	# my_identity NAME: its own (n2nctl keys)
	ctl "$1" keys | jq -r '.rows[0].identity'
}

has_session() {	# has_session NAME MAC: a current session with MAC
	local age
	age=$(peer_field "$1" "$2" session_age_s 2>/dev/null)
	[ -n "$age" ] && [ "$age" != null ]
}

# dropped NAME REASON: the daemon's and the kernel path's drops for REASON
dropped() {
	local d k
	d=$(counter "$1" "drop_$2" 2>/dev/null) || d=0
	k=$(counter "$1" "tc_rx_drop_$2" 2>/dev/null) || k=0
	echo $((d + k))
}

dropped_grew() {	# dropped_grew NAME REASON BEFORE N
	[ "$(dropped "$1" "$2")" -ge $(($3 + $4)) ]
}

# capture NAME HOST PORT SECONDS: tcpdump of the datagrams to PORT.
capture() {
	lab_bg "$2" "$T/$1.tcpdump.log" timeout "$4" tcpdump -i eth0 -U -n \
		-w "$T/$1.pcap" udp dst port "$3" >"$T/$1.cap.pid"
	sleep 1
}

# --- P2P and relayed, identities, sessions -------------------------------
basics() {	# basics DP
	local dp=$1
	t_check "$dp: ping a -> b" lab_wait_for "a6 ping" 20 pings a 198.19.6.2 1
	t_check "$dp: ping b -> a" pings b 198.19.6.1 3
	t_check "$dp: a and b P2P" lab_wait_for "P2P" 15 \
		eval '[ "$(peer_path a $MB 2>/dev/null)" = p2p ]'
	t_check "$dp: ping c -> a, relayed (-S1)" lab_wait_for "relayed ping" \
		20 pings c 198.19.6.1 1
	t_check_eq "$dp: c's path to a" relay "$(peer_path c "$MA")"
	t_check_eq "$dp: a knows b's identity, the one b has" \
		"$(my_identity b)" "$(fingerprint a "$MB")"
	t_check "$dp: a has a session with b" has_session a "$MB"
	t_check "$dp: and with c, through the supernode" has_session a "$MC"
}

# --- Replayed, flipped frames ---------------------------------------------
attacks() {	# attacks DP
	local dp=$1 r0 f0 l0 w0
	capture b b 5602 5
	lab_exec a ping -q -c 3 -i 0.2 -s 200 198.19.6.2 >/dev/null
	sleep 4
	t_require "$dp: a DATA frame to b captured" \
		"$A6F" pick "$T/b.pcap" a6 "$T/frame"
	r0=$(dropped b replayed) f0=$(dropped b aead_tag)
	lab_exec a "$A6F" send "$T/frame" 198.18.0.12 5602
	t_check "$dp: a replayed frame is dropped and counted" lab_wait_for \
		"replayed" 5 dropped_grew b replayed "$r0" 1
	# With IP options the kernel path leaves it to the stack, so to the
	# daemon, which must know the counter was taken in the kernel.
	r0=$(dropped b replayed) w0=$(counter b daemon_tap_written)
	lab_exec a "$A6F" send "$T/frame" 198.18.0.12 5602 ipopt
	t_check "$dp: ... also when it comes with IP options" lab_wait_for \
		"replayed (IP options)" 5 dropped_grew b replayed "$r0" 1
	t_check_delta "$dp: ... and is not written to the TAP" "$w0" \
		"$(counter b daemon_tap_written)" -eq 0
	lab_exec a "$A6F" send "$T/frame" 198.18.0.12 5602 flip
	t_check "$dp: a bit-flipped frame is dropped and counted" \
		lab_wait_for "aead_tag" 5 dropped_grew b aead_tag "$f0" 1
	t_check "$dp: a's traffic still flows" pings a 198.19.6.2 3
	t_check_eq "$dp: replays from a's address moved no path" \
		198.18.0.11:5601 "$(peer_field b "$MA" sockaddr)"
	# x floods b with valid-looking initiations "from a" (each from a
	# fresh key, mac1 right): the budget takes 10 a second per peer.
	l0=$(counter b drop_handshake_limit)
	lab_exec x "$A6F" inits "$(ctl b keys | jq -r '.rows[0].public_key')" \
		a6 "$MA" "$MB" 600 198.18.0.12 5602
	t_check "$dp: an initiation flood is held to the budget" lab_wait_for \
		"budget" 5 counter_grew b drop_handshake_limit "$l0" 500
	t_check "$dp: a's session survives the flood" pings a 198.19.6.2 3
}

# --- A non-member: the community's name, another key ----------------------
non_member() {	# non_member DP
	local dp=$1 f0
	KEY=wrong edge x x 4 "$dp"
	t_require "$dp: x registers" wait_registered x
	f0=$(dropped b aead_tag)
	t_check "$dp: x (another key) reaches nobody" no_reply x 198.19.6.2
	t_check "$dp: b drops x's broadcasts (ARP)" \
		dropped_grew b aead_tag "$f0" 1
	# Told b's MAC, x sends to it directly: a handshake, which fails.
	lab_exec x ip neigh replace 198.19.6.2 lladdr "$MB" dev n26 nud permanent
	t_check "$dp: x still reaches nobody" no_reply x 198.19.6.2 8
	t_check "$dp: x's handshakes fail at x" lab_wait_for "x handshake" 10 \
		counter_grew x drop_handshake 0 1
	t_check "$dp: b has no session with x" eval '! has_session b $MX'
	stop x
}

# keys_of NAME MAC: NAME's receive keys for MAC's sessions, oldest first.
keys_of() {
	awk -v m="$2" '$2 == m { print $6 }' "$T/$1.keys"
}

# min_interval FILE: the slowest 1 s interval of an iperf3 JSON, bit/s.
min_interval() {
	jq '[.intervals[].sum.bits_per_second] | min | floor' "$1"
}

# --- Rekey under a TCP flow; old keys open nothing after it --------------
rekey() {	# rekey DP (a and b run with N2NK_A6_REKEY_AFTER_S=3)
	local dp=$1 keys first later n0 srv
	n0=$(peer_field a "$MB" rekeys)
	local tx0 rx0 rd0 wr0
	tx0=$(counter a tc_tx_sent 2>/dev/null) rx0=$(counter b tc_rx_delivered 2>/dev/null)
	rd0=$(counter a daemon_tap_read) wr0=$(counter b daemon_tap_written)
	capture rk b 5602 14
	srv=$(lab_bg b "$T/iperf-s.log" iperf3 -s -1 -p 5201)
	lab_wait_port b tcp 5201 5
	t_check "$dp: TCP for 10 s across rekeys" lab_exec a iperf3 -c \
		198.19.6.2 -p 5201 -t 10 -i 1 -J --logfile "$T/iperf-$dp.json"
	t_check "$dp: no 1 s interval without data (no stall)" \
		[ "$(min_interval "$T/iperf-$dp.json")" -gt 0 ]
	t_check "$dp: a rekeyed at least twice meanwhile" \
		[ "$(peer_field a "$MB" rekeys)" -ge $((n0 + 2)) ]
	if [ "$dp" = kernel ]; then
		t_check_delta "$dp: the kernel sealed the flow" "$tx0" \
			"$(counter a tc_tx_sent)" -ge 1000
		t_check_delta "$dp: the kernel opened it" "$rx0" \
			"$(counter b tc_rx_delivered)" -ge 1000
		t_check_delta "$dp: the sender's daemon read almost none of it" \
			"$rd0" "$(counter a daemon_tap_read)" -le 20
		t_check_delta "$dp: the receiver's daemon wrote almost none" \
			"$wr0" "$(counter b daemon_tap_written)" -le 20
	fi
	sleep 3
	"$A6F" pick "$T/rk.pcap" a6 "$T/late-frame"
	keys=$(keys_of b "$MA")
	first=$(head -n 1 <<<"$keys")
	later=$(tail -n +2 <<<"$keys")
	t_check "$dp: a frame after the rekeys opens under a later key" \
		"$A6F" open "$T/late-frame" a6 $later
	t_check "$dp: ... and not under the first session's key" \
		eval '! "$A6F" open "$T/late-frame" a6 "$first"'
}

# --- Restart, identity rotation ----------------------------------------
restart() {	# restart DP
	local dp=$1 n0 fp0
	n0=$(wc -l <"$T/b.keys")
	stop b
	edge b b 2 "$dp"
	t_require "$dp: b registers again" wait_registered b
	t_check "$dp: a reaches the restarted b" lab_wait_for "restart ping" \
		20 pings a 198.19.6.2 1
	t_check "$dp: ... under a new session" \
		[ "$(wc -l <"$T/b.keys")" -gt "$n0" ]
	fp0=$(my_identity b)
	ctl b keys rotate >/dev/null
	t_check "$dp: n2nctl keys rotate: a new identity" \
		[ "$(my_identity b)" != "$fp0" ]
	t_check "$dp: a learns it through a new handshake" lab_wait_for \
		"rotated identity" 15 eval '[ "$(fingerprint a $MB)" = "$(my_identity b)" ]'
	t_check "$dp: traffic goes on" pings a 198.19.6.2 3
}

run_dp() {	# run_dp DP: the suite on one datapath
	local dp=$1
	edge a a 1 "$dp"
	edge b b 2 "$dp"
	edge c c 3 "$dp" -S1
	t_require "$dp: edges register" wait_registered a b c
	basics "$dp"
	attacks "$dp"
	non_member "$dp"
	stop a
	stop b
	stop c
	EDGE_ENV=(N2NK_A6_REKEY_AFTER_S=3)
	edge a a 1 "$dp"
	edge b b 2 "$dp"
	EDGE_ENV=()
	t_require "$dp: edges register (rekey every 3 s)" wait_registered a b
	t_check "$dp: ping" lab_wait_for "a6 ping" 20 pings a 198.19.6.2 1
	rekey "$dp"
	restart "$dp"
	stop a
	stop b
}

# --- Through stock n2n 3.1.1's supernode; a stock edge told to join ------
STOCK=${N2N_STOCK_DIR:-}
stock() {
	local dp=$1
	lab_bg sn "$T/stock-sn.log" "$STOCK/supernode" -p 7655 -f \
		>"$T/stock-sn.pid"
	SN_ADDR=198.18.0.1:7655
	edge a a 1 "$dp"
	edge b b 2 "$dp"
	edge c c 3 "$dp" -S1
	SN_ADDR=
	t_require "$dp, stock supernode: edges register" wait_registered a b c
	t_check "$dp, stock supernode: ping a -> b" lab_wait_for "ping" 20 \
		pings a 198.19.6.2 1
	t_check "$dp, stock supernode: P2P" lab_wait_for "P2P" 15 \
		eval '[ "$(peer_path a $MB 2>/dev/null)" = p2p ]'
	t_check "$dp, stock supernode: ping c -> a, relayed" lab_wait_for \
		"relayed" 20 pings c 198.19.6.1 1
	t_check "$dp, stock supernode: c and a have a session" has_session a "$MC"
	lab_bg x "$T/stock-x.log" "$STOCK/edge" -f -c a6 -k s3cret -A4 \
		-a 198.19.6.4/24 -d n26 -m "$MX" -l 198.18.0.1:7655 \
		>"$T/stock-x.pid"
	sleep 2
	lab_exec x ip neigh replace 198.19.6.1 lladdr "$MA" dev n26 nud permanent
	t_check "$dp: a stock edge cannot join an -A6 community" \
		no_reply x 198.19.6.1 4
	t_check "$dp: ... and the -A6 edge says why" lab_wait_for "warning" 10 \
		grep -q 'stock n2n edges cannot join' "$T/a.log"
	lab_kill "$(cat "$T/stock-x.pid")"
	stop a
	stop b
	stop c
	lab_kill "$(cat "$T/stock-sn.pid")"
}

# The kernel path where it loads (root, clang-built objects).
dps=${N2NK_A6_DP:-socket kernel}
for dp in $dps; do
	run_dp "$dp"
	if [ -n "$STOCK" ]; then
		stock "$dp"
	else
		t_skip "$dp: through stock n2n 3.1.1" "set N2N_STOCK_DIR"
	fi
done
t_summary
