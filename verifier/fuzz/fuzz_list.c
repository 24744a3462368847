// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the streaming list reader and everything that
 * consumes its entries (replay with both passes, kexec analysis, the
 * good-list comparison, explanation, both reports), and the in-memory
 * parser beside it.
 * Build: clang -fsanitize=fuzzer,address,undefined (see the Makefile).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "imaverify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Both reports of whatever the run left, errors included. */
static void report(const struct iv_ctx *ctx)
{
	FILE *null = fopen("/dev/null", "w");

	if (!null)
		return;
	iv_report_text(ctx, null);
	iv_report_json(ctx, null);
	fclose(null);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct iv_ctx ctx;	/* large; keep it off the stack */
	struct iv_list l = { 0 };
	struct iv_reader r, g;
	char label[128];
	size_t i;
	int in_memory;

	/* The streaming path of iv_run(), the list also its own good list. */
	iv_ctx_init(&ctx);
	ctx.pcrs.bank[IV_ALG_SHA1].present = true;
	ctx.pcrs.bank[IV_ALG_SHA256].present = true;
	ctx.pcrs.bank[IV_ALG_SHA256].set[10] = true;
	/* Met by no per-bank hash: the zero-padded second pass runs too. */
	ctx.pcrs.bank[IV_ALG_SHA256].val[10][0] = 1;
	iv_reader_mem(&r, data, size);
	iv_reader_mem(&g, data, size);
	iv_verify_list(&ctx, &r, &g, "fuzz");
	if (ctx.status != IV_ERROR && ctx.good_entry >= 0)
		__builtin_trap();
	if (ctx.status != IV_ERROR)
		iv_explain_mismatch(&ctx, &ctx.why);
	report(&ctx);
	/* The in-memory parser must agree with the stream. */
	in_memory = iv_list_parse(&l, data, size, &ctx.err);
	if (!in_memory && ctx.status != IV_ERROR &&
	    l.count != ctx.replay.entries)
		__builtin_trap();
	for (i = 0; i < l.count; i++)
		iv_entry_label(&l.e[i], label, sizeof(label));
	if (!in_memory && iv_good_list_diff(&l, &l, label, sizeof(label)) != -1)
		__builtin_trap();
	iv_list_free(&l);
	iv_reader_close(&r);
	iv_reader_close(&g);
	iv_ctx_free(&ctx);
	return 0;
}
