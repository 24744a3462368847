// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Incremental attestation (state.c): the state file read strictly and
 * written back the same, the quote's clock info, the prefix read without
 * parsing; then the tool polled as a service would (a list that grows,
 * a kexec between polls, a changed prefix, corrupt states), notes past
 * the old limit of eight, and where an input error is in JSON.
 *
 * Linked with --wrap=malloc,realloc: a test makes the next allocation
 * fail, to see a note that could not be kept reported, not dropped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "builder.h"
#include "testutil.h"

/* ---- allocation failure on demand ---- */

void *__real_malloc(size_t n);
void *__real_realloc(void *p, size_t n);
static int fail_allocs;		/* the next N allocations fail */

void *__wrap_malloc(size_t n)
{
	if (fail_allocs > 0) {
		fail_allocs--;
		return NULL;
	}
	return __real_malloc(n);
}

void *__wrap_realloc(void *p, size_t n)
{
	if (fail_allocs > 0) {
		fail_allocs--;
		return NULL;
	}
	return __real_realloc(p, n);
}

/* ---- the state file ---- */

static const char good_state[] =
	"ima-kexec-verify-state 1\n"
	"entries 17\n"
	"offset 2179\n"
	"prefix-sha256 cf89ed376e855e4e27fc93e1d091881c2d271f9b4d9e2ec1eafd8e2c39e87a09\n"
	"banks sha1,sha256\n"
	"pcr sha1 10 sha1 e9e6266548c4f163a8938d6103897b28a998e996\n"
	"pcr sha256 10 hash 9c05ecae275b8fff22c8c8a6b64c1e37c01fd9531994f0f40fcd1328b49913cf\n"
	"boots 3\n"
	"boot 0 0x00000000\n"
	"boot 7 0x00000400\n"
	"boot 14 0x00000400\n"
	"boot-aggregate 1ad666c457d90c85098749a609501d1928d66a57\n"
	"seen-execute 0\n"
	"pcrs-seen 0x00000400\n"
	"quote 2 1 73000\n"
	"end\n";

static char *format(const struct iv_state *st)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(iv_state_format(st, f), 0);
	assert_int_equal(fclose(f), 0);
	return text;
}

static void test_round_trip(void **state)
{
	struct iv_err err = { 0 };
	struct iv_state st;
	char *text;

	(void)state;
	assert_int_equal(iv_state_parse(&st, good_state, strlen(good_state),
					&err), 0);
	assert_int_equal(st.entries, 17);
	assert_int_equal(st.offset, 2179);
	assert_true(st.bank[IV_ALG_SHA1] && st.bank[IV_ALG_SHA256]);
	assert_false(st.bank[IV_ALG_SHA384]);
	assert_true(st.pcr[IV_ALG_SHA256][10].set);
	assert_int_equal(st.pcr[IV_ALG_SHA256][10].scheme, IV_SCHEME_HASH);
	assert_int_equal(st.pcr[IV_ALG_SHA1][10].val[0], 0xe9);
	assert_false(st.pcr[IV_ALG_SHA1][11].set);
	assert_int_equal(st.nboot, 3);
	assert_int_equal(st.boot[2].aggregate, 14);
	assert_int_equal(st.boot[2].pcrs_before, 0x400);
	assert_true(st.have_quote);
	assert_int_equal(st.reset_count, 2);
	assert_int_equal(st.restart_count, 1);
	assert_int_equal(st.clock, 73000);
	text = format(&st);
	assert_string_equal(text, good_state);
	free(text);
	iv_state_free(&st);
}

/* @text with line @line (1-based) replaced by @with (NULL: removed). */
static char *edit_line(const char *text, unsigned int line, const char *with)
{
	char *out = malloc(strlen(text) + (with ? strlen(with) : 0) + 2);
	const char *p = text;
	unsigned int n = 1;
	size_t o = 0;

	assert_non_null(out);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = (size_t)(nl - p) + 1;

		if (n == line) {
			if (with) {
				strcpy(out + o, with);
				o += strlen(with);
				out[o++] = '\n';
			}
		} else {
			memcpy(out + o, p, len);
			o += len;
		}
		p += len;
		n++;
	}
	out[o] = '\0';
	return out;
}

