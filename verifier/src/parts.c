// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Initramfs members: the records a KEXEC_INITRAMFS_CHECK rule with
 * initramfs=parts (or blob+parts) makes, against the part files an
 * operator concatenated into the initramfs.
 *
 * The kernel splits the file into members and measures each with the
 * rule's template: file digest the hash of the member's bytes, name
 * PATH#INDEX:KIND@OFFSET+LENGTH.  The first member starts at offset 0,
 * each later one at the first byte that is not zero after the stream
 * before it, so zero padding belongs to the member it follows; the kind
 * is told by the first bytes that are not zero (cpio, gzip, zstd, xz,
 * unknown; "-bad" and "unscanned" are the kernel's words for what it
 * could not follow, never a part's).  Part file i is then member i, and
 * what the kernel will log for it follows from the files alone.
 *
 * A part is read once in blocks, into every algorithm asked for; the
 * list once, record by record, keeping the member records of the load
 * being read (at most IV_PARTS_MAX): the last one read is the last load.
 * IMA adds no record whose template digest it holds already, so a load
 * whose member i is an earlier load's member i to the byte (same name,
 * same digest) has no record of it: such a part matches through the
 * earlier record, and the load's next member starts a load of its own.
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "imaverify.h"

#define PART_BLOCK	(64 * 1024)
#define MAGIC_MAX	6		/* the longest magic, xz's */

static const char *const kind_names[] = {
	[IV_PART_UNKNOWN]	= "unknown",
	[IV_PART_CPIO]		= "cpio",
	[IV_PART_GZIP]		= "gzip",
	[IV_PART_ZSTD]		= "zstd",
	[IV_PART_XZ]		= "xz",
};

const char *iv_part_kind_name(enum iv_part_kind k)
{
	assert(k < sizeof(kind_names) / sizeof(kind_names[0]));
	return kind_names[k];
}

static bool starts(const uint8_t *p, size_t len, const char *magic,
		   size_t mlen)
{
	return len >= mlen && !memcmp(p, magic, mlen);
}

enum iv_part_kind iv_part_kind_of(const uint8_t *p, size_t len)
{
	assert(p || !len);
	/* newc, and newc with checksums; the old binary and odc are not. */
	if (starts(p, len, "070701", 6) || starts(p, len, "070702", 6))
		return IV_PART_CPIO;
	if (starts(p, len, "\x1f\x8b", 2))
		return IV_PART_GZIP;
	if (starts(p, len, "\x28\xb5\x2f\xfd", 4))
		return IV_PART_ZSTD;
	if (starts(p, len, "\xfd" "7zXZ\0", 6))
		return IV_PART_XZ;
	return IV_PART_UNKNOWN;
}

static int part_read(struct iv_part *part, const char *path,
		     unsigned int algs, struct iv_hasher *h, uint8_t *buf,
		     struct iv_err *err)
{
	uint8_t magic[MAGIC_MAX];
	size_t n, i, nmagic = 0;
	FILE *f;
	int a, e;

	memset(part, 0, sizeof(*part));
	part->path = path;
	part->alg = -1;
	f = fopen(path, "rb");
	if (!f)
		return iv_fail(err, "%s: %s", path, strerror(errno));
	for (a = 0; a < IV_ALG_COUNT; a++)
		if (algs & 1u << a &&
		    !EVP_DigestInit_ex2(h->ctx[a], h->md[a], NULL))
			goto hash_failed;
	while ((n = fread(buf, 1, PART_BLOCK, f)) > 0) {
		if (!part->length)
			part->zero_start = !buf[0];
		part->length += n;
		for (a = 0; a < IV_ALG_COUNT; a++)
			if (algs & 1u << a &&
			    !EVP_DigestUpdate(h->ctx[a], buf, n))
				goto hash_failed;
		/* The magic may lie across blocks, after any zeros. */
		for (i = 0; i < n && nmagic < sizeof(magic); i++)
			if (nmagic || buf[i])
				magic[nmagic++] = buf[i];
	}
	if (ferror(f)) {
		e = errno;
		fclose(f);
		return iv_fail(err, "%s: %s", path, strerror(e));
	}
	fclose(f);
	for (a = 0; a < IV_ALG_COUNT; a++)
		if (algs & 1u << a &&
		    !EVP_DigestFinal_ex(h->ctx[a], part->digest[a], NULL))
			return iv_fail(err, "%s: %s failed", path,
				       iv_alg_name((enum iv_alg)a));
	part->kind = iv_part_kind_of(magic, nmagic);
	return 0;
hash_failed:
	fclose(f);
	return iv_fail(err, "%s: %s failed", path, iv_alg_name((enum iv_alg)a));
}

