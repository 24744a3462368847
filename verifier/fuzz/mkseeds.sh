#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# mkseeds.sh OUT: the seeds of fuzz_pcrs and fuzz_quote, in OUT/pcrs and
# OUT/quote, from real tpm2-tools output kept in fuzz/swtpm and
# tests/data/swtpm-multiboot (tests/quote-swtpm.sh --save) and from
# fixed texts.  Input formats: fuzz_pcrs.c and fuzz_quote.c.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$1
SW=$HERE/swtpm
MB=$HERE/../tests/data/swtpm-multiboot

rm -rf "$OUT/pcrs" "$OUT/quote"
mkdir -p "$OUT/pcrs" "$OUT/quote"

# u8 / u16 big endian as bytes
u8() { printf "\\x$(printf %02x "$1")"; }
u16() { u8 $(($1 >> 8)); u8 $(($1 & 255)); }
size() { wc -c <"$1" | tr -d ' '; }
unhex() { printf "$(sed 's/../\\x&/g' "$1" | tr -d '\n')"; }

# quote NAME DIR MSG SIG AK [PCRS]
quote() {
	local name=$1 dir=$2 nonce
	nonce=$(mktemp)
	unhex "$dir/nonce" >"$nonce"
	{
		u8 "$(size "$nonce")"
		cat "$nonce"
		u16 "$(size "$dir/$3")"
		cat "$dir/$3"
		u16 "$(size "$dir/$4")"
		cat "$dir/$4"
		u16 "$(size "$dir/$5")"
		cat "$dir/$5"
		[ -z "${6:-}" ] || cat "$dir/$6"
	} >"$OUT/quote/$name"
	rm -f "$nonce"
}

quote rsa-pem-serialized "$MB" q.msg q.sig ak.pem q.pcrs
quote rsa-pem-no-pcrs "$MB" q.msg q.sig ak.pem
quote rsa-tss "$SW" q.msg q.sig ak.tss q.pcrs
quote rsa-der "$SW" q.msg q.sig ak.der q.pcrs
quote ecc-tss "$SW" qec.msg qec.sig akec.tss qec.pcrs
quote ecc-pem "$SW" qec.msg qec.sig akec.pem qec.pcrs

# pcrs: the first line is the parser (fuzz_pcrs.c), the rest the file.
{ echo; cat "$SW/pcrs.yaml"; } >"$OUT/pcrs/yaml-detect"
{ echo yaml; cat "$SW/pcrs.yaml"; } >"$OUT/pcrs/yaml"
printf 'sha256\n# evmctl\nPCR-00: %064d\nPCR-10: %s\n' 0 \
	a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90 \
	>"$OUT/pcrs/evmctl-sha256"
printf '\nPCR-10: 1e3fdf7fbec4c6991f3d54e91a0eb8f661acaff0\r\n' \
	>"$OUT/pcrs/evmctl-detect"
printf 'sysfs-sha1\n1E3FDF7FBEC4C6991F3D54E91A0EB8F661ACAFF0\n' \
	>"$OUT/pcrs/sysfs-sha1"
