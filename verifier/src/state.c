// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Incremental attestation: the state one verified run leaves for the
 * next, so that a service polling a machine verifies only what its list
 * gained since.
 *
 * The list only grows while the machine runs, so the next run finds the
 * covered prefix again at the front.  It does not parse or replay it:
 * it reads those bytes into SHA-256 and compares with the state, which
 * costs one hash of the bytes instead of a record parse, SHA-1 and one
 * hash per bank of every record and an extend per bank (README.md,
 * "Incremental attestation", has the numbers).  Equal bytes give equal
 * PCR values after them, so the replay goes on from the saved values.
 * The quote's clock info says whether the TPM was reset (a reboot: the
 * state does not apply), restarted, or whether this quote is older than
 * the state (refused).
 *
 * The file is text, one "key value" per line in a fixed order, the
 * version first and "end" last, so that a truncated file is malformed:
 *
 *	ima-kexec-verify-state 1
 *	entries 17
 *	offset 2179
 *	prefix-sha256 <64 hex>
 *	banks sha1,sha256
 *	pcr sha1 10 sha1 <hex>			one per bank and PCR extended
 *	pcr sha256 10 hash <hex>		sha1, hash or padded
 *	boots 3
 *	boot 0 0x00000000			entry, PCRs extended before it
 *	boot-aggregate <40 hex>			or "none"
 *	seen-execute 0
 *	pcrs-seen 0x00000400
 *	quote <resetCount> <restartCount> <clock>	or "quote none"
 *	end
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "imaverify.h"

#define STATE_MAGIC	"ima-kexec-verify-state"
/* The smallest record: header, a 1-byte name, data length, 1 byte. */
#define MIN_RECORD	(4 + IV_SHA1_LEN + 4 + 1 + 4 + 1)
#define SKIP_BUF	(256 * 1024)

static const char *scheme_word(enum iv_scheme s)
{
	switch (s) {
	case IV_SCHEME_SHA1:
		return "sha1";
	case IV_SCHEME_HASH:
		return "hash";
	case IV_SCHEME_PADDED:
		return "padded";
	default:
		return NULL;
	}
}

const char *iv_state_clock_name(enum iv_state_clock c)
{
	switch (c) {
	case IV_CLOCK_SAME:
		return "same";
	case IV_CLOCK_RESTART:
		return "restart";
	case IV_CLOCK_RESET:
		return "reset";
	case IV_CLOCK_BACKWARDS:
		return "backwards";
	default:
		return "unknown";
	}
}

void iv_state_free(struct iv_state *st)
{
	if (!st)
		return;
	free(st->boot);
	memset(st, 0, sizeof(*st));
}

/* ---- reading ---- */

struct parser {
	const char *p, *end;
	unsigned int line;
	char buf[IV_KEXEC_MAX * 2];	/* the current line, NUL terminated */
	struct iv_err *err;
};

static int bad(struct parser *ps, const char *what)
{
	return iv_fail(ps->err, "line %u: %s", ps->line, what);
}

/* The next line into ps->buf; every line, the last too, ends in '\n'. */
static int next_line(struct parser *ps)
{
	const char *nl;
	size_t n;

	ps->line++;
	if (ps->p == ps->end)
		return bad(ps, "file ends early (truncated?)");
	nl = memchr(ps->p, '\n', (size_t)(ps->end - ps->p));
	if (!nl)
		return bad(ps, "last line has no newline (truncated?)");
	n = (size_t)(nl - ps->p);
	if (n >= sizeof(ps->buf))
		return bad(ps, "line too long");
	if (memchr(ps->p, '\0', n))
		return bad(ps, "NUL byte");
	memcpy(ps->buf, ps->p, n);
	ps->buf[n] = '\0';
	ps->p = nl + 1;
	return 0;
}

/* "@key " at the start of the line: the rest of it, or NULL. */
static const char *value_of(struct parser *ps, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(ps->buf, key, n) || ps->buf[n] != ' ')
		return NULL;
	return ps->buf + n + 1;
}

