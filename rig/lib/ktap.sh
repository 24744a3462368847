# SPDX-License-Identifier: GPL-2.0
# KTAP (Documentation/dev-tools/ktap.rst), the one result format of the rig:
# guest stages, host checks, the verifier's test scripts and make check all
# print it, and ktap-summary.awk counts it. POSIX sh: the guest's busybox
# and dash source it as well as the host's bash.
#
# A producer prints its results unindented; whoever runs it nests them
# under one result line of its own (ktap_nest), so every result keeps the
# names of the tests it is part of.

KTAP_N=0
# KTAP_LOG: where ktap_expect sends the output of the commands it runs
# (unset: left where it goes, the guest's console).

ktap_begin() {
	echo "KTAP version 1"
	[ -z "${1:-}" ] || echo "# Subtest: $1"
}

ktap_ok() { KTAP_N=$((KTAP_N + 1)); echo "ok $KTAP_N $*"; }
ktap_not_ok() { KTAP_N=$((KTAP_N + 1)); echo "not ok $KTAP_N $*"; }
ktap_skip() { KTAP_N=$((KTAP_N + 1)); echo "ok $KTAP_N $1 # SKIP $2"; }
ktap_diag() { echo "# $*"; }

# ktap_end: the plan, last, since a stage learns how many checks it has
# by making them.
ktap_end() { echo "1..$KTAP_N"; }

# ktap_expect DESC CMD...: one result for the outcome of a command.
ktap_expect() {
	_ktap_desc=$1
	shift
	if [ -n "${KTAP_LOG:-}" ]; then
		_ktap_run() { "$@" >>"$KTAP_LOG" 2>&1; }
	else
		_ktap_run() { "$@"; }
	fi
	if _ktap_run "$@"; then
		ktap_ok "$_ktap_desc"
	else
		ktap_not_ok "$_ktap_desc"
	fi
}

# ktap_expect_eq DESC GOT WANT
ktap_expect_eq() {
	if [ "$2" = "$3" ]; then
		ktap_ok "$1"
	else
		ktap_diag "$1: got '$2', want '$3'"
		ktap_not_ok "$1"
	fi
}

# ktap_expect_ge DESC A B: A >= B, both numbers.
ktap_expect_ge() {
	case "$2$3" in
	''|*[!0-9]*)
		ktap_diag "$1: '$2' or '$3' is not a number"
		ktap_not_ok "$1"
		return
		;;
	esac
	if [ "$2" -ge "$3" ]; then
		ktap_ok "$1"
	else
		ktap_diag "$1: $2 < $3"
		ktap_not_ok "$1"
	fi
}

# ktap_nest NAME FILE [SKIP-REASON]: FILE's results as the subtests of one
# result named NAME: ok when none of them failed (ktap-summary.awk judges)
# and there is at least one; a skip when a reason is given and nothing in
# FILE failed.
ktap_nest() {
	_ktap_counts=$(awk -f "$KTAP_SUMMARY" -v quiet=1 "$2")
	# The name first, so that a failure deep inside is printed with it
	# (FILE's own "# Subtest:" line, if it has one, comes after).
	echo "    # Subtest: $1"
	sed -e 's/^/    /' "$2"
	case $_ktap_counts in
	"0 passed, 0 failed, 0 skipped") ktap_not_ok "$1 (no results)" ;;
	*" 0 failed,"*)
		if [ -n "${3:-}" ]; then
			ktap_skip "$1" "$3"
		else
			ktap_ok "$1"
		fi
		;;
	*) ktap_not_ok "$1" ;;
	esac
}
