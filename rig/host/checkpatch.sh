#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict on every patch of the series, one KTAP line each.
# A patch passes with no errors, and with no warnings or checks except those
# its commit message justifies: a paragraph that mentions checkpatch and
# names what was flagged (the CamelCase word, MAINTAINERS for new files, or
# the checkpatch type).

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
	FILE_PATH_CHANGES) token=MAINTAINERS ;;
	*) token=$type ;;
	esac
	# The message is what comes before the first "---" line.
	message=$(sed -n '/^Subject:/,/^---$/p' "$patch" | tr '\n' ' ' | sed 's/  */ /g')
	echo "$message" | grep -qE "checkpatch[^.]*$token|$token[^.]*checkpatch"
}

n=0
failed=0
while read -r name; do
	case $name in ''|'#'*) continue ;; esac
	n=$((n + 1))
	patch=$RIG_ROOT/patches/$name
	findings=$(cd "$TREE" && scripts/checkpatch.pl --strict --no-tree --show-types \
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
[ "$failed" = 0 ]
