// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Soft reboots in the list, and what to say when replay fails.
 *
 * A carried list holds one boot_aggregate per boot.  Around each kexec
 * the kernel measures two ima-buf critical-data events (label ima_kexec):
 *	kexec_load	when the new kernel is loaded;
 *	kexec_execute	from the reboot notifier, just before measurements
 *			are suspended, so it is the last carried entry;
 * each with buf "kexec_segment_size=N;ima_binary_runtime_size=N;
 * ima_runtime_measurements_count=N;".  This series adds one more, made by
 * the new kernel right after its boot_aggregate, saying what became of
 * the list it was handed:
 *	kexec_restore	"result=<intact|unchecked|truncated|rejected>;
 *			restored=N;dropped=M;[reason=<word>;]"
 *	intact		the SHA-256 the old kernel wrote over the handover
 *			matched: the list is intact, which is not to say
 *			authentic (only the TPM replay shows that);
 *	unchecked	the old kernel wrote no digest, nothing was checked;
 *	truncated	the list did not fit, the M newest entries are missing;
 *	rejected	the new kernel discarded the list and says why in
 *			reason= (bad_header, digest_mismatch, unreadable, ...;
 *			kept as an opaque word, new kernels may add more).
 * "none" (no handover at all) appears in securityfs only, never in the
 * list, so a record saying it is malformed.
 *
 * Earlier kernels of the series named the record kexec_handover and said
 * "verified" for intact and "unverified" for unchecked; those lists are
 * read too, the old words mapped to the new ones.  Either vocabulary is
 * accepted under either name: the words are the kernel's report, not a
 * verdict, which comes from the TPM replay alone.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "imaverify.h"

const char *iv_ho_result_name(enum iv_ho_result r)
{
	switch (r) {
	case IV_HO_INTACT:
		return "intact";
	case IV_HO_UNCHECKED:
		return "unchecked";
	case IV_HO_TRUNCATED:
		return "truncated";
	case IV_HO_REJECTED:
		return "rejected";
	default:
		return "unknown";
	}
}

/* The payload must be "key=value;" pairs of printable ASCII. */
static bool kv_wellformed(const uint8_t *p, size_t len)
{
	size_t i = 0;

	/* Tolerate a trailing NUL, should a writer include it. */
	while (len && !p[len - 1])
		len--;
	if (!len)
		return false;
	while (i < len) {
		size_t key = i;

		while (i < len && ((p[i] >= 'a' && p[i] <= 'z') ||
				   (p[i] >= '0' && p[i] <= '9') || p[i] == '_'))
			i++;
		if (i == key || i == len || p[i] != '=')
			return false;
		i++;
		while (i < len && p[i] != ';') {
			if (p[i] < 0x21 || p[i] > 0x7e || p[i] == '=')
				return false;
			i++;
		}
		if (i == len)
			return false;
		i++;
	}
	return true;
}

static bool kv_get(const uint8_t *p, size_t len, const char *key, char *val,
		   size_t vsz)
{
	size_t klen = strlen(key), i = 0;

	while (i < len) {
		const uint8_t *semi = memchr(p + i, ';', len - i);
		size_t end = semi ? (size_t)(semi - p) : len;

		if (end - i > klen && !memcmp(p + i, key, klen) &&
		    p[i + klen] == '=') {
			size_t vlen = end - i - klen - 1;

			if (vlen >= vsz)
				return false;
			memcpy(val, p + i + klen + 1, vlen);
			val[vlen] = '\0';
			return true;
		}
		i = end + 1;
	}
	return false;
}

