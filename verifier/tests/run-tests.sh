#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run the cmocka programs given as arguments, then quote-swtpm.sh,
# state-swtpm.sh, json-schema.sh, manpage.sh and initramfs-parts.sh,
# the golden rig lists (rig-golden.sh), then a short libFuzzer run of
# each of
# $FUZZ_BIN (if set), as one KTAP document (rig/lib/ktap.sh): each
# program and script a subtest of its own, the fuzz run one result.  The
# last line is ktap-summary.awk's count of test cases,
#	# verifier: N passed, N failed, N skipped
# a diagnostic, so that whoever nests this document keeps it.  Exit
# non-zero if anything failed.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../../rig/lib/ktap.sh"
# ktap_nest judges with the parser; run by hand, it is the rig's.
export KTAP_SUMMARY=${KTAP_SUMMARY:-$HERE/../../rig/lib/ktap-summary.awk}
if [ ! -r "$KTAP_SUMMARY" ]; then
	echo "run-tests.sh: no KTAP parser at $KTAP_SUMMARY" >&2
	exit 2
fi

W=$(mktemp -d /tmp/iv-tests.XXXXXX)
trap 'rm -rf "$W"' EXIT

# cmocka_ktap NAME RC <TAP: the TAP of a cmocka program
# (CMOCKA_MESSAGE_OUTPUT=TAP) that exited with RC, as a KTAP document.
# cmocka 1.1 prints "1..N" first, "ok N - name", "not ok N - name" and
# then its message as "# " lines, "not ok N # SKIP name", and last
# "# ok - group"; the program's own output and a sanitizer report, on
# the same stream, become diagnostics.  A subshell: its own KTAP_N.
cmocka_ktap() (
	plan=
	pending=
	bad=0
	KTAP_N=0
	ktap_begin "$1"
	while IFS= read -r line; do
		case $line in
		'# ok - '* | '# not ok - '*)
			# The group's verdict; the results say it.
			continue
			;;
		'# '*)
			ktap_diag "${line#\# }"
			continue
			;;
		esac
		# A failure's message comes after it; KTAP puts it before.
		if [ -n "$pending" ]; then
			ktap_not_ok "$pending"
			pending=
		fi
		if [[ $line =~ ^1\.\.([0-9]+)$ ]]; then
			plan=${BASH_REMATCH[1]}
		elif [[ $line =~ ^ok\ [0-9]+\ -\ (.*)$ ]]; then
			ktap_ok "${BASH_REMATCH[1]}"
		elif [[ $line =~ ^not\ ok\ [0-9]+\ \#\ SKIP\ (.*)$ ]]; then
			ktap_skip "${BASH_REMATCH[1]}" "skipped by the test"
		elif [[ $line =~ ^not\ ok\ [0-9]+\ -\ (.*)$ ]]; then
			pending=${BASH_REMATCH[1]}
			bad=1
		else
			ktap_diag "$line"
		fi
	done
	[ -z "$pending" ] || ktap_not_ok "$pending"
	# A crash or sanitizer abort ends the program before its last tests;
	# a leak report after them only changes the exit status.
	n=$KTAP_N
	if [ -z "$plan" ]; then
		ktap_diag "no cmocka TAP plan (exit status $2)"
		ktap_not_ok "$1 started its tests"
	elif [ "$n" -lt "$plan" ]; then
		ktap_diag "exit status $2 after $n of $plan tests"
		ktap_not_ok "all $plan tests reported"
	elif [ "$2" != 0 ] && [ "$bad" = 0 ]; then
		ktap_not_ok "exit status $2 after its tests"
	fi
	ktap_end
)

# failed FILE: how many failures the parser counts in FILE.
failed() {
	awk -f "$KTAP_SUMMARY" -v quiet=1 "$1" |
		sed -n 's/.* passed, \([0-9]*\) failed.*/\1/p'
}

# nest NAME FILE RC [SKIP-REASON]: FILE as the subtests of NAME
# (ktap_nest).  An exit status that reports a failure FILE does not show
# (a script stopped before its results) fails NAME itself.
nest() {
	if [ "$3" = 0 ] || [ "$3" = 77 ] || [ "$(failed "$2")" != 0 ]; then
		ktap_nest "$1" "$2" ${4:+"$4"}
	else
		ktap_diag "$1: exit status $3 with no failed result"
		sed -e 's/^/    /' "$2"
		ktap_not_ok "$1"
	fi
}

# producer NAME CMD...: a KTAP producer's results as subtest NAME, its
# standard error (tool messages) as diagnostics before them.
producer() {
	local name=$1 rc=0 reason

	shift
	"$@" >"$W/$name.ktap" 2>"$W/$name.err" || rc=$?
	sed -e 's/^/# /' "$W/$name.err"
	reason=
	if [ "$rc" = 77 ]; then
		reason=$(sed -n 's/^ok [0-9]* .* # SKIP //p' "$W/$name.ktap" | head -1)
		reason=${reason:-skipped}
	fi
	nest "$name" "$W/$name.ktap" "$rc" "$reason"
}

run_all() {
	local t name rc work secs

	ktap_begin verifier
	for t in "$@"; do
		name=$(basename "$t")
		rc=0
		IV_DATA=$HERE/data CMOCKA_MESSAGE_OUTPUT=TAP "$t" \
			>"$W/$name.tap" 2>&1 || rc=$?
		cmocka_ktap "$name" "$rc" <"$W/$name.tap" >"$W/$name.ktap"
		nest "$name" "$W/$name.ktap" "$rc"
	done

	producer quote-swtpm "$HERE/quote-swtpm.sh"
	producer state-swtpm "$HERE/state-swtpm.sh"
	producer json-schema env IV_DATA="$HERE/data" "$HERE/json-schema.sh"
	producer manpage "$HERE/manpage.sh"
	producer initramfs-parts "$HERE/initramfs-parts.sh"
	producer rig-golden env IV_DATA="$HERE/data" "$HERE/rig-golden.sh"

	# FUZZ_BIN: the harnesses, sharing FUZZ_SECONDS; the seeds of
	# fuzz_NAME are in fuzz/corpus/NAME.
	set -- ${FUZZ_BIN:-}
	for t in "$@"; do
		name=$(basename "$t")
		secs=$(( ${FUZZ_SECONDS:-30} / $# ))
		[ "$secs" -gt 0 ] || secs=1
		work=$(dirname "$t")/corpus-$name
		mkdir -p "$work"
		ktap_diag "$name: $secs s"
		if [ -x "$t" ] && "$t" -max_total_time="$secs" \
			-max_len=65536 -print_final_stats=1 "$work" \
			"$HERE/../fuzz/corpus/${name#fuzz_}" >"$W/fuzz" 2>&1; then
			grep -E '^(Done|stat::number_of_executed_units)' "$W/fuzz" |
				sed -e 's/^/# /'
			ktap_ok "$name"
		else
			tail -40 "$W/fuzz" | sed -e 's/^/# /'
			ktap_not_ok "$name"
		fi
	done
	[ $# -gt 0 ] || ktap_skip fuzz "clang with libFuzzer not found"
	ktap_end
}

run_all "$@" | tee "$W/verifier.ktap"
ktap_diag "verifier: $(awk -f "$KTAP_SUMMARY" -v quiet=1 "$W/verifier.ktap")"
[ "$(failed "$W/verifier.ktap")" = 0 ]
