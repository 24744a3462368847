# SPDX-License-Identifier: GPL-2.0
# Host-side checks for scenario check.sh files. Sourced by run-scenario.sh,
# which provides OUT (the guest's /rig/out), HOST_CHECKS and HOST_FAILED.
# A scenario may set HOST_SUMMARY to a figure for its verdict line.



# console_badness LOG: one line naming every kind of splat in the console.
console_badness() {
	grep -oE 'BUG:|WARNING:|Oops|Call Trace|Kernel panic|KASAN|UBSAN|general protection fault|kernel BUG|stack-protector|RCU stall|hung task' "$1" |
		sort | uniq -c | awk '{ printf "%s%s x%s", sep, $2, $1; sep = ", " }'
}

# host_expect DESC CMD...: count a host check and remember its failure.
host_expect() {
	local desc=$1; shift
	HOST_CHECKS=$((HOST_CHECKS + 1))
	if ! "$@" >>"$WS/host-checks.log" 2>&1; then
		HOST_FAILED+=("$desc")
		echo "FAILED: $desc" >>"$WS/host-checks.log"
	fi
}

# host_expect_eq DESC GOT WANT
host_expect_eq() {
	HOST_CHECKS=$((HOST_CHECKS + 1))
	[ "$2" = "$3" ] && return 0
	HOST_FAILED+=("$1: got '$2', want '$3'")
}

# note KEY: a figure the guest recorded with rig_note.
note() { sed -n "s/^$1=//p" "$OUT/notes" 2>/dev/null | tail -n 1; }

# evmctl_bank DIR BANK: evmctl's replay of DIR's list against one bank only,
# since evmctl alone is satisfied by any single matching bank.
evmctl_bank() {
	evmctl ima_measurement --ignore-violations --pcrs "$2,$1/pcrs-$2.txt" \
		"$1/binary_runtime_measurements"
}

# verifier_run DIR [ARGS]: our verifier on a saved state, output kept in DIR.
verifier_run() {
	local dir=$1; shift
	"$VERIFIER" --tpm-dir "$dir/tpm" "$@" "$dir/binary_runtime_measurements" \
		>"$dir/verifier.out" 2>&1
}

# expect_replay DIR: both replays must match the TPM in both banks.
expect_replay() {
	local dir=$OUT/$1
	host_expect "$1: verifier replay matches sha1 and sha256" verifier_run "$dir"
	host_expect "$1: evmctl replay matches sha1" evmctl_bank "$dir" sha1
	host_expect "$1: evmctl replay matches sha256" evmctl_bank "$dir" sha256
}

# expect_no_replay DIR WORDS: neither replay may match; the verifier must say
# WORDS (a grep -E pattern) in its output.  It must judge the list (exit 1):
# an input error (exit 2) also rejects it, and its message may hold WORDS.
expect_no_replay() {
	local dir=$OUT/$1 rc=0
	verifier_run "$dir" || rc=$?
	host_expect_eq "$1: verifier rejects the list (exit 1, not verified)" "$rc" 1
	host_expect "$1: verifier explains '$2'" grep -qE "$2" "$dir/verifier.out"
	host_expect "$1: evmctl sha1 does not match" not evmctl_bank "$dir" sha1
	host_expect "$1: evmctl sha256 does not match" not evmctl_bank "$dir" sha256
}

not() { ! "$@"; }

# host_expect_ge DESC A B: A >= B, both numbers.
host_expect_ge() {
	HOST_CHECKS=$((HOST_CHECKS + 1))
	case "$2$3" in
	''|*[!0-9]*) HOST_FAILED+=("$1: '$2' or '$3' is not a number"); return ;;
	esac
	[ "$2" -ge "$3" ] || HOST_FAILED+=("$1: $2 < $3")
}

# gdb_at_second_restore LOG GDB-ARGS...: in the background, attach gdb to
# the guest (started with -S), stop the second kernel at
# ima_load_kexec_buffer(), where the handover is in memory and unread,
# run GDB-ARGS (-ex ... pairs) there, and let it go on. gdb's output goes
# to LOG.
gdb_at_second_restore() {
	local log=$1 vmlinux
	shift
	vmlinux=$(dirname "$KERNEL_patched")/../../../vmlinux
	for _ in $(seq 50); do [ -S "$WS/gdb.sock" ] && break; sleep 0.1; done
	timeout "$TIMEOUT" gdb -q -batch -nx \
		-ex "set pagination off" \
		-ex "file $vmlinux" \
		-ex "target remote $WS/gdb.sock" \
		-ex "hbreak ima_load_kexec_buffer" \
		-ex "ignore 1 1" \
		-ex "continue" \
		"$@" \
		-ex "delete" \
		-ex "detach" >"$log" 2>&1 &
}
