#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Repeated NAT traversal trials in the namespace lab (tests/netns/lab.sh),
# fresh namespaces for every run (conntrack outlives nothing then): two of
# our edges and our supernode, a pair of NAT kinds, K runs each. Prints per
# pairing k/n runs that reached P2P on both sides within the window, with a
# 95% Wilson interval, the median and p95 seconds from the first frame to
# P2P, and the punches spent (both edges' punch_tx at P2P, or at the end
# of the window). Not part of `make check`: `make nat-trials`.
#
#   tools/nat-trials.sh [-k RUNS] [-w WINDOW_S] BUILD_DIR [PAIRING...]
#
# PAIRING is KIND_A:KIND_B[:HOPS[:EDGE_ARGS]], KIND none (a public host) or
# a lab.sh NAT kind (cone, symmetric, full, each with -bare), HOPS transit
# routers on each NATed side, EDGE_ARGS extra edge flags with commas for
# spaces (-L,2). Default: the six home-router pairings and the bare
# cone-cone ones (adjacent, across a transit router, and that with -L 2).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
LAB=$HERE/../tests/netns

# --- one run, in a child: prints "p2p=0|1 ms=N punches=N" ---
one_run() {
	local spec=$1 ka kb hops args t0 i ms=-1 p
	OUT=$2 WINDOW=$3
	IFS=: read -r ka kb hops args <<<"$spec"
	hops=${hops:-0}
	# shellcheck source=../tests/netns/lab.sh
	source "$LAB/lab.sh"
	# shellcheck source=../tests/netns/n2nk.sh
	source "$LAB/n2nk.sh"
	T=$(mktemp -d /tmp/n2nk-trial.XXXXXX)
	lab_on_cleanup rm -rf "$T"
	lab_init "$OUT" >&2 && lab_add_public_host sn1 198.18.0.1 &&
		host a 1 "$ka" "$hops" && host b 2 "$kb" "$hops" &&
		sn_start sn1 sn1 -p 7654 --datapath=socket >&2 ||
		{ echo "error=setup"; return 1; }
	edge a 1 "${args//,/ }" && edge b 2 "${args//,/ }"
	lab_wait_for "a and b registered" 15 both_registered >&2 ||
		{ echo "error=register"; return 1; }
	t0=$(lab_now_ms)
	lab_exec a ping -q -c 1 -W 1 198.19.1.2 >/dev/null 2>&1 &
	lab_exec b ping -q -c 1 -W 1 198.19.1.1 >/dev/null 2>&1 &
	for ((i = 0; i < WINDOW * 20; i++)); do
		if both_p2p; then
			ms=$(($(lab_now_ms) - t0))
			break
		fi
		[ $(($(lab_now_ms) - t0)) -ge $((WINDOW * 1000)) ] && break
		sleep 0.05
	done
	p=$(($(counter a punch_tx) + $(counter b punch_tx)))
	echo "p2p=$([ "$ms" -ge 0 ] && echo 1 || echo 0) ms=$ms punches=$p"
}

host() {	# host NAME N KIND HOPS
	if [ "$3" = none ]; then
		lab_add_public_host "$1" "198.18.0.$((10 + $2))"
	else
		lab_add_nat_host "$1" "$2" "$3" "$4"
	fi >&2 && lab_exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
}

edge() {	# edge NAME N "ARGS"
	# shellcheck disable=SC2086 # ARGS split on purpose
	lab_bg "$1" "$T/$1.log" "$EDGE" -f -c trial -k s3cret -A4 \
		-a "198.19.1.$2/24" -d n2trial -m "02:00:00:00:01:0$2" \
		-p "4000$2" -l 198.18.0.1:7654 --ctl-socket="$T/$1.sock" \
		$3 >/dev/null
}

both_registered() { registered a && registered b; }
both_p2p() {
	[ "$(peer_path a 02:00:00:00:01:02 2>/dev/null)" = p2p ] &&
		[ "$(peer_path b 02:00:00:00:01:01 2>/dev/null)" = p2p ]
}

