/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test helper: build binary measurement lists byte by byte and compute,
 * independently of the library (straight OpenSSL calls), the PCR values
 * a TPM would hold after the kernel extended it with those entries.
 */
#ifndef TB_BUILDER_H
#define TB_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imaverify.h"

struct tb {
	uint8_t *p;
	size_t len;
	size_t cap;
	size_t count;			/* records */
	size_t offs[512];		/* record start offsets */
	/* Expected TPM state: per-bank hash scheme and SHA-1 padded one. */
	uint8_t pcr[IV_PCR_COUNT][IV_ALG_COUNT][IV_MAX_DIGEST];
	uint8_t pad[IV_PCR_COUNT][IV_ALG_COUNT][IV_MAX_DIGEST];
	char *extends;			/* "pcr:sha1=..,sha256=..\n" per extend */
	size_t extends_len;
	bool tpm_off;			/* records extend nothing (no TPM) */
	bool no_log;			/* keep no extends log (large lists) */
	bool two_banks;			/* sha1 and sha256 only (large lists) */
};

/* Every u32 the builder writes is big endian while this is set. */
extern bool tb_big_endian;

void tb_init(struct tb *t);
void tb_free(struct tb *t);
void tb_put(struct tb *t, const void *p, size_t len);
void tb_u32(struct tb *t, uint32_t v);
void tb_field(struct tb *d, const void *p, uint32_t len);
void tb_digest(const char *alg, const void *p, size_t len, uint8_t *out,
	       size_t *outlen);
void tb_dng(struct tb *d, const char *algo, const void *content, size_t len);
void tb_nng(struct tb *d, const char *name);

void tb_record(struct tb *l, uint32_t pcr, const char *tname,
	       const struct tb *data, bool violation);
void tb_record_ima(struct tb *l, const char *fname, bool violation);
void tb_ng(struct tb *l, const char *name);
/*
 * A file measurement of @content named @name: @tname "ima-ng", "ima-sig"
 * (no signature) or "ima" (SHA-1, @algo unused).
 */
void tb_file(struct tb *l, const char *tname, const char *algo,
	     const void *content, size_t len, const char *name);
void tb_ng_alg(struct tb *l, const char *algo, const char *name);
void tb_violation(struct tb *l, const char *name);
void tb_violation_buf(struct tb *l, const char *name, const char *payload);
void tb_sig(struct tb *l, const char *name, const uint8_t *sig, size_t len);
void tb_modsig(struct tb *l, const char *name);
void tb_buf(struct tb *l, const char *name, const char *payload);
void tb_kexec_event(struct tb *l, const char *name, unsigned long seg);
void tb_handover(struct tb *l, const char *payload);	/* kexec_restore */
void tb_handover_as(struct tb *l, const char *name, const char *payload);
void tb_truncate(struct tb *l, size_t keep);

const uint8_t *tb_expected(const struct tb *l, unsigned int pcr,
			   enum iv_alg alg, bool padded);
void tb_fill_pcrs(const struct tb *l, struct iv_pcrs *pcrs, enum iv_alg alg,
		  bool padded);
int tb_write(const struct tb *l, const char *path);
int tb_write_pcrs(const struct tb *l, enum iv_alg alg, bool padded,
		  const char *path);
int tb_write_tpm_dir(const struct tb *l, const char *dir, bool padded);
int tb_write_file(const char *path, const void *p, size_t len);

/* Scenarios shared by the unit tests, mkfixture and the fuzz corpus. */
void tb_scenario_boot(struct tb *l, unsigned int files);
void tb_scenario_kexec(struct tb *l, const char *result);
void tb_scenario_kexec_as(struct tb *l, const char *name, const char *result);
void tb_scenario_multiboot(struct tb *l);
void tb_scenario_multiboot_old(struct tb *l);	/* kexec_handover, verified */
void tb_scenario_truncated(struct tb *l);
void tb_scenario_rejected(struct tb *l);
void tb_scenario_no_execute(struct tb *l);

/*
 * Kernels with the TPM check: the kexec_restore record ends in @tpm,
 * e.g. "tpm=match;tpm_sha1=match;tpm_sha256=match;".
 */
void tb_scenario_kexec_tpm(struct tb *l, const char *result, const char *tpm);
void tb_scenario_tpm_match(struct tb *l);	/* two kexecs, both match */
void tb_scenario_tpm_mismatch(struct tb *l);	/* an entry not handed over */
void tb_scenario_tpm_lost(struct tb *l);	/* kexec_load: no handover */
void tb_scenario_tpm_bypass(struct tb *l);	/* new kernel without TPM */
void tb_scenario_tpm_disagree(struct tb *l);	/* mismatch, list replays */
void tb_scenario_tpm_banks(struct tb *l);	/* sm3, no_hash, 0x0027 */

#endif /* TB_BUILDER_H */
