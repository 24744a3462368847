// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Replay tests: both extend schemes, violations, every bank on its own,
 * template digest check, where the replay met the TPM value, and the
 * second pass over a file that changed after the first.
 */
#define _GNU_SOURCE		/* fopencookie() */
#include <stdio.h>
#include <stdlib.h>

#include "builder.h"
#include "testutil.h"

struct fix {
	struct tb t;
	struct iv_list l;
	struct iv_pcrs pcrs;
	struct iv_replay r;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	tb_init(&f->t);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	iv_list_free(&f->l);
	tb_free(&f->t);
	free(f);
	return 0;
}

static void replay(struct fix *f)
{
	struct iv_err err = { 0 };

	iv_list_free(&f->l);
	if (iv_list_parse(&f->l, f->t.p, f->t.len, &err) ||
	    iv_replay_run(&f->l, &f->pcrs, &f->r, &err))
		fail_msg("%s", err.msg);
}

static void test_all_banks_hash_scheme(void **state)
{
	struct fix *f = *state;
	int a;

	tb_scenario_multiboot(&f->t);
	for (a = 0; a < IV_ALG_COUNT; a++)
		tb_fill_pcrs(&f->t, &f->pcrs, (enum iv_alg)a, false);
	replay(f);
	assert_true(f->r.all_match);
	assert_int_equal(f->r.banks, IV_ALG_COUNT);
	assert_int_equal(f->r.p[IV_ALG_SHA1][10].scheme, IV_SCHEME_SHA1);
	for (a = 1; a < IV_ALG_COUNT; a++)
		assert_int_equal(f->r.p[a][10].scheme, IV_SCHEME_HASH);
	assert_int_equal(f->r.first_bad, -1);
	assert_int_equal(f->r.violations, 1);
	assert_int_equal(f->r.p[IV_ALG_SHA256][10].last_match,
			 (long)f->t.count - 1);
	/* PCRs the list does not use are not checked. */
	assert_false(f->r.p[IV_ALG_SHA256][0].used);
}

/* Older kernels: SHA-1 digest zero padded; violations 0xff*20 + zeros. */
/*
 * A big-endian kernel without ima_canonical_fmt writes its list big
 * endian, the template digests over those bytes: it replays as written.
 */
static void test_big_endian_list(void **state)
{
	struct fix *f = *state;
	int a;

	tb_big_endian = true;
	tb_scenario_multiboot(&f->t);
	tb_big_endian = false;
	for (a = 0; a < IV_ALG_COUNT; a++)
		tb_fill_pcrs(&f->t, &f->pcrs, (enum iv_alg)a, false);
	replay(f);
	assert_int_equal(f->l.e[0].pcr, 10);
	assert_true(iv_entry_is_boot_aggregate(&f->l.e[0]));
	assert_true(f->r.all_match);
	assert_int_equal(f->r.covered, f->l.count);
}

/*
 * Big endian from a first record that is the same both ways in its PCR
 * (0) or a violation, and template "ima", whose name length is big
 * endian too; then a list that turns little endian.
 */
static void test_big_endian_first_records(void **state)
{
	struct fix *f = *state;
	struct iv_err err = { 0 };
	struct tb data;
	int a;

	tb_big_endian = true;
	tb_init(&data);
	tb_dng(&data, "sha256", "early", 5);
	tb_nng(&data, "early");
	tb_record(&f->t, 0, "ima-ng", &data, false);
	tb_free(&data);
	tb_violation(&f->t, "/tmp/open-writers");
	tb_record_ima(&f->t, "/usr/bin/legacy", false);
	tb_ng(&f->t, "/usr/bin/bash");
	tb_big_endian = false;
	for (a = 0; a < IV_ALG_COUNT; a++)
		tb_fill_pcrs(&f->t, &f->pcrs, (enum iv_alg)a, false);
	replay(f);
	assert_int_equal(f->l.count, 4);
	assert_int_equal(f->l.e[0].pcr, 0);
	assert_true(f->l.e[1].violation);
	assert_int_equal(f->l.e[2].tpl, IV_TPL_IMA);
	assert_true(iv_entry_name_is(&f->l.e[2], "/usr/bin/legacy"));
	assert_true(f->r.all_match);

	tb_ng(&f->t, "/usr/bin/le");
	iv_list_free(&f->l);
	assert_int_equal(iv_list_parse(&f->l, f->t.p, f->t.len, &err), -1);
	assert_contains(err.msg, "entry 4 at byte offset");
	assert_contains(err.msg, "the list began big endian");
}

