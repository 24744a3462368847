rig_host_check() {
	expect_replay stage2
}
