# Stage 2: every measurement of stage 1 is here, in order, before this
# boot's boot_aggregate.
at_execute=$(sed -n 's/^at_execute=//p' /rig/out/notes)
restored=$(rig_restored)
rig_note restored "$restored"
rig_note handover "$(cat $IMA/kexec_restore 2>/dev/null || echo none)"
head -n "$at_execute" /rig/out/stage1/ascii_runtime_measurements >/tmp/before
head -n "$at_execute" $IMA/ascii_runtime_measurements >/tmp/after
rig_expect "the stage 1 list is a prefix of the restored list" cmp -s /tmp/before /tmp/after
# A patched kernel measures kexec_execute after the count was taken.
extra=$(head -n "$restored" $IMA/ascii_runtime_measurements | tail -n +"$((at_execute + 1))" |
	grep -vc ' kexec_execute ' || true)
rig_expect_eq "nothing but kexec_execute follows the stage 1 list" "$extra" 0
rig_save stage2
