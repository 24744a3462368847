// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Measurement-list builder for tests; see builder.h.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "builder.h"

static const char *const alg_names[IV_ALG_COUNT] = {
	"sha1", "sha256", "sha384", "sha512",
};

void tb_init(struct tb *t)
{
	memset(t, 0, sizeof(*t));
}

void tb_free(struct tb *t)
{
	free(t->p);
	free(t->extends);
	memset(t, 0, sizeof(*t));
}

void tb_put(struct tb *t, const void *p, size_t len)
{
	if (t->len + len > t->cap) {
		t->cap = (t->len + len) * 2 + 256;
		t->p = realloc(t->p, t->cap);
		assert(t->p);
	}
	if (len)
		memcpy(t->p + t->len, p, len);
	t->len += len;
}

bool tb_big_endian;

/*
 * Little endian, as the kernel writes on x86 or with ima_canonical_fmt;
 * big endian, as on ppc64 without it, while tb_big_endian is set.
 */
void tb_u32(struct tb *t, uint32_t v)
{
	uint8_t b[4] = { v & 0xff, v >> 8 & 0xff, v >> 16 & 0xff, v >> 24 };

	if (tb_big_endian) {
		b[0] = v >> 24;
		b[1] = v >> 16 & 0xff;
		b[2] = v >> 8 & 0xff;
		b[3] = v & 0xff;
	}
	tb_put(t, b, 4);
}

void tb_field(struct tb *d, const void *p, uint32_t len)
{
	tb_u32(d, len);
	tb_put(d, p, len);
}

void tb_digest(const char *alg, const void *p, size_t len, uint8_t *out,
	       size_t *outlen)
{
	unsigned int n = 0;

	assert(EVP_Digest(p, len, out, &n, EVP_get_digestbyname(alg), NULL));
	if (outlen)
		*outlen = n;
}

void tb_dng(struct tb *d, const char *algo, const void *content, size_t len)
{
	uint8_t f[32 + IV_MAX_DIGEST];
	size_t alen = strlen(algo), n;

	memcpy(f, algo, alen);
	f[alen] = ':';
	f[alen + 1] = '\0';
	tb_digest(algo, content, len, f + alen + 2, &n);
	tb_field(d, f, (uint32_t)(alen + 2 + n));
}

void tb_nng(struct tb *d, const char *name)
{
	tb_field(d, name, (uint32_t)strlen(name) + 1);
}

static void extend(uint8_t *pcr, int alg, const uint8_t *val)
{
	uint8_t buf[2 * IV_MAX_DIGEST];
	size_t n = iv_alg_size((enum iv_alg)alg);

	memcpy(buf, pcr, n);
	memcpy(buf + n, val, n);
	tb_digest(alg_names[alg], buf, 2 * n, pcr, NULL);
}

static void log_extend(struct tb *l, uint32_t pcr,
		       uint8_t vals[IV_ALG_COUNT][IV_MAX_DIGEST])
{
	char line[512];
	int n, a;

	n = snprintf(line, sizeof(line), "%u:", pcr);
	for (a = 0; a < 2; a++) {
		char hex[2 * IV_MAX_DIGEST + 1];

		iv_hex(vals[a], iv_alg_size((enum iv_alg)a), hex);
		n += snprintf(line + n, sizeof(line) - (size_t)n, "%s%s=%s",
			      a ? "," : "", alg_names[a], hex);
	}
	line[n++] = '\n';
	l->extends = realloc(l->extends, l->extends_len + (size_t)n + 1);
	assert(l->extends);
	memcpy(l->extends + l->extends_len, line, (size_t)n);
	l->extends_len += (size_t)n;
	l->extends[l->extends_len] = '\0';
}

/* What the kernel does in ima_pcr_extend() for one entry, per bank. */
static void tpm_extend(struct tb *l, uint32_t pcr, const uint8_t *digest,
		       const uint8_t *data, size_t len, bool violation)
{
	uint8_t vals[IV_ALG_COUNT][IV_MAX_DIGEST];
	int a;

	if (l->tpm_off)
		return;
	for (a = 0; a < (l->two_banks ? 2 : IV_ALG_COUNT); a++) {
		uint8_t pad[IV_MAX_DIGEST] = { 0 };

		if (violation) {
			memset(vals[a], 0xff, sizeof(vals[a]));
			memset(pad, 0xff, 20);
		} else {
			if (a == IV_ALG_SHA1)
				memcpy(vals[a], digest, 20);
			else
				tb_digest(alg_names[a], data, len, vals[a], NULL);
			memcpy(pad, digest, 20);
		}
		extend(l->pcr[pcr][a], a, vals[a]);
		extend(l->pad[pcr][a], a, pad);
	}
	if (!l->no_log)
		log_extend(l, pcr, vals);
}

