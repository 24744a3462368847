// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TPM 2.0 quote check, interoperable with tpm2-tools 5.4:
 *	tpm2_quote -c ak.ctx -l sha256:10 -q NONCE -g sha256 \
 *		-m quote.msg -s quote.sig -o quote.pcrs
 * quote.msg is a marshalled TPMS_ATTEST, quote.sig a marshalled
 * TPMT_SIGNATURE (both big endian, TPM 2.0 Part 2).  quote.pcrs is the
 * "serialized" default of -F: the in-memory TPML_PCR_SELECTION, a u32
 * count and that many TPML_DIGEST, little endian, with x86 struct padding;
 * the "values" format (plain concatenated digests) is accepted as well.
 *
 * Checks, in order: magic, type (tpm2_checkquote skips this one), nonce
 * in extraData, signature by the AK, and the PCR digest over the values.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "imaverify.h"

/* tpm2-tools' structs as laid out by gcc on x86 (see file comment). */
#define SER_SEL_SIZE	8	/* TPMS_PCR_SELECTION: 2 + 1 + 4, pad 1 */
#define SER_SEL_LEN	(4 + IV_TPM_NUM_BANKS * SER_SEL_SIZE)	/* 132 */
#define SER_DIG_SIZE	(2 + IV_MAX_DIGEST)	/* TPM2B_DIGEST */
#define SER_DIG_MAX	8	/* TPML_DIGEST holds 8 digests */
#define SER_DIG_LEN	(4 + SER_DIG_MAX * SER_DIG_SIZE)	/* 532 */

struct cursor {
	const uint8_t *p;
	size_t len;
	size_t pos;
	bool bad;
};

static const uint8_t *take(struct cursor *c, size_t n)
{
	const uint8_t *p;

	if (c->bad || c->len - c->pos < n) {
		c->bad = true;
		return NULL;
	}
	p = c->p + c->pos;
	c->pos += n;
	return p;
}

static uint8_t take_u8(struct cursor *c)
{
	const uint8_t *p = take(c, 1);

	return p ? p[0] : 0;
}

static uint16_t take_u16(struct cursor *c)
{
	const uint8_t *p = take(c, 2);

	return p ? iv_get_be16(p) : 0;
}

static uint32_t take_u32(struct cursor *c)
{
	const uint8_t *p = take(c, 4);

	return p ? iv_get_be32(p) : 0;
}

static uint64_t take_u64(struct cursor *c)
{
	const uint8_t *p = take(c, 8);

	return p ? iv_get_be64(p) : 0;
}

/* A TPM2B: u16 size, then bytes; sizes above @max are malformed. */
static const uint8_t *take_2b(struct cursor *c, uint16_t *size, size_t max)
{
	*size = take_u16(c);
	if (*size > max)
		c->bad = true;
	return take(c, *size);
}

const char *iv_sig_alg_name(uint16_t alg)
{
	switch (alg) {
	case IV_TPM_ALG_RSASSA:
		return "rsassa";
	case IV_TPM_ALG_RSAPSS:
		return "rsapss";
	case IV_TPM_ALG_ECDSA:
		return "ecdsa";
	default:
		return "unknown";
	}
}

int iv_quote_parse_attest(const uint8_t *p, size_t len, struct iv_quote *q,
			  struct iv_err *err)
{
	struct cursor c = { .p = p, .len = len };
	const uint8_t *b;
	uint16_t n;
	uint32_t i;

