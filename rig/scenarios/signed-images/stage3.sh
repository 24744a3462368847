# Stage 3: the second signed kexec handed over an intact list too.
. /rig/scenario/signed-lib.sh
rig_expect_handover $(($(rig_stage) - 1))
rig_save stage3
