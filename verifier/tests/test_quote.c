// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Quote tests: TPMS_ATTEST and TPMT_SIGNATURE marshalled here by hand,
 * signed with keys made by OpenSSL for the test, and every check that
 * must reject: nonce, type, magic, key, signature, PCR digest.  The AK
 * public key as PEM, DER and TPM2B_PUBLIC (marshalled by libtss2-mu).
 */
#include <stdlib.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <tss2/tss2_mu.h>

#include "builder.h"
#include "testutil.h"

struct keys {
	EVP_PKEY *rsa, *rsa2, *ec;
};

struct quote {
	uint32_t magic;
	uint16_t type;
	const char *nonce;
	enum iv_alg hash;
	uint16_t sig_alg;
	EVP_PKEY *key;
	const struct iv_pcrs *vals;	/* digest made over these */
	struct tb msg, sig;
};

static const enum iv_alg sel_banks[] = { IV_ALG_SHA1, IV_ALG_SHA256 };
static const uint8_t sel_bits[3] = { 0x01, 0x04, 0x00 };	/* PCR 0, 10 */
static const unsigned int sel_pcrs[] = { 0, 10 };

static void be16(struct tb *t, uint16_t v)
{
	uint8_t b[2] = { v >> 8, v & 0xff };

	tb_put(t, b, 2);
}

static void be32(struct tb *t, uint32_t v)
{
	be16(t, v >> 16);
	be16(t, v & 0xffff);
}

static void be64(struct tb *t, uint64_t v)
{
	be32(t, (uint32_t)(v >> 32));
	be32(t, (uint32_t)v);
}

static void values(struct iv_pcrs *p, uint8_t seed)
{
	size_t a, k;

	memset(p, 0, sizeof(*p));
	for (a = 0; a < 2; a++) {
		p->bank[sel_banks[a]].present = true;
		for (k = 0; k < IV_PCR_COUNT; k++) {
			memset(p->bank[sel_banks[a]].val[k], (int)(seed + k + a),
			       IV_MAX_DIGEST);
			p->bank[sel_banks[a]].set[k] = true;
		}
	}
}

static void build_attest(struct quote *q)
{
	uint8_t cat[4 * IV_MAX_DIGEST], dig[IV_MAX_DIGEST];
	size_t a, k, n = 0, dlen;

	tb_init(&q->msg);
	be32(&q->msg, q->magic);
	be16(&q->msg, q->type);
	be16(&q->msg, 34);			/* qualifiedSigner */
	be16(&q->msg, 0x000b);
	tb_put(&q->msg, "0123456789abcdef0123456789abcdef", 32);
	be16(&q->msg, (uint16_t)(strlen(q->nonce) / 2));
	for (k = 0; k < strlen(q->nonce) / 2; k++) {
		unsigned int byte;

		sscanf(q->nonce + 2 * k, "%2x", &byte);
		tb_put(&q->msg, &(uint8_t){ (uint8_t)byte }, 1);
	}
	be64(&q->msg, 4647);			/* clock */
	be32(&q->msg, 0);			/* resetCount */
	be32(&q->msg, 1);			/* restartCount */
	tb_put(&q->msg, "\x01", 1);		/* safe */
	be64(&q->msg, 0x2019102300163636ULL);
	be32(&q->msg, 2);			/* TPML_PCR_SELECTION */
	for (a = 0; a < 2; a++) {
		be16(&q->msg, iv_alg_tpm_id(sel_banks[a]));
		tb_put(&q->msg, "\x03", 1);
		tb_put(&q->msg, sel_bits, 3);
		for (k = 0; k < 2; k++) {
			size_t sz = iv_alg_size(sel_banks[a]);

			memcpy(cat + n, q->vals->bank[sel_banks[a]].val[sel_pcrs[k]], sz);
			n += sz;
		}
	}
	tb_digest(iv_alg_name(q->hash), cat, n, dig, &dlen);
	be16(&q->msg, (uint16_t)dlen);
	tb_put(&q->msg, dig, dlen);
}

