# Stage 1: the KUnit suites of the series ran before init; read their verdict.
for suite in ima_kexec; do
	if dmesg | grep -qE "^\[[ 0-9.]*\] ok [0-9]+ $suite\$"; then
		rig_ok "kunit suite $suite"
	else
		rig_not_ok "kunit suite $suite"
	fi
done
