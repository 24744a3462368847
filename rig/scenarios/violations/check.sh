rig_host_check() {
	expect_replay stage1
	expect_replay stage2
	HOST_SUMMARY="$(note violations_1) violations before the kexec"
}
