#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The Debian package (make deb, docs/packaging.md) installed and started
# in a throw-away container, never on this host:
#  1. make deb builds a package; its control names the n2n user's adduser
#     and the shared libraries, the sample configurations are conffiles;
#     lintian (where installed) gives no error and no warning but the ones
#     docs/packaging.md lists (LINTIAN_EXPECTED below);
#  2. in a private mount, PID and network namespace, an overlay over / (its
#     upper layer a tmpfs of that namespace) is chrooted into, and
#     `dpkg -i` installs the package there, maintainer scripts included;
#  3. the postinst made n2n a system user with no login; the daemons,
#     units, man pages and /etc/n2n samples are where docs/packaging.md
#     says;
#  4. /usr/sbin/supernode starts from the sample configuration (socket
#     datapath: the container has no bpffs), answers n2nctl on its control
#     socket, and runs as the n2n user with no effective capability;
#  5. it stops on SIGTERM; after `systemctl enable supernode`, `dpkg
#     --purge` removes the files, /etc/n2n and the unit's link;
#  6. the host is untouched: n2nk's state in the host's dpkg, /etc/passwd,
#     /etc/group and dpkg's status file are byte for byte what they were.
# Everything the container did goes with its namespaces (trap on exit too).
#   test_deb.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
# Each is explained in docs/packaging.md; a new one fails until it is.
LINTIAN_EXPECTED='W: n2nk: non-standard-file-perm 0600 != 0644 [etc/n2n/edge.conf]'

SRC=$(cd "$(dirname "$0")/../.." && pwd)
passed=0 failed=0 skipped=0
tmp=$(mktemp -d /tmp/n2nk-deb.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }
summary() {
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
}
skip_all() {
	echo "skip package test: $1"
	skipped=1
	summary
	exit 0
}

[ "$(id -u)" -eq 0 ] || skip_all "needs root (namespaces, overlayfs, chroot)"
for t in unshare chroot dpkg-deb dpkg-shlibdeps ip; do
	command -v "$t" >/dev/null || skip_all "$t is missing"
done
host_state() {
	dpkg-query -W -f='${Status}\n' n2nk 2>/dev/null || echo absent
	sha256sum /etc/passwd /etc/group /var/lib/dpkg/status
}
host_state >"$tmp/host.before"

# 1. The package.
deb=$(make -s --no-print-directory -C "$SRC" O="$OUT" deb 2>"$tmp/deb.err" |
	tail -n 1)
if [ -f "$deb" ]; then
	pass "make deb built $(basename "$deb")"
else
	fail "make deb" "$(tail -n 3 "$tmp/deb.err")"
	summary
	exit 1
fi
dpkg-deb -f "$deb" Depends | grep -q 'adduser' &&
	dpkg-deb -f "$deb" Depends | grep -q 'init-system-helpers (>= 1.9)' &&
	dpkg-deb -f "$deb" Depends | grep -q 'libbpf1' &&
	pass "Depends: adduser and the shared libraries" ||
	fail "Depends" "$(dpkg-deb -f "$deb" Depends)"
conf=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)
[ "$conf" = "$(printf '/etc/n2n/edge.conf\n/etc/n2n/supernode.conf')" ] &&
	pass "conffiles: the two /etc/n2n samples" ||
	fail "conffiles" "$conf"
if command -v lintian >/dev/null; then
	got=$(lintian "$deb" 2>&1 | grep -E '^[EW]: ')
	[ "$got" = "$LINTIAN_EXPECTED" ] &&
		pass "lintian: only the warnings docs/packaging.md explains" ||
		fail "lintian" "$got"
else
	skipped=$((skipped + 1))
	echo "skip lintian: not installed (make deps)"
fi
cp "$deb" "$tmp/n2nk.deb"

