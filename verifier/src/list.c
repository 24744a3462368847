// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parser for binary_runtime_measurements.
 *
 * Record layout (ima_measurements_show() in the kernel), in the byte
 * order of the kernel that wrote it: little endian with ima_canonical_fmt
 * or on a little-endian machine, big endian on a big-endian one (ppc64,
 * s390) without it.  The first record tells which (detect_order()); the
 * rest of the list must agree.
 *
 *	u32  pcr
 *	u8   template_digest[20]	SHA-1 of the template data; 0 = violation
 *	u32  template_name_len
 *	char template_name[]		not NUL terminated
 *	u32  template_data_len		absent for template "ima"
 *	u8   template_data[]		fields, each u32 length + bytes
 *
 * Template "ima" is written as digest[20], u32 name_len, name[name_len],
 * but the kernel hashed digest[20] || name zero padded to 256 bytes; that
 * buffer is rebuilt here because it is what the PCR was extended with.
 * Every other template's data is hashed exactly as read, never rebuilt.
 *
 * Records are read one at a time (struct iv_reader), from a FILE * or a
 * buffer, so a list of any length takes the memory of its largest record.
 */
#include <assert.h>
#include <byteswap.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "imaverify.h"

struct tpl_desc {
	const char *name;
	enum iv_template tpl;
	unsigned int nfields;
};

/* Field layouts from ima_template.c: builtin_templates[]. */
static const struct tpl_desc templates[] = {
	{ "ima",	IV_TPL_IMA,		2 },	/* d|n */
	{ "ima-ng",	IV_TPL_IMA_NG,		2 },	/* d-ng|n-ng */
	{ "ima-sig",	IV_TPL_IMA_SIG,		3 },	/* d-ng|n-ng|sig */
	{ "ima-modsig",	IV_TPL_IMA_MODSIG,	5 },	/* ..|sig|d-modsig|modsig */
	{ "ima-buf",	IV_TPL_IMA_BUF,		3 },	/* d-ng|n-ng|buf */
	/* fs-verity variants: d-ngv2 carries "ima:" or "verity:" too. */
	{ "ima-ngv2",	IV_TPL_IMA_NG,		2 },	/* d-ngv2|n-ng */
	{ "ima-sigv2",	IV_TPL_IMA_SIG,		3 },	/* d-ngv2|n-ng|sig */
};

#define HDR_LEN		(4 + IV_SHA1_LEN + 4)

static const struct tpl_desc *find_template(const char *name, uint32_t len)
{
	size_t i;

	for (i = 0; i < sizeof(templates) / sizeof(templates[0]); i++)
		if (strlen(templates[i].name) == len &&
		    !memcmp(templates[i].name, name, len))
			return &templates[i];
	return NULL;
}

static uint32_t get32(const struct iv_reader *r, const uint8_t *p)
{
	return r->order == IV_ORDER_BE ? iv_get_be32(p) : iv_get_le32(p);
}

/*
 * The byte order in which the first record's PCR index and template name
 * length both make sense; little endian when neither does, so that the
 * record fails for its own reason.  A template name is never empty, so a
 * PCR 0 (the same both ways) is still told apart by the length.
 */
static bool header_makes_sense(uint32_t pcr, uint32_t name_len)
{
	return pcr < IV_PCR_COUNT && name_len &&
	       name_len <= IV_TEMPLATE_NAME_MAX;
}

static enum iv_order detect_order(const uint8_t *hdr)
{
	const uint8_t *len = hdr + 4 + IV_SHA1_LEN;

	if (header_makes_sense(iv_get_le32(hdr), iv_get_le32(len)))
		return IV_ORDER_LE;
	if (header_makes_sense(iv_get_be32(hdr), iv_get_be32(len)))
		return IV_ORDER_BE;
	return IV_ORDER_LE;
}

