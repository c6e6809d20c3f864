#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# An edge restart without loss: the kernel path's links and maps are
# pinned (--pin-root, a bpffs this test mounts) and its TAP persists, so
# established P2P flows keep moving while the edge daemon is down, and the
# next daemon on that TAP takes over the device, the programs, the maps,
# the peers and the registration (same auth token).
#
#   sn .0.1, a .0.11, b .0.12 on br0; kernel-path edges on a and b,
#   overlay 198.19.1.0/24, fixed ports
#
# Proves: a stopped kernel edge says it left its kernel path running, its
# TAP and pins stay; the next one says it took over with the peer; a ping
# at 10/s across that restart loses nothing; an iperf3 TCP flow across
# another restart completes; the supernode keeps one registration for a;
# a restart with another key registers at once but takes over no peer;
# the kernel path outlives a stopped daemon only --kernel-hold seconds
# (after which the next edge keeps the registration but no peer); an
# edge without the kernel path removes the one left on its TAP; without
# -p, the next edge binds the port the kernel path matches;
# --kernel-unload is refused while a daemon runs, then removes the pins,
# the veth pair and the TAP; with --kernel-hold=0 nothing is pinned and a
# killed edge's TAP and programs go with it.
#   test_edge_restart.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

T=$(mktemp -d /tmp/n2nk-er.XXXXXX)
lab_on_cleanup rm -rf "$T"

lab_init "$OUT" || exit 1
# `ip netns exec` gives each daemon a fresh /sys without bpffs: the test
# mounts its own and passes it with --pin-root (systemd's /sys/fs/bpf
# plays that part on a host).
mkdir "$T/bpf"
if ! mount -t bpf bpf "$T/bpf"; then
	t_fail "mount a bpffs for the pins" "mount -t bpf failed"
	t_summary
	exit
fi
lab_on_cleanup umount "$T/bpf"
lab_add_public_host sn 198.18.0.1
lab_add_public_host a 198.18.0.11
lab_add_public_host b 198.18.0.12

# c1 by name: EDGE_CIPHER may bring -H, which n2n keeps to named ones.
printf 'c1\n.*\n' >"$T/communities"
lab_bg sn "$T/sn.log" "$SN" -p 7654 -f -v --ctl-socket="$T/run/sn.sock" \
	-c "$T/communities" >"$T/sn.pid"
t_require "supernode control socket" \
	lab_wait_for "sn socket" 5 test -S "$T/run/sn.sock"
ln -s "$T/run/sn.sock" "$T/sn.sock" # where n2nk.sh's helpers look

MAC_A=02:00:00:00:01:01
MAC_B=02:00:00:00:01:02

# edge HOST N LOG [KEY [ARGS...]]: a kernel-path edge, pinned (ARGS may
# override that); its pid on stdout
# shellcheck disable=SC2086 # EDGE_CIPHER: flags, split
edge() {
	lab_bg "$1" "$T/$3" "$EDGE" -f -v -i 4 --ctl-socket="$T/$1.sock" \
		-c c1 -k "${4:-s3cret}" ${EDGE_CIPHER:--A4} -a "198.19.1.$2/24" -d n2e \
		-m "02:00:00:00:01:0$2" -p "5100$2" -l 198.18.0.1:7654 \
		--datapath=kernel --pin-root="$T/bpf" "${@:5}"
}

kernel_p2p() {	# kernel_p2p NAME MAC: that peer P2P, in the kernel
	[ "$(peer_field "$1" "$2" datapath 2>/dev/null)" = kernel ] &&
		[ "$(peer_path "$1" "$2" 2>/dev/null)" = p2p ]
}

# restart_a LOG: stop a's edge (leaving its kernel path up), start the next.
restart_a() {
	lab_kill "$PID_A"
	PID_A=$(edge a 1 "$1")
}

PID_A=$(edge a 1 a1.log)
PID_B=$(edge b 2 b.log)
both_registered() { registered a && registered b; }
both_p2p() { kernel_p2p a "$MAC_B" && kernel_p2p b "$MAC_A"; }
t_require "edges register" lab_wait_for "registered" 15 both_registered
lab_exec a sysctl -qw net.ipv6.conf.n2e.disable_ipv6=1
lab_exec b sysctl -qw net.ipv6.conf.n2e.disable_ipv6=1
t_check "ping" pings a 198.19.1.2 5
t_require "P2P in the kernel both ways" lab_wait_for "kernel P2P" 15 \
	both_p2p
