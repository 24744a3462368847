# SPDX-License-Identifier: GPL-2.0
# The steps a scenario's stages are made of: step_<name> <args>, named in
# scenario.env as "<name> <args>". Each one prints KTAP results; the
# arguments are expanded when the step runs, so a stage may name the
# scenario's variables ('measure $BEFORE before').

# --- Measuring, loading, executing -------------------------------------

# measure N TAG: N new measurements, files /tmp/measure/TAG.<i>.
step_measure() { rig_measure "$1" "$2"; }

# note KEY: the list's length now, as KEY_<stage>.
step_note() { rig_note "$1_$(rig_stage)" "$(rig_count)"; }

# load [BOOT-PARAMETER...]: kexec -s -l the next stage's kernel, the
# parameters added to its command line (name them in ONCE as well when
# they are for that stage only).
step_load() {
	local next
	next=$(rig_next_kernel)
	ktap_expect "kexec -s -l $next${1:+ with $*}" \
		kexec -s -l /rig/kernels/$next --initrd="/rig/$INITRD" \
		--append="$(rig_next_cmdline)${1:+ $*}"
}

# load_legacy: kexec -l, the kexec_load syscall, which carries no IMA segment.
step_load_legacy() {
	ktap_expect "kexec -l (kexec_load) $(rig_next_kernel)" \
		kexec -l "/rig/kernels/$(rig_next_kernel)" --initrd="/rig/$INITRD" \
		--append="$(rig_next_cmdline)"
}

step_unload() {
	ktap_expect "kexec -s -u" kexec -s -u
	ktap_expect_eq "nothing loaded after the unload" "$(cat /sys/kernel/kexec_loaded)" 0
}

# kexec: kexec -e, nothing saved.
step_kexec() { rig_kexec_exec; }

# execute: note the list's length (at_execute_<stage>), save, kexec -e.
step_execute() {
	rig_note at_execute_$(rig_stage) "$(rig_count)"
	rig_save stage$(rig_stage)
	rig_kexec_exec
}

# save NAME: the list and the PCRs now, in /rig/out/NAME.
step_save() { rig_save "$1"; }

# note_segment: the size of the segment the last load reserved.
step_note_segment() {
	rig_note segment_$(rig_stage) "$(rig_kexec_event kexec_load kexec_segment_size)"
}

# --- What the list and the log hold ------------------------------------

# expect_records EVENT N: the list holds N EVENT records.
step_expect_records() {
	ktap_expect_eq "the list holds $2 $1 record(s)" "$(rig_records "$1")" "$2"
}

step_expect_in_list() {
	ktap_expect "$1 is in the list" grep -q " $1\$" $IMA/ascii_runtime_measurements
}

step_expect_not_in_list() {
	ktap_expect "$1 is not in the list" \
		eval "! grep -q ' $1\$' $IMA/ascii_runtime_measurements"
}

# expect_log PATTERN: the kernel log has a line matching PATTERN (grep -E).
step_expect_log() {
	local pattern=$1
	ktap_expect "the kernel log says: $1" eval 'dmesg | grep -qE "$pattern"'
}

# expect_log_count N PATTERN: exactly N lines.
step_expect_log_count() {
	ktap_expect_eq "the kernel log says $1 time(s): $2" "$(dmesg | grep -cE "$2")" "$1"
}

step_expect_log_once() { step_expect_log_count 1 "$1"; }

step_expect_no_log() {
	local pattern=$1
	ktap_expect "the kernel log does not say: $1" eval '! dmesg | grep -qE "$pattern"'
}

step_expect_tpm_device() {
	ktap_expect "a TPM device" test -e $TPM_DEV
}

step_expect_no_tpm_device() {
	ktap_expect "no TPM device" test ! -e $TPM_DEV
}

# --- What the kernel says of the handover ------------------------------

# expect_field KEY VALUE: a field of ima/kexec_restore.
step_expect_field() {
	ktap_expect_eq "the handover report's $1" "$(rig_handover_field "$1")" "$2"
}

# expect_tpm VERDICT [BANKS]: the kernel's TPM verdict on the restored
# list (match, mismatch, lost, not_checked) and that of each of the
# swtpm's banks, sha1 and sha256 (match, mismatch:<PCRs>; default VERDICT).
step_expect_tpm() {
	local bank
	ktap_expect_eq "${RIG_PREFIX:-}the TPM's verdict on the restored list" \
		"$(rig_handover_field tpm)" "$1"
	for bank in sha1 sha256; do
		ktap_expect_eq "${RIG_PREFIX:-}the TPM's $bank bank" \
			"$(rig_handover_field tpm_$bank)" "${2:-$1}"
	done
}

# expect_restored [DELTA]: the restore holds the previous stage's list at
# execute, kexec_execute, and DELTA records more (a negative DELTA: fewer).
step_expect_restored() {
	ktap_expect_eq "restored = the list at execute + kexec_execute${1:+ $1}" \
		"$(rig_restored)" "$(($(rig_at_execute) + 1 ${1:+ + $1}))"
}

# note_handover: the report and the count, as handover_<stage> and
# restored_<stage>, for the host.
step_note_handover() { rig_note_handover; }

rig_note_handover() {
	rig_note restored_$(rig_stage) "$(rig_restored)"
	rig_note handover_$(rig_stage) "$(cat $IMA/kexec_restore 2>/dev/null || echo none)"
}

