#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The namespace lab the integration suites run the edge and supernode in:
# public hosts on one bridged segment, private hosts behind NAT routers
# (nftables masquerade: port-preserving "cone", the same plus a DNAT of
# unsolicited UDP "full", or random-fully "symmetric"), each with a home
# router's input firewall unless the kind ends in "-bare".
# Source it, call lab_init, add hosts; everything is torn down on exit.
#
#                          wan namespace: bridge br0
#                        198.18.0.0/24 "public segment"
#      +-----------+-----------+-------------+----------------+
#      |           |           |             |                |
#  +---+---+   +---+---+   +---+---+   +-----+-----+    +-----+-----+
#  |  sn1  |   |  sn2  |   |  e1   |   |   nat1    |    |  hop3a    |
#  | .0.1  |   | .0.2  |   | .0.11 |   |  .0.101   |    |  .0.203   |  transit
#  +-------+   +-------+   +-------+   | masquerade|    |  proxy-ARP|  router(s),
#   public hosts: eth0 on br0          | (cone)    |    |  .103.1   |  HOPS 1 or 2
#                                      |  .1.1     |    +-----+-----+
#                                      +-----+-----+          | 198.18.103.0/30
#                                            |          +-----+-----+
#                                     198.18.1.0/24     |   nat3    |
#                                      +-----+-----+    |  .0.103   | (its public
#                                      |  cone1    |    |  (/32)    |  address,
#                                      |  .1.2     |    |  .3.1     |  one /32)
#                                      +-----------+    +-----+-----+
#                                      private hosts:   198.18.3.0/24
#                                      default via .N.1 +-----+-----+
#                                                       |   sym3    |
#                                                       |  .3.2     |
#                                                       +-----------+
#
# Addresses: underlay 198.18.0.0/16 only (198.19.0.0/16 is the overlay and
# belongs to the VPN under test). Public hosts take 198.18.0.1-99, router N
# (1..99) takes 198.18.0.(100+N) on the public side and 198.18.N.1 on its
# LAN, and its one private host is 198.18.N.2. Every interface inside a host
# is eth0; a router has wan0 and lan0. Routers forward LAN->WAN and replies
# only (ct state), so unsolicited traffic from the public side never
# reaches a private host, except through a "full" router's DNAT.
#
# The home router's input firewall (default; OpenWrt fw4's wan zone, whose
# input policy is REJECT, here a drop): on wan0 the router itself accepts
# established/related traffic and ping (fw4's Allow-Ping), nothing else.
# It matters for NAT traversal: a peer's punch that reaches the router's
# public port before the host behind it sent anything matches no NAT entry
# and goes to the router's own input. Dropped there (filter, priority 0), it
# never gets a conntrack entry (confirmed only at the end of input). A bare
# router ("-bare" kinds: masquerade and forward rules only, a Linux host
# doing NAT) confirms that entry, and its host's later datagram to the same
# peer then takes another public port: the "port clash" (docs/nat.md).
#
# Transit routers (HOPS 1 or 2): router N's wan0 is not on br0 but behind
# hopNa (and hopNb), so datagrams between it and the public segment cross
# one or two more IPv4 hops (TTL - 1 each). hopNa sits on br0 at
# 198.18.0.(200+N) and answers ARP for the router's public 198.18.0.(100+N)
# (proxy ARP, answered at once: the default delay of up to 0.8 s would
# hold every first datagram towards it, which no Internet router does), so
# public hosts need no routes. The links below it are /30s
# in 198.18.(100+N).0/24, link k (0, 1) with .4k+1 at its upper end and
# .4k+2 at its lower one; on the last link natN holds only its public
# address, a /32 on wan0 (so masquerade takes it), routed via .4k+1.
# N <= 54 (hopNa's .200+N).
#
# Checksums as on a wire: a host's eth0 has transmit checksum offload off
# (ethtool -K eth0 tx off), so its datagrams leave with the full UDP
# checksum in the frame, as a NIC would have put it there. With veth's
# default offload they would carry only the pseudo-header sum
# (CHECKSUM_PARTIAL, trusted only inside this kernel), which a frame from
# a wire never does; the XDP relay hands such frames to the daemon
# (checksum_partial). LAB_WIRE_CSUM=0 before lab_add_* keeps the offload;
# a suite that makes hosts of its own calls lab_wire_csum on them.
#
# Namespaces are named "$LAB_PREFIX<host>" (default prefix n2nk-<pid>-), so
# parallel runs never collide; nothing is done in the host's own namespace.
#
# Functions (all return non-zero on failure):
#   lab_init [BUILD_DIR]              create the wan namespace and br0;
#                                     BUILD_DIR locates udp_probe
#   lab_add_public_host NAME IP       host on br0, IP in 198.18.0.0/24
#   lab_add_nat_host NAME N KIND [HOPS]  router natN + private host NAME;
#                                     KIND is cone (port-restricted),
#                                     full (full cone) or symmetric, each
#                                     with the home router's input
#                                     firewall; cone-bare, full-bare and
#                                     symmetric-bare without it (the harder
#                                     variant: port clashes). HOPS (0-2,
#                                     default 0): transit routers hopNa,
#                                     hopNb between natN and br0
#   lab_nat_kind NAME                 a private host's KIND as given
#   lab_ns NAME                       namespace name, for `ip -n`
#   lab_ip NAME                       a host's own underlay address
#   lab_public_ip NAME                the address NAME is seen from on br0
#   lab_exec NAME CMD...              run CMD inside NAME
#   h_NAME CMD...                     the same, one helper per host,
#                                     router and wan (h_sn1, h_nat1, h_wan)
#   lab_bg NAME LOGFILE CMD...        start CMD in NAME in the background,
#                                     print its pid (killed at cleanup)
#   lab_kill PID                      TERM, bounded wait, then KILL
#   lab_pid_gone PID                  true once PID exited (or is a zombie)
#   lab_wait_for DESC SECONDS CMD...  poll CMD every 0.1 s until it succeeds
#   lab_wait_port NAME udp|tcp PORT [SECONDS]   until something listens
#   lab_ping NAME DST_IP              one ICMP echo from NAME (udp_probe)
#   lab_udp NAME DST_IP DST_PORT [LOCAL_PORT]   udp_probe send from NAME:
#                                     prints the reply, e.g. "seen IP:PORT"
#   lab_on_cleanup CMD...             run CMD (LIFO) before the teardown
#   lab_cleanup                       hooks, kill processes, delete netns
#   t_pass NAME, t_fail NAME MSG, t_skip NAME WHY (a check this host
#   cannot run, counted as a skip, never as a pass)
#   t_check NAME CMD...               pass when CMD succeeds
#   t_check_fails NAME CMD...         pass only when CMD exits 1, "ran and
#                                     answered no"; 0 fails, and so does an
#                                     error (2), a command that could not
#                                     run (126, 127; 255 from ip netns exec)
#                                     or a signal. Pair it with a positive
#                                     control: a check that the same setup
#                                     does work where it should.
#   t_check_eq NAME WANT GOT
#   t_check_num NAME GOT OP WANT      integer test (OP: -eq -ge -le ...);
#                                     a GOT that is not a number fails
#   t_check_delta NAME BEFORE AFTER OP N   (AFTER - BEFORE) OP N, both
#                                     numbers (an unread counter fails)
#   t_require NAME CMD...             t_check in this shell (CMD may start
#                                     processes); on failure the suite
#                                     stops here with its summary
#   t_check_here NAME CMD...          t_check in this shell, so CMD may
#                                     start processes; the suite goes on
#   t_summary                         last line "N passed, N failed, N
#                                     skipped", non-zero when anything failed
#
# $LAB_DIR (removed at cleanup) is the place for logs; copy what you want to
# keep from a cleanup hook. Do not `trap ... EXIT` in a test: that replaces lab_cleanup. Use
# lab_on_cleanup (or append to LAB_CLEANUP_HOOKS) instead.

