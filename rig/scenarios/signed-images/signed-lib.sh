# Shared by the stages of signed-images.

# Images live in a tmpfs, which keeps security.ima.
mkdir -p /images
mount -t tmpfs images /images
SIGNED_REFUSED=0

signed_loads() { grep -c ' kexec_load ' $IMA/ascii_runtime_measurements; }

# signed_image NAME PE SIG: /images/NAME, a copy of the host's image PE
# (pe-unsigned, pe-signed, pe-foreign) with the IMA signature SIG
# (ima, ima-foreign: files the host made with evmctl) or none.
signed_image() {
	cp /rig/images/"$2" /images/"$1"
	[ "$3" = none ] || setfattr -n security.ima -v 0x"$(cat /rig/images/"$2.$3")" /images/"$1"
}

# signed_refused DESC IMAGE ERROR: kexec -s -l IMAGE fails with ERROR (an
# strerror text), nothing gets loaded and no kexec_load is measured.
signed_refused() {
	local loads
	loads=$(signed_loads)
	if rig_kexec_load "$2" 2>/tmp/load.err; then
		rig_not_ok "$1 is refused"
		kexec -s -u
		return
	fi
	rig_diag "$(cat /tmp/load.err)"
	if grep -q "$3" /tmp/load.err; then
		SIGNED_REFUSED=$((SIGNED_REFUSED + 1))
		rig_ok "$1 is refused: $3"
	else
		rig_not_ok "$1 is refused: $3"
	fi
	rig_expect_eq "$1: nothing loaded" "$(cat /sys/kernel/kexec_loaded)" 0
	rig_expect_eq "$1: no kexec_load measured" "$(signed_loads)" "$loads"
}

# signed_accepted DESC IMAGE: kexec -s -l IMAGE loads, measured as kexec_load.
signed_accepted() {
	local loads
	loads=$(signed_loads)
	rig_expect "$1 loads" rig_kexec_load "$2"
	rig_expect_eq "$1: loaded" "$(cat /sys/kernel/kexec_loaded)" 1
	rig_expect_eq "$1: kexec_load measured" "$(signed_loads)" "$((loads + 1))"
}

# signed_handover: the previous stage's list came over, verified and whole.
signed_handover() {
	local prev=$(($(rig_stage) - 1)) at_execute
	at_execute=$(rig_noted at_execute_$prev)
	rig_note handover_$(rig_stage) "$(cat $IMA/kexec_handover)"
	rig_expect_eq "handover verified" "$(rig_handover_field result)" verified
	rig_expect_eq "restored = the list at execute + kexec_execute" \
		"$(rig_restored)" "$((at_execute + 1))"
	head -n "$at_execute" /rig/out/stage$prev/ascii_runtime_measurements >/tmp/before
	head -n "$at_execute" $IMA/ascii_runtime_measurements >/tmp/after
	rig_expect "the stage $prev list is a prefix of the restored list" cmp -s /tmp/before /tmp/after
}

# signed_execute: measure a little more, save and kexec.
signed_execute() {
	rig_measure 5 between
	rig_note at_execute_$(rig_stage) "$(rig_count)"
	rig_save stage$(rig_stage)
	rig_kexec_exec
}
