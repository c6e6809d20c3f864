#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Restart without loss: the XDP relay's links and maps are pinned, so a
# relayed ping at 10 per second keeps every reply while the supernode
# daemon stops (its pid gone, the relay answering alone) and a new one
# starts and logs that it took them over, all inside the ping's window;
# n2nctl maps/edges/stats show the kernel's registry and per-edge counts;
# --xdp-unload refuses while a daemon runs; a new daemon that cannot load
# the relay leaves the old one pinned and working; a pinned map of another
# layout is replaced, with a warning; a socket-datapath supernode
# removes a relay left pinned; a supernode bound to one address pins too
# (bpffs takes no '.' in a name), and nothing stays under the pin root.
#
# `ip netns exec` gives each daemon a fresh /sys without bpffs, so the test
# mounts its own bpffs in a temporary directory and passes it with
# --pin-root (systemd's /sys/fs/bpf plays that part on a real host).
#
# XDP_RESTART_HE=1: the same with the edges' community header-encrypted
# (-H, listed in the supernode's -c file): relayed in XDP across the
# restart too; then a daemon whose configuration no longer lists it as -H
# removes the -H keys the last one pinned, so its plaintext PACKETs relay.
#
# Topology: sn1 198.18.0.1 on the flat segment (wan br0 198.18.0.0/24)
# with IPv4 forwarding on (next hops from the FIB); edges a 198.18.1.2
# behind nat1 (.0.101) and b 198.18.2.2 behind nat2 (.0.102), both full
# cone, both -S1, overlay 198.19.8.1/.2.
#   test_xdp_restart.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

T=$(mktemp -d /tmp/n2nk-restart.XXXXXX)
lab_on_cleanup rm -rf "$T"
mkdir "$T/bpf"
if ! mount -t bpf bpf "$T/bpf"; then
	t_fail "mount a bpffs for the pins" "mount -t bpf failed"
	t_summary
	exit 1
fi
lab_on_cleanup umount "$T/bpf"

lab_init "$OUT" || exit 1
lab_add_public_host sn1 198.18.0.1
lab_add_nat_host a 1 full
lab_add_nat_host b 2 full
lab_exec sn1 sysctl -qw net.ipv4.conf.eth0.forwarding=1

HE=${XDP_RESTART_HE:-}
SN_HE=()
if [ -n "$HE" ]; then
	echo plain >"$T/communities"
	SN_HE=(-c "$T/communities")
	RELAYED_EDGE_ARGS=(-H)
fi

# A kernel-datapath supernode in sn1 named $1 (sn_start), pinning in $T/bpf.
start_kernel_sn() {
	sn_start sn1 "$1" -p 7654 --datapath=kernel --pin-root="$T/bpf" \
		"${SN_HE[@]}" "${@:2}"
}

t_require "sn1 starts with --datapath=kernel" start_kernel_sn sn1
t_check "the relay is pinned under --pin-root" \
	grep -q "pinned in $T/bpf/" "$T/sn1.log"
t_require "-S1 edges a and b register" relayed_edges 8 198.18.0.1:7654
# Pinned neighbours (no ARP): the relay carries exactly the echoes.
pin_neigh a n2x 198.19.8.2 02:00:00:00:08:02
pin_neigh b n2x 198.19.8.1 02:00:00:00:08:01
t_check "ping through the XDP relay (5 of 5)" pings_all a 198.19.8.2 5
map_field() {	# map_field MAP FIELD: from n2nctl maps, loudly
	ctl_pick sn1 maps map "$1" "$2"
}
t_check_eq "n2nctl maps: 2 edges in the kernel's registry" 2 \
	"$(map_field edges entries)"
t_check_eq "n2nctl maps: 2 senders" 2 "$(map_field senders entries)"
t_check "n2nctl maps: edges pinned under --pin-root" \
	grep -q "^$T/bpf/" <<<"$(map_field edges pinned)"
xr=$(sn_edge_field sn1 02:00:00:00:08:01 xdp_rx_relayed)
xt=$(sn_edge_field sn1 02:00:00:00:08:02 xdp_tx_relayed)
echo "edge a: $xr relayed from it in XDP; edge b: $xt relayed to it"
t_check_num "n2nctl edges: per-edge kernel counts (from a: the 5 requests)" \
	"$xr" -eq 5
t_check_num "n2nctl edges: per-edge kernel counts (to b: the 5 requests)" \
	"$xt" -eq 5
t_check "n2nctl stats: relay verdicts by name" counter sn1 xdp_not_packet
t_check "n2nctl stats: kernel drops by name" counter sn1 "$C_XDP_DROP_TTL"

