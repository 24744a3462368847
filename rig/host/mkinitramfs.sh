#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh [-a ARCH] OUT: pack the guest initramfs, the rig's guest
# scripts and its KTAP emitter with the tools the steps run.
#   x86_64   busybox, kexec-tools, tpm2-tools with the device TCTI,
#            setfattr and dash (for the kselftest), from the host
#   arm64,   Debian's busybox-static for the architecture and the rig's
#   ppc64le  own kexec_file_load(2) loader (rig/guest/loader), static
#   ppc64    the same, busybox built from Debian's source (no ppc64
#            packages in Debian 12: build-busybox.sh)
# Scenarios are not packed: they come from the shared folder, so one
# initramfs serves every scenario and every kernel of its architecture.

set -eu
. "$(dirname "$0")/lib.sh"

arch=x86_64
if [ "${1:-}" = -a ]; then
	arch=${2:?usage: $0 [-a ARCH] OUT}
	shift 2
fi
out=${1:?usage: $0 [-a ARCH] OUT}
guest_files="$(find "$RIG_ROOT/rig/guest" -maxdepth 1 -type f | sort) $RIG_ROOT/rig/lib/ktap.sh"
case $arch in
x86_64)
	tools="/usr/sbin/kexec /usr/bin/tpm2 /usr/bin/setfattr /usr/bin/dash"
	tcti=/usr/lib/x86_64-linux-gnu/libtss2-tcti-device.so.0
	busybox=/bin/busybox
	inputs="$tools $tcti $busybox $guest_files"
	;;
*)
	arch_toolchain "$arch"
	[ -f "/usr/${cross%-}/lib/libc.a" ] || need_pkgs "libc6-dev-$debarch-cross"
	case $arch in
	ppc64) busybox=$("$RIG_ROOT/rig/host/build-busybox.sh" "$arch") ;;
	*) busybox=$(foreign_deb busybox-static "$debarch")/bin/busybox ;;
	esac
	loader=$BUILD_DIR/loader-$arch/kexec
	src=$RIG_ROOT/rig/guest/loader/kexec.c
	if [ ! -f "$loader" ] || [ "$src" -nt "$loader" ]; then
		mkdir -p "$(dirname "$loader")"
		"${cross}gcc" -static -Os -Wall -Wextra -Werror -o "$loader" "$src" ||
			die "the $arch loader did not build"
	fi
	inputs="$busybox $loader $guest_files"
	;;
esac

# Rebuild only when an input changed.
id=$(for f in $inputs; do echo "$f $(stat -L -c '%s %Y' "$f")"; done | sha256sum | cut -d' ' -f1)
if [ -f "$out" ] && [ "$(cat "$out.id" 2>/dev/null)" = "$id" ]; then
	exit 0
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,proc,sys,dev,tmp,rig,run}
cp "$busybox" "$root/bin/busybox"
# The host's busybox-static names the applets: the same Debian source as
# the other architectures'.
for applet in $(/bin/busybox --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
rm -f "$root/bin/kexec"

copy_with_libs() {
	local f=$1 lib
	mkdir -p "$root$(dirname "$f")"
	cp -L "$f" "$root$f"
	for lib in $(ldd "$f" | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
if [ "$arch" = x86_64 ]; then
	mkdir -p "$root/usr/lib/x86_64-linux-gnu"
	for f in $tools $tcti; do
		copy_with_libs "$f"
	done
	for t in pcrread quote createek createak flushcontext readpublic startup; do
		ln -s tpm2 "$root/usr/bin/tpm2_$t"
	done
	ln -s /usr/sbin/kexec "$root/sbin/kexec"
else
	cp "$loader" "$root/sbin/kexec"
fi

cp "$RIG_ROOT"/rig/guest/init "$root/init"
cp "$RIG_ROOT"/rig/guest/rig-lib.sh "$RIG_ROOT"/rig/guest/steps.sh \
	"$RIG_ROOT"/rig/lib/ktap.sh "$root/bin/"
chmod +x "$root/init"

(cd "$root" && find . | sort | cpio -o -H newc --quiet | gzip -6) >"$out.tmp"
mv "$out.tmp" "$out"
echo "$id" >"$out.id"
log "$arch initramfs $(du -h "$out" | cut -f1): $out"
