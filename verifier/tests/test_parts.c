// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Initramfs members (parts.c): the kind of a part by its first bytes
 * that are not zero, the parts placed one after the other, sets the
 * kernel would split otherwise, member names; the policy lines printed,
 * read back by the policy reader and judged on a list built here; and
 * the last load of a list judged against the parts: all match, a part
 * that differs or is missing, a member that is extra, two loads, a load
 * whose unchanged member IMA did not add again, the path taken from the
 * records, and lists the parts cannot be judged against.
 */
#define _GNU_SOURCE		/* open_memstream() */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "builder.h"
#include "testutil.h"

#define INITRD		"/boot/initrd.img"
#define NPARTS		3
#define ALL_ALGS	((1u << IV_ALG_COUNT) - 1)

struct fix {
	char dir[64];
	char path[8][128];
	const char *paths[8];
	/* The parts' bytes, for the records a kernel would write of them. */
	uint8_t *data[8];
	size_t len[8];
	struct iv_parts ps;
	struct iv_err err;
	struct tb l;
	char *out;
	size_t out_len;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/iv-parts-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	tb_init(&f->l);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	char cmd[128];
	size_t i;

	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd))
		return -1;
	for (i = 0; i < 8; i++)
		free(f->data[i]);
	iv_parts_free(&f->ps);
	tb_free(&f->l);
	free(f->out);
	free(f);
	return 0;
}

/*
 * Part @i: @zeros zero bytes, @magic, then @len bytes in all of a pattern
 * of @seed (a different part for a different seed).
 */
static void part(struct fix *f, size_t i, size_t zeros, const char *magic,
		 size_t mlen, size_t len, uint8_t seed)
{
	char path[sizeof(f->path[0])];
	size_t k;

	assert_true(zeros + mlen <= len);
	free(f->data[i]);
	f->data[i] = calloc(1, len ? len : 1);
	assert_non_null(f->data[i]);
	memcpy(f->data[i] + zeros, magic, mlen);
	for (k = zeros + mlen; k < len; k++)
		f->data[i][k] = (uint8_t)(seed + k * 7 + (k >> 8));
	f->len[i] = len;
	assert_true(i < 8);
	snprintf(path, sizeof(path), "%s/part%zu", f->dir, i);
	strcpy(f->path[i], path);
	f->paths[i] = f->path[i];
	assert_int_equal(tb_write_file(f->path[i], f->data[i], len), 0);
}

#define CPIO	"070701", 6
#define GZIP	"\x1f\x8b\x08", 3
#define ZSTD	"\x28\xb5\x2f\xfd", 4
#define XZ	"\xfd" "7zXZ\0", 6

/* The rig's three: a microcode cpio, the userspace in zstd, modules in gzip. */
static void three(struct fix *f, uint8_t seed)
{
	part(f, 0, 0, CPIO, 1536, 1);
	part(f, 1, 0, ZSTD, 40123, seed);
	part(f, 2, 0, GZIP, 2048, 3);
	assert_int_equal(iv_parts_read(&f->ps, f->paths, NPARTS, ALL_ALGS,
				       &f->err), 0);
}

/* Offsets of the parts as built here, from their lengths. */
static size_t offset_of(const struct fix *f, size_t i)
{
	size_t k, off = 0;

	for (k = 0; k < i; k++)
		off += f->len[k];
	return off;
}

/* What the kernel logs for part @i of a load as @kind, in @tname and @algo. */
static void member_as(struct fix *f, size_t i, const char *kind,
		      const char *tname, const char *algo)
{
	char name[256];

	snprintf(name, sizeof(name), INITRD "#%zu:%s@%zu+%zu", i, kind,
		 offset_of(f, i), f->len[i]);
	tb_file(&f->l, tname, algo, f->data[i], f->len[i], name);
}

static void member(struct fix *f, size_t i, const char *kind)
{
	member_as(f, i, kind, "ima-ng", "sha256");
}

/* A boot, then a load of the parts of f as the kernel measures them. */
static void load(struct fix *f)
{
	static const char *const kinds[] = { "cpio", "zstd", "gzip" };
	size_t i;

	for (i = 0; i < NPARTS; i++)
		member(f, i, kinds[i]);
}

