#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The cost of the supernode's --metrics endpoint with many edges:
# n2n-loadgen registers COMMUNITIES x 1024 synthetic edges with a socket-
# datapath supernode, then: the size of a scrape and how long a fresh
# rendering takes (curl's time_total, 5 scrapes 1.1 s apart so each
# renders), then 8 clients scrape in a closed loop for 6 s and we count
# their scrapes and the supernode's CPU time (utime + stime of its process
# in /proc, i.e. the one thread that also relays every packet), and time
# `n2nctl stats` round trips meanwhile (these include starting n2nctl, on a
# machine the 8 curl loops keep busy).
#
#   gen 198.18.0.2 (n2n-loadgen) --- br0 --- sn 198.18.0.1 (supernode,
#                                            --metrics=9100 on loopback)
#   bench-metrics.sh BUILD_DIR [COMMUNITIES]
set -u
OUT=$(cd "${1:-.output}" && pwd)
NCOMM=${2:-12}
TOP=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../tests/netns/lab.sh
source "$TOP/tests/netns/lab.sh"
CTL=$OUT/tools/n2nctl
T=$(mktemp -d /tmp/n2nk-bench-metrics.XXXXXX)
lab_on_cleanup rm -rf "$T"
if ! [[ $NCOMM =~ ^[0-9]+$ ]] || [ "$NCOMM" -lt 1 ] || [ "$NCOMM" -gt 64 ]
then
	echo "COMMUNITIES: 1..64" >&2
	exit 2
fi

lab_init "$OUT" || exit 1
lab_add_public_host sn 198.18.0.1
lab_add_public_host gen 198.18.0.2
snpid=$(lab_bg sn "$T/sn.log" "$OUT/sbin/supernode" -f -p 7654 \
	--datapath=socket --metrics=9100 --ctl-socket="$T/sn.sock")
lab_wait_for "the control socket" 5 test -S "$T/sn.sock" || exit 1
for ((i = 1; i <= NCOMM; i++)); do
	lab_exec gen "$OUT/tools/n2n-loadgen" -l 198.18.0.1:7654 -c "c$i" \
		-n 1024 -r 10 -t 1 >/dev/null 2>&1
done
echo "edges registered: $("$CTL" -s "$T/sn.sock" -j communities |
	jq '[.rows[].edges] | add')"

echo "fresh scrapes (bytes, seconds):"
for ((i = 0; i < 5; i++)); do
	lab_exec sn curl -s -o /dev/null -m 10 \
		-w '  %{size_download} %{time_total}\n' \
		http://127.0.0.1:9100/metrics
	sleep 1.1
done

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$snpid/stat"; }
c0=$(cpu_ticks)
pids=()
for ((j = 0; j < 8; j++)); do
	# shellcheck disable=SC2016
	lab_exec sn bash -c 'n=0; end=$((SECONDS + 6))
		while [ $SECONDS -lt $end ]; do
			curl -s -o /dev/null -m 5 http://127.0.0.1:9100/metrics &&
				n=$((n + 1))
		done; echo $n' >"$T/scrapes.$j" &
	pids+=($!)
done
sleep 1
rtts=()
for ((i = 0; i < 8; i++)); do
	s=$(date +%s%N)
	"$CTL" -s "$T/sn.sock" stats >/dev/null
	rtts+=($((($(date +%s%N) - s) / 1000000)))
	sleep 0.5
done
wait "${pids[@]}"
c1=$(cpu_ticks)
echo "8 clients, 6 s: $(cat "$T"/scrapes.* | paste -sd+ | bc) scrapes," \
	"supernode CPU $(((c1 - c0) * 10)) ms"
echo "n2nctl stats round trips meanwhile (ms): ${rtts[*]}"
