#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# What the namespace suites ask our daemons, sourced after lab.sh: n2nctl
# as JSON against a daemon's control socket in $T, and overlay pings.
# The caller sets OUT (the build directory) and T (where the sockets are).
#
# The readers (counter, drops, frames_in, peer_field, peer_path, info_field,
# sn_edge_field, sn_community) fail loudly: when the daemon does not answer
# or the row is missing they print nothing on stdout, say which daemon and
# which row on stderr and return non-zero, so a comparison made with their
# output fails (compare with t_check_num / t_check_delta, which refuse a
# non-number).
# `registered` is a quiet predicate for lab_wait_for.
#
# Our supernodes: sn_start HOST NAME ARGS... starts one whose control
# socket is $T/NAME.sock, log $T/NAME.log, pid in $T/NAME.pid; sn_stop NAME
# stops it; has_xdp / no_xdp HOST [DEV] tell whether an XDP program is
# attached to HOST's DEV (eth0).

EDGE=$OUT/sbin/edge
SN=$OUT/sbin/supernode
CTL=$OUT/tools/n2nctl
KEYGEN=$OUT/tools/n2n-keygen
DISSECT=$OUT/tools/n2n-dissect

# Counter names the suites read that another change may rename (the drop
# reasons): one place to change. Rows of `n2nctl stats`.
C_DROP_TRANSFORM=drop_transform		# edge: PACKET of another transform
C_XDP_DROP_TTL=xdp_drop_ttl_expired	# supernode, kernel datapath
C_XSK_DROP_IP_CSUM=xsk_drop_ip_checksum	# supernode, AF_XDP slow path
C_XSK_DROP_UDP_CSUM=xsk_drop_udp_checksum
C_DROP_PREFIX=drop_			# what `drops` sums

n2nk_die() {	# n2nk_die MESSAGE: to stderr, returns 1
	echo "n2nk: $*" >&2
	return 1
}

ctl() {		# ctl NAME ARGS...: n2nctl --json against NAME's socket
	local name=$1
	shift
	"$CTL" -s "$T/$name.sock" -j "$@"
}

# ctl_rows NAME COMMAND: the JSON answer, or a message and failure.
ctl_rows() {
	local out
	out=$(ctl "$1" "$2" 2>&1) && [ -n "$out" ] ||
		{ n2nk_die "$1 did not answer 'n2nctl $2' ($T/$1.sock): $out"; return 1; }
	echo "$out"
}

# ctl_pick NAME COMMAND K V FIELD: FIELD of the first row whose column K
# is V; fails when no row matches or the field is null.
ctl_pick() {
	local rows got
	rows=$(ctl_rows "$1" "$2") || return 1
	got=$(jq -r --arg k "$3" --arg v "$4" --arg f "$5" \
		'[.rows[] | select(.[$k] == $v) | .[$f]] | first |
		select(. != null)' \
		<<<"$rows") || { n2nk_die "$1: 'n2nctl $2' is not JSON"; return 1; }
	[ -n "$got" ] ||
		{ n2nk_die "$1: 'n2nctl $2' has no row with $3 '$4' and a '$5'"; return 1; }
	echo "$got"
}

registered() {	# registered NAME: its current supernode answered (quiet)
	[ "$(ctl "$1" info 2>/dev/null | jq -r '.rows[0].registered')" = true ]
}

info_field() {	# info_field NAME FIELD: edge's `n2nctl info` (one row)
	local rows got
	rows=$(ctl_rows "$1" info) || return 1
	got=$(jq -r --arg f "$2" '.rows[0][$f] | select(. != null)' <<<"$rows")
	[ -n "$got" ] || { n2nk_die "$1: no '$2' in 'n2nctl info'"; return 1; }
	echo "$got"
}

counter() {	# counter NAME COUNTER: one row of its stats
	ctl_pick "$1" stats counter "$2" value
}

drops() {	# drops NAME: sum of every drop_* counter
	local rows sum
	rows=$(ctl_rows "$1" stats) || return 1
	sum=$(jq --arg p "$C_DROP_PREFIX" '[.rows[] |
		select(.counter | startswith($p)) | .value] | add // empty' \
		<<<"$rows")
	[ -n "$sum" ] ||
		{ n2nk_die "$1: no ${C_DROP_PREFIX}* rows in 'n2nctl stats'"; return 1; }
	echo "$sum"
}

# drops_grew NAME BEFORE N: its drops reached BEFORE + N; a predicate for
# lab_wait_for, never true for an unread BEFORE
drops_grew() {
	local now
	t_is_num "$2" && now=$(drops "$1") && [ "$now" -ge $(($2 + $3)) ]
}

# sn_start HOST NAME ARGS...: our supernode in HOST (-f -v and ARGS), up
# once its control socket is (5 s at most); else prints its log's tail and
# returns 1. SN_WRAP (an array, e.g. setpriv ...) goes before the binary.
# Start it in this shell (t_require, `||`), not in t_check's subshell.
SN_WRAP=()
sn_start() {
	local host=$1 name=$2
	shift 2
	rm -f "$T/$name.sock"
	lab_bg "$host" "$T/$name.log" "${SN_WRAP[@]}" "$SN" -f -v \
		--ctl-socket="$T/$name.sock" "$@" >"$T/$name.pid" || return 1
	lab_wait_for "$name control socket" 5 test -S "$T/$name.sock" ||
		{ tail -n 20 "$T/$name.log"; return 1; }
}