/* Judge f->ps against f->l; the report in f->out. */
static int judge(struct fix *f, const char *name, int hash)
{
	struct iv_reader r;
	FILE *m;
	int ret;

	iv_reader_mem(&r, f->l.p, f->l.len);
	ret = iv_parts_judge(&f->ps, &r, name, hash, &f->err);
	iv_reader_close(&r);
	if (ret)
		return -1;
	free(f->out);
	f->out = NULL;
	m = open_memstream(&f->out, &f->out_len);
	assert_non_null(m);
	iv_parts_report(&f->ps, "list.bin", m);
	assert_int_equal(fclose(m), 0);
	return iv_parts_status(&f->ps);
}

static void hex_of(const void *p, size_t len, char *hex)
{
	uint8_t d[IV_MAX_DIGEST];

	tb_digest("sha256", p, len, d, NULL);
	iv_hex(d, 32, hex);
}

static void test_kind_of(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
		enum iv_part_kind kind;
	} cases[] = {
		{ "070701", 6, IV_PART_CPIO },
		{ "070702", 6, IV_PART_CPIO },
		{ "070707", 6, IV_PART_UNKNOWN },	/* odc */
		{ "07070", 5, IV_PART_UNKNOWN },
		{ "\x1f\x8b", 2, IV_PART_GZIP },
		{ "\x1f\x9e", 2, IV_PART_UNKNOWN },
		{ "\x1f", 1, IV_PART_UNKNOWN },
		{ "\x28\xb5\x2f\xfd", 4, IV_PART_ZSTD },
		{ "\x28\xb5\x2f", 3, IV_PART_UNKNOWN },
		{ "\xfd" "7zXZ\0", 6, IV_PART_XZ },
		{ "\xfd" "7zXZ", 5, IV_PART_UNKNOWN },
		{ "BZh9", 4, IV_PART_UNKNOWN },
		{ "", 0, IV_PART_UNKNOWN },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (iv_part_kind_of((const uint8_t *)cases[i].bytes,
				    cases[i].len) != cases[i].kind)
			fail_msg("case %zu: kind %s", i,
				 iv_part_kind_name(iv_part_kind_of((const uint8_t *)cases[i].bytes,
								   cases[i].len)));
	assert_string_equal(iv_part_kind_name(IV_PART_XZ), "xz");
	assert_string_equal(iv_part_kind_name(IV_PART_UNKNOWN), "unknown");
}

/* The kind from a file: after leading zeros, across a block's end, or none. */
static void test_kind_of_file(void **state)
{
	struct fix *f = *state;
	struct iv_part p;
	char hex[65], want[65];

	part(f, 0, 1000, GZIP, 5000, 1);
	assert_int_equal(iv_part_read(&p, f->path[0], 1u << IV_ALG_SHA256,
				      &f->err), 0);
	assert_int_equal(p.kind, IV_PART_GZIP);
	assert_true(p.zero_start);
	assert_int_equal(p.length, 5000);
	iv_hex(p.digest[IV_ALG_SHA256], 32, hex);
	hex_of(f->data[0], f->len[0], want);
	assert_string_equal(hex, want);
	/* The magic's first bytes end the first 64 KiB block. */
	part(f, 1, 65536 - 3, CPIO, 70000, 2);
	assert_int_equal(iv_part_read(&p, f->path[1], 1u << IV_ALG_SHA256,
				      &f->err), 0);
	assert_int_equal(p.kind, IV_PART_CPIO);
	part(f, 2, 65536 - 2, XZ, 70000, 2);
	assert_int_equal(iv_part_read(&p, f->path[2], 1u << IV_ALG_SHA256,
				      &f->err), 0);
	assert_int_equal(p.kind, IV_PART_XZ);
	/* All zeros, and bytes of no kind. */
	part(f, 3, 0, "", 0, 70000, 0);
	memset(f->data[3], 0, f->len[3]);
	assert_int_equal(tb_write_file(f->path[3], f->data[3], f->len[3]), 0);
	assert_int_equal(iv_part_read(&p, f->path[3], 1u << IV_ALG_SHA256,
				      &f->err), 0);
	assert_int_equal(p.kind, IV_PART_UNKNOWN);
	assert_true(p.zero_start);
	part(f, 4, 0, "BZh9", 4, 100, 5);
	assert_int_equal(iv_part_read(&p, f->path[4], 1u << IV_ALG_SHA256,
				      &f->err), 0);
	assert_int_equal(p.kind, IV_PART_UNKNOWN);
	assert_false(p.zero_start);
	part(f, 5, 0, ZSTD, 10, 5);
	assert_int_equal(iv_part_read(&p, f->path[5], 1u << IV_ALG_SHA256,
				      &f->err), 0);
	assert_int_equal(p.kind, IV_PART_ZSTD);
}

