// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PCR values from plain files: a TPM sysfs directory (pcr-<bank>/<n>),
 * evmctl "--pcrs bank,file" value files ("PCR-NN: <hex>") and the YAML
 * that tpm2_pcrread prints ("--pcrs yaml,file", or detected).
 *
 * These values are trusted only as far as their source is; a verified
 * quote (quote.c) is the authenticated way in.
 */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "imaverify.h"

#define PCR_FILE_MAX	(64 * 1024)

int iv_pcrs_set(struct iv_pcrs *pcrs, enum iv_alg alg, unsigned int idx,
		const uint8_t *val, const char *src, struct iv_err *err)
{
	struct iv_bank *b;
	size_t n = iv_alg_size(alg);

	assert(pcrs && val && src && err);
	if (idx >= IV_PCR_COUNT)
		return iv_fail(err, "%s: PCR index %u out of range 0-%d", src,
			       idx, IV_PCR_COUNT - 1);
	b = &pcrs->bank[alg];
	/* Two sources may agree; if they differ, neither can be trusted. */
	if (b->set[idx] && memcmp(b->val[idx], val, n))
		return iv_fail(err, "%s: %s PCR-%02u differs from a value given earlier",
			       src, iv_alg_name(alg), idx);
	memcpy(b->val[idx], val, n);
	b->set[idx] = true;
	b->present = true;
	return 0;
}

static int parse_index(const char *s, size_t len, unsigned int *idx)
{
	unsigned int v = 0;
	size_t i;

	if (!len || len > 2)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned int)(s[i] - '0');
	}
	*idx = v;
	return 0;
}

/*
 * evmctl writes and reads "PCR-%2.2d: <hex>" and insists on the order
 * 00, 01, ...; here any order or subset is fine, but every non-empty line
 * that is not a comment must be such a line.
 */
int iv_pcrs_read_values(struct iv_pcrs *pcrs, enum iv_alg alg,
			const char *text, size_t len, const char *src,
			struct iv_err *err)
{
	uint8_t val[IV_MAX_DIGEST];
	size_t pos = 0, lineno = 0, n = iv_alg_size(alg);
	unsigned int idx, found = 0;
	char where[PATH_MAX + 32];

	assert(pcrs && text && src && err);
	while (pos < len) {
		const char *line = text + pos, *nl, *colon;
		size_t llen;

		nl = memchr(line, '\n', len - pos);
		llen = nl ? (size_t)(nl - line) : len - pos;
		pos += llen + (nl ? 1 : 0);
		lineno++;
		snprintf(where, sizeof(where), "%s:%zu", src, lineno);
		while (llen && (line[llen - 1] == '\r' || line[llen - 1] == ' '))
			llen--;
		if (!llen || line[0] == '#')
			continue;
		if (llen < 5 || memcmp(line, "PCR-", 4))
			return iv_fail(err, "%s: expected \"PCR-NN: <hex>\"", where);
		colon = memchr(line, ':', llen);
		if (!colon || parse_index(line + 4, (size_t)(colon - line) - 4, &idx))
			return iv_fail(err, "%s: bad PCR index", where);
		if (idx >= IV_PCR_COUNT)
			return iv_fail(err, "%s: PCR index %u out of range", where, idx);
		colon++;
		while (colon < line + llen && *colon == ' ')
			colon++;
		if (iv_unhex(colon, (size_t)(line + llen - colon), val, n))
			return iv_fail(err, "%s: PCR-%02u is not %zu bytes of hex for %s",
				       where, idx, n, iv_alg_name(alg));
		if (iv_pcrs_set(pcrs, alg, idx, val, where, err))
			return -1;
		found++;
	}
	if (!found)
		return iv_fail(err, "%s: no PCR values found", src);
	return 0;
}

/* A line of @text from @pos, without its end and trailing blanks. */
static const char *next_line(const char *text, size_t len, size_t *pos,
			     size_t *llen)
{
	const char *line = text + *pos, *nl;

	nl = memchr(line, '\n', len - *pos);
	*llen = nl ? (size_t)(nl - line) : len - *pos;
	*pos += *llen + (nl ? 1 : 0);
	while (*llen && (line[*llen - 1] == '\r' || line[*llen - 1] == ' ' ||
			 line[*llen - 1] == '\t'))
		(*llen)--;
	return line;
}

