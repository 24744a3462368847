#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/compare.sh: ima-kexec-verify beside "evmctl ima_measurement"
# (ima-evm-utils) and the hashing floor (hashfloor.c: SHA-1 and SHA-256
# of each record's template data and one extend per bank, nothing else)
# on lists of 100k and 1M entries from "mkfixture large", in one run:
# hyperfine medians of wall time and of CPU time (user + system, which
# a busy machine disturbs less), and the peak RSS of one run each (GNU
# time).  The three take turns, one run each per round, so that a
# change in the machine's load between rounds hits all three alike.
# All three read the same list with the same two banks of PCR values,
# and each must say the list matches (the floor: print the PCR files'
# values) before it is timed.
#
# Targets (issue 13): faster than evmctl at both sizes, and within 2x of
# the floor; each judged on wall and on CPU medians.  Not a test: the
# numbers depend on the machine and its load; "make check" does not run
# this.
#
# Usage: bench/compare.sh [SIZES...]    (default: 100000 1000000)
# Environment: BENCH_DIR (lists, kept; default build/bench), RUNS
# (rounds, default 15 at 100k and 7 above, after one to warm up).  Paths
# must not hold spaces (hyperfine -N splits its commands on them).  Run
# it niced on a shared machine: all three share the same priority.
# Needs hyperfine, evmctl and GNU time (Debian 12: apt-get install
# --no-install-recommends hyperfine ima-evm-utils time).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
B=$TOP/build
BENCH_DIR=${BENCH_DIR:-$B/bench}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 1000000)

for tool in hyperfine evmctl /usr/bin/time; do
	if ! command -v "$tool" >/dev/null; then
		echo "compare.sh: $tool not found (apt-get install --no-install-recommends hyperfine ima-evm-utils time)" >&2
		exit 2
	fi
done
make -s -C "$TOP" build/ima-kexec-verify build/mkfixture build/hashfloor \
	>/dev/null
OURS=$B/ima-kexec-verify
FLOOR=$B/hashfloor
mkdir -p "$BENCH_DIR"
W=$(mktemp -d /tmp/iv-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT

# list SIZE: the directory of a SIZE-entry list and its PCR files.
list() {
	local d=$BENCH_DIR/$1

	if [ ! -f "$d/list" ] || [ "$B/mkfixture" -nt "$d/list" ]; then
		rm -rf "$d" "$d.tmp"
		"$B/mkfixture" large "$1" "$d.tmp" >&2
		mv "$d.tmp" "$d"
	fi
	echo "$d"
}

# rss_mb CMD...: peak RSS of one run, in MB.
rss_mb() {
	/usr/bin/time -f %M -o "$W/rss" "$@" >/dev/null 2>&1 || true
	awk '{ printf "%.1f", $1 / 1024 }' "$W/rss"
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

# median NAME: the median of command NAME's times over the rounds.
median() {
	sort -g "$W/t.$1" | awk '{ t[NR] = $1 } END {
		m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
		printf "%.3f", m
	}'
}

# rounds N CMD...: N rounds of one hyperfine run of each command (after
# one round to warm up), each command's times in $W/t.NAME.
rounds() {
	local n=$1 r

	shift
	rm -f "$W"/t.*
	for r in $(seq 0 "$n"); do
		hyperfine -N --runs 1 --style none --export-csv "$W/round.csv" \
			"$@" >"$W/hyperfine.out" 2>&1 ||
			{ cat "$W/hyperfine.out" >&2; exit 1; }
		[ "$r" = 0 ] && continue
		awk -F, -v w="$W" 'NR > 1 { print $4 >> (w "/t." $1)
			print $5 + $6 >> (w "/t." $1 ".cpu") }' "$W/round.csv"
	done
}

# check WHAT OURS THEIRS FACTOR: a line saying whether OURS < FACTOR * THEIRS.
check() {
	local r

	r=$(ratio "$2" "$3")
	if awk -v a="$2" -v b="$3" -v f="$4" 'BEGIN { exit !(a < f * b) }'; then
		MET+=("$1 ($2 s vs $3 s, ${r}x): met")
	else
		MET+=("$1 ($2 s vs $3 s, ${r}x): NOT met")
	fi
}

ROWS=()
MET=()
for n in "${SIZES[@]}"; do
	d=$(list "$n")
	P=(--pcrs "sha1,$d/pcrs-sha1" --pcrs "sha256,$d/pcrs-sha256")
	ours=("$OURS" -q "${P[@]}" "$d/list")
	evm=(evmctl ima_measurement --ignore-violations "${P[@]}" "$d/list")
	floor=("$FLOOR" "$d/list")

	# Each must have done the work and got it right, or its time is moot.
	v=$("${ours[@]}")
	case $v in
	"VERIFIED: $n entries,"*) ;;
	*) echo "compare.sh: ours on $n: $v" >&2; exit 1 ;;
	esac
	"${evm[@]}" >"$W/evm" 2>&1 || { cat "$W/evm" >&2; exit 1; }
	"${floor[@]}" >"$W/floor"
	for bank in sha1 sha256; do
		want=$(grep '^PCR-10:' "$d/pcrs-$bank")
		grep -qx "$bank $want" "$W/floor" ||
			{ echo "compare.sh: floor $bank PCR-10 is not $want" >&2; exit 1; }
	done

	runs=${RUNS:-$([ "$n" -le 100000 ] && echo 15 || echo 7)}
	rounds "$runs" -n ours "${ours[*]}" -n evmctl "${evm[*]}" \
		-n floor "${floor[*]}"
	t_ours=$(median ours)
	t_evm=$(median evmctl)
	t_floor=$(median floor)
	c_ours=$(median ours.cpu)
	c_evm=$(median evmctl.cpu)
	c_floor=$(median floor.cpu)
	m_ours=$(rss_mb "${ours[@]}")
	m_evm=$(rss_mb "${evm[@]}")
	m_floor=$(rss_mb "${floor[@]}")
	size=$(stat -c %s "$d/list" | awk '{ printf "%.0f", $1 / 1e6 }')
	ROWS+=("| $n ($size MB, $runs rounds) | ima-kexec-verify | $t_ours | $(ratio "$t_ours" "$t_floor")x | $c_ours | $(ratio "$c_ours" "$c_floor")x | $m_ours |")
	ROWS+=("| $n | evmctl ima_measurement | $t_evm | $(ratio "$t_evm" "$t_floor")x | $c_evm | $(ratio "$c_evm" "$c_floor")x | $m_evm |")
	ROWS+=("| $n | hashing floor | $t_floor | 1.00x | $c_floor | 1.00x | $m_floor |")
	check "$n: faster than evmctl, wall" "$t_ours" "$t_evm" 1
	check "$n: faster than evmctl, CPU" "$c_ours" "$c_evm" 1
	check "$n: within 2x of the floor, wall" "$t_ours" "$t_floor" 2
	check "$n: within 2x of the floor, CPU" "$c_ours" "$c_floor" 2
done

echo "$(date -u +%Y-%m-%d) $(uname -m), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); evmctl $(dpkg-query -W -f '${Version}' ima-evm-utils 2>/dev/null || echo '?'), $(openssl version 2>/dev/null | cut -d' ' -f1-2)"
echo
echo "| entries | tool | wall s | vs floor | CPU s | vs floor | peak RSS MB |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${ROWS[@]}"
echo
printf '%s\n' "${MET[@]}"
