# Stage 2: the new kernel and its initramfs arrived whole (the purgatory
# checked their digests) and nothing was handed over.
rig_expect_eq "kexec_load hands nothing over" "$(rig_handover_field result)" none
rig_expect_eq "nothing restored" "$(rig_restored)" 0
# The first kernel's measurements are in PCR 10 and in no list.
rig_expect_tpm lost mismatch:10
rig_save stage2
