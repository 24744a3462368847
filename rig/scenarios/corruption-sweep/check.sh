# Stop each kexec'd kernel where it is about to restore, flip the hop's bit
# of the segment the previous kernel handed over, and let it go on. The
# offset is computed from the header actually there: after a rejection the
# next list is short.
rig_host_during() {
	local vmlinux script=$WS/sweep.gdb f name base off mask reason at hop=0
	vmlinux=$(dirname "$KERNEL_patched")/../../../vmlinux
	{
		echo "set pagination off"
		echo "file $vmlinux"
		echo "target remote $WS/gdb.sock"
		echo "hbreak ima_load_kexec_buffer"
		# The cold boot has nothing to restore.
		echo "ignore 1 1"
		for f in $FLIPS; do
			IFS=: read -r name base off mask reason <<<"$f"
			off=$(format_offset "$off")
			hop=$((hop + 1))
			case $base in
			start) at=0 ;;
			trailer) at='$bs' ;;
			esac
			cat <<-GDB
			continue
			set \$phys = *(unsigned long long *)&ima_kexec_buffer_phys
			set \$size = *(unsigned long long *)&ima_kexec_buffer_size
			maintenance packet Qqemu.PhyMemMode:1
			set \$bs = *(unsigned long long *)(\$phys + 8)
			set \$off = $at + ($off)
			set \$p = (unsigned char *)(\$phys + \$off)
			printf "flip $hop $name: segment %#llx, %llu bytes, buffer_size %llu, offset %lld, byte %#x", \$phys, \$size, \$bs, \$off, *\$p
			set *\$p = *\$p ^ $mask
			printf " now %#x\\n", *\$p
			maintenance packet Qqemu.PhyMemMode:0
			GDB
		done
		# Stay attached until the guest is done: the last kernel restores
		# with the debugger still there, as every other one did.
		echo "delete"
		echo "continue"
	} >"$script"
	for _ in $(seq 50); do [ -S "$WS/gdb.sock" ] && break; sleep 0.1; done
	timeout "$TIMEOUT" gdb -q -batch -nx -x "$script" >"$WS/gdb.log" 2>&1 &
}

rig_host_check() {
	local f name base off mask reason want k=1 injected detected=0
	injected=$(grep -c '^flip .* now ' "$WS/gdb.log" || true)
	for f in $FLIPS; do
		IFS=: read -r name base off mask reason <<<"$f"
		k=$((k + 1))
		# Nothing restored: the TPM holds what the previous kernels
		# extended into PCR 10, and the empty list does not replay to it.
		want="result=rejected;restored=0;dropped=0;reason=$reason;tpm=mismatch;tpm_sha1=mismatch:10;tpm_sha256=mismatch:10;"
		host_expect_eq "flip $((k - 1)) ($name) rejected for $reason, nothing restored, the TPM disagrees" \
			"$(note handover_$k)" "$want"
		[ "$(note handover_$k)" != "$want" ] || detected=$((detected + 1))
	done
	host_expect_eq "every flip injected" "$injected" "$((k - 1))"
	host_expect_eq "every flip detected" "$detected" "$injected"
	# The last list lost what the TPM holds, and the verifier says why.
	expect_no_replay stage$k "rejected"
	HOST_SUMMARY="$detected/$injected flips detected"
}
