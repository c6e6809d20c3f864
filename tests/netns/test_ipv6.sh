#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The IPv6 underlay, socket datapath. Proves: a supernode on an IPv6-only
# host (-p [addr]:port) registers IPv6-only edges, which go P2P over IPv6
# (peers show [addr]:port, the P2P counter moves) or, with -S1, are
# relayed over IPv6; a dual-stack supernode (plain -p PORT) takes an IPv4
# edge and an IPv6 edge of one community and relays between them (its
# edge table holds plain IPv4, never ::ffff:a.b.c.d); -l with a name that
# resolves to AAAA only (an /etc/hosts of the edge's own mount namespace),
# and with AAAA and A, the A tried when the AAAA does not answer; two
# IPv6-only supernodes federate and their edges reach each other;
# --datapath=kernel with an IPv6 supernode stops with a message naming the
# problem and the way out, and auto picks sockets saying why; with
# N2N_STOCK_DIR, a stock n2n 3.1.1 edge (IPv4) in a community with an
# IPv6-only edge reaches it through the supernode and is never told an
# IPv6 socket (the supernode withholds it: peer_info_v6_withheld).
#
#   wan br0: sn1 198.18.0.1 + 2001:db8::1 (dual-stack supernode, 7654,
#            --datapath=auto: the XDP relay where the host runs it)
#            sn2 2001:db8::2 only (supernode -p [2001:db8::2]:7654)
#            a 2001:db8::11 only, b 2001:db8::12 only (IPv6 edges)
#            c 198.18.0.13 only (IPv4 edges, ours and stock)
#            d 198.18.0.14 + 2001:db8::14 (a dual-stack edge)
#            f1 2001:db8::21, f2 2001:db8::22 (supernodes federated)
#   overlay: p2p 198.19.61.0/24, relay 198.19.62.0/24, mix 198.19.63.0/24,
#   name 198.19.64.0/24, stock 198.19.65.0/24
#   test_ipv6.sh BUILD_DIR [STOCK_DIR]
set -u
OUT=$(cd "${1:-.output}" && pwd)
STOCK=${2:-${N2N_STOCK_DIR:-}}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

T=$(mktemp -d /tmp/n2nk-v6.XXXXXX)
lab_on_cleanup rm -rf "$T"
[ -z "${V6_KEEP_LOGS:-}" ] || lab_on_cleanup cp -r "$T" "$V6_KEEP_LOGS"

lab_init "$OUT" || exit 1
lab_add_public_host sn1 198.18.0.1
lab_add_public_host sn2 198.18.0.2
lab_add_public_host a 198.18.0.11
lab_add_public_host b 198.18.0.12
lab_add_public_host c 198.18.0.13
lab_add_public_host d 198.18.0.14
lab_add_public_host f1 198.18.0.21
lab_add_public_host f2 198.18.0.22

# v6 HOST ADDR [keep4]: IPv6 on eth0 (nodad: usable at once), and its
# IPv4 address gone unless keep4.
v6() {
	lab_exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
		net.ipv6.conf.eth0.disable_ipv6=0 &&
		lab_exec "$1" ip addr add "$2/64" dev eth0 nodad || return 1
	[ "${3:-}" = keep4 ] || lab_exec "$1" ip -4 addr flush dev eth0
}
t_require "sn1 dual-stack" v6 sn1 2001:db8::1 keep4
t_require "sn2 IPv6 only" v6 sn2 2001:db8::2
t_require "a IPv6 only" v6 a 2001:db8::11
t_require "b IPv6 only" v6 b 2001:db8::12
t_require "d dual-stack" v6 d 2001:db8::14 keep4
t_require "f1 IPv6 only" v6 f1 2001:db8::21
t_require "f2 IPv6 only" v6 f2 2001:db8::22
# c: IPv4 only, as a stock n2n host is.
lab_exec c sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	net.ipv6.conf.default.disable_ipv6=1
t_check "IPv6 underlay works (ping6 a -> sn2)" \
	lab_wait_for "ping6" 5 lab_exec a ping -6 -c1 -W1 2001:db8::2

start_edge() {	# start_edge NAME HOST ARGS...
	local name=$1 host=$2
	shift 2
	lab_bg "$host" "$T/$name.log" "$EDGE" -f -i 4 \
		--ctl-socket="$T/$name.sock" "$@" >"$T/$name.pid"
}

