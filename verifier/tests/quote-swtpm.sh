#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# End-to-end quote test against a software TPM: extend PCR 10 of swtpm
# exactly as the kernel would for a generated multi-boot list, take a real
# quote with tpm2-tools, and check that ima-kexec-verify accepts it and
# rejects a wrong nonce.  Also replays a truncated-handover list.
#
# Prints KTAP (rig/lib/ktap.sh), one result per check; a skip is one
# skipped result with the reason.  Exit: 0 pass, 1 fail, 77 skip (tools
# missing).  Needs IV_BIN and IV_MKFIXTURE (set by "make check").
# --save DIR keeps the artefacts (tests/data/swtpm-multiboot, fuzz/swtpm).
set -eu

. "$(dirname "$0")/../../rig/lib/ktap.sh"

usage() {
	cat <<EOT
Usage: $0 [--save DIR]
Environment: IV_BIN (ima-kexec-verify), IV_MKFIXTURE (mkfixture)
EOT
}

SAVE=
while [ $# -gt 0 ]; do
	case $1 in
	--save) SAVE=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done

ktap_begin quote-swtpm
# Set once the plan is out; an exit before it is a stop (set -e, a
# missing variable), which must still fail a result.
ENDED=0
stopped() {	# exit status
	[ "$ENDED" = 0 ] || return 0
	ktap_diag "stopped with exit status $1 before the last check"
	ktap_not_ok "quote-swtpm: all checks ran"
	ktap_end
}
trap 'stopped $?' EXIT

skip() {
	ktap_skip quote-swtpm "$*"
	ktap_end
	ENDED=1
	exit 77
}

for tool in swtpm swtpm_setup tpm2_pcrextend tpm2_createek tpm2_createak \
	    tpm2_quote tpm2_flushcontext tpm2_pcrread tpm2_evictcontrol \
	    tpm2_readpublic; do
	command -v "$tool" >/dev/null || skip "$tool not installed"
