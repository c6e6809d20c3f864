#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Interoperability with stock n2n 3.1.1, from a build the user made (make
# check-interop N2N_STOCK_DIR=...; nothing of n2n is in this tree). Every
# mix of supernode (stock; ours on the socket datapath; ours with the XDP
# relay) and edge pair (stock-stock, stock-ours, ours-ours), P2P and
# relayed (-S1); a stock and our edge across symmetric NATs; every cipher,
# -z1 and -H between a stock and our edge; user/password communities each
# way; a stock and our supernode federated. Each check asserts the path and
# the flag where a node tells it: our edge's `n2nctl peers`, a stock node's
# JSON management port (UDP 5644 edge / 5645 supernode, on 127.0.0.1 of its
# namespace), our supernode's counters, and a capture of br0 decoded by
# n2n-dissect (transform, compression, header encryption, who sent each
# PACKET to whom).
# INTEROP_KEEP=DIR keeps the logs and captures; INTEROP_PHASES="kernel ..."
# runs only those of stock, socket, kernel, nofwd (the XDP relay with IPv4
# forwarding off) and federation (all by default).
#
#                    wan namespace: br0 198.18.0.0/24 (captured)
#   +--------+--------+------------+------------+------------+------------+
#   |        |        |            |            |            |            |
# +-+--+  +--+-+  +---+---+    +---+---+    +---+---+    +---+---+
# | sn |  |sn2 |  | nat1  |    | nat2  |    | nat3  |    | nat4  |
# |.0.1|  |.0.2|  |.0.101 |    |.0.102 |    |.0.103 |    |.0.104 |
# +----+  +----+  | full  |    | full  |    | symm. |    | symm. |
# under   fed.    +---+---+    +---+---+    +---+---+    +---+---+
# test    peer    a .1.2       b .2.2       sa .3.2      sb .4.2
#
# Each edge pair has its own community, overlay 198.19.NET.1/.2, MACs
# 02:00:00:00:NET:01/02, ports 40NET1/40NET2 (NAT keeps them) and TAPs
# n2iNET, NET unique over the whole run, so phases never share a name.
#   test_interop.sh BUILD_DIR STOCK_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
STOCK=${2:-}
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

DISSECT=$OUT/tools/n2n-dissect

no_stock() {
	echo "test_interop: $1" >&2
	echo "test_interop: usage: make check-interop N2N_STOCK_DIR=<a stock" \
		"n2n 3.1.1 build you made, holding edge, supernode and" \
		"tools/n2n-keygen>" >&2
	t_fail "a stock n2n build to test against" "$1"
	t_summary
	exit 1
}
[ -n "$STOCK" ] || no_stock "no stock n2n directory given (N2N_STOCK_DIR)"
[ -d "$STOCK" ] || no_stock "$STOCK is not a directory"
STOCK=$(cd "$STOCK" && pwd)
S_EDGE=$STOCK/edge
S_SN=$STOCK/supernode
S_KEYGEN=$STOCK/tools/n2n-keygen
[ -x "$S_KEYGEN" ] || S_KEYGEN=$STOCK/n2n-keygen	# a CMake build
for b in "$S_EDGE" "$S_SN" "$S_KEYGEN"; do
	[ -x "$b" ] || no_stock "no executable $b"
done
command -v tcpdump >/dev/null || no_stock "tcpdump is needed for the wire checks"

T=$(mktemp -d /tmp/n2nk-interop.XXXXXX)
lab_on_cleanup rm -rf "$T"
[ -z "${INTEROP_KEEP:-}" ] || lab_on_cleanup cp -r "$T/." "$INTEROP_KEEP/"

lab_init "$OUT" || exit 1
lab_add_public_host sn 198.18.0.1
lab_add_public_host sn2 198.18.0.2
lab_add_nat_host a 1 full
lab_add_nat_host b 2 full
lab_add_nat_host sa 3 symmetric
lab_add_nat_host sb 4 symmetric
# No IPv6 on the edge hosts: its neighbour discovery would be relayed
# traffic the supernodes' counters do not expect.
for h in a b sa sb; do
	lab_exec $h sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done
# The XDP relay takes next hops from the FIB (test_xdp_relay.sh part 2).
lab_exec sn sysctl -qw net.ipv4.conf.eth0.forwarding=1

version=$("$S_EDGE" -h 2>&1 | sed -n 's/.*Welcome to n2n v\.\([^ ]*\).*/\1/p')
echo "     stock n2n from $STOCK: version ${version:-unknown}"
t_check_eq "the stock build is n2n 3.1.1" 3.1.1 "$version"

# --- keys: n2n-keygen, stock and ours, agree; the suite uses stock's ---
FED=labfed
BASES="10 30 50"	# first NET of the stock, socket and kernel phases
t_check_eq "n2n-keygen user line: ours = stock's" \
	"$("$S_KEYGEN" alice alice-pw)" "$("$KEYGEN" alice alice-pw)"
t_check_eq "n2n-keygen -F federation key: ours = stock's" \
	"$("$S_KEYGEN" -F $FED)" "$("$KEYGEN" -F $FED)"
