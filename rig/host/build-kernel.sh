#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh [-a ARCH] FLAVOR: build the guest kernel, incrementally and
# with ccache, for x86_64 (the default), arm64, ppc64le or ppc64 (cross-compiled
# with Debian's cross compilers; patched and base only).
#   patched  the work tree's branch (base + patches/series)
#   base     the unpatched base commit, in a git worktree beside it
#   debug    the patched branch with KASAN and UBSAN (for the parser torture)
#   signed   the patched branch appraising and verifying signed kexec images,
#            with the rig's CA (make-keys.sh) built in
#   distro   the patched branch with what a distribution's systemd needs
#            (configs/distro.config): the Debian guest's kernel
# Prints the image's path on stdout (kernel_image in lib.sh).

set -eu
. "$(dirname "$0")/lib.sh"

arch=x86_64
if [ "${1:-}" = -a ]; then
	arch=${2:?usage: $0 [-a ARCH] FLAVOR}
	shift 2
fi
flavor=${1:-patched}
arch_toolchain "$arch"
case $arch:$flavor in
x86_64:* | *:patched | *:base) ;;
*) die "the $flavor kernel is built for x86_64 only, not $arch" ;;
esac
image=$(kernel_image "$flavor" "$arch")
fragments="$RIG_ROOT/configs/guest.config $RIG_ROOT/configs/guest-$arch.config $RIG_ROOT/configs/ima-kexec.config $RIG_ROOT/configs/kunit.config $RIG_ROOT/configs/bench.config"
case $flavor in
patched)
	src=$TREE
	fragments="$fragments $RIG_ROOT/configs/series.config"
	;;
debug)
	src=$TREE
	fragments="$fragments $RIG_ROOT/configs/series.config $RIG_ROOT/configs/debug.config"
	;;
distro)
	src=$TREE
	fragments="$fragments $RIG_ROOT/configs/series.config $RIG_ROOT/configs/distro.config"
	;;
signed)
	src=$TREE
	"$RIG_ROOT/rig/host/make-keys.sh" "$KEYS_DIR"
	mkdir -p "$BUILD_DIR/obj/signed"
	echo "CONFIG_SYSTEM_TRUSTED_KEYS=\"$KEYS_DIR/ca.pem\"" >"$BUILD_DIR/obj/signed/keys.config"
	fragments="$fragments $RIG_ROOT/configs/series.config $RIG_ROOT/configs/signed.config $BUILD_DIR/obj/signed/keys.config"
	;;
bisect)
	# Any commit of the series, checked out by bisect.sh in a worktree of
	# its own; options the commit does not have yet are not set.
	src=$BUILD_DIR/linux-bisect
	;;
base)
	src=$BUILD_DIR/linux-base
	if [ ! -d "$src" ]; then
		git -C "$TREE" worktree prune
		git -C "$TREE" worktree add -q --detach "$src" base
	fi
	git -C "$src" checkout -q --detach base
	;;
*) die "unknown flavor $flavor (patched, base, debug, signed, distro)" ;;
esac
[ -d "$src" ] || die "no kernel tree at $src; run 'make tree' first"

obj=$(kernel_obj "$flavor" "$arch")
mkdir -p "$obj"
export CCACHE_BASEDIR=$BUILD_DIR CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
kmake() {
	make -s -C "$src" O="$obj" ARCH="$karch" CROSS_COMPILE="$cross" \
		CC="ccache ${cross}gcc" HOSTCC="ccache gcc" "$@"
}

config_id=$(cat $fragments | sha256sum | cut -d' ' -f1)

# The images of earlier builds, by what went into them: a fresh clone
# (make check, CI) gets a kernel it built before in seconds instead of
# minutes of ccache hits, preprocessing and linking. The key is the
# source tree (its committed tree id: a tree with uncommitted changes or
# untracked files is always built), the configuration fragments, the
# compiler and the flavor; the signed flavor's fragments name the rig's
# CA, so its key changes with the keys. KERNEL_CACHE=off builds always.
kernel_cache=${KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ima-kexec-rig/kernels}
cache_files="${image#"$obj"/} vmlinux System.map .config include/config/kernel.release .rig-object-list"
cache_key() {
	[ "$kernel_cache" != off ] || return 1
	[ -z "$(git -C "$src" status --porcelain)" ] || return 1
	{
		echo "$flavor"
		[ "$arch" = x86_64 ] || echo "$arch"
		git -C "$src" rev-parse 'HEAD^{tree}'
		cat $fragments
		[ "$flavor" != signed ] || cat "$KEYS_DIR/ca.pem"
		"${cross}gcc" --version | head -n 1
	} | sha256sum | cut -c1-32
}