LAB_PREFIX=${LAB_PREFIX:-n2nk-$$-}
LAB_DIR=			# scratch dir: records of netns and pids, logs
LAB_CLEANUP_HOOKS=()		# shell commands, run last-added first
LAB_PROBE=${LAB_PROBE:-}	# udp_probe binary, set by lab_init BUILD_DIR
T_PASSED=0
T_FAILED=0
T_SKIPPED=0

lab_die() {
	echo "lab: $*" >&2
	return 1
}

lab_init() {		# lab_init [BUILD_DIR]
	[ "$(id -u)" -eq 0 ] || { lab_die "must run as root"; return 1; }
	[[ $LAB_PREFIX =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*-$ ]] ||
		{ lab_die "bad LAB_PREFIX '$LAB_PREFIX' (want [A-Za-z0-9_.-]+-)"; return 1; }
	local tool
	for tool in ip nft sysctl ss; do
		command -v "$tool" >/dev/null ||
			{ lab_die "missing tool: $tool"; return 1; }
	done
	[ -z "$LAB_DIR" ] || { lab_die "lab_init called twice"; return 1; }
	LAB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/${LAB_PREFIX}lab.XXXXXX") || return 1
	: >"$LAB_DIR/netns"
	: >"$LAB_DIR/pids"
	: >"$LAB_DIR/hosts"
	[ -z "${1:-}" ] || LAB_PROBE=$1/tests/netns/udp_probe
	lab_netns_add wan || return 1
	ip -n "$(lab_ns wan)" link add br0 type bridge &&
		ip -n "$(lab_ns wan)" link set br0 up
}

