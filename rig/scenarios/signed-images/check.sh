# The images the guest tries, made from the signed kernel: PE-signed by the
# rig CA (trusted), by a foreign key, or not at all; each with its IMA
# signature as a hex file, <image>.ima by the IMA key and
# <image>.ima-foreign by the foreign key. The IMA certificate goes where
# the kernel looks for it, in a cpio appended to the initramfs.
rig_host_prepare() {
	local images=$share/images keys=$KEYS_DIR image root
	[ -f "$keys/ima.der" ] || { echo "no keys in $keys; build the signed kernel" >&2; return 1; }
	mkdir -p "$images"
	cp "$KERNEL_signed" "$images/pe-unsigned"
	sbsign --key "$keys/ca.key" --cert "$keys/ca.pem" \
		--output "$images/pe-signed" "$images/pe-unsigned" >/dev/null &&
	sbsign --key "$keys/foreign.key" --cert "$keys/foreign.pem" \
		--output "$images/pe-foreign" "$images/pe-unsigned" >/dev/null ||
		{ echo "sbsign failed" >&2; return 1; }
	for image in pe-unsigned pe-signed pe-foreign; do
		signed_ima_sig "$images/$image" foreign ima-foreign &&
		signed_ima_sig "$images/$image" ima ima || return 1
	done
	root=$WS/keys-cpio
	mkdir -p "$root/etc/keys"
	cp "$keys/ima.der" "$root/etc/keys/x509_ima.der"
	(cd "$root" && find . | sort | cpio -o -H newc --quiet | gzip) >>"$share/initramfs.cpio.gz"
}

# signed_ima_sig IMAGE KEY SUFFIX: evmctl's security.ima value for IMAGE
# signed by KEY, as hex in IMAGE.SUFFIX.
signed_ima_sig() {
	evmctl ima_sign --sigfile --hashalgo sha256 --key "$KEYS_DIR/$2.key" "$1" >/dev/null ||
		{ echo "evmctl ima_sign $1 with $2 failed" >&2; return 1; }
	od -An -v -tx1 "$1.sig" | tr -d ' \n' >"$1.$3"
	rm -f "$1.sig"
}

rig_host_check() {
	local k intact=0
	for k in 1 2 3; do
		expect_replay stage$k
	done
	for k in 2 3; do
		case "$(note handover_$k)" in
		"result=intact;"*) intact=$((intact + 1)) ;;
		esac
	done
	host_expect_eq "images refused by IMA appraisal" "$(note ima_refused)" 3
	host_expect_eq "images refused by the PE signature check" "$(note pe_refused)" 2
	host_expect_eq "signed kexecs with an intact handover" "$intact" 2
	HOST_SUMMARY="refused $(note ima_refused) by IMA, $(note pe_refused) by sig_enforce; $intact signed kexecs handed over intact lists"
}
