# Stage 1: load twice, the list outgrowing the first load's segment in
# between, then execute: only the second segment can hold the list.
. /rig/scenario/lv-lib.sh
rig_memory_note
rig_measure 5 before
rig_expect "kexec -s -l $(rig_kernel 2) (first)" rig_kexec_load "$(rig_kernel 2)"
first=$(rig_kexec_event kexec_load kexec_segment_size)
rig_note segment_first "$first"
n=0
while [ "$(wc -c <$IMA/binary_runtime_measurements)" -le "$first" ]; do
	rig_measure 5 grow$n
	n=$((n + 1))
done
rig_note list_bytes_at_second_load "$(wc -c <$IMA/binary_runtime_measurements)"
rig_expect "kexec -s -l $(rig_kernel 2) (second)" rig_kexec_load "$(rig_kernel 2)"
second=$(rig_kexec_event kexec_load kexec_segment_size)
rig_expect_eq "each load measured kexec_load" "$(lv_records kexec_load)" 2
rig_expect "the second segment ($second) is larger than the first ($first)" \
	[ "$second" -gt "$first" ]
rig_note segment_1 "$second"
rig_measure 5 between
rig_note at_execute_1 "$(rig_count)"
rig_save stage1
rig_kexec_exec
