// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tool as a program: exit codes 0/1/2, verdict line, -q and --json,
 * on files generated here, plus a real tpm2-tools 5.4 quote from swtpm
 * kept in tests/data (made by quote-swtpm.sh --save); lists that grew
 * after the PCRs were read, lists on standard input, and the bounds on
 * time and memory of reading a list.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "builder.h"
#include "testutil.h"

struct fix {
	char dir[64];
	char out[65536];
	char path[8][512];
	double seconds;			/* the last run took */
	size_t fed;			/* bytes written to its stdin */
};

/* The tool's standard input, and limits on its run. */
struct input {
	const char *file;		/* redirected from this file */
	const uint8_t *data;		/* or written into a pipe */
	size_t len;
	bool zeros;			/* then zeros until it stops */
	rlim_t as_limit;		/* RLIMIT_AS if not 0 */
	const char *bin;		/* instead of IV_BIN */
};

static const char *bin(void)
{
	return getenv("IV_BIN");
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/iv-cli-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
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

/* Write @len bytes of @p, or zeros if @p is NULL; false once it is closed. */
static bool feed(int fd, const uint8_t *p, size_t len, size_t *fed)
{
	static const uint8_t zero[65536];

	while (len) {
		size_t n = len < sizeof(zero) ? len : sizeof(zero);
		ssize_t w = write(fd, p ? p : zero, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		*fed += (size_t)w;
		len -= (size_t)w;
		if (p)
			p += w;
	}
	return true;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Run the tool with NULL-terminated @args and standard input @in (NULL:
 * inherited); output (both streams) in f->out.
 */
static int run_in(struct fix *f, const char *const *args,
		  const struct input *in)
{
	const char *argv[32];
	char outfile[128];
	int status, fd, n = 0, fds[2] = { -1, -1 };
	bool piped = in && !in->file && (in->data || in->zeros);
	double t0;
	ssize_t len;
	pid_t pid;

	argv[n] = in && in->bin ? in->bin : bin();
	if (!argv[n++])
		skip();
	while (*args && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	snprintf(outfile, sizeof(outfile), "%s/out", f->dir);
	assert_int_equal(piped ? pipe(fds) : 0, 0);
	f->fed = 0;
	t0 = now();
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		struct rlimit rl;

		fd = open(outfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(127);
		if (piped && (dup2(fds[0], 0) < 0 || close(fds[0]) ||
			      close(fds[1])))
			_exit(127);
		if (in && in->file) {
			fd = open(in->file, O_RDONLY);
			if (fd < 0 || dup2(fd, 0) < 0)
				_exit(127);
		}
		if (in && in->as_limit) {
			rl.rlim_cur = rl.rlim_max = in->as_limit;
			if (setrlimit(RLIMIT_AS, &rl))
				_exit(127);
		}
		/* A tool that never stops reading is killed, not waited for. */
		alarm(120);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (piped) {
		void (*old)(int) = signal(SIGPIPE, SIG_IGN);

		close(fds[0]);
		if (feed(fds[1], in->data, in->len, &f->fed) && in->zeros)
			while (f->fed < ((size_t)1 << 30) &&
			       feed(fds[1], NULL, 65536, &f->fed))
				;
		close(fds[1]);
		signal(SIGPIPE, old);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	f->seconds = now() - t0;
	fd = open(outfile, O_RDONLY);
	assert_true(fd >= 0);
	len = read(fd, f->out, sizeof(f->out) - 1);
	close(fd);
	f->out[len > 0 ? len : 0] = '\0';
	if (!WIFEXITED(status))
		fail_msg("%s ended by signal %d: %s", argv[0],
			 WTERMSIG(status), f->out);
	return WEXITSTATUS(status);
}

static int run(struct fix *f, const char *const *args)
{
	return run_in(f, args, NULL);
}

/* Write @l as DIR/list plus pcrs files; paths in f->path[0..3]. */
static void fixture(struct fix *f, const struct tb *l)
{
	snprintf(f->path[0], sizeof(f->path[0]), "%s/list", f->dir);
	snprintf(f->path[1], sizeof(f->path[1]), "sha1,%s/p1", f->dir);
	snprintf(f->path[2], sizeof(f->path[2]), "sha256,%s/p256", f->dir);
	snprintf(f->path[3], sizeof(f->path[3]), "%s/tpm", f->dir);
	assert_int_equal(tb_write(l, f->path[0]), 0);
	assert_int_equal(tb_write_pcrs(l, IV_ALG_SHA1, false, f->path[1] + 5), 0);
	assert_int_equal(tb_write_pcrs(l, IV_ALG_SHA256, false, f->path[2] + 7), 0);
	assert_int_equal(mkdir(f->path[3], 0755), 0);
	assert_int_equal(tb_write_tpm_dir(l, f->path[3], false), 0);
}

/* @l: the multiboot scenario, written by fixture(). */
static void multiboot(struct fix *f, struct tb *l)
{
	tb_init(l);
	tb_scenario_multiboot(l);
	fixture(f, l);
}

/* The list of @l, grown or cut since fixture(), again in f->path[0]. */
static void rewrite(struct fix *f, const struct tb *l)
{
	assert_int_equal(tb_write(l, f->path[0]), 0);
}

static void scenario(struct fix *f, void (*build)(struct tb *))
{
	struct tb l;

	tb_init(&l);
	build(&l);
	fixture(f, &l);
	tb_free(&l);
}

static void boot4(struct tb *l)
{
	tb_scenario_boot(l, 4);
}

static void test_verified(void **state)
{
	struct fix *f = *state;

	scenario(f, tb_scenario_multiboot);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", f->path[1],
			 "--pcrs", f->path[2], f->path[0], NULL }), 0);
	assert_contains(f->out, "VERIFIED: 17 entries, 3 boots, banks sha1,sha256 match\n");
	assert_contains(f->out, "\nbank sha256 PCR-10: tpm ");
	assert_contains(f->out, "match (per-bank template hash)\n");
	assert_contains(f->out, "\nboots: 3 (boot_aggregate at entries 0, 7, 14)\n");
	assert_contains(f->out, "\nkexec: entry 6 boot 1 kexec_execute segment_size=65536 binary_size=714 count=6 (count matches position)\n");
	assert_contains(f->out, "\nhandover: entry 8 boot 2 result=intact restored=7 dropped=0\n");
	assert_contains(f->out, "\nhandover: entry 15 boot 3 result=intact restored=14 dropped=0\n");
	assert_null(strstr(f->out, "note:"));
	assert_int_equal(run(f, (const char *[]){ "--tpm-dir", f->path[3],
			 f->path[0], NULL }), 0);
	assert_int_equal(strncmp(f->out, "VERIFIED: ", 10), 0);
	assert_int_equal(run(f, (const char *[]){ "--json", "--tpm-dir",
			 f->path[3], f->path[0], NULL }), 0);
	/* No tpm fields (a kernel before the TPM check): "tpm":null. */
	assert_contains(f->out, "\"handovers\":[{\"entry\":8,\"boot\":2,\"result\":\"intact\",\"restored\":7,\"dropped\":0,\"reason\":null,\"malformed\":false,\"tpm\":null,\"newer\":false},{\"entry\":15,\"boot\":3,\"result\":\"intact\",");
}

/*
 * A list from older kernels of the series (kexec_handover records saying
 * "verified"): the same verdict, the result printed in today's word.
 */
static void test_old_records(void **state)
{
	struct fix *f = *state;

	scenario(f, tb_scenario_multiboot_old);
	assert_int_equal(run(f, (const char *[]){ "--tpm-dir", f->path[3],
			 f->path[0], NULL }), 0);
	assert_contains(f->out, "VERIFIED: 17 entries, 3 boots, banks sha1,sha256 match\n");
	assert_contains(f->out, "\nhandover: entry 8 boot 2 result=intact restored=7 dropped=0\n");
	assert_contains(f->out, "\nhandover: entry 15 boot 3 result=intact restored=14 dropped=0\n");
	assert_null(strstr(f->out, "result=verified"));
	assert_null(strstr(f->out, "note:"));
	assert_int_equal(run(f, (const char *[]){ "--json", "--tpm-dir",
			 f->path[3], f->path[0], NULL }), 0);
	assert_contains(f->out, "{\"entry\":15,\"boot\":3,\"result\":\"intact\",\"restored\":14,");
	assert_null(strstr(f->out, "\"result\":\"verified\""));
}

/* One kexec whose record is @name saying @payload; the tool's text in f->out. */
static void one_record(struct fix *f, const char *name, const char *payload)
{
	struct tb l;

	tb_init(&l);
	tb_scenario_boot(&l, 2);
	tb_scenario_kexec(&l, NULL);
	tb_handover_as(&l, name, payload);
	/* Not fixture(): called again on the same directory. */
	snprintf(f->path[0], sizeof(f->path[0]), "%s/list", f->dir);
	snprintf(f->path[2], sizeof(f->path[2]), "sha256,%s/p256", f->dir);
	assert_int_equal(tb_write(&l, f->path[0]), 0);
	assert_int_equal(tb_write_pcrs(&l, IV_ALG_SHA256, false, f->path[2] + 7), 0);
	tb_free(&l);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", f->path[2],
			 f->path[0], NULL }), 0);
}

