# SPDX-License-Identifier: GPL-2.0
# Guest helpers for scenario stage scripts. Each stage reports KTAP lines on
# the console; the host counts them and reads the files left in /rig/out.

IMA=/sys/kernel/security/ima
TPM=/sys/class/tpm/tpm0
RIG_TEST=0
RIG_FAILED=0

rig_stage() { sed -n 's/.*rig\.stage=\([0-9]*\).*/\1/p' /proc/cmdline; }

rig_ok() { RIG_TEST=$((RIG_TEST + 1)); echo "ok $RIG_TEST $*"; }
rig_not_ok() {
	RIG_TEST=$((RIG_TEST + 1)); RIG_FAILED=$((RIG_FAILED + 1))
	echo "not ok $RIG_TEST $*"
}
rig_skip() { RIG_TEST=$((RIG_TEST + 1)); echo "ok $RIG_TEST $1 # SKIP $2"; }
rig_diag() { echo "# $*"; }

# rig_expect DESC CMD...: one KTAP line for the outcome of a command.
rig_expect() {
	local desc=$1; shift
	if "$@"; then rig_ok "$desc"; else rig_not_ok "$desc"; fi
}

# rig_expect_eq DESC GOT WANT
rig_expect_eq() {
	if [ "$2" = "$3" ]; then
		rig_ok "$1"
	else
		rig_diag "$1: got '$2', want '$3'"
		rig_not_ok "$1"
	fi
}

rig_count() { grep -c '' $IMA/ascii_runtime_measurements; }

# A policy that measures what a kexec handover is about: the kexec kernel,
# initramfs and command line, critical data, executed and read files.
# A scenario replaces it with its own policy, or puts rules of its own
# first (policy.extra: the first rule that matches decides).
rig_load_policy() {
	local policy=/rig/scenario/policy desc=scenario/policy
	if [ -f /rig/scenario/policy.extra ]; then
		cat /rig/scenario/policy.extra /rig/policy.default >/tmp/policy
		policy=/tmp/policy desc="scenario/policy.extra and policy.default"
	elif [ ! -f "$policy" ]; then
		policy=/rig/policy.default desc=policy.default
	fi
	if cat "$policy" >$IMA/policy; then
		rig_ok "ima policy loaded from $desc"
	else
		rig_not_ok "ima policy loaded from $desc"
	fi
}

# rig_measure N TAG: add exactly N measurements by reading N new files.
rig_measure() {
	local n=$1 tag=$2 i=0
	mkdir -p /tmp/measure
	while [ $i -lt "$n" ]; do
		echo "$tag $i $(rig_stage)" >/tmp/measure/$tag.$i
		: </tmp/measure/$tag.$i
		i=$((i + 1))
	done
}

# rig_save NAME: copy PCRs first, then the list, so the list can only hold
# more than the TPM has seen, never less. Each PCR is read once, by the
# shell itself: a fork per read made a save take seconds under TCG.
rig_save() {
	local dir=/rig/out/$1 bank i v
	mkdir -p "$dir"
	# A guest without a TPM, or one IMA runs without (TPM-bypass).
	[ -d $TPM ] || echo "no TPM" >"$dir/no-tpm"
	[ -d $TPM ] && for bank in sha1 sha256; do
		mkdir -p "$dir/tpm/pcr-$bank"
		: >"$dir/pcrs-$bank.txt"
		for i in $(seq 0 23); do
			read -r v <$TPM/pcr-$bank/$i
			echo "$v" >"$dir/tpm/pcr-$bank/$i"
			printf 'PCR-%02d: %s\n' "$i" "$v" >>"$dir/pcrs-$bank.txt"
		done
	done
	cat $IMA/binary_runtime_measurements >"$dir/binary_runtime_measurements"
	cat $IMA/ascii_runtime_measurements >"$dir/ascii_runtime_measurements"
	[ -r $IMA/kexec_restore ] && cat $IMA/kexec_restore >"$dir/kexec_restore"
	uname -r >"$dir/kernel"
	dmesg >"$dir/dmesg"
}

