// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Multi-boot lists: boot counting, kexec event and handover decoding, and
 * the explanation chosen for each way a handover can lose entries.
 */
#include <stdlib.h>

#include "builder.h"
#include "testutil.h"

struct fix {
	struct tb t;
	struct iv_ctx ctx;
	struct iv_explain why;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	tb_init(&f->t);
	iv_ctx_init(&f->ctx);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	iv_ctx_free(&f->ctx);
	tb_free(&f->t);
	free(f);
	return 0;
}

/*
 * The analysis part of iv_run(), on an in-memory list (and known-good
 * list, if @good) and TPM state; the explanation even if it verified.
 */
static void analyse_good(struct fix *f, const struct tb *good)
{
	struct iv_ctx *c = &f->ctx;
	struct iv_reader list, g;

	if (!c->pcrs.bank[IV_ALG_SHA1].present &&
	    !c->pcrs.bank[IV_ALG_SHA256].present) {
		tb_fill_pcrs(&f->t, &c->pcrs, IV_ALG_SHA1, false);
		tb_fill_pcrs(&f->t, &c->pcrs, IV_ALG_SHA256, false);
	}
	iv_reader_mem(&list, f->t.p, f->t.len);
	if (good)
		iv_reader_mem(&g, good->p, good->len);
	if (iv_verify_list(c, &list, good ? &g : NULL, NULL) == IV_ERROR)
		fail_msg("%s", c->err.msg);
	iv_explain_mismatch(c, &f->why);
}

static void analyse(struct fix *f)
{
	analyse_good(f, NULL);
}

/* f->t: the multiboot list, with its @alg values in f->ctx.pcrs. */
static void multiboot_pcrs(struct fix *f, enum iv_alg alg)
{
	tb_scenario_multiboot(&f->t);
	tb_fill_pcrs(&f->t, &f->ctx.pcrs, alg, false);
}

/* A fresh context for another analyse() of f->t. */
static void fresh_ctx(struct fix *f)
{
	iv_ctx_free(&f->ctx);
	iv_ctx_init(&f->ctx);
}

/* f->t: boot 1, then boot 2 with no record; sha256 values in f->ctx.pcrs. */
static void boot2_no_record(struct fix *f)
{
	tb_scenario_boot(&f->t, 2);
	tb_scenario_kexec(&f->t, NULL);
	tb_fill_pcrs(&f->t, &f->ctx.pcrs, IV_ALG_SHA256, false);
}

/* f->t and f->ctx from scratch, for another list. */
static void new_list(struct fix *f)
{
	iv_ctx_free(&f->ctx);
	tb_free(&f->t);
	tb_init(&f->t);
	iv_ctx_init(&f->ctx);
}

/* analyse() f->t, which verifies. */
static void analyse_verified(struct fix *f)
{
	analyse(f);
	assert_int_equal(f->ctx.status, IV_VERIFIED);
}

/* The explanation: @cause at @entry, in the words @text. */
static void why_is(struct fix *f, enum iv_cause cause, long entry,
		   const char *text)
{
	assert_int_equal(f->why.cause, cause);
	assert_int_equal(f->why.entry, entry);
	assert_string_equal(f->why.text, text);
}

static void test_multiboot(void **state)
{
	struct fix *f = *state;
	const struct iv_kexec *k = &f->ctx.kexec;
	size_t i;

	tb_scenario_multiboot(&f->t);
	analyse(f);
	assert_true(f->ctx.replay.all_match);
	assert_int_equal(k->nboot, 3);
	assert_int_equal(k->boot[0].aggregate, 0);
	assert_int_equal(k->boot[1].aggregate, 7);
	assert_int_equal(k->boot[2].aggregate, 14);
	for (i = 0; i < k->nboot; i++)
		assert_true(k->boot[i].has_execute);
	assert_int_equal(k->nev, 4);
	assert_int_equal(k->ev[0].kind, IV_KEXEC_LOAD);
	assert_int_equal(k->ev[1].kind, IV_KEXEC_EXECUTE);
	assert_int_equal(k->ev[1].boot, 1);
	assert_int_equal(k->ev[3].boot, 2);
	for (i = 0; i < k->nev; i++) {
		assert_true(k->ev[i].parsed);
		assert_true(k->ev[i].digest_ok);
		assert_int_equal(k->ev[i].count, k->ev[i].entry);
		assert_int_equal(k->ev[i].segment_size, 65536);
		assert_int_equal(k->ev[i].binary_size,
				 f->t.offs[k->ev[i].entry] + 24);
	}
	assert_int_equal(k->nho, 2);
	assert_int_equal(k->ho[0].result, IV_HO_INTACT);
	assert_false(k->ho[0].old_name);
	assert_int_equal(k->ho[0].boot, 2);
	assert_int_equal(k->ho[0].restored, 7);
	assert_int_equal(k->ho[1].restored, 14);
	assert_true(k->ho[1].after_aggregate);
	assert_false(k->ho[1].malformed);
	assert_int_equal(k->boot[1].handover, 0);
	assert_int_equal(k->boot[0].handover, -1);
	/* Written without tpm fields: no kernel verdict. */
	assert_int_equal(k->ho[0].tpm, IV_TPM_ABSENT);
	assert_int_equal(k->ho[0].nbank, 0);
	assert_int_equal(k->contradictions, 0);
}

static void test_legacy_boot_aggregates(void **state)
{
	struct fix *f = *state;

	tb_record_ima(&f->t, "boot_aggregate", false);
	tb_record_ima(&f->t, "/init", false);
	tb_record_ima(&f->t, "boot_aggregate", false);
	analyse(f);
	assert_int_equal(f->ctx.kexec.nboot, 2);
	assert_false(f->ctx.kexec.boot[1].has_execute);
}

static void test_truncated(void **state)
{
	struct fix *f = *state;
	const struct iv_kexec *k = &f->ctx.kexec;

	tb_scenario_truncated(&f->t);
	analyse(f);
	assert_false(f->ctx.replay.all_match);
	assert_int_equal(k->nho, 1);
	assert_int_equal(k->ho[0].result, IV_HO_TRUNCATED);
	assert_int_equal(k->ho[0].dropped, 2);
	assert_int_equal(k->ho[0].restored, 6);
	assert_int_equal(f->why.cause, IV_CAUSE_TRUNCATED);
	assert_int_equal(f->why.entry, 7);
	assert_contains(f->why.text, "handover truncated at kexec into boot 2 (entry 7)");
	assert_contains(f->why.text, "2 newest entries were left out (6 handed over)");
}

static void test_rejected(void **state)
{
	struct fix *f = *state;
	const struct iv_kexec *k = &f->ctx.kexec;

	tb_scenario_rejected(&f->t);
	analyse(f);
	assert_int_equal(k->ho[0].result, IV_HO_REJECTED);
	assert_string_equal(k->ho[0].reason, "digest_mismatch");
	assert_int_equal(f->why.cause, IV_CAUSE_REJECTED);
	/* The list restarted: its boot 1 is the kernel kexec went into. */
	assert_int_equal(k->ho[0].boot, 1);
	assert_contains(f->why.text, "handover rejected at the kexec that started this list (entry 1): reason digest_mismatch");
	assert_null(strstr(f->why.text, "into boot 1"));
	/* dropped=0 is not how many were discarded; don't say "0 dropped". */
	assert_contains(f->why.text, "discarded the whole list the previous kernel handed over (how many entries is not recorded)");
	assert_null(strstr(f->why.text, "entries dropped"));
}

/*
 * A rejection record in a later boot of the list (a kernel that kept
 * what it was handed yet said "rejected") is named by that boot; the
 * TPM also holds an extend the list lacks, so replay fails.
 */
static void test_rejected_later_boot(void **state)
{
	struct fix *f = *state;

	tb_scenario_boot(&f->t, 2);
	tb_kexec_event(&f->t, "kexec_load", 65536);
	tb_kexec_event(&f->t, "kexec_execute", 65536);
	tb_ng(&f->t, "/usr/bin/lost");
	tb_truncate(&f->t, f->t.count - 1);
	tb_ng(&f->t, "boot_aggregate");
	tb_handover(&f->t, "result=rejected;restored=0;dropped=0;reason=bad_header;");
	analyse(f);
	assert_false(f->ctx.replay.all_match);
	assert_int_equal(f->ctx.kexec.ho[0].boot, 2);
	assert_int_equal(f->why.cause, IV_CAUSE_REJECTED);
	assert_contains(f->why.text, "handover rejected at kexec into boot 2 (entry 6): reason bad_header");
}

static void test_no_execute(void **state)
{
	struct fix *f = *state;

	tb_scenario_no_execute(&f->t);
	analyse(f);
	assert_false(f->ctx.kexec.boot[1].has_execute);
	assert_int_equal(f->why.cause, IV_CAUSE_NO_EXECUTE);
	assert_int_equal(f->why.entry, 4);
	assert_contains(f->why.text, "no kexec_execute before boot 2 (boot_aggregate at entry 4)");
}

/*
 * The same list as older kernels of the series wrote it (kexec_handover,
 * result=verified) decodes to the same records, reported as "intact".
 */
