#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh OUT: pack the guest initramfs: busybox, kexec-tools,
# tpm2-tools with the device TCTI, setfattr, dash (for the kselftest) and
# the rig's guest scripts and its KTAP emitter.
# Scenarios are not packed: they come from the shared folder, so one
# initramfs serves every scenario and every kernel.

set -eu
. "$(dirname "$0")/lib.sh"

out=${1:?usage: $0 OUT}
tools="/usr/sbin/kexec /usr/bin/tpm2 /usr/bin/setfattr /usr/bin/dash"
tcti=/usr/lib/x86_64-linux-gnu/libtss2-tcti-device.so.0
inputs="$tools $tcti /bin/busybox $(find "$RIG_ROOT/rig/guest" -maxdepth 1 -type f | sort) $RIG_ROOT/rig/lib/ktap.sh"

# Rebuild only when an input changed.
id=$(for f in $inputs; do echo "$f $(stat -L -c '%s %Y' "$f")"; done | sha256sum | cut -d' ' -f1)
if [ -f "$out" ] && [ "$(cat "$out.id" 2>/dev/null)" = "$id" ]; then
	exit 0
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,proc,sys,dev,tmp,rig,run}
mkdir -p "$root/usr/lib/x86_64-linux-gnu"
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done

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
for f in $tools $tcti; do
	copy_with_libs "$f"
done
for t in pcrread quote createek createak flushcontext readpublic startup; do
	ln -s tpm2 "$root/usr/bin/tpm2_$t"
done
rm -f "$root/bin/kexec"
ln -s /usr/sbin/kexec "$root/sbin/kexec"

cp "$RIG_ROOT"/rig/guest/init "$root/init"
cp "$RIG_ROOT"/rig/guest/rig-lib.sh "$RIG_ROOT"/rig/guest/steps.sh \
	"$RIG_ROOT"/rig/lib/ktap.sh "$root/bin/"
chmod +x "$root/init"

(cd "$root" && find . | sort | cpio -o -H newc --quiet | gzip -6) >"$out.tmp"
mv "$out.tmp" "$out"
echo "$id" >"$out.id"
log "initramfs $(du -h "$out" | cut -f1): $out"
