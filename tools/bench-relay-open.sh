#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The supernode relay, open loop, per relay core (issue 13;
# /work/shared/notes/benchmark-method.md). The relay gets CPU $RELAY_CPU
# alone: threaded NAPI on the supernode's veth, its NAPI thread and the
# supernode daemon pinned there. The generator (n2n-loadgen, live frames
# paced in the XDP sender itself) and the sink's NAPI thread (real-time
# priority, so the sink keeps up) run on CPU $GEN_CPU. The offered rate is
# stepped up; per backend and traffic the table gives the highest rate
# forwarded with < 0.1 % loss, the relay CPU's busy share there, its ns
# per forwarded packet, and where the first failing step lost its frames.
#
#   +-------------------------+    veth pair    +-------------------------+
#   | gen (CPU 1)             |                 | sn (CPU 0)              |
#   | oblg0 198.18.41.2       +-----------------+ obsn0 198.18.41.1       |
#   |   + .10 .. .73 (flows)  |                 | supernode :7654, pinned |
#   | n2n-loadgen, pinned     |                 | XDP relay / reflector / |
#   | lg_tx paced, lg_sink    |                 | socket daemon / stock   |
#   | NAPI thread: SCHED_FIFO |                 | NAPI thread pinned      |
#   +-------------------------+                 +-------------------------+
#
#   bench-relay-open.sh BUILD_DIR [SECONDS_PER_STEP]
#
# Knobs (environment): N2N_STOCK_DIR (stock n2n's build: its supernode
# row), BENCH_OPEN_BACKENDS (default "reflect xdp-fib xdp-map socket
# stock"), BENCH_OPEN_TRAFFIC (FLOWSxPAYLOAD, default "1x64 1x1400
# 1000x64 1000x1400"), BENCH_OPEN_STEPS (steps per search after the
# probe, default 5), BENCH_OPEN_BURST (frames per paced group, default
# 16), BENCH_OPEN_LOOKUP_PPS (the 10 / 10,000 edges rows' rate, default
# half the xdp-map 1x64 capacity), BENCH_OPEN_RATES (fixed rates instead
# of the search, "R1 R2 ..."), BENCH_OPEN_OUT (a directory that keeps the
# per-step TSV and the JSON summary), BENCH_OPEN_BATCH_XDP (frames per
# flush to the XDP backends, default 64), BENCH_OPEN_NICE (-10),
# BENCH_OPEN_SPIN (1), BENCH_OPEN_RT (0), BENCH_OPEN_DEFER_POLLS (the
# sink's, 1000), BENCH_OPEN_RELAY_DEFER_POLLS (0), BENCH_OPEN_DEFER_NS
# (20000), BENCH_OPEN_LGARGS (more n2n-loadgen options); all in
# docs/benchmarks.md, "Relay, open loop, per core".
set -u
OUT=$(cd "${1:-.output}" && pwd)
SECS=${2:-2}
TOP=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../tests/netns/lab.sh
source "$TOP/tests/netns/lab.sh"
T=$(mktemp -d /tmp/n2nk-bench-open.XXXXXX)
lab_on_cleanup rm -rf "$T"
STOCK=${N2N_STOCK_DIR:-}
BACKENDS=${BENCH_OPEN_BACKENDS:-reflect xdp-fib xdp-map socket stock}
TRAFFIC=${BENCH_OPEN_TRAFFIC:-1x64 1x1400 1000x64 1000x1400}
STEPS=${BENCH_OPEN_STEPS:-5}
BURST=${BENCH_OPEN_BURST:-16}
BATCH_XDP=${BENCH_OPEN_BATCH_XDP:-64}
LOOKUP_PPS=${BENCH_OPEN_LOOKUP_PPS:-}
RATES=${BENCH_OPEN_RATES:-}
KEEP=${BENCH_OPEN_OUT:-}
RELAY_CPU=0
GEN_CPU=1
# The relay side (NAPI thread, daemon) and the generator run at nice -10:
# a stray task on the machine then takes about a tenth of their CPU, not
# half of it. Both relay threads have the same weight, so a daemon and
# the NAPI thread feeding it share the relay CPU as on any host.
NICE=${BENCH_OPEN_NICE:--10}
RT=${BENCH_OPEN_RT:-0}
DEFER_POLLS=${BENCH_OPEN_DEFER_POLLS:-1000}
DEFER_NS=${BENCH_OPEN_DEFER_NS:-20000}
RELAY_DEFER_POLLS=${BENCH_OPEN_RELAY_DEFER_POLLS:-0}
LOSS_MAX=0.1	# percent
N_ADDRS=64	# the generator's source addresses for many flows
LG=$OUT/tools/n2n-loadgen
SN=$OUT/sbin/supernode
CTL=$OUT/tools/n2nctl
SN_ADDR=198.18.41.1
GEN_ADDR=198.18.41.2
GEN_IF=oblg0
SN_IF=obsn0