static void test_multiboot_old(void **state)
{
	struct fix *f = *state;
	const struct iv_kexec *k = &f->ctx.kexec;
	size_t i;

	tb_scenario_multiboot_old(&f->t);
	analyse(f);
	assert_true(f->ctx.replay.all_match);
	assert_int_equal(k->nboot, 3);
	assert_int_equal(k->nho, 2);
	for (i = 0; i < k->nho; i++) {
		assert_int_equal(k->ho[i].result, IV_HO_INTACT);
		assert_string_equal(iv_ho_result_name(k->ho[i].result), "intact");
		assert_true(k->ho[i].old_name);
		assert_true(k->ho[i].after_aggregate);
		assert_false(k->ho[i].malformed);
	}
	assert_int_equal(k->ho[0].restored, 7);
	assert_int_equal(k->ho[1].restored, 14);
	assert_int_equal(k->boot[1].handover, 0);
	assert_int_equal(k->boot[2].handover, 1);
	for (i = 0; i < k->nho; i++)
		assert_int_equal(k->ho[i].tpm, IV_TPM_ABSENT);
}

/* Unpatched previous kernel: list carried whole, no digest to check. */
static void test_unchecked(void **state)
{
	struct fix *f = *state;

	tb_scenario_boot(&f->t, 2);
	tb_scenario_kexec(&f->t, "unchecked");
	analyse(f);
	assert_true(f->ctx.replay.all_match);
	assert_int_equal(f->ctx.kexec.ho[0].result, IV_HO_UNCHECKED);
	assert_string_equal(iv_ho_result_name(f->ctx.kexec.ho[0].result),
			    "unchecked");
	assert_false(f->ctx.kexec.ho[0].malformed);
	assert_false(f->ctx.kexec.ho[0].old_name);
}

/* The same from an older kernel of the series: "unverified". */
static void test_unverified_old(void **state)
{
	struct fix *f = *state;

	tb_scenario_boot(&f->t, 2);
	tb_scenario_kexec_as(&f->t, "kexec_handover", "unverified");
	analyse(f);
	assert_true(f->ctx.replay.all_match);
	assert_int_equal(f->ctx.kexec.nho, 1);
	assert_int_equal(f->ctx.kexec.ho[0].result, IV_HO_UNCHECKED);
	assert_string_equal(iv_ho_result_name(f->ctx.kexec.ho[0].result),
			    "unchecked");
	assert_false(f->ctx.kexec.ho[0].malformed);
	assert_true(f->ctx.kexec.ho[0].old_name);
}

/*
 * Every result word under both record names.  The words map the same
 * under either name; "none" is a securityfs word that no list record
 * carries, and only the exact names are the record.
 */
static void test_names_and_words(void **state)
{
	static const struct {
		const char *word;
		enum iv_ho_result want;
		const char *printed;
	} words[] = {
		{ "intact",	IV_HO_INTACT,		"intact" },
		{ "verified",	IV_HO_INTACT,		"intact" },
		{ "unchecked",	IV_HO_UNCHECKED,	"unchecked" },
		{ "unverified",	IV_HO_UNCHECKED,	"unchecked" },
		{ "truncated",	IV_HO_TRUNCATED,	"truncated" },
		{ "none",	IV_HO_UNKNOWN,		"unknown" },
		{ "Intact",	IV_HO_UNKNOWN,		"unknown" },
	};
	static const char *const names[] = { "kexec_restore", "kexec_handover" };
	struct fix *f = *state;
	const struct iv_kexec *k = &f->ctx.kexec;
	char buf[96];
	size_t i, n;

	tb_ng(&f->t, "boot_aggregate");
	for (n = 0; n < 2; n++)
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			snprintf(buf, sizeof(buf),
				 "result=%s;restored=0;dropped=0;", words[i].word);
			tb_handover_as(&f->t, names[n], buf);
		}
	/* Near misses of the names are other records. */
	tb_handover_as(&f->t, "kexec_restored", "result=intact;restored=0;dropped=0;");
	tb_handover_as(&f->t, "kexec_handover_", "result=intact;restored=0;dropped=0;");
	tb_handover_as(&f->t, "Kexec_restore", "result=intact;restored=0;dropped=0;");
	analyse(f);
	assert_int_equal(k->nho, 2 * (sizeof(words) / sizeof(words[0])));
	for (n = 0; n < 2; n++)
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			const struct iv_handover *h =
				&k->ho[n * (sizeof(words) / sizeof(words[0])) + i];

			assert_int_equal(h->result, words[i].want);
			assert_string_equal(iv_ho_result_name(h->result),
					    words[i].printed);
			assert_int_equal(h->old_name, n == 1);
			assert_int_equal(h->malformed,
					 words[i].want == IV_HO_UNKNOWN);
		}
}

/*
 * Rejection reasons are opaque words: the ones kernels of the series
 * write now (template_digest_mismatch, unreadable), and no_digest, which
 * older lists may still carry, are reported as given.
 */
static void test_reasons_opaque(void **state)
{
	static const char *const reasons[] = {
		"template_digest_mismatch", "unreadable", "no_digest",
		"some_future_reason",
	};
	struct fix *f = *state;
	const struct iv_kexec *k = &f->ctx.kexec;
	char buf[128];
	size_t i;

	/* Each reason in a fresh list, alternating the record's name. */
	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		new_list(f);
		tb_scenario_boot(&f->t, 2);
		tb_kexec_event(&f->t, "kexec_load", 65536);
		tb_kexec_event(&f->t, "kexec_execute", 65536);
		tb_truncate(&f->t, 0);
		tb_ng(&f->t, "boot_aggregate");
		snprintf(buf, sizeof(buf),
			 "result=rejected;restored=0;dropped=0;reason=%s;",
			 reasons[i]);
		tb_handover_as(&f->t, i % 2 ? "kexec_handover" : "kexec_restore",
			       buf);
		analyse(f);
		assert_int_equal(k->nho, 1);
		assert_int_equal(k->ho[0].result, IV_HO_REJECTED);
		assert_false(k->ho[0].malformed);
		assert_string_equal(k->ho[0].reason, reasons[i]);
		assert_int_equal(f->why.cause, IV_CAUSE_REJECTED);
		snprintf(buf, sizeof(buf), "(entry 1): reason %s;", reasons[i]);
		assert_contains(f->why.text, buf);
	}
}

static void test_malformed_records(void **state)
{
	struct fix *f = *state;
	const struct iv_kexec *k = &f->ctx.kexec;

	tb_ng(&f->t, "boot_aggregate");
	tb_buf(&f->t, "kexec_load", "kexec_segment_size=12;oops");
	tb_buf(&f->t, "kexec_execute", "kexec_segment_size=1;ima_binary_runtime_size=2;ima_runtime_measurements_count=99999999999999999999;");
	tb_ng(&f->t, "boot_aggregate");
	tb_handover(&f->t, "result=bogus;restored=1;dropped=0;");
	tb_handover(&f->t, "result=rejected;restored=0;dropped=3;");
	analyse(f);
	assert_int_equal(k->nev, 2);
	assert_false(k->ev[0].parsed);
	assert_false(k->ev[1].parsed);	/* count overflows u64 */
	assert_int_equal(k->nho, 2);
	assert_int_equal(k->ho[0].result, IV_HO_UNKNOWN);
	assert_true(k->ho[0].malformed);
	assert_true(k->ho[1].malformed);	/* rejected needs a reason */
	assert_false(k->ho[1].after_aggregate);
	assert_int_equal(k->boot[1].handover, 0);
}

/* Trailing NUL in the buffer is tolerated; a wrong count is visible. */
static void test_event_values(void **state)
{
	struct fix *f = *state;
	const struct iv_kexec *k = &f->ctx.kexec;
	struct tb d;
	const char buf[] = "kexec_segment_size=8192;ima_binary_runtime_size=5432;ima_runtime_measurements_count=12;";

	tb_ng(&f->t, "boot_aggregate");
	tb_init(&d);
	tb_dng(&d, "sha256", buf, sizeof(buf));
	tb_nng(&d, "kexec_load");
	tb_field(&d, buf, sizeof(buf));		/* with its NUL */
	tb_record(&f->t, 10, "ima-buf", &d, false);
	tb_free(&d);
	analyse(f);
	assert_true(k->ev[0].parsed);
	assert_true(k->ev[0].digest_ok);
	assert_int_equal(k->ev[0].segment_size, 8192);
	assert_int_equal(k->ev[0].binary_size, 5432);
	assert_int_equal(k->ev[0].count, 12);
	assert_int_not_equal(k->ev[0].count, k->ev[0].entry);
}

/* A recorded cause beats a bad template digest found in the list. */
static void test_precedence(void **state)
{
	struct fix *f = *state;

	tb_scenario_truncated(&f->t);
	f->t.p[f->t.offs[2] - 3] ^= 0x20;
	analyse(f);
	assert_int_equal(f->ctx.replay.first_bad, 1);
	assert_int_equal(f->why.cause, IV_CAUSE_TRUNCATED);
}

static void test_template_digest_cause(void **state)
{
	struct fix *f = *state;

	tb_scenario_multiboot(&f->t);
	f->t.p[f->t.offs[10] - 3] ^= 0x20;
	analyse(f);
	assert_int_equal(f->why.cause, IV_CAUSE_TEMPLATE_DIGEST);
	assert_int_equal(f->why.entry, 9);
	assert_contains(f->why.text, "template digest wrong at entry 9");
}

/*
 * Only a SHA-1 bank, which replays the logged digests: it matches though
 * entry 2's data was changed, and the bad digest alone fails the list.
 */
static void test_digest_only_cause(void **state)
{
	struct fix *f = *state;

	multiboot_pcrs(f, IV_ALG_SHA1);
	f->t.p[f->t.offs[3] - 3] ^= 0x20;
	analyse(f);
	assert_true(f->ctx.replay.all_match);
	assert_int_equal(f->why.cause, IV_CAUSE_TEMPLATE_DIGEST);
	assert_contains(f->why.text, "template digest wrong at entry 2 (byte offset ");
	assert_contains(f->why.text, "ima-ng '/usr/bin/tooL1'");
}

