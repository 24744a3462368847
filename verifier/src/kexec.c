// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Soft reboots in the list, and what to say when replay fails.
 *
 * A carried list holds one boot_aggregate per boot.  Around each kexec
 * the kernel measures two ima-buf critical-data events (label ima_kexec):
 *	kexec_load	when the new kernel is loaded;
 *	kexec_execute	from the reboot notifier, just before measurements
 *			are suspended, so it is the last carried entry;
 * each with buf "kexec_segment_size=N;ima_binary_runtime_size=N;
 * ima_runtime_measurements_count=N;".  This series adds one more, made by
 * the new kernel right after its boot_aggregate, saying what became of
 * the list it was handed:
 *	kexec_restore	"result=<intact|unchecked|truncated|rejected>;
 *			restored=N;dropped=M;[reason=<word>;]"
 *	intact		the SHA-256 the old kernel wrote over the handover
 *			matched: the list is intact, which is not to say
 *			authentic (only the TPM replay shows that);
 *	unchecked	the old kernel wrote no digest, nothing was checked;
 *	truncated	the list did not fit, the M newest entries are missing;
 *	rejected	the new kernel discarded the list and says why in
 *			reason= (bad_header, digest_mismatch, unreadable, ...;
 *			kept as an opaque word, new kernels may add more).
 * "none" (no handover at all) appeared in securityfs only; a record saying
 * it without tpm fields is malformed.
 *
 * Kernels with the TPM check append, after reason= if present:
 *	tpm=<match|mismatch|lost|not_checked>;[tpm_reason=<word>;]
 *	[tpm_<bank>=<match|mismatch:PCRLIST|not_checked:WHY>;]...
 * the new kernel's own replay of the restored records, per bank, from
 * the PCR reset values, compared with the TPM before its boot_aggregate.
 * <bank> is the kernel's hash name (sha1, sha256, sha384, sha512, sm3)
 * or 0x%04x, PCRLIST a %*pbl list ("10", "10-11,14").  They also write a
 * record for result=none when the TPM holds what no list carries
 * (tpm=lost).  lost means nothing readable was handed over (result=none,
 * or rejected with reason=unreadable); mismatch that something was,
 * restored or rejected whole: a rejection for any other reason restores
 * nothing and says tpm=mismatch.  Malformed tpm fields are an input error.
 *
 * Earlier kernels of the series named the record kexec_handover and said
 * "verified" for intact and "unverified" for unchecked; those lists are
 * read too, the old words mapped to the new ones.  Either vocabulary is
 * accepted under either name: the words are the kernel's report, not a
 * verdict, which comes from the TPM replay alone.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "imaverify.h"

const char *iv_ho_result_name(enum iv_ho_result r)
{
	switch (r) {
	case IV_HO_INTACT:
		return "intact";
	case IV_HO_UNCHECKED:
		return "unchecked";
	case IV_HO_TRUNCATED:
		return "truncated";
	case IV_HO_REJECTED:
		return "rejected";
	case IV_HO_NONE:
		return "none";
	default:
		return "unknown";
	}
}

const char *iv_tpm_verdict_name(enum iv_tpm_verdict v)
{
	switch (v) {
	case IV_TPM_MATCH:
		return "match";
	case IV_TPM_MISMATCH:
		return "mismatch";
	case IV_TPM_LOST:
		return "lost";
	case IV_TPM_NOT_CHECKED:
		return "not_checked";
	default:
		return "absent";
	}
}

const char *iv_tpm_agree_name(enum iv_tpm_agree a)
{
	switch (a) {
	case IV_AGREE_YES:
		return "agree";
	case IV_AGREE_CONSISTENT:
		return "consistent";
	case IV_AGREE_CONTRADICTS:
		return "disagree";
	default:
		return "not_compared";
	}
}

/* The payload must be "key=value;" pairs of printable ASCII. */
static bool kv_wellformed(const uint8_t *p, size_t len)
{
	size_t i = 0;

	/* Tolerate a trailing NUL, should a writer include it. */
	while (len && !p[len - 1])
		len--;
	if (!len)
		return false;
	while (i < len) {
		size_t key = i;

		while (i < len && ((p[i] >= 'a' && p[i] <= 'z') ||
				   (p[i] >= '0' && p[i] <= '9') || p[i] == '_'))
			i++;
		if (i == key || i == len || p[i] != '=')
			return false;
		i++;
		while (i < len && p[i] != ';') {
			if (p[i] < 0x21 || p[i] > 0x7e || p[i] == '=')
				return false;
			i++;
		}
		if (i == len)
			return false;
		i++;
	}
	return true;
}

static bool kv_get(const uint8_t *p, size_t len, const char *key, char *val,
		   size_t vsz)
{
	size_t klen = strlen(key), i = 0;

	while (i < len) {
		const uint8_t *semi = memchr(p + i, ';', len - i);
		size_t end = semi ? (size_t)(semi - p) : len;

		if (end - i > klen && !memcmp(p + i, key, klen) &&
		    p[i + klen] == '=') {
			size_t vlen = end - i - klen - 1;

			if (vlen >= vsz)
				return false;
			memcpy(val, p + i + klen + 1, vlen);
			val[vlen] = '\0';
			return true;
		}
		i = end + 1;
	}
	return false;
}

static bool kv_u64(const uint8_t *p, size_t len, const char *key,
		   uint64_t *out)
{
	char val[24];
	uint64_t v = 0;
	size_t i;

	if (!kv_get(p, len, key, val, sizeof(val)) || !val[0])
		return false;
	for (i = 0; val[i]; i++) {
		if (val[i] < '0' || val[i] > '9' ||
		    v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(val[i] - '0');
	}
	*out = v;
	return true;
}

/*
 * d-ng of critical data is H(buf); check it when the algorithm is known.
 * A violation's is zero, and its buffer bound by nothing.
 */
static bool buf_digest_ok(const struct iv_entry *e)
{
	uint8_t calc[IV_MAX_DIGEST];
	int alg = iv_alg_by_name(e->algo);

	if (e->violation)
		return false;
	if (alg < 0)
		return true;
	if (iv_hash((enum iv_alg)alg, e->buf, e->buf_len, calc))
		return false;
	return e->fdigest_len == iv_alg_size((enum iv_alg)alg) &&
	       !memcmp(calc, e->fdigest, e->fdigest_len);
}

/* Arrays double in size: a bigger block is due when @n is a power of 2. */
static void *grow(void *arr, size_t n, size_t size)
{
	if (!n)
		return malloc(size);
	if (n & (n - 1))
		return arr;
	return realloc(arr, 2 * n * size);
}

/* The bank names the kernel gives TPM banks it has a hash for. */
static const struct {
	const char *name;
	uint16_t id;
} tpm_banks[] = {
	{ "sha1",	0x0004 },
	{ "sha256",	0x000b },
	{ "sha384",	0x000c },
	{ "sha512",	0x000d },
	{ "sm3",	0x0012 },
};

/* @n bytes of @p for an error message: printable, at most 40 of them. */
static const char *shown(const uint8_t *p, size_t n, char *out)
{
	size_t i, m = n > 40 ? 40 : n;

	for (i = 0; i < m; i++)
		out[i] = p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\'' ?
			 (char)p[i] : '?';
	strcpy(out + m, n > m ? "..." : "");
	return out;
}

static bool is_word(const uint8_t *p, size_t n, const char *word)
{
	return n == strlen(word) && !memcmp(p, word, n);
}

/* One decimal PCR number of %*pbl: no sign, no leading zero, < 24. */
static bool pcr_number(const uint8_t *p, size_t n, unsigned int *out)
{
	unsigned int v = 0;
	size_t i;

	if (!n || n > 2 || (n == 2 && p[0] == '0'))
		return false;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (unsigned int)(p[i] - '0');
	}
	if (v >= IV_PCR_COUNT)
		return false;
	*out = v;
	return true;
}

