#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make demo: a supernode and two edges, each edge behind its own NAT, in
# network namespaces (tests/netns/lab.sh); shows registration, a ping
# across the VPN, `n2nctl peers` with the P2P path, then removes it all.
#   demo.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
TOP=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../tests/netns/lab.sh
source "$TOP/tests/netns/lab.sh"
T=$(mktemp -d /tmp/n2nk-demo.XXXXXX)
lab_on_cleanup rm -rf "$T"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

lab_init "$OUT" || exit 1
lab_add_public_host sn 198.18.0.1
lab_add_nat_host alice 1 full
lab_add_nat_host bob 2 full

say "supernode on 198.18.0.1:7654; alice and bob each behind a (full-cone) NAT"
lab_bg sn "$T/sn.log" "$OUT/sbin/supernode" -p 7654 -f \
	--ctl-socket="$T/sn.sock" >/dev/null
for who in alice:1:02:00:00:00:00:0a bob:2:02:00:00:00:00:0b; do
	IFS=: read -r name n mac <<<"$who"
	mac=${who#*:*:}
	lab_bg "$name" "$T/$name.log" "$OUT/sbin/edge" -c demo -k demo-key -A4 \
		-a "198.19.0.$n/24" -d n2n0 -m "$mac" -l 198.18.0.1:7654 -f \
		--ctl-socket="$T/$name.sock" >/dev/null
done
for name in alice bob; do
	lab_wait_for "$name registration" 15 \
		grep -q '\[OK\] edge' "$T/$name.log" || exit 1
	grep '\[OK\] edge' "$T/$name.log" | sed "s/^/$name: /"
done

say "alice pings bob across the VPN (198.19.0.1 -> 198.19.0.2)"
lab_exec alice ping -c 4 -i 0.3 198.19.0.2

say "alice's peers: bob, reached directly (P2P) through both NATs"
lab_wait_for "P2P" 10 sh -c "'$OUT/tools/n2nctl' -s '$T/alice.sock' peers | grep -q p2p"
"$OUT/tools/n2nctl" -s "$T/alice.sock" peers
say "the supernode's view"
"$OUT/tools/n2nctl" -s "$T/sn.sock" edges
say "done; removing the namespaces"
