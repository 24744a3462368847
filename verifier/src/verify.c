// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The phases of one verification, in the only safe order:
 *
 *  1. PCR values (files, sysfs directory).
 *  2. The quote, which authenticates PCR values.
 *  3. The measurement list.  It is read after the PCRs because the kernel
 *     appends an entry to the list before it extends the PCR, and the list
 *     only grows: every extend in a PCR value read earlier has its entry
 *     in a list read later.  The other order can miss entries.  So the
 *     PCR values are those of a prefix of the list; the entries after it
 *     came later and are reported, not judged (replay.c).
 *  4. Replay of every bank and kexec analysis, entry by entry as the list
 *     is read, then the verdict and explanation.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "imaverify.h"

#define NONCE_MAX	64

void iv_ctx_init(struct iv_ctx *ctx)
{
	assert(ctx);
	memset(ctx, 0, sizeof(*ctx));
	ctx->status = IV_ERROR;
	ctx->why.entry = -1;
	ctx->replay.first_bad = -1;
	ctx->good_entry = -1;
}

static void free_notes(struct iv_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->nnotes; i++)
		free(ctx->notes[i]);
	ctx->nnotes = 0;
	ctx->notes_lost = 0;
}

void iv_ctx_free(struct iv_ctx *ctx)
{
	if (!ctx)
		return;
	iv_replay_free(&ctx->replay);
	iv_kexec_free(&ctx->kexec);
	iv_policy_free(ctx->policy);
	ctx->policy = NULL;
	free_notes(ctx);
	free(ctx->notes);
	ctx->notes = NULL;
	ctx->notes_cap = 0;
	iv_incremental_free(&ctx->incr);
	iv_state_free(&ctx->incr.in);
	iv_state_free(&ctx->incr.out);
}

/* Every note, whole: a report that drops or cuts one hides a finding. */
int iv_note(struct iv_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	char *text;
	int n;

	assert(ctx && fmt);
	if (ctx->nnotes == ctx->notes_cap) {
		size_t cap = ctx->notes_cap ? 2 * ctx->notes_cap : 8;
		char **grown = cap < SIZE_MAX / sizeof(*grown) ?
			       realloc(ctx->notes, cap * sizeof(*grown)) : NULL;

		if (!grown)
			goto lost;
		ctx->notes = grown;
		ctx->notes_cap = cap;
	}
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	text = n < 0 ? NULL : malloc((size_t)n + 1);
	if (!text)
		goto lost;
	va_start(ap, fmt);
	vsnprintf(text, (size_t)n + 1, fmt, ap);
	va_end(ap);
	ctx->notes[ctx->nnotes++] = text;
	return 0;
lost:
	ctx->notes_lost++;
	return -1;
}

static int read_pcrs(struct iv_ctx *ctx)
{
	unsigned int i;

	ctx->err.input = "pcrs";
	if (ctx->opt.tpm_dir &&
	    iv_pcrs_read_tpm_dir(&ctx->pcrs, ctx->opt.tpm_dir, &ctx->err))
		return -1;
	for (i = 0; i < ctx->opt.npcr_files; i++)
		if (iv_pcrs_read_file(&ctx->pcrs, ctx->opt.pcr_file[i].spec,
				      &ctx->err))
			return -1;
	ctx->err.input = NULL;
	return 0;
}

static void free_quote_files(uint8_t *msg, uint8_t *sig, uint8_t *pcrs,
			     void *ak)
{
	free(msg);
	free(sig);
	free(pcrs);
	iv_quote_free_ak(ak);
}

