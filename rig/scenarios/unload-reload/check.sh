rig_host_check() {
	# The first kernel froze nothing for an image without an IMA segment.
	host_expect_eq "no measurement refused in the first kernel" \
		"$(grep -c 'refused: the list has been handed over for kexec' "$WS/console.log")" 0
	expect_replay stage1
}