	assert(p && q && err);
	q->magic = take_u32(&c);
	q->type = take_u16(&c);
	take_2b(&c, &n, 2 + IV_MAX_DIGEST + 2);	/* qualifiedSigner */
	b = take_2b(&c, &q->extra_len, sizeof(q->extra));
	if (b)
		memcpy(q->extra, b, q->extra_len);
	q->clock = take_u64(&c);
	q->reset_count = take_u32(&c);
	q->restart_count = take_u32(&c);
	q->safe = take_u8(&c);
	q->firmware = take_u64(&c);
	if (c.bad)
		return iv_fail(err, "quote message: truncated TPMS_ATTEST header (%zu bytes)",
			       len);
	/* Other attestation types have other bodies; verify rejects them. */
	if (q->type != IV_TPM_ST_ATTEST_QUOTE)
		return 0;
	q->nsel = take_u32(&c);
	if (q->nsel > IV_TPM_NUM_BANKS)
		return iv_fail(err, "quote message: %u PCR selections, at most %d",
			       q->nsel, IV_TPM_NUM_BANKS);
	for (i = 0; i < q->nsel; i++) {
		q->sel[i].tpm_alg = take_u16(&c);
		q->sel[i].size = take_u8(&c);
		if (q->sel[i].size > IV_TPM_SELECT_MAX)
			return iv_fail(err, "quote message: PCR select size %u, at most %d",
				       q->sel[i].size, IV_TPM_SELECT_MAX);
		b = take(&c, q->sel[i].size);
		if (b)
			memcpy(q->sel[i].bits, b, q->sel[i].size);
	}
	b = take_2b(&c, &q->pcr_digest_len, sizeof(q->pcr_digest));
	if (b)
		memcpy(q->pcr_digest, b, q->pcr_digest_len);
	if (c.bad)
		return iv_fail(err, "quote message: truncated or malformed TPMS_QUOTE_INFO at byte %zu",
			       c.pos);
	if (c.pos != len)
		return iv_fail(err, "quote message: %zu trailing bytes", len - c.pos);
	return 0;
}

int iv_quote_parse_sig(const uint8_t *p, size_t len, struct iv_quote *q,
		       struct iv_err *err)
{
	struct cursor c = { .p = p, .len = len };
	uint16_t hash;
	int alg;

	assert(p && q && err);
	q->sig_alg = take_u16(&c);
	hash = take_u16(&c);
	switch (q->sig_alg) {
	case IV_TPM_ALG_RSASSA:
	case IV_TPM_ALG_RSAPSS:
		q->sig = take_2b(&c, &q->sig_len, 1024);
		break;
	case IV_TPM_ALG_ECDSA:
		q->ecc_r = take_2b(&c, &q->ecc_r_len, 128);
		q->ecc_s = take_2b(&c, &q->ecc_s_len, 128);
		break;
	default:
		return iv_fail(err, "quote signature: unsupported algorithm 0x%04x (need rsassa, rsapss or ecdsa)",
			       q->sig_alg);
	}
	if (c.bad)
		return iv_fail(err, "quote signature: truncated or malformed TPMT_SIGNATURE");
	if (c.pos != len)
		return iv_fail(err, "quote signature: %zu trailing bytes", len - c.pos);
	alg = iv_alg_by_tpm_id(hash);
	if (alg < 0)
		return iv_fail(err, "quote signature: unsupported hash 0x%04x", hash);
	q->sig_hash = (enum iv_alg)alg;
	return 0;
}

void *iv_quote_load_ak(const char *path, struct iv_err *err)
{
	EVP_PKEY *pk;
	BIO *bio;

	assert(path && err);
	bio = BIO_new_file(path, "r");
	if (!bio) {
		iv_fail(err, "%s: cannot open AK public key", path);
		return NULL;
	}
	pk = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!pk)
		iv_fail(err, "%s: not a PEM public key", path);
	return pk;
}

void iv_quote_free_ak(void *ak)
{
	EVP_PKEY_free(ak);
}

/* TPM ECDSA signatures are raw r and s; OpenSSL verifies DER. */
static int ecdsa_der(const struct iv_quote *q, uint8_t **der, size_t *len)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r, *s;
	int n;

	if (!sig)
		return -1;
	r = BN_bin2bn(q->ecc_r, q->ecc_r_len, NULL);
	s = BN_bin2bn(q->ecc_s, q->ecc_s_len, NULL);
	if (!r || !s || !ECDSA_SIG_set0(sig, r, s)) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(sig);
		return -1;
	}
	*der = NULL;
	n = i2d_ECDSA_SIG(sig, der);
	ECDSA_SIG_free(sig);
	if (n <= 0)
		return -1;
	*len = (size_t)n;
	return 0;
}

