#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The tool's --json output of golden runs, validated against
# ima-kexec-verify.schema.json (tests/schema-check.py): verified,
# not verified for each kind of cause, input errors, incremental runs,
# a real quote, the rig's lists; and documents the schema must reject.
# KTAP, one result per run; exit 0 pass, 1 fail, 77 skip (no python3).
# Needs IV_BIN and IV_MKFIXTURE.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../../rig/lib/ktap.sh"
: "${IV_BIN:?}" "${IV_MKFIXTURE:?}"
DATA=${IV_DATA:-$HERE/data}
SCHEMA=$HERE/../ima-kexec-verify.schema.json
README=$HERE/../README.md

ktap_begin json-schema
# Debian's python3 first: python3-jsonschema is installed for it.
PY=$(command -v /usr/bin/python3 || command -v python3)
if [ -z "$PY" ]; then
	ktap_skip json-schema "python3 not installed"
	ktap_end
	exit 77
fi
W=$(mktemp -d /tmp/iv-schema.XXXXXX)
trap 'rm -rf "$W"' EXIT
FAIL=0
N=0

# run NAME WANT-EXIT ARGS...: the tool's JSON into $W/NAME.json.
run() {
	local name=$1 want=$2 rc=0
	shift 2
	"$IV_BIN" --json "$@" >"$W/$name.json" 2>"$W/$name.err" || rc=$?
	if [ "$rc" != "$want" ]; then
		ktap_diag "$name: exit $rc, want $want"
		sed 's/^/# | /' "$W/$name.json" "$W/$name.err"
		ktap_not_ok "$name: exit status"
		FAIL=$((FAIL + 1))
	fi
	N=$((N + 1))
}

for s in multiboot truncated rejected noexec tpm-match tpm-mismatch \
	 tpm-lost tpm-bypass tpm-disagree tpm-banks; do
	"$IV_MKFIXTURE" "$s" "$W/$s" >/dev/null
done
M=$W/multiboot
P=(--pcrs "sha1,$M/pcrs-sha1" --pcrs "sha256,$M/pcrs-sha256")
run verified 0 "${P[@]}" "$M/list"
run padded 0 --pcrs "sha256,$M/pcrs-sha256-padded" "$M/list"
run truncated 1 --tpm-dir "$W/truncated/tpm" "$W/truncated/list"
run rejected 1 --tpm-dir "$W/rejected/tpm" "$W/rejected/list"
run noexec 1 --tpm-dir "$W/noexec/tpm" "$W/noexec/list"
for s in tpm-match tpm-mismatch tpm-lost tpm-bypass tpm-disagree tpm-banks; do
	rc=1
	[ "$s" = tpm-match ] || [ "$s" = tpm-banks ] && rc=0
	run "$s" "$rc" --tpm-dir "$W/$s/tpm" "$W/$s/list"
done
# Input errors: in the list (entry and offset), in a PCR file, usage.
head -c 1000 "$M/list" >"$W/cut"
run error-list 2 "${P[@]}" "$W/cut"
run error-pcrs 2 --pcrs "sha1,$W/none" "$M/list"
# Incremental: saved, applied, refused, corrupt.
run state-out 0 "${P[@]}" --state-out "$W/state" "$M/list"
run state-in 0 "${P[@]}" --state-in "$W/state" --state-out "$W/state2" \
	"$M/list"
run state-shorter 1 "${P[@]}" --state-in "$W/state" "$W/cut"
printf 'ima-kexec-verify-state 1\nentries 3\n' >"$W/state.bad"
run state-bad 2 "${P[@]}" --state-in "$W/state.bad" "$M/list"
# A real quote (tpm2-tools on swtpm).
Q=$DATA/swtpm-multiboot
if [ -r "$Q/nonce" ]; then
	run quote 0 --quote-msg "$Q/q.msg" --quote-sig "$Q/q.sig" \
		--ak-pub "$Q/ak.pem" --nonce "$(cat "$Q/nonce")" \
		--quote-pcrs "$Q/q.pcrs" "$Q/list"
fi
# Lists real kernels wrote in the rig.
for d in "$DATA"/rig/*/; do
	[ -r "$d/pcrs-sha1.txt" ] || continue
	name=rig-$(basename "$d")
	rc=0
	"$IV_BIN" --json --pcrs "sha1,$d/pcrs-sha1.txt" \
		--pcrs "sha256,$d/pcrs-sha256.txt" \
		"$d/binary_runtime_measurements" >"$W/$name.json" 2>/dev/null ||
		rc=$?
	[ "$rc" -le 1 ] || { ktap_not_ok "$name: exit $rc"; FAIL=$((FAIL + 1)); }
	N=$((N + 1))
done

# One result per document.
"$PY" "$HERE/schema-check.py" "$SCHEMA" "$README" "$W"/*.json >"$W/check" 2>&1
while read -r word file rest; do
	case $word in
	ok) ktap_ok "$(basename "$file" .json) validates${rest:+ $rest}" ;;
	FAIL) ktap_diag "$file $rest"; ktap_not_ok "$(basename "$file" .json)"
	      FAIL=$((FAIL + 1)) ;;
	*) ktap_diag "$word $file $rest"; ktap_not_ok "schema-check.py ran"
	   FAIL=$((FAIL + 1)) ;;
	esac
done <"$W/check"
[ "$(grep -c '^ok ' "$W/check")" -ge "$N" ] ||
	{ ktap_not_ok "every run was checked"; FAIL=$((FAIL + 1)); }

# Documents the schema must reject: the checker is not blind.
mkdir "$W/bad"
sed 's/^{"schema":1,/{/' "$W/verified.json" >"$W/bad/no-schema.json"
sed 's/"notes_lost":0}/"notes_lost":0,"extra":1}/' "$W/verified.json" >"$W/bad/extra-key.json"
sed 's/"entries":17,/"entries":"17",/' "$W/verified.json" >"$W/bad/wrong-type.json"
sed 's/"cause":"none"/"cause":"bogus"/' "$W/verified.json" >"$W/bad/bad-enum.json"
for f in "$W"/bad/*.json; do
	if "$PY" "$HERE/schema-check.py" "$SCHEMA" "$README" "$f" >"$W/out" 2>&1; then
		ktap_not_ok "$(basename "$f" .json) is rejected"
		FAIL=$((FAIL + 1))
	else
		ktap_ok "$(basename "$f" .json) is rejected"
	fi
done
ktap_end
[ "$FAIL" = 0 ]
