#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Golden lists from the QEMU rig (tests/data/rig/<case>/): what real base
# and patched 6.12 kernels wrote, with the PCR values read before the list
# (or a real quote).  Generated fixtures only show that the tool agrees
# with our own idea of the kernel; these show it agrees with the kernel.
#
# Each case holds binary_runtime_measurements and either pcrs-sha1.txt
# plus pcrs-sha256.txt (rig_save, evmctl format) or a quote (quote.msg,
# quote.sig, quote.pcrs, ak.pem, nonce), and "expect", lines of
# "key: value" ('#' starts a comment):
#	exit		0 verified, 1 not verified
#	verdict		prefix of the verdict line
#	cause		JSON cause ("none" when verified)
#	cause_entry	JSON cause_entry (a number or null)
#	entries, boots	list length and boot_aggregate count
#	handover	the "handover:" detail line after "boot N ", or "none"
#	sha1, sha256	match or mismatch, per bank
#	tpm		optional: the kernel's own TPM check in the handover
#			record (JSON handovers[0].tpm.verdict: match,
#			mismatch, lost, not_checked), or "none" for a record
#			without tpm fields (kernels before the check)
#	phrase		a text the output must contain (repeatable)
#
# To refresh a case, run "rig/host/run-scenario.sh -k <scenario>" from the
# top of the repo and copy the kept workspace's share/out/stage2/
# {binary_runtime_measurements,pcrs-sha1.txt,pcrs-sha256.txt} (stage3/
# for tpm-bypass, whose stage 2 ran without a TPM to read), or for
# demo-quote share/out/quote/{ak.pem,quote.*,binary_runtime_measurements}
# and share/scenario/nonce; then update "expect".  No PCR values are
# derived here: they are what the guest read from its TPM.  A case named
# <scenario>-tpm (baseline-tpm, digest-mismatch-tpm) is that scenario from
# kernels with the TPM check, beside the case from kernels before it.
#
# Two tests per case: the tool's text, -q and --json output against
# "expect"; and, when evmctl is installed, agreement with
# "evmctl ima_measurement" bank by bank (evmctl is satisfied by any one
# matching bank, so it is asked about each bank alone).
#
# Prints one KTAP result per test (rig/lib/ktap.sh), what went wrong as
# diagnostics before it; exit 0 if nothing failed.  Needs IV_BIN (set by
# make check).
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../../rig/lib/ktap.sh"
DATA=${IV_DATA:-$HERE/data}/rig
: "${IV_BIN:?IV_BIN is not set}"

FAIL=0
W=$(mktemp -d /tmp/iv-golden.XXXXXX)
trap 'rm -rf "$W"' EXIT

# expect KEY: every value of KEY in the current case's expect file.
expect() {
	sed -n "s/^$1:[[:space:]]*//p" "$dir/expect"
}

# The problems of one test go here; the test passes if there are none.
problems=()
bad() {
	problems+=("$*")
}

result() {	# name
	local p

	if [ "${#problems[@]}" = 0 ]; then
		ktap_ok "$1"
	else
		for p in "${problems[@]}"; do
			ktap_diag "$p"
		done
		ktap_not_ok "$1"
		FAIL=$((FAIL + 1))
	fi
	problems=()
}

# run OUTFILE ARGS...: the tool on the current case, exit status in $rc.
run() {
	local out=$1
	shift
	rc=0
	"$IV_BIN" "${SRC[@]}" "$@" "$dir/binary_runtime_measurements" \
		>"$out" 2>&1 || rc=$?
}

# has FILE TEXT: FILE contains TEXT literally.
has() {
	grep -qF -- "$2" "$1"
}

