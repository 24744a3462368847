baseline_host_check() {
	expect_replay stage1
	expect_replay stage2
	host_expect_ge "entries restored >= entries at execute" \
		"$(note restored)" "$(note at_execute)"
	# shellcheck disable=SC2053
	host_expect "handover reported as $EXPECT_HANDOVER" \
		eval '[[ "$(note handover)" == $EXPECT_HANDOVER ]]'
}

rig_host_check() { baseline_host_check; }
