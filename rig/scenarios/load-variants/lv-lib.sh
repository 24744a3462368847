# Shared by the stages of load-variants.

lv_records() { grep -c " $1 [0-9a-f]*\$" $IMA/ascii_runtime_measurements; }

# IMA's lines in the kernel log: at load, it speaks only of a segment it
# could not add or map.
lv_ima_log() { dmesg | grep -c ' ima: ' || true; }

# lv_handover STAGE: the previous stage's list came over whole, in the
# segment of its last -l load.
lv_handover() {
	local prev=$(($1 - 1)) segment
	segment=$(rig_noted segment_$prev)
	rig_expect_handover "$prev"
	rig_expect_eq "kexec_execute used the last load's $segment-byte segment" \
		"$(rig_kexec_event kexec_execute kexec_segment_size)" "$segment"
	# Only the last load's segment was reserved for this kernel.
	rig_memory_check "$segment"
}

# lv_crash_load: kexec -s -p adds no IMA segment: no kexec_load record, no
# word from IMA in the log, and the pending -l load is left alone.
lv_crash_load() {
	local loads log
	loads=$(lv_records kexec_load)
	log=$(lv_ima_log)
	rig_expect "kexec -s -p $(rig_kernel 1) ($1)" kexec -s -p /rig/kernels/$(rig_kernel 1) \
		--initrd=/rig/initramfs.cpio.gz --append="$(rig_next_cmdline)"
	rig_expect_eq "crash kernel loaded ($1)" "$(cat /sys/kernel/kexec_crash_loaded)" 1
	rig_expect_eq "no kexec_load record for the crash load ($1)" "$(lv_records kexec_load)" "$loads"
	rig_expect_eq "no IMA message for the crash load ($1)" "$(lv_ima_log)" "$log"
}

lv_kexec_e_fails() {
	! kexec -e 2>/tmp/kexec.err
	local rc=$?
	rig_diag "kexec -e said: $(cat /tmp/kexec.err)"
	return $rc
}
