rig_host_check() {
	expect_replay stage1
	expect_replay stage2
	host_expect_ge "entries restored >= entries at execute" \
		"$(note restored)" "$(note at_execute)"
}