/* One hasher and one block for all parts: the digests fetched once. */
struct part_io {
	struct iv_hasher h;
	uint8_t *buf;
};

static int io_init(struct part_io *io, struct iv_err *err)
{
	if (iv_hasher_init(&io->h, err))
		return -1;
	io->buf = malloc(PART_BLOCK);
	if (!io->buf) {
		iv_hasher_free(&io->h);
		return iv_fail(err, "out of memory");
	}
	return 0;
}

static void io_free(struct part_io *io)
{
	iv_hasher_free(&io->h);
	free(io->buf);
}

int iv_part_read(struct iv_part *part, const char *path, unsigned int algs,
		 struct iv_err *err)
{
	struct part_io io;
	int ret;

	assert(part && path && err);
	if (io_init(&io, err))
		return -1;
	ret = part_read(part, path, algs, &io.h, io.buf, err);
	io_free(&io);
	return ret;
}

/* Would the kernel split the concatenation of the parts into them? */
static int part_place(const struct iv_part *p, size_t i, size_t n,
		      struct iv_err *err)
{
	if (!p->length)
		return iv_fail(err, "%s: empty: a member has at least one byte",
			       p->path);
	if (i && p->zero_start)
		return iv_fail(err, "%s starts with a zero byte: the kernel counts zeros after a member to that member, so part %zu would not start at byte %" PRIu64 "; add them to the end of the part before",
			       p->path, i, p->offset);
	if (p->kind == IV_PART_UNKNOWN && i + 1 < n)
		return iv_fail(err, "%s is not a cpio, gzip, zstd or xz stream (or is all zeros): the kernel measures such a member and all after it as one, so it can only be the last part",
			       p->path);
	return 0;
}

int iv_parts_read(struct iv_parts *ps, const char *const *paths, size_t n,
		  unsigned int algs, struct iv_err *err)
{
	struct part_io io;
	uint64_t offset = 0;
	size_t i;
	int ret = 0;

	assert(ps && (paths || !n) && err);
	ps->hash = -1;
	ps->algs = algs;
	if (!n)
		return iv_fail(err, "no parts given");
	if (n > IV_PARTS_MAX)
		return iv_fail(err, "%zu parts: at most %d", n, IV_PARTS_MAX);
	ps->part = calloc(n, sizeof(*ps->part));
	if (!ps->part)
		return iv_fail(err, "out of memory for %zu parts", n);
	if (io_init(&io, err))
		return -1;
	for (i = 0; i < n && !ret; i++) {
		struct iv_part *p = &ps->part[i];

		ret = part_read(p, paths[i], algs, &io.h, io.buf, err);
		if (ret)
			break;
		p->offset = offset;
		if (p->length > UINT64_MAX - offset)
			ret = iv_fail(err, "%s: the parts are larger than 2^64 bytes",
				      p->path);
		else
			ret = part_place(p, i, n, err);
		offset += p->length;
		ps->nparts++;
	}
	io_free(&io);
	return ret;
}

/* A decimal number without leading zeros, as the kernel prints it. */
static bool parse_dec(const char **s, const char *end, uint64_t *v)
{
	const char *p = *s;
	uint64_t x = 0;

	if (p == end || *p < '0' || *p > '9' ||
	    (*p == '0' && p + 1 < end && p[1] >= '0' && p[1] <= '9'))
		return false;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*s = p;
	*v = x;
	return true;
}

static bool kind_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

bool iv_member_name_parse(const char *name, size_t len, size_t *path_len,
			  struct iv_member *m)
{
	const char *end = name + len, *p, *kind;
	size_t i = len;

	assert((name || !len) && path_len && m);
	/* The suffix holds no '#': the last one ends the path. */
	while (i && name[i - 1] != '#')
		i--;
	if (i < 2)
		return false;
	p = name + i;
	if (!parse_dec(&p, end, &m->index) || p == end || *p++ != ':')
		return false;
	for (kind = p; p < end && kind_char(*p); p++)
		;
	if (p == kind || p - kind >= IV_PART_KIND_MAX || p == end || *p != '@')
		return false;
	memcpy(m->kind, kind, (size_t)(p - kind));
	m->kind[p - kind] = '\0';
	p++;
	if (!parse_dec(&p, end, &m->offset) || p == end || *p++ != '+' ||
	    !parse_dec(&p, end, &m->length) || p != end)
		return false;
	*path_len = i - 1;
	return true;
}