/*
 * Old and new words under old and new names are printed in the new
 * vocabulary; a note about one record names the record as the list does.
 */
static void test_record_words(void **state)
{
	struct fix *f = *state;

	one_record(f, "kexec_restore", "result=unchecked;restored=6;dropped=0;");
	assert_contains(f->out, "\nhandover: entry 7 boot 2 result=unchecked restored=6 dropped=0\n");
	assert_null(strstr(f->out, "note:"));
	one_record(f, "kexec_handover", "result=unverified;restored=6;dropped=0;");
	assert_contains(f->out, "\nhandover: entry 7 boot 2 result=unchecked restored=6 dropped=0\n");
	assert_null(strstr(f->out, "unverified"));
	assert_null(strstr(f->out, "note:"));
	one_record(f, "kexec_restore", "result=intact;restored=5;dropped=0;");
	assert_contains(f->out, "\nhandover: entry 7 boot 2 result=intact restored=5 dropped=0\n");
	assert_contains(f->out, "\nnote: entry 7: kexec_restore says restored=5 but 6 entries precede its boot_aggregate\n");
	one_record(f, "kexec_handover", "result=verified;restored=5;dropped=0;");
	assert_contains(f->out, "\nhandover: entry 7 boot 2 result=intact restored=5 dropped=0\n");
	assert_contains(f->out, "\nnote: entry 7: kexec_handover says restored=5 but 6 entries precede its boot_aggregate\n");
	one_record(f, "kexec_restore", "result=none;restored=6;dropped=0;");
	assert_contains(f->out, "\nhandover: entry 7 boot 2 result=unknown restored=6 dropped=0 (malformed)\n");
	assert_contains(f->out, "\nnote: entry 7: kexec_restore record is malformed\n");
	one_record(f, "kexec_handover", "result=bogus;restored=6;dropped=0;");
	assert_contains(f->out, "\nnote: entry 7: kexec_handover record is malformed\n");
}

static void test_quiet_and_json(void **state)
{
	struct fix *f = *state;

	scenario(f, tb_scenario_truncated);
	assert_int_equal(run(f, (const char *[]){ "-q", "--tpm-dir", f->path[3],
			 f->path[0], NULL }), 1);
	assert_int_equal(strncmp(f->out, "NOT VERIFIED: handover truncated at kexec into boot 2", 53), 0);
	assert_ptr_equal(strchr(f->out, '\n'), f->out + strlen(f->out) - 1);
	assert_int_equal(run(f, (const char *[]){ "--json", "--tpm-dir",
			 f->path[3], f->path[0], NULL }), 1);
	assert_int_equal(strncmp(f->out, "{\"schema\":1,\"verdict\":\"NOT VERIFIED\",\"status\":1,\"reason\":\"handover truncated", 76), 0);
	assert_contains(f->out, "\"cause\":\"handover_truncated\",\"cause_entry\":7,");
	assert_contains(f->out, "\"handovers\":[{\"entry\":7,\"boot\":2,\"result\":\"truncated\",\"restored\":6,\"dropped\":2,\"reason\":null,\"malformed\":false,\"tpm\":null,\"newer\":false}]");
	assert_contains(f->out, "\"bank\":\"sha256\",\"pcr\":10,");
	/* The missing kexec_execute is part of the truncation, not news. */
	assert_contains(f->out, "\"notes\":[\"boot 2: no kexec_execute before its boot_aggregate (entry 6); the truncated handover left it out\"]");
}

static void test_explanations(void **state)
{
	struct fix *f = *state;

	scenario(f, tb_scenario_rejected);
	assert_int_equal(run(f, (const char *[]){ "--tpm-dir", f->path[3],
			 f->path[0], NULL }), 1);
	assert_contains(f->out, "NOT VERIFIED: handover rejected at the kexec that started this list (entry 1): reason digest_mismatch");
	assert_contains(f->out, "handover: entry 1 boot 1 result=rejected restored=0 dropped=0 reason=digest_mismatch\n");
	assert_contains(f->out, "\nnote: boot 1 is the kernel that rejected the handover at entry 1; the boots before it are not in the list\n");
}

static void test_no_execute(void **state)
{
	struct fix *f = *state;

	scenario(f, tb_scenario_no_execute);
	assert_int_equal(run(f, (const char *[]){ "--tpm-dir", f->path[3],
			 f->path[0], NULL }), 1);
	assert_contains(f->out, "NOT VERIFIED: no kexec_execute before boot 2");
	assert_contains(f->out, "MISMATCH");
	assert_contains(f->out, "\nnote: boot 2: no kexec_restore record (new kernel without this series, or a boot policy that does not measure ima_kexec critical data?)\n");
	assert_null(strstr(f->out, "kexec_handover"));
}

static void test_padded(void **state)
{
	struct fix *f = *state;
	struct tb l;

	tb_init(&l);
	tb_scenario_multiboot(&l);
	fixture(f, &l);
	assert_int_equal(tb_write_pcrs(&l, IV_ALG_SHA256, true, f->path[2] + 7), 0);
	tb_free(&l);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", f->path[2],
			 f->path[0], NULL }), 0);
	assert_contains(f->out, "match (sha1 zero-padded)\n");
}

static void test_good_list(void **state)
{
	struct fix *f = *state;
	char good[600];
	struct tb l;

	tb_init(&l);
	tb_scenario_multiboot(&l);
	fixture(f, &l);
	snprintf(good, sizeof(good), "%s/good", f->dir);
	assert_int_equal(tb_write(&l, good), 0);
	/* Same TPM, but the list has another file at entry 3. */
	tb_free(&l);
	tb_init(&l);
	tb_scenario_boot(&l, 2);
	tb_ng(&l, "/usr/bin/other");
	assert_int_equal(tb_write(&l, f->path[0]), 0);
	tb_free(&l);
	assert_int_equal(run(f, (const char *[]){ "--good-list", good,
			 "--tpm-dir", f->path[3], f->path[0], NULL }), 1);
	assert_contains(f->out, "NOT VERIFIED: replay diverges from the known-good list at entry 3");
}

static void test_usage_errors(void **state)
{
	struct fix *f = *state;

	assert_int_equal(run(f, (const char *[]){ "/nonexistent", NULL }), 2);
	assert_contains(f->out, "no PCR values");
	assert_int_equal(run(f, (const char *[]){ "--bogus", NULL }), 2);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", "sha1,x", "a",
			 "b", NULL }), 2);
	assert_contains(f->out, "more than one measurement list");
	assert_int_equal(run(f, (const char *[]){ "--quote-msg", "m",
			 "--pcrs", "sha1,x", "a", NULL }), 2);
	assert_contains(f->out, "a quote needs --quote-msg, --quote-sig, --ak-pub and --nonce");
	assert_int_equal(run(f, (const char *[]){ "--help", NULL }), 0);
	assert_contains(f->out, "Usage: ima-kexec-verify");
}

