#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Create the kernel work tree: the base source as one commit tagged "base",
# then patches/series applied with git am on branch ima-kexec-handover.
#
# KERNEL_SRC is a 6.12.y source tree or tarball; the default is Debian's
# linux-source-6.12 package. An existing tree is reused when its base and the
# applied series are unchanged, so incremental builds stay incremental.

set -eu
. "$(dirname "$0")/lib.sh"

DEFAULT_SRC=/usr/src/linux-source-6.12.tar.xz
KERNEL_SRC=${KERNEL_SRC:-}
FORCE=${FORCE:-0}

usage() {
	cat <<USAGE
usage: $0 [-f]
  -f  discard work-tree commits that were not exported to patches/
Environment: KERNEL_SRC=<6.12.y tree or tarball> (default $DEFAULT_SRC)
USAGE
	exit "$RC_ERROR"
}

while getopts fh opt; do
	case $opt in
	f) FORCE=1 ;;
	*) usage ;;
	esac
done

need git git
need xz xz-utils

if [ -z "$KERNEL_SRC" ]; then
	KERNEL_SRC=$DEFAULT_SRC
	[ -f "$KERNEL_SRC" ] || need_pkgs linux-source-6.12
fi
[ -e "$KERNEL_SRC" ] || die "KERNEL_SRC=$KERNEL_SRC does not exist"
KERNEL_SRC=$(realpath "$KERNEL_SRC")

# A cheap identity for the source, so a changed KERNEL_SRC rebuilds the base.
if [ -d "$KERNEL_SRC" ]; then
	[ -f "$KERNEL_SRC/Makefile" ] && [ -f "$KERNEL_SRC/security/integrity/ima/ima_kexec.c" ] ||
		die "KERNEL_SRC=$KERNEL_SRC is not a kernel source tree (no Makefile or ima_kexec.c)"
	src_id="dir:$KERNEL_SRC:$(git -C "$KERNEL_SRC" rev-parse HEAD 2>/dev/null || stat -c %Y "$KERNEL_SRC/Makefile")"
else
	case $KERNEL_SRC in
	*.tar.xz|*.tar.gz|*.tar.bz2|*.tar) ;;
	*) die "KERNEL_SRC=$KERNEL_SRC is neither a directory nor a tarball" ;;
	esac
	src_id="tar:$KERNEL_SRC:$(stat -c '%s:%Y' "$KERNEL_SRC")"
fi

check_version() {
	local mk=$1/Makefile v p s
	v=$(sed -n 's/^VERSION = //p' "$mk")
	p=$(sed -n 's/^PATCHLEVEL = //p' "$mk")
	s=$(sed -n 's/^SUBLEVEL = //p' "$mk")
	[ "$v.$p" = 6.12 ] ||
		die "KERNEL_SRC=$KERNEL_SRC is Linux $v.$p.$s; the series targets 6.12.y"
	echo "6.12.$s"
}

create_base() {
	local staging=$BUILD_DIR/linux.new version
	rm -rf "$staging"
	mkdir -p "$staging"
	if [ -d "$KERNEL_SRC" ]; then
		log "copying $KERNEL_SRC"
		tar -C "$KERNEL_SRC" --exclude=.git -cf - . | tar -C "$staging" -xf -
	else
		log "unpacking $KERNEL_SRC (about a minute)"
		tar -C "$staging" --strip-components=1 -xf "$KERNEL_SRC" \
			--checkpoint=20000 --checkpoint-action=dot
		echo >&2
	fi
	version=$(check_version "$staging")
	[ ! -e "$staging/.config" ] || die "KERNEL_SRC has a .config; give a clean tree (make mrproper)"
	log "committing Linux $version as the base (git add of ~90k files)"
	git -C "$staging" init -q -b "$BRANCH"
	git -C "$staging" add -A -f
	GIT_AUTHOR_NAME=base GIT_AUTHOR_EMAIL=base@localhost \
	GIT_COMMITTER_NAME=base GIT_COMMITTER_EMAIL=base@localhost \
	GIT_AUTHOR_DATE='2000-01-01T00:00:00Z' GIT_COMMITTER_DATE='2000-01-01T00:00:00Z' \
		git -C "$staging" commit -q -m "Linux $version" --no-verify
	git -C "$staging" tag base
	echo "$src_id" >"$staging/.git/rig-source"
	rm -rf "$TREE"
	mv "$staging" "$TREE"
}

mkdir -p "$BUILD_DIR"
if [ ! -d "$TREE/.git" ] || [ "$(cat "$TREE/.git/rig-source" 2>/dev/null)" != "$src_id" ]; then
	create_base
fi

# The cover letter is signed by whoever exports it: the series' author.
git -C "$TREE" config user.name "$SERIES_AUTHOR_NAME"
git -C "$TREE" config user.email "$SERIES_AUTHOR_EMAIL"

series_id=$(cd "$RIG_ROOT/patches" && cat series $(grep -v '^#' series | grep .) | sha256sum | cut -d' ' -f1)
applied_id=$(cat "$TREE/.git/rig-applied" 2>/dev/null || true)
head=$(git -C "$TREE" rev-parse HEAD)

if [ "$applied_id" = "$series_id $head" ]; then
	log "work tree is current: $TREE"
	exit 0
fi

if [ -n "$applied_id" ] && [ "${applied_id#* }" != "$head" ] && [ "$FORCE" != 1 ]; then
	die "$TREE has commits that are not in patches/; run 'make export' to keep them or 'make tree FORCE=1' to drop them"
fi
[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] || [ "$FORCE" = 1 ] ||
	die "$TREE has uncommitted changes; commit and 'make export', or 'make tree FORCE=1'"

git -C "$TREE" am --abort >/dev/null 2>&1 || true
git -C "$TREE" checkout -q -f -B "$BRANCH" base
n=0
while read -r patch; do
	case $patch in ''|'#'*) continue ;; esac
	[ -f "$RIG_ROOT/patches/$patch" ] || die "patches/series names $patch, which does not exist"
	if ! git -C "$TREE" am -q --committer-date-is-author-date "$RIG_ROOT/patches/$patch" >"$BUILD_DIR/am.log" 2>&1; then
		cat "$BUILD_DIR/am.log" >&2
		git -C "$TREE" am --abort >/dev/null 2>&1 || true
		die "patch $patch does not apply to $(git -C "$TREE" log -1 --format=%s base)"
	fi
	n=$((n + 1))
done <"$RIG_ROOT/patches/series"

# The cover letter's text lives in the branch description, so that
# export-series.sh writes it back out unchanged.
cover=$RIG_ROOT/patches/0000-cover-letter.patch
if [ -f "$cover" ]; then
	"$RIG_ROOT/rig/host/cover-letter.sh" extract "$cover" >"$BUILD_DIR/cover.txt"
	git -C "$TREE" config "branch.$BRANCH.description" "$(cat "$BUILD_DIR/cover.txt")"
fi

echo "$series_id $(git -C "$TREE" rev-parse HEAD)" >"$TREE/.git/rig-applied"
log "applied $n patches on $(git -C "$TREE" log -1 --format=%s base): $TREE"