/* Records of both orders in one list: the one that changed is named. */
static void test_byte_order_changes(void **state)
{
	struct fix *f = *state;
	struct iv_err err = { 0 };

	tb_ng(&f->t, "boot_aggregate");
	tb_big_endian = true;
	tb_ng(&f->t, "/usr/bin/bash");
	tb_big_endian = false;
	assert_int_equal(iv_list_parse(&f->l, f->t.p, f->t.len, &err), -1);
	assert_contains(err.msg, "entry 1 at byte offset");
	assert_contains(err.msg, "looks byte-swapped: the list began little endian");
}

static void test_padded_scheme(void **state)
{
	struct fix *f = *state;

	tb_scenario_boot(&f->t, 3);
	tb_violation(&f->t, "/tmp/tomtou");
	tb_fill_pcrs(&f->t, &f->pcrs, IV_ALG_SHA256, true);
	tb_fill_pcrs(&f->t, &f->pcrs, IV_ALG_SHA512, true);
	replay(f);
	assert_true(f->r.all_match);
	assert_int_equal(f->r.p[IV_ALG_SHA256][10].scheme, IV_SCHEME_PADDED);
	assert_int_equal(f->r.p[IV_ALG_SHA512][10].scheme, IV_SCHEME_PADDED);
	assert_false(f->r.p[IV_ALG_SHA1][10].used);
}

/* A violation extends all 0xff, never the zero digest in the log. */
static void test_violation_values(void **state)
{
	struct fix *f = *state;
	uint8_t pcr[32] = { 0 }, ff[64], buf[64];

	tb_violation(&f->t, "/tmp/a");
	tb_fill_pcrs(&f->t, &f->pcrs, IV_ALG_SHA256, false);
	replay(f);
	memset(ff, 0xff, 32);
	memcpy(buf, pcr, 32);
	memcpy(buf + 32, ff, 32);
	tb_digest("sha256", buf, 64, pcr, NULL);
	assert_memory_equal(f->r.p[IV_ALG_SHA256][10].hash, pcr, 32);
	assert_true(f->r.all_match);
	assert_int_equal(f->r.violations, 1);
	assert_int_equal(f->r.first_bad, -1);
}

/* evmctl accepts one matching bank; here every bank must match. */
static void test_one_bank_wrong(void **state)
{
	struct fix *f = *state;

	tb_scenario_boot(&f->t, 2);
	tb_fill_pcrs(&f->t, &f->pcrs, IV_ALG_SHA1, false);
	tb_fill_pcrs(&f->t, &f->pcrs, IV_ALG_SHA256, false);
	f->pcrs.bank[IV_ALG_SHA256].val[10][0] ^= 1;
	replay(f);
	assert_false(f->r.all_match);
	assert_int_equal(f->r.p[IV_ALG_SHA1][10].scheme, IV_SCHEME_SHA1);
	assert_int_equal(f->r.p[IV_ALG_SHA256][10].scheme, IV_SCHEME_NONE);
	assert_int_equal(f->r.p[IV_ALG_SHA256][10].last_match, IV_NO_MATCH);
}

/* Data changed, digest kept: SHA-1 bank still matches, SHA-256 does not. */
static void test_bad_template_digest(void **state)
{
	struct fix *f = *state;

	tb_scenario_boot(&f->t, 3);
	tb_fill_pcrs(&f->t, &f->pcrs, IV_ALG_SHA1, false);
	tb_fill_pcrs(&f->t, &f->pcrs, IV_ALG_SHA256, false);
	f->t.p[f->t.offs[3] - 3] ^= 0x20;	/* in entry 2's file name */
	replay(f);
	assert_int_equal(f->r.first_bad, 2);
	assert_int_equal(f->r.bad_digests, 1);
	assert_int_equal(f->r.p[IV_ALG_SHA1][10].scheme, IV_SCHEME_SHA1);
	assert_int_equal(f->r.p[IV_ALG_SHA256][10].scheme, IV_SCHEME_NONE);
}