# rig_expect_prefix N: the previous stage's saved list and this one agree
# on their first N records.
rig_expect_prefix() {
	local prev=$(($(rig_stage) - 1))
	head -n "$1" /rig/out/stage$prev/ascii_runtime_measurements >/tmp/before
	head -n "$1" $IMA/ascii_runtime_measurements >/tmp/after
	ktap_expect "${RIG_PREFIX:-}the stage $prev list is a prefix of the restored list" \
		cmp -s /tmp/before /tmp/after
}

# expect_restored_fewer: fewer records restored than the previous list
# had at execute.
step_expect_restored_fewer() {
	ktap_expect "fewer records restored than the list at execute" \
		[ "$(rig_restored)" -lt "$(rig_at_execute)" ]
}

step_expect_report_counts() {
	ktap_expect_eq "the report counts the restored records" \
		"$(rig_handover_field restored)" "$(rig_restored)"
}

step_expect_no_report() {
	ktap_expect "the kernel has no handover report" test ! -e $IMA/kexec_restore
}

# expect_whole: every record of the previous stage's list is here, in
# order, before this boot's boot_aggregate, and nothing else but a
# kexec_execute; any kernel, the base one too (the host judges the
# report from the notes).
step_expect_whole() {
	local at_execute restored extra
	at_execute=$(rig_at_execute)
	restored=$(rig_restored)
	rig_note_handover
	rig_expect_prefix "$at_execute"
	extra=$(head -n "$restored" $IMA/ascii_runtime_measurements | tail -n +"$((at_execute + 1))" |
		grep -vc ' kexec_execute ' || true)
	ktap_expect_eq "nothing but kexec_execute follows the stage $(($(rig_stage) - 1)) list" "$extra" 0
}

# expect_handover: the previous stage's list came over intact and whole,
# then kexec_execute as the last restored record, the report counts them,
# and the TPM agrees.
step_expect_handover() {
	local restored pfx=${RIG_PREFIX:-}
	restored=$(rig_restored)
	rig_note_handover
	ktap_expect_eq "${pfx}handover intact" "$(rig_handover_field result)" intact
	ktap_expect_eq "${pfx}restored = the list at execute + kexec_execute" \
		"$restored" "$(($(rig_at_execute) + 1))"
	ktap_expect_eq "${pfx}the report counts the restored records" \
		"$(rig_handover_field restored)" "$restored"
	rig_expect_prefix "$(rig_at_execute)"
	ktap_expect "${pfx}kexec_execute is the last restored record" \
		eval "sed -n ${restored}p $IMA/ascii_runtime_measurements | grep -q ' kexec_execute '"
	step_expect_tpm match
}

# expect_truncated: the longest prefix of complete records that fitted,
# and the number left out, exactly; the TPM holds what was left out.
step_expect_truncated() {
	local restored dropped
	restored=$(rig_restored)
	dropped=$(rig_handover_field dropped)
	rig_note_handover
	rig_note dropped_$(rig_stage) "$dropped"
	ktap_expect_eq "handover reported as truncated" "$(rig_handover_field result)" truncated
	ktap_expect_eq "the report counts the restored records" "$(rig_handover_field restored)" "$restored"
	# The kexec_execute record was the last of the list at execute.
	ktap_expect_eq "restored + dropped = the list at execute + kexec_execute" \
		"$((restored + dropped))" "$(($(rig_at_execute) + 1))"
	rig_expect_prefix "$restored"
	step_expect_log "which left out $dropped\$"
	step_expect_tpm mismatch mismatch:10
	step_expect_log "as restored, does not replay to the TPM's PCRs: $(cat $IMA/kexec_restore)\$"
}

# expect_prefix: what any patch of the series from the one that stops
# partial records on gets right: some records restored, a prefix of the
# old list, and no restore error.
step_expect_prefix() {
	local restored
	restored=$(rig_restored)
	rig_note_handover
	ktap_expect "some records restored" [ "$restored" -gt 0 ]
	rig_expect_prefix "$restored"
	step_expect_no_log "Failed to restore|Rejected the measurement list|Error restoring"
}

# expect_rejected REASON: the handover was rejected whole and said why.
step_expect_rejected() {
	local pfx=${RIG_PREFIX:-}
	rig_note_handover
	ktap_expect_eq "${pfx}handover rejected" "$(rig_handover_field result)" rejected
	ktap_expect_eq "${pfx}rejected because of $1" "$(rig_handover_field reason)" "$1"
	ktap_expect_eq "${pfx}the report counts nothing restored" "$(rig_handover_field restored)" 0
	ktap_expect_eq "${pfx}nothing restored" "$(rig_restored)" 0
	# What the TPM holds, the empty list does not explain.
	step_expect_tpm mismatch mismatch:10
	ktap_expect "${pfx}the list records the rejection" \
		eval "sed -n 2p $IMA/ascii_runtime_measurements | grep -q ' ima-buf sha256:[0-9a-f]* kexec_restore '"
	ktap_expect "${pfx}the kernel log names the cause" \
		eval "dmesg | grep -q 'Rejected the measurement list from the previous kernel: $1\$'"
}