/* "10", "10-11,14": ascending numbers and ranges, as %*pbl prints. */
static int parse_pcr_list(const uint8_t *p, size_t n, uint32_t *mask,
			  char *why, size_t wlen)
{
	char s[48], t[48];
	size_t i = 0;
	int last = -1;

	*mask = 0;
	if (!n) {
		snprintf(why, wlen, "empty PCR list");
		return -1;
	}
	for (;;) {
		const uint8_t *comma = memchr(p + i, ',', n - i);
		size_t end = comma ? (size_t)(comma - p) : n;
		const uint8_t *dash = memchr(p + i, '-', end - i);
		size_t mid = dash ? (size_t)(dash - p) : end;
		unsigned int a, b, k;

		if (!pcr_number(p + i, mid - i, &a) ||
		    (dash && !pcr_number(p + mid + 1, end - mid - 1, &b))) {
			snprintf(why, wlen, "PCR list '%s': '%s' is not a PCR number 0-%d or a range of them",
				 shown(p, n, s), shown(p + i, end - i, t),
				 IV_PCR_COUNT - 1);
			return -1;
		}
		if (!dash)
			b = a;
		if (b < a || (dash && a == b) || (int)a <= last) {
			snprintf(why, wlen, "PCR list '%s' is not in ascending order",
				 shown(p, n, s));
			return -1;
		}
		for (k = a; k <= b; k++)
			*mask |= 1U << k;
		last = (int)b;
		if (!comma)
			break;
		i = end + 1;
		if (i == n) {
			snprintf(why, wlen, "PCR list '%s' ends in a comma",
				 shown(p, n, s));
			return -1;
		}
	}
	return 0;
}

/* tpm_<bank>: a name from tpm_banks[] or 0x and four lower-case digits. */
static bool bank_id(const uint8_t *p, size_t n, uint16_t *id)
{
	unsigned int v = 0;
	size_t i;

	for (i = 0; i < sizeof(tpm_banks) / sizeof(tpm_banks[0]); i++)
		if (is_word(p, n, tpm_banks[i].name)) {
			*id = tpm_banks[i].id;
			return true;
		}
	if (n != 6 || p[0] != '0' || p[1] != 'x')
		return false;
	for (i = 2; i < 6; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			v = v * 16 + (unsigned int)(p[i] - '0');
		else if (p[i] >= 'a' && p[i] <= 'f')
			v = v * 16 + (unsigned int)(p[i] - 'a' + 10);
		else
			return false;
	}
	*id = (uint16_t)v;
	return true;
}

static int parse_tpm_bank(struct iv_handover *h, const uint8_t *k, size_t kn,
			  const uint8_t *v, size_t vn, char *why, size_t wlen)
{
	struct iv_ho_bank *b;
	char s1[48], s2[48];
	uint16_t id;
	unsigned int i;

	if (!bank_id(k, kn, &id)) {
		snprintf(why, wlen, "tpm_%s: unknown TPM bank '%s' (not sha1, sha256, sha384, sha512, sm3 or 0x and 4 hex digits)",
			 shown(k, kn, s1), shown(k, kn, s2));
		return -1;
	}
	for (i = 0; i < h->nbank; i++)
		if (h->bank[i].tpm_alg == id) {
			snprintf(why, wlen, "TPM bank 0x%04x given twice (tpm_%s and tpm_%s)",
				 id, h->bank[i].name, shown(k, kn, s1));
			return -1;
		}
	if (h->nbank == IV_HO_MAX_BANKS) {
		snprintf(why, wlen, "more than %d TPM banks", IV_HO_MAX_BANKS);
		return -1;
	}
	b = &h->bank[h->nbank];
	memset(b, 0, sizeof(*b));
	memcpy(b->name, k, kn);		/* kn <= 6: bank_id() checked */
	b->tpm_alg = id;
	b->alg = iv_alg_by_tpm_id(id);
	if (is_word(v, vn, "match")) {
		b->verdict = IV_TPMB_MATCH;
	} else if (is_word(v, vn, "match:padded")) {
		/* Replayed with SHA-1 digests padded with zeros. */
		b->verdict = IV_TPMB_MATCH;
		b->padded = true;
	} else if (is_word(v, vn, "not_checked:no_hash")) {
		b->verdict = IV_TPMB_NO_HASH;
	} else if (is_word(v, vn, "not_checked:read_failed")) {
		b->verdict = IV_TPMB_READ_FAILED;
	} else if (is_word(v, vn, "not_checked:hash_failed")) {
		b->verdict = IV_TPMB_HASH_FAILED;
	} else if (vn >= 9 && !memcmp(v, "mismatch:", 9)) {
		char w[128];

		b->verdict = IV_TPMB_MISMATCH;
		if (parse_pcr_list(v + 9, vn - 9, &b->pcrs, w, sizeof(w))) {
			snprintf(why, wlen, "tpm_%s: %s", b->name, w);
			return -1;
		}
	} else {
		snprintf(why, wlen, "tpm_%s: verdict '%s' is not match, match:padded, mismatch:PCRLIST or not_checked:no_hash|read_failed|hash_failed",
			 b->name, shown(v, vn, s1));
		return -1;
	}
	h->nbank++;
	return 0;
}

/* One "key=value" field whose key is tpm or starts with tpm_. */
static int parse_tpm_field(struct iv_handover *h, const uint8_t *f, size_t n,
			   bool *have_reason, char *why, size_t wlen)
{
	const uint8_t *eq = memchr(f, '=', n);
	size_t kn = eq ? (size_t)(eq - f) : n, vn = eq ? n - kn - 1 : 0, i;
	const uint8_t *v = eq ? eq + 1 : NULL;
	char s[48];

	if (!eq) {
		snprintf(why, wlen, "field '%s' has no value", shown(f, n, s));
		return -1;
	}
	if (is_word(f, kn, "tpm")) {
		static const char *const words[] = {
			[IV_TPM_MATCH] = "match",
			[IV_TPM_MISMATCH] = "mismatch",
			[IV_TPM_LOST] = "lost",
			[IV_TPM_NOT_CHECKED] = "not_checked",
		};

		if (h->tpm != IV_TPM_ABSENT) {
			snprintf(why, wlen, "tpm= given twice");
			return -1;
		}
		for (i = IV_TPM_MATCH; i <= IV_TPM_NOT_CHECKED; i++)
			if (is_word(v, vn, words[i]))
				h->tpm = (enum iv_tpm_verdict)i;
		if (h->tpm == IV_TPM_ABSENT) {
			snprintf(why, wlen, "tpm verdict '%s' is not match, mismatch, lost or not_checked",
				 shown(v, vn, s));
			return -1;
		}
		return 0;
	}
	if (is_word(f, kn, "tpm_reason")) {
		if (*have_reason) {
			snprintf(why, wlen, "tpm_reason= given twice");
			return -1;
		}
		for (i = 0; i < vn; i++)
			if (!((v[i] >= 'a' && v[i] <= 'z') ||
			      (v[i] >= '0' && v[i] <= '9') || v[i] == '_'))
				break;
		if (!vn || vn >= sizeof(h->tpm_reason) || i < vn) {
			snprintf(why, wlen, "tpm_reason '%s' is not a word of 1-%zu characters a-z, 0-9 or _",
				 shown(v, vn, s), sizeof(h->tpm_reason) - 1);
			return -1;
		}
		memcpy(h->tpm_reason, v, vn);
		h->tpm_reason[vn] = '\0';
		*have_reason = true;
		return 0;
	}
	return parse_tpm_bank(h, f + 4, kn - 4, v, vn, why, wlen);
}