# The restart, placed inside a running ping by the events themselves, not
# by sleeps: 80 echoes at 10 a second, each reply printed with its time
# (-D) as it comes (stdbuf -oL). The old daemon is stopped once 10 replies
# came through it; with its pid gone the relay must go on answering alone;
# then a new daemon starts and must log that it took the pinned links and
# edges over, while the replies go on; at the end none may be lost, and
# the replies' own times must enclose the stop and the takeover.
replies() {	# replies: echo replies printed so far
	grep -c 'icmp_seq=' "$T/ping.log"
}
replies_at_least() { [ "$(replies)" -ge "$1" ]; }
reply_ms() {	# reply_ms head|tail: first or last reply's time, epoch ms
	grep -oE '^\[[0-9]+\.[0-9]{3}[0-9]*\] .*icmp_seq=' "$T/ping.log" |
		"$1" -n 1 | sed -E 's/^\[([0-9]+)\.([0-9]{3}).*/\1\2/'
}
x0=$(counter sn1 xdp_relayed)
lab_exec a stdbuf -oL ping -D -i 0.1 -c 80 -W 1 198.19.8.2 \
	>"$T/ping.log" 2>&1 &
ping_pid=$!
t_check "the ping runs through the first daemon's relay (10 replies)" \
	lab_wait_for "10 replies" 5 replies_at_least 10
x1=$(counter sn1 xdp_relayed)
stop_ms=$(lab_now_ms)
t_check "the first daemon exits (its pid is gone)" sn_stop sn1
gone=$(replies)
t_check "with the daemon gone, XDP stays attached" has_xdp sn1
t_check "with no daemon, the relay answers on (5 more replies)" \
	lab_wait_for "5 replies without a daemon" 3 \
	replies_at_least $((gone + 5))
t_check_here "the new daemon starts (its control socket appears)" \
	start_kernel_sn sn1b
t_check "the new daemon took the links and the edges over" \
	lab_wait_for "takeover logged" 5 grep -Eq \
	'taken over from the previous daemon.*[1-9][0-9]* edge\(s\) kept' \
	"$T/sn1b.log"
up_ms=$(lab_now_ms)
up=$(replies)
t_check "after the takeover the replies go on (5 more)" \
	lab_wait_for "5 replies after the takeover" 3 \
	replies_at_least $((up + 5))
t_check "the ping ends" lab_wait_for "the ping's end" 15 \
	lab_pid_gone "$ping_pid"
wait "$ping_pid"
tail -n 2 "$T/ping.log"
t_check "no relayed ping lost across the restart (80/80)" \
	grep -q '80 packets transmitted, 80 received' "$T/ping.log"
first_ms=$(reply_ms head)
last_ms=$(reply_ms tail)
echo "replies $first_ms..$last_ms ms; stop at $stop_ms, takeover by $up_ms"
t_check_num "the daemon stopped after the first reply" \
	"$stop_ms" -gt "${first_ms:-x}"
t_check_num "the new daemon took over before the last reply" \
	"$up_ms" -lt "${last_ms:-x}"
x2=$(counter sn1b xdp_relayed)
echo "xdp_relayed before the ping $x0, at the stop $x1, after $x2"
# Pinned neighbours: 80 requests and 80 replies, all in XDP. A count lost
# with the first daemon would come out short.
t_check_delta "the relayed count carried over: all 160 echo PACKETs" \
	"$x0" "$x2" -eq 160
if [ -n "$HE" ]; then
	t_check_eq "-H: the kernel refused no PACKET by key, stamp or replay" \
		0 "$(($(counter sn1b xdp_header_key) + $(counter sn1b xdp_stamp) +
		$(counter sn1b xdp_drop_replayed)))"
fi

unload() { lab_exec sn1 "$SN" -p 7654 --pin-root="$T/bpf" --xdp-unload; }
unload_refused() {	# exit 1, and the reason
	local out rc=0
	out=$(unload 2>&1) || rc=$?
	[ "$rc" -eq 1 ] && grep -q 'a supernode using it is running' <<<"$out"
}
t_check "--xdp-unload refuses while the supernode runs, and says why" \
	unload_refused
t_check "and it still relays" pings a 198.19.8.2 3
sn_stop sn1b
t_check "with the daemon stopped, XDP stays attached" has_xdp sn1

