#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh [SCENARIO,...]: make check, the whole suite, as one KTAP
# document: build/check/results.ktap holds every result, nested (the
# checkpatch of each patch, the verifier's cases, each scenario's stages
# and host checks, the kernel's own KUnit results), and ktap-summary.awk
# counts its leaves. The terminal gets the top-level results, the progress
# and, for a failure, where to look. The last line is "N passed, N failed,
# N skipped". Items that cannot run because what they need failed to
# build count as failed, never as skipped.
#
# With scenarios named (make check S=a,b), only those run, after the tree,
# the kernels they boot, the initramfs and the verifier.

set -u
. "$(dirname "$0")/lib.sh"
. "$RIG_ROOT/rig/lib/ktap.sh"
export KTAP_SUMMARY=$RIG_ROOT/rig/lib/ktap-summary.awk

log_dir=$BUILD_DIR/check
results=$log_dir/results.ktap
mkdir -p "$log_dir"
t_start=$(date +%s)

subset=
if [ -n "${1:-}" ]; then
	subset=$(echo "$1" | tr ',' ' ')
	for name in $subset; do
		scenario_exists "$name" || exit 2
	done
fi

elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

# top LINE...: a line of the top-level document, to the terminal too.
top() { printf '%s\n' "$@" | tee -a "$results"; }

# item NAME [-p] CMD...: one result for a command, its output in
# $log_dir/NAME.log; exit 77 is a skip, its last line the reason. -p
# shows the command's progress lines (a kernel build's) as it goes.
item() {
	local name=$1 progress=0 rc t0
	shift
	[ "$1" != -p ] || { progress=1; shift; }
	t0=$(date +%s)
	if [ "$progress" = 1 ]; then
		"$@" 2>&1 | tee "$log_dir/$name.log" | grep --line-buffered 'objects' | sed -u 's/^\[[^]]*\] */# /'
		rc=${PIPESTATUS[0]}
	else
		"$@" >"$log_dir/$name.log" 2>&1
		rc=$?
	fi
	case $rc in
	0) top "$(ktap_ok "$name")" "# $name: $(elapsed "$t0")" ;;
	77) top "$(ktap_skip "$name" "$(tail -n 1 "$log_dir/$name.log")")" ;;
	*)
		top "$(ktap_not_ok "$name")" "# $name: exit $rc, log $log_dir/$name.log"
		tail -n 15 "$log_dir/$name.log" | sed 's/^/#   /'
		;;
	esac
	KTAP_N=$((KTAP_N + 1))
	return "$rc"
}

# suite NAME FILE: FILE's KTAP (written by the caller) nested under one
# result named NAME; the terminal gets that result and its counts.
suite() {
	local name=$1 file=$2 counts
	ktap_nest "$name" "$file" >"$log_dir/.nest"
	cat "$log_dir/.nest" >>"$results"
	tail -n 1 "$log_dir/.nest"
	counts=$(awk -f "$KTAP_SUMMARY" "$file")
	echo "# $name: $(echo "$counts" | tail -n 1)"
	echo "$counts" | sed -n 's/^not ok: /#   not ok: /p' | head -n 5
}

finish() {
	local counts
	ktap_end | tee -a "$results" >/dev/null
	counts=$(awk -f "$KTAP_SUMMARY" "$results")
	echo "# make check took $(elapsed "$t_start"); results: $results, logs: $log_dir"
	echo "$counts" | sed -n 's/^not ok: /# not ok: /p'
	echo "$counts" | tail -n 1
	echo "$counts" | tail -n 1 | grep -q ' 0 failed,'
	exit
}

: >"$results"
ktap_begin | tee -a "$results"
KTAP_N=0

item tree "$RIG_ROOT/rig/host/prepare-tree.sh" || finish
if [ -z "$subset" ]; then
	item patches-match-export "$RIG_ROOT/rig/host/check-export.sh"
	"$RIG_ROOT/rig/host/checkpatch.sh" >"$log_dir/checkpatch.ktap" 2>"$log_dir/checkpatch.log"
	suite checkpatch "$log_dir/checkpatch.ktap"
fi

# The scenarios: those named, or every one but IN_CHECK=no's (runnable
# with make scenario or make check-arch, not here).
names=${subset:-$(for n in $(scenario_names); do
	grep -q '^IN_CHECK=no' "$(scenario_dir "$n")/scenario.env" || echo "$n"
done)}

