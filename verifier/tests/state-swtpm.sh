#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Incremental attestation against a software TPM, polled as a service
# polls a machine: quote, verify, save the state; extend more, quote
# again, verify only the new entries.  Between polls the TPM is resumed
# (Shutdown(STATE), Startup(STATE): restartCount changes, PCRs stay),
# reset (Startup(CLEAR): resetCount changes, a reboot) and an older quote
# is shown (clock before the state's).  The quote's clock info decides.
#
# Prints KTAP (rig/lib/ktap.sh), one result per check; exit 0 pass, 1
# fail, 77 skip (tools missing).  Needs IV_BIN and IV_MKFIXTURE.
set -eu

. "$(dirname "$0")/../../rig/lib/ktap.sh"

ktap_begin state-swtpm
ENDED=0
stopped() {	# exit status
	[ "$ENDED" = 0 ] || return 0
	ktap_diag "stopped with exit status $1 before the last check"
	ktap_not_ok "state-swtpm: all checks ran"
	ktap_end
}
trap 'stopped $?' EXIT

skip() {
	ktap_skip state-swtpm "$*"
	ktap_end
	ENDED=1
	exit 77
}

for tool in swtpm swtpm_setup swtpm_ioctl tpm2_startup tpm2_shutdown \
	    tpm2_pcrextend tpm2_createek tpm2_createak tpm2_quote \
	    tpm2_flushcontext tpm2_evictcontrol; do
	command -v "$tool" >/dev/null || skip "$tool not installed"
done
ls /usr/lib/*/libtss2-tcti-swtpm.so.0 >/dev/null 2>&1 ||
	skip "libtss2-tcti-swtpm0 not installed"
: "${IV_BIN:?}" "${IV_MKFIXTURE:?}"

W=$(mktemp -d /tmp/iv-state-swtpm.XXXXXX)
SWTPM_PID=

cleanup() {
	local rc=$?

	if [ -n "$SWTPM_PID" ]; then
		kill "$SWTPM_PID" 2>/dev/null || true
	fi
	rm -rf "$W"
	stopped "$rc"
}
trap cleanup EXIT

export TPM2TOOLS_TCTI="swtpm:path=$W/tpm/sock"
CTRL=(--unix "$W/tpm/sock.ctrl")

mkdir -p "$W/tpm"
swtpm_setup --tpm2 --tpmstate "$W/tpm" --pcr-banks sha1,sha256 \
	--overwrite >"$W/setup.log" 2>&1 || skip "swtpm_setup failed"
# No startup flag: this script says which Startup, after each init.
swtpm socket --tpm2 --tpmstate dir="$W/tpm" \
	--server type=unixio,path="$W/tpm/sock" \
	--ctrl type=unixio,path="$W/tpm/sock.ctrl" \
	--pid file="$W/tpm/pid" --log file="$W/tpm/log" --daemon
for _ in $(seq 50); do
	[ -s "$W/tpm/pid" ] && [ -S "$W/tpm/sock" ] && break
	sleep 0.1
done
SWTPM_PID=$(cat "$W/tpm/pid")
swtpm_ioctl "${CTRL[@]}" -i
tpm2_startup -c

FAIL=0
# check EXIT PATTERN DESCRIPTION CMD...: exit code and the output.
check() {
	local want=$1 pat=$2 desc=$3 rc=0
	shift 3
	"$@" >"$W/out" 2>&1 || rc=$?
	if [ "$rc" = "$want" ] && grep -q -- "$pat" "$W/out"; then
		ktap_ok "$desc"
	else
		ktap_diag "exit $rc, want $want; output to match '$pat':"
		sed 's/^/# | /' "$W/out"
		ktap_not_ok "$desc"
		FAIL=$((FAIL + 1))
	fi
}

# An AK after each Startup: its context does not outlive a reset.
make_ak() {
	tpm2_evictcontrol -C o -c 0x81010001 >/dev/null 2>&1 || true
	tpm2_createek -c 0x81010001 -G rsa -u "$W/ek.pem" -f pem >/dev/null
	tpm2_flushcontext -t
	tpm2_createak -C 0x81010001 -c "$W/ak.ctx" -G rsa -s rsassa \
		-g sha256 -u "$W/ak.pem" -f pem -n "$W/ak.name" >/dev/null
	tpm2_flushcontext -t
	tpm2_flushcontext -s
}

quote() {	# prefix; the nonce in $W/PREFIX.nonce
	od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$W/$1.nonce"
	tpm2_quote -c "$W/ak.ctx" -l sha1:10+sha256:10 -q "$(cat "$W/$1.nonce")" \
		-g sha256 -m "$W/$1.msg" -s "$W/$1.sig" -o "$W/$1.pcrs" >/dev/null
	tpm2_flushcontext -t
	tpm2_flushcontext -s
}

# verify PREFIX LIST ARGS...: the tool on quote PREFIX.
verify() {
	local q=$1 list=$2
	shift 2
	"$IV_BIN" --quote-msg "$W/$q.msg" --quote-sig "$W/$q.sig" \
		--ak-pub "$W/ak.pem" --nonce "$(cat "$W/$q.nonce")" \
		--quote-pcrs "$W/$q.pcrs" "$@" "$list"
}

"$IV_MKFIXTURE" multiboot "$W/multi" >/dev/null
make_ak

# Poll 1: the TPM holds the first 16 entries' extends.
head -16 "$W/multi/extends" | while read -r line; do
	tpm2_pcrextend "$line"
done
quote q1
check 0 "^VERIFIED: 16 of 17 entries, 3 boots, banks sha1,sha256 match (quote verified); 1 newer entry" \
	"poll 1: full verification of the covered prefix, state saved" \
	verify q1 "$W/multi/list" --state-out "$W/state"
check 0 "^quote [0-9]* 0 [0-9]*$" "poll 1: the state holds the quote's clock info" \
	cat "$W/state"
# swtpm_setup started the TPM before: resetCount is where it left it.
R=$(sed -n 's/^quote \([0-9]*\) .*/\1/p' "$W/state")

