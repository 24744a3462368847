/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libimaverify: check an IMA measurement list against TPM PCR values,
 * across kexec soft reboots.
 *
 * All state of one verification lives in struct iv_ctx (the single
 * context model of tpm2-tools).  Phases run in a fixed order from
 * iv_run(): PCR values first, then the quote, then the list, then
 * replay, kexec analysis and the verdict.  The list is read record by
 * record (struct iv_reader) and never held whole: replay and kexec
 * analysis take one entry at a time and keep per-event state only.
 *
 * Return convention: 0 on success, -1 on an input error (message in the
 * struct iv_err passed in), and for checks that can fail on good input
 * (quote, replay verdict) 1 when the check failed.
 */
#ifndef IMAVERIFY_H
#define IMAVERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * 2.0: the list is streamed (struct iv_reader, iv_verify_list()), iv_ctx
 * no longer holds the lists, iv_kexec_compare() takes no list; enum
 * values of 1.0 keep their numbers, new ones are appended.
 */
#define IV_VERSION		"2.2"
/*
 * 2.1 (additions only): incremental state (struct iv_state, --state-in,
 * --state-out), where an input error is (iv_err entry, offset, reason,
 * input), notes without a limit, iv_version().
 * 2.2 (additions only): initramfs members (struct iv_parts, iv_parts_*(),
 * iv_member_name_parse()), iv_err_prefix(), iv_print_safe(),
 * iv_entry_file_alg().
 */

/* "schema" of the tool's JSON: ima-kexec-verify.schema.json, README. */
#define IV_JSON_SCHEMA		1

#define IV_PCR_COUNT		24	/* PCRs of a PC Client TPM */
#define IV_MAX_DIGEST		64	/* SHA-512 */
#define IV_SHA1_LEN		20	/* template digest in the list */
#define IV_TEMPLATE_NAME_MAX	255	/* as evmctl */
#define IV_TEMPLATE_DATA_MAX	(1024 * 1024)
#define IV_IMA_NAME_PAD		256	/* TCG_EVENT_NAME_LEN_MAX + 1 */
#define IV_IMA_DATA_LEN		(IV_SHA1_LEN + IV_IMA_NAME_PAD)
#define IV_MAX_FIELDS		8
#define IV_MAX_PCR_FILES	8
#define IV_LIST_MAX		(512UL * 1024 * 1024)	/* in memory */
#define IV_KEXEC_MAX		4096	/* boots, events, records */
#define IV_TPM_DIR_READS	5	/* tries for a stable --tpm-dir read */

/* Exit codes of the tool, also the values of iv_ctx.status. */
enum iv_status {
	IV_VERIFIED	= 0,
	IV_NOT_VERIFIED	= 1,
	IV_ERROR	= 2,
};

enum iv_alg {
	IV_ALG_SHA1,
	IV_ALG_SHA256,
	IV_ALG_SHA384,
	IV_ALG_SHA512,
	IV_ALG_COUNT,
};

struct iv_err {
	char msg[512];
	/*
	 * 2.1: where and what, for JSON "error"; msg stays the whole text.
	 * iv_fail_at() sets entry and offset, iv_fail() clears them; the
	 * caller that knows which input failed sets input.
	 */
	bool has_entry, has_offset;
	size_t entry;			/* entry of the list, 0-based */
	size_t offset;			/* byte offset in that input */
	char reason[400];		/* msg without "entry N at byte offset O: " */
	const char *input;		/* "list", "good_list", "pcrs", "quote",
					   "state"; NULL: unknown */
};