die() { echo "bench-relay-open: $*" >&2; exit 1; }
if ! [[ $SECS =~ ^[1-9][0-9]*$ ]] || ((SECS > 60)); then
	die "bad SECONDS_PER_STEP '$SECS' (1 to 60)"
fi
[[ $STEPS =~ ^[1-9][0-9]?$ ]] || die "bad BENCH_OPEN_STEPS '$STEPS'"
if ! [[ $BURST =~ ^[1-9][0-9]*$ ]] || ((BURST > 256)); then
	die "bad BENCH_OPEN_BURST '$BURST' (1 to 256)"
fi
if ! [[ $BATCH_XDP =~ ^[1-9][0-9]*$ ]] || ((BATCH_XDP > 256)); then
	die "bad BENCH_OPEN_BATCH_XDP '$BATCH_XDP' (1 to 256)"
fi
for tool in ethtool jq taskset chrt nstat; do
	command -v "$tool" >/dev/null || die "missing tool: $tool"
done
for f in "$LG" "$SN" "$CTL"; do
	[ -x "$f" ] || die "no $f (make all)"
done
(($(nproc) >= 2)) || die "needs two CPUs (the relay's and the generator's)"
awk -F. '{ exit !($1 > 5 || ($1 == 5 && $2 >= 18)) }' <<<"$(uname -r)" ||
	die "kernel $(uname -r) < 5.18: no live frames"
