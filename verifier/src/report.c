// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Output: one verdict line first, so "head -1" or -q is enough for a
 * script; then detail lines for a human; or one JSON object (--json).
 */
#include <assert.h>
#include <string.h>

#include "imaverify.h"

const char *iv_cause_name(enum iv_cause c)
{
	static const char *const names[] = {
		[IV_CAUSE_NONE]			= "none",
		[IV_CAUSE_QUOTE]		= "quote",
		[IV_CAUSE_TPM_DISAGREE]		= "kernel_tpm_disagreement",
		[IV_CAUSE_NO_PCR]		= "no_pcr_value",
		[IV_CAUSE_TPM_BYPASS]		= "kernel_tpm_bypass",
		[IV_CAUSE_TRUNCATED]		= "handover_truncated",
		[IV_CAUSE_REJECTED]		= "handover_rejected",
		[IV_CAUSE_LOST]			= "handover_lost",
		[IV_CAUSE_KERNEL_MISMATCH]	= "kernel_tpm_mismatch",
		[IV_CAUSE_NO_EXECUTE]		= "missing_kexec_execute",
		[IV_CAUSE_TEMPLATE_DIGEST]	= "template_digest",
		[IV_CAUSE_GOOD_LIST]		= "good_list_divergence",
		[IV_CAUSE_LIST_LONGER]		= "list_longer_than_tpm",
		[IV_CAUSE_PCRS_DISAGREE]	= "pcrs_disagree",
		[IV_CAUSE_STATE_PREFIX]		= "state_prefix_mismatch",
		[IV_CAUSE_STATE_CLOCK]		= "state_clock_backwards",
		[IV_CAUSE_MISMATCH]		= "pcr_mismatch",
	};

	return c < sizeof(names) / sizeof(names[0]) ? names[c] : "unknown";
}

static const char *scheme_token(enum iv_scheme s)
{
	switch (s) {
	case IV_SCHEME_SHA1:
		return "sha1";
	case IV_SCHEME_HASH:
		return "per-bank";
	case IV_SCHEME_PADDED:
		return "sha1-padded";
	default:
		return NULL;
	}
}

static const char *event_name(enum iv_kexec_kind k)
{
	return k == IV_KEXEC_LOAD ? "kexec_load" : "kexec_execute";
}

/* After the covered prefix: what the list says, nothing more. */
#define NEWER_MARK	" (newer, not covered: the list's claim)"

/* Entries after those the PCR values cover: added after they were read. */
static size_t newer(const struct iv_replay *r)
{
	return r->all_match ? r->entries - r->covered : 0;
}

static bool from_state(const struct iv_ctx *ctx)
{
	return ctx->incr.use == IV_STATE_APPLIED;
}

/* "entries 17-39 of 40 (incremental from state, 17 verified before), " */
static void state_span(const struct iv_ctx *ctx, FILE *out)
{
	const struct iv_replay *r = &ctx->replay;
	size_t before = ctx->incr.in.entries;

	if (r->covered == before + 1)
		fprintf(out, "entry %zu", before);
	else if (r->covered > before)
		fprintf(out, "entries %zu-%zu", before, r->covered - 1);
	else
		fprintf(out, "no new entries");
	fprintf(out, " of %zu (incremental from state, %zu verified before), ",
		r->entries, before);
}