static size_t indent_of(const char *line, size_t llen)
{
	size_t i = 0;

	while (i < llen && line[i] == ' ')
		i++;
	return i;
}

/* Banks tpm2-tools names that no replay here computes: skipped. */
static bool other_tpm_bank(const char *name, size_t len)
{
	static const char *const names[] = {
		"sm3_256", "sha3_256", "sha3_384", "sha3_512",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && !memcmp(names[i], name, len))
			return true;
	return false;
}

/*
 * tpm2_pcrread's standard output (tpm2-tools 5.4), a small YAML subset:
 *	  sha1:
 *	    0 : 0x0000000000000000000000000000000000000000
 *	    10: 0x1E3FDF7FBEC4C6991F3D54E91A0EB8F661ACAFF0
 *	  sha256:
 *	    10: 0x...
 * Bank lines at one indentation, their values deeper; blank lines and
 * "#" comments are skipped.  Anything else is an error naming the line.
 */
int iv_pcrs_read_yaml(struct iv_pcrs *pcrs, const char *text, size_t len,
		      const char *src, struct iv_err *err)
{
	uint8_t val[IV_MAX_DIGEST];
	size_t pos = 0, lineno = 0, bank_indent = 0;
	unsigned int idx, found = 0;
	char where[PATH_MAX + 32], name[16];
	bool have_bank = false;
	int alg = -1;		/* bank of the values; -1: skipped */

	assert(pcrs && text && src && err);
	while (pos < len) {
		size_t llen, in, n;
		const char *line = next_line(text, len, &pos, &llen), *c, *v;

		lineno++;
		snprintf(where, sizeof(where), "%s:%zu", src, lineno);
		in = indent_of(line, llen);
		if (in == llen || line[in] == '#')
			continue;
		c = memchr(line + in, ':', llen - in);
		if (!c)
			return iv_fail(err, "%s: expected \"<bank>:\" or \"<index> : 0x<hex>\"",
				       where);
		if (c == line + llen - 1) {
			/* "<bank>:" */
			n = (size_t)(c - line) - in;
			if (have_bank && in != bank_indent)
				return iv_fail(err, "%s: bank line indented %zu, the first one %zu",
					       where, in, bank_indent);
			have_bank = true;
			bank_indent = in;
			if (other_tpm_bank(line + in, n)) {
				alg = -1;
				continue;
			}
			if (!n || n >= sizeof(name))
				return iv_fail(err, "%s: bad bank name", where);
			memcpy(name, line + in, n);
			name[n] = '\0';
			alg = iv_alg_by_name(name);
			if (alg < 0)
				return iv_fail(err, "%s: unsupported bank \"%s\"",
					       where, name);
			continue;
		}
		/* "<index> : 0x<hex>" under a bank */
		if (!have_bank || in <= bank_indent)
			return iv_fail(err, "%s: PCR value outside a bank (a \"<bank>:\" line above it, indented less)",
				       where);
		n = (size_t)(c - line) - in;
		while (n && line[in + n - 1] == ' ')
			n--;
		if (parse_index(line + in, n, &idx))
			return iv_fail(err, "%s: bad PCR index", where);
		if (idx >= IV_PCR_COUNT)
			return iv_fail(err, "%s: PCR index %u out of range", where,
				       idx);
		if (alg < 0)
			continue;
		v = c + 1;
		while (v < line + llen && *v == ' ')
			v++;
		if (line + llen - v < 2 || v[0] != '0' ||
		    (v[1] != 'x' && v[1] != 'X') ||
		    iv_unhex(v + 2, (size_t)(line + llen - v - 2), val,
			     iv_alg_size((enum iv_alg)alg)))
			return iv_fail(err, "%s: PCR-%02u is not 0x and %zu bytes of hex for %s",
				       where, idx, iv_alg_size((enum iv_alg)alg),
				       iv_alg_name((enum iv_alg)alg));
		if (iv_pcrs_set(pcrs, (enum iv_alg)alg, idx, val, where, err))
			return -1;
		found++;
	}
	if (!found)
		return iv_fail(err, "%s: no PCR values found", src);
	return 0;
}

