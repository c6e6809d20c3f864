#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The --metrics endpoint (docs/metrics.md). Proves: a supernode (XDP relay)
# and two -S1 edges serve GET /metrics; every counter `n2nctl stats` shows
# is there with the value n2nctl gives (read between two n2nctl reads), a
# reason row as a sample of n2nk_<daemon>_dropped_total or _passed_on_total
# {layer,reason}; after relayed pings the relay counters and the per-peer
# packets and bytes (path label) move and agree with `n2nctl traffic` and
# `n2nctl edges`; the edge says it is registered (a label-free gauge, its
# labels in n2nk_edge_info) and when its supernode answered (Unix time);
# another path is 404, another method 405; an edge's default address is
# loopback only, the supernode's explicit 0.0.0.0 is reachable (and logs a
# warning); a daemon without --metrics listens on no TCP port; a bad value
# is refused naming it; IPv6 in brackets works, and an edge whose supernode
# never answered has no last-seen sample; community names appear nowhere
# by default (listed -c ones, -F's), only ids `n2nctl communities` maps,
# and with --metrics-community-names the names, never -F's; clients that
# trickle header bytes from two addresses or hold idle connections cannot
# keep a scrape out; 300 edges give at most 256 per-edge series and say
# how many were left out; `promtool check metrics` accepts every scrape
# (skipped without promtool: PROMTOOL=path or on PATH).
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
#   sn2 .0.12: -F/-c supernode (names); pub: edge to a dead supernode,
#   metrics [::1]:9100; pub also runs n2n-loadgen's 300 edges against sn
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
lab_add_public_host sn2 198.18.0.12

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

# lacks TEXT ERE: TEXT is not empty and no line of it matches ERE
lacks() {
	[ -n "$1" ] && ! grep -qE -- "$2" <<<"$1"
}

