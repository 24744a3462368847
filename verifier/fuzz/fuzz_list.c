// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the streaming list reader, from a buffer and from a
 * FILE (fmemopen, seekable, so the second pass reads it again), and
 * everything that consumes its entries (replay with both passes, kexec
 * analysis, the good-list comparison, explanation, both reports), and
 * the in-memory parser beside it.
 *
 * The PCR values are those of a prefix of the input's own entries, per
 * bank or zero padded, so that prefixes are found and the paths for
 * entries newer than the PCR values run; or values no prefix meets.
 * The input's last byte varies them further, for the explanations: the
 * sha256 bank at another prefix (banks disagree), the sha1 bank alone,
 * or a PCR the list extends without a value.  The good list is the
 * input itself, the input from its second record on (it diverges), or
 * the input twice (the list is shorter than it), by the byte before.
 * Then the initramfs members of the list against parts made of its own
 * member records, with the path taken from the records and given.
 * Build: clang -fsanitize=fuzzer,address,undefined (see the Makefile).
 */
#define _GNU_SOURCE		/* fmemopen() */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* What the kernel extended bank @alg with for @e (ima_pcr_extend()). */
static void extend_value(const struct iv_entry *e, enum iv_alg alg,
			 bool padded, uint8_t *val)
{
	size_t n = iv_alg_size(alg);

	memset(val, 0, IV_MAX_DIGEST);
	if (e->violation)
		memset(val, 0xff, padded ? IV_SHA1_LEN : n);
	else if (alg == IV_ALG_SHA1 || padded)
		memcpy(val, e->digest, IV_SHA1_LEN);
	else if (iv_hash(alg, e->data, e->data_len, val))
		__builtin_trap();
}

/* The TPM after the first @k entries of @l, in sha1 and sha256. */
static void prefix_pcrs(const struct iv_list *l, size_t k, bool padded,
			struct iv_pcrs *pcrs)
{
	static const enum iv_alg algs[] = { IV_ALG_SHA1, IV_ALG_SHA256 };
	uint8_t val[IV_MAX_DIGEST];
	size_t a, i;
	int p;

	memset(pcrs, 0, sizeof(*pcrs));
	for (a = 0; a < sizeof(algs) / sizeof(algs[0]); a++) {
		struct iv_bank *b = &pcrs->bank[algs[a]];

		b->present = true;
		for (p = 0; p < IV_PCR_COUNT; p++)
			b->set[p] = true;
		for (i = 0; i < k; i++) {
			extend_value(&l->e[i], algs[a], padded, val);
			if (iv_extend(algs[a], b->val[l->e[i].pcr], val))
				__builtin_trap();
		}
	}
}

/*
 * Up to four parts, each the member record of @l (the entries of @data)
 * at its index if it is one, so that some match, and some are held,
 * differ or are missing; judged with the path taken from the records,
 * then with the first one's.
 */
static void parts(const uint8_t *data, size_t size, const struct iv_list *l,
		  unsigned int n)
{
	struct iv_parts ps = { 0 };
	struct iv_member m;
	struct iv_reader r;
	struct iv_err err = { 0 };
	char name[64] = "";
	FILE *null;
	size_t i, plen;
	int a, pass;

	for (pass = 0; pass < 2; pass++) {
		ps.part = calloc(n, sizeof(*ps.part));
		if (!ps.part)
			return;
		ps.nparts = n;
		ps.algs = (1u << IV_ALG_COUNT) - 1;
		for (i = 0; i < l->count && i < n; i++) {
			struct iv_part *p = &ps.part[i];

			p->path = "fuzz-part";
			if (!l->e[i].fname ||
			    !iv_member_name_parse(l->e[i].fname,
						  l->e[i].fname_len, &plen, &m))
				continue;
			if (!name[0] && plen < sizeof(name))
				memcpy(name, l->e[i].fname, plen);
			p->offset = m.offset;
			p->length = m.length;
			for (a = IV_PART_UNKNOWN; a <= IV_PART_XZ; a++)
				if (!strcmp(m.kind, iv_part_kind_name(a)))
					p->kind = (enum iv_part_kind)a;
			a = iv_alg_by_name(iv_entry_file_alg(&l->e[i]));
			if (a >= 0 && l->e[i].fdigest_len == iv_alg_size(a))
				memcpy(p->digest[a], l->e[i].fdigest,
				       l->e[i].fdigest_len);
		}
		iv_reader_mem(&r, data, size);
		if (!iv_parts_judge(&ps, &r, pass && name[0] ? name : NULL,
				    -1, &err)) {
			if (!ps.name || ps.nother)
				__builtin_trap();
			null = fopen("/dev/null", "w");
			if (null) {
				iv_parts_report(&ps, "fuzz", null);
				fclose(null);
			}
		}
		iv_reader_close(&r);
		iv_parts_free(&ps);
	}
}

enum variant {
	SAME_PREFIX,		/* every bank at the prefix of k entries */
	SHA256_ELSEWHERE,	/* sha256 at another prefix */
	SHA1_ONLY,
	PCR_MISSING,		/* no sha256 value for the first entry's PCR */
	VARIANTS,
};

