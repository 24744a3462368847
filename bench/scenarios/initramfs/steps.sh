# SPDX-License-Identifier: GPL-2.0
# The bench's step for the parts of an initramfs: BENCH_REPS rounds, each
# a kexec_file_load of a fresh copy of the image owned by root (measured
# whole) and one owned by uid 1000 (part by part, policy.extra), each
# followed by an unload; kprobes on the syscall, on IMA's digest of the
# file and on the parts' measurement stamp the trace, which the host
# reads (bench/initramfs.sh). The kernel image is loaded once first, so
# that its own measurement is not in any round.
step_bench_initramfs() {
	local tr=/sys/kernel/tracing img=/rig/scenario/initramfs-64m.img
	local out=/rig/out/initramfs rep mode f fn
	mkdir -p $out
	[ -e $tr/trace ] || mount -t tracefs tracefs $tr
	for fn in __x64_sys_kexec_file_load ima_collect_measurement ima_measure_initramfs_parts; do
		echo "p:${fn#__x64_sys_}_in $fn" >>$tr/kprobe_events &&
		echo "r:${fn#__x64_sys_}_out $fn" >>$tr/kprobe_events ||
			ktap_not_ok "kprobes on $fn"
	done
	# One copy from the shared folder; the rounds copy it in memory.
	cp $img /tmp/base.img
	img=/tmp/base.img
	cp $img /tmp/warmup.img
	ktap_expect "warm-up load" \
		kexec -s -l /rig/kernels/patched --initrd=/tmp/warmup.img --append="$(rig_next_cmdline)"
	kexec -s -u
	echo 1 >$tr/events/kprobes/enable
	for rep in $(seq "$BENCH_REPS"); do
		for mode in blob parts; do
			f=/tmp/$mode.$rep.img
			cp $img $f
			[ $mode = blob ] || chown 1000 $f
			echo >$tr/trace
			ktap_expect "round $rep, $mode: kexec -s -l" \
				kexec -s -l /rig/kernels/patched --initrd=$f --append="$(rig_next_cmdline)"
			cp $tr/trace $out/trace-$mode-$rep
			kexec -s -u
			grep -c " $f#" $IMA/ascii_runtime_measurements >$out/parts-$mode-$rep
			grep -c " $f\$" $IMA/ascii_runtime_measurements >$out/whole-$mode-$rep
			rm -f $f
		done
	done
	echo 0 >$tr/events/kprobes/enable
	wc -c <$img >$out/size
	rm -f $img /tmp/warmup.img
}