static void test_good_list(void **state)
{
	struct fix *f = *state;
	struct iv_list gl = { 0 }, ll = { 0 };
	struct tb good;
	struct iv_err err;
	char text[256];

	tb_init(&good);
	tb_scenario_multiboot(&good);
	/* Same list but one file differs: the TPM followed the good one. */
	tb_scenario_boot(&f->t, 3);
	tb_scenario_kexec(&f->t, "intact");
	tb_ng(&f->t, "/usr/bin/EVIL");
	tb_fill_pcrs(&good, &f->ctx.pcrs, IV_ALG_SHA256, false);
	analyse_good(f, &good);
	assert_int_equal(f->why.cause, IV_CAUSE_GOOD_LIST);
	assert_int_equal(f->why.entry, 9);
	assert_contains(f->why.text, "replay diverges from the known-good list at entry 9");
	assert_contains(f->why.text, "expected ima-ng '/usr/bin/after-first-kexec', found ima-ng '/usr/bin/EVIL'");
	/* A strict prefix of the good list reports where it stops. */
	assert_int_equal(iv_list_parse(&gl, good.p, good.len, &err), 0);
	assert_int_equal(iv_list_parse(&ll, good.p, good.offs[9], &err), 0);
	assert_int_equal(iv_good_list_diff(&gl, &gl, text, sizeof(text)), -1);
	assert_int_equal(iv_good_list_diff(&gl, &ll, text, sizeof(text)), 9);
	assert_contains(text, "list ends after 9 entries but the known-good list has 17: entries from 9 on are missing");
	/* The same, streamed: the list stops first. */
	tb_truncate(&f->t, 0);
	tb_put(&f->t, good.p, good.offs[9]);
	f->t.count = 9;
	fresh_ctx(f);
	tb_fill_pcrs(&good, &f->ctx.pcrs, IV_ALG_SHA256, false);
	analyse_good(f, &good);
	assert_int_equal(f->why.cause, IV_CAUSE_GOOD_LIST);
	assert_int_equal(f->why.entry, 9);
	assert_contains(f->why.text, "list ends after 9 entries but the known-good list has 17");
	iv_list_free(&gl);
	iv_list_free(&ll);
	tb_free(&good);
}

/* Per-event state is bounded: a list of 4097 boots is not a real one. */
static void test_kexec_limit(void **state)
{
	struct fix *f = *state;
	struct iv_list l = { 0 };
	struct iv_entry e;
	size_t i;

	tb_ng(&f->t, "boot_aggregate");
	assert_int_equal(iv_list_parse(&l, f->t.p, f->t.len, &f->ctx.err), 0);
	e = l.e[0];
	for (i = 0; i < IV_KEXEC_MAX; i++) {
		e.index = i;
		assert_int_equal(iv_kexec_entry(&f->ctx.kexec, &e,
						&f->ctx.err), 0);
	}
	e.index = i;
	assert_int_equal(iv_kexec_entry(&f->ctx.kexec, &e, &f->ctx.err), -1);
	assert_contains(f->ctx.err.msg, "entry 4096 at byte offset 0: more than 4096 boot_aggregate entries");
	assert_int_equal(f->ctx.kexec.nboot, IV_KEXEC_MAX);
	iv_list_free(&l);
}

/*
 * PCRs read before three more entries were added (a live list): the
 * first 17 verify, the 3 newer ones are not covered.  This was "list
 * longer than TPM" before prefix semantics.  The kernels' TPM checks
 * before the prefix end are compared as on a whole list: agreeing
 * ones agree, and a false "mismatch" is still found.
 */
static void test_live_prefix(void **state)
{
	struct fix *f = *state;
	const struct iv_replay *r = &f->ctx.replay;
	const struct iv_kexec *k = &f->ctx.kexec;
	size_t i;

	tb_scenario_tpm_match(&f->t);
	tb_fill_pcrs(&f->t, &f->ctx.pcrs, IV_ALG_SHA1, false);
	tb_fill_pcrs(&f->t, &f->ctx.pcrs, IV_ALG_SHA256, false);
	tb_ng(&f->t, "/late1");
	tb_violation(&f->t, "/late2");
	tb_ng(&f->t, "/late3");
	analyse(f);
	assert_int_equal(f->ctx.status, IV_VERIFIED);
	assert_true(r->all_match);
	assert_int_equal(r->entries, 20);
	assert_int_equal(r->covered, 17);
	assert_int_equal(r->covered_offset, f->t.offs[17]);
	assert_int_equal(r->p[IV_ALG_SHA256][10].scheme, IV_SCHEME_HASH);
	assert_int_equal(r->p[IV_ALG_SHA256][10].last_match, 16);
	assert_int_equal(r->p[IV_ALG_SHA256][10].last_entry, 19);
	assert_int_equal(k->nho, 2);
	for (i = 0; i < k->nho; i++) {
		assert_false(k->ho[i].newer);
		assert_int_equal(k->ho[i].nbank, 2);
		assert_int_equal(k->ho[i].bank[0].agree, IV_AGREE_YES);
		assert_int_equal(k->ho[i].bank[1].agree, IV_AGREE_YES);
	}
	assert_int_equal(k->contradictions, 0);

	new_list(f);
	tb_scenario_tpm_disagree(&f->t);
	tb_fill_pcrs(&f->t, &f->ctx.pcrs, IV_ALG_SHA1, false);
	tb_fill_pcrs(&f->t, &f->ctx.pcrs, IV_ALG_SHA256, false);
	tb_ng(&f->t, "/late1");
	analyse(f);
	assert_true(r->all_match);
	assert_int_equal(r->covered, 16);
	assert_int_equal(k->contradictions, 1);
	assert_int_equal(k->ho[1].bank[1].agree, IV_AGREE_CONTRADICTS);
	assert_int_equal(f->ctx.status, IV_NOT_VERIFIED);
	assert_int_equal(f->why.cause, IV_CAUSE_TPM_DISAGREE);
	assert_contains(f->why.text, "but the first 16 entries replay to the given sha256 PCR 10, so they must have replayed then");
}

/* The notes of a run, one string, for assert_contains(). */
static const char *notes(const struct iv_ctx *c)
{
	static char all[8192];
	size_t i;

	all[0] = '\0';
	for (i = 0; i < c->nnotes; i++) {
		strcat(all, c->notes[i]);
		strcat(all, "\n");
	}
	return all;
}

/*
 * Records after the covered prefix are the list's claim: a kexec_restore
 * record there is no handover of the covered boot it follows, is not
 * compared with the replay (this one would contradict it), and leaves
 * the notes about the covered boots as they are; nor are notes made
 * about it or about kexec events after the prefix.
 */
static void test_live_newer_record(void **state)
{
	struct fix *f = *state;
	const struct iv_kexec *k = &f->ctx.kexec;
	const struct iv_handover *h;
	char text[512];

	boot2_no_record(f);
	tb_handover(&f->t, "result=intact;restored=6;dropped=0;tpm=mismatch;tpm_sha256=mismatch:10;");
	tb_buf(&f->t, "kexec_execute", "oops");
	analyse_verified(f);
	assert_int_equal(f->ctx.replay.covered, 7);
	assert_int_equal(f->ctx.replay.entries, 9);
	assert_int_equal(k->nboot, 2);
	assert_int_equal(k->nho, 1);
	h = &k->ho[0];
	assert_true(h->newer);
	assert_int_equal(k->boot[1].handover, -1);
	assert_int_equal(k->contradictions, 0);
	assert_int_equal(h->bank[0].agree, IV_AGREE_NOT_COMPARED);
	assert_int_equal(h->bank[0].nocmp, IV_NOCMP_NEWER);
	assert_int_equal(h->bank[0].contra, 0);
	iv_ho_bank_relation(h, &h->bank[0], text, sizeof(text));
	assert_string_equal(text, "not compared: the record is newer than the PCR values (entry 7, 7 entries covered)");
	assert_int_equal(k->nev, 3);
	assert_false(k->ev[1].newer);
	assert_true(k->ev[2].newer);
	assert_contains(notes(&f->ctx), "boot 2: no kexec_restore record (");
	assert_null(strstr(notes(&f->ctx), "entry 7"));
	assert_null(strstr(notes(&f->ctx), "entry 8"));

	/* The reviewer's list: no "restored=5" note about the newer record. */
	new_list(f);
	boot2_no_record(f);
	tb_handover(&f->t, "result=intact;restored=5;dropped=0;");
	analyse_verified(f);
	assert_int_equal(k->boot[1].handover, -1);
	assert_contains(notes(&f->ctx), "boot 2: no kexec_restore record (");
	assert_null(strstr(notes(&f->ctx), "restored=5"));
}

/*
 * A violation extends all 0xff whatever its data says: its name and
 * payload are bound by nothing, so it is no boot_aggregate, kexec event
 * or kexec_restore record, only a violation (the reviewer's lists).
 */
static void test_violation_not_trusted(void **state)
{
	struct fix *f = *state;
	const struct iv_kexec *k = &f->ctx.kexec;

	tb_scenario_boot(&f->t, 2);
	tb_violation(&f->t, "boot_aggregate");
	tb_violation_buf(&f->t, "kexec_restore", "result=rejected;restored=0;dropped=0;reason=forged;tpm=mismatch;tpm_sha256=mismatch:10;");
	tb_violation_buf(&f->t, "kexec_execute", "kexec_segment_size=1;ima_binary_runtime_size=2;ima_runtime_measurements_count=5;");
	tb_violation_buf(&f->t, "kexec_load", "not even key=value");
	tb_ng(&f->t, "/usr/bin/x");
	analyse_verified(f);
	assert_int_equal(f->ctx.replay.violations, 4);
	assert_int_equal(f->ctx.replay.last_aggregate, 0);
	assert_int_equal(k->nboot, 1);
	assert_int_equal(k->nho, 0);
	assert_int_equal(k->nev, 0);
	assert_int_equal(f->ctx.nnotes, 0);

	/* Not after the prefix either: no newer boot, so still VERIFIED. */
	fresh_ctx(f);
	tb_fill_pcrs(&f->t, &f->ctx.pcrs, IV_ALG_SHA256, false);
	tb_violation(&f->t, "boot_aggregate");
	analyse_verified(f);
	assert_int_equal(f->ctx.replay.covered, 8);
	assert_int_equal(k->nboot, 1);
}