/* A value that only makes sense byte swapped: the order changed mid-list. */
static const char *endian_hint(const struct iv_reader *r, uint32_t v,
			       uint32_t limit)
{
	if (v <= limit || bswap_32(v) > limit)
		return "";
	/* The first record made sense in neither order. */
	if (!r->index)
		return " (looks byte-swapped)";
	return r->order == IV_ORDER_BE ?
	       " (looks byte-swapped: the list began big endian)" :
	       " (looks byte-swapped: the list began little endian)";
}

/*
 * d-ng: "<algo>:" NUL digest, where the length covers all of it.  A field
 * with no such prefix is a bare digest (the legacy "d" field).
 */
static int decode_digest(struct iv_entry *e, const struct iv_field *f,
			 struct iv_err *err)
{
	const uint8_t *nul;
	const char *name;
	size_t plen;
	int alg;

	e->algo[0] = '\0';
	e->fdigest = f->p;
	e->fdigest_len = f->len;
	nul = f->len ? memchr(f->p, '\0', f->len < 32 ? f->len : 32) : NULL;
	if (!nul || nul == f->p || nul[-1] != ':')
		return 0;
	plen = (size_t)(nul - f->p) - 1;
	for (size_t i = 0; i < plen; i++)
		if (f->p[i] < 0x21 || f->p[i] > 0x7e)
			return 0;
	memcpy(e->algo, f->p, plen);
	e->algo[plen] = '\0';
	e->fdigest = nul + 1;
	e->fdigest_len = f->len - (uint32_t)plen - 2;
	/* d-ngv2 has "ima:" or "verity:" before the algorithm. */
	name = strrchr(e->algo, ':');
	alg = iv_alg_by_name(name ? name + 1 : e->algo);
	if (alg >= 0 && e->fdigest_len != iv_alg_size((enum iv_alg)alg))
		return iv_fail_at(err, e->index, e->offset,
				  "%s file digest is %u bytes, expected %zu",
				  e->algo, e->fdigest_len,
				  iv_alg_size((enum iv_alg)alg));
	return 0;
}

static void decode_name(struct iv_entry *e, const struct iv_field *f)
{
	const uint8_t *nul = f->len ? memchr(f->p, '\0', f->len) : NULL;

	e->fname = (const char *)f->p;
	e->fname_len = nul ? (uint32_t)(nul - f->p) : f->len;
}

/*
 * Split template data into u32-length-prefixed fields.  For a known
 * template the count must be exact and the fields must cover the data.
 * Unknown templates are split if they happen to parse, else kept opaque.
 */
static int split_fields(const struct iv_reader *r, struct iv_entry *e,
			const struct tpl_desc *desc, struct iv_err *err)
{
	size_t pos = 0, foff;
	bool more = false;
	uint32_t flen;

	e->nfields = 0;
	while (pos < e->data_len) {
		foff = e->offset + (e->size - e->data_len) + pos;
		if (e->nfields == IV_MAX_FIELDS ||
		    (desc && e->nfields == desc->nfields)) {
			more = true;
			goto bad_count;
		}
		if (e->data_len - pos < 4) {
			if (!desc)
				goto opaque;
			return iv_fail_at(err, e->index, e->offset,
					  "field %u at offset %zu: truncated length",
					  e->nfields + 1, foff);
		}
		flen = get32(r, e->data + pos);
		if (flen > e->data_len - pos - 4) {
			if (!desc)
				goto opaque;
			return iv_fail_at(err, e->index, e->offset,
					  "field %u at offset %zu: length %u exceeds the %zu bytes left in the template data",
					  e->nfields + 1, foff,
					  flen, e->data_len - pos - 4);
		}
		e->fields[e->nfields].p = e->data + pos + 4;
		e->fields[e->nfields].len = flen;
		e->nfields++;
		pos += 4 + (size_t)flen;
	}
	if (desc && e->nfields != desc->nfields)
		goto bad_count;
	return 0;

bad_count:
	if (!desc)
		goto opaque;
	return iv_fail_at(err, e->index, e->offset,
			  "template %s needs %u fields, data holds %s%u",
			  desc->name, desc->nfields,
			  more ? "more than " : "",
			  e->nfields);
opaque:
	e->nfields = 0;
	return 0;
}