# within V LO HI: LO <= V <= HI
within() {
	t_is_num "$1" && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

# as_rows PREFIX: a scrape's counters (stdin) as `n2nctl stats` rows
# "counter value": PREFIX_<counter>_total, and the reason families back
# to [layer_][drop_]reason
as_rows() {
	awk -v p="$1" '
	/^#/ { next }
	index($1, p "_dropped_total{") == 1 ||
	index($1, p "_passed_on_total{") == 1 {
		match($1, /layer="[a-z_]*"/)
		l = substr($1, RSTART + 7, RLENGTH - 8)
		match($1, /reason="[a-z0-9_]*"/)
		r = substr($1, RSTART + 8, RLENGTH - 9)
		d = index($1, p "_dropped_total{") == 1 ? "drop_" : ""
		print (l == "daemon" ? "" : l "_") d r, $2
		next
	}
	$1 ~ "^" p "_[a-z0-9_]*_total$" {
		n = substr($1, length(p) + 2)
		sub(/_total$/, "", n)
		print n, $2
	}'
}

# fresh: the next scrape renders anew (one rendering serves 1 s), after
# whatever was read before this
fresh() {
	sleep 1.1
}

# same_stats NAME HOST PREFIX: every `n2nctl stats` row is in a scrape as
# PREFIX_<counter>_total, between the values n2nctl read before and after
same_stats() {
	local name=$1 host=$2 prefix=$3 before body after c v lo hi bad=0 n=0
	before=$(ctl_rows "$name" stats) || return 1
	fresh
	body=$(scrape "$host" | as_rows "$prefix") || return 1
	after=$(ctl_rows "$name" stats) || return 1
	while read -r c lo; do
		hi=$(jq -r --arg c "$c" '.rows[] | select(.counter == $c) |
			.value' <<<"$after")
		v=$(metric "$body" "$c")
		n=$((n + 1))
		if ! t_is_num "$v" || [ "$v" -lt "$lo" ] || [ "$v" -gt "$hi" ]; then
			echo "$name: $c is '$v' in the scrape, n2nctl $lo..$hi" >&2
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
	fresh
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

# as_nobody HOST URL: the body of GET URL, fetched as uid 65534
as_nobody() {
	lab_exec "$1" setpriv --reuid=65534 --regid=65534 --clear-groups \
		curl -sSf --max-time 5 "$2"
}

# scrapes_ok HOST URL_HOST SECONDS: a scrape every second for SECONDS, each
# answered within 6 s (curl -m 6); prints the failures
scrapes_ok() {
	local i bad=0 code
	for ((i = 0; i < $3; i++)); do
		code=$(lab_exec "$1" curl -s -o /dev/null -m 6 \
			-w '%{http_code}' "http://$2:9100/metrics")
		[ "$code" = 200 ] || { echo "scrape $i: $code"; bad=$((bad + 1)); }
		sleep 1
	done
	echo "$bad of $3 scrapes failed"
	[ "$bad" -eq 0 ]
}

# trickle HOST TARGET SECONDS SRC...: 4 connections from each SRC to
# TARGET:9100, each sending a request line and then a header byte a
# second, reopened when closed; prints how many it opened
trickle() {
	lab_exec "$1" python3 - "${@:2}" <<'PY'
import socket, sys, time
host, secs, srcs = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
def opn(src):
    s = socket.socket()
    try:
        s.bind((src, 0))
        s.settimeout(0.5)
        s.connect((host, 9100))
        s.send(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
        return s
    except OSError:
        s.close()
        return None
conns = [[src, None] for src in srcs for _ in range(4)]
end, opened = time.time() + secs, 0
while time.time() < end:
    for c in conns:
        if c[1] is None:
            c[1] = opn(c[0])
            opened += c[1] is not None
            continue
        try:
            c[1].send(b"X")
        except OSError:
            c[1].close()
            c[1] = None
    time.sleep(1)
print(opened)
PY
}

lab_exec sn sysctl -qw net.ipv4.conf.eth0.forwarding=1
t_require "supernode starts with --metrics=0.0.0.0:9100" \
	sn_start sn sn -p 7654 --datapath=kernel --metrics=0.0.0.0:9100
# shellcheck disable=SC2034 # read by relayed_edges (n2nk.sh)
RELAYED_EDGE_ARGS=(--metrics=9100)
t_require "-S1 edges a and b register, with --metrics=9100" \
	relayed_edges 7 198.18.0.1:7654
t_require "a supernode without --metrics starts" \
	sn_start pub pub -p 7654

t_check "edge a serves /metrics on 127.0.0.1:9100" scrape a
t_check "edge b serves /metrics on 127.0.0.1:9100" scrape b
t_check "the supernode serves /metrics on 0.0.0.0:9100, from a" \
	scrape a 198.18.0.1
t_check "the supernode warned that 0.0.0.0 is beyond loopback" \
	grep -q "metrics: listening on 0.0.0.0:9100, beyond loopback" "$T/sn.log"
t_check "edge a (loopback) warned nothing about its metrics address" \
	lacks "$(cat "$T/a.log")" "beyond loopback"
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
# (7654/tcp is the supernode's own -S2 listener: docs/tcp.md)
t_check_eq "no TCP listener but -S2's where --metrics is not given" "" \
	"$(lab_exec pub ss -Hltn 'not sport = :7654')"
t_check "the -S2 listener is there (the check above can see one)" \
	lab_exec pub bash -c "ss -Hltn 'sport = :7654' | grep -q LISTEN"
# shellcheck disable=SC2016
t_check "--metrics=1.2.3:9100 is refused, naming the value" bash -c \
	'! out=$("$0" -f --metrics=1.2.3:9100 -c x -l 127.0.0.1:1 2>&1) &&
	 grep -q "1.2.3" <<<"$out" && echo "$out"' "$EDGE"
# shellcheck disable=SC2016
t_check "--metrics=70000 is refused, naming the value" bash -c \
	'! out=$("$0" -f --metrics=70000 2>&1) && grep -q "70000" <<<"$out" &&
	 echo "$out"' "$SN"

body=$(scrape a)
t_check_eq "edge a: n2nk_edge_registered (no labels) is 1" 1 \
	"$(metric "$body" n2nk_edge_registered)"
A_ID=$(info_field a community_id)
t_check "edge a: n2nk_edge_info labels community with its id, not the name" \
	grep -q "^n2nk_edge_info{community=\"$A_ID\",mac=\"$MAC_A\",ip4addr=\"198.19.7.1/24\",device=\"n2x\",datapath=\"" <<<"$body"
t_check "edge a: the name 'plain' is in no label" \
	lacks "$body" 'community="plain"'
now=$(date +%s)
seen=$(grep '^n2nk_edge_supernode_last_seen_timestamp_seconds{host="198.18.0.1:7654"}' <<<"$body" | awk '{ print $2 }')
t_check "edge a: its supernode last answered within 30 s (Unix time $seen, now $now)" \
	within "$seen" $((now - 30)) "$now"

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
PLAIN_ID=$(sn_community sn plain id)
t_check "supernode: edge a's relayed packets, by path (community $PLAIN_ID)" \
	grep -q "^n2nk_supernode_edge_relayed_packets_total{community=\"$PLAIN_ID\",mac=\"$MAC_A\",direction=\"rx\",path=\"" <<<"$body"
t_check_eq "supernode: two edges in community plain" 2 \
	"$(metric "$body" "n2nk_supernode_community_edges{community=\"$PLAIN_ID\"}")"
t_check_eq "supernode: its header mode in community_info" 1 \
	"$(metric "$body" "n2nk_supernode_community_info{community=\"$PLAIN_ID\",header=\"plain\"}")"
t_check "supernode: the name 'plain' is in no label" \
	lacks "$body" 'community="plain"'

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

# Clients that trickle a header byte a second from two addresses (a and b,
# through their NATs) for 12 s: each connection is cut 2 s after accept
# and a newcomer pushes out the oldest, so pub's scrapes are all served.
# The same against edge a's loopback endpoint from 127.0.0.2 and .3.
if command -v python3 >/dev/null; then
	lab_exec a ip addr add 127.0.0.2/8 dev lo 2>/dev/null
	lab_exec a ip addr add 127.0.0.3/8 dev lo 2>/dev/null
	trickle a 198.18.0.1 12 198.18.1.2 >"$T/trickle_a" 2>&1 &
	p1=$!
	trickle b 198.18.0.1 12 198.18.2.2 >"$T/trickle_b" 2>&1 &
	p2=$!
	trickle a 127.0.0.1 12 127.0.0.2 127.0.0.3 >"$T/trickle_lo" 2>&1 &
	p3=$!
	sleep 1
	scrapes_ok pub 198.18.0.1 10 >"$T/scrapes_sn" 2>&1 &
	p4=$!
	t_check "a's own scrapes of 127.0.0.1:9100 are served meanwhile" \
		scrapes_ok a 127.0.0.1 10
	wait $p4
	t_check "pub's scrapes of the supernode are served meanwhile" \
		grep -q "^0 of 10 scrapes failed" "$T/scrapes_sn"
	wait $p1 $p2 $p3
	cat "$T/scrapes_sn"
	oa=$(tail -n 1 "$T/trickle_a") ob=$(tail -n 1 "$T/trickle_b")
	t_is_num "$oa" && t_is_num "$ob" && opened=$((oa + ob)) || opened="$oa $ob"
	t_check_num "the trickling connections to the supernode were cut and reopened (8 at a time)" \
		"$opened" -gt 16
	t_check_num "the trickling connections to edge a were cut and reopened" \
		"$(tail -n 1 "$T/trickle_lo")" -gt 16
else
	t_skip "trickling clients" "no python3 to be them"
fi

# Connections that send nothing do not hold a slot for more than 2 s, nor
# does one client's pile of them keep that client or anyone else out.
# shellcheck disable=SC2016
lab_bg a "$T/idle.log" bash -c 'for i in $(seq 10); do
	exec {fd}<>/dev/tcp/198.18.0.1/9100 || exit 1; done; sleep 9' >/dev/null
sleep 0.5
t_check_eq "b is served while a holds 10 idle connections" 200 \
	"$(status b -m 6 http://198.18.0.1:9100/metrics)"
t_check_eq "and so is a" 200 \
	"$(status a -m 6 http://198.18.0.1:9100/metrics)"

# Community names: sn2 lists encpriv (a -H candidate) and federates as
# fedsecret; neither is in a scrape by default, even to another uid, only
# ids that `n2nctl communities` maps; with --metrics-community-names the
# listed name is, the federation's never.
printf 'encpriv\nopen2\n.*\n' >"$T/comm.list"
t_require "supernode sn2 starts with -F, -c and --metrics=9100" \
	sn_start sn2 sn2 -p 7654 -F fedsecret -c "$T/comm.list" --metrics=9100
body=$(as_nobody sn2 http://127.0.0.1:9100/metrics)
t_check "sn2: served to uid 65534, without encpriv, open2 or fedsecret" \
	lacks "$body" 'encpriv|open2|fedsecret'
ENC_ID=$(sn_community sn2 encpriv id)
FED_ID=$(sn_community sn2 '*fedsecret' id)
t_check "sn2: encpriv's id ($ENC_ID, from n2nctl communities) labels it" \
	grep -q "^n2nk_supernode_community_edges{community=\"$ENC_ID\"} 0" <<<"$body"
t_check "sn2: the federation's id ($FED_ID) labels it" \
	grep -q "^n2nk_supernode_community_edges{community=\"$FED_ID\"} 0" <<<"$body"
sn_stop sn2
t_require "sn2 restarts with --metrics-community-names" \
	sn_start sn2 sn2 -p 7654 -F fedsecret -c "$T/comm.list" --metrics=9100 \
	--metrics-community-names
body=$(scrape sn2)
t_check "sn2 --metrics-community-names: encpriv by name" \
	grep -q '^n2nk_supernode_community_edges{community="encpriv"} 0' <<<"$body"
t_check "sn2 --metrics-community-names: the federation still by id only" \
	lacks "$body" fedsecret
# Two communities whose names differ only in a byte that is not UTF-8
# stay two series (\xNN, escaped once more by the format).
for c in $'dup\xff' $'dup\xfe'; do
	lab_exec pub "$OUT/tools/n2n-loadgen" -l 198.18.0.12:7654 -c "$c" -n 2 \
		-r 10 -t 1 >>"$T/loadgen_dup.log" 2>&1
done
fresh
scrape sn2 >"$T/dup"
t_check "sn2: community dup+0xff is the label dup\\\\xff" \
	grep -qF '_community_edges{community="dup\\xff"} 2' "$T/dup"
t_check "sn2: community dup+0xfe is the label dup\\\\xfe" \
	grep -qF '_community_edges{community="dup\\xfe"} 2' "$T/dup"
t_check_eq "sn2: no series twice" "" \
	"$(grep -v '^#' "$T/dup" | awk '{ print $1 }' | sort | uniq -d)"

# An edge whose supernode never answers, its endpoint on [::1]: no
# last-seen sample for that supernode, registered 0; asked to, it labels
# its community by name.
lab_bg pub "$T/dead.log" "$EDGE" -f --ctl-socket="$T/dead.sock" -c dead \
	-a 198.19.9.1/24 -d n2d -l 198.18.0.99:7654 --metrics='[::1]:9100' \
	--metrics-community-names >"$T/dead.pid"
t_check "an edge listens on [::1]:9100 (--metrics=[::1]:9100)" \
	lab_wait_for "[::1]:9100" 5 lab_exec pub curl -sSf -m 2 \
	'http://[::1]:9100/metrics'
body=$(lab_exec pub curl -sSf -m 5 'http://[::1]:9100/metrics')
t_check_eq "its supernode is configured and current" 1 \
	"$(metric "$body" 'n2nk_edge_supernode_current{host="198.18.0.99:7654"}')"
t_check "no last-seen sample for a supernode that never answered" \
	lacks "$body" '^n2nk_edge_supernode_last_seen_timestamp_seconds\{'
t_check_eq "n2nk_edge_registered 0" 0 "$(metric "$body" n2nk_edge_registered)"
t_check "--metrics-community-names on an edge: its community by name" \
	grep -q '^n2nk_edge_info{community="dead",' <<<"$body"
lab_kill "$(cat "$T/dead.pid")"

# 300 edges from n2n-loadgen in one community: every one counted per
# community, 256 with series of their own, 44 said to be left out.
lab_exec pub "$OUT/tools/n2n-loadgen" -l 198.18.0.1:7654 -c many -n 300 \
	-r 100 -t 1 >"$T/loadgen.log" 2>&1
MANY_ID=$(sn_community sn many id)
fresh
body=$(scrape sn)
t_check_eq "300 edges in the community's gauge" 300 \
	"$(metric "$body" "n2nk_supernode_community_edges{community=\"$MANY_ID\"}")"
t_check_eq "256 edges have per-edge series (2 of plain, 254 of many)" 256 \
	"$(grep -c '^n2nk_supernode_edge_last_seen_timestamp_seconds{' <<<"$body")"
t_check_eq "46 edges left out, as n2nk_supernode_edge_series_omitted says" 46 \
	"$(metric "$body" n2nk_supernode_edge_series_omitted)"
scrape sn >"$T/big"
t_check_eq "no series twice in a scrape" "" \
	"$(grep -v '^#' "$T/big" | awk '{ print $1 }' | sort | uniq -d)"

if [ -n "$PROMTOOL" ] && [ -x "$PROMTOOL" ]; then
	t_check "promtool check metrics: supernode" promtool_ok sn
	t_check "promtool check metrics: edge a" promtool_ok a
	t_check "promtool check metrics: sn2 (names)" promtool_ok sn2
else
	t_skip "promtool check metrics" "no promtool (set PROMTOOL or install Debian's prometheus)"
fi

t_summary
