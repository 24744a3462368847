# Stage 1: the KUnit suites of the series ran before init; read their verdict
# and look for splats in the whole kernel log, which the console filtered.
dmesg >/tmp/dmesg
for suite in ima_kexec; do
	rig_expect "kunit suite $suite" grep -qE "^\[[ 0-9.]*\] ok [0-9]+ $suite\$" /tmp/dmesg
done
grep -E "ima_kexec_test_mutations: [0-9]+ mutated|# ima_kexec: pass|# Totals" /tmp/dmesg | sed 's/^/# /'
splats=$(grep -cE 'BUG:|WARNING:|Oops|Call Trace|KASAN|UBSAN' /tmp/dmesg)
rig_expect_eq "no splat in the kernel log" "$splats" 0
[ "$splats" = 0 ] || grep -E -A20 'BUG:|WARNING:|KASAN|UBSAN' /tmp/dmesg | head -60
