# Stage 1: IMA appraisal decides. Every image carries the CA's PE signature,
# so kexec's own check passes; only security.ima differs.
. /rig/scenario/signed-lib.sh
rig_expect "the rig's IMA key is on the .ima keyring" grep -q 'IMA kexec rig IMA key' /proc/keys
rig_measure 10 before
signed_image no-ima pe-signed none
signed_image foreign-ima pe-signed ima-foreign
# The IMA key's signature of another file: the digest does not match.
cp /rig/images/pe-signed /images/other-ima
setfattr -n security.ima -v 0x"$(cat /rig/images/pe-foreign.ima)" /images/other-ima
signed_image ima-signed pe-signed ima
signed_refused "an image without an IMA signature" /images/no-ima "Permission denied"
signed_refused "an image IMA-signed by a foreign key" /images/foreign-ima "Permission denied"
signed_refused "an image with another file's IMA signature" /images/other-ima "Permission denied"
rig_note ima_refused "$SIGNED_REFUSED"
rig_expect_eq "the kernel named the foreign key as unknown to .ima" \
	"$(dmesg | grep -c "Request for unknown key .* in '.ima' keyring")" 1
signed_accepted "an image IMA-signed by the .ima key" /images/ima-signed
signed_execute