static void bad_state(const char *text, size_t len, const char *want)
{
	struct iv_err err = { 0 };
	struct iv_state st;

	if (!iv_state_parse(&st, text, len, &err))
		fail_msg("accepted: %s", text);
	assert_contains(err.msg, want);
	/* Nothing kept of it. */
	assert_null(st.boot);
	assert_int_equal(st.entries, 0);
}

static void bad_line(unsigned int line, const char *with, const char *want)
{
	char *text = edit_line(good_state, line, with);

	bad_state(text, strlen(text), want);
	free(text);
}

/* Every way a state can be wrong fails, naming the line; none crashes. */
static void test_malformed(void **state)
{
	size_t len = strlen(good_state), cut;
	static char nul[sizeof(good_state)];

	(void)state;
	bad_state("", 0, "line 1: file ends early (truncated?)");
	/* Cut anywhere: never accepted. */
	for (cut = 0; cut < len; cut++)
		bad_state(good_state, cut, "line ");
	bad_line(1, "ima-kexec-verify-state 2", "line 1: version 2 not supported (this tool reads 1)");
	bad_line(1, "something else 1", "line 1: not an ima-kexec-verify state file");
	bad_line(2, "entries 0", "line 2: no entries");
	bad_line(2, "entries -1", "line 2: bad number");
	bad_line(2, "entries 017", "line 2: bad number");
	bad_line(2, "entries 99999999999999999999999", "line 2: bad number");
	bad_line(3, "offset 100", "line 3: offset too small for that many entries");
	bad_line(4, "prefix-sha256 cf89", "line 4: prefix-sha256 is not 64 hex digits");
	bad_line(4, "prefix-sha256 CF89ED376E855E4E27FC93E1D091881C2D271F9B4D9E2EC1EAFD8E2C39E87A09",
		 "line 4: prefix-sha256 is not 64 hex digits");
	bad_line(5, "banks sha1,sha1", "line 5: bank given twice");
	bad_line(5, "banks sha1,sm3", "line 5: unknown bank");
	bad_line(5, "banks ", "line 5: bad bank list");
	bad_line(6, "pcr sha384 10 hash 00", "line 6: pcr of a bank not in \"banks\"");
	bad_line(6, "pcr sha1 24 sha1 e9e6266548c4f163a8938d6103897b28a998e996",
		 "line 6: bad PCR index");
	bad_line(6, "pcr sha1 10 hash e9e6266548c4f163a8938d6103897b28a998e996",
		 "line 6: bad scheme for the bank");
	bad_line(6, "pcr sha1 10 sha1 e9e6", "line 6: PCR value is not the bank's size");
	bad_line(7, "pcr sha1 10 sha1 e9e6266548c4f163a8938d6103897b28a998e996",
		 "line 7: PCR given twice");
	bad_line(7, NULL, "line 13: pcrs-seen and the pcr lines disagree");
	bad_line(8, "boots 4", "line 12: expected \"boot ...\"");
	bad_line(8, "boots 99", "line 8: more boots than entries");
	bad_line(10, "boot 0 0x00000400", "line 10: boot entries not ascending");
	bad_line(11, "boot 17 0x00000400", "line 11: boot entries not ascending");
	bad_line(11, "boot 14 0x01000000", "line 11: bad boot line");
	bad_line(12, "boot-aggregate none", "line 12: boot-aggregate and boots disagree");
	bad_line(13, "seen-execute 2", "line 13: bad number");
	bad_line(14, "pcrs-seen 0x00000c00", "line 14: pcrs-seen and the pcr lines disagree");
	bad_line(15, "quote 1 2", "line 15: expected \"quote RESETS RESTARTS CLOCK\"");
	bad_line(16, "end of it", "line 16: expected \"end\"");
	bad_line(16, "end\nmore", "line 16: text after \"end\"");
	memcpy(nul, good_state, len);
	nul[40] = '\0';
	bad_state(nul, len, "line 3: NUL byte");
}

