# Stage 2: an allocation failed during the restore: nothing restored.
rig_note handover "$(cat $IMA/kexec_restore)"
rig_expect_eq "handover rejected" "$(rig_handover_field result)" rejected
rig_expect_eq "for lack of memory" "$(rig_handover_field reason)" no_memory
rig_expect_eq "the report counts nothing restored" "$(rig_handover_field restored)" 0
rig_expect_eq "nothing restored" "$(rig_restored)" 0
# What the TPM holds, the empty list does not explain.
rig_expect_tpm mismatch mismatch:10
rig_save stage2
