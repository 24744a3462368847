# Stage 1: overflow, see kexec -e refused, load again, execute.
rig_measure "$BEFORE" before
rig_expect "kexec -s -l $(rig_kernel 2)" rig_kexec_load "$(rig_kernel 2)"
rig_measure "$BETWEEN" between
if kexec -e 2>/tmp/kexec.err; then
	rig_not_ok "kexec -e refused"
else
	rig_ok "kexec -e refused"
fi
rig_diag "kexec said: $(cat /tmp/kexec.err)"
rig_expect "kexec -e failed with ENOSPC" grep -q "No space left on device" /tmp/kexec.err
dmesg >/tmp/dmesg
rig_expect "the kernel log says why" grep -q "kexec refused: the measurement list of [0-9]* bytes does not fit" /tmp/dmesg
rig_measure 5 after-refusal
rig_expect "measurements resumed after the refusal" \
	grep -q "/tmp/measure/after-refusal.4\$" $IMA/ascii_runtime_measurements
rig_expect "kexec -s -l again" rig_kexec_load "$(rig_kernel 2)"
rig_note at_execute "$(rig_count)"
rig_save stage1
rig_kexec_exec
