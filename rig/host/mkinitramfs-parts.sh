#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs-parts.sh OUTDIR [INITRAMFS]: the guest initramfs in three
# parts, as distributions make theirs (early microcode, the userspace,
# modules), for a KEXEC_INITRAMFS_CHECK rule with initramfs=parts, which
# measures each member of the initramfs on its own. In OUTDIR:
#
#   part0-microcode.cpio      newc, uncompressed, as the early microcode
#                             loader wants it: kernel/x86/microcode/
#                             GenuineIntel.bin (fake bytes), directories too
#   part1-userspace.cpio.zst  INITRAMFS's archive (a gzip of a newc cpio, as
#                             mkinitramfs.sh writes it), zstd -19 --check
#   part2-modules.cpio.gz     newc of lib/modules/$KVER/kernel/extra/
#                             rig-dummy.ko (fake bytes), gzip -9 -n
#   initramfs-parts.img       the three concatenated: member i is part i
#   initramfs-truncated.img   part0, part1 and the first half of part2: a
#                             gzip member cut short (the kernel's gzip-bad)
#   parts.sha256              sha256sum of the three parts
#
# INITRAMFS defaults to one mkinitramfs.sh makes in OUTDIR. The same
# inputs give the same bytes: names sorted, owner root, modes, mtimes 0,
# inode and device numbers not the file system's, gzip without a name or
# time. Each output is written beside OUTDIR's and renamed into place.
#
# GROW_TO=BYTES (make bench-initramfs): the module is instead base64 text
# of random bytes, enough for initramfs-parts.img to be about BYTES long;
# it gzips to about 3/4 and inflates to 4/3, as modules do, where fake
# bytes would inflate a hundredfold.

set -eu
. "$(dirname "$0")/lib.sh"

out=${1:?usage: $0 OUTDIR [INITRAMFS]}
in=${2:-}
need cpio cpio
need zstd zstd
# A version no kernel of the rig has: the module is no module of it.
KVER=6.12.0-rig-parts
PARTS=(part0-microcode.cpio part1-userspace.cpio.zst part2-modules.cpio.gz)

mkdir -p "$out"
if [ -z "$in" ]; then
	in=$out/initramfs.cpio.gz
	"$RIG_ROOT/rig/host/mkinitramfs.sh" "$in"
fi
[ -r "$in" ] || die "no initramfs at $in"

work=$(mktemp -d "$out/.parts.XXXXXX")
trap 'rm -rf "$work"' EXIT

# GNU cpio 2.13's --reproducible: inode numbers renumbered, no device
# numbers; without it they would be the build machine's.
repro=()
cpio --help 2>&1 | grep -q -- --reproducible && repro=(--reproducible)

# fake BYTES TAG FILE: deterministic bytes for a blob no test reads.
fake() {
	mkdir -p "$(dirname "$3")"
	seq -f "rig fake $2 %06g" 1 "$1" | head -c "$1" >"$3"
}

# pack DIR: DIR's tree as a newc cpio on stdout, the same for the same
# files (no "." entry: the names are those an early archive has).
pack() {
	find "$1" -mindepth 1 -type d -exec chmod 755 {} +
	find "$1" -type f -exec chmod 644 {} +
	find "$1" -exec touch -h -d @0 {} +
	(cd "$1" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet "${repro[@]}")
}

fake 4096 microcode "$work/ucode/kernel/x86/microcode/GenuineIntel.bin"
pack "$work/ucode" >"$work/part0-microcode.cpio"

gzip -dc "$in" >"$work/userspace.cpio" || die "$in does not decompress with gzip"
[ "$(head -c 6 "$work/userspace.cpio")" = 070701 ] ||
	die "$in is not a gzip of a newc cpio archive"
tail -c 1024 "$work/userspace.cpio" | grep -qa 'TRAILER!!!' ||
	die "$in: its cpio archive does not end in TRAILER!!!"
zstd -q -19 --check -c "$work/userspace.cpio" >"$work/part1-userspace.cpio.zst"

module=$work/mods/lib/modules/$KVER/kernel/extra/rig-dummy.ko
if [ -n "${GROW_TO:-}" ]; then
	have=$(cat "$work/part0-microcode.cpio" "$work/part1-userspace.cpio.zst" | wc -c)
	[ "$GROW_TO" -gt "$have" ] || die "GROW_TO=$GROW_TO is not above the first two parts' $have bytes"
	mkdir -p "$(dirname "$module")"
	# base64 text of N random bytes gzips to about N bytes.
	head -c $(((GROW_TO - have) * 98 / 100)) /dev/urandom | base64 >"$module"
else
	fake 8192 module "$module"
fi
pack "$work/mods" | gzip -9 -n >"$work/part2-modules.cpio.gz"

(cd "$work" && cat "${PARTS[@]}") >"$work/initramfs-parts.img"
half=$(($(stat -c %s "$work/part2-modules.cpio.gz") / 2))
{
	cat "$work/part0-microcode.cpio" "$work/part1-userspace.cpio.zst"
	head -c "$half" "$work/part2-modules.cpio.gz"
} >"$work/initramfs-truncated.img"
(cd "$work" && sha256sum "${PARTS[@]}") >"$work/parts.sha256"

for f in "${PARTS[@]}" initramfs-parts.img initramfs-truncated.img parts.sha256; do
	mv "$work/$f" "$out/$f"
done
log "initramfs parts in $out: $(cd "$out" && stat -c '%n %s' "${PARTS[@]}" | tr '\n' ' ')"