/* Each part starts where the one before ends; digests in every algorithm. */
static void test_offsets(void **state)
{
	struct fix *f = *state;
	uint8_t d[IV_MAX_DIGEST];
	size_t i;

	part(f, 0, 700, CPIO, 1536, 1);		/* zeros first: the first only */
	part(f, 1, 0, ZSTD, 40123, 2);
	part(f, 2, 0, GZIP, 2048, 3);
	part(f, 3, 0, XZ, 999, 4);
	part(f, 4, 0, "MZ", 2, 77, 5);		/* unknown: the last */
	assert_int_equal(iv_parts_read(&f->ps, f->paths, 5, ALL_ALGS, &f->err), 0);
	assert_int_equal(f->ps.nparts, 5);
	for (i = 0; i < 5; i++) {
		const struct iv_part *p = &f->ps.part[i];

		assert_int_equal(p->offset, offset_of(f, i));
		assert_int_equal(p->length, f->len[i]);
		tb_digest("sha256", f->data[i], f->len[i], d, NULL);
		assert_memory_equal(p->digest[IV_ALG_SHA256], d, 32);
		tb_digest("sha512", f->data[i], f->len[i], d, NULL);
		assert_memory_equal(p->digest[IV_ALG_SHA512], d, 64);
	}
	assert_int_equal(f->ps.part[3].offset, 1536 + 40123 + 2048);
	assert_int_equal(f->ps.part[0].kind, IV_PART_CPIO);
	assert_int_equal(f->ps.part[3].kind, IV_PART_XZ);
	assert_int_equal(f->ps.part[4].kind, IV_PART_UNKNOWN);
}

static void read_fails(struct fix *f, size_t n, const char *why)
{
	iv_parts_free(&f->ps);
	assert_int_equal(iv_parts_read(&f->ps, f->paths, n, ALL_ALGS, &f->err),
			 -1);
	assert_contains(f->err.msg, why);
}

/* Sets the kernel would not split into these members; unreadable parts. */
static void test_read_errors(void **state)
{
	struct fix *f = *state;
	char want[256];

	part(f, 0, 0, CPIO, 512, 1);
	part(f, 1, 0, "", 0, 0, 0);
	read_fails(f, 2, "part1: empty: a member has at least one byte");
	part(f, 1, 3, GZIP, 100, 2);
	read_fails(f, 2, "part1 starts with a zero byte: the kernel counts zeros after a member to that member, so part 1 would not start at byte 512");
	part(f, 1, 0, "", 0, 512, 0);
	memset(f->data[1], 0, 512);
	assert_int_equal(tb_write_file(f->path[1], f->data[1], 512), 0);
	read_fails(f, 2, "part1 starts with a zero byte");
	/* All zeros first: its kind would be the next part's. */
	part(f, 2, 0, CPIO, 512, 3);
	f->paths[0] = f->path[1];
	f->paths[1] = f->path[2];
	read_fails(f, 2, "part1 is not a cpio, gzip, zstd or xz stream (or is all zeros)");
	part(f, 0, 0, "MZ", 2, 100, 1);
	f->paths[0] = f->path[0];
	read_fails(f, 2, "part0 is not a cpio, gzip, zstd or xz stream (or is all zeros): the kernel measures such a member and all after it as one, so it can only be the last part");
	snprintf(want, sizeof(want), "%s/none: No such file or directory",
		 f->dir);
	strcpy(f->path[1], want);
	*strrchr(f->path[1], ':') = '\0';
	f->paths[1] = f->path[1];
	part(f, 0, 0, CPIO, 512, 1);
	read_fails(f, 2, want);
	f->paths[1] = f->dir;
	read_fails(f, 2, "Is a directory");
	read_fails(f, 0, "no parts given");
	read_fails(f, IV_PARTS_MAX + 1, "4097 parts: at most 4096");
}

