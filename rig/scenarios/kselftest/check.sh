# The selftest comes from the work tree, as the series has it.
mkdir -p "$share/scenario/selftest"
cp "$TREE"/tools/testing/selftests/kexec/{test_kexec_ima_handover.sh,kexec_common_lib.sh} \
	"$share/scenario/selftest/"

rig_host_check() {
	host_expect_eq "the selftest was not skipped" \
		"$(grep -c '^ok [0-9]* kselftest .* # SKIP' "$WS/console.log")" 0
	host_expect_eq "the selftest checked the kexec_load record in both kernels, under both shells" \
		"$(grep -c 'kexec_load record: segment, list size and count' "$WS/console.log")" 4
	host_expect_eq "the selftest checked the kexec_restore record after kexec, under both shells" \
		"$(grep -c 'the measurement list records the same outcome' "$WS/console.log")" 2
}
