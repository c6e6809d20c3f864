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
	local dp=$1 r0 f0
	capture b b 5602 5
	lab_exec a ping -q -c 3 -i 0.2 -s 200 198.19.6.2 >/dev/null
	sleep 4
	t_require "$dp: a DATA frame to b captured" \
		"$A6F" pick "$T/b.pcap" a6 "$T/frame"
	r0=$(counter b drop_replayed) f0=$(counter b drop_aead_tag)
	lab_exec a "$A6F" send "$T/frame" 198.18.0.12 5602
	t_check "$dp: a replayed frame is dropped and counted" lab_wait_for \
		"replayed" 5 counter_grew b drop_replayed "$r0" 1
	lab_exec a "$A6F" send "$T/frame" 198.18.0.12 5602 flip
	t_check "$dp: a bit-flipped frame is dropped and counted" \
		lab_wait_for "aead_tag" 5 counter_grew b drop_aead_tag "$f0" 1
	t_check "$dp: a's traffic still flows" pings a 198.19.6.2 3
}

# --- A non-member: the community's name, another key ----------------------
non_member() {	# non_member DP
	local dp=$1 f0
	KEY=wrong edge x x 4 "$dp"
	t_require "$dp: x registers" wait_registered x
	f0=$(counter b drop_aead_tag)
	t_check "$dp: x (another key) reaches nobody" no_reply x 198.19.6.2
	t_check "$dp: b drops x's broadcasts (ARP)" \
		counter_grew b drop_aead_tag "$f0" 1
	# Told b's MAC, x sends to it directly: a handshake, which fails.
	lab_exec x ip neigh replace 198.19.6.2 lladdr "$MB" dev n26 nud permanent
	t_check "$dp: x still reaches nobody" no_reply x 198.19.6.2 8
	t_check "$dp: x's handshakes fail at x" lab_wait_for "x handshake" 10 \
		counter_grew x drop_handshake 0 1
	t_check "$dp: b has no session with x" eval '! has_session b $MX'
	stop x
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
}

run_dp socket
t_summary
