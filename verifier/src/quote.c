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
 * TPMS_ATTEST, TPMT_SIGNATURE and the AK's TPM2B_PUBLIC are unmarshalled
 * by libtss2-mu, as tpm2-tools does; the AK may also be PEM or DER.
 *
 * Checks, in order: magic, type (tpm2_checkquote skips this one), nonce
 * in extraData, signature by the AK, and the PCR digest over the values.
 */
#define _GNU_SOURCE		/* memmem() */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <tss2/tss2_mu.h>

#include "imaverify.h"

/* tpm2-tools' structs as laid out by gcc on x86 (see file comment). */
#define SER_SEL_SIZE	8	/* TPMS_PCR_SELECTION: 2 + 1 + 4, pad 1 */
#define SER_SEL_LEN	(4 + IV_TPM_NUM_BANKS * SER_SEL_SIZE)	/* 132 */
#define SER_DIG_SIZE	(2 + IV_MAX_DIGEST)	/* TPM2B_DIGEST */
#define SER_DIG_MAX	8	/* TPML_DIGEST holds 8 digests */
#define SER_DIG_LEN	(4 + SER_DIG_MAX * SER_DIG_SIZE)	/* 532 */

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

/*
 * The name of a libtss2-mu return code, as tss2_common.h spells it; a
 * list or a selection too long for its array comes back from the SYS
 * layer as a malformed response.
 */
struct rc_name {
	char s[48];
};

static const char *mu_rc_name(TSS2_RC rc, struct rc_name *n)
{
	switch (rc) {
	case TSS2_MU_RC_BAD_REFERENCE:
		return "TSS2_MU_RC_BAD_REFERENCE";
	case TSS2_MU_RC_BAD_SIZE:
		return "TSS2_MU_RC_BAD_SIZE";
	case TSS2_MU_RC_BAD_VALUE:
		return "TSS2_MU_RC_BAD_VALUE";
	case TSS2_MU_RC_INSUFFICIENT_BUFFER:
		return "TSS2_MU_RC_INSUFFICIENT_BUFFER";
	case TSS2_SYS_RC_MALFORMED_RESPONSE:
		return "TSS2_SYS_RC_MALFORMED_RESPONSE";
	default:
		snprintf(n->s, sizeof(n->s), "TSS2_RC 0x%08x", rc);
		return n->s;
	}
}

/*
 * libtss2-mu says only that a structure does not unmarshal, not where:
 * walk its fields one by one, each unmarshalled by libtss2-mu, and the
 * offset where one fails (offsets move only on success) is the answer.
 */
struct mu_walk {
	const uint8_t *p;
	size_t len;
	size_t off;
	TSS2_RC rc;
	const char *field;		/* the one that failed */
};

#define WALK(w, type, name, dest)					\
	((w)->rc ? (w)->rc :						\
	 ((w)->rc = Tss2_MU_##type##_Unmarshal((w)->p, (w)->len,	\
						&(w)->off, (dest)),	\
	  (w)->field = (name), (w)->rc))

/* TPMS_ATTEST up to firmwareVersion, then TPMS_QUOTE_INFO if a quote. */
static void walk_attest(struct mu_walk *w, TPMS_ATTEST *a)
{
	memset(a, 0, sizeof(*a));
	WALK(w, UINT32, "magic", &a->magic);
	WALK(w, TPM2_ST, "type", &a->type);
	WALK(w, TPM2B_NAME, "qualifiedSigner", &a->qualifiedSigner);
	WALK(w, TPM2B_DATA, "extraData", &a->extraData);
	WALK(w, TPMS_CLOCK_INFO, "clockInfo", &a->clockInfo);
	WALK(w, UINT64, "firmwareVersion", &a->firmwareVersion);
	if (w->rc || a->type != TPM2_ST_ATTEST_QUOTE)
		return;
	WALK(w, TPML_PCR_SELECTION, "quote.pcrSelect",
	     &a->attested.quote.pcrSelect);
	WALK(w, TPM2B_DIGEST, "quote.pcrDigest",
	     &a->attested.quote.pcrDigest);
}

static void attest_header(const TPMS_ATTEST *a, struct iv_quote *q)
{
	q->magic = a->magic;
	q->type = a->type;
	q->extra_len = a->extraData.size;
	memcpy(q->extra, a->extraData.buffer, a->extraData.size);
	q->clock = a->clockInfo.clock;
	q->reset_count = a->clockInfo.resetCount;
	q->restart_count = a->clockInfo.restartCount;
	q->safe = a->clockInfo.safe;
	q->firmware = a->firmwareVersion;
}

