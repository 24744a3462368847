// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mkfixture SCENARIO DIR: write a measurement list and the PCR values a
 * TPM would hold after it, for the CLI and swtpm tests:
 *	DIR/list		binary_runtime_measurements
 *	DIR/pcrs-sha1, DIR/pcrs-sha256	evmctl "PCR-NN: <hex>" files
 *	DIR/pcrs-sha256-padded	sha256 bank of an older (zero pad) kernel
 *	DIR/tpm/pcr-<bank>/<n>	sysfs-like directory
 *	DIR/extends		"10:sha1=<hex>,sha256=<hex>" per TPM extend
 * mkfixture corpus DIR: write fuzz seeds.
 * mkfixture large N DIR [NEWER]: a list of N entries (N >= 8) with one
 * kexec half way, written record by record, and the PCR values after
 * its first N - NEWER entries (a live list that grew after the PCRs
 * were read); DIR/extends is not written.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "builder.h"

struct scenario {
	const char *name;
	void (*build)(struct tb *l);
};

static void boot(struct tb *l)
{
	tb_scenario_boot(l, 4);
}

static void templates(struct tb *l)
{
	static const uint8_t sig[] = { 0x03, 0x02, 0x04, 1, 2, 3, 4, 0, 2,
				       0xaa, 0xbb };

	tb_ng(l, "boot_aggregate");
	tb_ng_alg(l, "sha1", "/etc/sha1-file");
	tb_sig(l, "/usr/bin/signed", sig, sizeof(sig));
	tb_sig(l, "/usr/bin/unsigned", NULL, 0);
	tb_modsig(l, "/lib/modules/x.ko");
	tb_buf(l, "kernel_version", "6.12.0");
	tb_violation(l, "/tmp/tomtou");
}

static void legacy(struct tb *l)
{
	tb_record_ima(l, "boot_aggregate", false);
	tb_record_ima(l, "/init", false);
	tb_record_ima(l, "/tmp/violation", true);
}

/*
 * initramfs=parts: two loads of /boot/initrd.img, the second with its
 * member 0 unchanged (so not added again), the blob of blob+parts, and
 * another initramfs's members.
 */
static void initramfs_parts(struct tb *l)
{
	static const uint8_t cpio[512] = "070701";

	tb_ng(l, "boot_aggregate");
	tb_ng(l, "/boot/initrd.img");
	tb_file(l, "ima-ng", "sha256", cpio, sizeof(cpio), "/boot/initrd.img#0:cpio@0+512");
	tb_file(l, "ima-ng", "sha256", "\x28\xb5\x2f\xfd", 4, "/boot/initrd.img#1:zstd@512+4");
	tb_file(l, "ima-sig", "sha1", "\x1f\x8b", 2, "/boot/initrd.img#2:gzip-bad@516+2");
	tb_file(l, "ima", NULL, "\x28\xb5\x2f\xfd!", 5, "/boot/initrd.img#1:zstd@512+5");
	tb_file(l, "ima-ng", "sha256", "MZ", 2, "/boot/initrd.img#2:unknown@517+2");
	tb_file(l, "ima-ng", "sha512", "?", 1, "/boot/other.img#0:unscanned@0+1");
}

static const struct scenario scenarios[] = {
	{ "boot",	boot },
	{ "templates",	templates },
	{ "legacy",	legacy },
	{ "multiboot",	tb_scenario_multiboot },
	{ "multiboot-old", tb_scenario_multiboot_old },
	{ "truncated",	tb_scenario_truncated },
	{ "rejected",	tb_scenario_rejected },
	{ "noexec",	tb_scenario_no_execute },
	{ "tpm-match",	tb_scenario_tpm_match },
	{ "tpm-mismatch", tb_scenario_tpm_mismatch },
	{ "tpm-lost",	tb_scenario_tpm_lost },
	{ "tpm-bypass",	tb_scenario_tpm_bypass },
	{ "tpm-disagree", tb_scenario_tpm_disagree },
	{ "tpm-banks",	tb_scenario_tpm_banks },
	{ "initramfs-parts", initramfs_parts },
};