static void sign(struct quote *q)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx;
	uint8_t sig[1024];
	size_t len = sizeof(sig);

	assert_non_null(m);
	assert_int_equal(EVP_DigestSignInit(m, &pctx,
			EVP_get_digestbyname(iv_alg_name(q->hash)), NULL,
			q->key), 1);
	if (q->sig_alg == IV_TPM_ALG_RSAPSS) {
		EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
		EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
	}
	assert_int_equal(EVP_DigestSign(m, sig, &len, q->msg.p, q->msg.len), 1);
	EVP_MD_CTX_free(m);
	tb_init(&q->sig);
	be16(&q->sig, q->sig_alg);
	be16(&q->sig, iv_alg_tpm_id(q->hash));
	if (q->sig_alg == IV_TPM_ALG_ECDSA) {
		const uint8_t *p = sig;
		ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)len);
		uint8_t r[32], s[32];

		assert_non_null(es);
		BN_bn2binpad(ECDSA_SIG_get0_r(es), r, 32);
		BN_bn2binpad(ECDSA_SIG_get0_s(es), s, 32);
		ECDSA_SIG_free(es);
		be16(&q->sig, 32);
		tb_put(&q->sig, r, 32);
		be16(&q->sig, 32);
		tb_put(&q->sig, s, 32);
	} else {
		be16(&q->sig, (uint16_t)len);
		tb_put(&q->sig, sig, len);
	}
}

/* tpm2-tools "serialized": TPML_PCR_SELECTION + u32 + TPML_DIGEST, LE. */
static void serialized(struct tb *t, const struct iv_pcrs *vals,
		       uint8_t bits0)
{
	uint8_t sel[132] = { 0 }, dl[532] = { 0 };
	size_t a, k, n = 0;

	tb_init(t);
	sel[0] = 2;
	for (a = 0; a < 2; a++) {
		uint8_t *s = sel + 4 + 8 * a;

		s[0] = iv_alg_tpm_id(sel_banks[a]) & 0xff;
		s[2] = 3;
		memcpy(s + 3, sel_bits, 3);
		s[3] = a ? sel_bits[0] : bits0;
	}
	tb_put(t, sel, sizeof(sel));
	tb_u32(t, 1);
	dl[0] = 4;
	for (a = 0; a < 2; a++) {
		for (k = 0; k < 2; k++) {
			uint8_t *d = dl + 4 + 66 * n++;
			size_t sz = iv_alg_size(sel_banks[a]);

			d[0] = (uint8_t)sz;
			memcpy(d + 2, vals->bank[sel_banks[a]].val[sel_pcrs[k]], sz);
		}
	}
	tb_put(t, dl, sizeof(dl));
}

static int setup(void **state)
{
	struct keys *k = calloc(1, sizeof(*k));

	if (!k)
		return -1;
	k->rsa = EVP_RSA_gen(2048);
	k->rsa2 = EVP_RSA_gen(2048);
	k->ec = EVP_EC_gen("P-256");
	if (!k->rsa || !k->rsa2 || !k->ec)
		return -1;
	*state = k;
	return 0;
}

static int teardown(void **state)
{
	struct keys *k = *state;

	EVP_PKEY_free(k->rsa);
	EVP_PKEY_free(k->rsa2);
	EVP_PKEY_free(k->ec);
	free(k);
	return 0;
}

static void make(struct quote *q, EVP_PKEY *key, uint16_t sig_alg,
		 const struct iv_pcrs *vals)
{
	memset(q, 0, sizeof(*q));
	q->magic = IV_TPM_GENERATED_VALUE;
	q->type = IV_TPM_ST_ATTEST_QUOTE;
	q->nonce = "abc123";
	q->hash = IV_ALG_SHA256;
	q->sig_alg = sig_alg;
	q->key = key;
	q->vals = vals;
}

/* Verify @q with the AK @ak and nonce "abc123", optional PCR file. */
static int verify(struct quote *q, EVP_PKEY *ak, const struct tb *pcrfile,
		  const struct iv_pcrs *have, struct iv_pcrs *quoted,
		  struct iv_err *err)
{
	static const uint8_t nonce[] = { 0xab, 0xc1, 0x23 };
	struct iv_quote_in in = {
		.nonce = nonce, .nonce_len = sizeof(nonce), .ak = ak,
	};
	struct iv_quote res;

	if (!q->msg.p)
		build_attest(q);
	if (!q->sig.p)
		sign(q);
	in.msg = q->msg.p;
	in.msg_len = q->msg.len;
	in.sig = q->sig.p;
	in.sig_len = q->sig.len;
	if (pcrfile) {
		in.pcrs = pcrfile->p;
		in.pcrs_len = pcrfile->len;
	}
	return iv_quote_verify(&in, have, &res, quoted, err);
}

