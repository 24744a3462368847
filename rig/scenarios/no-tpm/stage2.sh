# Stage 2: restored whole; the TPM could not be asked, and that is said.
rig_note handover "$(cat $IMA/kexec_restore)"
rig_expect_eq "handover intact" "$(rig_handover_field result)" intact
rig_expect_eq "restored = the list at execute + kexec_execute" \
	"$(rig_restored)" "$(($(rig_noted at_execute_1) + 1))"
rig_expect_eq "the TPM's verdict" "$(rig_handover_field tpm)" not_checked
rig_expect_eq "why not" "$(rig_handover_field tpm_reason)" no_tpm
rig_expect_eq "no bank verdict without a TPM" "$(rig_handover_field tpm_sha256)" ""
rig_save stage2
