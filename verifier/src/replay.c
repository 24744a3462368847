// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Replay the list into every PCR bank the input has, separately.
 *
 * Kernel rules (ima_pcr_extend(), ima-doc event-log-format.rst):
 *  - SHA-1 bank: extend with the logged 20-byte template digest;
 *  - other banks, "type 2" (since per-bank template digests): extend with
 *    H_bank(template data); a violation extends all 0xff of bank size;
 *  - other banks, "type 1" (older kernels): the SHA-1 template digest
 *    zero padded to the bank size; a violation is 0xff * 20 then zeros.
 * Both are tried and the report says which one matched.  Unlike
 * evmctl every bank must match, not just one, and boot_aggregate entries
 * never reset anything: kexec does not reset the TPM.
 *
 * Entries come one at a time.  Per record that is SHA-1 of the data (the
 * template digest check), H_bank(data) for each other bank, and one
 * extend per bank: the SHA-1 bank's zero-padded chain is its own chain,
 * and the other banks' padded chains, which only kernels before per-bank
 * digests need, are computed in a second pass over the input when the
 * per-bank hash does not match, or in the same pass when the input (a
 * pipe) cannot be read twice.  The second pass only extends; everything
 * else (template digests, kexec analysis, the good-list diff) is of the
 * first, so the second must read the same records: a running SHA-256
 * over the records of each pass, compared at the end of the second.  A
 * file rewritten in between is an input error, not another list's
 * verdict.
 *
 * A live list grows after the PCRs were read, so the TPM values are
 * those of a prefix of it.  Each PCR's replay equals its TPM value from
 * the entry that made it so until the next entry that extends it
 * (struct iv_match); the list verifies up to the first entry where that
 * holds for every PCR of every bank, and the entries after it are newer
 * than the PCR values.  Not if a boot began after that entry: a list
 * read after the PCRs, on the same kernel, has no newer boot_aggregate.
 */
#include <assert.h>
#include <string.h>

#include <openssl/evp.h>

#include "imaverify.h"

const char *iv_scheme_name(enum iv_scheme s)
{
	switch (s) {
	case IV_SCHEME_SHA1:
		return "sha1 template digest";
	case IV_SCHEME_HASH:
		return "per-bank template hash";
	case IV_SCHEME_PADDED:
		return "sha1 zero-padded";
	default:
		return "none";
	}
}

static void check_digest(struct iv_replay *r, const struct iv_entry *e,
			 const uint8_t *calc)
{
	if (!memcmp(calc, e->digest, IV_SHA1_LEN) || r->bad_digests++)
		return;
	r->first_bad = (long)e->index;
	r->first_bad_offset = e->offset;
	memcpy(r->first_bad_calc, calc, IV_SHA1_LEN);
	memcpy(r->first_bad_digest, e->digest, IV_SHA1_LEN);
	iv_entry_label(e, r->first_bad_label, sizeof(r->first_bad_label));
}

static void no_match(struct iv_match *m)
{
	m->at = IV_NO_MATCH;
	m->until = IV_NO_MATCH;
	m->end_offset = 0;
}

/* @pcr was just extended by @e: where does it meet the TPM value? */
static void track(struct iv_match *m, const struct iv_replay_pcr *p,
		  const uint8_t *pcr, size_t n, const struct iv_entry *e)
{
	if (m->at != IV_NO_MATCH) {
		if (m->until == IV_NO_MATCH)
			m->until = (long)e->index;
		return;
	}
	if (p->have_tpm && !memcmp(pcr, p->tpm, n)) {
		m->at = (long)e->index;
		m->end_offset = e->offset + e->size;
	}
}

/* A second pass may come: bind it to the bytes of this one. */
static int bind_start(struct iv_replay *r, struct iv_err *err)
{
	unsigned int b;

	for (b = 0; b < r->banks && r->bank_alg[b] == IV_ALG_SHA1; b++)
		;
	if (r->padded_inline || b == r->banks)
		return 0;
	r->bind = EVP_MD_CTX_new();
	if (!r->bind ||
	    !EVP_DigestInit_ex2(r->bind, r->hasher.md[IV_ALG_SHA256], NULL))
		return iv_fail(err, "sha256 hash failed");
	return 0;
}

