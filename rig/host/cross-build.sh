#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cross-build.sh ARCH: compile, for arm64 or ppc64le, every object the series
# touches, from the architecture's defconfig plus the IMA and KUnit fragments.
# The handover must keep building where it travels in the device tree.

set -eu
. "$(dirname "$0")/lib.sh"

case ${1:-} in
arm64) defconfig=defconfig ;;
ppc64le) defconfig=ppc64le_defconfig ;;
*) die "usage: $0 arm64|ppc64le" ;;
esac
arch_toolchain "$1"
[ -d "$TREE/.git" ] || die "no work tree at $TREE; run 'make tree' first"

obj=$BUILD_DIR/obj/$1
mkdir -p "$obj"
kmake() { make -s -C "$TREE" O="$obj" ARCH="$karch" CROSS_COMPILE="$cross" "$@"; }
kmake "$defconfig" >/dev/null
(cd "$obj" && "$TREE/scripts/kconfig/merge_config.sh" -Q -m .config \
	"$RIG_ROOT/configs/ima-kexec.config" "$RIG_ROOT/configs/kunit.config" \
	"$RIG_ROOT/configs/series.config") >/dev/null
kmake olddefconfig >/dev/null
for opt in CONFIG_KEXEC_FILE=y CONFIG_IMA_KEXEC=y CONFIG_IMA_KEXEC_KUNIT_TEST=y CONFIG_OF=y; do
	grep -qx "$opt" "$obj/.config" || die "$1: $opt did not survive olddefconfig"
done
targets="security/integrity/ima/ kernel/kexec_core.o kernel/kexec_file.o drivers/of/kexec.o"
[ "$1" != ppc64le ] || targets="$targets arch/powerpc/kexec/"
kmake -j"$(nproc)" W=1 $targets 2>"$obj/cross.log" || { cat "$obj/cross.log" >&2; die "$1 build failed"; }
# Files the series touches must build warning-free; others are not ours.
if grep -E 'warning:|error:' "$obj/cross.log" |
	grep -E 'security/integrity/ima/|kernel/kexec_(core|file)\.c|drivers/of/kexec\.c' >&2; then
	die "$1: warnings in the series' objects"
fi
log "$1: the series' objects compile: $targets"