_Static_assert(IV_TPM_NUM_BANKS == TPM2_NUM_PCR_BANKS, "PCR banks");
_Static_assert(IV_TPM_SELECT_MAX == TPM2_PCR_SELECT_MAX, "PCR select");
_Static_assert(sizeof(((struct iv_quote *)0)->extra) >=
	       sizeof(((TPM2B_DATA *)0)->buffer), "extraData");
_Static_assert(sizeof(((struct iv_quote *)0)->pcr_digest) >=
	       sizeof(((TPM2B_DIGEST *)0)->buffer), "pcrDigest");

int iv_quote_parse_attest(const uint8_t *p, size_t len, struct iv_quote *q,
			  struct iv_err *err)
{
	struct mu_walk w = { .p = p, .len = len };
	const TPML_PCR_SELECTION *sel;
	struct rc_name rn;
	TPMS_ATTEST a = { 0 };
	size_t off = 0;
	TSS2_RC rc;
	uint32_t i;

	assert(p && q && err);
	rc = Tss2_MU_TPMS_ATTEST_Unmarshal(p, len, &off, &a);
	if (rc || a.type != TPM2_ST_ATTEST_QUOTE) {
		/*
		 * Another attestation type (or none) has another body, which
		 * verify rejects by its type: only the header must be whole.
		 */
		walk_attest(&w, &a);
		if (w.rc)
			return iv_fail(err, "quote message: TPMS_ATTEST does not unmarshal (%s) at byte %zu (%s)",
				       mu_rc_name(w.rc, &rn), w.off, w.field);
		if (a.type == TPM2_ST_ATTEST_QUOTE)	/* cannot happen */
			return iv_fail(err, "quote message: TPMS_ATTEST does not unmarshal (%s)",
				       mu_rc_name(rc, &rn));
		attest_header(&a, q);
		return 0;
	}
	if (off != len)
		return iv_fail(err, "quote message: %zu trailing bytes after the TPMS_ATTEST",
			       len - off);
	attest_header(&a, q);
	sel = &a.attested.quote.pcrSelect;
	q->nsel = sel->count;
	for (i = 0; i < sel->count; i++) {
		if (sel->pcrSelections[i].sizeofSelect > IV_TPM_SELECT_MAX)
			return iv_fail(err, "quote message: PCR select size %u, at most %d",
				       sel->pcrSelections[i].sizeofSelect,
				       IV_TPM_SELECT_MAX);
		q->sel[i].tpm_alg = sel->pcrSelections[i].hash;
		q->sel[i].size = sel->pcrSelections[i].sizeofSelect;
		memcpy(q->sel[i].bits, sel->pcrSelections[i].pcrSelect,
		       q->sel[i].size);
	}
	q->pcr_digest_len = a.attested.quote.pcrDigest.size;
	memcpy(q->pcr_digest, a.attested.quote.pcrDigest.buffer,
	       q->pcr_digest_len);
	return 0;
}

/* Where the signature's fields stop, for the error message. */
static void walk_sig(struct mu_walk *w, TPMT_SIGNATURE *s)
{
	TPM2B_ECC_PARAMETER *r = &s->signature.ecdsa.signatureR;

	memset(s, 0, sizeof(*s));
	WALK(w, UINT16, "sigAlg", &s->sigAlg);
	WALK(w, UINT16, "hash", &s->signature.any.hashAlg);
	if (s->sigAlg == TPM2_ALG_ECDSA) {
		WALK(w, TPM2B_ECC_PARAMETER, "signatureR", r);
		WALK(w, TPM2B_ECC_PARAMETER, "signatureS",
		     &s->signature.ecdsa.signatureS);
	} else {
		WALK(w, TPM2B_PUBLIC_KEY_RSA, "sig", &s->signature.rsassa.sig);
	}
}

/*
 * The struct keeps pointers into the input (the RSA signature, r, s):
 * the layout is fixed once libtss2-mu has accepted it, sigAlg and hash
 * (2 + 2) then each TPM2B's size (2) before its bytes.
 */
int iv_quote_parse_sig(const uint8_t *p, size_t len, struct iv_quote *q,
		       struct iv_err *err)
{
	struct mu_walk w = { .p = p, .len = len };
	TPMT_SIGNATURE s = { 0 };
	struct rc_name rn;
	size_t off = 0;
	uint16_t hash;
	TSS2_RC rc;
	int alg;

