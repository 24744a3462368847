# Stage 1: measure, load the next kernel, measure more, execute.
rig_measure "$BEFORE" before
rig_note before_load "$(rig_count)"
rig_expect "kexec -s -l $(rig_kernel 2)" rig_kexec_load "$(rig_kernel 2)"
rig_note after_load "$(rig_count)"
rig_measure "$BETWEEN" between
rig_note at_execute "$(rig_count)"
rig_save stage1
rig_kexec_exec