/* The verdict and its bank fields must say the same thing. */
static int check_tpm_fields(const struct iv_handover *h, bool have_reason,
			    char *why, size_t wlen)
{
	const char *v = iv_tpm_verdict_name(h->tpm);
	unsigned int i, bad = 0, nohash = 0, failed = 0;
	bool banks_reason;

	for (i = 0; i < h->nbank; i++) {
		bad += h->bank[i].verdict == IV_TPMB_MISMATCH;
		nohash += h->bank[i].verdict == IV_TPMB_NO_HASH;
		failed += h->bank[i].verdict == IV_TPMB_READ_FAILED ||
			  h->bank[i].verdict == IV_TPMB_HASH_FAILED;
	}
	if (h->tpm == IV_TPM_ABSENT) {
		snprintf(why, wlen, "%s without tpm=", have_reason ?
			 "tpm_reason=" : "tpm_<bank>=");
		return -1;
	}
	if ((h->tpm == IV_TPM_NOT_CHECKED) != have_reason) {
		snprintf(why, wlen, have_reason ? "tpm_reason= with tpm=%s" :
			 "tpm=%s without tpm_reason=", v);
		return -1;
	}
	/* no_hash and read_failed come with every bank's word; others none. */
	banks_reason = h->tpm == IV_TPM_NOT_CHECKED &&
		       (!strcmp(h->tpm_reason, "no_hash") ||
			!strcmp(h->tpm_reason, "read_failed"));
	if (h->tpm == IV_TPM_NOT_CHECKED && !banks_reason && h->nbank) {
		snprintf(why, wlen, "tpm=not_checked;tpm_reason=%s with per-bank fields",
			 h->tpm_reason);
		return -1;
	}
	if (banks_reason && !h->nbank) {
		snprintf(why, wlen, "tpm_reason=%s without per-bank fields",
			 h->tpm_reason);
		return -1;
	}
	if (h->tpm == IV_TPM_NOT_CHECKED && !strcmp(h->tpm_reason, "no_hash") &&
	    nohash != h->nbank) {
		snprintf(why, wlen, "tpm_reason=no_hash but a bank has a hash");
		return -1;
	}
	if (h->tpm == IV_TPM_NOT_CHECKED &&
	    !strcmp(h->tpm_reason, "read_failed") &&
	    (nohash + failed != h->nbank || !failed)) {
		snprintf(why, wlen, "tpm_reason=read_failed but a bank was checked, or none failed");
		return -1;
	}
	if (h->tpm == IV_TPM_MATCH && bad) {
		snprintf(why, wlen, "tpm=match but a bank says mismatch");
		return -1;
	}
	if (h->tpm == IV_TPM_MISMATCH && !bad) {
		snprintf(why, wlen, "tpm=mismatch but no bank says mismatch");
		return -1;
	}
	return 0;
}

/*
 * Decode the tpm fields of a record's payload into @h (h->tpm stays
 * IV_TPM_ABSENT without them).  Other fields are left to kv_get().
 * Returns 0, or -1 with a sentence in @why.
 */
int iv_parse_tpm_fields(const uint8_t *p, size_t len, struct iv_handover *h,
			char *why, size_t wlen)
{
	bool any = false, have_reason = false;
	size_t i = 0;

	assert(p || !len);
	assert(h && why && wlen);
	h->tpm = IV_TPM_ABSENT;
	h->tpm_reason[0] = '\0';
	h->nbank = 0;
	while (len && !p[len - 1])
		len--;
	while (i < len) {
		const uint8_t *semi = memchr(p + i, ';', len - i);
		size_t end = semi ? (size_t)(semi - p) : len, n = end - i;
		const uint8_t *f = p + i;
		char s[48];

		i = end + 1;
		if (!((n >= 3 && !memcmp(f, "tpm", 3) &&
		       (n == 3 || f[3] == '=' || f[3] == '_'))))
			continue;
		any = true;
		if (!semi) {
			snprintf(why, wlen, "field '%s' is not ended by ';'",
				 shown(f, n, s));
			return -1;
		}
		if (parse_tpm_field(h, f, n, &have_reason, why, wlen))
			return -1;
	}
	if (!any)
		return 0;
	return check_tpm_fields(h, have_reason, why, wlen);
}

/* The record's name as the list has it. */
static const char *record_name(const struct iv_handover *h)
{
	return h->old_name ? IV_RESTORE_RECORD_OLD : IV_RESTORE_RECORD;
}

static int parse_handover(const struct iv_entry *e, struct iv_handover *h,
			  struct iv_err *err)
{
	char res[16] = "", why[256];

	h->result = IV_HO_UNKNOWN;
	h->malformed = !kv_wellformed(e->buf, e->buf_len);
	if (iv_parse_tpm_fields(e->buf, e->buf_len, h, why, sizeof(why)))
		return iv_fail_at(err, e->index, e->offset,
				  "%s record: %s",
				  record_name(h), why);
	if (kv_get(e->buf, e->buf_len, "result", res, sizeof(res))) {
		/* "verified" and "unverified": older kernels of the series */
		if (!strcmp(res, "intact") || !strcmp(res, "verified"))
			h->result = IV_HO_INTACT;
		else if (!strcmp(res, "unchecked") ||
			 !strcmp(res, "unverified"))
			h->result = IV_HO_UNCHECKED;
		else if (!strcmp(res, "truncated"))
			h->result = IV_HO_TRUNCATED;
		else if (!strcmp(res, "rejected"))
			h->result = IV_HO_REJECTED;
		/* Written only by kernels with the TPM check. */
		else if (!strcmp(res, "none") && h->tpm != IV_TPM_ABSENT)
			h->result = IV_HO_NONE;
	}
	h->has_restored = kv_u64(e->buf, e->buf_len, "restored", &h->restored);
	h->has_dropped = kv_u64(e->buf, e->buf_len, "dropped", &h->dropped);
	if (!kv_get(e->buf, e->buf_len, "reason", h->reason, sizeof(h->reason)))
		h->reason[0] = '\0';
	if (h->result == IV_HO_UNKNOWN || !h->has_restored || !h->has_dropped ||
	    (h->result == IV_HO_REJECTED && !h->reason[0]))
		h->malformed = true;
	/*
	 * lost: nothing readable arrived (none, or rejected as unreadable);
	 * mismatch: something did, restored or rejected whole.
	 */
	if ((h->tpm == IV_TPM_LOST && h->result != IV_HO_NONE &&
	     h->result != IV_HO_REJECTED && h->result != IV_HO_UNKNOWN) ||
	    (h->tpm == IV_TPM_MISMATCH && h->result == IV_HO_NONE))
		return iv_fail_at(err, e->index, e->offset,
				  "%s record: tpm=%s with result=%s",
				  record_name(h),
				  iv_tpm_verdict_name(h->tpm), res);
	return 0;
}

/* A list holds a few of each; more than IV_KEXEC_MAX is no real list. */
static void *add(void *arr, size_t n, size_t size, const char *what,
		 const struct iv_entry *e, struct iv_err *err)
{
	void *p;

	if (n == IV_KEXEC_MAX) {
		iv_fail_at(err, e->index, e->offset,
			   "more than %d %s",
			   IV_KEXEC_MAX, what);
		return NULL;
	}
	p = grow(arr, n, size);
	if (!p)
		iv_fail(err, "out of memory");
	return p;
}

/*
 * One entry of the list, in order from the first: what it says about
 * boots, kexec events and handovers is kept, the entry itself is not.
 * A violation says nothing: the TPM got all 0xff, not its data, so
 * anyone may have written that (a boot_aggregate, a kexec_restore).
 */
int iv_kexec_entry(struct iv_kexec *k, const struct iv_entry *e,
		   struct iv_err *err)
{
	size_t i = e->index;
	void *n;