static void done(struct quote *q)
{
	tb_free(&q->msg);
	tb_free(&q->sig);
}

static void test_rsassa_values_given(void **state)
{
	struct keys *k = *state;
	struct iv_pcrs vals, quoted;
	struct iv_err err;
	struct quote q;

	values(&vals, 1);
	make(&q, k->rsa, IV_TPM_ALG_RSASSA, &vals);
	if (verify(&q, k->rsa, NULL, &vals, &quoted, &err))
		fail_msg("%s", err.msg);
	/* Only quoted PCRs come out. */
	assert_true(quoted.bank[IV_ALG_SHA256].set[10]);
	assert_true(quoted.bank[IV_ALG_SHA1].set[0]);
	assert_false(quoted.bank[IV_ALG_SHA256].set[11]);
	assert_memory_equal(quoted.bank[IV_ALG_SHA256].val[10],
			    vals.bank[IV_ALG_SHA256].val[10], 32);
	done(&q);
}

static void test_rsassa_serialized_file(void **state)
{
	struct keys *k = *state;
	struct iv_pcrs vals, none = { 0 }, quoted;
	struct iv_err err;
	struct quote q;
	struct tb f;

	values(&vals, 7);
	serialized(&f, &vals, sel_bits[0]);
	make(&q, k->rsa, IV_TPM_ALG_RSASSA, &vals);
	if (verify(&q, k->rsa, &f, &none, &quoted, &err))
		fail_msg("%s", err.msg);
	assert_memory_equal(quoted.bank[IV_ALG_SHA1].val[10],
			    vals.bank[IV_ALG_SHA1].val[10], 20);
	tb_free(&f);
	done(&q);
}

static void test_values_file(void **state)
{
	struct keys *k = *state;
	struct iv_pcrs vals, none = { 0 }, quoted;
	struct iv_err err;
	struct quote q;
	struct tb f;

	values(&vals, 9);
	tb_init(&f);
	tb_put(&f, vals.bank[IV_ALG_SHA1].val[0], 20);
	tb_put(&f, vals.bank[IV_ALG_SHA1].val[10], 20);
	tb_put(&f, vals.bank[IV_ALG_SHA256].val[0], 32);
	tb_put(&f, vals.bank[IV_ALG_SHA256].val[10], 32);
	make(&q, k->rsa, IV_TPM_ALG_RSASSA, &vals);
	if (verify(&q, k->rsa, &f, &none, &quoted, &err))
		fail_msg("%s", err.msg);
	/* One byte short is neither format. */
	f.len--;
	assert_int_equal(verify(&q, k->rsa, &f, &none, &quoted, &err), -1);
	assert_contains(err.msg, "neither the serialized format nor the values");
	tb_free(&f);
	done(&q);
}

static void test_ecdsa(void **state)
{
	struct keys *k = *state;
	struct iv_pcrs vals, quoted;
	struct iv_err err;
	struct quote q;

	values(&vals, 3);
	make(&q, k->ec, IV_TPM_ALG_ECDSA, &vals);
	if (verify(&q, k->ec, NULL, &vals, &quoted, &err))
		fail_msg("%s", err.msg);
	/* An ECDSA quote cannot be checked with an RSA key. */
	assert_int_equal(verify(&q, k->rsa, NULL, &vals, &quoted, &err), 1);
	assert_contains(err.msg, "signed with ecdsa but the AK public key is not EC");
	done(&q);
}

static void test_rsapss_sha384(void **state)
{
	struct keys *k = *state;
	struct iv_pcrs vals, quoted;
	struct iv_err err;
	struct quote q;

	values(&vals, 4);
	make(&q, k->rsa, IV_TPM_ALG_RSAPSS, &vals);
	q.hash = IV_ALG_SHA384;
	if (verify(&q, k->rsa, NULL, &vals, &quoted, &err))
		fail_msg("%s", err.msg);
	done(&q);
}

static void spoil_nonce(struct quote *q)
{
	q->nonce = "abc124";
}

static void spoil_type(struct quote *q)
{
	q->type = 0x8017;	/* TPM_ST_ATTEST_CERTIFY */
}

static void spoil_magic(struct quote *q)
{
	q->magic = 0x12345678;
}

static void spoil_message(struct quote *q)
{
	build_attest(q);
	sign(q);
	q->msg.p[50] ^= 1;	/* resetCount, after signing */
}

