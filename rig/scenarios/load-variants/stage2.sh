# Stage 2: the second load's segment came over. Then load, unload, load a
# crash kernel, load again, load the crash kernel again, execute.
. /rig/scenario/lv-lib.sh
rig_memory_note
lv_handover 2
rig_measure 5 before
rig_expect "kexec -s -l $(rig_kernel 3) (to unload)" rig_kexec_load "$(rig_kernel 3)"
rig_measure 5 loaded
rig_expect "kexec -s -u" kexec -s -u
rig_expect_eq "nothing loaded after the unload" "$(cat /sys/kernel/kexec_loaded)" 0
executes=$(lv_records kexec_execute)
rig_expect "kexec -e refused with nothing loaded" lv_kexec_e_fails
rig_expect_eq "no kexec_execute record without a loaded kernel" \
	"$(lv_records kexec_execute)" "$executes"
lv_crash_load "before -l"
rig_expect "kexec -s -l $(rig_kernel 3) (after the unload)" rig_kexec_load "$(rig_kernel 3)"
rig_note segment_2 "$(rig_kexec_event kexec_load kexec_segment_size)"
lv_crash_load "after -l"
rig_measure 5 between
rig_note at_execute_2 "$(rig_count)"
rig_save stage2
rig_kexec_exec