# rig_note KEY VALUE: a figure for the host's report.
rig_note() { echo "$1=$2" >>/rig/out/notes; echo "# note $1=$2"; }

# rig_noted KEY: the last value noted for KEY, by this stage or an earlier
# one. Reading the notes measures them: do it before counting the list.
rig_noted() { sed -n "s/^$1=//p" /rig/out/notes | tail -n 1; }

rig_next_cmdline() {
	sed -e 's/rig\.stage=[0-9]*/rig.stage='"$(($(rig_stage) + 1))"'/' /proc/cmdline
}

# rig_kexec_load FLAVOR|PATH [kexec options]: load the next stage's kernel
# (a flavor of the share's kernels, or an image's path) with kexec_file_load.
rig_kexec_load() {
	local image=$1; shift
	case $image in
	/*) ;;
	*) image=/rig/kernels/$image ;;
	esac
	kexec -s -l "$image" --initrd=/rig/initramfs.cpio.gz \
		--append="$(rig_next_cmdline)" "$@"
}

rig_end() { echo "1..$RIG_TEST"; echo "# rig: stage $(rig_stage) end $1"; sync; }

# rig_kexec_exec: end this stage and jump; if kexec -e fails, say so and
# power off.
rig_kexec_exec() {
	rig_end kexec
	kexec -e
	rig_not_ok "kexec -e returned"
	rig_finish
}

rig_finish() { rig_end done; poweroff -f; }

# rig_kernel N: the kernel flavor stage N runs (scenario.env's KERNELS).
rig_kernel() { echo $KERNELS | cut -d' ' -f"$1"; }

# rig_handover_field KEY: a field of the kernel's handover report, if any.
rig_handover_field() {
	[ -r $IMA/kexec_restore ] || return 0
	tr ';' '\n' <$IMA/kexec_restore | sed -n "s/^$1=//p"
}

# rig_kexec_event EVENT KEY: KEY of the last EVENT record in the list
# (kexec_load, kexec_execute, kexec_restore), decoded from its ima-buf data.
rig_kexec_event() {
	grep " $1 [0-9a-f]*\$" $IMA/ascii_runtime_measurements | tail -n 1 |
		sed 's/.* //' | xxd -r -p | tr ';' '\n' | sed -n "s/^$2=//p"
}

# rig_memory_note: note MemTotal and what the boot's "Memory:" line counts
# as reserved, as memtotal_<stage> and reserved_<stage>. Call it early.
rig_memory_note() {
	rig_note memtotal_$(rig_stage) "$(sed -n 's/^MemTotal: *\([0-9]*\) kB$/\1/p' /proc/meminfo)"
	rig_note reserved_$(rig_stage) "$(dmesg | sed -n 's/.*Memory: .* \([0-9]*\)K reserved,.*/\1/p')"
}

rig_within_page() { [ "$1" -ge 0 ] && [ "$1" -le 4 ]; }

# rig_memory_check SEGMENT: this kexec boot held the SEGMENT-byte IMA
# segment handed over to it, and gave it back. x86 memblock-reserves the
# segment until ima_load_kexec_buffer() frees it with memblock_free_late():
# the "Memory:" line counts it as reserved, MemTotal read later no longer
# does. A segment never freed stays out of MemTotal; one reserved again
# shows in the "Memory:" line. Stage 2 may differ from the cold boot by a
# page of page tables (the kexec boot parameters split the memory map);
# later stages must match stage 2 exactly.
rig_memory_check() {
	local stage base memtotal
	stage=$(rig_stage)
	base=$(($(rig_noted reserved_$stage) - $1 / 1024))
	memtotal=$(rig_noted memtotal_$stage)
	rig_note base_reserved_$stage "$base"
	if [ "$stage" = 2 ]; then
		rig_expect "reserved at boot = the cold boot's + the $1-byte segment (+ a page at most)" \
			rig_within_page $((base - $(rig_noted reserved_1)))
		rig_expect "MemTotal once the segment is freed = the cold boot's (- a page at most)" \
			rig_within_page $(($(rig_noted memtotal_1) - memtotal))
	else
		rig_expect_eq "reserved at boot = stage 2's, but for the $1-byte segment" \
			"$base" "$(rig_noted base_reserved_2)"
		rig_expect_eq "MemTotal once the segment is freed = stage 2's" \
			"$memtotal" "$(rig_noted memtotal_2)"
	fi
}

