#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make debian-demo: the Debian 12 guest by hand. Boots the rig's Debian
# root file system (mkdebian.sh) with the distro kernel on a fresh swtpm,
# the console on this terminal; log in as root (no password), start your
# own services, then soft-reboot as a user does and look at the handover:
#
#   kexec -s -l /boot/vmlinuz --reuse-cmdline && systemctl kexec
#   cat /sys/kernel/security/ima/kexec_restore
#   ima-kexec-verify --tpm-dir /sys/class/tpm/tpm0 \
#       /sys/kernel/security/ima/binary_runtime_measurements
#
# The disk is a snapshot: what you change is gone when QEMU exits. The
# folder DEBIAN_DEMO_SHARE (default build/debian-demo) is /rig in the
# guest, to bring files in and out. Leave QEMU with Ctrl-a x.

set -eu
. "$(dirname "$0")/lib.sh"

[ -f "$KERNEL_distro" ] || die "no distro kernel at $KERNEL_distro (make kernel-distro)"
image=$("$RIG_ROOT/rig/host/mkdebian.sh" "$KERNEL_distro")
share=${DEBIAN_DEMO_SHARE:-$BUILD_DIR/debian-demo}
mkdir -p "$share"
ws=$(mktemp -d "${TMPDIR:-/tmp}/debian-demo.XXXXXX")
swtpm_pid=
cleanup() {
	[ -z "$swtpm_pid" ] || kill "$swtpm_pid" 2>/dev/null || true
	rm -rf "$ws"
}
trap cleanup EXIT
swtpm_setup --tpm2 --tpmstate "$ws" --pcr-banks sha1,sha256 --overwrite >"$ws/swtpm_setup.log" 2>&1 ||
	die "swtpm_setup failed: $(tail -n 1 "$ws/swtpm_setup.log")"
swtpm socket --tpm2 --tpmstate dir="$ws" --ctrl type=unixio,path="$ws/swtpm.sock" &
swtpm_pid=$!
for _ in $(seq 50); do [ -S "$ws/swtpm.sock" ] && break; sleep 0.1; done
[ -S "$ws/swtpm.sock" ] || die "swtpm did not start"

log "Debian 12 guest: $image"
log "kernel: $KERNEL_distro; /rig is $share; log in as root; Ctrl-a x leaves"
qemu-system-x86_64 -machine q35 -cpu max -m 1G -smp 2 -nographic -nodefaults -no-reboot \
	-serial mon:stdio \
	-kernel "$KERNEL_distro" \
	-append "console=ttyS0 panic=-1 nokaslr kunit.enable=0 ima_policy=critical_data root=/dev/vda rw" \
	-drive file="$image",if=virtio,format=raw,snapshot=on \
	-chardev socket,id=chrtpm,path="$ws/swtpm.sock" \
	-tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-tis,tpmdev=tpm0 \
	-virtfs local,path="$share",mount_tag=rig,security_model=none,id=rig
