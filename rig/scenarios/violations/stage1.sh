# Stage 1: two violations, then kexec.
. /rig/scenario/violations-lib.sh
rig_measure 10 before
for f in /tmp/violation.1 /tmp/violation.2; do
	echo "$f" >"$f"
	# Open for write while it is opened for read and measured.
	exec 3>>"$f"
	: <"$f"
	exec 3>&-
done
rig_expect_violations "stage 1"
rig_note violations_1 "$(cat $IMA/violations)"
rig_expect "kexec -s -l $(rig_kernel 2)" rig_kexec_load "$(rig_kernel 2)"
rig_save stage1
rig_kexec_exec