static int expect(struct parser *ps, const char *key, const char **val)
{
	char what[80];

	if (next_line(ps))
		return -1;
	*val = value_of(ps, key);
	if (*val)
		return 0;
	snprintf(what, sizeof(what), "expected \"%s ...\"", key);
	return bad(ps, what);
}

/* A decimal number, digits only, up to @max; *@s moves past it. */
static bool number(const char **s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = *s;

	if (*p < '0' || *p > '9' || (*p == '0' && p[1] >= '0' && p[1] <= '9'))
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		uint64_t digit = (uint64_t)(*p - '0');

		if (digit > max || v > (max - digit) / 10)
			return false;
		v = v * 10 + digit;
	}
	*s = p;
	*out = v;
	return true;
}

/* "0x" and 8 hex digits: a PCR mask, PCRs 0-23. */
static bool mask(const char **s, uint32_t *out)
{
	uint8_t b[4];

	if (strncmp(*s, "0x", 2) || strspn(*s + 2, "0123456789abcdef") < 8 ||
	    iv_unhex(*s + 2, 8, b, 4))
		return false;
	*out = iv_get_be32(b);
	*s += 10;
	return *out < 1U << IV_PCR_COUNT;
}

/* Exactly 2 * @n lowercase hex digits. */
static bool hex(const char **s, uint8_t *out, size_t n)
{
	if (strspn(*s, "0123456789abcdef") != 2 * n ||
	    iv_unhex(*s, 2 * n, out, n))
		return false;
	*s += 2 * n;
	return true;
}

static bool word(const char **s, const char *w)
{
	size_t n = strlen(w);

	if (strncmp(*s, w, n))
		return false;
	*s += n;
	return true;
}

static bool end_of(const char *s)
{
	return !*s;
}

static int one_number(struct parser *ps, const char *key, uint64_t max,
		      uint64_t *out)
{
	const char *v;

	if (expect(ps, key, &v))
		return -1;
	if (!number(&v, max, out) || !end_of(v))
		return bad(ps, "bad number");
	return 0;
}

static int parse_banks(struct parser *ps, struct iv_state *st)
{
	const char *v;
	char name[16];
	int a;

	if (expect(ps, "banks", &v))
		return -1;
	for (;;) {
		size_t n = strcspn(v, ",");

		if (!n || n >= sizeof(name))
			return bad(ps, "bad bank list");
		memcpy(name, v, n);
		name[n] = '\0';
		a = iv_alg_by_name(name);
		if (a < 0 || strcmp(name, iv_alg_name((enum iv_alg)a)))
			return bad(ps, "unknown bank");
		if (st->bank[a])
			return bad(ps, "bank given twice");
		st->bank[a] = true;
		v += n;
		if (!*v)
			return 0;
		v++;
	}
}

/* "pcr BANK N SCHEME HEX" lines, then the line after them in ps->buf. */
static int parse_pcrs(struct parser *ps, struct iv_state *st)
{
	unsigned int count = 0;
	const char *v;

	while (!next_line(ps)) {
		struct iv_state_pcr *p;
		char name[16];
		uint64_t k;
		size_t n;
		int a;

		v = value_of(ps, "pcr");
		if (!v)
			return count ? 0 : bad(ps, "no \"pcr\" lines");
		n = strcspn(v, " ");
		if (!n || n >= sizeof(name))
			return bad(ps, "bad pcr line");
		memcpy(name, v, n);
		name[n] = '\0';
		a = iv_alg_by_name(name);
		if (a < 0 || !st->bank[a])
			return bad(ps, "pcr of a bank not in \"banks\"");
		v += n;
		if (!word(&v, " ") || !number(&v, IV_PCR_COUNT - 1, &k) ||
		    !word(&v, " "))
			return bad(ps, "bad PCR index");
		p = &st->pcr[a][k];
		if (p->set)
			return bad(ps, "PCR given twice");
		if (word(&v, "sha1 ") && a == IV_ALG_SHA1)
			p->scheme = IV_SCHEME_SHA1;
		else if (a != IV_ALG_SHA1 && word(&v, "hash "))
			p->scheme = IV_SCHEME_HASH;
		else if (a != IV_ALG_SHA1 && word(&v, "padded "))
			p->scheme = IV_SCHEME_PADDED;
		else
			return bad(ps, "bad scheme for the bank");
		if (!hex(&v, p->val, iv_alg_size((enum iv_alg)a)) ||
		    !end_of(v))
			return bad(ps, "PCR value is not the bank's size in lowercase hex");
		p->set = true;
		count++;
	}
	return -1;
}