static void test_banks(void **state)
{
	struct iv_err err = { 0 };
	struct iv_pcrs pcrs = { 0 };
	struct iv_state st;

	(void)state;
	assert_int_equal(iv_state_parse(&st, good_state, strlen(good_state),
					&err), 0);
	pcrs.bank[IV_ALG_SHA1].present = true;
	pcrs.bank[IV_ALG_SHA256].present = true;
	assert_int_equal(iv_state_check_banks(&st, &pcrs, &err), 0);
	pcrs.bank[IV_ALG_SHA1].present = false;
	assert_int_equal(iv_state_check_banks(&st, &pcrs, &err), -1);
	assert_string_equal(err.msg, "the state is for banks sha1,sha256, the PCR values given are of sha256");
	iv_state_free(&st);
}

static void test_clock(void **state)
{
	struct iv_err err = { 0 };
	struct iv_quote q = { 0 };
	struct iv_state st;

	(void)state;
	assert_int_equal(iv_state_parse(&st, good_state, strlen(good_state),
					&err), 0);
	q.reset_count = 2;
	q.restart_count = 1;
	q.clock = 73000;
	assert_int_equal(iv_state_clock(&st, &q), IV_CLOCK_SAME);
	q.clock = 90000;
	assert_int_equal(iv_state_clock(&st, &q), IV_CLOCK_SAME);
	q.restart_count = 2;
	assert_int_equal(iv_state_clock(&st, &q), IV_CLOCK_RESTART);
	q.clock = 72999;
	assert_int_equal(iv_state_clock(&st, &q), IV_CLOCK_BACKWARDS);
	/* A reset restarts nothing of the clock's meaning: a new boot. */
	q.reset_count = 3;
	assert_int_equal(iv_state_clock(&st, &q), IV_CLOCK_RESET);
	assert_int_equal(iv_state_clock(&st, NULL), IV_CLOCK_UNKNOWN);
	st.have_quote = false;
	assert_int_equal(iv_state_clock(&st, &q), IV_CLOCK_UNKNOWN);
	iv_state_free(&st);
}

/* The prefix is hashed as bytes; the reader goes on after it. */
static void test_reader_skip(void **state)
{
	uint8_t want[32], got[32];
	const struct iv_entry *e;
	struct iv_err err = { 0 };
	struct iv_reader r;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	char path[] = "/tmp/iv-skip-XXXXXX";
	size_t n;
	struct tb l;
	FILE *f;
	int fd;

	(void)state;
	tb_init(&l);
	tb_scenario_multiboot(&l);
	tb_digest("sha256", l.p, l.offs[9], want, &n);
	/* A buffer, then a file through stdio. */
	iv_reader_mem(&r, l.p, l.len);
	assert_int_equal(iv_reader_skip(&r, 9, l.offs[9], md, &n, &err), 0);
	assert_int_equal(EVP_DigestFinal_ex(md, got, NULL), 1);
	assert_memory_equal(got, want, 32);
	assert_int_equal(iv_reader_next(&r, &e, &err), 1);
	assert_int_equal(e->index, 9);
	assert_int_equal(e->offset, l.offs[9]);
	assert_int_equal(iv_reader_rewind(&r, &err), 0);
	assert_int_equal(iv_reader_next(&r, &e, &err), 1);
	assert_int_equal(e->index, 9);
	iv_reader_close(&r);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(tb_write(&l, path), 0);
	f = fopen(path, "rb");
	assert_non_null(f);
	iv_reader_file(&r, f);
	assert_int_equal(iv_reader_skip(&r, 9, l.offs[9], md, &n, &err), 0);
	assert_int_equal(EVP_DigestFinal_ex(md, got, NULL), 1);
	assert_memory_equal(got, want, 32);
	assert_int_equal(iv_reader_next(&r, &e, &err), 1);
	assert_int_equal(e->offset, l.offs[9]);
	assert_int_equal(iv_reader_rewind(&r, &err), 0);
	assert_int_equal(iv_reader_next(&r, &e, &err), 1);
	assert_int_equal(e->offset, l.offs[9]);
	iv_reader_close(&r);
	/* Shorter than the prefix: says so, with what it read. */
	rewind(f);
	iv_reader_file(&r, f);
	assert_int_equal(iv_reader_skip(&r, 99, l.len + 5, md, &n, &err), 1);
	assert_int_equal(n, l.len);
	iv_reader_close(&r);
	iv_reader_mem(&r, l.p, l.len);
	assert_int_equal(iv_reader_skip(&r, 99, l.len + 5, md, &n, &err), 1);
	assert_int_equal(n, l.len);
	fclose(f);
	unlink(path);
	EVP_MD_CTX_free(md);
	tb_free(&l);
}