# 2-5 run inside the namespaces; each check prints "ok"/"FAIL" lines.
container() {
	set -u
	local tmp=$1 r=$1/root pid uid n i
	ok() { echo "ok   $1"; }
	bad() { echo "FAIL $1: $2"; }
	mount -t tmpfs -o size=512m tmpfs "$tmp/ns"
	mkdir "$tmp/ns/upper" "$tmp/ns/work" "$r"
	mount -t overlay overlay \
		-o "lowerdir=/,upperdir=$tmp/ns/upper,workdir=$tmp/ns/work" "$r" ||
		{ bad "overlay over /" "mount failed"; return; }
	mount -t proc proc "$r/proc"
	mount -t tmpfs tmpfs "$r/run"
	mount -t tmpfs tmpfs "$r/tmp"
	mount --bind /dev "$r/dev"
	ip link set lo up
	cp "$tmp/n2nk.deb" "$r/tmp/"

	if chroot "$r" dpkg -i /tmp/n2nk.deb >"$tmp/ns/dpkg.log" 2>&1; then
		ok "dpkg -i in the container"
	else
		bad "dpkg -i" "$(tail -n 5 "$tmp/ns/dpkg.log")"
		return
	fi
	[ "$(chroot "$r" dpkg-query -W -f='${Status}' n2nk)" = \
		"install ok installed" ] && ok "dpkg says installed" ||
		bad "dpkg status" "$(chroot "$r" dpkg-query -W n2nk 2>&1)"

	# 3. The user and the files.
	IFS=: read -r n _ uid _ _ _ shell < <(chroot "$r" getent passwd n2n)
	[ "$n" = n2n ] && [ "$uid" -lt 1000 ] &&
		[ "$shell" = /usr/sbin/nologin ] &&
		ok "n2n is a system user ($uid) without a login" ||
		bad "n2n user" "$(chroot "$r" getent passwd n2n)"
	chroot "$r" getent group n2n >/dev/null && ok "n2n group" ||
		bad "n2n group" "missing"
	n=0
	for f in /usr/sbin/edge /usr/sbin/supernode /usr/bin/n2nctl \
		/usr/bin/n2n-keygen /usr/bin/n2n-dissect \
		/lib/systemd/system/supernode.service \
		/lib/systemd/system/edge@.service \
		/usr/share/man/man8/supernode.8.gz \
		/usr/share/man/man1/n2n-dissect.1.gz \
		/usr/share/doc/n2nk/copyright /etc/n2n/supernode.conf \
		/etc/n2n/edge.conf; do
		[ -e "$r$f" ] || { bad "installed $f" "missing"; n=1; }
	done
	[ "$n" = 0 ] && ok "daemons, tools, units, man pages, samples"
	[ "$(stat -c %a "$r/etc/n2n/edge.conf")" = 600 ] &&
		ok "edge.conf (it holds a key) is 0600" ||
		bad "edge.conf mode" "$(stat -c %a "$r/etc/n2n/edge.conf")"
	grep -q '^ExecStart=/usr/sbin/supernode /etc/n2n/supernode.conf' \
		"$r/lib/systemd/system/supernode.service" &&
		ok "supernode.service starts /usr/sbin/supernode" ||
		bad "supernode.service" "ExecStart"

	# 4. The supernode from its sample configuration.
	chroot "$r" /usr/sbin/supernode /etc/n2n/supernode.conf \
		--datapath=socket -f >"$tmp/ns/sn.log" 2>&1 &
	pid=$!
	for i in $(seq 50); do
		[ -S "$r/run/n2nk/supernode-7777.sock" ] && break
		sleep 0.1
	done
	if chroot "$r" /usr/bin/n2nctl -s /run/n2nk/supernode-7777.sock \
		communities >"$tmp/ns/ctl.out" 2>&1; then
		ok "supernode answers n2nctl on /run/n2nk/supernode-7777.sock"
	else
		bad "n2nctl" "$(cat "$tmp/ns/ctl.out"; tail -n 3 "$tmp/ns/sn.log")"
	fi
	[ -n "$(chroot "$r" ss -Hlun 'sport = :7777')" ] &&
		ok "UDP port 7777 (the sample's -p) open" ||
		bad "UDP 7777" "not listening"
	n=$(awk '/^Uid:/ { print $2 " " $3 " " $4 " " $5 }' \
		"$r/proc/$pid/status")
	[ "$n" = "$uid $uid $uid $uid" ] &&
		ok "runs as n2n (real, effective, saved, fs uid $uid)" ||
		bad "uid" "$n"
	n=$(awk '/^CapEff:/ { print $2 }' "$r/proc/$pid/status")
	[ "$n" = 0000000000000000 ] && ok "no effective capability" ||
		bad "CapEff" "$n"

	# 5. Stop and purge.
	kill -TERM "$pid"
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && bad "SIGTERM" "still running" ||
		ok "stops on SIGTERM"
	# An enabled unit's link goes with the purge (postinst's update-state).
	local wants=$r/etc/systemd/system/multi-user.target.wants
	chroot "$r" systemctl enable supernode.service >/dev/null 2>&1
	[ -L "$wants/supernode.service" ] || bad "systemctl enable" "no link"
	if chroot "$r" dpkg --purge n2nk >"$tmp/ns/purge.log" 2>&1 &&
		[ ! -e "$r/usr/sbin/supernode" ] && [ ! -e "$r/etc/n2n" ]; then
		ok "dpkg --purge removes the files and /etc/n2n"
	else
		bad "purge" "$(tail -n 3 "$tmp/ns/purge.log")"
	fi
	[ ! -L "$wants/supernode.service" ] &&
		ok "purge removes the link systemctl enable made" ||
		bad "purge" "$wants/supernode.service left"
}

# 2. The container: private mounts, PIDs (its processes die with it) and
# network (loopback only); bounded in time.
mkdir "$tmp/ns"
timeout 60 unshare --mount --propagation private --pid --fork --net \
	--kill-child bash -c "$(declare -f container); container '$tmp'" \
	>"$tmp/container.out" 2>&1
rc=$?
while read -r word rest; do
	case $word in
	ok) pass "$rest" ;;
	FAIL) fail "${rest%%:*}" "${rest#*: }" ;;
	*) echo "     $word $rest" ;;
	esac
done <"$tmp/container.out"
[ "$rc" -eq 0 ] || fail "container" "exit $rc"

# 6. The host.
host_state >"$tmp/host.after"
if cmp -s "$tmp/host.before" "$tmp/host.after"; then
	pass "host untouched: n2nk $(head -n 1 "$tmp/host.after") as before, same passwd/group/dpkg status"
else
	fail "host" "$(diff "$tmp/host.before" "$tmp/host.after")"
fi
summary
