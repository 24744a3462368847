# Run the series' kselftest under each shell it must run with, busybox sh
# and dash (Debian's /bin/sh), each reported as one KTAP line.
rig_kselftest() {
	local rc shell
	for shell in sh dash; do
		(cd /rig/scenario/selftest && KERNEL_IMAGE=/rig/kernels/$(rig_kernel "$(rig_stage)") \
			$shell ./test_kexec_ima_handover.sh) >/tmp/selftest.log 2>&1
		rc=$?
		sed 's/^/# /' /tmp/selftest.log
		case $rc in
		0) rig_ok "kselftest test_kexec_ima_handover.sh under $shell ($1)" ;;
		4) rig_skip "kselftest test_kexec_ima_handover.sh under $shell ($1)" "$(tail -n 1 /tmp/selftest.log)" ;;
		*) rig_not_ok "kselftest test_kexec_ima_handover.sh under $shell ($1)" ;;
		esac
	done
}
