# Stage 3: the segment of the load after the unload came over, the crash
# loads notwithstanding.
. /rig/scenario/lv-lib.sh
rig_memory_note
lv_handover 3
rig_save stage3