/* The first line that says something ends in ':': a YAML bank line. */
static bool looks_yaml(const char *text, size_t len)
{
	size_t pos = 0, llen, in;
	const char *line;

	while (pos < len) {
		line = next_line(text, len, &pos, &llen);
		in = indent_of(line, llen);
		if (in == llen || line[in] == '#')
			continue;
		return line[llen - 1] == ':';
	}
	return false;
}

int iv_pcrs_read_text(struct iv_pcrs *pcrs, const char *bank,
		      const char *text, size_t len, const char *src,
		      struct iv_err *err)
{
	int alg;

	assert(pcrs && text && src && err);
	if ((bank && !strcmp(bank, "yaml")) || (!bank && looks_yaml(text, len)))
		return iv_pcrs_read_yaml(pcrs, text, len, src, err);
	if (bank && looks_yaml(text, len))
		return iv_fail(err, "%s: tpm2_pcrread YAML names its banks itself: give --pcrs yaml,%s",
			       src, src);
	alg = iv_alg_by_name(bank ? bank : "sha1");
	if (alg < 0)
		return iv_fail(err, "--pcrs %s,%s: unsupported bank \"%s\"",
			       bank, src, bank);
	return iv_pcrs_read_values(pcrs, (enum iv_alg)alg, text, len, src,
				   err);
}

/*
 * "bank,file" as evmctl; a plain "file" means sha1, as in evmctl too,
 * unless it is tpm2_pcrread YAML, which "yaml,file" asks for outright.
 */
int iv_pcrs_read_file(struct iv_pcrs *pcrs, const char *spec,
		      struct iv_err *err)
{
	const char *comma, *path = spec;
	char bank[16];
	uint8_t *buf;
	size_t len;
	int ret;

	assert(pcrs && spec && err);
	comma = strchr(spec, ',');
	if (comma) {
		if ((size_t)(comma - spec) >= sizeof(bank) || comma == spec)
			return iv_fail(err, "--pcrs %s: bad bank name", spec);
		memcpy(bank, spec, (size_t)(comma - spec));
		bank[comma - spec] = '\0';
		path = comma + 1;
		if (strcmp(bank, "yaml") && iv_alg_by_name(bank) < 0)
			return iv_fail(err, "--pcrs %s: unsupported bank \"%s\"",
				       spec, bank);
	}
	if (iv_read_file(path, PCR_FILE_MAX, &buf, &len, err))
		return -1;
	ret = iv_pcrs_read_text(pcrs, comma ? bank : NULL, (const char *)buf,
				len, path, err);
	free(buf);
	return ret;
}

/* One sysfs file, DIR/pcr-<bank>/<n>: the value in hex and a newline. */
int iv_pcrs_read_sysfs_value(struct iv_pcrs *pcrs, enum iv_alg alg,
			     unsigned int idx, const char *text, size_t len,
			     const char *src, struct iv_err *err)
{
	uint8_t val[IV_MAX_DIGEST];

	assert(pcrs && text && src && err);
	if (iv_unhex(text, len, val, iv_alg_size(alg)))
		return iv_fail(err, "%s: not %zu bytes of hex", src,
			       iv_alg_size(alg));
	return iv_pcrs_set(pcrs, alg, idx, val, src, err);
}

static int read_one(struct iv_pcrs *pcrs, enum iv_alg alg, const char *path,
		    unsigned int idx, struct iv_err *err)
{
	uint8_t *buf;
	size_t len;
	int ret;

	if (iv_read_file(path, PCR_FILE_MAX, &buf, &len, err))
		return -1;
	ret = iv_pcrs_read_sysfs_value(pcrs, alg, idx, (const char *)buf, len,
				       path, err);
	free(buf);
	return ret;
}