/* A quote spoiled one way, and what the verifier must say of it. */
static const struct {
	const char *name;
	void (*spoil)(struct quote *q);
	bool other_ak;		/* checked with a key that did not sign */
	const char *want;
} spoiled[] = {
	{ "nonce", spoil_nonce, false,
	  "nonce (extraData) abc124 does not match the expected nonce abc123" },
	{ "type", spoil_type, false,
	  "attestation type is 0x8017, not TPM_ST_ATTEST_QUOTE" },
	{ "magic", spoil_magic, false, "not TPM_GENERATED_VALUE" },
	{ "key", NULL, true, "signature does not verify" },
	{ "message", spoil_message, false, "signature does not verify" },
};

static void test_spoiled(void **state)
{
	struct keys *k = *state;
	struct iv_pcrs vals, quoted;
	struct iv_err err;
	struct quote q;
	size_t i;
	int rc;

	values(&vals, 1);
	for (i = 0; i < sizeof(spoiled) / sizeof(spoiled[0]); i++) {
		memset(&err, 0, sizeof(err));
		make(&q, k->rsa, IV_TPM_ALG_RSASSA, &vals);
		if (spoiled[i].spoil)
			spoiled[i].spoil(&q);
		rc = verify(&q, spoiled[i].other_ak ? k->rsa2 : k->rsa, NULL,
			    &vals, &quoted, &err);
		if (rc != 1 || !strstr(err.msg, spoiled[i].want))
			fail_msg("spoiled %s: got %d '%s', want 1 '%s'",
				 spoiled[i].name, rc, err.msg, spoiled[i].want);
		done(&q);
	}
}

static void test_wrong_pcr_digest(void **state)
{
	struct keys *k = *state;
	struct iv_pcrs vals, other, quoted;
	struct iv_err err;
	struct quote q;
	struct tb f;

	values(&vals, 1);
	values(&other, 1);
	other.bank[IV_ALG_SHA256].val[10][31] ^= 1;
	make(&q, k->rsa, IV_TPM_ALG_RSASSA, &vals);
	assert_int_equal(verify(&q, k->rsa, NULL, &other, &quoted, &err), 1);
	assert_contains(err.msg, "PCR digest does not match");
	serialized(&f, &other, sel_bits[0]);
	assert_int_equal(verify(&q, k->rsa, &f, &vals, &quoted, &err), 1);
	tb_free(&f);
	done(&q);
}

static void test_malformed(void **state)
{
	struct keys *k = *state;
	struct iv_pcrs vals, none = { 0 }, quoted;
	struct iv_err err;
	struct quote q;
	struct tb f;
	size_t len;

	values(&vals, 1);
	make(&q, k->rsa, IV_TPM_ALG_RSASSA, &vals);
	build_attest(&q);
	sign(&q);
	len = q.msg.len;
	for (q.msg.len = 0; q.msg.len < len; q.msg.len++)
		assert_int_equal(verify(&q, k->rsa, NULL, &vals, &quoted, &err), -1);
	tb_put(&q.msg, "x", 1);
	assert_int_equal(verify(&q, k->rsa, NULL, &vals, &quoted, &err), -1);
	assert_contains(err.msg, "1 trailing bytes");
	q.msg.len = len;
	/* PCR file selecting other PCRs than the quote. */
	serialized(&f, &vals, 0x02);
	assert_int_equal(verify(&q, k->rsa, &f, &none, &quoted, &err), -1);
	assert_contains(err.msg, "selection differs");
	tb_free(&f);
	/* No value at all for a quoted PCR. */
	vals.bank[IV_ALG_SHA1].set[0] = false;
	assert_int_equal(verify(&q, k->rsa, NULL, &vals, &quoted, &err), -1);
	assert_contains(err.msg, "quote selects sha1 PCR-00 but no value");
	/* Unknown signature scheme. */
	q.sig.p[1] = 0x1a;
	assert_int_equal(verify(&q, k->rsa, NULL, &vals, &quoted, &err), -1);
	assert_contains(err.msg, "unsupported algorithm 0x001a");
	done(&q);
}

