# SPDX-License-Identifier: GPL-2.0
# The bench's own step, bench_hop: every stage is one hop of the chain
# (STAGE in scenario.env).  Stage k records
# what restoring the previous kernel's list cost this boot, grows the list
# to the k-th size of BENCH_SIZES, loads the next kernel (after the list is
# built, so that the segment fits it), measures memory, the machine's
# limits and a read of the list, and executes with the execute path
# traced.  The host reads the figures from /rig/out/s<k> and the console
# (bench/report.sh).
step_bench_hop() {
	T=/rig/scenario/bench-tool
	TR=/sys/kernel/tracing
	stage=$(rig_stage)
	hops=$(echo $BENCH_SIZES | wc -w)
	out=/rig/out/s$stage
	mkdir -p $out

	# First thing: the TSC, for the soft-reboot wall time.  The line it leaves
	# in the kernel log ties the TSC to printk time.
	$T mark begin >$out/tsc-begin

	# The rig's init mounts debugfs, not tracefs.
	[ -e $TR/trace ] || mount -t tracefs tracefs $TR

	# The restore ran at boot: its probes' events are in the trace buffer
	# (stamped at the event) and in the kernel log (stamped once formatted).
	# Nothing after this may fire them.
	cat $TR/trace >$out/trace-boot
	dmesg >$out/dmesg-boot
	echo 0 >$TR/events/kprobes/enable
	echo >$TR/trace
	echo 1 >/proc/sys/kernel/tracepoint_printk

	# meminfo FIELD: a /proc/meminfo figure in kB, caches dropped first so that
	# only what the kernel holds counts.
	meminfo() {
		sync
		echo 3 >/proc/sys/vm/drop_caches
		sed -n "s/^$1: *\([0-9]*\) kB\$/\1/p" /proc/meminfo
	}

	# probe NAME DEFINITION...: add a kprobe event and enable it.
	probe() {
		local name=$1
		shift
		echo "$*" >>$TR/kprobe_events
		echo 1 >$TR/events/kprobes/$name/enable
	}

	if [ "$stage" -gt 1 ]; then
		prev=$((stage - 1))
		want=$(sed -n "s/^at_execute_$prev=//p" /rig/out/notes | tail -n 1)
		# A patched kernel measures kexec_execute after the count was taken.
		[ "$BENCH_FLAVOR" = base ] || want=$((want + 1))
		restored=$(rig_restored)
		rig_note restored_$prev "$restored"
		ktap_expect_eq "hop $prev: every measurement handed over is restored" \
			"$restored" "$want"
		[ ! -r $IMA/kexec_restore ] || rig_note handover_$prev "$(cat $IMA/kexec_restore)"
	fi

	if [ "$stage" -le "$hops" ]; then
		size=$(echo $BENCH_SIZES | cut -d' ' -f"$stage")

		# Grow the list.  kexec -s -l adds measurements of its own (kernel,
		# initramfs, command line, kexec_load, and on a first run the kexec
		# binary and the libraries it opens, 13 in all): leave them room, and
		# top up to the exact size after the load, in the half page the
		# segment reserves for that.
		start=$(cut -d' ' -f1 /proc/uptime)
		$T gen /tmp/measure s$stage $((size - $(cat $IMA/runtime_measurements_count) - 14))
		rig_note gen_seconds_$stage "$(awk -v s="$start" '{ print $1 - s }' /proc/uptime)"

		# Memory held from load to execute: MemFree across the load, the
		# vmalloc areas, and the size of every segment the load adds.
		cat /proc/vmallocinfo >$out/vmallocinfo-before
		rig_note memfree_before_$stage "$(meminfo MemFree)"
		probe l_ima p:l_ima ima_add_kexec_buffer
		probe l_ima_x r:l_ima_x ima_add_kexec_buffer
		probe l_seg p:l_seg kexec_add_buffer 'bufsz=+16(%di):u64' 'memsz=+32(%di):u64'
		ktap_expect "kexec -s -l $BENCH_FLAVOR" rig_kexec_load "$BENCH_FLAVOR"
		rig_note memfree_after_$stage "$(meminfo MemFree)"
		cat /proc/vmallocinfo >$out/vmallocinfo-after
		cat $TR/trace >$out/trace-load
		echo 0 >$TR/events/kprobes/enable
		echo >$TR/trace
		# The patched kernel's kexec_load record says how big a segment it
		# reserved (base has no such record; the list is long: read it once).
		[ "$BENCH_FLAVOR" = base ] ||
			grep ' kexec_load [0-9a-f]*$' $IMA/ascii_runtime_measurements >$out/kexec_load

		count=$(cat $IMA/runtime_measurements_count)
		[ "$count" -ge "$size" ] || $T gen /tmp/measure t$stage $((size - count))
		count=$(cat $IMA/runtime_measurements_count)

		# The limits over the bytes the execute path writes.
		bytes=$(($(wc -c <$IMA/binary_runtime_measurements) + 24))
		$T limits $bytes "$BENCH_LIMIT_SECONDS" >$out/limits
		# What userspace pays to read the same list (securityfs is not
		# measured: reading it adds nothing to the list).
		$T read $IMA/binary_runtime_measurements 5 >$out/read

		# Execute-path probes.  Each traced event prints a line on the serial
		# console, the only log that survives the jump, and that printing is
		# timed as part of whatever window it falls in: calibrate it with a
		# probed getppid(), quiet (kernel log only, as the restore probes) and
		# loud (console, as the execute probes), 20 calls each.
		probe c_in p:c_in __x64_sys_getppid
		probe c_in_x r:c_in_x __x64_sys_getppid
		$T calib 20
		dmesg >$out/dmesg-calib
		echo 8 >/proc/sys/kernel/printk
		echo "# bench: loud calibration"
		$T calib 20
		echo 0 >$TR/events/kprobes/c_in/enable
		echo 0 >$TR/events/kprobes/c_in_x/enable
		cat $TR/trace >$out/trace-calib

		# Both flavors do the handover in the reboot notifier
		# ima_update_kexec_buffer (static, but called through a pointer: it
		# keeps its symbol).  Its phases are told apart by the functions it
		# calls that keep theirs, whatever the compiler inlines:
		#   base:    dump into the staging buffer | memcpy into the segment
		#            mapped at load (inlined: BENCH_BASE_MEMCPY, found in
		#            base's vmlinux by run.sh; without it, dump and memcpy
		#            are timed together) | kimage_unmap_segment
		#   patched: freeze (record kexec_execute, ima_measurements_suspend)
		#            | kimage_map_segment | serialize and hash each record, in
		#            one pass that probes cannot split | ima_kexec_seal |
		#            kimage_unmap_segment
		# The patched kernel_kexec() also calls ima_kexec_execute() before the
		# reboot starts: a no-op unless ima_kexec_overflow=refuse, timed to
		# show it.
		probe x_kx p:x_kx kernel_kexec
		probe x_in p:x_in ima_update_kexec_buffer
		if [ "$BENCH_FLAVOR" = base ]; then
			[ -z "${BENCH_BASE_MEMCPY:-}" ] || probe x_mc p:x_mc "$BENCH_BASE_MEMCPY"
			probe x_um p:x_um kimage_unmap_segment
		else
			probe x_ke p:x_ke ima_kexec_execute
			probe x_ke_x r:x_ke_x ima_kexec_execute
			probe x_su p:x_su ima_measurements_suspend
			probe x_mp_x r:x_mp_x kimage_map_segment
			probe x_sl p:x_sl ima_kexec_seal
			probe x_sl_x r:x_sl_x ima_kexec_seal
		fi
		probe x_in_x r:x_in_x ima_update_kexec_buffer
		probe x_mk p:x_mk machine_kexec

		# What is handed over, read last: nothing after this adds a measurement
		# (no file of the shared folder is read again).
		final=$(cat $IMA/runtime_measurements_count)
		[ "$final" = "$count" ] ||
			bytes=$(($(wc -c <$IMA/binary_runtime_measurements) + 24))
		rig_note at_execute_$stage "$final"
		rig_note bytes_$stage "$bytes"
		$T mark pre >$out/tsc-pre
		rig_end kexec
		$T exec
		ktap_not_ok "kexec -e returned"
	fi
}
