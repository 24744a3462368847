#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-scenario.sh [-b] [-k] [-v] [-o VAR=VALUE]... SCENARIO: boot the guest
# on a fresh swtpm through the kernels the scenario declares, let its
# stages measure, kexec and check inside the guest, then judge from the
# host: the guest finished, its console holds no splat, every stage began
# and ended, and the scenario's host checks (replays by our verifier and
# by evmctl, bank by bank, ...) hold.
#
#   -b  build what the scenario needs first (kernels, initramfs, verifier)
#   -k  keep the workspace even when it passes
#   -v  print the QEMU command line and the console
#   -o  override one of the scenario's values (make bisect's kernels)
#
# Prints one KTAP document: a result per stage with the guest's results
# nested in it, and one for the host's checks. Exit: 0 pass, 1 fail,
# 77 skip (reason given), 99 harness error. The workspace is kept on
# anything but a pass; a failure names it, its first failing check and
# the console's last lines.

set -eu
. "$(dirname "$0")/lib.sh"
. "$RIG_ROOT/rig/lib/ktap.sh"
. "$RIG_ROOT/rig/host/checks.sh"
. "$RIG_ROOT/rig/host/prepare.sh"
export KTAP_SUMMARY=$RIG_ROOT/rig/lib/ktap-summary.awk

usage() {
	echo "usage: $0 [-b] [-k] [-v] [-o VAR=VALUE]... SCENARIO" >&2
	scenario_exists "" || true
	exit 2
}

build=0
keep=0
verbose=0
overrides=()
while getopts bkvo: opt; do
	case $opt in
	b) build=1 ;;
	k) keep=1 ;;
	v) verbose=1 ;;
	o) overrides+=("$OPTARG") ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# = 1 ] || usage
name=$1
scenario_exists "$name" || exit 2
scenario_load "$name" "${overrides[@]}"
STAGES=$(echo $KERNELS | wc -w)
# A scenario folder outside rig/scenarios (make bench's) may bring checks
# of its own.
dir=$(scenario_dir "$name")
# shellcheck disable=SC1091
[ ! -f "$dir/checks.sh" ] || . "$dir/checks.sh"

# The guest's architecture: its kernels' images and its initramfs.
case $GUEST_ARCH in
x86_64) ;;
*)
	case " $GUEST_ARCHES " in
	*" $GUEST_ARCH "*) ;;
	*) die "GUEST_ARCH=$GUEST_ARCH in scenario.env: expected x86_64 or one of $GUEST_ARCHES" ;;
	esac
	for flavor in $KERNELS; do
		export "KERNEL_$flavor=$(kernel_image "$flavor" "$GUEST_ARCH")"
	done
	INITRAMFS=$(arch_initramfs "$GUEST_ARCH")
	;;
esac

# -b: exactly what this scenario boots and checks with.
if [ "$build" = 1 ]; then
	"$RIG_ROOT/rig/host/install-deps.sh"
	"$RIG_ROOT/rig/host/prepare-tree.sh"
	for flavor in $(echo $KERNELS | tr ' ' '\n' | sort -u); do
		[ "$flavor" != bisect ] || die "bisect kernels are built by make bisect"
		"$RIG_ROOT/rig/host/build-kernel.sh" -a "$GUEST_ARCH" "$flavor" >/dev/null
	done
	"$RIG_ROOT/rig/host/mkinitramfs.sh" -a "$GUEST_ARCH" "$INITRAMFS"
	make -s -C "$RIG_ROOT/verifier"
fi

for flavor in $KERNELS; do
	var=KERNEL_$flavor
	if [ -z "${!var:-}" ] || [ ! -f "${!var}" ]; then
		die "$var is not set to a built kernel (make scenario S=$name builds it)"
	fi
done
[ -f "${INITRAMFS:-}" ] || die "no initramfs at ${INITRAMFS:-(unset)} (make initramfs)"
# The Debian guest's root file system, its first stage's kernel as
# /boot/vmlinuz (mkdebian.sh: built once, cached; no network and no cache
# is a skip).
root_image=
if [ "$GUEST" = debian ]; then
	first=KERNEL_$(echo $KERNELS | cut -d' ' -f1)
	mkdir -p "$BUILD_DIR/runs"
	rc=0
	root_image=$("$RIG_ROOT/rig/host/mkdebian.sh" "${!first}" 2>"$BUILD_DIR/runs/mkdebian-$name.log") || rc=$?
	case $rc in
	0) ;;
	77) SKIP_REASON=$(tail -n 1 "$BUILD_DIR/runs/mkdebian-$name.log") ;;
	*) cat "$BUILD_DIR/runs/mkdebian-$name.log" >&2; die "the Debian guest's root file system failed (mkdebian.sh exit $rc)" ;;
	esac
fi