static int verify_signature(const struct iv_quote_in *in,
			    const struct iv_quote *q, struct iv_err *err)
{
	EVP_PKEY *pk = in->ak;
	EVP_PKEY_CTX *pctx = NULL;
	EVP_MD_CTX *mctx;
	const uint8_t *sig = q->sig;
	uint8_t *der = NULL;
	size_t sig_len = q->sig_len;
	bool rsa = q->sig_alg != IV_TPM_ALG_ECDSA;
	int ok;

	if (EVP_PKEY_get_base_id(pk) != (rsa ? EVP_PKEY_RSA : EVP_PKEY_EC))
		return iv_reject(err, "quote signed with %s but the AK public key is not %s",
				 iv_sig_alg_name(q->sig_alg), rsa ? "RSA" : "EC");
	if (!rsa) {
		if (ecdsa_der(q, &der, &sig_len))
			return iv_reject(err, "quote ECDSA signature is malformed");
		sig = der;
	}
	mctx = EVP_MD_CTX_new();
	ok = mctx && EVP_DigestVerifyInit(mctx, &pctx,
			EVP_get_digestbyname(iv_alg_name(q->sig_hash)), NULL,
			pk) == 1;
	if (ok && q->sig_alg == IV_TPM_ALG_RSASSA)
		ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) > 0;
	if (ok && q->sig_alg == IV_TPM_ALG_RSAPSS)
		ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
		     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) > 0;
	if (ok)
		ok = EVP_DigestVerify(mctx, sig, sig_len, in->msg,
				      in->msg_len) == 1;
	EVP_MD_CTX_free(mctx);
	OPENSSL_free(der);
	if (!ok)
		return iv_reject(err, "quote signature does not verify with the AK public key");
	return 0;
}

static bool selected(const struct iv_quote_sel *s, unsigned int pcr)
{
	return pcr / 8 < s->size && (s->bits[pcr / 8] >> (pcr % 8) & 1);
}

static int sel_alg(const struct iv_quote_sel *s, struct iv_err *err)
{
	int alg = iv_alg_by_tpm_id(s->tpm_alg);

	if (alg < 0)
		return iv_fail(err, "quote selects unsupported PCR bank 0x%04x",
			       s->tpm_alg);
	return alg;
}

/* The "values" format: digests back to back in selection order. */
static int read_values(const uint8_t *p, size_t len, const struct iv_quote *q,
		       struct iv_pcrs *out, struct iv_err *err)
{
	size_t pos = 0;
	uint32_t i;
	unsigned int k;
	int alg;

	for (i = 0; i < q->nsel; i++) {
		alg = sel_alg(&q->sel[i], err);
		if (alg < 0)
			return -1;
		for (k = 0; k < IV_PCR_COUNT; k++) {
			size_t n = iv_alg_size((enum iv_alg)alg);

			if (!selected(&q->sel[i], k))
				continue;
			if (len - pos < n)
				return iv_fail(err, "quote PCR file: %zu bytes is neither the serialized format nor the values the quote selects",
					       len);
			if (iv_pcrs_set(out, (enum iv_alg)alg, k, p + pos,
					"quote PCR file", err))
				return -1;
			pos += n;
		}
	}
	if (pos != len)
		return iv_fail(err, "quote PCR file: %zu bytes is neither the serialized format nor the values the quote selects",
			       len);
	return 0;
}

