# rig_expect_violations WHEN: ima/violations counts the violation records
# (zero template digest) in the list, and there are some.
rig_expect_violations() {
	local records
	records=$(grep -c '^[0-9]* 0\{40\} ' $IMA/ascii_runtime_measurements)
	rig_expect "$1: the list holds violations" [ "$records" -gt 0 ]
	rig_expect_eq "$1: ima/violations counts the violation records" \
		"$(cat $IMA/violations)" "$records"
}
