#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs what building and testing needs on Debian 12 / Ubuntu (as root).
# Does nothing when every package is already there, so `make deps` is cheap.
set -euo pipefail

packages=(
	build-essential pkg-config make git clang-format
	clang-16 llvm-16 libclang-rt-16-dev	# BPF objects, fuzzing, sanitizers
	libbpf-dev bpftool libxdp-dev libelf-dev zlib1g-dev
	libsodium-dev libssl-dev libgcrypt20-dev liblzo2-dev libzstd-dev
	libnl-3-dev libnl-route-3-dev libcap-ng-dev libsystemd-dev
	libmicrohttpd-dev	# the --metrics endpoint
	libminiupnpc-dev libnatpmp-dev	# port mapping (UPnP-IGD, NAT-PMP)
	libpcap-dev	# n2n-dissect and the tests read captures with it
	curl		# the metrics test scrapes with it
	lintian		# the package test (tests/units/test_deb.sh) checks with it
	iproute2 nftables iperf3 tcpdump iputils-ping jq ethtool python3 util-linux
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing ${missing[*]}; run as root (or with sudo)" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
