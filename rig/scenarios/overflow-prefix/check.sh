rig_host_check() {
	host_expect_ge "a prefix restored" "$(note restored)" 1
}
