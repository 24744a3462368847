#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench (its last part), or make bench-initramfs alone: what
# initramfs=parts costs kexec_file_load. A 64 MiB initramfs of three
# parts (rig/host/mkinitramfs-parts.sh's microcode and userspace parts,
# and a modules part grown to fill it: a gzip'd cpio of base64 text,
# which compresses about as modules do) is loaded BENCH_REPS times
# measured whole and as many times part by part, alternating, in one
# boot of the patched kernel (bench/scenarios/initramfs). Medians of
# each phase, from kprobes on the syscall, on IMA's digest of the whole
# file and on the measurement of the parts, go to
# bench/results/initramfs.md.
#
#   BENCH_REPS         rounds (5)
#   BENCH_INITRAMFS_MB the image's size (64)

set -eu
. "$(dirname "$0")/../rig/host/lib.sh"

bench=$RIG_ROOT/bench
reps=${BENCH_REPS:-5}
size_mb=${BENCH_INITRAMFS_MB:-64}
work=$BUILD_DIR/bench/initramfs
dir=$work/scenarios/bench-initramfs
[ -f "$KERNEL_patched" ] || die "no patched kernel at $KERNEL_patched (make kernel)"
[ -f "$INITRAMFS" ] || die "no initramfs at $INITRAMFS (make initramfs)"

rm -rf "$work"
mkdir -p "$dir"
cp "$bench"/scenarios/initramfs/* "$dir/"
# The rig's three parts, the modules part grown to fill the size.
GROW_TO=$((size_mb * 1048576)) "$RIG_ROOT/rig/host/mkinitramfs-parts.sh" \
	"$work/parts" "$INITRAMFS" >/dev/null
mv "$work/parts/initramfs-parts.img" "$dir/initramfs-64m.img"
log "initramfs: $(( $(wc -c <"$dir/initramfs-64m.img") / 1048576 )) MiB in three parts, $reps rounds each way"

rc=0
RIG_SCENARIOS=$work/scenarios "$RIG_ROOT/rig/host/run-scenario.sh" -k -o "BENCH_REPS=$reps" \
	bench-initramfs >"$work/verdict" 2>&1 || rc=$?
ws=$(sed -n 's/^# workspace kept: //p' "$work/verdict")
[ "$rc" = 0 ] || { tail -n 30 "$work/verdict" >&2; die "the bench's scenario failed (workspace $ws)"; }
out=$ws/share/out/initramfs

# One line a load: mode, syscall, whole-file digest, parts, in ms.
for f in "$out"/trace-*; do
	mode=${f##*/trace-} mode=${mode%-*}
	# Only what happens inside the load's syscall (kexec-tools' own
	# reads of the kernel image, FILE_CHECK, come before it).
	awk -v mode="$mode" '
		match($0, /[0-9]+\.[0-9]+: [a-z_]+_(in|out):/) {
			s = substr($0, RSTART, RLENGTH - 1)
			split(s, a, ": "); t = a[1] + 0; ev = a[2]
			name = ev; sub(/_(in|out)$/, "", name)
			if (name == "kexec_file_load") inside = ev ~ /_in$/
			else if (!inside) next
			if (ev ~ /_in$/) start[name] = t
			else if (name in start) { took[name] += t - start[name]; delete start[name] }
			if (name == "kexec_file_load" && !inside) exit
		}
		END {
			printf "%s %.1f %.1f %.1f\n", mode, took["kexec_file_load"] * 1000,
				took["ima_collect_measurement"] * 1000,
				took["ima_measure_initramfs_parts"] * 1000
		}' "$f"
done >"$work/loads"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v m="$1" -v c="$2" '$1 == m { print $c }' "$work/loads" | median; }
for mode in blob parts; do
	for c in 2 3 4; do
		printf -v "m_${mode}_$c" '%s' "$(col $mode $c)"
	done
done
ratio=$(awk -v a="$m_parts_2" -v b="$m_blob_2" 'BEGIN { printf "%.2f", a / b }')
result=$bench/results/initramfs.md
{
	echo "# kexec_file_load of a $(( $(cat "$out/size") / 1048576 )) MiB initramfs, measured whole and part by part"
	echo
	echo "$(date -u '+%Y-%m-%d'), patched kernel, QEMU TCG; $reps loads each way, alternating, one boot;"
	echo "medians in ms (kprobes). The parts: microcode cpio $(wc -c <"$work/parts/part0-microcode.cpio") B, zstd userspace $(wc -c <"$work/parts/part1-userspace.cpio.zst") B, gzip modules $(wc -c <"$work/parts/part2-modules.cpio.gz") B."
	echo
	echo "| policy | kexec_file_load | of which: digest of the whole file | the parts (split, digests, records) | the rest (read, copy, segments) |"
	echo "|---|---|---|---|---|"
	for mode in blob parts; do
		eval "t=\$m_${mode}_2 c=\$m_${mode}_3 p=\$m_${mode}_4"
		rest=$(awk -v t="$t" -v c="$c" -v p="$p" 'BEGIN { printf "%.1f", t - c - p }')
		case $mode in blob) what="measure func=KEXEC_INITRAMFS_CHECK" ;; *) what="... initramfs=parts" ;; esac
		echo "| \`$what\` | $t | $c | $p | $rest |"
	done
	echo
	echo "initramfs=parts / whole: **${ratio}x** the syscall's time."
} >"$result"
cat "$result"
rm -rf "$ws"
