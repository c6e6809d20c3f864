#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# What the namespace suites ask our daemons, sourced after lab.sh: n2nctl
# as JSON against a daemon's control socket in $T, and overlay pings.
# The caller sets OUT (the build directory) and T (where the sockets are).

EDGE=$OUT/sbin/edge
SN=$OUT/sbin/supernode
CTL=$OUT/tools/n2nctl
KEYGEN=$OUT/tools/n2n-keygen

ctl() {		# ctl NAME ARGS...: n2nctl --json against NAME's socket
	local name=$1
	shift
	"$CTL" -s "$T/$name.sock" -j "$@"
}

registered() {	# registered NAME: its current supernode answered
	[ "$(ctl "$1" info 2>/dev/null | jq -r '.rows[0].registered')" = true ]
}

counter() {	# counter NAME COUNTER: one row of its stats
	ctl "$1" stats 2>/dev/null |
		jq -r --arg c "$2" '.rows[] | select(.counter == $c) | .value'
}

drops() {	# drops NAME: sum of every drop_* counter
	ctl "$1" stats 2>/dev/null |
		jq '[.rows[] | select(.counter | startswith("drop_")) | .value] | add'
}

peer_path() {	# peer_path NAME MAC: p2p, relay or empty
	ctl "$1" peers 2>/dev/null |
		jq -r --arg m "$2" '.rows[] | select(.mac == $m) | .path'
}

pings() {	# pings HOST DST [COUNT]: quiet ping, success if any reply
	lab_exec "$1" ping -q -c "${3:-3}" -i 0.2 -W 2 "$2" >/dev/null 2>&1
}

# relayed_edges NET SN_AT [TAG]: edges a and b (already lab hosts) join the
# plain community "plain" through the supernode at SN_AT with -S1, so all
# their traffic is relayed: overlay 198.19.NET.1/.2, MACs
# 02:00:00:00:0NET:01/02, UDP ports 500NET1/2; logs $T/<edge>TAG.log,
# pids in $T/<edge>.pid. Returns once both registered (15 s each at most).
relayed_edges() {
	local net=$1 sn_at=$2 tag=${3:-} e n
	for e in a b; do
		n=$([ $e = a ] && echo 1 || echo 2)
		lab_bg $e "$T/$e$tag.log" "$EDGE" -f -i 4 \
			--ctl-socket="$T/$e.sock" -c plain -k s3cret -A3 -S1 \
			-a "198.19.$net.$n/24" -d n2x -m "02:00:00:00:0$net:0$n" \
			-p "500$net$n" -l "$sn_at" >"$T/$e.pid"
	done
	for e in a b; do
		lab_wait_for "$e registered with $sn_at" 15 registered $e ||
			tail -n 20 "$T/$e$tag.log"
	done
}
