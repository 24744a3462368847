// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parser tests: every template from hand-built bytes, digests computed
 * here with OpenSSL, and malformed input rejected with entry and offset.
 */
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>

#include "builder.h"
#include "testutil.h"

static void parse_ok(struct iv_list *l, const struct tb *t)
{
	struct iv_err err = { 0 };

	memset(l, 0, sizeof(*l));
	if (iv_list_parse(l, t->p, t->len, &err))
		fail_msg("parse failed: %s", err.msg);
}

/* Parse and expect an error containing @want. */
static void parse_bad(const uint8_t *p, size_t len, const char *want)
{
	struct iv_err err = { 0 };
	struct iv_list l = { 0 };

	assert_int_equal(iv_list_parse(&l, p, len, &err), -1);
	assert_contains(err.msg, want);
	iv_list_free(&l);
}

static void check_template_digest(const struct iv_entry *e)
{
	uint8_t d[20];

	tb_digest("sha1", e->data, e->data_len, d, NULL);
	assert_memory_equal(d, e->digest, 20);
}

static void test_ima_ng(void **state)
{
	uint8_t want[32];
	struct iv_list l;
	struct tb t;

	(void)state;
	tb_init(&t);
	tb_ng(&t, "boot_aggregate");
	tb_ng(&t, "/usr/bin/bash");
	parse_ok(&l, &t);
	assert_int_equal(l.count, 2);
	assert_int_equal(l.e[1].tpl, IV_TPL_IMA_NG);
	assert_int_equal(l.e[1].pcr, 10);
	assert_int_equal(l.e[1].offset, t.offs[1]);
	assert_int_equal(l.e[1].nfields, 2);
	assert_string_equal(l.e[1].algo, "sha256");
	tb_digest("sha256", "/usr/bin/bash", 13, want, NULL);
	assert_int_equal(l.e[1].fdigest_len, 32);
	assert_memory_equal(l.e[1].fdigest, want, 32);
	assert_true(iv_entry_name_is(&l.e[1], "/usr/bin/bash"));
	assert_true(iv_entry_is_boot_aggregate(&l.e[0]));
	assert_false(iv_entry_is_boot_aggregate(&l.e[1]));
	check_template_digest(&l.e[0]);
	check_template_digest(&l.e[1]);
	iv_list_free(&l);
	tb_free(&t);
}

/* d-ng keeps the "sha1:\0" prefix for SHA-1 too (verifiers.md 0.3). */
static void test_ima_ng_sha1_prefix(void **state)
{
	struct iv_list l;
	struct tb t;

	(void)state;
	tb_init(&t);
	tb_ng_alg(&t, "sha1", "/etc/passwd");
	parse_ok(&l, &t);
	assert_string_equal(l.e[0].algo, "sha1");
	assert_int_equal(l.e[0].fdigest_len, 20);
	assert_int_equal(l.e[0].fields[0].len, 5 + 1 + 20);
	assert_memory_equal(l.e[0].fields[0].p, "sha1:\0", 6);
	check_template_digest(&l.e[0]);
	iv_list_free(&l);
	tb_free(&t);
}

static void test_ima_sig(void **state)
{
	static const uint8_t sig[] = { 0x03, 0x02, 0x04, 1, 2, 3, 4, 0, 2,
				       0xaa, 0xbb };
	struct iv_list l;
	struct tb t;

	(void)state;
	tb_init(&t);
	tb_sig(&t, "/usr/bin/signed", sig, sizeof(sig));
	tb_sig(&t, "/usr/bin/unsigned", NULL, 0);
	parse_ok(&l, &t);
	assert_int_equal(l.e[0].tpl, IV_TPL_IMA_SIG);
	assert_int_equal(l.e[0].nfields, 3);
	assert_int_equal(l.e[0].fields[2].len, sizeof(sig));
	assert_memory_equal(l.e[0].fields[2].p, sig, sizeof(sig));
	/* An empty signature is still a field: u32 0 (keylime ast.py). */
	assert_int_equal(l.e[1].nfields, 3);
	assert_int_equal(l.e[1].fields[2].len, 0);
	check_template_digest(&l.e[0]);
	check_template_digest(&l.e[1]);
	iv_list_free(&l);
	tb_free(&t);
}

static void test_ima_modsig(void **state)
{
	struct iv_list l;
	struct tb t;

	(void)state;
	tb_init(&t);
	tb_modsig(&t, "/lib/modules/foo.ko");
	parse_ok(&l, &t);
	assert_int_equal(l.e[0].tpl, IV_TPL_IMA_MODSIG);
	assert_int_equal(l.e[0].nfields, 5);
	assert_int_equal(l.e[0].fields[2].len, 0);
	assert_int_equal(l.e[0].fields[4].len, 5);
	assert_true(iv_entry_name_is(&l.e[0], "/lib/modules/foo.ko"));
	check_template_digest(&l.e[0]);
	iv_list_free(&l);
	tb_free(&t);
}