FEDKEY=$("$S_KEYGEN" -F $FED | cut -d' ' -f2)
# The same file for every supernode: -H communities are listed by name
# (a supernode needs the name to find the header key), "secure" has users,
# anything else is let in by the expression.
{
	echo "# test_interop.sh"
	for b in $BASES; do
		echo "i$((b + 10))" && echo "i$((b + 11))" && echo "i$((b + 19))"
		echo "i$((b + 20))"
	done
	echo "secure"
	"$S_KEYGEN" alice alice-pw
	"$S_KEYGEN" carol carol-pw
	echo ".*"
} >"$T/communities"

# --- what each node says ---
declare -A KIND HOST DP MPORT

# mgmt HOST PORT COMMAND: the rows a stock daemon's JSON management port
# answers, one object a line ("r TAG CMD", read-only, no password).
mgmt() {
	lab_exec "$1" timeout 2 bash -c '
		exec 3<>"/dev/udp/127.0.0.1/$1" || exit 1
		printf "r 1 %s\n" "$2" >&3
		sed "/\"_type\":\"end\"/q" <&3' mgmt "$2" "$3" |
		jq -c 'select(._type == "row")' 2>/dev/null
}

mac_of() {	# mac_of NET N
	printf '02:00:00:00:%02d:%02d' "$1" "$2"
}
port_of() {	# port_of NET N: 40NETN
	echo "40$(printf %02d "$1")$2"
}

up() {		# up NAME: the edge registered with its supernode
	if [ "${KIND[$1]}" = o ]; then
		registered "$1"
	else
		grep -q 'edge <<< ================ >>> supernode' "$T/$1.log"
	fi
}

# path NAME PEER_MAC: p2p or relay, as the edge itself says. Ours: n2nctl
# peers. Stock: management "edges", mode p2p (the peer answered, it is in
# known_peers) or pSp (pending: still through the supernode).
path() {
	if [ "${KIND[$1]}" = o ]; then
		peer_path "$1" "$2"
	else
		mgmt "${HOST[$1]}" "${MPORT[$1]}" edges |
			jq -r --arg m "$2" 'select((.macaddr | ascii_downcase) == $m)
				| .mode' | sed 's/^pSp$/relay/' | head -n 1
	fi
}
path_is() {	# path_is NAME PEER_MAC PATH
	[ "$(path "$1" "$2")" = "$3" ]
}

# in_kernel NAME PEER_MAC: our edge NAME carries that peer in the kernel
# (it writes the map on its next tick after the path is known).
in_kernel() {
	[ "$(peer_field "$1" "$2" datapath 2>/dev/null)" = kernel ]
}

# edge s|o NAME HOST NET N COMMUNITY SN_AT ARGS...: a stock (s) or our (o)
# edge, 198.19.NET.N, port 40NETN, TAP n2iNET; stock edges get their own
# management port, ours a control socket.
# want_dp ARGS...: the datapath our edge takes with `auto` for these
# flags: the kernel path for -A1 (no key), -A4 and -A5 without -z (-H
# too, without user/password);
# sockets otherwise (AES, Twofish, a key without -A: AES; auto keeps AES
# in userspace where the kernel's AES is its portable C code, as here),
# unless --datapath=kernel asks for it.
want_dp() {
	local a key= cipher=
	for a in "$@"; do
		case $a in
		--datapath=kernel) echo kernel; return ;;
		-z1 | -z2) echo socket; return ;;
		-k) key=1 ;;
		-A1 | -A2 | -A3 | -A4 | -A5) cipher=$a ;;
		esac
	done
	case $cipher${key:+k} in
	-A1 | -A4k | -A5k) echo kernel ;;
	*) echo socket ;;
	esac
}

edge() {
	local kind=$1 name=$2 host=$3 net=$4 n=$5 comm=$6 at=$7
	shift 7
	local args=(-f -c "$comm" -a "198.19.$net.$n/24" -d "n2i$net"
		-m "$(mac_of "$net" "$n")" -p "$(port_of "$net" "$n")"
		-l "$at" "$@")
	KIND[$name]=$kind HOST[$name]=$host DP[$name]=$(want_dp "$@")
	if [ "$kind" = s ]; then
		local a stock=()
		for a in "${args[@]}"; do # ours only
			[[ $a == --datapath=* ]] || stock+=("$a")
		done
		args=("${stock[@]}")
		MPORT[$name]=$((20000 + net * 10 + n))
		lab_bg "$host" "$T/$name.log" "$S_EDGE" "${args[@]}" \
			-t "${MPORT[$name]}" >>"$T/phase.pids"
	else
		lab_bg "$host" "$T/$name.log" "$EDGE" "${args[@]}" -i 4 \
			--ctl-socket="$T/$name.sock" >>"$T/phase.pids"
	fi
}

# pair KINDS NET COMMUNITY SN_AT ARGS...: edges e<NET>1 on a and e<NET>2
# on b, of kinds KINDS ("so": stock on a, ours on b).
pair() {
	local kinds=$1 net=$2 comm=$3 at=$4
	shift 4
	edge "${kinds:0:1}" "e${net}1" a "$net" 1 "$comm" "$at" "$@"
	edge "${kinds:1:1}" "e${net}2" b "$net" 2 "$comm" "$at" "$@"
}

both_up() {	# both_up NAME NAME
	up "$1" && up "$2"
}