static void start_record(struct tb *l)
{
	assert(l->count < sizeof(l->offs) / sizeof(l->offs[0]) - 1);
	l->offs[l->count++] = l->len;
	l->offs[l->count] = l->len;
}

void tb_record(struct tb *l, uint32_t pcr, const char *tname,
	       const struct tb *data, bool violation)
{
	uint8_t digest[20] = { 0 };

	if (!violation)
		tb_digest("sha1", data->p, data->len, digest, NULL);
	start_record(l);
	tb_u32(l, pcr);
	tb_put(l, digest, 20);
	tb_u32(l, (uint32_t)strlen(tname));
	tb_put(l, tname, strlen(tname));
	tb_u32(l, (uint32_t)data->len);
	tb_put(l, data->p, data->len);
	l->offs[l->count] = l->len;
	tpm_extend(l, pcr, digest, data->p, data->len, violation);
}

/*
 * Template "ima" of a file holding @content: hashed as its SHA-1 || name
 * padded to 256 bytes.
 */
static void record_ima(struct tb *l, const void *content, size_t len,
		       const char *fname, bool violation)
{
	uint8_t data[IV_IMA_DATA_LEN] = { 0 }, digest[20] = { 0 };
	size_t n = strlen(fname);

	assert(n < IV_IMA_NAME_PAD);
	if (!violation)
		tb_digest("sha1", content, len, data, NULL);
	memcpy(data + 20, fname, n);
	if (!violation)
		tb_digest("sha1", data, sizeof(data), digest, NULL);
	start_record(l);
	tb_u32(l, 10);
	tb_put(l, digest, 20);
	tb_u32(l, 3);
	tb_put(l, "ima", 3);
	tb_put(l, data, 20);
	tb_u32(l, (uint32_t)n);
	tb_put(l, fname, n);
	l->offs[l->count] = l->len;
	tpm_extend(l, 10, digest, data, sizeof(data), violation);
}

/* A file whose content is its name, as the other records here. */
void tb_record_ima(struct tb *l, const char *fname, bool violation)
{
	record_ima(l, fname, strlen(fname), fname, violation);
}

void tb_file(struct tb *l, const char *tname, const char *algo,
	     const void *content, size_t len, const char *name)
{
	struct tb d;

	if (!strcmp(tname, "ima")) {
		record_ima(l, content, len, name, false);
		return;
	}
	tb_init(&d);
	tb_dng(&d, algo, content, len);
	tb_nng(&d, name);
	if (!strcmp(tname, "ima-sig"))
		tb_field(&d, NULL, 0);		/* no signature */
	tb_record(l, 10, tname, &d, false);
	tb_free(&d);
}

void tb_ng_alg(struct tb *l, const char *algo, const char *name)
{
	tb_file(l, "ima-ng", algo, name, strlen(name), name);
}

void tb_ng(struct tb *l, const char *name)
{
	tb_ng_alg(l, "sha256", name);
}

/* Open-writer or ToMToU: zero digests, data still logged. */
void tb_violation(struct tb *l, const char *name)
{
	static const uint8_t zero[32 + 8] = "sha256:";
	struct tb d;

	tb_init(&d);
	tb_field(&d, zero, 8 + 32);
	tb_nng(&d, name);
	tb_record(l, 10, "ima-ng", &d, true);
	tb_free(&d);
}

/*
 * A violation whose data reads as an ima-buf record @name: a violation
 * extends all 0xff whatever its data says, so the data is anyone's.
 */
void tb_violation_buf(struct tb *l, const char *name, const char *payload)
{
	static const uint8_t zero[32 + 8] = "sha256:";
	struct tb d;

	tb_init(&d);
	tb_field(&d, zero, 8 + 32);
	tb_nng(&d, name);
	tb_field(&d, payload, (uint32_t)strlen(payload));
	tb_record(l, 10, "ima-buf", &d, true);
	tb_free(&d);
}