static void verdict_line(const struct iv_ctx *ctx, FILE *out)
{
	const struct iv_replay *r = &ctx->replay;
	const char *sep = "";
	int a;

	if (ctx->status == IV_ERROR) {
		fprintf(out, "NOT VERIFIED: input error: %s\n", ctx->err.msg);
		return;
	}
	if (ctx->status == IV_NOT_VERIFIED) {
		fprintf(out, "NOT VERIFIED: %s\n", ctx->why.text);
		return;
	}
	fprintf(out, "VERIFIED: ");
	if (from_state(ctx))
		state_span(ctx, out);
	else if (newer(r))
		fprintf(out, "%zu of %zu entries, ", r->covered, r->entries);
	else
		fprintf(out, "%zu entries, ", r->entries);
	fprintf(out, "%zu boot%s, bank%s ",
		ctx->kexec.nboot, ctx->kexec.nboot == 1 ? "" : "s",
		r->banks == 1 ? "" : "s");
	for (a = 0; a < IV_ALG_COUNT; a++) {
		if (!ctx->pcrs.bank[a].present)
			continue;
		fprintf(out, "%s%s", sep, iv_alg_name((enum iv_alg)a));
		sep = ",";
	}
	fprintf(out, " match%s", ctx->have_quote ? " (quote verified)" : "");
	if (newer(r))
		fprintf(out, "; %zu newer entr%s not yet covered by the PCRs",
			newer(r), newer(r) == 1 ? "y" : "ies");
	if (from_state(ctx) && ctx->incr.kexecs)
		fprintf(out, "; %u kexec%s since the saved state",
			ctx->incr.kexecs, ctx->incr.kexecs == 1 ? "" : "s");
	iv_policy_verdict_text(ctx->policy, out);
	fprintf(out, "\n");
}

/*
 * The next PCR the replay extended after bank @a, PCR @k, bank by bank;
 * start with @a = 0, @k = -1. NULL after the last.
 */
static const struct iv_replay_pcr *next_pcr(const struct iv_ctx *ctx, int *a,
					    int *k)
{
	while (*a < IV_ALG_COUNT) {
		if (++*k == IV_PCR_COUNT) {
			*k = -1;
			++*a;
			continue;
		}
		if (ctx->replay.p[*a][*k].used)
			return &ctx->replay.p[*a][*k];
	}
	return NULL;
}

static void text_newer(const struct iv_replay *r, FILE *out)
{
	size_t k = newer(r);

	if (!k)
		return;
	if (k == 1)
		fprintf(out, "newer: entry %zu", r->covered);
	else
		fprintf(out, "newer: entries %zu-%zu", r->covered, r->entries - 1);
	fprintf(out, " (from byte offset %zu) added after the PCR values were read: not covered, not judged\n",
		r->covered_offset);
}

/* Where the run started, and what it left for the next one. */
static void text_state(const struct iv_ctx *ctx, FILE *out)
{
	const struct iv_incremental *in = &ctx->incr;
	const char *from = ctx->opt.state_in ? ctx->opt.state_in : "state";

	switch (in->use) {
	case IV_STATE_APPLIED:
		fprintf(out, "state: from %s: %zu entries, %zu bytes (their SHA-256 matches), clock %s; %u kexec%s since the saved state\n",
			from, in->in.entries, in->in.offset,
			iv_state_clock_name(in->clock), in->kexecs,
			in->kexecs == 1 ? "" : "s");
		break;
	case IV_STATE_RESET:
		fprintf(out, "state: from %s not applied: the TPM was reset (resetCount %u, now %u); verified in full\n",
			from, in->in.reset_count, ctx->quote.reset_count);
		break;
	case IV_STATE_REFUSED:
		fprintf(out, "state: from %s refused\n", from);
		break;
	default:
		break;
	}
	if (in->wrote)
		fprintf(out, "state: saved to %s: %zu entries, %zu bytes\n",
			ctx->opt.state_out, in->out.entries, in->out.offset);
}

static void text_banks(const struct iv_ctx *ctx, FILE *out)
{
	char tpm[2 * IV_MAX_DIGEST + 1], rep[2 * IV_MAX_DIGEST + 1];
	const struct iv_replay_pcr *p;
	int a = 0, k = -1;

	while ((p = next_pcr(ctx, &a, &k))) {
		size_t n = iv_alg_size((enum iv_alg)a);

		if (p->have_tpm)
			iv_hex(p->tpm, n, tpm);
		else
			strcpy(tpm, "(none)");
		/* Matched where the PCRs cover the list, not always its end. */
		iv_hex(p->scheme != IV_SCHEME_NONE ? p->tpm : p->hash, n, rep);
		fprintf(out, "bank %s PCR-%02d: tpm %s replay %s ",
			iv_alg_name((enum iv_alg)a), k, tpm, rep);
		if (p->scheme != IV_SCHEME_NONE) {
			fprintf(out, "match (%s)\n",
				iv_scheme_name(p->scheme));
			continue;
		}
		fprintf(out, "MISMATCH");
		if (a != IV_ALG_SHA1 && ctx->replay.padded_done) {
			iv_hex(p->padded, n, rep);
			fprintf(out, " (sha1-padded replay %s)", rep);
		}
		fprintf(out, "\n");
	}
}