	assert(k && e && err);
	if (e->violation)
		goto done;
	if (iv_entry_is_boot_aggregate(e)) {
		n = add(k->boot, k->nboot, sizeof(*k->boot),
			"boot_aggregate entries", e, err);
		if (!n)
			return -1;
		k->boot = n;
		k->boot[k->nboot].aggregate = i;
		k->boot[k->nboot].has_execute = !k->nboot || k->seen_execute;
		k->boot[k->nboot].handover = -1;
		k->boot[k->nboot].pcrs_before = k->pcrs_seen;
		k->nboot++;
		k->seen_execute = false;
		goto done;
	}
	if (!e->has_buf)
		goto done;
	if (iv_entry_name_is(e, "kexec_load") ||
	    iv_entry_name_is(e, "kexec_execute")) {
		struct iv_kexec_event *ev;

		n = add(k->ev, k->nev, sizeof(*k->ev), "kexec events", e, err);
		if (!n)
			return -1;
		k->ev = n;
		ev = &k->ev[k->nev++];
		memset(ev, 0, sizeof(*ev));
		ev->entry = i;
		ev->boot = (unsigned int)k->nboot;
		ev->kind = iv_entry_name_is(e, "kexec_load") ?
			   IV_KEXEC_LOAD : IV_KEXEC_EXECUTE;
		ev->parsed = kv_wellformed(e->buf, e->buf_len) &&
			kv_u64(e->buf, e->buf_len, "kexec_segment_size",
			       &ev->segment_size) &&
			kv_u64(e->buf, e->buf_len, "ima_binary_runtime_size",
			       &ev->binary_size) &&
			kv_u64(e->buf, e->buf_len,
			       "ima_runtime_measurements_count", &ev->count);
		ev->digest_ok = buf_digest_ok(e);
		if (ev->kind == IV_KEXEC_EXECUTE)
			k->seen_execute = true;
	} else if (iv_entry_name_is(e, IV_RESTORE_RECORD) ||
		   iv_entry_name_is(e, IV_RESTORE_RECORD_OLD)) {
		struct iv_handover *h;

		n = add(k->ho, k->nho, sizeof(*k->ho),
			IV_RESTORE_RECORD " records", e, err);
		if (!n)
			return -1;
		k->ho = n;
		h = &k->ho[k->nho];
		memset(h, 0, sizeof(*h));
		h->entry = i;
		h->boot = (unsigned int)k->nboot;
		h->old_name = iv_entry_name_is(e, IV_RESTORE_RECORD_OLD);
		h->after_aggregate = k->nboot &&
			k->boot[k->nboot - 1].aggregate + 1 == i;
		if (parse_handover(e, h, err))
			return -1;
		if (k->nboot && k->boot[k->nboot - 1].handover < 0)
			k->boot[k->nboot - 1].handover = (long)k->nho;
		k->nho++;
	}
done:
	k->pcrs_seen |= 1U << e->pcr;
	return 0;
}

int iv_kexec_analyse(const struct iv_list *l, struct iv_kexec *k,
		     struct iv_err *err)
{
	size_t i;

	assert(l && k && err);
	memset(k, 0, sizeof(*k));
	for (i = 0; i < l->count; i++)
		if (iv_kexec_entry(k, &l->e[i], err))
			return -1;
	return 0;
}

/*
 * Set one bank's comparison.  The verifier knows, per PCR, whether the
 * whole list replays to the value it was given.  Where it does, the TPM
 * held exactly the list's extends for that PCR, the entries before boot
 * b among them: when boot b's kernel checked, before its boot_aggregate,
 * the PCR held the replay of the entries before it.  A kernel verdict of
 * mismatch (or lost) on that PCR cannot then be true, if the kernel
 * restored those entries.  A kernel match beside a verifier mismatch
 * only puts the fault later.  Other combinations say nothing.
 */
static void compare_bank(const struct iv_replay *r, struct iv_handover *h,
			 struct iv_ho_bank *b)
{
	uint32_t match = 0, padded = 0, bad = 0, checked;
	int k;

	b->agree = IV_AGREE_NOT_COMPARED;
	b->nocmp = IV_NOCMP_NONE;
	b->v_bad = 0;
	b->contra = 0;
	b->v_replayed = false;
	for (k = 0; b->alg >= 0 && k < IV_PCR_COUNT; k++) {
		const struct iv_replay_pcr *p = &r->p[b->alg][k];

		if (!p->used)
			continue;
		b->v_replayed = true;
		if (p->scheme == IV_SCHEME_SHA1 || p->scheme == IV_SCHEME_HASH)
			match |= 1U << k;
		else if (p->scheme == IV_SCHEME_PADDED)
			padded |= 1U << k;
		else
			b->v_bad |= 1U << k;
		if (p->have_tpm && p->scheme == IV_SCHEME_NONE)
			bad |= 1U << k;
	}
	if (b->verdict == IV_TPMB_NO_HASH || b->verdict == IV_TPMB_READ_FAILED ||
	    b->verdict == IV_TPMB_HASH_FAILED) {
		b->nocmp = IV_NOCMP_NO_HASH;
		return;
	}
	if (!b->v_replayed) {
		b->nocmp = b->alg < 0 ? IV_NOCMP_ALG : IV_NOCMP_NOT_GIVEN;
		return;
	}
	if (b->verdict == IV_TPMB_MATCH) {
		checked = h->prefix_pcrs;
		if (checked & bad)
			b->agree = IV_AGREE_CONSISTENT;
		else if (checked & match)
			b->agree = IV_AGREE_YES;
		else
			b->nocmp = checked & padded ? IV_NOCMP_PADDED :
						      IV_NOCMP_NO_VALUE;
		return;
	}
	b->contra = b->pcrs & match;
	if (b->contra && h->prefix_known) {
		b->agree = IV_AGREE_CONTRADICTS;
		return;
	}
	b->contra = 0;
	if (b->pcrs & bad)
		b->agree = IV_AGREE_YES;
	else if (b->pcrs & match)
		b->nocmp = IV_NOCMP_PREFIX;
	else
		b->nocmp = b->pcrs & padded ? IV_NOCMP_PADDED :
					      IV_NOCMP_NO_VALUE;
}

/*
 * Records after the entries the PCR values cover are only what the list
 * says (covered is all of them unless a prefix verified).  None is the
 * handover of a covered boot, even right after its boot_aggregate: else
 * a line appended to a live list would stand in for the record that
 * boot lacks, and for the note saying so.  A later record of the same
 * boot is later still, so the boot then has none.
 */
static void mark_newer(const struct iv_replay *r, struct iv_kexec *k)
{
	size_t i;

	for (i = 0; i < k->nho; i++)
		k->ho[i].newer = k->ho[i].entry >= r->covered;
	for (i = 0; i < k->nev; i++)
		k->ev[i].newer = k->ev[i].entry >= r->covered;
	for (i = 0; i < k->nboot; i++)
		if (k->boot[i].handover >= 0 &&
		    k->ho[k->boot[i].handover].newer)
			k->boot[i].handover = -1;
}

/*
 * Put each kernel verdict on a bank beside the verifier's replay of that
 * bank (after iv_replay_finish() and the last iv_kexec_entry()).  The
 * replay judges the entries the PCR values cover; a record newer than
 * those values is not compared.
 */
void iv_kexec_compare(const struct iv_replay *r, struct iv_kexec *k)
{
	size_t i;
	unsigned int b;

	assert(r && k);
	mark_newer(r, k);
	k->contradictions = 0;
	for (i = 0; i < k->nho; i++) {
		struct iv_handover *h = &k->ho[i];

		h->prefix = 0;
		h->prefix_known = false;
		h->prefix_pcrs = 1U << 10;
		h->covered = r->covered;
		h->whole = r->covered == r->entries;
		if (h->boot >= 1 && h->boot <= k->nboot) {
			h->prefix = k->boot[h->boot - 1].aggregate;
			h->prefix_known = h->has_restored &&
					  h->restored == h->prefix;
			h->prefix_pcrs |= k->boot[h->boot - 1].pcrs_before;
		}
		for (b = 0; b < h->nbank; b++) {
			compare_bank(r, h, &h->bank[b]);
			if (h->newer) {
				h->bank[b].agree = IV_AGREE_NOT_COMPARED;
				h->bank[b].nocmp = IV_NOCMP_NEWER;
				h->bank[b].contra = 0;
			}
			if (h->bank[b].agree == IV_AGREE_CONTRADICTS)
				k->contradictions++;
		}
	}
}

/* A PCR set as %*pbl prints it: "10", "10-11,14"; "" if empty. */
void iv_pcr_list(uint32_t pcrs, char *out, size_t len)
{
	size_t n = 0;
	int k = 0;

	assert(out && len);
	out[0] = '\0';
	while (k < IV_PCR_COUNT) {
		int e = k;

		if (!(pcrs & (1U << k))) {
			k++;
			continue;
		}
		while (e + 1 < IV_PCR_COUNT && pcrs & (1U << (e + 1)))
			e++;
		if (e == k)
			n += (size_t)snprintf(out + n, n < len ? len - n : 0,
					      "%s%d", n ? "," : "", k);
		else
			n += (size_t)snprintf(out + n, n < len ? len - n : 0,
					      "%s%d-%d", n ? "," : "", k, e);
		k = e + 1;
	}
}

