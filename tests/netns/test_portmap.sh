#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Port mapping (docs/port-mapping.md): the edge asks its NAT router for a
# UDP mapping by PCP, NAT-PMP or UPnP-IGD, advertises the external socket
# granted in REGISTER_SUPER's preferred-socket slot, renews the lease and
# deletes the mapping on SIGTERM. The routers' service is pmp_responder,
# written for this test (miniupnpd refuses a 198.18/15 WAN); with --nft it
# installs the DNAT a real router would, so a granted mapping really opens
# the path: an edge behind a symmetric NAT then reaches P2P with one behind
# a cone NAT, which without it stays relayed.
#
#   sn1 198.18.0.1 (our supernode)        pub 198.18.0.11 (public edge)
#        |                                     |
#   ---------------- br0 198.18.0.0/24 -----------------------------
#        |                     |                        |
#   nat1 .0.101 cone      nat2 .0.102 symmetric    nat3 .0.103 cone
#   + pmp_responder       + pmp_responder --nft    (no mapping service)
#        |                     |                        |
#     h1 198.18.1.2         h2 198.18.2.2            h3 198.18.3.2
#
# The WAN addresses are reserved (198.18/15): the edges run with the test
# override N2NK_PORTMAP_ALLOW_RESERVED=1, except in the check that without
# it nothing is advertised.
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lab.sh"
source "$HERE/n2nk.sh"

RESP=$OUT/tests/netns/pmp_responder
T=$(mktemp -d /tmp/n2nk-pmap.XXXXXX)
lab_on_cleanup rm -rf "$T"

lab_init "$OUT" || exit 1
lab_add_public_host sn1 198.18.0.1
lab_add_public_host pub 198.18.0.11
lab_add_nat_host h1 1 cone
lab_add_nat_host h2 2 symmetric
lab_add_nat_host h3 3 cone
for h in sn1 pub h1 h2 h3; do
	lab_exec $h sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done

KEY=(-c lab -k secret -l 198.18.0.1:7654 -i 4 --datapath=socket)
MAC_H1=02:00:00:00:09:01
MAC_H2=02:00:00:00:09:02
MAC_H3=02:00:00:00:09:03

start_edge() {	# start_edge NAME HOST ENV... -- ARGS...
	local name=$1 host=$2 envs=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	rm -f "$T/$name.sock"
	lab_bg "$host" "$T/$name.log" env "${envs[@]}" "$EDGE" -f -v \
		--ctl-socket="$T/$name.sock" "${KEY[@]}" "$@" >"$T/$name.pid"
}

stop_edge() {	# stop_edge NAME: SIGTERM, bounded wait
	lab_kill "$(cat "$T/$1.pid")"
}

# responder NAT N ARGS...: (re)starts nat N's service, log $T/respN.log
responder() {
	local n=$1
	shift
	[ -s "$T/resp$n.pid" ] && lab_kill "$(cat "$T/resp$n.pid")"
	: >"$T/resp$n.log"
	lab_bg "nat$n" "$T/resp$n.out" "$RESP" --ext "198.18.0.$((100 + n))" \
		--log "$T/resp$n.log" "$@" >"$T/resp$n.pid"
	lab_wait_port "nat$n" udp 5351 5
}

seen() {	# seen N REGEX: the responder of nat N logged a matching line
	grep -Eq "$2" "$T/resp$1.log"
}

wait_registered() {
	lab_wait_for "$1 registered" 15 registered "$1" ||
		{ tail -n 20 "$T/$1.log"; return 1; }
}

pmap_is() {	# pmap_is NAME STATE
	[ "$(info_field "$1" portmap 2>/dev/null)" = "$2" ]
}

no_rules() {	# no_rules N: nat N's responder table holds no DNAT
	! ip netns exec "$(lab_ns "nat$1")" nft list chain ip pmap pre |
		grep -q dnat
}

ALLOW=N2NK_PORTMAP_ALLOW_RESERVED=1

t_require "supernode starts" sn_start sn1 sn1 -p 7654 --datapath=socket

# --- 1. PCP: mapped, advertised as granted (the responder adds 1000 to
# the port asked), renewed with a 4 s lease, deleted on SIGTERM ---
t_require "PCP/NAT-PMP responder on nat1" \
	responder 1 --max-lease 4 --port-offset 1000
t_require "edge h1 starts" start_edge h1 h1 "$ALLOW" -- -p 50001 \
	-m $MAC_H1 -a 198.19.0.1/24