/*
 * PCRs read before two more entries were added: the first four entries
 * are covered (keylime-style prefix), the two newer ones are not.
 * Before prefix semantics this was all_match false.
 */
static void test_list_longer(void **state)
{
	struct fix *f = *state;

	tb_scenario_boot(&f->t, 3);
	tb_fill_pcrs(&f->t, &f->pcrs, IV_ALG_SHA256, false);
	tb_ng(&f->t, "/late1");
	tb_ng(&f->t, "/late2");
	replay(f);
	assert_true(f->r.all_match);
	assert_int_equal(f->r.covered, 4);
	assert_int_equal(f->r.entries, 6);
	assert_int_equal(f->r.covered_offset, f->t.offs[4]);
	assert_int_equal(f->r.p[IV_ALG_SHA256][10].scheme, IV_SCHEME_HASH);
	assert_int_equal(f->r.p[IV_ALG_SHA256][10].last_match, 3);
	assert_int_equal(f->r.p[IV_ALG_SHA256][10].last_entry, 5);
}

/* A kernel measured into PCR 11 of @t. */
static void pcr11_kernel(struct tb *t)
{
	struct tb d;

	tb_init(&d);
	tb_dng(&d, "sha256", "k", 1);
	tb_nng(&d, "/boot/vmlinuz");
	tb_record(t, 11, "ima-ng", &d, false);
	tb_free(&d);
}

/* f->t: @boots boots, with padded sha256 values in f->pcrs. */
static void padded_boots(struct fix *f, unsigned int boots)
{
	tb_scenario_boot(&f->t, boots);
	tb_fill_pcrs(&f->t, &f->pcrs, IV_ALG_SHA256, true);
}

/* Both schemes of a prefix: padded values of an older kernel, live. */
static void test_list_longer_padded(void **state)
{
	struct fix *f = *state;

	padded_boots(f, 3);
	tb_ng(&f->t, "/late1");
	replay(f);
	assert_true(f->r.all_match);
	assert_true(f->r.padded_done);
	assert_int_equal(f->r.covered, 4);
	assert_int_equal(f->r.p[IV_ALG_SHA256][10].scheme, IV_SCHEME_PADDED);
}

/* Two PCRs: the prefix ends where both are at their values. */
static void test_prefix_two_pcrs(void **state)
{
	struct fix *f = *state;

	tb_scenario_boot(&f->t, 1);
	pcr11_kernel(&f->t);
	tb_ng(&f->t, "/pcr10-again");
	tb_fill_pcrs(&f->t, &f->pcrs, IV_ALG_SHA256, false);
	pcr11_kernel(&f->t);
	tb_ng(&f->t, "/late");
	replay(f);
	assert_true(f->r.all_match);
	assert_int_equal(f->r.covered, 4);
	assert_int_equal(f->r.p[IV_ALG_SHA256][11].last_match, 2);
	assert_int_equal(f->r.p[IV_ALG_SHA256][10].last_match, 3);
}

/* A PCR the list extends only after the prefix must be at reset then. */
static void test_prefix_pcr_later(void **state)
{
	struct fix *f = *state;

	tb_scenario_boot(&f->t, 2);
	tb_fill_pcrs(&f->t, &f->pcrs, IV_ALG_SHA256, false);
	pcr11_kernel(&f->t);
	replay(f);
	assert_true(f->r.all_match);
	assert_int_equal(f->r.covered, 3);
	/* Not if the TPM says PCR 11 was extended. */
	f->pcrs.bank[IV_ALG_SHA256].val[11][0] ^= 1;
	replay(f);
	assert_false(f->r.all_match);
	assert_int_equal(f->r.prefix_at, IV_NO_MATCH);
}

static void test_missing_pcr_value(void **state)
{
	struct fix *f = *state;

	tb_scenario_boot(&f->t, 1);
	tb_fill_pcrs(&f->t, &f->pcrs, IV_ALG_SHA256, false);
	f->pcrs.bank[IV_ALG_SHA256].set[10] = false;
	replay(f);
	assert_false(f->r.all_match);
	assert_true(f->r.p[IV_ALG_SHA256][10].used);
	assert_false(f->r.p[IV_ALG_SHA256][10].have_tpm);
}

