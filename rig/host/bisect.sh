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
. "$RIG_ROOT/rig/lib/ktap.sh"

wt=$BUILD_DIR/linux-bisect
if [ ! -d "$wt" ]; then
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$wt" base
fi
export KERNEL_bisect=$BUILD_DIR/obj/bisect/arch/x86/boot/bzImage
n=0
overflows=0
first_overflow=$(git -C "$TREE" log --format=%H --grep='^ima: kexec: never hand over a partial measurement record' base..HEAD)
[ -n "$first_overflow" ] || die "no patch 'never hand over a partial measurement record' in the series"
{
ktap_begin
for commit in $(git -C "$TREE" rev-list --reverse base..HEAD); do
	n=$((n + 1))
	subject=$(git -C "$TREE" log -1 --format=%s "$commit")
	git -C "$wt" checkout -q --detach "$commit"
	log=$BUILD_DIR/bisect-$n.log
	if ! "$RIG_ROOT/rig/host/build-kernel.sh" bisect >"$log" 2>&1; then
		ktap_not_ok "patch $n builds: $subject"
		ktap_diag "log: $log"
		continue
	fi
	if "$RIG_ROOT/rig/host/run-scenario.sh" -o KERNELS="bisect bisect" \
		-o EXPECT_HANDOVER="*" baseline >>"$log" 2>&1; then
		ktap_ok "patch $n builds and boots: $subject"
	else
		ktap_not_ok "patch $n builds and boots: $subject"
		ktap_diag "log: $log"
	fi
	[ "$commit" = "$first_overflow" ] && overflows=1
	[ "$overflows" = 1 ] || continue
	if "$RIG_ROOT/rig/host/run-scenario.sh" -o KERNELS="bisect bisect" \
		overflow-prefix >>"$log" 2>&1; then
		ktap_ok "patch $n hands over an overflowing list safely: $subject"
	else
		ktap_not_ok "patch $n hands over an overflowing list safely: $subject"
		ktap_diag "log: $log"
	fi
done
ktap_end
} | tee "$BUILD_DIR/bisect.ktap"
awk -f "$RIG_ROOT/rig/lib/ktap-summary.awk" "$BUILD_DIR/bisect.ktap" | tee "$BUILD_DIR/bisect.summary"
grep -q ' 0 failed,' "$BUILD_DIR/bisect.summary"