t_check "edge h1 registers" wait_registered h1
t_check "PCP mapping asked and granted" lab_wait_for "PCP MAP" 10 \
	seen 1 '^MAP pcp int=198.18.1.2:50001 ext=51001 lease=4$'
t_check "n2nctl info: mapped by pcp" lab_wait_for "mapped" 5 pmap_is h1 mapped
t_check_eq "n2nctl info: protocol" pcp "$(info_field h1 portmap_protocol)"
t_check_eq "n2nctl info: external socket = the granted one" \
	198.18.0.101:51001 "$(info_field h1 portmap_external)"
t_check_eq "advertised (preferred) socket = the granted one" \
	198.18.0.101:51001 "$(info_field h1 preferred_socket)"
t_check_num "n2nctl info: lease left" "$(info_field h1 portmap_lease_left_s)" -le 4
t_check "a reserved address is advertised only under the override, with a warning" \
	grep -q 'N2NK_PORTMAP_ALLOW_RESERVED=1 (tests only)' "$T/h1.log"
t_check "PCP lease renewed before it ends" lab_wait_for "PCP RENEW" 10 \
	seen 1 '^RENEW pcp int=198.18.1.2:50001 ext=51001'
# What PEER_INFO then carries (peers punch it: parts 7 and 8 show it).
sn_knows_pref() {	# sn_knows_pref MAC SOCKET: our supernode has it
	[ "$(sn_edge_field sn1 "$1" preferred 2>/dev/null)" = "$2" ]
}
t_check "our supernode holds h1's mapped socket" lab_wait_for "preferred" 10 \
	sn_knows_pref $MAC_H1 198.18.0.101:51001
t_check "SIGTERM: edge stops" stop_edge h1
t_check "SIGTERM: the PCP mapping was deleted" \
	seen 1 '^DELETE pcp int=198.18.1.2:50001'

# --- 1b. the router moves the mapping at renewal: the new port is
# advertised at once (our supernode holds it) ---
t_require "responder that moves ports on renewal" \
	responder 1 --max-lease 4 --port-offset 1000 --move-on-renew
t_require "edge h1 starts" start_edge h1 h1 "$ALLOW" -- -p 50001 \
	-m $MAC_H1 -a 198.19.0.1/24
t_check "first grant advertised" lab_wait_for "51001" 10 \
	sn_knows_pref $MAC_H1 198.18.0.101:51001
t_check "moved port re-announced" lab_wait_for "51002" 10 \
	sn_knows_pref $MAC_H1 198.18.0.101:51002
t_check_eq "n2nctl info: the moved socket" 198.18.0.101:51002 \
	"$(info_field h1 preferred_socket)"
t_check "edge stops" stop_edge h1
t_check "the moved mapping was deleted" \
	seen 1 '^DELETE pcp int=198.18.1.2:50001 ext=51002'

# --- 2. NAT-PMP: a router without PCP says "unsupported version" ---
t_require "NAT-PMP-only responder on nat1" \
	responder 1 --no-pcp --max-lease 4 --port-offset 1000
t_require "edge h1 starts" start_edge h1 h1 "$ALLOW" -- -p 50001 \
	-m $MAC_H1 -a 198.19.0.1/24
t_check "PCP answered 'unsupported version'" lab_wait_for "UNSUPP" 10 \
	seen 1 '^UNSUPP pcp'
t_check "NAT-PMP mapping granted" lab_wait_for "NAT-PMP MAP" 10 \
	seen 1 '^MAP natpmp int=198.18.1.2:50001 ext=51001 lease=4$'
t_check "n2nctl info: mapped by nat-pmp" lab_wait_for "mapped" 5 pmap_is h1 mapped
t_check_eq "advertised socket = the NAT-PMP grant" \
	198.18.0.101:51001 "$(info_field h1 preferred_socket)"
t_check "NAT-PMP lease renewed" lab_wait_for "NAT-PMP RENEW" 10 \
	seen 1 '^RENEW natpmp int=198.18.1.2:50001 ext=51001'
t_check "SIGTERM: edge stops" stop_edge h1
t_check "SIGTERM: the NAT-PMP mapping was deleted" \
	seen 1 '^DELETE natpmp int=198.18.1.2:50001'
# The router goes silent (its service stops; as when the network goes):
# the failed renewal drops the mapping, unadvertised, without a DELETE.
t_require "edge h1 starts again" start_edge h1 h1 "$ALLOW" -- -p 50001 \
	-m $MAC_H1 -a 198.19.0.1/24
