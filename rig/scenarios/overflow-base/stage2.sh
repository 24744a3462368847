# Stage 2: what the base kernel does with its own overflowed handover.
rig_note restored "$(rig_restored)"
dmesg >/tmp/dmesg
rig_expect "the restore stopped in the middle of a record" \
	grep -q "nr of fields mismatch" /tmp/dmesg
rig_expect "the restore failed" grep -q "Failed to restore the measurement list" /tmp/dmesg
rig_expect "the kernel has no handover report" test ! -e $IMA/kexec_restore
rig_save stage2