/*
 * The kernel's own TPM check of one record: what its verdict means, then
 * per bank its verdict beside the verifier's replay of that bank.
 */
static void text_tpm_check(const struct iv_handover *h, FILE *out)
{
	char text[512], kern[96], ver[96];
	unsigned int b;

	if (h->tpm == IV_TPM_ABSENT)
		return;
	iv_ho_tpm_meaning(h, text, sizeof(text));
	fprintf(out, "tpm-check: entry %zu boot %u tpm=%s: %s\n", h->entry,
		h->boot, iv_tpm_verdict_name(h->tpm), text);
	for (b = 0; b < h->nbank; b++) {
		iv_ho_bank_kernel(&h->bank[b], kern, sizeof(kern));
		iv_ho_bank_verifier(&h->bank[b], ver, sizeof(ver));
		iv_ho_bank_relation(h, &h->bank[b], text, sizeof(text));
		fprintf(out, "tpm-check: entry %zu boot %u %s: %s, %s; %s\n",
			h->entry, h->boot, h->bank[b].name, kern, ver, text);
	}
}

static void text_kexec(const struct iv_ctx *ctx, FILE *out)
{
	const struct iv_kexec *k = &ctx->kexec;
	size_t i;

	fprintf(out, "boots: %zu (boot_aggregate at entr%s", k->nboot,
		k->nboot == 1 ? "y" : "ies");
	for (i = 0; i < k->nboot; i++)
		fprintf(out, "%s %zu", i ? "," : "", k->boot[i].aggregate);
	fprintf(out, "%s)\n", k->nboot ? "" : " none");
	for (i = 0; i < k->nev; i++) {
		const struct iv_kexec_event *ev = &k->ev[i];

		fprintf(out, "kexec: entry %zu boot %u %s", ev->entry, ev->boot,
			event_name(ev->kind));
		if (!ev->parsed) {
			fprintf(out, " (malformed buffer)%s\n",
				ev->newer ? NEWER_MARK : "");
			continue;
		}
		fprintf(out, " segment_size=%llu binary_size=%llu count=%llu",
			(unsigned long long)ev->segment_size,
			(unsigned long long)ev->binary_size,
			(unsigned long long)ev->count);
		if (ev->count == ev->entry)
			fprintf(out, " (count matches position)");
		else if (ev->count > ev->entry)
			fprintf(out, " (%llu entr%s before it %s missing)",
				(unsigned long long)(ev->count - ev->entry),
				ev->count - ev->entry == 1 ? "y" : "ies",
				ev->count - ev->entry == 1 ? "is" : "are");
		else
			fprintf(out, " (%llu more entr%s before it than counted)",
				(unsigned long long)(ev->entry - ev->count),
				ev->entry - ev->count == 1 ? "y" : "ies");
		if (ev->binary_size > ev->segment_size)
			fprintf(out, " (list larger than kexec segment)");
		fprintf(out, "%s\n", ev->newer ? NEWER_MARK : "");
	}
	for (i = 0; i < k->nho; i++) {
		const struct iv_handover *h = &k->ho[i];

		fprintf(out, "handover: entry %zu boot %u result=%s",
			h->entry, h->boot, iv_ho_result_name(h->result));
		if (h->has_restored)
			fprintf(out, " restored=%llu",
				(unsigned long long)h->restored);
		if (h->has_dropped)
			fprintf(out, " dropped=%llu",
				(unsigned long long)h->dropped);
		if (h->reason[0])
			fprintf(out, " reason=%s", h->reason);
		if (h->tpm != IV_TPM_ABSENT)
			fprintf(out, " tpm=%s", iv_tpm_verdict_name(h->tpm));
		if (h->tpm_reason[0])
			fprintf(out, " tpm_reason=%s", h->tpm_reason);
		fprintf(out, "%s%s\n", h->malformed ? " (malformed)" : "",
			h->newer ? NEWER_MARK : "");
		/* The kernel's check beside the replay: covered ones only. */
		if (!h->newer)
			text_tpm_check(h, out);
	}
}

