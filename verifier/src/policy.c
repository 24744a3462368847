// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Runtime policy: is what the covered entries measured allowed?
 *
 * The replay proves that the list is what the TPM holds; it says nothing
 * of what was measured.  A policy does: allowed digests per path,
 * excludes, ima-buf names (and digests), keyrings, and keys for ima-sig
 * signatures.  Two formats, told apart by the first byte that is not
 * white space ('{': JSON):
 *
 *  - Keylime's runtime policy (keylime/ima/types.py RuntimePolicyType,
 *    meta.version 1): digests {path: [hex]}, excludes [regex], keyrings
 *    {name: [hex]}, ima-buf {name: [hex]}, ima {ignored_keyrings,
 *    log_hash_alg, dm_policy}, verification-keys (a string holding JSON
 *    {keyring: "{\"pubkeys\": [base64 DER], \"keyids\": [n]}"}).
 *    Digests are compared as hex, whatever the algorithm, as Keylime does.
 *    Excludes are anchored at the start, as Python's re.match().
 *  - lines: digest <alg>:<hex> <path> | exclude <path-prefix> |
 *    exclude-regex <re> | ima-buf <name> [<alg>:<hex>] | key <file>.
 *
 * Judging is streamed with the replay: one call per entry, a violation
 * kept per entry that fails, nothing else per entry.  Which entries count
 * is known only at the end (the prefix the PCRs cover), so iv_policy_
 * finish() drops what came after it.
 */
#include <assert.h>
#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "imaverify.h"

#define JSON_DEPTH_MAX	64
#define RULE_ALG_MAX	24
#define PATH_KEEP_MAX	4096		/* of a path kept with a violation */
#define LINE_MAX_LEN	(64 * 1024)
#define VERDICT_SHOWN	3		/* violations named on the verdict line */

struct iv_policy_rule {
	char *name;			/* path, ima-buf or keyring name */
	uint32_t name_len;
	char alg[RULE_ALG_MAX];		/* "": any (Keylime: hex alone) */
	uint8_t d[IV_MAX_DIGEST];
	uint8_t dlen;			/* 0: any digest (an ima-buf name) */
};

struct iv_policy_key {
	EVP_PKEY *pk;
	uint32_t id;			/* SHA-1 of the public key (evmctl) */
	uint32_t skid;			/* the certificate's SKID (kernel) */
	bool has_skid;
};

/*
 * Arrays grow to the next power of two, so no capacity is kept: room for
 * element @n is made when n is 0 or a power of two of at least 16.
 */
static int grow(void **arr, size_t n, size_t size)
{
	size_t cap;
	void *p;

	if (n && (n < 16 || (n & (n - 1))))
		return 0;
	cap = n ? 2 * n : 16;
	if (cap > SIZE_MAX / size)
		return -1;
	p = realloc(*arr, cap * size);
	if (!p)
		return -1;
	*arr = p;
	return 0;
}

static int oom(struct iv_policy *p, struct iv_err *err)
{
	return iv_fail(err, "policy %s: out of memory", p->name);
}

static void note(struct iv_policy *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct iv_policy *p, const char *fmt, ...)
{
	va_list ap;

	if (grow((void **)&p->notes, p->nnotes, sizeof(*p->notes)))
		return;
	va_start(ap, fmt);
	vsnprintf(p->notes[p->nnotes++], sizeof(*p->notes), fmt, ap);
	va_end(ap);
}

/* ---- a small JSON reader: a tree, depth and size bounded ---- */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype t;
	size_t off;			/* byte offset, for messages */
	char *s;			/* J_STR decoded, J_NUM as written */
	size_t len;			/* J_STR bytes, J_ARR/J_OBJ members */
	struct jval *v;			/* items, or the members' values */
	char **k;			/* J_OBJ: the members' keys */
	bool b;
};

struct jparser {
	const char *p;
	size_t len, pos;
	unsigned int depth;
	const char *name;
	struct iv_err *err;
};

static void jfree(struct jval *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; (v->t == J_ARR || v->t == J_OBJ) && i < v->len; i++) {
		jfree(&v->v[i]);
		if (v->t == J_OBJ)
			free(v->k[i]);
	}
	free(v->v);
	free(v->k);
	free(v->s);
	memset(v, 0, sizeof(*v));
}

static int jerr(struct jparser *j, const char *what)
{
	if (j->pos >= j->len)
		return iv_fail(j->err, "policy %s: JSON ends early: %s",
			       j->name, what);
	return iv_fail(j->err, "policy %s: JSON byte offset %zu: %s",
		       j->name, j->pos, what);
}

static void jws(struct jparser *j)
{
	while (j->pos < j->len && (j->p[j->pos] == ' ' || j->p[j->pos] == '\t' ||
				   j->p[j->pos] == '\n' || j->p[j->pos] == '\r'))
		j->pos++;
}

static int hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int ju4(struct jparser *j, unsigned int *out)
{
	unsigned int v = 0;
	int i, d;

	if (j->len - j->pos < 4)
		return jerr(j, "truncated \\u escape");
	for (i = 0; i < 4; i++) {
		d = hexdigit(j->p[j->pos + (size_t)i]);
		if (d < 0)
			return jerr(j, "bad \\u escape");
		v = v << 4 | (unsigned int)d;
	}
	j->pos += 4;
	*out = v;
	return 0;
}

/* At the opening quote; a decoded copy in @out, NUL terminated. */
static int jstring(struct jparser *j, char **out, size_t *olen)
{
	size_t start = ++j->pos, n = 0, cap;
	char *s;

	/* Decoded, it is never longer than as written. */
	while (j->pos < j->len && j->p[j->pos] != '"')
		j->pos += j->p[j->pos] == '\\' ? 2 : 1;
	if (j->pos >= j->len)
		return jerr(j, "unterminated string");
	cap = j->pos - start + 1;
	j->pos = start;
	s = malloc(cap);
	if (!s)
		return iv_fail(j->err, "policy %s: out of memory", j->name);
	while (j->p[j->pos] != '"') {
		unsigned char c = (unsigned char)j->p[j->pos++];
		unsigned int u, lo;

		if (c < 0x20) {
			j->pos--;
			free(s);
			return jerr(j, "control character in a string");
		}
		if (c != '\\') {
			s[n++] = (char)c;
			continue;
		}
		c = (unsigned char)j->p[j->pos++];
		switch (c) {
		case '"': case '\\': case '/':
			s[n++] = (char)c;
			break;
		case 'b': s[n++] = '\b'; break;
		case 'f': s[n++] = '\f'; break;
		case 'n': s[n++] = '\n'; break;
		case 'r': s[n++] = '\r'; break;
		case 't': s[n++] = '\t'; break;
		case 'u':
			if (ju4(j, &u))
				goto fail;
			if (u >= 0xd800 && u < 0xdc00) {
				if (j->len - j->pos < 6 || j->p[j->pos] != '\\' ||
				    j->p[j->pos + 1] != 'u') {
					jerr(j, "unpaired surrogate");
					goto fail;
				}
				j->pos += 2;
				if (ju4(j, &lo))
					goto fail;
				if (lo < 0xdc00 || lo > 0xdfff) {
					jerr(j, "unpaired surrogate");
					goto fail;
				}
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
			} else if (u >= 0xdc00 && u < 0xe000) {
				jerr(j, "unpaired surrogate");
				goto fail;
			}
			/* UTF-8 of a \u escape (6 or 12 bytes) fits in them. */
			if (u < 0x80) {
				s[n++] = (char)u;
			} else if (u < 0x800) {
				s[n++] = (char)(0xc0 | u >> 6);
				s[n++] = (char)(0x80 | (u & 0x3f));
			} else if (u < 0x10000) {
				s[n++] = (char)(0xe0 | u >> 12);
				s[n++] = (char)(0x80 | (u >> 6 & 0x3f));
				s[n++] = (char)(0x80 | (u & 0x3f));
			} else {
				s[n++] = (char)(0xf0 | u >> 18);
				s[n++] = (char)(0x80 | (u >> 12 & 0x3f));
				s[n++] = (char)(0x80 | (u >> 6 & 0x3f));
				s[n++] = (char)(0x80 | (u & 0x3f));
			}
			break;
		default:
			j->pos -= 2;	/* at the backslash */
			jerr(j, "bad escape in a string");
			goto fail;
		}
	}
	j->pos++;
	s[n] = '\0';
	*out = s;
	*olen = n;
	return 0;
fail:
	free(s);
	return -1;
}