lab_ns() {	# lab_ns NAME: the namespace of a host, router or "wan"
	[ -n "$1" ] || { lab_die "lab_ns: no name"; return 1; }
	echo "$LAB_PREFIX$1"
}

# Records the namespace before creating it, so cleanup also removes one
# whose setup failed halfway.
lab_netns_add() {
	local ns
	ns=$(lab_ns "$1") || return 1
	[ -n "$LAB_DIR" ] || { lab_die "lab_init first"; return 1; }
	[ ! -e "/run/netns/$ns" ] ||
		{ lab_die "netns $ns exists (a stale run? ip netns del $ns)"; return 1; }
	echo "$ns" >>"$LAB_DIR/netns"
	ip netns add "$ns" || { lab_die "cannot create netns $ns"; return 1; }
	# The per-host helper, as netns.sh's n1: `h_sn1 ip addr`. $1 is
	# validated ([a-z][a-z0-9]*), so the eval is safe.
	eval "h_$1() { lab_exec $1 \"\$@\"; }"
	ip -n "$ns" link set lo up
}

lab_check_name() {
	[[ $1 =~ ^[a-z][a-z0-9]{0,11}$ ]] ||
		{ lab_die "bad host name '$1' (want [a-z][a-z0-9]{0,11})"; return 1; }
	[[ $1 != wan && ! $1 =~ ^(nat[0-9]+|hop[0-9]+[ab])$ ]] ||
		{ lab_die "host name '$1' is reserved"; return 1; }
	! grep -q "^$1 " "$LAB_DIR/hosts" ||
		{ lab_die "host '$1' exists"; return 1; }
}

# lab_plug NS IFNAME BRPORT: a veth from br0 (port BRPORT) to NS (IFNAME).
lab_plug() {
	local wan
	wan=$(lab_ns wan)
	ip -n "$wan" link add "$3" type veth peer name "$2" netns "$1" &&
		ip -n "$wan" link set "$3" master br0 &&
		ip -n "$wan" link set "$3" up &&
		ip -n "$1" link set "$2" up
}

# lab_wire_csum NS: NS's eth0 sends full UDP checksums (see the top).
lab_wire_csum() {
	[ "${LAB_WIRE_CSUM:-1}" = 0 ] && return 0
	ip netns exec "$1" ethtool -K eth0 tx off >/dev/null
}