static int bind_entry(struct iv_replay *r, const struct iv_entry *e,
		      struct iv_err *err)
{
	if (r->bind && e->raw && !EVP_DigestUpdate(r->bind, e->raw, e->size))
		return iv_fail(err, "entry %zu: sha256 hash failed", e->index);
	return 0;
}

static void bind_free(struct iv_replay *r)
{
	EVP_MD_CTX_free(r->bind);
	r->bind = NULL;
}

int iv_replay_init(struct iv_replay *r, const struct iv_pcrs *tpm,
		   bool one_pass, struct iv_err *err)
{
	static const uint8_t zero[IV_MAX_DIGEST];
	int a, k;

	assert(r && tpm && err);
	/* Re-used: its hasher is live (a zeroed one frees nothing). */
	iv_replay_free(r);
	memset(r, 0, sizeof(*r));
	r->first_bad = -1;
	r->last_aggregate = -1;
	r->prefix_at = IV_NO_MATCH;
	r->padded_inline = one_pass;
	for (a = 0; a < IV_ALG_COUNT; a++) {
		const struct iv_bank *b = &tpm->bank[a];
		size_t n = iv_alg_size((enum iv_alg)a);

		if (b->present)
			r->bank_alg[r->banks++] = (enum iv_alg)a;
		for (k = 0; k < IV_PCR_COUNT; k++) {
			struct iv_replay_pcr *p = &r->p[a][k];

			no_match(&p->m_hash);
			no_match(&p->m_padded);
			p->last_match = IV_NO_MATCH;
			p->last_entry = -1;
			p->have_tpm = b->present && b->set[k];
			if (!p->have_tpm)
				continue;
			memcpy(p->tpm, b->val[k], n);
			if (!memcmp(p->tpm, zero, n)) {
				p->m_hash.at = IV_AT_START;
				p->m_padded.at = IV_AT_START;
			}
		}
	}
	if (!r->banks)
		return iv_fail(err, "no PCR bank to replay against");
	if (iv_hasher_init(&r->hasher, err) || bind_start(r, err)) {
		iv_replay_free(r);
		return -1;
	}
	return 0;
}

static int extend_padded(struct iv_replay *r, const struct iv_entry *e,
			 enum iv_alg alg, struct iv_replay_pcr *p,
			 struct iv_err *err)
{
	uint8_t pad[IV_MAX_DIGEST] = { 0 };

	if (e->violation)
		memset(pad, 0xff, IV_SHA1_LEN);
	else
		memcpy(pad, e->digest, IV_SHA1_LEN);
	if (iv_hasher_extend(&r->hasher, alg, p->padded, pad))
		return iv_fail(err, "entry %zu: %s extend failed", e->index,
			       iv_alg_name(alg));
	track(&p->m_padded, p, p->padded, iv_alg_size(alg), e);
	return 0;
}

/* The second pass: the padded chains of the banks other than SHA-1. */
static int padded_entry(struct iv_replay *r, const struct iv_entry *e,
			struct iv_err *err)
{
	unsigned int b;

	/* A live list may have grown since the first pass. */
	if (e->index >= r->entries)
		return 0;
	if (bind_entry(r, e, err))
		return -1;
	r->padded_seen++;
	for (b = 0; b < r->banks; b++) {
		enum iv_alg alg = r->bank_alg[b];
		struct iv_replay_pcr *p = &r->p[alg][e->pcr];

		if (alg != IV_ALG_SHA1 && extend_padded(r, e, alg, p, err))
			return -1;
	}
	return 0;
}

int iv_replay_entry(struct iv_replay *r, const struct iv_entry *e,
		    struct iv_err *err)
{
	uint8_t sha1[IV_SHA1_LEN], val[IV_MAX_DIGEST];
	unsigned int b;

