rig_host_check() {
	expect_replay stage1-refused
	expect_replay stage2
	host_expect_eq "no measurement refused in the first kernel before the last kexec" \
		"$(sed -n '/rig: stage 1 end kexec/q;p' "$WS/console.log" | grep -c 'refused: the list has been handed over for kexec')" 0
	HOST_SUMMARY="$(note opened) files opened during $REFUSALS refused kexecs, $(note missing) missing"
}