/* Returns 0 verified, 1 not verified (reason in ctx->why), -1 error. */
static int check_quote(struct iv_ctx *ctx)
{
	const struct iv_opts *o = &ctx->opt;
	struct iv_quote_in in = { 0 };
	uint8_t nonce[NONCE_MAX], *msg = NULL, *sig = NULL, *pf = NULL;
	struct iv_pcrs quoted;
	size_t n = o->nonce_hex ? strlen(o->nonce_hex) : 0;
	int a, k, ret = -1;

	if (!o->quote_msg)
		return 0;
	if (!n || n % 2 || n / 2 > NONCE_MAX ||
	    iv_unhex(o->nonce_hex, n, nonce, n / 2))
		return iv_fail(&ctx->err, "--nonce: need 1-%d bytes of hex",
			       NONCE_MAX);
	in.nonce = nonce;
	in.nonce_len = n / 2;
	if (iv_read_file(o->quote_msg, 65536, &msg, &in.msg_len, &ctx->err) ||
	    iv_read_file(o->quote_sig, 65536, &sig, &in.sig_len, &ctx->err) ||
	    (o->quote_pcrs && iv_read_file(o->quote_pcrs, 1 << 20, &pf,
					   &in.pcrs_len, &ctx->err)))
		goto out;
	in.msg = msg;
	in.sig = sig;
	in.pcrs = pf;
	in.ak = iv_quote_load_ak(o->ak_pub, &ctx->err);
	if (!in.ak)
		goto out;
	ctx->have_quote = true;
	ret = iv_quote_verify(&in, &ctx->pcrs, &ctx->quote, &quoted, &ctx->err);
	if (ret) {
		if (ret > 0) {
			ctx->why.cause = IV_CAUSE_QUOTE;
			snprintf(ctx->why.text, sizeof(ctx->why.text), "%s",
				 ctx->err.msg);
			ctx->err.msg[0] = '\0';
		}
		goto out;
	}
	/*
	 * Values from other inputs must agree with what the TPM signed;
	 * banks the quote does not cover are not trusted and not replayed.
	 */
	for (a = 0; a < IV_ALG_COUNT; a++) {
		const struct iv_bank *b = &ctx->pcrs.bank[a];
		bool dropped = false;

		for (k = 0; k < IV_PCR_COUNT; k++) {
			if (!b->set[k])
				continue;
			if (!quoted.bank[a].set[k]) {
				dropped = true;
				continue;
			}
			if (memcmp(b->val[k], quoted.bank[a].val[k],
				   iv_alg_size((enum iv_alg)a))) {
				ctx->why.cause = IV_CAUSE_QUOTE;
				snprintf(ctx->why.text, sizeof(ctx->why.text),
					 "%s PCR-%02d given on the command line differs from the quoted value",
					 iv_alg_name((enum iv_alg)a), k);
				ret = 1;
				goto out;
			}
		}
		if (dropped)
			iv_note(ctx, "%s values not covered by the quote were ignored",
				iv_alg_name((enum iv_alg)a));
	}
	ctx->pcrs = quoted;
out:
	free_quote_files(msg, sig, pf, in.ak);
	return ret;
}

static void verdict(struct iv_ctx *ctx)
{
	const struct iv_replay *r = &ctx->replay;
	bool bad = r->first_bad >= 0 && (size_t)r->first_bad < r->covered;

	/* A kernel verdict the replay refutes is a finding of its own. */
	if (r->all_match && !bad && !ctx->kexec.contradictions) {
		ctx->status = IV_VERIFIED;
		return;
	}
	ctx->status = IV_NOT_VERIFIED;
	iv_explain_mismatch(ctx, &ctx->why);
}

/* The record's name as the list has it, for notes about one entry. */
static const char *ho_name(const struct iv_handover *h)
{
	return h->old_name ? IV_RESTORE_RECORD_OLD : IV_RESTORE_RECORD;
}