static void test_name_parse(void **state)
{
	static const char *const bad[] = {
		"/boot/initrd.img", "#0:cpio@0+1", "/b#:cpio@0+1",
		"/b#0cpio@0+1", "/b#0:@0+1", "/b#0:CPIO@0+1", "/b#0:cpio0+1",
		"/b#0:cpio@+1", "/b#0:cpio@0+", "/b#0:cpio@0+1x",
		"/b#0:cpio@0+1 ", "/b#00:cpio@0+1", "/b#0:cpio@01+1",
		"/b#0:cpio@0+18446744073709551616", "/b#0:cpio@0-1",
		"/b#0:abcdefghijklmnop@0+1", "/b#0:cpio@0+1#",
	};
	struct iv_member m;
	size_t plen, i;
	const char *n = "/boot/a#b:c@d+e.img#12:zstd-bad@1536+18446744073709551615";

	(void)state;
	assert_true(iv_member_name_parse(n, strlen(n), &plen, &m));
	assert_int_equal(plen, strlen("/boot/a#b:c@d+e.img"));
	assert_int_equal(m.index, 12);
	assert_string_equal(m.kind, "zstd-bad");
	assert_int_equal(m.offset, 1536);
	assert_true(m.length == UINT64_MAX);
	n = "/b#0:abcdefghijklmno@0+1";
	assert_true(iv_member_name_parse(n, strlen(n), &plen, &m));
	n = "/b#31:unscanned@9000+1";
	assert_true(iv_member_name_parse(n, strlen(n), &plen, &m));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (iv_member_name_parse(bad[i], strlen(bad[i]), &plen, &m))
			fail_msg("'%s' parsed as a member name", bad[i]);
}

/* @pol on f->l, entry by entry as the replay's pass gives them; no PCRs. */
static void judge_policy(struct fix *f, struct iv_policy *pol)
{
	const struct iv_entry *e;
	struct iv_pcrs none = { 0 };
	struct iv_reader r;
	int ret;

	iv_policy_begin(pol, &none);
	iv_reader_mem(&r, f->l.p, f->l.len);
	while ((ret = iv_reader_next(&r, &e, &f->err)) > 0)
		assert_int_equal(iv_policy_entry(pol, e, &f->err), 0);
	assert_int_equal(ret, 0);
	iv_policy_finish(pol, f->l.count);
	iv_reader_close(&r);
}

/*
 * The printed lines, read back by the policy reader, allow exactly the
 * records the kernel writes of these parts.
 */
