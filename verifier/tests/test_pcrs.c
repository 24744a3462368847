// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PCR value files: tpm2_pcrread's YAML, what decides between it and
 * evmctl lines, one sysfs value; and the inputs the fuzzers found.
 */
#include <stdlib.h>

#include "builder.h"
#include "testutil.h"

/* tpm2_pcrread sha1:0,1,10+sha256:10 (tpm2-tools 5.4) on swtpm. */
static const char pcrread[] =
	"  sha1:\n"
	"    0 : 0x0000000000000000000000000000000000000000\n"
	"    1 : 0x0000000000000000000000000000000000000000\n"
	"    10: 0x1E3FDF7FBEC4C6991F3D54E91A0EB8F661ACAFF0\n"
	"  sha256:\n"
	"    10: 0xA1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90\n";

static int yaml(struct iv_pcrs *p, const char *text, struct iv_err *err)
{
	memset(p, 0, sizeof(*p));
	memset(err, 0, sizeof(*err));
	return iv_pcrs_read_yaml(p, text, strlen(text), "pcrs.yaml", err);
}

static void test_yaml(void **state)
{
	struct iv_pcrs p;
	struct iv_err err;
	uint8_t v[IV_MAX_DIGEST];

	(void)state;
	if (yaml(&p, pcrread, &err))
		fail_msg("%s", err.msg);
	assert_true(p.bank[IV_ALG_SHA1].present);
	assert_true(p.bank[IV_ALG_SHA1].set[0]);
	assert_true(p.bank[IV_ALG_SHA1].set[1]);
	assert_false(p.bank[IV_ALG_SHA1].set[2]);
	assert_int_equal(iv_unhex("1e3fdf7fbec4c6991f3d54e91a0eb8f661acaff0",
				  40, v, 20), 0);
	assert_memory_equal(p.bank[IV_ALG_SHA1].val[10], v, 20);
	assert_true(p.bank[IV_ALG_SHA256].set[10]);
	assert_false(p.bank[IV_ALG_SHA256].set[0]);
	assert_int_equal(p.bank[IV_ALG_SHA256].val[10][31], 0x90);
	assert_false(p.bank[IV_ALG_SHA384].present);
	/* Any indentation, CRLF, comments; banks tpm2-tools names but no
	 * replay here computes are skipped. */
	if (yaml(&p, "# pcrs\r\nsha256:\r\n  3: 0x"
		 "0000000000000000000000000000000000000000000000000000000000000003\r\n"
		 "sm3_256:\n  3: 0xzz\n", &err))
		fail_msg("%s", err.msg);
	assert_true(p.bank[IV_ALG_SHA256].set[3]);
	assert_int_equal(p.bank[IV_ALG_SHA256].val[3][31], 3);
}

static void test_yaml_errors(void **state)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "sha1:\n  0 : 0x00\n",
		  "pcrs.yaml:2: PCR-00 is not 0x and 20 bytes of hex for sha1" },
		{ "sha1:\n  0 : 0000000000000000000000000000000000000000\n",
		  "pcrs.yaml:2: PCR-00 is not 0x and 20 bytes of hex" },
		{ "  0 : 0x0000000000000000000000000000000000000000\n",
		  "pcrs.yaml:1: PCR value outside a bank" },
		{ "sha1:\nsha256:\n  sha1:\n",
		  "pcrs.yaml:3: bank line indented 2, the first one 0" },
		{ "sha1:\n0 : 0x0000000000000000000000000000000000000000\n",
		  "pcrs.yaml:2: PCR value outside a bank" },
		{ "md5:\n", "pcrs.yaml:1: unsupported bank \"md5\"" },
		{ "sha1:\n  24: 0x0000000000000000000000000000000000000000\n",
		  "pcrs.yaml:2: PCR index 24 out of range" },
		{ "sha1:\n  x : 0x0000000000000000000000000000000000000000\n",
		  "pcrs.yaml:2: bad PCR index" },
		{ "sha1:\n  zero\n",
		  "pcrs.yaml:2: expected \"<bank>:\" or \"<index> : 0x<hex>\"" },
		{ "sha1:\n", "pcrs.yaml: no PCR values found" },
		{ "", "pcrs.yaml: no PCR values found" },
		{ "sha1:\n  1: 0x0000000000000000000000000000000000000000\n"
		  "  1: 0x0000000000000000000000000000000000000001\n",
		  "pcrs.yaml:3: sha1 PCR-01 differs from a value given earlier" },
	};
	struct iv_pcrs p;
	struct iv_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (yaml(&p, bad[i].text, &err) != -1)
			fail_msg("case %zu accepted", i);
		assert_contains(err.msg, bad[i].want);
	}
}