/* Notes are about the covered entries: newer records are only shown. */
static void add_notes(struct iv_ctx *ctx)
{
	const struct iv_kexec *k = &ctx->kexec;
	size_t i;

	/* From a saved state: what it covers had its notes then. */
	size_t judged = ctx->incr.use == IV_STATE_APPLIED ?
			ctx->incr.in.entries : 0;

	if (ctx->replay.entries && !judged &&
	    (!k->nboot || k->boot[0].aggregate))
		iv_note(ctx, "entry 0 is not a boot_aggregate");
	for (i = 1; i < k->nboot; i++) {
		const struct iv_handover *h = k->boot[i].handover < 0 ? NULL :
					      &k->ho[k->boot[i].handover];

		if (k->boot[i].aggregate < judged)
			continue;

		/*
		 * kexec_execute is the newest entry of the old list, so a
		 * truncated handover is the first to lose it; say so rather
		 * than leave it looking like a second fault.
		 */
		if (!k->boot[i].has_execute)
			iv_note(ctx, "boot %zu: no kexec_execute before its boot_aggregate (entry %zu)%s",
				i + 1, k->boot[i].aggregate,
				h && h->result == IV_HO_TRUNCATED ?
				"; the truncated handover left it out" : "");
		if (k->boot[i].handover < 0)
			iv_note(ctx, "boot %zu: no " IV_RESTORE_RECORD " record (new kernel without this series, or a boot policy that does not measure ima_kexec critical data?)",
				i + 1);
	}
	for (i = 0; i < k->nho; i++) {
		const struct iv_handover *h = &k->ho[i];

		if (h->newer)
			continue;
		/* Restored entries are all the ones before its boot_aggregate. */
		if (h->after_aggregate && h->has_restored &&
		    h->restored != h->entry - 1)
			iv_note(ctx, "entry %zu: %s says restored=%llu but %zu entries precede its boot_aggregate",
				h->entry, ho_name(h),
				(unsigned long long)h->restored,
				h->entry - 1);
		/*
		 * Boot numbers are list-relative; after a rejection the list
		 * restarts, and "boot 1" alone reads like the cold boot.
		 */
		if (h->result == IV_HO_REJECTED && h->boot <= 1)
			iv_note(ctx, "boot 1 is the kernel that rejected the handover at entry %zu; the boots before it are not in the list",
				h->entry);
		if (h->result == IV_HO_NONE && h->boot <= 1)
			iv_note(ctx, "boot 1 is the kernel that received no handover at entry %zu; the boots before it are not in the list",
				h->entry);
		if (h->malformed || !h->after_aggregate)
			iv_note(ctx, "entry %zu: %s record is %s",
				h->entry, ho_name(h), h->malformed ?
				"malformed" : "not right after a boot_aggregate");
		/* A cold boot (none, match) writes no record. */
		if (h->result == IV_HO_NONE && h->tpm != IV_TPM_LOST)
			iv_note(ctx, "entry %zu: %s says result=none with tpm=%s; kernels write result=none only for a lost handover (tpm=lost)",
				h->entry, ho_name(h),
				iv_tpm_verdict_name(h->tpm));
	}
	for (i = 0; i < k->nev; i++)
		if (!k->ev[i].newer &&
		    (!k->ev[i].parsed || !k->ev[i].digest_ok))
			iv_note(ctx, "entry %zu: %s event %s", k->ev[i].entry,
				k->ev[i].kind == IV_KEXEC_LOAD ? "kexec_load" :
				"kexec_execute", k->ev[i].parsed ?
				"digest does not match its buffer" :
				"buffer is malformed");
}

/*
 * ctx->err.msg becomes "@name: <msg>"; entry, offset and reason stay,
 * and the input is @input unless the failing step named one.
 */
static void prefix_error(struct iv_ctx *ctx, const char *name,
			 const char *input)
{
	if (!ctx->err.input)
		ctx->err.input = input;
	if (name)
		iv_err_prefix(&ctx->err, name);
}

/* The good list, in step with the list: the first entry that differs. */
static int good_step(struct iv_ctx *ctx, struct iv_reader *good,
		     bool *good_ended, const struct iv_entry *e)
{
	const struct iv_entry *g;
	int ret;

	if (*good_ended)
		return 0;
	ret = iv_reader_next(good, &g, &ctx->err);
	if (ret < 0)
		return -1;
	if (!ret) {
		*good_ended = true;
		return 0;
	}
	if (ctx->good_entry < 0 && !iv_entry_same(g, e)) {
		ctx->good_entry = (long)e->index;
		iv_good_diverges(g, e, ctx->good_text, sizeof(ctx->good_text));
	}
	return 0;
}

/* The rest of the good list, if the list stopped first. */
static int good_rest(struct iv_ctx *ctx, struct iv_reader *good,
		     bool good_ended)
{
	const struct iv_entry *g;
	size_t count = ctx->replay.entries;
	int ret = good_ended ? 0 : 1;

	while (ret > 0)
		ret = iv_reader_next(good, &g, &ctx->err);
	if (ret < 0)
		return -1;
	if (ctx->good_entry < 0 && good->index > count) {
		ctx->good_entry = (long)count;
		iv_good_shorter(count, good->index, ctx->good_text,
				sizeof(ctx->good_text));
	}
	return 0;
}

