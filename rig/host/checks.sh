# SPDX-License-Identifier: GPL-2.0
# The host's checks of a scenario, named in its CHECKS as "<name> <args>"
# and run as check_<name> once the guest powered off; each prints KTAP
# results (rig/lib/ktap.sh). Sourced by run-scenario.sh, which provides WS
# (the workspace), OUT (the guest's /rig/out), STAGES (how many there
# are) and the scenario's values.
# Also the gdb actions at the restores (AT_RESTORE, gdb-handover.py).

# list_items LIST: the items of a list of steps, checks or actions, one a
# line or "; " between them, leading blanks, empty lines and comments left
# out.
list_items() {
	printf '%s\n' "$1" | awk '{ gsub(/; /, "\n"); print }' |
		sed -e 's/^[[:space:]]*//' -e '/^$/d' -e '/^#/d'
}

# run_list KIND LIST: run KIND_<item> for each item of LIST, its arguments
# expanded as it runs.
run_list() {
	local item
	while read -r item <&8; do
		eval "$1_$item" || return
	done 8< <(list_items "$2")
}

SPLAT_RE='BUG:|WARNING:|Oops|Call Trace|Kernel panic|KASAN|UBSAN|general protection fault|kernel BUG|stack-protector|RCU stall|hung task'

# console_badness LOG: one line naming every kind of splat in the console.
console_badness() {
	grep -oE "$SPLAT_RE" "$1" |
		sort | uniq -c | awk '{ printf "%s%s x%s", sep, $2, $1; sep = ", " }'
}

# console_first_splat LOG: the first splat and what follows it, for a
# failure report that is read where the workspace is gone.
console_first_splat() {
	grep -m 1 -A 24 -E "$SPLAT_RE" "$1" | tr -d '\r'
}

# note KEY: a figure the guest noted (rig_note).
note() { sed -n "s/^$1=//p" "$OUT/notes" 2>/dev/null | tail -n 1; }

# A missing or garbled note must fail a comparison, not the harness.
note_num() {
	local v
	v=$(note "$1")
	case $v in
	''|*[!0-9]*) echo -1000000000 ;;
	*) echo "$v" ;;
	esac
}

# stage_dir DIR: a saved state in the guest's /rig/out; "last" is the
# last stage's.
stage_dir() {
	case $1 in
	last) echo "$OUT/stage$STAGES" ;;
	*) echo "$OUT/$1" ;;
	esac
}

# evmctl_bank DIR BANK: evmctl's replay of DIR's list against one bank only,
# since evmctl alone is satisfied by any single matching bank.
evmctl_bank() {
	evmctl ima_measurement --ignore-violations --pcrs "$2,$1/pcrs-$2.txt" \
		"$1/binary_runtime_measurements"
}

# verifier_run DIR [ARGS]: our verifier on a saved state, output kept in DIR.
verifier_run() {
	local dir=$1
	shift
	"$VERIFIER" --tpm-dir "$dir/tpm" "$@" "$dir/binary_runtime_measurements" \
		>"$dir/verifier.out" 2>&1
}

not() { ! "$@"; }

# --- Replays -----------------------------------------------------------

# replay DIR: the saved list replays to the saved PCRs in both banks, by
# our verifier and by evmctl.
check_replay() {
	local dir
	dir=$(stage_dir "$1")
	ktap_expect "$1: verifier replay matches sha1 and sha256" verifier_run "$dir"
	ktap_expect "$1: evmctl replay matches sha1" evmctl_bank "$dir" sha1
	ktap_expect "$1: evmctl replay matches sha256" evmctl_bank "$dir" sha256
}