/* Policies may use other PCRs; each is replayed on its own. */
static void test_two_pcrs(void **state)
{
	struct fix *f = *state;

	tb_scenario_boot(&f->t, 1);
	pcr11_kernel(&f->t);
	tb_fill_pcrs(&f->t, &f->pcrs, IV_ALG_SHA256, false);
	replay(f);
	assert_true(f->r.all_match);
	assert_int_equal(f->r.p[IV_ALG_SHA256][11].entries, 1);
	assert_int_equal(f->r.p[IV_ALG_SHA256][10].entries, 2);
}

static void test_no_banks(void **state)
{
	struct fix *f = *state;
	struct iv_err err;

	tb_scenario_boot(&f->t, 1);
	assert_int_equal(iv_list_parse(&f->l, f->t.p, f->t.len, &err), 0);
	assert_int_equal(iv_replay_run(&f->l, &f->pcrs, &f->r, &err), -1);
	assert_contains(err.msg, "no PCR bank");
}

/* A second init frees what the first one allocated (LeakSanitizer). */
static void test_replay_reinit(void **state)
{
	struct fix *f = *state;
	struct iv_err err;

	tb_scenario_boot(&f->t, 1);
	tb_fill_pcrs(&f->t, &f->pcrs, IV_ALG_SHA256, false);
	assert_int_equal(iv_replay_init(&f->r, &f->pcrs, false, &err), 0);
	assert_int_equal(iv_replay_init(&f->r, &f->pcrs, false, &err), 0);
	iv_replay_free(&f->r);
	iv_replay_free(&f->r);
}

/* ---- the second (zero-padded) pass over a file read twice ---- */

/*
 * A FILE that reads @first until it is rewound, then @second: a file
 * rewritten, cut short or grown between the two passes.
 */
struct swap {
	const struct tb *first, *second, *cur;
	size_t pos;
};

static ssize_t swap_read(void *cookie, char *buf, size_t n)
{
	struct swap *s = cookie;

	if (s->pos >= s->cur->len)
		return 0;
	if (n > s->cur->len - s->pos)
		n = s->cur->len - s->pos;
	memcpy(buf, s->cur->p + s->pos, n);
	s->pos += n;
	return (ssize_t)n;
}

static int swap_seek(void *cookie, off64_t *off, int whence)
{
	struct swap *s = cookie;

	if (whence == SEEK_CUR)
		*off += (off64_t)s->pos;
	else if (whence != SEEK_SET)
		return -1;
	if (*off < 0)
		return -1;
	if (whence == SEEK_SET && s->pos)
		s->cur = s->second;
	s->pos = (size_t)*off;
	return 0;
}

/* iv_verify_list() on @first then @second, with the values in f->pcrs. */
static struct iv_ctx *verify_swap(struct fix *f, const struct tb *first,
				  const struct tb *second)
{
	static const cookie_io_functions_t io = {
		.read = swap_read,
		.seek = swap_seek,
	};
	struct swap s = { first, second, first, 0 };
	struct iv_ctx *c = calloc(1, sizeof(*c));
	struct iv_reader r;
	FILE *fp;

	assert_non_null(c);
	fp = fopencookie(&s, "r", io);
	assert_non_null(fp);
	iv_ctx_init(c);
	c->pcrs = f->pcrs;
	iv_reader_file(&r, fp);
	assert_true(r.seekable);
	iv_verify_list(c, &r, NULL, "swap");
	iv_reader_close(&r);
	fclose(fp);
	return c;
}

static void free_ctx(struct iv_ctx *c)
{
	iv_ctx_free(c);
	free(c);
}

/* verify_swap() fails as an input error with @msg. */
static void swap_error(struct fix *f, const struct tb *first,
		       const struct tb *second, const char *msg)
{
	struct iv_ctx *c = verify_swap(f, first, second);

	assert_int_equal(c->status, IV_ERROR);
	assert_string_equal(c->err.msg, msg);
	free_ctx(c);
}

/* @copy: the first @len bytes of f->t. */
static void copy_list(struct fix *f, struct tb *copy, size_t len)
{
	tb_init(copy);
	tb_put(copy, f->t.p, len);
}

