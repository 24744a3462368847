#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Create the kernel work tree: the base source as one commit tagged "base",
# then patches/series applied with git am on branch ima-kexec-handover.
#
# KERNEL_SRC is a 6.12.y source tree or tarball, 6.12.110 or later; the default
# is Debian's linux-source-6.12 package. An existing tree is reused when its
# base and the applied series are unchanged, so incremental builds stay
# incremental. -c only checks that KERNEL_SRC is a source the series applies to.

set -eu
. "$(dirname "$0")/lib.sh"

DEFAULT_SRC=/usr/src/linux-source-6.12.tar.xz
KERNEL_SRC=${KERNEL_SRC:-}
FORCE=${FORCE:-0}
CHECK_ONLY=0

# What the series needs of 6.12.y. Patch 1 rewrites the execute-time copy of
# the measurement list: the stable backports of 9f0ec4b16f2b (e47decc2f321)
# and of "ima: kexec: skip IMA segment validation" (3aeafbe67b81), in 6.12.94
# (6.12.77 brought only their groundwork). Patch 11's MAINTAINERS hunk has
# include/linux/secure_boot.h as context, from 6.12.110. git am of the series
# stops at patch 11 on 6.12.107 and applies on the tested ones.
SERIES_BACKPORT=94
SERIES_FIRST=110
SERIES_TESTED_LAST=118
SERIES_RANGE="the series applies to 6.12.$SERIES_FIRST and later (git am tested on 6.12.111, 6.12.113, 6.12.115, 6.12.117 and 6.12.118)"

usage() {
	cat <<USAGE
usage: $0 [-f] [-c]
  -f  discard work-tree commits that were not exported to patches/
  -c  only check that KERNEL_SRC is a source the series applies to
Environment: KERNEL_SRC=<6.12.y tree or tarball, 6.12.$SERIES_FIRST or later> (default $DEFAULT_SRC)
USAGE
	exit "$RC_ERROR"
}

while getopts fch opt; do
	case $opt in
	f) FORCE=1 ;;
	c) CHECK_ONLY=1 ;;
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

# check_version MAKEFILE: dies unless it is a 6.12 kernel's; prints 6.12.N.
check_version() {
	local v p s
	v=$(sed -n 's/^VERSION = //p' "$1" 2>/dev/null)
	p=$(sed -n 's/^PATCHLEVEL = //p' "$1" 2>/dev/null)
	s=$(sed -n 's/^SUBLEVEL = //p' "$1" 2>/dev/null)
	[ -n "$v" ] && [ -n "$p" ] ||
		die "KERNEL_SRC=$KERNEL_SRC is not a kernel source (no top-level Makefile with a VERSION)"
	[ "$v.$p" = 6.12 ] ||
		die "KERNEL_SRC=$KERNEL_SRC is Linux $v.$p.$s, not 6.12.y; $SERIES_RANGE"
	echo "6.12.$s"
}

# check_tree DIR: DIR holds the top-level Makefile, MAINTAINERS and
# ima_kexec.c, of the whole source or just those taken from a tarball. Dies
# unless the series applies to it; prints its version.
check_tree() {
	local c=$1/security/integrity/ima/ima_kexec.c version
	version=$(check_version "$1/Makefile") || exit "$RC_ERROR"
	[ -f "$c" ] ||
		die "KERNEL_SRC=$KERNEL_SRC is not a kernel source (no security/integrity/ima/ima_kexec.c)"
	# Probes, not the version number (distributions pick backports): the
	# notifier's copy into the mapped segment (e47decc2f321) and the segment
	# index the purgatory skips (3aeafbe67b81), both context of patch 1.
	if ! grep -qF 'memcpy(ima_kexec_buffer' "$c" || ! grep -qF 'is_ima_segment_index_set' "$c"; then
		# Patch 1 replaces that copy with one into kexec_image's segment.
		if grep -qF 'kexec_image' "$c" || [ -f "$1/security/integrity/ima/ima_kexec_format.c" ]; then
			die "KERNEL_SRC=$KERNEL_SRC is Linux $version with (part of) the series already applied; give the unpatched source"
		fi
		die "KERNEL_SRC=$KERNEL_SRC is Linux $version, which lacks the stable backport of the execute-time copy of the measurement list (e47decc2f321, in 6.12.$SERIES_BACKPORT) that patch 1 rewrites; $SERIES_RANGE"
	fi
	grep -qE '^F:[[:space:]]+include/linux/secure_boot\.h$' "$1/MAINTAINERS" 2>/dev/null ||
		die "KERNEL_SRC=$KERNEL_SRC is Linux $version, whose MAINTAINERS lacks include/linux/secure_boot.h in the IMA entry (added in 6.12.$SERIES_FIRST), context of patch 11; $SERIES_RANGE"
	echo "$version"
}

# check_source: check_tree on KERNEL_SRC, before anything slow. Of a tarball
# only the three files are unpacked: the Makefile and MAINTAINERS come early in
# the stream, so a wrong version is refused at once; ima_kexec.c comes near
# the end (xz: about 20s, against a minute or two to unpack and commit all).
check_source() {
	local probe=$BUILD_DIR/src-probe top version
	if [ -d "$KERNEL_SRC" ]; then
		version=$(check_tree "$KERNEL_SRC") || exit "$RC_ERROR"
	else
		top=$(tar -tf "$KERNEL_SRC" 2>/dev/null | head -n 1)
		top=${top%%/*}
		[ -n "$top" ] || die "KERNEL_SRC=$KERNEL_SRC is not a readable tarball"
		rm -rf "$probe"
		mkdir -p "$probe"
		# --occurrence: stop reading once the members are found. Without a
		# Makefile, check_version says what this is not.
		tar -C "$probe" --strip-components=1 --occurrence=1 -xf "$KERNEL_SRC" \
			"$top/Makefile" "$top/MAINTAINERS" 2>/dev/null || touch "$probe/Makefile"
		version=$(check_version "$probe/Makefile") || { rm -rf "$probe"; exit "$RC_ERROR"; }
		log "checking $KERNEL_SRC for what the series needs (its ima_kexec.c, ~20s)"
		tar -C "$probe" --strip-components=1 --occurrence=1 -xf "$KERNEL_SRC" \
			"$top/security/integrity/ima/ima_kexec.c" 2>/dev/null || true
		version=$(check_tree "$probe") || { rm -rf "$probe"; exit "$RC_ERROR"; }
		rm -rf "$probe"
	fi
	[ "${version#6.12.}" -le "$SERIES_TESTED_LAST" ] ||
		log "Linux $version is newer than the series was tested on (6.12.$SERIES_TESTED_LAST); git am will tell"
	echo "$version"
}

if [ "$CHECK_ONLY" = 1 ]; then
	version=$(check_source)
	log "KERNEL_SRC=$KERNEL_SRC is Linux $version, which has what the series needs"
	exit 0
fi

create_base() {
	local staging=$BUILD_DIR/linux.new version
	check_source >/dev/null
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
	# Checked again on what was unpacked, which names the base commit.
	version=$(check_tree "$staging")
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
