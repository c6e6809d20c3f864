#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs named test steps ("name command" pairs), keeps each step's output,
# reads its "N passed, N failed, N skipped" line (a runner that prints no
# skip count skipped nothing) and prints the sums as the last line,
# "total: N passed, N failed, N skipped". A step without a result line, or
# one that exits non-zero with no failed test, counts as one failure; so
# does one still running after STEP_TIMEOUT seconds (default 1800: a hang
# guard, far beyond any step's time), which is stopped.
set -u
STEP_TIMEOUT=${STEP_TIMEOUT:-1800}
total_pass=0
total_fail=0
total_skip=0
while [ $# -ge 2 ]; do
	name=$1 cmd=$2
	shift 2
	echo "== $name: $cmd"
	out=$(mktemp)
	timeout -k 30 "$STEP_TIMEOUT" bash -c "$cmd" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' \
		"$out" | tail -n 1)
	rm -f "$out"
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "$name: still running after $STEP_TIMEOUT s: stopped," \
			"counted as 1 failure"
		total_fail=$((total_fail + 1))
		continue
	fi
	if [ -z "$line" ]; then
		echo "$name: no result line (exit $rc), counted as 1 failure"
		total_fail=$((total_fail + 1))
		continue
	fi
	p=$(sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed.*/\2/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	s=0
	[[ $line =~ ,\ ([0-9]+)\ skipped$ ]] && s=${BASH_REMATCH[1]}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$name: exit $rc with no failed test, counted as 1 failure"
		f=1
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + s))
done
echo "total: $total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