static void test_input_errors(void **state)
{
	struct fix *f = *state;
	char bad[600];
	struct tb l;

	scenario(f, tb_scenario_multiboot);
	assert_int_equal(run(f, (const char *[]){ "--tpm-dir", f->path[3],
			 "/nonexistent/list", NULL }), 2);
	assert_int_equal(strncmp(f->out, "NOT VERIFIED: input error: /nonexistent/list: No such file", 58), 0);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", "sha1,/nonexistent",
			 f->path[0], NULL }), 2);
	/* A record with zero-length template data after a good one. */
	tb_init(&l);
	tb_ng(&l, "boot_aggregate");
	tb_u32(&l, 10);
	tb_put(&l, "01234567890123456789", 20);
	tb_u32(&l, 6);
	tb_put(&l, "ima-ng", 6);
	tb_u32(&l, 0);
	snprintf(bad, sizeof(bad), "%s/bad", f->dir);
	assert_int_equal(tb_write(&l, bad), 0);
	assert_int_equal(run(f, (const char *[]){ "--tpm-dir", f->path[3],
			 bad, NULL }), 2);
	snprintf(bad, sizeof(bad), "entry 1 at byte offset %zu: zero-length template data",
		 l.offs[1]);
	assert_contains(f->out, bad);
	tb_free(&l);
	assert_int_equal(run(f, (const char *[]){ "--json", "--tpm-dir",
			 f->path[3], "/nonexistent", NULL }), 2);
	assert_contains(f->out, "{\"schema\":1,\"verdict\":\"ERROR\",\"status\":2,");
}

/*
 * PCR values as tpm2_pcrread prints them (YAML, upper case hex), with
 * PCRs the list does not extend among them: --pcrs yaml,FILE, detected
 * in --pcrs FILE, and a malformed line.
 */
static void test_pcrs_yaml(void **state)
{
	struct fix *f = *state;
	char yaml[1024], hex[2 * IV_MAX_DIGEST + 1], spec[600], *p;
	struct iv_pcrs v = { 0 };
	struct tb l;
	size_t i;

	tb_init(&l);
	tb_scenario_multiboot(&l);
	fixture(f, &l);
	tb_fill_pcrs(&l, &v, IV_ALG_SHA1, false);
	tb_fill_pcrs(&l, &v, IV_ALG_SHA256, false);
	p = yaml + sprintf(yaml, "  sha1:\n    0 : 0x%040d\n", 0);
	iv_hex(v.bank[IV_ALG_SHA1].val[10], 20, hex);
	p += sprintf(p, "    10: 0x%s\n  sha256:\n", hex);
	iv_hex(v.bank[IV_ALG_SHA256].val[10], 32, hex);
	p += sprintf(p, "    10: 0x%s\n", hex);
	for (i = 0; yaml[i]; i++)
		if (yaml[i] >= 'a' && yaml[i] <= 'f')
			yaml[i] = (char)(yaml[i] - 'a' + 'A');
	snprintf(f->path[4], sizeof(f->path[4]), "%s/pcrs.yaml", f->dir);
	assert_int_equal(tb_write_file(f->path[4], yaml, strlen(yaml)), 0);
	snprintf(spec, sizeof(spec), "yaml,%s", f->path[4]);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", spec, f->path[0],
			 NULL }), 0);
	assert_contains(f->out, "VERIFIED: 17 entries, 3 boots, banks sha1,sha256 match\n");
	assert_int_equal(run(f, (const char *[]){ "--pcrs", f->path[4],
			 f->path[0], NULL }), 0);
	assert_contains(f->out, "VERIFIED: 17 entries, 3 boots, banks sha1,sha256 match\n");
	/* With evmctl values of the same bank beside it, all must agree. */
	assert_int_equal(run(f, (const char *[]){ "--pcrs", spec, "--pcrs",
			 f->path[2], f->path[0], NULL }), 0);
	/* A value of the wrong length, on line 3. */
	strcpy(yaml + strlen(yaml) - 3, "\n");
	assert_int_equal(tb_write_file(f->path[4], yaml, strlen(yaml)), 0);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", spec, f->path[0],
			 NULL }), 2);
	snprintf(spec, sizeof(spec), "NOT VERIFIED: input error: %s:5: PCR-10 is not 0x and 32 bytes of hex for sha256",
		 f->path[4]);
	assert_contains(f->out, spec);
	/* A bank named beside YAML: which one is meant is not clear. */
	snprintf(spec, sizeof(spec), "sha256,%s", f->path[4]);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", spec, f->path[0],
			 NULL }), 2);
	assert_contains(f->out, "tpm2_pcrread YAML names its banks itself: give --pcrs yaml,");
	tb_free(&l);
}

/* f->path[4]: the list at @path and two more entries, as read later. */
static void live_list(struct fix *f, const char *path)
{
	uint8_t buf[8192];
	size_t n;
	FILE *in = fopen(path, "rb");
	struct tb l;

	assert_non_null(in);
	n = fread(buf, 1, sizeof(buf), in);
	fclose(in);
	assert_true(n > 0 && n < sizeof(buf));
	tb_init(&l);
	tb_put(&l, buf, n);
	tb_ng(&l, "/usr/bin/after-the-quote");
	tb_ng(&l, "/usr/bin/after-that");
	snprintf(f->path[4], sizeof(f->path[4]), "%s/live", f->dir);
	assert_int_equal(tb_write(&l, f->path[4]), 0);
	tb_free(&l);
}

/* A quote made by tpm2_quote (tpm2-tools 5.4) on swtpm, kept as files. */
static void test_real_quote(void **state)
{
	struct fix *f = *state;
	const char *data = getenv("IV_DATA");
	char d[8][512], nonce[80] = "", *nl, first;
	FILE *fp;
	int i;

	if (!data)
		skip();
	for (i = 0; i < 6; i++) {
		static const char *const names[] = {
			"q.msg", "q.sig", "ak.pem", "q.pcrs", "list", "nonce",
		};

		snprintf(d[i], sizeof(d[i]), "%s/swtpm-multiboot/%s", data,
			 names[i]);
	}
	fp = fopen(d[5], "r");
	assert_non_null(fp);
	assert_non_null(fgets(nonce, sizeof(nonce), fp));
	fclose(fp);
	nl = strchr(nonce, '\n');
	if (nl)
		*nl = '\0';
	assert_int_equal(run(f, (const char *[]){ "--quote-msg", d[0],
			 "--quote-sig", d[1], "--ak-pub", d[2], "--nonce", nonce,
			 "--quote-pcrs", d[3], d[4], NULL }), 0);
	assert_contains(f->out, "VERIFIED: 17 entries, 3 boots, banks sha1,sha256 match (quote verified)");
	assert_contains(f->out, "\nquote: verified, rsassa/sha256, clock ");
	/* Saved before the rename: kexec_handover records, "verified". */
	assert_contains(f->out, "\nhandover: entry 15 boot 3 result=intact restored=14 dropped=0\n");
	first = nonce[0];
	nonce[0] = first == '0' ? '1' : '0';
	assert_int_equal(run(f, (const char *[]){ "--quote-msg", d[0],
			 "--quote-sig", d[1], "--ak-pub", d[2], "--nonce", nonce,
			 "--quote-pcrs", d[3], d[4], NULL }), 1);
	assert_contains(f->out, "NOT VERIFIED: quote nonce (extraData)");
	nonce[0] = first;
	/* Entries added after the quote: the quoted PCRs cover the first 17. */
	live_list(f, d[4]);
	assert_int_equal(run(f, (const char *[]){ "--quote-msg", d[0],
			 "--quote-sig", d[1], "--ak-pub", d[2], "--nonce", nonce,
			 "--quote-pcrs", d[3], f->path[4], NULL }), 0);
	assert_contains(f->out, "VERIFIED: 17 of 19 entries, 3 boots, banks sha1,sha256 match (quote verified); 2 newer entries not yet covered by the PCRs\n");
	/* The quote does not cover other PCR values given on the side. */
	scenario(f, boot4);
	nonce[0] = first;
	assert_int_equal(run(f, (const char *[]){ "--quote-msg", d[0],
			 "--quote-sig", d[1], "--ak-pub", d[2], "--nonce", nonce,
			 "--quote-pcrs", d[3], "--pcrs", f->path[2], d[4],
			 NULL }), 1);
	assert_contains(f->out, "NOT VERIFIED: sha256 PCR-10 given on the command line differs from the quoted value");
}


