rig_host_check() {
	local k
	for k in 1 2 3; do
		expect_replay stage$k
	done
	for k in 2 3; do
		host_expect_eq "stage $k: handover" "$(note handover_$k)" \
			"result=intact;restored=$(($(note at_execute_$((k - 1))) + 1));dropped=0;tpm=match;tpm_sha1=match;tpm_sha256=match;"
	done
	host_expect_ge "the second load reserved more than the first" \
		"$(note segment_1)" "$(($(note segment_first) + 1))"
	HOST_SUMMARY="segments: first load $(note segment_first), second $(note segment_1) handed over; after -u and -p: $(note segment_2) handed over"
}