/*
 * Padded values (an older kernel) take a second pass.  It must read the
 * bytes of the first: else the template digests, boots and handovers of
 * one list would be reported with the PCRs of another.  The reviewer's
 * forged list in the first read, the real one in the second.
 */
static void test_second_read_changed(void **state)
{
	struct fix *f = *state;
	struct iv_ctx *c;
	struct tb forged;

	tb_scenario_boot(&f->t, 2);
	tb_ng(&f->t, "/usr/bin/EVIL");
	tb_ng(&f->t, "/usr/bin/z");
	tb_init(&forged);
	tb_scenario_boot(&forged, 2);
	tb_ng(&forged, "/usr/bin/GOOD");
	tb_ng(&forged, "/usr/bin/z");
	tb_fill_pcrs(&f->t, &f->pcrs, IV_ALG_SHA256, true);
	/* The same file twice verifies, in the second pass. */
	c = verify_swap(f, &f->t, &f->t);
	assert_int_equal(c->status, IV_VERIFIED);
	assert_true(c->replay.padded_done);
	assert_int_equal(c->replay.p[IV_ALG_SHA256][10].scheme,
			 IV_SCHEME_PADDED);
	free_ctx(c);
	swap_error(f, &forged, &f->t, "swap: the list changed between the two reads: its first 5 entries are not the same bytes");
	tb_free(&forged);
}

/* Fewer entries the second time: that file was not a growing list. */
static void test_second_read_shorter(void **state)
{
	struct fix *f = *state;
	struct tb cut;

	padded_boots(f, 4);
	copy_list(f, &cut, f->t.offs[4]);
	swap_error(f, &f->t, &cut, "swap: the list was 5 entries long, then 4 on the second read");
	tb_free(&cut);
}

/* More: a live list grew; the second pass reads what the first did. */
static void test_second_read_grown(void **state)
{
	struct fix *f = *state;
	struct iv_ctx *c;
	struct tb more;

	padded_boots(f, 2);
	tb_ng(&f->t, "/late");
	copy_list(f, &more, f->t.len);
	tb_ng(&more, "/later");
	c = verify_swap(f, &f->t, &more);
	assert_int_equal(c->status, IV_VERIFIED);
	assert_int_equal(c->replay.entries, 4);
	assert_int_equal(c->replay.covered, 3);
	assert_int_equal(c->replay.p[IV_ALG_SHA256][10].scheme,
			 IV_SCHEME_PADDED);
	free_ctx(c);
	tb_free(&more);
}

/* evmctl --pcrs format and the sysfs directory give the same values. */
static void test_pcr_inputs(void **state)
{
	struct fix *f = *state;
	char dir[] = "/tmp/iv-test-XXXXXX", path[256];
	struct iv_pcrs a = { 0 }, b = { 0 };
	struct iv_err err;

	tb_scenario_multiboot(&f->t);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "sha256,%s/p", dir);
	assert_int_equal(tb_write_pcrs(&f->t, IV_ALG_SHA256, false, path + 7), 0);
	assert_int_equal(iv_pcrs_read_file(&a, path, &err), 0);
	assert_int_equal(tb_write_tpm_dir(&f->t, dir, false), 0);
	if (iv_pcrs_read_tpm_dir(&b, dir, &err))
		fail_msg("%s", err.msg);
	assert_true(b.bank[IV_ALG_SHA1].present);
	assert_memory_equal(a.bank[IV_ALG_SHA256].val, b.bank[IV_ALG_SHA256].val,
			    sizeof(a.bank[0].val));
	/* Same value twice is fine, a different one is not. */
	assert_int_equal(iv_pcrs_read_file(&b, path, &err), 0);
	b.bank[IV_ALG_SHA256].val[3][0] ^= 1;
	assert_int_equal(iv_pcrs_read_file(&b, path, &err), -1);
	assert_contains(err.msg, "PCR-03 differs");
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
}

/* A TPM whose sha256 PCR 10 moves on each reading until @settle. */
struct moving_tpm {
	unsigned int settle;
	unsigned int reads;
};

