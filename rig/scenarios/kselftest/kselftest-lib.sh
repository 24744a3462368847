# Run the series' kselftest and report it as one KTAP line.
rig_kselftest() {
	local rc
	(cd /rig/scenario/selftest && KERNEL_IMAGE=/rig/kernels/$(rig_kernel "$(rig_stage)") \
		sh ./test_kexec_ima_handover.sh) >/tmp/selftest.log 2>&1
	rc=$?
	sed 's/^/# /' /tmp/selftest.log
	case $rc in
	0) rig_ok "kselftest test_kexec_ima_handover.sh ($1)" ;;
	4) rig_skip "kselftest test_kexec_ima_handover.sh ($1)" "$(tail -n 1 /tmp/selftest.log)" ;;
	*) rig_not_ok "kselftest test_kexec_ima_handover.sh ($1)" ;;
	esac
}
