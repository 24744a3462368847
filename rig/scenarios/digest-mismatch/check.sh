# Stop the second kernel where it is about to restore, flip a bit of the
# segment the first kernel handed over, and let it go on.
rig_host_during() {
	gdb_at_second_restore "$WS/gdb.log" \
		-ex 'set $phys = *(unsigned long long *)&ima_kexec_buffer_phys' \
		-ex 'set $size = *(unsigned long long *)&ima_kexec_buffer_size' \
		-ex 'printf "segment at %#llx, %llu bytes\n", $phys, $size' \
		-ex "maintenance packet Qqemu.PhyMemMode:1" \
		-ex "set \$p = (unsigned char *)(\$phys + $(format_offset "$FLIP_OFFSET"))" \
		-ex 'printf "byte %#x\n", *$p' \
		-ex "set *\$p = *\$p ^ $FLIP_MASK" \
		-ex 'printf "byte now %#x\n", *$p' \
		-ex "maintenance packet Qqemu.PhyMemMode:0"
}

rig_host_check() {
	host_expect "gdb flipped the bit" grep -q "^byte now" "$WS/gdb.log"
	expect_no_replay stage2 "rejected"
}
