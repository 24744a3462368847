# Stage 2: the baseline checks, then a quote of PCR 10 in both banks by an
# attestation key, with a nonce the host chose.
. /rig/scenario/baseline-stage2.sh
export TPM2TOOLS_TCTI=device:/dev/tpmrm0
q=/rig/out/quote
mkdir -p $q
cd /tmp
rig_expect "tpm2_createek" tpm2_createek -c ek.ctx -G rsa -u ek.pub
rig_expect "tpm2_createak" tpm2_createak -C ek.ctx -c ak.ctx -G rsa -g sha256 -s rsassa \
	-u ak.pub -f pem -n ak.name
cp ak.pub $q/ak.pem
# PCRs are read with the quote; the list is read after it, so it holds all
# the quote covers.
rig_expect "tpm2_quote sha1:10+sha256:10" tpm2_quote -c ak.ctx -l sha1:10+sha256:10 \
	-q "$(cat /rig/scenario/nonce)" -m $q/quote.msg -s $q/quote.sig -o $q/quote.pcrs -g sha256
cat $IMA/binary_runtime_measurements >$q/binary_runtime_measurements
