#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cover-letter.sh extract COVER: print the hand-written part of a cover
# letter (subject line, blank line, body) in the form git format-patch takes
# from a branch description. The shortlog and diffstat are git's to write.

set -eu
[ "$#" = 2 ] && [ "$1" = extract ] || { echo "usage: $0 extract COVER" >&2; exit 99; }

awk '
	/^Subject: / { sub(/^Subject: \[PATCH[^]]*\] /, ""); line = $0; subject = 1; next }
	subject && !started && /^ / { line = line $0; next }
	subject && !started && /^$/ { print line; started = 1; print; next }
	started && /^[^ ].* \([0-9]+\):$/ { exit }
	started { print }
' "$2" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