# Poll 2: the last extend, a later quote: only entry 16 is verified.
tail -1 "$W/multi/extends" | while read -r line; do
	tpm2_pcrextend "$line"
done
quote q2
check 0 "^VERIFIED: entry 16 of 17 (incremental from state, 16 verified before), 3 boots, banks sha1,sha256 match (quote verified)$" \
	"poll 2: incremental from the state" \
	verify q2 "$W/multi/list" --state-in "$W/state" --state-out "$W/state"
check 0 "clock same; 0 kexecs since the saved state" \
	"poll 2: same resetCount and restartCount, clock on" \
	verify q2 "$W/multi/list" --state-in "$W/state"

# The quote of poll 1 with the state of poll 2: older than the state.
check 1 "^NOT VERIFIED: saved state refused: the quote's clock [0-9]* is before the state's [0-9]* at the same resetCount $R: the quote is older than the state" \
	"an older quote than the state is refused" \
	verify q1 "$W/multi/list" --state-in "$W/state"
check 1 '"cause":"state_clock_backwards"' \
	"an older quote: cause state_clock_backwards in JSON" \
	verify q1 "$W/multi/list" --json --state-in "$W/state"

# Suspend and resume: Shutdown(STATE), init, Startup(STATE).
tpm2_shutdown
swtpm_ioctl "${CTRL[@]}" -i
tpm2_startup
make_ak
quote q3
check 0 "^note: the TPM was restarted or resumed since the saved state (restartCount 0, now 1; resetCount $R unchanged)" \
	"resume: restartCount changed, reported; the PCRs were kept" \
	verify q3 "$W/multi/list" --state-in "$W/state" --state-out "$W/state"
check 0 "^VERIFIED: no new entries of 17 (incremental from state, 17 verified before)" \
	"resume: the state still applies" \
	verify q3 "$W/multi/list" --state-in "$W/state"

# Reboot: Shutdown(CLEAR) or none, init, Startup(CLEAR): a TPM Reset.
swtpm_ioctl "${CTRL[@]}" -i
tpm2_startup -c
make_ak
"$IV_MKFIXTURE" boot "$W/boot" >/dev/null
while read -r line; do
	tpm2_pcrextend "$line"
done <"$W/boot/extends"
quote q4
check 0 "^note: the TPM was reset since the saved state (resetCount $R, now $((R + 1))): the machine rebooted; the state does not apply, the list was verified in full" \
	"reboot: resetCount changed, the state does not apply" \
	verify q4 "$W/boot/list" --state-in "$W/state"
check 0 "^VERIFIED: 5 entries, 1 boot, banks sha1,sha256 match (quote verified)$" \
	"reboot: the new list verified in full, its state saved" \
	verify q4 "$W/boot/list" --state-in "$W/state" --state-out "$W/state"
check 0 "^entries 5$" "reboot: the state of the new boot was saved" \
	cat "$W/state"

ktap_end
ENDED=1
[ "$FAIL" = 0 ]