if [[ " $BACKENDS " == *" stock "* ]] && [ -z "$STOCK" ]; then
	BACKENDS=${BACKENDS//stock/}
fi
[ -z "$STOCK" ] || [ -x "$STOCK/supernode" ] ||
	die "no $STOCK/supernode (N2N_STOCK_DIR)"

lab_init "$OUT" >/dev/null || exit 1
GEN_NS=$(lab_ns gen)
SN_NS=$(lab_ns sn)

topo_down() {
	local ns i
	for ns in "$GEN_NS" "$SN_NS"; do
		[ -e "/run/netns/$ns" ] || continue
		for ((i = 0; i < 30; i++)); do
			[ -z "$(ip netns pids "$ns")" ] && break
			ip netns pids "$ns" | xargs -r kill -TERM 2>/dev/null
			sleep 0.1
		done
		ip netns pids "$ns" | xargs -r kill -KILL 2>/dev/null
		ip netns del "$ns"
	done
}

# One queue each way, so one NAPI instance per side. GRO on both sides
# keeps each veth's NAPI (and so its thread) alive while XDP programs
# come and go; lg_sink is on the generator's side whenever frames flow
# (docs/benchmarks.md, caveat 4 of the closed-loop section).
topo_up() {
	local i mac
	lab_on_cleanup topo_down
	ip netns add "$GEN_NS" && ip netns add "$SN_NS" &&
		ip -n "$GEN_NS" link set lo up && ip -n "$SN_NS" link set lo up &&
		ip -n "$GEN_NS" link add "$GEN_IF" numtxqueues 1 \
			numrxqueues 1 type veth peer name "$SN_IF" \
			numtxqueues 1 numrxqueues 1 netns "$SN_NS" &&
		ip -n "$GEN_NS" addr add "$GEN_ADDR/24" dev "$GEN_IF" &&
		ip -n "$SN_NS" addr add "$SN_ADDR/24" dev "$SN_IF" || return 1
	# The supernode side knows every generator address's MAC from the
	# start (as it would after the first exchange), so the first frames
	# of a run do not go to the daemon while neighbours resolve.
	mac=$(ip -n "$GEN_NS" -j link show "$GEN_IF" | jq -r '.[0].address')
	for ((i = 10; i < 10 + N_ADDRS; i++)); do
		ip -n "$GEN_NS" addr add "198.18.41.$i/24" dev "$GEN_IF" &&
			ip -n "$SN_NS" neigh replace "198.18.41.$i" lladdr "$mac" \
				dev "$SN_IF" nud permanent || return 1
	done
	ip -n "$SN_NS" neigh replace "$GEN_ADDR" lladdr "$mac" dev "$SN_IF" \
		nud permanent || return 1
	ip -n "$GEN_NS" link set "$GEN_IF" up &&
		ip -n "$SN_NS" link set "$SN_IF" up &&
		ip netns exec "$SN_NS" ethtool -K "$SN_IF" gro on &&
		ip netns exec "$GEN_NS" ethtool -K "$GEN_IF" gro on &&
		ip netns exec "$SN_NS" sh -c "echo 1 >/sys/class/net/$SN_IF/threaded" &&
		ip netns exec "$GEN_NS" sh -c "echo 1 >/sys/class/net/$GEN_IF/threaded" &&
		napi_defer "$GEN_NS" "$GEN_IF" "$DEFER_POLLS" &&
		napi_defer "$SN_NS" "$SN_IF" "$RELAY_DEFER_POLLS"
}

# napi_defer NS IF POLLS: after a poll, NAPI stays scheduled and polls
# again from a local timer every DEFER_NS for up to POLLS empty polls,
# instead of waiting for the peer to wake it (a cross-CPU wakeup, tens of
# microseconds in this VM: IPIs exit to the host). On the sink's side by
# default, so the relay never spends its CPU waking the sink (a NIC's
# transmit wakes no thread); the relay's side is woken by the generator's
# flush, as a NIC's interrupt would, unless BENCH_OPEN_RELAY_DEFER_POLLS.
napi_defer() {
	local ns=$DEFER_NS
	[ "$3" = 0 ] && ns=0
	ip netns exec "$1" sh -c "echo $3 >/sys/class/net/$2/napi_defer_hard_irqs &&
		echo $ns >/sys/class/net/$2/gro_flush_timeout"
}

napi_pid() {	# napi_pid IF: the NAPI thread of our veth IF
	ps -eo pid=,comm= | awk -v p="napi/$1-" \
		'substr($2, 1, length(p)) == p { print $1; exit }'
}

# The relay's NAPI thread on the relay CPU, an ordinary thread (for the
# socket backends it shares the CPU with the daemon, as on a host); the
# sink's on the generator's CPU, SCHED_FIFO 50, so it runs as soon as the
# relay hands it frames and the generator waits (it is paced anyway).
pin_napi() {
	local sn gen
	sn=$(napi_pid "$SN_IF") gen=$(napi_pid "$GEN_IF")
	if [ -z "$sn" ] || [ -z "$gen" ]; then
		echo "bench-relay-open: no NAPI threads for $SN_IF/$GEN_IF" >&2
		return 1
	fi
	taskset -pc "$RELAY_CPU" "$sn" >/dev/null &&
		taskset -pc "$GEN_CPU" "$gen" >/dev/null &&
		chrt -f -p 50 "$gen" && chrt -o -p 0 "$sn" &&
		renice -n "$NICE" -p "$sn" >/dev/null || return 1
	# BENCH_OPEN_RT=1: an XDP backend's NAPI thread, the only thread
	# relaying, SCHED_FIFO too, out of reach of stray tasks (the daemons
	# need CFS: their NAPI thread would starve them).
	if [ "$RT" = 1 ] && [ "${CUR_BACKEND:-}" != socket ] &&
		[ "${CUR_BACKEND:-}" != stock ]; then
		chrt -f -p 50 "$sn"
	fi
}

cpu_idle_share() {	# whole machine's busy % over a second
	local a b
	read -ra a <<<"$(awk '/^cpu / { b = $2+$3+$4+$7+$8+$9
		print b, b + $5 + $6; exit }' /proc/stat)"
	sleep 1
	read -ra b <<<"$(awk '/^cpu / { b = $2+$3+$4+$7+$8+$9
		print b, b + $5 + $6; exit }' /proc/stat)"
	echo $(((b[0] - a[0]) * 100 / (b[1] - a[1] + 1)))
}

topo_up || die "cannot build the veth pair"
pin_napi || exit 1
BUSY=$(cpu_idle_share)