key=$(cache_key) || key=
if [ -n "$key" ] && [ -f "$kernel_cache/$key/done" ]; then
	for f in $cache_files; do
		mkdir -p "$(dirname "$obj/$f")"
		cmp -s "$kernel_cache/$key/$(basename "$f")" "$obj/$f" ||
			cp "$kernel_cache/$key/$(basename "$f")" "$obj/$f"
	done
	echo "$config_id" >"$obj/.rig-config"
	# Objects here from another build must not pass for this image's:
	# the next real build relinks.
	rm -f "$obj/vmlinux.a" "$obj/vmlinux.o"
	# Used now: the eviction below goes by the folder's time.
	touch "$kernel_cache/$key" "$kernel_cache/$key/done"
	log "$flavor kernel $(cat "$obj/include/config/kernel.release") from the cache ($kernel_cache/$key, built $(cat "$kernel_cache/$key/built"))"
	echo "$image"
	exit 0
fi

if [ ! -f "$obj/.config" ] || [ "$(cat "$obj/.rig-config" 2>/dev/null)" != "$config_id" ]; then
	log "configuring $arch $flavor kernel from $(echo $fragments | xargs -n1 basename | xargs)"
	kmake tinyconfig >/dev/null
	(cd "$obj" && "$src/scripts/kconfig/merge_config.sh" -Q -m .config $fragments) >/dev/null
	kmake olddefconfig >/dev/null
	# Every fragment line must survive olddefconfig, or a dependency is missing.
	missing=$(cat $fragments | grep -E '^(CONFIG_|# CONFIG_)' | sort -u | while read -r line; do
		grep -qxF "$line" "$obj/.config" || echo "$line"
	done)
	[ -z "$missing" ] || die "config lines dropped by olddefconfig: $(echo $missing)"
	echo "$config_id" >"$obj/.rig-config"
fi

# How many objects a build makes: what the last successful build here left
# (.rig-objects), else another flavor's count, else what a first patched build
# of 6.12.117 with these configs made (1466, objtool's included).
objects_expected() {
	local f
	[ ! -s "$obj/.rig-objects" ] || { cat "$obj/.rig-objects"; return; }
	# Built before builds were counted: what is there is the count.
	[ ! -f "$obj/vmlinux" ] || { find "$obj" -name '*.o' | wc -l; return; }
	for f in "$BUILD_DIR"/obj/*/.rig-objects; do
		# Another flavor of the same architecture (x86's have no prefix).
		case $arch:$(basename "$(dirname "$f")") in
		arm64:arm64-* | ppc64le:ppc64le-* | ppc64:ppc64-*) ;;
		x86_64:*-* | arm64:* | ppc64le:* | ppc64:*) continue ;;
		esac
		[ -s "$f" ] && { cat "$f"; return; }
	done
	echo 1466
}

# elapsed: time since $start, as 45s or 4m10s.
elapsed() {
	local s=$(( $(date +%s) - start ))
	if [ "$s" -lt 60 ]; then echo "${s}s"; else printf '%dm%02ds\n' $((s / 60)) $((s % 60)); fi
}

log "building $arch $flavor kernel in $obj"
start=$(date +%s)
expected=$(objects_expected)
# After a successful build only what make redoes is news; before one, every
# object there counts, those of an interrupted build too.
incremental=0
if [ -f "$obj/.rig-objects" ] || [ -f "$obj/vmlinux" ]; then incremental=1; fi
touch "$obj/.rig-build-start"
kmake -j"$(nproc)" "$(basename "$image")" >"$obj/build.log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
	sleep 15
	kill -0 "$pid" 2>/dev/null || break
	if [ "$incremental" = 1 ]; then
		n=$(find "$obj" -name '*.o' -newer "$obj/.rig-build-start" | wc -l)
		log "  $flavor: (re)built $n of ~$expected objects, $(elapsed)"
	else
		n=$(find "$obj" -name '*.o' | wc -l)
		log "  $flavor: $n/~$expected objects, $(elapsed)"
	fi
done
if ! wait "$pid"; then
	tail -n 40 "$obj/build.log" >&2
	die "$flavor kernel build failed; log: $obj/build.log"
fi
# The estimate for the next build, of this flavor and of a first other one;
# the objects built, for sparse.sh, whose object tree is not this one.
(cd "$obj" && find . -name '*.o' | sed 's|^\./||' | sort) >"$obj/.rig-object-list"
wc -l <"$obj/.rig-object-list" >"$obj/.rig-objects"
if [ -n "$key" ]; then
	# Into a new folder, then renamed: a cache entry is whole or absent.
	mkdir -p "${kernel_cache:?}"
	tmp=$(mktemp -d "$kernel_cache/.new.XXXXXX")
	for f in $cache_files; do cp "$obj/$f" "$tmp/"; done
	date -u '+%Y-%m-%d %H:%M UTC' >"$tmp/built"
	touch "$tmp/done"
	rm -rf "${kernel_cache:?}/$key"
	mv "$tmp" "$kernel_cache/$key"
	# Keep the 16 most recently used: every flavor of every architecture.
	ls -1dt "${kernel_cache:?}"/*/ | tail -n +17 | xargs -r rm -rf
fi
grep -E 'warning:' "$obj/build.log" >&2 || true
log "built $flavor kernel $(cat "$obj/include/config/kernel.release") in $(elapsed)"
echo "$image"