wait_up() {	# wait_up LABEL NAME NAME
	if lab_wait_for "$2 and $3 registered" 20 both_up "$2" "$3"; then
		t_pass "$1: both edges register"
	else
		t_fail "$1: both edges register" "$(tail -n 3 "$T/$2.log" \
			"$T/$3.log" | tr '\n' ' ')"
	fi
}

# burst HOST DST N: N pings 0.1 s apart; prints how many were answered.
burst() {
	lab_exec "$1" ping -q -c "$3" -i 0.1 -W 2 "$2" 2>/dev/null |
		sed -nE 's/.* ([0-9]+) received.*/\1/p'
}

# --- the supernode under test, on sn ---
SNK=		# stock, socket or kernel
SN_AT=198.18.0.1:7654

start_sn() {	# start_sn KIND: the supernode under test, -F $FED
	SNK=$1
	: >"$T/phase.pids"
	case $1 in
	stock)
		lab_bg sn "$T/sn-$1.log" "$S_SN" -p 7654 -f -F $FED \
			-c "$T/communities" >>"$T/phase.pids"
		lab_wait_port sn udp 5645 5
		;;
	*)
		rm -f "$T/sn.sock"
		lab_bg sn "$T/sn-$1.log" "$SN" -p 7654 -f -v -F $FED \
			-c "$T/communities" --datapath="$1" \
			--ctl-socket="$T/sn.sock" >>"$T/phase.pids"
		lab_wait_for "our supernode's control socket" 5 \
			test -S "$T/sn.sock"
		;;
	esac
}

# sn_relayed COMMUNITY: PACKETs the supernode under test relayed so far.
# Ours: that community's, by the daemon plus by the XDP relay (per edge).
# Stock: all its forwards (management packetstats): one burst at a time.
sn_relayed() {
	if [ "$SNK" = stock ]; then
		mgmt sn 5645 packetstats | jq -r 'select(.type == "forward") | .tx_pkt'
	else
		echo $(($(daemon_fwd "$1") + $(xdp_fwd "$1")))
	fi
}
daemon_fwd() {	# daemon_fwd COMMUNITY: our daemon's relayed PACKETs of it
	ctl sn communities 2>/dev/null | jq --arg c "$1" \
		'[.rows[] | select(.community == $c) | .forwarded] | add // 0'
}
xdp_fwd() {	# xdp_fwd COMMUNITY: what the XDP relay relayed from its edges
	ctl sn edges 2>/dev/null | jq --arg c "$1" \
		'[.rows[] | select(.community == $c) | .xdp_rx_relayed // 0] | add // 0'
}

# Capture br0 for the whole phase; wire_* read it after stop_phase.
start_capture() {
	lab_bg wan "$T/tcpdump-$SNK.log" tcpdump -i br0 -n -U \
		-w "$T/$SNK.pcap" udp >"$T/tcpdump.pid"
	lab_wait_for "tcpdump listening" 5 grep -q 'listening on' \
		"$T/tcpdump-$SNK.log"
}

stop_phase() {	# every daemon of the phase, then the capture
	local p
	while read -r p; do lab_kill "$p"; done <"$T/phase.pids"
	[ ! -s "$T/tcpdump.pid" ] || lab_kill "$(cat "$T/tcpdump.pid")"
	: >"$T/tcpdump.pid"
}

# dissect NET ARGS...: n2n-dissect of pair NET's datagrams in this phase's
# capture (a at 198.18.0.101:40NET1, b at 198.18.0.102:40NET2).
dissect() {
	local net=$1 f=$T/$SNK-$1.pcap
	shift
	[ -e "$f" ] || tcpdump -n -r "$T/$SNK.pcap" -w "$f" \
		"udp port $(port_of "$net" 1) or udp port $(port_of "$net" 2)" \
		2>/dev/null
	"$DISSECT" "$@" "$f" 2>/dev/null
}

who() {		# who NAME: "the stock edge" or "our edge"
	if [ "${KIND[$1]}" = s ]; then echo "the stock edge"; else echo "our edge"; fi
}

# --- one pair: registration, ping, the path each edge reports, what the
# supernode relayed (and, with the XDP relay, who relayed it) ---
# check_pair LABEL NET MODE [daemon]: MODE p2p or relay; the burst is from
# e<NET>1. With the XDP relay, relayed PACKETs must bypass the daemon,
# unless "daemon" says they are ones XDP leaves to it (-H).
# kernel_moved NAME: PACKETs our edge's kernel path sent and delivered,
# "sent delivered" ("- -" for a stock edge or one on sockets).
kernel_moved() {
	[ "${KIND[$1]}" = o ] && [ "${DP[$1]}" = kernel ] ||
		{ echo "- -"; return; }
	echo "$(counter "$1" tc_tx_sent) $(counter "$1" tc_rx_delivered)"
}

# check_datapath LABEL NAME BEFORE AFTER: our edge took the datapath its
# flags call for; on the kernel path, it moved the burst's 10 requests (or
# replies) each way itself: BEFORE and AFTER are kernel_moved's.
check_datapath() {
	local b=($3) a=($4)
	[ "${KIND[$2]}" = o ] || return 0
	t_check_eq "$1: $(who "$2") runs the ${DP[$2]} path" "${DP[$2]}" \
		"$(info_field "$2" datapath)"
	[ "${DP[$2]}" = kernel ] || return 0
	t_check_delta "$1: $(who "$2")'s kernel path sent its side of the pings" \
		"${b[0]}" "${a[0]}" -ge 9
	t_check_delta "$1: $(who "$2")'s kernel path delivered the other side" \
		"${b[1]}" "${a[1]}" -ge 9
}

