#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Birthday probing (docs/nat-birthday.md) on home-router NATs (input from
# the WAN dropped unless it is a reply): an edge behind a symmetric NAT
# (random-fully) and one behind a port-restricted cone reach P2P both
# ways, traffic crosses it, and the probes spent stay within the bound;
# two symmetric NATs stay relayed with no probe; --nat-probe=off stays
# relayed with no probe.
#
#   wan br0 198.18.0.0/24: sn1 .0.1 (supernode, UDP 7654)
#   hs 198.18.1.2 behind nat1 (symmetric), ec 198.18.2.2 behind nat2 (cone)
#   s3, s4 behind nat3, nat4 (symmetric)
#   h5 behind nat5 (symmetric), c6 behind nat6 (cone), --nat-probe=off
#   h7/c8 (nat7, nat8): h7 forges its address in plans
#   h9/c10 (nat9, nat10): h9 plans again before c10's backoff ends
#   with N2N_STOCK_DIR: sn2 .0.2 a stock n2n 3.1.1 supernode, h11/c12
#   (symmetric, cone) through it; h13 (ours, symmetric) and c14 (a stock
#   n2n edge behind a cone)
#   test_nat_birthday.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

T=$(mktemp -d /tmp/n2nk-bday.XXXXXX)
lab_on_cleanup rm -rf "$T"

lab_init "$OUT" || exit 1
lab_add_public_host sn1 198.18.0.1
lab_add_nat_host hs 1 symmetric
lab_add_nat_host ec 2 cone
lab_add_nat_host s3 3 symmetric
lab_add_nat_host s4 4 symmetric
lab_add_nat_host h5 5 symmetric
lab_add_nat_host c6 6 cone
lab_add_nat_host h7 7 symmetric
lab_add_nat_host c8 8 cone
lab_add_nat_host h9 9 symmetric
lab_add_nat_host c10 10 cone
lab_add_nat_host h15 15 symmetric
lab_add_nat_host c16 16 cone
STOCK_SN=${N2N_STOCK_DIR:+$N2N_STOCK_DIR/supernode}
if [ -x "${STOCK_SN:-}" ]; then
	lab_add_public_host sn2 198.18.0.2
	lab_add_nat_host h11 11 symmetric
	lab_add_nat_host c12 12 cone
	lab_add_nat_host h13 13 symmetric
	lab_add_nat_host c14 14 cone
fi

start_edge() {	# start_edge NAME ARGS...: NAME is the host
	local name=$1
	shift
	lab_bg "$name" "$T/$name.log" "$EDGE" -f -i 4 -l 198.18.0.1:7654 \
		--ctl-socket="$T/$name.sock" "$@" >"$T/$name.pid"
}

wait_registered() {
	local n
	for n in "$@"; do
		lab_wait_for "$n registered" 15 registered "$n" ||
			{ tail -n 20 "$T/$n.log"; return 1; }
	done
}

path_is() { [ "$(peer_path "$1" "$2")" = "$3" ]; }
both_p2p() {	# both_p2p A MAC_B B MAC_A
	path_is "$1" "$2" p2p && path_is "$3" "$4" p2p
}
# Traffic while waiting: each poll is one ping (relayed or direct).
ping_both_p2p() {
	pings "$1" "$5" 1
	both_p2p "$@"
}

rm -f "$T/sn1.sock"
lab_bg sn1 "$T/sn1.log" "$SN" -p 7654 -f -v \
	--ctl-socket="$T/sn1.sock" >"$T/sn1.pid"
t_require "supernode starts" lab_wait_for "sn1 socket" 5 test -S "$T/sn1.sock"

export N2NK_BDAY_BACKOFF_S=10 # a miss (1.7% at k = 1024) is retried
MAC_HS=02:00:00:00:0b:01
MAC_EC=02:00:00:00:0b:02
start_edge hs -c bd -k s3cret -a 198.19.1.1/24 -d n2b -m $MAC_HS -p 50001
start_edge ec -c bd -k s3cret -a 198.19.1.2/24 -d n2b -m $MAC_EC -p 50002
t_check "symmetric and cone edges register" wait_registered hs ec
t_check "symmetric - cone reaches P2P both ways" lab_wait_for "P2P" 60 \
	ping_both_p2p hs $MAC_EC ec $MAC_HS 198.19.1.2