# expect_lost: nothing was handed over, yet PCR 10 holds the previous
# kernel's measurements: reported as lost, in the report, in a
# kexec_restore record and once in the log.
step_expect_lost() {
	rig_note_handover
	ktap_expect_eq "nothing handed over" "$(rig_handover_field result)" none
	ktap_expect_eq "nothing restored" "$(rig_restored)" 0
	step_expect_tpm lost mismatch:10
	ktap_expect_eq "the list records the lost handover" \
		"$(rig_kexec_event kexec_restore tpm)" lost
	step_expect_log_once "hold measurements of a previous kernel, which handed no measurement list over"
}

# expect_not_checked REASON: restored whole, and the TPM not asked, for
# REASON.
step_expect_not_checked() {
	rig_note_handover
	ktap_expect_eq "handover intact" "$(rig_handover_field result)" intact
	step_expect_restored
	ktap_expect_eq "the TPM's verdict" "$(rig_handover_field tpm)" not_checked
	ktap_expect_eq "why not" "$(rig_handover_field tpm_reason)" "$1"
	ktap_expect_eq "no bank verdict" "$(rig_handover_field tpm_sha256)" ""
}

# --- Memory ------------------------------------------------------------

# memory_note: MemTotal and what the boot's "Memory:" line counts as
# reserved, as memtotal_<stage> and reserved_<stage>; on a device-tree
# machine also the pages of the boot's device tree, which stay reserved
# (fdt_<stage>, kB). First thing in a stage, before it allocates anything.
step_memory_note() {
	rig_note memtotal_$(rig_stage) "$(sed -n 's/^MemTotal: *\([0-9]*\) kB$/\1/p' /proc/meminfo)"
	rig_note reserved_$(rig_stage) "$(dmesg | sed -n 's/.*Memory: .* \([0-9]*\)K reserved,.*/\1/p')"
	[ ! -r /sys/firmware/fdt ] ||
		rig_note fdt_$(rig_stage) $((($(wc -c </sys/firmware/fdt) + 4095) / 4096 * 4))
}

# rig_within_page KB LOW: KB is LOW to LOW + 4, one page wide, so that a
# segment left reserved (8 kB and up) never fits.
rig_within_page() { [ "$1" -ge "$2" ] && [ "$1" -le $(($2 + 4)) ]; }

# memory_check: this kexec boot held the segment the previous stage's
# last load reserved (note_segment), and gave it back. x86
# memblock-reserves the segment until ima_load_kexec_buffer() frees it
# with memblock_free_late(): the "Memory:" line counts it as reserved,
# MemTotal read later no longer does. A segment never freed stays out of
# MemTotal; one reserved again shows in the "Memory:" line. Stage 2 may
# differ from the cold boot by a page of page tables (the kexec boot
# parameters split the memory map), and on arm64 and powerpc by the size
# of the device tree: QEMU's (arm64) is padded to 1 MiB and prom_init's
# (powerpc) fills whole pages, the one kexec_file_load builds does not:
# its last page can hold other early allocations too, so that it may cost
# a page less than its size in pages (seen on pseries with one vCPU).
# Later stages must match stage 2.
step_memory_check() {
	local stage segment base memtotal fdt_cold fdt_now dt pfx=${RIG_PREFIX:-}
	local low=0 more="+ a page at most" fewer="- a page at most"
	stage=$(rig_stage)
	segment=$(rig_noted segment_$((stage - 1)))
	base=$(($(rig_noted reserved_$stage) - segment / 1024))
	memtotal=$(rig_noted memtotal_$stage)
	fdt_cold=$(rig_noted fdt_1)
	fdt_now=$(rig_noted fdt_$stage)
	dt=$((${fdt_cold:-0} - ${fdt_now:-0}))
	[ -z "$fdt_now" ] || { low=-4 more="- a page at most" fewer="+ a page at most"; }
	rig_note base_reserved_$stage "$base"
	if [ "$stage" = 2 ]; then
		[ "$dt" = 0 ] || segment="$segment-byte segment - the $dt kB the device tree shrank"
		[ "$dt" != 0 ] || segment="$segment-byte segment"
		ktap_expect "${pfx}reserved at boot = the cold boot's + the $segment ($more)" \
			rig_within_page $((base - $(rig_noted reserved_1) + dt)) $low
		ktap_expect "${pfx}MemTotal once the segment is freed = the cold boot's ($fewer)" \
			rig_within_page $(($(rig_noted memtotal_1) - memtotal + dt)) $low
	else
		ktap_expect_eq "${pfx}reserved at boot = stage 2's, but for the $segment-byte segment" \
			"$base" "$(rig_noted base_reserved_2)"
		ktap_expect_eq "${pfx}MemTotal once the segment is freed = stage 2's" \
			"$memtotal" "$(rig_noted memtotal_2)"
	fi
}

# --- Chains of kexecs --------------------------------------------------

# hop_prefix: every following result of a chain's stage is named for the
# hop it judges.
step_hop_prefix() { RIG_PREFIX="hop $(($(rig_stage) - 1)): "; }

# expect_flip_rejected: corruption-sweep's hop: the flip FLIPS names for
# this hop was detected, for its reason.
step_expect_flip_rejected() {
	local flip name
	flip=$(echo $FLIPS | cut -d' ' -f$(($(rig_stage) - 1)))
	name=${flip%%:*}
	RIG_PREFIX="flip $(($(rig_stage) - 1)) ($name): "
	step_expect_rejected "${flip##*:}"
	RIG_PREFIX=
}

