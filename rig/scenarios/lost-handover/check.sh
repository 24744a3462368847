rig_host_check() {
	expect_replay stage1
	# The new list starts from this boot; PCR 10 does not.
	expect_no_replay stage2 "${LOST_WORDS:-lost}"
	host_expect "the verifier gives the kernel's verdict" \
		grep -q "tpm=lost" "$OUT/stage2/verifier.out"
}
