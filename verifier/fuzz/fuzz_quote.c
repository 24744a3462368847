// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: a quote, through the calls the tool's quote check
 * makes (verify.c check_quote()): the AK public key from its bytes
 * (iv_quote_parse_ak(), which --ak-pub reads a file into), then
 * iv_quote_verify() on TPMS_ATTEST, TPMT_SIGNATURE, nonce and PCR file;
 * then the report of what it left.  A mutated message fails its
 * signature, so the PCR file is also read against every quote that
 * parses, as iv_quote_verify() does after the signature.
 *
 * Input: u8 nonce length, nonce, then u16 (big endian) length and bytes
 * of the message, the signature and the AK, and the rest the PCR file
 * (none if empty: then sha1 and sha256 values derived from the nonce).
 * Build: clang -fsanitize=fuzzer,address,undefined (see the Makefile).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imaverify.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* libtss2-mu warns on stderr of what the error message says. */
	setenv("TSS2_LOG", "all+none", 0);
	return 0;
}

struct cut {
	const uint8_t *p;
	size_t len;
};

static bool take(const uint8_t **p, size_t *left, size_t lenlen,
		 struct cut *c)
{
	size_t n;

	if (*left < lenlen)
		return false;
	n = lenlen == 1 ? (*p)[0] : (size_t)(*p)[0] << 8 | (*p)[1];
	*p += lenlen;
	*left -= lenlen;
	if (*left < n)
		return false;
	c->p = *p;
	c->len = n;
	*p += n;
	*left -= n;
	return true;
}

static void report(const struct iv_ctx *ctx)
{
	FILE *null = fopen("/dev/null", "w");

	if (!null)
		return;
	iv_report_text(ctx, null);
	iv_report_json(ctx, null);
	fclose(null);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct iv_ctx ctx;
	static struct iv_pcrs have, quoted, file;
	struct iv_quote_in in = { 0 };
	struct cut nonce, msg, sig, ak;
	struct iv_quote q;
	struct iv_err err;
	const uint8_t *p = data;
	size_t left = size;
	unsigned int k;
	int ret;

	if (!take(&p, &left, 1, &nonce) || nonce.len > 64 ||
	    !take(&p, &left, 2, &msg) || !take(&p, &left, 2, &sig) ||
	    !take(&p, &left, 2, &ak))
		return 0;
	iv_ctx_init(&ctx);
	memset(&have, 0, sizeof(have));
	for (k = 0; k < IV_PCR_COUNT; k++) {
		have.bank[IV_ALG_SHA1].set[k] = true;
		have.bank[IV_ALG_SHA256].set[k] = true;
		have.bank[IV_ALG_SHA256].val[k][0] =
			nonce.len ? nonce.p[k % nonce.len] : 0;
	}
	have.bank[IV_ALG_SHA1].present = true;
	have.bank[IV_ALG_SHA256].present = true;
	in.msg = msg.p;
	in.msg_len = msg.len;
	in.sig = sig.p;
	in.sig_len = sig.len;
	in.nonce = nonce.p;
	in.nonce_len = nonce.len;
	in.pcrs = left ? p : NULL;
	in.pcrs_len = left;
	in.ak = iv_quote_parse_ak(ak.p, ak.len, "fuzz", &ctx.err);
	if (in.ak) {
		ctx.have_quote = true;
		ret = iv_quote_verify(&in, &have, &ctx.quote, &quoted,
				      &ctx.err);
		if (!ret != ctx.quote.verified)
			__builtin_trap();
		ctx.status = ret > 0 ? IV_NOT_VERIFIED : ret ? IV_ERROR :
			     IV_VERIFIED;
		if (ret > 0) {
			ctx.why.cause = IV_CAUSE_QUOTE;
			snprintf(ctx.why.text, sizeof(ctx.why.text), "%s",
				 ctx.err.msg);
		}
		iv_quote_free_ak(in.ak);
	} else if (!ctx.err.msg[0]) {
		__builtin_trap();
	}
	report(&ctx);
	/* What follows the signature, on every quote that parses. */
	memset(&q, 0, sizeof(q));
	if (in.pcrs && !iv_quote_parse_attest(msg.p, msg.len, &q, &err) &&
	    q.type == IV_TPM_ST_ATTEST_QUOTE) {
		memset(&file, 0, sizeof(file));
		iv_quote_read_pcrs(in.pcrs, in.pcrs_len, &q, &file, &err);
	}
	iv_ctx_free(&ctx);
	return 0;
}