# Root only for set-up: then nobody (no n2n user here) with CAP_NET_ADMIN
# (bit 12: the TAP's address and routes) and CAP_BPF (bit 39: the kernel
# path's maps), nothing else, nothing to regain.
status_field() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
t_check_eq "the edge dropped root: uid nobody" "$(id -u nobody)" \
	"$(status_field "$PID_A" Uid)"
t_check_eq "keeping CAP_NET_ADMIN and CAP_BPF only" 0000008000001000 \
	"$(status_field "$PID_A" CapEff)"
t_check_eq "and an empty bounding set" 0000000000000000 \
	"$(status_field "$PID_A" CapBnd)"
# The control socket's directory the supernode made stays root's: one
# such as /run/n2nk is every daemon's, not the dropped user's to change.
t_check_eq "the control socket's directory stays root's" "0 750" \
	"$(stat -c '%u %a' "$T/run")"

# --- a ping at 10/s across a restart ------------------------------------
lab_exec a ping -i 0.1 -c 80 -W 2 198.19.1.2 >"$T/ping.log" 2>&1 &
ping_pid=$!
sleep 2
restart_a a2.log
t_check "the stopped edge left its kernel path running" \
	grep -q 'kernel path left running on n2e' "$T/a1.log"
t_check "the next edge took over, with the peer" lab_wait_for "taken over" \
	10 grep -q 'took over from the edge before us, with 1 peer' \
	"$T/a2.log"
t_check "it registers, under the same token" lab_wait_for "a2 registered" \
	15 registered a
wait "$ping_pid"
t_check "the ping lost nothing across the restart" \
	grep -q '80 packets transmitted, 80 received' "$T/ping.log"
t_check_num "the supernode has one registration of a" \
	"$(ctl_rows sn edges | jq --arg m "$MAC_A" \
		'[.rows[] | select(.mac == $m)] | length')" -eq 1
t_check "P2P in the kernel again" lab_wait_for "kernel P2P" 15 \
	kernel_p2p a "$MAC_B"
# -H: the replay record of b came across the restart with the pins.
stamps_kept() {
	local f
	f="$T/bpf/$(lab_exec a stat -L -c %i /proc/self/ns/net)-edge-n2e/he_stamps"
	[ -n "$f" ] && lab_exec a bpftool map dump pinned "$f" -j |
		jq -e 'length > 0' >/dev/null
}
if [[ ${EDGE_CIPHER:-} == *-H* ]]; then
	t_check "-H: the replay records are pinned and kept" stamps_kept
fi

# --- a TCP flow across another restart -----------------------------------
lab_bg b "$T/iperf-s.log" iperf3 -s -1 -p 5201 >/dev/null
lab_wait_port b tcp 5201 5
lab_exec a iperf3 -c 198.19.1.2 -p 5201 -t 6 >"$T/iperf.log" 2>&1 &
iperf_pid=$!
sleep 2
restart_a a3.log
wait "$iperf_pid"
t_check_num "iperf3 across the restart completes" "$?" -eq 0
t_check "and took over again" lab_wait_for "taken over" 10 \
	grep -q 'took over from the edge before us' "$T/a3.log"

# --- a restart with another key takes over no peer (its key is stale) ---
lab_kill "$PID_A"
PID_A=$(edge a 1 a4.log other-key)
t_check "another key: the edge starts" lab_wait_for "a4 up" 10 \
	grep -q 'datapath kernel' "$T/a4.log"
t_check "it registers at once (the same edge to the supernode)" \
	lab_wait_for "a4 registered" 10 registered a
t_check "and takes over no peer of the old key" \
	sh -c "! grep -q 'took over from the edge before us' '$T/a4.log'"

# --- the kernel path outlives the daemon only --kernel-hold seconds: b's
# edge_tap still sends to a, a's edge_rx hands the frames to a stack with
# no daemon (both programs check the lease; a's is what this shows) ----
lab_kill "$PID_A"
PID_A=$(edge a 1 a5.log s3cret --kernel-hold=3)
t_require "hold: a kernel edge with the right key again" \
	lab_wait_for "a5 P2P" 20 both_p2p
lab_kill "$PID_A"
t_check "it says how long it leaves the kernel path" \
	grep -q 'kernel path left running on n2e for 3 s' "$T/a5.log"
