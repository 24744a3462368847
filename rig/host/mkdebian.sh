#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkdebian.sh [--tree] KERNEL: the Debian 12 guest's root file system, an
# ext4 image for a virtio disk, made from Debian's packages; prints its
# path on stdout.
#
# Two levels, each cached outside the clone (a fresh clone on this machine
# reuses them), each rebuilt only when what goes into it changes:
#   debian-<recipe hash>/rootfs   debootstrap --variant=minbase of bookworm
#       with rig/guest/debian/packages (systemd, udev, kexec-tools,
#       tpm2-tools, ima-evm-utils, ...), from the mirror the host's apt
#       uses (DEBIAN_MIRROR overrides); several minutes from scratch, its
#       time kept in build-seconds;
#   debian-<recipe hash>/image-<hash>.ext4   that tree with the project's
#       files: rig/guest/debian/rootfs (units, the IMA policy loader's
#       /etc/ima/ima-policy = rig/guest/policy.default), the rig's guest
#       libraries, the verifier and KERNEL as /boot/vmlinuz; seconds.
# The image is never written: QEMU boots it with snapshot=on.
#
# --tree: only the first level. Exit: 0, 77 (no cache and no mirror
# reachable: skip, reason on stderr's last line), 99 (anything else).

set -eu
. "$(dirname "$0")/lib.sh"

tree_only=0
[ "${1:-}" != --tree ] || { tree_only=1; shift; }
kernel=${1:-}
[ "$tree_only" = 1 ] || [ -f "$kernel" ] || die "usage: $0 [--tree] KERNEL (no kernel at '${kernel}')"

recipe=$RIG_ROOT/rig/guest/debian
suite=bookworm
cache=${RIG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ima-kexec-rig}
need debootstrap debootstrap
need mke2fs e2fsprogs

# The recipe of the first level: the suite, the variant, the packages.
h1=$(printf '%s\n' "$suite minbase" "$(grep -v '^#' "$recipe/packages")" | sha256sum | cut -c1-16)
dir=$cache/debian-$h1
tree=$dir/rootfs

# debian_mirror: the Debian archive the host's apt fetches bookworm from.
debian_mirror() {
	local m
	[ -z "${DEBIAN_MIRROR:-}" ] || { echo "$DEBIAN_MIRROR"; return; }
	m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
		/^URIs:/ { uri = $2 } /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "'$suite'") { print uri; exit } }')
	[ -n "$m" ] || m=$(cat /etc/apt/sources.list 2>/dev/null |
		awk '$1 == "deb" && $3 == "'$suite'" { print $2; exit }')
	[ -n "$m" ] && echo "$m"
}