lab_add_public_host() {	# lab_add_public_host NAME IP
	local name=$1 ip=$2 ns
	[ $# -eq 2 ] || { lab_die "usage: lab_add_public_host NAME IP"; return 1; }
	lab_check_name "$name" || return 1
	[[ $ip =~ ^198\.18\.0\.([1-9]|[1-9][0-9])$ ]] ||
		{ lab_die "public IP '$ip' not in 198.18.0.1-99"; return 1; }
	ns=$(lab_ns "$name")
	lab_netns_add "$name" &&
		lab_plug "$ns" eth0 "p-$name" &&
		lab_wire_csum "$ns" &&
		ip -n "$ns" addr add "$ip/24" dev eth0 || return 1
	echo "$name $ip $ip public" >>"$LAB_DIR/hosts"
}

# nftables for router natN (RFC 4787 terms):
#   cone       masquerade keeps the source port while it is free: endpoint-
#              independent mapping; conntrack lets in only replies from the
#              exact peer address and port, so "port-restricted cone".
#   full       the same mapping, plus a DNAT of any new UDP flow arriving on
#              wan0 to the private host, same port: endpoint-independent
#              filtering, "full cone".
#   symmetric  masquerade fully-random (nft's name for random-fully): a new
#              external port for every conntrack entry, i.e. per destination.
# The forward chain lets in only replies (and full cone's DNAT), as a home
# router does. The input chain is the home router's firewall (see the top);
# a "-bare" KIND leaves it out.
lab_nat_rules() {	# lab_nat_rules KIND N
	local flags='' dnat='' input='' base=${1%-bare}
	[ "$base" = symmetric ] && flags=fully-random
	[ "$base" = full ] && dnat="iifname \"wan0\" meta l4proto udp dnat to 198.18.$2.2"
	[ "$1" = "$base" ] && input='
	chain input {
		type filter hook input priority filter; policy accept;
		iifname "wan0" ct state established,related accept
		iifname "wan0" icmp type echo-request accept
		iifname "wan0" drop
	}'
	cat <<EOF
table ip lab {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		$dnat
	}
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "wan0" masquerade $flags
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ct status dnat accept
		iifname "lan0" oifname "wan0" accept
	}$input
}
EOF
}

# lab_add_hops N HOPS: hopNa (on br0, proxy ARP for 198.18.0.(100+N)) and,
# for 2, hopNb below it; natN's wan0 is plugged under the last one.
lab_add_hops() {
	local n=$1 hops=$2 pub=198.18.0.$((100 + $1)) net=198.18.$((100 + $1))
	local up k ns rns
	rns=$(lab_ns "nat$n")
	lab_netns_add "hop${n}a" || return 1
	ns=$(lab_ns "hop${n}a")
	lab_plug "$ns" wan0 "r-hop$n" &&
		ip -n "$ns" addr add "198.18.0.$((200 + n))/24" dev wan0 &&
		ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 \
			net.ipv4.conf.wan0.proxy_arp=1 \
			net.ipv4.neigh.wan0.proxy_delay=0 || return 1
	up=$ns
	if [ "$hops" -eq 2 ]; then
		lab_netns_add "hop${n}b" || return 1
		ns=$(lab_ns "hop${n}b")
		ip -n "$up" link add down0 type veth peer name wan0 netns "$ns" &&
			ip -n "$up" addr add "$net.1/30" dev down0 &&
			ip -n "$up" link set down0 up &&
			ip -n "$up" route add "$pub/32" via "$net.2" &&
			ip -n "$ns" addr add "$net.2/30" dev wan0 &&
			ip -n "$ns" link set wan0 up &&
			ip -n "$ns" route add default via "$net.1" &&
			ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 ||
			return 1
		up=$ns
	fi
	# The last link: the router's side holds only its public /32.
	k=$(((hops - 1) * 4 + 1))
	ip -n "$up" link add down0 type veth peer name wan0 netns "$rns" &&
		ip -n "$up" addr add "$net.$k/30" dev down0 &&
		ip -n "$up" link set down0 up &&
		ip -n "$up" route add "$pub/32" dev down0 &&
		ip -n "$rns" link set wan0 up &&
		ip -n "$rns" addr add "$pub/32" dev wan0 &&
		ip -n "$rns" route add "$net.$k/32" dev wan0 &&
		ip -n "$rns" route add default via "$net.$k"
}

