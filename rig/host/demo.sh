#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: soft-reboot attestation on the patched kernel, told at a glance.
# Boot on a fresh swtpm, measure, kexec -s -l, measure more, kexec -e; in the
# new kernel, quote PCR 10; on the host, replay the handed-over list per bank
# (our verifier and evmctl) and check the quote against it.

set -eu
. "$(dirname "$0")/lib.sh"
. "$RIG_ROOT/rig/host/checks.sh"

out=$(mktemp)
trap 'rm -f "$out"' EXIT
set +e
"$RIG_ROOT/rig/host/run-scenario.sh" -k demo | tee "$out"
rc=${PIPESTATUS[0]}
set -e
ws=$(sed -n 's/^# workspace kept: //p' "$out")
[ -n "$ws" ] && [ -d "$ws" ] || exit "$rc"
# OUT: where checks.sh's note reads the guest's figures.
OUT=$ws/share/out
o=$OUT
field() { sed -n "s/^bank $1 PCR-10: tpm \([0-9a-f]*\) replay \([0-9a-f]*\) \([A-Za-z]*\).*/$2/p" "$o/stage2/verifier.out"; }

echo
echo "Soft-reboot attestation demo: $(git -C "$TREE" log -1 --format=%s base) + $(git -C "$TREE" rev-list --count base..HEAD) patches"
printf '  %-26s %s\n' "kernel, boot 1:" "$(cat "$o/stage1/kernel" 2>/dev/null)"
printf '  %-26s %s (kexec -s)\n' "kernel, boot 2:" "$(cat "$o/stage2/kernel" 2>/dev/null)"
printf '  %-26s %s\n' "entries before load:" "$(note before_load_1)"
printf '  %-26s %s\n' "entries after load:" "$(note after_load_1)"
printf '  %-26s %s (+1 kexec_execute)\n' "entries at execute:" "$(note at_execute_1)"
printf '  %-26s %s\n' "entries restored:" "$(note restored_2)"
printf '  %-26s %s\n' "handover:" "$(note handover_2)"
for bank in sha1 sha256; do
	printf '  PCR 10 %-19s TPM    %s\n' "$bank:" "$(field $bank '\1')"
	printf '  %-26s replay %s  %s\n' "" "$(field $bank '\2')" "$(field $bank '\3')"
done
printf '  %-26s %s\n' "verifier:" "$(head -n 1 "$o/stage2/verifier.out")"
for bank in sha1 sha256; do
	if evmctl_bank "$o/stage2" "$bank" >/dev/null 2>&1; then
		printf '  %-26s %s\n' "evmctl, $bank only:" "match"
	else
		printf '  %-26s %s\n' "evmctl, $bank only:" "NO MATCH"
	fi
done
if [ -f "$o/quote/quote.msg" ]; then
	printf '  %-26s %s\n' "quote (guest, after kexec):" \
		"$("$VERIFIER" -q --quote-msg "$o/quote/quote.msg" --quote-sig "$o/quote/quote.sig" \
			--ak-pub "$o/quote/ak.pem" --nonce "$(cat "$ws/share/scenario/nonce")" \
			--quote-pcrs "$o/quote/quote.pcrs" "$o/quote/binary_runtime_measurements" 2>&1 | head -n 1)"
fi
echo
if [ "$rc" = 0 ]; then
	echo "PASS: the list handed over across kexec replays to the TPM in both banks"
	rm -rf "$ws"
else
	echo "FAIL: see $ws (console.log, share/out)"
fi
exit "$rc"
