# Stage 2: a clean prefix, and the number left out, exactly.
at_execute=$(sed -n 's/^at_execute=//p' /rig/out/notes)
restored=$(rig_restored)
dropped=$(rig_handover_field dropped)
rig_note restored "$restored"
rig_note dropped "$dropped"
rig_note handover "$(cat $IMA/kexec_restore)"
rig_expect_eq "handover reported as truncated" "$(rig_handover_field result)" truncated
rig_expect_eq "the report counts the restored records" "$(rig_handover_field restored)" "$restored"
# The kexec_execute record was the last of the list at execute.
rig_expect_eq "restored + dropped = the list at execute" \
	"$((restored + dropped))" "$((at_execute + 1))"
head -n "$restored" /rig/out/stage1/ascii_runtime_measurements >/tmp/before
head -n "$restored" $IMA/ascii_runtime_measurements >/tmp/after
rig_expect "the restored list is a prefix of the stage 1 list" cmp -s /tmp/before /tmp/after
dmesg >/tmp/dmesg
rig_expect "the kernel log names the loss" grep -q "which left out $dropped\$" /tmp/dmesg
# The TPM holds what was left out.
rig_expect_tpm mismatch mismatch:10
rig_expect "the kernel log says the list does not replay" \
	grep -q "as restored, does not replay to the TPM's PCRs: $(cat $IMA/kexec_restore)\$" /tmp/dmesg
rig_save stage2
