# Stage 2: the new kernel and its initramfs arrived whole (the purgatory
# checked their digests) and nothing was handed over.
rig_expect_eq "kexec_load hands nothing over" "$(rig_handover_field result)" none
rig_expect_eq "nothing restored" "$(rig_restored)" 0
rig_save stage2
