# Stage 1: load, grow the list past the segment, fail a second load, execute.
rig_measure "$BEFORE" before
rig_expect "kexec -s -l $(rig_kernel 2)" rig_kexec_load "$(rig_kernel 2)"
rig_measure "$BETWEEN" between
long=$(head -c 2030 /dev/zero | tr '\0' x)
if rig_kexec_load "$(rig_kernel 2)" --append="$(rig_next_cmdline) $long" 2>/tmp/load.err; then
	rig_not_ok "a load with a 2030-character command line fails"
else
	rig_ok "a load with a 2030-character command line fails"
fi
rig_expect_eq "the failed load measured no kexec_load" \
	"$(grep -c ' kexec_load ' $IMA/ascii_runtime_measurements)" 1
rig_note at_execute "$(rig_count)"
rig_save stage1
rig_kexec_exec
