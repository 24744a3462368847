#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run the cmocka programs given as arguments, then quote-swtpm.sh, the
# golden rig lists (rig-golden.sh), then a short libFuzzer run of
# $FUZZ_BIN (if set), and print the total as
#	verifier: N passed, N failed, N skipped
# counting test cases.  Exit non-zero if anything failed.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
PASS=0
FAIL=0
SKIP=0
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT

count() {	# pattern file -> number or empty
	sed -n "s/$1/\\1/p" "$2" | head -1
}

for t in "$@"; do
	echo "=== $(basename "$t")"
	IV_DATA=$HERE/data "$t" >"$OUT" 2>&1
	rc=$?
	cat "$OUT"
	total=$(count '^\[==========\] Running \([0-9]*\) test(s)\.$' "$OUT")
	passed=$(count '^\[  PASSED  \] \([0-9]*\) test(s)\.$' "$OUT")
	skipped=$(count '^\[  SKIPPED \] \([0-9]*\) test(s)' "$OUT")
	total=${total:-1}
	passed=${passed:-0}
	skipped=${skipped:-0}
	failed=$((total - passed - skipped))
	# A crash or a leak report after the summary still fails the program.
	if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
		echo "$(basename "$t"): exit status $rc after its tests"
		failed=1
		passed=$((passed - 1))
	fi
	PASS=$((PASS + passed))
	FAIL=$((FAIL + failed))
	SKIP=$((SKIP + skipped))
done

echo "=== quote-swtpm.sh"
"$HERE/quote-swtpm.sh"
case $? in
0) PASS=$((PASS + 1)) ;;
77) SKIP=$((SKIP + 1)) ;;
*) FAIL=$((FAIL + 1)) ;;
esac

# Golden rig lists count case by case, from the script's own summary.
echo "=== rig-golden.sh"
IV_DATA=$HERE/data "$HERE/rig-golden.sh" | tee "$OUT"
rc=${PIPESTATUS[0]}
line=$(grep '^rig-golden: [0-9]* passed, [0-9]* failed, [0-9]* skipped$' "$OUT")
if [ -n "$line" ]; then
	read -r _ p _ f _ s _ <<<"$line"
	PASS=$((PASS + p))
	FAIL=$((FAIL + f))
	SKIP=$((SKIP + s))
	# A non-zero exit with nothing failed is still a failure.
	[ "$rc" = 0 ] || [ "$f" != 0 ] || FAIL=$((FAIL + 1))
else
	echo "rig-golden.sh: no summary (exit $rc)"
	FAIL=$((FAIL + 1))
fi

echo "=== fuzz_list (${FUZZ_SECONDS:-30} s)"
if [ -n "${FUZZ_BIN:-}" ] && [ -x "$FUZZ_BIN" ]; then
	work=$(dirname "$FUZZ_BIN")/corpus
	mkdir -p "$work"
	if "$FUZZ_BIN" -max_total_time="${FUZZ_SECONDS:-30}" -max_len=65536 \
		-print_final_stats=1 "$work" "$HERE/../fuzz/corpus" >"$OUT" 2>&1; then
		grep -E '^(Done|stat::number_of_executed_units)' "$OUT"
		echo "PASS: fuzz_list"
		PASS=$((PASS + 1))
	else
		tail -40 "$OUT"
		echo "FAIL: fuzz_list"
		FAIL=$((FAIL + 1))
	fi
else
	echo "SKIP: clang with libFuzzer not found"
	SKIP=$((SKIP + 1))
fi

echo "verifier: $PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" = 0 ]