sn_stop() {	# sn_stop NAME: TERM, then KILL; its socket removed
	lab_kill "$(cat "$T/$1.pid")" && rm -f "$T/$1.sock"
}

has_xdp() {	# has_xdp HOST [DEV]: an XDP program on HOST's DEV (eth0)
	ip -n "$(lab_ns "$1")" link show dev "${2:-eth0}" | grep -q xdp
}
no_xdp() { ! has_xdp "$@"; }

# counter_grew NAME COUNTER BEFORE N: COUNTER reached BEFORE + N; a
# predicate for lab_wait_for, never true for an unread BEFORE
counter_grew() {
	local now
	t_is_num "$3" && now=$(counter "$1" "$2") && [ "$now" -ge $(($3 + $4)) ]
}

peer_field() {	# peer_field NAME MAC FIELD: an edge's `peers` row
	ctl_pick "$1" peers mac "$2" "$3"
}

peer_path() {	# peer_path NAME MAC: p2p or relay
	peer_field "$1" "$2" path
}

sn_edge_field() {	# sn_edge_field SN MAC FIELD: supernode's `edges` row
	ctl_pick "$1" edges mac "$2" "$3"
}

# sn_community SN COMMUNITY FIELD: supernode's `communities` row (header:
# plain, encrypted or undecided; edges, forwarded, broadcast)
sn_community() {
	ctl_pick "$1" communities community "$2" "$3"
}

# frames_in EDGE: PACKETs and junk the edge took in, delivered (rx_p2p,
# rx_supernode) or dropped (every drop_*): each arrival counts once.
frames_in() {
	local p s d
	p=$(counter "$1" rx_p2p) && s=$(counter "$1" rx_supernode) &&
		d=$(drops "$1") || return 1
	echo $((p + s + d))
}

pings() {	# pings HOST DST [COUNT]: quiet ping, success if any reply
	lab_exec "$1" ping -q -c "${3:-3}" -i 0.2 -W 2 "$2" >/dev/null 2>&1
}

# pings_all HOST DST COUNT: COUNT echoes, success only if every one was
# answered; says how many were on failure.
pings_all() {
	local out
	out=$(lab_exec "$1" ping -q -c "$3" -i 0.2 -W 2 "$2" 2>&1)
	grep -q "^$3 packets transmitted, $3 received" <<<"$out" && return 0
	n2nk_die "$1 -> $2: $(grep transmitted <<<"$out" || echo "$out")"
}

# no_reply HOST DST [COUNT]: succeeds when ping ran and nothing answered
# (ping's exit 1); a reply returns 1, and a ping that could not run (no
# route, no interface: ping's exit 2; no namespace) returns 2.
no_reply() {
	local rc=0
	lab_exec "$1" ping -q -c "${3:-3}" -i 0.2 -W 2 "$2" >/dev/null 2>&1 ||
		rc=$?
	case $rc in
	1) return 0 ;;
	0) n2nk_die "$1 -> $2: got a reply"; return 1 ;;
	*) n2nk_die "$1 -> $2: ping could not run (exit $rc)"; return 2 ;;
	esac
}

# pin_neigh HOST DEV IP MAC: a permanent neighbour entry, so no ARP is
# sent to IP and a count of relayed frames can be exact.
pin_neigh() {
	lab_exec "$1" ip neigh replace "$3" lladdr "$4" dev "$2" nud permanent
}

# relayed_edges NET SN_AT [TAG]: edges a and b (already lab hosts) join the
# plain community "plain" through the supernode at SN_AT with -S1, so all
# their traffic is relayed: overlay 198.19.NET.1/.2, MACs
# 02:00:00:00:0NET:01/02, UDP ports 500NET1/2; logs $T/<edge>TAG.log,
# pids in $T/<edge>.pid. Returns 0 once both registered (15 s each at
# most), else prints the log tail and returns 1.
# RELAYED_EDGE_ARGS (an array, empty by default) adds to their flags.
RELAYED_EDGE_ARGS=()
relayed_edges() {
	local net=$1 sn_at=$2 tag=${3:-} e n rc=0
	for e in a b; do
		n=$([ $e = a ] && echo 1 || echo 2)
		lab_bg $e "$T/$e$tag.log" "$EDGE" -f -i 4 \
			--ctl-socket="$T/$e.sock" -c plain -k s3cret -A3 -S1 \
			-a "198.19.$net.$n/24" -d n2x -m "02:00:00:00:0$net:0$n" \
			-p "500$net$n" -l "$sn_at" "${RELAYED_EDGE_ARGS[@]}" \
			>"$T/$e.pid" || rc=1
	done
	for e in a b; do
		lab_wait_for "$e registered with $sn_at" 15 registered $e ||
			{ tail -n 20 "$T/$e$tag.log"; rc=1; }
	done
	return $rc
}

# cap_start HOST IFACE PCAP FILTER: tcpdump in HOST writing what FILTER
# matches on IFACE to PCAP, each packet at once (--immediate-mode -U:
# nothing waits in a buffer when it is stopped); prints its pid once
# tcpdump says it is listening. Stop it with lab_kill (TERM: it flushes).
cap_start() {
	local pid
	pid=$(lab_bg "$1" "$3.log" tcpdump -n -U --immediate-mode -i "$2" \
		-w "$3" "$4") || return 1
	lab_wait_for "tcpdump on $1 $2" 5 grep -q 'listening on' "$3.log" ||
		{ cat "$3.log" >&2; return 1; }
	echo "$pid"
}
