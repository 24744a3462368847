# SPDX-License-Identifier: GPL-2.0
#
# IMA measurement-list handover across kexec: the patch series, the QEMU +
# swtpm rig that proves it, and the attestation verifier.
#
#   make demo     build everything and run the soft-reboot attestation demo
#   make check    the whole test suite; ends with "N passed, N failed"
#
#   make help     every target and every scenario (the default)
#
# KERNEL_SRC=<6.12.y tree or tarball, 6.12.110 on> overrides Debian's
# linux-source-6.12. ARCH=arm64, ppc64le or ppc64 (big endian): make
# kernel, kernel-base and initramfs build for QEMU's virt or pseries guest
# instead of x86_64.

.DEFAULT_GOAL := help

export BUILD_DIR ?= $(CURDIR)/build
export KERNEL_SRC
HOST := rig/host

KERNEL_patched := $(BUILD_DIR)/obj/patched/arch/x86/boot/bzImage
KERNEL_base := $(BUILD_DIR)/obj/base/arch/x86/boot/bzImage
KERNEL_debug := $(BUILD_DIR)/obj/debug/arch/x86/boot/bzImage
KERNEL_signed := $(BUILD_DIR)/obj/signed/arch/x86/boot/bzImage
KERNEL_distro := $(BUILD_DIR)/obj/distro/arch/x86/boot/bzImage
INITRAMFS := $(BUILD_DIR)/initramfs.cpio.gz
VERIFIER := $(CURDIR)/verifier/build/ima-kexec-verify
export KERNEL_patched KERNEL_base KERNEL_debug KERNEL_signed KERNEL_distro INITRAMFS VERIFIER
# The guest architecture (make kernel ARCH=arm64); the kernel's own make
# gets it from build-kernel.sh, never from here.
GUEST_ARCH := $(if $(filter-out x86 x86_64,$(ARCH)),$(ARCH),x86_64)
unexport ARCH
MAKEOVERRIDES := $(filter-out ARCH=%,$(MAKEOVERRIDES))
ARCH_INITRAMFS := $(if $(filter x86_64,$(GUEST_ARCH)),$(INITRAMFS),$(BUILD_DIR)/initramfs-$(GUEST_ARCH).cpio.gz)

.PHONY: help all deps tree kernel kernel-base kernel-debug kernel-signed kernel-distro initramfs verifier \
	debian-image debian-demo demo check check-arch scenario export check-export checkpatch sparse bisect bench bench-initramfs clean

help:
	@$(HOST)/help.sh

all: kernel kernel-base initramfs verifier

deps:
	@$(HOST)/install-deps.sh

tree: deps
	@$(HOST)/prepare-tree.sh

kernel: tree
	@$(HOST)/build-kernel.sh -a $(GUEST_ARCH) patched >/dev/null

kernel-base: tree
	@$(HOST)/build-kernel.sh -a $(GUEST_ARCH) base >/dev/null

kernel-debug: tree
	@$(HOST)/build-kernel.sh debug >/dev/null

kernel-signed: tree
	@$(HOST)/build-kernel.sh signed >/dev/null

kernel-distro: tree
	@$(HOST)/build-kernel.sh distro >/dev/null

# The Debian 12 guest's root file system (cached in ~/.cache/ima-kexec-rig).
debian-image: kernel-distro verifier
	@$(HOST)/mkdebian.sh $(KERNEL_distro)

# Boot the Debian guest by hand, to try your own services across a kexec.
debian-demo: kernel-distro verifier
	@$(HOST)/debian-demo.sh

initramfs: deps
	@$(HOST)/mkinitramfs.sh -a $(GUEST_ARCH) $(ARCH_INITRAMFS)

verifier: deps
	@$(MAKE) -s -C verifier

demo: kernel initramfs verifier
	@$(HOST)/demo.sh

# make scenario S=baseline [K=1] [V=1]: one rig scenario and what it needs;
# an unknown or missing S= is refused before anything is built.
scenario:
	@$(HOST)/run-scenario.sh -b $(if $(K),-k) $(if $(V),-v) $(S)

# make check [S=a,b]: everything, or only those scenarios.
check: deps
	@$(HOST)/check.sh $(S)

# Every scenario of the other architectures, IN_CHECK=no's too (compat,
# which boots their unpatched kernels).
check-arch: deps
	@$(HOST)/check.sh $$(cd rig/scenarios && ls -d arm64-* ppc64le-* ppc64-* | paste -sd, -)

export:
	@$(HOST)/export-series.sh

check-export: tree
	@$(HOST)/check-export.sh

checkpatch: tree
	@$(HOST)/checkpatch.sh

# sparse (C=2) and W=1 on every C file the series touches.
sparse: kernel
	@$(HOST)/sparse.sh

# Build and boot the kernel at every patch of the series.
bisect: tree initramfs
	@$(HOST)/bisect.sh

bench: kernel kernel-base initramfs verifier
	@bench/run.sh

# What initramfs=parts costs kexec_file_load (also the last part of make bench).
bench-initramfs: kernel initramfs verifier
	@bench/initramfs.sh

clean:
	@$(MAKE) -s -C verifier clean
	rm -rf $(BUILD_DIR)/obj $(BUILD_DIR)/runs $(INITRAMFS) $(BUILD_DIR)/initramfs-*.cpio.gz* $(BUILD_DIR)/loader-*