static int parse_boots(struct parser *ps, struct iv_state *st)
{
	uint64_t n, e;
	const char *v = value_of(ps, "boots");
	size_t i;

	if (!v)
		return bad(ps, "expected \"boots N\"");
	if (!number(&v, IV_KEXEC_MAX, &n) || !end_of(v))
		return bad(ps, "bad boot count");
	if (n > st->entries)
		return bad(ps, "more boots than entries");
	st->boot = n ? calloc((size_t)n, sizeof(*st->boot)) : NULL;
	if (n && !st->boot)
		return iv_fail(ps->err, "out of memory");
	st->nboot = (size_t)n;
	for (i = 0; i < st->nboot; i++) {
		struct iv_state_boot *b = &st->boot[i];

		if (expect(ps, "boot", &v))
			return -1;
		if (!number(&v, SIZE_MAX, &e) || !word(&v, " ") ||
		    !mask(&v, &b->pcrs_before) || !end_of(v))
			return bad(ps, "bad boot line");
		if (e >= st->entries || (i && e <= st->boot[i - 1].aggregate))
			return bad(ps, "boot entries not ascending within the covered entries");
		b->aggregate = (size_t)e;
	}
	return 0;
}

static int parse_tail(struct parser *ps, struct iv_state *st)
{
	uint64_t x, y, z;
	const char *v;
	int a, k;

	if (expect(ps, "boot-aggregate", &v))
		return -1;
	st->have_aggregate = strcmp(v, "none") != 0;
	if (st->have_aggregate && (!hex(&v, st->aggregate, IV_SHA1_LEN) ||
				   !end_of(v)))
		return bad(ps, "boot-aggregate is not 40 hex digits or none");
	if (st->have_aggregate != (st->nboot > 0))
		return bad(ps, "boot-aggregate and boots disagree");
	if (one_number(ps, "seen-execute", 1, &x))
		return -1;
	st->seen_execute = x;
	if (expect(ps, "pcrs-seen", &v))
		return -1;
	if (!mask(&v, &st->pcrs_seen) || !end_of(v))
		return bad(ps, "bad PCR mask");
	/* The pcr lines are the PCRs the covered entries extend. */
	for (a = 0; a < IV_ALG_COUNT; a++)
		for (k = 0; st->bank[a] && k < IV_PCR_COUNT; k++)
			if (st->pcr[a][k].set != !!(st->pcrs_seen & 1U << k))
				return bad(ps, "pcrs-seen and the pcr lines disagree");
	if (expect(ps, "quote", &v))
		return -1;
	if (strcmp(v, "none")) {
		if (!number(&v, UINT32_MAX, &x) || !word(&v, " ") ||
		    !number(&v, UINT32_MAX, &y) || !word(&v, " ") ||
		    !number(&v, UINT64_MAX, &z) || !end_of(v))
			return bad(ps, "expected \"quote RESETS RESTARTS CLOCK\" or \"quote none\"");
		st->have_quote = true;
		st->reset_count = (uint32_t)x;
		st->restart_count = (uint32_t)y;
		st->clock = z;
	}
	if (next_line(ps))
		return -1;
	if (strcmp(ps->buf, "end"))
		return bad(ps, "expected \"end\"");
	if (ps->p != ps->end)
		return bad(ps, "text after \"end\"");
	return 0;
}

