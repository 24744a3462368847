#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bisect: build the kernel at every patch of the series and boot it
# through the baseline scenario (kexec into itself, replay in both banks);
# from the patch that stops partial records on, also through an
# overflowing list (overflow-prefix: nothing written past the segment, a
# clean prefix restored).
# Uses a worktree and an object directory of its own, so the work tree and
# the kernels other targets use are left alone; each step is incremental.

set -eu
. "$(dirname "$0")/lib.sh"

wt=$BUILD_DIR/linux-bisect
if [ ! -d "$wt" ]; then
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$wt" base
fi
export KERNEL_bisect=$BUILD_DIR/obj/bisect/arch/x86/boot/bzImage
n=0
runs=0
failed=0
overflows=0
first_overflow=$(git -C "$TREE" log --format=%H --grep='^ima: kexec: never hand over a partial measurement record' base..HEAD)
[ -n "$first_overflow" ] || die "no patch 'never hand over a partial measurement record' in the series"
for commit in $(git -C "$TREE" rev-list --reverse base..HEAD); do
	n=$((n + 1))
	subject=$(git -C "$TREE" log -1 --format=%s "$commit")
	git -C "$wt" checkout -q --detach "$commit"
	log=$BUILD_DIR/bisect-$n.log
	if ! "$RIG_ROOT/rig/host/build-kernel.sh" bisect >"$log" 2>&1; then
		echo "not ok $n build: $subject (log: $log)"
		runs=$((runs + 1))
		failed=$((failed + 1))
		continue
	fi
	runs=$((runs + 1))
	if BASELINE_KERNELS="bisect bisect" EXPECT_HANDOVER="*" \
		"$RIG_ROOT/rig/host/run-scenario.sh" baseline >>"$log" 2>&1; then
		echo "ok $n build and boot: $subject"
	else
		echo "not ok $n boot: $subject (log: $log)"
		failed=$((failed + 1))
	fi
	[ "$commit" = "$first_overflow" ] && overflows=1
	[ "$overflows" = 1 ] || continue
	runs=$((runs + 1))
	if BISECT_KERNELS="bisect bisect" \
		"$RIG_ROOT/rig/host/run-scenario.sh" overflow-prefix >>"$log" 2>&1; then
		echo "ok $n overflowing list: $subject"
	else
		echo "not ok $n overflowing list: $subject (log: $log)"
		failed=$((failed + 1))
	fi
done
echo "$((runs - failed)) passed, $failed failed"
[ "$failed" = 0 ]