void iv_report_text(const struct iv_ctx *ctx, FILE *out)
{
	const struct iv_replay *r = &ctx->replay;
	const struct iv_quote *q = &ctx->quote;
	unsigned int i;

	assert(ctx && out);
	verdict_line(ctx, out);
	if (ctx->opt.quiet || ctx->status == IV_ERROR)
		return;
	if (ctx->have_quote)
		fprintf(out, "quote: %s, %s/%s, clock %llu resetCount %u restartCount %u safe %u\n",
			q->verified ? "verified" : "NOT verified",
			iv_sig_alg_name(q->sig_alg), iv_alg_name(q->sig_hash),
			(unsigned long long)q->clock, q->reset_count,
			q->restart_count, q->safe);
	text_state(ctx, out);
	if (r->entries) {
		fprintf(out, "list: %zu entries, %zu violations, ",
			r->entries, r->violations);
		if (r->first_bad < 0)
			fprintf(out, "template digests ok\n");
		else
			fprintf(out, "%zu template digests wrong (first at entry %ld)\n",
				r->bad_digests, r->first_bad);
		text_newer(r, out);
		text_banks(ctx, out);
		text_kexec(ctx, out);
		iv_policy_report_text(ctx->policy, out);
	}
	for (i = 0; i < ctx->nnotes; i++)
		fprintf(out, "note: %s\n", ctx->notes[i]);
	if (ctx->notes_lost)
		fprintf(out, "note: %zu more note%s lost: out of memory\n",
			ctx->notes_lost, ctx->notes_lost == 1 ? "" : "s");
}

/* A JSON string: quotes, backslashes and bytes outside printable ASCII escaped. */
void iv_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void json_hex(FILE *out, const uint8_t *p, size_t n)
{
	char hex[2 * IV_MAX_DIGEST + 1];

	iv_hex(p, n, hex);
	fprintf(out, "\"%s\"", hex);
}

static void json_chain(FILE *out, const struct iv_replay_pcr *p, size_t n,
		       const uint8_t *end, bool matched, bool computed)
{
	if (matched)
		json_hex(out, p->tpm, n);
	else if (p->scheme == IV_SCHEME_NONE && computed)
		json_hex(out, end, n);
	else
		fprintf(out, "null");
}

static void json_banks(const struct iv_ctx *ctx, FILE *out)
{
	const struct iv_replay_pcr *p;
	const char *sep = "";
	int a = 0, k = -1;

	fprintf(out, "\"banks\":[");
	/* An input error stopped the replay part way: nothing to show. */
	while (ctx->status != IV_ERROR && (p = next_pcr(ctx, &a, &k))) {
		size_t n = iv_alg_size((enum iv_alg)a);

		fprintf(out, "%s{\"bank\":\"%s\",\"pcr\":%d,\"tpm\":", sep,
			iv_alg_name((enum iv_alg)a), k);
		if (p->have_tpm)
			json_hex(out, p->tpm, n);
		else
			fprintf(out, "null");
		/*
		 * Each scheme's replay where the PCRs cover the list: the TPM
		 * value for the one that matched there, null for the other,
		 * and after all entries when nothing matched (the padded one
		 * only if it was computed).
		 */
		fprintf(out, ",\"replay\":");
		json_chain(out, p, n, p->hash, p->scheme == IV_SCHEME_SHA1 ||
			   p->scheme == IV_SCHEME_HASH, true);
		fprintf(out, ",\"replay_padded\":");
		json_chain(out, p, n, p->padded,
			   p->scheme == IV_SCHEME_PADDED ||
			   p->scheme == IV_SCHEME_SHA1,
			   a == IV_ALG_SHA1 || ctx->replay.padded_done);
		fprintf(out, ",\"match\":%s,\"scheme\":",
			p->scheme ? "true" : "false");
		if (p->scheme)
			iv_json_str(out, scheme_token(p->scheme));
		else
			fprintf(out, "null");
		if (p->last_match == IV_NO_MATCH)
			fprintf(out, ",\"last_match_entry\":null}");
		else
			fprintf(out, ",\"last_match_entry\":%ld}",
				p->last_match);
		sep = ",";
	}
	fprintf(out, "],");
}