check_pair() {
	local label=$1 net=$2 mode=$3 r0 r1 d0=0 d1=0 got k10 k11 k20 k21
	local e1=e${net}1 e2=e${net}2 dst=198.19.$net.2
	wait_up "$label" "$e1" "$e2"
	t_check "$label: ping" lab_wait_for "ping $dst" 15 \
		pings "${HOST[$e1]}" "$dst" 1
	t_check "$label: $(who "$e1") reports $mode" lab_wait_for "$mode path" \
		15 path_is "$e1" "$(mac_of "$net" 2)" "$mode"
	t_check "$label: $(who "$e2") reports $mode" lab_wait_for "$mode path" \
		15 path_is "$e2" "$(mac_of "$net" 1)" "$mode"
	# Before the burst, the kernel-path edges have the peer in the map.
	[ "${KIND[$e1]}${DP[$e1]}" != okernel ] ||
		lab_wait_for "$e1 in kernel" 5 in_kernel "$e1" "$(mac_of "$net" 2)"
	[ "${KIND[$e2]}${DP[$e2]}" != okernel ] ||
		lab_wait_for "$e2 in kernel" 5 in_kernel "$e2" "$(mac_of "$net" 1)"
	[ "$SNK" = stock ] || d0=$(daemon_fwd "i$net")
	r0=$(sn_relayed "i$net")
	k10=$(kernel_moved "$e1") k20=$(kernel_moved "$e2")
	got=$(burst "${HOST[$e1]}" "$dst" 10)
	k11=$(kernel_moved "$e1") k21=$(kernel_moved "$e2")
	r1=$(sn_relayed "i$net")
	[ "$SNK" = stock ] || d1=$(daemon_fwd "i$net")
	check_datapath "$label" "$e1" "$k10" "$k11"
	check_datapath "$label" "$e2" "$k20" "$k21"
	t_check "$label: 10 pings, at least 9 answered (${got:-0})" \
		test "${got:-0}" -ge 9
	if [ "$mode" = p2p ]; then
		t_check "$label: the supernode relayed none of them ($r0 -> $r1)" \
			test $((r1 - r0)) -le 2
	else
		t_check "$label: the supernode relayed them ($r0 -> $r1)" \
			test $((r1 - r0)) -ge 18
	fi
	if [ "$SNK" = kernel ] && [ "$mode" = relay ] &&
		[ "${4:-}" != daemon ]; then
		t_check "$label: the XDP relay, not the daemon, relayed them (daemon $d0 -> $d1)" \
			test $((d1 - d0)) -le 2
	elif [ "$SNK" = kernel ] && [ "$mode" = relay ]; then
		t_check "$label: the daemon relayed them ($d0 -> $d1)" \
			test $((d1 - d0)) -ge 18
	fi
}

# wire_path NET MODE: the capture shows pair NET's echo requests going
# a -> b directly (p2p), or a -> supernode -> b (relay).
wire_path() {
	local net=$1 mode=$2 pa pb d icmp
	pa=198.18.0.101:$(port_of "$net" 1)
	pb=198.18.0.102:$(port_of "$net" 2)
	icmp="ICMP 198\.19\.$net\.1 > 198\.19\.$net\.2 type 8"
	d=$(dissect "$net" -c "i$net" -k s3cret -A4)
	if [ "$mode" = p2p ]; then
		grep -qE " $pa > $pb PACKET .* $icmp" <<<"$d"
	else
		grep -qE " $pa > $SN_AT PACKET .* $icmp" <<<"$d" &&
			grep -qE " $SN_AT > $pb PACKET .* from-sn .* $icmp" <<<"$d"
	fi
}