/* ---- the kernel's TPM check in kexec_restore, one case per verdict ---- */

/* Text and --json of the tool on a fixture of @build; exits as given. */
static void tpm_case(struct fix *f, void (*build)(struct tb *), int want,
		     char *json, size_t jlen)
{
	scenario(f, build);
	assert_int_equal(run(f, (const char *[]){ "--json", "--tpm-dir",
			 f->path[3], f->path[0], NULL }), want);
	snprintf(json, jlen, "%s", f->out);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", f->path[1],
			 "--pcrs", f->path[2], f->path[0], NULL }), want);
}

static void test_tpm_match(void **state)
{
	struct fix *f = *state;
	static char json[65536];

	tpm_case(f, tb_scenario_tpm_match, 0, json, sizeof(json));
	assert_contains(f->out, "VERIFIED: 17 entries, 3 boots, banks sha1,sha256 match\n");
	assert_contains(f->out, "\nhandover: entry 8 boot 2 result=intact restored=7 dropped=0 tpm=match\n"
			"tpm-check: entry 8 boot 2 tpm=match: the kernel replayed the 7 restored entries from the PCR reset values and the TPM held exactly their extends in every bank it checked\n"
			"tpm-check: entry 8 boot 2 sha1: kernel match, verifier match; agree\n"
			"tpm-check: entry 8 boot 2 sha256: kernel match, verifier match; agree\n"
			"handover: entry 15 boot 3 result=intact restored=14 dropped=0 tpm=match\n");
	assert_null(strstr(f->out, "note:"));
	assert_contains(json, "\"malformed\":false,\"tpm\":{\"verdict\":\"match\",\"reason\":null,\"meaning\":\"the kernel replayed the 7 restored entries from the PCR reset values and the TPM held exactly their extends in every bank it checked\",\"banks\":[{\"bank\":\"sha1\",\"alg_id\":4,\"kernel\":\"match\",\"kernel_pcrs\":[],\"verifier\":\"match\",\"verifier_pcrs\":[],\"agreement\":\"agree\",\"text\":\"agree\"},{\"bank\":\"sha256\",\"alg_id\":11,");
}

static void test_tpm_mismatch(void **state)
{
	struct fix *f = *state;
	static char json[65536];

	tpm_case(f, tb_scenario_tpm_mismatch, 1, json, sizeof(json));
	assert_contains(f->out, "NOT VERIFIED: the kernel found at boot 2 (entry 6) that the 5 restored entries do not replay to PCR 10 in sha1 (tpm=mismatch): measurements of boot 1 are missing from the list, or it was forged or reordered\n");
	assert_contains(f->out, "\nhandover: entry 6 boot 2 result=intact restored=5 dropped=0 tpm=mismatch\n"
			"tpm-check: entry 6 boot 2 tpm=mismatch: the TPM held extends that the 5 restored entries do not explain: measurements of boot 1 are missing from the list, or it was forged or reordered\n"
			"tpm-check: entry 6 boot 2 sha1: kernel mismatch PCR 10, verifier MISMATCH PCR 10; agree: the list lacks extends the TPM holds\n"
			"tpm-check: entry 6 boot 2 sha256: kernel mismatch PCR 10, verifier MISMATCH PCR 10; agree: the list lacks extends the TPM holds\n");
	assert_contains(json, "\"cause\":\"kernel_tpm_mismatch\",\"cause_entry\":6,");
	assert_contains(json, "{\"bank\":\"sha256\",\"alg_id\":11,\"kernel\":\"mismatch\",\"kernel_pcrs\":[10],\"verifier\":\"mismatch\",\"verifier_pcrs\":[10],\"agreement\":\"agree\",\"text\":\"agree: the list lacks extends the TPM holds\"}");
}

static void test_tpm_lost(void **state)
{
	struct fix *f = *state;
	static char json[65536];

	tpm_case(f, tb_scenario_tpm_lost, 1, json, sizeof(json));
	assert_contains(f->out, "NOT VERIFIED: handover lost at the kexec that started this list (entry 1): the new kernel received no list (kexec_load syscall or a previous kernel without IMA_KEXEC), and its TPM check found sha1 PCR 10 not at its reset value (tpm=lost): the TPM holds the previous kernel's measurements, which no list carries; unless that kernel lacked IMA_KEXEC, the previous kernel was loaded with kexec_load, which hands no list over; use kexec -s (kexec_file_load)\n");
	assert_contains(f->out, "\nhandover: entry 1 boot 1 result=none restored=0 dropped=0 tpm=lost\n"
			"tpm-check: entry 1 boot 1 tpm=lost: the TPM holds measurements of the previous kernel that no list carries: the kexec carried no handover (kexec_load syscall or a kernel without IMA_KEXEC)\n"
			"tpm-check: entry 1 boot 1 sha1: kernel mismatch PCR 10, verifier MISMATCH PCR 10; agree: the TPM held extends before this list began\n");
	assert_contains(f->out, "\nnote: boot 1 is the kernel that received no handover at entry 1; the boots before it are not in the list\n");
	/* result=none is a valid word now, in a record with tpm fields. */
	assert_null(strstr(f->out, "malformed"));
	assert_contains(json, "\"cause\":\"handover_lost\",\"cause_entry\":1,");
	assert_contains(json, "\"result\":\"none\",\"restored\":0,\"dropped\":0,\"reason\":null,\"malformed\":false,\"tpm\":{\"verdict\":\"lost\",");
}

static void test_tpm_no_tpm(void **state)
{
	struct fix *f = *state;
	static char json[65536];

	tpm_case(f, tb_scenario_tpm_bypass, 1, json, sizeof(json));
	assert_contains(f->out, "NOT VERIFIED: the kernel of boot 2 (entry 6) found no TPM chip (tpm=not_checked, tpm_reason=no_tpm: IMA's TPM-bypass mode), so the measurements it took, from entry 5 on, extend no PCR; sha1 PCR-10 equals the replay of the 5 entries before it\n");
	assert_contains(f->out, "\nhandover: entry 6 boot 2 result=intact restored=5 dropped=0 tpm=not_checked tpm_reason=no_tpm\n"
			"tpm-check: entry 6 boot 2 tpm=not_checked: the kernel found no TPM chip (IMA's TPM-bypass mode), so it checked nothing and its measurements extend no PCR\n");
	/* No bank fields with no_tpm, so no per-bank lines. */
	assert_null(strstr(f->out, "tpm-check: entry 6 boot 2 sha"));
	assert_contains(json, "\"cause\":\"kernel_tpm_bypass\",\"cause_entry\":5,");
	assert_contains(json, "\"tpm\":{\"verdict\":\"not_checked\",\"reason\":\"no_tpm\",\"meaning\":\"the kernel found no TPM chip (IMA's TPM-bypass mode), so it checked nothing and its measurements extend no PCR\",\"banks\":[]}");
}

static void tpm_disabled(struct tb *l)
{
	tb_scenario_boot(l, 2);
	tb_scenario_kexec_tpm(l, "intact", "tpm=not_checked;tpm_reason=disabled;");
	tb_ng(l, "/usr/bin/after");
}

static void test_tpm_disabled(void **state)
{
	struct fix *f = *state;
	static char json[65536];

	tpm_case(f, tpm_disabled, 0, json, sizeof(json));
	assert_contains(f->out, "VERIFIED: 9 entries, 2 boots, banks sha1,sha256 match\n");
	assert_contains(f->out, "\nhandover: entry 7 boot 2 result=intact restored=6 dropped=0 tpm=not_checked tpm_reason=disabled\n"
			"tpm-check: entry 7 boot 2 tpm=not_checked: the check was switched off (ima_kexec_tpm_check=off)\n");
	assert_null(strstr(f->out, "note:"));
	assert_contains(json, "\"tpm\":{\"verdict\":\"not_checked\",\"reason\":\"disabled\",");
}

