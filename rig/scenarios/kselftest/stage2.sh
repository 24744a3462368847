# Stage 2: after the kexec.
. /rig/scenario/kselftest-lib.sh
rig_kselftest "after kexec"
rig_expect_eq "the handover is intact" "$(rig_handover_field result)" intact
rig_expect_tpm match
