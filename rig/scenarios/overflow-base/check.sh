rig_host_check() {
	expect_no_replay stage2 "NOT VERIFIED"
	host_expect "the old kernel logged the failed dump" \
		grep -q "Dump measurements failed. Error:-22" "$WS/console.log"
}