static void test_tpm_no_hash_bank(void **state)
{
	struct fix *f = *state;
	static char json[65536];

	tpm_case(f, tb_scenario_tpm_banks, 0, json, sizeof(json));
	assert_contains(f->out, "VERIFIED: 9 entries, 2 boots, banks sha1,sha256 match\n");
	assert_contains(f->out, "\ntpm-check: entry 7 boot 2 sha256: kernel match, verifier match; agree\n"
			"tpm-check: entry 7 boot 2 sha384: kernel not_checked:no_hash, verifier has no sha384 values; not compared: that kernel has no hash for this bank\n"
			"tpm-check: entry 7 boot 2 sm3: kernel match, verifier cannot replay sm3; not compared\n"
			"tpm-check: entry 7 boot 2 0x0027: kernel not_checked:no_hash, verifier cannot replay 0x0027; not compared: that kernel has no hash for this bank\n");
	assert_contains(json, "{\"bank\":\"0x0027\",\"alg_id\":39,\"kernel\":\"not_checked:no_hash\",\"kernel_pcrs\":[],\"verifier\":\"cannot_replay\",\"verifier_pcrs\":[],\"agreement\":\"not_compared\",");
	assert_contains(json, "{\"bank\":\"sha384\",\"alg_id\":12,\"kernel\":\"not_checked:no_hash\",\"kernel_pcrs\":[],\"verifier\":\"not_given\",");
}

/* A list that replays beside a kernel saying it did not: NOT VERIFIED. */
static void test_tpm_disagree(void **state)
{
	struct fix *f = *state;
	static char json[65536];

	tpm_case(f, tb_scenario_tpm_disagree, 1, json, sizeof(json));
	assert_contains(f->out, "NOT VERIFIED: kernel and verifier disagree at boot 3 (entry 14): the kernel's TPM check says the 13 restored entries do not replay to sha256 PCR 10 (tpm=mismatch), but the whole list replays to the given sha256 PCR 10, so they must have replayed then; that kernel's record or the PCR values given are false\n");
	assert_contains(f->out, "match (per-bank template hash)\n");
	assert_contains(f->out, "\ntpm-check: entry 14 boot 3 sha256: kernel mismatch PCR 10, verifier match; DISAGREE: the whole list replays to sha256 PCR 10, so the 13 entries restored at boot 3 must have replayed then\n");
	assert_contains(json, "{\"schema\":1,\"verdict\":\"NOT VERIFIED\",\"status\":1,");
	assert_contains(json, "\"cause\":\"kernel_tpm_disagreement\",\"cause_entry\":14,");
	assert_contains(json, "\"agreement\":\"disagree\",");
	/* -q: the verdict line alone. */
	assert_int_equal(run(f, (const char *[]){ "-q", "--tpm-dir", f->path[3],
			 f->path[0], NULL }), 1);
	assert_int_equal(strncmp(f->out, "NOT VERIFIED: kernel and verifier disagree at boot 3", 52), 0);
	assert_ptr_equal(strchr(f->out, '\n'), f->out + strlen(f->out) - 1);
}

/*
 * A rejection as the kernel with the TPM check writes it: nothing
 * restored, and tpm=mismatch for every reason but unreadable (which says
 * lost).  A valid record, not an input error; the rig's digest-mismatch
 * and overflow-base-to-patched lists say the same.
 */
static void tpm_rejected(struct tb *l)
{
	tb_scenario_boot(l, 3);
	tb_kexec_event(l, "kexec_load", 65536);
	tb_kexec_event(l, "kexec_execute", 65536);
	tb_truncate(l, 0);
	tb_ng(l, "boot_aggregate");
	tb_handover(l, "result=rejected;restored=0;dropped=0;reason=digest_mismatch;tpm=mismatch;tpm_sha1=mismatch:10;tpm_sha256=mismatch:10;");
	tb_ng(l, "/usr/bin/after");
}

static void test_tpm_rejected(void **state)
{
	struct fix *f = *state;
	static char json[65536];

	tpm_case(f, tpm_rejected, 1, json, sizeof(json));
	assert_contains(f->out, "NOT VERIFIED: handover rejected at the kexec that started this list (entry 1): reason digest_mismatch; the new kernel discarded the whole list the previous kernel handed over (how many entries is not recorded) but the TPM holds their extends; the kernel's own TPM check agrees (tpm=mismatch: sha1 PCR 10 not at its reset value)\n");
	assert_contains(f->out, "\nhandover: entry 1 boot 1 result=rejected restored=0 dropped=0 reason=digest_mismatch tpm=mismatch\n"
			"tpm-check: entry 1 boot 1 tpm=mismatch: the TPM holds measurements of the previous kernel that no list carries: this kernel rejected the handover (reason digest_mismatch) and restored nothing\n"
			"tpm-check: entry 1 boot 1 sha1: kernel mismatch PCR 10, verifier MISMATCH PCR 10; agree: the TPM held extends before this list began\n");
	/* Nothing restored: nothing was forged or reordered either. */
	assert_null(strstr(f->out, "forged"));
	assert_contains(json, "\"cause\":\"handover_rejected\",\"cause_entry\":1,");
	assert_contains(json, "\"reason\":\"digest_mismatch\",\"malformed\":false,\"tpm\":{\"verdict\":\"mismatch\",");
}

/* A kexec event's count beside its position, in the singular too. */
static void count_off(struct tb *l)
{
	char buf[160];

	tb_scenario_boot(l, 2);
	snprintf(buf, sizeof(buf), "kexec_segment_size=65536;ima_binary_runtime_size=%zu;ima_runtime_measurements_count=%zu;",
		 l->len + 24, l->count + 1);
	tb_buf(l, "kexec_load", buf);
	snprintf(buf, sizeof(buf), "kexec_segment_size=65536;ima_binary_runtime_size=%zu;ima_runtime_measurements_count=%zu;",
		 l->len + 24, l->count + 2);
	tb_buf(l, "kexec_execute", buf);
	snprintf(buf, sizeof(buf), "kexec_segment_size=65536;ima_binary_runtime_size=%zu;ima_runtime_measurements_count=%zu;",
		 l->len + 24, l->count - 1);
	tb_buf(l, "kexec_load", buf);
	snprintf(buf, sizeof(buf), "kexec_segment_size=65536;ima_binary_runtime_size=%zu;ima_runtime_measurements_count=%zu;",
		 l->len + 24, l->count - 3);
	tb_buf(l, "kexec_load", buf);
}

static void test_count_words(void **state)
{
	struct fix *f = *state;

	scenario(f, count_off);
	assert_int_equal(run(f, (const char *[]){ "--tpm-dir", f->path[3],
			 f->path[0], NULL }), 0);
	assert_contains(f->out, "\nkexec: entry 3 boot 1 kexec_load segment_size=65536 binary_size=");
	assert_contains(f->out, " count=4 (1 entry before it is missing)\n");
	assert_contains(f->out, " count=6 (2 entries before it are missing)\n");
	assert_contains(f->out, " count=4 (1 more entry before it than counted)\n");
	assert_contains(f->out, " count=3 (3 more entries before it than counted)\n");
}

/* A malformed tpm field is an input error that names entry and field. */
static void test_tpm_malformed(void **state)
{
	struct fix *f = *state;
	char want[800];
	struct tb l;

	tb_init(&l);
	tb_scenario_boot(&l, 2);
	tb_scenario_kexec_tpm(&l, "intact", "tpm=mismatch;tpm_sha256=mismatch:10-9;");
	fixture(f, &l);
	assert_int_equal(run(f, (const char *[]){ "--tpm-dir", f->path[3],
			 f->path[0], NULL }), 2);
	snprintf(want, sizeof(want), "NOT VERIFIED: input error: %s: entry 7 at byte offset %zu: kexec_restore record: tpm_sha256: PCR list '10-9' is not in ascending order\n",
		 f->path[0], l.offs[7]);
	assert_contains(f->out, want);
	assert_int_equal(run(f, (const char *[]){ "--json", "--tpm-dir",
			 f->path[3], f->path[0], NULL }), 2);
	assert_contains(f->out, "{\"schema\":1,\"verdict\":\"ERROR\",\"status\":2,\"reason\":\"");
	assert_contains(f->out, "tpm_sha256: PCR list '10-9' is not in ascending order\",\"cause\":\"input_error\",");
	tb_free(&l);
}

