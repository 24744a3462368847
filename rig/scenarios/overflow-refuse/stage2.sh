# Stage 2: nothing was lost.
at_execute=$(sed -n 's/^at_execute=//p' /rig/out/notes)
restored=$(rig_restored)
rig_note restored "$restored"
rig_note handover "$(cat $IMA/kexec_handover)"
rig_expect_eq "handover verified" "$(rig_handover_field result)" verified
rig_expect_eq "every measurement and kexec_execute restored" "$restored" "$((at_execute + 1))"
rig_save stage2
