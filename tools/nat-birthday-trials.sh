#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Repeated fresh-namespace trials of birthday probing (docs/nat-birthday.md):
# an edge behind a symmetric NAT (random-fully) and one behind a port-
# restricted cone, both home routers (WAN input dropped), one attempt each
# at the defaults (n = 256, k <= 1024, 100 probes/s). Prints one line per
# trial, then k/n with a Wilson 95% interval, the model 1 - e^(-nk/N) and
# the median/p95 of E's probes and the attempt's seconds over the hits.
# Not in make check.
#   tools/nat-birthday-trials.sh BUILD_DIR TRIALS
set -u
OUT=$(cd "${1:-.output}" && pwd)
TRIALS=${2:-20}
HERE=$(cd "$(dirname "$0")/../tests/netns" && pwd)
R=$(mktemp /tmp/n2nk-bday-trials.XXXXXX)

trial() {	# in a subshell: its own lab, torn down at its exit
	# shellcheck source=../tests/netns/lab.sh
	source "$HERE/lab.sh"
	# shellcheck source=../tests/netns/n2nk.sh
	source "$HERE/n2nk.sh"
	T=$(mktemp -d /tmp/n2nk-bdt.XXXXXX)
	lab_on_cleanup rm -rf "$T"
	lab_init "$OUT" >/dev/null || return 1
	lab_add_public_host sn1 198.18.0.1 &&
		lab_add_nat_host hs 1 symmetric && lab_add_nat_host ec 2 cone ||
		return 1
	for n in 1 2; do
		lab_exec "nat$n" nft list chain ip lab input >/dev/null 2>&1 &&
			continue
		lab_exec "nat$n" nft add chain ip lab input \
			'{ type filter hook input priority filter; policy accept; }'
		lab_exec "nat$n" nft add rule ip lab input iifname wan0 \
			ct state established,related accept
		lab_exec "nat$n" nft add rule ip lab input iifname wan0 drop
	done
	lab_bg sn1 "$T/sn1.log" "$SN" -p 7654 -f >/dev/null
	lab_wait_port sn1 udp 7654 5 || return 1
	for h in hs ec; do
		local ip=1 mac=01
		[ $h = ec ] && ip=2 mac=02
		lab_bg $h "$T/$h.log" "$EDGE" -f -i 4 -l 198.18.0.1:7654 \
			-c bt -k s3cret -a 198.19.1.$ip/24 -d n2b \
			-m 02:00:00:00:0b:$mac -p 5000$ip \
			--ctl-socket="$T/$h.sock" >/dev/null
	done
	local i
	for i in $(seq 300); do	# 30 s at most: one attempt (backoff 300 s)
		lab_exec hs ping -q -c 1 -W 0.1 198.19.1.2 >/dev/null 2>&1
		grep -q "birthday .*: \(hit\|missed\|refused\|no answer\)," \
			"$T/ec.log" "$T/hs.log" 2>/dev/null && break
		sleep 0.1
	done
	# E's line: "... hit, N probes sent, M received, MS ms"
	local line
	line=$(grep -h "birthday .* with .*: \(hit\|missed\|refused\)" \
		"$T/ec.log" | head -n 1)
	if [[ $line =~ :\ hit,\ ([0-9]+)\ probes\ sent,.*\ ([0-9]+)\ ms ]]; then
		echo "hit ${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
	else
		echo "miss ${line:-no attempt: $(tail -n 3 "$T/hs.log" | tr '\n' ' ')}"
	fi
}

for t in $(seq "$TRIALS"); do
	r=$( (trial) 2>/dev/null | tail -n 1)
	echo "trial $t: $r"
	echo "$r" >>"$R"
done
python3 - "$R" <<'PY'
import math, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
n = len(rows); hits = [r for r in rows if r[0] == "hit"]; k = len(hits)
z = 1.96
if n:
    p = k / n; d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    print(f"success {k}/{n} = {100*p:.1f}% (95% CI {100*(c-h):.1f}-{100*(c+h):.1f}%),"
          f" model 1-e^(-256*1024/64512) = {100*(1-math.exp(-256*1024/64512)):.1f}%")
def q(v, f):
    v = sorted(v); return v[min(len(v) - 1, int(f * len(v)))] if v else 0
pr = [int(r[1]) for r in hits]; ms = [int(r[2]) for r in hits]
print(f"E probes over hits: median {q(pr,.5)}, p95 {q(pr,.95)} (model mean N/n = 252);"
      f" H sockets 256 per attempt")
print(f"attempt time over hits: median {q(ms,.5)/1000:.1f} s, p95 {q(ms,.95)/1000:.1f} s")
PY
rm -f "$R"