	assert(r && e && err);
	if (r->in_padded_pass)
		return padded_entry(r, e, err);
	if (bind_entry(r, e, err))
		return -1;
	if (e->violation) {
		r->violations++;
	} else {
		if (iv_hasher_hash(&r->hasher, IV_ALG_SHA1, e->data,
				   e->data_len, sha1))
			return iv_fail(err, "entry %zu: sha1 hash failed",
				       e->index);
		check_digest(r, e, sha1);
	}
	if (iv_entry_is_boot_aggregate(e))
		r->last_aggregate = (long)e->index;
	for (b = 0; b < r->banks; b++) {
		enum iv_alg alg = r->bank_alg[b];
		struct iv_replay_pcr *p = &r->p[alg][e->pcr];
		size_t n = iv_alg_size(alg);

		if (e->violation)
			memset(val, 0xff, n);
		else if (alg == IV_ALG_SHA1)
			memcpy(val, e->digest, IV_SHA1_LEN);
		else if (iv_hasher_hash(&r->hasher, alg, e->data, e->data_len,
					val))
			return iv_fail(err, "entry %zu: %s hash failed",
				       e->index, iv_alg_name(alg));
		if (iv_hasher_extend(&r->hasher, alg, p->hash, val))
			return iv_fail(err, "entry %zu: %s extend failed",
				       e->index, iv_alg_name(alg));
		p->used = true;
		p->entries++;
		p->last_entry = (long)e->index;
		track(&p->m_hash, p, p->hash, n, e);
		if (r->padded_inline && alg != IV_ALG_SHA1 &&
		    extend_padded(r, e, alg, p, err))
			return -1;
	}
	r->entries++;
	r->end_offset = e->offset + e->size;
	return 0;
}

/* A second pass is due where a bank's per-bank hash met its TPM nowhere. */
bool iv_replay_wants_padded(const struct iv_replay *r)
{
	unsigned int b;
	int k;

	assert(r);
	if (r->padded_inline || r->padded_done || r->in_padded_pass)
		return false;
	for (b = 0; b < r->banks; b++) {
		enum iv_alg alg = r->bank_alg[b];

		for (k = 0; alg != IV_ALG_SHA1 && k < IV_PCR_COUNT; k++) {
			const struct iv_replay_pcr *p = &r->p[alg][k];

			if (p->used && p->have_tpm &&
			    p->m_hash.at == IV_NO_MATCH)
				return true;
		}
	}
	return false;
}

int iv_replay_padded_begin(struct iv_replay *r, struct iv_err *err)
{
	assert(r && err && !r->padded_inline && !r->padded_done);
	if (r->bind &&
	    (!EVP_DigestFinal_ex(r->bind, r->first_read, NULL) ||
	     !EVP_DigestInit_ex2(r->bind, r->hasher.md[IV_ALG_SHA256], NULL)))
		return iv_fail(err, "sha256 hash failed");
	r->in_padded_pass = true;
	r->padded_seen = r->base_entries;	/* those before: not read */
	return 0;
}

/*
 * The second pass read the records of the first, or the zero-padded
 * chains are of some other list: an input error.  Its chains count only
 * after this (padded_done).
 */
int iv_replay_padded_end(struct iv_replay *r, struct iv_err *err)
{
	uint8_t second[sizeof(r->first_read)];

	assert(r && err && r->in_padded_pass);
	r->in_padded_pass = false;
	if (r->padded_seen != r->entries)
		return iv_fail(err, "the list was %zu entries long, then %zu on the second read",
			       r->entries, r->padded_seen);
	if (r->bind) {
		if (!EVP_DigestFinal_ex(r->bind, second, NULL))
			return iv_fail(err, "sha256 hash failed");
		if (memcmp(second, r->first_read, sizeof(second)))
			return iv_fail(err, "the list changed between the two reads: its first %zu entries are not the same bytes",
				       r->entries);
	}
	r->padded_done = true;
	return 0;
}

/* The interval to judge @p by: per-bank hash first, then zero padded. */
static const struct iv_match *chosen(const struct iv_replay *r,
				     const struct iv_replay_pcr *p,
				     enum iv_scheme *s, enum iv_alg alg)
{
	*s = alg == IV_ALG_SHA1 ? IV_SCHEME_SHA1 : IV_SCHEME_HASH;
	if (p->m_hash.at != IV_NO_MATCH)
		return &p->m_hash;
	*s = IV_SCHEME_PADDED;
	if (r->padded_done && alg != IV_ALG_SHA1 &&
	    p->m_padded.at != IV_NO_MATCH)
		return &p->m_padded;
	*s = IV_SCHEME_NONE;
	return NULL;
}

