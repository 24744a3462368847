rig_host_check() {
	host_expect "kunit: ima_kexec reports no failed case" \
		grep -qE '# ima_kexec: pass:[1-9][0-9]* fail:0 ' "$WS/console.log"
	host_expect "kunit: $MUTATIONS mutated handovers went through" \
		grep -qE "# ima_kexec_test_mutations: $MUTATIONS mutated handovers" "$WS/console.log"
}
