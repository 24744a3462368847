# Stage 1: measure, a file to hide among them, load, execute.
rig_measure "$BEFORE" before
rig_measure 1 hidden
rig_measure "$BEFORE" after
rig_expect "the file to hide is measured" grep -q " $HIDDEN\$" $IMA/ascii_runtime_measurements
rig_expect "kexec -s -l $(rig_kernel 2)" rig_kexec_load "$(rig_kernel 2)"
rig_note at_execute "$(rig_count)"
rig_save stage1
rig_kexec_exec
