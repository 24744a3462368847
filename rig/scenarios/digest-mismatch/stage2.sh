# Stage 2: the corrupted handover was rejected whole and said why.
rig_note handover "$(cat $IMA/kexec_restore)"
rig_note restored "$(rig_restored)"
rig_expect_eq "handover rejected" "$(rig_handover_field result)" rejected
rig_expect_eq "rejected because of $EXPECT_REASON" "$(rig_handover_field reason)" "$EXPECT_REASON"
rig_expect_eq "nothing restored" "$(rig_restored)" 0
rig_expect_tpm mismatch mismatch:10
rig_expect "the list records the rejection" \
	grep -q " ima-buf sha256:[0-9a-f]* kexec_restore " $IMA/ascii_runtime_measurements
dmesg >/tmp/dmesg
rig_expect "the kernel log names the cause" \
	grep -q "Rejected the measurement list from the previous kernel: $EXPECT_REASON" /tmp/dmesg
rig_save stage2