static int decode_fields(struct iv_entry *e, struct iv_err *err)
{
	if (e->tpl == IV_TPL_OTHER)
		return 0;
	/* All known templates start with a digest field and a name field. */
	if (!e->fields[0].len)
		return iv_fail_at(err, e->index, e->offset,
				  "empty digest field");
	if (decode_digest(e, &e->fields[0], err))
		return -1;
	decode_name(e, &e->fields[1]);
	if (e->tpl == IV_TPL_IMA_BUF) {
		e->buf = e->fields[2].p;
		e->buf_len = e->fields[2].len;
		e->has_buf = true;
	}
	return 0;
}

/*
 * Have at least @want bytes of the current record in r->rec, or all
 * that is left of the input if fewer; r->have says how many.
 */
static int fill(struct iv_reader *r, size_t want, struct iv_err *err)
{
	size_t got;

	if (r->have >= want)
		return 0;
	if (!r->f) {
		size_t left = r->mem_len - r->offset;

		r->have = want < left ? want : left;
		return 0;
	}
	if (want > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		uint8_t *n;

		while (cap < want)
			cap *= 2;
		n = realloc(r->buf, cap);
		if (!n)
			return iv_fail(err, "out of memory");
		r->buf = n;
		r->cap = cap;
		r->rec = n;
	}
	/* The reader is the stream's one user: no lock per call. */
	got = fread_unlocked(r->buf + r->have, 1, want - r->have, r->f);
	r->have += got;
	if (r->have < want && ferror(r->f))
		return iv_fail_at(err, r->index, r->offset,
				  "read error: %s",
				  strerror(errno));
	return 0;
}

/* Template "ima": digest[20], u32 name_len, name; hashed padded to 256. */
static int parse_ima(struct iv_reader *r, size_t pos, struct iv_err *err)
{
	struct iv_entry *e = &r->e;
	uint32_t nlen;

	if (fill(r, pos + IV_SHA1_LEN + 4, err))
		return -1;
	if (r->have - pos < IV_SHA1_LEN + 4)
		return iv_fail_at(err, e->index, e->offset,
				  "truncated \"ima\" template data (%zu bytes left, need %d)",
				  r->have - pos,
				  IV_SHA1_LEN + 4);
	nlen = get32(r, r->rec + pos + IV_SHA1_LEN);
	if (nlen > IV_IMA_NAME_PAD - 1)
		return iv_fail_at(err, e->index, e->offset,
				  "\"ima\" file name length %u exceeds %d%s",
				  nlen, IV_IMA_NAME_PAD - 1,
				  endian_hint(r, nlen, IV_IMA_NAME_PAD - 1));
	pos += IV_SHA1_LEN + 4;
	if (fill(r, pos + nlen, err))
		return -1;
	if (r->have - pos < nlen)
		return iv_fail_at(err, e->index, e->offset,
				  "truncated \"ima\" file name (%u bytes declared, %zu present)",
				  nlen, r->have - pos);
	memset(r->ima, 0, sizeof(r->ima));
	memcpy(r->ima, r->rec + pos - IV_SHA1_LEN - 4, IV_SHA1_LEN);
	memcpy(r->ima + IV_SHA1_LEN, r->rec + pos, nlen);
	e->data = r->ima;
	e->data_len = IV_IMA_DATA_LEN;
	e->nfields = 2;
	e->fields[0].p = r->ima;
	e->fields[0].len = IV_SHA1_LEN;
	e->fields[1].p = r->ima + IV_SHA1_LEN;
	e->fields[1].len = nlen;
	e->fdigest = r->ima;
	e->fdigest_len = IV_SHA1_LEN;
	e->fname = (const char *)r->ima + IV_SHA1_LEN;
	e->fname_len = nlen;
	e->size = pos + nlen;
	return 0;
}

/*
 * One record, read no further than its own fields say, each checked
 * before it is used: a PCR index, name length or data length that makes
 * no sense fails on this record, before anything more is read.
 * Returns 1 for an entry, 0 at the end of the input, -1 on error.
 */