/* util.c */
int iv_fail(struct iv_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int iv_reject(struct iv_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "entry @entry at byte offset @offset: <fmt>", the three kept apart too. */
int iv_fail_at(struct iv_err *err, size_t entry, size_t offset,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* "@name: " before err->msg; the place, reason and input stay. */
void iv_err_prefix(struct iv_err *err, const char *name);
/* @s for a terminal: control bytes as '?', "..." after @max bytes. */
void iv_print_safe(FILE *out, const char *s, size_t max);
/* The library's IV_VERSION, as compiled into it (the header may differ). */
const char *iv_version(void);
const char *iv_alg_name(enum iv_alg alg);
size_t iv_alg_size(enum iv_alg alg);
uint16_t iv_alg_tpm_id(enum iv_alg alg);
int iv_alg_by_name(const char *name);		/* enum iv_alg or -1 */
int iv_alg_by_tpm_id(uint16_t id);		/* enum iv_alg or -1 */
int iv_hash(enum iv_alg alg, const void *data, size_t len, uint8_t *out);
int iv_extend(enum iv_alg alg, uint8_t *pcr, const uint8_t *value);

/*
 * For the replay loop: each digest fetched once and one context per
 * digest reused, instead of an implicit fetch and a new context per call.
 */
struct evp_md_st;
struct evp_md_ctx_st;

struct iv_hasher {
	struct evp_md_st *md[IV_ALG_COUNT];
	struct evp_md_ctx_st *ctx[IV_ALG_COUNT];
};

int iv_hasher_init(struct iv_hasher *h, struct iv_err *err);
void iv_hasher_free(struct iv_hasher *h);
int iv_hasher_hash(struct iv_hasher *h, enum iv_alg alg, const void *data,
		   size_t len, uint8_t *out);
int iv_hasher_extend(struct iv_hasher *h, enum iv_alg alg, uint8_t *pcr,
		     const uint8_t *value);
void iv_hex(const uint8_t *p, size_t len, char *out);	/* out: 2*len+1 */
int iv_unhex(const char *s, size_t slen, uint8_t *out, size_t outlen);
int iv_read_file(const char *path, size_t max, uint8_t **buf, size_t *len,
		 struct iv_err *err);
uint32_t iv_get_le32(const uint8_t *p);
uint16_t iv_get_le16(const uint8_t *p);
uint16_t iv_get_be16(const uint8_t *p);
uint32_t iv_get_be32(const uint8_t *p);
uint64_t iv_get_be64(const uint8_t *p);

/* ---- PCR values (pcrs.c) ---- */

struct iv_bank {
	bool present;
	bool set[IV_PCR_COUNT];
	uint8_t val[IV_PCR_COUNT][IV_MAX_DIGEST];
};

struct iv_pcrs {
	struct iv_bank bank[IV_ALG_COUNT];
};

int iv_pcrs_set(struct iv_pcrs *pcrs, enum iv_alg alg, unsigned int idx,
		const uint8_t *val, const char *src, struct iv_err *err);
int iv_pcrs_read_values(struct iv_pcrs *pcrs, enum iv_alg alg,
			const char *text, size_t len, const char *src,
			struct iv_err *err);
/* tpm2_pcrread's YAML ("sha1:", "  10: 0x<hex>"); banks it names. */
int iv_pcrs_read_yaml(struct iv_pcrs *pcrs, const char *text, size_t len,
		      const char *src, struct iv_err *err);
/*
 * A --pcrs file's text: @bank "yaml" is YAML, another bank evmctl lines
 * of it, NULL either by content (evmctl lines are sha1, as in evmctl).
 */
int iv_pcrs_read_text(struct iv_pcrs *pcrs, const char *bank,
		      const char *text, size_t len, const char *src,
		      struct iv_err *err);
/* --pcrs "bank,file", "yaml,file" or "file". */
int iv_pcrs_read_file(struct iv_pcrs *pcrs, const char *spec,
		      struct iv_err *err);
/* The text of one sysfs file, DIR/pcr-<bank>/<n>. */
int iv_pcrs_read_sysfs_value(struct iv_pcrs *pcrs, enum iv_alg alg,
			     unsigned int idx, const char *text, size_t len,
			     const char *src, struct iv_err *err);
int iv_pcrs_read_tpm_dir(struct iv_pcrs *pcrs, const char *dir,
			 struct iv_err *err);
/*
 * Call @read_all (every bank, into a zeroed struct) until two readings
 * in a row agree, IV_TPM_DIR_READS times at most, and add that reading
 * to @pcrs; iv_pcrs_read_tpm_dir() does this for a sysfs directory.
 */
typedef int (*iv_pcrs_reader)(struct iv_pcrs *out, void *arg,
			      struct iv_err *err);
int iv_pcrs_read_stable(struct iv_pcrs *pcrs, iv_pcrs_reader read_all,
			void *arg, const char *src, struct iv_err *err);

/* ---- measurement list (list.c) ---- */

enum iv_template {
	IV_TPL_IMA,
	IV_TPL_IMA_NG,
	IV_TPL_IMA_SIG,
	IV_TPL_IMA_MODSIG,
	IV_TPL_IMA_BUF,
	IV_TPL_OTHER,		/* unknown template: data kept opaque */
};

struct iv_field {
	const uint8_t *p;
	uint32_t len;
};

struct iv_entry {
	size_t index;
	size_t offset;			/* of the record in the file */
	size_t size;			/* of the record in the file */
	uint32_t pcr;
	uint8_t digest[IV_SHA1_LEN];	/* template digest as logged */
	const char *tname;		/* not NUL terminated */
	uint32_t tname_len;
	enum iv_template tpl;
	bool violation;			/* template digest all zero */

	/* Bytes the kernel hashed: the template data. */
	const uint8_t *data;
	uint32_t data_len;
	uint8_t *owned;			/* "ima" data rebuilt, in struct iv_list */
	/* The record as read, size bytes: in the reader or list buffer. */
	const uint8_t *raw;

	unsigned int nfields;
	struct iv_field fields[IV_MAX_FIELDS];

	/* Decoded d-ng/d and n-ng/n fields, if the template has them. */
	char algo[32];			/* "" for a bare digest */
	const uint8_t *fdigest;
	uint32_t fdigest_len;
	const char *fname;		/* not NUL terminated */
	uint32_t fname_len;
	const uint8_t *buf;		/* ima-buf payload */
	uint32_t buf_len;
	bool has_buf;
};

/* A list's byte order (list.c: detect_order()). */
enum iv_order {
	IV_ORDER_UNKNOWN,		/* until the first record is read */
	IV_ORDER_LE,
	IV_ORDER_BE,
};

/*
 * A list read record by record, from a FILE * (a file, a pipe, stdin)
 * or a buffer.  The entry returned points into the reader and is valid
 * until the next call; only the current record is held.
 */

struct iv_reader {
	FILE *f;			/* NULL: read from mem */
	bool own_file;			/* opened by iv_reader_open() */
	bool seekable;			/* can be read a second time */
	const uint8_t *mem;
	size_t mem_len;
	size_t index;			/* of the next entry */
	size_t offset;			/* of the next record */
	long start;			/* file position of byte offset 0 */
	const uint8_t *rec;		/* the current record */
	size_t have;			/* bytes of it read so far */
	uint8_t *buf;			/* FILE: the current record */
	size_t cap;
	char *iobuf;			/* stdio buffer of a file it opened */
	/* 2.1: iv_reader_skip() started here; a rewind comes back here. */
	size_t base_index;
	size_t base_offset;
	enum iv_order order;		/* of the list's records */
	uint8_t ima[IV_IMA_DATA_LEN];	/* template "ima" data, rebuilt */
	struct iv_entry e;
};

/*
 * "-" is stdin.  Messages carry no path: the caller adds it.
 * iv_reader_file() reads @f from where it stands, buffered as it is.
 */
int iv_reader_open(struct iv_reader *r, const char *path, struct iv_err *err);
void iv_reader_file(struct iv_reader *r, FILE *f);
void iv_reader_mem(struct iv_reader *r, const uint8_t *buf, size_t len);
/* 1: *e is the next entry; 0: end of the list; -1: error. */
int iv_reader_next(struct iv_reader *r, const struct iv_entry **e,
		   struct iv_err *err);
int iv_reader_rewind(struct iv_reader *r, struct iv_err *err);
void iv_reader_close(struct iv_reader *r);

/* A whole list in memory, for tests and callers that hold the bytes. */
struct iv_list {
	uint8_t *raw;			/* file contents, owned */
	size_t raw_len;
	struct iv_entry *e;
	size_t count;
	size_t cap;
};

int iv_list_parse(struct iv_list *l, const uint8_t *buf, size_t len,
		  struct iv_err *err);
int iv_list_load(struct iv_list *l, const char *path, struct iv_err *err);
void iv_list_free(struct iv_list *l);
bool iv_entry_same(const struct iv_entry *a, const struct iv_entry *b);
bool iv_entry_name_is(const struct iv_entry *e, const char *name);
bool iv_entry_is_boot_aggregate(const struct iv_entry *e);
/* The file digest's algorithm ("sha256"; "" if unknown), for d-ng and d. */
const char *iv_entry_file_alg(const struct iv_entry *e);
void iv_entry_label(const struct iv_entry *e, char *out, size_t len);

/* ---- replay (replay.c) ---- */

enum iv_scheme {
	IV_SCHEME_NONE,
	IV_SCHEME_SHA1,		/* SHA-1 bank: logged template digest */
	IV_SCHEME_HASH,		/* per-bank template hash ("type 2") */
	IV_SCHEME_PADDED,	/* SHA-1 zero padded ("type 1") */
};

#define IV_NO_MATCH	(-2L)	/* never equal to the TPM value */
#define IV_AT_START	(-1L)	/* equal before the first entry */

/*
 * Where one scheme's replay of a PCR equals the TPM value: after entry
 * at, until entry until extends the PCR again (IV_NO_MATCH: never).  A
 * hash chain does not come back to a value, so that is one interval.
 */
struct iv_match {
	long at;			/* IV_NO_MATCH: never equal */
	long until;
	size_t end_offset;		/* byte offset after entry at */
};

struct iv_replay_pcr {
	bool used;			/* bank present, list extends PCR */
	bool have_tpm;
	uint8_t tpm[IV_MAX_DIGEST];
	uint8_t hash[IV_MAX_DIGEST];	/* running value, type 2 */
	uint8_t padded[IV_MAX_DIGEST];	/* running value, type 1 */
	struct iv_match m_hash, m_padded;
	/*
	 * The scheme that matches where the PCRs cover the list (the prefix
	 * of all_match), else the one that matches after all entries.
	 */
	enum iv_scheme scheme;
	long last_match;		/* entry after which it matched */
	long last_entry;		/* last entry extending this PCR */
	size_t entries;			/* entries extending this PCR */
};

struct iv_replay {
	struct iv_replay_pcr p[IV_ALG_COUNT][IV_PCR_COUNT];
	/*
	 * Every PCR of every bank equals the replay of the first covered
	 * entries, and no boot began after them: the later entries were
	 * added after the PCRs were read (covered == entries: none).
	 */
	bool all_match;
	size_t covered;			/* judged; all if !all_match */
	size_t covered_offset;		/* byte offset after them */
	/* Last entry of a common prefix, one a newer boot rules out too. */
	long prefix_at;			/* or IV_NO_MATCH */
	size_t entries;			/* entries read */
	size_t end_offset;		/* bytes read */
	long last_aggregate;		/* last boot_aggregate, or -1 */
	unsigned int banks;		/* banks replayed */
	enum iv_alg bank_alg[IV_ALG_COUNT];	/* which, in order */
	size_t violations;
	size_t bad_digests;
	long first_bad;			/* entry with wrong template digest */
	uint8_t first_bad_calc[IV_SHA1_LEN];
	uint8_t first_bad_digest[IV_SHA1_LEN];
	size_t first_bad_offset;
	char first_bad_label[128];
	/* Zero-padded chains: in this pass, or in a second one if needed. */
	bool padded_inline;
	bool padded_done;
	bool in_padded_pass;
	size_t padded_seen;		/* entries of the second pass */
	/*
	 * The second pass must read the bytes of the first, which the
	 * template digest checks, kexec analysis and good-list diff saw:
	 * SHA-256 over the records of each, compared at its end.
	 */
	struct evp_md_ctx_st *bind;
	uint8_t first_read[32];
	struct iv_hasher hasher;
	/*
	 * 2.1: replay from a saved state (iv_replay_start()): entries
	 * before base_entries were verified before; covered counts them.
	 */
	size_t base_entries;
	size_t base_offset;
};

/*
 * Streaming: iv_replay_init(), iv_replay_entry() for every entry, then,
 * if iv_replay_wants_padded(), iv_replay_padded_begin(), iv_replay_entry()
 * for the entries again and iv_replay_padded_end(), which fails unless
 * they were the same records; then iv_replay_finish().
 * @one_pass: the input cannot be read twice; compute both schemes at once.
 * @r is zeroed, or was initialised before: what that left is freed.
 */
int iv_replay_init(struct iv_replay *r, const struct iv_pcrs *tpm,
		   bool one_pass, struct iv_err *err);
int iv_replay_entry(struct iv_replay *r, const struct iv_entry *e,
		    struct iv_err *err);
bool iv_replay_wants_padded(const struct iv_replay *r);
int iv_replay_padded_begin(struct iv_replay *r, struct iv_err *err);
int iv_replay_padded_end(struct iv_replay *r, struct iv_err *err);
void iv_replay_finish(struct iv_replay *r);
void iv_replay_free(struct iv_replay *r);
/* All of the above over a list in memory. */
int iv_replay_run(const struct iv_list *l, const struct iv_pcrs *tpm,
		  struct iv_replay *r, struct iv_err *err);
const char *iv_scheme_name(enum iv_scheme s);

/* ---- kexec events and kexec_restore records (kexec.c) ---- */

enum iv_kexec_kind {
	IV_KEXEC_LOAD,
	IV_KEXEC_EXECUTE,
};

struct iv_kexec_event {
	size_t entry;
	unsigned int boot;		/* boot it was measured in, 1-based */
	enum iv_kexec_kind kind;
	bool parsed;			/* all three numbers present */
	bool digest_ok;			/* d-ng == H(buf) */
	uint64_t segment_size;
	uint64_t binary_size;
	uint64_t count;
	bool newer;			/* after the covered prefix: a claim */
};

/*
 * The record the new kernel measures about the list it was handed, and
 * its name in earlier kernels of the series; both are recognised.
 */
#define IV_RESTORE_RECORD	"kexec_restore"
#define IV_RESTORE_RECORD_OLD	"kexec_handover"

/* result= of that record; old "verified"/"unverified" map to the first two. */
enum iv_ho_result {
	IV_HO_INTACT,		/* handover digest matched: intact, not authentic */
	IV_HO_UNCHECKED,	/* sender wrote no digest */
	IV_HO_TRUNCATED,
	IV_HO_REJECTED,
	IV_HO_NONE,		/* no handover; only in a record with tpm= */
	IV_HO_UNKNOWN,
};

/*
 * tpm= of the record: the new kernel replayed the restored records per
 * bank from the PCR reset values and compared with the TPM, before its
 * own boot_aggregate.  Kernels before that check write no tpm= at all.
 */
enum iv_tpm_verdict {
	IV_TPM_ABSENT,		/* no tpm fields: no kernel verdict */
	IV_TPM_MATCH,
	IV_TPM_MISMATCH,	/* restored records do not explain the TPM */
	IV_TPM_LOST,		/* nothing restored, PCRs not at reset */
	IV_TPM_NOT_CHECKED,	/* tpm_reason= says why */
};

/* tpm_<bank>= of the record */
enum iv_tpm_bank_verdict {
	IV_TPMB_MATCH,
	IV_TPMB_MISMATCH,	/* mismatch:PCRLIST */
	IV_TPMB_NO_HASH,	/* not_checked:no_hash */
	IV_TPMB_READ_FAILED,	/* not_checked:read_failed */
	IV_TPMB_HASH_FAILED,	/* not_checked:hash_failed */
};

/* The kernel's verdict on one bank beside the verifier's replay of it. */
enum iv_tpm_agree {
	IV_AGREE_NOT_COMPARED,	/* either side has no verdict on it */
	IV_AGREE_YES,		/* the same verdict */
	IV_AGREE_CONSISTENT,	/* kernel match, verifier mismatch: later */
	IV_AGREE_CONTRADICTS,	/* kernel mismatch/lost where the list replays */
};

/* Why a bank was not compared (IV_AGREE_NOT_COMPARED). */
enum iv_tpm_nocmp {
	IV_NOCMP_NONE,
	IV_NOCMP_NO_HASH,	/* the kernel did not check it */
	IV_NOCMP_ALG,		/* sm3 or an unnamed bank: no replay here */
	IV_NOCMP_NOT_GIVEN,	/* no values of that bank given */
	IV_NOCMP_NO_VALUE,	/* the kernel's PCRs have no value given */
	IV_NOCMP_PADDED,	/* verifier matched zero-padded SHA-1 only */
	IV_NOCMP_PREFIX,	/* list does not show what was restored */
	IV_NOCMP_NEWER,		/* record newer than the PCR values */
};

#define IV_HO_MAX_BANKS		16	/* TPM2_NUM_PCR_BANKS */

struct iv_ho_bank {
	char name[8];			/* as written: "sha256", "0x0027" */
	uint16_t tpm_alg;		/* TPM_ALG_ID */
	int alg;			/* enum iv_alg, or -1: not replayed here */
	enum iv_tpm_bank_verdict verdict;
	bool padded;			/* match:padded, SHA-1 digests padded */
	uint32_t pcrs;			/* mismatch: bit N = PCR N */
	/* Set by iv_kexec_compare() from the verifier's replay. */
	bool v_replayed;		/* the verifier replayed this bank */
	enum iv_tpm_agree agree;
	enum iv_tpm_nocmp nocmp;
	uint32_t v_bad;			/* verifier: PCRs that do not replay */
	uint32_t contra;		/* kernel mismatch, verifier replays */
};

struct iv_handover {
	size_t entry;
	unsigned int boot;
	enum iv_ho_result result;
	bool malformed;
	bool old_name;			/* named IV_RESTORE_RECORD_OLD */
	bool after_aggregate;		/* directly after its boot_aggregate */
	bool has_restored, has_dropped;
	uint64_t restored;
	uint64_t dropped;
	char reason[32];
	/* The kernel's TPM check, if the record has tpm fields. */
	enum iv_tpm_verdict tpm;
	char tpm_reason[32];
	struct iv_ho_bank bank[IV_HO_MAX_BANKS];
	unsigned int nbank;
	/*
	 * Entries before the boot_aggregate of its boot: what the kernel
	 * replayed, if restored= says the same (prefix_known).
	 */
	size_t prefix;
	bool prefix_known;
	uint32_t prefix_pcrs;		/* PCRs it checked: named + PCR 10 */
	size_t covered;			/* entries the PCRs cover */
	bool whole;			/* ... which are all of the list */
	/*
	 * After the entries the PCRs cover: the list's claim, no handover
	 * of any boot, not compared, no notes (set by iv_kexec_compare()).
	 */
	bool newer;
};

struct iv_boot {
	size_t aggregate;		/* entry of its boot_aggregate */
	bool has_execute;		/* kexec_execute since previous boot */
	long handover;			/* index in iv_kexec.ho or -1 */
	uint32_t pcrs_before;		/* PCRs extended before it */
};

struct iv_kexec {
	struct iv_boot *boot;
	size_t nboot;
	struct iv_kexec_event *ev;
	size_t nev;
	struct iv_handover *ho;
	size_t nho;
	size_t contradictions;		/* banks IV_AGREE_CONTRADICTS */
	/* Streaming state */
	bool seen_execute;		/* since the last boot_aggregate */
	uint32_t pcrs_seen;		/* PCRs extended so far */
};

/* Streaming: iv_kexec_entry() for every entry, in order, from zero. */
int iv_kexec_entry(struct iv_kexec *k, const struct iv_entry *e,
		   struct iv_err *err);
int iv_kexec_analyse(const struct iv_list *l, struct iv_kexec *k,
		     struct iv_err *err);
/*
 * After iv_replay_finish(): marks what lies after the covered prefix
 * newer (detached from the boots), then compares the kernels' verdicts.
 */
void iv_kexec_compare(const struct iv_replay *r, struct iv_kexec *k);
void iv_kexec_free(struct iv_kexec *k);
const char *iv_ho_result_name(enum iv_ho_result r);
const char *iv_tpm_verdict_name(enum iv_tpm_verdict v);
const char *iv_tpm_agree_name(enum iv_tpm_agree a);
int iv_parse_tpm_fields(const uint8_t *p, size_t len, struct iv_handover *h,
			char *why, size_t wlen);
void iv_pcr_list(uint32_t pcrs, char *out, size_t len);
void iv_ho_tpm_meaning(const struct iv_handover *h, char *out, size_t len);
void iv_ho_bank_kernel(const struct iv_ho_bank *b, char *out, size_t len);
void iv_ho_bank_verifier(const struct iv_ho_bank *b, char *out, size_t len);
void iv_ho_bank_relation(const struct iv_handover *h,
			 const struct iv_ho_bank *b, char *out, size_t len);

/* ---- TPM 2.0 quote (quote.c) ---- */

#define IV_TPM_GENERATED_VALUE	0xff544347
#define IV_TPM_ST_ATTEST_QUOTE	0x8018
#define IV_TPM_ALG_RSASSA	0x0014
#define IV_TPM_ALG_RSAPSS	0x0016
#define IV_TPM_ALG_ECDSA	0x0018
#define IV_TPM_NUM_BANKS	16	/* TPM2_NUM_PCR_BANKS */
#define IV_TPM_SELECT_MAX	4	/* TPM2_PCR_SELECT_MAX */

struct iv_quote_sel {
	uint16_t tpm_alg;
	uint8_t size;
	uint8_t bits[IV_TPM_SELECT_MAX];
};

struct iv_quote {
	/* TPMS_ATTEST */
	uint32_t magic;
	uint16_t type;
	uint8_t extra[64];
	uint16_t extra_len;
	uint64_t clock;
	uint32_t reset_count;
	uint32_t restart_count;
	uint8_t safe;
	uint64_t firmware;
	struct iv_quote_sel sel[IV_TPM_NUM_BANKS];
	uint32_t nsel;
	uint8_t pcr_digest[IV_MAX_DIGEST];
	uint16_t pcr_digest_len;
	/* TPMT_SIGNATURE */
	uint16_t sig_alg;
	enum iv_alg sig_hash;
	const uint8_t *sig;		/* RSA signature, points into input */
	uint16_t sig_len;
	const uint8_t *ecc_r, *ecc_s;
	uint16_t ecc_r_len, ecc_s_len;
	/* Results */
	bool verified;
};

/* Everything a quote check needs, as bytes. */
struct iv_quote_in {
	const uint8_t *msg;
	size_t msg_len;
	const uint8_t *sig;
	size_t sig_len;
	const uint8_t *nonce;
	size_t nonce_len;
	const uint8_t *pcrs;		/* tpm2_quote -o file, may be NULL */
	size_t pcrs_len;
	void *ak;			/* EVP_PKEY * */
};

int iv_quote_parse_attest(const uint8_t *p, size_t len, struct iv_quote *q,
			  struct iv_err *err);
int iv_quote_parse_sig(const uint8_t *p, size_t len, struct iv_quote *q,
		       struct iv_err *err);
int iv_quote_read_pcrs(const uint8_t *p, size_t len, const struct iv_quote *q,
		       struct iv_pcrs *out, struct iv_err *err);
int iv_quote_verify(const struct iv_quote_in *in, const struct iv_pcrs *have,
		    struct iv_quote *q, struct iv_pcrs *quoted,
		    struct iv_err *err);
/*
 * The AK public key, detected by content: PEM, DER, or a TPM2B_PUBLIC
 * (tpm2_createak -u / tpm2_readpublic -o, "tss" format; RSA or ECC, a
 * restricted signing key).  Returns an EVP_PKEY *, NULL on error.
 */
void *iv_quote_parse_ak(const uint8_t *p, size_t len, const char *src,
			struct iv_err *err);
void *iv_quote_load_ak(const char *path, struct iv_err *err);
void iv_quote_free_ak(void *ak);
const char *iv_sig_alg_name(uint16_t alg);

/* ---- runtime policy (policy.c) ---- */

/*
 * What the covered entries measured, judged against a list of allowed
 * digests, excludes, ima-buf names and signing keys: Keylime's runtime
 * policy JSON or the line format of README.md ("Runtime policy").  The
 * replay says the list is what the TPM holds; the policy, whether what
 * it holds is allowed.  Judged in the replay's pass, one entry at a time;
 * what is kept per entry is a violation, nothing else.
 */
#define IV_POLICY_MAX		(64UL * 1024 * 1024)	/* policy file */
#define IV_POLICY_MAX_KEYS	16			/* --key */
#define IV_POLICY_KEY_MAX	(1024 * 1024)		/* one key file */

enum iv_policy_format {
	IV_POLICY_KEYLIME,	/* Keylime runtime policy JSON, meta.version 1 */
	IV_POLICY_LINES,	/* digest/exclude/ima-buf/key lines */
};

enum iv_policy_verdict {
	IV_POLICY_NONE,		/* no policy given, or nothing was judged */
	IV_POLICY_PASS,
	IV_POLICY_FAIL,
};

struct iv_policy_violation {
	size_t entry;
	char *path;		/* file path or ima-buf name, as logged */
	char *reason;
};

struct iv_policy_rule;		/* policy.c */
struct iv_policy_key;

struct iv_policy {
	enum iv_policy_format format;
	char name[256];			/* the file, for messages */
	/* Rules: sorted by path (name), looked up by bsearch. */
	struct iv_policy_rule *digest;	/* path -> allowed file digest */
	size_t ndigest;
	struct iv_policy_rule *buf;	/* ima-buf name -> digest or any */
	size_t nbuf;
	struct iv_policy_rule *keyring;	/* keyring name -> key digest */
	size_t nkeyring;
	char **prefix;			/* exclude <path-prefix> */
	size_t nprefix;
	void *regex;			/* regex_t[nregex]: excludes */
	size_t nregex;
	struct iv_policy_key *key;
	size_t nkey;
	/* Expected boot_aggregate per bank, from PCRs 0-9 (iv_policy_begin). */
	bool have_aggregate[IV_ALG_COUNT];
	uint8_t aggregate[IV_ALG_COUNT][IV_MAX_DIGEST];
	/* Results of one run. */
	enum iv_policy_verdict verdict;
	struct iv_policy_violation *v;
	size_t nv;
	size_t seen;			/* entries given to iv_policy_entry */
	size_t judged;			/* covered entries judged */
	size_t sig_good;		/* of them, accepted by their signature */
	/* Entries of a kind, to count only the covered ones at the end. */
	size_t *skipped_at, nskipped;	/* IMA violations: not judged */
	size_t *sig_good_at, nsig_good_at;
	long aggregate_unchecked;	/* first such entry, or -1 */
	long sig_unchecked;		/* first signature without keys, -1 */
	/* Remarks on the policy itself: keys ignored, parts not judged. */
	char (*notes)[192];
	size_t nnotes;
	char *scratch;			/* a path as a C string, for regexec */
	size_t scratch_cap;
};

/*
 * Load @path (format by its first byte: '{' is Keylime JSON) and the
 * X.509 certificates @keys; NULL on an input error.  iv_policy_parse()
 * reads a buffer; @dir is where "key" lines are relative to.
 */
struct iv_policy *iv_policy_load(const char *path, const char *const *keys,
				 unsigned int nkeys, struct iv_err *err);
struct iv_policy *iv_policy_parse(const uint8_t *buf, size_t len,
				  const char *name, const char *dir,
				  struct iv_err *err);
int iv_policy_add_key(struct iv_policy *p, const uint8_t *der_or_pem,
		      size_t len, const char *name, struct iv_err *err);
/* Streaming: begin, one call per entry in list order, then finish. */
void iv_policy_begin(struct iv_policy *p, const struct iv_pcrs *pcrs);
int iv_policy_entry(struct iv_policy *p, const struct iv_entry *e,
		    struct iv_err *err);
/* Only the first @covered entries count: the rest are newer. */
void iv_policy_finish(struct iv_policy *p, size_t covered);
void iv_policy_free(struct iv_policy *p);
const char *iv_policy_verdict_name(enum iv_policy_verdict v);
void iv_policy_verdict_text(const struct iv_policy *p, FILE *out);
void iv_policy_report_text(const struct iv_policy *p, FILE *out);
void iv_policy_report_json(const struct iv_policy *p, FILE *out);

/* ---- incremental state (state.c) ---- */

/*
 * What a verified run leaves for the next one, so that a service polling
 * a machine verifies only what the list gained since: the covered
 * prefix's length in entries and bytes, the SHA-256 of those bytes (the
 * next run re-hashes them instead of parsing and replaying them), each
 * bank's PCR values after them, the boots, and the quote's clock info.
 * A versioned text file (README.md, "Incremental attestation"), written
 * atomically.  It is the verifier's own record, trusted as its earlier
 * verdict was: keep it where the attested machine cannot write.
 */
#define IV_STATE_VERSION	1
#define IV_STATE_MAX		(1024 * 1024)	/* bytes of a state file */
/* A first match per bank, PCR and scheme, and the start: where "at" can be. */
#define IV_STATE_SNAPS		(IV_ALG_COUNT * IV_PCR_COUNT * 2 + 1)

struct iv_state_pcr {
	bool set;			/* the list extends it */
	enum iv_scheme scheme;		/* SHA1, HASH or PADDED */
	uint8_t val[IV_MAX_DIGEST];	/* after the covered entries */
};

struct iv_state_boot {
	size_t aggregate;		/* entry of its boot_aggregate */
	uint32_t pcrs_before;		/* PCRs extended before it */
};

struct iv_state {
	size_t entries;			/* covered entries */
	size_t offset;			/* bytes they take */
	uint8_t prefix_sha256[32];	/* SHA-256 of those bytes */
	bool bank[IV_ALG_COUNT];	/* banks replayed */
	struct iv_state_pcr pcr[IV_ALG_COUNT][IV_PCR_COUNT];
	struct iv_state_boot *boot;
	size_t nboot;
	bool have_aggregate;
	uint8_t aggregate[IV_SHA1_LEN];	/* template digest, last boot_aggregate */
	bool seen_execute;		/* kexec_execute since it */
	uint32_t pcrs_seen;		/* PCRs the covered entries extend */
	bool have_quote;		/* the run that wrote it had a quote */
	uint32_t reset_count;
	uint32_t restart_count;
	uint64_t clock;
};

/* What the quote's clock info says about a saved state. */
enum iv_state_clock {
	IV_CLOCK_UNKNOWN,	/* no quote now, or none then */
	IV_CLOCK_SAME,		/* same reset and restart counts, clock on */
	IV_CLOCK_RESTART,	/* restartCount changed: TPM restart/resume */
	IV_CLOCK_RESET,		/* resetCount changed: the machine rebooted */
	IV_CLOCK_BACKWARDS,	/* same resetCount, clock before the state's */
};

enum iv_state_use {
	IV_STATE_UNUSED,	/* no state given */
	IV_STATE_APPLIED,	/* the replay started from it */
	IV_STATE_RESET,		/* TPM reset since: verified in full */
	IV_STATE_REFUSED,	/* prefix changed or clock backwards */
};

struct iv_prefix_snap {
	size_t entries;			/* entries hashed */
	struct evp_md_ctx_st *md;	/* SHA-256 of their bytes */
};

struct iv_incremental {
	/* Input: a state to start from (iv_state_load()), or none. */
	bool have_in;
	struct iv_state in;
	/* Results */
	enum iv_state_use use;
	enum iv_state_clock clock;
	unsigned int kexecs;		/* boot_aggregates after the state */
	size_t list_bytes;		/* of a list shorter than the state */
	bool wrote;			/* --state-out written */
	struct iv_state out;		/* the state of this run */
	/*
	 * The covered prefix's SHA-256, in the list's single pass: a running
	 * hash, copied at each entry where a PCR first meets its value (the
	 * end of the covered prefix is one of those).
	 */
	bool track;
	struct evp_md_ctx_st *run;
	struct iv_prefix_snap snap[IV_STATE_SNAPS];
	size_t nsnap;
	bool have_aggregate;
	uint8_t aggregate[IV_SHA1_LEN];
};

struct iv_ctx;

int iv_state_parse(struct iv_state *st, const char *text, size_t len,
		   struct iv_err *err);
int iv_state_load(struct iv_state *st, const char *path, struct iv_err *err);
int iv_state_format(const struct iv_state *st, FILE *out);
/* Atomically: a temporary file beside @path, then rename(). */
int iv_state_save(const struct iv_state *st, const char *path,
		  struct iv_err *err);
void iv_state_free(struct iv_state *st);
/* The state's banks must be the banks of @pcrs (input error if not). */
int iv_state_check_banks(const struct iv_state *st, const struct iv_pcrs *pcrs,
			 struct iv_err *err);
enum iv_state_clock iv_state_clock(const struct iv_state *st,
				   const struct iv_quote *q);
/*
 * Read the first @offset bytes of @r into SHA-256 (@md, initialised
 * here) without parsing them; the next entry is then @entries.  Returns
 * 1 if the input ends before @offset (bytes read in *@got), 0, or -1.
 */
int iv_reader_skip(struct iv_reader *r, size_t entries, size_t offset,
		   struct evp_md_ctx_st *md, size_t *got, struct iv_err *err);
/* After iv_replay_init(): continue from the state's PCR values. */
void iv_replay_start(struct iv_replay *r, const struct iv_state *st);
/* Before the first iv_kexec_entry(): the state's boots. */
int iv_kexec_start(struct iv_kexec *k, const struct iv_state *st,
		   struct iv_err *err);
/* verify.c drives these for ctx->incr; iv_incremental_free() ends them. */
int iv_incremental_begin(struct iv_incremental *in, struct evp_md_ctx_st *md,
			 size_t entries, struct iv_err *err);
int iv_incremental_entry(struct iv_incremental *in, const struct iv_replay *r,
			 const struct iv_kexec *k, const struct iv_entry *e,
			 struct iv_err *err);
/* After a verified run: ctx->incr.out from the replay and the snapshots. */
int iv_incremental_finish(struct iv_ctx *ctx, struct iv_reader *list,
			  struct iv_err *err);
void iv_incremental_free(struct iv_incremental *in);
const char *iv_state_clock_name(enum iv_state_clock c);

/* ---- initramfs members (parts.c) ---- */

/*
 * A KEXEC_INITRAMFS_CHECK rule with initramfs=parts (or blob+parts) has
 * the kernel measure each member of the initramfs that kexec_file_load
 * is given on its own: file digest the hash of the member's bytes, name
 * PATH#INDEX:KIND@OFFSET+LENGTH (decimal bytes of the file).  A member
 * starts at its first byte that is not zero (the first at offset 0) and
 * takes the zeros after its stream, so an initramfs made by concatenating
 * part files P0 P1 ..., each one stream with its own padding and none but
 * P0 starting with a zero byte, has member i = file Pi.  From the parts
 * this prints the policy lines for those records, or finds the records of
 * the last load in a list and says, part by part, whether they are these.
 */
#define IV_PARTS_MAX		4096	/* parts given; members of one load */
#define IV_PARTS_KERNEL_MAX	32	/* members the kernel follows */
#define IV_PART_KIND_MAX	16	/* "unscanned", "zstd-bad", NUL */
#define IV_PARTS_OTHERS_MAX	8	/* other initramfs paths kept by name */

enum iv_part_kind {
	IV_PART_UNKNOWN,	/* anything else, or all zeros */
	IV_PART_CPIO,		/* newc: "070701" or "070702" */
	IV_PART_GZIP,		/* 1f 8b */
	IV_PART_ZSTD,		/* 28 b5 2f fd */
	IV_PART_XZ,		/* fd 37 7a 58 5a 00 */
};

enum iv_part_verdict {
	IV_PART_MISSING,	/* no record of it in the last load */
	IV_PART_MATCH,		/* the last load's member is this part */
	IV_PART_HELD,		/* an identical record of an earlier load */
	IV_PART_DIFFERS,	/* kind, place or digest differ */
};

struct iv_part {
	const char *path;		/* the part file, as given */
	enum iv_part_kind kind;		/* by its first bytes that are not 0 */
	bool zero_start;		/* its first byte is 0 */
	uint64_t offset;		/* in the concatenation of the parts */
	uint64_t length;
	uint8_t digest[IV_ALG_COUNT][IV_MAX_DIGEST];	/* algorithms hashed */
	/* iv_parts_judge() */
	enum iv_part_verdict verdict;
	int alg;			/* compared in (enum iv_alg), or -1 */
	size_t member;			/* MATCH, DIFFERS: in iv_parts.member */
	bool seen;			/* an identical record in the list */
	size_t seen_entry;		/* the last one */
};

/* A member record of the list: its name's fields and its file digest. */
struct iv_member {
	size_t entry;			/* in the list */
	uint64_t index;
	char kind[IV_PART_KIND_MAX];
	uint64_t offset;
	uint64_t length;
	char alg[32];			/* iv_entry_file_alg(); "" unknown */
	uint8_t digest[IV_MAX_DIGEST];
	uint32_t digest_len;		/* at most IV_MAX_DIGEST kept */
};

struct iv_parts {
	struct iv_part *part;
	size_t nparts;
	unsigned int algs;		/* bit (1 << enum iv_alg): hashed in */
	int hash;			/* iv_parts_judge(): -1, the list's */
	/* iv_parts_judge() */
	char *name;			/* the initramfs path of the records */
	struct iv_member *member;	/* of the last load, index ascending */
	size_t nmember, member_cap;
	size_t loads;			/* loads seen in the list */
	size_t differ, missing, extra;
	/* Without a name: other initramfs paths the list has members of. */
	char *other[IV_PARTS_OTHERS_MAX];
	size_t nother;
	bool other_more;		/* more than IV_PARTS_OTHERS_MAX */
};

const char *iv_part_kind_name(enum iv_part_kind k);
/* The kind of a member whose first byte that is not zero starts @p. */
enum iv_part_kind iv_part_kind_of(const uint8_t *p, size_t len);
/*
 * Read @path once, in blocks, into the algorithms of @algs (bit per enum
 * iv_alg): length, kind, zero_start and digests of @part.
 */
int iv_part_read(struct iv_part *part, const char *path, unsigned int algs,
		 struct iv_err *err);
/*
 * Read the @n part files (at most IV_PARTS_MAX) into @ps (zeroed) and
 * place them one after the other; an input error for a set the kernel
 * would not split into these members (an empty part, a part after the
 * first starting with a zero byte, a part of unknown kind before the last).
 */
int iv_parts_read(struct iv_parts *ps, const char *const *paths, size_t n,
		  unsigned int algs, struct iv_err *err);
/*
 * @name (@len bytes) as PATH#INDEX:KIND@OFFSET+LENGTH, numbers in decimal
 * without leading zeros, KIND of [a-z0-9-]: true with the fields in @m
 * and PATH's length in @path_len.
 */
bool iv_member_name_parse(const char *name, size_t len, size_t *path_len,
			  struct iv_member *m);
/* The policy lines (README "Line format") for the parts of @name. */
int iv_parts_fragment(const struct iv_parts *ps, const char *name,
		      enum iv_alg alg, FILE *out, struct iv_err *err);
/*
 * Read the list once and judge the parts against the member records of
 * the last load of @name (NULL: the one initramfs whose members the list
 * has); a load begins at a member whose index is not above the one before
 * (0, or after an identical record IMA did not add again).  Parts are
 * compared in @hash (enum iv_alg; -1: each record's algorithm), and must
 * have been hashed in it.  -1: an input error, or without @name a list of
 * no member records or of members of more than one initramfs.
 */
int iv_parts_judge(struct iv_parts *ps, struct iv_reader *r, const char *name,
		   int hash, struct iv_err *err);
/* IV_VERIFIED if every part matches and no member is extra, else 1. */
int iv_parts_status(const struct iv_parts *ps);
/* The verdict line and a line per part and extra member. */
void iv_parts_report(const struct iv_parts *ps, const char *list_name,
		     FILE *out);
void iv_parts_free(struct iv_parts *ps);

/* ---- the whole verification (verify.c) ---- */

enum iv_cause {
	IV_CAUSE_NONE,
	IV_CAUSE_QUOTE,		/* quote did not verify */
	IV_CAUSE_TPM_DISAGREE,	/* kernel's TPM check contradicts the replay */
	IV_CAUSE_NO_PCR,	/* no TPM value for a PCR the list extends */
	IV_CAUSE_TPM_BYPASS,	/* a kernel found no TPM: extended nothing */
	IV_CAUSE_TRUNCATED,	/* handover truncated */
	IV_CAUSE_REJECTED,	/* handover rejected */
	IV_CAUSE_LOST,		/* no handover, the TPM holds the old list */
	IV_CAUSE_KERNEL_MISMATCH, /* kernel found the restored list short */
	IV_CAUSE_NO_EXECUTE,	/* boot without kexec_execute before it */
	IV_CAUSE_TEMPLATE_DIGEST,
	IV_CAUSE_GOOD_LIST,	/* differs from the known-good list */
	IV_CAUSE_LIST_LONGER,	/* prefix matched, a newer boot after it */
	IV_CAUSE_MISMATCH,	/* nothing more specific found */
	IV_CAUSE_PCRS_DISAGREE,	/* PCRs meet at different entries (2.0) */
	IV_CAUSE_STATE_PREFIX,	/* list does not start with the state's prefix */
	IV_CAUSE_STATE_CLOCK,	/* quote older than the saved state */
};

struct iv_explain {
	enum iv_cause cause;
	long entry;		/* entry the cause points at, or -1 */
	char text[768];
};

struct iv_pcr_file {
	const char *spec;	/* "bank,path" */
};

struct iv_opts {
	const char *list_path;
	const char *tpm_dir;
	struct iv_pcr_file pcr_file[IV_MAX_PCR_FILES];
	unsigned int npcr_files;
	const char *quote_msg;
	const char *quote_sig;
	const char *ak_pub;
	const char *nonce_hex;
	const char *quote_pcrs;
	const char *good_list;
	const char *policy;		/* --policy */
	const char *key[IV_POLICY_MAX_KEYS];	/* --key */
	unsigned int nkeys;
	bool json;
	bool quiet;
	const char *state_in;		/* --state-in */
	const char *state_out;		/* --state-out */
};

struct iv_ctx {
	/* Inputs */
	struct iv_opts opt;
	/* Intermediate state */
	struct iv_pcrs pcrs;		/* values the replay is checked against */
	bool have_quote;
	struct iv_quote quote;
	bool have_good;
	long good_entry;		/* where the list leaves it, or -1 */
	char good_text[384];
	struct iv_replay replay;
	struct iv_kexec kexec;
	struct iv_policy *policy;	/* --policy, judged with the replay */
	/* Outputs */
	enum iv_status status;
	struct iv_explain why;
	struct iv_err err;		/* input error message */
	char **notes;			/* extra remarks for the report */
	size_t nnotes, notes_cap;
	size_t notes_lost;		/* not kept: out of memory */
	struct iv_incremental incr;	/* --state-in, --state-out */
};

void iv_ctx_init(struct iv_ctx *ctx);
void iv_ctx_free(struct iv_ctx *ctx);
/* 0, or -1 when out of memory (counted in notes_lost and reported). */
int iv_note(struct iv_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int iv_run(struct iv_ctx *ctx);
/* The tool's exit code: 0 only if the replay verified and the policy passed. */
int iv_exit_status(const struct iv_ctx *ctx);
/*
 * Phases 3 and 4 of iv_run() on readers the caller opened, with PCR
 * values already in ctx->pcrs; @good may be NULL.  @name prefixes input
 * error messages (NULL: none).  Outputs of an earlier run on @ctx (why,
 * notes, err) are cleared first.  Returns ctx->status.
 */
int iv_verify_list(struct iv_ctx *ctx, struct iv_reader *list,
		   struct iv_reader *good, const char *name);
void iv_explain_mismatch(const struct iv_ctx *ctx, struct iv_explain *out);
int iv_good_list_diff(const struct iv_list *good, const struct iv_list *l,
		      char *text, size_t len);
void iv_good_diverges(const struct iv_entry *good, const struct iv_entry *e,
		      char *text, size_t len);
void iv_good_shorter(size_t count, size_t good_count, char *text, size_t len);

/* report.c */
void iv_report_text(const struct iv_ctx *ctx, FILE *out);
void iv_report_json(const struct iv_ctx *ctx, FILE *out);
void iv_json_str(FILE *out, const char *s);
const char *iv_cause_name(enum iv_cause c);

#endif /* IMAVERIFY_H */