/*
 * One context verifies several lists in turn, each from scratch: no
 * cause, notes or error message of an earlier run are left over.
 */
static void test_ctx_reused(void **state)
{
	struct fix *f = *state;
	struct iv_ctx *c = &f->ctx;
	struct iv_reader r;
	const char *want;

	tb_scenario_boot(&f->t, 2);
	tb_fill_pcrs(&f->t, &c->pcrs, IV_ALG_SHA256, false);
	tb_ng(&f->t, "/x");
	tb_ng(&f->t, "boot_aggregate");
	/* An input error, */
	iv_reader_mem(&r, f->t.p, f->t.len - 1);
	assert_int_equal(iv_verify_list(c, &r, NULL, "m"), IV_ERROR);
	iv_reader_close(&r);
	assert_contains(c->err.msg, "m: entry 4 at byte offset");
	/* then a newer boot after the prefix the values cover, */
	iv_reader_mem(&r, f->t.p, f->t.len);
	assert_int_equal(iv_verify_list(c, &r, NULL, "m"), IV_NOT_VERIFIED);
	iv_reader_close(&r);
	assert_int_equal(c->why.cause, IV_CAUSE_LIST_LONGER);
	assert_int_equal(c->nnotes, 2);
	/* then the values of the whole list. */
	memset(&c->pcrs, 0, sizeof(c->pcrs));
	tb_fill_pcrs(&f->t, &c->pcrs, IV_ALG_SHA256, false);
	iv_reader_mem(&r, f->t.p, f->t.len);
	assert_int_equal(iv_verify_list(c, &r, NULL, "m"), IV_VERIFIED);
	iv_reader_close(&r);
	assert_int_equal(c->why.cause, IV_CAUSE_NONE);
	assert_int_equal(c->why.entry, -1);
	assert_string_equal(c->why.text, "");
	assert_string_equal(c->err.msg, "");
	assert_int_equal(c->nnotes, 2);
	want = "boot 2: no kexec_execute before its boot_aggregate (entry 4)\n"
	       "boot 2: no kexec_restore record (";
	assert_int_equal(strncmp(notes(c), want, strlen(want)), 0);
}

/*
 * Version 2.0 of the library: enum values of 1.0 keep their numbers,
 * new ones come after them.
 */
static void test_api_version(void **state)
{
	(void)state;
	assert_string_equal(IV_VERSION, "2.2");
	assert_int_equal(IV_CAUSE_LIST_LONGER, 12);
	assert_int_equal(IV_CAUSE_MISMATCH, 13);
	assert_int_equal(IV_CAUSE_PCRS_DISAGREE, 14);
	assert_int_equal(IV_CAUSE_STATE_PREFIX, 15);
	assert_int_equal(IV_CAUSE_STATE_CLOCK, 16);
	assert_string_equal(iv_cause_name(IV_CAUSE_MISMATCH), "pcr_mismatch");
	assert_string_equal(iv_cause_name(IV_CAUSE_PCRS_DISAGREE), "pcrs_disagree");
	assert_int_equal(IV_NOCMP_PREFIX, 6);
	assert_int_equal(IV_NOCMP_NEWER, 7);
}

/* A bad template digest after the prefix is not judged; one in it is. */
static void test_live_bad_digest(void **state)
{
	struct fix *f = *state;

	tb_scenario_boot(&f->t, 3);
	tb_fill_pcrs(&f->t, &f->ctx.pcrs, IV_ALG_SHA1, false);
	tb_ng(&f->t, "/late");
	f->t.p[f->t.len - 3] ^= 0x20;
	analyse(f);
	assert_int_equal(f->ctx.status, IV_VERIFIED);
	assert_int_equal(f->ctx.replay.covered, 4);
	assert_int_equal(f->ctx.replay.first_bad, 4);
	f->t.p[f->t.len - 3] ^= 0x20;
	f->t.p[f->t.offs[3] - 3] ^= 0x20;
	fresh_ctx(f);
	tb_fill_pcrs(&f->t, &f->ctx.pcrs, IV_ALG_SHA1, false);
	analyse(f);
	assert_int_equal(f->ctx.status, IV_NOT_VERIFIED);
	assert_int_equal(f->why.cause, IV_CAUSE_TEMPLATE_DIGEST);
}

/*
 * The PCRs equal a prefix, but a boot began after it: on a live system
 * the list read after the PCRs holds no newer boot, so those values are
 * from before a kexec (or the new kernel extended nothing).
 */
static void test_list_longer_cause(void **state)
{
	struct fix *f = *state;

	multiboot_pcrs(f, IV_ALG_SHA256);
	tb_ng(&f->t, "/late1");
	tb_scenario_kexec(&f->t, "intact");
	analyse(f);
	assert_int_equal(f->ctx.status, IV_NOT_VERIFIED);
	assert_false(f->ctx.replay.all_match);
	assert_int_equal(f->ctx.replay.prefix_at, 16);
	why_is(f, IV_CAUSE_LIST_LONGER, 17, "list longer than TPM: sha256 PCR-10 equals the replay after entry 16; the list has 6 more entries than the TPM, among them the boot_aggregate of boot 4 (entry 21): PCR values read before that boot, or a kernel that extended no PCR");
}

/*
 * sha1 equals the replay of a prefix, sha256 of none (a bank extended
 * alone, or values of another time): no prefix verifies.
 */
static void test_pcrs_disagree(void **state)
{
	struct fix *f = *state;

	multiboot_pcrs(f, IV_ALG_SHA1);
	tb_fill_pcrs(&f->t, &f->ctx.pcrs, IV_ALG_SHA256, false);
	f->ctx.pcrs.bank[IV_ALG_SHA256].val[10][0] ^= 1;
	tb_ng(&f->t, "/late");
	analyse(f);
	assert_int_equal(f->ctx.status, IV_NOT_VERIFIED);
	why_is(f, IV_CAUSE_PCRS_DISAGREE, 17, "PCRs disagree: sha1 PCR-10 equals the replay after entry 16, but sha256 PCR-10 equals the replay after no entry; no prefix of the list replays to both (values not read together, or a bank extended alone through /dev/tpm0)");
	/* Both match, at different entries. */
	tb_free(&f->t);
	tb_init(&f->t);
	fresh_ctx(f);
	tb_scenario_boot(&f->t, 3);
	tb_fill_pcrs(&f->t, &f->ctx.pcrs, IV_ALG_SHA1, false);
	tb_ng(&f->t, "/one-more");
	tb_fill_pcrs(&f->t, &f->ctx.pcrs, IV_ALG_SHA256, false);
	tb_ng(&f->t, "/late");
	analyse(f);
	assert_int_equal(f->why.cause, IV_CAUSE_PCRS_DISAGREE);
	assert_string_equal(f->why.text, "PCRs disagree: sha1 PCR-10 equals the replay after entry 3, but sha256 PCR-10 that after entry 4; no prefix of the list replays to both (values not read together, or a bank extended alone through /dev/tpm0)");
}

static void test_generic_mismatch(void **state)
{
	struct fix *f = *state;

	multiboot_pcrs(f, IV_ALG_SHA1);
	f->ctx.pcrs.bank[IV_ALG_SHA1].val[10][5] ^= 0x40;
	analyse(f);
	assert_int_equal(f->why.cause, IV_CAUSE_MISMATCH);
	assert_string_equal(f->why.text, "PCR mismatch in bank sha1 after all 17 entries; no entry matched intermediate PCR value");
}

static void test_no_pcr_cause(void **state)
{
	struct fix *f = *state;

	tb_scenario_truncated(&f->t);
	tb_fill_pcrs(&f->t, &f->ctx.pcrs, IV_ALG_SHA256, false);
	f->ctx.pcrs.bank[IV_ALG_SHA256].set[10] = false;
	analyse(f);
	assert_int_equal(f->why.cause, IV_CAUSE_NO_PCR);
	assert_contains(f->why.text, "no sha256 value for PCR-10");
}


/* ---- the kernel's TPM check (tpm= fields of kexec_restore) ---- */

static int parse_tpm(const char *payload, struct iv_handover *h, char *why,
		     size_t wlen)
{
	memset(h, 0, sizeof(*h));
	why[0] = '\0';
	return iv_parse_tpm_fields((const uint8_t *)payload, strlen(payload),
				   h, why, wlen);
}