/*
 * The second pass of the replay, for kernels that zero-padded SHA-1 into
 * the other banks, when the per-bank hash matched nowhere.
 */
static int padded_pass(struct iv_ctx *ctx, struct iv_reader *list,
		       const char *name)
{
	struct iv_replay *r = &ctx->replay;
	const struct iv_entry *e;
	int ret;

	if (iv_reader_rewind(list, &ctx->err) ||
	    iv_replay_padded_begin(r, &ctx->err))
		goto fail;
	while ((ret = iv_reader_next(list, &e, &ctx->err)) > 0 &&
	       e->index < r->entries)
		if (iv_replay_entry(r, e, &ctx->err))
			goto fail;
	if (ret < 0 || iv_replay_padded_end(r, &ctx->err))
		goto fail;
	return 0;
fail:
	prefix_error(ctx, name, "list");
	return -1;
}

/* What a run leaves for the report, cleared so that a context can be reused. */
static void clear_outputs(struct iv_ctx *ctx)
{
	ctx->status = IV_ERROR;
	memset(&ctx->why, 0, sizeof(ctx->why));
	ctx->why.entry = -1;
	ctx->err.msg[0] = '\0';
	ctx->err.reason[0] = '\0';
	ctx->err.has_entry = false;
	ctx->err.has_offset = false;
	ctx->err.input = NULL;
	free_notes(ctx);
	iv_incremental_free(&ctx->incr);
	iv_state_free(&ctx->incr.out);
	ctx->incr.use = IV_STATE_UNUSED;
	ctx->incr.clock = IV_CLOCK_UNKNOWN;
	ctx->incr.kexecs = 0;
	ctx->incr.list_bytes = 0;
	ctx->incr.wrote = false;
}

/* The state does not apply, or is refused: why, as the verdict says it. */
static int state_refused(struct iv_ctx *ctx, enum iv_cause cause)
{
	ctx->incr.use = IV_STATE_REFUSED;
	ctx->why.cause = cause;
	ctx->status = IV_NOT_VERIFIED;
	return 1;
}

/*
 * Before the list's first entry: whether a saved state applies, and if
 * so its prefix read (hashed, not parsed) and checked.  Returns 0 to go
 * on, 1 refused (NOT VERIFIED, why says it), -1 input error.
 */
