# Stage 1: measure, load, and let the host arm the next kernel's restore.
rig_measure "$BEFORE" before
rig_expect "kexec -s -l $(rig_kernel 2)" rig_kexec_load "$(rig_kernel 2)"
rig_measure "$BETWEEN" between
rig_note at_execute "$(rig_count)"
rig_save stage1
i=0
while [ ! -e /rig/out/armed ] && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
rig_expect "the host set its breakpoint on the next restore" [ -e /rig/out/armed ]
rig_kexec_exec