#define NSCEN (sizeof(scenarios) / sizeof(scenarios[0]))

static int path(char *out, size_t len, const char *dir, const char *name)
{
	return snprintf(out, len, "%s/%s", dir, name) >= (int)len ? -1 : 0;
}

static int write_pcr_files(const struct tb *l, const char *dir)
{
	char p[4096];

	if (path(p, sizeof(p), dir, "pcrs-sha1") ||
	    tb_write_pcrs(l, IV_ALG_SHA1, false, p) ||
	    path(p, sizeof(p), dir, "pcrs-sha256") ||
	    tb_write_pcrs(l, IV_ALG_SHA256, false, p) ||
	    path(p, sizeof(p), dir, "pcrs-sha256-padded") ||
	    tb_write_pcrs(l, IV_ALG_SHA256, true, p) ||
	    path(p, sizeof(p), dir, "tpm") ||
	    (mkdir(p, 0755) && errno != EEXIST) ||
	    tb_write_tpm_dir(l, p, false))
		return -1;
	return 0;
}

static int write_fixture(const struct tb *l, const char *dir)
{
	char p[4096];

	if (path(p, sizeof(p), dir, "list") || tb_write(l, p) ||
	    path(p, sizeof(p), dir, "extends") ||
	    tb_write_file(p, l->extends, l->extends_len) ||
	    write_pcr_files(l, dir))
		return -1;
	return 0;
}

/* Records of @l so far go to @f; @l keeps only the PCR values. */
static int flush_records(struct tb *l, FILE *f, size_t *bytes, size_t *count)
{
	if (l->len && fwrite(l->p, 1, l->len, f) != l->len)
		return -1;
	*bytes += l->len;
	*count += l->count;
	l->len = 0;
	l->count = 0;
	l->offs[0] = 0;
	return 0;
}

/*
 * What a busy machine writes: file names of varied length, a violation
 * now and then, and a kexec with its events and kexec_restore record
 * half way.  Records are not kept: 1M entries would not fit struct tb.
 */
static int write_large(size_t n, size_t newer, const char *dir)
{
	static const char *const dirs[] = {
		"/usr/bin/", "/usr/lib/x86_64-linux-gnu/", "/etc/",
		"/usr/lib/systemd/system/", "/usr/share/perl5/Debian/",
		"/var/lib/dpkg/info/",
	};
	size_t bytes = 0, count = 0, i, kexec_at = n / 2;
	char name[256], buf[256], p[4096];
	struct tb l;
	FILE *f;
	int ret = -1;

	if (n < 8 || newer >= n || path(p, sizeof(p), dir, "list"))
		return -1;
	f = fopen(p, "wb");
	if (!f)
		return -1;
	tb_init(&l);
	l.no_log = true;
	l.two_banks = true;
	for (i = 0; i < n; i++) {
		if (i == n - newer && write_pcr_files(&l, dir))
			goto out;
		if (i == 0 || i == kexec_at + 2) {
			tb_ng(&l, "boot_aggregate");
		} else if (i == kexec_at || i == kexec_at + 1) {
			snprintf(buf, sizeof(buf),
				 "kexec_segment_size=%zu;ima_binary_runtime_size=%zu;ima_runtime_measurements_count=%zu;",
				 (bytes + (1 << 20)) & ~(size_t)0xfff,
				 bytes + l.len + 24, count + l.count);
			tb_buf(&l, i == kexec_at ? "kexec_load" :
			       "kexec_execute", buf);
		} else if (i == kexec_at + 3) {
			snprintf(buf, sizeof(buf),
				 "result=intact;restored=%zu;dropped=0;tpm=match;tpm_sha1=match;tpm_sha256=match;",
				 kexec_at + 2);
			tb_handover(&l, buf);
		} else if (i % 9973 == 0) {
			snprintf(name, sizeof(name), "/var/log/open-writer-%zu",
				 i);
			tb_violation(&l, name);
		} else {
			snprintf(name, sizeof(name), "%s%.*s-%" PRIu64 ".so",
				 dirs[i % 6], (int)(i % 23), "libsomething-longer-name",
				 (uint64_t)i * 2654435761u);
			tb_ng(&l, name);
		}
		if (l.count >= 256 && flush_records(&l, f, &bytes, &count))
			goto out;
	}
	if (flush_records(&l, f, &bytes, &count) ||
	    (!newer && write_pcr_files(&l, dir)))
		goto out;
	ret = 0;
out:
	if (fclose(f))
		ret = -1;
	tb_free(&l);
	return ret;
}