static void test_ima_buf(void **state)
{
	const char *payload = "kexec_segment_size=8192;ima_binary_runtime_size=5432;ima_runtime_measurements_count=12;";
	uint8_t want[32];
	struct iv_list l;
	struct tb t;

	(void)state;
	tb_init(&t);
	tb_buf(&t, "kexec_load", payload);
	parse_ok(&l, &t);
	assert_int_equal(l.e[0].tpl, IV_TPL_IMA_BUF);
	assert_true(l.e[0].has_buf);
	assert_int_equal(l.e[0].buf_len, strlen(payload));
	assert_memory_equal(l.e[0].buf, payload, strlen(payload));
	tb_digest("sha256", payload, strlen(payload), want, NULL);
	assert_memory_equal(l.e[0].fdigest, want, 32);
	assert_false(iv_entry_is_boot_aggregate(&l.e[0]));
	check_template_digest(&l.e[0]);
	iv_list_free(&l);
	tb_free(&t);
}

/* Legacy "ima": the hashed data is digest || name padded to 256. */
static void test_ima_legacy(void **state)
{
	uint8_t want[IV_IMA_DATA_LEN] = { 0 };
	struct iv_list l;
	struct tb t;

	(void)state;
	tb_init(&t);
	tb_record_ima(&t, "boot_aggregate", false);
	tb_record_ima(&t, "/init", false);
	tb_record_ima(&t, "/tmp/open-writer", true);
	parse_ok(&l, &t);
	assert_int_equal(l.count, 3);
	assert_int_equal(l.e[1].tpl, IV_TPL_IMA);
	assert_int_equal(l.e[1].data_len, IV_IMA_DATA_LEN);
	tb_digest("sha1", "/init", 5, want, NULL);
	memcpy(want + 20, "/init", 5);
	assert_memory_equal(l.e[1].data, want, sizeof(want));
	assert_true(iv_entry_is_boot_aggregate(&l.e[0]));
	assert_int_equal(l.e[1].offset, t.offs[1]);
	assert_int_equal(l.e[2].offset, t.offs[2]);
	check_template_digest(&l.e[1]);
	assert_true(l.e[2].violation);
	iv_list_free(&l);
	tb_free(&t);
}

/* An unknown template is kept, with its bytes, for replay. */
static void test_unknown_template(void **state)
{
	struct iv_list l;
	struct tb t, d;

	(void)state;
	tb_init(&t);
	tb_init(&d);
	tb_dng(&d, "sha256", "x", 1);
	tb_nng(&d, "/x");
	tb_field(&d, "extra", 5);
	tb_record(&t, 10, "my-template", &d, false);
	tb_free(&d);
	tb_init(&d);
	tb_put(&d, "\xff\xff\xff\xff", 4);	/* not fields at all */
	tb_record(&t, 10, "opaque", &d, false);
	parse_ok(&l, &t);
	assert_int_equal(l.e[0].tpl, IV_TPL_OTHER);
	assert_int_equal(l.e[0].nfields, 3);
	assert_int_equal(l.e[1].nfields, 0);
	assert_int_equal(l.e[1].data_len, 4);
	iv_list_free(&l);
	tb_free(&d);
	tb_free(&t);
}

static void test_mixed_templates(void **state)
{
	struct iv_list l;
	struct tb t;
	size_t i;

	(void)state;
	tb_init(&t);
	tb_scenario_multiboot(&t);
	tb_record_ima(&t, "/legacy-after-kexec", false);
	parse_ok(&l, &t);
	assert_int_equal(l.count, t.count);
	for (i = 0; i < l.count; i++) {
		assert_int_equal(l.e[i].offset, t.offs[i]);
		assert_int_equal(l.e[i].size, t.offs[i + 1] - t.offs[i]);
		if (!l.e[i].violation)
			check_template_digest(&l.e[i]);
	}
	iv_list_free(&l);
	tb_free(&t);
}

/* Header of a record whose template data length is @dlen. */
static void raw_header(struct tb *t, uint32_t pcr, const char *tname,
		       uint32_t dlen)
{
	static const uint8_t digest[20] = { 1, 2, 3 };

	tb_u32(t, pcr);
	tb_put(t, digest, 20);
	tb_u32(t, (uint32_t)strlen(tname));
	tb_put(t, tname, strlen(tname));
	tb_u32(t, dlen);
}