static int jnumber(struct jparser *j, struct jval *v)
{
	size_t start = j->pos;

	if (j->p[j->pos] == '-')
		j->pos++;
	if (j->pos >= j->len || j->p[j->pos] < '0' || j->p[j->pos] > '9')
		return jerr(j, "bad number");
	if (j->p[j->pos] == '0')
		j->pos++;
	else
		while (j->pos < j->len && j->p[j->pos] >= '0' &&
		       j->p[j->pos] <= '9')
			j->pos++;
	if (j->pos < j->len && j->p[j->pos] == '.') {
		j->pos++;
		if (j->pos >= j->len || j->p[j->pos] < '0' || j->p[j->pos] > '9')
			return jerr(j, "bad number");
		while (j->pos < j->len && j->p[j->pos] >= '0' &&
		       j->p[j->pos] <= '9')
			j->pos++;
	}
	if (j->pos < j->len && (j->p[j->pos] == 'e' || j->p[j->pos] == 'E')) {
		j->pos++;
		if (j->pos < j->len && (j->p[j->pos] == '+' || j->p[j->pos] == '-'))
			j->pos++;
		if (j->pos >= j->len || j->p[j->pos] < '0' || j->p[j->pos] > '9')
			return jerr(j, "bad number");
		while (j->pos < j->len && j->p[j->pos] >= '0' &&
		       j->p[j->pos] <= '9')
			j->pos++;
	}
	v->t = J_NUM;
	v->s = strndup(j->p + start, j->pos - start);
	return v->s ? 0 : iv_fail(j->err, "policy %s: out of memory", j->name);
}

static int jvalue(struct jparser *j, struct jval *v);

