# Every stage of the chain: check the handover this kernel received and
# what it cost in memory, measure, then load and execute the next kernel.
stage=$(rig_stage)
last=$(echo $KERNELS | wc -w)
prev=$((stage - 1))

# First, before this stage allocates anything: what the boot reserved.
rig_memory_note

if [ "$stage" -gt 1 ]; then
	at_execute=$(rig_noted at_execute_$prev)
	segment=$(rig_noted segment_$prev)
	restored=$(rig_restored)
	rig_note handover_$stage "$(cat $IMA/kexec_handover)"
	rig_expect_eq "hop $prev: handover verified" "$(rig_handover_field result)" verified
	rig_expect_eq "hop $prev: restored = the list at execute + kexec_execute" \
		"$restored" "$((at_execute + 1))"
	rig_expect_eq "hop $prev: the report counts the restored records" \
		"$(rig_handover_field restored)" "$restored"
	head -n "$at_execute" /rig/out/stage$prev/ascii_runtime_measurements >/tmp/before
	head -n "$at_execute" $IMA/ascii_runtime_measurements >/tmp/after
	rig_expect "hop $prev: the stage $prev list is a prefix of the restored list" \
		cmp -s /tmp/before /tmp/after
	rig_expect "hop $prev: kexec_execute is the last restored record" \
		eval "sed -n ${restored}p $IMA/ascii_runtime_measurements | grep -q ' kexec_execute '"
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
