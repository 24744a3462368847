#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make help: the targets, and the scenarios with what each one shows.
. "$(dirname "$0")/lib.sh"

cat <<HELP
IMA measurement-list handover across kexec: the series, the rig, the verifier.

  make demo              build and run the soft-reboot attestation demo
  make debian-demo       boot the Debian 12 + systemd guest by hand (your
                         own services; kexec -s -l, systemctl kexec)
  make check [S=a,b]     the whole suite (or those scenarios); ends with
                         "N passed, N failed, N skipped"
  make scenario S=name   one scenario, building the kernels it boots;
                         K=1 keeps its workspace, V=1 shows the console
  make bench             the handover's cost, base vs patched, and what
                         initramfs=parts costs a load (~30 min)
  make bench-initramfs   only the latter (~5 min)
  make bisect            build and boot every patch of the series (~30 min)
  make checkpatch        checkpatch.pl --strict on every patch
  make sparse            sparse (C=2) and W=1 on the files the series touches
  make export            re-export the work tree's branch to patches/
  make tree              the kernel work tree (base + patches/series)
  make check-arch        every arm64, ppc64le and ppc64 (big-endian)
                         scenario, those that boot the unpatched kernel of
                         the architecture too
  make kernel[-base|-debug|-signed|-distro]   one guest kernel
  make kernel[-base] ARCH=arm64|ppc64le|ppc64 one for QEMU virt or pseries
  make initramfs [ARCH=arm64|ppc64le|ppc64]   the busybox guest's initramfs
  make debian-image      the Debian guest's root file system (cached)
  make deps              install what the rig needs (Debian 12, root)
  make clean

  KERNEL_SRC=<tree or tarball>  the base: Linux 6.12.110 or later 6.12.y

Scenarios (rig/scenarios/<name>/scenario.env):
HELP
for name in $(scenario_names); do
	printf '  %-32s %s\n' "$name" "$(scenario_title "$name")"
done
