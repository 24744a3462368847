// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Error messages, digest algorithms, hex and file helpers.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "imaverify.h"

struct iv_alg_info {
	const char *name;
	uint16_t tpm_id;	/* TPM_ALG_ID */
	size_t size;
};

static const struct iv_alg_info alg_info[IV_ALG_COUNT] = {
	[IV_ALG_SHA1]	= { "sha1",	0x0004, 20 },
	[IV_ALG_SHA256]	= { "sha256",	0x000b, 32 },
	[IV_ALG_SHA384]	= { "sha384",	0x000c, 48 },
	[IV_ALG_SHA512]	= { "sha512",	0x000d, 64 },
};

/* A message without a place: the reason is all of it. */
static void err_set(struct iv_err *err, const char *fmt, va_list ap)
{
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	memcpy(err->reason, err->msg, sizeof(err->reason) - 1);
	err->reason[sizeof(err->reason) - 1] = '\0';
	err->has_entry = false;
	err->has_offset = false;
	err->entry = 0;
	err->offset = 0;
}

int iv_fail(struct iv_err *err, const char *fmt, ...)
{
	va_list ap;

	assert(err && fmt);
	va_start(ap, fmt);
	err_set(err, fmt, ap);
	va_end(ap);
	return -1;
}

/* Like iv_fail(), for a check that failed on well-formed input. */
int iv_reject(struct iv_err *err, const char *fmt, ...)
{
	va_list ap;

	assert(err && fmt);
	va_start(ap, fmt);
	err_set(err, fmt, ap);
	va_end(ap);
	return 1;
}

int iv_fail_at(struct iv_err *err, size_t entry, size_t offset,
	       const char *fmt, ...)
{
	va_list ap;

	assert(err && fmt);
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
	/* A cut message is still the message: the reason is whole. */
	if (snprintf(err->msg, sizeof(err->msg), "entry %zu at byte offset %zu: %s",
		     entry, offset, err->reason) < 0)
		err->msg[0] = '\0';
	err->has_entry = true;
	err->has_offset = true;
	err->entry = entry;
	err->offset = offset;
	return -1;
}

/*
 * err->msg becomes "@name: <msg>"; where (entry, offset), the reason and
 * the input stay what the failing step set.
 */
void iv_err_prefix(struct iv_err *err, const char *name)
{
	char msg[sizeof(err->msg)];

	assert(err && name);
	snprintf(msg, sizeof(msg), "%s", err->msg);
	if (snprintf(err->msg, sizeof(err->msg), "%s: %s", name, msg) < 0)
		err->msg[0] = '\0';
}

/* A logged path for a terminal: control bytes as '?', "..." past @max. */
void iv_print_safe(FILE *out, const char *s, size_t max)
{
	size_t i;

	assert(out && s);
	for (i = 0; s[i] && i < max; i++) {
		unsigned char c = (unsigned char)s[i];

		fputc(c >= 0x20 && c != 0x7f ? c : '?', out);
	}
	if (s[i])
		fputs("...", out);
}

const char *iv_version(void)
{
	return IV_VERSION;
}

const char *iv_alg_name(enum iv_alg alg)
{
	assert(alg < IV_ALG_COUNT);
	return alg_info[alg].name;
}

size_t iv_alg_size(enum iv_alg alg)
{
	assert(alg < IV_ALG_COUNT);
	return alg_info[alg].size;
}

uint16_t iv_alg_tpm_id(enum iv_alg alg)
{
	assert(alg < IV_ALG_COUNT);
	return alg_info[alg].tpm_id;
}

int iv_alg_by_name(const char *name)
{
	int i;

	assert(name);
	for (i = 0; i < IV_ALG_COUNT; i++)
		if (!strcasecmp(name, alg_info[i].name))
			return i;
	return -1;
}

int iv_alg_by_tpm_id(uint16_t id)
{
	int i;

	for (i = 0; i < IV_ALG_COUNT; i++)
		if (alg_info[i].tpm_id == id)
			return i;
	return -1;
}

static const EVP_MD *alg_md(enum iv_alg alg)
{
	switch (alg) {
	case IV_ALG_SHA1:
		return EVP_sha1();
	case IV_ALG_SHA256:
		return EVP_sha256();
	case IV_ALG_SHA384:
		return EVP_sha384();
	case IV_ALG_SHA512:
		return EVP_sha512();
	default:
		return NULL;
	}
}

int iv_hash(enum iv_alg alg, const void *data, size_t len, uint8_t *out)
{
	unsigned int n = 0;

	assert(out && (data || !len));
	if (!EVP_Digest(data, len, out, &n, alg_md(alg), NULL))
		return -1;
	assert(n == iv_alg_size(alg));
	return 0;
}

