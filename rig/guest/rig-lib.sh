# SPDX-License-Identifier: GPL-2.0
# The guest side of the rig: run this boot's stage of the scenario in the
# shared folder. A stage is a list of steps (steps.sh), one a line or
# separated by ";", named in the scenario's STAGE<n> (or STAGE, for every
# stage without its own); each step prints KTAP results on the console,
# which the host nests under "stage <n>". Figures go to /rig/out/notes,
# saved lists and PCRs to /rig/out/<name>/.

IMA=/sys/kernel/security/ima
TPM_DEV=/sys/class/tpm/tpm0

# RIG_LIB_DIR: where the guest keeps ktap.sh and steps.sh (the Debian
# guest's are in /usr/local/lib/ima-kexec-rig).
. "${RIG_LIB_DIR:-/bin}"/ktap.sh
. "${RIG_LIB_DIR:-/bin}"/steps.sh

rig_stage() { sed -n 's/.*rig\.stage=\([0-9]*\).*/\1/p' /proc/cmdline; }
rig_last_stage() { echo $KERNELS | wc -w; }

rig_count() { grep -c '' $IMA/ascii_runtime_measurements; }

# The scenario's values as the host resolved them (defaults, LIKE's, its
# own, the run's overrides), in one file.
rig_load_env() { . /rig/scenario/scenario.env; }

# A policy that measures what a kexec handover is about: the kexec kernel,
# initramfs and command line, critical data, executed and read files. A
# scenario's policy.extra goes first (the first rule that matches decides).
rig_load_policy() {
	local policy=/rig/policy.default desc=policy.default
	if [ -f /rig/scenario/policy.extra ]; then
		cat /rig/scenario/policy.extra /rig/policy.default >/tmp/policy
		policy=/tmp/policy desc="the scenario's policy.extra and policy.default"
	fi
	ktap_expect "ima policy loaded from $desc" eval "cat $policy >$IMA/policy"
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
	RIG_SAVED="$RIG_SAVED $1 "
	# A guest without a TPM, or one IMA runs without (TPM-bypass).
	[ -d $TPM_DEV ] || echo "no TPM" >"$dir/no-tpm"
	[ -d $TPM_DEV ] && for bank in sha1 sha256; do
		mkdir -p "$dir/tpm/pcr-$bank"
		: >"$dir/pcrs-$bank.txt"
		for i in $(seq 0 23); do
			read -r v <$TPM_DEV/pcr-$bank/$i
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

# rig_note KEY VALUE: a figure for the host's checks and report.
rig_note() { echo "$1=$2" >>/rig/out/notes; echo "# note $1=$2"; }

# rig_noted KEY: the last value noted for KEY, by this stage or an earlier
# one. Reading the notes measures them: do it before counting the list.
rig_noted() { sed -n "s/^$1=//p" /rig/out/notes | tail -n 1; }

# The next stage's command line: this one's, less what ONCE names (boot
# parameters a load gave one stage only), with the stage number raised.
rig_next_cmdline() {
	local cmdline word
	cmdline=$(sed -e 's/rig\.stage=[0-9]*/rig.stage='"$(($(rig_stage) + 1))"'/' /proc/cmdline)
	for word in ${ONCE:-}; do
		cmdline=$(echo "$cmdline" | sed "s/ $word//")
	done
	echo "$cmdline"
}

# rig_kernel N: the kernel flavor stage N runs (scenario.env's KERNELS).
rig_kernel() { echo $KERNELS | cut -d' ' -f"$1"; }
rig_next_kernel() { rig_kernel $(($(rig_stage) + 1)); }

# rig_kexec_load IMAGE [kexec options]: load the next stage's kernel (a
# flavor of the share's kernels, or an image's path) with kexec_file_load.
rig_kexec_load() {
	local image=$1
	shift
	case $image in
	/*) ;;
	*) image=/rig/kernels/$image ;;
	esac
	kexec -s -l "$image" --initrd="/rig/$INITRD" \
		--append="$(rig_next_cmdline)" "$@"
}

rig_end() { ktap_end; echo "# rig: stage $(rig_stage) end $1"; sync; }

# rig_kexec_exec: end this stage and jump; if kexec -e fails, say so and
# power off.
rig_kexec_exec() {
	rig_end kexec
	kexec -e
	ktap_not_ok "kexec -e returned"
	rig_finish
}

rig_finish() { rig_end done; poweroff -f; }

# rig_handover_field KEY: a field of the kernel's handover report, if any.
rig_handover_field() {
	[ -r $IMA/kexec_restore ] || return 0
	tr ';' '\n' <$IMA/kexec_restore | sed -n "s/^$1=//p"
}

# rig_records EVENT: how many records of EVENT (kexec_load, ...) the list has.
rig_records() { grep -c " $1 [0-9a-f]*\$" $IMA/ascii_runtime_measurements; }

# rig_kexec_event EVENT KEY: KEY of the last EVENT record in the list
# (kexec_load, kexec_execute, kexec_restore), decoded from its ima-buf data.
rig_kexec_event() {
	grep " $1 [0-9a-f]*\$" $IMA/ascii_runtime_measurements | tail -n 1 |
		sed 's/.* //' | xxd -r -p | tr ';' '\n' | sed -n "s/^$2=//p"
}

# rig_restored: entries in the list before this boot's boot_aggregate (its
# name is the last field, unless a template format puts n-ng before d-ng).
rig_restored() {
	local last
	last=$(grep -nE ' boot_aggregate( |$)' $IMA/ascii_runtime_measurements | tail -n 1 | cut -d: -f1)
	echo $((last - 1))
}

# rig_at_execute: what the previous stage counted at execute.
rig_at_execute() { rig_noted at_execute_$(($(rig_stage) - 1)); }

# rig_run_steps STEPS: run each step, "step_<name> <args>", one a line or
# "; " between them; a step may be guarded: "later:" runs it from stage 2
# on, "notlast:" before the last.
rig_run_steps() {
	local step stage last
	stage=$(rig_stage)
	last=$(rig_last_stage)
	printf '%s\n' "$1" | awk '{ gsub(/; /, "\n"); print }' >/tmp/steps.$stage
	while read -r step <&9; do
		case $step in
		''|'#'*) continue ;;
		later:*) [ "$stage" -gt 1 ] || continue; step=${step#later:} ;;
		notlast:*) [ "$stage" -lt "$last" ] || continue; step=${step#notlast:} ;;
		esac
		step=${step#"${step%%[! ]*}"}
		eval "step_$step"
	done 9</tmp/steps.$stage
}

rig_run_stage() {
	local stage steps
	rig_load_env
	# A scenario folder outside rig/scenarios (make bench's) may bring
	# steps of its own.
	[ ! -f /rig/scenario/steps.sh ] || . /rig/scenario/steps.sh
	stage=$(rig_stage)
	RIG_SAVED=
	eval "steps=\${STAGE$stage:-\${STAGE:-}}"
	ktap_begin
	echo "# rig: stage $stage begin kernel $(uname -r)"
	rig_load_policy
	if [ -z "$steps" ]; then
		ktap_not_ok "stage $stage has steps (STAGE$stage or STAGE in scenario.env)"
		rig_finish
	fi
	rig_run_steps "$steps"
	# A stage that did not end by kexec ends here, its state saved.
	case $RIG_SAVED in
	*" stage$stage "*) ;;
	*) rig_save stage$stage ;;
	esac
	rig_finish
}
