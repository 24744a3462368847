#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict on every patch of the series, one KTAP line each.
# A patch passes with no errors, and with no warnings or checks except those
# its commit message justifies: a paragraph that mentions checkpatch and
# names what was flagged (the CamelCase word, or the checkpatch type).
# "does MAINTAINERS need updating?" is answered from MAINTAINERS itself:
# it does not when every file the patch adds already has a maintainer.
# Commit ids in Fixes: tags name mainline commits, which the work tree, a
# release tarball without history, cannot resolve: UNKNOWN_COMMIT_ID is
# not checked.

set -eu
. "$(dirname "$0")/lib.sh"

[ -x "$TREE/scripts/checkpatch.pl" ] || die "no work tree at $TREE; run 'make tree'"

# justified PATCH LINE: the commit message explains this finding.
justified() {
	local patch=$1 line=$2 type token message
	type=$(echo "$line" | sed -n 's/.*: \(WARNING\|CHECK\):\([A-Z_]*\):.*/\2/p')
	[ -n "$type" ] || return 1
	case $type in
	CAMELCASE) token=$(echo "$line" | sed -n 's/.*<\(.*\)>.*/\1/p') ;;
	FILE_PATH_CHANGES) maintained "$patch"; return ;;
	*) token=$type ;;
	esac
	# The message is what comes before the first "---" line.
	message=$(sed -n '/^Subject:/,/^---$/p' "$patch" | tr '\n' ' ' | sed 's/  */ /g')
	echo "$message" | grep -qE "checkpatch[^.]*$token|$token[^.]*checkpatch"
}

# maintained PATCH: every file PATCH creates has a maintainer in MAINTAINERS.
maintained() {
	local f
	for f in $(sed -n '/^---$/,/^diff /s/^ create mode [0-7]* //p' "$1"); do
		(cd "$TREE" && scripts/get_maintainer.pl --no-git --no-git-fallback \
			-f "$f") | grep -qE "\\((maintainer|supporter):" || return 1
	done
}

echo "KTAP version 1"
n=0
failed=0
while read -r name; do
	case $name in ''|'#'*) continue ;; esac
	n=$((n + 1))
	patch=$RIG_ROOT/patches/$name
	findings=$(cd "$TREE" && scripts/checkpatch.pl --strict --no-tree --show-types \
		--ignore UNKNOWN_COMMIT_ID \
		--terse "$patch" 2>&1 | grep -E ': (ERROR|WARNING|CHECK):' || true)
	bad=
	while read -r line; do
		[ -n "$line" ] || continue
		if justified "$patch" "$line"; then
			echo "# justified: ${line#*: }"
		else
			bad="$bad$line"$'\n'
		fi
	done <<<"$findings"
	if [ -n "$bad" ]; then
		echo "not ok $n checkpatch $name"
		printf '%s' "$bad" | sed 's/^/# /'
		failed=$((failed + 1))
	else
		echo "ok $n checkpatch $name"
	fi
done <"$RIG_ROOT/patches/series"
echo "1..$n"
[ "$failed" = 0 ]