int iv_parts_fragment(const struct iv_parts *ps, const char *name,
		      enum iv_alg alg, FILE *out, struct iv_err *err)
{
	char hex[2 * IV_MAX_DIGEST + 1];
	size_t i;

	assert(ps && name && out && err && alg < IV_ALG_COUNT);
	/* The policy's path is the rest of its line. */
	if (!name[0] || strpbrk(name, "\n\r"))
		return iv_fail(err, "the initramfs path must be one line, not empty");
	if (!(ps->algs & 1u << alg))
		return iv_fail(err, "the parts were not hashed in %s",
			       iv_alg_name(alg));
	for (i = 0; i < ps->nparts; i++) {
		const struct iv_part *p = &ps->part[i];

		iv_hex(p->digest[alg], iv_alg_size(alg), hex);
		fprintf(out, "digest %s:%s %s#%zu:%s@%" PRIu64 "+%" PRIu64 "\n",
			iv_alg_name(alg), hex, name, i,
			iv_part_kind_name(p->kind), p->offset, p->length);
	}
	if (fflush(out) || ferror(out))
		return iv_fail(err, "writing the policy lines: %s",
			       strerror(errno));
	return 0;
}

/*
 * A member record: a file measurement (ima, ima-ng, ima-sig; never a
 * violation, whose name nothing binds) named as a member.
 */
static bool member_record(const struct iv_entry *e, size_t *path_len,
			  struct iv_member *m)
{
	const char *alg;

	if (e->violation || !e->fname || !e->fdigest ||
	    (e->tpl != IV_TPL_IMA && e->tpl != IV_TPL_IMA_NG &&
	     e->tpl != IV_TPL_IMA_SIG) ||
	    !iv_member_name_parse(e->fname, e->fname_len, path_len, m))
		return false;
	m->entry = e->index;
	alg = iv_entry_file_alg(e);
	snprintf(m->alg, sizeof(m->alg), "%s", alg);
	m->digest_len = e->fdigest_len > IV_MAX_DIGEST ? IV_MAX_DIGEST :
			e->fdigest_len;
	memcpy(m->digest, e->fdigest, m->digest_len);
	return true;
}

/* The algorithm part and record are compared in: --hash, or the record's. */
static int compare_alg(const struct iv_parts *ps, const struct iv_member *m)
{
	int a = ps->hash >= 0 ? ps->hash : iv_alg_by_name(m->alg);

	return a >= 0 && ps->algs & 1u << a ? a : -1;
}

static bool same_place(const struct iv_part *p, const struct iv_member *m)
{
	return !strcmp(m->kind, iv_part_kind_name(p->kind)) &&
	       m->offset == p->offset && m->length == p->length;
}

static bool same_digest(const struct iv_parts *ps, const struct iv_part *p,
			const struct iv_member *m)
{
	int a = compare_alg(ps, m);

	return a >= 0 && iv_alg_by_name(m->alg) == a &&
	       m->digest_len == iv_alg_size((enum iv_alg)a) &&
	       !memcmp(m->digest, p->digest[a], m->digest_len);
}

static bool is_path(const char *s, const char *p, size_t len)
{
	return strlen(s) == len && !memcmp(s, p, len);
}

static int add_other(struct iv_parts *ps, const char *path, size_t len,
		     struct iv_err *err)
{
	size_t i;

	for (i = 0; i < ps->nother; i++)
		if (is_path(ps->other[i], path, len))
			return 0;
	if (ps->nother == IV_PARTS_OTHERS_MAX) {
		ps->other_more = true;
		return 0;
	}
	ps->other[ps->nother] = strndup(path, len);
	if (!ps->other[ps->nother])
		return iv_fail(err, "out of memory");
	ps->nother++;
	return 0;
}

static int add_member(struct iv_parts *ps, const struct iv_member *m,
		      const struct iv_entry *e, struct iv_err *err)
{
	struct iv_member *n;
	size_t cap;

	if (ps->nmember == IV_PARTS_MAX)
		return iv_fail_at(err, e->index, e->offset,
				  "more than %d members in one load", IV_PARTS_MAX);
	if (ps->nmember == ps->member_cap) {
		cap = ps->member_cap ? ps->member_cap * 2 : 32;
		n = realloc(ps->member, cap * sizeof(*n));
		if (!n)
			return iv_fail(err, "out of memory");
		ps->member = n;
		ps->member_cap = cap;
	}
	ps->member[ps->nmember++] = *m;
	return 0;
}