static bool same_selection(const uint8_t *p, const struct iv_quote *q)
{
	uint32_t i;

	if (iv_get_le32(p) != q->nsel)
		return false;
	for (i = 0; i < q->nsel; i++) {
		const uint8_t *s = p + 4 + i * SER_SEL_SIZE;
		unsigned int k;

		if (iv_get_le16(s) != q->sel[i].tpm_alg || s[2] > IV_TPM_SELECT_MAX)
			return false;
		for (k = 0; k < IV_TPM_SELECT_MAX * 8; k++) {
			bool f = k / 8 < s[2] && (s[3 + k / 8] >> (k % 8) & 1);

			if (f != (k < IV_PCR_COUNT && selected(&q->sel[i], k)))
				return false;
		}
	}
	return true;
}

/*
 * The serialized format: TPML_PCR_SELECTION (132 bytes), u32 n, then n
 * TPML_DIGEST (532 bytes each) whose digests, in order, are the selected
 * PCRs bank by bank, lowest index first (tpm2_quote reads them with
 * TPM2_PCR_Read, up to 8 per call).
 */
static int read_serialized(const uint8_t *p, size_t len,
			   const struct iv_quote *q, struct iv_pcrs *out,
			   struct iv_err *err)
{
	uint32_t nlist = iv_get_le32(p + SER_SEL_LEN), i, j = 0, d = 0;
	const uint8_t *list = p + SER_SEL_LEN + 4;
	unsigned int k;
	int alg;

	if ((len - SER_SEL_LEN - 4) / SER_DIG_LEN != nlist)
		return iv_fail(err, "quote PCR file: digest list count %u does not match the file size",
			       nlist);
	for (i = 0; i < q->nsel; i++) {
		alg = sel_alg(&q->sel[i], err);
		if (alg < 0)
			return -1;
		for (k = 0; k < IV_PCR_COUNT; k++) {
			const uint8_t *dig;
			size_t n = iv_alg_size((enum iv_alg)alg);

			if (!selected(&q->sel[i], k))
				continue;
			/* Next digest: skip to the next TPML_DIGEST if needed. */
			while (j < nlist && d >= iv_get_le32(list + j * SER_DIG_LEN)) {
				j++;
				d = 0;
			}
			if (j == nlist)
				return iv_fail(err, "quote PCR file: fewer digests than the quote selects");
			if (iv_get_le32(list + j * SER_DIG_LEN) > SER_DIG_MAX)
				return iv_fail(err, "quote PCR file: digest list %u has more than %d digests",
					       j, SER_DIG_MAX);
			dig = list + j * SER_DIG_LEN + 4 + d * SER_DIG_SIZE;
			if (iv_get_le16(dig) != n)
				return iv_fail(err, "quote PCR file: %s PCR-%02u digest is %u bytes, expected %zu",
					       iv_alg_name((enum iv_alg)alg), k,
					       iv_get_le16(dig), n);
			if (iv_pcrs_set(out, (enum iv_alg)alg, k, dig + 2,
					"quote PCR file", err))
				return -1;
			d++;
		}
	}
	for (; j < nlist; j++, d = 0)
		if (d < iv_get_le32(list + j * SER_DIG_LEN))
			return iv_fail(err, "quote PCR file: more digests than the quote selects");
	return 0;
}

int iv_quote_read_pcrs(const uint8_t *p, size_t len, const struct iv_quote *q,
		       struct iv_pcrs *out, struct iv_err *err)
{
	assert(p && q && out && err);
	if (len >= SER_SEL_LEN + 4 + SER_DIG_LEN &&
	    (len - SER_SEL_LEN - 4) % SER_DIG_LEN == 0) {
		if (!same_selection(p, q))
			return iv_fail(err, "quote PCR file: its PCR selection differs from the quote's");
		return read_serialized(p, len, q, out, err);
	}
	return read_values(p, len, q, out, err);
}

