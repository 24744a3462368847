rig_host_check() {
	host_expect "the old kernel logged the failed dump" \
		grep -q "Dump measurements failed. Error:-22" "$WS/console.log"
	expect_no_replay stage2 "${MISMATCH_WORDS:-mismatch}"
	host_expect "the verifier gives the kernel's verdict" \
		grep -q "tpm=mismatch" "$OUT/stage2/verifier.out"
}
