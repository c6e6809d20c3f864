#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs each fuzz target on its corpus, for a number of runs or seconds, and
# reports executions, time, rate and coverage per target; a crash or leak
# fails that target.
#   run.sh BUILD_DIR runs|seconds N TARGET...
# Corpus: BUILD_DIR/corpus/TARGET (the seeds made from the vectors, and
# every new find) first, then the committed tests/fuzz/corpus/TARGET, read
# only: libFuzzer writes its finds to the first directory only.
set -u
out=$1 mode=$2 amount=$3
shift 3
committed=$(cd "$(dirname "$0")" && pwd)/corpus
passed=0 failed=0
for t in "$@"; do
	corpus=$out/corpus/$t
	mkdir -p "$corpus" "$out/artifacts"
	dirs=("$corpus")
	[ -d "$committed/$t" ] && dirs+=("$committed/$t")
	if [ "$mode" = runs ]; then limit=-runs=$amount; else limit=-max_total_time=$amount; fi
	log=$out/fuzz_$t.log
	start=$(date +%s%N)
	"$out/fuzz_$t" "$limit" -max_len=2100 -rss_limit_mb=2048 -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$out/artifacts/$t-" \
		"${dirs[@]}" >"$log" 2>&1
	rc=$?
	ns=$(($(date +%s%N) - start))
	execs=$(grep -oE 'Done [0-9]+ runs' "$log" | awk '{print $2}' | tail -n 1)
	cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
	if [ $rc -eq 0 ] && [ -n "$execs" ]; then
		printf 'fuzz_%-26s %10s runs %8s s %8s/s  %-20s ok\n' "$t" \
			"$execs" "$(awk "BEGIN{printf \"%.1f\", $ns/1e9}")" \
			"$(awk "BEGIN{printf \"%d\", $execs*1e9/$ns}")" "$cov"
		passed=$((passed + 1))
	else
		printf 'fuzz_%-26s FAILED (exit %d), log: %s\n' "$t" $rc "$log"
		tail -n 30 "$log"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed, 0 skipped"
[ $failed -eq 0 ]
