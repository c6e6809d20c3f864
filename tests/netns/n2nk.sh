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