t_check "mapped again" lab_wait_for "mapped" 10 pmap_is h1 mapped
lab_kill "$(cat "$T/resp1.pid")"
: >"$T/resp1.pid"
t_check "router gone: the lease is dropped" lab_wait_for "none" 15 \
	pmap_is h1 none
t_check "router gone: nothing advertised" \
	test -z "$(ctl h1 info | jq -r '.rows[0].preferred_socket')"
t_check "router gone: edge stops" stop_edge h1

# --- 3. UPnP-IGD only: SSDP, the description, SOAP ---
t_require "UPnP-only responder on nat1" \
	responder 1 --no-pcp --no-natpmp --upnp 198.18.1.1 --max-lease 4
t_require "edge h1 starts" start_edge h1 h1 "$ALLOW" -- -p 50001 \
	-m $MAC_H1 -a 198.19.0.1/24
t_check "SSDP search answered" lab_wait_for "SSDP" 15 seen 1 '^SSDP upnp'
t_check "UPnP AddPortMapping granted" lab_wait_for "UPnP MAP" 15 \
	seen 1 '^MAP upnp int=198.18.1.2:50001 ext=50001'
t_check "n2nctl info: mapped by upnp" lab_wait_for "mapped" 5 pmap_is h1 mapped
t_check_eq "advertised socket = the UPnP mapping" \
	198.18.0.101:50001 "$(info_field h1 preferred_socket)"
t_check "UPnP mapping refreshed" lab_wait_for "UPnP RENEW" 10 \
	seen 1 '^RENEW upnp int=198.18.1.2:50001'
t_check "SIGTERM: edge stops" stop_edge h1
t_check "SIGTERM: the UPnP mapping was deleted" \
	seen 1 '^DELETE upnp int=198.18.1.2:50001'

# --- 4. --no-port-forwarding asks nothing ---
t_require "responder on nat1" responder 1
t_require "edge h1 starts (--no-port-forwarding)" start_edge h1 h1 "$ALLOW" \
	-- -p 50001 -m $MAC_H1 -a 198.19.0.1/24 --no-port-forwarding
t_check "edge h1 registers" wait_registered h1
sleep 3	# longer than a probe round takes to start: nothing may come
t_check "--no-port-forwarding: the router heard nothing" \
	test ! -s "$T/resp1.log"
t_check_eq "n2nctl info: portmap off" off "$(info_field h1 portmap)"
t_check "edge stops" stop_edge h1

# --- 5. without the override, a reserved external address is not
# advertised (a mapping behind another NAT opens nothing); the mapping is
# given back at once ---
t_require "edge h1 starts (no override)" start_edge h1 h1 -- -p 50001 \
	-m $MAC_H1 -a 198.19.0.1/24
t_check "reserved: mapping given back" lab_wait_for "DELETE" 10 \
	seen 1 '^DELETE pcp int=198.18.1.2:50001'
t_check "reserved: n2nctl info says none" lab_wait_for "none" 5 pmap_is h1 none
t_check "reserved: nothing advertised" \
	test -z "$(ctl h1 info | jq -r '.rows[0].preferred_socket')"
t_check "edge stops" stop_edge h1
# miniupnpc (2.2.4) itself calls an IGD with a reserved WAN address "not
# connected": found, not used, nothing asked of it.
t_require "UPnP-only responder on nat1" \
	responder 1 --no-pcp --no-natpmp --upnp 198.18.1.1
t_require "edge h1 starts (no override)" start_edge h1 h1 -- -p 50001 \
	-m $MAC_H1 -a 198.19.0.1/24
t_check "reserved UPnP WAN: IGD found" lab_wait_for "SSDP" 15 \
	seen 1 '^SSDP upnp'
t_check "reserved UPnP WAN: not used (logged)" lab_wait_for "log" 15 \
	grep -q 'WAN address is reserved (double NAT): not used' "$T/h1.log"
t_check "reserved UPnP WAN: no mapping asked" bash -c "! grep -q '^MAP upnp' '$T/resp1.log'"
t_check "edge stops" stop_edge h1

# --- 6. a router with none of the three: the edge just goes on ---
lab_kill "$(cat "$T/resp1.pid")"
: >"$T/resp1.pid"

# --- 6a. a LAN host (here h1 itself, at 198.18.1.2) serving an IGD that
# names another address as ours: any host can answer SSDP, only the
# default gateway's IGD is used (PCP and NAT-PMP are bound to it too). ---
lab_bg h1 "$T/spoof.out" "$RESP" --ext 198.18.0.77 --log "$T/spoof.log" \
	--no-pcp --no-natpmp --upnp 198.18.1.2 >"$T/spoof.pid"