static void test_zero_length_data(void **state)
{
	char want[64];
	struct tb t;

	(void)state;
	tb_init(&t);
	tb_ng(&t, "boot_aggregate");
	snprintf(want, sizeof(want), "entry 1 at byte offset %zu: zero-length",
		 t.len);
	raw_header(&t, 10, "ima-ng", 0);
	parse_bad(t.p, t.len, want);
	tb_free(&t);
}

static void test_oversized_field(void **state)
{
	struct tb t;

	(void)state;
	tb_init(&t);
	raw_header(&t, 10, "ima-ng", 12);
	tb_u32(&t, 2);
	tb_put(&t, "x", 2);
	tb_u32(&t, 1000);	/* n-ng claims 1000 bytes, 2 are left */
	tb_put(&t, "y", 2);
	parse_bad(t.p, t.len, "entry 0 at byte offset 0: field 2 at offset 44: length 1000 exceeds");
	tb_free(&t);
}

static void test_oversized_data(void **state)
{
	struct tb t;

	(void)state;
	tb_init(&t);
	raw_header(&t, 10, "ima-ng", IV_TEMPLATE_DATA_MAX + 1);
	tb_put(&t, "xxxx", 4);
	parse_bad(t.p, t.len, "exceeds the 1048576 byte limit");
	tb_free(&t);
}

static void test_truncated_header(void **state)
{
	char want[64];
	struct tb t;

	(void)state;
	tb_init(&t);
	tb_ng(&t, "boot_aggregate");
	snprintf(want, sizeof(want), "entry 1 at byte offset %zu: truncated header",
		 t.len);
	tb_put(&t, "\x0a\0\0\0\x01\x02", 6);
	parse_bad(t.p, t.len, want);
	tb_free(&t);
}

static void test_truncated_data(void **state)
{
	struct tb t;

	(void)state;
	tb_init(&t);
	tb_ng(&t, "/a");
	parse_bad(t.p, t.len - 1, "entry 0 at byte offset 0: truncated template data");
	tb_free(&t);
}

static void test_bad_pcr(void **state)
{
	struct tb t;

	(void)state;
	tb_init(&t);
	raw_header(&t, 24, "ima-ng", 4);
	tb_u32(&t, 0);
	parse_bad(t.p, t.len, "PCR index 24 out of range 0-23");
	tb_free(&t);
	/* A big-endian list: PCR 10 reads as 0x0a000000. */
	tb_init(&t);
	raw_header(&t, 0x0a000000, "ima-ng", 4);
	tb_u32(&t, 0);
	parse_bad(t.p, t.len, "byte-swapped");
	tb_free(&t);
}

static void test_bad_template_name(void **state)
{
	struct tb t;

	(void)state;
	tb_init(&t);
	tb_u32(&t, 10);
	tb_put(&t, "01234567890123456789", 20);
	tb_u32(&t, 0);
	parse_bad(t.p, t.len, "template name length 0 not in 1-255");
	t.len -= 4;
	tb_u32(&t, 300);
	parse_bad(t.p, t.len, "template name length 300");
	tb_free(&t);
	tb_init(&t);
	raw_header(&t, 10, "ima\x01ng", 4);
	tb_u32(&t, 0);
	parse_bad(t.p, t.len, "not printable");
	tb_free(&t);
}

static void test_bad_field_count(void **state)
{
	struct tb t, d;

	(void)state;
	tb_init(&t);
	tb_init(&d);
	tb_dng(&d, "sha256", "x", 1);
	tb_nng(&d, "/x");
	tb_field(&d, "extra", 5);
	tb_record(&t, 10, "ima-ng", &d, false);
	parse_bad(t.p, t.len, "template ima-ng needs 2 fields, data holds more than 2");
	tb_free(&t);
	tb_init(&t);
	tb_record(&t, 10, "ima-sig", &d, false);	/* fine: 3 fields */
	tb_free(&d);
	tb_init(&d);
	tb_dng(&d, "sha256", "x", 1);
	tb_record(&t, 10, "ima-buf", &d, false);
	parse_bad(t.p, t.len, "entry 1 at byte offset");
	parse_bad(t.p, t.len, "template ima-buf needs 3 fields, data holds 1");
	tb_free(&d);
	tb_free(&t);
}

static void test_bad_digest_field(void **state)
{
	uint8_t f[8 + 20] = "sha256:";
	struct tb t, d;

	(void)state;
	tb_init(&t);
	tb_init(&d);
	tb_field(&d, f, sizeof(f));	/* sha256 with a 20-byte digest */
	tb_nng(&d, "/x");
	tb_record(&t, 10, "ima-ng", &d, false);
	parse_bad(t.p, t.len, "sha256 file digest is 20 bytes, expected 32");
	tb_free(&d);
	tb_free(&t);
}