/* "PCR 10" or "PCRs 10-11,14" */
static void pcr_phrase(uint32_t pcrs, char *out, size_t len)
{
	char list[64];

	iv_pcr_list(pcrs, list, sizeof(list));
	snprintf(out, len, "PCR%s %s", pcrs & (pcrs - 1) ? "s" : "", list);
}

/* Whose measurements a kernel at list boot @boot misses. */
static void missing_boots(unsigned int boot, char *out, size_t len)
{
	if (boot <= 1)
		snprintf(out, len, "of the previous kernel");
	else if (boot == 2)
		snprintf(out, len, "of boot 1");
	else
		snprintf(out, len, "of the boots before boot %u", boot);
}

static void restored_phrase(const struct iv_handover *h, char *out,
			    size_t len)
{
	if (h->has_restored)
		snprintf(out, len, "%llu restored entr%s",
			 (unsigned long long)h->restored,
			 h->restored == 1 ? "y" : "ies");
	else
		snprintf(out, len, "restored entries");
}

/* "the whole list replays", or only the part the PCR values cover. */
static void replays_phrase(const struct iv_handover *h, char *out, size_t len)
{
	if (h->whole)
		snprintf(out, len, "the whole list replays");
	else
		snprintf(out, len, "the first %zu entries replay", h->covered);
}

/*
 * Nothing of the handover is in the list: none arrived, or the kernel
 * rejected it whole (with tpm=lost or tpm=mismatch alike).
 */
static bool nothing_restored(const struct iv_handover *h)
{
	return h->tpm == IV_TPM_LOST || h->result == IV_HO_NONE ||
	       h->result == IV_HO_REJECTED;
}

/* One sentence: what the kernel's tpm= verdict means. */
void iv_ho_tpm_meaning(const struct iv_handover *h, char *out, size_t len)
{
	char rest[48], who[48];
	const char *w = h->tpm_reason;

	assert(h && out && len);
	restored_phrase(h, rest, sizeof(rest));
	missing_boots(h->boot, who, sizeof(who));
	switch (h->tpm) {
	case IV_TPM_MATCH:
		if (h->result == IV_HO_NONE || h->result == IV_HO_REJECTED ||
		    (h->has_restored && !h->restored))
			snprintf(out, len, "nothing was restored and the PCRs the kernel checked were at their reset values");
		else
			snprintf(out, len, "the kernel replayed the %s from the PCR reset values and the TPM held exactly their extends in every bank it checked",
				 rest);
		break;
	case IV_TPM_MISMATCH:
		/* Rejected whole: the list lacks them all, nothing forged. */
		if (h->result == IV_HO_REJECTED)
			snprintf(out, len, "the TPM holds measurements of the previous kernel that no list carries: this kernel rejected the handover (reason %s) and restored nothing",
				 h->reason[0] ? h->reason : "not given");
		else
			snprintf(out, len, "the TPM held extends that the %s do not explain: measurements %s are missing from the list, or it was forged or reordered",
				 rest, who);
		break;
	case IV_TPM_LOST:
		if (h->result == IV_HO_NONE)
			snprintf(out, len, "the TPM holds measurements of the previous kernel that no list carries: the kexec carried no handover (kexec_load syscall or a kernel without IMA_KEXEC)");
		else if (h->result == IV_HO_REJECTED)
			snprintf(out, len, "the TPM holds measurements of the previous kernel that no list carries: this kernel rejected the handover (reason %s)",
				 h->reason[0] ? h->reason : "not given");
		else
			snprintf(out, len, "the TPM holds measurements of the previous kernel that no list carries");
		break;
	case IV_TPM_NOT_CHECKED:
		if (!strcmp(w, "no_tpm"))
			snprintf(out, len, "the kernel found no TPM chip (IMA's TPM-bypass mode), so it checked nothing and its measurements extend no PCR");
		else if (!strcmp(w, "disabled"))
			snprintf(out, len, "the check was switched off (ima_kexec_tpm_check=off)");
		else if (!strcmp(w, "read_failed"))
			snprintf(out, len, "reading a PCR or hashing failed in a bank, and no bank could be compared");
		else if (!strcmp(w, "kdump"))
			snprintf(out, len, "a crash kernel (kdump), which is never handed a list, does not check");
		else if (!strcmp(w, "no_memory"))
			snprintf(out, len, "the kernel had no memory for the check");
		else if (!strcmp(w, "no_hash"))
			snprintf(out, len, "the kernel has a hash for none of the TPM's banks, so it could replay none");
		else
			snprintf(out, len, "the kernel did not check (reason %s)",
				 w);
		break;
	default:
		snprintf(out, len, "no TPM check recorded");
	}
}

void iv_ho_bank_kernel(const struct iv_ho_bank *b, char *out, size_t len)
{
	char pcrs[72];

	assert(b && out && len);
	if (b->verdict == IV_TPMB_MATCH) {
		snprintf(out, len, b->padded ? "kernel match (padded SHA-1)" :
			 "kernel match");
	} else if (b->verdict == IV_TPMB_NO_HASH) {
		snprintf(out, len, "kernel not_checked:no_hash");
	} else if (b->verdict == IV_TPMB_READ_FAILED) {
		snprintf(out, len, "kernel not_checked:read_failed");
	} else if (b->verdict == IV_TPMB_HASH_FAILED) {
		snprintf(out, len, "kernel not_checked:hash_failed");
	} else {
		pcr_phrase(b->pcrs, pcrs, sizeof(pcrs));
		snprintf(out, len, "kernel mismatch %s", pcrs);
	}
}

void iv_ho_bank_verifier(const struct iv_ho_bank *b, char *out, size_t len)
{
	char pcrs[72];

	assert(b && out && len);
	if (!b->v_replayed && b->alg < 0) {
		snprintf(out, len, "verifier cannot replay %s", b->name);
	} else if (!b->v_replayed) {
		snprintf(out, len, "verifier has no %s values", b->name);
	} else if (!b->v_bad) {
		snprintf(out, len, "verifier match");
	} else {
		pcr_phrase(b->v_bad, pcrs, sizeof(pcrs));
		snprintf(out, len, "verifier MISMATCH %s", pcrs);
	}
}

/* How the two verdicts on a bank relate, after iv_kexec_compare(). */
void iv_ho_bank_relation(const struct iv_handover *h,
			 const struct iv_ho_bank *b, char *out, size_t len)
{
	char pcrs[72], what[64];

	assert(h && b && out && len);
	switch (b->agree) {
	case IV_AGREE_YES:
		if (b->verdict == IV_TPMB_MATCH)
			snprintf(out, len, "agree");
		else if (nothing_restored(h))
			snprintf(out, len, "agree: the TPM held extends before this list began");
		else
			snprintf(out, len, "agree: the list lacks extends the TPM holds");
		return;
	case IV_AGREE_CONSISTENT:
		if (h->prefix_known && h->prefix)
			snprintf(out, len, "consistent: the %zu entries before boot %u replayed then, so the list leaves the TPM after entry %zu",
				 h->prefix, h->boot, h->prefix - 1);
		else
			snprintf(out, len, "consistent: the mismatch comes after that kernel's check");
		return;
	case IV_AGREE_CONTRADICTS:
		pcr_phrase(b->contra, pcrs, sizeof(pcrs));
		replays_phrase(h, what, sizeof(what));
		if (h->prefix)
			snprintf(out, len, "DISAGREE: %s to %s %s, so the %zu entries restored at boot %u must have replayed then",
				 what, b->name, pcrs, h->prefix, h->boot);
		else
			snprintf(out, len, "DISAGREE: %s from reset to %s %s, so it was at its reset value when this list began",
				 what, b->name, pcrs);
		return;
	default:
		break;
	}
	switch (b->nocmp) {
	case IV_NOCMP_NO_HASH:
		snprintf(out, len, "not compared: that kernel has no hash for this bank");
		break;
	case IV_NOCMP_ALG:
	case IV_NOCMP_NOT_GIVEN:
		snprintf(out, len, "not compared");
		break;
	case IV_NOCMP_PADDED:
		snprintf(out, len, "not compared: the verifier matched only zero-padded SHA-1 digests, which the kernel's replay does not use");
		break;
	case IV_NOCMP_NEWER:
		snprintf(out, len, "not compared: the record is newer than the PCR values (entry %zu, %zu entries covered)",
			 h->entry, h->covered);
		break;
	case IV_NOCMP_PREFIX:
		if (!h->has_restored || h->boot < 1)
			snprintf(out, len, "not compared: the list does not show what that kernel restored");
		else
			snprintf(out, len, "not compared: restored=%llu but %zu entries precede its boot_aggregate",
				 (unsigned long long)h->restored, h->prefix);
		break;
	default:
		snprintf(out, len, "not compared: no given value of the PCRs the kernel checked");
	}
}

