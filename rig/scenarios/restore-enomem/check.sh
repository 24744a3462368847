# Once stage 1 has counted its list, attach to the running guest, stop the
# next kernel at ima_load_kexec_buffer() and arm failslab there. failslab
# (mm/failslab.c) is a struct fault_attr followed by ignore_gfp_reclaim;
# vmlinux has no debug info, so the offsets are x86_64's without spinlock
# debugging, checked against the initial values before anything is
# written: a layout that differs arms nothing, and the scenario fails.
rig_host_during() {
	local vmlinux
	vmlinux=$(dirname "$KERNEL_debug")/../../../vmlinux
	(
		for _ in $(seq 1200); do
			grep -q '^at_execute=' "$OUT/notes" 2>/dev/null && break
			sleep 0.2
		done
		n=$(note at_execute)
		[ -n "$n" ] || exit 1
		nth=$((4 * n + n / 2))
		cat >"$WS/arm.gdb" <<-GDB
		set pagination off
		file $vmlinux
		target remote $WS/gdb.sock
		hbreak ima_load_kexec_buffer
		shell touch $OUT/armed
		continue
		set \$fsl = (unsigned char *)&failslab
		printf "failslab: interval %lu times %d verbose %lu depth %lu require_end %#lx ignore_gfp_reclaim %d cache_filter %d\\n", *(unsigned long *)(\$fsl + 8), *(int *)(\$fsl + 16), *(unsigned long *)(\$fsl + 24), *(unsigned long *)(\$fsl + 40), *(unsigned long *)(\$fsl + 56), *(\$fsl + 184), *(\$fsl + 185)
		if *(unsigned long *)(\$fsl + 8) == 1 && *(int *)(\$fsl + 16) == 1 && *(unsigned long *)(\$fsl + 24) == 2 && *(unsigned long *)(\$fsl + 40) == 32 && *(unsigned long *)(\$fsl + 56) == 0xffffffffffffffff && *(\$fsl + 184) == 1 && *(\$fsl + 185) == 0
		set *(unsigned long *)(\$fsl + 24) = 0
		set *(unsigned long *)(\$fsl + 80) = 0
		set *(unsigned long *)(\$fsl + 8) = $nth
		set *(\$fsl + 184) = 0
		set *(unsigned long *)(\$fsl + 0) = 100
		printf "armed: slab allocation $nth from here fails ($n records at execute)\\n"
		else
		printf "failslab is not laid out as expected: not armed\\n"
		end
		delete
		detach
		GDB
		timeout "$TIMEOUT" gdb -q -batch -nx -x "$WS/arm.gdb"
	) >"$WS/gdb.log" 2>&1 &
}

rig_host_check() {
	host_expect "gdb armed failslab in the second kernel" grep -q '^armed: ' "$WS/gdb.log"
	expect_no_replay stage2 "rejected"
	HOST_SUMMARY="$(sed -n 's/^armed: //p' "$WS/gdb.log")"
}