void tb_sig(struct tb *l, const char *name, const uint8_t *sig, size_t len)
{
	struct tb d;

	tb_init(&d);
	tb_dng(&d, "sha256", name, strlen(name));
	tb_nng(&d, name);
	tb_field(&d, sig, (uint32_t)len);
	tb_record(l, 10, "ima-sig", &d, false);
	tb_free(&d);
}

void tb_modsig(struct tb *l, const char *name)
{
	static const uint8_t modsig[] = { 0x30, 0x82, 0x01, 0x00, 0xaa };
	struct tb d;

	tb_init(&d);
	tb_dng(&d, "sha256", name, strlen(name));
	tb_nng(&d, name);
	tb_field(&d, NULL, 0);			/* sig: none in xattr */
	tb_dng(&d, "sha256", "module", 6);	/* d-modsig */
	tb_field(&d, modsig, sizeof(modsig));	/* modsig */
	tb_record(l, 10, "ima-modsig", &d, false);
	tb_free(&d);
}

void tb_buf(struct tb *l, const char *name, const char *payload)
{
	struct tb d;

	tb_init(&d);
	tb_dng(&d, "sha256", payload, strlen(payload));
	tb_nng(&d, name);
	tb_field(&d, payload, (uint32_t)strlen(payload));
	tb_record(l, 10, "ima-buf", &d, false);
	tb_free(&d);
}

/* As ima_measure_kexec_event(): sizes and count before this entry. */
void tb_kexec_event(struct tb *l, const char *name, unsigned long seg)
{
	char buf[256];

	snprintf(buf, sizeof(buf),
		 "kexec_segment_size=%lu;ima_binary_runtime_size=%zu;ima_runtime_measurements_count=%zu;",
		 seg, l->len + 24, l->count);
	tb_buf(l, name, buf);
}

/* The new kernel's record about the list it was handed (kexec_restore). */
void tb_handover(struct tb *l, const char *payload)
{
	tb_buf(l, "kexec_restore", payload);
}

/* The same record under another name, e.g. kexec_handover of older kernels. */
void tb_handover_as(struct tb *l, const char *name, const char *payload)
{
	tb_buf(l, name, payload);
}

/* Drop records from @keep on, from the list only: the TPM keeps them. */
void tb_truncate(struct tb *l, size_t keep)
{
	assert(keep <= l->count);
	l->len = l->offs[keep];
	l->count = keep;
}

const uint8_t *tb_expected(const struct tb *l, unsigned int pcr,
			   enum iv_alg alg, bool padded)
{
	return padded ? l->pad[pcr][alg] : l->pcr[pcr][alg];
}

void tb_fill_pcrs(const struct tb *l, struct iv_pcrs *pcrs, enum iv_alg alg,
		  bool padded)
{
	unsigned int k;

	pcrs->bank[alg].present = true;
	for (k = 0; k < IV_PCR_COUNT; k++) {
		memcpy(pcrs->bank[alg].val[k], tb_expected(l, k, alg, padded),
		       iv_alg_size(alg));
		pcrs->bank[alg].set[k] = true;
	}
}