# replay_big_endian DIR: a big-endian list (ppc64 without
# ima_canonical_fmt) replays to the saved PCRs: by our verifier, which
# tells the byte order from the first record, in both banks, and by IBM's
# tssimaextend, big endian unless told -le, in the SHA-1 bank. evmctl
# (1.4) reads records in the host's byte order only: it must stop at the
# first record's PCR index, 10 read as 0x0a000000.
check_replay_big_endian() {
	local dir want got
	dir=$(stage_dir "$1")
	ktap_expect "$1: verifier replay matches sha1 and sha256" verifier_run "$dir"
	ktap_expect "$1: the verifier read the list big endian" \
		grep -q '^note: the list is big endian' "$dir/verifier.out"
	want=$(sed -n 's/^PCR-10: //p' "$dir/pcrs-sha1.txt")
	got=$(tss_sha1_replay "$dir/binary_runtime_measurements" be 2>"$dir/tss.err")
	ktap_diag "$1: tssimaextend (big endian): PCR 10 ${got:-none}, the TPM's $want"
	ktap_expect "$1: tssimaextend replays the big-endian list to the sha1 PCR 10" \
		test -n "$want" -a "${got^^}" = "${want^^}"
	evmctl_bank "$dir" sha1 >"$dir/evmctl-sha1.out" 2>&1
	ktap_expect "$1: evmctl, host byte order only, stops at PCR 167772160" \
		grep -q 167772160 "$dir/evmctl-sha1.out"
}

check_replay_every_stage() {
	local k
	for k in $(seq "$STAGES"); do
		check_replay stage$k
	done
}

# no_replay DIR WORDS: neither replay may match; the verifier must say
# WORDS (grep -E) and judge the list (exit 1): an input error (exit 2)
# also rejects it, and its message may hold WORDS.
check_no_replay() {
	local dir rc=0
	dir=$(stage_dir "$1")
	verifier_run "$dir" || rc=$?
	ktap_expect_eq "$1: verifier rejects the list (exit 1, not verified)" "$rc" 1
	ktap_expect "$1: verifier explains '$2'" grep -qE "$2" "$dir/verifier.out"
	ktap_expect "$1: evmctl sha1 does not match" not evmctl_bank "$dir" sha1
	ktap_expect "$1: evmctl sha256 does not match" not evmctl_bank "$dir" sha256
}

# verifier_says DIR WORDS: what the verifier said of DIR (after a replay
# check) holds WORDS.
check_verifier_says() {
	ktap_expect "$1: the verifier says '$2'" grep -qE "$2" "$(stage_dir "$1")/verifier.out"
}

# quote: the guest's quote (step quote) verifies against its AK, the
# nonce and the replayed list.
check_quote() {
	local q=$OUT/quote
	ktap_expect "the quote verifies against the AK, nonce and replayed list" \
		"$VERIFIER" --quote-msg "$q/quote.msg" --quote-sig "$q/quote.sig" \
		--ak-pub "$q/ak.pem" --nonce "$(cat "$share/scenario/nonce")" \
		--quote-pcrs "$q/quote.pcrs" "$q/binary_runtime_measurements"
}

# --- The kernel's reports, as the guest noted them ---------------------

# handover_is STAGE PATTERN: the report stage STAGE read (a shell pattern).
check_handover_is() {
	ktap_expect "stage $1: handover reported as $2" matches "$(note handover_$1)" "$2"
}

# shellcheck disable=SC2053
matches() { [[ $1 == $2 ]]; }

# handovers_intact: every kexec'd stage got its predecessor's list intact
# and whole, the TPM agreeing.
check_handovers_intact() {
	local k
	for k in $(seq 2 "$STAGES"); do
		ktap_expect_eq "hop $((k - 1)): handover" "$(note handover_$k)" \
			"result=intact;restored=$(($(note_num at_execute_$((k - 1))) + 1));dropped=0;tpm=match;tpm_sha1=match;tpm_sha256=match;"
	done
}

# restored_all: the second stage restored at least the first's list.
check_restored_all() {
	ktap_expect_ge "entries restored >= entries at execute" \
		"$(note restored_2)" "$(note at_execute_1)"
}

check_note_eq() { ktap_expect_eq "$3" "$(note "$1")" "$2"; }
check_note_ge() { ktap_expect_ge "$3" "$(note "$1")" "$2"; }

