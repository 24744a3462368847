# Stage 2: a patched kernel judges an unpatched kernel's overflowed list.
at_execute=$(rig_noted at_execute)
restored=$(rig_restored)
rig_note restored "$restored"
rig_note handover "$(cat $IMA/kexec_restore)"
rig_expect "fewer records restored than the list at execute" [ "$restored" -lt "$at_execute" ]
rig_expect_eq "the report counts the restored records" "$(rig_handover_field restored)" "$restored"
rig_expect_tpm mismatch mismatch:10
dmesg >/tmp/dmesg
rig_expect_eq "the kernel log says the list does not replay, once" \
	"$(grep -c "as restored, does not replay to the TPM's PCRs" /tmp/dmesg)" 1
rig_save stage2