# race_check: the handover this kernel received while the previous one
# was measuring on another CPU: intact, with what the race added, or
# truncated when the producer outran the segment; explained either way.
step_race_check() {
	local prev pre at_race restored result raced pfx
	prev=$(($(rig_stage) - 1))
	pfx="hop $prev: "
	# First, the list and the PCRs as the racing hop left them.
	rig_save stage$(rig_stage)
	pre=/rig/out/race$prev.pre
	at_race=$(grep -c '' $pre)
	restored=$(rig_restored)
	result=$(rig_handover_field result)
	rig_note_handover
	ktap_expect_eq "${pfx}the report counts the restored records" \
		"$(rig_handover_field restored)" "$restored"
	head -n "$at_race" $IMA/ascii_runtime_measurements >/tmp/after
	ktap_expect "${pfx}the list before the race is a prefix of the restored list" \
		cmp -s $pre /tmp/after
	# What the race added: the producer's files and kexec_execute, once.
	head -n "$restored" $IMA/ascii_runtime_measurements | tail -n +"$((at_race + 1))" >/tmp/raced
	raced=$(grep -c ' /tmp/race/' /tmp/raced)
	rig_note raced_$(rig_stage) "$raced"
	rig_note after_execute_$(rig_stage) \
		"$(sed -n '/ kexec_execute /,$p' /tmp/raced | grep -c ' /tmp/race/')"
	case $result in
	intact)
		ktap_ok "${pfx}handover intact"
		ktap_expect_eq "${pfx}the race added the producer's files and kexec_execute" \
			"$(grep -c '' /tmp/raced)" "$((raced + 1))"
		ktap_expect_eq "${pfx}one kexec_execute" "$(grep -c ' kexec_execute ' /tmp/raced)" 1
		RIG_PREFIX=$pfx
		step_expect_tpm match
		;;
	truncated)
		# The producer outran the segment: explained, and counted.
		ktap_ok "${pfx}handover truncated, $(rig_handover_field dropped) left out"
		RIG_PREFIX=$pfx
		step_expect_tpm mismatch mismatch:10
		;;
	*)
		ktap_not_ok "${pfx}handover intact or truncated, not '$result'"
		;;
	esac
}

# race_execute: measure a new file every 20 ms or so in the background
# until the kernel goes away, and execute at a phase of that loop that
# changes from hop to hop. Flat out it would measure about one a
# millisecond, and the half page kept for measurements after load holds
# some twenty: every handover would be truncated, and a truncated list
# never replays again, hiding whatever a later hop gets wrong.
step_race_execute() {
	local stage
	stage=$(rig_stage)
	cat $IMA/ascii_runtime_measurements >/rig/out/race$stage.pre
	(
		i=0
		mkdir -p /tmp/race
		while :; do
			echo "race $stage $i" >/tmp/race/$stage.$i
			: </tmp/race/$stage.$i
			i=$((i + 1))
			usleep 20000
		done
	) &
	usleep $((stage * 37 % 10 * 20000))
	rig_kexec_exec
}

# --- Loads that fail or are refused ------------------------------------

# load_fails_long_cmdline: a second load whose command line is too long
# fails, after IMA sized a bigger segment for the grown list, and
# measures no kexec_load.
step_load_fails_long_cmdline() {
	local long loads
	loads=$(rig_records kexec_load)
	long=$(head -c 2030 /dev/zero | tr '\0' x)
	ktap_expect "a load with a 2030-character command line fails" \
		eval '! rig_kexec_load "$(rig_next_kernel)" --append="$(rig_next_cmdline) $long"'
	ktap_expect_eq "the failed load measured no kexec_load" "$(rig_records kexec_load)" "$loads"
}

# execute_refused: with ima_kexec_overflow=refuse, kexec -e fails with
# ENOSPC rather than lose a measurement, and measuring goes on.
step_execute_refused() {
	ktap_expect "kexec -e refused" eval '! kexec -e 2>/tmp/kexec.err'
	ktap_diag "kexec said: $(cat /tmp/kexec.err)"
	ktap_expect "kexec -e failed with ENOSPC" grep -q "No space left on device" /tmp/kexec.err
	step_expect_log "kexec refused: the measurement list of [0-9]* bytes does not fit"
	rig_measure 5 after-refusal
	ktap_expect "measurements resumed after the refusal" \
		grep -q "/tmp/measure/after-refusal.4\$" $IMA/ascii_runtime_measurements
}

# refuse_window N: N refused kexec -e while a task opens new files all
# through them: every file opened is in the list, and no refused kexec
# recorded a kexec_execute.
step_refuse_window() {
	local producer refused=0 k=0 opened missing=0 f
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
	while [ $k -lt "$1" ]; do
		kexec -e 2>/tmp/kexec.err && break
		grep -q "No space left on device" /tmp/kexec.err && refused=$((refused + 1))
		k=$((k + 1))
	done
	touch /tmp/window.stop
	wait $producer
	ktap_expect_eq "every kexec -e refused with ENOSPC" "$refused" "$1"
	opened=$(grep -c '' /tmp/window.log)
	rig_note opened "$opened"
	while read -r f; do
		grep -q " $f\$" $IMA/ascii_runtime_measurements || missing=$((missing + 1))
	done </tmp/window.log
	rig_note missing "$missing"
	ktap_expect "the task opened files throughout" [ "$opened" -gt 0 ]
	ktap_expect_eq "every file opened during the refusals is measured" "$missing" 0
	step_expect_records kexec_execute 0
}