static int read_moving(struct iv_pcrs *out, void *arg, struct iv_err *err)
{
	struct moving_tpm *m = arg;
	uint8_t val[32] = { 0 };

	val[31] = (uint8_t)(m->reads < m->settle ? m->reads : m->settle);
	m->reads++;
	return iv_pcrs_set(out, IV_ALG_SHA256, 10, val, "moving", err);
}

/*
 * --tpm-dir on a live system: every bank read again until two readings
 * agree; values that keep moving are an input error, not a verdict.
 */
static void test_pcr_tpm_dir_moving(void **state)
{
	struct moving_tpm m = { .settle = 1 };
	struct iv_err err = { 0 };
	struct iv_pcrs p = { 0 };

	(void)state;
	/* Readings 0, 1, 1: the second and third agree. */
	if (iv_pcrs_read_stable(&p, read_moving, &m, "tpm", &err))
		fail_msg("%s", err.msg);
	assert_int_equal(m.reads, 3);
	assert_true(p.bank[IV_ALG_SHA256].set[10]);
	assert_int_equal(p.bank[IV_ALG_SHA256].val[10][31], 1);
	/* A stable TPM is read twice. */
	memset(&p, 0, sizeof(p));
	m.settle = 0;
	m.reads = 0;
	assert_int_equal(iv_pcrs_read_stable(&p, read_moving, &m, "tpm", &err), 0);
	assert_int_equal(m.reads, 2);
	/* Values that move at every reading. */
	memset(&p, 0, sizeof(p));
	m.settle = 100;
	m.reads = 0;
	assert_int_equal(iv_pcrs_read_stable(&p, read_moving, &m, "tpm", &err), -1);
	assert_int_equal(m.reads, IV_TPM_DIR_READS);
	assert_string_equal(err.msg, "tpm: the PCR values changed between each of 5 readings of all banks; no consistent reading");
	assert_false(p.bank[IV_ALG_SHA256].present);
}

static void test_pcr_values_format(void **state)
{
	struct iv_pcrs p = { 0 };
	struct iv_err err;
	const char *good = "# comment\nPCR-10: 000102030405060708090a0b0c0d0e0f10111213\r\n\n";
	const char *bad_hex = "PCR-10: 0001\n";
	const char *bad_idx = "PCR-24: 000102030405060708090a0b0c0d0e0f10111213\n";
	const char *junk = "hello\n";

	(void)state;
	assert_int_equal(iv_pcrs_read_values(&p, IV_ALG_SHA1, good,
					     strlen(good), "t", &err), 0);
	assert_true(p.bank[IV_ALG_SHA1].set[10]);
	assert_int_equal(p.bank[IV_ALG_SHA1].val[10][19], 0x13);
	assert_int_equal(iv_pcrs_read_values(&p, IV_ALG_SHA1, bad_hex,
					     strlen(bad_hex), "t", &err), -1);
	assert_contains(err.msg, "t:1: PCR-10 is not 20 bytes of hex");
	assert_int_equal(iv_pcrs_read_values(&p, IV_ALG_SHA1, bad_idx,
					     strlen(bad_idx), "t", &err), -1);
	assert_contains(err.msg, "out of range");
	assert_int_equal(iv_pcrs_read_values(&p, IV_ALG_SHA1, junk,
					     strlen(junk), "t", &err), -1);
	assert_int_equal(iv_pcrs_read_values(&p, IV_ALG_SHA1, "", 0, "t", &err),
			 -1);
	assert_int_equal(iv_pcrs_read_file(&p, "md5,/dev/null", &err), -1);
	assert_contains(err.msg, "unsupported bank");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_all_banks_hash_scheme, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_endian_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_endian_first_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_byte_order_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_padded_scheme, setup, teardown),
		cmocka_unit_test_setup_teardown(test_violation_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_bank_wrong, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_template_digest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_longer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_longer_padded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefix_two_pcrs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefix_pcr_later, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_pcr_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_pcrs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_banks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replay_reinit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_read_changed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_read_shorter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_read_grown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pcr_inputs, setup, teardown),
		cmocka_unit_test(test_pcr_tpm_dir_moving),
		cmocka_unit_test(test_pcr_values_format),
	};

	return cmocka_run_group_tests_name("replay", tests, NULL, NULL);
}
