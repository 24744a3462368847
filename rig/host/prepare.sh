# SPDX-License-Identifier: GPL-2.0
# The host's preparations of the shared folder before the guest boots,
# named in a scenario's PREPARE as "<name> <args>" and run as
# prepare_<name>. Sourced by run-scenario.sh, which provides WS and share.

# nonce: a fresh one for the guest's quote (step quote, check quote).
prepare_nonce() {
	head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$share/scenario/nonce"
}

# selftest: the series' kselftest, from the work tree (step kselftest).
prepare_selftest() {
	mkdir -p "$share/scenario/selftest"
	cp "$TREE"/tools/testing/selftests/kexec/{test_kexec_ima_handover.sh,kexec_common_lib.sh} \
		"$share/scenario/selftest/"
}

# signed_images: the images the guest tries (steps image, load_refused,
# load_accepted), made from the signed kernel: PE-signed by the rig CA
# (trusted), by a foreign key, or not at all; each with its IMA signature
# as hex, <image>.ima by the IMA key and <image>.ima-foreign by the
# foreign key. The IMA certificate goes where the kernel looks for it, in
# a cpio appended to the initramfs.
prepare_signed_images() {
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
		ima_sig_hex "$images/$image" foreign ima-foreign &&
		ima_sig_hex "$images/$image" ima ima || return 1
	done
	root=$WS/keys-cpio
	mkdir -p "$root/etc/keys"
	cp "$keys/ima.der" "$root/etc/keys/x509_ima.der"
	(cd "$root" && find . | sort | cpio -o -H newc --quiet | gzip) >>"$share/initramfs.cpio.gz"
}

# initramfs_parts: parts/ of the shared folder, an initramfs made of three
# parts as operators build it (rig/host/mkinitramfs-parts.sh: microcode
# cpio, the rig's userspace as zstd, a modules cpio as gzip), the parts,
# their concatenation and one cut in its last part.
prepare_initramfs_parts() {
	"$RIG_ROOT/rig/host/mkinitramfs-parts.sh" "$share/parts" "$share/initramfs.cpio.gz" >/dev/null
}

# ima_sig_hex IMAGE KEY SUFFIX: evmctl's security.ima value for IMAGE
# signed by KEY, as hex in IMAGE.SUFFIX.
ima_sig_hex() {
	evmctl ima_sign --sigfile --hashalgo sha256 --key "$KEYS_DIR/$2.key" "$1" >/dev/null ||
		{ echo "evmctl ima_sign $1 with $2 failed" >&2; return 1; }
	od -An -v -tx1 "$1.sig" | tr -d ' \n' >"$1.$3"
	rm -f "$1.sig"
}

# nonce_service: the attestation service's side of step attest, while the
# guest runs: each request the guest leaves in out/attest/NAME.request is
# answered at once with a fresh nonce in out/attest/NAME.nonce; the host
# keeps its own copy in $WS/nonces/NAME (check attest uses that one).
# Ends once the guest is gone (the host has begun reading its stages),
# with run-scenario.sh, or after TIMEOUT; not a job the harness waits for.
prepare_nonce_service() {
	local parent=$$
	mkdir -p "$share/out/attest" "$WS/nonces"
	(
		end=$(($(date +%s) + TIMEOUT))
		while kill -0 "$parent" 2>/dev/null && [ "$(date +%s)" -lt "$end" ] &&
			[ ! -e "$WS/stage1.ktap" ]; do
			for req in "$share"/out/attest/*.request; do
				[ -e "$req" ] || continue
				name=$(basename "$req" .request)
				[ ! -e "$WS/nonces/$name" ] || continue
				head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WS/nonces/$name"
				cp "$WS/nonces/$name" "$share/out/attest/$name.nonce.tmp"
				mv "$share/out/attest/$name.nonce.tmp" "$share/out/attest/$name.nonce"
			done
			sleep 0.2
		done
	) </dev/null >/dev/null 2>&1 &
	disown $!
}
