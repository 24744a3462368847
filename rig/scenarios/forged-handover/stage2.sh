# Stage 2: the forged handover passed the trailer and failed the TPM.
at_execute=$(rig_noted at_execute)
rig_note handover "$(cat $IMA/kexec_restore)"
rig_expect_eq "the forgery passes the trailer's digest" "$(rig_handover_field result)" intact
rig_expect_eq "restored: the list at execute and kexec_execute, less one" \
	"$(rig_restored)" "$at_execute"
rig_expect "the hidden file is gone from the list" \
	eval "! grep -q ' $HIDDEN\$' $IMA/ascii_runtime_measurements"
rig_expect_tpm mismatch mismatch:10
dmesg >/tmp/dmesg
rig_expect_eq "the kernel log says the list does not replay, once" \
	"$(grep -c "as restored, does not replay to the TPM's PCRs" /tmp/dmesg)" 1
rig_save stage2