static int state_begin(struct iv_ctx *ctx, struct iv_reader *list,
		       const char *name)
{
	struct iv_incremental *in = &ctx->incr;
	const struct iv_state *st = &in->in;
	const struct iv_quote *q = &ctx->quote;
	uint8_t digest[32];
	EVP_MD_CTX *md, *copy;
	size_t got;
	int ret;

	in->track = ctx->opt.state_out != NULL;
	md = in->track || in->have_in ? EVP_MD_CTX_new() : NULL;
	if ((in->track || in->have_in) &&
	    (!md || !EVP_DigestInit_ex2(md, EVP_sha256(), NULL))) {
		EVP_MD_CTX_free(md);
		return iv_fail(&ctx->err, "sha256 hash failed");
	}
	if (!in->have_in)
		return iv_incremental_begin(in, md, 0, &ctx->err);
	if (iv_state_check_banks(st, &ctx->pcrs, &ctx->err)) {
		EVP_MD_CTX_free(md);
		ctx->err.input = "state";
		return -1;
	}
	in->clock = iv_state_clock(st, ctx->have_quote ? q : NULL);
	switch (in->clock) {
	case IV_CLOCK_RESET:
		/* PCRs back at reset: a new list, verified from its start. */
		in->use = IV_STATE_RESET;
		iv_note(ctx, "the TPM was reset since the saved state (resetCount %u, now %u): the machine rebooted; the state does not apply, the list was verified in full",
			st->reset_count, q->reset_count);
		return iv_incremental_begin(in, md, 0, &ctx->err);
	case IV_CLOCK_BACKWARDS:
		EVP_MD_CTX_free(md);
		snprintf(ctx->why.text, sizeof(ctx->why.text),
			 "saved state refused: the quote's clock %llu is before the state's %llu at the same resetCount %u: the quote is older than the state",
			 (unsigned long long)q->clock,
			 (unsigned long long)st->clock, q->reset_count);
		return state_refused(ctx, IV_CAUSE_STATE_CLOCK);
	case IV_CLOCK_RESTART:
		iv_note(ctx, "the TPM was restarted or resumed since the saved state (restartCount %u, now %u; resetCount %u unchanged)",
			st->restart_count, q->restart_count, q->reset_count);
		break;
	default:
		break;
	}
	ret = iv_reader_skip(list, st->entries, st->offset, md, &got,
			     &ctx->err);
	copy = ret ? NULL : EVP_MD_CTX_new();
	if (!ret && (!copy || !EVP_MD_CTX_copy_ex(copy, md) ||
		     !EVP_DigestFinal_ex(copy, digest, NULL)))
		ret = iv_fail(&ctx->err, "sha256 hash failed");
	EVP_MD_CTX_free(copy);
	if (ret) {
		EVP_MD_CTX_free(md);
		if (ret < 0) {
			prefix_error(ctx, name, "list");
			return -1;
		}
		in->list_bytes = got;
		snprintf(ctx->why.text, sizeof(ctx->why.text),
			 "the list is %zu bytes, shorter than the %zu bytes of the %zu entries the saved state covers: not the list the state was saved from (%s)",
			 got, st->offset, st->entries, ctx->have_quote ?
			 "the quote's resetCount says the TPM was not reset" :
			 "the machine rebooted? a quote would tell by its resetCount");
		return state_refused(ctx, IV_CAUSE_STATE_PREFIX);
	}
	in->list_bytes = got;
	if (memcmp(digest, st->prefix_sha256, sizeof(digest))) {
		EVP_MD_CTX_free(md);
		snprintf(ctx->why.text, sizeof(ctx->why.text),
			 "the list does not start with the %zu entries (%zu bytes) the saved state covers: their SHA-256 differs, so the covered prefix was changed%s",
			 st->entries, st->offset, ctx->have_quote ?
			 " (the quote's resetCount says the TPM was not reset)" :
			 ", or the machine rebooted (a quote would tell by its resetCount)");
		return state_refused(ctx, IV_CAUSE_STATE_PREFIX);
	}
	in->use = IV_STATE_APPLIED;
	if (!in->track) {
		EVP_MD_CTX_free(md);
		md = NULL;
	}
	return iv_incremental_begin(in, md, st->entries, &ctx->err);
}

static int verify_list(struct iv_ctx *ctx, struct iv_reader *list,
		       struct iv_reader *good, const char *name)
{
	const struct iv_entry *e;
	bool good_ended = false;
	int ret;

