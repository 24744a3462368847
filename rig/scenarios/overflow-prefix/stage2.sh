# Stage 2: a clean prefix, restored without an error.
restored=$(rig_restored)
rig_note restored "$restored"
rig_expect "some records restored" [ "$restored" -gt 0 ]
head -n "$restored" /rig/out/stage1/ascii_runtime_measurements >/tmp/before
head -n "$restored" $IMA/ascii_runtime_measurements >/tmp/after
rig_expect "the restored list is a prefix of the stage 1 list" cmp -s /tmp/before /tmp/after
dmesg >/tmp/dmesg
rig_expect "the restore reported no error" \
	eval '! grep -qE "Failed to restore|Rejected the measurement list|Error restoring" /tmp/dmesg'
rig_save stage2
