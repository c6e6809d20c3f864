#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# daemon/kernel/tap.c and daemon/kernel/netlink.c against the real kernel: the probe opens
# and configures a TAP inside a fresh namespace, then `ip -n` checks from
# outside what it did. Nothing outside the namespace is touched.
#
#   +-- netns n2nk-t-PID ------------------------------------------+
#   |  tap_netlink_probe ==fd==> n2nktest0 (TAP, 02:00:00:00:00:aa)  |
#   |                            mtu 1390, 198.19.99.1/24, UP        |
#   |                            198.19.100.0/24 via 198.19.99.254   |
#   |  ARP for 198.19.99.2 read from the fd, answered through it     |
#   |  (02:00:00:00:00:bb), so the kernel learns that neighbour      |
#   +----------------------------------------------------------------+
#
# Adding an address or route that is already there is success (a restarted
# edge re-applies its config); deleting one that is not there is an error.
#   test_tap_netlink.sh BUILD_DIR
set -u
out=${1:-.output}
probe=$out/tests/netns/tap_netlink_probe
ns=n2nk-t-$$
passed=0 failed=0
probe_pid=
tmp=$(mktemp -d)

# shellcheck disable=SC2317 # called by the trap
cleanup() {
	exec 3>&- # EOF on the probe's stdin lets it finish on its own
	if [ -n "$probe_pid" ]; then
		kill "$probe_pid" 2>/dev/null
		wait "$probe_pid" 2>/dev/null
	fi
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

pass() { passed=$((passed + 1)); }
fail() {
	echo "FAIL $1"
	failed=$((failed + 1))
}

# probe_said STEP RESULT: the probe printed "STEP: RESULT" (plus any detail).
probe_said() {
	if grep -qxE -- "$1: $2( \(.*\))?" "$tmp/probe.out"; then
		pass
	else
		fail "probe '$1': wanted '$2', got '$(grep -m1 -- "^$1:" \
			"$tmp/probe.out")'"
	fi
}

# ns_shows NAME REGEX COMMAND...: COMMAND's output matches REGEX.
ns_shows() {
	local name=$1 re=$2 got
	shift 2
	got=$("$@" 2>&1)
	if grep -qE -- "$re" <<<"$got"; then
		pass
	else
		fail "$name: '$re' not in: $got"
	fi
}

# count_is NAME N COMMAND...: COMMAND prints exactly N non-empty lines.
count_is() {
	local name=$1 want=$2 got
	shift 2
	got=$("$@" 2>/dev/null | grep -c .)
	if [ "$got" -eq "$want" ]; then
		pass
	else
		fail "$name: $got lines, wanted $want"
	fi
}

# Polls (rather than sleeps) until the probe has configured everything.
wait_for_ready() {
	for _ in $(seq 100); do
		grep -qx ready "$tmp/probe.out" && return 0
		kill -0 "$probe_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

finish() {
	echo "$passed passed, $failed failed, 0 skipped"
	[ "$failed" -eq 0 ]
	exit
}

if [ ! -x "$probe" ] || ! ip netns add "$ns"; then
	fail "setup: no $probe or no namespace $ns"
	finish
fi

# The probe holds the TAP open (it is not persistent) until we close fd 3.
mkfifo "$tmp/hold"
ip netns exec "$ns" "$probe" <"$tmp/hold" >"$tmp/probe.out" 2>&1 &
probe_pid=$!
exec 3>"$tmp/hold"
if ! wait_for_ready; then
	fail "probe did not get ready:"
	cat "$tmp/probe.out"
	finish
fi

probe_said "tap open" 0
probe_said "tap" "n2nktest0 nonblock yes cloexec yes"
probe_said "tap open again" -EBUSY
probe_said "tap read while down" -EAGAIN
probe_said "set mac" 0
probe_said "set mtu" 0
probe_said "set mtu 20" -EINVAL
probe_said "set up" 0
probe_said "set mac on missing link" -ENODEV
probe_said "add addr" 0
probe_said "add addr again" 0
probe_said "add addr prefix 33" -EINVAL
probe_said "add route" 0
probe_said "add route again" 0
probe_said "add route off-link gateway" -ENETUNREACH
probe_said "link" "ifindex ok mac 02:00:00:00:00:aa mtu 1390 up"
probe_said "tap read arp request" "from 02:00:00:00:00:aa for 198.19.99.2"
probe_said "tap write arp reply" 42
probe_said "tap read ipv4 to peer mac" yes

ns_shows "link mac" "link/ether 02:00:00:00:00:aa " \
	ip -n "$ns" link show n2nktest0
ns_shows "link mtu" " mtu 1390 " \
	ip -n "$ns" link show n2nktest0
ns_shows "link up" "<([A-Z_-]+,)*UP(,[A-Z_-]+)*>" \
	ip -n "$ns" link show n2nktest0
ns_shows "address with broadcast" \
	"inet 198.19.99.1/24 brd 198.19.99.255 scope global n2nktest0" \
	ip -n "$ns" -4 addr show dev n2nktest0
count_is "address once" 1 ip -n "$ns" -4 -o addr show dev n2nktest0
ns_shows "route" \
	"^198.19.100.0/24 via 198.19.99.254 dev n2nktest0 proto static" \
	ip -n "$ns" -4 route show 198.19.100.0/24
count_is "route once, not replaced by the bad one" 1 \
	ip -n "$ns" -4 route show 198.19.100.0/24
ns_shows "neighbour learnt from the written reply" \
	"lladdr 02:00:00:00:00:bb" ip -n "$ns" neigh show 198.19.99.2
count_is "host untouched" 0 ip -o link show n2nktest0

exec 3>&- # EOF: the probe deletes what it added and exits
if wait "$probe_pid"; then pass; else fail "probe exit status"; fi
probe_pid=
probe_said "del route" 0
probe_said "del route again" -ESRCH
probe_said "del addr" 0
probe_said "del addr again" -EADDRNOTAVAIL
probe_said "set down" 0
probe_said "link" "ifindex ok mac 02:00:00:00:00:aa mtu 1390 down"
count_is "non-persistent TAP gone with its fd" 0 \
	ip -o -n "$ns" link show n2nktest0

in_ns() { ip netns exec "$ns" "$probe" "$@" >"$tmp/probe.out" 2>&1; }
in_ns open 'n2nk%d'
probe_said "open" n2nk0
ip -n "$ns" tuntap add mode tap name n2nktest1
in_ns open n2nktest1
probe_said "open" n2nktest1
count_is "persistent TAP stays" 1 ip -o -n "$ns" link show n2nktest1
ip -n "$ns" tuntap add mode tun name n2nktun0
in_ns open n2nktun0
probe_said "open" -EINVAL
in_ns open n2nk-name-too-long
probe_said "open" -ENAMETOOLONG

finish
