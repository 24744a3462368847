# Stage 2: after the reload, nothing was lost.
rig_expect_handover 1
rig_save stage2
