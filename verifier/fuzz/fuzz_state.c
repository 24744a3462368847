// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the --state-in file.  Whatever it accepts it must
 * write back as text it reads as the same state, and that text again
 * byte for byte (iv_state_format() of a parsed state is canonical).
 * Build: clang -fsanitize=fuzzer,address,undefined (see the Makefile).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imaverify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *format(const struct iv_state *st, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f || iv_state_format(st, f))
		abort();
	fclose(f);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iv_state a, b;
	struct iv_err err;
	char *t1, *t2;
	size_t n1, n2;

	if (iv_state_parse(&a, (const char *)data, size, &err))
		return 0;
	t1 = format(&a, &n1);
	if (iv_state_parse(&b, t1, n1, &err))
		abort();
	t2 = format(&b, &n2);
	if (n1 != n2 || memcmp(t1, t2, n1) || a.entries != b.entries ||
	    a.offset != b.offset || a.nboot != b.nboot ||
	    memcmp(a.pcr, b.pcr, sizeof(a.pcr)))
		abort();
	free(t1);
	free(t2);
	iv_state_free(&a);
	iv_state_free(&b);
	return 0;
}
