#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The NAT suite: our edges through our supernode in the six pairings of no
# NAT ("none", a public host), port-restricted cone and symmetric NATs, on
# the home-router lab (lab.sh: masquerade plus the router's input
# firewall). Asserts P2P both ways (each side's `n2nctl peers` path, and
# pings counted as P2P by both) for none-none, cone-none, cone-cone and
# symmetric-none, the relay (and traffic through it) for
# symmetric-symmetric, and NAT_SYM_CONE_EXPECT (p2p: birthday probing) for
# symmetric-cone. Then the
# bare-router variant (lab.sh's "-bare" kinds: no input firewall, port
# clashes), printed, not asserted; bare cone-cone with a transit router on
# each side and -L 2 (the first punch dies at the router, so no clash),
# asserted; and with N2N_STOCK_DIR, a stock n2n 3.1.1 edge (behind the
# NAT) with ours for the four easy pairings, P2P asserted on our side.
# All rows run at once, each on its own NAT routers and community.
#
#   wan br0 198.18.0.0/24: sn1 .0.1 (our supernode, UDP 7654)
#   row R: host aR and bR, each a public host 198.18.0.(10+2R-1 / 10+2R)
#   or behind router nat(2R-1) / nat(2R) (lab.sh's addresses; hopNa
#   transit routers where a row says so); community natR, overlay
#   198.19.R.1/.2, MACs 02:00:00:00:RR:01/02, UDP ports 4RR01/4RR02.
#   test_nat.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

# symmetric-cone: plain punching fails (a symmetric NAT gives the cone side
# a port it never punched, and the cone's filter drops it); birthday
# probing between our edges (docs/nat-birthday.md) makes it P2P.
NAT_SYM_CONE_EXPECT=${NAT_SYM_CONE_EXPECT:-p2p}
STOCK=${N2N_STOCK_DIR:-}
P2P_WAIT_S=45	# from the first ping to P2P on the p2p rows, at most
# Birthday probing (symmetric-cone) misses ~5 % of attempts at k = 1024; a
# miss is retried after 10 s instead of 5 min, at 200 probes/s (test-only
# knobs, each logged as a warning), so the row does not flake.
export N2NK_BDAY_BACKOFF_S=10 N2NK_BDAY_RATE=200

T=$(mktemp -d /tmp/n2nk-nat.XXXXXX)
lab_on_cleanup rm -rf "$T"
lab_init "$OUT" || exit 1
lab_add_public_host sn1 198.18.0.1

# Rows: "LABEL KIND_A KIND_B HOPS EXPECT EDGE_A EDGE_B [EDGE ARGS...]".
# KIND none (a public host) or a lab.sh NAT kind; HOPS transit routers on
# each NATed side; EXPECT p2p, relay or print; EDGE o (ours) or s (stock).
ROWS=(
	"none-none none none 0 p2p o o"
	"cone-none cone none 0 p2p o o"
	"cone-cone cone cone 0 p2p o o"
	"symmetric-none symmetric none 0 p2p o o"
	"symmetric-cone symmetric cone 0 $NAT_SYM_CONE_EXPECT o o"
	"symmetric-symmetric symmetric symmetric 0 relay o o"
	"bare:cone-none cone-bare none 0 print o o"
	"bare:cone-cone cone-bare cone-bare 0 print o o"
	"bare:symmetric-none symmetric-bare none 0 print o o"
	"bare:symmetric-cone symmetric-bare cone-bare 0 print o o"
	"bare:cone-cone,hops cone-bare cone-bare 1 print o o"
	"bare:cone-cone,hops,-L2 cone-bare cone-bare 1 p2p o o -L 2"
)
if [ -n "$STOCK" ]; then
	[ -x "$STOCK/edge" ] || { echo "test_nat: no $STOCK/edge" >&2; exit 2; }
	ROWS+=(
		"stock:none-none none none 0 p2p s o"
		"stock:cone-none cone none 0 p2p s o"
		"stock:cone-cone cone cone 0 p2p s o"
		"stock:symmetric-none symmetric none 0 p2p s o"
	)