if [ "${1:-}" = --one ]; then
	one_run "$2" "$3" "$4"
	exit
fi

# --- the driver ---
RUNS=20 WINDOW=15
while getopts k:w: o; do
	case $o in
	k) RUNS=$OPTARG ;;
	w) WINDOW=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: nat-trials.sh [-k RUNS] [-w WINDOW_S] BUILD_DIR [PAIRING...]" >&2; exit 2; }
[[ $RUNS =~ ^[1-9][0-9]*$ && $WINDOW =~ ^[1-9][0-9]*$ ]] ||
	{ echo "nat-trials: -k and -w take positive numbers" >&2; exit 2; }
BUILD=$(cd "$1" && pwd) || exit 2
shift
PAIRINGS=("$@")
# shellcheck disable=SC2054 # the comma in -L,2 is the spec's
[ ${#PAIRINGS[@]} -gt 0 ] || PAIRINGS=(none:none cone:none cone:cone
	symmetric:none symmetric:cone symmetric:symmetric
	cone-bare:cone-bare cone-bare:cone-bare:1 cone-bare:cone-bare:1:-L,2)

# pct SORTED_FILE P: the P-th percentile (nearest rank) of its numbers
pct() {
	local n
	n=$(wc -l <"$1")
	[ "$n" -gt 0 ] || { echo -; return; }
	sed -n "$(((n * $2 + 99) / 100))p" "$1"
}

# wilson K N: the 95% interval, in percent
wilson() {
	awk -v k="$1" -v n="$2" 'BEGIN { z = 1.96; p = k / n;
		d = 1 + z * z / n; c = (p + z * z / (2 * n)) / d;
		h = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d;
		lo = c - h; hi = c + h; if (lo < 0) lo = 0; if (hi > 1) hi = 1;
		printf "%.0f-%.0f%%", 100 * lo, 100 * hi }'
}

printf '%-34s %7s %9s %7s %7s %10s %s\n' pairing p2p "95% CI" med_s p95_s \
	punches "(median, p95; runs=$RUNS, window ${WINDOW}s)"
for spec in "${PAIRINGS[@]}"; do
	tmp=$(mktemp -d)
	ok=0 n=0
	for ((i = 0; i < RUNS; i++)); do
		res=$(LAB_PREFIX="n2nk-tr$$-" bash "$0" --one "$spec" "$BUILD" \
			"$WINDOW" 2>>"$tmp/errors")
		n=$((n + 1))
		if [[ $res =~ p2p=1\ ms=([0-9]+)\ punches=([0-9]+) ]]; then
			ok=$((ok + 1))
			echo "${BASH_REMATCH[1]}" >>"$tmp/ms"
			echo "${BASH_REMATCH[2]}" >>"$tmp/punches"
		elif [[ $res =~ punches=([0-9]+) ]]; then
			echo "${BASH_REMATCH[1]}" >>"$tmp/punches"
		else
			echo "run $i: ${res:-no result}" >>"$tmp/failed"
		fi
	done
	touch "$tmp/ms" "$tmp/punches"
	sort -n -o "$tmp/ms" "$tmp/ms"
	sort -n -o "$tmp/punches" "$tmp/punches"
	med=$(pct "$tmp/ms" 50) p95=$(pct "$tmp/ms" 95)
	[ "$med" = - ] || med=$(awk -v m="$med" 'BEGIN { printf "%.1f", m / 1000 }')
	[ "$p95" = - ] || p95=$(awk -v m="$p95" 'BEGIN { printf "%.1f", m / 1000 }')
	printf '%-34s %7s %9s %7s %7s %10s\n' "$spec" "$ok/$n" \
		"$(wilson "$ok" "$n")" "$med" "$p95" \
		"$(pct "$tmp/punches" 50),$(pct "$tmp/punches" 95)"
	[ -s "$tmp/failed" ] && sed 's/^/    /' "$tmp/failed"
	rm -rf "$tmp"
done