# rig_restored: entries in the list before this boot's boot_aggregate (its name
# is the last field, unless a template format puts n-ng before d-ng).
rig_restored() {
	local last
	last=$(grep -nE ' boot_aggregate( |$)' $IMA/ascii_runtime_measurements | tail -n 1 | cut -d: -f1)
	echo $((last - 1))
}

# rig_expect_tpm VERDICT [BANKS] [PREFIX]: the kernel's TPM verdict on the
# restored list (match, mismatch, lost, not_checked) and that of each of the
# swtpm's banks, sha1 and sha256 (BANKS: match, mismatch:<PCRs>; default
# VERDICT).
rig_expect_tpm() {
	local want=$1 banks=${2:-$1} pfx=${3:-} bank
	rig_expect_eq "${pfx}the TPM's verdict on the restored list" \
		"$(rig_handover_field tpm)" "$want"
	for bank in sha1 sha256; do
		rig_expect_eq "${pfx}the TPM's $bank bank" \
			"$(rig_handover_field tpm_$bank)" "$banks"
	done
}

# rig_expect_handover PREV [PREFIX]: the list stage PREV had at execute
# (its note at_execute_PREV and its saved list) came over intact and
# whole, then kexec_execute as the last restored record, and the report
# counts them, and the TPM agrees; PREFIX starts every description. Notes the report as
# handover_<this stage>.
rig_expect_handover() {
	local prev=$1 pfx=${2:-} at_execute restored
	at_execute=$(rig_noted at_execute_$prev)
	restored=$(rig_restored)
	rig_note handover_$(rig_stage) "$(cat $IMA/kexec_restore)"
	rig_expect_eq "${pfx}handover intact" "$(rig_handover_field result)" intact
	rig_expect_eq "${pfx}restored = the list at execute + kexec_execute" \
		"$restored" "$((at_execute + 1))"
	rig_expect_eq "${pfx}the report counts the restored records" \
		"$(rig_handover_field restored)" "$restored"
	head -n "$at_execute" /rig/out/stage$prev/ascii_runtime_measurements >/tmp/before
	head -n "$at_execute" $IMA/ascii_runtime_measurements >/tmp/after
	rig_expect "${pfx}the stage $prev list is a prefix of the restored list" \
		cmp -s /tmp/before /tmp/after
	rig_expect "${pfx}kexec_execute is the last restored record" \
		eval "sed -n ${restored}p $IMA/ascii_runtime_measurements | grep -q ' kexec_execute '"
	rig_expect_tpm match match "$pfx"
}

rig_run_stage() {
	local stage script
	. /rig/scenario/scenario.env
	stage=$(rig_stage)
	script=/rig/scenario/stage$stage.sh
	# A chain of like hops runs one stage.sh at every stage without its own.
	[ -f "$script" ] || [ ! -f /rig/scenario/stage.sh ] || script=/rig/scenario/stage.sh
	echo "KTAP version 1"
	echo "# rig: stage $stage begin kernel $(uname -r)"
	rig_load_policy
	if [ ! -f "$script" ]; then
		rig_not_ok "stage $stage has a script"
		rig_finish
	fi
	# A stage ends by kexec, or by returning here.
	. "$script"
	rig_finish
}
