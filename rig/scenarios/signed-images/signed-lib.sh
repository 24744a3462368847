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

# signed_execute: measure a little more, save and kexec.
signed_execute() {
	rig_measure 5 between
	rig_note at_execute_$(rig_stage) "$(rig_count)"
	rig_save stage$(rig_stage)
	rig_kexec_exec
}
