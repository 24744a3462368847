#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-scenario.sh [-k] [-v] NAME: boot the guest on a fresh swtpm, let the
# scenario's stage scripts measure, kexec and check inside the guest, then
# judge from the host: the guest's KTAP lines, a scan of the console for
# splats, and the scenario's host checks (replay by our verifier and by
# evmctl, bank by bank).
#
# Exit: 0 pass, 1 fail, 77 skip (reason printed), 99 harness error.
# The workspace is kept on anything but a pass, or always with -k.
#
# Kernels and initramfs come from the environment (make sets them):
#   KERNEL_patched, KERNEL_base, KERNEL_debug, KERNEL_signed, INITRAMFS,
#   VERIFIER

set -eu
. "$(dirname "$0")/lib.sh"
. "$RIG_ROOT/rig/host/checks.sh"

keep=0
verbose=0
while getopts kv opt; do
	case $opt in
	k) keep=1 ;;
	v) verbose=1 ;;
	*) die "usage: $0 [-k] [-v] SCENARIO" ;;
	esac
done
shift $((OPTIND - 1))
name=${1:?usage: $0 [-k] [-v] SCENARIO}
# RIG_SCENARIOS: another folder of scenarios (make bench keeps its own).
scenarios=${RIG_SCENARIOS:-$RIG_ROOT/rig/scenarios}
scenario=$scenarios/$name
[ -f "$scenario/scenario.env" ] || die "no scenario $name (rig/scenarios/$name/scenario.env)"

# Defaults a scenario may override.
KERNELS="patched patched"
TIMEOUT=240
MEM=1G
CMDLINE=
QEMU_EXTRA=
# TPM=none: a guest without a TPM (no swtpm, no TPM device).
TPM=swtpm
SCRIPTS=$name
. "$scenario/scenario.env"
scripts=$scenarios/$SCRIPTS
STAGES=$(echo $KERNELS | wc -w)

INITRAMFS=${INITRAMFS:?INITRAMFS is not set}
for flavor in $KERNELS; do
	var=KERNEL_$flavor
	if [ -z "${!var:-}" ] || [ ! -f "${!var}" ]; then
		target=kernel-$flavor
		[ "$flavor" != patched ] || target=kernel
		die "$var is not set to a built kernel (make $target)"
	fi
done

mkdir -p "$BUILD_DIR/runs"
WS=$(mktemp -d "$BUILD_DIR/runs/$name.XXXXXX")
share=$WS/share
mkdir -p "$share/kernels" "$share/out" "$WS/tpm"
for flavor in $(echo $KERNELS | tr ' ' '\n' | sort -u); do
	var=KERNEL_$flavor
	cp "${!var}" "$share/kernels/$flavor"