/* Seeds: every scenario, plus a few short broken records. */
static int write_corpus(const char *dir)
{
	static const uint8_t zero_len[] = {
		10, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
		15, 16, 17, 18, 19, 20, 6, 0, 0, 0, 'i', 'm', 'a', '-', 'n',
		'g', 0, 0, 0, 0,
	};
	static const char *const bad_tpm[] = {
		"tpm=mismatch;tpm_sha256=mismatch:10-9,24;",
		"tpm=match;tpm_sha1=match;tpm_sha1=match;",
		"tpm=not_checked;tpm_reason=no_tpm;tpm_sha256=match;",
	};
	char p[4096];
	size_t i;

	for (i = 0; i < NSCEN; i++) {
		struct tb l;
		int ret;

		tb_init(&l);
		scenarios[i].build(&l);
		snprintf(p, sizeof(p), "%s/%s", dir, scenarios[i].name);
		ret = tb_write(&l, p);
		tb_free(&l);
		if (ret)
			return -1;
	}
	/* A record whose tpm fields are an input error. */
	for (i = 0; i < sizeof(bad_tpm) / sizeof(bad_tpm[0]); i++) {
		struct tb l;
		int ret;

		tb_init(&l);
		tb_scenario_boot(&l, 1);
		tb_scenario_kexec_tpm(&l, "intact", bad_tpm[i]);
		snprintf(p, sizeof(p), "%s/tpm-bad-%zu", dir, i);
		ret = tb_write(&l, p);
		tb_free(&l);
		if (ret)
			return -1;
	}
	snprintf(p, sizeof(p), "%s/zero-length", dir);
	return tb_write_file(p, zero_len, sizeof(zero_len));
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc >= 4 && argc <= 5 && !strcmp(argv[1], "large")) {
		size_t n = strtoul(argv[2], NULL, 10);
		size_t newer = argc == 5 ? strtoul(argv[4], NULL, 10) : 0;

		if (mkdir(argv[3], 0755) && errno != EEXIST) {
			perror(argv[3]);
			return 2;
		}
		if (write_large(n, newer, argv[3])) {
			fprintf(stderr, "mkfixture: large %s in %s failed (N >= 8, NEWER < N)\n",
				argv[2], argv[3]);
			return 1;
		}
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: mkfixture SCENARIO|corpus DIR\n"
			"       mkfixture large N DIR [NEWER]\n");
		return 2;
	}
	if (mkdir(argv[2], 0755) && errno != EEXIST) {
		perror(argv[2]);
		return 2;
	}
	if (!strcmp(argv[1], "corpus"))
		return write_corpus(argv[2]) ? 1 : 0;
	for (i = 0; i < NSCEN; i++) {
		struct tb l;
		int ret;

		if (strcmp(argv[1], scenarios[i].name))
			continue;
		tb_init(&l);
		scenarios[i].build(&l);
		ret = write_fixture(&l, argv[2]);
		tb_free(&l);
		if (ret)
			perror(argv[2]);
		return ret ? 1 : 0;
	}
	fprintf(stderr, "mkfixture: unknown scenario %s\n", argv[1]);
	return 2;
}
