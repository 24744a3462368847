// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the PCR value files, through what --pcrs and
 * --tpm-dir run.  The input's first line picks the parser as the part
 * of "--pcrs BANK,FILE" before the comma does: empty for "--pcrs FILE"
 * (evmctl or YAML by content), "yaml", a bank name (evmctl lines), or
 * "sysfs-BANK" for one file of a --tpm-dir directory.  The rest is the
 * file's text.  Whatever is read twice must read the same.
 * Build: clang -fsanitize=fuzzer,address,undefined (see the Makefile).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imaverify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct iv_pcrs a, b;
	const uint8_t *nl = memchr(data, '\n', size);
	size_t wlen = nl ? (size_t)(nl - data) : size, tlen;
	const char *text;
	struct iv_err err;
	char word[24];
	int ra, rb, alg;

	if (wlen >= sizeof(word))
		return 0;
	memcpy(word, data, wlen);
	word[wlen] = '\0';
	text = nl ? (const char *)nl + 1 : "";
	tlen = nl ? size - wlen - 1 : 0;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	if (!strncmp(word, "sysfs-", 6)) {
		alg = iv_alg_by_name(word + 6);
		if (alg < 0)
			return 0;
		ra = iv_pcrs_read_sysfs_value(&a, (enum iv_alg)alg,
					      (unsigned int)(tlen % 26), text,
					      tlen, "fuzz", &err);
		rb = iv_pcrs_read_sysfs_value(&b, (enum iv_alg)alg,
					      (unsigned int)(tlen % 26), text,
					      tlen, "fuzz", &err);
	} else {
		ra = iv_pcrs_read_text(&a, wlen ? word : NULL, text, tlen,
				       "fuzz", &err);
		rb = iv_pcrs_read_text(&b, wlen ? word : NULL, text, tlen,
				       "fuzz", &err);
	}
	/* Deterministic, and an error is a message, never silence. */
	if (ra != rb || (ra && !err.msg[0]) || memcmp(&a, &b, sizeof(a)))
		__builtin_trap();
	/* A second reading of the same values into the same set agrees. */
	if (!ra && !wlen &&
	    iv_pcrs_read_text(&a, NULL, text, tlen, "fuzz", &err))
		__builtin_trap();
	return 0;
}
