# Every stage of the race: check the handover this kernel received while
# the previous one was measuring on another CPU, then start measuring in
# the background and execute the next kernel.
stage=$(rig_stage)
last=$(echo $KERNELS | wc -w)
prev=$((stage - 1))

# race_producer: measure a new file every 20 ms or so until the kernel
# goes away. Flat out it measures about one a millisecond, and the half
# page the segment keeps for measurements after load holds some twenty:
# the handover would be truncated, and a truncated list never replays
# again, hiding whatever a later hop gets wrong.
race_producer() {
	local i=0
	mkdir -p /tmp/race
	while :; do
		echo "race $stage $i" >/tmp/race/$stage.$i
		: </tmp/race/$stage.$i
		i=$((i + 1))
		usleep 20000
	done
}

if [ "$stage" -gt 1 ]; then
	# First, the list and the PCRs as the racing hop left them.
	rig_save stage$stage
	pre=/rig/out/race$prev.pre
	at_race=$(grep -c '' $pre)
	restored=$(rig_restored)
	result=$(rig_handover_field result)
	rig_note handover_$stage "$(cat $IMA/kexec_restore)"
	rig_expect_eq "hop $prev: the report counts the restored records" \
		"$(rig_handover_field restored)" "$restored"
	head -n "$at_race" $IMA/ascii_runtime_measurements >/tmp/after
	rig_expect "hop $prev: the list before the race is a prefix of the restored list" \
		cmp -s $pre /tmp/after
	# What the race added: the producer's files and kexec_execute, once.
	head -n "$restored" $IMA/ascii_runtime_measurements | tail -n +"$((at_race + 1))" >/tmp/raced
	raced=$(grep -c ' /tmp/race/' /tmp/raced)
	rig_note raced_$stage "$raced"
	rig_note after_execute_$stage \
		"$(sed -n '/ kexec_execute /,$p' /tmp/raced | grep -c ' /tmp/race/')"
	case $result in
	intact)
		rig_ok "hop $prev: handover intact"
		rig_expect_eq "hop $prev: the race added the producer's files and kexec_execute" \
			"$(grep -c '' /tmp/raced)" "$((raced + 1))"
		rig_expect_eq "hop $prev: one kexec_execute" "$(grep -c ' kexec_execute ' /tmp/raced)" 1
		rig_expect_tpm match match "hop $prev: "
		;;
	truncated)
		# The producer outran the segment: explained, and counted.
		rig_ok "hop $prev: handover truncated, $(rig_handover_field dropped) left out"
		rig_expect_tpm mismatch mismatch:10 "hop $prev: "
		;;
	*)
		rig_not_ok "hop $prev: handover intact or truncated, not '$result'"
		;;
	esac
fi

[ "$stage" -lt "$last" ] || return 0
next=$(rig_kernel $((stage + 1)))
rig_expect "kexec -s -l $next" rig_kexec_load "$next"
cat $IMA/ascii_runtime_measurements >/rig/out/race$stage.pre
race_producer &
# Execute at a different phase of the producer's loop at each hop.
usleep $((stage * 37 % 10 * 20000))
rig_kexec_exec