# lab_add_nat_host NAME N KIND [HOPS]
lab_add_nat_host() {
	local name=$1 n=$2 kind=$3 hops=${4:-0} rns hns
	[ $# -eq 3 ] || [ $# -eq 4 ] ||
		{ lab_die "usage: lab_add_nat_host NAME N KIND [HOPS]"; return 1; }
	lab_check_name "$name" || return 1
	[[ $n =~ ^([1-9]|[1-9][0-9])$ ]] || { lab_die "NAT number '$n' not 1-99"; return 1; }
	[[ $kind =~ ^(cone|full|symmetric)(-bare)?$ ]] ||
		{ lab_die "NAT kind '$kind' is not cone, full or symmetric (-bare)"; return 1; }
	[[ $hops =~ ^[0-2]$ ]] || { lab_die "HOPS '$hops' not 0, 1 or 2"; return 1; }
	[ "$hops" -eq 0 ] || [ "$n" -le 54 ] ||
		{ lab_die "transit hops need N <= 54"; return 1; }
	rns=$(lab_ns "nat$n") hns=$(lab_ns "$name")
	! grep -qx "$rns" "$LAB_DIR/netns" || { lab_die "nat$n exists"; return 1; }
	lab_netns_add "nat$n" || return 1
	if [ "$hops" -eq 0 ]; then
		lab_plug "$rns" wan0 "r-nat$n" &&
			ip -n "$rns" addr add "198.18.0.$((100 + n))/24" dev wan0
	else
		lab_add_hops "$n" "$hops"
	fi || return 1
	lab_netns_add "$name" &&
		ip -n "$rns" link add lan0 type veth peer name eth0 netns "$hns" &&
		ip -n "$rns" addr add "198.18.$n.1/24" dev lan0 &&
		ip -n "$rns" link set lan0 up &&
		ip -n "$hns" addr add "198.18.$n.2/24" dev eth0 &&
		ip -n "$hns" link set eth0 up &&
		lab_wire_csum "$hns" &&
		ip -n "$hns" route add default via "198.18.$n.1" &&
		ip netns exec "$rns" sysctl -qw net.ipv4.ip_forward=1 &&
		lab_nat_rules "$kind" "$n" | ip netns exec "$rns" nft -f - || return 1
	echo "$name 198.18.$n.2 198.18.0.$((100 + n)) $kind" >>"$LAB_DIR/hosts"
	echo "nat$n 198.18.0.$((100 + n)) 198.18.0.$((100 + n)) router" >>"$LAB_DIR/hosts"
}

lab_nat_kind() {	# lab_nat_kind NAME: a private host's NAT KIND
	lab_host_field "$1" 4
}

lab_host_field() {	# lab_host_field NAME COLUMN
	local line
	line=$(grep "^$1 " "$LAB_DIR/hosts") || { lab_die "no host '$1'"; return 1; }
	echo "$line" | cut -d' ' -f"$2"
}

lab_ip() {		# lab_ip NAME: the host's own address (private if NATed)
	lab_host_field "$1" 2
}

lab_public_ip() {	# lab_public_ip NAME: its address as seen on br0
	lab_host_field "$1" 3
}

lab_exec() {		# lab_exec NAME CMD...
	local ns
	ns=$(lab_ns "$1") || return 1
	shift
	ip netns exec "$ns" "$@"
}

# `ip netns exec` execs CMD, so $! is CMD's own pid. The pid goes to a file,
# not a variable, so that `pid=$(lab_bg ...)` still records it.
lab_bg() {		# lab_bg NAME LOGFILE CMD...
	local ns log=$2 pid
	[ $# -ge 3 ] || { lab_die "usage: lab_bg NAME LOGFILE CMD..."; return 1; }
	ns=$(lab_ns "$1") || return 1
	shift 2
	ip netns exec "$ns" "$@" >"$log" 2>&1 </dev/null &
	pid=$!
	echo "$pid" >>"$LAB_DIR/pids"
	echo "$pid"
}

lab_pid_gone() {	# exited, or a zombie nobody has reaped yet
	local state
	state=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 0
	[ "$state" = Z ] && wait "$1" 2>/dev/null
	[ "$state" = Z ]
}

lab_kill() {		# lab_kill PID: TERM, up to 3 s, then KILL
	local pid=$1 i
	[[ $pid =~ ^[0-9]+$ ]] || { lab_die "lab_kill: bad pid '$pid'"; return 1; }
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < 30; i++)); do
		lab_pid_gone "$pid" && return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	for ((i = 0; i < 20; i++)); do
		lab_pid_gone "$pid" && return 0
		sleep 0.1
	done
	lab_die "pid $pid survived SIGKILL"
}

