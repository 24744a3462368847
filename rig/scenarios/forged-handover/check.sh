# Stop the second kernel where it is about to restore and let forge.py cut
# the hidden file's record out of the segment, the format's offsets given
# from ima_kexec_format.h.
rig_host_during() {
	gdb_at_second_restore "$WS/gdb.log" \
		-ex "python HIDDEN = b'$HIDDEN'" \
		-ex "python HDR_SIZE = $(format_offset IMA_KEXEC_HDR_SIZE)" \
		-ex "python HDR_BUFFER_SIZE_OFF = $(format_offset IMA_KEXEC_HDR_BUFFER_SIZE_OFF)" \
		-ex "python HDR_COUNT_OFF = $(format_offset IMA_KEXEC_HDR_COUNT_OFF)" \
		-ex "python TRAILER_DIGEST_OFF = $(format_offset IMA_KEXEC_TRAILER_DIGEST_OFF)" \
		-ex "python TRAILER_SIZE = $(format_offset IMA_KEXEC_TRAILER_SIZE)" \
		-ex "source $WS/share/scenario/forge.py"
}

rig_host_check() {
	host_expect "forge.py cut the record out" grep -q "^forged:" "$WS/gdb.log"
	expect_replay stage1
	expect_no_replay stage2 "${FORGED_WORDS:-mismatch}"
	host_expect "the verifier gives the kernel's verdict" \
		grep -q "tpm=mismatch" "$OUT/stage2/verifier.out"
}
