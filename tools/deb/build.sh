#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds the n2nk Debian package; make deb runs it once `make install`
# filled DEB_DIR/root with Debian's paths (PREFIX=/usr, units in
# /lib/systemd/system). Adds what a Debian binary package holds besides
# (stripped binaries, compressed man pages, the copyright and changelog,
# conffiles, maintainer scripts, md5sums), then runs dpkg-deb. Depends
# comes from dpkg-shlibdeps on the binaries.
#   build.sh DEB_DIR VERSION MAINTAINER
# Prints the path of the .deb, DEB_DIR/n2nk_VERSION_ARCH.deb.
set -euo pipefail
umask 022

version=$2 maintainer=$3
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$(cd "$1" && pwd)
root=$work/root
arch=$(dpkg --print-architecture)
deb=$work/n2nk_${version}_${arch}.deb

for tool in dpkg-deb dpkg-shlibdeps strip gzip; do
	command -v "$tool" >/dev/null || {
		echo "make deb: $tool is missing (apt-get install dpkg-dev binutils)" >&2
		exit 1
	}
done

[ -x "$root/usr/sbin/supernode" ] || {
	echo "build.sh: $root holds no installed tree (run make deb)" >&2
	exit 1
}

# Debian keeps debug symbols out of the package and man pages compressed
# (-n: no name or time stamp, so the same tree gives the same bytes).
strip --strip-unneeded --remove-section=.comment --remove-section=.note \
	"$root"/usr/bin/* "$root"/usr/sbin/*
gzip -9n "$root"/usr/share/man/man1/*.1 "$root"/usr/share/man/man8/*.8

doc=$root/usr/share/doc/n2nk
no_comments() { grep -v '^#' "$1"; }
no_comments "$here/copyright" >"$doc/copyright"
date=$(git -C "$top" log -1 --format=%aD 2>/dev/null || date -R)
commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
no_comments "$here/changelog.in" | sed -e "s|@VERSION@|$version|" \
	-e "s|@MAINTAINER@|$maintainer|" -e "s|@DATE@|$date|" \
	-e "s|@COMMIT@|$commit|" | gzip -9n >"$doc/changelog.gz"

# The sample configurations as conffiles: dpkg keeps a user's edits on
# upgrade. edge.conf holds a key, so only root reads it (the daemons read
# their configuration before dropping root).
install -d "$root/etc/n2n"
install -m 0644 "$top/docs/examples/supernode.conf" "$root/etc/n2n/"
install -m 0600 "$top/docs/examples/edge.conf" "$root/etc/n2n/"

install -d "$root/DEBIAN"
install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$root/DEBIAN/"
(cd "$root" && find etc -type f -printf '/%p\n' | sort) >"$root/DEBIAN/conffiles"

# dpkg-shlibdeps wants a source tree's debian/control; give it a minimal
# one beside the staging root. adduser: the postinst creates the user.
mkdir -p "$work/src/debian"
printf 'Source: n2nk\n\nPackage: n2nk\nArchitecture: any\n' \
	>"$work/src/debian/control"
shlibs=$(cd "$work/src" && dpkg-shlibdeps -O \
	"$root"/usr/bin/* "$root"/usr/sbin/*)
depends="adduser, init-system-helpers (>= 1.9), ${shlibs#shlibs:Depends=}"

size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
no_comments "$here/control.in" | sed -e "s|@VERSION@|$version|" \
	-e "s|@ARCH@|$arch|" -e "s|@MAINTAINER@|$maintainer|" \
	-e "s|@SIZE@|$size|" -e "s|@DEPENDS@|$depends|" >"$root/DEBIAN/control"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' |
	LC_ALL=C sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" \
	"$root/DEBIAN/md5sums"

dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