/* ---- lists read after the PCRs, standard input, bounds on reading ---- */

/*
 * A live list: the PCR files match the first 17 entries, and three were
 * added before the list was read.  Those 17 verify; the newer three are
 * reported, not judged.
 */
static void test_live_growth(void **state)
{
	struct fix *f = *state;
	char want[512];
	struct tb l;

	multiboot(f, &l);
	tb_ng(&l, "/usr/bin/late1");
	tb_violation(&l, "/var/log/late2");
	tb_ng(&l, "/usr/bin/late3");
	rewrite(f, &l);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", f->path[1],
			 "--pcrs", f->path[2], f->path[0], NULL }), 0);
	assert_int_equal(strncmp(f->out, "VERIFIED: 17 of 20 entries, 3 boots, banks sha1,sha256 match; 3 newer entries not yet covered by the PCRs\n", 106), 0);
	assert_contains(f->out, "\nlist: 20 entries, 2 violations, template digests ok\n");
	snprintf(want, sizeof(want), "\nnewer: entries 17-19 (from byte offset %zu) added after the PCR values were read: not covered, not judged\n",
		 l.offs[17]);
	assert_contains(f->out, want);
	assert_contains(f->out, "match (per-bank template hash)\n");
	assert_null(strstr(f->out, "MISMATCH"));
	assert_int_equal(run(f, (const char *[]){ "-q", "--tpm-dir", f->path[3],
			 f->path[0], NULL }), 0);
	assert_string_equal(f->out, "VERIFIED: 17 of 20 entries, 3 boots, banks sha1,sha256 match; 3 newer entries not yet covered by the PCRs\n");
	assert_int_equal(run(f, (const char *[]){ "--json", "--tpm-dir",
			 f->path[3], f->path[0], NULL }), 0);
	assert_contains(f->out, "{\"schema\":1,\"verdict\":\"VERIFIED\",\"status\":0,\"reason\":\"\",\"cause\":\"none\",");
	snprintf(want, sizeof(want), "\"entries\":20,\"coverage\":{\"covered\":17,\"entries\":20,\"newer\":3,\"newer_offset\":%zu},",
		 l.offs[17]);
	assert_contains(f->out, want);
	assert_contains(f->out, "\"last_match_entry\":16}");
	/* One newer entry; then none, and the line is as it always was. */
	tb_truncate(&l, 18);
	rewrite(f, &l);
	assert_int_equal(run(f, (const char *[]){ "--tpm-dir", f->path[3],
			 f->path[0], NULL }), 0);
	assert_contains(f->out, "VERIFIED: 17 of 18 entries, 3 boots, banks sha1,sha256 match; 1 newer entry not yet covered by the PCRs\n");
	assert_contains(f->out, "\nnewer: entry 17 (from byte offset ");
	tb_truncate(&l, 17);
	rewrite(f, &l);
	assert_int_equal(run(f, (const char *[]){ "--tpm-dir", f->path[3],
			 f->path[0], NULL }), 0);
	assert_int_equal(strncmp(f->out, "VERIFIED: 17 entries, 3 boots, banks sha1,sha256 match\n", 55), 0);
	assert_null(strstr(f->out, "newer"));
	tb_free(&l);
}

/*
 * The PCRs equal a prefix, but a kexec came after it: a list read after
 * the PCRs on the same kernel holds no newer boot.  Not verified.
 */
static void test_live_newer_boot(void **state)
{
	struct fix *f = *state;
	struct tb l;

	multiboot(f, &l);
	tb_scenario_kexec(&l, "intact");
	rewrite(f, &l);
	tb_free(&l);
	assert_int_equal(run(f, (const char *[]){ "--tpm-dir", f->path[3],
			 f->path[0], NULL }), 1);
	assert_contains(f->out, "NOT VERIFIED: list longer than TPM: sha1 PCR-10 equals the replay after entry 16; the list has 5 more entries than the TPM, among them the boot_aggregate of boot 4 (entry 20): PCR values read before that boot, or a kernel that extended no PCR\n");
	assert_int_equal(run(f, (const char *[]){ "--json", "--tpm-dir",
			 f->path[3], f->path[0], NULL }), 1);
	assert_contains(f->out, "\"cause\":\"list_longer_than_tpm\",\"cause_entry\":17,");
	assert_contains(f->out, "\"entries\":22,\"coverage\":null,");
}

/*
 * Records after the covered prefix are shown as the list's claim, in
 * text and JSON, and are no handover of the covered boot they follow:
 * that boot keeps its note (the reviewer's list).
 */
static void test_live_newer_record(void **state)
{
	struct fix *f = *state;
	struct tb l;

	tb_init(&l);
	tb_scenario_boot(&l, 2);
	tb_scenario_kexec(&l, NULL);
	fixture(f, &l);
	tb_handover(&l, "result=intact;restored=5;dropped=0;");
	tb_kexec_event(&l, "kexec_load", 65536);
	rewrite(f, &l);
	tb_free(&l);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", f->path[2],
			 f->path[0], NULL }), 0);
	assert_contains(f->out, "VERIFIED: 7 of 9 entries, 2 boots, bank sha256 match; 2 newer entries not yet covered by the PCRs\n");
	assert_contains(f->out, "\nkexec: entry 5 boot 1 kexec_execute segment_size=65536 binary_size=613 count=5 (count matches position)\n");
	assert_contains(f->out, "\nhandover: entry 7 boot 2 result=intact restored=5 dropped=0 (newer, not covered: the list's claim)\n");
	assert_contains(f->out, " kexec_load segment_size=65536 binary_size=1045 count=8 (count matches position) (newer, not covered: the list's claim)\n");
	assert_contains(f->out, "\nnote: boot 2: no kexec_restore record (");
	assert_null(strstr(f->out, "restored=5 but"));
	assert_int_equal(run(f, (const char *[]){ "--json", "--pcrs", f->path[2],
			 f->path[0], NULL }), 0);
	assert_contains(f->out, "\"count_matches_position\":true,\"digest_ok\":true,\"newer\":false},");
	assert_contains(f->out, "\"count_matches_position\":true,\"digest_ok\":true,\"newer\":true}],");
	assert_contains(f->out, "\"handovers\":[{\"entry\":7,\"boot\":2,\"result\":\"intact\",\"restored\":5,\"dropped\":0,\"reason\":null,\"malformed\":false,\"tpm\":null,\"newer\":true}],");
	assert_contains(f->out, "\"notes\":[\"boot 2: no kexec_restore record (");
}

/*
 * sha1 read at 17 entries, sha256 at 20: each bank matches a prefix,
 * not the same one, so no prefix verifies.
 */
static void test_banks_disagree(void **state)
{
	struct fix *f = *state;
	struct tb l;

	multiboot(f, &l);
	tb_ng(&l, "/usr/bin/late1");
	tb_ng(&l, "/usr/bin/late2");
	tb_ng(&l, "/usr/bin/late3");
	rewrite(f, &l);
	assert_int_equal(tb_write_pcrs(&l, IV_ALG_SHA256, false, f->path[2] + 7), 0);
	tb_free(&l);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", f->path[1],
			 "--pcrs", f->path[2], f->path[0], NULL }), 1);
	assert_contains(f->out, "NOT VERIFIED: PCRs disagree: sha1 PCR-10 equals the replay after entry 16, but sha256 PCR-10 that after entry 19; no prefix of the list replays to both (values not read together, or a bank extended alone through /dev/tpm0)\n");
	assert_null(strstr(f->out, "newer"));
	assert_int_equal(run(f, (const char *[]){ "--json", "--pcrs", f->path[1],
			 "--pcrs", f->path[2], f->path[0], NULL }), 1);
	assert_contains(f->out, "\"cause\":\"pcrs_disagree\",\"cause_entry\":17,");
	assert_contains(f->out, "\"coverage\":null,");
}