before=$(counter ec rx_p2p)
t_check "5 of 5 echoes answered" pings_all hs 198.19.1.2 5
t_check "ec received over P2P" counter_grew ec rx_p2p "$before" 5
t_check "the hit is logged" grep -q "birthday .*: hit" "$T/hs.log" "$T/ec.log"
t_check_num "hs kept one path" "$(counter hs bday_paths_kept)" -ge 1
t_check_num "ec sent at most 1024 probes per attempt" \
	"$(counter ec bday_probes_sent)" -le \
	$((1024 * $(counter ec bday_attempts)))
t_check_num "hs opened at most 256 sockets per attempt" \
	"$(counter hs bday_sockets)" -le $((256 * $(counter hs bday_attempts)))
echo "# probes: ec sent $(counter ec bday_probes_sent), hs opened" \
	"$(counter hs bday_sockets) sockets, attempts $(counter hs bday_attempts)"

# --- two symmetric NATs: the plan is refused, no probe. ---
start_edge s3 -c ss -k s3cret -a 198.19.2.3/24 -d n2b -m 02:00:00:00:0b:03 -p 50003
start_edge s4 -c ss -k s3cret -a 198.19.2.4/24 -d n2b -m 02:00:00:00:0b:04 -p 50004
t_check "symmetric edges register" wait_registered s3 s4
for _ in $(seq 20); do pings s3 198.19.2.4 1; done
refused_hard() {
	[ $(($(counter s3 bday_refused_both_hard) +
		$(counter s4 bday_refused_both_hard))) -ge 1 ]
}
t_check "symmetric - symmetric: the plan is refused (both hard)" \
	lab_wait_for "refusal" 10 refused_hard
t_check_eq "symmetric - symmetric stays relayed" relay \
	"$(peer_path s3 02:00:00:00:0b:04)"
t_check_num "no probe from s3" "$(counter s3 bday_probes_sent)" -eq 0
t_check_num "no probe from s4" "$(counter s4 bday_probes_sent)" -eq 0

# --- --nat-probe=off on the cone side: h5's plans are refused ("off"),
# nothing is probed, relayed. ---
start_edge h5 -c off -k s3cret -a 198.19.3.5/24 -d n2b -m 02:00:00:00:0b:05 \
	-p 50005
start_edge c6 -c off -k s3cret -a 198.19.3.6/24 -d n2b -m 02:00:00:00:0b:06 \
	-p 50006 --nat-probe=off
t_check "--nat-probe=off edges register" wait_registered h5 c6
for _ in $(seq 20); do pings h5 198.19.3.6 1; done
t_check_eq "--nat-probe=off stays relayed" relay \
	"$(peer_path h5 02:00:00:00:0b:06)"
refused_off() {
	pings h5 198.19.3.6 1
	[ "$(counter c6 bday_refused_off)" -ge 1 ]
}
t_check "c6 refuses h5's plan as off" lab_wait_for "off refusal" 20 refused_off
t_check_num "no probe from c6" "$(counter c6 bday_probes_sent)" -eq 0

# --- no -k: the tag's key would be the community name alone (in clear in
# every header without -H), so neither side plans or takes a plan. ---
start_edge h15 -c nokey -a 198.19.6.15/24 -d n2b -m 02:00:00:00:0b:15 \
	-p 50015
start_edge c16 -c nokey -a 198.19.6.16/24 -d n2b -m 02:00:00:00:0b:16 \
	-p 50016
t_check "edges without -k register" wait_registered h15 c16
# h5's plan came within 20 s above; give this pair as long.
for _ in $(seq 40); do pings h15 198.19.6.16 1; sleep 0.5; done
t_check "h15 says why it is off" \
	grep -q "birthday probing off: no -k" "$T/h15.log"
t_check_num "no plan from h15 (no -k)" "$(counter h15 bday_plans_sent)" -eq 0
t_check_eq "without -k symmetric - cone stays relayed" relay \
	"$(peer_path h15 02:00:00:00:0b:16)"