static int parse(struct parser *ps, struct iv_state *st)
{
	uint64_t n;
	const char *v;

	if (next_line(ps))
		return -1;
	v = value_of(ps, STATE_MAGIC);
	if (!v)
		return bad(ps, "not an ima-kexec-verify state file");
	if (!number(&v, UINT32_MAX, &n) || !end_of(v))
		return bad(ps, "bad version");
	if (n != IV_STATE_VERSION)
		return iv_fail(ps->err, "line 1: version %" PRIu64 " not supported (this tool reads %d)",
			       n, IV_STATE_VERSION);
	if (one_number(ps, "entries", SIZE_MAX, &n))
		return -1;
	if (!n)
		return bad(ps, "no entries: a verified prefix has one at least");
	st->entries = (size_t)n;
	if (one_number(ps, "offset", SIZE_MAX, &n))
		return -1;
	if (n / MIN_RECORD < st->entries)
		return bad(ps, "offset too small for that many entries");
	st->offset = (size_t)n;
	if (expect(ps, "prefix-sha256", &v))
		return -1;
	if (!hex(&v, st->prefix_sha256, 32) || !end_of(v))
		return bad(ps, "prefix-sha256 is not 64 hex digits");
	if (parse_banks(ps, st) || parse_pcrs(ps, st) || parse_boots(ps, st))
		return -1;
	return parse_tail(ps, st);
}

int iv_state_parse(struct iv_state *st, const char *text, size_t len,
		   struct iv_err *err)
{
	struct parser *ps;
	int ret;

	assert(st && (text || !len) && err);
	memset(st, 0, sizeof(*st));
	ps = calloc(1, sizeof(*ps));
	if (!ps)
		return iv_fail(err, "out of memory");
	ps->p = text;
	ps->end = text + len;
	ps->err = err;
	ret = parse(ps, st);
	free(ps);
	if (ret)
		iv_state_free(st);
	return ret;
}

int iv_state_load(struct iv_state *st, const char *path, struct iv_err *err)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret;

	assert(st && path && err);
	memset(st, 0, sizeof(*st));
	if (iv_read_file(path, IV_STATE_MAX, &buf, &len, err))
		return -1;
	ret = iv_state_parse(st, (const char *)buf, len, err);
	free(buf);
	if (ret) {
		char msg[sizeof(err->msg)];

		snprintf(msg, sizeof(msg), "%s", err->msg);
		iv_fail(err, "state %s: %s", path, msg);
	}
	return ret;
}

/* ---- writing ---- */

static void put_hex(FILE *out, const uint8_t *p, size_t n)
{
	char h[2 * IV_MAX_DIGEST + 1];

	iv_hex(p, n, h);
	fputs(h, out);
}

int iv_state_format(const struct iv_state *st, FILE *out)
{
	const char *sep = "";
	size_t i;
	int a, k;

	assert(st && out);
	fprintf(out, STATE_MAGIC " %d\nentries %zu\noffset %zu\nprefix-sha256 ",
		IV_STATE_VERSION, st->entries, st->offset);
	put_hex(out, st->prefix_sha256, 32);
	fputs("\nbanks ", out);
	for (a = 0; a < IV_ALG_COUNT; a++) {
		if (!st->bank[a])
			continue;
		fprintf(out, "%s%s", sep, iv_alg_name((enum iv_alg)a));
		sep = ",";
	}
	fputc('\n', out);
	for (a = 0; a < IV_ALG_COUNT; a++)
		for (k = 0; st->bank[a] && k < IV_PCR_COUNT; k++) {
			const struct iv_state_pcr *p = &st->pcr[a][k];

			if (!p->set)
				continue;
			fprintf(out, "pcr %s %d %s ", iv_alg_name((enum iv_alg)a),
				k, scheme_word(p->scheme));
			put_hex(out, p->val, iv_alg_size((enum iv_alg)a));
			fputc('\n', out);
		}
	fprintf(out, "boots %zu\n", st->nboot);
	for (i = 0; i < st->nboot; i++)
		fprintf(out, "boot %zu 0x%08x\n", st->boot[i].aggregate,
			st->boot[i].pcrs_before);
	fputs("boot-aggregate ", out);
	if (st->have_aggregate)
		put_hex(out, st->aggregate, IV_SHA1_LEN);
	else
		fputs("none", out);
	fprintf(out, "\nseen-execute %d\npcrs-seen 0x%08x\n",
		st->seen_execute ? 1 : 0, st->pcrs_seen);
	if (st->have_quote)
		fprintf(out, "quote %u %u %" PRIu64 "\n", st->reset_count,
			st->restart_count, st->clock);
	else
		fputs("quote none\n", out);
	fputs("end\n", out);
	return ferror(out) ? -1 : 0;
}