# BENCH_OPEN_RMEM=BYTES: the daemons' default socket receive buffer, set
# host-wide (net.core.rmem_default cannot be set inside a namespace here)
# and restored at exit: only on a machine nothing else uses meanwhile.
RMEM=${BENCH_OPEN_RMEM:-}
if [ -n "$RMEM" ]; then
	[[ $RMEM =~ ^[1-9][0-9]*$ ]] || die "bad BENCH_OPEN_RMEM '$RMEM'"
	lab_on_cleanup sysctl -qw \
		"net.core.rmem_default=$(sysctl -n net.core.rmem_default)" \
		"net.core.rmem_max=$(sysctl -n net.core.rmem_max)"
	sysctl -qw "net.core.rmem_max=$((RMEM > $(sysctl -n net.core.rmem_max) ?
		RMEM : $(sysctl -n net.core.rmem_max)))" \
		"net.core.rmem_default=$RMEM" || die "cannot set rmem_default"
fi

# The relay CPU must not halt: this VM has no cpuidle driver, so an idle
# vCPU executes HLT and takes hundreds of microseconds to run the NAPI
# thread again, longer than the 256-slot veth ring lasts at 1 Mpps (the
# 2026-12-03 trial lost frames there with the CPU half idle). A
# SCHED_IDLE spinner keeps it running, as idle=poll would; any other
# thread preempts it at once. Its run time (schedstat, ns) is the relay
# CPU's idle time, so busy = wall time - spinner time.
SPIN=${BENCH_OPEN_SPIN:-1}
SPIN_PID=
if [ "$SPIN" = 1 ]; then
	taskset -c "$RELAY_CPU" chrt -i 0 sh -c 'while :; do :; done' &
	SPIN_PID=$!
	lab_on_cleanup kill "$SPIN_PID"
fi


# Counters on the way, as "name value" lines: both veths' ethtool -S, the
# supernode side's UDP and its interface drops, the relay's verdicts.
counters() {
	ip netns exec "$GEN_NS" ethtool -S "$GEN_IF" |
		awk -v p=gen. 'NF == 2 { sub(":", "", $1); print p $1, $2 }'
	ip netns exec "$SN_NS" ethtool -S "$SN_IF" |
		awk -v p=sn. 'NF == 2 { sub(":", "", $1); print p $1, $2 }'
	ip netns exec "$SN_NS" nstat -az UdpRcvbufErrors UdpInErrors \
		UdpInDatagrams 2>/dev/null | awk 'NF >= 2 && $1 ~ /^Udp/ {
		print "sn." $1, $2 }'
	ip -n "$SN_NS" -s -j link show "$SN_IF" | jq -r '.[0].stats64 |
		"sn.link_rx_dropped \(.rx.dropped)",
		"sn.link_tx_dropped \(.tx.dropped)"'
	if [ -S "$T/sn.sock" ] && [ "$CUR_KIND" = xdp ]; then
		"$CTL" -s "$T/sn.sock" -j stats 2>/dev/null | jq -r '.rows[] |
			select(.counter | startswith("xdp_")) |
			"relay.\(.counter) \(.value)"'
	fi
}

# counter_delta BEFORE AFTER: the counters that moved, "name=+n" joined.
counter_delta() {
	awk 'NR == FNR { a[$1] = $2; next }
		$2 != a[$1] && $2 ~ /^[0-9]+$/ {
			d = $2 - a[$1]
			if (d != 0) printf "%s%s=%+.0f", sep, $1, d; sep = " " }
		END { print "" }' "$1" "$2"
}

