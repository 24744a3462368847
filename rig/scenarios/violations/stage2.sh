# Stage 2: the restored violations are counted.
. /rig/scenario/violations-lib.sh
rig_expect_eq "handover intact" "$(rig_handover_field result)" intact
rig_expect_violations "after kexec"
# Violations replay as the kernel extends them, all ones.
rig_expect_tpm match
rig_expect "the previous kernel's violations are counted" \
	[ "$(cat $IMA/violations)" -ge "$(rig_noted violations_1)" ]
rig_save stage2