wait_registered() {	# wait_registered NAME...
	local n
	for n in "$@"; do
		lab_wait_for "$n registered" 15 registered "$n" ||
			{ tail -n 20 "$T/$n.log"; return 1; }
	done
}

path_is() { [ "$(peer_path "$1" "$2")" = "$3" ]; }

t_require "supernode on an IPv6-only host" \
	sn_start sn2 sn2 -p '[2001:db8::2]:7654' --datapath=socket
t_check "it listens on IPv6 only" \
	grep -q 'listening on UDP port 7654 (IPv6)' "$T/sn2.log"
# auto: the XDP relay where this host runs it (IPv4 edges relayed there,
# IPv6 left to the stack and so to the daemon's socket), sockets if not.
t_require "dual-stack supernode (-p 7654)" sn_start sn1 sn1 -p 7654
t_check "it listens on IPv6 and IPv4" \
	grep -q 'listening on UDP port 7654 (IPv6 and IPv4)' "$T/sn1.log"
if grep -q 'datapath kernel' "$T/sn1.log"; then
	t_pass "the dual-stack supernode runs the XDP relay (auto)"
else
	t_skip "the dual-stack supernode with the XDP relay" \
		"$(grep -o 'datapath socket.*' "$T/sn1.log")"
fi

# --- IPv6 only, P2P ---
MAC_A=02:00:00:00:61:01 MAC_B=02:00:00:00:61:02
start_edge pa a -c p2p -k s3cret -A4 -a 198.19.61.1/24 -d v6p -m $MAC_A \
	-p 50611 -l '[2001:db8::2]:7654'
start_edge pb b -c p2p -k s3cret -A4 -a 198.19.61.2/24 -d v6p -m $MAC_B \
	-p 50612 -l '[2001:db8::2]:7654'
t_check "IPv6-only edges register with an IPv6-only supernode" \
	wait_registered pa pb
t_check_eq "the supernode sees b at its IPv6 socket" "[2001:db8::12]:50612" \
	"$(sn_edge_field sn2 $MAC_B sockaddr)"
t_check "ping over the IPv6 underlay" pings a 198.19.61.2 5
t_check "IPv6 edges go P2P" lab_wait_for "P2P path" 10 path_is pa $MAC_B p2p
t_check_eq "the peer's socket is [addr]:port" "[2001:db8::12]:50612" \
	"$(peer_field pa $MAC_B sockaddr)"
lab_exec a ip neigh replace 198.19.61.2 lladdr $MAC_B dev v6p nud permanent
lab_exec b ip neigh replace 198.19.61.1 lladdr $MAC_A dev v6p nud permanent
before=$(counter pa tx_p2p)
t_check "5 of 5 echoes over IPv6 P2P" pings_all a 198.19.61.2 5
t_check_delta "the P2P counter counts them" "$before" \
	"$(counter pa tx_p2p)" -eq 5
t_check_eq "the edge is on sockets" socket "$(info_field pa datapath)"

# --- IPv6 only, relayed (-S1) ---
MAC_RA=02:00:00:00:62:01 MAC_RB=02:00:00:00:62:02
start_edge ra a -c relay -k s3cret -A3 -S1 -a 198.19.62.1/24 -d v6r \
	-m $MAC_RA -p 50621 -l '[2001:db8::2]:7654'
start_edge rb b -c relay -k s3cret -A3 -S1 -a 198.19.62.2/24 -d v6r \
	-m $MAC_RB -p 50622 -l '[2001:db8::2]:7654'
t_check "-S1 IPv6 edges register" wait_registered ra rb
lab_exec a ip neigh replace 198.19.62.2 lladdr $MAC_RB dev v6r nud permanent
lab_exec b ip neigh replace 198.19.62.1 lladdr $MAC_RA dev v6r nud permanent
fwd=$(sn_community sn2 relay forwarded)
t_check "5 of 5 echoes relayed over IPv6" pings_all a 198.19.62.2 5
t_check_eq "-S1 over IPv6 uses the relay" relay "$(peer_path ra $MAC_RB)"
t_check_delta "the supernode relayed the 10 echoes" "$fwd" \
	"$(sn_community sn2 relay forwarded)" -ge 10