fi

mac_of() { printf '02:00:00:00:%02x:%02d' "$1" "$2"; }	# mac_of ROW SIDE

# add_host NAME N KIND HOPS: public host 198.18.0.(10+N) or behind natN
add_host() {
	if [ "$3" = none ]; then
		lab_add_public_host "$1" "198.18.0.$((10 + $2))"
	else
		lab_add_nat_host "$1" "$2" "$3" "$4"
	fi && lab_exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
}

# start_edge ROW SIDE KIND ARGS...: edge ROW/SIDE (1 = a, 2 = b)
start_edge() {
	local r=$1 s=$2 kind=$3 name
	shift 3
	name=$([ "$s" = 1 ] && echo a || echo b)$r
	local args=(-f -c "nat$r" -k s3cret -A4 -a "198.19.$r.$s/24"
		-d "n2t$r" -m "$(mac_of "$r" "$s")" -p "4$(printf %02d "$r")0$s"
		-l 198.18.0.1:7654 "$@")
	if [ "$kind" = s ]; then
		lab_bg "$name" "$T/$name.log" "$STOCK/edge" "${args[@]}" \
			-t "$((20000 + r * 10 + s))" >/dev/null
	else
		lab_bg "$name" "$T/$name.log" "$EDGE" "${args[@]}" -i 10 \
			--ctl-socket="$T/$name.sock" >/dev/null
	fi
}

up() {		# up NAME KIND: registered with the supernode
	if [ "$2" = o ]; then
		registered "$1"
	else
		grep -q 'edge <<< ================ >>> supernode' "$T/$1.log"
	fi
}

path_is() { [ "$(peer_path "$1" "$2" 2>/dev/null)" = "$3" ]; }

# both_p2p R EA EB: every one of our edges of row R has the other as P2P
both_p2p() {
	{ [ "$2" != o ] || path_is "a$1" "$(mac_of "$1" 2)" p2p; } &&
		{ [ "$3" != o ] || path_is "b$1" "$(mac_of "$1" 1)" p2p; }
}