static bool kv_u64(const uint8_t *p, size_t len, const char *key,
		   uint64_t *out)
{
	char val[24];
	uint64_t v = 0;
	size_t i;

	if (!kv_get(p, len, key, val, sizeof(val)) || !val[0])
		return false;
	for (i = 0; val[i]; i++) {
		if (val[i] < '0' || val[i] > '9' ||
		    v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(val[i] - '0');
	}
	*out = v;
	return true;
}

/* d-ng of critical data is H(buf); check it when the algorithm is known. */
static bool buf_digest_ok(const struct iv_entry *e)
{
	uint8_t calc[IV_MAX_DIGEST];
	int alg = iv_alg_by_name(e->algo);

	if (e->violation || alg < 0)
		return true;
	if (iv_hash((enum iv_alg)alg, e->buf, e->buf_len, calc))
		return false;
	return e->fdigest_len == iv_alg_size((enum iv_alg)alg) &&
	       !memcmp(calc, e->fdigest, e->fdigest_len);
}

/* Arrays double in size: a bigger block is due when @n is a power of 2. */
static void *grow(void *arr, size_t n, size_t size)
{
	if (!n)
		return malloc(size);
	if (n & (n - 1))
		return arr;
	return realloc(arr, 2 * n * size);
}

static void parse_handover(const struct iv_entry *e, struct iv_handover *h)
{
	char res[16];

	h->result = IV_HO_UNKNOWN;
	h->malformed = !kv_wellformed(e->buf, e->buf_len);
	if (kv_get(e->buf, e->buf_len, "result", res, sizeof(res))) {
		/* "verified" and "unverified": older kernels of the series */
		if (!strcmp(res, "intact") || !strcmp(res, "verified"))
			h->result = IV_HO_INTACT;
		else if (!strcmp(res, "unchecked") ||
			 !strcmp(res, "unverified"))
			h->result = IV_HO_UNCHECKED;
		else if (!strcmp(res, "truncated"))
			h->result = IV_HO_TRUNCATED;
		else if (!strcmp(res, "rejected"))
			h->result = IV_HO_REJECTED;
	}
	h->has_restored = kv_u64(e->buf, e->buf_len, "restored", &h->restored);
	h->has_dropped = kv_u64(e->buf, e->buf_len, "dropped", &h->dropped);
	if (!kv_get(e->buf, e->buf_len, "reason", h->reason, sizeof(h->reason)))
		h->reason[0] = '\0';
	if (h->result == IV_HO_UNKNOWN || !h->has_restored || !h->has_dropped ||
	    (h->result == IV_HO_REJECTED && !h->reason[0]))
		h->malformed = true;
}

int iv_kexec_analyse(const struct iv_list *l, struct iv_kexec *k,
		     struct iv_err *err)
{
	bool seen_execute = false;
	size_t i;

	assert(l && k && err);
	memset(k, 0, sizeof(*k));
	for (i = 0; i < l->count; i++) {
		const struct iv_entry *e = &l->e[i];
		void *n;

		if (iv_entry_is_boot_aggregate(e)) {
			n = grow(k->boot, k->nboot, sizeof(*k->boot));
			if (!n)
				return iv_fail(err, "out of memory");
			k->boot = n;
			k->boot[k->nboot].aggregate = i;
			k->boot[k->nboot].has_execute = !k->nboot || seen_execute;
			k->boot[k->nboot].handover = -1;
			k->nboot++;
			seen_execute = false;
			continue;
		}
		if (!e->has_buf)
			continue;
		if (iv_entry_name_is(e, "kexec_load") ||
		    iv_entry_name_is(e, "kexec_execute")) {
			struct iv_kexec_event *ev;

			n = grow(k->ev, k->nev, sizeof(*k->ev));
			if (!n)
				return iv_fail(err, "out of memory");
			k->ev = n;
			ev = &k->ev[k->nev++];
			memset(ev, 0, sizeof(*ev));
			ev->entry = i;
			ev->boot = (unsigned int)k->nboot;
			ev->kind = iv_entry_name_is(e, "kexec_load") ?
				   IV_KEXEC_LOAD : IV_KEXEC_EXECUTE;
			ev->parsed = kv_wellformed(e->buf, e->buf_len) &&
				kv_u64(e->buf, e->buf_len, "kexec_segment_size",
				       &ev->segment_size) &&
				kv_u64(e->buf, e->buf_len,
				       "ima_binary_runtime_size",
				       &ev->binary_size) &&
				kv_u64(e->buf, e->buf_len,
				       "ima_runtime_measurements_count",
				       &ev->count);
			ev->digest_ok = buf_digest_ok(e);
			if (ev->kind == IV_KEXEC_EXECUTE)
				seen_execute = true;
		} else if (iv_entry_name_is(e, IV_RESTORE_RECORD) ||
			   iv_entry_name_is(e, IV_RESTORE_RECORD_OLD)) {
			struct iv_handover *h;

			n = grow(k->ho, k->nho, sizeof(*k->ho));
			if (!n)
				return iv_fail(err, "out of memory");
			k->ho = n;
			h = &k->ho[k->nho];
			memset(h, 0, sizeof(*h));
			h->entry = i;
			h->boot = (unsigned int)k->nboot;
			h->old_name = iv_entry_name_is(e,
						       IV_RESTORE_RECORD_OLD);
			h->after_aggregate = k->nboot &&
				k->boot[k->nboot - 1].aggregate + 1 == i;
			parse_handover(e, h);
			if (k->nboot && k->boot[k->nboot - 1].handover < 0)
				k->boot[k->nboot - 1].handover = (long)k->nho;
			k->nho++;
		}
	}
	return 0;
}

void iv_kexec_free(struct iv_kexec *k)
{
	if (!k)
		return;
	free(k->boot);
	free(k->ev);
	free(k->ho);
	memset(k, 0, sizeof(*k));
}

static void fmt_count(char *buf, size_t len, bool have, uint64_t v)
{
	if (have)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else
		snprintf(buf, len, "an unknown number of");
}

static size_t entries_after(const struct iv_list *l, long after,
			    unsigned int pcr)
{
	size_t i, n = 0;

	for (i = (size_t)(after + 1); i < l->count; i++)
		if (l->e[i].pcr == pcr)
			n++;
	return n;
}

static bool explain_list_longer(const struct iv_ctx *ctx,
				struct iv_explain *out)
{
	const struct iv_replay *r = &ctx->replay;
	int a, k;

	for (a = 0; a < IV_ALG_COUNT; a++) {
		for (k = 0; k < IV_PCR_COUNT; k++) {
			const struct iv_replay_pcr *p = &r->p[a][k];
			char at[48];

			if (!p->used || p->scheme != IV_SCHEME_NONE ||
			    p->last_match == IV_NO_MATCH)
				continue;
			if (p->last_match == IV_AT_START)
				snprintf(at, sizeof(at), "before the first entry");
			else
				snprintf(at, sizeof(at), "after entry %ld",
					 p->last_match);
			out->cause = IV_CAUSE_LIST_LONGER;
			out->entry = p->last_match + 1;
			snprintf(out->text, sizeof(out->text),
				 "list longer than TPM: %s PCR-%02d equals the replay %s; the list has %zu more entries than the TPM (read PCRs before the list)",
				 iv_alg_name((enum iv_alg)a), k, at,
				 entries_after(&ctx->list, p->last_match,
					       (unsigned int)k));
			return true;
		}
	}
	return false;
}

static void explain_generic(const struct iv_ctx *ctx, struct iv_explain *out)
{
	const struct iv_replay *r = &ctx->replay;
	int a, k;

	for (a = 0; a < IV_ALG_COUNT; a++) {
		for (k = 0; k < IV_PCR_COUNT; k++) {
			const struct iv_replay_pcr *p = &r->p[a][k];
			char pcr[16] = "";

			if (!p->used || p->scheme != IV_SCHEME_NONE)
				continue;
			if (k != 10)
				snprintf(pcr, sizeof(pcr), " PCR-%02d", k);
			out->cause = IV_CAUSE_MISMATCH;
			snprintf(out->text, sizeof(out->text),
				 "PCR mismatch in bank %s%s after all %zu entries; no entry matched intermediate PCR value",
				 iv_alg_name((enum iv_alg)a), pcr,
				 ctx->list.count);
			return;
		}
	}
	out->cause = IV_CAUSE_MISMATCH;
	snprintf(out->text, sizeof(out->text), "PCR mismatch");
}

static bool explain_handover(const struct iv_kexec *k, struct iv_explain *out,
			     enum iv_ho_result want)
{
	char n1[32], n2[32];
	size_t i;

	for (i = 0; i < k->nho; i++) {
		const struct iv_handover *h = &k->ho[i];

		if (h->result != want)
			continue;
		out->entry = (long)h->entry;
		fmt_count(n1, sizeof(n1), h->has_dropped, h->dropped);
		fmt_count(n2, sizeof(n2), h->has_restored, h->restored);
		if (want == IV_HO_TRUNCATED) {
			out->cause = IV_CAUSE_TRUNCATED;
			snprintf(out->text, sizeof(out->text),
				 "handover truncated at kexec into boot %u (entry %zu): the previous kernel's list did not fit the kexec buffer; %s newest entries were left out (%s handed over) but the TPM holds their extends",
				 h->boot, h->entry, n1, n2);
		} else {
			char at[64];

			/*
			 * The new kernel starts a fresh list, so its record
			 * normally sits in the list's boot 1: that is the
			 * kernel the kexec went into, not the cold boot
			 * "boot 1" would suggest.
			 */
			if (h->boot <= 1)
				snprintf(at, sizeof(at),
					 "the kexec that started this list");
			else
				snprintf(at, sizeof(at), "kexec into boot %u",
					 h->boot);
			/*
			 * dropped= counts what the old kernel left out of a
			 * handover that fit (the ABI), not what a rejection
			 * threw away: that number is in no record, and the
			 * kernel writes dropped=0.  Don't present it as one.
			 */
			out->cause = IV_CAUSE_REJECTED;
			snprintf(out->text, sizeof(out->text),
				 "handover rejected at %s (entry %zu): reason %s; the new kernel discarded the whole list the previous kernel handed over (how many entries is not recorded) but the TPM holds their extends",
				 at, h->entry,
				 h->reason[0] ? h->reason : "not given");
		}
		return true;
	}
	return false;
}

static void explain_template_digest(const struct iv_ctx *ctx,
				    struct iv_explain *out)
{
	const struct iv_replay *r = &ctx->replay;
	const struct iv_entry *e = &ctx->list.e[r->first_bad];
	char label[128], log[41], calc[41];

	iv_entry_label(e, label, sizeof(label));
	iv_hex(e->digest, IV_SHA1_LEN, log);
	iv_hex(r->first_bad_calc, IV_SHA1_LEN, calc);
	out->cause = IV_CAUSE_TEMPLATE_DIGEST;
	out->entry = r->first_bad;
	snprintf(out->text, sizeof(out->text),
		 "template digest wrong at entry %ld (byte offset %zu, %s): logged %s, SHA-1 of the template data is %s",
		 r->first_bad, e->offset, label, log, calc);
}

/*
 * Pick the most specific reason why the list does not verify.
 * A TPM value met part way through the list says exactly what is wrong
 * (extra entries at the end); then a cause the new kernel recorded beats
 * one inferred from the list, and that beats the generic statement.
 */
void iv_explain_mismatch(const struct iv_ctx *ctx, struct iv_explain *out)
{
	const struct iv_kexec *k = &ctx->kexec;
	const struct iv_replay *r = &ctx->replay;
	size_t i;
	int a, p;

	assert(ctx && out);
	memset(out, 0, sizeof(*out));
	out->entry = -1;
	/* Every PCR matched: only a bad template digest can be wrong. */
	if (r->all_match && r->first_bad >= 0) {
		explain_template_digest(ctx, out);
		return;
	}

	for (a = 0; a < IV_ALG_COUNT; a++)
		for (p = 0; p < IV_PCR_COUNT; p++)
			if (r->p[a][p].used && !r->p[a][p].have_tpm) {
				out->cause = IV_CAUSE_NO_PCR;
				snprintf(out->text, sizeof(out->text),
					 "no %s value for PCR-%02d, which the list extends",
					 iv_alg_name((enum iv_alg)a), p);
				return;
			}
	/* The TPM equals a prefix of the list: nothing before it is lost. */
	if (explain_list_longer(ctx, out))
		return;
	if (explain_handover(k, out, IV_HO_TRUNCATED) ||
	    explain_handover(k, out, IV_HO_REJECTED))
		return;
	for (i = 1; i < k->nboot; i++) {
		if (k->boot[i].has_execute)
			continue;
		out->cause = IV_CAUSE_NO_EXECUTE;
		out->entry = (long)k->boot[i].aggregate;
		snprintf(out->text, sizeof(out->text),
			 "no kexec_execute before boot %zu (boot_aggregate at entry %zu): measurements the previous kernel took after copying its list were not carried across kexec",
			 i + 1, k->boot[i].aggregate);
		return;
	}
	if (r->first_bad >= 0) {
		explain_template_digest(ctx, out);
		return;
	}
	if (ctx->have_good) {
		int n = iv_good_list_diff(&ctx->good, &ctx->list, out->text,
					  sizeof(out->text));

		if (n >= 0) {
			out->cause = IV_CAUSE_GOOD_LIST;
			out->entry = n;
			return;
		}
	}
	explain_generic(ctx, out);
}

static bool same_entry(const struct iv_entry *a, const struct iv_entry *b)
{
	return a->pcr == b->pcr && a->tname_len == b->tname_len &&
	       !memcmp(a->tname, b->tname, a->tname_len) &&
	       !memcmp(a->digest, b->digest, IV_SHA1_LEN) &&
	       a->data_len == b->data_len &&
	       !memcmp(a->data, b->data, a->data_len);
}

/*
 * First entry where @l leaves the known-good prefix @good, with a
 * sentence in @text; -1 if @l agrees with all of @good it covers and is
 * not shorter than @good.
 */
int iv_good_list_diff(const struct iv_list *good, const struct iv_list *l,
		      char *text, size_t len)
{
	char gl[128], ll[128];
	size_t i;

	assert(good && l && text);
	for (i = 0; i < good->count && i < l->count; i++) {
		if (same_entry(&good->e[i], &l->e[i]))
			continue;
		iv_entry_label(&good->e[i], gl, sizeof(gl));
		iv_entry_label(&l->e[i], ll, sizeof(ll));
		snprintf(text, len,
			 "replay diverges from the known-good list at entry %zu (byte offset %zu): expected %s, found %s",
			 i, l->e[i].offset, gl, ll);
		return (int)i;
	}
	if (l->count < good->count) {
		snprintf(text, len,
			 "list ends after %zu entries but the known-good list has %zu: entries from %zu on are missing",
			 l->count, good->count, l->count);
		return (int)l->count;
	}
	return -1;
}
