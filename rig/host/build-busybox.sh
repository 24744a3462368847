#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-busybox.sh ARCH: Debian's busybox-static for an architecture
# Debian 12 has a cross compiler for but no packages of (ppc64, big
# endian, is a Debian Ports architecture): Debian's own source package,
# fetched and checked by apt-get source from a deb-src list of the rig's,
# built with Debian's static configuration. Prints the binary's path;
# cached by source version and architecture.

set -eu
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: $0 ARCH}
arch_toolchain "$arch"
[ -f "/usr/${cross%-}/lib/libc.a" ] || need_pkgs "libc6-dev-$debarch-cross"
need dpkg-source dpkg-dev
need bzip2 bzip2

cache=${XDG_CACHE_HOME:-$HOME/.cache}/ima-kexec-rig/busybox
apt_dir=$cache/apt
apt_opts=(-o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir/cache")

# The source's version: the sources index, refreshed once a day. Offline,
# the last index, or else the newest busybox built before, will do.
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
printf 'deb-src http://deb.debian.org/debian bookworm main\ndeb-src http://deb.debian.org/debian-security bookworm-security main\n' \
	>"$apt_dir/sources.list"
if [ -z "$(find "$apt_dir" -maxdepth 1 -name updated -mtime -1 2>/dev/null)" ]; then
	if apt-get "${apt_opts[@]}" update -qq >"$apt_dir/update.log" 2>&1; then
		touch "$apt_dir/updated"
	else
		log "apt-get update of $apt_dir/sources.list failed ($(tail -n 1 "$apt_dir/update.log")); going on with what is cached"
	fi
fi
version=$(apt-cache "${apt_opts[@]}" showsrc busybox 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n 1)
if [ -z "$version" ]; then
	out=$(ls -1d "$cache"/*-"$debarch"/busybox 2>/dev/null | sort -V | tail -n 1)
	[ -n "$out" ] || die "no busybox source in $apt_dir/sources.list, and none built before"
	echo "$out"
	exit 0
fi
out=$cache/${version#*:}-$debarch/busybox
if [ -x "$out" ]; then
	echo "$out"
	exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log "building Debian's busybox $version for $arch from source"
(cd "$work" && apt-get "${apt_opts[@]}" source -qq "busybox=$version") >"$work/source.log" 2>&1 ||
	{ cat "$work/source.log" >&2; die "apt-get source busybox=$version failed"; }
src=$(find "$work" -maxdepth 1 -type d -name 'busybox-*' | head -n 1)
[ -n "$src" ] || die "apt-get source left no busybox tree"
cp "$src/debian/config/pkg/static" "$src/.config"
yes '' | make -s -C "$src" CROSS_COMPILE="$cross" oldconfig >"$work/build.log" 2>&1 ||
	{ tail -n 30 "$work/build.log" >&2; die "busybox's static configuration did not take"; }
make -s -C "$src" CROSS_COMPILE="$cross" -j"$(nproc)" busybox >>"$work/build.log" 2>&1 ||
	{ tail -n 30 "$work/build.log" >&2; die "busybox did not build for $arch"; }
mkdir -p "$(dirname "$out")"
tmp=$(mktemp "$out.XXXXXX")
cp "$src/busybox" "$tmp"
chmod 755 "$tmp"
mv "$tmp" "$out"
echo "$out"