t_require "LAN IGD: edge h1 starts" start_edge h1 h1 "$ALLOW" -- \
	-p 50001 -m $MAC_H1 -a 198.19.0.1/24
t_check "LAN IGD: it answered SSDP" lab_wait_for "SSDP" 15 \
	grep -q '^SSDP upnp' "$T/spoof.log"
t_check "LAN IGD: refused, not the gateway (logged)" lab_wait_for "log" 15 \
	grep -q 'refused: not the default gateway' "$T/h1.log"
t_check "LAN IGD: no mapping asked of it" \
	bash -c "! grep -q '^MAP upnp' '$T/spoof.log'"
t_check "LAN IGD: nothing advertised" \
	test -z "$(ctl h1 info | jq -r '.rows[0].preferred_socket')"
t_check "edge stops" stop_edge h1
lab_kill "$(cat "$T/spoof.pid")"
t_require "edge h1 starts (no service)" start_edge h1 h1 "$ALLOW" -- \
	-p 50001 -m $MAC_H1 -a 198.19.0.1/24
t_require "edge pub starts" start_edge pub pub -- -m 02:00:00:00:09:11 \
	-a 198.19.0.11/24 --no-port-forwarding
t_check "no service: edge h1 registers" wait_registered h1
t_check "no service: edge pub registers" wait_registered pub
t_check "no service: the overlay works" pings h1 198.19.0.11 5
t_check "no service: n2nctl info says none" lab_wait_for "none" 15 \
	pmap_is h1 none
t_check "no service: nothing advertised" \
	test -z "$(ctl h1 info | jq -r '.rows[0].preferred_socket')"
t_check "no service: edge stops on SIGTERM" stop_edge h1

# --- 7. a real opening: symmetric NAT with a mapping reaches P2P with a
# cone NAT; the mapping is the path, at the granted socket. The control
# first: without a mapping the pair stays relayed. Birthday probing
# (--nat-probe) would open such a pair too: off here, so the mapping is
# what makes the path. ---
t_require "control: edge h2 starts (--no-port-forwarding)" start_edge h2 h2 \
	-- -p 50002 -m $MAC_H2 -a 198.19.0.2/24 --no-port-forwarding \
	--nat-probe=off
t_require "control: edge h3 starts" start_edge h3 h3 -- -p 50003 \
	-m $MAC_H3 -a 198.19.0.3/24 --no-port-forwarding --nat-probe=off
t_check "control: h2 registers" wait_registered h2
t_check "control: h3 registers" wait_registered h3
t_check "control: the overlay works" pings h3 198.19.0.2 3
lab_exec h3 ping -q -c 20 -i 0.5 -W 1 198.19.0.2 >/dev/null 2>&1
t_check_eq "control: no mapping, symmetric <-> cone stays relayed" relay \
	"$(peer_path h3 $MAC_H2)"
t_check "control: edges stop" stop_edge h2
t_check "control: edges stop" stop_edge h3
t_require "responder with DNAT on nat2" \
	responder 2 --nft wan0 --port-offset 1000
t_require "edge h2 starts (symmetric NAT)" start_edge h2 h2 "$ALLOW" -- \
	-p 50002 -m $MAC_H2 -a 198.19.0.2/24 --nat-probe=off
t_require "edge h3 starts (cone NAT)" start_edge h3 h3 -- -p 50003 \
	-m $MAC_H3 -a 198.19.0.3/24 --no-port-forwarding --nat-probe=off
t_check "edge h2 registers" wait_registered h2
t_check "edge h3 registers" wait_registered h3
t_check "h2 mapped" lab_wait_for "mapped" 10 pmap_is h2 mapped
t_check "the router holds the DNAT" ip netns exec "$(lab_ns nat2)" \
	nft list chain ip pmap pre
t_check "our supernode holds h2's mapped socket" lab_wait_for "preferred" 10 \
	sn_knows_pref $MAC_H2 198.18.0.102:51002
p2p_at() {	# p2p_at NAME MAC SOCKET: P2P with MAC at SOCKET (one ping first)
	lab_exec "$1" ping -c1 -W1 -q 198.19.0.2 >/dev/null 2>&1
	[ "$(peer_path "$1" "$2" 2>/dev/null)" = p2p ] &&
		[ "$(peer_field "$1" "$2" sockaddr 2>/dev/null)" = "$3" ]
}
t_check "symmetric + mapping <-> cone: P2P at the mapped socket" \
	lab_wait_for "P2P" 30 p2p_at h3 $MAC_H2 198.18.0.102:51002
