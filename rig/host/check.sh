#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: the whole suite. Every item prints one line; the last line
# is "N passed, N failed, N skipped". Items that cannot run because what
# they need failed to build count as failed, never as skipped.

set -u
. "$(dirname "$0")/lib.sh"

passed=0
failed=0
skipped=0
failures=()
log_dir=$BUILD_DIR/check
mkdir -p "$log_dir"
t_start=$(date +%s)

# item NAME CMD...: run one item, its output kept in $log_dir/NAME.log.
item() {
	local name=$1 rc t0
	shift
	t0=$(date +%s)
	"$@" >"$log_dir/$name.log" 2>&1
	rc=$?
	case $rc in
	0) passed=$((passed + 1)); printf 'PASS  %s (%ss)\n' "$name" "$(( $(date +%s) - t0 ))" ;;
	77) skipped=$((skipped + 1)); printf 'SKIP  %s: %s\n' "$name" "$(tail -n 1 "$log_dir/$name.log")" ;;
	*)
		failed=$((failed + 1)); failures+=("$name")
		printf 'FAIL  %s (exit %s), log: %s\n' "$name" "$rc" "$log_dir/$name.log"
		tail -n 15 "$log_dir/$name.log" | sed 's/^/      /'
		;;
	esac
	return "$rc"
}

# count NAME LOG PASSED FAILED: add a sub-suite's own counts.
count() {
	local name=$1 p=$2 f=$3
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" = 0 ] || failures+=("$name")
	printf '%-5s %s: %s passed, %s failed\n' "$([ "$f" = 0 ] && echo PASS || echo FAIL)" "$name" "$p" "$f"
}

# count_summary NAME LINE: add the counts of a sub-suite's summary line,
# "N passed, N failed" or "pass:N fail:N"; no line at all is one failure.
count_summary() {
	local name=$1 line=$2
	if [ -z "$line" ]; then
		count "$name" 0 1
		return
	fi
	count "$name" "$(echo "$line" | sed -E 's/.*(pass:|^[^0-9]*)([0-9]+).*/\2/')" \
		"$(echo "$line" | sed -E 's/.*fail:([0-9]+).*/\1/; s/.* ([0-9]+) failed.*/\1/')"
}

finish() {
	echo "check took $(( $(date +%s) - t_start ))s; logs in $log_dir"
	[ "${#failures[@]}" = 0 ] || echo "failed: ${failures[*]}"
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" = 0 ]
	exit
}

item tree "$RIG_ROOT/rig/host/prepare-tree.sh" || finish
item patches-match-export "$RIG_ROOT/rig/host/check-export.sh"

"$RIG_ROOT/rig/host/checkpatch.sh" >"$log_dir/checkpatch.log" 2>&1
count checkpatch "$(grep -c '^ok ' "$log_dir/checkpatch.log")" \
	"$(grep -c '^not ok ' "$log_dir/checkpatch.log")"

have_patched=0
have_base=0
item build-patched "$RIG_ROOT/rig/host/build-kernel.sh" patched && have_patched=1
item build-base "$RIG_ROOT/rig/host/build-kernel.sh" base && have_base=1
have_debug=0
item build-debug "$RIG_ROOT/rig/host/build-kernel.sh" debug && have_debug=1
have_signed=0
item build-signed "$RIG_ROOT/rig/host/build-kernel.sh" signed && have_signed=1
[ "$have_patched" = 0 ] || item sparse-w1 "$RIG_ROOT/rig/host/sparse.sh"
item initramfs "$RIG_ROOT/rig/host/mkinitramfs.sh" "$INITRAMFS" || finish
item cross-arm64 "$RIG_ROOT/rig/host/cross-build.sh" arm64
item cross-ppc64le "$RIG_ROOT/rig/host/cross-build.sh" ppc64le

# The verifier's own unit tests and fuzz smoke, counted case by case.
if make -C "$RIG_ROOT/verifier" check >"$log_dir/verifier.log" 2>&1; then :; fi
count_summary verifier-tests \
	"$(grep -E '^verifier: [0-9]+ passed, [0-9]+ failed' "$log_dir/verifier.log" | tail -n 1)"
item verifier-build make -s -C "$RIG_ROOT/verifier" || finish

# Scenarios, each needing the kernels it boots.
for dir in "$RIG_ROOT"/rig/scenarios/*/; do
	name=$(basename "$dir")
	KERNELS="patched patched"
	. "$dir/scenario.env"
	needs_ok=1
	for k in $KERNELS; do
		var=have_$k
		[ "${!var:-0}" = 1 ] || needs_ok=0
	done
	if [ "$needs_ok" = 0 ]; then
		failed=$((failed + 1)); failures+=("$name")
		echo "FAIL  $name: a kernel it needs did not build"
		continue
	fi
	CONSOLE_COPY=$log_dir/$name-console.log \
		item "scenario-$name" "$RIG_ROOT/rig/host/run-scenario.sh" "$name" &&
		grep -E '^(PASS|SKIP) ' "$log_dir/scenario-$name.log" | sed 's/^/      /'
done

# KUnit ran at boot in the kunit scenario; count its cases.
[ ! -f "$log_dir/kunit-console.log" ] ||
	count_summary kunit-ima_kexec \
		"$(grep -oE '# Totals: pass:[0-9]+ fail:[0-9]+' "$log_dir/kunit-console.log" | tail -n 1)"
finish