static void test_fragment_policy(void **state)
{
	struct fix *f = *state;
	char want[1024], hex[65];
	struct iv_policy *pol;
	FILE *m;

	three(f, 2);
	m = open_memstream(&f->out, &f->out_len);
	assert_non_null(m);
	assert_int_equal(iv_parts_fragment(&f->ps, INITRD, IV_ALG_SHA256, m,
					   &f->err), 0);
	assert_int_equal(fclose(m), 0);
	hex_of(f->data[1], f->len[1], hex);
	snprintf(want, sizeof(want), "digest sha256:%s " INITRD "#1:zstd@1536+40123\n",
		 hex);
	assert_contains(f->out, want);
	hex_of(f->data[2], f->len[2], hex);
	snprintf(want, sizeof(want), "\ndigest sha256:%s " INITRD "#2:gzip@41659+2048\n",
		 hex);
	assert_contains(f->out, want);
	assert_int_equal(strncmp(f->out, "digest sha256:", 14), 0);
	assert_contains(f->out, " " INITRD "#0:cpio@0+1536\n");

	pol = iv_policy_parse((const uint8_t *)f->out, f->out_len, "frag", NULL,
			      &f->err);
	assert_non_null(pol);
	assert_int_equal(pol->ndigest, 3);
	tb_ng(&f->l, "boot_aggregate");
	load(f);
	judge_policy(f, pol);
	assert_int_equal(pol->verdict, IV_POLICY_PASS);
	/* Another userspace part: its record is a violation, the rest pass. */
	tb_free(&f->l);
	tb_init(&f->l);
	part(f, 1, 0, ZSTD, 40123, 9);
	load(f);
	judge_policy(f, pol);
	assert_int_equal(pol->verdict, IV_POLICY_FAIL);
	assert_int_equal(pol->nv, 1);
	assert_string_equal(pol->v[0].path, INITRD "#1:zstd@1536+40123");
	assert_contains(pol->v[0].reason, "not allowed for this path");
	iv_policy_free(pol);
	/* A path of two lines would not be one policy line. */
	free(f->out);
	m = open_memstream(&f->out, &f->out_len);
	assert_int_equal(iv_parts_fragment(&f->ps, "/a\n/b", IV_ALG_SHA256, m,
					   &f->err), -1);
	fclose(m);
	assert_contains(f->err.msg, "one line");
}

/* Among other records, with the blob of blob+parts: every part matches. */
static void test_all_match(void **state)
{
	struct fix *f = *state;
	char want[1024];

	three(f, 2);
	tb_ng(&f->l, "boot_aggregate");
	tb_ng(&f->l, "/usr/sbin/kexec");
	tb_ng(&f->l, INITRD);
	load(f);
	tb_ng(&f->l, "/usr/bin/after");
	assert_int_equal(judge(f, INITRD, -1), IV_VERIFIED);
	snprintf(want, sizeof(want),
		 "MATCH: " INITRD ": the 3 parts are the members of its last load (load 1 of 1 in list.bin, entries 3-5)\n"
		 "part 0 cpio @0+1536: matches %s\n"
		 "part 1 zstd @1536+40123: matches %s\n"
		 "part 2 gzip @41659+2048: matches %s\n",
		 f->path[0], f->path[1], f->path[2]);
	assert_string_equal(f->out, want);
	assert_int_equal(f->ps.part[1].verdict, IV_PART_MATCH);
	assert_int_equal(f->ps.part[1].alg, IV_ALG_SHA256);
}

static void test_one_differs(void **state)
{
	struct fix *f = *state;
	char want[512], list_hex[65], part_hex[65];

	three(f, 2);
	hex_of(f->data[1], f->len[1], part_hex);
	part(f, 1, 0, ZSTD, 40123, 9);		/* what the kernel was given */
	hex_of(f->data[1], f->len[1], list_hex);
	load(f);
	assert_int_equal(judge(f, INITRD, -1), IV_NOT_VERIFIED);
	assert_contains(f->out, "NO MATCH: " INITRD ": of 3 parts, 1 differs (load 1 of 1 in list.bin, entries 0-2)\n");
	snprintf(want, sizeof(want), "\npart 1 zstd @1536+40123: differs: list sha256:%s, %s sha256:%s\n",
		 list_hex, f->path[1], part_hex);
	assert_contains(f->out, want);
	assert_int_equal(f->ps.differ, 1);
	assert_int_equal(f->ps.part[0].verdict, IV_PART_MATCH);
	assert_int_equal(f->ps.part[2].verdict, IV_PART_MATCH);
}

/* The kernel could not follow a stream: its kind and length say so. */
static void test_differs_in_place(void **state)
{
	struct fix *f = *state;
	char want[512], hex[65];

	three(f, 2);
	member(f, 0, "cpio");
	member(f, 1, "zstd");
	f->len[2] /= 2;
	member(f, 2, "gzip-bad");
	hex_of(f->data[2], f->len[2], hex);
	assert_int_equal(judge(f, INITRD, -1), IV_NOT_VERIFIED);
	snprintf(want, sizeof(want), "\npart 2 gzip @41659+2048: differs: list gzip-bad@41659+1024 sha256:%s, %s gzip@41659+2048 sha256:",
		 hex, f->path[2]);
	assert_contains(f->out, want);
}