check_tool() {
	local want_exit verdict cause centry entries boots ho tpm bank m p first

	want_exit=$(expect exit)
	verdict=$(expect verdict)
	cause=$(expect cause)
	centry=$(expect cause_entry)
	entries=$(expect entries)
	boots=$(expect boots)
	ho=$(expect handover)

	run "$W/text"
	[ "$rc" = "$want_exit" ] || bad "exit $rc, want $want_exit"
	first=$(head -1 "$W/text")
	case $first in
	"$verdict"*) ;;
	*) bad "verdict line '$first', want '$verdict...'" ;;
	esac
	while IFS= read -r p; do
		has "$W/text" "$p" || bad "output lacks '$p'"
	done < <(expect phrase)
	has "$W/text" "boots: $boots (" || bad "no 'boots: $boots' line"
	if [ "$ho" = none ]; then
		! grep -q '^handover:' "$W/text" || bad "unexpected handover line"
	else
		grep -qE "^handover: entry [0-9]+ boot [0-9]+ $ho\$" "$W/text" ||
			bad "no line 'handover: entry N boot N $ho'"
	fi
	[ "${#problems[@]}" = 0 ] || sed 's/^/# | /' "$W/text"

	# -q prints the same verdict line and nothing else.
	run "$W/quiet" -q
	[ "$rc" = "$want_exit" ] || bad "-q: exit $rc, want $want_exit"
	[ "$(cat "$W/quiet")" = "$first" ] || bad "-q: output differs from the verdict line"

	run "$W/json" --json
	[ "$rc" = "$want_exit" ] || bad "--json: exit $rc, want $want_exit"
	for p in "\"status\":$want_exit," "\"cause\":\"$cause\"," \
		 "\"cause_entry\":$centry," "\"entries\":$entries," \
		 "\"boots\":$boots,"; do
		has "$W/json" "$p" || bad "--json lacks '$p'"
	done
	has "$W/json" "{\"schema\":1,\"verdict\":\"${verdict%%:*}\"," ||
		bad "--json verdict is not '${verdict%%:*}'"
	if [ "$ho" = none ]; then
		has "$W/json" '"handovers":[],' || bad "--json has handovers"
	else
		p=${ho#result=}
		has "$W/json" "\"result\":\"${p%% *}\"" ||
			bad "--json lacks the handover result"
	fi
	tpm=$(expect tpm)
	if [ "$tpm" = none ]; then
		has "$W/json" '"tpm":null' || bad "--json has a kernel TPM verdict"
		! grep -q '^tpm-check:' "$W/text" || bad "unexpected tpm-check line"
	elif [ -n "$tpm" ]; then
		has "$W/json" "\"tpm\":{\"verdict\":\"$tpm\"," ||
			bad "--json lacks the kernel TPM verdict $tpm"
		grep -qE "^tpm-check: entry [0-9]+ boot [0-9]+ tpm=$tpm: " "$W/text" ||
			bad "no line 'tpm-check: entry N boot N tpm=$tpm: ...'"
	fi
	for bank in sha1 sha256; do
		m=$(expect "$bank")
		[ -n "$m" ] || continue
		[ "$m" = match ] && m=true || m=false
		grep -qE "\\{\"bank\":\"$bank\",\"pcr\":10,[^}]*\"match\":$m," "$W/json" ||
			bad "--json: $bank PCR-10 match is not $m"
	done
}