/* Every word of the format decodes. */
static void test_tpm_parse_words(void **state)
{
	static const struct {
		const char *s;
		enum iv_tpm_verdict v;
		const char *reason;
	} ok[] = {
		{ "result=intact;restored=1;dropped=0;", IV_TPM_ABSENT, "" },
		{ "tpmx=1;tpmfoo=match;", IV_TPM_ABSENT, "" },
		{ "tpm=match;", IV_TPM_MATCH, "" },
		{ "tpm=mismatch;tpm_sha1=mismatch:10;", IV_TPM_MISMATCH, "" },
		{ "tpm=lost;", IV_TPM_LOST, "" },
		{ "tpm=not_checked;tpm_reason=no_tpm;", IV_TPM_NOT_CHECKED, "no_tpm" },
		{ "tpm=not_checked;tpm_reason=disabled;", IV_TPM_NOT_CHECKED, "disabled" },
		{ "tpm=not_checked;tpm_reason=read_failed;tpm_sha1=not_checked:read_failed;tpm_sha256=not_checked:no_hash;", IV_TPM_NOT_CHECKED, "read_failed" },
		{ "tpm=not_checked;tpm_reason=read_failed;tpm_sha1=not_checked:hash_failed;", IV_TPM_NOT_CHECKED, "read_failed" },
		{ "tpm=not_checked;tpm_reason=no_hash;tpm_sha1=not_checked:no_hash;", IV_TPM_NOT_CHECKED, "no_hash" },
		{ "tpm=not_checked;tpm_reason=kdump;", IV_TPM_NOT_CHECKED, "kdump" },
		{ "tpm=match;tpm_sha1=not_checked:read_failed;tpm_sha256=match;", IV_TPM_MATCH, "" },
		{ "tpm=match;tpm_sha1=match;tpm_sha256=match:padded;", IV_TPM_MATCH, "" },
		{ "tpm=not_checked;tpm_reason=some_future_word;", IV_TPM_NOT_CHECKED, "some_future_word" },
		/* After the other fields, reason= included; trailing NUL. */
		{ "result=rejected;restored=0;dropped=0;reason=bad_header;tpm=lost;tpm_sha256=mismatch:10;", IV_TPM_LOST, "" },
	};
	static const char nul[] = "result=intact;restored=5;dropped=0;tpm=match;tpm_sha1=match;";
	struct iv_handover h;
	char why[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (parse_tpm(ok[i].s, &h, why, sizeof(why)))
			fail_msg("'%s': %s", ok[i].s, why);
		assert_int_equal(h.tpm, ok[i].v);
		assert_string_equal(h.tpm_reason, ok[i].reason);
	}

	/* A trailing NUL, should a writer include it, is not a field. */
	memset(&h, 0, sizeof(h));
	assert_int_equal(iv_parse_tpm_fields((const uint8_t *)nul, sizeof(nul),
					     &h, why, sizeof(why)), 0);
	assert_int_equal(h.tpm, IV_TPM_MATCH);
	assert_int_equal(h.nbank, 1);

	/* Every bank name, an unnamed bank, every bank verdict. */
	assert_int_equal(parse_tpm("result=intact;restored=9;dropped=0;tpm=mismatch;tpm_sha1=match;tpm_sha256=mismatch:10;tpm_sha384=mismatch:10-11,14;tpm_sha512=not_checked:no_hash;tpm_sm3=mismatch:0-23;tpm_0x0027=not_checked:no_hash;tpm_0xabcd=mismatch:0,23;",
				   &h, why, sizeof(why)), 0);
	assert_int_equal(h.tpm, IV_TPM_MISMATCH);
	assert_int_equal(h.nbank, 7);
	assert_string_equal(h.bank[0].name, "sha1");
	assert_int_equal(h.bank[0].tpm_alg, 0x0004);
	assert_int_equal(h.bank[0].alg, IV_ALG_SHA1);
	assert_int_equal(h.bank[0].verdict, IV_TPMB_MATCH);
	assert_int_equal(h.bank[1].tpm_alg, 0x000b);
	assert_int_equal(h.bank[1].alg, IV_ALG_SHA256);
	assert_int_equal(h.bank[1].verdict, IV_TPMB_MISMATCH);
	assert_int_equal(h.bank[1].pcrs, 1U << 10);
	assert_int_equal(h.bank[2].alg, IV_ALG_SHA384);
	assert_int_equal(h.bank[2].pcrs, 1U << 10 | 1U << 11 | 1U << 14);
	assert_int_equal(h.bank[3].alg, IV_ALG_SHA512);
	assert_int_equal(h.bank[3].verdict, IV_TPMB_NO_HASH);
	assert_string_equal(h.bank[4].name, "sm3");
	assert_int_equal(h.bank[4].tpm_alg, 0x0012);
	assert_int_equal(h.bank[4].alg, -1);
	assert_int_equal(h.bank[4].pcrs, 0xffffff);
	assert_string_equal(h.bank[5].name, "0x0027");
	assert_int_equal(h.bank[5].tpm_alg, 0x0027);
	assert_int_equal(h.bank[5].alg, -1);
	assert_int_equal(h.bank[6].tpm_alg, 0xabcd);
	assert_int_equal(h.bank[6].pcrs, 1U | 1U << 23);
	/* A bank the kernel names by id decodes like its name. */
	assert_int_equal(parse_tpm("tpm=match;tpm_0x000b=match;", &h, why,
				   sizeof(why)), 0);
	assert_int_equal(h.bank[0].alg, IV_ALG_SHA256);
}

/* Malformed tpm fields: an error naming the field, never a crash. */
static void test_tpm_parse_malformed(void **state)
{
	static const struct {
		const char *s;
		const char *why;
	} bad[] = {
		{ "tpm=bogus;", "tpm verdict 'bogus' is not match, mismatch, lost or not_checked" },
		{ "tpm=Match;", "tpm verdict 'Match'" },
		{ "tpm=;", "tpm verdict ''" },
		{ "tpm;", "field 'tpm' has no value" },
		{ "tpm_sha1;", "field 'tpm_sha1' has no value" },
		{ "tpm=match", "field 'tpm=match' is not ended by ';'" },
		{ "result=intact;restored=1;dropped=0;tpm=match;tpm_sha1=match", "is not ended by ';'" },
		{ "tpm=match;tpm=match;", "tpm= given twice" },
		{ "tpm=match;tpm_sha1=match;tpm_0x0004=match;", "TPM bank 0x0004 given twice (tpm_sha1 and tpm_0x0004)" },
		{ "tpm=match;tpm_sha256=match;tpm_sha256=match;", "given twice" },
		{ "tpm=match;tpm_md5=match;", "unknown TPM bank 'md5'" },
		{ "tpm=match;tpm_=match;", "unknown TPM bank ''" },
		{ "tpm=match;tpm_0x00AB=match;", "unknown TPM bank '0x00AB'" },
		{ "tpm=match;tpm_0x12345=match;", "unknown TPM bank '0x12345'" },
		{ "tpm=match;tpm_0x12=match;", "unknown TPM bank '0x12'" },
		{ "tpm=match;tpm_sha1=MATCH;", "tpm_sha1: verdict 'MATCH' is not match, match:padded, mismatch:PCRLIST or not_checked:no_hash|read_failed|hash_failed" },
		{ "tpm=match;tpm_sha1=;", "tpm_sha1: verdict ''" },
		{ "tpm=mismatch;tpm_sha1=mismatch;", "tpm_sha1: verdict 'mismatch'" },
		{ "tpm=match;tpm_sha1=not_checked;", "tpm_sha1: verdict 'not_checked'" },
		{ "tpm=match;tpm_sha1=not_checked:no_tpm;", "tpm_sha1: verdict 'not_checked:no_tpm'" },
		{ "tpm=mismatch;tpm_sha1=mismatch:;", "tpm_sha1: empty PCR list" },
		{ "tpm=mismatch;tpm_sha1=mismatch:24;", "tpm_sha1: PCR list '24': '24' is not a PCR number 0-23 or a range of them" },
		{ "tpm=mismatch;tpm_sha1=mismatch:99999999999999999999;", "is not a PCR number" },
		{ "tpm=mismatch;tpm_sha1=mismatch:010;", "'010' is not a PCR number" },
		{ "tpm=mismatch;tpm_sha1=mismatch:1a;", "'1a' is not a PCR number" },
		{ "tpm=mismatch;tpm_sha1=mismatch:-10;", "'-10' is not a PCR number" },
		{ "tpm=mismatch;tpm_sha1=mismatch:10-;", "'10-' is not a PCR number" },
		{ "tpm=mismatch;tpm_sha1=mismatch:10-11-12;", "'10-11-12' is not a PCR number" },
		{ "tpm=mismatch;tpm_sha1=mismatch:10-24;", "'10-24' is not a PCR number" },
		{ "tpm=mismatch;tpm_sha1=mismatch:,10;", "'' is not a PCR number" },
		{ "tpm=mismatch;tpm_sha1=mismatch:10,;", "PCR list '10,' ends in a comma" },
		{ "tpm=mismatch;tpm_sha1=mismatch:10,,11;", "'' is not a PCR number" },
		{ "tpm=mismatch;tpm_sha1=mismatch:11-10;", "PCR list '11-10' is not in ascending order" },
		{ "tpm=mismatch;tpm_sha1=mismatch:10-10;", "is not in ascending order" },
		{ "tpm=mismatch;tpm_sha1=mismatch:14,10;", "PCR list '14,10' is not in ascending order" },
		{ "tpm=mismatch;tpm_sha1=mismatch:10,10;", "is not in ascending order" },
		{ "tpm=mismatch;tpm_sha1=mismatch:10-12,11;", "is not in ascending order" },
		{ "tpm_sha1=match;", "tpm_<bank>= without tpm=" },
		{ "tpm_reason=no_tpm;", "tpm_reason= without tpm=" },
		{ "tpm=not_checked;", "tpm=not_checked without tpm_reason=" },
		{ "tpm=match;tpm_reason=no_tpm;", "tpm_reason= with tpm=match" },
		{ "tpm=not_checked;tpm_reason=no_tpm;tpm_reason=no_tpm;", "tpm_reason= given twice" },
		{ "tpm=not_checked;tpm_reason=No-TPM;", "tpm_reason 'No-TPM' is not a word of 1-31 characters a-z, 0-9 or _" },
		{ "tpm=not_checked;tpm_reason=;", "tpm_reason '' is not a word" },
		{ "tpm=not_checked;tpm_reason=abcdefghijklmnopqrstuvwxyz_01234;", "is not a word of 1-31" },
		{ "tpm=not_checked;tpm_reason=no_tpm;tpm_sha1=match;", "tpm=not_checked;tpm_reason=no_tpm with per-bank fields" },
		{ "tpm=not_checked;tpm_reason=disabled;tpm_sha1=not_checked:no_hash;", "tpm_reason=disabled with per-bank fields" },
		{ "tpm=not_checked;tpm_reason=no_hash;tpm_sha1=match;", "tpm_reason=no_hash but a bank has a hash" },
		{ "tpm=not_checked;tpm_reason=no_hash;", "tpm_reason=no_hash without per-bank fields" },
		{ "tpm=not_checked;tpm_reason=read_failed;", "tpm_reason=read_failed without per-bank fields" },
		{ "tpm=not_checked;tpm_reason=read_failed;tpm_sha1=match;", "tpm_reason=read_failed but a bank was checked, or none failed" },
		{ "tpm=not_checked;tpm_reason=read_failed;tpm_sha1=not_checked:no_hash;", "tpm_reason=read_failed but a bank was checked, or none failed" },
		{ "tpm=not_checked;tpm_reason=kdump;tpm_sha1=match;", "tpm_reason=kdump with per-bank fields" },
		{ "tpm=match;tpm_sha1=match;tpm_sha256=mismatch:10;", "tpm=match but a bank says mismatch" },
		{ "tpm=mismatch;tpm_sha1=match;", "tpm=mismatch but no bank says mismatch" },
		{ "tpm=mismatch;", "tpm=mismatch but no bank says mismatch" },
		{ "tpm=\x01\xff;", "tpm verdict '?" "?'" },
		{ "tpm=match;tpm_sha1=match:\x80;", "verdict 'match:?'" },
	};
	struct iv_handover h;
	char why[256], many[1024];
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!parse_tpm(bad[i].s, &h, why, sizeof(why)))
			fail_msg("'%s' parsed", bad[i].s);
		assert_contains(why, bad[i].why);
	}
	/* Seventeen banks: one more than a TPM has. */
	n = snprintf(many, sizeof(many), "tpm=match;");
	for (i = 1; i <= 17; i++)
		n += snprintf(many + n, sizeof(many) - (size_t)n,
			      "tpm_0x%04zx=match;", i + 0x100);
	assert_int_equal(parse_tpm(many, &h, why, sizeof(why)), -1);
	assert_string_equal(why, "more than 16 TPM banks");
	/* A long bad value is cut short in the message. */
	assert_int_equal(parse_tpm("tpm=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;",
				   &h, why, sizeof(why)), -1);
	assert_contains(why, "tpm verdict 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'");
}

