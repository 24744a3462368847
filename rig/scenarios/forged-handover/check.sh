# Stop the second kernel where it is about to restore and let forge.py cut
# the hidden file's record out of the segment, the format's offsets given
# from ima_kexec_format.h.
rig_host_during() {
	local vmlinux
	vmlinux=$(dirname "$KERNEL_patched")/../../../vmlinux
	for _ in $(seq 50); do [ -S "$WS/gdb.sock" ] && break; sleep 0.1; done
	timeout "$TIMEOUT" gdb -q -batch -nx \
		-ex "set pagination off" \
		-ex "file $vmlinux" \
		-ex "target remote $WS/gdb.sock" \
		-ex "hbreak ima_load_kexec_buffer" \
		-ex "ignore 1 1" \
		-ex "continue" \
		-ex "python HIDDEN = b'$HIDDEN'" \
		-ex "python HDR_SIZE = $(format_offset IMA_KEXEC_HDR_SIZE)" \
		-ex "python HDR_BUFFER_SIZE_OFF = $(format_offset IMA_KEXEC_HDR_BUFFER_SIZE_OFF)" \
		-ex "python HDR_COUNT_OFF = $(format_offset IMA_KEXEC_HDR_COUNT_OFF)" \
		-ex "python TRAILER_DIGEST_OFF = $(format_offset IMA_KEXEC_TRAILER_DIGEST_OFF)" \
		-ex "python TRAILER_SIZE = $(format_offset IMA_KEXEC_TRAILER_SIZE)" \
		-ex "source $WS/share/scenario/forge.py" \
		-ex "delete" \
		-ex "detach" >"$WS/gdb.log" 2>&1 &
}

rig_host_check() {
	host_expect "forge.py cut the record out" grep -q "^forged:" "$WS/gdb.log"
	expect_replay stage1
	expect_no_replay stage2 "${FORGED_WORDS:-mismatch}"
	host_expect "the verifier gives the kernel's verdict" \
		grep -q "tpm=mismatch" "$OUT/stage2/verifier.out"
}