	assert(p && q && err);
	/* The scheme first: an unknown one is not a malformed structure. */
	if (!Tss2_MU_UINT16_Unmarshal(p, len, &off, &q->sig_alg) &&
	    q->sig_alg != IV_TPM_ALG_RSASSA && q->sig_alg != IV_TPM_ALG_RSAPSS &&
	    q->sig_alg != IV_TPM_ALG_ECDSA)
		return iv_fail(err, "quote signature: unsupported algorithm 0x%04x (need rsassa, rsapss or ecdsa)",
			       q->sig_alg);
	off = 0;
	rc = Tss2_MU_TPMT_SIGNATURE_Unmarshal(p, len, &off, &s);
	if (rc) {
		walk_sig(&w, &s);
		if (!w.rc)	/* cannot happen */
			w.rc = rc, w.field = "TPMT_SIGNATURE", w.off = 0;
		return iv_fail(err, "quote signature: TPMT_SIGNATURE does not unmarshal (%s) at byte %zu (%s)",
			       mu_rc_name(w.rc, &rn), w.off, w.field);
	}
	if (off != len)
		return iv_fail(err, "quote signature: %zu trailing bytes after the TPMT_SIGNATURE",
			       len - off);
	if (s.sigAlg == TPM2_ALG_ECDSA) {
		hash = s.signature.ecdsa.hash;
		q->ecc_r_len = s.signature.ecdsa.signatureR.size;
		q->ecc_s_len = s.signature.ecdsa.signatureS.size;
		q->ecc_r = p + 6;
		q->ecc_s = p + 6 + q->ecc_r_len + 2;
	} else {
		hash = s.signature.rsassa.hash;
		q->sig_len = s.signature.rsassa.sig.size;
		q->sig = p + 6;
	}
	alg = iv_alg_by_tpm_id(hash);
	if (alg < 0)
		return iv_fail(err, "quote signature: unsupported hash 0x%04x", hash);
	q->sig_hash = (enum iv_alg)alg;
	return 0;
}

#define AK_FILE_MAX	65536

/* RSA: modulus and exponent (0 means 2^16 + 1, Part 2 12.2.3.5). */
static EVP_PKEY *rsa_pkey(const TPMT_PUBLIC *pub, OSSL_PARAM_BLD *bld,
			  const char *src, struct iv_err *err)
{
	const TPM2B_PUBLIC_KEY_RSA *n = &pub->unique.rsa;
	uint32_t e = pub->parameters.rsaDetail.exponent;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pk = NULL;
	OSSL_PARAM *params = NULL;
	BIGNUM *bn_n, *bn_e;

	if (!n->size) {
		iv_fail(err, "%s: TPM2B_PUBLIC: RSA key without a modulus", src);
		return NULL;
	}
	bn_n = BN_bin2bn(n->buffer, n->size, NULL);
	bn_e = BN_new();
	if (bn_n && bn_e && BN_set_word(bn_e, e ? e : 65537) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e))
		params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) != 1)
		iv_fail(err, "%s: TPM2B_PUBLIC: OpenSSL does not take its RSA key", src);
	OSSL_PARAM_free(params);
	EVP_PKEY_CTX_free(ctx);
	BN_free(bn_n);
	BN_free(bn_e);
	return pk;
}

/* ECC: the curve, and the point as an uncompressed octet string. */
static EVP_PKEY *ecc_pkey(const TPMT_PUBLIC *pub, OSSL_PARAM_BLD *bld,
			  const char *src, struct iv_err *err)
{
	static const struct {
		TPM2_ECC_CURVE id;
		const char *name;
		size_t bytes;
	} curves[] = {
		{ TPM2_ECC_NIST_P192, "P-192", 24 },
		{ TPM2_ECC_NIST_P224, "P-224", 28 },
		{ TPM2_ECC_NIST_P256, "P-256", 32 },
		{ TPM2_ECC_NIST_P384, "P-384", 48 },
		{ TPM2_ECC_NIST_P521, "P-521", 66 },
	};
	const TPMS_ECC_POINT *pt = &pub->unique.ecc;
	TPM2_ECC_CURVE id = pub->parameters.eccDetail.curveID;
	uint8_t oct[1 + 2 * 66] = { 0x04 };
	EVP_PKEY_CTX *ctx = NULL, *chk = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY *pk = NULL;
	size_t i, fs;

	for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (curves[i].id == id)
			break;
	if (i == sizeof(curves) / sizeof(curves[0])) {
		iv_fail(err, "%s: TPM2B_PUBLIC: unsupported ECC curve 0x%04x (need NIST P-192 to P-521)",
			src, id);
		return NULL;
	}
	fs = curves[i].bytes;
	if (pt->x.size > fs || pt->y.size > fs) {
		iv_fail(err, "%s: TPM2B_PUBLIC: ECC point coordinates of %u and %u bytes on %s",
			src, pt->x.size, pt->y.size, curves[i].name);
		return NULL;
	}
	/* Coordinates are big endian and may come without leading zeros. */
	memcpy(oct + 1 + fs - pt->x.size, pt->x.buffer, pt->x.size);
	memcpy(oct + 1 + 2 * fs - pt->y.size, pt->y.buffer, pt->y.size);
	if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					    curves[i].name, 0) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					     oct, 1 + 2 * fs))
		params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) != 1) {
		iv_fail(err, "%s: TPM2B_PUBLIC: its ECC point is not on %s",
			src, curves[i].name);
	} else {
		chk = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL);
		if (!chk || EVP_PKEY_public_check(chk) != 1) {
			iv_fail(err, "%s: TPM2B_PUBLIC: its ECC point is not on %s",
				src, curves[i].name);
			EVP_PKEY_free(pk);
			pk = NULL;
		}
	}
	EVP_PKEY_CTX_free(chk);
	OSSL_PARAM_free(params);
	EVP_PKEY_CTX_free(ctx);
	return pk;
}

