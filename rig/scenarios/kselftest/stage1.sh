# Stage 1: cold boot; then kexec into stage 2.
. /rig/scenario/kselftest-lib.sh
rig_kselftest "cold boot"
rig_expect_eq "cold boot reports nothing handed over" "$(rig_handover_field result)" none
rig_expect "kexec -s -l $(rig_kernel 2)" rig_kexec_load "$(rig_kernel 2)"
rig_kexec_exec