t_check "edge h2 stops" stop_edge h2
t_check "SIGTERM: nat2 has no DNAT left" lab_wait_for "no DNAT" 5 no_rules 2

# --- 8. -e against stock n2n 3.1.1 (N2N_STOCK_DIR, or the second
# argument), through our supernode and through stock's. Each edge's host
# has a second address, its -e; the direct path between the public
# addresses is cut (nft), so neither side finds the other there and both
# keep asking the supernode, whose PEER_INFO must carry the other's -e
# socket: an input counter on that address sees the REGISTERs. ---
STOCK=${2:-${N2N_STOCK_DIR:-}}
s_up() {	# s_up NAME: the stock edge registered
	grep -q 'edge <<< ================ >>> supernode' "$T/$1.log"
}
pref_hits() {	# pref_hits HOST ADDR: datagrams HOST took in for ADDR
	ip netns exec "$(lab_ns "$1")" nft list table ip pref |
		sed -nE "s/.*ip daddr $2 .*counter packets ([0-9]+).*/\1/p"
}
hits_above() {	# hits_above HOST ADDR N
	local n
	n=$(pref_hits "$1" "$2") && [ "${n:-0}" -gt "$3" ]
}
mixed() {	# mixed LABEL SN_AT
	local at=$2 b51 b52 KEY=(-c lab -k secret -i 4 --datapath=socket)
	b51=$(pref_hits pub2 198.18.0.51) b52=$(pref_hits st 198.18.0.52)
	t_require "$1: our edge starts with -e 198.18.0.51" start_edge o pub2 -- \
		-l "$at" -p 50021 -m 02:00:00:00:09:21 -a 198.19.0.21/24 \
		-e 198.18.0.51 --no-port-forwarding
	lab_bg st "$T/s.log" "$S_EDGE" -f -c lab -k secret -d n2ns0 -l "$at" \
		-p 50022 -m 02:00:00:00:09:22 -a 198.19.0.22/24 \
		-e 198.18.0.52 >"$T/s.pid"
	t_check "$1: stock edge registers" lab_wait_for "stock up" 20 s_up s
	t_check "$1: our edge registers" wait_registered o
	lab_exec pub2 ping -c 6 -i 0.5 -W 1 198.19.0.22 >/dev/null 2>&1 &
	lab_exec st ping -c 6 -i 0.5 -W 1 198.19.0.21 >/dev/null 2>&1
	wait $!
	t_check "$1: our edge REGISTERs to stock's -e socket" \
		lab_wait_for "to .52" 15 hits_above st 198.18.0.52 "$b52"
	t_check "$1: stock REGISTERs to our -e socket" \
		lab_wait_for "to .51" 15 hits_above pub2 198.18.0.51 "$b51"
	t_check "$1: the overlay works (relayed)" pings pub2 198.19.0.22 3
	lab_kill "$(cat "$T/s.pid")"
	stop_edge o
}
if [ -n "$STOCK" ] && [ -x "$STOCK/edge" ] && [ -x "$STOCK/supernode" ]; then
	S_EDGE=$STOCK/edge
	lab_add_public_host sn2 198.18.0.2
	lab_add_public_host pub2 198.18.0.21
	lab_add_public_host st 198.18.0.22
	for h in sn2 pub2 st; do
		lab_exec $h sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
	done
	ip -n "$(lab_ns pub2)" addr add 198.18.0.51/24 dev eth0
	ip -n "$(lab_ns st)" addr add 198.18.0.52/24 dev eth0
	for h in pub2:198.18.0.51:198.18.0.22 st:198.18.0.52:198.18.0.21; do
		IFS=: read -r host pref other <<<"$h"
		ip netns exec "$(lab_ns "$host")" nft -f - <<NFT
table ip pref {
	chain in {
		type filter hook input priority 0; policy accept;
		ip daddr $pref udp dport { 50021, 50022 } counter
		ip saddr $other udp dport { 50021, 50022 } ip daddr != $pref drop
	}
}
NFT
	done
	lab_bg sn2 "$T/ssn.log" "$STOCK/supernode" -p 7654 -f >"$T/ssn.pid"
	t_require "stock supernode starts" lab_wait_port sn2 udp 7654 5
	mixed "-e via our supernode" 198.18.0.1:7654
	mixed "-e via stock's supernode" 198.18.0.2:7654
else
	t_skip "-e against stock n2n 3.1.1" "no N2N_STOCK_DIR"
fi

t_summary