mkdir -p "$BUILD_DIR/runs"
WS=$(mktemp -d "$BUILD_DIR/runs/$name.XXXXXX")
share=$WS/share
OUT=$share/out
KTAP_LOG=$WS/host-checks.log
# Where the guest's stages print their KTAP: the console, or the Debian
# guest's /rig/out/guest.log.
guest_log=$WS/console.log
[ "$GUEST" != debian ] || guest_log=$OUT/guest.log
mkdir -p "$share/kernels" "$OUT" "$WS/tpm" "$share/scenario"
for flavor in $(echo $KERNELS | tr ' ' '\n' | sort -u); do
	var=KERNEL_$flavor
	cp "${!var}" "$share/kernels/$flavor"
done
cp "$INITRAMFS" "$share/initramfs.cpio.gz"
cp "$RIG_ROOT/rig/guest/policy.default" "$share/"
# The scenario's data files (policy.extra), LIKE's first; and its values
# as the host resolved them, for the guest.
for env in "${SCENARIO_FILES[@]:1}"; do
	find "$(dirname "$env")" -maxdepth 1 -type f ! -name scenario.env ! -name checks.sh \
		-exec cp {} "$share/scenario/" \;
done
scenario_env >"$share/scenario/scenario.env"

swtpm_pid=
qemu_pid=
gdb_pid=
cleanup() {
	for pid in $qemu_pid $gdb_pid $swtpm_pid; do
		kill "$pid" 2>/dev/null || true
	done
	wait 2>/dev/null || true
}
trap cleanup EXIT

# verdict RC: the document's last lines, the workspace's fate, the exit.
verdict() {
	local rc=$1 summary
	ktap_end
	exec >&3
	cat "$WS/result.ktap"
	summary=$(awk -f "$KTAP_SUMMARY" "$WS/result.ktap")
	echo "# $name: $(echo "$summary" | tail -n 1) ($(( $(date +%s) - t0 )) s)"
	[ -z "${CONSOLE_COPY:-}" ] || [ ! -f "$WS/console.log" ] || cp "$WS/console.log" "$CONSOLE_COPY"
	if [ "$rc" = 1 ] || [ "$rc" = 99 ]; then
		echo "# first failing check: $(echo "$summary" | sed -n 's/^not ok: //p' | head -n 1)"
		if [ -s "$WS/console.log" ]; then
			echo "# last console lines:"
			grep -v '^$' "$WS/console.log" | tail -n 12 | sed 's/^/#   /'
		fi
		if [ -s "${console:-}" ] && [ -n "$(console_badness "$console")" ]; then
			echo "# the console's first splat:"
			console_first_splat "$console" | sed 's/^/#   /'
		fi
	fi
	if [ "$rc" != 0 ] || [ "$keep" = 1 ]; then
		echo "# workspace kept: $WS"
	else
		rm -rf "$WS"
	fi
	exit "$rc"
}
# The document is written whole before it is shown: its counts come from it.
exec 3>&1 >"$WS/result.ktap"
t0=$(date +%s)
ktap_begin

# harness_error WHY: the rig, not the kernel, failed: one failed result.
harness_error() {
	ktap_not_ok "harness: $1"
	verdict 99
}

if [ -n "${SKIP_REASON:-}" ]; then
	ktap_skip "$name" "$SKIP_REASON"
	verdict 77
fi
if ! run_list prepare "$PREPARE" >"$WS/prepare.log" 2>&1; then
	harness_error "preparing the shared folder failed: $(tail -n 1 "$WS/prepare.log")"
fi

tpm_args=()
case $TPM in
swtpm)
	swtpm_setup --tpm2 --tpmstate "$WS/tpm" --pcr-banks sha1,sha256 \
		--overwrite >"$WS/swtpm_setup.log" 2>&1 ||
		harness_error "swtpm_setup failed, see $WS/swtpm_setup.log"
	swtpm socket --tpm2 --tpmstate dir="$WS/tpm" \
		--ctrl type=unixio,path="$WS/swtpm.sock" \
		--log file="$WS/swtpm.log" &
	swtpm_pid=$!
	for _ in $(seq 50); do [ -S "$WS/swtpm.sock" ] && break; sleep 0.1; done
	[ -S "$WS/swtpm.sock" ] || harness_error "swtpm did not start, see $WS/swtpm.log"
	tpm_args=(-chardev socket,id=chrtpm,path="$WS/swtpm.sock"
		-tpmdev emulator,id=tpm0,chardev=chrtpm)
	case $GUEST_ARCH in
	x86_64) tpm_args+=(-device tpm-tis,tpmdev=tpm0) ;;
	arm64) tpm_args+=(-device tpm-tis-device,tpmdev=tpm0) ;;
	ppc64le | ppc64) tpm_args+=(-device tpm-spapr,tpmdev=tpm0) ;;
	esac
	;;
none) ;;
*) harness_error "TPM=$TPM in scenario.env: expected swtpm or none" ;;
esac

# gdb acts at the restores: QEMU waits for it.
[ -z "$AT_RESTORE" ] || QEMU_EXTRA="$QEMU_EXTRA -S"
first=KERNEL_$(echo $KERNELS | cut -d' ' -f1)
boot=(-initrd "$share/initramfs.cpio.gz")
root=
if [ -n "$root_image" ]; then
	boot=(-drive file="$root_image",if=virtio,format=raw,snapshot=on)
	root="root=/dev/vda rw"