static void test_pcr_list(void **state)
{
	static const struct {
		uint32_t m;
		const char *s;
	} lists[] = {
		{ 0, "" },
		{ 1U << 10, "10" },
		{ 1U << 10 | 1U << 11, "10-11" },
		{ 1U << 10 | 1U << 11 | 1U << 14, "10-11,14" },
		{ 0xffffff, "0-23" },
		{ 1U | 1U << 2 | 1U << 3 | 1U << 4 | 1U << 23, "0,2-4,23" },
	};
	char out[80];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		iv_pcr_list(lists[i].m, out, sizeof(out));
		assert_string_equal(out, lists[i].s);
	}
	/* Cut short, still terminated. */
	iv_pcr_list(1U | 1U << 2 | 1U << 4 | 1U << 6, out, 4);
	assert_string_equal(out, "0,2");
}

/* A record's tpm fields that do not parse make the list an input error. */
static void test_tpm_record_errors(void **state)
{
	static const struct {
		const char *payload;
		const char *why;
	} bad[] = {
		{ "result=intact;restored=6;dropped=0;tpm=mismatch;tpm_sha256=mismatch:10-9;",
		  "kexec_restore record: tpm_sha256: PCR list '10-9' is not in ascending order" },
		/*
		 * lost means nothing readable arrived; mismatch that
		 * something did (restored, or rejected whole: a valid pair,
		 * see test_tpm_rejected_mismatch).
		 */
		{ "result=intact;restored=6;dropped=0;tpm=lost;tpm_sha1=mismatch:10;",
		  "kexec_restore record: tpm=lost with result=intact" },
		{ "result=none;restored=0;dropped=0;tpm=mismatch;tpm_sha1=mismatch:10;",
		  "tpm=mismatch with result=none" },
	};
	struct fix *f = *state;
	struct iv_ctx *c = &f->ctx;
	struct iv_list l = { 0 };
	char want[160];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		iv_ctx_free(c);
		tb_free(&f->t);
		tb_init(&f->t);
		iv_ctx_init(c);
		tb_scenario_boot(&f->t, 2);
		tb_scenario_kexec(&f->t, NULL);
		tb_handover(&f->t, bad[i].payload);
		iv_list_free(&l);
		assert_int_equal(iv_list_parse(&l, f->t.p, f->t.len, &c->err),
				 0);
		assert_int_equal(iv_kexec_analyse(&l, &c->kexec, &c->err), -1);
		snprintf(want, sizeof(want), "entry 7 at byte offset %zu: ",
			 f->t.offs[7]);
		assert_contains(c->err.msg, want);
		assert_contains(c->err.msg, bad[i].why);
	}
	iv_list_free(&l);
}

/* tpm=match at both kexecs, every bank: nothing to explain. */
static void test_tpm_match(void **state)
{
	struct fix *f = *state;
	const struct iv_kexec *k = &f->ctx.kexec;
	char text[512];
	size_t i;
	unsigned int b;

	tb_scenario_tpm_match(&f->t);
	analyse(f);
	assert_true(f->ctx.replay.all_match);
	assert_int_equal(k->contradictions, 0);
	assert_int_equal(k->nho, 2);
	for (i = 0; i < k->nho; i++) {
		const struct iv_handover *h = &k->ho[i];

		assert_int_equal(h->tpm, IV_TPM_MATCH);
		assert_false(h->malformed);
		assert_true(h->prefix_known);
		assert_int_equal(h->nbank, 2);
		for (b = 0; b < h->nbank; b++) {
			assert_int_equal(h->bank[b].agree, IV_AGREE_YES);
			assert_true(h->bank[b].v_replayed);
			assert_int_equal(h->bank[b].v_bad, 0);
			iv_ho_bank_relation(h, &h->bank[b], text, sizeof(text));
			assert_string_equal(text, "agree");
		}
	}
	assert_int_equal(k->ho[0].prefix, 7);
	assert_int_equal(k->ho[1].prefix, 14);
	iv_ho_tpm_meaning(&k->ho[1], text, sizeof(text));
	assert_string_equal(text, "the kernel replayed the 14 restored entries from the PCR reset values and the TPM held exactly their extends in every bank it checked");
}

/* Both find the list short: the kernel's verdict is the explanation. */
static void test_tpm_mismatch(void **state)
{
	struct fix *f = *state;
	const struct iv_kexec *k = &f->ctx.kexec;
	char text[512];

	tb_scenario_tpm_mismatch(&f->t);
	tb_fill_pcrs(&f->t, &f->ctx.pcrs, IV_ALG_SHA256, false);
	analyse(f);
	assert_false(f->ctx.replay.all_match);
	assert_int_equal(k->contradictions, 0);
	assert_int_equal(k->ho[0].tpm, IV_TPM_MISMATCH);
	/* No sha1 values given: that bank cannot be compared. */
	assert_int_equal(k->ho[0].bank[0].agree, IV_AGREE_NOT_COMPARED);
	assert_int_equal(k->ho[0].bank[0].nocmp, IV_NOCMP_NOT_GIVEN);
	assert_int_equal(k->ho[0].bank[1].agree, IV_AGREE_YES);
	assert_int_equal(k->ho[0].bank[1].v_bad, 1U << 10);
	why_is(f, IV_CAUSE_KERNEL_MISMATCH, 6, "the kernel found at boot 2 (entry 6) that the 5 restored entries do not replay to PCR 10 in sha256 (tpm=mismatch): measurements of boot 1 are missing from the list, or it was forged or reordered");
	iv_ho_bank_relation(&k->ho[0], &k->ho[0].bank[1], text, sizeof(text));
	assert_string_equal(text, "agree: the list lacks extends the TPM holds");
	iv_ho_bank_verifier(&k->ho[0].bank[0], text, sizeof(text));
	assert_string_equal(text, "verifier has no sha1 values");
}

/* kexec_load, no handover: the TPM holds a list nobody carried. */
static void test_tpm_lost(void **state)
{
	struct fix *f = *state;
	const struct iv_kexec *k = &f->ctx.kexec;
	char text[512];

	tb_scenario_tpm_lost(&f->t);
	analyse(f);
	assert_int_equal(k->nho, 1);
	assert_int_equal(k->ho[0].result, IV_HO_NONE);
	assert_string_equal(iv_ho_result_name(k->ho[0].result), "none");
	assert_false(k->ho[0].malformed);
	assert_int_equal(k->ho[0].tpm, IV_TPM_LOST);
	assert_int_equal(k->ho[0].boot, 1);
	assert_true(k->ho[0].prefix_known);
	assert_int_equal(k->ho[0].prefix, 0);
	assert_int_equal(k->ho[0].bank[0].agree, IV_AGREE_YES);
	assert_int_equal(k->contradictions, 0);
	why_is(f, IV_CAUSE_LOST, 1, "handover lost at the kexec that started this list (entry 1): the new kernel received no list (kexec_load syscall or a previous kernel without IMA_KEXEC), and its TPM check found sha1 PCR 10 not at its reset value (tpm=lost): the TPM holds the previous kernel's measurements, which no list carries; unless that kernel lacked IMA_KEXEC, the previous kernel was loaded with kexec_load, which hands no list over; use kexec -s (kexec_file_load)");
	iv_ho_tpm_meaning(&k->ho[0], text, sizeof(text));
	assert_string_equal(text, "the TPM holds measurements of the previous kernel that no list carries: the kexec carried no handover (kexec_load syscall or a kernel without IMA_KEXEC)");
}

