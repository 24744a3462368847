#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# rig/host/mkinitramfs-parts.sh and "ima-kexec-verify initramfs-parts"
# together, with no kernel: the script splits a small initramfs made here
# (a gzip of a newc cpio, as mkinitramfs.sh writes) into its three parts;
# they are what the script says (the concatenation, the truncated image,
# parts.sha256, the same bytes twice), every stream tests good, each part
# holds a newc archive that ends in TRAILER!!! as the kernel's unpacker
# needs; and the tool's policy lines name each part at the offset and
# length its file has, with its sha256sum as the digest.
# KTAP; exit 0 pass, 1 fail, 77 skip (no cpio or zstd).  Needs IV_BIN.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../../rig/lib/ktap.sh"
: "${IV_BIN:?}"
SCRIPT=$HERE/../../rig/host/mkinitramfs-parts.sh
PARTS=(part0-microcode.cpio part1-userspace.cpio.zst part2-modules.cpio.gz)
KINDS=(cpio zstd gzip)

ktap_begin initramfs-parts
for t in cpio zstd gzip sha256sum; do
	if ! command -v "$t" >/dev/null; then
		# The script would install it (as root): not in a test.
		ktap_skip initramfs-parts "$t not installed"
		ktap_end
		exit 77
	fi
done
W=$(mktemp -d /tmp/iv-parts.XXXXXX)
trap 'rm -rf "$W"' EXIT
FAIL=0

# check DESCRIPTION CMD...: one result; the command's output, on failure.
check() {
	local desc=$1
	shift
	if "$@" >"$W/out" 2>&1; then
		ktap_ok "$desc"
	else
		sed 's/^/# | /' "$W/out"
		ktap_not_ok "$desc"
		FAIL=$((FAIL + 1))
	fi
}

# newc FILE: FILE is a newc archive that ends in its TRAILER!!! entry.
newc() {
	[ "$(head -c 6 "$1")" = 070701 ] && cpio -i -t --quiet <"$1" >/dev/null &&
		tail -c 1024 "$1" | grep -qa 'TRAILER!!!'
}

size() { stat -c %s "$1"; }

# The checks, on the parts in $O.
same_again() {
	"$SCRIPT" "$W/out2" "$W/fake.cpio.gz" &&
		diff <(cd "$O" && sha256sum -- *) <(cd "$W/out2" && sha256sum -- *)
}
concatenated() {
	(cd "$O" && cat "${PARTS[@]}") | cmp - "$O/initramfs-parts.img"
}
truncated() {
	{
		cat "$O/${PARTS[0]}" "$O/${PARTS[1]}"
		head -c $(($(size "$O/${PARTS[2]}") / 2)) "$O/${PARTS[2]}"
	} | cmp - "$O/initramfs-truncated.img"
}
sums() {
	(cd "$O" && sha256sum -c --quiet parts.sha256) &&
		[ "$(cut -d' ' -f3 "$O/parts.sha256" | tr '\n' ' ')" = "${PARTS[*]} " ]
}
streams() {
	zstd -q -t "$O/${PARTS[1]}" && gzip -t "$O/${PARTS[2]}" &&
		! tail -c +$(($(size "$O/${PARTS[0]}") + $(size "$O/${PARTS[1]}") + 1)) \
			"$O/initramfs-truncated.img" | gzip -t 2>/dev/null
}
microcode() {
	[ "$(cpio -i -t --quiet <"$O/${PARTS[0]}" | tr '\n' ' ')" = \
	  "kernel kernel/x86 kernel/x86/microcode kernel/x86/microcode/GenuineIntel.bin " ]
}
archives() {
	zstd -q -d -c "$O/${PARTS[1]}" >"$W/p1.cpio" &&
		gzip -d -c "$O/${PARTS[2]}" >"$W/p2.cpio" &&
		newc "$O/${PARTS[0]}" && newc "$W/p1.cpio" && newc "$W/p2.cpio"
}
contents() {
	cmp "$W/fake.cpio" "$W/p1.cpio" && cpio -i -t --quiet <"$W/p2.cpio" |
		grep -qx 'lib/modules/[^/]*/kernel/extra/rig-dummy.ko'
}

mkdir -p "$W/root/bin" "$W/root/etc"
printf '#!/bin/sh\nexec /bin/sh\n' >"$W/root/init"
echo rig >"$W/root/etc/hostname"
(cd "$W/root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$W/fake.cpio"
gzip -6 -n -c "$W/fake.cpio" >"$W/fake.cpio.gz"

O=$W/out1
check "the script makes the parts of an initramfs" \
	"$SCRIPT" "$O" "$W/fake.cpio.gz"
check "and the same bytes again" same_again
check "initramfs-parts.img is the three parts" concatenated
check "initramfs-truncated.img is part0, part1 and the first half of part2" truncated
check "parts.sha256 is sha256sum of the parts" sums
check "zstd -t and gzip -t pass, and the cut gzip member fails" streams
check "part0: cpio -i -t reads the microcode archive, directories first" microcode
check "each part is a newc archive ending in TRAILER!!!" archives
check "part1 holds the initramfs's archive, part2 the module" contents

# What the kernel will log: part i at the sum of the sizes before it.
off=0
for i in 0 1 2; do
	p=$O/${PARTS[$i]}
	len=$(size "$p")
	sum=$(sha256sum <"$p" | cut -d' ' -f1)
	echo "digest sha256:$sum /boot/initrd.img#$i:${KINDS[$i]}@$off+$len"
	off=$((off + len))
done >"$W/want"
(cd "$O" && "$IV_BIN" initramfs-parts --name /boot/initrd.img "${PARTS[@]}") \
	>"$W/got" 2>&1
check "the policy lines: offsets and lengths of the files, sha256sum's digests" \
	diff -u "$W/want" "$W/got"
check "the members end where initramfs-parts.img does" \
	test "$off" = "$(size "$O/initramfs-parts.img")"
ktap_end
[ "$FAIL" = 0 ]
