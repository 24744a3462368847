#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fail when patches/ and the work tree have drifted: apply patches/ (this
# refuses a tree with unexported commits), export again, and compare.

set -eu
. "$(dirname "$0")/lib.sh"

"$RIG_ROOT/rig/host/prepare-tree.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$RIG_ROOT/rig/host/export-series.sh" -o "$tmp"
if ! diff -ru "$RIG_ROOT/patches" "$tmp" >"$tmp.diff"; then
	head -n 60 "$tmp.diff" >&2
	rm -f "$tmp.diff"
	die "patches/ differs from an export of $TREE; run 'make export' and commit"
fi
rm -f "$tmp.diff"
log "patches/ matches the export of $TREE"