/*
 * A poller killed half way must leave the old state or the new one,
 * never half of one: write a file beside it, sync, rename over it.
 */
int iv_state_save(const struct iv_state *st, const char *path,
		  struct iv_err *err)
{
	char *tmp, *dir;
	FILE *f = NULL;
	int fd, dfd;

	assert(st && path && err);
	tmp = malloc(strlen(path) + sizeof(".tmp.XXXXXX"));
	dir = strdup(path);
	if (!tmp || !dir) {
		free(tmp);
		free(dir);
		return iv_fail(err, "state %s: out of memory", path);
	}
	strcpy(tmp, path);
	strcat(tmp, ".tmp.XXXXXX");
	fd = mkstemp(tmp);
	if (fd < 0) {
		iv_fail(err, "state %s: %s", tmp, strerror(errno));
		goto out;
	}
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		goto fail;
	}
	if (iv_state_format(st, f) || fflush(f) || fsync(fileno(f)))
		goto fail;
	if (fclose(f)) {
		f = NULL;
		goto fail;
	}
	f = NULL;
	if (rename(tmp, path))
		goto fail;
	/* The rename itself, on disk: the directory's entry. */
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(tmp);
	free(dir);
	return 0;
fail:
	iv_fail(err, "state %s: %s", path, strerror(errno ? errno : EIO));
	if (f)
		fclose(f);
	unlink(tmp);
out:
	free(tmp);
	free(dir);
	return -1;
}

/* ---- using it ---- */

int iv_state_check_banks(const struct iv_state *st, const struct iv_pcrs *pcrs,
			 struct iv_err *err)
{
	char have[64] = "", want[64] = "";
	bool same = true;
	int a;

	assert(st && pcrs && err);
	for (a = 0; a < IV_ALG_COUNT; a++) {
		if (st->bank[a])
			snprintf(want + strlen(want), sizeof(want) - strlen(want),
				 "%s%s", *want ? "," : "",
				 iv_alg_name((enum iv_alg)a));
		if (pcrs->bank[a].present)
			snprintf(have + strlen(have), sizeof(have) - strlen(have),
				 "%s%s", *have ? "," : "",
				 iv_alg_name((enum iv_alg)a));
		same = same && st->bank[a] == pcrs->bank[a].present;
	}
	if (same)
		return 0;
	return iv_fail(err, "the state is for banks %s, the PCR values given are of %s",
		       want, have);
}

/*
 * resetCount counts TPM Resets (Startup(CLEAR) without an orderly
 * Shutdown(STATE)): a reboot, PCRs back at their reset values.
 * restartCount counts Restarts and Resumes (Startup after
 * Shutdown(STATE)): suspend or hibernation.  clock does not go back
 * while resetCount stays: a smaller one is an older quote.
 */
