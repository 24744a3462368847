# Stage 2: nothing was lost.
at_execute=$(sed -n 's/^at_execute=//p' /rig/out/notes)
restored=$(rig_restored)
rig_note restored "$restored"
rig_note handover "$(cat $IMA/kexec_restore)"
rig_expect_eq "handover intact" "$(rig_handover_field result)" intact
rig_expect_tpm match
rig_expect_eq "every measurement and kexec_execute restored" "$restored" "$((at_execute + 1))"
rig_save stage2
