# Every stage of the sweep: the previous kernel's handover, one bit of it
# flipped by the host, was rejected whole and for the flip's reason; then
# hand over to the next kernel, for the next flip.
stage=$(rig_stage)
last=$(echo $KERNELS | wc -w)

if [ "$stage" -gt 1 ]; then
	flip=$(echo $FLIPS | cut -d' ' -f$((stage - 1)))
	name=${flip%%:*}
	reason=${flip##*:}
	rig_note handover_$stage "$(cat $IMA/kexec_restore)"
	rig_expect_eq "flip $((stage - 1)) ($name): handover rejected" \
		"$(rig_handover_field result)" rejected
	rig_expect_eq "flip $((stage - 1)) ($name): reason $reason" \
		"$(rig_handover_field reason)" "$reason"
	rig_expect_eq "flip $((stage - 1)) ($name): nothing restored" "$(rig_restored)" 0
	rig_expect "flip $((stage - 1)) ($name): the list records the rejection" \
		eval "sed -n 2p $IMA/ascii_runtime_measurements | grep -q ' kexec_restore '"
	rig_expect "flip $((stage - 1)) ($name): the kernel log names the cause" \
		eval "dmesg | grep -q 'Rejected the measurement list from the previous kernel: $reason\$'"
fi

if [ "$stage" -lt "$last" ]; then
	rig_expect "kexec -s -l $(rig_kernel $((stage + 1)))" rig_kexec_load "$(rig_kernel $((stage + 1)))"
	rig_kexec_exec
fi
rig_save stage$stage
