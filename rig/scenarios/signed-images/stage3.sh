# Stage 3: the second signed kexec handed over a verified list too.
. /rig/scenario/signed-lib.sh
signed_handover
rig_save stage3
