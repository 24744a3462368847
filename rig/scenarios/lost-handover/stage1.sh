# Stage 1: measure, load through kexec_load (no IMA segment), execute.
rig_measure "$BEFORE" before
rig_expect "kexec -l (kexec_load) $(rig_kernel 2)" \
	kexec -l "/rig/kernels/$(rig_kernel 2)" --initrd=/rig/initramfs.cpio.gz \
	--append="$(rig_next_cmdline)"
rig_expect_eq "kexec_load(2) reserves no segment: no kexec_load record" \
	"$(grep -c ' kexec_load [0-9a-f]*$' $IMA/ascii_runtime_measurements)" 0
rig_note at_execute "$(rig_count)"
rig_save stage1
rig_kexec_exec
