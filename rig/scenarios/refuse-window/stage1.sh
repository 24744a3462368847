# Stage 1: overflow, then refuse kexec -e several times while a task opens
# new files; then load again and execute.
rig_measure "$BEFORE" before
rig_expect "kexec -s -l $(rig_kernel 2)" rig_kexec_load "$(rig_kernel 2)"
rig_measure "$BETWEEN" between
mkdir -p /tmp/window
: >/tmp/window.log
(
	i=0
	while [ ! -e /tmp/window.stop ]; do
		echo "window $i" >/tmp/window/$i
		: </tmp/window/$i
		echo "/tmp/window/$i" >>/tmp/window.log
		i=$((i + 1))
	done
) &
producer=$!
refused=0
k=0
while [ $k -lt "$REFUSALS" ]; do
	kexec -e 2>/tmp/kexec.err && break
	grep -q "No space left on device" /tmp/kexec.err && refused=$((refused + 1))
	k=$((k + 1))
done
touch /tmp/window.stop
wait $producer
rig_expect_eq "every kexec -e refused with ENOSPC" "$refused" "$REFUSALS"
opened=$(grep -c '' /tmp/window.log)
rig_note opened "$opened"
missing=0
while read -r f; do
	grep -q " $f\$" $IMA/ascii_runtime_measurements || missing=$((missing + 1))
done </tmp/window.log
rig_note missing "$missing"
rig_expect "the task opened files throughout" [ "$opened" -gt 0 ]
rig_expect_eq "every file opened during the refusals is measured" "$missing" 0
rig_expect_eq "a refused kexec records no kexec_execute" \
	"$(grep -c ' kexec_execute ' $IMA/ascii_runtime_measurements)" 0
rig_save stage1-refused
rig_expect "kexec -s -l again" rig_kexec_load "$(rig_kernel 2)"
rig_note at_execute_1 "$(rig_count)"
rig_save stage1
rig_kexec_exec