static bool at_end(const struct iv_match *m)
{
	return m->at != IV_NO_MATCH && m->until == IV_NO_MATCH;
}

/*
 * The first entry after which every PCR of every bank is at its TPM
 * value: the latest of the entries where each one got there, if none
 * has been extended again by then.
 */
void iv_replay_finish(struct iv_replay *r)
{
	long at = IV_AT_START, until = -1;
	size_t offset = r->base_offset;
	bool common = true;
	unsigned int b;
	int k;

	assert(r);
	/* A second pass without iv_replay_padded_end() counts for nothing. */
	r->in_padded_pass = false;
	if (r->padded_inline)
		r->padded_done = true;
	for (k = 0; k < IV_PCR_COUNT; k++) {
		struct iv_replay_pcr *p = &r->p[IV_ALG_SHA1][k];

		/* Padding a 20-byte digest to 20 bytes changes nothing. */
		memcpy(p->padded, p->hash, IV_SHA1_LEN);
		p->m_padded = p->m_hash;
	}
	for (b = 0; b < r->banks; b++) {
		enum iv_alg alg = r->bank_alg[b];

		for (k = 0; k < IV_PCR_COUNT; k++) {
			struct iv_replay_pcr *p = &r->p[alg][k];
			const struct iv_match *m;
			enum iv_scheme s;

			if (!p->used)
				continue;
			m = chosen(r, p, &s, alg);
			p->last_match = m ? m->at : IV_NO_MATCH;
			if (!m || !p->have_tpm) {
				common = false;
				continue;
			}
			if (m->at > at) {
				at = m->at;
				offset = m->end_offset;
			}
			if (m->until != IV_NO_MATCH &&
			    (until < 0 || m->until < until))
				until = m->until;
		}
	}
	common = common && (until < 0 || at < until);
	r->prefix_at = common ? at : IV_NO_MATCH;
	/*
	 * Reset values cover nothing, a saved state's values its entries;
	 * a newer boot rules the prefix out.
	 */
	r->all_match = common && (at >= 0 || r->base_entries) &&
		       r->last_aggregate <= at;
	r->covered = !r->all_match ? r->entries :
		     at >= 0 ? (size_t)at + 1 : r->base_entries;
	r->covered_offset = r->all_match ? offset : r->end_offset;
	for (b = 0; b < r->banks; b++) {
		enum iv_alg alg = r->bank_alg[b];

		for (k = 0; k < IV_PCR_COUNT; k++) {
			struct iv_replay_pcr *p = &r->p[alg][k];
			enum iv_scheme s;

			if (!p->used)
				continue;
			if (r->all_match) {
				chosen(r, p, &s, alg);
				p->scheme = s;
			} else if (at_end(&p->m_hash)) {
				p->scheme = alg == IV_ALG_SHA1 ?
					    IV_SCHEME_SHA1 : IV_SCHEME_HASH;
			} else if (r->padded_done && at_end(&p->m_padded)) {
				p->scheme = IV_SCHEME_PADDED;
			} else {
				p->scheme = IV_SCHEME_NONE;
			}
		}
	}
	bind_free(r);
	iv_hasher_free(&r->hasher);
}

void iv_replay_free(struct iv_replay *r)
{
	if (!r)
		return;
	bind_free(r);
	iv_hasher_free(&r->hasher);
}

int iv_replay_run(const struct iv_list *l, const struct iv_pcrs *tpm,
		  struct iv_replay *r, struct iv_err *err)
{
	size_t i;

	assert(l && tpm && r && err);
	if (iv_replay_init(r, tpm, false, err))
		goto fail;
	for (i = 0; i < l->count; i++)
		if (iv_replay_entry(r, &l->e[i], err))
			goto fail;
	if (iv_replay_wants_padded(r)) {
		if (iv_replay_padded_begin(r, err))
			goto fail;
		for (i = 0; i < l->count; i++)
			if (iv_replay_entry(r, &l->e[i], err))
				goto fail;
		if (iv_replay_padded_end(r, err))
			goto fail;
	}
	iv_replay_finish(r);
	return 0;
fail:
	iv_replay_free(r);
	return -1;
}
