# Every stage: check what this one was handed, measure, and load the next
# with its boot parameter instead of this one's.
stage=$(rig_stage)
prev=$((stage - 1))
case $stage in
1) next_extra=$BYPASS; want_reason= ;;
2) next_extra=$CHECK_OFF; want_reason=no_tpm ;;
3) next_extra=; want_reason=disabled ;;
esac
if [ "$stage" -gt 1 ]; then
	rig_note handover_$stage "$(cat $IMA/kexec_restore)"
	rig_expect_eq "handover intact" "$(rig_handover_field result)" intact
	rig_expect_eq "restored = the list at execute + kexec_execute" \
		"$(rig_restored)" "$(($(rig_noted at_execute_$prev) + 1))"
	rig_expect_eq "the TPM's verdict" "$(rig_handover_field tpm)" not_checked
	rig_expect_eq "why not" "$(rig_handover_field tpm_reason)" "$want_reason"
fi
[ "$stage" != 2 ] || rig_expect "TPM-bypass: no TPM device" test ! -e $TPM
[ "$stage" != 3 ] || rig_expect "the TPM is back" test -e $TPM
rig_save stage$stage
[ "$stage" -lt 3 ] || return 0
rig_measure "$BEFORE" stage$stage
cmdline=$(rig_next_cmdline | sed -e "s/ $BYPASS//" -e "s/ $CHECK_OFF//")
rig_expect "kexec -s -l $(rig_kernel $((stage + 1))) $next_extra" \
	kexec -s -l "/rig/kernels/$(rig_kernel $((stage + 1)))" \
	--initrd=/rig/initramfs.cpio.gz --append="$cmdline $next_extra"
rig_note at_execute_$stage "$(rig_count)"
rig_kexec_exec
