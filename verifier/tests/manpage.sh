#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The man page and make install: ima-kexec-verify.1 formats without a
# warning (groff -man -ww, man --warnings), names every option the tool's
# --help lists (so an option added later without its page fails here),
# and has the sections a page needs; --version names tool and library;
# make install puts binary, page, header, library and pkg-config file
# under PREFIX, and a program builds against what it installed.
# KTAP; exit 0 pass, 1 fail, 77 skip (no groff).  Needs IV_BIN.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../../rig/lib/ktap.sh"
: "${IV_BIN:?}"
TOP=$HERE/..
PAGE=$TOP/ima-kexec-verify.1

ktap_begin manpage
if ! command -v groff >/dev/null; then
	ktap_skip manpage "groff not installed (groff-base)"
	ktap_end
	exit 77
fi
W=$(mktemp -d /tmp/iv-man.XXXXXX)
trap 'rm -rf "$W"' EXIT
FAIL=0

result() {	# RC DESCRIPTION [FILE with the diagnostics]
	if [ "$1" = 0 ]; then
		ktap_ok "$2"
	else
		[ -z "${3:-}" ] || sed 's/^/# | /' "$3"
		ktap_not_ok "$2"
		FAIL=$((FAIL + 1))
	fi
}

# lint FILE: groff's and man's warnings about FILE into $W/lint.
lint() {
	: >"$W/lint"
	groff -man -ww -z "$1" >>"$W/lint" 2>&1 || echo "groff failed" >>"$W/lint"
	if command -v man >/dev/null; then
		LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$1" \
			>/dev/null 2>>"$W/lint" || echo "man failed" >>"$W/lint"
	fi
	[ ! -s "$W/lint" ]
}

lint "$PAGE"
result $? "groff -man -ww and man --warnings: no warnings" "$W/lint"
# A page with a fault is caught: the lint is not blind.
{ cat "$PAGE"; echo ".XY undefined macro"; } >"$W/bad.1"
! lint "$W/bad.1"
result $? "a page with an undefined macro has warnings"

# Every option of --help, long and short, on the page (roff escapes "-").
"$IV_BIN" --help >"$W/help"
grep -o -- '--[a-z][a-z-]*\|^  -[a-z],' "$W/help" | sed 's/,$//; s/^  //' |
	sort -u >"$W/opts"
: >"$W/missing"
while read -r opt; do
	roff=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
	grep -q -- "^\.[A-Z]*.*$roff\b\|^$roff\b" "$PAGE" || echo "$opt" >>"$W/missing"
done <"$W/opts"
[ "$(wc -l <"$W/opts")" -ge 15 ] && [ ! -s "$W/missing" ]
result $? "every option of --help ($(wc -l <"$W/opts")) is on the page" "$W/missing"
grep -q -- '\\-\\-policy' "$PAGE" && grep -q -- '\\-\\-key' "$PAGE"
result $? "--policy and --key are documented"

: >"$W/missing"
for s in NAME SYNOPSIS DESCRIPTION OPTIONS '"EXIT STATUS"' EXAMPLES FILES \
	 '"SEE ALSO"'; do
	grep -q "^\.SH $s\$" "$PAGE" || echo "no .SH $s" >>"$W/missing"
done
for ref in evmctl tpm2_quote; do
	grep -q "^\.BR $ref (1)" "$PAGE" || echo "no $ref(1)" >>"$W/missing"
done
[ ! -s "$W/missing" ]
result $? "sections NAME to SEE ALSO, evmctl(1), tpm2_quote(1)" "$W/missing"

version=$(sed -n 's/^#define IV_VERSION[[:space:]]*"\(.*\)"/\1/p' \
	"$TOP/include/imaverify.h")
"$IV_BIN" --version >"$W/version" 2>&1
head -2 "$W/version" | tr '\n' ' ' |
	grep -qx "ima-kexec-verify $version libimaverify $version "
result $? "--version: tool and library $version" "$W/version"
grep -q "^\.TH IMA-KEXEC-VERIFY 1 [0-9-]* \"ima-kexec-verify $version\"" "$PAGE"
result $? "the page's version is the tool's"

# make install, then a program against the installed header and library.
D=$W/root
make -s -C "$TOP" install DESTDIR="$D" PREFIX=/usr/local >"$W/install" 2>&1
result $? "make install DESTDIR PREFIX=/usr/local" "$W/install"
: >"$W/missing"
for f in bin/ima-kexec-verify share/man/man1/ima-kexec-verify.1 \
	 include/imaverify.h lib/libimaverify.a lib/pkgconfig/imaverify.pc; do
	[ -s "$D/usr/local/$f" ] || echo "$f" >>"$W/missing"
done
[ -x "$D/usr/local/bin/ima-kexec-verify" ] || echo "not executable" >>"$W/missing"
[ ! -s "$W/missing" ]
result $? "installed: binary, man page, header, library, pkg-config" "$W/missing"
cat >"$W/user.c" <<'EOT'
#include <stdio.h>
#include <string.h>
#include <imaverify.h>

int main(void)
{
	printf("%s\n", iv_version());
	return strcmp(iv_version(), IV_VERSION) != 0;
}
EOT
sed -i "s|^prefix=.*|prefix=$D/usr/local|; s|^libdir=.*|libdir=$D/usr/local/lib|; s|^includedir=.*|includedir=$D/usr/local/include|" \
	"$D/usr/local/lib/pkgconfig/imaverify.pc"
# shellcheck disable=SC2046
cc -o "$W/user" "$W/user.c" $(PKG_CONFIG_PATH=$D/usr/local/lib/pkgconfig \
	pkg-config --static --cflags --libs imaverify) >"$W/cc" 2>&1 &&
	"$W/user" >>"$W/cc" 2>&1 && grep -qx "$version" "$W/cc"
result $? "a program builds against the installed library (pkg-config)" "$W/cc"
ktap_end
[ "$FAIL" = 0 ]