enum iv_state_clock iv_state_clock(const struct iv_state *st,
				   const struct iv_quote *q)
{
	assert(st);
	if (!q || !st->have_quote)
		return IV_CLOCK_UNKNOWN;
	if (q->reset_count != st->reset_count)
		return IV_CLOCK_RESET;
	if (q->clock < st->clock)
		return IV_CLOCK_BACKWARDS;
	if (q->restart_count != st->restart_count)
		return IV_CLOCK_RESTART;
	return IV_CLOCK_SAME;
}

int iv_reader_skip(struct iv_reader *r, size_t entries, size_t offset,
		   struct evp_md_ctx_st *md, size_t *got, struct iv_err *err)
{
	size_t done = 0;
	uint8_t *buf;

	assert(r && md && got && err);
	assert(!r->index && !r->offset);
	*got = 0;
	if (!EVP_DigestInit_ex2(md, EVP_sha256(), NULL))
		return iv_fail(err, "sha256 hash failed");
	if (!r->f) {
		*got = r->mem_len < offset ? r->mem_len : offset;
		if (r->mem_len < offset)
			return 1;
		if (!EVP_DigestUpdate(md, r->mem, offset))
			return iv_fail(err, "sha256 hash failed");
	} else {
		buf = malloc(SKIP_BUF);
		if (!buf)
			return iv_fail(err, "out of memory");
		while (done < offset) {
			size_t want = offset - done < SKIP_BUF ?
				      offset - done : SKIP_BUF;
			size_t n = fread_unlocked(buf, 1, want, r->f);

			if (n && !EVP_DigestUpdate(md, buf, n)) {
				free(buf);
				return iv_fail(err, "sha256 hash failed");
			}
			done += n;
			if (n < want)
				break;
		}
		free(buf);
		*got = done;
		if (done < offset && ferror(r->f))
			return iv_fail(err, "byte offset %zu: read error: %s",
				       done, strerror(errno));
		if (done < offset)
			return 1;
	}
	r->index = r->base_index = entries;
	r->offset = r->base_offset = offset;
	return 0;
}

void iv_replay_start(struct iv_replay *r, const struct iv_state *st)
{
	unsigned int b;
	int k;

	assert(r && st);
	r->base_entries = r->entries = st->entries;
	r->base_offset = r->end_offset = st->offset;
	for (b = 0; b < r->banks; b++) {
		enum iv_alg alg = r->bank_alg[b];
		size_t n = iv_alg_size(alg);

		for (k = 0; k < IV_PCR_COUNT; k++) {
			const struct iv_state_pcr *s = &st->pcr[alg][k];
			struct iv_replay_pcr *p = &r->p[alg][k];
			bool at = p->have_tpm && !memcmp(p->tpm, s->val, n);

			if (!s->set)
				continue;
			/* Judged like any PCR of the list, from its saved value. */
			p->used = true;
			memcpy(p->hash, s->val, n);
			memcpy(p->padded, s->val, n);
			p->m_hash.at = at && s->scheme != IV_SCHEME_PADDED ?
				       IV_AT_START : IV_NO_MATCH;
			p->m_padded.at = at && s->scheme == IV_SCHEME_PADDED ?
					 IV_AT_START : IV_NO_MATCH;
		}
	}
}

int iv_kexec_start(struct iv_kexec *k, const struct iv_state *st,
		   struct iv_err *err)
{
	size_t i;

	assert(k && st && err);
	memset(k, 0, sizeof(*k));
	if (st->nboot) {
		k->boot = calloc(st->nboot, sizeof(*k->boot));
		if (!k->boot)
			return iv_fail(err, "out of memory");
	}
	/* Boots judged before: their notes were made then. */
	for (i = 0; i < st->nboot; i++) {
		k->boot[i].aggregate = st->boot[i].aggregate;
		k->boot[i].has_execute = true;
		k->boot[i].handover = -1;
		k->boot[i].pcrs_before = st->boot[i].pcrs_before;
	}
	k->nboot = st->nboot;
	k->seen_execute = st->seen_execute;
	k->pcrs_seen = st->pcrs_seen;
	return 0;
}