/* "the list has members of more than one initramfs: A, B; ..." */
static int ambiguous(const struct iv_parts *ps, struct iv_err *err)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return iv_fail(err, "out of memory");
	iv_print_safe(f, ps->name, 200);
	for (i = 0; i < ps->nother; i++) {
		fputs(", ", f);
		iv_print_safe(f, ps->other[i], 200);
	}
	if (ps->other_more)
		fputs(" and more", f);
	if (fclose(f)) {
		free(text);
		return iv_fail(err, "out of memory");
	}
	iv_fail(err, "the list has members of more than one initramfs: %s; choose one with --name",
		text);
	free(text);
	return -1;
}

/* After the pass: each part against the last load, and what is extra. */
static void judge_parts(struct iv_parts *ps)
{
	size_t i, k = 0;

	for (i = 0; i < ps->nparts; i++) {
		struct iv_part *p = &ps->part[i];

		/* Members are in ascending index order: walk them once. */
		while (k < ps->nmember && ps->member[k].index < i)
			k++;
		if (k < ps->nmember && ps->member[k].index == i) {
			p->member = k;
			p->alg = compare_alg(ps, &ps->member[k]);
			if (same_place(p, &ps->member[k]) &&
			    same_digest(ps, p, &ps->member[k])) {
				p->verdict = IV_PART_MATCH;
			} else {
				p->verdict = IV_PART_DIFFERS;
				ps->differ++;
			}
		} else if (p->seen) {
			p->verdict = IV_PART_HELD;
		} else {
			p->verdict = IV_PART_MISSING;
			ps->missing++;
		}
	}
	for (k = 0; k < ps->nmember; k++)
		if (ps->member[k].index >= ps->nparts)
			ps->extra++;
}

int iv_parts_judge(struct iv_parts *ps, struct iv_reader *r, const char *name,
		   int hash, struct iv_err *err)
{
	const struct iv_entry *e;
	struct iv_member m;
	size_t plen;
	int ret;

	assert(ps && r && err && hash < IV_ALG_COUNT);
	ps->hash = hash;
	if (name && !(ps->name = strdup(name)))
		return iv_fail(err, "out of memory");
	while ((ret = iv_reader_next(r, &e, err)) > 0) {
		if (!member_record(e, &plen, &m))
			continue;
		if (!ps->name && !(ps->name = strndup(e->fname, plen)))
			return iv_fail(err, "out of memory");
		if (!is_path(ps->name, e->fname, plen)) {
			if (!name && add_other(ps, e->fname, plen, err))
				return -1;
			continue;
		}
		if (!ps->nmember ||
		    m.index <= ps->member[ps->nmember - 1].index) {
			ps->nmember = 0;
			ps->loads++;
		}
		if (add_member(ps, &m, e, err))
			return -1;
		if (m.index < ps->nparts &&
		    same_place(&ps->part[m.index], &m) &&
		    same_digest(ps, &ps->part[m.index], &m)) {
			ps->part[m.index].seen = true;
			ps->part[m.index].seen_entry = m.entry;
		}
	}
	if (ret < 0)
		return -1;
	if (!ps->name)
		return iv_fail(err, "no record names an initramfs member (PATH#INDEX:KIND@OFFSET+LENGTH): no initramfs=parts rule measured a kexec_file_load; --name judges a path all the same");
	if (ps->nother)
		return ambiguous(ps, err);
	judge_parts(ps);
	return 0;
}

int iv_parts_status(const struct iv_parts *ps)
{
	assert(ps);
	return ps->nparts && !ps->differ && !ps->missing && !ps->extra &&
	       ps->loads ? IV_VERIFIED : IV_NOT_VERIFIED;
}

/* "sha256:<hex>", or the hex alone for a digest of no known algorithm. */
static void digest_text(FILE *out, const char *alg, const uint8_t *d,
			size_t len)
{
	char hex[2 * IV_MAX_DIGEST + 1];

	iv_hex(d, len, hex);
	fprintf(out, "%s%s%s", alg, alg[0] ? ":" : "", hex);
}