/* A rejection the kernel's check confirms: the cause cites both. */
static void test_tpm_rejected_lost(void **state)
{
	struct fix *f = *state;
	char text[512];

	tb_scenario_boot(&f->t, 3);
	tb_kexec_event(&f->t, "kexec_load", 65536);
	tb_kexec_event(&f->t, "kexec_execute", 65536);
	tb_truncate(&f->t, 0);
	tb_ng(&f->t, "boot_aggregate");
	tb_handover(&f->t, "result=rejected;restored=0;dropped=0;reason=digest_mismatch;tpm=lost;tpm_sha1=mismatch:10;tpm_sha256=mismatch:10;");
	analyse(f);
	assert_int_equal(f->why.cause, IV_CAUSE_REJECTED);
	assert_contains(f->why.text, "handover rejected at the kexec that started this list (entry 1): reason digest_mismatch;");
	assert_contains(f->why.text, "but the TPM holds their extends; the kernel's own TPM check agrees (tpm=lost: sha1 PCR 10 not at its reset value)");
	iv_ho_tpm_meaning(&f->ctx.kexec.ho[0], text, sizeof(text));
	/* Only a result=none record says how the handover went missing. */
	assert_string_equal(text, "the TPM holds measurements of the previous kernel that no list carries: this kernel rejected the handover (reason digest_mismatch)");
	assert_null(strstr(text, "kexec_load"));
}

static void test_tpm_truncated_mismatch(void **state)
{
	struct fix *f = *state;
	char buf[256];
	size_t keep;

	tb_scenario_boot(&f->t, 3);
	tb_kexec_event(&f->t, "kexec_load", 4096);
	tb_ng(&f->t, "/usr/bin/late1");
	tb_kexec_event(&f->t, "kexec_execute", 4096);
	keep = f->t.count - 2;
	tb_truncate(&f->t, keep);
	tb_ng(&f->t, "boot_aggregate");
	snprintf(buf, sizeof(buf), "result=truncated;restored=%zu;dropped=2;tpm=mismatch;tpm_sha1=mismatch:10;tpm_sha256=mismatch:10;",
		 keep);
	tb_handover(&f->t, buf);
	analyse(f);
	assert_int_equal(f->why.cause, IV_CAUSE_TRUNCATED);
	assert_contains(f->why.text, "2 newest entries were left out (5 handed over) but the TPM holds their extends; the kernel's own TPM check agrees (tpm=mismatch: sha1 PCR 10 does not replay)");
}

/* The new kernel found no TPM chip: its own records never reached one. */
static void test_tpm_no_tpm(void **state)
{
	struct fix *f = *state;
	const struct iv_handover *h;
	char text[512];

	tb_scenario_tpm_bypass(&f->t);
	analyse(f);
	h = &f->ctx.kexec.ho[0];
	assert_int_equal(h->tpm, IV_TPM_NOT_CHECKED);
	assert_string_equal(h->tpm_reason, "no_tpm");
	assert_int_equal(h->nbank, 0);
	why_is(f, IV_CAUSE_TPM_BYPASS, 5, "the kernel of boot 2 (entry 6) found no TPM chip (tpm=not_checked, tpm_reason=no_tpm: IMA's TPM-bypass mode), so the measurements it took, from entry 5 on, extend no PCR; sha1 PCR-10 equals the replay of the 5 entries before it");
	iv_ho_tpm_meaning(h, text, sizeof(text));
	assert_string_equal(text, "the kernel found no TPM chip (IMA's TPM-bypass mode), so it checked nothing and its measurements extend no PCR");
}

/*
 * As the rig's tpm-bypass: the TPM is back for boot 3 (its check switched
 * off).  The bypass kernel's measurements end where boot 3 begins.
 */
static void test_tpm_no_tpm_then_tpm(void **state)
{
	struct fix *f = *state;
	char buf[128];
	size_t restored;

	tb_scenario_tpm_bypass(&f->t);
	f->t.tpm_off = true;
	tb_kexec_event(&f->t, "kexec_load", 65536);
	tb_kexec_event(&f->t, "kexec_execute", 65536);
	restored = f->t.count;
	f->t.tpm_off = false;
	tb_ng(&f->t, "boot_aggregate");
	snprintf(buf, sizeof(buf), "result=intact;restored=%zu;dropped=0;tpm=not_checked;tpm_reason=disabled;",
		 restored);
	tb_handover(&f->t, buf);
	tb_ng(&f->t, "/usr/bin/after-tpm-is-back");
	analyse(f);
	assert_int_equal(f->ctx.kexec.nboot, 3);
	assert_int_equal(f->ctx.kexec.boot[2].aggregate, 10);
	assert_int_equal(f->why.cause, IV_CAUSE_TPM_BYPASS);
	assert_int_equal(f->why.entry, 5);
	/* Boot 3 extended the TPM again: PCR 10 is no prefix of the list. */
	assert_string_equal(f->why.text, "the kernel of boot 2 (entry 6) found no TPM chip (tpm=not_checked, tpm_reason=no_tpm: IMA's TPM-bypass mode), so the measurements it took, entries 5-9, extend no PCR");
}

/* Switched off, read failed, no hash, a reason from a later kernel. */
static void test_tpm_not_checked(void **state)
{
	static const struct {
		const char *reason;
		const char *meaning;
		const char *banks;	/* the words of every bank, if any */
		unsigned int nbank;
	} words[] = {
		{ "disabled", "the check was switched off (ima_kexec_tpm_check=off)", "", 0 },
		{ "read_failed", "reading a PCR or hashing failed in a bank, and no bank could be compared",
		  "tpm_sha1=not_checked:read_failed;tpm_sha256=not_checked:hash_failed;", 2 },
		{ "kdump", "a crash kernel (kdump), which is never handed a list, does not check", "", 0 },
		{ "no_hash", "the kernel has a hash for none of the TPM's banks, so it could replay none",
		  "tpm_sha1=not_checked:no_hash;", 1 },
		{ "later_word", "the kernel did not check (reason later_word)", "", 0 },
	};
	struct fix *f = *state;
	char buf[128], text[512];
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		const struct iv_handover *h;

		new_list(f);
		snprintf(buf, sizeof(buf), "tpm=not_checked;tpm_reason=%s;%s",
			 words[i].reason, words[i].banks);
		tb_scenario_boot(&f->t, 2);
		tb_scenario_kexec_tpm(&f->t, "intact", buf);
		analyse(f);
		h = &f->ctx.kexec.ho[0];
		assert_true(f->ctx.replay.all_match);
		assert_int_equal(f->ctx.kexec.contradictions, 0);
		assert_int_equal(h->tpm, IV_TPM_NOT_CHECKED);
		assert_string_equal(h->tpm_reason, words[i].reason);
		assert_int_equal(h->nbank, words[i].nbank);
		iv_ho_tpm_meaning(h, text, sizeof(text));
		assert_string_equal(text, words[i].meaning);
	}
}

/* sm3 and unnamed banks are reported; no_hash ones were not checked. */
static void test_tpm_no_hash_bank(void **state)
{
	struct fix *f = *state;
	const struct iv_handover *h;
	char text[512];

	tb_scenario_tpm_banks(&f->t);
	analyse(f);
	h = &f->ctx.kexec.ho[0];
	assert_true(f->ctx.replay.all_match);
	assert_int_equal(f->ctx.kexec.contradictions, 0);
	assert_int_equal(h->nbank, 5);
	assert_int_equal(h->bank[0].agree, IV_AGREE_YES);
	assert_int_equal(h->bank[1].agree, IV_AGREE_YES);
	assert_int_equal(h->bank[2].nocmp, IV_NOCMP_NO_HASH);
	assert_int_equal(h->bank[3].nocmp, IV_NOCMP_ALG);
	assert_int_equal(h->bank[4].nocmp, IV_NOCMP_NO_HASH);
	iv_ho_bank_kernel(&h->bank[4], text, sizeof(text));
	assert_string_equal(text, "kernel not_checked:no_hash");
	iv_ho_bank_verifier(&h->bank[3], text, sizeof(text));
	assert_string_equal(text, "verifier cannot replay sm3");
	iv_ho_bank_relation(h, &h->bank[2], text, sizeof(text));
	assert_string_equal(text, "not compared: that kernel has no hash for this bank");
}

/*
 * The whole list replays, so the 13 entries before boot 3 replayed when
 * that kernel checked; its "mismatch" in sha256 cannot be true.
 */