# The kernels: all of them, or those the named scenarios boot; x86_64's
# first, then each other architecture's (ARCH:FLAVOR).
flavors=$(for name in $names; do scenario_kernels "$name"; done | sort -u)
[ -n "$subset" ] || flavors=$(printf '%s\n' patched base debug signed distro; echo "$flavors" | grep :)
built=
for flavor in $(echo "$flavors" | grep -v :) $(echo "$flavors" | grep :); do
	case $flavor in
	*:*) item "build-${flavor%%:*}-${flavor#*:}" -p \
		"$RIG_ROOT/rig/host/build-kernel.sh" -a "${flavor%%:*}" "${flavor#*:}" ;;
	*) item "build-$flavor" -p "$RIG_ROOT/rig/host/build-kernel.sh" "$flavor" ;;
	esac && built="$built $flavor "
done
if [ -z "$subset" ]; then
	case $built in *" patched "*) item sparse-w1 "$RIG_ROOT/rig/host/sparse.sh" ;; esac
fi
item initramfs "$RIG_ROOT/rig/host/mkinitramfs.sh" "$INITRAMFS" || finish
for arch in $(echo "$flavors" | sed -n 's/:.*//p' | sort -u); do
	item "initramfs-$arch" "$RIG_ROOT/rig/host/mkinitramfs.sh" -a "$arch" \
		"$(arch_initramfs "$arch")"
done
if [ -z "$subset" ]; then
	item cross-arm64 "$RIG_ROOT/rig/host/cross-build.sh" arm64
	item cross-ppc64le "$RIG_ROOT/rig/host/cross-build.sh" ppc64le
	# The verifier's unit tests and fuzz smoke, case by case.
	make -s -C "$RIG_ROOT/verifier" check >"$log_dir/verifier.ktap" 2>"$log_dir/verifier.log"
	suite verifier-tests "$log_dir/verifier.ktap"
fi
item verifier-build make -s -C "$RIG_ROOT/verifier" || finish

# The scenarios, each needing the kernels it boots, CHECK_JOBS at a time
# (default: one a CPU; each guest keeps about one busy), the longest (by
# TIMEOUT) first; their results nested in the order of their names.
total=$(echo $names | wc -w)
jobs=${CHECK_JOBS:-$(nproc)}
rm -f "$log_dir"/scenario-*.rc
declare -A started_at job_of
running=0 n=0 done_n=0

# reap: wait for one scenario to end, and say so.
reap() {
	local pid name rc
	wait -n -p pid
	name=${job_of[$pid]}
	rc=$(cat "$log_dir/scenario-$name.rc" 2>/dev/null || echo 99)
	done_n=$((done_n + 1))
	running=$((running - 1))
	echo "# [$done_n/$total] $name: exit $rc, $(elapsed "${started_at[$name]}")"
}

order=$(for name in $names; do
	(scenario_load "$name" && echo "$TIMEOUT $name")
done | sort -s -k1,1nr | cut -d' ' -f2)
for name in $order; do
	missing=
	for flavor in $(scenario_kernels "$name"); do
		case $built in *" $flavor "*) ;; *) missing="$missing $flavor" ;; esac
	done
	if [ -n "$missing" ]; then
		echo "not ok 1 a kernel it boots did not build:$missing" >"$log_dir/scenario-$name.ktap"
		continue
	fi
	[ "$running" -lt "$jobs" ] || reap
	n=$((n + 1))
	echo "# scenario $name ($n of $total, $((running + 1)) running) ..."
	started_at[$name]=$(date +%s)
	(
		CONSOLE_COPY=$log_dir/$name-console.log \
			"$RIG_ROOT/rig/host/run-scenario.sh" "$name" \
			>"$log_dir/scenario-$name.ktap" 2>"$log_dir/scenario-$name.log"
		echo $? >"$log_dir/scenario-$name.rc"
	) &
	job_of[$!]=$name
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	reap
done

for name in $names; do
	rc=$(cat "$log_dir/scenario-$name.rc" 2>/dev/null || echo 99)
	# A harness error with nothing to show is still a failure.
	[ -s "$log_dir/scenario-$name.ktap" ] ||
		echo "not ok 1 run-scenario.sh exited $rc: $(tail -n 1 "$log_dir/scenario-$name.log")" >"$log_dir/scenario-$name.ktap"
	suite "scenario $name" "$log_dir/scenario-$name.ktap"
	[ "$rc" = 0 ] || [ "$rc" = 77 ] ||
		sed -n '/^# \(first failing check\|last console lines\|workspace kept\)/,$p' "$log_dir/scenario-$name.ktap"
done
finish
