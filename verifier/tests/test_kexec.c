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

/* The analysis part of iv_run(), on an in-memory list and TPM state. */
static void analyse(struct fix *f)
{
	struct iv_ctx *c = &f->ctx;

	if (!c->pcrs.bank[IV_ALG_SHA1].present &&
	    !c->pcrs.bank[IV_ALG_SHA256].present) {
		tb_fill_pcrs(&f->t, &c->pcrs, IV_ALG_SHA1, false);
		tb_fill_pcrs(&f->t, &c->pcrs, IV_ALG_SHA256, false);
	}
	if (iv_list_parse(&c->list, f->t.p, f->t.len, &c->err) ||
	    iv_replay_run(&c->list, &c->pcrs, &c->replay, &c->err) ||
	    iv_kexec_analyse(&c->list, &c->kexec, &c->err))
		fail_msg("%s", c->err.msg);
	iv_explain_mismatch(c, &f->why);
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
		iv_ctx_free(&f->ctx);
		tb_free(&f->t);
		tb_init(&f->t);
		iv_ctx_init(&f->ctx);
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

	tb_scenario_multiboot(&f->t);
	tb_fill_pcrs(&f->t, &f->ctx.pcrs, IV_ALG_SHA1, false);
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
	assert_int_equal(iv_list_parse(&f->ctx.good, good.p, good.len, &err), 0);
	f->ctx.have_good = true;
	analyse(f);
	assert_int_equal(f->why.cause, IV_CAUSE_GOOD_LIST);
	assert_int_equal(f->why.entry, 9);
	assert_contains(f->why.text, "replay diverges from the known-good list at entry 9");
	assert_contains(f->why.text, "expected ima-ng '/usr/bin/after-first-kexec', found ima-ng '/usr/bin/EVIL'");
	/* A strict prefix of the good list reports where it stops. */
	assert_int_equal(iv_good_list_diff(&f->ctx.good, &f->ctx.good, text,
					   sizeof(text)), -1);
	f->ctx.list.count = 9;
	f->ctx.good.count = 12;
	assert_int_equal(iv_good_list_diff(&f->ctx.good, &f->ctx.list, text,
					   sizeof(text)), 9);
	assert_contains(text, "entries from 9 on are missing");
	tb_free(&good);
}

static void test_list_longer_cause(void **state)
{
	struct fix *f = *state;

	tb_scenario_multiboot(&f->t);
	tb_fill_pcrs(&f->t, &f->ctx.pcrs, IV_ALG_SHA256, false);
	tb_ng(&f->t, "/late1");
	tb_ng(&f->t, "/late2");
	tb_ng(&f->t, "/late3");
	analyse(f);
	assert_int_equal(f->why.cause, IV_CAUSE_LIST_LONGER);
	assert_contains(f->why.text, "list longer than TPM: sha256 PCR-10 equals the replay after entry 16; the list has 3 more entries than the TPM");
}

static void test_generic_mismatch(void **state)
{
	struct fix *f = *state;

	tb_scenario_multiboot(&f->t);
	tb_fill_pcrs(&f->t, &f->ctx.pcrs, IV_ALG_SHA1, false);
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
		T(test_list_longer_cause),
		T(test_generic_mismatch),
		T(test_no_pcr_cause),
	};
#undef T

	return cmocka_run_group_tests_name("kexec", tests, NULL, NULL);
}
