# Every stage of the chain: check the handover this kernel received and
# what it cost in memory, measure, then load and execute the next kernel.
stage=$(rig_stage)
last=$(echo $KERNELS | wc -w)
prev=$((stage - 1))

# First, before this stage allocates anything: what the boot reserved.
rig_memory_note

if [ "$stage" -gt 1 ]; then
	segment=$(rig_noted segment_$prev)
	rig_expect_handover "$prev" "hop $prev: "
	rig_memory_check "$segment"
fi

rig_measure "$PER_HOP" hop$stage
if [ "$stage" -lt "$last" ]; then
	next=$(rig_kernel $((stage + 1)))
	rig_expect "kexec -s -l $next" rig_kexec_load "$next"
	rig_note segment_$stage "$(rig_kexec_event kexec_load kexec_segment_size)"
	rig_note at_execute_$stage "$(rig_count)"
	rig_save stage$stage
	rig_kexec_exec
fi
rig_note chain_length "$prev"
rig_save stage$stage