# --- bounds. A plan naming another address than the supernode saw for
# its sender (a forger with the key) is refused and counted, nothing is
# probed; a second plan within the backoff is refused. ---
N2NK_BDAY_TEST_PLAN_IP=198.18.0.1 N2NK_BDAY_BACKOFF_S=2 \
	start_edge h7 -c fx -k s3cret -a 198.19.4.7/24 -d n2b \
	-m 02:00:00:00:0b:07 -p 50007
start_edge c8 -c fx -k s3cret -a 198.19.4.8/24 -d n2b -m 02:00:00:00:0b:08 \
	-p 50008
t_check "forging pair registers" wait_registered h7 c8
refused_addr() {
	pings h7 198.19.4.8 1
	[ "$(counter c8 bday_refused_address)" -ge 2 ]
}
t_check "a plan naming another IP is refused, each time" \
	lab_wait_for "refusals" 30 refused_addr
t_check_num "nothing probed for it" "$(counter c8 bday_probes_sent)" -eq 0
t_check_eq "that pair stays relayed" relay "$(peer_path c8 02:00:00:00:0b:07)"

N2NK_BDAY_K=1 N2NK_BDAY_BACKOFF_S=2 \
	start_edge h9 -c bo -k s3cret -a 198.19.5.9/24 -d n2b \
	-m 02:00:00:00:0b:09 -p 50009
N2NK_BDAY_BACKOFF_S=300 start_edge c10 -c bo -k s3cret -a 198.19.5.10/24 \
	-d n2b -m 02:00:00:00:0b:0a -p 50010
t_check "backoff pair registers" wait_registered h9 c10
ping_refused_backoff() {
	pings h9 198.19.5.10 1
	[ "$(counter c10 bday_refused_backoff)" -ge 1 ]
}
t_check "a second plan within the backoff is refused" \
	lab_wait_for "backoff refusal" 40 ping_refused_backoff
t_check_num "one attempt's probes only (k = 1)" \
	"$(counter c10 bday_probes_sent)" -le 1

# --- through a stock n2n 3.1.1 supernode: the plan is an ordinary PACKET.
if [ -x "${STOCK_SN:-}" ]; then
	lab_bg sn2 "$T/sn2.log" "$STOCK_SN" -p 7654 -f >/dev/null
	t_check "stock supernode listens" lab_wait_port sn2 udp 7654 5
	for h in h11 c12; do
		lab_bg $h "$T/$h.log" "$EDGE" -f -i 4 -l 198.18.0.2:7654 -c st \
			-k s3cret -a 198.19.6.${h#[hc]}/24 -d n2b \
			-m 02:00:00:00:0c:${h#[hc]} -p 500${h#[hc]} \
			--ctl-socket="$T/$h.sock" >/dev/null
	done
	t_check "edges on the stock supernode register" wait_registered h11 c12
	t_check "symmetric - cone P2P through a stock supernode" \
		lab_wait_for "P2P" 60 ping_both_p2p h11 02:00:00:00:0c:12 \
		c12 02:00:00:00:0c:11 198.19.6.12
	# A stock edge gets one plan, ever, and nothing else of ours.
	N2NK_BDAY_BACKOFF_S=2 lab_bg h13 "$T/h13.log" "$EDGE" -f -i 4 \
		-l 198.18.0.1:7654 -c sk -k s3cret -a 198.19.7.13/24 -d n2b \
		-m 02:00:00:00:0c:13 -p 50013 --ctl-socket="$T/h13.sock" >/dev/null
	lab_bg c14 "$T/c14.log" "$N2N_STOCK_DIR/edge" -f -l 198.18.0.1:7654 \
		-c sk -k s3cret -a 198.19.7.14 -d n2b -m 02:00:00:00:0c:14 \
		-p 50014 >/dev/null
	t_check "our edge registers beside a stock edge" wait_registered h13
	t_check "ping to the stock edge (relayed)" lab_wait_for "ping" 15 \
		pings h13 198.19.7.14 1
	for _ in $(seq 24); do pings h13 198.19.7.14 1; sleep 0.5; done
	t_check_num "one plan to the stock edge, not one per backoff" \
		"$(counter h13 bday_plans_sent)" -eq 1
	t_check_num "no socket opened for it" "$(counter h13 bday_sockets)" -eq 0
else
	t_skip "symmetric - cone through a stock supernode" "no N2N_STOCK_DIR"
fi

t_summary