/* --pcrs FILE decides by content; BANK,FILE and yaml,FILE say it. */
static void test_detect(void **state)
{
	static const char evm[] =
		"PCR-10: 1e3fdf7fbec4c6991f3d54e91a0eb8f661acaff0\n";
	struct iv_pcrs p = { 0 };
	struct iv_err err = { 0 };

	(void)state;
	if (iv_pcrs_read_text(&p, NULL, pcrread, strlen(pcrread), "f", &err))
		fail_msg("%s", err.msg);
	assert_true(p.bank[IV_ALG_SHA256].set[10]);
	memset(&p, 0, sizeof(p));
	if (iv_pcrs_read_text(&p, NULL, evm, strlen(evm), "f", &err))
		fail_msg("%s", err.msg);
	assert_true(p.bank[IV_ALG_SHA1].set[10]);
	assert_false(p.bank[IV_ALG_SHA256].present);
	memset(&p, 0, sizeof(p));
	if (iv_pcrs_read_text(&p, "yaml", pcrread, strlen(pcrread), "f", &err))
		fail_msg("%s", err.msg);
	/* The explicit word wins over the content either way. */
	assert_int_equal(iv_pcrs_read_text(&p, "yaml", evm, strlen(evm), "f",
					   &err), -1);
	assert_contains(err.msg, "f:1: PCR value outside a bank");
	assert_int_equal(iv_pcrs_read_text(&p, "sha256", pcrread,
					   strlen(pcrread), "f", &err), -1);
	assert_contains(err.msg, "f: tpm2_pcrread YAML names its banks itself: give --pcrs yaml,f");
	assert_int_equal(iv_pcrs_read_text(&p, "md5", evm, strlen(evm), "f",
					   &err), -1);
	assert_contains(err.msg, "unsupported bank \"md5\"");
}

static void test_sysfs_value(void **state)
{
	static const char v[] = "1E3FDF7FBEC4C6991F3D54E91A0EB8F661ACAFF0\n";
	struct iv_pcrs p = { 0 };
	struct iv_err err = { 0 };

	(void)state;
	assert_int_equal(iv_pcrs_read_sysfs_value(&p, IV_ALG_SHA1, 10, v,
						  strlen(v), "pcr-sha1/10",
						  &err), 0);
	assert_int_equal(p.bank[IV_ALG_SHA1].val[10][0], 0x1e);
	assert_int_equal(iv_pcrs_read_sysfs_value(&p, IV_ALG_SHA256, 10, v,
						  strlen(v), "pcr-sha256/10",
						  &err), -1);
	assert_contains(err.msg, "pcr-sha256/10: not 32 bytes of hex");
	assert_int_equal(iv_pcrs_read_sysfs_value(&p, IV_ALG_SHA1, 24, v,
						  strlen(v), "pcr-sha1/24",
						  &err), -1);
	assert_contains(err.msg, "PCR index 24 out of range");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yaml),
		cmocka_unit_test(test_yaml_errors),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_sysfs_value),
	};

	return cmocka_run_group_tests_name("pcrs", tests, NULL, NULL);
}