done
ls /usr/lib/*/libtss2-tcti-swtpm.so.0 >/dev/null 2>&1 ||
	skip "libtss2-tcti-swtpm0 not installed"
: "${IV_BIN:?}" "${IV_MKFIXTURE:?}"

W=$(mktemp -d /tmp/iv-swtpm.XXXXXX)
SWTPM_PID=

stop_tpm() {
	if [ -n "$SWTPM_PID" ]; then
		kill "$SWTPM_PID" 2>/dev/null || true
		for _ in $(seq 20); do
			kill -0 "$SWTPM_PID" 2>/dev/null || break
			sleep 0.1
		done
		SWTPM_PID=
	fi
}

cleanup() {
	local rc=$?

	stop_tpm
	rm -rf "$W"
	stopped "$rc"
}
trap cleanup EXIT

export TPM2TOOLS_TCTI="swtpm:path=$W/tpm/sock"

# swtpm_setup once; startup-clear on each start gives fresh PCRs.
start_tpm() {
	swtpm socket --tpm2 --tpmstate dir="$W/tpm" \
		--server type=unixio,path="$W/tpm/sock" \
		--ctrl type=unixio,path="$W/tpm/sock.ctrl" \
		--flags startup-clear --pid file="$W/tpm/pid" \
		--log file="$W/tpm/log" --daemon
	for _ in $(seq 50); do
		[ -s "$W/tpm/pid" ] && [ -S "$W/tpm/sock" ] && break
		sleep 0.1
	done
	SWTPM_PID=$(cat "$W/tpm/pid")
}

mkdir -p "$W/tpm"
swtpm_setup --tpm2 --tpmstate "$W/tpm" --pcr-banks sha1,sha256 \
	--overwrite >"$W/setup.log" 2>&1 || skip "swtpm_setup failed"
start_tpm

FAIL=0
# check EXIT PATTERN DESCRIPTION CMD...: exit code and first line.
check() {
	local want=$1 pat=$2 desc=$3 rc=0
	shift 3
	"$@" >"$W/out" 2>&1 || rc=$?
	if [ "$rc" = "$want" ] && head -1 "$W/out" | grep -q -- "$pat"; then
		ktap_ok "$desc"
	else
		ktap_diag "exit $rc, want $want; first line to match '$pat':"
		sed 's/^/# | /' "$W/out"
		ktap_not_ok "$desc"
		FAIL=$((FAIL + 1))
	fi
}

# Persistent EK, AKs as context files; a TPM reset invalidates those, so
# this runs after every start.  Flush transients: no resource manager.
make_aks() {
	tpm2_createek -c 0x81010001 -G rsa -u "$W/ek.pem" -f pem >/dev/null
	tpm2_flushcontext -t
	# Each AK's public key in tpm2-tools' formats: TSS (TPM2B_PUBLIC),
	# PEM and DER, from tpm2_createak -u and tpm2_readpublic -o.
	tpm2_createak -C 0x81010001 -c "$W/ak.ctx" -G rsa -s rsassa -g sha256 \
		-u "$W/ak.tss" -f tss -n "$W/ak.name" >/dev/null
	tpm2_flushcontext -t
	tpm2_createak -C 0x81010001 -c "$W/akec.ctx" -G ecc -s ecdsa \
		-g sha256 -u "$W/akec.pem" -f pem -n "$W/akec.name" >/dev/null
	tpm2_flushcontext -t
	tpm2_flushcontext -s
	tpm2_readpublic -c "$W/ak.ctx" -f pem -o "$W/ak.pem" >/dev/null
	tpm2_flushcontext -t
	tpm2_readpublic -c "$W/ak.ctx" -f der -o "$W/ak.der" >/dev/null
	tpm2_flushcontext -t
	tpm2_readpublic -c "$W/akec.ctx" -o "$W/akec.tss" >/dev/null
	tpm2_flushcontext -t
}

extend_all() {
	local line
	while read -r line; do
		tpm2_pcrextend "$line"
	done <"$1"
}

quote() {	# ctx nonce prefix
	tpm2_quote -c "$1" -l sha1:10+sha256:10 -q "$2" -g sha256 \
		-m "$3.msg" -s "$3.sig" -o "$3.pcrs" >/dev/null
	tpm2_flushcontext -t
	tpm2_flushcontext -s
}

make_aks
"$IV_MKFIXTURE" multiboot "$W/multi"
extend_all "$W/multi/extends"
NONCE=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
quote "$W/ak.ctx" "$NONCE" "$W/q"
quote "$W/akec.ctx" "$NONCE" "$W/qec"

# The kernel-style extends and our expected values agree with a real TPM.
TPM10=$(tpm2_pcrread sha256:10 | sed -n 's/^ *10: 0x//p' | tr A-F a-f)
check 0 "PCR-10: $TPM10" "swtpm PCR 10 equals the fixture's expected value" \
	grep "^PCR-10: $TPM10" "$W/multi/pcrs-sha256"

QARGS=(--quote-msg "$W/q.msg" --quote-sig "$W/q.sig" --ak-pub "$W/ak.pem")
check 0 "^VERIFIED: 17 entries, 3 boots, banks sha1,sha256 match (quote verified)" \
	"RSA quote with serialized PCR file verifies" \
	"$IV_BIN" "${QARGS[@]}" --nonce "$NONCE" --quote-pcrs "$W/q.pcrs" \
	"$W/multi/list"
check 0 "^VERIFIED" "RSA quote with PCR values from --pcrs verifies" \
	"$IV_BIN" "${QARGS[@]}" --nonce "$NONCE" \
	--pcrs "sha1,$W/multi/pcrs-sha1" --pcrs "sha256,$W/multi/pcrs-sha256" \
	"$W/multi/list"
check 1 "^NOT VERIFIED: quote nonce" "RSA quote with a wrong nonce is rejected" \
	"$IV_BIN" "${QARGS[@]}" --nonce "00$NONCE" --quote-pcrs "$W/q.pcrs" \
	"$W/multi/list"
check 1 "^NOT VERIFIED: quote signed with rsassa" \
	"RSA quote checked with the EC AK is rejected" \
	"$IV_BIN" --quote-msg "$W/q.msg" --quote-sig "$W/q.sig" \
	--ak-pub "$W/akec.pem" --nonce "$NONCE" --quote-pcrs "$W/q.pcrs" \
	"$W/multi/list"
check 0 "^VERIFIED" "ECDSA quote verifies" \
	"$IV_BIN" --quote-msg "$W/qec.msg" --quote-sig "$W/qec.sig" \
	--ak-pub "$W/akec.pem" --nonce "$NONCE" --quote-pcrs "$W/qec.pcrs" \
	"$W/multi/list"
check 0 "^VERIFIED: 17 entries, 3 boots, banks sha1,sha256 match (quote verified)" \
	"RSA quote verifies with the AK from tpm2_createak -f tss" \
	"$IV_BIN" --quote-msg "$W/q.msg" --quote-sig "$W/q.sig" \
	--ak-pub "$W/ak.tss" --nonce "$NONCE" --quote-pcrs "$W/q.pcrs" \
	"$W/multi/list"
check 0 "^VERIFIED: 17 entries, 3 boots, banks sha1,sha256 match (quote verified)" \
	"RSA quote verifies with the AK from tpm2_readpublic -f der" \
	"$IV_BIN" --quote-msg "$W/q.msg" --quote-sig "$W/q.sig" \
	--ak-pub "$W/ak.der" --nonce "$NONCE" --quote-pcrs "$W/q.pcrs" \
	"$W/multi/list"
check 0 "^VERIFIED: 17 entries, 3 boots, banks sha1,sha256 match (quote verified)" \
	"ECDSA quote verifies with the AK from tpm2_readpublic -o (tss)" \
	"$IV_BIN" --quote-msg "$W/qec.msg" --quote-sig "$W/qec.sig" \
	--ak-pub "$W/akec.tss" --nonce "$NONCE" --quote-pcrs "$W/qec.pcrs" \
	"$W/multi/list"
check 1 "^NOT VERIFIED: quote signed with rsassa but the AK public key is not RSA" \
	"RSA quote checked with the EC AK in TSS format is rejected" \
	"$IV_BIN" --quote-msg "$W/q.msg" --quote-sig "$W/q.sig" \
	--ak-pub "$W/akec.tss" --nonce "$NONCE" --quote-pcrs "$W/q.pcrs" \
	"$W/multi/list"

# Malformed quotes from the real one: libtss2-mu's error, with the byte,
# first (its own log on stderr is off).  extraData holds 16 bytes, so
# clockInfo starts at 4 + 2 + 36 + 18 = 60, the PCR selection at 85.
head -c 64 "$W/q.msg" >"$W/q.short"
check 2 "^NOT VERIFIED: input error: quote message: TPMS_ATTEST does not unmarshal (TSS2_MU_RC_INSUFFICIENT_BUFFER) at byte 60 (clockInfo)$" \
	"a truncated quote message is an input error at its byte" \
	"$IV_BIN" --quote-msg "$W/q.short" --quote-sig "$W/q.sig" \
	--ak-pub "$W/ak.tss" --nonce "$NONCE" --quote-pcrs "$W/q.pcrs" \
	"$W/multi/list"
cp "$W/q.msg" "$W/q.banks"
printf '\x11' | dd of="$W/q.banks" bs=1 seek=88 conv=notrunc 2>/dev/null
check 2 "^NOT VERIFIED: input error: quote message: TPMS_ATTEST does not unmarshal (TSS2_SYS_RC_MALFORMED_RESPONSE) at byte 85 (quote.pcrSelect)$" \
	"17 PCR banks in a quote are an input error, and no libtss2 log" \
	"$IV_BIN" --quote-msg "$W/q.banks" --quote-sig "$W/q.sig" \
	--ak-pub "$W/ak.tss" --nonce "$NONCE" --quote-pcrs "$W/q.pcrs" \
	"$W/multi/list"

# PCR values as tpm2_pcrread prints them (YAML), PCRs the list does not
# extend among them.
cat "$W/multi/list" "$W/multi/list" >"$W/multi/list.longer"
tpm2_pcrread sha1:0,1,10+sha256:10 >"$W/pcrs.yaml"
check 0 "^VERIFIED: 17 entries, 3 boots, banks sha1,sha256 match$" \
	"tpm2_pcrread YAML with --pcrs yaml,FILE verifies" \
	"$IV_BIN" --pcrs "yaml,$W/pcrs.yaml" "$W/multi/list"
check 0 "^VERIFIED: 17 entries, 3 boots, banks sha1,sha256 match$" \
	"tpm2_pcrread YAML is detected in --pcrs FILE" \
	"$IV_BIN" --pcrs "$W/pcrs.yaml" "$W/multi/list"
check 0 "^VERIFIED: 17 entries, 3 boots, banks sha1,sha256 match (quote verified)" \
	"tpm2_pcrread YAML agrees with the quote" \
	"$IV_BIN" "${QARGS[@]}" --nonce "$NONCE" --pcrs "yaml,$W/pcrs.yaml" \
	"$W/multi/list"
check 1 "^NOT VERIFIED: list longer than TPM" \
	"tpm2_pcrread YAML read before more extends" \
	"$IV_BIN" --pcrs "yaml,$W/pcrs.yaml" "$W/multi/list.longer"

check 1 "^NOT VERIFIED: list longer than TPM: sha1 PCR-10 equals the replay after entry 16; the list has 17 more" \
	"a list longer than the quoted PCRs is caught" \
	"$IV_BIN" "${QARGS[@]}" --nonce "$NONCE" --quote-pcrs "$W/q.pcrs" \
	"$W/multi/list.longer"

if [ -n "$SAVE" ]; then
	mkdir -p "$SAVE"
	cp "$W/q.msg" "$W/q.sig" "$W/q.pcrs" "$W/ak.pem" "$W/multi/list" "$SAVE/"
	# The other formats, for the fuzz seeds (fuzz/mkseeds.sh).
	cp "$W/ak.tss" "$W/ak.der" "$W/qec.msg" "$W/qec.sig" "$W/qec.pcrs" \
	   "$W/akec.pem" "$W/akec.tss" "$W/pcrs.yaml" "$SAVE/"
	echo "$NONCE" >"$SAVE/nonce"
fi

# Truncated handover: the TPM saw entries the list no longer has.
stop_tpm
rm -f "$W/tpm/pid"
start_tpm
tpm2_evictcontrol -C o -c 0x81010001 >/dev/null
make_aks
"$IV_MKFIXTURE" truncated "$W/trunc"
extend_all "$W/trunc/extends"
quote "$W/ak.ctx" "$NONCE" "$W/qt"
check 1 "^NOT VERIFIED: handover truncated at kexec into boot 2" \
	"truncated handover is explained" \
	"$IV_BIN" --quote-msg "$W/qt.msg" --quote-sig "$W/qt.sig" \
	--ak-pub "$W/ak.pem" --nonce "$NONCE" --quote-pcrs "$W/qt.pcrs" \
	"$W/trunc/list"

ktap_end
ENDED=1
[ "$FAIL" = 0 ]