build_tree() {
	local mirror tmp t0 pkgs
	mirror=$(debian_mirror) || {
		echo "no Debian mirror for $suite in the host's apt sources (set DEBIAN_MIRROR)" >&2
		exit "$RC_SKIP"
	}
	pkgs=$(grep -v '^#' "$recipe/packages" | xargs | tr ' ' ',')
	mkdir -p "$dir"
	tmp=$(mktemp -d "$dir/.rootfs.XXXXXX")
	chmod 755 "$tmp"
	t0=$(date +%s)
	log "debootstrap --variant=minbase $suite with $pkgs (from scratch, several minutes)"
	if ! debootstrap --variant=minbase --include="$pkgs" "$suite" "$tmp" "$mirror" \
		>"$dir/debootstrap.log" 2>&1; then
		rm -rf "$tmp"
		# No network: a skip with its reason; anything else is an error.
		if grep -qE 'Failed getting release file|Temporary failure resolving|Could not resolve|Connection refused|Network is unreachable|Failed to fetch|Couldn.t download' "$dir/debootstrap.log"; then
			echo "no Debian root file system cached and $mirror unreachable: $(grep -E '^[EW]:' "$dir/debootstrap.log" | tail -n 1)" >&2
			exit "$RC_SKIP"
		fi
		tail -n 20 "$dir/debootstrap.log" >&2
		die "debootstrap failed, see $dir/debootstrap.log"
	fi
	# What a small image needs no copy of.
	rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/* \
		"$tmp"/usr/share/doc/* "$tmp"/usr/share/man/* "$tmp"/usr/share/locale/*
	echo $(($(date +%s) - t0)) >"$dir/build-seconds"
	rm -rf "$tree"
	mv "$tmp" "$tree"
	date -u '+%Y-%m-%d %H:%M UTC' >"$dir/built"
	log "Debian root file system built in $(cat "$dir/build-seconds") s: $tree ($(du -sh "$tree" | cut -f1))"
}

# One maker at a time (make check runs scenarios side by side); the
# second finds what the first made.
mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9
[ -f "$dir/built" ] && [ -d "$tree" ] || build_tree
[ "$tree_only" = 0 ] || { echo "$tree"; exit 0; }

# The second level: what the project adds, by content.
libs="$RIG_ROOT/rig/lib/ktap.sh $RIG_ROOT/rig/guest/rig-lib.sh $RIG_ROOT/rig/guest/steps.sh $RIG_ROOT/rig/guest/policy.default"
[ -x "$VERIFIER" ] || die "no verifier at $VERIFIER (make verifier)"
h2=$({
	echo "$h1"
	(cd "$recipe" && find . -type f | sort | xargs sha256sum)
	sha256sum "$0" $libs "$VERIFIER" "$kernel" | cut -d' ' -f1
} | sha256sum | cut -c1-16)
image=$dir/image-$h2.ext4
if [ -f "$image" ]; then
	touch "$image"
	echo "$image"
	exit 0
fi

t0=$(date +%s)
stage=$(mktemp -d "$dir/.image.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cp -a "$tree" "$stage/root"
r=$stage/root
# The root directory as an installer leaves it (mktemp made it 0700).
chmod 755 "$r"
cp -a "$recipe/rootfs/." "$r/"
# The IMA policy systemd writes to the kernel first thing (ima_setup()).
mkdir -p "$r/etc/ima"
cp "$RIG_ROOT/rig/guest/policy.default" "$r/etc/ima/ima-policy"
mkdir -p "$r/usr/local/lib/ima-kexec-rig"
cp $libs "$r/usr/local/lib/ima-kexec-rig/"
cp "$VERIFIER" "$r/usr/local/bin/"
# The bzImage's version string: at the header's kernel_version + 0x200.
release=$(dd if="$kernel" bs=1 skip=$(($(od -An -tu2 -j 526 -N 2 "$kernel") + 512)) count=64 2>/dev/null |
	tr '\0' '\n' | head -n 1 | cut -d' ' -f1)
[ -n "$release" ] || release=rig
cp "$kernel" "$r/boot/vmlinuz-$release"
ln -sf "vmlinuz-$release" "$r/boot/vmlinuz"
# Root logs in on the console without a password (make debian-demo).
sed -i 's/^root:[^:]*:/root::/' "$r/etc/shadow"
echo debian-rig >"$r/etc/hostname"
# /etc/machine-id stays the one systemd's postinst made: an installed
# system, not a first boot (systemd-firstboot would prompt on the console).
mkdir -p "$r/rig"
for unit in $(cd "$recipe/rootfs/etc/systemd/system" && ls *.service); do
	mkdir -p "$r/etc/systemd/system/multi-user.target.wants"
	ln -sf "/etc/systemd/system/$unit" "$r/etc/systemd/system/multi-user.target.wants/$unit"
done
mke2fs -q -t ext4 -L debian-rig -d "$r" "$image.tmp" 2G >&2 || die "mke2fs -d failed"
mv "$image.tmp" "$image"
# Keep the four most recently used images.
ls -1t "$dir"/image-*.ext4 | tail -n +5 | xargs -r rm -f
log "Debian guest image in $(($(date +%s) - t0)) s: $image"
echo "$image"