/* pcrDigest = H_sig(selected PCR values in selection order). */
static int pcr_digest(const struct iv_quote *q, const struct iv_pcrs *vals,
		      uint8_t *out, struct iv_err *err)
{
	uint8_t *buf;
	size_t pos = 0;
	uint32_t i;
	unsigned int k;
	int alg, ret;

	buf = malloc((size_t)IV_TPM_NUM_BANKS * IV_PCR_COUNT * IV_MAX_DIGEST);
	if (!buf)
		return iv_fail(err, "out of memory");
	for (i = 0; i < q->nsel; i++) {
		alg = sel_alg(&q->sel[i], err);
		if (alg < 0)
			goto fail;
		for (k = 0; k < IV_PCR_COUNT; k++) {
			const struct iv_bank *b = &vals->bank[alg];
			size_t n = iv_alg_size((enum iv_alg)alg);

			if (!selected(&q->sel[i], k))
				continue;
			if (!b->set[k]) {
				iv_fail(err, "quote selects %s PCR-%02u but no value was given for it",
					iv_alg_name((enum iv_alg)alg), k);
				goto fail;
			}
			memcpy(buf + pos, b->val[k], n);
			pos += n;
		}
	}
	ret = iv_hash(q->sig_hash, buf, pos, out);
	free(buf);
	return ret ? iv_fail(err, "hash failed") : 0;
fail:
	free(buf);
	return -1;
}

int iv_quote_verify(const struct iv_quote_in *in, const struct iv_pcrs *have,
		    struct iv_quote *q, struct iv_pcrs *quoted,
		    struct iv_err *err)
{
	uint8_t calc[IV_MAX_DIGEST];
	char a[2 * 64 + 1], b[2 * 64 + 1];
	const struct iv_pcrs *vals = have;
	uint32_t i;
	int ret;

	assert(in && in->msg && in->sig && in->ak && have && q && quoted && err);
	memset(q, 0, sizeof(*q));
	memset(quoted, 0, sizeof(*quoted));
	if (iv_quote_parse_attest(in->msg, in->msg_len, q, err) ||
	    iv_quote_parse_sig(in->sig, in->sig_len, q, err))
		return -1;
	if (q->magic != IV_TPM_GENERATED_VALUE)
		return iv_reject(err, "quote magic is 0x%08x, not TPM_GENERATED_VALUE: not made by a TPM",
				 q->magic);
	if (q->type != IV_TPM_ST_ATTEST_QUOTE)
		return iv_reject(err, "attestation type is 0x%04x, not TPM_ST_ATTEST_QUOTE",
				 q->type);
	if (q->extra_len != in->nonce_len ||
	    memcmp(q->extra, in->nonce, in->nonce_len)) {
		iv_hex(q->extra, q->extra_len, a);
		iv_hex(in->nonce, in->nonce_len > 64 ? 64 : in->nonce_len, b);
		return iv_reject(err, "quote nonce (extraData) %s does not match the expected nonce %s: replayed or foreign quote",
				 q->extra_len ? a : "(empty)", b);
	}
	ret = verify_signature(in, q, err);
	if (ret)
		return ret;
	if (q->pcr_digest_len != iv_alg_size(q->sig_hash))
		return iv_reject(err, "quote PCR digest is %u bytes, not a %s digest",
				 q->pcr_digest_len, iv_alg_name(q->sig_hash));
	if (in->pcrs) {
		if (iv_quote_read_pcrs(in->pcrs, in->pcrs_len, q, quoted, err))
			return -1;
		vals = quoted;
	}
	if (pcr_digest(q, vals, calc, err))
		return -1;
	if (memcmp(calc, q->pcr_digest, q->pcr_digest_len))
		return iv_reject(err, "quote PCR digest does not match the PCR values given");

	/* Only quoted values are authenticated: keep just those. */
	if (vals == have) {
		for (i = 0; i < q->nsel; i++) {
			int alg = iv_alg_by_tpm_id(q->sel[i].tpm_alg);
			unsigned int k;

			for (k = 0; k < IV_PCR_COUNT; k++)
				if (selected(&q->sel[i], k) &&
				    iv_pcrs_set(quoted, (enum iv_alg)alg, k,
						have->bank[alg].val[k],
						"quote", err))
					return -1;
		}
	}
	q->verified = true;
	return 0;
}