/* "-": a pipe (read once), or a file on stdin (read twice if need be). */
static void test_stdin(void **state)
{
	struct fix *f = *state;
	struct input in = { 0 };
	char want[256];
	struct tb l;

	multiboot(f, &l);
	in.data = l.p;
	in.len = l.len;
	assert_int_equal(run_in(f, (const char *[]){ "--pcrs", f->path[1],
			    "--pcrs", f->path[2], "-", NULL }, &in), 0);
	assert_int_equal(strncmp(f->out, "VERIFIED: 17 entries, 3 boots, banks sha1,sha256 match\n", 55), 0);
	assert_int_equal(f->fed, l.len);
	/* Zero-padded values: both schemes in the one pass of a pipe. */
	assert_int_equal(tb_write_pcrs(&l, IV_ALG_SHA256, true, f->path[2] + 7), 0);
	assert_int_equal(run_in(f, (const char *[]){ "--pcrs", f->path[2],
			    "-", NULL }, &in), 0);
	assert_contains(f->out, "VERIFIED: 17 entries, 3 boots, bank sha256 match\n");
	assert_contains(f->out, "match (sha1 zero-padded)\n");
	/* The same from a file on stdin: a second pass, seeking back. */
	memset(&in, 0, sizeof(in));
	in.file = f->path[0];
	assert_int_equal(run_in(f, (const char *[]){ "--pcrs", f->path[2],
			    "-", NULL }, &in), 0);
	assert_contains(f->out, "match (sha1 zero-padded)\n");
	/* A live list through a pipe. */
	assert_int_equal(tb_write_pcrs(&l, IV_ALG_SHA256, false, f->path[2] + 7), 0);
	tb_ng(&l, "/usr/bin/late");
	memset(&in, 0, sizeof(in));
	in.data = l.p;
	in.len = l.len;
	assert_int_equal(run_in(f, (const char *[]){ "-q", "--pcrs", f->path[1],
			    "--pcrs", f->path[2], "-", NULL }, &in), 0);
	assert_string_equal(f->out, "VERIFIED: 17 of 18 entries, 3 boots, banks sha1,sha256 match; 1 newer entry not yet covered by the PCRs\n");
	/* Errors name stdin. */
	in.len = l.len - 1;
	assert_int_equal(run_in(f, (const char *[]){ "-q", "--pcrs", f->path[1],
			    "-", NULL }, &in), 2);
	snprintf(want, sizeof(want), "NOT VERIFIED: input error: stdin: entry 17 at byte offset %zu: truncated template data",
		 l.offs[17]);
	assert_contains(f->out, want);
	in.len = 0;
	assert_int_equal(run_in(f, (const char *[]){ "-q", "--pcrs", f->path[1],
			    "-", NULL }, &in), 2);
	assert_contains(f->out, "NOT VERIFIED: input error: stdin: measurement list is empty\n");
	assert_int_equal(run(f, (const char *[]){ "--pcrs", f->path[1],
			 "--good-list", "-", "-", NULL }), 2);
	assert_contains(f->out, "the list and --good-list cannot both be stdin");
	tb_free(&l);
}

/*
 * Implausible header fields fail on the record that has them, before
 * anything after it is read: /dev/zero at once (it used to read 512 MiB
 * first), and a list followed by endless zeros after reading little.
 */
static void test_zeros(void **state)
{
	struct fix *f = *state;
	struct input in = { 0 };
	char want[256];
	struct tb l;

	multiboot(f, &l);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", f->path[1],
			 "/dev/zero", NULL }), 2);
	assert_string_equal(f->out, "NOT VERIFIED: input error: /dev/zero: entry 0 at byte offset 0: template name length 0 not in 1-255\n"
			    "ima-kexec-verify: /dev/zero: entry 0 at byte offset 0: template name length 0 not in 1-255\n");
	if (f->seconds > 10)
		fail_msg("/dev/zero took %.1f s", f->seconds);
	in.data = l.p;
	in.len = l.len;
	in.zeros = true;
	assert_int_equal(run_in(f, (const char *[]){ "-q", "--pcrs", f->path[1],
			    "-", NULL }, &in), 2);
	snprintf(want, sizeof(want), "NOT VERIFIED: input error: stdin: entry 17 at byte offset %zu: template name length 0 not in 1-255\n",
		 l.len);
	assert_int_equal(strncmp(f->out, want, strlen(want)), 0);
	/* Its read buffer and the pipe's, not the 1 GiB on offer. */
	if (f->fed > 4 << 20)
		fail_msg("the tool took %zu bytes of zeros before it stopped",
			 f->fed);
	tb_free(&l);
}

/*
 * Memory does not grow with the list: the optimised tool (sanitizers
 * reserve terabytes of address space) verifies the 1M-entry list of
 * make check, 135 MB, in an address space of 32 MiB, libraries included.
 * The list of the whole list used to take 442 MB.
 */
static void test_memory_bound(void **state)
{
	struct fix *f = *state;
	const char *dir = getenv("IV_LARGE");
	char list[512], tpm[512];
	struct input in = { 0 };
	struct stat st;

	in.bin = getenv("IV_BIN_OPT");
	in.as_limit = 32 << 20;
	if (!dir || !in.bin)
		skip();
	snprintf(list, sizeof(list), "%s/list", dir);
	snprintf(tpm, sizeof(tpm), "%s/tpm", dir);
	assert_int_equal(stat(list, &st), 0);
	assert_true((rlim_t)st.st_size > 4 * in.as_limit);
	assert_int_equal(run_in(f, (const char *[]){ "--tpm-dir", tpm, list,
			    NULL }, &in), 0);
	assert_int_equal(strncmp(f->out, "VERIFIED: 1000000 entries, 2 boots, banks sha1,sha256 match\n", 60), 0);
	assert_contains(f->out, "\nhandover: entry 500003 boot 2 result=intact restored=500002 dropped=0 tpm=match\n");
}

/*
 * initramfs-parts: three part files in f->path[4..6], their bytes in
 * @data, and a list in f->path[0] (sha256 PCR values: f->path[2]) of a
 * load of them, member 1 with @member1 bytes instead, and a file after.
 * No boot_aggregate: a policy would check it against PCRs 0-9.
 */
static void parts_fixture(struct fix *f, uint8_t data[3][2048],
			  const uint8_t *member1)
{
	static const char *const magic[] = { "070701", "\x28\xb5\x2f\xfd",
					     "\x1f\x8b" };
	static const char *const kind[] = { "cpio", "zstd", "gzip" };
	char name[128];
	struct tb l;
	int i, k;

	tb_init(&l);
	for (i = 0; i < 3; i++) {
		for (k = 0; k < 2048; k++)
			data[i][k] = (uint8_t)(i + k * 13);
		memcpy(data[i], magic[i], strlen(magic[i]));
		snprintf(f->path[4 + i], sizeof(f->path[0]), "%s/part%d",
			 f->dir, i);
		assert_int_equal(tb_write_file(f->path[4 + i], data[i], 2048), 0);
		snprintf(name, sizeof(name), "/boot/initrd.img#%d:%s@%d+2048",
			 i, kind[i], 2048 * i);
		tb_file(&l, "ima-ng", "sha256", i == 1 && member1 ? member1 :
			data[i], 2048, name);
	}
	tb_ng(&l, "/usr/bin/after");
	snprintf(f->path[0], sizeof(f->path[0]), "%s/list", f->dir);
	snprintf(f->path[2], sizeof(f->path[2]), "sha256,%s/p256", f->dir);
	assert_int_equal(tb_write(&l, f->path[0]), 0);
	assert_int_equal(tb_write_pcrs(&l, IV_ALG_SHA256, false, f->path[2] + 7), 0);
	tb_free(&l);
}

