. "$share/scenario/baseline-check.sh"

# Let the guest quote with a fresh nonce.
head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$share/scenario/nonce"

rig_host_check() {
	baseline_host_check
	local q=$OUT/quote
	host_expect "the quote verifies against the AK, nonce and replayed list" \
		"$VERIFIER" --quote-msg "$q/quote.msg" --quote-sig "$q/quote.sig" \
		--ak-pub "$q/ak.pem" --nonce "$(cat "$share/scenario/nonce")" \
		--quote-pcrs "$q/quote.pcrs" "$q/binary_runtime_measurements"
}
