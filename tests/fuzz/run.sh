#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs each fuzz target on its corpus, for a number of runs or seconds, and
# reports executions per target; a crash or leak fails that target.
#   run.sh BUILD_DIR runs|seconds N TARGET...
set -u
out=$1 mode=$2 amount=$3
shift 3
passed=0 failed=0
for t in "$@"; do
	corpus=$out/corpus/$t
	mkdir -p "$corpus" "$out/artifacts"
	if [ "$mode" = runs ]; then limit=-runs=$amount; else limit=-max_total_time=$amount; fi
	log=$out/fuzz_$t.log
	"$out/fuzz_$t" "$limit" -max_len=2100 -rss_limit_mb=2048 -timeout=10 \
		-artifact_prefix="$out/artifacts/$t-" "$corpus" >"$log" 2>&1
	rc=$?
	execs=$(grep -oE 'Done [0-9]+ runs' "$log" | awk '{print $2}' | tail -n 1)
	if [ $rc -eq 0 ] && [ -n "$execs" ]; then
		printf 'fuzz_%-24s %10s runs  ok\n' "$t" "$execs"
		passed=$((passed + 1))
	else
		printf 'fuzz_%-24s FAILED (exit %d), log: %s\n' "$t" $rc "$log"
		tail -n 30 "$log"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed, 0 skipped"
[ $failed -eq 0 ]
