# Stage 2: kexec's PE signature check decides (sig_enforce). Every image
# carries a valid IMA signature of its own bytes; only the PE signature
# differs.
. /rig/scenario/signed-lib.sh
rig_expect_handover $(($(rig_stage) - 1))
signed_image pe-unsigned pe-unsigned ima
signed_image pe-foreign pe-foreign ima
signed_image pe-signed pe-signed ima
signed_refused "a bzImage without a PE signature" /images/pe-unsigned "No data available"
signed_refused "a bzImage PE-signed by a foreign key" /images/pe-foreign "Required key not available"
rig_note pe_refused "$SIGNED_REFUSED"
rig_expect_eq "the kernel logged both enforced refusals" \
	"$(dmesg | grep -c 'Enforced kernel signature verification failed')" 2
signed_accepted "a bzImage PE-signed by the builtin CA" /images/pe-signed
signed_execute