fi
# The machine, its console and where the shared folder's virtio device
# sits. arm64: cortex-a72, not max, whose 52-bit VA Oopses 6.12 in
# trans_pgd_create_copy at kexec (an arm64 bug outside the series).
# pseries: the Spectre caps TCG cannot provide are declared broken, so
# that QEMU starts without asking for them; one vCPU, because with two on
# a loaded host the kexec'd kernel's secondary thread can miss the
# 5-second callin of pseries' __cpu_up ("Processor 0 is stuck"), and the
# next kexec then WARNs in wake_offline_cpus() (arch/powerpc/kexec/
# core_64.c; seen beside arm64's sweep, never with the host to itself).
virtfs=(-virtfs local,path="$share",mount_tag=rig,security_model=none,id=rig)
case $GUEST_ARCH in
x86_64) machine=(qemu-system-x86_64 -machine q35 -cpu max -smp 2) console=ttyS0 ;;
arm64)
	machine=(qemu-system-aarch64 -machine virt -cpu cortex-a72 -smp 2) console=ttyAMA0
	virtfs=(-fsdev local,id=rig,path="$share",security_model=none
		-device virtio-9p-device,fsdev=rig,mount_tag=rig)
	;;
ppc64le | ppc64)
	machine=(qemu-system-ppc64 -machine pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off
		-cpu power9 -smp 1) console=hvc0
	;;
esac
# ima_policy=critical_data: the boot policy records ima_kexec critical data
# (the kexec_restore outcome) before the stage loads the rig's policy.
qemu=("${machine[@]}" -m "$MEM"
	-nographic -nodefaults -no-reboot
	-serial file:"$WS/console.log"
	-kernel "${!first}" "${boot[@]}"
	-append "console=$console panic=-1 oops=panic nokaslr kunit.enable=0 ima_policy=critical_data rig.stage=1 $root $CMDLINE"
	"${tpm_args[@]}"
	"${virtfs[@]}"
	-gdb unix:"$WS/gdb.sock",server=on,wait=off
	$QEMU_EXTRA)
echo "${qemu[*]}" >"$WS/qemu.cmd"
[ "$verbose" = 0 ] || log "${qemu[*]}"

timeout "$TIMEOUT" "${qemu[@]}" >"$WS/qemu.log" 2>&1 &
qemu_pid=$!
if [ -n "$AT_RESTORE" ]; then
	gdb_at_restores "$WS/gdb.log" "$AT_RESTORE" || harness_error "gdb could not attach, see $WS/gdb.log"
	gdb_pid=$!
fi
set +e
wait "$qemu_pid"
qemu_rc=$?
set -e
qemu_pid=
# gdb leaves once QEMU is gone; its log is read by the checks.
[ -z "$gdb_pid" ] || wait "$gdb_pid" 2>/dev/null || true
gdb_pid=
kill "$swtpm_pid" 2>/dev/null || true
wait "$swtpm_pid" 2>/dev/null || true
swtpm_pid=

console=$WS/console.log
[ -s "$console" ] || harness_error "QEMU wrote no console (exit $qemu_rc), see $WS/qemu.log"
[ "$verbose" = 0 ] || cat "$console" >&2

# The guest's results, stage by stage: what it printed between the
# stage's begin and end lines that is KTAP, kernel messages left out.
# A stage that never ended fails the host's check of it.
for stage in $(seq "$STAGES"); do
	{
		ktap_begin "stage $stage"
		sed -e 's/\r$//' "$guest_log" |
			sed -n "/^# rig: stage $stage begin/,/^# rig: stage $stage end/p" |
			grep -E '^(1\.\.[0-9]|ok [0-9]|not ok [0-9]|# )' || true
	} >"$WS/stage$stage.ktap"
	ktap_nest "stage $stage ($(echo $KERNELS | cut -d' ' -f"$stage") kernel)" "$WS/stage$stage.ktap"
done

# The host's: the harness's own, then the scenario's CHECKS.
(
	ktap_begin host
	KTAP_N=0
	ktap_expect "the guest powered off within ${TIMEOUT} s" [ "$qemu_rc" != 124 ]
	ktap_expect_eq "no splat on the console" "$(console_badness "$console")" ""
	for stage in $(seq "$STAGES"); do
		ktap_expect "stage $stage began and ended" \
			grep -q "^# rig: stage $stage end" "$guest_log"
	done
	run_list check "$CHECKS"
	ktap_end
) >"$WS/host.ktap"
ktap_nest host "$WS/host.ktap"
[ -z "$SUMMARY" ] || echo "# $(eval "echo \"$SUMMARY\"")"

failed=$(awk -f "$KTAP_SUMMARY" -v quiet=1 "$WS/result.ktap" | sed -n 's/.* passed, \([0-9]*\) failed.*/\1/p')
[ "$failed" = 0 ] || verdict 1
verdict 0