/* PCR_new = H(PCR_old || value), both the bank's digest size. */
int iv_extend(enum iv_alg alg, uint8_t *pcr, const uint8_t *value)
{
	uint8_t buf[2 * IV_MAX_DIGEST];
	size_t n = iv_alg_size(alg);

	assert(pcr && value);
	memcpy(buf, pcr, n);
	memcpy(buf + n, value, n);
	return iv_hash(alg, buf, 2 * n, pcr);
}

/* OpenSSL 3 names of the algorithms, for EVP_MD_fetch(). */
static const char *const fetch_names[IV_ALG_COUNT] = {
	[IV_ALG_SHA1]	= "SHA1",
	[IV_ALG_SHA256]	= "SHA2-256",
	[IV_ALG_SHA384]	= "SHA2-384",
	[IV_ALG_SHA512]	= "SHA2-512",
};

int iv_hasher_init(struct iv_hasher *h, struct iv_err *err)
{
	int a;

	assert(h && err);
	memset(h, 0, sizeof(*h));
	for (a = 0; a < IV_ALG_COUNT; a++) {
		h->md[a] = EVP_MD_fetch(NULL, fetch_names[a], NULL);
		h->ctx[a] = EVP_MD_CTX_new();
		if (!h->md[a] || !h->ctx[a]) {
			iv_hasher_free(h);
			return iv_fail(err, "OpenSSL has no %s digest",
				       alg_info[a].name);
		}
	}
	return 0;
}

void iv_hasher_free(struct iv_hasher *h)
{
	int a;

	if (!h)
		return;
	for (a = 0; a < IV_ALG_COUNT; a++) {
		EVP_MD_CTX_free(h->ctx[a]);
		EVP_MD_free(h->md[a]);
	}
	memset(h, 0, sizeof(*h));
}

/* Init with the same digest keeps the context's state allocation. */
int iv_hasher_hash(struct iv_hasher *h, enum iv_alg alg, const void *data,
		   size_t len, uint8_t *out)
{
	EVP_MD_CTX *ctx = h->ctx[alg];

	if (!EVP_DigestInit_ex2(ctx, h->md[alg], NULL) ||
	    !EVP_DigestUpdate(ctx, data, len) ||
	    !EVP_DigestFinal_ex(ctx, out, NULL))
		return -1;
	return 0;
}

int iv_hasher_extend(struct iv_hasher *h, enum iv_alg alg, uint8_t *pcr,
		     const uint8_t *value)
{
	uint8_t buf[2 * IV_MAX_DIGEST];
	size_t n = alg_info[alg].size;

	memcpy(buf, pcr, n);
	memcpy(buf + n, value, n);
	return iv_hasher_hash(h, alg, buf, 2 * n, pcr);
}

void iv_hex(const uint8_t *p, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	assert(out && (p || !len));
	for (i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0xf];
	}
	out[2 * len] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode exactly @outlen bytes of hex from @s.  Spaces between bytes are
 * skipped, as in the TPM 1.2 sysfs "pcrs" file; anything else fails.
 */
int iv_unhex(const char *s, size_t slen, uint8_t *out, size_t outlen)
{
	size_t i = 0, n = 0;
	int hi, lo;

	assert(s && out);
	while (n < outlen) {
		while (i < slen && s[i] == ' ')
			i++;
		if (slen - i < 2)
			return -1;
		hi = hexval(s[i]);
		lo = hexval(s[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	while (i < slen && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' ||
			    s[i] == '\t'))
		i++;
	return i == slen ? 0 : -1;
}

/*
 * Read a whole file.  securityfs and sysfs report size 0, so read until
 * EOF instead of trusting st_size.
 */
int iv_read_file(const char *path, size_t max, uint8_t **buf, size_t *len,
		 struct iv_err *err)
{
	size_t cap = 65536, n = 0;
	uint8_t *p, *q;
	ssize_t r;
	int fd;

	assert(path && buf && len && err);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return iv_fail(err, "%s: %s", path, strerror(errno));
	p = malloc(cap);
	if (!p) {
		close(fd);
		return iv_fail(err, "%s: out of memory", path);
	}
	for (;;) {
		if (n == cap) {
			if (cap >= max) {
				free(p);
				close(fd);
				return iv_fail(err, "%s: larger than %zu bytes",
					       path, max);
			}
			cap = cap * 2 > max ? max : cap * 2;
			q = realloc(p, cap);
			if (!q) {
				free(p);
				close(fd);
				return iv_fail(err, "%s: out of memory", path);
			}
			p = q;
		}
		r = read(fd, p + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(p);
			close(fd);
			return iv_fail(err, "%s: %s", path, strerror(e));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*buf = p;
	*len = n;
	return 0;
}

uint32_t iv_get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

uint16_t iv_get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

uint16_t iv_get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t iv_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

uint64_t iv_get_be64(const uint8_t *p)
{
	return (uint64_t)iv_get_be32(p) << 32 | iv_get_be32(p + 4);
}