static void test_tpm_disagree(void **state)
{
	struct fix *f = *state;
	const struct iv_handover *h;
	char text[512];

	tb_scenario_tpm_disagree(&f->t);
	analyse(f);
	assert_true(f->ctx.replay.all_match);
	assert_int_equal(f->ctx.kexec.contradictions, 1);
	h = &f->ctx.kexec.ho[1];
	assert_int_equal(h->bank[0].agree, IV_AGREE_YES);
	assert_int_equal(h->bank[1].agree, IV_AGREE_CONTRADICTS);
	assert_int_equal(h->bank[1].contra, 1U << 10);
	why_is(f, IV_CAUSE_TPM_DISAGREE, 14, "kernel and verifier disagree at boot 3 (entry 14): the kernel's TPM check says the 13 restored entries do not replay to sha256 PCR 10 (tpm=mismatch), but the whole list replays to the given sha256 PCR 10, so they must have replayed then; that kernel's record or the PCR values given are false");
	iv_ho_bank_relation(h, &h->bank[1], text, sizeof(text));
	assert_string_equal(text, "DISAGREE: the whole list replays to sha256 PCR 10, so the 13 entries restored at boot 3 must have replayed then");
}

/* "lost" beside a list that replays from reset is as impossible. */
static void test_tpm_disagree_lost(void **state)
{
	struct fix *f = *state;

	tb_ng(&f->t, "boot_aggregate");
	tb_handover(&f->t, "result=none;restored=0;dropped=0;tpm=lost;tpm_sha1=match;tpm_sha256=mismatch:10;");
	tb_ng(&f->t, "/usr/bin/after");
	analyse(f);
	assert_true(f->ctx.replay.all_match);
	assert_int_equal(f->ctx.kexec.contradictions, 1);
	assert_int_equal(f->why.cause, IV_CAUSE_TPM_DISAGREE);
	assert_string_equal(f->why.text, "kernel and verifier disagree at boot 1 (entry 1): the kernel's TPM check found sha256 PCR 10 not at the reset value with nothing restored (tpm=lost), but the whole list replays from reset to the given sha256 PCR 10, so it was at reset when the list began; that kernel's record or the PCR values given are false");
}

/*
 * A rejection as kernels with the TPM check write it for any reason but
 * unreadable: tpm=mismatch, nothing restored.  The rejection is the
 * cause; the kernel's check confirms it in the words of an empty list.
 */
static void test_tpm_rejected_mismatch(void **state)
{
	struct fix *f = *state;
	const struct iv_handover *h;
	char text[512];

	tb_scenario_boot(&f->t, 3);
	tb_kexec_event(&f->t, "kexec_load", 65536);
	tb_kexec_event(&f->t, "kexec_execute", 65536);
	tb_truncate(&f->t, 0);
	tb_ng(&f->t, "boot_aggregate");
	tb_handover(&f->t, "result=rejected;restored=0;dropped=0;reason=bad_record;tpm=mismatch;tpm_sha1=mismatch:10;tpm_sha256=mismatch:10;");
	analyse(f);
	h = &f->ctx.kexec.ho[0];
	assert_int_equal(h->result, IV_HO_REJECTED);
	assert_int_equal(h->tpm, IV_TPM_MISMATCH);
	assert_false(h->malformed);
	assert_int_equal(f->ctx.kexec.contradictions, 0);
	why_is(f, IV_CAUSE_REJECTED, 1, "handover rejected at the kexec that started this list (entry 1): reason bad_record; the new kernel discarded the whole list the previous kernel handed over (how many entries is not recorded) but the TPM holds their extends; the kernel's own TPM check agrees (tpm=mismatch: sha1 PCR 10 not at its reset value)");
	iv_ho_tpm_meaning(h, text, sizeof(text));
	assert_string_equal(text, "the TPM holds measurements of the previous kernel that no list carries: this kernel rejected the handover (reason bad_record) and restored nothing");
	iv_ho_bank_relation(h, &h->bank[1], text, sizeof(text));
	assert_string_equal(text, "agree: the TPM held extends before this list began");
}

/* The same record beside a list that replays from reset: impossible. */
static void test_tpm_disagree_rejected(void **state)
{
	struct fix *f = *state;

	tb_ng(&f->t, "boot_aggregate");
	tb_handover(&f->t, "result=rejected;restored=0;dropped=0;reason=digest_mismatch;tpm=mismatch;tpm_sha1=match;tpm_sha256=mismatch:10;");
	tb_ng(&f->t, "/usr/bin/after");
	analyse(f);
	assert_true(f->ctx.replay.all_match);
	assert_int_equal(f->ctx.kexec.contradictions, 1);
	assert_int_equal(f->why.cause, IV_CAUSE_TPM_DISAGREE);
	assert_string_equal(f->why.text, "kernel and verifier disagree at boot 1 (entry 1): the kernel's TPM check found sha256 PCR 10 not at the reset value with nothing restored (tpm=mismatch), but the whole list replays from reset to the given sha256 PCR 10, so it was at reset when the list began; that kernel's record or the PCR values given are false");
}

/*
 * Kernel match, verifier mismatch: a fault after that kernel's check,
 * not a contradiction; the check bounds where the list leaves the TPM.
 */
static void test_tpm_match_later_fault(void **state)
{
	struct fix *f = *state;
	const struct iv_handover *h;
	char text[512];

	tb_scenario_boot(&f->t, 3);
	tb_scenario_kexec_tpm(&f->t, "intact",
			      "tpm=match;tpm_sha1=match;tpm_sha256=match;");
	tb_ng(&f->t, "/usr/bin/hidden");
	tb_truncate(&f->t, f->t.count - 1);
	tb_ng(&f->t, "/usr/bin/after");
	tb_fill_pcrs(&f->t, &f->ctx.pcrs, IV_ALG_SHA256, false);
	analyse(f);
	h = &f->ctx.kexec.ho[0];
	assert_false(f->ctx.replay.all_match);
	assert_int_equal(f->ctx.kexec.contradictions, 0);
	assert_int_equal(h->bank[1].agree, IV_AGREE_CONSISTENT);
	assert_int_equal(f->why.cause, IV_CAUSE_MISMATCH);
	assert_string_equal(f->why.text, "PCR mismatch in bank sha256 after all 10 entries; no entry matched intermediate PCR value; the kernel's TPM check at boot 2 (entry 8) found the 7 entries before it replay in sha256, so the list leaves the TPM after entry 6");
	iv_ho_bank_relation(h, &h->bank[1], text, sizeof(text));
	assert_string_equal(text, "consistent: the 7 entries before boot 2 replayed then, so the list leaves the TPM after entry 6");
}

/*
 * Not contradictions: the verifier matched only with zero-padded SHA-1
 * (a scheme the kernel's replay does not use), or the record's restored=
 * is not what the list shows before its boot_aggregate.
 */
static void test_tpm_not_comparable(void **state)
{
	struct fix *f = *state;
	const struct iv_handover *h;
	char text[512];

	tb_scenario_boot(&f->t, 2);
	tb_scenario_kexec_tpm(&f->t, "intact",
			      "tpm=mismatch;tpm_sha1=match;tpm_sha256=mismatch:10;");
	tb_fill_pcrs(&f->t, &f->ctx.pcrs, IV_ALG_SHA256, true);
	analyse(f);
	h = &f->ctx.kexec.ho[0];
	assert_true(f->ctx.replay.all_match);
	assert_int_equal(f->ctx.kexec.contradictions, 0);
	assert_int_equal(h->bank[1].nocmp, IV_NOCMP_PADDED);
	iv_ho_bank_relation(h, &h->bank[1], text, sizeof(text));
	assert_string_equal(text, "not compared: the verifier matched only zero-padded SHA-1 digests, which the kernel's replay does not use");

	new_list(f);
	tb_scenario_boot(&f->t, 2);
	tb_scenario_kexec(&f->t, NULL);
	tb_handover(&f->t, "result=intact;restored=5;dropped=0;tpm=mismatch;tpm_sha256=mismatch:10;");
	analyse(f);
	h = &f->ctx.kexec.ho[0];
	assert_true(f->ctx.replay.all_match);
	assert_false(h->prefix_known);
	assert_int_equal(f->ctx.kexec.contradictions, 0);
	assert_int_equal(h->bank[0].nocmp, IV_NOCMP_PREFIX);
	iv_ho_bank_relation(h, &h->bank[0], text, sizeof(text));
	assert_string_equal(text, "not compared: restored=5 but 6 entries precede its boot_aggregate");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_multiboot),
		T(test_legacy_boot_aggregates),
		T(test_truncated),
		T(test_rejected),
		T(test_rejected_later_boot),
		T(test_no_execute),
		T(test_multiboot_old),
		T(test_unchecked),
		T(test_unverified_old),
		T(test_names_and_words),
		T(test_reasons_opaque),
		T(test_malformed_records),
		T(test_event_values),
		T(test_precedence),
		T(test_template_digest_cause),
		T(test_digest_only_cause),
		T(test_good_list),
		T(test_kexec_limit),
		T(test_live_prefix),
		T(test_live_newer_record),
		T(test_violation_not_trusted),
		T(test_ctx_reused),
		T(test_api_version),
		T(test_live_bad_digest),
		T(test_list_longer_cause),
		T(test_pcrs_disagree),
		T(test_generic_mismatch),
		T(test_no_pcr_cause),
		T(test_tpm_parse_words),
		T(test_tpm_parse_malformed),
		T(test_pcr_list),
		T(test_tpm_record_errors),
		T(test_tpm_match),
		T(test_tpm_mismatch),
		T(test_tpm_lost),
		T(test_tpm_rejected_lost),
		T(test_tpm_truncated_mismatch),
		T(test_tpm_no_tpm),
		T(test_tpm_no_tpm_then_tpm),
		T(test_tpm_not_checked),
		T(test_tpm_no_hash_bank),
		T(test_tpm_disagree),
		T(test_tpm_disagree_lost),
		T(test_tpm_rejected_mismatch),
		T(test_tpm_disagree_rejected),
		T(test_tpm_match_later_fault),
		T(test_tpm_not_comparable),
	};
#undef T

	return cmocka_run_group_tests_name("kexec", tests, NULL, NULL);
}