# --- Load variants -----------------------------------------------------

# grow_past_segment: measure until the list outgrows the segment of the
# last load.
step_grow_past_segment() {
	local segment n=0
	segment=$(rig_kexec_event kexec_load kexec_segment_size)
	rig_note segment_first "$segment"
	while [ "$(wc -c <$IMA/binary_runtime_measurements)" -le "$segment" ]; do
		rig_measure 5 grow$n
		n=$((n + 1))
	done
	rig_note list_bytes_at_second_load "$(wc -c <$IMA/binary_runtime_measurements)"
}

step_expect_segment_grew() {
	local second
	second=$(rig_kexec_event kexec_load kexec_segment_size)
	ktap_expect "the second segment ($second) is larger than the first ($(rig_noted segment_first))" \
		[ "$second" -gt "$(rig_noted segment_first)" ]
}

# expect_segment_used: kexec_execute wrote into the last load's segment.
step_expect_segment_used() {
	local segment
	segment=$(rig_noted segment_$(($(rig_stage) - 1)))
	ktap_expect_eq "kexec_execute used the last load's $segment-byte segment" \
		"$(rig_kexec_event kexec_execute kexec_segment_size)" "$segment"
}

step_execute_fails_unloaded() {
	local executes
	executes=$(rig_records kexec_execute)
	ktap_expect "kexec -e refused with nothing loaded" eval '! kexec -e 2>/tmp/kexec.err'
	ktap_diag "kexec -e said: $(cat /tmp/kexec.err)"
	ktap_expect_eq "no kexec_execute record without a loaded kernel" \
		"$(rig_records kexec_execute)" "$executes"
}

# load_crash WHEN: kexec -s -p adds no IMA segment: no kexec_load record,
# no word from IMA in the log, and a pending -l load is left alone.
step_load_crash() {
	local loads log
	loads=$(rig_records kexec_load)
	log=$(dmesg | grep -c ' ima: ' || true)
	ktap_expect "kexec -s -p $(rig_kernel 1) ($1)" kexec -s -p /rig/kernels/$(rig_kernel 1) \
		--initrd="/rig/$INITRD" --append="$(rig_next_cmdline)"
	ktap_expect_eq "crash kernel loaded ($1)" "$(cat /sys/kernel/kexec_crash_loaded)" 1
	ktap_expect_eq "no kexec_load record for the crash load ($1)" "$(rig_records kexec_load)" "$loads"
	ktap_expect_eq "no IMA message for the crash load ($1)" "$(dmesg | grep -c ' ima: ' || true)" "$log"
}

# --- The parts of an initramfs ----------------------------------------