# note_gt A B DESC: note A exceeds note B.
check_note_gt() { ktap_expect_ge "$3" "$(note "$1")" "$(($(note_num "$2") + 1))"; }

# --- The console and gdb -----------------------------------------------

# console PATTERN DESC: a console line matches PATTERN (grep -E).
check_console() { ktap_expect "$2" grep -qE "$1" "$WS/console.log"; }

# console_count PATTERN N DESC [UNTIL]: N lines match, in the whole
# console or before the first line that matches UNTIL.
check_console_count() {
	local upto=$WS/console.log
	if [ -n "${4:-}" ]; then
		sed -n "/$4/q;p" "$WS/console.log" >"$WS/console.until"
		upto=$WS/console.until
	fi
	ktap_expect_eq "$3" "$(grep -cE "$1" "$upto" || true)" "$2"
}

# gdb_did PATTERN DESC: gdb's log of its actions at the restores.
check_gdb_did() { ktap_expect "$2" grep -qE "$1" "$WS/gdb.log"; }

# kunit: the KUnit results the kernel printed on the console at boot, its
# own KTAP, nested whole under one result.
check_kunit() {
	local ktap=$WS/kunit.ktap
	{
		ktap_begin kunit
		# The kernel's document: from its version line to the last of the
		# top-level results its plan announces.
		sed -e 's/\r$//' -e 's/^\[[ 0-9.]*\] //' "$WS/console.log" | awk '
			!on && /^KTAP version 1$/ { on = 1; next }
			!on { next }
			{ print }
			/^1\.\.[0-9]+$/ { n = substr($0, 4) + 0 }
			/^(not )?ok [0-9]+ / && ++seen >= n { exit }'
	} >"$ktap"
	ktap_expect_ge "kunit printed its results on the console" \
		"$(grep -cE '^ +(not )?ok [0-9]+ ' "$ktap")" 1
	ktap_nest "kunit: the kernel's own results" "$ktap"
}

# initramfs_parts DIR IMAGE PART...: our verifier finds the parts of the
# last load of /rig/IMAGE in DIR's list, each with the digest of its part
# file (paths in the shared folder); its words and sha256sum's beside them.
check_initramfs_parts() {
	local dir image=$2 rc=0
	dir=$(stage_dir "$1")
	shift 2
	(cd "$share" && "$VERIFIER" initramfs-parts --name "/rig/$image" \
		--list "$dir/binary_runtime_measurements" "$@") >"$dir/parts.out" 2>&1 || rc=$?
	sed 's/^/# verifier: /' "$dir/parts.out"
	(cd "$share" && sha256sum "$@") | sed 's/^/# sha256sum: /'
	ktap_expect_eq "$(basename "$dir"): the verifier finds every part of /rig/$image with its file's digest" "$rc" 0
}

# --- Chains ------------------------------------------------------------

# flips_detected: corruption-sweep's flips, one a hop: each injected by
# gdb and rejected for its reason, nothing restored, the TPM disagreeing.
check_flips_detected() {
	local f name off mask reason want k=1 injected detected=0
	injected=$(grep -c '^flip .* now ' "$WS/gdb.log" || true)
	for f in $FLIPS; do
		IFS=: read -r name off mask reason <<<"$f"
		k=$((k + 1))
		want="result=rejected;restored=0;dropped=0;reason=$reason;tpm=mismatch;tpm_sha1=mismatch:10;tpm_sha256=mismatch:10;"
		ktap_expect_eq "flip $((k - 1)) ($name) rejected for $reason, nothing restored, the TPM disagrees" \
			"$(note handover_$k)" "$want"
		[ "$(note handover_$k)" != "$want" ] || detected=$((detected + 1))
	done
	ktap_expect_eq "every flip injected" "$injected" "$((k - 1))"
	ktap_expect_eq "every flip detected" "$detected" "$injected"
}