static int parse_record(struct iv_reader *r, struct iv_err *err)
{
	struct iv_entry *e = &r->e;
	const struct tpl_desc *desc;
	const uint8_t *p;
	size_t pos;
	uint32_t dlen;
	int n;

	memset(e, 0, sizeof(*e));
	e->index = r->index;
	e->offset = r->offset;
	r->have = 0;
	if (!r->f && r->mem)
		r->rec = r->mem + r->offset;
	if (fill(r, HDR_LEN, err))
		return -1;
	if (!r->have)
		return 0;
	if (r->have < HDR_LEN)
		return iv_fail_at(err, e->index, e->offset,
				  "truncated header (%zu bytes left, need %d)",
				  r->have, HDR_LEN);
	p = r->rec;
	if (r->order == IV_ORDER_UNKNOWN)
		r->order = detect_order(p);
	e->pcr = get32(r, p);
	if (e->pcr >= IV_PCR_COUNT)
		return iv_fail_at(err, e->index, e->offset,
				  "PCR index %u out of range 0-%d%s",
				  e->pcr, IV_PCR_COUNT - 1,
				  endian_hint(r, e->pcr, IV_PCR_COUNT - 1));
	memcpy(e->digest, p + 4, IV_SHA1_LEN);
	e->violation = true;
	for (n = 0; n < IV_SHA1_LEN; n++)
		if (e->digest[n])
			e->violation = false;
	e->tname_len = get32(r, p + 4 + IV_SHA1_LEN);
	if (!e->tname_len || e->tname_len > IV_TEMPLATE_NAME_MAX)
		return iv_fail_at(err, e->index, e->offset,
				  "template name length %u not in 1-%d%s",
				  e->tname_len,
				  IV_TEMPLATE_NAME_MAX,
				  endian_hint(r, e->tname_len, IV_TEMPLATE_NAME_MAX));
	pos = HDR_LEN;
	if (fill(r, pos + e->tname_len, err))
		return -1;
	if (r->have - pos < e->tname_len)
		return iv_fail_at(err, e->index, e->offset,
				  "truncated template name (%u bytes declared, %zu present)",
				  e->tname_len,
				  r->have - pos);
	p = r->rec + pos;
	for (uint32_t i = 0; i < e->tname_len; i++)
		if (p[i] < 0x21 || p[i] > 0x7e)
			return iv_fail_at(err, e->index, e->offset,
					  "template name is not printable ASCII");
	desc = find_template((const char *)p, e->tname_len);
	e->tpl = desc ? desc->tpl : IV_TPL_OTHER;
	pos += e->tname_len;

	if (e->tpl == IV_TPL_IMA) {
		if (parse_ima(r, pos, err))
			return -1;
		goto done;
	}

	if (fill(r, pos + 4, err))
		return -1;
	if (r->have - pos < 4)
		return iv_fail_at(err, e->index, e->offset,
				  "truncated template data length");
	dlen = get32(r, r->rec + pos);
	pos += 4;
	/* evmctl: every record must carry some template data. */
	if (!dlen)
		return iv_fail_at(err, e->index, e->offset,
				  "zero-length template data");
	if (dlen > IV_TEMPLATE_DATA_MAX)
		return iv_fail_at(err, e->index, e->offset,
				  "template data length %u exceeds the %d byte limit%s",
				  dlen, IV_TEMPLATE_DATA_MAX,
				  endian_hint(r, dlen, IV_TEMPLATE_DATA_MAX));
	if (fill(r, pos + dlen, err))
		return -1;
	if (r->have - pos < dlen)
		return iv_fail_at(err, e->index, e->offset,
				  "truncated template data (%u bytes declared, %zu present)",
				  dlen, r->have - pos);
	e->data = r->rec + pos;
	e->data_len = dlen;
	e->size = pos + dlen;
	if (split_fields(r, e, desc, err) || decode_fields(e, err))
		return -1;
done:
	/* Only now: filling may have moved the record. */
	e->raw = r->rec;
	e->tname = (const char *)r->rec + HDR_LEN;
	r->offset += e->size;
	r->index++;
	return 1;
}