/* The policy lines printed for the parts, as a --policy of a list. */
static void test_parts_policy(void **state)
{
	struct fix *f = *state;
	uint8_t data[3][2048], other[2048];
	char policy[600], want[256];
	uint8_t d[32];
	char hex[65];

	parts_fixture(f, data, NULL);
	assert_int_equal(run(f, (const char *[]){ "initramfs-parts", "--name",
			 "/boot/initrd.img", f->path[4], f->path[5],
			 f->path[6], NULL }), 0);
	tb_digest("sha256", data[2], 2048, d, NULL);
	iv_hex(d, 32, hex);
	snprintf(want, sizeof(want), "\ndigest sha256:%s /boot/initrd.img#2:gzip@4096+2048\n",
		 hex);
	assert_contains(f->out, want);
	assert_contains(f->out, " /boot/initrd.img#0:cpio@0+2048\n");
	assert_int_equal(strncmp(f->out, "digest sha256:", 14), 0);
	snprintf(policy, sizeof(policy), "%s/parts.policy", f->dir);
	assert_int_equal(tb_write_file(policy, f->out, strlen(f->out)), 0);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", f->path[2],
			 "--policy", policy, f->path[0], NULL }), 1);
	/* The file after the load is not in these lines. */
	assert_contains(f->out, "; policy: 1 violation (/usr/bin/after: not in policy)\n");
	/* With lines for them, the list passes; another member 1 does not. */
	snprintf(want, sizeof(want), "exclude /usr/bin/after\n");
	assert_int_equal(run(f, (const char *[]){ "initramfs-parts", "--name",
			 "/boot/initrd.img", f->path[4], f->path[5],
			 f->path[6], NULL }), 0);
	strcat(f->out, want);
	assert_int_equal(tb_write_file(policy, f->out, strlen(f->out)), 0);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", f->path[2],
			 "--policy", policy, f->path[0], NULL }), 0);
	assert_contains(f->out, "VERIFIED: 4 entries, 0 boots, bank sha256 match; policy: pass\n");
	memset(other, 0x5a, sizeof(other));
	parts_fixture(f, data, other);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", f->path[2],
			 "--policy", policy, f->path[0], NULL }), 1);
	assert_contains(f->out, "/boot/initrd.img#1:zstd@2048+2048: digest sha256:");
}

/* --list: exit 0 when the last load is the parts, 1 if not, 2 on errors. */
static void test_parts_list(void **state)
{
	struct fix *f = *state;
	uint8_t data[3][2048], other[2048];
	char bad[600];
	struct tb l;

	parts_fixture(f, data, NULL);
	assert_int_equal(run(f, (const char *[]){ "initramfs-parts", "--list",
			 f->path[0], f->path[4], f->path[5], f->path[6],
			 NULL }), 0);
	assert_contains(f->out, "MATCH: /boot/initrd.img: the 3 parts are the members of its last load (load 1 of 1 in ");
	assert_contains(f->out, "\npart 2 gzip @4096+2048: matches ");
	memset(other, 0x5a, sizeof(other));
	parts_fixture(f, data, other);
	assert_int_equal(run(f, (const char *[]){ "initramfs-parts", "--name",
			 "/boot/initrd.img", "--list", f->path[0], f->path[4],
			 f->path[5], f->path[6], NULL }), 1);
	assert_contains(f->out, "NO MATCH: /boot/initrd.img: of 3 parts, 1 differs (");
	assert_contains(f->out, "\npart 1 zstd @2048+2048: differs: list sha256:");
	/* Two parts of three: the load has a member more. */
	assert_int_equal(run(f, (const char *[]){ "initramfs-parts", "--list",
			 f->path[0], f->path[4], f->path[5], NULL }), 1);
	assert_contains(f->out, "\npart 2 gzip @4096+2048: not in the parts given (entry 2, sha256:");
	/* An unreadable part, a list that does not parse. */
	assert_int_equal(run(f, (const char *[]){ "initramfs-parts", "--list",
			 f->path[0], f->path[4], "/nonexistent/part", NULL }), 2);
	assert_contains(f->out, "ima-kexec-verify: /nonexistent/part: No such file or directory\n");
	tb_init(&l);
	tb_ng(&l, "boot_aggregate");
	tb_ng(&l, "/boot/initrd.img#0:cpio@0+2048");
	tb_truncate(&l, 2);
	l.len -= 3;
	snprintf(bad, sizeof(bad), "%s/bad", f->dir);
	assert_int_equal(tb_write(&l, bad), 0);
	assert_int_equal(run(f, (const char *[]){ "initramfs-parts", "--list",
			 bad, f->path[4], NULL }), 2);
	snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad),
		 ": entry 1 at byte offset %zu: ", l.offs[1]);
	assert_contains(f->out, bad);
	/* Members of two initramfs paths, and no --name. */
	tb_free(&l);
	tb_init(&l);
	tb_ng(&l, "/boot/a.img#0:cpio@0+2048");
	tb_ng(&l, "/boot/b.img#0:cpio@0+2048");
	snprintf(bad, sizeof(bad), "%s/two", f->dir);
	assert_int_equal(tb_write(&l, bad), 0);
	tb_free(&l);
	assert_int_equal(run(f, (const char *[]){ "initramfs-parts", "--list",
			 bad, f->path[4], NULL }), 2);
	assert_contains(f->out, "the list has members of more than one initramfs: /boot/a.img, /boot/b.img; choose one with --name\n");
	assert_int_equal(run(f, (const char *[]){ "initramfs-parts", "--list",
			 bad, "--name", "/boot/b.img", f->path[4], NULL }), 1);
	assert_contains(f->out, "NO MATCH: /boot/b.img: of 1 part, 1 differs (load 1 of 1 in ");
}

static void test_parts_usage(void **state)
{
	struct fix *f = *state;

	assert_int_equal(run(f, (const char *[]){ "initramfs-parts", "/etc/hostname",
			 NULL }), 2);
	assert_contains(f->out, "the policy lines need --name PATH");
	assert_int_equal(run(f, (const char *[]){ "initramfs-parts", "--name",
			 "/boot/initrd.img", NULL }), 2);
	assert_contains(f->out, "no PART given");
	assert_int_equal(run(f, (const char *[]){ "initramfs-parts", "--hash",
			 "md5", "--name", "x", "/etc/hostname", NULL }), 2);
	assert_contains(f->out, "--hash is sha1, sha256, sha384 or sha512");
	assert_int_equal(run(f, (const char *[]){ "initramfs-parts", "--bogus",
			 NULL }), 2);
	assert_contains(f->out, "Usage: ima-kexec-verify initramfs-parts");
	assert_int_equal(run(f, (const char *[]){ "initramfs-parts", "--help",
			 NULL }), 0);
	assert_contains(f->out, "Usage: ima-kexec-verify initramfs-parts --name PATH");
	assert_int_equal(run(f, (const char *[]){ "--help", NULL }), 0);
	assert_contains(f->out, "  initramfs-parts --name PATH [--hash ALG] PART...\n");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_verified),
		T(test_old_records),
		T(test_record_words),
		T(test_quiet_and_json),
		T(test_explanations),
		T(test_no_execute),
		T(test_padded),
		T(test_good_list),
		T(test_usage_errors),
		T(test_input_errors),
		T(test_real_quote),
		T(test_tpm_match),
		T(test_tpm_mismatch),
		T(test_tpm_lost),
		T(test_tpm_no_tpm),
		T(test_tpm_disabled),
		T(test_tpm_no_hash_bank),
		T(test_tpm_disagree),
		T(test_tpm_rejected),
		T(test_count_words),
		T(test_tpm_malformed),
		T(test_live_growth),
		T(test_live_newer_boot),
		T(test_live_newer_record),
		T(test_banks_disagree),
		T(test_stdin),
		T(test_zeros),
		T(test_memory_bound),
		T(test_pcrs_yaml),
		T(test_parts_policy),
		T(test_parts_list),
		T(test_parts_usage),
	};
#undef T

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