static void test_ima_legacy_bad(void **state)
{
	static const uint8_t digest[20] = { 1 };
	struct tb t;

	(void)state;
	tb_init(&t);
	tb_u32(&t, 10);
	tb_put(&t, digest, 20);
	tb_u32(&t, 3);
	tb_put(&t, "ima", 3);
	tb_put(&t, digest, 20);
	tb_u32(&t, 256);
	parse_bad(t.p, t.len, "\"ima\" file name length 256 exceeds 255");
	t.len -= 4;
	tb_u32(&t, 10);
	tb_put(&t, "short", 5);
	parse_bad(t.p, t.len, "truncated \"ima\" file name");
	tb_free(&t);
}

/*
 * The FILE reader takes the caller's stream as it is: already read from
 * (the list starts where it stands, and a rewind goes back there, not
 * to the start of the file) and buffered as the caller set it up, which
 * setvbuf() may not change after I/O.  glibc: __flbf() says whether the
 * stream is line buffered.
 */
static void test_reader_file(void **state)
{
	const struct iv_entry *e;
	struct iv_reader r;
	struct iv_err err;
	struct tb t;
	char head[5];
	size_t n, pass;
	FILE *f;
	int ret;

	(void)state;
	tb_init(&t);
	tb_put(&t, "head:", 5);
	tb_scenario_boot(&t, 2);
	f = fmemopen(t.p, t.len, "rb");
	assert_non_null(f);
	assert_int_equal(setvbuf(f, NULL, _IOLBF, 0), 0);
	assert_int_equal(fread(head, 1, sizeof(head), f), sizeof(head));
	assert_true(__flbf(f));
	iv_reader_file(&r, f);
	assert_true(__flbf(f));
	assert_true(r.seekable);
	for (pass = 0; pass < 2; pass++) {
		n = 0;
		while ((ret = iv_reader_next(&r, &e, &err)) > 0) {
			assert_int_equal(e->offset, t.offs[n] - 5);
			assert_int_equal(e->size, t.offs[n + 1] - t.offs[n]);
			assert_memory_equal(e->raw, t.p + t.offs[n], e->size);
			n++;
		}
		assert_int_equal(ret, 0);
		assert_int_equal(n, 3);
		assert_int_equal(iv_reader_rewind(&r, &err), 0);
	}
	assert_true(__flbf(f));
	iv_reader_close(&r);
	fclose(f);
	tb_free(&t);
}

/* Every prefix and every single-byte change must parse or fail cleanly. */
static void test_no_crash(void **state)
{
	struct iv_err err;
	struct tb t;
	size_t i;

	(void)state;
	tb_init(&t);
	tb_scenario_multiboot(&t);
	tb_record_ima(&t, "/legacy", false);
	tb_modsig(&t, "/m.ko");
	for (i = 0; i <= t.len; i++) {
		struct iv_list l = { 0 };
		int ret = iv_list_parse(&l, t.p, i, &err);
		size_t k;
		bool boundary = false;

		for (k = 0; k <= t.count; k++)
			boundary |= t.offs[k] == i;
		assert_int_equal(ret, boundary ? 0 : -1);
		iv_list_free(&l);
	}
	for (i = 0; i < t.len; i++) {
		struct iv_list l = { 0 };
		uint8_t save = t.p[i];

		t.p[i] ^= 0xa5;
		(void)iv_list_parse(&l, t.p, t.len, &err);
		iv_list_free(&l);
		t.p[i] = save;
	}
	tb_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ima_ng),
		cmocka_unit_test(test_ima_ng_sha1_prefix),
		cmocka_unit_test(test_ima_sig),
		cmocka_unit_test(test_ima_modsig),
		cmocka_unit_test(test_ima_buf),
		cmocka_unit_test(test_ima_legacy),
		cmocka_unit_test(test_unknown_template),
		cmocka_unit_test(test_mixed_templates),
		cmocka_unit_test(test_zero_length_data),
		cmocka_unit_test(test_oversized_field),
		cmocka_unit_test(test_oversized_data),
		cmocka_unit_test(test_truncated_header),
		cmocka_unit_test(test_truncated_data),
		cmocka_unit_test(test_bad_pcr),
		cmocka_unit_test(test_bad_template_name),
		cmocka_unit_test(test_bad_field_count),
		cmocka_unit_test(test_bad_digest_field),
		cmocka_unit_test(test_ima_legacy_bad),
		cmocka_unit_test(test_reader_file),
		cmocka_unit_test(test_no_crash),
	};

	return cmocka_run_group_tests_name("list", tests, NULL, NULL);
}
