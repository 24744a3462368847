# Stage 1: load, then overflow the segment, then execute.
rig_measure "$BEFORE" before
rig_expect "kexec -s -l $(rig_kernel 2)" rig_kexec_load "$(rig_kernel 2)"
rig_measure "$BETWEEN" between
rig_note at_execute "$(rig_count)"
rig_save stage1
rig_kexec_exec