/*
 * tpm2_createak -u, tpm2_readpublic -o ("tss", their default format):
 * a marshalled TPM2B_PUBLIC.  Only a restricted signing key is an AK:
 * the TPM signs with it no data that begins with TPM_GENERATED_VALUE
 * but its own attestations, while an unrestricted key signs anything,
 * a forged TPMS_ATTEST too.
 */
static EVP_PKEY *tss_pkey(const uint8_t *p, size_t len, const char *src,
			  struct iv_err *err)
{
	const TPMA_OBJECT need = TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_SIGN_ENCRYPT;
	TPM2B_PUBLIC pub = { 0 };
	struct rc_name rn;
	OSSL_PARAM_BLD *bld;
	EVP_PKEY *pk = NULL;
	size_t off = 0;
	TSS2_RC rc;

	rc = Tss2_MU_TPM2B_PUBLIC_Unmarshal(p, len, &off, &pub);
	if (rc) {
		iv_fail(err, "%s: neither a PEM or DER public key nor a TPM2B_PUBLIC: TPM2B_PUBLIC does not unmarshal (%s), %zu bytes",
			src, mu_rc_name(rc, &rn), len);
		return NULL;
	}
	if (off != len) {
		iv_fail(err, "%s: %zu trailing bytes after the TPM2B_PUBLIC",
			src, len - off);
		return NULL;
	}
	if ((pub.publicArea.objectAttributes & need) != need) {
		iv_fail(err, "%s: TPM2B_PUBLIC: objectAttributes 0x%08x lack restricted|sign: not an attestation key, its signature does not show that a TPM made the quote",
			src, pub.publicArea.objectAttributes);
		return NULL;
	}
	bld = OSSL_PARAM_BLD_new();
	if (!bld) {
		iv_fail(err, "out of memory");
		return NULL;
	}
	if (pub.publicArea.type == TPM2_ALG_RSA)
		pk = rsa_pkey(&pub.publicArea, bld, src, err);
	else if (pub.publicArea.type == TPM2_ALG_ECC)
		pk = ecc_pkey(&pub.publicArea, bld, src, err);
	else
		iv_fail(err, "%s: TPM2B_PUBLIC: key type 0x%04x, not RSA or ECC",
			src, pub.publicArea.type);
	OSSL_PARAM_BLD_free(bld);
	return pk;
}

/*
 * By content: PEM (a "-----BEGIN" line), DER (a SEQUENCE, 0x30), else a
 * TPM2B_PUBLIC, whose size field could start with 0x30 only for 12 KiB
 * or more, far above any TPMT_PUBLIC.
 */
void *iv_quote_parse_ak(const uint8_t *p, size_t len, const char *src,
			struct iv_err *err)
{
	const uint8_t *der = p;
	EVP_PKEY *pk;
	BIO *bio;

	assert((p || !len) && src && err);
	if (!len) {
		iv_fail(err, "%s: empty, no public key", src);
		return NULL;
	}
	if (memmem(p, len, "-----BEGIN", 10)) {
		bio = BIO_new_mem_buf(p, (int)len);
		pk = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
		BIO_free(bio);
		if (!pk)
			iv_fail(err, "%s: not a PEM public key", src);
		return pk;
	}
	if (p[0] == 0x30) {
		pk = d2i_PUBKEY(NULL, &der, (long)len);
		if (!pk)
			iv_fail(err, "%s: not a DER public key", src);
		else if (der != p + len) {
			iv_fail(err, "%s: %zu trailing bytes after the DER public key",
				src, (size_t)(p + len - der));
			EVP_PKEY_free(pk);
			pk = NULL;
		}
		return pk;
	}
	return tss_pkey(p, len, src, err);
}

void *iv_quote_load_ak(const char *path, struct iv_err *err)
{
	uint8_t *buf;
	size_t len;
	void *pk;

	assert(path && err);
	if (iv_read_file(path, AK_FILE_MAX, &buf, &len, err))
		return NULL;
	pk = iv_quote_parse_ak(buf, len, path, err);
	free(buf);
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