# expect_initramfs_parts IMAGE WHOLE KIND...: the load of /rig/IMAGE was
# measured part by part: one record a KIND, in order, named
# IMAGE#<index>:<kind>@<offset>+<length>, the parts end to end over the
# whole file, each with the sha256 of its own bytes; and WHOLE records of
# the whole file (0 with initramfs=parts, 1 with initramfs=blob+parts).
step_expect_initramfs_parts() {
	local image=/rig/$1 whole=$2 i=0 at=0 pcr hash template digest name kind off len
	local whole_now
	shift 2
	# Before this step reads the image, which a FILE_CHECK rule measures.
	whole_now=$(grep -c " $image\$" $IMA/ascii_runtime_measurements)
	grep -F " $image#" $IMA/ascii_runtime_measurements >/tmp/parts
	ktap_expect_eq "$image: one record a part" "$(grep -c '' /tmp/parts)" $#
	while read -r pcr hash template digest name; do
		kind=${name#*#*:} kind=${kind%@*}
		off=${name##*@} off=${off%+*}
		len=${name##*+}
		ktap_expect_eq "part $i is ${1:-nothing}" "$kind" "${1:-nothing}"
		ktap_expect_eq "part $i starts at byte $at" "$off" "$at"
		ktap_expect_eq "part $i: the sha256 of its $len bytes" "$digest" \
			"sha256:$(tail -c +$((off + 1)) "$image" | head -c "$len" | sha256sum | cut -d' ' -f1)"
		echo "# $pcr $template $digest $name"
		at=$((off + len)) i=$((i + 1))
		[ $# = 0 ] || shift
	done </tmp/parts
	ktap_expect_eq "the parts cover the $(wc -c <"$image") bytes of the file" "$at" "$(wc -c <"$image")"
	ktap_expect_eq "$whole record(s) of the whole file" "$whole_now" "$whole"
}

# expect_initramfs_option: the policy shows the initramfs= option it was
# given; rules that misuse it (another action or hook, no hook, twice, a
# value it does not know, a template without n-ng and d-ng) are refused
# and leave the policy as it was; a good one is taken and shown back.
step_expect_initramfs_option() {
	local rule n
	n=$(grep -c '' $IMA/policy)
	ktap_expect "the policy shows initramfs=parts" \
		grep -q '^measure func=KEXEC_INITRAMFS_CHECK .*initramfs=parts' $IMA/policy
	for rule in "appraise func=KEXEC_INITRAMFS_CHECK initramfs=parts" \
		"measure func=KEXEC_KERNEL_CHECK initramfs=parts" \
		"measure initramfs=parts" \
		"measure func=KEXEC_INITRAMFS_CHECK initramfs=parts initramfs=parts" \
		"measure func=KEXEC_INITRAMFS_CHECK initramfs=whole" \
		"measure func=KEXEC_INITRAMFS_CHECK template=ima initramfs=parts"; do
		ktap_expect_eq "refused: $rule" \
			"$(echo "$rule" 2>/dev/null >$IMA/policy && echo taken || echo refused)" refused
	done
	ktap_expect_eq "the policy as it was" "$(grep -c '' $IMA/policy)" "$n"
	rule="measure func=KEXEC_INITRAMFS_CHECK fowner=4242 initramfs=blob+parts"
	ktap_expect "taken: $rule" eval "echo '$rule' >$IMA/policy"
	ktap_expect "the policy shows it back" grep -q 'fowner=4242 .*initramfs=blob+parts' $IMA/policy
}

# --- Violations --------------------------------------------------------

# make_violations: two files opened for write while open for read and
# measured: two violation records, all-zero digests.
step_make_violations() {
	local f
	for f in /tmp/violation.1 /tmp/violation.2; do
		echo "$f" >"$f"
		exec 3>>"$f"
		: <"$f"
		exec 3>&-
	done
	rig_note violations_$(rig_stage) "$(cat $IMA/violations)"
}

# expect_violations: ima/violations counts the violation records of the
# list, the restored ones too, and there are some.
step_expect_violations_kept() {
	ktap_expect "the previous kernel's violations are counted" \
		[ "$(cat $IMA/violations)" -ge "$(rig_noted violations_$(($(rig_stage) - 1)))" ]
}

step_expect_violations() {
	local records
	records=$(grep -c '^[0-9]* 0\{40\} ' $IMA/ascii_runtime_measurements)
	ktap_expect "the list holds violations" [ "$records" -gt 0 ]
	ktap_expect_eq "ima/violations counts the violation records" \
		"$(cat $IMA/violations)" "$records"
}

# --- Kernel test suites ------------------------------------------------

# kunit: the KUnit suites ran before init (kunit.enable=1); the host nests
# their own KTAP from the console. Here: their verdict, and a scan of the
# whole kernel log, which a quiet console (loglevel=) filtered.
step_kunit() {
	local suite splats
	dmesg >/tmp/dmesg
	for suite in $KUNIT_SUITES; do
		ktap_expect "kunit suite $suite" grep -qE "^\[[ 0-9.]*\] ok [0-9]+ $suite\$" /tmp/dmesg
	done
	grep -E "ima_kexec_test_mutations: [0-9]+ mutated|# ima_kexec: pass|# Totals" /tmp/dmesg | sed 's/^/# /'
	splats=$(grep -cE 'BUG:|WARNING:|Oops|Call Trace|KASAN|UBSAN' /tmp/dmesg)
	ktap_expect_eq "no splat in the kernel log" "$splats" 0
	[ "$splats" = 0 ] || grep -E -A20 'BUG:|WARNING:|KASAN|UBSAN' /tmp/dmesg | sed 's/^/# /' | head -60
}

# kselftest WHEN: the series' kselftest (the host copied it into
# /rig/scenario/selftest) under busybox sh and under dash, Debian's
# /bin/sh; its KTAP nested in one result per shell.
step_kselftest() {
	local rc shell
	for shell in sh dash; do
		(cd /rig/scenario/selftest &&
			KERNEL_IMAGE=/rig/kernels/$(rig_kernel "$(rig_stage)") \
			$shell ./test_kexec_ima_handover.sh) >/tmp/selftest.log 2>&1
		rc=$?
		sed 's/^/# /' /tmp/selftest.log
		case $rc in
		0) ktap_ok "kselftest test_kexec_ima_handover.sh under $shell ($1)" ;;
		4) ktap_skip "kselftest test_kexec_ima_handover.sh under $shell ($1)" "$(tail -n 1 /tmp/selftest.log)" ;;
		*) ktap_not_ok "kselftest test_kexec_ima_handover.sh under $shell ($1)" ;;
		esac
	done
}

# --- Attestation -------------------------------------------------------

# quote: a quote of PCR 10 in both banks by a fresh attestation key, with
# the nonce the host chose; the list is read after it, so it holds all
# the quote covers. The host checks it (check quote).
step_quote() {
	local q=/rig/out/quote
	export TPM2TOOLS_TCTI=device:/dev/tpmrm0
	mkdir -p $q
	cd /tmp || return
	ktap_expect "tpm2_createek" tpm2_createek -c ek.ctx -G rsa -u ek.pub
	ktap_expect "tpm2_createak" tpm2_createak -C ek.ctx -c ak.ctx -G rsa -g sha256 -s rsassa \
		-u ak.pub -f pem -n ak.name
	cp ak.pub $q/ak.pem
	ktap_expect "tpm2_quote sha1:10+sha256:10" tpm2_quote -c ak.ctx -l sha1:10+sha256:10 \
		-q "$(cat /rig/scenario/nonce)" -m $q/quote.msg -s $q/quote.sig -o $q/quote.pcrs -g sha256
	cat $IMA/binary_runtime_measurements >$q/binary_runtime_measurements
	cd / || return
}

# --- Signed kexec images -----------------------------------------------
# The host made the images (prepare signed_images): pe-unsigned,
# pe-signed, pe-foreign, each with IMA signatures as hex files
# <image>.ima (the .ima key) and <image>.ima-foreign (a foreign key).

# image NAME PE SIG: /images/NAME, a copy of PE with the IMA signature in
# the host's file SIG (pe-signed.ima, pe-signed.ima-foreign, ...; another
# image's for a signature of another file) or none. Images live in a
# tmpfs, which keeps security.ima.
step_image() {
	grep -q " /images " /proc/mounts || { mkdir -p /images && mount -t tmpfs images /images; }
	cp /rig/images/"$2" /images/"$1"
	[ "$3" = none ] || setfattr -n security.ima -v 0x"$(cat /rig/images/"$3")" /images/"$1"
}

# load_refused DESC IMAGE ERROR: kexec -s -l IMAGE fails with ERROR (an
# strerror text), nothing gets loaded and no kexec_load is measured.
step_load_refused() {
	local loads refused
	loads=$(rig_records kexec_load)
	if rig_kexec_load "$2" 2>/tmp/load.err; then
		ktap_not_ok "$1 is refused"
		kexec -s -u
		return
	fi
	ktap_diag "$(cat /tmp/load.err)"
	if grep -q "$3" /tmp/load.err; then
		refused=$(rig_noted refused)
		rig_note refused $((${refused:-0} + 1))
		ktap_ok "$1 is refused: $3"
	else
		ktap_not_ok "$1 is refused: $3"
	fi
	ktap_expect_eq "$1: nothing loaded" "$(cat /sys/kernel/kexec_loaded)" 0
	ktap_expect_eq "$1: no kexec_load measured" "$(rig_records kexec_load)" "$loads"
}

# load_accepted DESC IMAGE: kexec -s -l IMAGE loads, measured as kexec_load.
step_load_accepted() {
	local loads
	loads=$(rig_records kexec_load)
	ktap_expect "$1 loads" rig_kexec_load "$2"
	ktap_expect_eq "$1: loaded" "$(cat /sys/kernel/kexec_loaded)" 1
	ktap_expect_eq "$1: kexec_load measured" "$(rig_records kexec_load)" "$((loads + 1))"
}

# note_refused KEY: the refusals counted so far, as KEY, and start again.
step_note_refused() {
	local refused
	refused=$(rig_noted refused)
	rig_note "$1" "${refused:-0}"
	rig_note refused 0
}

step_expect_ima_key() {
	ktap_expect "the rig's IMA key is on the .ima keyring" grep -q 'IMA kexec rig IMA key' /proc/keys
}

# --- A distribution's soft reboot (the Debian guest, GUEST=debian) -----
# Its stages run from ima-kexec-rig.service once systemd is up, and kexec
# the way a user does: kexec -s -l /boot/vmlinuz --reuse-cmdline, then
# systemctl kexec, which stops every service (rig-shutdown-measure's
# ExecStop reads and executes new files) before kexec execute.

# systemd_up: systemd reached its running state (no failed unit), with
# the IMA policy it loaded from /etc/ima/ima-policy; the boot's time
# (boot_s_<stage>, the kernel's start to here) and, after a soft reboot,
# softreboot_s_<stage> (systemctl kexec in the previous stage to here).
step_systemd_up() {
	local state now prev
	state=$(systemctl is-system-running --wait 2>/dev/null)
	now=$(date +%s.%N)
	ktap_expect_eq "systemd is running, no unit failed" "$state" running
	[ "$state" = running ] || systemctl --failed --no-legend --plain | sed 's/^/# failed: /'
	rig_note boot_s_$(rig_stage) "$(cut -d' ' -f1 /proc/uptime)"
	prev=$(rig_noted kexec_at_$(($(rig_stage) - 1)))
	[ -z "$prev" ] ||
		rig_note softreboot_s_$(rig_stage) "$(awk -v a="$now" -v b="$prev" 'BEGIN { printf "%.1f", a - b }')"
	ktap_expect "systemd loaded the IMA policy from /etc/ima/ima-policy" \
		rig_policy_is /etc/ima/ima-policy
	ktap_expect_eq "the kernel that runs is /boot/vmlinuz" \
		"$(uname -r)" "$(readlink /boot/vmlinuz | sed 's/^vmlinuz-//')"
}

# rig_policy_is FILE: the kernel's IMA policy is FILE's rules, in order
# (the kernel prints a blank after each word).
rig_policy_is() {
	grep -v '^#' "$1" | sed -e 's/  */ /g' -e 's/ $//' -e '/^$/d' >/tmp/policy.want
	sed -e 's/  */ /g' -e 's/ $//' $IMA/policy >/tmp/policy.got
	cmp -s /tmp/policy.want /tmp/policy.got && return
	diff /tmp/policy.want /tmp/policy.got | sed 's/^/# /'
	return 1
}

# systemd_load: kexec -s -l /boot/vmlinuz --reuse-cmdline (kexec_file_load),
# as a user loads the next kernel; the list's length after it, as
# after_load_<stage>.
step_systemd_load() {
	ktap_expect "kexec -s -l /boot/vmlinuz --reuse-cmdline" \
		kexec -s -l /boot/vmlinuz --reuse-cmdline
	ktap_expect_eq "a kernel is loaded" "$(cat /sys/kernel/kexec_loaded)" 1
	rig_note after_load_$(rig_stage) "$(rig_count)"
}

# systemd_load_legacy: the same through the kexec_load syscall (kexec -l
# without -s), which hands no measurement list over.
step_systemd_load_legacy() {
	ktap_expect "kexec -l /boot/vmlinuz --reuse-cmdline (kexec_load)" \
		kexec -l /boot/vmlinuz --reuse-cmdline
	ktap_expect_eq "a kernel is loaded" "$(cat /sys/kernel/kexec_loaded)" 1
	rig_note after_load_$(rig_stage) "$(rig_count)"
}

# systemd_kexec: save the list and the PCRs (stage<n>), end the stage and
# soft-reboot with systemctl kexec; the list's length just before it, as
# at_kexec_<stage>, and the time, as kexec_at_<stage>.
step_systemd_kexec() {
	rig_save stage$(rig_stage)
	rig_end kexec
	rig_note at_kexec_$(rig_stage) "$(rig_count)"
	rig_note kexec_at_$(rig_stage) "$(date +%s.%N)"
	systemctl --no-block kexec || echo "# rig: systemctl kexec failed"
	exit 0
}

# expect_systemd_handover: the list of the stage before, as systemctl
# kexec found it, then what its shutdown measured, then kexec_execute,
# restored intact; every file rig-shutdown-measure opened as it stopped
# is among them; the TPM agrees. Counts, for the host: shutdown_<stage>
# (measured after systemctl kexec), between_<stage> (after the load).
step_expect_systemd_handover() {
	local prev restored saved missing=0 f pfx=${RIG_PREFIX:-}
	prev=$(($(rig_stage) - 1))
	restored=$(rig_restored)
	saved=$(grep -c '' /rig/out/stage$prev/ascii_runtime_measurements)
	rig_note_handover
	ktap_expect_eq "${pfx}handover intact" "$(rig_handover_field result)" intact
	ktap_expect_eq "${pfx}the report counts the restored records" \
		"$(rig_handover_field restored)" "$restored"
	rig_expect_prefix "$saved"
	ktap_expect "${pfx}kexec_execute is the last restored record" \
		eval "sed -n ${restored}p $IMA/ascii_runtime_measurements | grep -q ' kexec_execute '"
	rig_note shutdown_$(rig_stage) $((restored - 1 - $(rig_noted at_kexec_$prev)))
	rig_note between_$(rig_stage) $((restored - 1 - $(rig_noted after_load_$prev)))
	head -n "$restored" $IMA/ascii_runtime_measurements >/tmp/restored
	ktap_expect "${pfx}rig-shutdown-measure logged what it opened while stopping" \
		test -s /rig/out/shutdown_$prev.files
	while read -r f; do
		grep -q " $f\$" /tmp/restored || { missing=$((missing + 1)); ktap_diag "not restored: $f"; }
	done </rig/out/shutdown_$prev.files
	rig_note shutdown_files_$(rig_stage) "$(grep -c '' /rig/out/shutdown_$prev.files)"
	ktap_expect_eq "${pfx}every file opened by a service as it stopped is in the restored list" "$missing" 0
	ktap_expect_ge "${pfx}the restored list holds what the shutdown measured after systemctl kexec" \
		"$(rig_noted shutdown_$(rig_stage))" "$(rig_noted shutdown_files_$(rig_stage))"
	step_expect_tpm match
}

# attest NAME: remote attestation as a service does it: ask the host for
# a fresh nonce (/rig/out/attest/NAME.request; prepare nonce_service
# answers in NAME.nonce), quote PCR 10 in both banks with a new AK, and
# leave the quote, the AK and the binary list read around it (the same
# before and after the quote, so that the quote covers exactly that
# list) in /rig/out/attest/NAME for the host (check attest).
step_attest() {
	local a=/rig/out/attest q=/rig/out/attest/$1 nonce i=0 try
	export TPM2TOOLS_TCTI=device:/dev/tpmrm0
	mkdir -p "$q"
	echo "$(rig_stage)" >"$a/$1.request"
	while [ ! -s "$a/$1.nonce" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	ktap_expect "$1: the host gave a nonce" test -s "$a/$1.nonce"
	nonce=$(cat "$a/$1.nonce")
	cd /tmp || return
	ktap_expect "$1: tpm2_createek" tpm2_createek -c ek.ctx -G rsa -u ek.pub
	ktap_expect "$1: tpm2_createak" tpm2_createak -C ek.ctx -c ak.ctx -G rsa -g sha256 -s rsassa \
		-u ak.pub -f pem -n ak.name
	cp ak.pub "$q/ak.pem"
	for try in 1 2 3; do
		cat $IMA/binary_runtime_measurements >"$q/binary_runtime_measurements"
		tpm2_quote -c ak.ctx -l sha1:10+sha256:10 -q "$nonce" \
			-m "$q/quote.msg" -s "$q/quote.sig" -o "$q/quote.pcrs" -g sha256 >/dev/null || break
		cat $IMA/binary_runtime_measurements >/tmp/after-quote
		cmp -s /tmp/after-quote "$q/binary_runtime_measurements" && break
	done
	ktap_expect "$1: tpm2_quote sha1:10+sha256:10, the list unchanged around it (try $try)" \
		test -s "$q/quote.sig" -a "$(wc -c </tmp/after-quote)" = "$(wc -c <"$q/binary_runtime_measurements")"
	rig_note attest_entries_$1 "$(grep -c '' $IMA/ascii_runtime_measurements)"
	cd / || return
}
