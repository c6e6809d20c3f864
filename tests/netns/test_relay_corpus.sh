#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The XDP relay writes what the socket backend writes, byte for byte: the
# same seeded corpus of PACKETs (every TTL, compression and transform byte,
# payloads of 0..1400 bytes, one broadcast in 25) goes through our
# supernode with --datapath=socket and then --datapath=kernel, and what
# edge B receives must be identical, with the unicasts relayed in XDP.
# Then again with the community header-encrypted (-H): what B receives,
# decrypted, must be identical too (the supernode's stamps and random bits
# aside), relayed in XDP as well.
#
#   wan br0: sn1 198.18.0.1 (forwarding on: FIB next hops), c 198.18.0.50
#   test_relay_corpus.sh BUILD_DIR
set -u
OUT=$(cd "${1:-.output}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$HERE/lab.sh"
# shellcheck source=n2nk.sh
source "$HERE/n2nk.sh"

T=$(mktemp -d /tmp/n2nk-corpus.XXXXXX)
lab_on_cleanup rm -rf "$T"
COUNT=300
BCASTS=$((COUNT / 25))

lab_init "$OUT" || exit 1
lab_add_public_host sn1 198.18.0.1
lab_add_public_host c 198.18.0.50
lab_exec sn1 sysctl -qw net.ipv4.conf.eth0.forwarding=1

run_corpus() {	# run_corpus DATAPATH [-H]: the corpus through sn1 into $T/DATAPATH[-H]
	local pid out="$T/$1${2:-}.txt" what="$1${2:+ $2}"
	rm -f "$T/sn1.sock"
	pid=$(lab_bg sn1 "$T/sn1-$1${2:-}.log" "$SN" -p 7654 -f \
		-c "$T/communities" --datapath="$1" --ctl-socket="$T/sn1.sock")
	t_check "$what: the supernode starts" \
		lab_wait_for "sn1 control socket" 5 test -S "$T/sn1.sock"
	t_check "$what: corpus sent and received" lab_exec c \
		"$OUT/tests/netns/relay_corpus" 198.18.0.1 7654 198.18.0.50 \
		41001 41002 "$COUNT" "$out" ${2:-}
	FWD=$(counter sn1 forwarded)
	BC=$(counter sn1 broadcast)
	[ "$1" = socket ] || XDP=$(counter sn1 xdp_relayed)
	lab_kill "$pid"
}

check_same() {	# check_same [-H]: the kernel run against the socket run
	local h=${1:-} w=${1:+" ($1)"}
	echo "kernel$w: xdp_relayed $XDP; daemon forwarded $FWD," \
		"broadcast $BC of $COUNT"
	t_check_eq "socket backend$w: nothing lost" 0 \
		"$(grep -c lost "$T/socket$h.txt")"
	t_check "XDP relay output$w = socket backend output, byte for byte" \
		cmp "$T/socket$h.txt" "$T/kernel$h.txt"
	t_check_eq "every unicast$w relayed in XDP" $((COUNT - BCASTS)) "$XDP"
	t_check_eq "the daemon forwarded no unicast$w" 0 "$FWD"
	t_check_eq "the daemon fanned the broadcasts$w out" "$BCASTS" "$BC"
}

# Listed by name: -H needs it (n2n-protocol.md 5.4); plaintext use is
# allowed all the same.
echo corpus >"$T/communities"
run_corpus socket
run_corpus kernel
check_same
run_corpus socket -H
run_corpus kernel -H
check_same -H
t_summary