done
cp "$INITRAMFS" "$share/initramfs.cpio.gz"
cp "$RIG_ROOT/rig/guest/policy.default" "$share/"
mkdir -p "$share/scenario"
cp "$scripts"/* "$share/scenario/"
# A scenario built on another one's scripts can still reach them as
# <other>-<file> after replacing some.
if [ "$SCRIPTS" != "$name" ]; then
	for f in "$scripts"/*; do cp "$f" "$share/scenario/$SCRIPTS-$(basename "$f")"; done
fi
cp "$scenario"/* "$share/scenario/"
# The guest sees what the host resolved, overrides included.
echo "KERNELS=\"$KERNELS\"" >>"$share/scenario/scenario.env"

# The scenario's host side: rig_host_check, rig_host_prepare if it adds to
# the share, and rig_host_during if it acts on the running guest.
HOST_CHECKS=0
HOST_FAILED=()
# A figure the scenario's host checks want quoted on the verdict line.
HOST_SUMMARY=
OUT=$share/out
. "$share/scenario/check.sh"

swtpm_pid=
qemu_pid=
cleanup() {
	[ -z "$qemu_pid" ] || kill "$qemu_pid" 2>/dev/null || true
	[ -z "$swtpm_pid" ] || kill "$swtpm_pid" 2>/dev/null || true
	wait 2>/dev/null || true
}
trap cleanup EXIT

verdict() {
	local rc=$1 msg=$2 word
	case $rc in
	0) word=PASS ;; 1) word=FAIL ;; 77) word=SKIP ;; *) word=ERROR ;;
	esac
	printf '%-5s %s: %s (%ss)\n' "$word" "$name" "$msg" "$(( $(date +%s) - t0 ))"
	[ -z "${CONSOLE_COPY:-}" ] || [ ! -f "$WS/console.log" ] || cp "$WS/console.log" "$CONSOLE_COPY"
	if [ "$rc" != 0 ] || [ "$keep" = 1 ]; then
		echo "      workspace kept: $WS"
	else
		rm -rf "$WS"
	fi
	exit "$rc"
}
t0=$(date +%s)

if [ -n "${SKIP_REASON:-}" ]; then
	verdict 77 "$SKIP_REASON"
fi
# A scenario may add to the shared folder before the guest boots.
if declare -f rig_host_prepare >/dev/null; then
	rig_host_prepare 2>"$WS/prepare.log" ||
		verdict 99 "preparing the shared folder failed: $(tail -n 1 "$WS/prepare.log")"
fi

tpm_args=()
case $TPM in
swtpm)
	swtpm_setup --tpm2 --tpmstate "$WS/tpm" --pcr-banks sha1,sha256 \
		--overwrite >"$WS/swtpm_setup.log" 2>&1 ||
		verdict 99 "swtpm_setup failed, see $WS/swtpm_setup.log"
	swtpm socket --tpm2 --tpmstate dir="$WS/tpm" \
		--ctrl type=unixio,path="$WS/swtpm.sock" \
		--log file="$WS/swtpm.log" &
	swtpm_pid=$!
	for _ in $(seq 50); do [ -S "$WS/swtpm.sock" ] && break; sleep 0.1; done
	[ -S "$WS/swtpm.sock" ] || verdict 99 "swtpm did not start, see $WS/swtpm.log"
	tpm_args=(-chardev socket,id=chrtpm,path="$WS/swtpm.sock"
		-tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-tis,tpmdev=tpm0)
	;;
none) ;;
*) verdict 99 "TPM=$TPM in scenario.env: expected swtpm or none" ;;
esac

first=KERNEL_$(echo $KERNELS | cut -d' ' -f1)
# ima_policy=critical_data: the boot policy records ima_kexec critical data
# (the kexec_restore outcome) before the stage loads the rig's policy.
qemu=(qemu-system-x86_64 -machine q35 -cpu max -m "$MEM" -smp 2
	-nographic -nodefaults -no-reboot
	-serial file:"$WS/console.log"
	-kernel "${!first}" -initrd "$share/initramfs.cpio.gz"
	-append "console=ttyS0 panic=-1 oops=panic nokaslr kunit.enable=0 ima_policy=critical_data rig.stage=1 $CMDLINE"
	"${tpm_args[@]}"
	-virtfs local,path="$share",mount_tag=rig,security_model=none,id=rig
	-gdb unix:"$WS/gdb.sock",server=on,wait=off
	$QEMU_EXTRA)
echo "${qemu[*]}" >"$WS/qemu.cmd"
[ "$verbose" = 0 ] || log "${qemu[*]}"

timeout "$TIMEOUT" "${qemu[@]}" >"$WS/qemu.log" 2>&1 &
qemu_pid=$!
# A scenario may act on the running guest from the host (fault injection).
if declare -f rig_host_during >/dev/null; then
	rig_host_during || verdict 99 "host action during the run failed"
fi
set +e
wait "$qemu_pid"
qemu_rc=$?
set -e
qemu_pid=
kill "$swtpm_pid" 2>/dev/null || true
wait "$swtpm_pid" 2>/dev/null || true
swtpm_pid=

console=$WS/console.log
[ -s "$console" ] || verdict 99 "QEMU wrote no console (exit $qemu_rc), see $WS/qemu.log"
[ "$verbose" = 0 ] || cat "$console"

problems=()
[ "$qemu_rc" != 124 ] || problems+=("guest timed out after ${TIMEOUT}s")
badness=$(console_badness "$console")
[ -z "$badness" ] || problems+=("console: $badness")

# Every stage must begin and end; every KTAP line counts.
for stage in $(seq "$STAGES"); do
	grep -q "^# rig: stage $stage begin" "$console" ||
		{ problems+=("stage $stage never began"); continue; }
	grep -q "^# rig: stage $stage end" "$console" ||
		problems+=("stage $stage never ended")
done
guest_ok=$(grep -cE '^ok [0-9]+ ' "$console" || true)
guest_fail=$(grep -E '^not ok [0-9]+ ' "$console" || true)
[ -z "$guest_fail" ] || problems+=("guest: $(echo "$guest_fail" | sed 's/^not ok [0-9]* //' | paste -sd ';')")

# Host-side expectations of the scenario.
rig_host_check
[ "${#HOST_FAILED[@]}" = 0 ] || problems+=("host: $(IFS=';'; echo "${HOST_FAILED[*]}")")

if [ "${#problems[@]}" != 0 ]; then
	printf '      %s\n' "${problems[@]}" >&2
	verdict 1 "${HOST_SUMMARY:+$HOST_SUMMARY; }$guest_ok guest checks ok, ${#problems[@]} problem(s)"
fi
verdict 0 "${HOST_SUMMARY:+$HOST_SUMMARY; }$guest_ok guest checks, $HOST_CHECKS host checks"