# The quote case: a wrong nonce must turn the verdict around.
check_nonce() {
	local nonce

	nonce=$(cat "$dir/nonce")
	SRC[${#SRC[@]} - 1]=00$nonce
	run "$W/badnonce"
	if [ "$rc" != 1 ] || ! has "$W/badnonce" "NOT VERIFIED: quote nonce"; then
		bad "a wrong nonce is not rejected (exit $rc)"
	fi
}

# evmctl's verdict for one bank alone: 0 match, 1 mismatch, 2 cannot tell.
evmctl_says() {
	local out=$W/evmctl-$1 rc=0

	evmctl ima_measurement --ignore-violations \
		--pcrs "$1,$dir/pcrs-$1.txt" \
		"$dir/binary_runtime_measurements" >"$out" 2>&1 || rc=$?
	if [ "$rc" = 0 ]; then
		echo 0
	elif grep -q '^Failed to match per TPM bank' "$out"; then
		echo 1
	else
		echo 2
	fi
}

word() {
	[ "$1" = 0 ] && echo match || echo mismatch
}

# Sets $judged to the number of banks evmctl could judge.
check_evmctl() {
	local bank ev ours

	judged=0
	for bank in sha1 sha256; do
		ev=$(evmctl_says "$bank")
		grep -qE "\\{\"bank\":\"$bank\",\"pcr\":10,[^}]*\"match\":true," \
			"$W/json" && ours=0 || ours=1
		if [ "$ev" = 2 ]; then
			# A parse or file error says nothing about the bank.
			ktap_diag "evmctl cannot judge $bank: $(head -2 "$W/evmctl-$bank" | paste -sd ' ')"
			continue
		fi
		judged=$((judged + 1))
		[ "$ev" = "$ours" ] ||
			bad "$bank: evmctl says $(word "$ev"), we say $(word "$ours")"
	done
}

# Scenarios of the kernel's TPM check that no rig run has saved yet,
# "name|what the kernel does|what the tool should say".  Once a run is
# saved as $DATA/<name>/ (with an expect file, "tpm:" included) it is
# checked like every other case; until then it is listed as PENDING (a
# diagnostic) and counted neither passed nor skipped.
#
# The rig's no-tpm scenario (a guest without a TPM chip) has no case and
# will get none: its guest has no PCR values to save, and the tool, by
# design, takes no list without them (exit 2, "no PCR values", before it
# reads the list), so a case would test option parsing (test_cli does)
# and not the list.  The record such a kernel writes,
# tpm=not_checked;tpm_reason=no_tpm;, is in rig/tpm-bypass (entry 40),
# from a real kernel, beside PCR values of a TPM that came back.
PENDING=(
)

HAVE_EVMCTL=0
command -v evmctl >/dev/null && HAVE_EVMCTL=1

ktap_begin rig-golden
for p in ${PENDING[@]+"${PENDING[@]}"}; do
	IFS='|' read -r pname pkernel ptool <<<"$p"
	[ -d "$DATA/$pname" ] && continue
	ktap_diag "PENDING: rig/$pname: no saved rig run; kernel: $pkernel; expected: $ptool"
done

found=0
for dir in "$DATA"/*/; do
	dir=${dir%/}
	name=rig/$(basename "$dir")
	found=1
	# A case that lost its expectations must not drop out silently.
	if [ ! -f "$dir/expect" ]; then
		bad "no expect file"
		result "$name"
		continue
	fi
	if [ -f "$dir/quote.msg" ]; then
		SRC=(--quote-msg "$dir/quote.msg" --quote-sig "$dir/quote.sig"
		     --ak-pub "$dir/ak.pem" --quote-pcrs "$dir/quote.pcrs"
		     --nonce "$(cat "$dir/nonce")")
	else
		SRC=(--pcrs "sha1,$dir/pcrs-sha1.txt"
		     --pcrs "sha256,$dir/pcrs-sha256.txt")
	fi
	check_tool
	[ ! -f "$dir/quote.msg" ] || check_nonce
	result "$name: verdict, explanation, --json"

	# A quote carries its PCR values in binary; evmctl reads text files.
	[ -f "$dir/pcrs-sha1.txt" ] || continue
	if [ "$HAVE_EVMCTL" = 0 ]; then
		ktap_skip "$name: evmctl agrees per bank" "evmctl not installed"
		continue
	fi
	# evmctl is judged against our --json banks from check_tool.
	check_evmctl
	if [ "$judged" = 0 ] && [ "${#problems[@]}" = 0 ]; then
		ktap_skip "$name: evmctl agrees per bank" \
			"evmctl could judge neither bank"
		continue
	fi
	result "$name: evmctl agrees per bank"
done
if [ "$found" = 0 ]; then
	bad "no cases in $DATA"
	result "rig-golden: cases present"
fi

ktap_end
[ "$FAIL" = 0 ]
