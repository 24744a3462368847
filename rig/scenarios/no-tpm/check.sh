rig_host_check() {
	host_expect "IMA ran in TPM-bypass mode" \
		grep -q "No TPM chip found, activating TPM-bypass" "$WS/console.log"
	host_expect_eq "the outcome" "$(note handover)" \
		"result=intact;restored=$(($(note at_execute_1) + 1));dropped=0;tpm=not_checked;tpm_reason=no_tpm;"
}