static void json_pcrs(FILE *out, uint32_t pcrs)
{
	const char *sep = "";
	int k;

	fputc('[', out);
	for (k = 0; k < IV_PCR_COUNT; k++) {
		if (!(pcrs & (1U << k)))
			continue;
		fprintf(out, "%s%d", sep, k);
		sep = ",";
	}
	fputc(']', out);
}

static const char *bank_word(const struct iv_ho_bank *b)
{
	switch (b->verdict) {
	case IV_TPMB_MATCH:
		return b->padded ? "match:padded" : "match";
	case IV_TPMB_MISMATCH:
		return "mismatch";
	case IV_TPMB_READ_FAILED:
		return "not_checked:read_failed";
	case IV_TPMB_HASH_FAILED:
		return "not_checked:hash_failed";
	default:
		return "not_checked:no_hash";
	}
}

/* null for a record without tpm fields (a kernel before the check). */
static void json_tpm_check(const struct iv_handover *h, FILE *out)
{
	char text[512];
	unsigned int b;

	if (h->tpm == IV_TPM_ABSENT) {
		fprintf(out, "null");
		return;
	}
	iv_ho_tpm_meaning(h, text, sizeof(text));
	fprintf(out, "{\"verdict\":\"%s\",\"reason\":",
		iv_tpm_verdict_name(h->tpm));
	if (h->tpm_reason[0])
		iv_json_str(out, h->tpm_reason);
	else
		fprintf(out, "null");
	fprintf(out, ",\"meaning\":");
	iv_json_str(out, text);
	fprintf(out, ",\"banks\":[");
	for (b = 0; b < h->nbank; b++) {
		const struct iv_ho_bank *hb = &h->bank[b];

		fprintf(out, "%s{\"bank\":\"%s\",\"alg_id\":%u,\"kernel\":\"%s\",\"kernel_pcrs\":",
			b ? "," : "", hb->name, hb->tpm_alg,
			bank_word(hb));
		json_pcrs(out, hb->pcrs);
		fprintf(out, ",\"verifier\":\"%s\",\"verifier_pcrs\":",
			!hb->v_replayed ? (hb->alg < 0 ? "cannot_replay" :
					   "not_given") :
			hb->v_bad ? "mismatch" : "match");
		json_pcrs(out, hb->v_bad);
		iv_ho_bank_relation(h, hb, text, sizeof(text));
		fprintf(out, ",\"agreement\":\"%s\",\"text\":",
			iv_tpm_agree_name(hb->agree));
		iv_json_str(out, text);
		fputc('}', out);
	}
	fprintf(out, "]}");
}