# --- dual-stack supernode: an IPv4 edge and an IPv6 edge ---
MAC_M4=02:00:00:00:63:01 MAC_M6=02:00:00:00:63:02
start_edge m4 c -c mix -k s3cret -A4 -a 198.19.63.1/24 -d v6m -m $MAC_M4 \
	-p 50631 -l 198.18.0.1:7654
start_edge m6 b -c mix -k s3cret -A4 -a 198.19.63.2/24 -d v6m -m $MAC_M6 \
	-p 50632 -l '[2001:db8::1]:7654'
t_check "IPv4 and IPv6 edges register with one dual-stack supernode" \
	wait_registered m4 m6
t_check_eq "the IPv4 edge is plain IPv4 there (no ::ffff:)" \
	"198.18.0.13:50631" "$(sn_edge_field sn1 $MAC_M4 sockaddr)"
t_check_eq "the IPv6 edge is IPv6 there" "[2001:db8::12]:50632" \
	"$(sn_edge_field sn1 $MAC_M6 sockaddr)"
t_check "IPv4 edge -> IPv6 edge through the supernode" \
	pings c 198.19.63.2 5
t_check "IPv6 edge -> IPv4 edge through the supernode" \
	pings b 198.19.63.1 5
t_check_eq "the IPv4 edge reaches the IPv6 one relayed" relay \
	"$(peer_path m4 $MAC_M6)"
t_check_eq "the IPv4 edge's socket is IPv4 only" IPv4 \
	"$(grep -o 'UDP port 50631 ([^)]*' "$T/m4.log" | sed 's/.*(//')"
t_check_eq "the IPv6 edge's socket takes both" "IPv6 and IPv4" \
	"$(grep -o 'UDP port 50632 ([^)]*' "$T/m6.log" | sed 's/.*(//')"

# --- -l NAME resolving to AAAA only (/etc/hosts of its mount namespace) ---
printf '127.0.0.1 localhost\n2001:db8::2 sn6.test\n' >"$T/hosts"
MAC_N=02:00:00:00:64:01
lab_bg a "$T/nm.log" unshare -m sh -c \
	'mount --bind "$1" /etc/hosts && shift && exec "$@"' sh "$T/hosts" \
	"$EDGE" -f -i 4 --ctl-socket="$T/nm.sock" -c name -k s3cret -A4 \
	-a 198.19.64.1/24 -d v6n -m $MAC_N -p 50641 -l sn6.test:7654 \
	>"$T/nm.pid"
t_check "-l with a name that resolves to AAAA registers" wait_registered nm
t_check_eq "its supernode row is [addr]:port" "[2001:db8::2]:7654" \
	"$(ctl nm supernodes | jq -r '.rows[0].sockaddr')"

# --- a name with AAAA and A whose IPv6 address does not answer: the edge
# tries the IPv4 one before giving up (getaddrinfo puts IPv6 first here:
# d has an IPv6 address in the same /64) ---
printf '127.0.0.1 localhost\n2001:db8::99 dual.test\n198.18.0.1 dual.test\n' \
	>"$T/hosts2"
lab_bg d "$T/nd.log" unshare -m sh -c \
	'mount --bind "$1" /etc/hosts && shift && exec "$@"' sh "$T/hosts2" \
	"$EDGE" -f -i 4 --ctl-socket="$T/nd.sock" -c name2 -k s3cret -A4 \
	-a 198.19.68.1/24 -d v6d -p 50681 -l dual.test:7654 >"$T/nd.pid"
t_check "a name with AAAA and A registers at the A when the AAAA is silent" \
	wait_registered nd
t_check "... after trying the AAAA first, and saying so" grep -q \
	'dual.test:7654 not answering at \[2001:db8::99\]:7654, trying 198.18.0.1:7654' \
	"$T/nd.log"
t_check_eq "... its supernode row is the IPv4 address" "198.18.0.1:7654" \
	"$(ctl nd supernodes | jq -r '.rows[0].sockaddr')"

# --- two supernodes federated over IPv6, an edge at each ---
members() {	# members NAME: supernodes in its federation community
	ctl "$1" communities 2>/dev/null |
		jq -r '.rows[] | select(.community == "*v6fed") | .edges'
}
has_members() { [ "$(members "$1")" -ge 1 ] 2>/dev/null; }
t_require "federated supernode f1" sn_start f1 f1 -p '[2001:db8::21]:7654' \
	-F v6fed -l '[2001:db8::22]:7654' --datapath=socket
