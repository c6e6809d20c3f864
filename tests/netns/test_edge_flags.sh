#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# n2n edge flags beyond the basics: -R traffic rules, -T (TOS) and -D
# (PMTU discovery, DF). Proves:
#  -R: with edge(8)'s "drop everything, then allow" rules on edge a, ICMP
#   within the overlay passes both ways; UDP to the one allowed port
#   (and its answer, by a rule of its own: the rules keep no state)
#   passes, UDP to another port of b does not, and UDP from b to a's
#   port is dropped at a's receive side (a's drop_filtered grows); with
#   -R, --datapath=auto takes the socket path and says why, and
#   --datapath=kernel refuses to start, saying why.
#  -T 0x48 -D: the PACKETs the edge sends carry TOS 0x48 and DF, on the
#   socket path and on the kernel path (the kernel path carried frames,
#   so its packets were captured too); without them TOS 0 and DF clear
#   (n2n's IP_PMTUDISC_DONT), on both paths.
#
#   br0 198.18.0.0/24: sn .1; a .11, b .12 (socket path, community r,
#   overlay 198.19.30.0/24); c .13, d .14 (kernel path, community k,
#   198.19.31.0/24, -T 0x48 -D on c); e .15, f .16 (socket path, -T 0x48
#   -D on e, 198.19.32.0/24).
#   test_edge_flags.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

PROBE=$OUT/tests/netns/udp_probe
T=$(mktemp -d /tmp/n2nk-flags.XXXXXX)
lab_on_cleanup rm -rf "$T"

lab_init "$OUT" || exit 1
lab_add_public_host sn 198.18.0.1
for h in a:11 b:12 c:13 d:14 e:15 f:16; do
	lab_add_public_host "${h%:*}" "198.18.0.${h#*:}"
done
t_require "supernode" sn_start sn sn -p 7654 --datapath=socket

edge() {	# edge NAME NET N DATAPATH ARGS...: host NAME, 198.19.NET.N
	local name=$1 net=$2 n=$3 dp=$4
	shift 4
	lab_bg "$name" "$T/$name.log" "$EDGE" -f -v -i 4 \
		--ctl-socket="$T/$name.sock" -c "c$net" -k s3cret -A4 \
		-a "198.19.$net.$n/24" -d "n2$net" \
		-m "$(printf '02:00:00:00:%02x:%02x' "$net" "$n")" \
		-p "5$net""0$n" -l 198.18.0.1:7654 --datapath="$dp" "$@" \
		>"$T/$name.pid"
}
wait_registered() {	# wait_registered NAME...
	local n
	for n in "$@"; do
		lab_wait_for "$n registered" 15 registered "$n" ||
			{ tail -n 20 "$T/$n.log"; return 1; }
	done
}

# --- -R ---
RULES=(-R 0.0.0.0/0,0.0.0.0/0,TCP-,UDP-,ICMP-
	-R 198.19.30.0/24,198.19.30.0/24,ICMP+
	-R 198.19.30.0/24,198.19.30.2:5000,UDP+
	-R 198.19.30.2:5000,198.19.30.0/24,UDP+)
edge a 30 1 auto "${RULES[@]}"
edge b 30 2 auto
t_require "-R: edges register" wait_registered a b
t_check_eq "-R, auto: the socket path" socket "$(info_field a datapath)"
t_check "-R, auto: says why" grep -q 'traffic rules (-R)' \
	<<<"$(info_field a why)"
lab_bg b "$T/echo5000.log" "$PROBE" echo 5000 >/dev/null
lab_bg b "$T/echo5001.log" "$PROBE" echo 5001 >/dev/null
lab_bg a "$T/echo6000.log" "$PROBE" echo 6000 >/dev/null
lab_wait_port b udp 5001
lab_wait_port a udp 6000
t_check "-R: a pings b (ICMP+ within the /24)" pings a 198.19.30.2 5
t_check "-R: b pings a" pings b 198.19.30.1 5
t_check "-R: UDP a -> b:5000 and back (UDP+ both ways)" \
	lab_udp a 198.19.30.2 5000
t_check_fails "-R: UDP a -> b:5001 dropped (UDP-)" lab_udp a 198.19.30.2 5001
before=$(counter a drop_filtered)
t_check_fails "-R: UDP b -> a:6000 dropped at a" lab_udp b 198.19.30.1 6000
t_check_delta "-R: a counted it filtered" "$before" \
	"$(counter a drop_filtered)" -ge 1
lab_exec a "$EDGE" -f -c c33 -a 198.19.33.1/24 -d n2r33 -p 53301 \
	-l 198.18.0.1:7654 --datapath=kernel "${RULES[@]}" \
	--ctl-socket="$T/refused.sock" >"$T/refused.log" 2>&1
t_check_num "-R with --datapath=kernel: refused" "$?" -ne 0
t_check "-R with --datapath=kernel: says why" grep -q 'traffic rules (-R)' \
	"$T/refused.log"

# --- -T, -D ---
# caught TAG HOST SRC FILTER: up to 5 PACKETs (type 3) from SRC seen on
# HOST's eth0 that match FILTER (a pcap expression on ip[]), while
# pinging; succeeds when 5 were seen.
caught() {
	local tag=$1 host=$2 src=$3 filter=$4 dst=$5 pid
	pid=$(lab_bg "$host" "$T/$tag.cap" timeout 15 tcpdump -i eth0 -nn -l \
		-c 5 "udp and src host $src and udp[11] & 0x1f == 3 and $filter")
	sleep 1 # tcpdump attached
	lab_exec "${tag%%-*}" ping -q -c 10 -i 0.2 -W 2 "$dst" >/dev/null 2>&1
	lab_wait_for "$tag capture" 15 lab_pid_gone "$pid"
	[ "$(grep -c "^[0-9].*$src" "$T/$tag.cap")" -eq 5 ]
}
TOS_DF='ip[1] == 0x48 and ip[6] & 0x40 != 0'
PLAIN='ip[1] == 0 and ip[6] & 0x40 == 0'
t_check "no -T/-D, socket path: TOS 0, DF clear" \
	caught a-plain b 198.18.0.11 "$PLAIN" 198.19.30.2

edge c 31 1 kernel -T 0x48 -D
edge d 31 2 kernel
edge e 32 1 socket -T 72 -D
edge f 32 2 socket
t_require "-T -D: edges register" wait_registered c d e f
t_check_eq "-T -D: kernel path" kernel "$(info_field c datapath)"
pings c 198.19.31.2 5 # P2P, then the kernel path takes the flow
t_check "-T 0x48 -D, kernel path: TOS 0x48 and DF on PACKETs" \
	caught c-kernel d 198.18.0.13 "$TOS_DF" 198.19.31.2
t_check_num "-T -D: the kernel path carried frames" \
	"$(counter c tc_tx_sent)" -ge 5
t_check "no -T/-D, kernel path: TOS 0, DF clear" \
	caught d-kernel c 198.18.0.14 "$PLAIN" 198.19.31.1
t_check "-T 72 -D, socket path: TOS 0x48 and DF on PACKETs" \
	caught e-socket f 198.18.0.15 "$TOS_DF" 198.19.32.2

t_summary
