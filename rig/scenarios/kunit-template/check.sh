rig_host_check() {
	host_expect "kunit: ima_kexec reports no failed case" \
		grep -qE '# ima_kexec: pass:[1-9][0-9]* fail:0 ' "$WS/console.log"
}
