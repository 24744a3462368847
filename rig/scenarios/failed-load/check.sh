rig_host_check() {
	expect_no_replay stage2 "truncated"
	host_expect_ge "some measurements were left out" "$(note dropped)" 1
}
