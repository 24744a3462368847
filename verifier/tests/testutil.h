/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the cmocka test programs. */
#ifndef TB_TESTUTIL_H
#define TB_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

/* Print both strings on failure, which assert_non_null(strstr()) won't. */
#define assert_contains(hay, needle)					\
	do {								\
		const char *h_ = (hay), *n_ = (needle);			\
		if (!strstr(h_, n_))					\
			fail_msg("\"%s\" does not contain \"%s\"", h_, n_); \
	} while (0)

#endif /* TB_TESTUTIL_H */