	ctx->status = IV_ERROR;
	ctx->have_good = good != NULL;
	ctx->good_entry = -1;
	ret = state_begin(ctx, list, name);
	if (ret)
		return ctx->status;
	iv_replay_free(&ctx->replay);
	if (iv_replay_init(&ctx->replay, &ctx->pcrs, !list->seekable,
			   &ctx->err))
		return ctx->status;
	iv_kexec_free(&ctx->kexec);
	if (ctx->incr.use == IV_STATE_APPLIED) {
		iv_replay_start(&ctx->replay, &ctx->incr.in);
		if (iv_kexec_start(&ctx->kexec, &ctx->incr.in, &ctx->err))
			return ctx->status;
	}
	if (ctx->policy)
		iv_policy_begin(ctx->policy, &ctx->pcrs);
	while ((ret = iv_reader_next(list, &e, &ctx->err)) > 0) {
		if (iv_replay_entry(&ctx->replay, e, &ctx->err) ||
		    iv_kexec_entry(&ctx->kexec, e, &ctx->err) ||
		    (ctx->policy &&
		     iv_policy_entry(ctx->policy, e, &ctx->err)) ||
		    iv_incremental_entry(&ctx->incr, &ctx->replay,
					 &ctx->kexec, e, &ctx->err))
			break;
		if (good && good_step(ctx, good, &good_ended, e)) {
			prefix_error(ctx, ctx->opt.good_list, "good_list");
			return ctx->status;
		}
	}
	if (ret) {
		prefix_error(ctx, name, "list");
		return ctx->status;
	}
	if (!ctx->replay.entries) {
		iv_fail(&ctx->err, "measurement list is empty");
		prefix_error(ctx, name, "list");
		return ctx->status;
	}
	if (good && good_rest(ctx, good, good_ended)) {
		prefix_error(ctx, ctx->opt.good_list, "good_list");
		return ctx->status;
	}
	if (iv_replay_wants_padded(&ctx->replay) &&
	    padded_pass(ctx, list, name))
		return ctx->status;
	iv_replay_finish(&ctx->replay);
	if (ctx->policy)
		iv_policy_finish(ctx->policy, ctx->replay.covered);
	iv_kexec_compare(&ctx->replay, &ctx->kexec);
	if (ctx->incr.use == IV_STATE_APPLIED)
		ctx->incr.kexecs = (unsigned int)(ctx->kexec.nboot -
						  ctx->incr.in.nboot);
	add_notes(ctx);
	/* Someone replaying it with a tool of host byte order would fail. */
	if (list->order == IV_ORDER_BE)
		iv_note(ctx, "the list is big endian (a big-endian kernel without ima_canonical_fmt); read as such");
	verdict(ctx);
	if (ctx->status == IV_VERIFIED && ctx->incr.track &&
	    iv_incremental_finish(ctx, list, &ctx->err)) {
		ctx->err.input = "state";
		ctx->status = IV_ERROR;
	}
	return ctx->status;
}

int iv_verify_list(struct iv_ctx *ctx, struct iv_reader *list,
		   struct iv_reader *good, const char *name)
{
	assert(ctx && list);
	clear_outputs(ctx);
	return verify_list(ctx, list, good, name);
}

int iv_run(struct iv_ctx *ctx)
{
	struct iv_reader list, good;
	const char *name;
	int ret;

	assert(ctx && ctx->opt.list_path);
	/* Here, not in verify_list(): the quote's notes come first. */
	clear_outputs(ctx);
	ctx->have_quote = false;
	/* A policy that does not load stops the run before the TPM is read. */
	if (ctx->opt.policy && !ctx->policy) {
		ctx->policy = iv_policy_load(ctx->opt.policy, ctx->opt.key,
					     ctx->opt.nkeys, &ctx->err);
		if (!ctx->policy) {
			ctx->err.input = "policy";
			return ctx->status;
		}
	}
	if (read_pcrs(ctx))
		return ctx->status;
	ret = check_quote(ctx);
	if (ret < 0) {
		ctx->err.input = "quote";
		return ctx->status;
	}
	if (ret > 0)
		return ctx->status = IV_NOT_VERIFIED;

	if (ctx->opt.state_in && !ctx->incr.have_in) {
		if (iv_state_load(&ctx->incr.in, ctx->opt.state_in,
				  &ctx->err)) {
			ctx->err.input = "state";
			return ctx->status;
		}
		ctx->incr.have_in = true;
	}

	name = strcmp(ctx->opt.list_path, "-") ? ctx->opt.list_path : "stdin";
	if (iv_reader_open(&list, ctx->opt.list_path, &ctx->err)) {
		ctx->err.input = "list";
		return ctx->status;
	}
	if (ctx->opt.good_list &&
	    iv_reader_open(&good, ctx->opt.good_list, &ctx->err)) {
		ctx->err.input = "good_list";
		iv_reader_close(&list);
		return ctx->status;
	}
	verify_list(ctx, &list, ctx->opt.good_list ? &good : NULL, name);
	if (ctx->opt.good_list)
		iv_reader_close(&good);
	iv_reader_close(&list);
	/* Only a verified prefix is a state to go on from. */
	if (ctx->status == IV_VERIFIED && ctx->opt.state_out) {
		if (iv_state_save(&ctx->incr.out, ctx->opt.state_out,
				  &ctx->err)) {
			ctx->err.input = "state";
			ctx->status = IV_ERROR;
		} else {
			ctx->incr.wrote = true;
		}
	}
	return ctx->status;
}