static int snapshot(struct iv_incremental *in, size_t entries,
		    struct iv_err *err)
{
	struct iv_prefix_snap *s;

	if (in->nsnap && in->snap[in->nsnap - 1].entries == entries)
		return 0;
	if (in->nsnap == IV_STATE_SNAPS)
		return iv_fail(err, "more prefix snapshots than PCRs");
	s = &in->snap[in->nsnap];
	s->md = EVP_MD_CTX_new();
	if (!s->md || !EVP_MD_CTX_copy_ex(s->md, in->run)) {
		EVP_MD_CTX_free(s->md);
		s->md = NULL;
		return iv_fail(err, "sha256 hash failed");
	}
	s->entries = entries;
	in->nsnap++;
	return 0;
}

int iv_incremental_begin(struct iv_incremental *in, struct evp_md_ctx_st *md,
			 size_t entries, struct iv_err *err)
{
	assert(in && err);
	in->run = md;
	if (!in->track)
		return 0;
	if (!md)
		return iv_fail(err, "no prefix hash");
	if (in->use == IV_STATE_APPLIED) {
		in->have_aggregate = in->in.have_aggregate;
		memcpy(in->aggregate, in->in.aggregate, IV_SHA1_LEN);
	}
	return snapshot(in, entries, err);
}

/*
 * The covered prefix ends after the entry where the last of the PCRs
 * met its TPM value, which is an entry that extended that PCR and met
 * it there: only there is a copy of the running hash taken.
 */
int iv_incremental_entry(struct iv_incremental *in, const struct iv_replay *r,
			 const struct iv_kexec *k, const struct iv_entry *e,
			 struct iv_err *err)
{
	bool candidate = false;
	unsigned int b;

	assert(in && r && k && e && err);
	if (!in->track)
		return 0;
	if (!EVP_DigestUpdate(in->run, e->raw, e->size))
		return iv_fail(err, "sha256 hash failed");
	if (iv_entry_is_boot_aggregate(e)) {
		in->have_aggregate = true;
		memcpy(in->aggregate, e->digest, IV_SHA1_LEN);
	}
	for (b = 0; b < r->banks; b++) {
		const struct iv_replay_pcr *p = &r->p[r->bank_alg[b]][e->pcr];

		candidate = candidate || p->m_hash.at == (long)e->index ||
			    p->m_padded.at == (long)e->index;
	}
	return candidate ? snapshot(in, e->index + 1, err) : 0;
}

/*
 * Hash the first @n bytes again, for a prefix whose end only the second
 * (zero-padded) pass found; that pass needs a seekable list.
 */
static int rehash(struct iv_reader *list, size_t n, uint8_t *out,
		  struct iv_err *err)
{
	struct iv_reader again = *list;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	size_t got;
	int ret = -1;

	if (!md)
		return iv_fail(err, "out of memory");
	if (!list->seekable ||
	    (list->f && fseek(list->f, list->start, SEEK_SET))) {
		iv_fail(err, "cannot read the list a second time for its prefix digest");
		goto out;
	}
	again.index = 0;
	again.offset = 0;
	ret = iv_reader_skip(&again, 0, n, md, &got, err);
	if (ret > 0)
		ret = iv_fail(err, "the list got shorter between two reads");
	if (!ret && !EVP_DigestFinal_ex(md, out, NULL))
		ret = iv_fail(err, "sha256 hash failed");
out:
	EVP_MD_CTX_free(md);
	return ret;
}

int iv_incremental_finish(struct iv_ctx *ctx, struct iv_reader *list,
			  struct iv_err *err)
{
	struct iv_incremental *in = &ctx->incr;
	const struct iv_replay *r = &ctx->replay;
	const struct iv_kexec *k = &ctx->kexec;
	struct iv_state *st = &in->out;
	const struct iv_prefix_snap *snap = NULL;
	size_t i, last_boot;
	unsigned int b;
	int kk;

