rig_host_check() {
	expect_replay stage1
	host_expect "IMA ran in TPM-bypass mode in stage 2" \
		grep -q "No TPM chip found, activating TPM-bypass" "$WS/console.log"
	host_expect_eq "stage 2: the outcome" "$(note handover_2)" \
		"result=intact;restored=$(($(note at_execute_1) + 1));dropped=0;tpm=not_checked;tpm_reason=no_tpm;"
	host_expect_eq "stage 3: the outcome" "$(note handover_3)" \
		"result=intact;restored=$(($(note at_execute_2) + 1));dropped=0;tpm=not_checked;tpm_reason=disabled;"
}