/*
 * DIR/pcr-<bank>/<n> as /sys/class/tpm/tpm0 has since Linux 5.12, all
 * banks once.  Banks this tool does not know (sm3_256) are skipped; a
 * missing index is simply not set.
 */
static int read_tpm_dir_once(struct iv_pcrs *pcrs, const char *dir,
			     struct iv_err *err)
{
	char path[PATH_MAX];
	unsigned int idx, nbanks = 0;
	int alg;

	memset(pcrs, 0, sizeof(*pcrs));
	for (alg = 0; alg < IV_ALG_COUNT; alg++) {
		DIR *d;
		struct dirent *de;
		int ret = 0;

		snprintf(path, sizeof(path), "%s/pcr-%s", dir,
			 iv_alg_name((enum iv_alg)alg));
		d = opendir(path);
		if (!d && errno == ENOENT)
			continue;
		if (!d)
			return iv_fail(err, "%s: %s", path, strerror(errno));
		while (!ret && (de = readdir(d))) {
			char file[PATH_MAX];

			if (parse_index(de->d_name, strlen(de->d_name), &idx) ||
			    idx >= IV_PCR_COUNT)
				continue;
			if (snprintf(file, sizeof(file), "%s/%s", path,
				     de->d_name) >= (int)sizeof(file)) {
				ret = iv_fail(err, "%s: path too long", path);
				break;
			}
			ret = read_one(pcrs, (enum iv_alg)alg, file, idx, err);
		}
		closedir(d);
		if (ret)
			return -1;
		nbanks++;
	}
	if (!nbanks)
		return iv_fail(err, "%s: no pcr-<bank> directories", dir);
	return 0;
}

/*
 * sysfs reads one PCR of one bank at a time, and on a live system the
 * PCRs move between reads: a bank read after an extend would disagree
 * with one read before it.  So every bank is read, then all again, until
 * two readings in a row are the same (IV_TPM_DIR_READS at most).  The
 * list is read after this, so it holds every extend of those values.
 */
int iv_pcrs_read_stable(struct iv_pcrs *pcrs, iv_pcrs_reader read_all,
			void *arg, const char *src, struct iv_err *err)
{
	struct iv_pcrs *a, *b, *t;
	char where[PATH_MAX + 32];
	int reads, alg, ret = -1;
	unsigned int k;

	assert(pcrs && read_all && src && err);
	a = calloc(1, sizeof(*a));
	b = calloc(1, sizeof(*b));
	if (!a || !b) {
		iv_fail(err, "out of memory");
		goto out;
	}
	if (read_all(a, arg, err))
		goto out;
	for (reads = 1; reads < IV_TPM_DIR_READS; reads++) {
		memset(b, 0, sizeof(*b));
		if (read_all(b, arg, err))
			goto out;
		if (!memcmp(a, b, sizeof(*a)))
			break;
		t = a;
		a = b;
		b = t;
	}
	if (reads == IV_TPM_DIR_READS) {
		iv_fail(err, "%s: the PCR values changed between each of %d readings of all banks; no consistent reading",
			src, IV_TPM_DIR_READS);
		goto out;
	}
	for (alg = 0; alg < IV_ALG_COUNT; alg++)
		for (k = 0; k < IV_PCR_COUNT; k++) {
			if (!a->bank[alg].set[k])
				continue;
			snprintf(where, sizeof(where), "%s/pcr-%s/%u", src,
				 iv_alg_name((enum iv_alg)alg), k);
			if (iv_pcrs_set(pcrs, (enum iv_alg)alg, k,
					a->bank[alg].val[k], where, err))
				goto out;
		}
	ret = 0;
out:
	free(a);
	free(b);
	return ret;
}

static int read_tpm_dir_all(struct iv_pcrs *pcrs, void *dir,
			    struct iv_err *err)
{
	return read_tpm_dir_once(pcrs, dir, err);
}

int iv_pcrs_read_tpm_dir(struct iv_pcrs *pcrs, const char *dir,
			 struct iv_err *err)
{
	assert(pcrs && dir && err);
	return iv_pcrs_read_stable(pcrs, read_tpm_dir_all, (void *)dir, dir,
				   err);
}
