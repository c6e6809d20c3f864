#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Restart without loss: the XDP relay's links and maps are pinned, so a
# relayed ping at 10 per second keeps every reply while the supernode
# daemon stops and a new one starts and takes them over; --xdp-unload then
# removes it all.
#
# `ip netns exec` gives each daemon a fresh /sys without bpffs, so the test
# mounts its own bpffs in a temporary directory and passes it with
# --pin-root (systemd's /sys/fs/bpf plays that part on a real host).
#
# Topology: sn1 on the flat segment with IPv4 forwarding on (next hops from
# the FIB), edges a and b behind full-cone NATs, both -S1.
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

start_sn() {	# start_sn LOG: a kernel-datapath supernode, pid on stdout
	lab_bg sn1 "$1" "$SN" -p 7654 -f -v --datapath=kernel \
		--pin-root="$T/bpf" --ctl-socket="$T/sn1.sock"
}
has_xdp() { ip -n "$(lab_ns sn1)" link show dev eth0 | grep -q xdp; }
no_xdp() { ! has_xdp; }

sn_pid=$(start_sn "$T/sn1.log")
lab_wait_for "sn1 control socket" 5 test -S "$T/sn1.sock"
t_check "the relay is pinned under --pin-root" \
	grep -q "pinned in $T/bpf/" "$T/sn1.log"
relayed_edges 8 198.18.0.1:7654
t_check "ping through the XDP relay" pings a 198.19.8.2 5
map_field() {	# map_field MAP FIELD: from n2nctl maps
	ctl sn1 maps | jq -r --arg m "$1" --arg f "$2" \
		'.rows[] | select(.map == $m) | .[$f]'
}
t_check_eq "n2nctl maps: 2 edges in the kernel's registry" 2 \
	"$(map_field edges entries)"
t_check_eq "n2nctl maps: 2 senders" 2 "$(map_field senders entries)"
t_check "n2nctl maps: edges pinned under --pin-root" \
	grep -q "^$T/bpf/" <<<"$(map_field edges pinned)"
edge_field() {	# edge_field MAC FIELD: from n2nctl edges
	ctl sn1 edges | jq -r --arg m "$1" --arg f "$2" \
		'.rows[] | select(.mac == $m) | .[$f]'
}
xr=$(edge_field 02:00:00:00:08:01 xdp_rx_relayed)
xt=$(edge_field 02:00:00:00:08:02 xdp_tx_relayed)
echo "edge a: $xr relayed from it in XDP; edge b: $xt relayed to it"
t_check "n2nctl edges: per-edge kernel counts (from a >= 5)" \
	test "${xr:-0}" -ge 5
t_check "n2nctl edges: per-edge kernel counts (to b >= 5)" \
	test "${xt:-0}" -ge 5
t_check "n2nctl stats: relay verdicts by name" \
	test -n "$(counter sn1 xdp_not_packet)"
t_check "n2nctl stats: kernel drops by name" \
	test -n "$(counter sn1 xdp_drop_ttl_expired)"

# 10 pings a second for 6 s; the daemon restarts after 2 s and is gone
# for about a second.
lab_exec a ping -q -i 0.1 -c 60 -W 1 198.19.8.2 >"$T/ping.log" 2>&1 &
ping_pid=$!
sleep 2
x1=$(counter sn1 xdp_relayed)
lab_kill "$sn_pid"
t_check "with the daemon gone, XDP stays attached" has_xdp
sleep 1
rm -f "$T/sn1.sock"
sn_pid=$(start_sn "$T/sn1-2.log")
lab_wait_for "the new daemon's control socket" 5 test -S "$T/sn1.sock"
wait "$ping_pid"
cat "$T/ping.log" | tail -n 2
t_check "no relayed ping lost across the restart (60/60)" \
	grep -q '60 packets transmitted, 60 received' "$T/ping.log"
t_check "the new daemon took the links and the edges over" \
	grep -Eq 'taken over from the previous daemon.*[1-9][0-9]* edge\(s\) kept' \
	"$T/sn1-2.log"
x2=$(counter sn1 xdp_relayed)
echo "xdp_relayed before the restart $x1, after $x2 (the count is pinned too)"
t_check "the relayed count carried over and grew" test "${x2:-0}" -gt "${x1:-0}"

unload() { lab_exec sn1 "$SN" -p 7654 --pin-root="$T/bpf" --xdp-unload; }
t_check_fails "--xdp-unload refuses while the supernode runs" unload
t_check "and it still relays" pings a 198.19.8.2 3
lab_kill "$sn_pid"
t_check "with the daemon stopped, XDP stays attached" has_xdp
sn_pid=$(lab_bg sn1 "$T/sn1-sock.log" "$SN" -p 7654 -f --datapath=socket \
	--pin-root="$T/bpf" --ctl-socket="$T/sn1.sock")
t_check "a socket-datapath supernode removes the relay left pinned" \
	lab_wait_for "removal logged" 5 grep -q 'removed the XDP relay' \
	"$T/sn1-sock.log"
t_check "and XDP is detached" lab_wait_for "XDP detached" 5 no_xdp
lab_kill "$sn_pid"
pins_left() { ls -d "$T"/bpf/*-supernode-* 2>/dev/null; }
t_check "nothing left under the pin root" test -z "$(pins_left)"
t_check "--xdp-unload with nothing pinned says so" \
	grep -q 'nothing pinned' <<<"$(unload)"
t_summary