static void json_kexec(const struct iv_ctx *ctx, FILE *out)
{
	const struct iv_kexec *k = &ctx->kexec;
	size_t i;

	fprintf(out, "\"boots\":%zu,\"boot_aggregates\":[", k->nboot);
	for (i = 0; i < k->nboot; i++)
		fprintf(out, "%s%zu", i ? "," : "", k->boot[i].aggregate);
	fprintf(out, "],\"kexec_events\":[");
	for (i = 0; i < k->nev; i++) {
		const struct iv_kexec_event *ev = &k->ev[i];

		fprintf(out, "%s{\"entry\":%zu,\"boot\":%u,\"event\":\"%s\",\"parsed\":%s",
			i ? "," : "", ev->entry, ev->boot,
			event_name(ev->kind), ev->parsed ? "true" : "false");
		if (ev->parsed)
			fprintf(out, ",\"segment_size\":%llu,\"binary_size\":%llu,\"count\":%llu,\"count_matches_position\":%s",
				(unsigned long long)ev->segment_size,
				(unsigned long long)ev->binary_size,
				(unsigned long long)ev->count,
				ev->count == ev->entry ? "true" : "false");
		fprintf(out, ",\"digest_ok\":%s,\"newer\":%s}",
			ev->digest_ok ? "true" : "false",
			ev->newer ? "true" : "false");
	}
	fprintf(out, "],\"handovers\":[");
	for (i = 0; i < k->nho; i++) {
		const struct iv_handover *h = &k->ho[i];

		fprintf(out, "%s{\"entry\":%zu,\"boot\":%u,\"result\":\"%s\"",
			i ? "," : "", h->entry, h->boot,
			iv_ho_result_name(h->result));
		if (h->has_restored)
			fprintf(out, ",\"restored\":%llu",
				(unsigned long long)h->restored);
		else
			fprintf(out, ",\"restored\":null");
		if (h->has_dropped)
			fprintf(out, ",\"dropped\":%llu",
				(unsigned long long)h->dropped);
		else
			fprintf(out, ",\"dropped\":null");
		fprintf(out, ",\"reason\":");
		if (h->reason[0])
			iv_json_str(out, h->reason);
		else
			fprintf(out, "null");
		fprintf(out, ",\"malformed\":%s,\"tpm\":",
			h->malformed ? "true" : "false");
		json_tpm_check(h, out);
		fprintf(out, ",\"newer\":%s}", h->newer ? "true" : "false");
	}
	fprintf(out, "],");
}

static void json_str_or_null(FILE *out, const char *s)
{
	if (s)
		iv_json_str(out, s);
	else
		fprintf(out, "null");
}

/* An input error: where (entry, offset: null where they do not apply). */
static void json_error(const struct iv_ctx *ctx, FILE *out)
{
	const struct iv_err *e = &ctx->err;

	fprintf(out, "\"error\":");
	if (ctx->status != IV_ERROR) {
		fprintf(out, "null,");
		return;
	}
	fprintf(out, "{\"entry\":");
	if (e->has_entry)
		fprintf(out, "%zu", e->entry);
	else
		fprintf(out, "null");
	fprintf(out, ",\"offset\":");
	if (e->has_offset)
		fprintf(out, "%zu", e->offset);
	else
		fprintf(out, "null");
	fprintf(out, ",\"reason\":");
	iv_json_str(out, e->reason[0] ? e->reason : e->msg);
	fprintf(out, ",\"input\":");
	json_str_or_null(out, e->input);
	fprintf(out, "},");
}

static void json_state(const struct iv_ctx *ctx, FILE *out)
{
	static const char *const uses[] = {
		[IV_STATE_UNUSED] = "unused",
		[IV_STATE_APPLIED] = "applied",
		[IV_STATE_RESET] = "tpm_reset",
		[IV_STATE_REFUSED] = "refused",
	};
	const struct iv_incremental *in = &ctx->incr;

	fprintf(out, "\"incremental\":");
	if (!in->have_in) {
		fprintf(out, "null,");
	} else {
		fprintf(out, "{\"state_in\":");
		json_str_or_null(out, ctx->opt.state_in);
		fprintf(out, ",\"use\":\"%s\",\"verified_before\":%zu,\"state_offset\":%zu,\"clock\":\"%s\",\"kexecs_since_state\":",
			uses[in->use], in->in.entries, in->in.offset,
			iv_state_clock_name(in->clock));
		if (in->use == IV_STATE_APPLIED)
			fprintf(out, "%u", in->kexecs);
		else
			fprintf(out, "null");
		fprintf(out, ",\"list_bytes\":");
		/* Set when the list ended before the state's prefix did. */
		if (in->use == IV_STATE_REFUSED &&
		    ctx->why.cause == IV_CAUSE_STATE_PREFIX &&
		    in->list_bytes < in->in.offset)
			fprintf(out, "%zu},", in->list_bytes);
		else
			fprintf(out, "null},");
	}
	fprintf(out, "\"state_out\":");
	if (!ctx->opt.state_out) {
		fprintf(out, "null,");
		return;
	}
	fprintf(out, "{\"path\":");
	iv_json_str(out, ctx->opt.state_out);
	if (in->wrote)
		fprintf(out, ",\"written\":true,\"entries\":%zu,\"offset\":%zu},",
			in->out.entries, in->out.offset);
	else
		fprintf(out, ",\"written\":false,\"entries\":null,\"offset\":null},");
}

