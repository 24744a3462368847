#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bisect: build the kernel at every patch of the series and boot it
# through the baseline scenario (kexec into itself, replay in both banks).
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
failed=0
for commit in $(git -C "$TREE" rev-list --reverse base..HEAD); do
	n=$((n + 1))
	subject=$(git -C "$TREE" log -1 --format=%s "$commit")
	git -C "$wt" checkout -q --detach "$commit"
	log=$BUILD_DIR/bisect-$n.log
	if ! "$RIG_ROOT/rig/host/build-kernel.sh" bisect >"$log" 2>&1; then
		echo "not ok $n build: $subject (log: $log)"
		failed=$((failed + 1))
		continue
	fi
	if BASELINE_KERNELS="bisect bisect" EXPECT_HANDOVER="*" \
		"$RIG_ROOT/rig/host/run-scenario.sh" baseline >>"$log" 2>&1; then
		echo "ok $n build and boot: $subject"
	else
		echo "not ok $n boot: $subject (log: $log)"
		failed=$((failed + 1))
	fi
done
echo "$((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