# --- the lab: one pair of hosts per row, all edges at once ---
t_require "supernode sn1 starts" sn_start sn1 sn1 -p 7654 --datapath=socket
setup_ok=1
for ((r = 1; r <= ${#ROWS[@]}; r++)); do
	read -r label ka kb hops expect ea eb extra <<<"${ROWS[r - 1]}"
	add_host "a$r" $((2 * r - 1)) "$ka" "$hops" &&
		add_host "b$r" $((2 * r)) "$kb" "$hops" || setup_ok=0
	# shellcheck disable=SC2086 # extra: edge arguments, split on purpose
	start_edge "$r" 1 "$ea" $extra
	# shellcheck disable=SC2086
	start_edge "$r" 2 "$eb" $extra
done
t_require "the lab: ${#ROWS[@]} rows of two hosts" [ "$setup_ok" = 1 ]
for ((r = 1; r <= ${#ROWS[@]}; r++)); do
	read -r label ka kb hops expect ea eb extra <<<"${ROWS[r - 1]}"
	t_check "$label: both edges register" lab_wait_for "row $r up" 15 \
		eval "up a$r $ea && up b$r $eb"
done

# --- each pair starts talking: a pings b and b pings a (the punching
# starts on the supernode's triggers both sides get), all rows together ---
kicks=()
for ((r = 1; r <= ${#ROWS[@]}; r++)); do
	lab_exec "a$r" ping -q -c 2 -i 0.5 -W 2 "198.19.$r.2" >/dev/null 2>&1 &
	kicks+=($!)
	lab_exec "b$r" ping -q -c 2 -i 0.5 -W 2 "198.19.$r.1" >/dev/null 2>&1 &
	kicks+=($!)
done
wait "${kicks[@]}" # (a bare `wait` would wait for the edges too)
deadline=$(($(lab_now_ms) + P2P_WAIT_S * 1000))
declare -A GOT
for ((i = 0; i < P2P_WAIT_S * 5; i++)); do
	left=0
	for ((r = 1; r <= ${#ROWS[@]}; r++)); do
		read -r label ka kb hops expect ea eb extra <<<"${ROWS[r - 1]}"
		[ -n "${GOT[$r]:-}" ] && continue
		if both_p2p "$r" "$ea" "$eb"; then
			GOT[$r]=$(($(lab_now_ms) - deadline + P2P_WAIT_S * 1000))
		elif [ "$expect" = p2p ]; then
			left=1 # relay and print rows are not waited for
		fi
	done
	[ "$left" = 0 ] || [ "$(lab_now_ms)" -ge "$deadline" ] && break
	sleep 0.2
done

# counted SIDE_A SIDE_B R: 5 echoes from aR to bR all answered, and both
# our edges counted them as P2P (a sent 5 requests, b received them)
counted_p2p() {
	local r=$1 ma mb ta rb
	ma=$(mac_of "$r" 1) mb=$(mac_of "$r" 2)
	if [ "$2" = o ]; then ta=$(peer_field "a$r" "$mb" tx_p2p) || return 1; fi
	if [ "$3" = o ]; then rb=$(peer_field "b$r" "$ma" rx_p2p) || return 1; fi
	pings_all "a$r" "198.19.$r.2" 5 || return 1
	sleep 0.5 # the kernel path's counters, folded in each tick
	if [ "$2" = o ]; then
		[ "$(peer_field "a$r" "$mb" tx_p2p)" -ge $((ta + 5)) ] ||
			{ n2nk_die "a$r: tx_p2p $ta -> $(peer_field "a$r" "$mb" tx_p2p)"; return 1; }
	fi
	if [ "$3" = o ]; then
		[ "$(peer_field "b$r" "$ma" rx_p2p)" -ge $((rb + 5)) ] ||
			{ n2nk_die "b$r: rx_p2p $rb -> $(peer_field "b$r" "$ma" rx_p2p)"; return 1; }
	fi
}

relayed() {	# relayed R: both sides relay, and 5 echoes cross
	path_is "a$1" "$(mac_of "$1" 2)" relay &&
		path_is "b$1" "$(mac_of "$1" 1)" relay &&
		pings_all "a$1" "198.19.$1.2" 5
}

for ((r = 1; r <= ${#ROWS[@]}; r++)); do
	read -r label ka kb hops expect ea eb extra <<<"${ROWS[r - 1]}"
	case $expect in
	p2p)
		t_check "$label: P2P both ways" test -n "${GOT[$r]:-}"
		t_check "$label: 5 echoes cross, counted P2P by both" \
			counted_p2p "$r" "$ea" "$eb"
		;;
	relay)
		t_check "$label: relayed both ways, and 5 echoes cross" \
			relayed "$r"
		;;
	print)
		t_check "$label: 5 echoes cross (either path)" \
			pings_all "a$r" "198.19.$r.2" 5
		echo "     $label: paths a->b $(peer_path "a$r" "$(mac_of "$r" 2)"
		), b->a $(peer_path "b$r" "$(mac_of "$r" 1)")${GOT[$r]:+, P2P after ${GOT[$r]} ms}"
		;;
	esac
done

# -L 2 on the hop rows: the first punch went out with TTL 2 (counted).
for ((r = 1; r <= ${#ROWS[@]}; r++)); do
	read -r label ka kb hops expect ea eb extra <<<"${ROWS[r - 1]}"
	[[ $extra == *-L* ]] || continue
	t_check_num "$label: a's first punch went with -L's TTL" \
		"$(counter "a$r" punch_ttl_tx)" -ge 1
	t_check_num "$label: b's too" "$(counter "b$r" punch_ttl_tx)" -ge 1
done
t_summary