static void test_one_missing(void **state)
{
	struct fix *f = *state;

	three(f, 2);
	member(f, 0, "cpio");
	member(f, 1, "zstd");
	assert_int_equal(judge(f, INITRD, -1), IV_NOT_VERIFIED);
	assert_contains(f->out, "NO MATCH: " INITRD ": of 3 parts, 1 is missing from the list (load 1 of 1 in list.bin, entries 0-1)\n");
	assert_contains(f->out, "\npart 2 gzip @41659+2048: missing from the list\n");
	assert_int_equal(f->ps.missing, 1);
}

static void test_one_extra(void **state)
{
	struct fix *f = *state;

	three(f, 2);
	load(f);
	part(f, 3, 0, XZ, 300, 4);
	member(f, 3, "xz");
	assert_int_equal(judge(f, INITRD, -1), IV_NOT_VERIFIED);
	assert_contains(f->out, "NO MATCH: " INITRD ": 1 member is not in the parts given (load 1 of 1 in list.bin, entries 0-3)\n");
	assert_contains(f->out, "\npart 3 xz @43707+300: not in the parts given (entry 3, sha256:");
	assert_int_equal(f->ps.extra, 1);
	assert_int_equal(f->ps.differ + f->ps.missing, 0);
}

/* Two loads: only the last is judged, whichever of them matches. */
static void test_two_loads(void **state)
{
	struct fix *f = *state;

	three(f, 2);
	load(f);				/* these parts */
	tb_ng(&f->l, "/usr/bin/between");
	part(f, 0, 0, CPIO, 1536, 8);		/* then two others */
	part(f, 1, 0, ZSTD, 40123, 8);
	load(f);
	assert_int_equal(judge(f, INITRD, -1), IV_NOT_VERIFIED);
	assert_contains(f->out, "NO MATCH: " INITRD ": of 3 parts, 2 differ (load 2 of 2 in list.bin, entries 4-6)\n");
	assert_contains(f->out, "\npart 1 zstd @1536+40123: differs: list sha256:");
	assert_int_equal(f->ps.part[2].verdict, IV_PART_MATCH);
	/* The other way round: the old load differs, the last matches. */
	iv_parts_free(&f->ps);
	assert_int_equal(iv_parts_read(&f->ps, f->paths, NPARTS, ALL_ALGS,
				       &f->err), 0);
	assert_int_equal(judge(f, INITRD, -1), IV_VERIFIED);
	assert_contains(f->out, "MATCH: " INITRD ": the 3 parts are the members of its last load (load 2 of 2 in list.bin, entries 4-6)\n");
	/*
	 * A third load, of another microcode: the records of the other two
	 * parts would be the second load's, so they were not added again.
	 */
	part(f, 0, 0, CPIO, 1536, 11);
	member(f, 0, "cpio");
	iv_parts_free(&f->ps);
	assert_int_equal(iv_parts_read(&f->ps, f->paths, NPARTS, ALL_ALGS,
				       &f->err), 0);
	assert_int_equal(judge(f, INITRD, -1), IV_VERIFIED);
	assert_contains(f->out, "(load 3 of 3 in list.bin, entries 7-7)\n");
	assert_int_equal(f->ps.part[1].verdict, IV_PART_HELD);
	assert_int_equal(f->ps.part[1].seen_entry, 5);
	/* A part 2 that no load had is missing. */
	part(f, 2, 0, GZIP, 2048, 12);
	iv_parts_free(&f->ps);
	assert_int_equal(iv_parts_read(&f->ps, f->paths, NPARTS, ALL_ALGS,
				       &f->err), 0);
	assert_int_equal(judge(f, INITRD, -1), IV_NOT_VERIFIED);
	assert_int_equal(f->ps.missing, 1);
	assert_contains(f->out, "\npart 2 gzip @41659+2048: missing from the list\n");
}

/*
 * A reload with the microcode unchanged: its record would be the first
 * load's to the byte, so IMA did not add it, and the load's records
 * start at member 1.  That part matches through the first load's record.
 */