/* ---- notes ---- */

static void test_notes_unbounded(void **state)
{
	char long_note[400], *text = NULL;
	struct iv_ctx ctx;
	size_t len = 0, i;
	FILE *f;

	(void)state;
	iv_ctx_init(&ctx);
	memset(long_note, 'x', sizeof(long_note) - 1);
	long_note[sizeof(long_note) - 1] = '\0';
	for (i = 0; i < 20; i++)
		assert_int_equal(iv_note(&ctx, "%zu %s", i, long_note), 0);
	assert_int_equal(ctx.nnotes, 20);
	assert_int_equal(strlen(ctx.notes[19]), 3 + strlen(long_note));
	/* The array cannot grow, then the text cannot be kept: counted. */
	for (i = 20; i < 32; i++)
		assert_int_equal(iv_note(&ctx, "n"), 0);
	fail_allocs = 1;
	assert_int_equal(iv_note(&ctx, "lost to realloc"), -1);
	assert_int_equal(iv_note(&ctx, "%s", "ok"), 0);
	fail_allocs = 1;
	assert_int_equal(iv_note(&ctx, "lost to malloc"), -1);
	fail_allocs = 0;
	assert_int_equal(ctx.notes_lost, 2);
	ctx.status = IV_NOT_VERIFIED;
	strcpy(ctx.why.text, "test");
	f = open_memstream(&text, &len);
	assert_non_null(f);
	iv_report_text(&ctx, f);
	fclose(f);
	assert_contains(text, "\nnote: 19 xxxxxxxx");
	assert_non_null(strstr(text, long_note));
	assert_contains(text, "\nnote: 2 more notes lost: out of memory\n");
	assert_null(strstr(text, "lost to"));
	free(text);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	iv_report_json(&ctx, f);
	fclose(f);
	assert_contains(text, "\"notes_lost\":2}");
	free(text);
	iv_ctx_free(&ctx);
}

/* ---- the tool, polled as a service polls a machine ---- */

struct fix {
	char dir[64];
	char out[65536];
	char list[128], p1[128], p256[128], st[128];
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/iv-state-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->list, sizeof(f->list), "%s/list", f->dir);
	snprintf(f->p1, sizeof(f->p1), "sha1,%s/p1", f->dir);
	snprintf(f->p256, sizeof(f->p256), "sha256,%s/p256", f->dir);
	snprintf(f->st, sizeof(f->st), "%s/state", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd))
		return -1;
	free(f);
	return 0;
}

/* The tool with @args (paths here have no spaces); output in f->out. */
static int run(struct fix *f, const char *args)
{
	const char *bin = getenv("IV_BIN");
	char cmd[2048], out[128];
	size_t n;
	FILE *fp;
	int rc;

	if (!bin)
		skip();
	snprintf(out, sizeof(out), "%s/out", f->dir);
	snprintf(cmd, sizeof(cmd), "%s %s >%s 2>&1", bin, args, out);
	rc = system(cmd);
	fp = fopen(out, "r");
	assert_non_null(fp);
	n = fread(f->out, 1, sizeof(f->out) - 1, fp);
	f->out[n] = '\0';
	fclose(fp);
	assert_true(WIFEXITED(rc));
	return WEXITSTATUS(rc);
}

/* The list as it is now, and the PCR values after its first entries. */
static void poll_files(struct fix *f, const struct tb *l)
{
	assert_int_equal(tb_write(l, f->list), 0);
	assert_int_equal(tb_write_pcrs(l, IV_ALG_SHA1, false, f->p1 + 5), 0);
	assert_int_equal(tb_write_pcrs(l, IV_ALG_SHA256, false, f->p256 + 7), 0);
}

static int poll(struct fix *f, const char *extra)
{
	char args[1024];

	snprintf(args, sizeof(args), "--pcrs %s --pcrs %s %s %s", f->p1,
		 f->p256, extra, f->list);
	return run(f, args);
}

