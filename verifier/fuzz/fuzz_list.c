// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the list parser, and everything that consumes a
 * parsed list (replay, kexec analysis, explanation, both reports).
 * Build: clang -fsanitize=fuzzer,address,undefined (see the Makefile).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "imaverify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void consume(struct iv_ctx *ctx)
{
	FILE *null = fopen("/dev/null", "w");
	char label[128];
	size_t i;

	ctx->pcrs.bank[IV_ALG_SHA1].present = true;
	ctx->pcrs.bank[IV_ALG_SHA256].present = true;
	ctx->pcrs.bank[IV_ALG_SHA256].set[10] = true;
	for (i = 0; i < ctx->list.count; i++)
		iv_entry_label(&ctx->list.e[i], label, sizeof(label));
	if (iv_replay_run(&ctx->list, &ctx->pcrs, &ctx->replay, &ctx->err) ||
	    iv_kexec_analyse(&ctx->list, &ctx->kexec, &ctx->err))
		goto out;
	iv_kexec_compare(&ctx->list, &ctx->replay, &ctx->kexec);
	/* The list is also its own "good list": no divergence. */
	if (iv_good_list_diff(&ctx->list, &ctx->list, label, sizeof(label)) != -1)
		__builtin_trap();
	ctx->status = IV_NOT_VERIFIED;
	iv_explain_mismatch(ctx, &ctx->why);
	if (null) {
		iv_report_text(ctx, null);
		iv_report_json(ctx, null);
	}
out:
	if (null)
		fclose(null);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct iv_ctx ctx;	/* large; keep it off the stack */

	iv_ctx_init(&ctx);
	if (!iv_list_parse(&ctx.list, data, size, &ctx.err))
		consume(&ctx);
	iv_ctx_free(&ctx);
	return 0;
}