/* The fields libtss2-mu unmarshalled, clock info above all. */
static void test_clock_info(void **state)
{
	struct keys *k = *state;
	struct iv_quote res = { 0 };
	struct iv_pcrs vals;
	struct iv_err err;
	struct quote q;

	values(&vals, 1);
	make(&q, k->rsa, IV_TPM_ALG_RSASSA, &vals);
	build_attest(&q);
	sign(&q);
	if (iv_quote_parse_attest(q.msg.p, q.msg.len, &res, &err) ||
	    iv_quote_parse_sig(q.sig.p, q.sig.len, &res, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(res.magic, IV_TPM_GENERATED_VALUE);
	assert_int_equal(res.type, IV_TPM_ST_ATTEST_QUOTE);
	assert_int_equal(res.extra_len, 3);
	assert_memory_equal(res.extra, "\xab\xc1\x23", 3);
	assert_int_equal(res.clock, 4647);
	assert_int_equal(res.reset_count, 0);
	assert_int_equal(res.restart_count, 1);
	assert_int_equal(res.safe, 1);
	assert_int_equal(res.firmware, 0x2019102300163636ULL);
	assert_int_equal(res.nsel, 2);
	assert_int_equal(res.sel[1].tpm_alg, 0x000b);
	assert_int_equal(res.sel[1].size, 3);
	assert_memory_equal(res.sel[1].bits, sel_bits, 3);
	assert_int_equal(res.pcr_digest_len, 32);
	assert_memory_equal(res.pcr_digest, q.msg.p + q.msg.len - 32, 32);
	assert_int_equal(res.sig_alg, IV_TPM_ALG_RSASSA);
	assert_int_equal(res.sig_hash, IV_ALG_SHA256);
	assert_int_equal(res.sig_len, 256);
	assert_ptr_equal(res.sig, q.sig.p + 6);
	done(&q);
}

/* What libtss2-mu refuses, and where the message says it stopped. */
static void test_unmarshal_errors(void **state)
{
	struct keys *k = *state;
	struct iv_quote res;
	struct iv_pcrs vals;
	struct iv_err err;
	struct quote q;
	size_t len;

	values(&vals, 1);
	make(&q, k->ec, IV_TPM_ALG_ECDSA, &vals);
	build_attest(&q);
	sign(&q);
	/* magic 4, type 2, qualifiedSigner 2 + 34, extraData 2 + 3 */
	assert_int_equal(iv_quote_parse_attest(q.msg.p, 50, &res, &err), -1);
	assert_contains(err.msg, "quote message: TPMS_ATTEST does not unmarshal (TSS2_MU_RC_INSUFFICIENT_BUFFER) at byte 47 (clockInfo)");
	/* ... clockInfo 17, firmwareVersion 8: the PCR selection at 72, 16 */
	len = q.msg.len;
	assert_int_equal(iv_quote_parse_attest(q.msg.p, 74, &res, &err), -1);
	assert_contains(err.msg, "at byte 72 (quote.pcrSelect)");
	q.msg.p[75] = 17;	/* count: more banks than TPM2_NUM_PCR_BANKS */
	assert_int_equal(iv_quote_parse_attest(q.msg.p, len, &res, &err), -1);
	assert_contains(err.msg, "(TSS2_SYS_RC_MALFORMED_RESPONSE) at byte 72 (quote.pcrSelect)");
	q.msg.p[75] = 2;
	assert_int_equal(iv_quote_parse_attest(q.msg.p, len - 1, &res, &err), -1);
	assert_contains(err.msg, "at byte 88 (quote.pcrDigest)");
	/* An attestation type libtss2-mu does not know: rejected by type. */
	q.msg.p[5] = 0x99;
	memset(&res, 0, sizeof(res));
	assert_int_equal(iv_quote_parse_attest(q.msg.p, len, &res, &err), 0);
	assert_int_equal(res.type, 0x8099);
	assert_int_equal(res.clock, 4647);
	q.msg.p[5] = 0x18;
	/* ECDSA: sigAlg, hash, r (2 + 32), s (2 + 32) */
	assert_int_equal(iv_quote_parse_sig(q.sig.p, q.sig.len, &res, &err), 0);
	assert_ptr_equal(res.ecc_r, q.sig.p + 6);
	assert_ptr_equal(res.ecc_s, q.sig.p + 40);
	assert_int_equal(res.ecc_s_len, 32);
	assert_int_equal(iv_quote_parse_sig(q.sig.p, q.sig.len - 1, &res, &err), -1);
	assert_contains(err.msg, "quote signature: TPMT_SIGNATURE does not unmarshal (TSS2_MU_RC_INSUFFICIENT_BUFFER) at byte 38 (signatureS)");
	assert_int_equal(iv_quote_parse_sig(q.sig.p, 3, &res, &err), -1);
	assert_contains(err.msg, "at byte 2 (hash)");
	tb_put(&q.sig, "xy", 2);
	assert_int_equal(iv_quote_parse_sig(q.sig.p, q.sig.len, &res, &err), -1);
	assert_contains(err.msg, "quote signature: 2 trailing bytes after the TPMT_SIGNATURE");
	done(&q);
}

/*
 * @pk as tpm2_createak -u writes it (TPM2B_PUBLIC), made with
 * libtss2-mu: RSA with modulus and exponent (0 if 65537, as TPMs do), or
 * an ECC point on P-256.
 */
static void tss_public(EVP_PKEY *pk, TPMA_OBJECT attrs, struct tb *out)
{
	TPM2B_PUBLIC pub = { 0 };
	TPMT_PUBLIC *t = &pub.publicArea;
	uint8_t buf[sizeof(pub)];
	BIGNUM *a = NULL, *b = NULL;
	size_t off = 0;

	t->nameAlg = TPM2_ALG_SHA256;
	t->objectAttributes = attrs;
	if (EVP_PKEY_get_base_id(pk) == EVP_PKEY_RSA) {
		t->type = TPM2_ALG_RSA;
		assert_int_equal(EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &a), 1);
		assert_int_equal(EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &b), 1);
		t->parameters.rsaDetail.symmetric.algorithm = TPM2_ALG_NULL;
		t->parameters.rsaDetail.scheme.scheme = TPM2_ALG_RSASSA;
		t->parameters.rsaDetail.scheme.details.rsassa.hashAlg = TPM2_ALG_SHA256;
		t->parameters.rsaDetail.keyBits = (TPMI_RSA_KEY_BITS)BN_num_bits(a);
		t->parameters.rsaDetail.exponent = BN_is_word(b, 65537) ? 0 :
			(UINT32)BN_get_word(b);
		t->unique.rsa.size = (UINT16)BN_bn2bin(a, t->unique.rsa.buffer);
	} else {
		t->type = TPM2_ALG_ECC;
		assert_int_equal(EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_EC_PUB_X, &a), 1);
		assert_int_equal(EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_EC_PUB_Y, &b), 1);
		t->parameters.eccDetail.symmetric.algorithm = TPM2_ALG_NULL;
		t->parameters.eccDetail.scheme.scheme = TPM2_ALG_ECDSA;
		t->parameters.eccDetail.scheme.details.ecdsa.hashAlg = TPM2_ALG_SHA256;
		t->parameters.eccDetail.curveID = TPM2_ECC_NIST_P256;
		t->parameters.eccDetail.kdf.scheme = TPM2_ALG_NULL;
		/* Without leading zeros: the verifier pads them back. */
		t->unique.ecc.x.size = (UINT16)BN_bn2bin(a, t->unique.ecc.x.buffer);
		t->unique.ecc.y.size = (UINT16)BN_bn2bin(b, t->unique.ecc.y.buffer);
	}
	BN_free(a);
	BN_free(b);
	assert_int_equal(Tss2_MU_TPM2B_PUBLIC_Marshal(&pub, buf, sizeof(buf), &off), 0);
	tb_init(out);
	tb_put(out, buf, off);
}

