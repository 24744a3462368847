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
 * Both are computed and the report says which one matched.  Unlike
 * evmctl every bank must match, not just one, and boot_aggregate entries
 * never reset anything: kexec does not reset the TPM.
 */
#include <assert.h>
#include <string.h>

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

static void check_digest(const struct iv_entry *e, struct iv_replay *r)
{
	uint8_t calc[IV_SHA1_LEN];

	if (e->violation) {
		r->violations++;
		return;
	}
	if (iv_hash(IV_ALG_SHA1, e->data, e->data_len, calc) ||
	    !memcmp(calc, e->digest, IV_SHA1_LEN))
		return;
	if (!r->bad_digests++) {
		r->first_bad = (long)e->index;
		memcpy(r->first_bad_calc, calc, IV_SHA1_LEN);
	}
}

static int extend_entry(const struct iv_entry *e, enum iv_alg alg,
			struct iv_replay_pcr *p, struct iv_err *err)
{
	uint8_t hash[IV_MAX_DIGEST], pad[IV_MAX_DIGEST];
	size_t n = iv_alg_size(alg);

	memset(pad, 0, sizeof(pad));
	if (e->violation) {
		memset(hash, 0xff, n);
		memset(pad, 0xff, IV_SHA1_LEN);
	} else {
		if (alg == IV_ALG_SHA1)
			memcpy(hash, e->digest, IV_SHA1_LEN);
		else if (iv_hash(alg, e->data, e->data_len, hash))
			return iv_fail(err, "entry %zu: %s hash failed",
				       e->index, iv_alg_name(alg));
		memcpy(pad, e->digest, IV_SHA1_LEN);
	}
	if (iv_extend(alg, p->hash, hash) || iv_extend(alg, p->padded, pad))
		return iv_fail(err, "entry %zu: %s extend failed", e->index,
			       iv_alg_name(alg));
	p->entries++;
	p->last_entry = (long)e->index;
	/* Remember where the TPM value was last reached (keylime-style). */
	if (p->have_tpm && (!memcmp(p->hash, p->tpm, n) ||
			    !memcmp(p->padded, p->tpm, n)))
		p->last_match = (long)e->index;
	return 0;
}

int iv_replay_run(const struct iv_list *l, const struct iv_pcrs *tpm,
		  struct iv_replay *r, struct iv_err *err)
{
	bool used[IV_PCR_COUNT] = { false };
	size_t i;
	int a, k;

	assert(l && tpm && r && err);
	memset(r, 0, sizeof(*r));
	r->first_bad = -1;
	r->all_match = true;
	for (i = 0; i < l->count; i++)
		used[l->e[i].pcr] = true;

	for (a = 0; a < IV_ALG_COUNT; a++) {
		const struct iv_bank *b = &tpm->bank[a];
		size_t n = iv_alg_size((enum iv_alg)a);

		if (!b->present)
			continue;
		r->banks++;
		for (k = 0; k < IV_PCR_COUNT; k++) {
			struct iv_replay_pcr *p = &r->p[a][k];

			if (!used[k])
				continue;
			p->used = true;
			p->have_tpm = b->set[k];
			p->last_match = IV_NO_MATCH;
			if (p->have_tpm) {
				static const uint8_t zero[IV_MAX_DIGEST];

				memcpy(p->tpm, b->val[k], n);
				if (!memcmp(p->tpm, zero, n))
					p->last_match = IV_AT_START;
			}
		}
	}
	if (!r->banks)
		return iv_fail(err, "no PCR bank to replay against");

	for (i = 0; i < l->count; i++) {
		const struct iv_entry *e = &l->e[i];

		check_digest(e, r);
		for (a = 0; a < IV_ALG_COUNT; a++) {
			struct iv_replay_pcr *p = &r->p[a][e->pcr];

			if (p->used && extend_entry(e, (enum iv_alg)a, p, err))
				return -1;
		}
	}

	for (a = 0; a < IV_ALG_COUNT; a++) {
		size_t n = iv_alg_size((enum iv_alg)a);

		for (k = 0; k < IV_PCR_COUNT; k++) {
			struct iv_replay_pcr *p = &r->p[a][k];

			if (!p->used)
				continue;
			if (p->have_tpm && !memcmp(p->hash, p->tpm, n))
				p->scheme = a == IV_ALG_SHA1 ? IV_SCHEME_SHA1 :
							       IV_SCHEME_HASH;
			else if (p->have_tpm && !memcmp(p->padded, p->tpm, n))
				p->scheme = IV_SCHEME_PADDED;
			else
				r->all_match = false;
		}
	}
	return 0;
}