static void reader_init(struct iv_reader *r)
{
	memset(r, 0, sizeof(*r));
}

/*
 * A bigger buffer than stdio's default (st_blksize, 4 KiB): fewer read()
 * calls.  Only for a file the reader opened: setvbuf() is for before
 * the first I/O, and glibc ignores the size unless given the buffer.
 */
#define READ_BUF	(256 * 1024)

/* The caller's stream, from where it stands and buffered as it is. */
void iv_reader_file(struct iv_reader *r, FILE *f)
{
	assert(r && f);
	reader_init(r);
	r->f = f;
	r->start = ftell(f);
	r->seekable = r->start >= 0;
}

void iv_reader_mem(struct iv_reader *r, const uint8_t *buf, size_t len)
{
	assert(r && (buf || !len));
	reader_init(r);
	r->mem = buf;
	r->mem_len = len;
	r->seekable = true;
}

int iv_reader_open(struct iv_reader *r, const char *path, struct iv_err *err)
{
	char *iobuf;
	FILE *f;

	assert(r && path && err);
	if (!strcmp(path, "-")) {
		iv_reader_file(r, stdin);
		return 0;
	}
	f = fopen(path, "rb");
	if (!f) {
		reader_init(r);
		return iv_fail(err, "%s: %s", path, strerror(errno));
	}
	iobuf = malloc(READ_BUF);
	/* Without it, stdio's own buffer does. */
	if (iobuf && setvbuf(f, iobuf, _IOFBF, READ_BUF)) {
		free(iobuf);
		iobuf = NULL;
	}
	iv_reader_file(r, f);
	r->own_file = true;
	r->iobuf = iobuf;
	return 0;
}

int iv_reader_next(struct iv_reader *r, const struct iv_entry **e,
		   struct iv_err *err)
{
	int ret;

	assert(r && e && err);
	ret = parse_record(r, err);
	*e = ret > 0 ? &r->e : NULL;
	return ret;
}

/*
 * Back to the first record, for a second pass over the same bytes: the
 * first after a prefix iv_reader_skip() read, if it did.
 */
int iv_reader_rewind(struct iv_reader *r, struct iv_err *err)
{
	assert(r && err);
	if (!r->seekable ||
	    (r->f && fseeko(r->f, (off_t)r->start + (off_t)r->base_offset,
			    SEEK_SET)))
		return iv_fail(err, "cannot read the list a second time");
	if (r->f)
		clearerr(r->f);
	r->index = r->base_index;
	r->offset = r->base_offset;
	return 0;
}

void iv_reader_close(struct iv_reader *r)
{
	if (!r)
		return;
	if (r->own_file && r->f)
		fclose(r->f);
	free(r->iobuf);			/* after fclose(): stdio's until then */
	free(r->buf);
	reader_init(r);
}

static int grow(struct iv_list *l, struct iv_err *err)
{
	struct iv_entry *n;
	size_t cap;

	if (l->count < l->cap)
		return 0;
	cap = l->cap ? l->cap * 2 : 64;
	n = realloc(l->e, cap * sizeof(*n));
	if (!n)
		return iv_fail(err, "out of memory for %zu entries", cap);
	l->e = n;
	l->cap = cap;
	return 0;
}

/* @e as an entry of a list: "ima" data, rebuilt in the reader, copied. */
static int keep_entry(struct iv_entry *dst, const struct iv_entry *e,
		      struct iv_err *err)
{
	const uint8_t *from = e->data;
	uint8_t *to;
	unsigned int i;

	*dst = *e;
	if (e->tpl != IV_TPL_IMA)
		return 0;
	to = malloc(IV_IMA_DATA_LEN);
	if (!to)
		return iv_fail(err, "out of memory");
	memcpy(to, from, IV_IMA_DATA_LEN);
	dst->owned = to;
	dst->data = to;
	for (i = 0; i < dst->nfields; i++)
		dst->fields[i].p = to + (e->fields[i].p - from);
	dst->fdigest = to + (e->fdigest - from);
	dst->fname = (const char *)to + ((const uint8_t *)e->fname - from);
	return 0;
}