#define AK_ATTRS (TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_SIGN_ENCRYPT | \
		  TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | \
		  TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_USERWITHAUTH)

/* @pk as PEM or DER SubjectPublicKeyInfo. */
static void spki(EVP_PKEY *pk, bool pem, struct tb *out)
{
	uint8_t *der = NULL;
	char *p;
	long n;
	BIO *bio;
	int len;

	tb_init(out);
	if (!pem) {
		len = i2d_PUBKEY(pk, &der);
		assert_true(len > 0);
		tb_put(out, der, (size_t)len);
		OPENSSL_free(der);
		return;
	}
	bio = BIO_new(BIO_s_mem());
	assert_non_null(bio);
	assert_int_equal(PEM_write_bio_PUBKEY(bio, pk), 1);
	n = BIO_get_mem_data(bio, &p);
	tb_put(out, p, (size_t)n);
	BIO_free(bio);
}

/* A quote by @key checks out with its public key in every format. */
static void test_ak_formats(void **state)
{
	struct keys *k = *state;
	EVP_PKEY *keys[] = { k->rsa, k->ec };
	uint16_t algs[] = { IV_TPM_ALG_RSASSA, IV_TPM_ALG_ECDSA };
	struct iv_pcrs vals, quoted;
	struct iv_err err;
	struct quote q;
	struct tb f;
	size_t i, fmt;
	void *ak;

	values(&vals, 2);
	for (i = 0; i < 2; i++) {
		make(&q, keys[i], algs[i], &vals);
		for (fmt = 0; fmt < 3; fmt++) {
			if (fmt == 2)
				tss_public(keys[i], AK_ATTRS, &f);
			else
				spki(keys[i], fmt == 0, &f);
			ak = iv_quote_parse_ak(f.p, f.len, "ak", &err);
			if (!ak)
				fail_msg("key %zu format %zu: %s", i, fmt, err.msg);
			if (verify(&q, ak, NULL, &vals, &quoted, &err))
				fail_msg("key %zu format %zu: %s", i, fmt, err.msg);
			assert_int_equal(EVP_PKEY_eq(ak, keys[i]), 1);
			iv_quote_free_ak(ak);
			tb_free(&f);
		}
		done(&q);
	}
	/* Another key in TSS format: the signature does not verify. */
	make(&q, k->rsa, IV_TPM_ALG_RSASSA, &vals);
	tss_public(k->rsa2, AK_ATTRS, &f);
	ak = iv_quote_parse_ak(f.p, f.len, "ak", &err);
	assert_non_null(ak);
	assert_int_equal(verify(&q, ak, NULL, &vals, &quoted, &err), 1);
	assert_contains(err.msg, "signature does not verify");
	iv_quote_free_ak(ak);
	tb_free(&f);
	done(&q);
}