CUR_KIND=
SN_PID=
# start_backend NAME: the supernode (or the reflector) on the relay CPU.
start_backend() {
	local name=$1 args=(-p 7654 -f -c "$T/comm" --ctl-socket="$T/sn.sock")
	CUR_KIND=daemon
	rm -f "$T/sn.sock"
	case $name in
	xdp-fib | xdp-map)
		CUR_KIND=xdp
		local fwd=0
		[ "$name" = xdp-fib ] && fwd=1
		ip netns exec "$SN_NS" sysctl -qw net.ipv4.ip_forward=$fwd \
			"net.ipv4.conf.all.forwarding=$fwd" \
			"net.ipv4.conf.$SN_IF.forwarding=$fwd" || return 1
		SN_PID=$(lab_bg sn "$T/sn-$name.log" taskset -c "$RELAY_CPU" \
			nice -n "$NICE" "$SN" "${args[@]}" --datapath=kernel \
			--xdp-mode=native) ;;
	socket | reflect)
		ip netns exec "$SN_NS" sysctl -qw net.ipv4.ip_forward=0
		SN_PID=$(lab_bg sn "$T/sn-$name.log" taskset -c "$RELAY_CPU" \
			nice -n "$NICE" "$SN" "${args[@]}" --datapath=socket) ;;
	stock)
		SN_PID=$(lab_bg sn "$T/sn-$name.log" taskset -c "$RELAY_CPU" \
			nice -n "$NICE" "$STOCK/supernode" -p 7654 -f -c "$T/comm") ;;
	esac
	lab_wait_port sn udp 7654 5 >/dev/null 2>&1 || return 1
	if [ "$CUR_KIND" = xdp ]; then
		lab_wait_for "XDP relay on $SN_IF" 5 sh -c \
			"ip -n $SN_NS link show $SN_IF | grep -q xdp" || return 1
		grep -q "next hop from the $([ "$name" = xdp-fib ] && echo FIB ||
			echo route)" "$T/sn-$name.log" || {
			echo "bench-relay-open: $name: not the expected next-hop" \
				"mode:" >&2
			grep -i "next hop" "$T/sn-$name.log" >&2
		}
	fi
	if [ "$name" = reflect ]; then
		REFLECT_PID=$(lab_bg sn "$T/reflect.log" taskset -c \
			"$RELAY_CPU" "$LG" -m reflect -i "$SN_IF" \
			-l "$SN_ADDR:7654" -t 3600)
		lab_wait_for "reflector on $SN_IF" 5 sh -c \
			"ip -n $SN_NS link show $SN_IF | grep -q xdp" || return 1
	fi
	pin_napi
}

REFLECT_PID=
stop_backend() {
	[ -z "$REFLECT_PID" ] || lab_kill "$REFLECT_PID"
	REFLECT_PID=
	[ -z "$SN_PID" ] || lab_kill "$SN_PID"
	SN_PID=
}

# step FLOWS PAYLOAD EDGES RATE: one paced run; sets STEP to
# "offered fwd loss% busy% softirq% ns/pkt resets" and DROPS to the
# counters that moved. Appends a TSV line.
step() {
	local flows=$1 size=$2 edges=$3 rate=$4 json load pids batch=$BURST
	local extra=()
	# The XDP backends get the generator's frames flushed 64 at a time
	# (paced 16 at a time all the same): the test run's page pool then
	# recycles 64 pages, which about doubles what the generator can send.
	# The daemons get a flush per group: a datagram from an XDP frame is
	# charged a page, so their socket holds only ~50 (cause 4 in the docs).
	case $CUR_BACKEND in
	reflect | xdp-*) batch=$BATCH_XDP ;;
	esac
	((flows > 1)) && extra=(--flows "$flows" -b 198.18.41.10 \
		--addrs "$N_ADDRS")
	counters >"$T/c0"
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	# Run times over the sending time, ns: the relay's NAPI thread, the
	# daemon (every thread), the spinner.
	pids=$(napi_pid "$SN_IF"),$SN_PID${SPIN_PID:+,$SPIN_PID}
	# shellcheck disable=SC2086 # BENCH_OPEN_LGARGS: words
	if ! json=$(lab_exec gen taskset -c "$GEN_CPU" nice -n "$NICE" "$LG" \
		-l "$SN_ADDR:7654" -i "$GEN_IF" -m kernel -n "$edges" \
		-s "$size" -r "$rate" --burst "$BURST" --batch "$batch" \
		-t "$SECS" --json \
		--pids "$pids" "${extra[@]}" ${BENCH_OPEN_LGARGS:-} \
		2>"$T/lg.err"); then
		echo "bench-relay-open: n2n-loadgen: $(tail -n 1 "$T/lg.err")" >&2
		STEP="failed"
		DROPS=
		return 1
	fi
	counters >"$T/c1"
	DROPS=$(counter_delta "$T/c0" "$T/c1")
	# busy: the relay's threads; cpu0: all of the relay CPU (sending
	# time - the spinner's; without it /proc/stat's ticks).
	STEP=$(jq -r --argjson c "$RELAY_CPU" --argjson spin "$SPIN" '
		(.seconds * 1e9) as $send |
		(.pids_ns[0] + .pids_ns[1]) as $own |
		(if $spin == 1 then [$send - .pids_ns[2], 0] | max
		 else .cpus[$c].busy * .tick_ns end) as $busy |
		[ (.sent_pps | round), (.received_pps | round), .loss_pct,
		  ([$own / $send * 1000 | round / 10, 100] | min),
		  (if .received > 0 then $own / .received | round
		   else "-" end),
		  .pace_resets,
		  ([$busy / $send * 1000 | round / 10, 100] | min) ]
		| map(tostring) | join(" ")' <<<"$json")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$CUR_BACKEND" \
		"${flows}x$size" "$edges" "$rate" "${STEP// /	}" "$load" \
		"$DROPS" "$json" >>"$T/steps.tsv"
	echo "  $CUR_BACKEND ${flows}x$size edges $edges rate $rate:" \
		"$STEP (load $load)" >&2
	[ -z "$DROPS" ] || echo "    moved: $DROPS" >&2
}

