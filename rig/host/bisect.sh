#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bisect: build the kernel at every patch of the series and boot it
# through the baseline scenario (kexec into itself, replay in both banks).
# Checks out each commit in the work tree and builds in the patched object
# directory, so each step rebuilds only what the patch touches; the branch
# is checked out again at the end, whatever happens.

set -eu
. "$(dirname "$0")/lib.sh"

[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
	die "$TREE has uncommitted changes"
head=$(git -C "$TREE" rev-parse HEAD)
restore() { git -C "$TREE" checkout -q "$BRANCH"; }
trap restore EXIT

export KERNEL_bisect=$BUILD_DIR/obj/patched/arch/x86/boot/bzImage
n=0
failed=0
for commit in $(git -C "$TREE" rev-list --reverse "base..$head"); do
	n=$((n + 1))
	subject=$(git -C "$TREE" log -1 --format=%s "$commit")
	git -C "$TREE" checkout -q --detach "$commit"
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
restore
# Leave the patched kernel as the branch builds it.
"$RIG_ROOT/rig/host/build-kernel.sh" patched >/dev/null
echo "$((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