static void ak_refused(const struct tb *f, const char *want)
{
	struct iv_err err = { 0 };

	if (iv_quote_parse_ak(f->p, f->len, "ak.pub", &err))
		fail_msg("accepted, want '%s'", want);
	assert_contains(err.msg, want);
}

static void test_ak_refused(void **state)
{
	struct keys *k = *state;
	char want[160];
	struct tb f;

	/* An unrestricted key signs anything, a forged TPMS_ATTEST too. */
	tss_public(k->rsa, AK_ATTRS & ~TPMA_OBJECT_RESTRICTED, &f);
	ak_refused(&f, "ak.pub: TPM2B_PUBLIC: objectAttributes 0x00040072 lack restricted|sign");
	tb_free(&f);
	tss_public(k->ec, AK_ATTRS, &f);
	f.len--;
	snprintf(want, sizeof(want), "ak.pub: neither a PEM or DER public key nor a TPM2B_PUBLIC: TPM2B_PUBLIC does not unmarshal (TSS2_MU_RC_INSUFFICIENT_BUFFER), %zu bytes",
		 f.len);
	ak_refused(&f, want);
	f.len++;
	tb_put(&f, "", 1);
	ak_refused(&f, "ak.pub: 1 trailing bytes after the TPM2B_PUBLIC");
	f.len--;
	f.p[f.len - 1] ^= 1;	/* y: off the curve */
	ak_refused(&f, "ak.pub: TPM2B_PUBLIC: its ECC point is not on P-256");
	f.p[f.len - 1] ^= 1;
	f.p[19] = 0x20;		/* curveID (after 2 + 2 + 2 + 4 + 2 + 2 + 4): SM2 */
	ak_refused(&f, "ak.pub: TPM2B_PUBLIC: unsupported ECC curve 0x0020");
	tb_free(&f);
	spki(k->rsa, true, &f);
	f.p[40] ^= 0x20;	/* base64 of the key */
	ak_refused(&f, "ak.pub: not a PEM public key");
	tb_free(&f);
	spki(k->ec, false, &f);
	tb_put(&f, "", 1);
	ak_refused(&f, "ak.pub: 1 trailing bytes after the DER public key");
	tb_free(&f);
	tb_init(&f);
	ak_refused(&f, "ak.pub: empty, no public key");
	tb_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rsassa_values_given),
		cmocka_unit_test(test_rsassa_serialized_file),
		cmocka_unit_test(test_values_file),
		cmocka_unit_test(test_ecdsa),
		cmocka_unit_test(test_rsapss_sha384),
		cmocka_unit_test(test_spoiled),
		cmocka_unit_test(test_wrong_pcr_digest),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_clock_info),
		cmocka_unit_test(test_unmarshal_errors),
		cmocka_unit_test(test_ak_formats),
		cmocka_unit_test(test_ak_refused),
	};

	return cmocka_run_group_tests_name("quote", tests, setup, teardown);
}
