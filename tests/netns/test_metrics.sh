#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The --metrics endpoint (docs/metrics.md). Proves: a supernode (XDP relay)
# and two -S1 edges serve GET /metrics; every counter `n2nctl stats` shows
# is there under n2nk_<daemon>_<counter>_total with the value n2nctl gives
# (read between two n2nctl reads); after relayed pings the relay counters
# and the per-peer packets and bytes (path label) move and agree with
# `n2nctl traffic` and `n2nctl edges`; the edge says it is registered;
# another path is 404, another method 405; an edge's default address is
# loopback only, the supernode's explicit 0.0.0.0 is reachable; a daemon
# without --metrics listens on no TCP port; a bad value is refused naming
# it; a client holding idle connections neither blocks others nor itself
# for long; `promtool check metrics` accepts every scrape (skipped without
# promtool: PROMTOOL=path or on PATH; Debian's prometheus package has it).
#
#                  wan: br0 (198.18.0.0/24)
#       +-----------------+-----------------+-----------------+
#   +---+---+         +---+---+         +---+---+         +---+---+
#   |  sn   | .0.1    | nat1  | .0.101  | nat2  | .0.102  |  pub  | .0.11
#   |  XDP  |         +---+---+         +---+---+         | sn, no|
#   |:9100  |         +---+---+         +---+---+         |metrics|
#   +-------+         |   a   | .1.2    |   b   | .2.2    +-------+
#   0.0.0.0:9100      | -S1   |         | -S1   |   overlay 198.19.7.1/.2
#                     +-------+         +-------+   metrics 127.0.0.1:9100
#   test_metrics.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

T=$(mktemp -d /tmp/n2nk-metrics.XXXXXX)
lab_on_cleanup rm -rf "$T"
PROMTOOL=${PROMTOOL:-$(command -v promtool || true)}
MAC_A=02:00:00:00:07:01
MAC_B=02:00:00:00:07:02

lab_init "$OUT" || exit 1
lab_add_public_host sn 198.18.0.1
lab_add_nat_host a 1 full
lab_add_nat_host b 2 full
lab_add_public_host pub 198.18.0.11

# scrape HOST [URL_HOST]: the body of GET /metrics (curl fails on >= 400)
scrape() {
	lab_exec "$1" curl -sSf --max-time 5 "http://${2:-127.0.0.1}:9100/metrics"
}

# status HOST ARGS...: the HTTP status curl got
status() {
	local h=$1
	shift
	lab_exec "$h" curl -s -o /dev/null -m 5 -w '%{http_code}' "$@"
}

# metric TEXT NAME_AND_LABELS: the value of one sample, or nothing
metric() {
	awk -v k="$2" '$1 == k { print $2; exit }' <<<"$1"
}