void iv_kexec_free(struct iv_kexec *k)
{
	if (!k)
		return;
	free(k->boot);
	free(k->ev);
	free(k->ho);
	memset(k, 0, sizeof(*k));
}

static void fmt_count(char *buf, size_t len, bool have, uint64_t v)
{
	if (have)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else
		snprintf(buf, len, "an unknown number of");
}

/* Append ";..." to out->text, as far as it fits. */
static void append(struct iv_explain *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void append(struct iv_explain *out, const char *fmt, ...)
{
	size_t n = strlen(out->text);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out->text + n, sizeof(out->text) - n, fmt, ap);
	va_end(ap);
}

/* The first PCR the list extends, bank by bank: the one to name. */
static const struct iv_replay_pcr *first_used(const struct iv_replay *r,
					      int *a, int *k)
{
	for (*a = 0; *a < IV_ALG_COUNT; (*a)++)
		for (*k = 0; *k < IV_PCR_COUNT; (*k)++)
			if (r->p[*a][*k].used)
				return &r->p[*a][*k];
	return NULL;
}

/* "after entry 16", "before the first entry" */
static void after_phrase(long at, char *out, size_t len)
{
	if (at == IV_AT_START)
		snprintf(out, len, "before the first entry");
	else
		snprintf(out, len, "after entry %ld", at);
}

/*
 * The PCR values are those of a prefix of the list, in every bank, but
 * a boot began after it, which a list read after the PCRs cannot hold;
 * or, at the start, they are reset values, which cover nothing.
 */
static bool explain_list_longer(const struct iv_ctx *ctx,
				struct iv_explain *out)
{
	const struct iv_replay *r = &ctx->replay;
	const struct iv_kexec *k = &ctx->kexec;
	const struct iv_replay_pcr *p;
	char at[48];
	size_t i, more;
	int a, pcr;

	if (r->all_match || r->prefix_at == IV_NO_MATCH)
		return false;
	p = first_used(r, &a, &pcr);
	if (!p)
		return false;
	after_phrase(r->prefix_at, at, sizeof(at));
	more = r->entries - (size_t)(r->prefix_at + 1);
	out->cause = IV_CAUSE_LIST_LONGER;
	out->entry = r->prefix_at + 1;
	snprintf(out->text, sizeof(out->text),
		 "list longer than TPM: %s PCR-%02d equals the replay %s; the list has %zu more entries than the TPM",
		 iv_alg_name((enum iv_alg)a), pcr, at, more);
	for (i = 0; i < k->nboot; i++) {
		if ((long)k->boot[i].aggregate <= r->prefix_at)
			continue;
		append(out, ", among them the boot_aggregate of boot %zu (entry %zu): PCR values read before that boot, or a kernel that extended no PCR",
		       i + 1, k->boot[i].aggregate);
		return true;
	}
	append(out, " (read PCRs before the list)");
	return true;
}

/*
 * Each PCR's replay meets its TPM value at some entry, or never, but
 * there is no entry where all of them do: the values were not read
 * together, or one bank was extended alone (through /dev/tpm0).  Only
 * where one met it part way; a PCR that matches after all entries beside
 * one that never does is the generic mismatch.
 */
static bool explain_disagreeing_pcrs(const struct iv_ctx *ctx,
				     struct iv_explain *out)
{
	const struct iv_replay *r = &ctx->replay;
	const struct iv_replay_pcr *part = NULL, *other = NULL, *p;
	int a, k, pa = 0, pk = 0, oa = 0, ok = 0;
	char at1[48], at2[48];

	if (r->all_match || r->prefix_at != IV_NO_MATCH)
		return false;
	for (a = 0; a < IV_ALG_COUNT && !part; a++)
		for (k = 0; k < IV_PCR_COUNT && !part; k++) {
			p = &r->p[a][k];
			if (p->used && p->have_tpm &&
			    p->last_match != IV_NO_MATCH &&
			    p->last_match < p->last_entry) {
				part = p;
				pa = a;
				pk = k;
			}
		}
	if (!part)
		return false;
	/* One that never matched, else one that matched elsewhere. */
	for (a = 0; a < IV_ALG_COUNT && !other; a++)
		for (k = 0; k < IV_PCR_COUNT && !other; k++) {
			p = &r->p[a][k];
			if (p->used && p->last_match == IV_NO_MATCH) {
				other = p;
				oa = a;
				ok = k;
			}
		}
	for (a = 0; a < IV_ALG_COUNT && !other; a++)
		for (k = 0; k < IV_PCR_COUNT && !other; k++) {
			p = &r->p[a][k];
			if (p->used && p->last_match != part->last_match) {
				other = p;
				oa = a;
				ok = k;
			}
		}
	if (!other)
		return false;
	after_phrase(part->last_match, at1, sizeof(at1));
	out->cause = IV_CAUSE_PCRS_DISAGREE;
	out->entry = part->last_match + 1;
	snprintf(out->text, sizeof(out->text),
		 "PCRs disagree: %s PCR-%02d equals the replay %s, ",
		 iv_alg_name((enum iv_alg)pa), pk, at1);
	if (other->last_match == IV_NO_MATCH) {
		append(out, "but %s PCR-%02d equals the replay after no entry",
		       iv_alg_name((enum iv_alg)oa), ok);
	} else {
		after_phrase(other->last_match, at2, sizeof(at2));
		append(out, "but %s PCR-%02d that %s",
		       iv_alg_name((enum iv_alg)oa), ok, at2);
	}
	append(out, "; no prefix of the list replays to both (values not read together, or a bank extended alone through /dev/tpm0)");
	return true;
}

/*
 * The latest kernel that found the list it restored replays in bank @a
 * (PCR @pcr among those it checked) bounds where the list and the TPM
 * part: after what it restored.
 */
static void kernel_locator(const struct iv_kexec *k, int a, int pcr,
			   struct iv_explain *out)
{
	size_t i;
	unsigned int b;

	for (i = k->nho; i-- > 0;) {
		const struct iv_handover *h = &k->ho[i];

		if (h->newer || !h->prefix_known || !h->prefix ||
		    !(h->prefix_pcrs & (1U << pcr)))
			continue;
		for (b = 0; b < h->nbank; b++) {
			if (h->bank[b].alg != a ||
			    h->bank[b].verdict != IV_TPMB_MATCH)
				continue;
			append(out, "; the kernel's TPM check at boot %u (entry %zu) found the %zu entries before it replay in %s, so the list leaves the TPM after entry %zu",
			       h->boot, h->entry, h->prefix, h->bank[b].name,
			       h->prefix - 1);
			return;
		}
	}
}

/* First bank of @h whose kernel verdict is mismatch; NULL if none. */
static const struct iv_ho_bank *kernel_bad_bank(const struct iv_handover *h)
{
	const struct iv_ho_bank *any = NULL;
	unsigned int b;

	for (b = 0; b < h->nbank; b++) {
		if (h->bank[b].verdict != IV_TPMB_MISMATCH)
			continue;
		/* Prefer a bank where the verifier sees the same. */
		if (h->bank[b].agree == IV_AGREE_YES)
			return &h->bank[b];
		if (!any)
			any = &h->bank[b];
	}
	return any;
}

