#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: the cost of the IMA kexec handover, unpatched 6.12 (base) and
# with the series (patched), side by side, on the rig (QEMU TCG + swtpm).
#
# Each run is one guest that soft-reboots along a chain of kernels of one
# flavor, handing over a list of each size of BENCH_SIZES in turn; every
# hop times the execute path, the next kernel's check and restore, the
# memory held from load to execute, the soft reboot, the machine's limits
# (memcpy, the kernel's SHA-256) over the same bytes, and what reading
# binary_runtime_measurements costs userspace.  Runs of the
# two flavors alternate, BENCH_REPS of each, one QEMU at a time.  Then
# bench/report.sh turns the logs into bench/results/latest.md and a plot.
#
#   BENCH_SIZES          list sizes, entries        (1000 10000 100000)
#   BENCH_REPS           runs per flavor            (3)
#   BENCH_LIMIT_SECONDS  time per limit figure      (1)
#   BENCH_BUDGET         seconds for the runs: once the runs so far project
#                        past it, the remaining ones leave out the largest
#                        size, the one that takes longest to build (1320)
#   BENCH_REPORT_ONLY=D  only report on the runs kept in D

set -eu
. "$(dirname "$0")/../rig/host/lib.sh"

bench=$RIG_ROOT/bench
BENCH_SIZES=${BENCH_SIZES:-"1000 10000 100000"}
BENCH_REPS=${BENCH_REPS:-3}
BENCH_LIMIT_SECONDS=${BENCH_LIMIT_SECONDS:-1}
BENCH_BUDGET=${BENCH_BUDGET:-1320}
work=$BUILD_DIR/bench
t_start=$(date +%s)

need gcc gcc
need gnuplot gnuplot-nox

if [ -n "${BENCH_REPORT_ONLY:-}" ]; then
	exec "$bench/report.sh" "$BENCH_REPORT_ONLY"
fi

# The kernels must carry what the bench times with (configs/bench.config).
for flavor in base patched; do
	var=KERNEL_$flavor
	config=$(dirname "${!var}")/../../../.config
	for opt in CONFIG_KPROBE_EVENTS CONFIG_CRYPTO_USER_API_HASH; do
		grep -qx "$opt=y" "$config" 2>/dev/null ||
			die "$flavor kernel lacks $opt=y (configs/bench.config): rebuild it"
	done
done

# The functions bench-stage.sh and scenario.env probe, per flavor: a kernel
# that lacks one (a series reworked again) would leave its figures empty
# only after the whole bench has run.  A static function the compiler
# inlined has no symbol either.
need objdump binutils
probed_base="ima_update_kexec_buffer kimage_unmap_segment machine_kexec kernel_kexec
	ima_load_kexec_buffer ima_restore_measurement_list ima_add_kexec_buffer kexec_add_buffer"
probed_patched="$probed_base ima_kexec_execute ima_measurements_suspend kimage_map_segment
	ima_kexec_seal ima_kexec_check ima_restore_parse ima_restore_measurement_entries
	ima_kexec_replay"
for flavor in base patched; do
	var=KERNEL_$flavor
	map=$(dirname "${!var}")/../../../System.map
	[ -r "$map" ] || die "no System.map beside the $flavor kernel: rebuild it"
	var=probed_$flavor
	for fn in ${!var}; do
		awk -v f="$fn" '$3 == f { found = 1 } END { exit !found }' "$map" ||
			die "bench probes $fn, which the $flavor kernel does not have (inlined or gone): update bench/scenarios/handover"
	done
done