static void test_unchanged_member_held(void **state)
{
	struct fix *f = *state;
	char want[256];

	three(f, 2);
	load(f);
	part(f, 1, 0, ZSTD, 40123, 5);
	member(f, 1, "zstd");
	member(f, 2, "gzip");			/* the same name and digest: */
	tb_truncate(&f->l, f->l.count - 1);	/* not added again either */
	iv_parts_free(&f->ps);
	assert_int_equal(iv_parts_read(&f->ps, f->paths, NPARTS, ALL_ALGS,
				       &f->err), 0);
	assert_int_equal(judge(f, INITRD, -1), IV_VERIFIED);
	assert_int_equal(f->ps.loads, 2);
	assert_int_equal(f->ps.part[0].verdict, IV_PART_HELD);
	assert_int_equal(f->ps.part[1].verdict, IV_PART_MATCH);
	assert_int_equal(f->ps.part[2].verdict, IV_PART_HELD);
	snprintf(want, sizeof(want), "\npart 0 cpio @0+1536: matches %s (entry 0, of an earlier load: IMA adds no record it holds already)\n",
		 f->path[0]);
	assert_contains(f->out, want);
	assert_contains(f->out, "(load 2 of 2 in list.bin, entries 3-3)\n");
	/* The first load's part 1 is no part of the last load. */
	iv_parts_free(&f->ps);
	part(f, 1, 0, ZSTD, 40123, 2);
	assert_int_equal(iv_parts_read(&f->ps, f->paths, NPARTS, ALL_ALGS,
				       &f->err), 0);
	assert_int_equal(judge(f, INITRD, -1), IV_NOT_VERIFIED);
	assert_int_equal(f->ps.part[1].verdict, IV_PART_DIFFERS);
}

/* The path from the records; two paths are for --name to choose. */
static void test_name_from_list(void **state)
{
	struct fix *f = *state;
	char name[64];
	int i;

	three(f, 2);
	load(f);
	assert_int_equal(judge(f, NULL, -1), IV_VERIFIED);
	assert_string_equal(f->ps.name, INITRD);
	assert_int_equal(strncmp(f->out, "MATCH: " INITRD ": ", 25), 0);
	tb_ng(&f->l, "/boot/other.img#0:gzip@0+99");
	tb_ng(&f->l, "/boot/other.img#1:gzip@99+99");
	iv_parts_free(&f->ps);
	assert_int_equal(iv_parts_read(&f->ps, f->paths, NPARTS, ALL_ALGS,
				       &f->err), 0);
	assert_int_equal(judge(f, NULL, -1), -1);
	assert_string_equal(f->err.msg, "the list has members of more than one initramfs: " INITRD ", /boot/other.img; choose one with --name");
	/* --name chooses; the other path's records are no members of it. */
	iv_parts_free(&f->ps);
	assert_int_equal(iv_parts_read(&f->ps, f->paths, NPARTS, ALL_ALGS,
				       &f->err), 0);
	assert_int_equal(judge(f, INITRD, -1), IV_VERIFIED);
	/* Many paths: the first ones by name. */
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), "/boot/n%d#0:cpio@0+1", i);
		tb_ng(&f->l, name);
	}
	iv_parts_free(&f->ps);
	assert_int_equal(iv_parts_read(&f->ps, f->paths, NPARTS, ALL_ALGS,
				       &f->err), 0);
	assert_int_equal(judge(f, NULL, -1), -1);
	assert_contains(f->err.msg, ", /boot/n6 and more; choose one with --name");
}

