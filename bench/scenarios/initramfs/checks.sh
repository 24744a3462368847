# SPDX-License-Identifier: GPL-2.0
# The bench's check for the parts of an initramfs: every round measured
# as its policy says (whole: one record; parts: three, none whole) and
# traced (the syscall entered and returned).
check_bench_initramfs() {
	local d=$OUT/initramfs rep
	for rep in $(seq "$BENCH_REPS"); do
		ktap_expect_eq "round $rep, blob: one record of the whole file" \
			"$(cat "$d/whole-blob-$rep")/$(cat "$d/parts-blob-$rep")" 1/0
		ktap_expect_eq "round $rep, parts: three records, none of the whole file" \
			"$(cat "$d/whole-parts-$rep")/$(cat "$d/parts-parts-$rep")" 0/3
		ktap_expect_eq "round $rep: both loads traced" \
			"$(cat "$d/trace-blob-$rep" "$d/trace-parts-$rep" | grep -c ' kexec_file_load_out:')" 2
	done
}
