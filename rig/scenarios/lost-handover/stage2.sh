# Stage 2: nothing handed over, and the TPM says something was lost.
rig_note handover "$(cat $IMA/kexec_restore)"
rig_expect_eq "nothing handed over" "$(rig_handover_field result)" none
rig_expect_eq "nothing restored" "$(rig_restored)" 0
rig_expect_tpm lost mismatch:10
rig_expect_eq "the list records the lost handover" \
	"$(rig_kexec_event kexec_restore tpm)" lost
dmesg >/tmp/dmesg
rig_expect_eq "the kernel log says so, once" \
	"$(grep -c 'hold measurements of a previous kernel, which handed no measurement list over' /tmp/dmesg)" 1
rig_save stage2
