#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make-keys.sh DIR: the signing keys of the signed-image scenario, made once.
#   ca       built into the signed kernel (CONFIG_SYSTEM_TRUSTED_KEYS); signs
#            kexec images as PE files (sbsign) and the IMA certificate
#   ima      on the .ima keyring (signed by ca); signs images with evmctl
#   foreign  trusted by nobody: its signatures must be refused

set -eu
. "$(dirname "$0")/lib.sh"

dir=${1:?usage: $0 DIR}
[ -d "$dir" ] && exit 0
need openssl openssl
# Made aside and renamed into place: DIR is complete or absent.
mkdir -p "$(dirname "$dir")"
tmp=$(mktemp -d "$dir.new.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/ext.cnf" <<'CNF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

selfsigned() {
	openssl req -new -x509 -newkey rsa:2048 -nodes -sha256 -days 36500 \
		-subj "/CN=$2" -keyout "$tmp/$1.key" -out "$tmp/$1.pem" \
		-config "$tmp/ext.cnf" -extensions ca 2>/dev/null
}
selfsigned ca "IMA kexec rig CA"
selfsigned foreign "IMA kexec rig foreign key"
openssl req -new -newkey rsa:2048 -nodes -sha256 -subj "/CN=IMA kexec rig IMA key" \
	-keyout "$tmp/ima.key" -out "$tmp/ima.csr" -config /dev/null 2>/dev/null
openssl x509 -req -in "$tmp/ima.csr" -sha256 -days 36500 -set_serial 2 \
	-CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" \
	-extfile "$tmp/ext.cnf" -extensions leaf -out "$tmp/ima.pem" 2>/dev/null
openssl x509 -in "$tmp/ima.pem" -outform DER -out "$tmp/ima.der"
openssl verify -CAfile "$tmp/ca.pem" "$tmp/ima.pem" >/dev/null ||
	die "the IMA certificate does not chain to the rig CA"
rm -f "$tmp/ima.csr" "$tmp/ext.cnf"
# Shared by every clone (lib.sh): another run may have made them first.
if ! mv -T "$tmp" "$dir" 2>/dev/null; then
	[ -f "$dir/ca.pem" ] || die "could not move the keys into $dir"
	exit 0
fi
log "signing keys made in $dir"