lab_now_ms() {
	local t=${EPOCHREALTIME/[.,]/}
	echo $((t / 1000))
}

# lab_wait_for DESC SECONDS CMD...: CMD's output is discarded. Bounded by
# SECONDS (as long as CMD itself returns) and by SECONDS*10+1 attempts.
lab_wait_for() {
	local desc=$1 secs=$2 deadline i
	shift 2
	[[ $secs =~ ^[0-9]+$ ]] || { lab_die "lab_wait_for: bad timeout '$secs'"; return 1; }
	deadline=$(($(lab_now_ms) + secs * 1000))
	for ((i = 0; i <= secs * 10; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		[ "$(lab_now_ms)" -ge "$deadline" ] && break
		sleep 0.1
	done
	echo "lab: timed out after ${secs}s waiting for $desc" >&2
	return 1
}

lab_ping() {		# lab_ping NAME DST_IP: one ICMP echo, 2 s
	[ -x "$LAB_PROBE" ] || { lab_die "no udp_probe: lab_init BUILD_DIR"; return 1; }
	lab_exec "$1" "$LAB_PROBE" ping "$2"
}

lab_udp() {		# lab_udp NAME DST_IP DST_PORT [LOCAL_PORT]
	[ -x "$LAB_PROBE" ] || { lab_die "no udp_probe: lab_init BUILD_DIR"; return 1; }
	lab_exec "$1" "$LAB_PROBE" send "${@:2}"
}

lab_port_bound() {	# lab_port_bound NAME udp|tcp PORT
	local flag=-u
	[ "$2" = tcp ] && flag=-t
	[ -n "$(lab_exec "$1" ss -Hln "$flag" "sport = :$3")" ]
}

lab_wait_port() {	# lab_wait_port NAME udp|tcp PORT [SECONDS]
	[[ $2 == udp || $2 == tcp ]] || { lab_die "lab_wait_port: udp or tcp"; return 1; }
	lab_wait_for "$2 port $3 in $1" "${4:-5}" lab_port_bound "$1" "$2" "$3"
}

lab_on_cleanup() {	# lab_on_cleanup CMD...: CMD is run as given
	LAB_CLEANUP_HOOKS+=("$(printf '%q ' "$@")")
}

lab_netns_pids() {
	ip netns pids "$1" 2>/dev/null
}

# Kills what runs in the lab's namespaces, TERM first and KILL after 3 s.
# Only by `ip netns pids`: a recorded pid may have been reused by now.
lab_kill_all() {
	local ns i left
	for ((i = 0; i < 30; i++)); do
		left=
		while read -r ns; do
			left+=$(lab_netns_pids "$ns")
		done <"$LAB_DIR/netns"
		[ -z "$left" ] && break
		while read -r ns; do
			lab_netns_pids "$ns" | xargs -r kill -TERM 2>/dev/null
		done <"$LAB_DIR/netns"
		sleep 0.1
	done
	while read -r ns; do
		lab_netns_pids "$ns" | xargs -r kill -KILL 2>/dev/null
	done <"$LAB_DIR/netns"
	# Reap our own background children so none is left a zombie.
	while read -r i; do
		lab_pid_gone "$i" || true
	done <"$LAB_DIR/pids"
}

# Idempotent; keeps the caller's exit status.
lab_cleanup() {
	local rc=$? i ns
	[ -n "$LAB_DIR" ] && [ -d "$LAB_DIR" ] || return $rc
	for ((i = ${#LAB_CLEANUP_HOOKS[@]} - 1; i >= 0; i--)); do
		eval "${LAB_CLEANUP_HOOKS[i]}" || echo "lab: cleanup hook failed: ${LAB_CLEANUP_HOOKS[i]}" >&2
	done
	LAB_CLEANUP_HOOKS=()
	lab_kill_all
	while read -r ns; do
		[ -e "/run/netns/$ns" ] && ip netns del "$ns"
	done <"$LAB_DIR/netns"
	rm -rf "$LAB_DIR"
	LAB_DIR=
	return $rc
}

trap lab_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

t_pass() {		# t_pass NAME
	T_PASSED=$((T_PASSED + 1))
	echo "ok   $1"
}

t_fail() {		# t_fail NAME MESSAGE
	T_FAILED=$((T_FAILED + 1))
	echo "FAIL $1: $2"
}

t_check() {		# t_check NAME CMD...: pass when CMD succeeds
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		t_pass "$name"
	else
		t_fail "$name" "'$*' failed: $(echo "$out" | tail -n 2 | tr '\n' ' ')"
	fi
}

t_check_fails() {	# t_check_fails NAME CMD...: pass when CMD exits 1
	local name=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	out=$(echo "$out" | tail -n 2 | tr '\n' ' ')
	case $rc in
	1) t_pass "$name" ;;
	0) t_fail "$name" "'$*' succeeded" ;;
	126 | 127) t_fail "$name" "'$*' could not run (exit $rc): $out" ;;
	*) t_fail "$name" "'$*' exit $rc, an error rather than a no: $out" ;;
	esac
}

t_check_eq() {		# t_check_eq NAME WANT GOT
	if [ "$2" = "$3" ]; then
		t_pass "$1"
	else
		t_fail "$1" "got '$3', wanted '$2'"
	fi
}

t_is_num() { [[ $1 =~ ^-?[0-9]+$ ]]; }

t_check_num() {		# t_check_num NAME GOT OP WANT
	local name=$1 got=$2 op=$3 want=$4
	[[ $op =~ ^-(eq|ne|gt|ge|lt|le)$ ]] ||
		{ t_fail "$name" "t_check_num: bad operator '$op'"; return; }
	if ! t_is_num "$got" || ! t_is_num "$want"; then
		t_fail "$name" "not a number: got '$got', want $op '$want'"
	elif [ "$got" "$op" "$want" ]; then
		t_pass "$name"
	else
		t_fail "$name" "got $got, want $op $want"
	fi
}

t_check_delta() {	# t_check_delta NAME BEFORE AFTER OP N
	local name=$1 before=$2 after=$3 op=$4 want=$5
	if ! t_is_num "$before" || ! t_is_num "$after"; then
		t_fail "$name" "counter not read: before '$before', after '$after'"
		return
	fi
	[[ $op =~ ^-(eq|ne|gt|ge|lt|le)$ ]] && t_is_num "$want" ||
		{ t_fail "$name" "t_check_delta: bad '$op $want'"; return; }
	if [ $((after - before)) "$op" "$want" ]; then
		t_pass "$name"
	else
		t_fail "$name" "$before -> $after: grew by $((after - before)), want $op $want"
	fi
}

t_skip() {		# t_skip NAME WHY
	T_SKIPPED=$((T_SKIPPED + 1))
	echo "skip $1: $2"
}

# t_require NAME CMD...: CMD runs in this shell, so what it starts stays
# the lab's; when it fails, nothing after it can mean anything: stop.
t_require() {
	local name=$1
	shift
	if "$@"; then
		t_pass "$name"
		return 0
	fi
	t_fail "$name" "'$*' failed; the rest of the suite depends on it"
	t_summary
	exit 1
}

# t_check_here NAME CMD...: t_check in this shell (CMD may start processes
# that stay the lab's); CMD's output is not captured.
t_check_here() {
	local name=$1
	shift
	if "$@"; then
		t_pass "$name"
	else
		t_fail "$name" "'$*' failed"
	fi
}

t_summary() {		# last line: "N passed, N failed, N skipped"
	echo "$T_PASSED passed, $T_FAILED failed, $T_SKIPPED skipped"
	[ "$T_FAILED" -eq 0 ]
}