/*
 * Parse @buf, which must outlive @l.  On error @l keeps the entries
 * parsed so far, so the caller can still free it.
 */
int iv_list_parse(struct iv_list *l, const uint8_t *buf, size_t len,
		  struct iv_err *err)
{
	const struct iv_entry *e;
	struct iv_reader r;
	int ret;

	assert(l && err && (buf || !len));
	iv_reader_mem(&r, buf, len);
	while ((ret = iv_reader_next(&r, &e, err)) > 0) {
		if (grow(l, err) || keep_entry(&l->e[l->count], e, err)) {
			ret = -1;
			break;
		}
		l->count++;
	}
	iv_reader_close(&r);
	return ret < 0 ? -1 : 0;
}

int iv_list_load(struct iv_list *l, const char *path, struct iv_err *err)
{
	assert(l && path && err);
	if (iv_read_file(path, IV_LIST_MAX, &l->raw, &l->raw_len, err))
		return -1;
	if (!l->raw_len)
		return iv_fail(err, "%s: measurement list is empty", path);
	if (iv_list_parse(l, l->raw, l->raw_len, err)) {
		char msg[sizeof(err->msg)];

		snprintf(msg, sizeof(msg), "%s", err->msg);
		return iv_fail(err, "%s: %s", path, msg);
	}
	return 0;
}

void iv_list_free(struct iv_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->count; i++)
		free(l->e[i].owned);
	free(l->e);
	free(l->raw);
	memset(l, 0, sizeof(*l));
}

/* The same record: what the kernel logged and hashed. */
bool iv_entry_same(const struct iv_entry *a, const struct iv_entry *b)
{
	assert(a && b);
	return a->pcr == b->pcr && a->tname_len == b->tname_len &&
	       !memcmp(a->tname, b->tname, a->tname_len) &&
	       !memcmp(a->digest, b->digest, IV_SHA1_LEN) &&
	       a->data_len == b->data_len &&
	       !memcmp(a->data, b->data, a->data_len);
}

bool iv_entry_name_is(const struct iv_entry *e, const char *name)
{
	assert(e && name);
	return e->fname && e->fname_len == strlen(name) &&
	       !memcmp(e->fname, name, e->fname_len);
}

/* The file digest's algorithm: "ima" has none written, d-ngv2 a prefix. */
const char *iv_entry_file_alg(const struct iv_entry *e)
{
	assert(e);
	if (!e->algo[0])
		return e->fdigest_len == IV_SHA1_LEN ? "sha1" :
		       e->fdigest_len == 16 ? "md5" : "";
	if (!strncmp(e->algo, "ima:", 4))
		return e->algo + 4;
	return e->algo;
}

/*
 * One per boot; after kexec the new kernel adds its own (ima_init.c).
 * Never a violation: it extends all 0xff whatever its data says, so
 * its name is bound by nothing.
 */
bool iv_entry_is_boot_aggregate(const struct iv_entry *e)
{
	assert(e);
	return !e->violation && e->tpl != IV_TPL_IMA_BUF &&
	       e->tpl != IV_TPL_OTHER && iv_entry_name_is(e, "boot_aggregate");
}

/* "template 'name'" with the name made safe for a terminal. */
void iv_entry_label(const struct iv_entry *e, char *out, size_t len)
{
	char name[68];
	uint32_t i, n = 0;

	assert(e && out && len);
	for (i = 0; e->fname && i < e->fname_len && n < 64; i++) {
		unsigned char c = (unsigned char)e->fname[i];

		name[n++] = c >= 0x20 && c < 0x7f && c != '\'' && c != '"' &&
			    c != '\\' ? (char)c : '?';
	}
	if (e->fname && i < e->fname_len) {
		memcpy(name + n, "...", 3);
		n += 3;
	}
	name[n] = '\0';
	snprintf(out, len, "%.*s '%s'", (int)e->tname_len, e->tname, name);
}