static void differs(const struct iv_parts *ps, const struct iv_part *p,
		    FILE *out)
{
	const struct iv_member *m = &ps->member[p->member];
	bool place = !same_place(p, m);

	fputs("differs: list ", out);
	if (place)
		fprintf(out, "%s@%" PRIu64 "+%" PRIu64 " ", m->kind,
			m->offset, m->length);
	digest_text(out, m->alg, m->digest, m->digest_len);
	fprintf(out, ", %s ", p->path);
	if (place)
		fprintf(out, "%s@%" PRIu64 "+%" PRIu64 " ",
			iv_part_kind_name(p->kind), p->offset, p->length);
	if (p->alg < 0)
		fprintf(out, "not hashed in %s", m->alg[0] ? m->alg :
			"the list's algorithm");
	else
		digest_text(out, iv_alg_name((enum iv_alg)p->alg),
			    p->digest[p->alg],
			    iv_alg_size((enum iv_alg)p->alg));
}

static const char *is_are(size_t n)
{
	return n == 1 ? "is" : "are";
}

static void verdict_line(const struct iv_parts *ps, const char *list_name,
			 FILE *out)
{
	bool match = iv_parts_status(ps) == IV_VERIFIED;

	fputs(match ? "MATCH: " : "NO MATCH: ", out);
	iv_print_safe(out, ps->name, 200);
	if (!ps->loads) {
		fprintf(out, ": no member records in %s (no initramfs=parts rule, or another path?)\n",
			list_name);
		return;
	}
	if (match)
		fprintf(out, ": the %zu part%s %s the member%s of its last load",
			ps->nparts, ps->nparts == 1 ? "" : "s",
			is_are(ps->nparts), ps->nparts == 1 ? "" : "s");
	if (ps->differ || ps->missing)
		fprintf(out, ": of %zu part%s", ps->nparts,
			ps->nparts == 1 ? "" : "s");
	if (ps->differ)
		fprintf(out, ", %zu differ%s", ps->differ,
			ps->differ == 1 ? "s" : "");
	if (ps->missing)
		fprintf(out, ", %zu %s missing from the list", ps->missing,
			is_are(ps->missing));
	if (ps->extra)
		fprintf(out, "%s %zu member%s %s not in the parts given",
			ps->differ || ps->missing ? ";" : ":", ps->extra,
			ps->extra == 1 ? "" : "s", is_are(ps->extra));
	fprintf(out, " (load %zu of %zu in %s, entries %zu-%zu)\n", ps->loads,
		ps->loads, list_name, ps->member[0].entry,
		ps->member[ps->nmember - 1].entry);
}

void iv_parts_report(const struct iv_parts *ps, const char *list_name,
		     FILE *out)
{
	size_t i;

	assert(ps && ps->name && list_name && out);
	verdict_line(ps, list_name, out);
	for (i = 0; i < ps->nparts; i++) {
		const struct iv_part *p = &ps->part[i];

		fprintf(out, "part %zu %s @%" PRIu64 "+%" PRIu64 ": ", i,
			iv_part_kind_name(p->kind), p->offset, p->length);
		switch (p->verdict) {
		case IV_PART_MATCH:
			fprintf(out, "matches %s", p->path);
			break;
		case IV_PART_HELD:
			fprintf(out, "matches %s (entry %zu, of an earlier load: IMA adds no record it holds already)",
				p->path, p->seen_entry);
			break;
		case IV_PART_DIFFERS:
			differs(ps, p, out);
			break;
		case IV_PART_MISSING:
			fputs("missing from the list", out);
			break;
		}
		fputc('\n', out);
	}
	for (i = 0; i < ps->nmember; i++) {
		const struct iv_member *m = &ps->member[i];

		if (m->index < ps->nparts)
			continue;
		fprintf(out, "part %" PRIu64 " %s @%" PRIu64 "+%" PRIu64 ": not in the parts given (entry %zu, ",
			m->index, m->kind, m->offset, m->length, m->entry);
		digest_text(out, m->alg, m->digest, m->digest_len);
		fputs(")\n", out);
	}
}

void iv_parts_free(struct iv_parts *ps)
{
	size_t i;

	if (!ps)
		return;
	free(ps->part);
	free(ps->name);
	free(ps->member);
	for (i = 0; i < ps->nother; i++)
		free(ps->other[i]);
	memset(ps, 0, sizeof(*ps));
}