/* "sha256 PCR 10 does not replay" / "... not at its reset value" */
static void kernel_finding(const struct iv_handover *h, char *out, size_t len)
{
	const struct iv_ho_bank *b = kernel_bad_bank(h);
	char pcrs[72];

	/* With nothing restored, not replaying is not being at reset. */
	if (!b) {
		snprintf(out, len, nothing_restored(h) ?
			 "the PCRs not at their reset values" :
			 "a PCR does not replay");
		return;
	}
	pcr_phrase(b->pcrs, pcrs, sizeof(pcrs));
	if (nothing_restored(h))
		snprintf(out, len, "%s %s not at %s reset value", b->name,
			 pcrs, b->pcrs & (b->pcrs - 1) ? "their" : "its");
	else
		snprintf(out, len, "%s %s do%s not replay", b->name, pcrs,
			 b->pcrs & (b->pcrs - 1) ? "" : "es");
}

/* Where a kernel's own TPM check confirms a recorded cause, say so. */
static void kernel_agrees(const struct iv_handover *h, struct iv_explain *out)
{
	char what[128];

	if (h->tpm != IV_TPM_MISMATCH && h->tpm != IV_TPM_LOST)
		return;
	kernel_finding(h, what, sizeof(what));
	append(out, "; the kernel's own TPM check agrees (tpm=%s: %s)",
	       iv_tpm_verdict_name(h->tpm), what);
}

/*
 * A kernel verdict the whole list refutes: the kernel's record or the
 * PCR values given are false.
 */
static bool explain_disagreement(const struct iv_ctx *ctx,
				 struct iv_explain *out)
{
	const struct iv_kexec *k = &ctx->kexec;
	size_t i;
	unsigned int b;

	for (i = 0; i < k->nho; i++) {
		const struct iv_handover *h = &k->ho[i];

		for (b = 0; b < h->nbank; b++) {
			const struct iv_ho_bank *hb = &h->bank[b];
			char pcrs[72], what[64];

			if (hb->agree != IV_AGREE_CONTRADICTS)
				continue;
			pcr_phrase(hb->contra, pcrs, sizeof(pcrs));
			replays_phrase(h, what, sizeof(what));
			out->cause = IV_CAUSE_TPM_DISAGREE;
			out->entry = (long)h->entry;
			if (nothing_restored(h))
				snprintf(out->text, sizeof(out->text),
					 "kernel and verifier disagree at boot %u (entry %zu): the kernel's TPM check found %s %s not at the reset value with nothing restored (tpm=%s), but %s from reset to the given %s %s, so it was at reset when the list began",
					 h->boot, h->entry, hb->name, pcrs,
					 iv_tpm_verdict_name(h->tpm), what,
					 hb->name, pcrs);
			else
				snprintf(out->text, sizeof(out->text),
					 "kernel and verifier disagree at boot %u (entry %zu): the kernel's TPM check says the %zu restored entries do not replay to %s %s (tpm=mismatch), but %s to the given %s %s, so they must have replayed then",
					 h->boot, h->entry, h->prefix, hb->name,
					 pcrs, what, hb->name, pcrs);
			append(out, ctx->have_quote && ctx->quote.verified ?
			       "; the quote vouches for the PCR values, so that kernel's record is false" :
			       "; that kernel's record or the PCR values given are false");
			return true;
		}
	}
	return false;
}

/* A kernel without a TPM chip measured nothing into the TPM. */
static bool explain_bypass(const struct iv_ctx *ctx, struct iv_explain *out)
{
	const struct iv_kexec *k = &ctx->kexec;
	const struct iv_replay *r = &ctx->replay;
	char took[64];
	size_t i;
	int a;

	for (i = 0; i < k->nho; i++) {
		const struct iv_handover *h = &k->ho[i];

		if (h->newer || h->tpm != IV_TPM_NOT_CHECKED ||
		    strcmp(h->tpm_reason, "no_tpm") || h->boot < 1)
			continue;
		/* Its measurements end where a later boot begins. */
		if (h->boot < k->nboot)
			snprintf(took, sizeof(took), "entries %zu-%zu",
				 h->prefix, k->boot[h->boot].aggregate - 1);
		else
			snprintf(took, sizeof(took), "from entry %zu on",
				 h->prefix);
		out->cause = IV_CAUSE_TPM_BYPASS;
		out->entry = (long)h->prefix;
		snprintf(out->text, sizeof(out->text),
			 "the kernel of boot %u (entry %zu) found no TPM chip (tpm=not_checked, tpm_reason=no_tpm: IMA's TPM-bypass mode), so the measurements it took, %s, extend no PCR",
			 h->boot, h->entry, took);
		/* The TPM stopped where that kernel began. */
		for (a = 0; a < IV_ALG_COUNT; a++) {
			const struct iv_replay_pcr *p = &r->p[a][10];

			if (!p->used || p->last_match != (long)h->prefix - 1)
				continue;
			if (h->prefix)
				append(out, "; %s PCR-10 equals the replay of the %zu entries before it",
				       iv_alg_name((enum iv_alg)a), h->prefix);
			else
				append(out, "; %s PCR-10 is at its reset value",
				       iv_alg_name((enum iv_alg)a));
			break;
		}
		return true;
	}
	return false;
}

/* No handover arrived, and the kernel found the TPM not at reset. */
static bool explain_lost(const struct iv_kexec *k, struct iv_explain *out)
{
	char what[128], at[64];
	size_t i;

	for (i = 0; i < k->nho; i++) {
		const struct iv_handover *h = &k->ho[i];

		if (h->newer || h->result != IV_HO_NONE ||
		    h->tpm != IV_TPM_LOST)
			continue;
		kernel_finding(h, what, sizeof(what));
		if (h->boot <= 1)
			snprintf(at, sizeof(at), "the kexec that started this list");
		else
			snprintf(at, sizeof(at), "kexec into boot %u", h->boot);
		out->cause = IV_CAUSE_LOST;
		out->entry = (long)h->entry;
		snprintf(out->text, sizeof(out->text),
			 "handover lost at %s (entry %zu): the new kernel received no list (kexec_load syscall or a previous kernel without IMA_KEXEC), and its TPM check found %s (tpm=lost): the TPM holds the previous kernel's measurements, which no list carries; unless that kernel lacked IMA_KEXEC, the previous kernel was loaded with kexec_load, which hands no list over; use kexec -s (kexec_file_load)",
			 at, h->entry, what);
		return true;
	}
	return false;
}

/* A kernel found the list it restored does not explain the TPM. */
static bool explain_kernel_mismatch(const struct iv_kexec *k,
				    struct iv_explain *out)
{
	char rest[48], who[48], pcrs[72];
	size_t i;

	for (i = 0; i < k->nho; i++) {
		const struct iv_handover *h = &k->ho[i];
		const struct iv_ho_bank *b;

		if (h->newer || h->tpm != IV_TPM_MISMATCH)
			continue;
		b = kernel_bad_bank(h);
		if (!b)
			continue;
		restored_phrase(h, rest, sizeof(rest));
		missing_boots(h->boot, who, sizeof(who));
		pcr_phrase(b->pcrs, pcrs, sizeof(pcrs));
		out->cause = IV_CAUSE_KERNEL_MISMATCH;
		out->entry = (long)h->entry;
		snprintf(out->text, sizeof(out->text),
			 "the kernel found at boot %u (entry %zu) that the %s do not replay to %s in %s (tpm=mismatch): measurements %s are missing from the list, or it was forged or reordered",
			 h->boot, h->entry, rest, pcrs, b->name, who);
		return true;
	}
	return false;
}