static char *slurp(const char *path)
{
	static char buf[65536];
	FILE *fp = fopen(path, "r");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/*
 * Three polls of a growing list: each starts from the state the last
 * one saved, verifies only the entries since, and moves the state on.
 */
static void test_polled_growth(void **state)
{
	struct fix *f = *state;
	static const char json_start[] = "{\"schema\":1,\"verdict\":\"VERIFIED\",";
	char args[512], want[512];
	struct tb l;

	tb_init(&l);
	tb_scenario_multiboot(&l);
	poll_files(f, &l);
	snprintf(args, sizeof(args), "--state-out %s", f->st);
	assert_int_equal(poll(f, args), 0);
	assert_contains(f->out, "VERIFIED: 17 entries, 3 boots, banks sha1,sha256 match\n");
	snprintf(want, sizeof(want), "state: saved to %s: 17 entries, %zu bytes\n",
		 f->st, l.len);
	assert_contains(f->out, want);
	snprintf(want, sizeof(want), "\nentries 17\noffset %zu\n", l.len);
	assert_contains(slurp(f->st), want);

	/* Poll 2: three more, all covered by the new PCR values. */
	tb_ng(&l, "/usr/bin/poll2-a");
	tb_violation(&l, "/var/log/poll2-b");
	tb_ng(&l, "/usr/bin/poll2-c");
	poll_files(f, &l);
	snprintf(args, sizeof(args), "--state-in %s --state-out %s", f->st,
		 f->st);
	assert_int_equal(poll(f, args), 0);
	assert_contains(f->out, "VERIFIED: entries 17-19 of 20 (incremental from state, 17 verified before), 3 boots, banks sha1,sha256 match\n");
	/* Only the new part was read as records: one violation, not two. */
	assert_contains(f->out, "\nlist: 20 entries, 1 violations, template digests ok\n");
	assert_contains(f->out, "clock unknown; 0 kexecs since the saved state\n");
	assert_null(strstr(f->out, "note:"));
	snprintf(want, sizeof(want), "\nentries 20\noffset %zu\n", l.len);
	assert_contains(slurp(f->st), want);

	/* Poll 3: five more, the PCRs read after the first three of them. */
	tb_ng(&l, "/usr/bin/poll3-a");
	tb_ng(&l, "/usr/bin/poll3-b");
	tb_ng(&l, "/usr/bin/poll3-c");
	poll_files(f, &l);
	tb_ng(&l, "/usr/bin/poll3-newer1");
	tb_ng(&l, "/usr/bin/poll3-newer2");
	assert_int_equal(tb_write(&l, f->list), 0);
	assert_int_equal(poll(f, args), 0);
	assert_contains(f->out, "VERIFIED: entries 20-22 of 25 (incremental from state, 20 verified before), 3 boots, banks sha1,sha256 match; 2 newer entries not yet covered by the PCRs\n");
	snprintf(want, sizeof(want), "\nentries 23\noffset %zu\n", l.offs[23]);
	assert_contains(slurp(f->st), want);
	snprintf(args, sizeof(args), "--json --state-in %s", f->st);
	assert_int_equal(poll(f, args), 0);
	/* The schema's version is the first key. */
	assert_int_equal(strncmp(f->out, json_start, strlen(json_start)), 0);
	snprintf(want, sizeof(want), "\"incremental\":{\"state_in\":\"%s\",\"use\":\"applied\",\"verified_before\":23,\"state_offset\":%zu,\"clock\":\"unknown\",\"kexecs_since_state\":0,\"list_bytes\":null},\"state_out\":null,",
		 f->st, l.offs[23]);
	assert_contains(f->out, want);
	snprintf(want, sizeof(want), "\"coverage\":{\"covered\":23,\"entries\":25,\"newer\":2,\"newer_offset\":%zu}",
		 l.offs[23]);
	assert_contains(f->out, want);
	/* The same state again, with a full run beside it: the same values. */
	assert_int_equal(poll(f, "-q"), 0);
	assert_string_equal(f->out, "VERIFIED: 23 of 25 entries, 3 boots, banks sha1,sha256 match; 2 newer entries not yet covered by the PCRs\n");
	tb_free(&l);
}

/* A kexec between polls: no TPM reset, a new boot_aggregate after it. */
static void test_kexec_between_polls(void **state)
{
	struct fix *f = *state;
	char args[512];
	struct tb l;

	tb_init(&l);
	tb_scenario_boot(&l, 3);
	poll_files(f, &l);
	snprintf(args, sizeof(args), "--state-out %s", f->st);
	assert_int_equal(poll(f, args), 0);
	tb_scenario_kexec(&l, "intact");
	tb_ng(&l, "/usr/bin/after-kexec");
	poll_files(f, &l);
	snprintf(args, sizeof(args), "--state-in %s --state-out %s", f->st,
		 f->st);
	assert_int_equal(poll(f, args), 0);
	assert_contains(f->out, "VERIFIED: entries 4-9 of 10 (incremental from state, 4 verified before), 2 boots, banks sha1,sha256 match; 1 kexec since the saved state\n");
	assert_contains(f->out, "\nboots: 2 (boot_aggregate at entries 0, 7)\n");
	assert_contains(f->out, "\nhandover: entry 8 boot 2 result=intact restored=7 dropped=0\n");
	assert_null(strstr(f->out, "note:"));
	assert_contains(slurp(f->st), "\nboots 2\nboot 0 0x00000000\nboot 7 0x00000400\n");
	/* Another kexec: its kexec_execute was in the saved prefix. */
	tb_kexec_event(&l, "kexec_load", 65536);
	tb_kexec_event(&l, "kexec_execute", 65536);
	poll_files(f, &l);
	assert_int_equal(poll(f, args), 0);
	assert_contains(slurp(f->st), "\nseen-execute 1\n");
	tb_ng(&l, "boot_aggregate");
	tb_handover(&l, "result=intact;restored=12;dropped=0;");
	poll_files(f, &l);
	assert_int_equal(poll(f, args), 0);
	assert_contains(f->out, "VERIFIED: entries 12-13 of 14 (incremental from state, 12 verified before), 3 boots, banks sha1,sha256 match; 1 kexec since the saved state\n");
	assert_null(strstr(f->out, "note:"));
	tb_free(&l);
}

/* A changed covered prefix, a shorter list: refused, never replayed. */
static void test_tampered_prefix(void **state)
{
	struct fix *f = *state;
	char args[512], want[512];
	struct tb l;

	tb_init(&l);
	tb_scenario_multiboot(&l);
	poll_files(f, &l);
	snprintf(args, sizeof(args), "--state-out %s", f->st);
	assert_int_equal(poll(f, args), 0);
	tb_ng(&l, "/usr/bin/later");
	poll_files(f, &l);
	/* One byte of entry 3's file name. */
	l.p[l.offs[4] - 2] ^= 1;
	assert_int_equal(tb_write(&l, f->list), 0);
	snprintf(args, sizeof(args), "--state-in %s --state-out %s", f->st,
		 f->st);
	assert_int_equal(poll(f, args), 1);
	assert_contains(f->out, "NOT VERIFIED: the list does not start with the 17 entries (2179 bytes) the saved state covers: their SHA-256 differs, so the covered prefix was changed, or the machine rebooted (a quote would tell by its resetCount)\n");
	assert_contains(f->out, "\nstate: from ");
	/* The old state stays. */
	assert_contains(slurp(f->st), "\nentries 17\n");
	snprintf(args, sizeof(args), "--json --state-in %s --state-out %s",
		 f->st, f->st);
	assert_int_equal(poll(f, args), 1);
	assert_contains(f->out, "\"cause\":\"state_prefix_mismatch\",\"cause_entry\":null,\"error\":null,");
	assert_contains(f->out, "\"use\":\"refused\",");
	assert_contains(f->out, "\"state_out\":{\"path\":");
	assert_contains(f->out, "\"written\":false,\"entries\":null,\"offset\":null},");
	/* Shorter than the prefix: a new list (a reboot) or a cut one. */
	tb_truncate(&l, 10);
	assert_int_equal(tb_write(&l, f->list), 0);
	snprintf(args, sizeof(args), "--state-in %s", f->st);
	assert_int_equal(poll(f, args), 1);
	snprintf(want, sizeof(want), "NOT VERIFIED: the list is %zu bytes, shorter than the 2179 bytes of the 17 entries the saved state covers: not the list the state was saved from (the machine rebooted? a quote would tell by its resetCount)\n",
		 l.len);
	assert_contains(f->out, want);
	snprintf(args, sizeof(args), "--json --state-in %s", f->st);
	assert_int_equal(poll(f, args), 1);
	snprintf(want, sizeof(want), "\"list_bytes\":%zu}", l.len);
	assert_contains(f->out, want);
	tb_free(&l);
}

static void write_text(const char *path, const char *text, size_t len)
{
	assert_int_equal(tb_write_file(path, text, len), 0);
}

/* A state that is not one, or not for these banks: exit 2, say why. */
static void test_corrupt_state(void **state)
{
	struct fix *f = *state;
	char args[512], want[512], *saved;
	struct tb l;

	tb_init(&l);
	tb_scenario_multiboot(&l);
	poll_files(f, &l);
	snprintf(args, sizeof(args), "--state-out %s", f->st);
	assert_int_equal(poll(f, args), 0);
	saved = strdup(slurp(f->st));
	assert_non_null(saved);
	snprintf(args, sizeof(args), "--state-in %s", f->st);
	/* Truncated half way. */
	write_text(f->st, saved, strlen(saved) / 2);
	assert_int_equal(poll(f, args), 2);
	snprintf(want, sizeof(want), "NOT VERIFIED: input error: state %s: line 7: last line has no newline (truncated?)\n",
		 f->st);
	assert_contains(f->out, want);
	/* Not a state at all. */
	write_text(f->st, (const char *)l.p, l.len);
	assert_int_equal(poll(f, args), 2);
	assert_contains(f->out, ": line 1: ");
	/* Empty; missing. */
	write_text(f->st, "", 0);
	assert_int_equal(poll(f, args), 2);
	assert_contains(f->out, ": line 1: file ends early (truncated?)\n");
	snprintf(args, sizeof(args), "--state-in %s/none", f->dir);
	assert_int_equal(poll(f, args), 2);
	assert_contains(f->out, "No such file or directory");
	/* Another bank set. */
	write_text(f->st, saved, strlen(saved));
	snprintf(args, sizeof(args), "--pcrs %s --state-in %s %s", f->p256,
		 f->st, f->list);
	assert_int_equal(run(f, args), 2);
	assert_contains(f->out, "NOT VERIFIED: input error: the state is for banks sha1,sha256, the PCR values given are of sha256\n");
	snprintf(args, sizeof(args), "--json --pcrs %s --state-in %s %s",
		 f->p256, f->st, f->list);
	assert_int_equal(run(f, args), 2);
	assert_contains(f->out, "\"error\":{\"entry\":null,\"offset\":null,\"reason\":\"the state is for banks sha1,sha256, the PCR values given are of sha256\",\"input\":\"state\"},");
	/* A state that cannot be written: exit 2, nothing left behind. */
	snprintf(args, sizeof(args), "--state-out %s/no/such/dir/state",
		 f->dir);
	assert_int_equal(poll(f, args), 2);
	assert_contains(f->out, "NOT VERIFIED: input error: state ");
	assert_contains(f->out, "No such file or directory");
	assert_int_equal(run(f, "--good-list x --state-in y --pcrs sha1,z w"), 2);
	assert_contains(f->out, "--good-list compares from the first entry: not with --state-in");
	free(saved);
	tb_free(&l);
}

/* Written beside the file and renamed: no temporary file stays. */
static void test_atomic_write(void **state)
{
	struct fix *f = *state;
	char args[512], cmd[256];
	struct tb l;

	tb_init(&l);
	tb_scenario_boot(&l, 2);
	poll_files(f, &l);
	write_text(f->st, "old\n", 4);
	snprintf(args, sizeof(args), "--state-out %s", f->st);
	assert_int_equal(poll(f, args), 0);
	assert_int_equal(strncmp(slurp(f->st), "ima-kexec-verify-state 1\n", 25), 0);
	snprintf(cmd, sizeof(cmd), "ls %s | grep -q tmp", f->dir);
	assert_int_not_equal(system(cmd), 0);
	/* A run that does not verify leaves the state as it was. */
	tb_ng(&l, "boot_aggregate");
	assert_int_equal(tb_write(&l, f->list), 0);
	write_text(f->st, "old\n", 4);
	assert_int_equal(poll(f, args), 1);
	assert_string_equal(slurp(f->st), "old\n");
	tb_free(&l);
}

/* More than the eight notes kept before, each whole, text and JSON. */
static void test_many_notes(void **state)
{
	struct fix *f = *state;
	unsigned int i, n = 0;
	const char *p;
	struct tb l;

	tb_init(&l);
	for (i = 0; i < 6; i++)
		tb_scenario_boot(&l, 1);
	poll_files(f, &l);
	assert_int_equal(poll(f, ""), 0);
	for (p = f->out; (p = strstr(p, "\nnote: ")); p++)
		n++;
	assert_int_equal(n, 10);
	assert_contains(f->out, "\nnote: boot 6: no kexec_restore record (new kernel without this series, or a boot policy that does not measure ima_kexec critical data?)\n");
	assert_int_equal(poll(f, "--json"), 0);
	assert_contains(f->out, "\"boot 6: no kexec_execute before its boot_aggregate (entry 10)\",\"boot 6: no kexec_restore record (new kernel without this series, or a boot policy that does not measure ima_kexec critical data?)\"],\"notes_lost\":0}");
	tb_free(&l);
}

/* Where an input error is: entry, offset, reason and input in JSON. */
static void test_error_fields(void **state)
{
	struct fix *f = *state;
	char want[512];
	struct tb l;

	tb_init(&l);
	tb_scenario_boot(&l, 1);
	poll_files(f, &l);
	tb_u32(&l, 10);
	tb_put(&l, "01234567890123456789", 20);
	tb_u32(&l, 300);
	assert_int_equal(tb_write(&l, f->list), 0);
	assert_int_equal(poll(f, "--json"), 2);
	snprintf(want, sizeof(want), "\"cause\":\"input_error\",\"cause_entry\":null,\"error\":{\"entry\":2,\"offset\":%zu,\"reason\":\"template name length 300 not in 1-255\",\"input\":\"list\"},",
		 l.offs[2]);
	assert_contains(f->out, want);
	assert_int_equal(poll(f, ""), 2);
	snprintf(want, sizeof(want), "NOT VERIFIED: input error: %s: entry 2 at byte offset %zu: template name length 300 not in 1-255\n",
		 f->list, l.offs[2]);
	assert_contains(f->out, want);
	/* No entry where none applies. */
	assert_int_equal(run(f, "--json --pcrs sha1,/nonexistent /dev/null"), 2);
	assert_contains(f->out, "\"error\":{\"entry\":null,\"offset\":null,\"reason\":\"/nonexistent: No such file or directory\",\"input\":\"pcrs\"},");
	assert_int_equal(run(f, "--json --policy /nonexistent --pcrs sha1,x /dev/null"), 2);
	assert_contains(f->out, "\"input\":\"policy\"},");
	tb_free(&l);
}

static void test_version(void **state)
{
	struct fix *f = *state;
	char want[64];

	assert_int_equal(run(f, "--version"), 0);
	snprintf(want, sizeof(want), "ima-kexec-verify %s\nlibimaverify %s\nOpenSSL 3.",
		 IV_VERSION, iv_version());
	assert_int_equal(strncmp(f->out, want, strlen(want)), 0);
	assert_string_equal(iv_version(), "2.2");
	assert_int_equal(run(f, "--help"), 0);
	assert_contains(f->out, "  --version ");
	assert_contains(f->out, "  --state-in FILE ");
	assert_contains(f->out, "  --state-out FILE ");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_banks),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_reader_skip),
		cmocka_unit_test(test_notes_unbounded),
		T(test_polled_growth),
		T(test_kexec_between_polls),
		T(test_tampered_prefix),
		T(test_corrupt_state),
		T(test_atomic_write),
		T(test_many_notes),
		T(test_error_fields),
		T(test_version),
	};
#undef T

	return cmocka_run_group_tests_name("state", tests, NULL, NULL);
}
