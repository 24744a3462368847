# Stage 1: load with kexec_file_load, unload, load with kexec_load, execute.
rig_measure "$BEFORE" before
rig_expect "kexec -s -l $(rig_kernel 2)" rig_kexec_load "$(rig_kernel 2)"
rig_expect "kexec -s -u" kexec -s -u
rig_measure 20 after-unload
rig_expect "kexec -l (kexec_load) $(rig_kernel 2)" \
	kexec -l "/rig/kernels/$(rig_kernel 2)" --initrd=/rig/initramfs.cpio.gz \
	--append="$(rig_next_cmdline)"
rig_note at_execute "$(rig_count)"
rig_save stage1
rig_kexec_exec