void iv_report_json(const struct iv_ctx *ctx, FILE *out)
{
	const struct iv_replay *r = &ctx->replay;
	const struct iv_quote *q = &ctx->quote;
	static const char *const verdicts[] = {
		[IV_VERIFIED] = "VERIFIED",
		[IV_NOT_VERIFIED] = "NOT VERIFIED",
		[IV_ERROR] = "ERROR",
	};
	size_t i;

	assert(ctx && out);
	/* The schema's version first (ima-kexec-verify.schema.json). */
	fprintf(out, "{\"schema\":%d,\"verdict\":\"%s\",\"status\":%d,\"reason\":",
		IV_JSON_SCHEMA,
		verdicts[ctx->status], iv_exit_status(ctx));
	iv_json_str(out, ctx->status == IV_ERROR ? ctx->err.msg :
		 ctx->status == IV_NOT_VERIFIED ? ctx->why.text : "");
	fprintf(out, ",\"cause\":\"%s\",\"cause_entry\":",
		ctx->status == IV_NOT_VERIFIED ? iv_cause_name(ctx->why.cause) :
		ctx->status == IV_ERROR ? "input_error" : "none");
	if (ctx->status == IV_NOT_VERIFIED && ctx->why.entry >= 0)
		fprintf(out, "%ld,", ctx->why.entry);
	else
		fprintf(out, "null,");
	json_error(ctx, out);
	fprintf(out, "\"quote\":");
	if (ctx->have_quote)
		fprintf(out, "{\"verified\":%s,\"sig_alg\":\"%s\",\"hash\":\"%s\",\"clock\":%llu,\"reset_count\":%u,\"restart_count\":%u,\"safe\":%s},",
			q->verified ? "true" : "false",
			iv_sig_alg_name(q->sig_alg), iv_alg_name(q->sig_hash),
			(unsigned long long)q->clock, q->reset_count,
			q->restart_count, q->safe ? "true" : "false");
	else
		fprintf(out, "null,");
	json_state(ctx, out);
	fprintf(out, "\"entries\":%zu,\"coverage\":", r->entries);
	if (r->all_match)
		fprintf(out, "{\"covered\":%zu,\"entries\":%zu,\"newer\":%zu,\"newer_offset\":%zu},",
			r->covered, r->entries, newer(r), r->covered_offset);
	else
		fprintf(out, "null,");
	fprintf(out, "\"violations\":%zu,\"bad_template_digests\":%zu,\"first_bad_entry\":",
		r->violations, r->bad_digests);
	if (r->first_bad >= 0)
		fprintf(out, "%ld,", r->first_bad);
	else
		fprintf(out, "null,");
	json_banks(ctx, out);
	json_kexec(ctx, out);
	/* An input error stopped the judging part way: nothing to show. */
	iv_policy_report_json(ctx->status == IV_ERROR ? NULL : ctx->policy,
			      out);
	fprintf(out, "\"notes\":[");
	for (i = 0; i < ctx->nnotes; i++) {
		if (i)
			fputc(',', out);
		iv_json_str(out, ctx->notes[i]);
	}
	fprintf(out, "],\"notes_lost\":%zu}\n", ctx->notes_lost);
}