/* Arrays and objects: members until @close, each one jvalue(). */
static int jcompound(struct jparser *j, struct jval *v, char close)
{
	bool obj = close == '}';

	if (++j->depth > JSON_DEPTH_MAX)
		return jerr(j, "nested too deeply");
	v->t = obj ? J_OBJ : J_ARR;
	j->pos++;
	jws(j);
	if (j->pos < j->len && j->p[j->pos] == close) {
		j->pos++;
		j->depth--;
		return 0;
	}
	for (;;) {
		if (grow((void **)&v->v, v->len, sizeof(*v->v)) ||
		    (obj && grow((void **)&v->k, v->len, sizeof(*v->k))))
			return iv_fail(j->err, "policy %s: out of memory",
				       j->name);
		memset(&v->v[v->len], 0, sizeof(v->v[0]));
		if (obj) {
			size_t klen;

			jws(j);
			if (j->pos >= j->len || j->p[j->pos] != '"')
				return jerr(j, "expected a key string");
			if (jstring(j, &v->k[v->len], &klen))
				return -1;
			jws(j);
			if (j->pos >= j->len || j->p[j->pos] != ':') {
				free(v->k[v->len]);
				return jerr(j, "expected ':'");
			}
			j->pos++;
		}
		if (jvalue(j, &v->v[v->len])) {
			jfree(&v->v[v->len]);
			if (obj)
				free(v->k[v->len]);
			return -1;
		}
		v->len++;
		jws(j);
		if (j->pos < j->len && j->p[j->pos] == ',') {
			j->pos++;
			continue;
		}
		if (j->pos < j->len && j->p[j->pos] == close) {
			j->pos++;
			j->depth--;
			return 0;
		}
		return jerr(j, obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int jword(struct jparser *j, const char *w)
{
	size_t n = strlen(w);

	if (j->len - j->pos < n || memcmp(j->p + j->pos, w, n))
		return jerr(j, "unexpected character");
	j->pos += n;
	return 0;
}

static int jvalue(struct jparser *j, struct jval *v)
{
	jws(j);
	v->off = j->pos;
	if (j->pos >= j->len)
		return jerr(j, "expected a value");
	switch (j->p[j->pos]) {
	case '{':
		return jcompound(j, v, '}');
	case '[':
		return jcompound(j, v, ']');
	case '"':
		v->t = J_STR;
		return jstring(j, &v->s, &v->len);
	case 't':
		v->t = J_BOOL;
		v->b = true;
		return jword(j, "true");
	case 'f':
		v->t = J_BOOL;
		return jword(j, "false");
	case 'n':
		v->t = J_NULL;
		return jword(j, "null");
	default:
		return jnumber(j, v);
	}
}

static int json_parse(const char *p, size_t len, const char *name,
		      struct jval *root, struct iv_err *err)
{
	struct jparser j = { .p = p, .len = len, .name = name, .err = err };

	memset(root, 0, sizeof(*root));
	if (jvalue(&j, root)) {
		jfree(root);
		return -1;
	}
	jws(&j);
	if (j.pos != j.len) {
		jfree(root);
		return jerr(&j, "text after the JSON value");
	}
	return 0;
}

static const char *jtype_name(enum jtype t)
{
	static const char *const names[] = {
		[J_NULL] = "null", [J_BOOL] = "a boolean", [J_NUM] = "a number",
		[J_STR] = "a string", [J_ARR] = "an array", [J_OBJ] = "an object",
	};

	return names[t];
}

/* The value of @key in object @o, or NULL. */
static const struct jval *jget(const struct jval *o, const char *key)
{
	size_t i;

	for (i = 0; o && o->t == J_OBJ && i < o->len; i++)
		if (!strcmp(o->k[i], key))
			return &o->v[i];
	return NULL;
}

/* ---- rules ---- */

static int rule_cmp(const void *a, const void *b)
{
	const struct iv_policy_rule *x = a, *y = b;
	uint32_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
	int c = memcmp(x->name, y->name, n);

	if (c)
		return c;
	return x->name_len < y->name_len ? -1 : x->name_len > y->name_len;
}

/* The first rule for @name, or NULL; rules are sorted. */
static const struct iv_policy_rule *rule_find(const struct iv_policy_rule *r,
					      size_t n, const char *name,
					      uint32_t len)
{
	struct iv_policy_rule key = { .name = (char *)name, .name_len = len };
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rule_cmp(&r[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !rule_cmp(&r[lo], &key) ? &r[lo] : NULL;
}

/*
 * Is digest @d of @alg allowed for @name?  *known: the name has rules.
 * A rule without a digest allows any; one without an algorithm, any
 * algorithm with those bytes.
 */
static bool rule_allows(const struct iv_policy_rule *r, size_t n,
			const char *name, uint32_t len, const char *alg,
			const uint8_t *d, size_t dlen, bool *known)
{
	const struct iv_policy_rule *f = rule_find(r, n, name, len);
	const struct iv_policy_rule *end = r + n;

	*known = f != NULL;
	for (; f && f < end && f->name_len == len &&
	       !memcmp(f->name, name, len); f++) {
		if (!f->dlen)
			return true;
		if (f->dlen == dlen && !memcmp(f->d, d, dlen) &&
		    (!f->alg[0] || !strcasecmp(f->alg, alg)))
			return true;
	}
	return false;
}

static int rule_add(struct iv_policy_rule **arr, size_t *n, const char *name,
		    size_t len, const char *alg, const uint8_t *d, size_t dlen)
{
	struct iv_policy_rule *r;

	if (len > UINT32_MAX || grow((void **)arr, *n, sizeof(**arr)))
		return -1;
	r = &(*arr)[*n];
	memset(r, 0, sizeof(*r));
	r->name = malloc(len + 1);
	if (!r->name)
		return -1;
	memcpy(r->name, name, len);
	r->name[len] = '\0';
	r->name_len = (uint32_t)len;
	snprintf(r->alg, sizeof(r->alg), "%s", alg);
	memcpy(r->d, d, dlen);
	r->dlen = (uint8_t)dlen;
	(*n)++;
	return 0;
}

static void rules_free(struct iv_policy_rule *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(r[i].name);
	free(r);
}

/* Strict hex of 1..IV_MAX_DIGEST bytes. */
static int parse_hex(const char *s, size_t len, uint8_t *out, size_t *olen)
{
	size_t i;

	if (!len || len % 2 || len / 2 > IV_MAX_DIGEST)
		return -1;
	for (i = 0; i < len; i += 2) {
		int hi = hexdigit(s[i]), lo = hexdigit(s[i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	*olen = len / 2;
	return 0;
}

/* "<alg>:<hex>", the size checked for the algorithms this tool knows. */
static int parse_alg_hex(const char *s, size_t len, char *alg, uint8_t *d,
			 size_t *dlen)
{
	const char *colon = memchr(s, ':', len);
	size_t alen;
	int a;

	if (!colon || colon == s)
		return -1;
	alen = (size_t)(colon - s);
	if (alen >= RULE_ALG_MAX)
		return -1;
	memcpy(alg, s, alen);
	alg[alen] = '\0';
	if (parse_hex(colon + 1, len - alen - 1, d, dlen))
		return -1;
	a = iv_alg_by_name(alg);
	return a >= 0 && *dlen != iv_alg_size((enum iv_alg)a) ? -1 : 0;
}

static int add_regex(struct iv_policy *p, const char *re, const char *where,
		     struct iv_err *err)
{
	size_t n = strlen(re);
	char *anchored = malloc(n + 4), msg[128];
	regex_t *rx;
	int rc;

	if (!anchored || grow(&p->regex, p->nregex, sizeof(regex_t))) {
		free(anchored);
		return oom(p, err);
	}
	/* Anchored at the start only, as Python's re.match() (Keylime). */
	snprintf(anchored, n + 4, "^(%s)", re);
	rx = (regex_t *)p->regex + p->nregex;
	rc = regcomp(rx, anchored, REG_EXTENDED | REG_NOSUB);
	free(anchored);
	if (rc) {
		regerror(rc, rx, msg, sizeof(msg));
		return iv_fail(err, "policy %s: %s: regex '%.100s' is not a POSIX extended regex: %s",
			       p->name, where, re, msg);
	}
	p->nregex++;
	return 0;
}

static int add_prefix(struct iv_policy *p, const char *s, size_t len,
		      struct iv_err *err)
{
	if (grow((void **)&p->prefix, p->nprefix, sizeof(*p->prefix)))
		return oom(p, err);
	p->prefix[p->nprefix] = strndup(s, len);
	if (!p->prefix[p->nprefix])
		return oom(p, err);
	p->nprefix++;
	return 0;
}

/* ---- keys ---- */

static uint32_t be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

/*
 * evmctl's key id (calc_keyid_v2()): the last 4 bytes of SHA-1 over the
 * subjectPublicKey bits, which for RSA is the PKCS#1 key and so what
 * OpenSSL's default SKID holds too.
 */
static int key_id(EVP_PKEY *pk, uint32_t *id)
{
	X509_PUBKEY *xpk = NULL;
	const unsigned char *pub;
	uint8_t sha1[IV_SHA1_LEN];
	int len, ok;

	ok = X509_PUBKEY_set(&xpk, pk) &&
	     X509_PUBKEY_get0_param(NULL, &pub, &len, NULL, xpk) &&
	     !iv_hash(IV_ALG_SHA1, pub, (size_t)len, sha1);
	X509_PUBKEY_free(xpk);
	if (!ok)
		return -1;
	*id = be32(sha1 + 16);
	return 0;
}

static int key_push(struct iv_policy *p, EVP_PKEY *pk, const X509 *cert,
		    const uint32_t *given_id, const char *name,
		    struct iv_err *err)
{
	struct iv_policy_key *k;
	const ASN1_OCTET_STRING *skid;

	if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA &&
	    EVP_PKEY_get_base_id(pk) != EVP_PKEY_EC) {
		EVP_PKEY_free(pk);
		return iv_fail(err, "%s: neither an RSA nor an EC key", name);
	}
	if (grow((void **)&p->key, p->nkey, sizeof(*p->key))) {
		EVP_PKEY_free(pk);
		return oom(p, err);
	}
	k = &p->key[p->nkey];
	memset(k, 0, sizeof(*k));
	k->pk = pk;
	if (given_id) {
		k->id = *given_id;
	} else if (key_id(pk, &k->id)) {
		EVP_PKEY_free(pk);
		return iv_fail(err, "%s: cannot compute the key id", name);
	}
	/* The kernel finds the key by the certificate's SKID. */
	skid = cert ? X509_get0_subject_key_id((X509 *)cert) : NULL;
	if (skid && ASN1_STRING_length(skid) >= 4) {
		k->has_skid = true;
		k->skid = be32(ASN1_STRING_get0_data(skid) +
			       ASN1_STRING_length(skid) - 4);
	}
	p->nkey++;
	return 0;
}

int iv_policy_add_key(struct iv_policy *p, const uint8_t *data, size_t len,
		      const char *name, struct iv_err *err)
{
	const unsigned char *q = data;
	EVP_PKEY *pk = NULL;
	X509 *cert;
	BIO *bio;
	int ret;

	assert(p && data && name && err);
	if (len > IV_POLICY_KEY_MAX || len > INT32_MAX)
		return iv_fail(err, "%s: larger than %d bytes", name,
			       IV_POLICY_KEY_MAX);
	/* An X.509 certificate, DER or PEM, as evmctl --key; or a bare key. */
	cert = d2i_X509(NULL, &q, (long)len);
	if (!cert) {
		bio = BIO_new_mem_buf(data, (int)len);
		cert = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
		BIO_free(bio);
	}
	if (cert) {
		pk = X509_get_pubkey(cert);
	} else {
		q = data;
		pk = d2i_PUBKEY(NULL, &q, (long)len);
		if (!pk) {
			bio = BIO_new_mem_buf(data, (int)len);
			pk = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) :
			     NULL;
			BIO_free(bio);
		}
	}
	ERR_clear_error();
	if (!pk) {
		X509_free(cert);
		return iv_fail(err, "%s: not an X.509 certificate or public key (DER or PEM)",
			       name);
	}
	ret = key_push(p, pk, cert, NULL, name, err);
	X509_free(cert);
	return ret;
}

static const struct iv_policy_key *key_find(const struct iv_policy *p,
					    uint32_t id)
{
	size_t i;

	for (i = 0; i < p->nkey; i++)
		if (p->key[i].id == id ||
		    (p->key[i].has_skid && p->key[i].skid == id))
			return &p->key[i];
	return NULL;
}

/* ---- Keylime runtime policy ---- */

struct kl {
	struct iv_policy *p;
	struct iv_err *err;
};

static int kl_type(struct kl *k, const char *key, const struct jval *v,
		   enum jtype want)
{
	if (v->t == want)
		return 0;
	return iv_fail(k->err, "policy %s: '%s': expected %s, got %s",
		       k->p->name, key, jtype_name(want), jtype_name(v->t));
}

/* {name: [hex, ...]} into @arr; an empty list allows any digest. */
static int kl_digest_map(struct kl *k, const char *key, const struct jval *o,
			 struct iv_policy_rule **arr, size_t *n,
			 bool empty_any)
{
	uint8_t d[IV_MAX_DIGEST];
	size_t i, m, dlen;

	if (kl_type(k, key, o, J_OBJ))
		return -1;
	for (i = 0; i < o->len; i++) {
		const struct jval *list = &o->v[i];
		size_t klen = strlen(o->k[i]);

		if (list->t != J_ARR)
			return iv_fail(k->err, "policy %s: '%s' '%.100s': expected an array, got %s",
				       k->p->name, key, o->k[i],
				       jtype_name(list->t));
		if (!list->len && empty_any &&
		    rule_add(arr, n, o->k[i], klen, "", d, 0))
			return oom(k->p, k->err);
		for (m = 0; m < list->len; m++) {
			const struct jval *h = &list->v[m];

			if (h->t != J_STR || parse_hex(h->s, h->len, d, &dlen))
				return iv_fail(k->err, "policy %s: '%s' '%.100s'[%zu]: expected a hex digest string",
					       k->p->name, key, o->k[i], m);
			if (rule_add(arr, n, o->k[i], klen, "", d, dlen))
				return oom(k->p, k->err);
		}
	}
	return 0;
}

static int kl_int(struct kl *k, const char *key, const struct jval *v,
		  long *out)
{
	char *end;

	if (kl_type(k, key, v, J_NUM))
		return -1;
	errno = 0;
	*out = strtol(v->s, &end, 10);
	if (*end || errno)
		return iv_fail(k->err, "policy %s: '%s': expected an integer, got %.40s",
			       k->p->name, key, v->s);
	return 0;
}

static int kl_meta(struct kl *k, const struct jval *m)
{
	const struct jval *v = jget(m, "version");
	long version;
	size_t i;

	if (kl_type(k, "meta", m, J_OBJ))
		return -1;
	if (!v)
		return iv_fail(k->err, "policy %s: 'meta' has no 'version'",
			       k->p->name);
	if (kl_int(k, "meta.version", v, &version))
		return -1;
	if (version != 1)
		return iv_fail(k->err, "policy %s: meta.version %ld: only runtime policy version 1 is read",
			       k->p->name, version);
	for (i = 0; i < m->len; i++) {
		if (!strcmp(m->k[i], "generator")) {
			if (kl_int(k, "meta.generator", &m->v[i], &version))
				return -1;
		} else if (!strcmp(m->k[i], "timestamp")) {
			if (kl_type(k, "meta.timestamp", &m->v[i], J_STR))
				return -1;
		} else if (strcmp(m->k[i], "version")) {
			note(k->p, "key 'meta.%.60s' unknown, ignored", m->k[i]);
		}
	}
	return 0;
}

static int kl_strings(struct kl *k, const char *key, const struct jval *a)
{
	size_t i;

	if (kl_type(k, key, a, J_ARR))
		return -1;
	for (i = 0; i < a->len; i++)
		if (a->v[i].t != J_STR)
			return iv_fail(k->err, "policy %s: '%s'[%zu]: expected a string, got %s",
				       k->p->name, key, i,
				       jtype_name(a->v[i].t));
	return 0;
}

static int kl_ima(struct kl *k, const struct jval *o)
{
	static const char *const algs[] = { "sha1", "sha256", "sha384",
					    "sha512" };
	size_t i, a;

	if (kl_type(k, "ima", o, J_OBJ))
		return -1;
	for (i = 0; i < o->len; i++) {
		const struct jval *v = &o->v[i];

		if (!strcmp(o->k[i], "ignored_keyrings")) {
			/* Keylime's keys taken from measured keyrings. */
			if (kl_strings(k, "ima.ignored_keyrings", v))
				return -1;
		} else if (!strcmp(o->k[i], "log_hash_alg")) {
			if (kl_type(k, "ima.log_hash_alg", v, J_STR))
				return -1;
			for (a = 0; a < 4 && strcmp(v->s, algs[a]); a++)
				;
			if (a == 4)
				return iv_fail(k->err, "policy %s: 'ima.log_hash_alg': '%.40s' is not sha1, sha256, sha384 or sha512",
					       k->p->name, v->s);
		} else if (!strcmp(o->k[i], "dm_policy")) {
			if (v->t != J_NULL && kl_type(k, "ima.dm_policy", v,
						      J_OBJ))
				return -1;
			if (v->t == J_OBJ)
				note(k->p, "ima.dm_policy (device-mapper rules) is not judged");
		} else {
			note(k->p, "key 'ima.%.60s' unknown, ignored", o->k[i]);
		}
	}
	return 0;
}

/* One keyring of verification-keys: {"pubkeys": [b64], "keyids": [n]}. */
static int kl_keyring(struct kl *k, const char *ring, const struct jval *o)
{
	const struct jval *pubs = jget(o, "pubkeys"), *ids = jget(o, "keyids");
	char where[160];
	size_t i;

	snprintf(where, sizeof(where), "verification-keys '%.60s'", ring);
	if (kl_type(k, where, o, J_OBJ))
		return -1;
	if (!pubs)
		return iv_fail(k->err, "policy %s: %s: no 'pubkeys'",
			       k->p->name, where);
	if (kl_strings(k, where, pubs) || (ids && kl_type(k, where, ids,
							  J_ARR)))
		return -1;
	for (i = 0; i < pubs->len; i++) {
		const struct jval *b64 = &pubs->v[i];
		size_t cap = b64->len / 4 * 3 + 3;
		unsigned char *der = malloc(cap ? cap : 1);
		const unsigned char *q = der;
		EVP_PKEY *pk = NULL;
		uint32_t id;
		long given = -1;
		int n;

		if (!der)
			return oom(k->p, k->err);
		n = b64->len <= INT32_MAX && b64->len % 4 == 0 ?
		    EVP_DecodeBlock(der, (const unsigned char *)b64->s,
				    (int)b64->len) : -1;
		/* DecodeBlock counts the '=' padding as zero bytes. */
		if (n > 0 && b64->len && b64->s[b64->len - 1] == '=')
			n -= b64->len > 1 && b64->s[b64->len - 2] == '=' ? 2 : 1;
		if (n > 0)
			pk = d2i_PUBKEY(NULL, &q, n);
		free(der);
		ERR_clear_error();
		if (!pk)
			return iv_fail(k->err, "policy %s: %s: pubkeys[%zu] is not a base64 DER public key",
				       k->p->name, where, i);
		if (ids && i < ids->len &&
		    kl_int(k, where, &ids->v[i], &given)) {
			EVP_PKEY_free(pk);
			return -1;
		}
		id = (uint32_t)given;
		if (key_push(k->p, pk, NULL, given > 0 ? &id : NULL, where,
			     k->err))
			return -1;
	}
	return 0;
}

/*
 * verification-keys is a string of JSON (Keylime's ImaKeyrings.to_string()),
 * sometimes encoded twice: {keyring: "<JSON of one keyring>"}.
 */
static int kl_keys(struct kl *k, const struct jval *s)
{
	struct jval outer = { 0 }, inner = { 0 }, *o;
	char name[300];
	size_t i;
	int ret = -1;

	if (kl_type(k, "verification-keys", s, J_STR))
		return -1;
	if (!s->len)
		return 0;
	snprintf(name, sizeof(name), "%s verification-keys", k->p->name);
	if (json_parse(s->s, s->len, name, &outer, k->err))
		return -1;
	o = &outer;
	if (o->t == J_STR) {
		if (json_parse(o->s, o->len, name, &inner, k->err))
			goto out;
		o = &inner;
	}
	if (kl_type(k, "verification-keys", o, J_OBJ))
		goto out;
	for (i = 0; i < o->len; i++) {
		struct jval ring = { 0 };
		int r;

		if (o->v[i].t == J_OBJ) {
			if (kl_keyring(k, o->k[i], &o->v[i]))
				goto out;
			continue;
		}
		if (o->v[i].t != J_STR) {
			iv_fail(k->err, "policy %s: verification-keys '%.60s': expected a string or an object, got %s",
				k->p->name, o->k[i], jtype_name(o->v[i].t));
			goto out;
		}
		if (json_parse(o->v[i].s, o->v[i].len, name, &ring, k->err))
			goto out;
		r = kl_keyring(k, o->k[i], &ring);
		jfree(&ring);
		if (r)
			goto out;
	}
	ret = 0;
out:
	jfree(&outer);
	jfree(&inner);
	return ret;
}

static int kl_load(struct iv_policy *p, const struct jval *root,
		   struct iv_err *err)
{
	struct kl k = { .p = p, .err = err };
	size_t i, m;

	if (root->t != J_OBJ)
		return iv_fail(err, "policy %s: expected a JSON object, got %s",
			       p->name, jtype_name(root->t));
	if (jget(root, "allowlist") || jget(root, "hashes"))
		return iv_fail(err, "policy %s: a Keylime allowlist of the old format ('allowlist'/'hashes'); convert it with keylime_convert_runtime_policy",
			       p->name);
	if (!jget(root, "meta"))
		return iv_fail(err, "policy %s: no 'meta': not a Keylime runtime policy",
			       p->name);
	for (i = 0; i < root->len; i++) {
		const char *key = root->k[i];
		const struct jval *v = &root->v[i];
		long release;

		if (!strcmp(key, "meta")) {
			if (kl_meta(&k, v))
				return -1;
		} else if (!strcmp(key, "release")) {
			if (kl_int(&k, key, v, &release))
				return -1;
		} else if (!strcmp(key, "digests")) {
			if (kl_digest_map(&k, key, v, &p->digest, &p->ndigest,
					  false))
				return -1;
		} else if (!strcmp(key, "excludes")) {
			if (kl_strings(&k, key, v))
				return -1;
			for (m = 0; m < v->len; m++) {
				char where[32];

				snprintf(where, sizeof(where), "excludes[%zu]",
					 m);
				if (add_regex(p, v->v[m].s, where, err))
					return -1;
			}
		} else if (!strcmp(key, "keyrings")) {
			if (kl_digest_map(&k, key, v, &p->keyring,
					  &p->nkeyring, false))
				return -1;
		} else if (!strcmp(key, "ima-buf")) {
			if (kl_digest_map(&k, key, v, &p->buf, &p->nbuf, true))
				return -1;
		} else if (!strcmp(key, "ima")) {
			if (kl_ima(&k, v))
				return -1;
		} else if (!strcmp(key, "verification-keys")) {
			if (kl_keys(&k, v))
				return -1;
		} else if (!strcmp(key, "rules")) {
			if (v->t != J_NULL && !(v->t == J_STR && !v->len))
				note(p, "key 'rules' is not judged");
		} else {
			note(p, "key '%.60s' unknown, ignored", key);
		}
	}
	return 0;
}

/* ---- the line format ---- */

static bool is_hex_word(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (hexdigit(s[i]) < 0)
			return false;
	return len >= 32;
}

static int load_key_file(struct iv_policy *p, const char *path,
			 struct iv_err *err)
{
	uint8_t *buf;
	size_t len;
	int ret;

	if (iv_read_file(path, IV_POLICY_KEY_MAX, &buf, &len, err))
		return -1;
	ret = iv_policy_add_key(p, buf, len, path, err);
	free(buf);
	return ret;
}

static int line_rule(struct iv_policy *p, const char *s, size_t len,
		     size_t lineno, const char *dir, struct iv_err *err)
{
	const char *sp = memchr(s, ' ', len), *arg, *arg2;
	size_t wlen = sp ? (size_t)(sp - s) : len, alen, a2len;
	char alg[RULE_ALG_MAX];
	uint8_t d[IV_MAX_DIGEST] = { 0 };
	size_t dlen;

	arg = sp ? sp + 1 : s + len;
	alen = (size_t)(s + len - arg);
	while (alen && *arg == ' ') {
		arg++;
		alen--;
	}
#define IS(w) (wlen == sizeof(w) - 1 && !memcmp(s, w, wlen))
	if (IS("digest")) {
		sp = memchr(arg, ' ', alen);
		if (!sp || parse_alg_hex(arg, (size_t)(sp - arg), alg, d,
					 &dlen))
			return iv_fail(err, "policy %s: line %zu: want 'digest <alg>:<hex> <path>'",
				       p->name, lineno);
		arg2 = sp + 1;
		a2len = (size_t)(arg + alen - arg2);
		if (!a2len)
			return iv_fail(err, "policy %s: line %zu: digest without a path",
				       p->name, lineno);
		if (rule_add(&p->digest, &p->ndigest, arg2, a2len, alg, d,
			     dlen))
			return oom(p, err);
		return 0;
	}
	if (!alen)
		return iv_fail(err, "policy %s: line %zu: '%.*s' needs an argument",
			       p->name, lineno, (int)wlen, s);
	if (IS("exclude"))
		return add_prefix(p, arg, alen, err);
	if (IS("exclude-regex")) {
		char *re = strndup(arg, alen), where[32];
		int ret;

		if (!re)
			return oom(p, err);
		snprintf(where, sizeof(where), "line %zu", lineno);
		ret = add_regex(p, re, where, err);
		free(re);
		return ret;
	}
	if (IS("ima-buf")) {
		sp = memchr(arg, ' ', alen);
		if (!sp)
			return rule_add(&p->buf, &p->nbuf, arg, alen, "", d, 0) ?
			       oom(p, err) : 0;
		arg2 = sp + 1;
		a2len = (size_t)(arg + alen - arg2);
		if (parse_alg_hex(arg2, a2len, alg, d, &dlen))
			return iv_fail(err, "policy %s: line %zu: want 'ima-buf <name> [<alg>:<hex>]'",
				       p->name, lineno);
		return rule_add(&p->buf, &p->nbuf, arg, (size_t)(sp - arg),
				alg, d, dlen) ? oom(p, err) : 0;
	}
	if (IS("key")) {
		char path[4096];
		int n;

		if (*arg == '/' || !dir)
			n = snprintf(path, sizeof(path), "%.*s", (int)alen, arg);
		else
			n = snprintf(path, sizeof(path), "%s/%.*s", dir,
				     (int)alen, arg);
		if (n < 0 || (size_t)n >= sizeof(path))
			return iv_fail(err, "policy %s: line %zu: key path too long",
				       p->name, lineno);
		if (load_key_file(p, path, err)) {
			char msg[sizeof(err->msg)];

			snprintf(msg, sizeof(msg), "%s", err->msg);
			return iv_fail(err, "policy %s: line %zu: %s", p->name,
				       lineno, msg);
		}
		return 0;
	}
#undef IS
	return iv_fail(err, "policy %s: line %zu: unknown rule '%.*s'%s",
		       p->name, lineno, (int)(wlen > 40 ? 40 : wlen), s,
		       is_hex_word(s, wlen) ? " (a Keylime allowlist line? write 'digest <alg>:<hex> <path>')" : "");
}

static int lines_load(struct iv_policy *p, const char *s, size_t len,
		      const char *dir, struct iv_err *err)
{
	size_t pos = 0, lineno = 0;

	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - s) : len, n = end - pos;
		const char *l = s + pos;

		lineno++;
		pos = end + 1;
		if (n > LINE_MAX_LEN)
			return iv_fail(err, "policy %s: line %zu: longer than %d bytes",
				       p->name, lineno, LINE_MAX_LEN);
		if (memchr(l, '\0', n))
			return iv_fail(err, "policy %s: line %zu: NUL byte",
				       p->name, lineno);
		if (n && l[n - 1] == '\r')
			n--;
		while (n && (*l == ' ' || *l == '\t')) {
			l++;
			n--;
		}
		if (!n || *l == '#')
			continue;
		if (line_rule(p, l, n, lineno, dir, err))
			return -1;
	}
	return 0;
}

/* ---- loading ---- */

struct iv_policy *iv_policy_parse(const uint8_t *buf, size_t len,
				  const char *name, const char *dir,
				  struct iv_err *err)
{
	struct iv_policy *p;
	struct jval root;
	size_t i = 0;
	int ret;

	assert(buf && name && err);
	p = calloc(1, sizeof(*p));
	if (!p) {
		iv_fail(err, "policy %s: out of memory", name);
		return NULL;
	}
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->aggregate_unchecked = p->sig_unchecked = -1;
	if (len > IV_POLICY_MAX) {
		iv_fail(err, "policy %s: larger than %lu bytes", name,
			IV_POLICY_MAX);
		goto fail;
	}
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' ||
			   buf[i] == '\r'))
		i++;
	if (i < len && buf[i] == '{') {
		p->format = IV_POLICY_KEYLIME;
		if (json_parse((const char *)buf, len, p->name, &root, err))
			goto fail;
		ret = kl_load(p, &root, err);
		jfree(&root);
	} else {
		p->format = IV_POLICY_LINES;
		ret = lines_load(p, (const char *)buf, len, dir, err);
	}
	if (ret)
		goto fail;
	if (p->ndigest)
		qsort(p->digest, p->ndigest, sizeof(*p->digest), rule_cmp);
	if (p->nbuf)
		qsort(p->buf, p->nbuf, sizeof(*p->buf), rule_cmp);
	if (p->nkeyring)
		qsort(p->keyring, p->nkeyring, sizeof(*p->keyring), rule_cmp);
	return p;
fail:
	iv_policy_free(p);
	return NULL;
}

struct iv_policy *iv_policy_load(const char *path, const char *const *keys,
				 unsigned int nkeys, struct iv_err *err)
{
	struct iv_policy *p;
	char *dir, *slash;
	uint8_t *buf;
	size_t len;
	unsigned int i;

	assert(path && err);
	if (iv_read_file(path, IV_POLICY_MAX, &buf, &len, err))
		return NULL;
	dir = strdup(path);
	slash = dir ? strrchr(dir, '/') : NULL;
	if (slash)
		*slash = '\0';
	p = iv_policy_parse(buf, len, path, slash ? dir : ".", err);
	free(dir);
	free(buf);
	for (i = 0; p && i < nkeys; i++)
		if (load_key_file(p, keys[i], err)) {
			iv_policy_free(p);
			p = NULL;
		}
	return p;
}

static void results_free(struct iv_policy *p)
{
	size_t i;

	for (i = 0; i < p->nv; i++) {
		free(p->v[i].path);
		free(p->v[i].reason);
	}
	free(p->v);
	free(p->skipped_at);
	free(p->sig_good_at);
	p->v = NULL;
	p->skipped_at = p->sig_good_at = NULL;
	p->nv = p->nskipped = p->nsig_good_at = 0;
}

void iv_policy_free(struct iv_policy *p)
{
	size_t i;

	if (!p)
		return;
	results_free(p);
	rules_free(p->digest, p->ndigest);
	rules_free(p->buf, p->nbuf);
	rules_free(p->keyring, p->nkeyring);
	for (i = 0; i < p->nprefix; i++)
		free(p->prefix[i]);
	free(p->prefix);
	for (i = 0; i < p->nregex; i++)
		regfree((regex_t *)p->regex + i);
	free(p->regex);
	for (i = 0; i < p->nkey; i++)
		EVP_PKEY_free(p->key[i].pk);
	free(p->key);
	free(p->notes);
	free(p->scratch);
	free(p);
}

/* ---- judging ---- */

/*
 * boot_aggregate as ima_calc_boot_aggregate_tfm() computes it: the bank's
 * hash over PCRs 0-7, and 8-9 too in banks other than SHA-1.
 */
void iv_policy_begin(struct iv_policy *p, const struct iv_pcrs *pcrs)
{
	uint8_t cat[10 * IV_MAX_DIGEST];
	int a, k, n;

	assert(p && pcrs);
	results_free(p);
	p->verdict = IV_POLICY_NONE;
	p->seen = p->judged = p->sig_good = 0;
	p->aggregate_unchecked = p->sig_unchecked = -1;
	for (a = 0; a < IV_ALG_COUNT; a++) {
		const struct iv_bank *b = &pcrs->bank[a];
		size_t size = iv_alg_size((enum iv_alg)a);

		n = a == IV_ALG_SHA1 ? 8 : 10;
		p->have_aggregate[a] = b->present;
		for (k = 0; k < n && p->have_aggregate[a]; k++) {
			p->have_aggregate[a] = b->set[k];
			memcpy(cat + (size_t)k * size, b->val[k], size);
		}
		if (p->have_aggregate[a] &&
		    iv_hash((enum iv_alg)a, cat, (size_t)n * size,
			    p->aggregate[a]))
			p->have_aggregate[a] = false;
	}
}

static int push_index(size_t **arr, size_t *n, size_t v)
{
	if (grow((void **)arr, *n, sizeof(**arr)))
		return -1;
	(*arr)[(*n)++] = v;
	return 0;
}

/* The digest as "alg:hex", shortened for a reason text. */
static void digest_text(const char *alg, const uint8_t *d, size_t len,
			char *out, size_t olen)
{
	char hex[2 * IV_MAX_DIGEST + 1];

	iv_hex(d, len > IV_MAX_DIGEST ? IV_MAX_DIGEST : len, hex);
	snprintf(out, olen, "%s%s%s", alg, alg[0] ? ":" : "", hex);
}

static int violation(struct iv_policy *p, const struct iv_entry *e,
		     struct iv_err *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int violation(struct iv_policy *p, const struct iv_entry *e,
		     struct iv_err *err, const char *fmt, ...)
{
	struct iv_policy_violation *v;
	uint32_t n = e->fname_len > PATH_KEEP_MAX ? PATH_KEEP_MAX :
		     e->fname_len;
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (grow((void **)&p->v, p->nv, sizeof(*p->v)))
		return oom(p, err);
	v = &p->v[p->nv];
	v->entry = e->index;
	v->path = e->fname ? strndup(e->fname, n) : strdup("");
	v->reason = strdup(reason);
	if (!v->path || !v->reason) {
		free(v->path);
		free(v->reason);
		return oom(p, err);
	}
	p->nv++;
	return 0;
}

static bool excluded(struct iv_policy *p, const struct iv_entry *e)
{
	size_t i;

	for (i = 0; i < p->nprefix; i++) {
		size_t n = strlen(p->prefix[i]);

		if (e->fname_len >= n && !memcmp(e->fname, p->prefix[i], n))
			return true;
	}
	if (!p->nregex)
		return false;
	if (e->fname_len + 1 > p->scratch_cap) {
		char *s = realloc(p->scratch, e->fname_len + 1);

		if (!s)
			return false;
		p->scratch = s;
		p->scratch_cap = e->fname_len + 1;
	}
	memcpy(p->scratch, e->fname, e->fname_len);
	p->scratch[e->fname_len] = '\0';
	for (i = 0; i < p->nregex; i++)
		if (!regexec((regex_t *)p->regex + i, p->scratch, 0, NULL, 0))
			return true;
	return false;
}

enum sig_result {
	SIG_GOOD,
	SIG_BAD,		/* does not verify, or cannot be this file's */
	SIG_UNKNOWN_KEY,	/* no key has its id */
	SIG_UNSUPPORTED,	/* a version or hash this tool does not verify */
	SIG_NO_KEYS,
};

/* enum hash_algo of include/uapi/linux/hash_info.h, the ones verified. */
static const char *hash_algo_name(uint8_t id)
{
	switch (id) {
	case 2: return "sha1";
	case 4: return "sha256";
	case 5: return "sha384";
	case 6: return "sha512";
	case 7: return "sha224";
	default: return NULL;
	}
}

/*
 * An IMA signature in the sig field: type EVM_IMA_XATTR_DIGSIG (3), then
 * signature_v2_hdr: version 2, hash_algo, keyid (be32), sig_size (be16),
 * the signature over the file digest.
 */
static enum sig_result check_sig(const struct iv_policy *p,
				 const struct iv_entry *e, const char *alg,
				 char *why, size_t wlen)
{
	const struct iv_field *f = &e->fields[2];
	const struct iv_policy_key *k;
	const char *hname;
	EVP_PKEY_CTX *ctx;
	uint32_t id;
	uint16_t size;
	int ok;

	if (f->len < 9 || f->p[0] != 3) {
		snprintf(why, wlen, "malformed signature (%u bytes, type 0x%02x)",
			 f->len, f->len ? f->p[0] : 0);
		return SIG_BAD;
	}
	if (f->p[1] != 2) {
		snprintf(why, wlen, "signature version %u is not verified here",
			 f->p[1]);
		return SIG_UNSUPPORTED;
	}
	id = be32(f->p + 3);
	size = (uint16_t)(f->p[7] << 8 | f->p[8]);
	if ((size_t)size + 9 != f->len) {
		snprintf(why, wlen, "malformed signature (size %u in a %u byte field)",
			 size, f->len);
		return SIG_BAD;
	}
	hname = hash_algo_name(f->p[2]);
	if (!hname) {
		snprintf(why, wlen, "signature hash algorithm %u is not verified here",
			 f->p[2]);
		return SIG_UNSUPPORTED;
	}
	if (strcasecmp(hname, alg)) {
		snprintf(why, wlen, "signature is over a %s digest, the file digest is %s",
			 hname, alg[0] ? alg : "of no known algorithm");
		return SIG_BAD;
	}
	if (!p->nkey)
		return SIG_NO_KEYS;
	k = key_find(p, id);
	if (!k) {
		snprintf(why, wlen, "signed by key %08x, which no key given holds",
			 id);
		return SIG_UNKNOWN_KEY;
	}
	ctx = EVP_PKEY_CTX_new(k->pk, NULL);
	ok = ctx && EVP_PKEY_verify_init(ctx) > 0 &&
	     EVP_PKEY_CTX_set_signature_md(ctx, EVP_get_digestbyname(hname)) > 0 &&
	     (EVP_PKEY_get_base_id(k->pk) != EVP_PKEY_RSA ||
	      EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0) &&
	     EVP_PKEY_verify(ctx, f->p + 9, size, e->fdigest,
			     e->fdigest_len) == 1;
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	if (ok)
		return SIG_GOOD;
	snprintf(why, wlen, "%.*s signature does not verify with key %08x",
		 (int)e->tname_len, e->tname, id);
	return SIG_BAD;
}

static int judge_file(struct iv_policy *p, const struct iv_entry *e,
		      struct iv_err *err)
{
	const char *alg = iv_entry_file_alg(e);
	char why[192] = "", dtext[200];
	bool known, allowed;

	if (excluded(p, e))
		return 0;
	if ((e->tpl == IV_TPL_IMA_SIG || e->tpl == IV_TPL_IMA_MODSIG) &&
	    e->nfields > 2 && e->fields[2].len) {
		switch (check_sig(p, e, alg, why, sizeof(why))) {
		case SIG_GOOD:
			/* A key the user trusts signed it, as Keylime. */
			if (push_index(&p->sig_good_at, &p->nsig_good_at,
				       e->index))
				return oom(p, err);
			return 0;
		case SIG_BAD:
			return violation(p, e, err, "%s", why);
		case SIG_NO_KEYS:
			if (p->sig_unchecked < 0)
				p->sig_unchecked = (long)e->index;
			break;
		default:
			break;		/* the digest decides, why says more */
		}
	}
	allowed = rule_allows(p->digest, p->ndigest, e->fname, e->fname_len,
			      alg, e->fdigest, e->fdigest_len, &known);
	if (allowed)
		return 0;
	if (!known)
		return violation(p, e, err, "not in policy%s%s",
				 why[0] ? "; " : "", why);
	digest_text(alg, e->fdigest, e->fdigest_len, dtext, sizeof(dtext));
	return violation(p, e, err, "digest %s not allowed for this path%s%s",
			 dtext, why[0] ? "; " : "", why);
}

static int judge_aggregate(struct iv_policy *p, const struct iv_entry *e,
			   struct iv_err *err)
{
	const char *alg = iv_entry_file_alg(e);
	int a = iv_alg_by_name(alg);
	char have[200], want[200];
	bool known, checked = false;

	if (a >= 0 && p->have_aggregate[a]) {
		size_t size = iv_alg_size((enum iv_alg)a);

		checked = true;
		if (e->fdigest_len != size ||
		    memcmp(e->fdigest, p->aggregate[a], size)) {
			digest_text(alg, e->fdigest, e->fdigest_len, have,
				    sizeof(have));
			digest_text(alg, p->aggregate[a], size, want,
				    sizeof(want));
			return violation(p, e, err, "%s does not match PCRs 0-%d (their aggregate is %s)",
					 have, a == IV_ALG_SHA1 ? 7 : 9, want);
		}
	}
	/* Keylime's policies may list it like a file. */
	if (!rule_allows(p->digest, p->ndigest, e->fname, e->fname_len, alg,
			 e->fdigest, e->fdigest_len, &known) && known) {
		digest_text(alg, e->fdigest, e->fdigest_len, have, sizeof(have));
		return violation(p, e, err, "digest %s not allowed for this path",
				 have);
	}
	if (!checked && !known && p->aggregate_unchecked < 0)
		p->aggregate_unchecked = (long)e->index;
	return 0;
}

/* The records this tool reads across kexec, named for what they are. */
static const char *series_record(const struct iv_entry *e)
{
	if (iv_entry_name_is(e, IV_RESTORE_RECORD) ||
	    iv_entry_name_is(e, IV_RESTORE_RECORD_OLD))
		return "this series' handover record";
	if (iv_entry_name_is(e, "kexec_load") ||
	    iv_entry_name_is(e, "kexec_execute"))
		return "ima_kexec critical data, the kexec event";
	return NULL;
}

static int judge_buf(struct iv_policy *p, const struct iv_entry *e,
		     struct iv_err *err)
{
	const char *alg = iv_entry_file_alg(e), *series = series_record(e);
	char dtext[200];
	bool known;

	digest_text(alg, e->fdigest, e->fdigest_len, dtext, sizeof(dtext));
	/* Keys measured onto a keyring (KEY_CHECK) are named by it. */
	if (rule_allows(p->keyring, p->nkeyring, e->fname, e->fname_len, alg,
			e->fdigest, e->fdigest_len, &known))
		return 0;
	if (known)
		return violation(p, e, err, "key digest %s not in the policy's keyrings for this keyring",
				 dtext);
	if (rule_allows(p->buf, p->nbuf, e->fname, e->fname_len, alg,
			e->fdigest, e->fdigest_len, &known))
		return 0;
	if (known)
		return violation(p, e, err, "digest %s not in the policy's ima-buf for this name%s",
				 dtext, series ? " (it differs at every kexec: list the name alone)" : "");
	if (series)
		return violation(p, e, err, "%s, not in the policy's ima-buf",
				 series);
	return violation(p, e, err, "ima-buf record not in the policy's ima-buf");
}

int iv_policy_entry(struct iv_policy *p, const struct iv_entry *e,
		    struct iv_err *err)
{
	assert(p && e && err);
	p->seen++;
	/* Its template digest is zero: nothing binds what it says. */
	if (e->violation)
		return push_index(&p->skipped_at, &p->nskipped, e->index) ?
		       oom(p, err) : 0;
	if (iv_entry_is_boot_aggregate(e))
		return judge_aggregate(p, e, err);
	switch (e->tpl) {
	case IV_TPL_IMA_BUF:
		return judge_buf(p, e, err);
	case IV_TPL_OTHER:
		return violation(p, e, err, "template '%.*s' is none a policy can judge",
				 (int)(e->tname_len > 64 ? 64 : e->tname_len),
				 e->tname);
	default:
		return judge_file(p, e, err);
	}
}

/* Entries in list order: how many of @a are below @covered. */
static size_t below(const size_t *a, size_t n, size_t covered)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a[mid] < covered)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void iv_policy_finish(struct iv_policy *p, size_t covered)
{
	size_t i, keep = 0, n;

	assert(p);
	for (i = 0; i < p->nv; i++) {
		if (p->v[i].entry < covered) {
			p->v[keep++] = p->v[i];
			continue;
		}
		free(p->v[i].path);
		free(p->v[i].reason);
	}
	p->nv = keep;
	n = p->seen < covered ? p->seen : covered;
	p->judged = n - below(p->skipped_at, p->nskipped, covered);
	p->sig_good = below(p->sig_good_at, p->nsig_good_at, covered);
	if (p->aggregate_unchecked >= (long)covered)
		p->aggregate_unchecked = -1;
	if (p->sig_unchecked >= (long)covered)
		p->sig_unchecked = -1;
	p->verdict = p->nv ? IV_POLICY_FAIL : IV_POLICY_PASS;
}

int iv_exit_status(const struct iv_ctx *ctx)
{
	assert(ctx);
	if (ctx->status == IV_VERIFIED && ctx->policy &&
	    ctx->policy->verdict == IV_POLICY_FAIL)
		return IV_NOT_VERIFIED;
	return ctx->status;
}

/* ---- output ---- */

const char *iv_policy_verdict_name(enum iv_policy_verdict v)
{
	return v == IV_POLICY_PASS ? "pass" : v == IV_POLICY_FAIL ? "fail" :
	       "none";
}

/* "; policy: pass" or "; policy: N violations (path: reason; ...)". */
void iv_policy_verdict_text(const struct iv_policy *p, FILE *out)
{
	size_t i;

	if (!p || p->verdict == IV_POLICY_NONE)
		return;
	if (p->verdict == IV_POLICY_PASS) {
		fprintf(out, "; policy: pass");
		return;
	}
	fprintf(out, "; policy: %zu violation%s (", p->nv,
		p->nv == 1 ? "" : "s");
	for (i = 0; i < p->nv && i < VERDICT_SHOWN; i++) {
		fprintf(out, "%s", i ? "; " : "");
		iv_print_safe(out, p->v[i].path, 200);
		fprintf(out, ": %s", p->v[i].reason);
	}
	if (p->nv > VERDICT_SHOWN)
		fprintf(out, "; %zu more", p->nv - VERDICT_SHOWN);
	fputc(')', out);
}

static const char *format_name(const struct iv_policy *p)
{
	return p->format == IV_POLICY_KEYLIME ? "keylime" : "lines";
}

void iv_policy_report_text(const struct iv_policy *p, FILE *out)
{
	size_t i;

	if (!p || p->verdict == IV_POLICY_NONE)
		return;
	fprintf(out, "policy: %s: %zu violation%s in %zu entries judged (%zu by signature) against %s policy %s\n",
		iv_policy_verdict_name(p->verdict), p->nv,
		p->nv == 1 ? "" : "s", p->judged, p->sig_good, format_name(p),
		p->name);
	for (i = 0; i < p->nv; i++) {
		fprintf(out, "policy violation: entry %zu ", p->v[i].entry);
		iv_print_safe(out, p->v[i].path, PATH_KEEP_MAX);
		fprintf(out, ": %s\n", p->v[i].reason);
	}
	for (i = 0; i < p->nnotes; i++)
		fprintf(out, "policy note: %s\n", p->notes[i]);
	if (p->aggregate_unchecked >= 0)
		fprintf(out, "policy note: boot_aggregate not checked: no PCR 0-9 values of its bank (first at entry %ld)\n",
			p->aggregate_unchecked);
	if (p->sig_unchecked >= 0)
		fprintf(out, "policy note: signatures not checked: no keys (--key, or verification-keys in the policy); first at entry %ld\n",
			p->sig_unchecked);
}

/* "policy":{...}, with the comma, for report.c. */
void iv_policy_report_json(const struct iv_policy *p, FILE *out)
{
	char text[256];
	size_t i;

	fprintf(out, "\"policy\":{\"verdict\":\"%s\"",
		iv_policy_verdict_name(p ? p->verdict : IV_POLICY_NONE));
	if (p && p->verdict != IV_POLICY_NONE) {
		fprintf(out, ",\"format\":\"%s\",\"file\":", format_name(p));
		iv_json_str(out, p->name);
		fprintf(out, ",\"judged\":%zu,\"signatures_verified\":%zu",
			p->judged, p->sig_good);
	}
	fprintf(out, ",\"violations\":[");
	for (i = 0; p && p->verdict != IV_POLICY_NONE && i < p->nv; i++) {
		fprintf(out, "%s{\"entry\":%zu,\"path\":", i ? "," : "",
			p->v[i].entry);
		iv_json_str(out, p->v[i].path);
		fprintf(out, ",\"reason\":");
		iv_json_str(out, p->v[i].reason);
		fputc('}', out);
	}
	fprintf(out, "],\"notes\":[");
	for (i = 0; p && p->verdict != IV_POLICY_NONE && i < p->nnotes; i++) {
		fprintf(out, "%s", i ? "," : "");
		iv_json_str(out, p->notes[i]);
	}
	if (p && p->verdict != IV_POLICY_NONE && p->aggregate_unchecked >= 0) {
		snprintf(text, sizeof(text), "boot_aggregate not checked: no PCR 0-9 values of its bank (first at entry %ld)",
			 p->aggregate_unchecked);
		fprintf(out, "%s", p->nnotes ? "," : "");
		iv_json_str(out, text);
	}
	if (p && p->verdict != IV_POLICY_NONE && p->sig_unchecked >= 0) {
		snprintf(text, sizeof(text), "signatures not checked: no keys (--key, or verification-keys in the policy); first at entry %ld",
			 p->sig_unchecked);
		fprintf(out, "%s", p->nnotes || p->aggregate_unchecked >= 0 ?
			"," : "");
		iv_json_str(out, text);
	}
	fprintf(out, "]},");
}