passes() {	# passes: the last step lost < LOSS_MAX %
	[ "$STEP" != failed ] &&
		awk -v l="$(cut -d' ' -f3 <<<"$STEP")" -v m="$LOSS_MAX" \
			'BEGIN { exit !(l < m) }'
}

declare -A BEST FAIL PROBE

# search FLOWS PAYLOAD: a probe at a rate no backend here reaches (the
# generator's own ceiling), then from 90 % of what came back through,
# up by 10 % while it passes, down by 20 % while it fails, then halving
# the gap, BENCH_OPEN_STEPS steps in all. BEST keeps the highest passing
# step, FAIL the lowest failing one (its DROPS say where the loss is).
search() {
	local flows=$1 size=$2 key="$CUR_BACKEND ${1}x$2" edges lo=0 hi=0 r i
	edges=$((flows * 2))
	((edges < 2)) && edges=2
	if [ -n "$RATES" ]; then
		for r in $RATES; do
			step "$flows" "$size" "$edges" "$r" || continue
			if passes; then
				BEST[$key]="$r $STEP|$DROPS"
			elif [ -z "${FAIL[$key]:-}" ]; then
				FAIL[$key]="$r $STEP|$DROPS"
			fi
		done
		return
	fi
	step "$flows" "$size" "$edges" 20000000 || return
	PROBE[$key]="20000000 $STEP"
	passes && BEST[$key]="20000000 $STEP|$DROPS"
	passes || FAIL[$key]="20000000 $STEP|$DROPS"
	r=$(($(cut -d' ' -f2 <<<"$STEP") * 9 / 10))
	((r < 1000)) && r=1000
	for ((i = 0; i < STEPS; i++)); do
		step "$flows" "$size" "$edges" "$r" || return
		if passes; then
			lo=$r
			BEST[$key]="$r $STEP|$DROPS"
		else
			hi=$r
			FAIL[$key]="$r $STEP|$DROPS"
		fi
		if ((hi == 0)); then
			r=$((lo * 11 / 10))
		elif ((lo == 0)); then
			r=$((hi * 8 / 10))
		else
			((hi * 100 <= lo * 104)) && break
			r=$(((lo + hi) / 2))
		fi
	done
}

printf 'loadgen\n' >"$T/comm"
: >"$T/steps.tsv"
declare -A LABEL=([reflect]="XDP_TX reflector" [xdp-fib]="n2nk XDP, FIB"
	[xdp-map]="n2nk XDP, hop map" [socket]="n2nk socket"
	[stock]="stock n2n")

cat <<EOF
Supernode relay, open loop, per relay core ($(date -u +%F), kernel $(uname -r), $(nproc) CPUs)
Method (docs/benchmarks.md, "Relay, open loop, per core"):
- one veth pair ($GEN_IF | $SN_IF), one queue, threaded NAPI and GRO on both ends;
  the sink's NAPI polls on a local timer (napi_defer_hard_irqs $DEFER_POLLS, gro_flush_timeout
  $DEFER_NS ns), the relay's is woken by the generator's flush (defer: $RELAY_DEFER_POLLS).