# race: each hop's list, saved first thing after the hop, replays in both
# banks; if not, the verifier says why (a truncated or rejected handover,
# a missing kexec_execute). An unexplained mismatch fails.
check_race() {
	local k dir verified=0 explained=0 unexplained=0 refused
	for k in $(seq 2 "$STAGES"); do
		dir=$OUT/stage$k
		if verifier_run "$dir"; then
			verified=$((verified + 1))
			ktap_expect "hop $((k - 1)): evmctl replay matches sha1" evmctl_bank "$dir" sha1
			ktap_expect "hop $((k - 1)): evmctl replay matches sha256" evmctl_bank "$dir" sha256
		elif head -n 1 "$dir/verifier.out" |
			grep -qE 'handover (truncated|rejected)|no kexec_execute'; then
			explained=$((explained + 1))
		else
			unexplained=$((unexplained + 1))
		fi
		ktap_diag "hop $((k - 1)): $(head -n 1 "$dir/verifier.out" 2>/dev/null); $(note handover_$k)"
	done
	refused=$(grep -c 'refused: the list has been handed over for kexec' "$WS/console.log" || true)
	ktap_expect_eq "no unexplained mismatch" "$unexplained" 0
	ktap_expect_eq "every hop verified or explained" "$((verified + explained))" "$((STAGES - 1))"
	# The producer was still measuring when the list was frozen.
	ktap_expect_ge "measurements refused after the list was frozen" "$refused" 1
	echo "$verified verified, $explained explained, $unexplained unexplained, $refused refused" >"$WS/race.summary"
}

# race_summary: what check race counted, for SUMMARY.
race_summary() { cat "$WS/race.summary" 2>/dev/null; }

# note_sum PREFIX: the sum of the notes PREFIX_<stage>, over the stages.
note_sum() {
	sed -n "s/^$1_[0-9]*=\([0-9]*\)$/\1/p" "$OUT/notes" | awk '{ s += $1 } END { print s + 0 }'
}

# --- gdb at the restores -----------------------------------------------

# gdb_at_restores LOG ACTIONS: in the background, attach gdb to the guest
# (QEMU started with -S), stop each kexec'd kernel at
# ima_load_kexec_buffer(), where the handover is in memory and unread,
# and run there the next of ACTIONS (gdb-handover.py's commands, one a
# restore), then let it go on. gdb's output goes to LOG.
gdb_at_restores() {
	local log=$1 script=$WS/at-restore.gdb vmlinux flavor action gdb=gdb bp="&ima_load_kexec_buffer" entry
	[ "$GUEST_ARCH" = x86_64 ] || gdb=gdb-multiarch
	flavor=$(echo $KERNELS | cut -d' ' -f2)
	var=KERNEL_$flavor
	vmlinux=$(kernel_obj "$flavor" "$GUEST_ARCH")/vmlinux
	[ "$GUEST_ARCH" != x86_64 ] || vmlinux=$(dirname "${!var}")/../../../vmlinux
	# powerpc's ELFv2 functions have two entries: the caller, in the same
	# TOC, branches to the local one, past the TOC setup.
	if [ "$GUEST_ARCH" = ppc64le ]; then
		entry=$(powerpc64le-linux-gnu-readelf -sW "$vmlinux" |
			sed -n 's/.*\[<localentry>: \([0-9]*\)\].* ima_load_kexec_buffer$/\1/p')
		bp="(char *)&ima_load_kexec_buffer + ${entry:-0}"
	fi
	{
		echo "set pagination off"
		echo "file $vmlinux"
		echo "set \$rig_restore_bp = (unsigned long)($bp)"
		echo "source $RIG_ROOT/rig/host/gdb-handover.py"
		echo "target remote $WS/gdb.sock"
		echo "hbreak *\$rig_restore_bp"
		while read -r action; do
			echo "handover next $(eval "echo \"$action\"")"
		done < <(list_items "$2")
		# Stay attached until the guest is done, breakpoints gone.
		echo "delete"
		echo "continue"
	} >"$script"
	for _ in $(seq 50); do [ -S "$WS/gdb.sock" ] && break; sleep 0.1; done
	[ -S "$WS/gdb.sock" ] || return 1
	IMA_KEXEC_FORMAT_H=$TREE/security/integrity/ima/ima_kexec_format.h \
		timeout "$TIMEOUT" "$gdb" -q -batch -nx -x "$script" >"$log" 2>&1 &
}