static void explain_generic(const struct iv_ctx *ctx, struct iv_explain *out)
{
	const struct iv_replay *r = &ctx->replay;
	int a, k;

	for (a = 0; a < IV_ALG_COUNT; a++) {
		for (k = 0; k < IV_PCR_COUNT; k++) {
			const struct iv_replay_pcr *p = &r->p[a][k];
			char pcr[16] = "";

			if (!p->used || p->scheme != IV_SCHEME_NONE)
				continue;
			if (k != 10)
				snprintf(pcr, sizeof(pcr), " PCR-%02d", k);
			out->cause = IV_CAUSE_MISMATCH;
			snprintf(out->text, sizeof(out->text),
				 "PCR mismatch in bank %s%s after all %zu entries; no entry matched intermediate PCR value",
				 iv_alg_name((enum iv_alg)a), pcr,
				 r->entries);
			kernel_locator(&ctx->kexec, a, k, out);
			return;
		}
	}
	out->cause = IV_CAUSE_MISMATCH;
	snprintf(out->text, sizeof(out->text), "PCR mismatch");
}

static bool explain_handover(const struct iv_kexec *k, struct iv_explain *out,
			     enum iv_ho_result want)
{
	char n1[32], n2[32];
	size_t i;

	for (i = 0; i < k->nho; i++) {
		const struct iv_handover *h = &k->ho[i];

		if (h->newer || h->result != want)
			continue;
		out->entry = (long)h->entry;
		fmt_count(n1, sizeof(n1), h->has_dropped, h->dropped);
		fmt_count(n2, sizeof(n2), h->has_restored, h->restored);
		if (want == IV_HO_TRUNCATED) {
			out->cause = IV_CAUSE_TRUNCATED;
			snprintf(out->text, sizeof(out->text),
				 "handover truncated at kexec into boot %u (entry %zu): the previous kernel's list did not fit the kexec buffer; %s newest entries were left out (%s handed over) but the TPM holds their extends",
				 h->boot, h->entry, n1, n2);
		} else {
			char at[64];

			/*
			 * The new kernel starts a fresh list, so its record
			 * normally sits in the list's boot 1: that is the
			 * kernel the kexec went into, not the cold boot
			 * "boot 1" would suggest.
			 */
			if (h->boot <= 1)
				snprintf(at, sizeof(at),
					 "the kexec that started this list");
			else
				snprintf(at, sizeof(at), "kexec into boot %u",
					 h->boot);
			/*
			 * dropped= counts what the old kernel left out of a
			 * handover that fit (the ABI), not what a rejection
			 * threw away: that number is in no record, and the
			 * kernel writes dropped=0.  Don't present it as one.
			 */
			out->cause = IV_CAUSE_REJECTED;
			snprintf(out->text, sizeof(out->text),
				 "handover rejected at %s (entry %zu): reason %s; the new kernel discarded the whole list the previous kernel handed over (how many entries is not recorded) but the TPM holds their extends",
				 at, h->entry,
				 h->reason[0] ? h->reason : "not given");
		}
		kernel_agrees(h, out);
		return true;
	}
	return false;
}

static void explain_template_digest(const struct iv_ctx *ctx,
				    struct iv_explain *out)
{
	const struct iv_replay *r = &ctx->replay;
	char log[41], calc[41];

	iv_hex(r->first_bad_digest, IV_SHA1_LEN, log);
	iv_hex(r->first_bad_calc, IV_SHA1_LEN, calc);
	out->cause = IV_CAUSE_TEMPLATE_DIGEST;
	out->entry = r->first_bad;
	snprintf(out->text, sizeof(out->text),
		 "template digest wrong at entry %ld (byte offset %zu, %s): logged %s, SHA-1 of the template data is %s",
		 r->first_bad, r->first_bad_offset, r->first_bad_label, log,
		 calc);
}

/* A wrong template digest among the entries the PCR values cover. */
static bool bad_digest_covered(const struct iv_replay *r)
{
	return r->first_bad >= 0 && (size_t)r->first_bad < r->covered;
}

/*
 * Pick the most specific reason why the list does not verify.
 * TPM values met part way through the list say exactly what is wrong
 * (a newer boot after the prefix they cover, or banks that met them at
 * different entries); then a cause the new kernel recorded beats one
 * inferred from the list, and that beats the generic statement.
 */
void iv_explain_mismatch(const struct iv_ctx *ctx, struct iv_explain *out)
{
	const struct iv_kexec *k = &ctx->kexec;
	const struct iv_replay *r = &ctx->replay;
	size_t i;
	int a, p;

	assert(ctx && out);
	memset(out, 0, sizeof(*out));
	out->entry = -1;
	/* A contradiction: someone lies, whatever else is wrong. */
	if (explain_disagreement(ctx, out))
		return;
	/* Every PCR matched: only a bad template digest can be wrong. */
	if (r->all_match && bad_digest_covered(r)) {
		explain_template_digest(ctx, out);
		return;
	}

	for (a = 0; a < IV_ALG_COUNT; a++)
		for (p = 0; p < IV_PCR_COUNT; p++)
			if (r->p[a][p].used && !r->p[a][p].have_tpm) {
				out->cause = IV_CAUSE_NO_PCR;
				snprintf(out->text, sizeof(out->text),
					 "no %s value for PCR-%02d, which the list extends",
					 iv_alg_name((enum iv_alg)a), p);
				return;
			}
	/* A kernel that extended nothing explains a TPM that stopped. */
	if (explain_bypass(ctx, out))
		return;
	/* The TPM equals a prefix of the list, which may not stop there. */
	if (explain_list_longer(ctx, out) ||
	    explain_disagreeing_pcrs(ctx, out))
		return;
	if (explain_handover(k, out, IV_HO_TRUNCATED) ||
	    explain_handover(k, out, IV_HO_REJECTED) ||
	    explain_lost(k, out) || explain_kernel_mismatch(k, out))
		return;
	for (i = 1; i < k->nboot; i++) {
		if (k->boot[i].has_execute)
			continue;
		out->cause = IV_CAUSE_NO_EXECUTE;
		out->entry = (long)k->boot[i].aggregate;
		snprintf(out->text, sizeof(out->text),
			 "no kexec_execute before boot %zu (boot_aggregate at entry %zu): measurements the previous kernel took after copying its list were not carried across kexec",
			 i + 1, k->boot[i].aggregate);
		return;
	}
	if (bad_digest_covered(r)) {
		explain_template_digest(ctx, out);
		return;
	}
	if (ctx->have_good && ctx->good_entry >= 0) {
		out->cause = IV_CAUSE_GOOD_LIST;
		out->entry = ctx->good_entry;
		snprintf(out->text, sizeof(out->text), "%s", ctx->good_text);
		return;
	}
	explain_generic(ctx, out);
}

/* The sentence for the first entry where the list leaves the good one. */
void iv_good_diverges(const struct iv_entry *good, const struct iv_entry *e,
		      char *text, size_t len)
{
	char gl[128], ll[128];

	assert(good && e && text);
	iv_entry_label(good, gl, sizeof(gl));
	iv_entry_label(e, ll, sizeof(ll));
	snprintf(text, len,
		 "replay diverges from the known-good list at entry %zu (byte offset %zu): expected %s, found %s",
		 e->index, e->offset, gl, ll);
}

void iv_good_shorter(size_t count, size_t good_count, char *text, size_t len)
{
	assert(text);
	snprintf(text, len,
		 "list ends after %zu entries but the known-good list has %zu: entries from %zu on are missing",
		 count, good_count, count);
}

/*
 * First entry where @l leaves the known-good prefix @good, with a
 * sentence in @text; -1 if @l agrees with all of @good it covers and is
 * not shorter than @good.
 */
int iv_good_list_diff(const struct iv_list *good, const struct iv_list *l,
		      char *text, size_t len)
{
	size_t i;

	assert(good && l && text);
	for (i = 0; i < good->count && i < l->count; i++) {
		if (iv_entry_same(&good->e[i], &l->e[i]))
			continue;
		iv_good_diverges(&good->e[i], &l->e[i], text, len);
		return (int)i;
	}
	if (l->count < good->count) {
		iv_good_shorter(l->count, good->count, text, len);
		return (int)l->count;
	}
	return -1;
}
