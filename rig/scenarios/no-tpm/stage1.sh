# Stage 1: measure without a TPM, load, execute.
rig_expect "no TPM" test ! -e $TPM
rig_expect_eq "a cold boot without a TPM: not checked" "$(rig_handover_field tpm)" not_checked
rig_measure "$BEFORE" before
rig_expect "kexec -s -l $(rig_kernel 2)" rig_kexec_load "$(rig_kernel 2)"
rig_note at_execute_1 "$(rig_count)"
rig_save stage1
rig_kexec_exec