t_require "federated supernode f2" sn_start f2 f2 -p '[2001:db8::22]:7654' \
	-F v6fed -l '[2001:db8::21]:7654' --datapath=socket
t_check "they federate over IPv6" lab_wait_for "federation" 15 has_members f1
start_edge fa a -c fed6 -k s3cret -A4 -a 198.19.69.1/24 -d v6f \
	-p 50691 -l '[2001:db8::21]:7654'
start_edge fb b -c fed6 -k s3cret -A4 -a 198.19.69.2/24 -d v6f \
	-p 50692 -l '[2001:db8::22]:7654'
t_check "an edge at each registers" wait_registered fa fb
t_check "ping across the IPv6 federation" \
	lab_wait_for "ping via federation" 10 pings a 198.19.69.2 2

# --- the kernel path and an IPv6 supernode ---
lab_exec a "$EDGE" -f -c kp -k s3cret -A4 -a 198.19.66.1/24 -d v6k \
	-p 50661 -l '[2001:db8::2]:7654' --datapath=kernel \
	--ctl-socket="$T/kp.sock" >"$T/kp.log" 2>&1 &
kp=$!
lab_wait_for "--datapath=kernel edge exits" 5 lab_pid_gone $kp
wait $kp 2>/dev/null
t_check_num "--datapath=kernel with an IPv6 supernode fails" $? -ne 0
t_check "... saying why and what to use instead" \
	grep -q 'reached over IPv6 and the kernel path is IPv4 only: use --datapath=socket' \
	"$T/kp.log"
start_edge ka a -c ka -k s3cret -A4 -a 198.19.67.1/24 -d v6a -p 50671 \
	-l '[2001:db8::2]:7654' --datapath=auto
t_check "auto with an IPv6 supernode registers" wait_registered ka
t_check_eq "... on sockets" socket "$(info_field ka datapath)"
t_check "... and says why" \
	grep -q 'auto: supernode \[2001:db8::2\]:7654 is reached over IPv6' \
	"$T/ka.log"

# --- stock n2n 3.1.1 (IPv4) with an IPv6-only peer ---
if [ -z "$STOCK" ] || [ ! -x "$STOCK/edge" ]; then
	t_skip "stock edge with an IPv6-only peer" "no N2N_STOCK_DIR"
else
	MAC_S=02:00:00:00:65:01 MAC_S6=02:00:00:00:65:02
	lab_bg c "$T/st.log" "$STOCK/edge" -f -c stock -k s3cret -A4 \
		-a 198.19.65.1/24 -d v6s -m $MAC_S -p 50651 \
		-l 198.18.0.1:7654 -t 20651 -v -v -v >"$T/st.pid"
	start_edge s6 b -c stock -k s3cret -A4 -a 198.19.65.2/24 -d v6s \
		-m $MAC_S6 -p 50652 -l '[2001:db8::1]:7654'
	t_check "our IPv6 edge registers" wait_registered s6
	t_check "the stock edge registers (IPv4)" lab_wait_for "stock" 15 \
		grep -q 'edge <<< ================ >>> supernode' "$T/st.log"
	withheld=$(counter sn1 peer_info_v6_withheld)
	t_check "stock IPv4 edge -> our IPv6-only edge, relayed" \
		pings c 198.19.65.2 5
	t_check "our IPv6-only edge -> stock IPv4 edge, relayed" \
		pings b 198.19.65.1 5
	t_check_eq "our edge reaches the stock one relayed" relay \
		"$(peer_path s6 $MAC_S)"
	t_check "the stock edge is still running" \
		test -d "/proc/$(cat "$T/st.pid")"
	# n2n 3.1.1 prints an IPv6 socket as XXXX:port and sends to it
	# through an uninitialised sockaddr_in (its fill_sockaddr() is IPv4
	# only, the result unchecked): seen as "sendto failed (22)".
	t_check "the stock edge was never told an IPv6 socket" \
		bash -c "! grep -q 'XXXX' '$T/st.log'"
	t_check "... nor sent to one" \
		bash -c "! grep -q 'sendto failed' '$T/st.log'"
	t_check "its QUERY_PEERs about the IPv6 peer went unanswered" \
		counter_grew sn1 peer_info_v6_withheld "$withheld" 1
	t_check "it heard of its peer only through the supernode" \
		grep -q 'PACKET.*via\|\[pSp\]' "$T/st.log"
fi

t_summary