int tb_write_file(const char *path, const void *p, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	if (len && fwrite(p, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

int tb_write(const struct tb *l, const char *path)
{
	return tb_write_file(path, l->p, l->len);
}

int tb_write_pcrs(const struct tb *l, enum iv_alg alg, bool padded,
		  const char *path)
{
	char hex[2 * IV_MAX_DIGEST + 1];
	unsigned int k;
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (k = 0; k < IV_PCR_COUNT; k++) {
		iv_hex(tb_expected(l, k, alg, padded), iv_alg_size(alg), hex);
		fprintf(f, "PCR-%02u: %s\n", k, hex);
	}
	return fclose(f);
}

/* Like /sys/class/tpm/tpm0: upper-case hex and a newline. */
int tb_write_tpm_dir(const struct tb *l, const char *dir, bool padded)
{
	char path[4096], hex[2 * IV_MAX_DIGEST + 1];
	unsigned int k;
	int a;

	for (a = 0; a < 2; a++) {
		snprintf(path, sizeof(path), "%s/pcr-%s", dir, alg_names[a]);
		if (mkdir(path, 0755) && errno != EEXIST)
			return -1;
		for (k = 0; k < IV_PCR_COUNT; k++) {
			FILE *f;
			char *c;

			snprintf(path, sizeof(path), "%s/pcr-%s/%u", dir,
				 alg_names[a], k);
			iv_hex(tb_expected(l, k, (enum iv_alg)a, padded),
			       iv_alg_size((enum iv_alg)a), hex);
			for (c = hex; *c; c++)
				if (*c >= 'a' && *c <= 'f')
					*c = (char)(*c - 'a' + 'A');
			f = fopen(path, "w");
			if (!f)
				return -1;
			fprintf(f, "%s\n", hex);
			if (fclose(f))
				return -1;
		}
	}
	return 0;
}

void tb_scenario_boot(struct tb *l, unsigned int files)
{
	char name[64];
	unsigned int i;

	tb_ng(l, "boot_aggregate");
	for (i = 0; i < files; i++) {
		snprintf(name, sizeof(name), "/usr/bin/tool%u", i);
		tb_ng(l, name);
	}
}

/*
 * kexec_load, one file, kexec_execute, the new kernel's boot_aggregate
 * and, if @result is given, its handover record named @name.
 */
static void kexec_as(struct tb *l, const char *name, const char *result,
		     const char *tpm)
{
	char buf[512];
	size_t restored;

	tb_kexec_event(l, "kexec_load", 65536);
	tb_ng(l, "/sbin/kexec");
	tb_kexec_event(l, "kexec_execute", 65536);
	restored = l->count;
	tb_ng(l, "boot_aggregate");
	if (result) {
		snprintf(buf, sizeof(buf), "result=%s;restored=%zu;dropped=0;%s",
			 result, restored, tpm ? tpm : "");
		tb_handover_as(l, name, buf);
	}
}

void tb_scenario_kexec_as(struct tb *l, const char *name, const char *result)
{
	kexec_as(l, name, result, NULL);
}

void tb_scenario_kexec_tpm(struct tb *l, const char *result, const char *tpm)
{
	kexec_as(l, "kexec_restore", result, tpm);
}

/* As above, with the record named as the current kernel names it. */
void tb_scenario_kexec(struct tb *l, const char *result)
{
	tb_scenario_kexec_as(l, "kexec_restore", result);
}

/* Three boots, two kexecs, each with a handover record @name saying @result. */
static void multiboot_as(struct tb *l, const char *name, const char *result)
{
	tb_scenario_boot(l, 3);
	tb_scenario_kexec_as(l, name, result);
	tb_ng(l, "/usr/bin/after-first-kexec");
	tb_violation(l, "/var/log/open-writer");
	tb_scenario_kexec_as(l, name, result);
	tb_ng(l, "/usr/bin/after-second-kexec");
}

void tb_scenario_multiboot(struct tb *l)
{
	multiboot_as(l, "kexec_restore", "intact");
}

/*
 * The same list as older kernels of the series wrote it: the record was
 * named kexec_handover, and said "verified" for what is now "intact".
 */
void tb_scenario_multiboot_old(struct tb *l)
{
	multiboot_as(l, "kexec_handover", "verified");
}

/* The old list outgrew the segment: its two newest entries stay behind. */
void tb_scenario_truncated(struct tb *l)
{
	char buf[128];
	size_t keep;

	tb_scenario_boot(l, 3);
	tb_kexec_event(l, "kexec_load", 4096);
	tb_ng(l, "/usr/bin/late1");
	tb_ng(l, "/usr/bin/late2");
	tb_kexec_event(l, "kexec_execute", 4096);
	keep = l->count - 2;
	tb_truncate(l, keep);
	tb_ng(l, "boot_aggregate");
	snprintf(buf, sizeof(buf), "result=truncated;restored=%zu;dropped=2;",
		 keep);
	tb_handover(l, buf);
	tb_ng(l, "/usr/bin/after");
}

/*
 * The new kernel refused the buffer and started a fresh list.  As the
 * patched kernel does, it says dropped=0: dropped= is what the old kernel
 * left out, which a rejected trailer never gets to tell.
 */
void tb_scenario_rejected(struct tb *l)
{
	tb_scenario_boot(l, 3);
	tb_kexec_event(l, "kexec_load", 65536);
	tb_kexec_event(l, "kexec_execute", 65536);
	tb_truncate(l, 0);
	tb_ng(l, "boot_aggregate");
	tb_handover(l, "result=rejected;restored=0;dropped=0;reason=digest_mismatch;");
	tb_ng(l, "/usr/bin/after");
}

/* No handover record, and the old kernel's last entries were not carried. */
void tb_scenario_no_execute(struct tb *l)
{
	tb_scenario_boot(l, 2);
	tb_kexec_event(l, "kexec_load", 65536);
	tb_ng(l, "/usr/bin/late");
	tb_kexec_event(l, "kexec_execute", 65536);
	tb_truncate(l, l->count - 2);
	tb_ng(l, "boot_aggregate");
	tb_ng(l, "/usr/bin/after");
}

/* Both kexecs checked by the new kernel, every bank matching. */
void tb_scenario_tpm_match(struct tb *l)
{
	static const char tpm[] = "tpm=match;tpm_sha1=match;tpm_sha256=match;";

	tb_scenario_boot(l, 3);
	tb_scenario_kexec_tpm(l, "intact", tpm);
	tb_ng(l, "/usr/bin/after-first-kexec");
	tb_violation(l, "/var/log/open-writer");
	tb_scenario_kexec_tpm(l, "intact", tpm);
	tb_ng(l, "/usr/bin/after-second-kexec");
}

/*
 * The old kernel measured a file after it wrote the handover, and the
 * handover arrived intact without it (an unpatched sender, or a forged
 * list with a fresh trailer): the TPM holds an extend the list lacks,
 * and the new kernel's replay says so.
 */
void tb_scenario_tpm_mismatch(struct tb *l)
{
	char buf[256];
	size_t keep;

	tb_scenario_boot(l, 2);
	tb_kexec_event(l, "kexec_load", 65536);
	tb_kexec_event(l, "kexec_execute", 65536);
	tb_ng(l, "/usr/bin/late");
	keep = l->count - 1;
	tb_truncate(l, keep);
	tb_ng(l, "boot_aggregate");
	snprintf(buf, sizeof(buf),
		 "result=intact;restored=%zu;dropped=0;tpm=mismatch;tpm_sha1=mismatch:10;tpm_sha256=mismatch:10;",
		 keep);
	tb_handover(l, buf);
	tb_ng(l, "/usr/bin/after");
}

/*
 * kexec -l through the kexec_load syscall: no handover; the new kernel
 * starts a fresh list, and finds the TPM holding the old kernel's list.
 */
void tb_scenario_tpm_lost(struct tb *l)
{
	tb_scenario_boot(l, 3);
	tb_kexec_event(l, "kexec_load", 0);
	tb_truncate(l, 0);
	tb_ng(l, "boot_aggregate");
	tb_handover(l, "result=none;restored=0;dropped=0;tpm=lost;tpm_sha1=mismatch:10;tpm_sha256=mismatch:10;");
	tb_ng(l, "/usr/bin/after");
}

/* The new kernel found no TPM chip: its records extend nothing. */
void tb_scenario_tpm_bypass(struct tb *l)
{
	char buf[256];
	size_t restored;

	tb_scenario_boot(l, 2);
	tb_kexec_event(l, "kexec_load", 65536);
	tb_kexec_event(l, "kexec_execute", 65536);
	restored = l->count;
	l->tpm_off = true;
	tb_ng(l, "boot_aggregate");
	snprintf(buf, sizeof(buf),
		 "result=intact;restored=%zu;dropped=0;tpm=not_checked;tpm_reason=no_tpm;",
		 restored);
	tb_handover(l, buf);
	tb_ng(l, "/usr/bin/after");
	l->tpm_off = false;
}

/*
 * The list replays in both banks, yet the second kernel says its sha256
 * replay did not match: the record (or the PCR values) cannot be true.
 */
void tb_scenario_tpm_disagree(struct tb *l)
{
	tb_scenario_boot(l, 3);
	tb_scenario_kexec_tpm(l, "intact",
			      "tpm=match;tpm_sha1=match;tpm_sha256=match;");
	tb_ng(l, "/usr/bin/after-first-kexec");
	tb_scenario_kexec_tpm(l, "intact",
			      "tpm=mismatch;tpm_sha1=match;tpm_sha256=mismatch:10;");
	tb_ng(l, "/usr/bin/after-second-kexec");
}

/* Banks the verifier cannot replay, and one the kernel has no hash for. */
void tb_scenario_tpm_banks(struct tb *l)
{
	tb_scenario_boot(l, 2);
	tb_scenario_kexec_tpm(l, "intact",
			      "tpm=match;tpm_sha1=match;tpm_sha256=match;tpm_sha384=not_checked:no_hash;tpm_sm3=match;tpm_0x0027=not_checked:no_hash;");
	tb_ng(l, "/usr/bin/after");
}