# --- the matrix: six pairs on nets BASE..BASE+5, ChaCha20 ---
MATRIX=("ss p2p" "so p2p" "oo p2p" "ss relay" "so relay" "oo relay")
kinds_name() {	# kinds_name KINDS: stock-ours for so
	local a=stock b=stock
	[ "${1:0:1}" = o ] && a=ours
	[ "${1:1:1}" = o ] && b=ours
	echo "$a-$b"
}
start_matrix() {	# start_matrix BASE
	local i kinds mode solo
	for ((i = 0; i < ${#MATRIX[@]}; i++)); do
		read -r kinds mode <<<"${MATRIX[i]}"
		solo=
		[ "$mode" = relay ] && solo=-S1
		pair "$kinds" $(($1 + i)) "i$(($1 + i))" $SN_AT -k s3cret -A4 $solo
	done
}
check_matrix() {	# check_matrix BASE PREFIX
	local i kinds mode
	for ((i = 0; i < ${#MATRIX[@]}; i++)); do
		read -r kinds mode <<<"${MATRIX[i]}"
		check_pair "$2, $(kinds_name "$kinds") $mode" $(($1 + i)) "$mode"
	done
}
wire_matrix() {	# wire_matrix BASE PREFIX
	local i kinds mode
	for ((i = 0; i < ${#MATRIX[@]}; i++)); do
		read -r kinds mode <<<"${MATRIX[i]}"
		t_check "$2, $(kinds_name "$kinds") $mode: on the wire, a's pings go $([ "$mode" = p2p ] && echo "straight to b" || echo "through the supernode")" \
			wire_path $(($1 + i)) "$mode"
	done
}

# --- ciphers: a stock edge on a, ours on b, pairs BASE+6..BASE+12 and
# BASE+16; the tables are indexed by the offset ---
declare -A C_LABEL C_ARGS C_NAME C_DISSECT
cipher() {	# cipher OFFSET LABEL EDGE_ARGS WIRE_NAME DISSECT_ARGS
	C_LABEL[$1]=$2 C_ARGS[$1]=$3 C_NAME[$1]=$4 C_DISSECT[$1]=$5
}
cipher 6 "-A1 (null)" "-A1" null "-k x -A1"
cipher 7 "-A2 (Twofish)" "-k s3cret -A2" twofish "-k s3cret -A2"
cipher 8 "-A3 (AES)" "-k s3cret -A3" aes "-k s3cret -A3"
cipher 9 "-A5 -z1 (Speck, LZO)" "-k s3cret -A5 -z1" speck "-k s3cret -A5"
cipher 10 "-A4 -H (ChaCha20, header encryption)" "-k s3cret -A4 -H" \
	chacha20 "-k s3cret -A4 -H"
cipher 11 "-A3 -H -S1 (relayed)" "-k s3cret -A3 -H -S1" aes "-k s3cret -A3 -H"
cipher 12 "-A1 with a key (AES, as n2n does)" "-k s3cret -A1" aes \
	"-k s3cret -A3"
cipher 16 "a key and no -A (the README's quick start: AES)" \
	"-k mysecretpass" aes "-k mysecretpass -A3"
cipher 17 "-A3 (AES) on our kernel path" "-k s3cret -A3 --datapath=kernel" \
	aes "-k s3cret -A3"
cipher 18 "-A3 -S1 (AES, relayed) on our kernel path" \
	"-k s3cret -A3 -S1 --datapath=kernel" aes "-k s3cret -A3"
cipher 19 "-A4 -H -S1 (relayed, header encryption)" "-k s3cret -A4 -H -S1" \
	chacha20 "-k s3cret -A4 -H"
CIPHERS=(6 7 8 9 10 11 12 16 17 18 19)

zping() {	# zping HOST DST: pings with 500 zero bytes (LZO shrinks them)
	lab_exec "$1" ping -q -c 2 -i 0.2 -W 2 -p 00 -s 500 "$2" >/dev/null 2>&1
}
start_ciphers() {	# start_ciphers BASE [OFFSET...]
	local base=$1 o
	shift
	for o in "${@:-${CIPHERS[@]}}"; do
		# shellcheck disable=SC2086
		pair so $((base + o)) "i$((base + o))" $SN_AT ${C_ARGS[$o]}
	done
}
check_ciphers() {	# check_ciphers BASE PREFIX [OFFSET...]
	local base=$1 pfx=$2 o net label
	shift 2
	for o in "${@:-${CIPHERS[@]}}"; do
		net=$((base + o)) label="$pfx, stock-ours ${C_LABEL[$o]}"
		if [[ ${C_ARGS[$o]} == *-S1* ]]; then
			check_pair "$label" $net relay # -H included: XDP
			continue
		fi
		if [ "${DP[e${net}2]}" = kernel ]; then
			check_pair "$label" $net p2p # and the kernel moved it
			continue
		fi
		wait_up "$label" "e${net}1" "e${net}2"
		t_check "$label: ping stock -> ours" lab_wait_for "ping" 15 \
			zping a "198.19.$net.2"
		t_check "$label: ping ours -> stock" zping b "198.19.$net.1"
	done
}
# wire_cipher NET OFFSET: both edges' PACKETs carry the transform (and
# compression, header encryption) of the flags, and decrypt to the pings.
wire_cipher() {
	local net=$1 o=$2 d h='' what pa pb
	pa=198.18.0.101:$(port_of "$net" 1)
	pb=198.18.0.102:$(port_of "$net" 2)
	[[ ${C_DISSECT[$o]} == *-H* ]] && h='\[H\] '
	# shellcheck disable=SC2086
	d=$(dissect "$net" -c "i$net" ${C_DISSECT[$o]})
	if [[ ${C_ARGS[$o]} == *-z1* ]]; then
		what="${C_NAME[$o]} compression 2"
		grep -qE " $pa > \S+ ${h}PACKET .* $what" <<<"$d" &&
			grep -qE " $pb > \S+ ${h}PACKET .* $what" <<<"$d"
		return
	fi
	what="${C_NAME[$o]} frame .* ICMP 198\.19\.$net"
	grep -qE " $pa > \S+ ${h}PACKET .* $what\.1 > 198\.19\.$net\.2 type 8" <<<"$d" &&
		grep -qE " $pb > \S+ ${h}PACKET .* $what\.2 > 198\.19\.$net\.1 type 0" <<<"$d"
}
# unreadable NET: without the community's header key, not one datagram of
# pair NET parses as n2n.
unreadable() {
	local d
	d=$(dissect "$1")
	[ -n "$d" ] && ! grep -qE ' (PACKET|REGISTER|QUERY|PEER_INFO)' <<<"$d"
}
wire_ciphers() {	# wire_ciphers BASE PREFIX [OFFSET...]
	local base=$1 pfx=$2 o net what
	shift 2
	for o in "${@:-${CIPHERS[@]}}"; do
		net=$((base + o)) what=${C_NAME[$o]}
		[[ ${C_ARGS[$o]} == *-z1* ]] && what="$what, LZO (compression 2)"
		t_check "$pfx, stock-ours ${C_LABEL[$o]}: on the wire both edges send $what" \
			wire_cipher $net "$o"
		[[ ${C_ARGS[$o]} == *-H* ]] || continue
		t_check "$pfx, stock-ours ${C_LABEL[$o]}: no header readable without the community" \
			unreadable $net
	done
}

# --- a stock and our edge behind symmetric NATs (BASE+13): no P2P, the
# supernode relays ---
start_symmetric() {	# start_symmetric BASE
	local net=$(($1 + 13))
	edge s "e${net}1" sa $net 1 "i$net" $SN_AT -k s3cret -A4
	edge o "e${net}2" sb $net 2 "i$net" $SN_AT -k s3cret -A4
}

# --- user/password (BASE+14): stock alice on a, our carol on b, both with
# -P of the federation name; a wrong password on sa (BASE+15), of the kind
# the supernode is not ---
start_upw() {	# start_upw BASE WRONG_KIND
	local net=$(($1 + 14))
	edge s "e${net}1" a $net 1 secure $SN_AT -k s3cret -A4 -I alice \
		-J alice-pw -P "$FEDKEY"
	edge o "e${net}2" b $net 2 secure $SN_AT -k s3cret -A4 -I carol \
		-J carol-pw -P "$FEDKEY"
	net=$(($1 + 15))
	edge "$2" "e${net}1" sa $net 1 secure $SN_AT -k s3cret -A4 -I carol \
		-J WRONG -P "$FEDKEY"
}
naked() {	# our supernode sent a REGISTER_SUPER_NAK
	[ "$(counter sn register_super_nak)" -ge 1 ]
}
check_upw() {	# check_upw BASE PREFIX
	local net=$(($1 + 14)) pfx="$2, user/password, stock alice - our carol"
	wait_up "$pfx" "e${net}1" "e${net}2"
	t_check "$pfx: ping stock -> ours" lab_wait_for "u/pw ping" 15 \
		pings a "198.19.$net.2" 1
	t_check "$pfx: ping ours -> stock" pings b "198.19.$net.1" 2
	if [ "$SNK" != stock ]; then
		t_check "$pfx: our supernode has the community header-encrypted" \
			test "$(ctl sn communities | jq -r \
			'.rows[] | select(.community == "secure") | .header')" = encrypted
	fi
	net=$(($1 + 15))
	if [ "$SNK" = stock ]; then
		t_check "$2, user/password: the stock supernode refuses our edge's wrong password" \
			lab_wait_for "NAK logged" 15 grep -q 'refused our registration' \
			"$T/e${net}1.log"
	else
		t_check "$2, user/password: our supernode refuses the stock edge's wrong password (NAK)" \
			lab_wait_for "NAK counted" 15 naked
		t_check "$2, user/password: the stock edge understands our NAK" \
			lab_wait_for "NAK logged" 15 grep -q \
			'username or password not recognized' "$T/e${net}1.log"
	fi
	t_check_fails "$2, user/password: the wrong password never registers" \
		up "e${net}1"
}
wire_upw() {	# wire_upw BASE PREFIX
	local net=$(($1 + 14))
	# (n2n-dissect cannot open them with the community either: it does
	# not know the 16-byte auth trailer after a u/pw REGISTER_SUPER.)
	t_check "$2, user/password: no header readable without the community" \
		unreadable $net
}

# --- one phase: a supernode, every pair at once, the checks, the wire ---
want() {	# want PHASE: INTEROP_PHASES asks for it
	[[ " ${INTEROP_PHASES:-stock socket kernel nofwd federation} " == *" $1 "* ]]
}

phase() {	# phase KIND BASE PREFIX
	local kind=$1 base=$2 pfx=$3
	want "$kind" || return 0
	echo "---- $pfx"
	if ! start_sn "$kind"; then
		# Only the XDP relay may fail to load on some kernels.
		echo "skip $pfx: the supernode did not start: $(tail -n 2 \
			"$T/sn-$kind.log" | tr '\n' ' ')"
		[ "$kind" = kernel ] || t_fail "$pfx: the supernode starts" "see above"
		stop_phase
		return
	fi
	start_capture
	start_matrix "$base"
	if [ "$kind" = kernel ]; then
		t_check "$pfx: the log names the XDP relay on eth0" \
			grep -q 'datapath kernel.*XDP relay on eth0' "$T/sn-$kind.log"
		t_check "$pfx: an XDP program is on sn's eth0" \
			sh -c "ip -n '$(lab_ns sn)' link show dev eth0 | grep -q xdp"
		start_ciphers "$base" 11 19
		# Two stock -H edges, relayed by our XDP relay (BASE+20).
		pair ss $((base + 20)) "i$((base + 20))" $SN_AT -k s3cret \
			-A3 -H -S1
		check_matrix "$base" "$pfx"
		check_ciphers "$base" "$pfx" 11 19
		check_pair "$pfx, stock-stock -A3 -H -S1 (relayed, header encryption)" \
			$((base + 20)) relay
		t_check_eq "$pfx: no -H PACKET taken for a replay in XDP" 0 \
			"$(counter sn xdp_drop_replayed)"
		t_check_eq "$pfx: no -H PACKET refused by its key in XDP" 0 \
			"$(counter sn xdp_header_key)"
		stop_phase
		wire_matrix "$base" "$pfx"
		wire_ciphers "$base" "$pfx" 11 19
		return
	fi
	start_ciphers "$base"
	start_symmetric "$base"
	start_upw "$base" "$([ "$kind" = stock ] && echo o || echo s)"
	check_matrix "$base" "$pfx"
	check_ciphers "$base" "$pfx"
	check_pair "$pfx, stock-ours behind symmetric NATs" $((base + 13)) relay
	check_upw "$base" "$pfx"
	stop_phase
	wire_matrix "$base" "$pfx"
	wire_ciphers "$base" "$pfx"
	wire_upw "$base" "$pfx"
}

# The XDP relay on a host with IPv4 forwarding off, as a new user runs it:
# --datapath=auto still picks XDP, next hops come from relay_hops (the
# daemon's copy of the route and neighbour tables), and every relayed pair,
# stock edges and ours, stays in XDP. Nets 72-77 (the matrix only).
phase_nofwd() {
	local base=72 pfx="our sn, XDP, forwarding off"
	want nofwd || return 0
	echo "---- $pfx"
	lab_exec sn sysctl -qw net.ipv4.conf.eth0.forwarding=0
	if ! start_sn auto; then
		t_fail "$pfx: the supernode starts" "$(tail -n 2 "$T/sn-auto.log")"
		stop_phase
		return
	fi
	SNK=kernel
	start_capture
	start_matrix $base
	t_check "$pfx: auto names the XDP relay on eth0" \
		grep -q 'datapath kernel.*XDP relay on eth0' "$T/sn-auto.log"
	t_check "$pfx: next hops from the route and neighbour tables" \
		grep -q 'next hop from the route and neighbour tables' \
		"$T/sn-auto.log"
	check_matrix $base "$pfx"
	stop_phase
	wire_matrix $base "$pfx"
	lab_exec sn sysctl -qw net.ipv4.conf.eth0.forwarding=1
}

phase stock 10 "stock sn"
phase socket 30 "our sn"
phase kernel 50 "our sn, XDP"
phase_nofwd
want federation || { t_summary; exit; }

# --- federation: the stock supernode on sn and ours on sn2, each given
# the other with -l; edges registered at different supernodes (a at sn, b
# at sn2). Nets 90 and 91 are -S1, so every PACKET crosses both
# supernodes; net 92 goes P2P once the edges learn each other through the
# federation.
#
# Stock 3.1.1 derives the federation's header-encryption keys in
# sn_init_defaults(), from "*Federation" (or "*$N2N_FEDERATION"), before
# it parses -F, which then renames the community only: a stock supernode
# started with -F NAME encrypts "*NAME" datagrams with the keys of
# "*Federation". Ours does the same (conf.h, federation_keys), so both
# ways of naming the federation must work with stock: -F on both sides
# (the traffic checks below run on that federation), and N2N_FEDERATION
# on both sides. ---
fed_joined() {	# our sn2 heard a supernode of *$FED
	[ "$(ctl sn2 communities 2>/dev/null | jq --arg c "*$FED" \
		'[.rows[] | select(.community == $c) | .edges] | add // 0')" -ge 1 ]
}
stock_knows_sn2() {	# the stock supernode heard sn2 (it has its MAC)
	mgmt sn 5645 edges |
		jq -e 'select(.community == "-/-" and .macaddr != "" and
			(.sockaddr | contains("198.18.0.2:7654")))' >/dev/null
}
federated() {
	fed_joined && stock_knows_sn2
}
stock_fwd() {	# the stock supernode's forwards
	mgmt sn 5645 packetstats | jq -r 'select(.type == "forward") | .tx_pkt'
}
sn2_fwd() {	# sn2_fwd COMMUNITY: our sn2's relayed PACKETs of it
	ctl sn2 communities 2>/dev/null | jq --arg c "$1" \
		'[.rows[] | select(.community == $c) | .forwarded] | add // 0'
}
SN1_AT=198.18.0.1:7654 SN2_AT=198.18.0.2:7654
# wire_fed NET: pair NET's echo requests go a -> sn -> sn2 -> b.
wire_fed() {
	local net=$1 f=$T/fed-$1.pcap pa pb d icmp
	pa=198.18.0.101:$(port_of "$net" 1)
	pb=198.18.0.102:$(port_of "$net" 2)
	icmp="ICMP 198\.19\.$net\.1 > 198\.19\.$net\.2 type 8"
	tcpdump -n -r "$T/federation.pcap" -w "$f" "udp port ${pa#*:} or \
		udp port ${pb#*:} or (host 198.18.0.1 and host 198.18.0.2)" \
		2>/dev/null
	d=$("$DISSECT" -c "i$net" -k s3cret -A4 "$f" 2>/dev/null)
	grep -qE " $pa > $SN1_AT PACKET \"i$net\" .* $icmp" <<<"$d" &&
		grep -qE " $SN1_AT > $SN2_AT PACKET \"i$net\" .* from-sn .* $icmp" <<<"$d" &&
		grep -qE " $SN2_AT > $pb PACKET \"i$net\" .* from-sn .* $icmp" <<<"$d"
}

echo "---- federation"
SNK=federation
: >"$T/phase.pids"
start_capture
sn2_pid=$(lab_bg sn2 "$T/sn2-fed-env.log" env N2N_FEDERATION=$FED "$SN" \
	-p 7654 -f -v -c "$T/communities" -l $SN1_AT \
	--ctl-socket="$T/sn2.sock")
stock_pid=$(lab_bg sn "$T/sn-fed-env.log" env N2N_FEDERATION=$FED "$S_SN" \
	-p 7654 -f -c "$T/communities" -l $SN2_AT)
t_check "federation, stock N2N_FEDERATION=$FED - ours N2N_FEDERATION=$FED: they federate" \
	lab_wait_for "federation" 25 federated
lab_kill "$stock_pid"
lab_kill "$sn2_pid"
lab_bg sn2 "$T/sn2-fed.log" "$SN" -p 7654 -f -v -F $FED \
	-c "$T/communities" -l $SN1_AT --ctl-socket="$T/sn2.sock" \
	>>"$T/phase.pids"
lab_bg sn "$T/sn-fed.log" "$S_SN" -p 7654 -f -F $FED \
	-c "$T/communities" -l $SN2_AT >>"$T/phase.pids"
t_check "federation, stock -F $FED - ours -F $FED: ours heard the stock one" \
	lab_wait_for "federation at sn2" 25 fed_joined
t_check "federation, stock -F $FED - ours -F $FED: the stock one heard ours" \
	lab_wait_for "federation at sn" 25 stock_knows_sn2

edge s e901 a 90 1 i90 $SN1_AT -k s3cret -A4 -S1
edge o e902 b 90 2 i90 $SN2_AT -k s3cret -A4 -S1
edge o e911 a 91 1 i91 $SN1_AT -k s3cret -A4 -S1
edge s e912 b 91 2 i91 $SN2_AT -k s3cret -A4 -S1
edge s e921 a 92 1 i92 $SN1_AT -k s3cret -A4
edge o e922 b 92 2 i92 $SN2_AT -k s3cret -A4
for net in 90 91; do
	label="federation, $(kinds_name "${KIND[e${net}1]}${KIND[e${net}2]}"), a at the stock sn, b at ours, -S1"
	wait_up "$label" e${net}1 e${net}2
	t_check "$label: ping" lab_wait_for "ping across" 20 \
		pings a 198.19.$net.2 1
	if [ "${KIND[e${net}1]}" = o ]; then
		t_check "$label: our edge reports relay" lab_wait_for "relay" 10 \
			path_is e${net}1 "$(mac_of $net 2)" relay
	else
		t_check "$label: our edge reports relay" lab_wait_for "relay" 10 \
			path_is e${net}2 "$(mac_of $net 1)" relay
	fi
	s0=$(stock_fwd) o0=$(sn2_fwd i$net)
	got=$(burst a 198.19.$net.2 10)
	s1=$(stock_fwd) o1=$(sn2_fwd i$net)
	t_check "$label: 10 pings, at least 9 answered (${got:-0})" \
		test "${got:-0}" -ge 9
	# Each supernode counts what it hands to its own edge, as stock's
	# "forward" does: the replies at sn, the requests at sn2.
	t_check "$label: the stock supernode relayed the replies to a ($s0 -> $s1)" \
		test $((s1 - s0)) -ge 9
	t_check "$label: our supernode relayed the requests to b ($o0 -> $o1)" \
		test $((o1 - o0)) -ge 9
done
label="federation, stock-ours, a at the stock sn, b at ours, P2P"
wait_up "$label" e921 e922
t_check "$label: ping" lab_wait_for "ping across" 20 pings a 198.19.92.2 1
t_check "$label: the stock edge reports p2p" lab_wait_for "p2p" 15 \
	path_is e921 "$(mac_of 92 2)" p2p
t_check "$label: our edge reports p2p" lab_wait_for "p2p" 15 \
	path_is e922 "$(mac_of 92 1)" p2p
s0=$(stock_fwd) o0=$(sn2_fwd i92)
got=$(burst a 198.19.92.2 10)
s1=$(stock_fwd) o1=$(sn2_fwd i92)
t_check "$label: 10 pings, at least 9 answered (${got:-0})" \
	test "${got:-0}" -ge 9
t_check "$label: neither supernode relayed them (stock $s0 -> $s1, ours $o0 -> $o1)" \
	test $((s1 - s0 + o1 - o0)) -le 2
stop_phase
for net in 90 91; do
	t_check "federation, $(kinds_name "${KIND[e${net}1]}${KIND[e${net}2]}") -S1: on the wire, a's pings go a -> stock sn -> our sn -> b" \
		wire_fed $net
done
t_check "federation, stock-ours P2P: on the wire, a's pings go straight to b" \
	wire_path 92 p2p

t_summary
