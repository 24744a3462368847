#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh FLAVOR: build the guest kernel, incrementally and with ccache.
#   patched  the work tree's branch (base + patches/series)
#   base     the unpatched base commit, in a git worktree beside it
#   debug    the patched branch with KASAN and UBSAN (for the parser torture)
#   signed   the patched branch appraising and verifying signed kexec images,
#            with the rig's CA (make-keys.sh) built in
# Prints the bzImage path on stdout.

set -eu
. "$(dirname "$0")/lib.sh"

flavor=${1:-patched}
fragments="$RIG_ROOT/configs/guest.config $RIG_ROOT/configs/ima-kexec.config $RIG_ROOT/configs/kunit.config $RIG_ROOT/configs/bench.config"
case $flavor in
patched)
	src=$TREE
	fragments="$fragments $RIG_ROOT/configs/series.config"
	;;
debug)
	src=$TREE
	fragments="$fragments $RIG_ROOT/configs/series.config $RIG_ROOT/configs/debug.config"
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
*) die "unknown flavor $flavor (patched, base, debug, signed)" ;;
esac
[ -d "$src" ] || die "no kernel tree at $src; run 'make tree' first"

obj=$BUILD_DIR/obj/$flavor
mkdir -p "$obj"
export CCACHE_BASEDIR=$BUILD_DIR CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
kmake() { make -s -C "$src" O="$obj" CC="ccache gcc" HOSTCC="ccache gcc" "$@"; }

config_id=$(cat $fragments | sha256sum | cut -d' ' -f1)
if [ ! -f "$obj/.config" ] || [ "$(cat "$obj/.rig-config" 2>/dev/null)" != "$config_id" ]; then
	log "configuring $flavor kernel from $(echo $fragments | xargs -n1 basename | xargs)"
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

log "building $flavor kernel in $obj"
start=$(date +%s)
kmake -j"$(nproc)" bzImage >"$obj/build.log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
	sleep 15
	kill -0 "$pid" 2>/dev/null &&
		log "  ... $(( $(date +%s) - start ))s, $(find "$obj" -name '*.o' -newer "$obj/.rig-config" | wc -l) objects"
done
if ! wait "$pid"; then
	tail -n 40 "$obj/build.log" >&2
	die "$flavor kernel build failed; log: $obj/build.log"
fi
grep -E 'warning:' "$obj/build.log" >&2 || true
log "built $flavor kernel $(cat "$obj/include/config/kernel.release") in $(( $(date +%s) - start ))s"
echo "$obj/arch/x86/boot/bzImage"