sleep 5
t_check "once the hold is over, b's pings to a find nobody" \
	sh -c "! ip netns exec $(lab_ns b) ping -c 3 -i 0.2 -W 1 198.19.1.1 \
		>/dev/null 2>&1"
PID_A=$(edge a 1 a6.log)
t_check "the next edge registers at once (the token kept)" \
	lab_wait_for "a6 registered" 10 registered a
t_check "but takes over no peer whose hold ran out" \
	sh -c "! grep -q 'took over from the edge before us' '$T/a6.log'"
t_check "and b reaches a again" lab_wait_for "b -> a" 15 \
	lab_exec b ping -c 1 -W 1 198.19.1.1

# --- an edge without the kernel path removes the one left on its TAP ----
lab_kill "$PID_A"
PID_A=$(edge a 1 a7.log s3cret --datapath=socket)
t_check "socket edge: says it removed the kernel path left running" \
	lab_wait_for "a7" 10 grep -q 'removed the kernel path an edge before' \
	"$T/a7.log"
t_check_num "socket edge: no veth pair is left" \
	"$(lab_exec a ip -o link show type veth | grep -c ': nks')" -eq 0
t_check "socket edge: registers at once (the token taken over)" \
	lab_wait_for "a7 registered" 10 registered a
t_check "socket edge: b reaches a" lab_wait_for "b -> a socket" 15 \
	lab_exec b ping -c 1 -W 1 198.19.1.1
lab_kill "$PID_A"
PID_A=$(edge a 1 a8.log)
t_require "a kernel edge again" lab_wait_for "a8 registered" 15 registered a
t_require "with b P2P in the kernel" lab_wait_for "a8 P2P" 20 both_p2p

# --- n2n's default, a random port (-p 0): the next edge binds the one the
# kernel path matches, and takes the peers over ---------------------------
lab_kill "$PID_A"
PID_A=$(edge a 1 a10.log s3cret -p 0)
t_check "random port: the next edge takes over, with the peer" \
	lab_wait_for "a10" 10 grep -q 'took over from the edge before us, with 1 peer' \
	"$T/a10.log"
t_check "random port: on the port the kernel path matched" \
	lab_wait_for "a10 port" 5 grep -q 'UDP port 51001' "$T/a10.log"

# --- removing it for good ------------------------------------------------
lab_exec a "$EDGE" --kernel-unload -d n2e --pin-root="$T/bpf" \
	>"$T/unload-busy.log" 2>&1
t_check_num "--kernel-unload while a daemon runs: refused" "$?" -ne 0
t_check "and says why" grep -q 'stop it first' "$T/unload-busy.log"
lab_kill "$PID_A"
lab_exec a "$EDGE" --kernel-unload -d n2e --pin-root="$T/bpf" \
	>"$T/unload.log" 2>&1
t_check_num "--kernel-unload" "$?" -eq 0
t_check "says it removed it" grep -q 'kernel path of n2e: removed' \
	"$T/unload.log"
t_check "the TAP is gone" sh -c "! ip netns exec $(lab_ns a) ip link show n2e \
	>/dev/null 2>&1"
t_check_num "no veth pair is left" \
	"$(lab_exec a ip -o link show type veth | grep -c ': nks')" -eq 0
# Pins are per network namespace (<inode>-edge-<tap>); b's stay.
ns_a=$(lab_exec a stat -L -c %i /proc/self/ns/net)
t_check "nothing stays pinned for a" test ! -e "$T/bpf/$ns_a-edge-n2e"
t_check "b's kernel path is still pinned" test -n "$(find "$T/bpf" \
	-name 'link_tap' -path '*edge-n2e*')"

# --- --kernel-hold=0: nothing pinned, so a killed edge leaves nothing on -
# (Another MAC: --kernel-unload kept the last registration of a's, and the
# supernode refuses a new token for it until that expires.)
PID_A=$(edge a 3 a9.log s3cret --kernel-hold=0)
t_require "hold 0: the edge registers" lab_wait_for "a9 registered" 15 \
	registered a
t_check "hold 0: nothing pinned while it runs" \
	test ! -e "$T/bpf/$ns_a-edge-n2e/link_tap"
kill -9 "$PID_A"
t_check "hold 0, killed: its TAP (and the programs on it) went with it" \
	lab_wait_for "a9 TAP gone" 5 sh -c "! ip netns exec $(lab_ns a) \
		ip link show n2e >/dev/null 2>&1"

t_summary