# same_stats NAME HOST PREFIX: every `n2nctl stats` row is in a scrape as
# PREFIX_<counter>_total, between the values n2nctl read before and after
same_stats() {
	local name=$1 host=$2 prefix=$3 before body after c v lo hi bad=0 n=0
	before=$(ctl_rows "$name" stats) || return 1
	body=$(scrape "$host") || return 1
	after=$(ctl_rows "$name" stats) || return 1
	while read -r c lo; do
		hi=$(jq -r --arg c "$c" '.rows[] | select(.counter == $c) |
			.value' <<<"$after")
		v=$(metric "$body" "${prefix}_${c}_total")
		n=$((n + 1))
		if ! t_is_num "$v" || [ "$v" -lt "$lo" ] || [ "$v" -gt "$hi" ]; then
			echo "$name: ${prefix}_${c}_total is '$v', n2nctl $lo..$hi" >&2
			bad=$((bad + 1))
		fi
	done < <(jq -r '.rows[] | "\(.counter) \(.value)"' <<<"$before")
	echo "$name: $n counters compared, $bad differ"
	[ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
}

# same_traffic EDGE HOST MAC PATH: the edge's per-peer packets and bytes
# for MAC and PATH agree with `n2nctl traffic`, and moved
same_traffic() {
	local name=$1 host=$2 mac=$3 path=$4 before body after col d v lo hi
	local bad=0 moved=0
	before=$(ctl_rows "$name" traffic) || return 1
	body=$(scrape "$host") || return 1
	after=$(ctl_rows "$name" traffic) || return 1
	for col in tx_packets rx_packets tx_bytes rx_bytes; do
		d=${col%%_*}
		lo=$(jq -r --arg m "$mac" --arg p "$path" --arg c "$col" \
			'.rows[] | select(.mac == $m and .path == $p) | .[$c]' \
			<<<"$before")
		hi=$(jq -r --arg m "$mac" --arg p "$path" --arg c "$col" \
			'.rows[] | select(.mac == $m and .path == $p) | .[$c]' \
			<<<"$after")
		v=$(metric "$body" "n2nk_edge_peer_${col#*_}_total{mac=\"$mac\",path=\"$path\",direction=\"$d\"}")
		echo "$name $mac $path $col: metric '$v', n2nctl $lo..$hi"
		if ! t_is_num "$v" || ! t_is_num "$lo" || [ "$v" -lt "$lo" ] ||
			[ "$v" -gt "$hi" ]; then
			bad=1
		fi
		t_is_num "$v" && [ "$v" -gt 0 ] && moved=$((moved + 1))
	done
	[ "$bad" -eq 0 ] && [ "$moved" -eq 4 ]
}

# promtool_ok HOST [URL_HOST]: promtool check metrics accepts a scrape
promtool_ok() {
	scrape "$@" | "$PROMTOOL" check metrics
}

lab_exec sn sysctl -qw net.ipv4.conf.eth0.forwarding=1
t_require "supernode starts with --metrics=0.0.0.0:9100" \
	sn_start sn sn -p 7654 --datapath=kernel --metrics=0.0.0.0:9100
RELAYED_EDGE_ARGS=(--metrics=9100)
t_require "-S1 edges a and b register, with --metrics=9100" \
	relayed_edges 7 198.18.0.1:7654
t_require "a supernode without --metrics starts" \
	sn_start pub pub -p 7654

t_check "edge a serves /metrics on 127.0.0.1:9100" scrape a
t_check "edge b serves /metrics on 127.0.0.1:9100" scrape b
t_check "the supernode serves /metrics on 0.0.0.0:9100, from a" \
	scrape a 198.18.0.1
t_check_eq "the scrape's content type is the text format 0.0.4" \
	"text/plain; version=0.0.4; charset=utf-8" \
	"$(lab_exec a curl -s -o /dev/null --max-time 5 \
		-w '%{content_type}' http://127.0.0.1:9100/metrics)"
t_check_eq "edge a listens on loopback only (--metrics=9100)" \
	127.0.0.1:9100 "$(lab_exec a ss -Hltn | awk '{ print $4 }')"
t_check_eq "GET /other: 404" 404 "$(status a http://127.0.0.1:9100/other)"
t_check_eq "GET /: 404" 404 "$(status a http://127.0.0.1:9100/)"
t_check_eq "POST /metrics: 405" 405 \
	"$(status a -X POST -d x=1 http://127.0.0.1:9100/metrics)"
t_check_eq "DELETE /metrics: 405" 405 \
	"$(status sn -X DELETE http://127.0.0.1:9100/metrics)"
t_check_eq "HEAD /metrics: 200" 200 \
	"$(status a -I http://127.0.0.1:9100/metrics)"
t_check_eq "no TCP listener where --metrics is not given" "" \
	"$(lab_exec pub ss -Hltn)"
# shellcheck disable=SC2016
t_check "--metrics=1.2.3:9100 is refused, naming the value" bash -c \
	'! out=$("$0" -f --metrics=1.2.3:9100 -c x -l 127.0.0.1:1 2>&1) &&
	 grep -q "1.2.3" <<<"$out" && echo "$out"' "$EDGE"
# shellcheck disable=SC2016
t_check "--metrics=70000 is refused, naming the value" bash -c \
	'! out=$("$0" -f --metrics=70000 2>&1) && grep -q "70000" <<<"$out" &&
	 echo "$out"' "$SN"

body=$(scrape a)
t_check_eq "edge a: n2nk_edge_registered is 1" 1 \
	"$(grep '^n2nk_edge_registered{' <<<"$body" | awk '{ print $2 }')"

# Relayed echoes (neighbours pinned: no ARP) move the relay's counters.
pin_neigh a n2x 198.19.7.2 $MAC_B
pin_neigh b n2x 198.19.7.1 $MAC_A
body=$(scrape sn)
r1=$(( $(metric "$body" n2nk_supernode_forwarded_total) + \
	$(metric "$body" n2nk_supernode_xdp_relayed_total) ))
t_check "10 of 10 relayed echoes answered" pings_all a 198.19.7.2 10
body=$(scrape sn)
r2=$(( $(metric "$body" n2nk_supernode_forwarded_total) + \
	$(metric "$body" n2nk_supernode_xdp_relayed_total) ))
t_check_delta "forwarded + xdp_relayed grew by the 20 PACKETs" "$r1" "$r2" -ge 20
t_check "supernode: XDP verdicts are there (xdp_relayed)" \
	grep -q '^n2nk_supernode_xdp_relayed_total ' <<<"$body"
t_check "supernode: map fill is there" \
	grep -q '^n2nk_supernode_map_entries{' <<<"$body"
t_check "supernode: edge a's relayed packets, by path" \
	grep -q "^n2nk_supernode_edge_relayed_packets_total{community=\"plain\",mac=\"$MAC_A\",direction=\"rx\",path=\"" <<<"$body"
t_check_eq "supernode: two edges in community plain" 2 \
	"$(metric "$body" 'n2nk_supernode_community_edges{community="plain",header="plain"}')"

t_check "supernode: every n2nctl stats counter, same value" \
	same_stats sn sn n2nk_supernode
t_check "edge a: every n2nctl stats counter, same value" \
	same_stats a a n2nk_edge
t_check "edge b: every n2nctl stats counter, same value" \
	same_stats b b n2nk_edge
# -S1: the daemon relays (path relay) or its kernel path does (kernel).
path=relay
[ "$(info_field a datapath)" = kernel ] && path=kernel
t_check "edge a: peer b's packets and bytes (path=$path) as n2nctl traffic" \
	same_traffic a a $MAC_B $path

# A client that opens connections and sends nothing holds at most 4 of
# them (per address), each for at most 5 s: others are still served, and
# so is that client once they time out.
# shellcheck disable=SC2016
lab_bg a "$T/idle.log" bash -c 'for i in $(seq 10); do
	exec {fd}<>/dev/tcp/198.18.0.1/9100 || exit 1; done; sleep 9' >/dev/null
sleep 0.5
t_check_eq "b is served while a holds 10 idle connections" 200 \
	"$(status b http://198.18.0.1:9100/metrics)"
t_check_eq "a's next connection is turned away meanwhile" 000 \
	"$(status a --max-time 2 http://198.18.0.1:9100/metrics)"
t_check "a is served again once its idle connections time out" \
	lab_wait_for "a's idle connections to time out" 8 scrape a 198.18.0.1

if [ -n "$PROMTOOL" ] && [ -x "$PROMTOOL" ]; then
	t_check "promtool check metrics: supernode" promtool_ok sn
	t_check "promtool check metrics: edge a" promtool_ok a
else
	t_skip "promtool check metrics" "no promtool (set PROMTOOL or install Debian's prometheus)"
fi

t_summary