# base_memcpy: where base's notifier copies the staging buffer into the
# segment, as a kprobe location (ima_update_kexec_buffer+0xOFF), or
# nothing.  The copy is an inlined memcpy (rep movsb in 6.12), which no
# symbol marks: the last copy instruction before the call to
# kimage_unmap_segment, read off base's vmlinux.  A probe there splits the
# dump from the memcpy; it is taken by instruction, so only from the very
# build that runs.
base_memcpy() {
	local obj start end off
	obj=$(dirname "$KERNEL_base")/../../..
	[ -r "$obj/vmlinux" ] || return 0
	# System.map is sorted by address (same-length hex): the function
	# ends where the next symbol with a higher address begins.
	start=$(awk '$3 == "ima_update_kexec_buffer" { print $1; exit }' "$obj/System.map")
	end=$(awk -v s="$start" 'found && $1 > s { print $1; exit } $1 == s { found = 1 }' "$obj/System.map")
	[ -n "$start" ] && [ -n "$end" ] || return 0
	off=$(objdump -d --no-show-raw-insn --start-address=0x$start --stop-address=0x$end \
		"$obj/vmlinux" | awk '
		/\trep movsb|\tcall.*<(__)?memcpy>/ { at = $1; sub(/:$/, "", at) }
		/\tcall.*<kimage_unmap_segment>/ { if (at != "") print at; exit }')
	[ -n "$off" ] || return 0
	# Bash wraps 64-bit kernel addresses: the difference comes out right.
	printf 'ima_update_kexec_buffer+0x%x\n' $((0x$off - 0x$start))
}
BENCH_BASE_MEMCPY=$(base_memcpy)
[ -n "$BENCH_BASE_MEMCPY" ] ||
	log "no memcpy found in base's ima_update_kexec_buffer: base dump and memcpy are timed together"

# The guest tool: static, so that it runs from the shared folder whatever
# the initramfs holds.
mkdir -p "$work"
tool=$work/bench-tool
if [ ! -x "$tool" ] || [ "$bench/guest/bench-tool.c" -nt "$tool" ]; then
	gcc -static -O2 -Wall -Wextra -Werror -o "$tool" "$bench/guest/bench-tool.c" ||
		die "cannot build bench/guest/bench-tool.c"
fi

# One scenario folder per flavor, for rig/host/run-scenario.sh, with the
# guest tool.
hops=$(echo $BENCH_SIZES | wc -w)
rm -rf "$work/scenarios"
for flavor in base patched; do
	mkdir -p "$work/scenarios/bench-$flavor"
	cp "$bench"/scenarios/handover/* "$tool" "$work/scenarios/bench-$flavor/"
done

# bench_values FLAVOR SIZES: what the scenario and its guest read, as
# run-scenario.sh's overrides.
bench_values() {
	echo "BENCH_FLAVOR=$1"
	echo "BENCH_SIZES=$2"
	echo "BENCH_LIMIT_SECONDS=$BENCH_LIMIT_SECONDS"
	echo "BENCH_BASE_MEMCPY=$BENCH_BASE_MEMCPY"
}

runs=$work/runs/$(date +%Y%m%d-%H%M%S)
mkdir -p "$runs"
# Other work may rebuild a kernel while the bench runs: say so if it did.
kernels_id() { sha256sum "$KERNEL_base" "$KERNEL_patched" | cut -c1-12 | paste -sd' '; }
kernels=$(kernels_id)
echo "$kernels" >"$runs/kernels"
bench_values base "$BENCH_SIZES" >"$runs/bench.env"
log "bench: sizes $BENCH_SIZES, $BENCH_REPS run(s) per flavor; logs in $runs"
failed=0
sizes=$BENCH_SIZES
t_runs=$(date +%s)
for rep in $(seq "$BENCH_REPS"); do
	spent=$(( $(date +%s) - t_runs ))
	if [ "$rep" -gt 1 ] && [ "$sizes" = "$BENCH_SIZES" ] && [ "$hops" -gt 1 ] &&
	   [ $((spent + spent / (rep - 1) * (BENCH_REPS - rep + 1))) -gt "$BENCH_BUDGET" ]; then
		sizes=$(echo $BENCH_SIZES | cut -d' ' -f1-$((hops - 1)))
		log "runs so far project past ${BENCH_BUDGET}s: runs $rep.. stop at ${sizes##* } entries"
	fi
	for flavor in base patched; do
		mapfile -t values < <(bench_values "$flavor" "$sizes" | sed 's/^/-o\n/')
		t0=$(date +%s)
		# TCG runs on host threads: a busy host stalls the guest.
		read -r load1 _ </proc/loadavg
		set +e
		RIG_SCENARIOS=$work/scenarios "$RIG_ROOT/rig/host/run-scenario.sh" -k \
			"${values[@]}" "bench-$flavor" >"$runs/$flavor-$rep.verdict" 2>&1
		rc=$?
		set -e
		ws=$(sed -n 's/^# workspace kept: //p' "$runs/$flavor-$rep.verdict")
		if [ -n "$ws" ] && [ -d "$ws" ]; then
			mkdir -p "$runs/$flavor-$rep"
			# Keep the logs and figures, not the kernels and lists.
			mv "$ws/console.log" "$ws/share/out" "$runs/$flavor-$rep/"
			rm -rf "$ws"
		fi
		read -r load2 _ </proc/loadavg
		printf '%s\t%s\t%s\t%s\n' "$flavor" "$rep" "$load1" "$load2" >>"$runs/loadavg"
		[ "$rc" = 0 ] || failed=$((failed + 1))
		log "$flavor run $rep: $(sed -n "s/^# bench-$flavor: //p" "$runs/$flavor-$rep.verdict") [$(( $(date +%s) - t0 ))s]"
		[ "$rc" = 0 ] || grep '^# ' "$runs/$flavor-$rep.verdict" | tail -n 20 >&2
	done
done

[ "$(kernels_id)" = "$kernels" ] ||
	log "WARNING: a kernel changed during the bench (was $kernels, now $(kernels_id))"
"$bench/report.sh" "$runs"
"$bench/initramfs.sh" || failed=$((failed + 1))
log "bench took $(( $(date +%s) - t_start ))s, $failed run(s) failed"
[ "$failed" = 0 ]
