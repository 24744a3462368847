#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sparse (C=2) and W=1 over every C file the series touches, with the
# patched kernel's configuration, in an object tree of its own (W=1 changes
# the flags, and the patched kernel's objects would be rebuilt twice):
# any warning about those files fails. Needs the patched kernel configured
# (make kernel).

set -eu
. "$(dirname "$0")/lib.sh"

need sparse sparse
patched=$BUILD_DIR/obj/patched
[ -f "$patched/.rig-object-list" ] || die "no patched kernel built in $patched (make kernel)"
obj=$BUILD_DIR/obj/sparse
mkdir -p "$obj"
export CCACHE_BASEDIR=$BUILD_DIR CCACHE_NOHASHDIR=1
if ! cmp -s "$patched/.config" "$obj/.config"; then
	cp "$patched/.config" "$obj/.config"
	make -s -C "$TREE" O="$obj" CC="ccache gcc" olddefconfig >/dev/null
fi
make -s -C "$TREE" O="$obj" CC="ccache gcc" -j"$(nproc)" prepare >/dev/null 2>&1 ||
	die "make prepare failed in $obj"
files=$(git -C "$TREE" diff --name-only base..HEAD -- '*.c' | grep -v '_test\.c$')
objs=
for f in $files; do
	# Only objects this configuration builds.
	o=${f%.c}.o
	grep -qxF "$o" "$patched/.rig-object-list" && objs="$objs $o"
done
[ -n "$objs" ] || die "no object of the series is built in $obj"
log "sparse and W=1 on:$objs"
out=$(make -s -C "$TREE" O="$obj" CC="ccache gcc" C=2 W=1 $objs 2>&1) || {
	echo "$out" >&2
	die "building$objs with C=2 W=1 failed"
}
pattern=$(echo $files | sed 's/ /|/g; s/\./\\./g')
found=$(echo "$out" | grep -E "($pattern):[0-9]+:[0-9]+: (warning|error)" || true)
if [ -n "$found" ]; then
	echo "$found"
	echo "$(echo "$found" | wc -l) sparse or W=1 warning(s) in files the series touches"
	exit "$RC_FAIL"
fi
echo "sparse and W=1: no warning in$objs"