/* The PCR values the variant asks for, after prefix_pcrs(). */
static void vary(const struct iv_list *l, enum variant v,
		 size_t k2, bool padded, struct iv_pcrs *pcrs)
{
	static struct iv_pcrs other;

	switch (v) {
	case SHA256_ELSEWHERE:
		prefix_pcrs(l, k2, padded, &other);
		pcrs->bank[IV_ALG_SHA256] = other.bank[IV_ALG_SHA256];
		break;
	case SHA1_ONLY:
		memset(&pcrs->bank[IV_ALG_SHA256], 0,
		       sizeof(pcrs->bank[IV_ALG_SHA256]));
		break;
	case PCR_MISSING:
		if (l->count)
			pcrs->bank[IV_ALG_SHA256].set[l->e[0].pcr] = false;
		break;
	default:
		break;
	}
}

enum good_list {
	GOOD_SELF,
	GOOD_FROM_SECOND,
	GOOD_TWICE,
	GOOD_LISTS,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct iv_ctx ctx;	/* large; keep it off the stack */
	struct iv_list l = { 0 };
	struct iv_reader r, g;
	unsigned int mode = (unsigned int)(size % 4);
	enum variant v = size ? (enum variant)(data[size - 1] % VARIANTS) :
			 SAME_PREFIX;
	enum good_list gl = size > 1 ?
			    (enum good_list)(data[size - 2] % GOOD_LISTS) :
			    GOOD_SELF;
	const uint8_t *good = data;
	size_t good_len = size;
	uint8_t *twice = NULL;
	char label[128];
	FILE *f = NULL;
	size_t i, k = 0;
	int in_memory;

	/* The in-memory parser first: its entries give the PCR values. */
	iv_ctx_init(&ctx);
	in_memory = iv_list_parse(&l, data, size, &ctx.err);
	if (mode == 3) {
		/* Met by no per-bank hash: the zero-padded second pass too. */
		ctx.pcrs.bank[IV_ALG_SHA1].present = true;
		ctx.pcrs.bank[IV_ALG_SHA256].present = true;
		ctx.pcrs.bank[IV_ALG_SHA256].set[10] = true;
		ctx.pcrs.bank[IV_ALG_SHA256].val[10][0] = 1;
	} else {
		/* Some prefix, the whole list at times; mode 1 zero padded. */
		k = l.count - (size / 4) % (l.count + 1);
		prefix_pcrs(&l, k, mode == 1, &ctx.pcrs);
		vary(&l, v, size ? data[0] % (l.count + 1) : 0, mode == 1,
		     &ctx.pcrs);
	}
	/* Odd sizes through a FILE. */
	if (size % 2 && size)
		f = fmemopen((void *)data, size, "rb");
	if (f)
		iv_reader_file(&r, f);
	else
		iv_reader_mem(&r, data, size);
	if (gl == GOOD_FROM_SECOND && l.count) {
		good += l.e[0].size;
		good_len -= l.e[0].size;
	} else if (gl == GOOD_TWICE && (twice = malloc(2 * size))) {
		memcpy(twice, data, size);
		memcpy(twice + size, data, size);
		good = twice;
		good_len = 2 * size;
	}
	iv_reader_mem(&g, good, good_len);
	iv_verify_list(&ctx, &r, &g, "fuzz");
	if (gl == GOOD_SELF && ctx.status != IV_ERROR && ctx.good_entry >= 0)
		__builtin_trap();
	/* The list is the first half of the good list: it ends first. */
	if (twice && !in_memory && ctx.status != IV_ERROR &&
	    ctx.good_entry != (long)l.count)
		__builtin_trap();
	/*
	 * Hash chains do not return to a value: the values of k entries
	 * are met after entry k - 1 and nowhere else, in every bank.
	 */
	if (mode != 3 && (v == SAME_PREFIX || v == SHA1_ONLY) &&
	    ctx.status != IV_ERROR && ctx.replay.prefix_at != (long)k - 1)
		__builtin_trap();
	if ((v == SAME_PREFIX || v == SHA1_ONLY) && ctx.replay.all_match &&
	    ctx.replay.covered != k)
		__builtin_trap();
	if (ctx.status != IV_ERROR)
		iv_explain_mismatch(&ctx, &ctx.why);
	report(&ctx);
	/* The in-memory parser must agree with the stream. */
	if (!in_memory && ctx.status != IV_ERROR &&
	    l.count != ctx.replay.entries)
		__builtin_trap();
	for (i = 0; i < l.count; i++)
		iv_entry_label(&l.e[i], label, sizeof(label));
	if (!in_memory && iv_good_list_diff(&l, &l, label, sizeof(label)) != -1)
		__builtin_trap();
	if (!in_memory)
		parts(data, size, &l, 1 + (size ? data[0] % 4 : 0));
	iv_list_free(&l);
	iv_reader_close(&r);
	iv_reader_close(&g);
	free(twice);
	if (f)
		fclose(f);
	iv_ctx_free(&ctx);
	return 0;
}
