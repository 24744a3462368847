# Stage 2: after the kexec.
. /rig/scenario/kselftest-lib.sh
rig_kselftest "after kexec"
rig_expect_eq "the handover was verified" "$(rig_handover_field result)" verified