- relay CPU $RELAY_CPU: $SN_IF's NAPI thread and the daemon, taskset, nice $NICE, SCHED_OTHER
  (BENCH_OPEN_RT=$RT: 1 = the XDP backends' NAPI thread SCHED_FIFO); spinner: $SPIN
  (1 = a SCHED_IDLE busy loop keeps the vCPU from halting; its time is idle).
- generator CPU $GEN_CPU: n2n-loadgen -m kernel (BPF_PROG_TEST_RUN live frames, nice $NICE), open
  loop: paced in its XDP program, groups of $BURST frames, flushed every $BURST frames to the
  daemons, every $BATCH_XDP to the XDP backends; the sink ($GEN_IF's NAPI thread, lg_sink)
  SCHED_FIFO 50.
- per step $SECS s; loss = sent - counted at the sink; pass: loss < $LOSS_MAX %; search: a
  probe at 20 Mpps (the generator's ceiling), then from 90 % of what it forwarded,
  +10 % while passing, -20 % while failing, then halving the gap: $STEPS steps.
- busy = the relay's threads' run time over the sending time (schedstat: NAPI
  thread + daemon); cpu0 = sending time - spinner time (all of CPU $RELAY_CPU);
  ns/pkt = the relay's threads' time / forwarded packets.
- flows: 1 = edge 0 to 1; N = 2N edges, N pairs in turn, on $N_ADDRS source addresses.
- backends: reflect = lg_reflect, a bare XDP_TX reflector (the lab's ceiling);
  xdp-fib = XDP relay, forwarding on (bpf_fib_lookup); xdp-map = forwarding off
  (relay_hops); socket = --datapath=socket; stock = stock n2n's supernode.
- daemons' socket receive buffer: net.core.rmem_default $(sysctl -n net.core.rmem_default) bytes${RMEM:+ (BENCH_OPEN_RMEM)}.
Machine busy before the run: $BUSY % (load $(cut -d' ' -f1-3 /proc/loadavg)); each step logs its load.
EOF

for b in $BACKENDS; do
	CUR_BACKEND=$b
	echo "bench-relay-open: $b" >&2
	if ! start_backend "$b"; then
		echo "bench-relay-open: $b did not start:" >&2
		tail -n 5 "$T/sn-$b.log" >&2
		stop_backend
		continue
	fi
	for t in $TRAFFIC; do
		search "${t%x*}" "${t#*x}"
	done
	if [ "$b" = xdp-map ] || { [ "$b" = xdp-fib ] &&
		[[ " $BACKENDS " != *" xdp-map "* ]]; }; then
		# Lookup cost: 10 and 10,000 registered edges, all pairs
		# sending, one rate.
		r=$LOOKUP_PPS
		if [ -z "$r" ]; then
			read -r r _ <<<"${BEST[$b 1x64]:-200000 x}"
			r=$((r / 2))
		fi
		for e in 10 10000; do
			step $((e / 2)) 64 "$e" "$r" &&
				BEST[$b lookup$e]="$r $STEP|$DROPS"
		done
	fi
	stop_backend
done

ratio() {	# ratio A B: A/B as a percentage or a factor
	awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN {
		if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b <= 0) { print "-"; exit }
		if (f == "%") printf "%.0f%%", a * 100 / b
		else printf "%.1fx", a / b }'
}

# Only the counters that say where frames were lost.
losses() {
	tr ' ' '\n' <<<"$1" | grep -E 'err|drop|Errors|relay\.xdp_(drop|[a-z_]*)' |
		grep -v -E '^relay\.xdp_relayed|xdp_drops=|xdp_packets|xdp_bytes' |
		tr '\n' ' '
}

# A BEST or FAIL entry: "rate offered fwd loss busy ns resets cpu0|moved".
FMT='%-18s %-9s %9s %9s %5s %5s %6s %7s %8s %6s %6s %s\n'
echo
echo "Highest rate forwarded with < $LOSS_MAX % loss, per relay core ($SECS s steps)"
echo "busy = the relay's threads (its NAPI thread, the daemon) over the sending"
echo "time; cpu0 = the relay CPU's busy share, anything that ran there (a"
echo "check: on a quiet machine the two agree); ns/pkt = the relay's threads'"
echo "time / forwarded packets; cap = 1e9 / ns/pkt, its rate at 100 % if that"
echo "cost held. gen max = what the generator offered in the probe (its own"
echo "ceiling with this backend); at-gen-max: the relay was not the limit."
# shellcheck disable=SC2059
printf "$FMT" backend traffic "fwd pps" "gen max" busy cpu0 "ns/pkt" cap \
	"fwd/refl" "ns x" "x stk" limit
for t in $TRAFFIC; do
	for b in $BACKENDS; do
		key="$b $t"
		read -ra g <<<"${PROBE[$key]:-- - - - - - - -}"
		if [ -z "${BEST[$key]:-}" ]; then
			# shellcheck disable=SC2059
			printf "$FMT" "${LABEL[$b]}" "$t" none "${g[1]}" - - - - \
				- - - -
			continue
		fi
		read -ra s <<<"${BEST[$key]%%|*}"
		read -ra rf <<<"${BEST[reflect $t]:-x - - - - -}"
		read -ra st <<<"${BEST[stock $t]:-x - - - - -}"
		lim=relay
		awk -v f="${s[1]}" -v g="${g[1]}" \
			'BEGIN { exit !(g ~ /^[0-9]+$/ && f >= 0.9 * g) }' &&
			lim=at-gen-max
		# shellcheck disable=SC2059
		printf "$FMT" "${LABEL[$b]}" "$t" "${s[2]}" "${g[1]}" \
			"${s[4]}%" "${s[7]}%" "${s[5]}" \
			"$(awk -v n="${s[5]}" 'BEGIN { if (n > 0) printf "%.2fM", 1e3 / n; else print "-" }')" \
			"$(ratio "${s[2]}" "${rf[2]}" %)" \
			"$(ratio "${rf[5]}" "${s[5]}" %)" \
			"$(ratio "${s[2]}" "${st[2]}" x)" "$lim"
	done
done
echo
echo "fwd/refl = fwd pps / the reflector's; ns x = the reflector's ns/pkt /"
echo "this one's (its share of the reflector's per-packet efficiency); x stk ="
echo "fwd pps / stock n2n's. Where the loss was, at the first failing step:"
for t in $TRAFFIC; do
	for b in $BACKENDS; do
		f=${FAIL[$b $t]:-}
		[ -n "$f" ] || continue
		read -ra fa <<<"${f%%|*}"
		printf '  %-18s %-9s at %s pps offered: loss %s %%, busy %s %% (cpu0 %s %%): %s\n' \
			"${LABEL[$b]}" "$t" "${fa[1]}" "${fa[3]}" "${fa[4]}" \
			"${fa[7]}" \
			"$(losses "${f#*|}")"
	done
done
for b in xdp-map xdp-fib; do
	[ -n "${BEST[$b lookup10]:-}${BEST[$b lookup10000]:-}" ] || continue
	echo
	echo "Lookup cost, ${LABEL[$b]}, 64 B, every pair sending, one rate"
	for e in 10 10000; do
		read -ra s <<<"${BEST[$b lookup$e]:-- - - - - - - -}"
		read -ra s <<<"${s[*]%%|*}"
		printf '  %5s edges: offered %s pps, fwd %s, loss %s %%, busy %s %% (cpu0 %s %%), %s ns/pkt\n' \
			"$e" "${s[1]}" "${s[2]}" "${s[3]}" "${s[4]}" "${s[7]}" \
			"${s[5]}"
	done
done

# The summary for scripts: one object per result.
for key in "${!BEST[@]}"; do
	read -ra s <<<"${BEST[$key]%%|*}"
	read -ra g <<<"${PROBE[$key]:-0 0}"
	jq -cn --arg backend "${key% *}" --arg traffic "${key#* }" \
		--argjson rate "${s[0]}" --argjson offered "${s[1]}" \
		--argjson fwd "${s[2]}" --argjson loss "${s[3]}" \
		--argjson busy "${s[4]}" --arg ns "${s[5]}" \
		--argjson cpu0 "${s[7]}" \
		--argjson resets "${s[6]}" --arg gen "${g[1]}" \
		--arg moved "${BEST[$key]#*|}" --arg fail "${FAIL[$key]:-}" \
		'{backend: $backend, traffic: $traffic, target_pps: $rate,
		offered_pps: $offered, fwd_pps: $fwd, loss_pct: $loss,
		relay_threads_busy_pct: $busy, relay_cpu_busy_pct: $cpu0,
		relay_ns_per_pkt: ($ns | tonumber? // null),
		pace_resets: $resets, gen_max_pps: ($gen | tonumber? // null),
		counters_moved: $moved, first_fail: $fail}'
done | jq -s 'sort_by(.backend, .traffic)' >"$T/summary.json"
echo
echo "JSON summary (per step: TSV, kept with BENCH_OPEN_OUT):"
jq -c '.[]' "$T/summary.json"
if [ -n "$KEEP" ]; then
	mkdir -p "$KEEP" && cp "$T/steps.tsv" "$T/summary.json" "$KEEP/" &&
		echo "steps and summary kept in $KEEP"
fi