# A new daemon that cannot load the relay (no CAP_BPF or CAP_SYS_ADMIN, as
# a unit file that forgot them) fails, and leaves alone what the previous
# daemon pinned: that relay is working right now.
pin_dir=$(echo "$T"/bpf/*-supernode-any-7654)
no_bpf() {	# no_bpf: a kernel supernode without CAP_BPF, CAP_SYS_ADMIN
	lab_exec sn1 timeout 10 setpriv --bounding-set=-bpf,-sys_admin \
		"$SN" -f -v -p 7654 --datapath=kernel --pin-root="$T/bpf" \
		--ctl-socket="$T/nobpf.sock" >"$T/nobpf.log" 2>&1
}
t_check_fails "a supernode that cannot load the relay exits (1)" no_bpf
t_check "and says why" grep -q 'loading the XDP relay program' \
	"$T/nobpf.log"
t_check "the failed start left XDP attached" has_xdp sn1
t_check "and the previous daemon's pinned link and maps" \
	test -e "$pin_dir/link-eth0" -a -e "$pin_dir/edges" \
	-a -e "$pin_dir/relay_stats"
t_check "and the pinned relay still carries pings" pings a 198.19.8.2 3

# A pinned map of another layout (an older build's) is replaced, and the
# log says so: its counters start again from 0.
if command -v bpftool >/dev/null; then
	rm "$pin_dir/relay_stats" &&
		bpftool map create "$pin_dir/relay_stats" type percpu_array \
			key 4 value 16 entries 1 name relay_stats
	t_check_here "a daemon starts over an old relay_stats layout" \
		start_kernel_sn sn1c
	t_check "it logs the old map replaced and its counters reset" \
		grep -q 'relay_stats: the pinned map had another layout (key 4, value 16 bytes, 1 entries; now 4, 16, [0-9]*): replaced, counters reset' \
		"$T/sn1c.log"
	t_check "and it took over the link the failed start left" \
		grep -q 'taken over from the previous daemon' "$T/sn1c.log"
	sn_stop sn1c
else
	t_skip "a pinned map of another layout is replaced, and logged" \
		"no bpftool to make one"
fi
t_check_here "a socket-datapath supernode starts" \
	sn_start sn1 sock -p 7654 --datapath=socket --pin-root="$T/bpf"
t_check "a socket-datapath supernode removes the relay left pinned" \
	lab_wait_for "removal logged" 5 grep -q 'removed the XDP relay' \
	"$T/sock.log"
t_check "and XDP is detached" lab_wait_for "XDP detached" 5 no_xdp sn1
sn_stop sock
t_check "--xdp-unload with nothing pinned says so" \
	grep -q 'nothing pinned' <<<"$(unload)"

# Bound to one address: bpffs refuses a '.' in a name, so the directory
# spells the address with '_'.
BOUND=198.18.0.1:7654
t_check_here "a supernode bound to $BOUND starts with --pin-root" \
	sn_start sn1 bound -p "$BOUND" --datapath=kernel --pin-root="$T/bpf"
t_check "it pins under supernode-198_18_0_1-7654" grep -Eq \
	"pinned in $T/bpf/[0-9]+-supernode-198_18_0_1-7654," "$T/bound.log"
bound_dir=$(echo "$T"/bpf/*-supernode-198_18_0_1-7654)
t_check "its link is pinned there" test -e "$bound_dir/link-eth0"
t_check_eq "n2nctl maps: its edges map is pinned there" \
	"$bound_dir/edges" "$(ctl_pick bound maps map edges pinned)"
sn_stop bound
unload_bound() {
	lab_exec sn1 "$SN" -p "$BOUND" --pin-root="$T/bpf" --xdp-unload
}
t_check "--xdp-unload -p $BOUND removes it" \
	grep -q 'removed' <<<"$(unload_bound)"
t_check "and XDP is detached" lab_wait_for "XDP detached" 5 no_xdp sn1
pins_left() { ls -d "$T"/bpf/*-supernode-* 2>/dev/null; }
t_check "nothing left under the pin root" test -z "$(pins_left)"

# -H keys pinned by a daemon whose community was -H, then a daemon whose
# configuration does not list it: the keys go at its start, or the kernel
# would drop the community's plaintext PACKETs.
if [ -n "$HE" ]; then
	t_check_here "-H: a daemon pins the community's keys" \
		start_kernel_sn hek
	t_check "-H: its edges relay through it (once they registered)" \
		lab_wait_for "pings through hek" 15 pings a 198.19.8.2 1
	t_check "-H: it wrote the keys" grep -q 'relayed in the kernel' \
		"$T/hek.log"
	sn_stop hek
	lab_kill "$(cat "$T/a.pid")"
	lab_kill "$(cat "$T/b.pid")"
	SN_HE=()
	RELAYED_EDGE_ARGS=()
	t_check_here "a daemon without the community listed starts" \
		start_kernel_sn plainsn
	t_check "it removes the -H keys left pinned" grep -q \
		'removed the -H keys a previous daemon left for 1' \
		"$T/plainsn.log"
	t_check_here "the edges, plaintext now, register" \
		relayed_edges 8 198.18.0.1:7654 p
	x0=$(counter plainsn xdp_relayed)
	t_check "their pings relay" pings_all a 198.19.8.2 5
	t_check_delta "in XDP" "$x0" "$(counter plainsn xdp_relayed)" -ge 10
	t_check_eq "none dropped as plaintext in a -H community" 0 \
		"$(counter plainsn xdp_drop_plaintext_on_encrypted_community)"
	sn_stop plainsn
	t_check "--xdp-unload removes it" grep -q 'removed' <<<"$(unload)"
fi
t_summary