	assert(ctx && list && err && r->all_match);
	iv_state_free(st);
	st->entries = r->covered;
	st->offset = r->covered_offset;
	for (i = 0; i < in->nsnap; i++)
		if (in->snap[i].entries == r->covered)
			snap = &in->snap[i];
	if (snap) {
		EVP_MD_CTX *md = EVP_MD_CTX_new();

		if (!md || !EVP_MD_CTX_copy_ex(md, snap->md) ||
		    !EVP_DigestFinal_ex(md, st->prefix_sha256, NULL)) {
			EVP_MD_CTX_free(md);
			return iv_fail(err, "sha256 hash failed");
		}
		EVP_MD_CTX_free(md);
	} else if (rehash(list, st->offset, st->prefix_sha256, err)) {
		return -1;
	}
	/* PCRs the covered entries extend: met their value after one. */
	if (in->use == IV_STATE_APPLIED)
		st->pcrs_seen = in->in.pcrs_seen;
	for (b = 0; b < r->banks; b++)
		for (kk = 0; kk < IV_PCR_COUNT; kk++)
			if (r->p[r->bank_alg[b]][kk].used &&
			    r->p[r->bank_alg[b]][kk].last_match >= 0)
				st->pcrs_seen |= 1U << kk;
	for (b = 0; b < r->banks; b++) {
		enum iv_alg alg = r->bank_alg[b];

		st->bank[alg] = true;
		for (kk = 0; kk < IV_PCR_COUNT; kk++) {
			const struct iv_replay_pcr *p = &r->p[alg][kk];

			if (!(st->pcrs_seen & 1U << kk))
				continue;
			st->pcr[alg][kk].set = true;
			st->pcr[alg][kk].scheme = p->scheme;
			memcpy(st->pcr[alg][kk].val, p->tpm,
			       iv_alg_size(alg));
		}
	}
	/* A verified prefix has every boot: none began after it. */
	if (k->nboot) {
		st->boot = calloc(k->nboot, sizeof(*st->boot));
		if (!st->boot)
			return iv_fail(err, "out of memory");
	}
	for (i = 0; i < k->nboot; i++) {
		st->boot[i].aggregate = k->boot[i].aggregate;
		st->boot[i].pcrs_before = k->boot[i].pcrs_before;
	}
	st->nboot = k->nboot;
	st->have_aggregate = in->have_aggregate && k->nboot;
	memcpy(st->aggregate, in->aggregate, IV_SHA1_LEN);
	/* kexec_execute since the last boot_aggregate, within the prefix. */
	last_boot = k->nboot ? k->boot[k->nboot - 1].aggregate : 0;
	st->seen_execute = in->use == IV_STATE_APPLIED &&
			   (!k->nboot || last_boot < in->in.entries) &&
			   in->in.seen_execute;
	for (i = 0; i < k->nev; i++)
		if (k->ev[i].kind == IV_KEXEC_EXECUTE &&
		    k->ev[i].entry < r->covered &&
		    (!k->nboot || k->ev[i].entry > last_boot))
			st->seen_execute = true;
	if (ctx->have_quote) {
		st->have_quote = true;
		st->reset_count = ctx->quote.reset_count;
		st->restart_count = ctx->quote.restart_count;
		st->clock = ctx->quote.clock;
	} else if (in->use == IV_STATE_APPLIED && in->in.have_quote) {
		/* Still the newest clock info of this boot. */
		st->have_quote = true;
		st->reset_count = in->in.reset_count;
		st->restart_count = in->in.restart_count;
		st->clock = in->in.clock;
	}
	return 0;
}

void iv_incremental_free(struct iv_incremental *in)
{
	size_t i;

	if (!in)
		return;
	for (i = 0; i < in->nsnap; i++)
		EVP_MD_CTX_free(in->snap[i].md);
	in->nsnap = 0;
	EVP_MD_CTX_free(in->run);
	in->run = NULL;
}