# --- Remote attestation (step attest, prepare nonce_service) ----------

# quoted_pcr FILE BANK: PCR 10 of BANK as tpm2_checkquote printed it
# (lower-case hex), from a quote it verified.
quoted_pcr() {
	awk -v bank="$2" '
		/^  [a-z0-9]+:$/ { b = substr($1, 1, length($1) - 1) }
		b == bank && $1 == "10:" { v = $2; sub(/^0x/, "", v); print tolower(v); exit }' "$1"
}

# pcr10_file FILE VALUE: an evmctl --pcrs file that holds VALUE as PCR 10
# (evmctl wants all 24 lines; it compares only the PCRs the list extends).
pcr10_file() {
	local i
	for i in $(seq 0 23); do
		if [ "$i" = 10 ]; then printf 'PCR-10: %s\n' "$2"; else printf 'PCR-%02d: 0\n' "$i"; fi
	done >"$1"
}

# tss_sha1_replay LIST [be]: the replay of someone who wrote neither the
# kernel nor our verifier: IBM's TSS tssimaextend extends LIST's SHA-1
# template digests into PCR 10 of a fresh swtpm (all ones for a
# violation); prints that PCR as tsspcrread reads it. LIST is little
# endian, or big endian with "be" (tssimaextend's default), where
# tssimaextend (Debian 12's) extends every record and then exits 1 with
# "PCR index 167772160 not PCR 10": the PCR is what counts.
tss_sha1_replay() {
	local dir port rc=1 try order=-le
	[ "${2:-}" != be ] || order=
	dir=$(mktemp -d "$WS/tss.XXXXXX")
	for try in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 20000 * 2))
		swtpm socket --tpm2 --tpmstate dir="$dir" --flags not-need-init,startup-clear \
			--server type=tcp,port=$port,bindaddr=127.0.0.1 \
			--ctrl type=tcp,port=$((port + 1)),bindaddr=127.0.0.1 \
			--pid file="$dir/pid" --daemon >>"$dir/swtpm.log" 2>&1 && break
	done
	[ -s "$dir/pid" ] || { echo "swtpm for tssimaextend did not start, see $dir/swtpm.log" >&2; return 1; }
	(
		export TPM_INTERFACE_TYPE=socsim TPM_SERVER_TYPE=raw TPM_SERVER_NAME=127.0.0.1 \
			TPM_COMMAND_PORT=$port TPM_PLATFORM_PORT=$((port + 1)) TPM_DATA_DIR=$dir
		tssimaextend $order -if "$1" >"$dir/imaextend.log" 2>&1 || [ -z "$order" ] || exit
		tsspcrread -ha 10 -halg sha1 -ns
	)
	rc=$?
	kill "$(cat "$dir/pid")" 2>/dev/null
	return $rc
}

