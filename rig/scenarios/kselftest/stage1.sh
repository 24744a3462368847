# Stage 1: cold boot; then kexec into stage 2.
. /rig/scenario/kselftest-lib.sh
rig_kselftest "cold boot"
rig_expect_eq "cold boot reports nothing handed over" "$(rig_handover_field result)" none
# PCR 10 at its reset value: a cold boot, not a lost handover.
rig_expect_tpm match
rig_expect "kexec -s -l $(rig_kernel 2)" rig_kexec_load "$(rig_kernel 2)"
rig_kexec_exec