/* No member records: without a name nothing to judge, with one a NO MATCH. */
static void test_no_members(void **state)
{
	struct fix *f = *state;

	three(f, 2);
	tb_ng(&f->l, "boot_aggregate");
	tb_ng(&f->l, INITRD);
	/* A violation's name is bound by nothing: no member. */
	tb_violation(&f->l, INITRD "#0:cpio@0+1536");
	tb_buf(&f->l, INITRD "#1:zstd@1536+40123", "a buffer");
	assert_int_equal(judge(f, NULL, -1), -1);
	assert_contains(f->err.msg, "no record names an initramfs member (PATH#INDEX:KIND@OFFSET+LENGTH)");
	iv_parts_free(&f->ps);
	assert_int_equal(iv_parts_read(&f->ps, f->paths, NPARTS, ALL_ALGS,
				       &f->err), 0);
	assert_int_equal(judge(f, INITRD, -1), IV_NOT_VERIFIED);
	assert_string_equal(f->out,
		"NO MATCH: " INITRD ": no member records in list.bin (no initramfs=parts rule, or another path?)\n"
		"part 0 cpio @0+1536: missing from the list\n"
		"part 1 zstd @1536+40123: missing from the list\n"
		"part 2 gzip @41659+2048: missing from the list\n");
}

/* Templates ima-sig and ima, other algorithms, and --hash. */
static void test_templates_and_hash(void **state)
{
	struct fix *f = *state;

	three(f, 2);
	member_as(f, 0, "cpio", "ima-sig", "sha512");
	member_as(f, 1, "zstd", "ima", NULL);
	member_as(f, 2, "gzip", "ima-ng", "sha1");
	assert_int_equal(judge(f, INITRD, -1), IV_VERIFIED);
	assert_int_equal(f->ps.part[0].alg, IV_ALG_SHA512);
	assert_int_equal(f->ps.part[1].alg, IV_ALG_SHA1);
	/* --hash sha256: records in another algorithm differ. */
	iv_parts_free(&f->ps);
	assert_int_equal(iv_parts_read(&f->ps, f->paths, NPARTS,
				       1u << IV_ALG_SHA256, &f->err), 0);
	assert_int_equal(judge(f, INITRD, IV_ALG_SHA256), IV_NOT_VERIFIED);
	assert_int_equal(f->ps.differ, 3);
	assert_contains(f->out, "\npart 2 gzip @41659+2048: differs: list sha1:");
	/* Parts hashed in sha256 only, a record in sha1: not comparable. */
	iv_parts_free(&f->ps);
	assert_int_equal(iv_parts_read(&f->ps, f->paths, NPARTS,
				       1u << IV_ALG_SHA256, &f->err), 0);
	assert_int_equal(judge(f, INITRD, -1), IV_NOT_VERIFIED);
	assert_contains(f->out, "not hashed in sha1\n");
}

/* A list that does not parse is an input error, whatever came before. */
static void test_malformed_list(void **state)
{
	struct fix *f = *state;

	three(f, 2);
	load(f);
	f->l.len -= 5;
	assert_int_equal(judge(f, INITRD, -1), -1);
	assert_contains(f->err.msg, "entry 2 at byte offset");
}

/* One load of more than IV_PARTS_MAX members is refused, not kept. */
static void test_member_bound(void **state)
{
	struct fix *f = *state;
	char name[128];
	struct tb one;
	size_t i;

	three(f, 2);
	/* Record by record: more records than a struct tb keeps offsets of. */
	for (i = 0; i <= IV_PARTS_MAX; i++) {
		tb_init(&one);
		snprintf(name, sizeof(name), INITRD "#%zu:gzip@%zu+1", i, i);
		tb_file(&one, "ima-ng", "sha256", "x", 1, name);
		tb_put(&f->l, one.p, one.len);
		tb_free(&one);
	}
	assert_int_equal(judge(f, INITRD, -1), -1);
	assert_contains(f->err.msg, "more than 4096 members in one load");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_kind_of),
		T(test_kind_of_file),
		T(test_offsets),
		T(test_read_errors),
		T(test_name_parse),
		T(test_fragment_policy),
		T(test_all_match),
		T(test_one_differs),
		T(test_differs_in_place),
		T(test_one_missing),
		T(test_one_extra),
		T(test_two_loads),
		T(test_unchanged_member_held),
		T(test_name_from_list),
		T(test_no_members),
		T(test_templates_and_hash),
		T(test_malformed_list),
		T(test_member_bound),
	};
#undef T

	return cmocka_run_group_tests_name("parts", tests, NULL, NULL);
}