# attest NAME [lost]: the host's side of step attest, as a remote
# verifier: tpm2_checkquote verifies the quote the guest made with the
# host's nonce (AK signature, nonce, PCR digest) and gives the quoted
# PCR 10 of each bank; then three replays of the fetched binary list
# against those values: our verifier (the quote and the list), evmctl
# ima_measurement once per bank, and IBM's tssimaextend for sha1. All of
# them must match; with "lost" (a soft reboot that handed no list over)
# none may, and our verifier must say why. The verdicts go to
# $WS/attest-NAME.summary (attest_summary NAME).
check_attest() {
	local name=$1 want=${2:-match} q=$OUT/attest/$1 nonce sha1 sha256 vrc=0 tss
	local -A got
	nonce=$(cat "$WS/nonces/$name" 2>/dev/null)
	ktap_expect "$name: the guest quoted with the nonce the host gave" \
		test -n "$nonce" -a -s "$q/quote.msg" -a -s "$q/binary_runtime_measurements"
	ktap_expect "$name: tpm2_checkquote verifies the AK's signature, the nonce and the PCR digest" \
		eval 'tpm2_checkquote -u "$q/ak.pem" -m "$q/quote.msg" -s "$q/quote.sig" -f "$q/quote.pcrs" -g sha256 -q "$nonce" >"$q/checkquote.out" 2>&1'
	sha1=$(quoted_pcr "$q/checkquote.out" sha1 2>/dev/null)
	sha256=$(quoted_pcr "$q/checkquote.out" sha256 2>/dev/null)
	"$VERIFIER" --quote-msg "$q/quote.msg" --quote-sig "$q/quote.sig" --ak-pub "$q/ak.pem" \
		--nonce "$nonce" --quote-pcrs "$q/quote.pcrs" "$q/binary_runtime_measurements" \
		>"$q/verifier.out" 2>&1 || vrc=$?
	got[verifier]=$([ "$vrc" = 0 ] && echo match || echo "no match (exit $vrc)")
	pcr10_file "$q/pcrs-sha1.txt" "${sha1:-none}"
	pcr10_file "$q/pcrs-sha256.txt" "${sha256:-none}"
	got[evmctl_sha1]=$(evmctl_bank "$q" sha1 >"$q/evmctl-sha1.out" 2>&1 && echo match || echo "no match")
	got[evmctl_sha256]=$(evmctl_bank "$q" sha256 >"$q/evmctl-sha256.out" 2>&1 && echo match || echo "no match")
	tss=$(tss_sha1_replay "$q/binary_runtime_measurements" 2>"$q/tss.err")
	got[tss_sha1]=$([ -n "$tss" ] && [ "$tss" = "$sha1" ] && echo match || echo "no match")
	{
		echo "verifier: $(head -n 1 "$q/verifier.out")"
		echo "evmctl ima_measurement: sha1 ${got[evmctl_sha1]}, sha256 ${got[evmctl_sha256]} (quoted PCR 10)"
		echo "tssimaextend (IBM TSS): sha1 PCR 10 ${tss:-(none: $(tail -n 1 "$q/tss.err"))}, quoted $sha1: ${got[tss_sha1]}"
	} >"$WS/attest-$name.summary"
	sed "s/^/$name: /" "$WS/attest-$name.summary" | while read -r line; do ktap_diag "$line"; done
	if [ "$want" = match ]; then
		ktap_expect_eq "$name: our verifier replays the list to the quote in both banks" "${got[verifier]}" match
		ktap_expect_eq "$name: evmctl replays the list to the quoted sha1 PCR 10" "${got[evmctl_sha1]}" match
		ktap_expect_eq "$name: evmctl replays the list to the quoted sha256 PCR 10" "${got[evmctl_sha256]}" match
		ktap_expect_eq "$name: tssimaextend replays the list to the quoted sha1 PCR 10" "${got[tss_sha1]}" match
	else
		ktap_expect_eq "$name: our verifier rejects the list (exit 1)" "$vrc" 1
		ktap_expect "$name: our verifier says the handover was $want" grep -qE "$want" "$q/verifier.out"
		ktap_expect_eq "$name: evmctl's sha1 replay does not match the quote" "${got[evmctl_sha1]}" "no match"
		ktap_expect_eq "$name: evmctl's sha256 replay does not match the quote" "${got[evmctl_sha256]}" "no match"
		ktap_expect_eq "$name: tssimaextend's sha1 replay does not match the quote" "${got[tss_sha1]}" "no match"
	fi
	ktap_expect "$name: the three replays agree" \
		test "${got[verifier]%% *}" = "${got[evmctl_sha1]%% *}" -a "${got[evmctl_sha1]}" = "${got[evmctl_sha256]}" -a "${got[evmctl_sha1]}" = "${got[tss_sha1]}"
}

# attest_summary NAME: what check attest concluded, for SUMMARY.
attest_summary() { cat "$WS/attest-$1.summary" 2>/dev/null; }
