// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Runtime policy: each rule of both formats, malformed policies, ima-sig
 * signatures (good, bad, unknown key) with keys made here by OpenSSL,
 * boot_aggregate against PCRs 0-9, this series' kexec records; then the
 * tool itself (IV_BIN) on lists, policies and certificates written here:
 * a Keylime policy that passes and one that fails, kexec records with and
 * without ima-buf entries, exit codes, text and JSON.  And a real rig
 * list: its boot_aggregate against the PCR values its guest read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "builder.h"
#include "testutil.h"

/* Two signing keys and one the policies never hear of. */
struct keys {
	EVP_PKEY *rsa, *ec, *stranger;
	X509 *rsa_cert, *ec_cert;
};

static struct keys K;

struct fix {
	char dir[64];
	char out[65536];
	struct tb l;
	struct iv_ctx ctx;
};

static X509 *self_signed(EVP_PKEY *pk, const char *cn)
{
	X509 *x = X509_new();
	X509_NAME *n;

	assert_non_null(x);
	assert_int_equal(X509_set_version(x, 2), 1);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	assert_int_equal(X509_set_pubkey(x, pk), 1);
	n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
				   (const unsigned char *)cn, -1, -1, 0);
	assert_int_equal(X509_set_issuer_name(x, n), 1);
	assert_true(X509_sign(x, pk, EVP_sha256()) > 0);
	return x;
}

static int group_setup(void **state)
{
	(void)state;
	K.rsa = EVP_RSA_gen(2048);
	K.ec = EVP_EC_gen("P-256");
	K.stranger = EVP_RSA_gen(2048);
	if (!K.rsa || !K.ec || !K.stranger)
		return -1;
	K.rsa_cert = self_signed(K.rsa, "ima rsa");
	K.ec_cert = self_signed(K.ec, "ima ec");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	X509_free(K.rsa_cert);
	X509_free(K.ec_cert);
	EVP_PKEY_free(K.rsa);
	EVP_PKEY_free(K.ec);
	EVP_PKEY_free(K.stranger);
	return 0;
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/iv-policy-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	tb_init(&f->l);
	iv_ctx_init(&f->ctx);
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
	iv_ctx_free(&f->ctx);
	tb_free(&f->l);
	free(f);
	return 0;
}

/* ---- keys, signatures and records, computed here ---- */

/* evmctl's key id, from the key's own encoding (PKCS#1 or EC point). */
static uint32_t key_id(EVP_PKEY *pk)
{
	unsigned char *der = NULL;
	uint8_t sha1[20];
	int len = i2d_PublicKey(pk, &der);

	assert_true(len > 0);
	tb_digest("sha1", der, (size_t)len, sha1, NULL);
	OPENSSL_free(der);
	return (uint32_t)sha1[16] << 24 | (uint32_t)sha1[17] << 16 |
	       (uint32_t)sha1[18] << 8 | sha1[19];
}

/*
 * An IMA signature v2 (type 3) of sha256(@content), which is the file
 * digest tb_sig() logs for a file named @content.
 */
static size_t ima_sig(EVP_PKEY *pk, const char *content, uint8_t *out)
{
	uint8_t digest[32];
	size_t siglen = 512;
	uint32_t id = key_id(pk);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pk, NULL);

	tb_digest("sha256", content, strlen(content), digest, NULL);
	assert_non_null(ctx);
	assert_int_equal(EVP_PKEY_sign_init(ctx), 1);
	assert_int_equal(EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()), 1);
	if (EVP_PKEY_get_base_id(pk) == EVP_PKEY_RSA)
		assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx,
				 RSA_PKCS1_PADDING), 1);
	assert_int_equal(EVP_PKEY_sign(ctx, out + 9, &siglen, digest, 32), 1);
	EVP_PKEY_CTX_free(ctx);
	out[0] = 3;		/* EVM_IMA_XATTR_DIGSIG */
	out[1] = 2;		/* signature_v2_hdr version */
	out[2] = 4;		/* HASH_ALGO_SHA256 */
	out[3] = (uint8_t)(id >> 24);
	out[4] = (uint8_t)(id >> 16);
	out[5] = (uint8_t)(id >> 8);
	out[6] = (uint8_t)id;
	out[7] = (uint8_t)(siglen >> 8);
	out[8] = (uint8_t)siglen;
	return siglen + 9;
}

static void signed_file(struct tb *l, EVP_PKEY *pk, const char *name)
{
	uint8_t sig[600];

	tb_sig(l, name, sig, ima_sig(pk, name, sig));
}

/* Signed by @pk, then one byte of the signature changed. */
static void badly_signed_file(struct tb *l, EVP_PKEY *pk, const char *name)
{
	uint8_t sig[600];
	size_t n = ima_sig(pk, name, sig);

	sig[n - 1] ^= 0x01;
	tb_sig(l, name, sig, n);
}

/* sha256 of @content: the file digest of tb_ng() and tb_sig(). */
static void file_hex(const char *content, char *hex)
{
	uint8_t d[32];

	tb_digest("sha256", content, strlen(content), d, NULL);
	iv_hex(d, 32, hex);
}

/*
 * The boot_aggregate a kernel with a sha256 bank writes: sha256 over
 * PCRs 0-9, which the builder never extends (all zero).
 */
static void real_aggregate(struct tb *l)
{
	uint8_t field[8 + 32] = "sha256:", zero[10 * 32] = { 0 };
	struct tb d;

	tb_digest("sha256", zero, sizeof(zero), field + 8, NULL);
	tb_init(&d);
	tb_field(&d, field, sizeof(field));
	tb_nng(&d, "boot_aggregate");
	tb_record(l, 10, "ima-ng", &d, false);
	tb_free(&d);
}

/*
 * Two boots across kexec, with the series' records: files 0-2 signed or
 * not, kexec_load, kexec_execute, the new boot_aggregate, kexec_restore.
 */
static void kexec_list(struct tb *l)
{
	char buf[128];
	size_t restored;

	real_aggregate(l);
	tb_ng(l, "/usr/bin/bash");
	signed_file(l, K.rsa, "/usr/lib/libc.so.6");
	tb_kexec_event(l, "kexec_load", 65536);
	tb_ng(l, "/sbin/kexec");
	tb_kexec_event(l, "kexec_execute", 65536);
	restored = l->count;
	real_aggregate(l);
	snprintf(buf, sizeof(buf), "result=intact;restored=%zu;dropped=0;",
		 restored);
	tb_handover(l, buf);
	tb_ng(l, "/usr/bin/after-kexec");
}

/* ---- judging in the library ---- */

static struct iv_policy *parse(struct fix *f, const char *text)
{
	struct iv_policy *p = iv_policy_parse((const uint8_t *)text,
					      strlen(text), "test", f->dir,
					      &f->ctx.err);

	if (!p)
		fail_msg("policy did not load: %s", f->ctx.err.msg);
	return p;
}

/* A policy that must not load; its message in f->ctx.err. */
static void bad_policy(struct fix *f, const char *text, const char *msg)
{
	struct iv_policy *p = iv_policy_parse((const uint8_t *)text,
					      strlen(text), "test", f->dir,
					      &f->ctx.err);

	if (p) {
		iv_policy_free(p);
		fail_msg("policy loaded: %s", text);
	}
	assert_contains(f->ctx.err.msg, msg);
}

/* @p judged on f->l through iv_verify_list(), with the list's PCR values. */
static int judge(struct fix *f, struct iv_policy *p)
{
	struct iv_reader r;
	int status;

	f->ctx.policy = p;
	tb_fill_pcrs(&f->l, &f->ctx.pcrs, IV_ALG_SHA1, false);
	tb_fill_pcrs(&f->l, &f->ctx.pcrs, IV_ALG_SHA256, false);
	iv_reader_mem(&r, f->l.p, f->l.len);
	status = iv_verify_list(&f->ctx, &r, NULL, NULL);
	if (status == IV_ERROR)
		fail_msg("%s", f->ctx.err.msg);
	return iv_exit_status(&f->ctx);
}

/* Violation @i is at @entry, for @path, and says @why. */
static void assert_violation(const struct iv_policy *p, size_t i,
			     size_t entry, const char *path, const char *why)
{
	if (i >= p->nv)
		fail_msg("%zu violations, no violation %zu (%s)", p->nv, i,
			 why);
	assert_int_equal(p->v[i].entry, entry);
	assert_string_equal(p->v[i].path, path);
	assert_contains(p->v[i].reason, why);
}

static void test_lines_digest(void **state)
{
	struct fix *f = *state;
	char bash[65], tool[65], text[512];
	struct iv_policy *p;

	file_hex("/usr/bin/bash", bash);
	file_hex("/usr/bin/tool", tool);
	real_aggregate(&f->l);
	tb_ng(&f->l, "/usr/bin/bash");
	tb_ng(&f->l, "/usr/bin/tool");
	tb_ng(&f->l, "/usr/bin/evil");
	tb_ng(&f->l, "/usr/bin/with space");
	snprintf(text, sizeof(text),
		 "# comment\n\n  digest sha256:%s /usr/bin/bash\r\n"
		 "digest sha256:%s /usr/bin/tool\n"
		 "digest sha256:%s /usr/bin/with space\n", bash, bash, bash);
	p = parse(f, text);
	assert_int_equal(judge(f, p), IV_NOT_VERIFIED);
	/* The replay itself verified: only the policy failed. */
	assert_int_equal(f->ctx.status, IV_VERIFIED);
	assert_int_equal(p->verdict, IV_POLICY_FAIL);
	assert_int_equal(p->judged, 5);
	assert_int_equal(p->nv, 3);
	assert_violation(p, 0, 2, "/usr/bin/tool", "digest sha256:");
	assert_violation(p, 0, 2, "/usr/bin/tool", " not allowed for this path");
	assert_contains(p->v[0].reason, tool);
	assert_violation(p, 1, 3, "/usr/bin/evil", "not in policy");
	assert_violation(p, 2, 4, "/usr/bin/with space", "not allowed");
	/* Another algorithm with the same bytes is another digest. */
	iv_ctx_free(&f->ctx);
	iv_ctx_init(&f->ctx);
	snprintf(text, sizeof(text), "digest sha512:%s%s /usr/bin/bash\n",
		 bash, bash);
	p = parse(f, text);
	tb_free(&f->l);
	tb_init(&f->l);
	real_aggregate(&f->l);
	tb_ng(&f->l, "/usr/bin/bash");
	assert_int_equal(judge(f, p), IV_NOT_VERIFIED);
	assert_violation(p, 0, 1, "/usr/bin/bash", "not allowed");
}

static void test_lines_exclude(void **state)
{
	struct fix *f = *state;
	struct iv_policy *p;

	real_aggregate(&f->l);
	tb_ng(&f->l, "/tmp/x");
	tb_ng(&f->l, "/var/log/a.log");
	tb_ng(&f->l, "/home/u/.cache/z");
	tb_ng(&f->l, "/usr/tmp/y");
	p = parse(f, "exclude /tmp/\nexclude-regex /var/log/.*\\.log\n"
		  "exclude-regex /home/[^/]+/\\.cache/\n");
	assert_int_equal(judge(f, p), IV_NOT_VERIFIED);
	/* Regexes are anchored at the start, as Keylime's re.match(). */
	assert_int_equal(p->nv, 1);
	assert_violation(p, 0, 4, "/usr/tmp/y", "not in policy");
}

static void test_lines_ima_buf(void **state)
{
	struct fix *f = *state;
	char text[256], hex[65];
	struct iv_policy *p;

	file_hex("table", hex);
	real_aggregate(&f->l);
	tb_buf(&f->l, "dm_table_load", "table");
	tb_buf(&f->l, "dm_table_load", "other table");
	tb_buf(&f->l, "selinux-state", "enforcing=1");
	tb_buf(&f->l, "unlisted", "x");
	snprintf(text, sizeof(text),
		 "ima-buf dm_table_load sha256:%s\nima-buf selinux-state\n",
		 hex);
	p = parse(f, text);
	assert_int_equal(judge(f, p), IV_NOT_VERIFIED);
	assert_int_equal(p->nv, 2);
	assert_violation(p, 0, 2, "dm_table_load",
			 "not in the policy's ima-buf for this name");
	assert_violation(p, 1, 4, "unlisted",
			 "ima-buf record not in the policy's ima-buf");
}

static void test_lines_malformed(void **state)
{
	struct fix *f = *state;

	bad_policy(f, "digest sha256:abc /x\n", "line 1: want 'digest <alg>:<hex> <path>'");
	bad_policy(f, "digest sha1:00 /x\n", "line 1: want");	/* short */
	bad_policy(f, "\ndigest sha256:\n", "line 2: want");
	bad_policy(f, "exclude\n", "line 1: 'exclude' needs an argument");
	bad_policy(f, "exclude-regex /a(\n", "line 1: regex '/a(' is not a POSIX extended regex");
	bad_policy(f, "allow /usr/bin/x\n", "line 1: unknown rule 'allow'");
	bad_policy(f, "ffe3ad4c395985d143bd0e45a9a1dd09aac21b91 /path/to/file\n",
		   "(a Keylime allowlist line? write 'digest <alg>:<hex> <path>')");
	bad_policy(f, "ima-buf x sha256:zz\n", "line 1: want 'ima-buf <name> [<alg>:<hex>]'");
	bad_policy(f, "key missing.pem\n", "line 1: ");
	bad_policy(f, "key missing.pem\n", "missing.pem: No such file or directory");
	{
		static const char nul[] = "exclude /a\nexclude /b\0c\n";
		struct iv_policy *p = iv_policy_parse((const uint8_t *)nul,
						      sizeof(nul) - 1, "test",
						      NULL, &f->ctx.err);

		assert_null(p);
		assert_contains(f->ctx.err.msg, "policy test: line 2: NUL byte");
	}
}

static const char *keylime_fmt =
	"{\"meta\": {\"version\": 1, \"generator\": 1, \"timestamp\": \"now\"},"
	" \"release\": 0,"
	" \"digests\": {\"/usr/bin/bash\": [\"%s\"], \"/usr/bin/two\": [\"00\", \"%s\"]},"
	" \"excludes\": [\"/tmp/.*\"],"
	" \"keyrings\": {\".ima\": [\"%s\"]},"
	" \"ima\": {\"ignored_keyrings\": [], \"log_hash_alg\": \"sha1\", \"dm_policy\": null},"
	" \"ima-buf\": {\"dm_table_load\": [\"%s\"], \"kexec_load\": [], \"kexec_execute\": []},"
	" \"verification-keys\": \"\"}";

static void test_keylime(void **state)
{
	struct fix *f = *state;
	char bash[65], two[65], key[65], table[65], text[1024];
	struct iv_policy *p;

	file_hex("/usr/bin/bash", bash);
	file_hex("/usr/bin/two", two);
	file_hex("cert", key);
	file_hex("table", table);
	/* Keylime compares hex in any case. */
	for (char *c = two; *c; c++)
		if (*c >= 'a')
			*c = (char)(*c - 'a' + 'A');
	real_aggregate(&f->l);
	tb_ng(&f->l, "/usr/bin/bash");
	tb_ng(&f->l, "/usr/bin/two");
	tb_ng(&f->l, "/tmp/anything");
	tb_buf(&f->l, ".ima", "cert");
	tb_buf(&f->l, ".ima", "other cert");
	tb_buf(&f->l, "dm_table_load", "table");
	tb_kexec_event(&f->l, "kexec_load", 65536);
	tb_ng(&f->l, "/usr/bin/evil");
	snprintf(text, sizeof(text), keylime_fmt, bash, two, key, table);
	p = parse(f, text);
	assert_int_equal(p->format, IV_POLICY_KEYLIME);
	assert_int_equal(p->nnotes, 0);
	assert_int_equal(judge(f, p), IV_NOT_VERIFIED);
	assert_int_equal(p->nv, 2);
	assert_violation(p, 0, 5, ".ima", "key digest sha256:");
	assert_violation(p, 0, 5, ".ima", "not in the policy's keyrings");
	assert_violation(p, 1, 8, "/usr/bin/evil", "not in policy");
}

static void test_keylime_unknown_keys(void **state)
{
	struct fix *f = *state;
	struct iv_policy *p;

	p = parse(f, "{\"meta\": {\"version\": 1, \"colour\": 2}, \"digests\": {},"
		  " \"ima\": {\"log_hash_alg\": \"sha256\", \"new\": 1,"
		  " \"dm_policy\": {\"version\": 1}}, \"shiny\": [], \"rules\": \"x\"}");
	assert_int_equal(p->nnotes, 5);
	assert_string_equal(p->notes[0], "key 'meta.colour' unknown, ignored");
	assert_string_equal(p->notes[1], "key 'ima.new' unknown, ignored");
	assert_string_equal(p->notes[2], "ima.dm_policy (device-mapper rules) is not judged");
	assert_string_equal(p->notes[3], "key 'shiny' unknown, ignored");
	assert_string_equal(p->notes[4], "key 'rules' is not judged");
	iv_policy_free(p);
}

static void test_keylime_malformed(void **state)
{
	struct fix *f = *state;
	char deep[200];

	bad_policy(f, "{\"digests\": {}}", "no 'meta': not a Keylime runtime policy");
	bad_policy(f, "{\"meta\": {\"version\": 2}}", "meta.version 2: only runtime policy version 1 is read");
	bad_policy(f, "{\"meta\": {\"version\": \"1\"}}", "'meta.version': expected a number, got a string");
	bad_policy(f, "{\"meta\": {}}", "'meta' has no 'version'");
	bad_policy(f, "{\"meta\": {\"version\": 1}, \"digests\": []}", "'digests': expected an object, got an array");
	bad_policy(f, "{\"meta\": {\"version\": 1}, \"digests\": {\"/x\": \"ab\"}}", "'digests' '/x': expected an array, got a string");
	bad_policy(f, "{\"meta\": {\"version\": 1}, \"digests\": {\"/x\": [\"xyz\"]}}", "'digests' '/x'[0]: expected a hex digest string");
	bad_policy(f, "{\"meta\": {\"version\": 1}, \"excludes\": [1]}", "'excludes'[0]: expected a string, got a number");
	bad_policy(f, "{\"meta\": {\"version\": 1}, \"excludes\": [\"(\"]}", "excludes[0]: regex '(' is not a POSIX extended regex");
	bad_policy(f, "{\"meta\": {\"version\": 1}, \"ima\": {\"log_hash_alg\": \"md5\"}}", "'ima.log_hash_alg': 'md5' is not sha1");
	bad_policy(f, "{\"meta\": {\"version\": 1}, \"ima\": {\"ignored_keyrings\": \"*\"}}", "'ima.ignored_keyrings': expected an array");
	bad_policy(f, "{\"meta\": {\"version\": 1}, \"ima-buf\": {\"a\": [7]}}", "'ima-buf' 'a'[0]: expected a hex digest string");
	bad_policy(f, "{\"meta\": {\"version\": 1}, \"verification-keys\": []}", "'verification-keys': expected a string, got an array");
	bad_policy(f, "{\"meta\": {\"version\": 1}, \"verification-keys\": \"{\\\"r\\\": {\\\"pubkeys\\\": [\\\"AAAA\\\"]}}\"}",
		   "verification-keys 'r': pubkeys[0] is not a base64 DER public key");
	bad_policy(f, "{\"allowlist\": {\"hashes\": {}}}", "old format");
	/* Malformed JSON: where, and why. */
	bad_policy(f, "{\"meta\": {\"version\": 1}", "JSON ends early: expected ',' or '}'");
	bad_policy(f, "{\"meta\" {}}", "JSON byte offset 8: expected ':'");
	bad_policy(f, "{\"a\\q\": 1}", "JSON byte offset 3: bad escape in a string");
	bad_policy(f, "{\"a\": \"\\ud800\"}", "unpaired surrogate");
	bad_policy(f, "{\"a\": 01}", "expected ',' or '}'");
	bad_policy(f, "{\"a\": tru}", "unexpected character");
	bad_policy(f, "{} {}", "JSON byte offset 3: text after the JSON value");
	bad_policy(f, "{\"a\": \"x\ny\"}", "control character in a string");
	memset(deep, '[', sizeof(deep));
	memcpy(deep, "{\"a\":", 5);
	deep[sizeof(deep) - 1] = '\0';
	bad_policy(f, deep, "nested too deeply");
}

/* Escapes decode to the path they name: a path with "é" and a quote. */
static void test_keylime_escapes(void **state)
{
	struct fix *f = *state;
	char hex[65], text[512];
	struct iv_policy *p;

	file_hex("/opt/caf\xc3\xa9/\"q\"", hex);
	real_aggregate(&f->l);
	tb_ng(&f->l, "/opt/caf\xc3\xa9/\"q\"");
	snprintf(text, sizeof(text),
		 "{\"meta\": {\"version\": 1}, \"digests\": {\"\\/opt\\/caf\\u00e9/\\\"q\\\"\": [\"%s\"]}}",
		 hex);
	p = parse(f, text);
	assert_int_equal(judge(f, p), IV_VERIFIED);
	assert_int_equal(p->verdict, IV_POLICY_PASS);
}

/* Signed files: good, bad, by an unknown key, and with no keys at all. */
static void test_signatures(void **state)
{
	struct fix *f = *state;
	uint8_t der[4096], *q = der;
	char hex[65], text[512];
	struct iv_policy *p;
	int n;

	file_hex("/usr/lib/listed-stranger", hex);
	real_aggregate(&f->l);
	signed_file(&f->l, K.rsa, "/usr/lib/good-rsa");			/* 1 */
	signed_file(&f->l, K.ec, "/usr/lib/good-ec");			/* 2 */
	badly_signed_file(&f->l, K.rsa, "/usr/lib/x.so");		/* 3 */
	signed_file(&f->l, K.stranger, "/usr/lib/stranger");		/* 4 */
	signed_file(&f->l, K.stranger, "/usr/lib/listed-stranger");	/* 5 */
	tb_sig(&f->l, "/usr/lib/short", (const uint8_t *)"\x03\x02", 2); /* 6 */
	snprintf(text, sizeof(text), "digest sha256:%s /usr/lib/listed-stranger\n"
		 "digest sha256:%s /usr/lib/x.so\n", hex, hex);
	p = parse(f, text);
	/* One certificate DER, one PEM. */
	n = i2d_X509(K.rsa_cert, &q);
	assert_true(n > 0);
	assert_int_equal(iv_policy_add_key(p, der, (size_t)n, "rsa.der",
					   &f->ctx.err), 0);
	{
		BIO *b = BIO_new(BIO_s_mem());
		char *pem;
		long len;

		assert_int_equal(PEM_write_bio_X509(b, K.ec_cert), 1);
		len = BIO_get_mem_data(b, &pem);
		assert_int_equal(iv_policy_add_key(p, (uint8_t *)pem,
						   (size_t)len, "ec.pem",
						   &f->ctx.err), 0);
		BIO_free(b);
	}
	assert_int_equal(judge(f, p), IV_NOT_VERIFIED);
	assert_int_equal(p->sig_good, 2);
	assert_int_equal(p->nv, 3);
	snprintf(text, sizeof(text), "ima-sig signature does not verify with key %08x",
		 key_id(K.rsa));
	assert_violation(p, 0, 3, "/usr/lib/x.so", text);
	/* An unknown key: the digest decides, and the reason says both. */
	snprintf(text, sizeof(text), "not in policy; signed by key %08x, which no key given holds",
		 key_id(K.stranger));
	assert_violation(p, 1, 4, "/usr/lib/stranger", text);
	assert_violation(p, 2, 6, "/usr/lib/short", "malformed signature (2 bytes, type 0x03)");
	assert_int_equal(p->sig_unchecked, -1);
	/* Without keys the digests decide, and a note says so. */
	iv_ctx_free(&f->ctx);
	iv_ctx_init(&f->ctx);
	p = parse(f, "exclude /usr/lib/\n");
	assert_int_equal(judge(f, p), IV_VERIFIED);
	assert_int_equal(p->sig_unchecked, -1);	/* excluded: not looked at */
	iv_ctx_free(&f->ctx);
	iv_ctx_init(&f->ctx);
	snprintf(text, sizeof(text), "digest sha256:%s /usr/lib/listed-stranger\n", hex);
	p = parse(f, text);
	assert_int_equal(judge(f, p), IV_NOT_VERIFIED);
	assert_int_equal(p->sig_unchecked, 1);
	assert_violation(p, 0, 1, "/usr/lib/good-rsa", "not in policy");
}

/* A signature over another algorithm's digest cannot be this file's. */
static void test_signature_hash_mismatch(void **state)
{
	struct fix *f = *state;
	uint8_t sig[600];
	size_t n = ima_sig(K.rsa, "/usr/lib/a", sig);
	struct iv_policy *p;
	uint8_t der[4096], *q = der;
	int len = i2d_X509(K.rsa_cert, &q);

	sig[2] = 2;	/* HASH_ALGO_SHA1 */
	real_aggregate(&f->l);
	tb_sig(&f->l, "/usr/lib/a", sig, n);
	p = parse(f, "exclude /nothing\n");
	assert_int_equal(iv_policy_add_key(p, der, (size_t)len, "rsa.der",
					   &f->ctx.err), 0);
	assert_int_equal(judge(f, p), IV_NOT_VERIFIED);
	assert_violation(p, 0, 1, "/usr/lib/a",
			 "signature is over a sha1 digest, the file digest is sha256");
}

/* Keys inside a Keylime policy: base64 DER, as ImaKeyring.to_string(). */
static void test_keylime_verification_keys(void **state)
{
	struct fix *f = *state;
	unsigned char der[1024], *q = der, b64[1500];
	char text[4096];
	struct iv_policy *p;
	int n = i2d_PUBKEY(K.rsa, &q);

	assert_true(n > 0);
	EVP_EncodeBlock(b64, der, n);
	real_aggregate(&f->l);
	signed_file(&f->l, K.rsa, "/usr/lib/good-rsa");
	badly_signed_file(&f->l, K.rsa, "/usr/lib/bad-rsa");
	/* Encoded twice, as Keylime stores it. */
	snprintf(text, sizeof(text),
		 "{\"meta\": {\"version\": 1}, \"verification-keys\": "
		 "\"{\\\"tenant_keyring\\\": \\\"{\\\\\\\"pubkeys\\\\\\\": [\\\\\\\"%s\\\\\\\"], \\\\\\\"keyids\\\\\\\": []}\\\"}\"}",
		 b64);
	p = parse(f, text);
	assert_int_equal(p->nkey, 1);
	assert_int_equal(judge(f, p), IV_NOT_VERIFIED);
	assert_int_equal(p->sig_good, 1);
	assert_int_equal(p->nv, 1);
	assert_violation(p, 0, 2, "/usr/lib/bad-rsa", "does not verify with key");
}

static void test_key_errors(void **state)
{
	struct fix *f = *state;
	struct iv_policy *p = parse(f, "exclude /x\n");

	assert_int_equal(iv_policy_add_key(p, (const uint8_t *)"junk", 4,
					   "junk.pem", &f->ctx.err), -1);
	assert_string_equal(f->ctx.err.msg, "junk.pem: not an X.509 certificate or public key (DER or PEM)");
	iv_policy_free(p);
}

/*
 * boot_aggregate against PCRs 0-9: SHA-1 over PCRs 0-7 only, other banks
 * over 0-9 (ima_calc_boot_aggregate_tfm()), computed here from values
 * that are not all zero.
 */
static void test_boot_aggregate(void **state)
{
	struct fix *f = *state;
	uint8_t cat[10 * 32], sha1[20], sha256[32];
	struct iv_pcrs pcrs = { 0 };
	struct iv_reader r;
	const struct iv_entry *e;
	struct iv_policy *p;
	struct tb d;
	int k, ret;

	for (k = 0; k < 10; k++) {
		memset(pcrs.bank[IV_ALG_SHA1].val[k], k + 1, 20);
		memset(pcrs.bank[IV_ALG_SHA256].val[k], k + 1, 32);
		pcrs.bank[IV_ALG_SHA1].set[k] = pcrs.bank[IV_ALG_SHA256].set[k] = true;
		memset(cat + 20 * k, k + 1, 20);
	}
	pcrs.bank[IV_ALG_SHA1].present = pcrs.bank[IV_ALG_SHA256].present = true;
	tb_digest("sha1", cat, 8 * 20, sha1, NULL);
	for (k = 0; k < 10; k++)
		memset(cat + 32 * k, k + 1, 32);
	tb_digest("sha256", cat, 10 * 32, sha256, NULL);
	/* Template "ima": a bare SHA-1; ima-ng: "sha256:"; then a wrong one. */
	tb_init(&d);
	tb_field(&d, sha1, 20);
	tb_nng(&d, "boot_aggregate");
	tb_record(&f->l, 10, "ima-ng", &d, false);
	tb_free(&d);
	tb_init(&d);
	{
		uint8_t field[40] = "sha256:";

		memcpy(field + 8, sha256, 32);
		tb_field(&d, field, 40);
	}
	tb_nng(&d, "boot_aggregate");
	tb_record(&f->l, 10, "ima-ng", &d, false);
	tb_free(&d);
	tb_ng(&f->l, "boot_aggregate");		/* sha256 of its name */
	p = parse(f, "exclude /\n");
	iv_policy_begin(p, &pcrs);
	iv_reader_mem(&r, f->l.p, f->l.len);
	while ((ret = iv_reader_next(&r, &e, &f->ctx.err)) > 0)
		assert_int_equal(iv_policy_entry(p, e, &f->ctx.err), 0);
	assert_int_equal(ret, 0);
	iv_policy_finish(p, 3);
	assert_int_equal(p->nv, 1);
	assert_violation(p, 0, 2, "boot_aggregate", "does not match PCRs 0-9 (their aggregate is sha256:");
	assert_int_equal(p->aggregate_unchecked, -1);
	/* PCR 9 missing: not checked, and said so. */
	pcrs.bank[IV_ALG_SHA256].set[9] = false;
	iv_policy_begin(p, &pcrs);
	iv_reader_mem(&r, f->l.p, f->l.len);
	while ((ret = iv_reader_next(&r, &e, &f->ctx.err)) > 0)
		assert_int_equal(iv_policy_entry(p, e, &f->ctx.err), 0);
	iv_policy_finish(p, 3);
	assert_int_equal(p->nv, 0);
	assert_int_equal(p->aggregate_unchecked, 1);
	iv_policy_free(p);
}

/* This series' records: named as such when the policy does not know them. */
static void test_series_records(void **state)
{
	struct fix *f = *state;
	char text[1024], bash[65], libc[65], kexec[65], after[65];
	struct iv_policy *p;

	kexec_list(&f->l);
	file_hex("/usr/bin/bash", bash);
	file_hex("/usr/lib/libc.so.6", libc);
	file_hex("/sbin/kexec", kexec);
	file_hex("/usr/bin/after-kexec", after);
	snprintf(text, sizeof(text),
		 "digest sha256:%s /usr/bin/bash\ndigest sha256:%s /usr/lib/libc.so.6\n"
		 "digest sha256:%s /sbin/kexec\ndigest sha256:%s /usr/bin/after-kexec\n",
		 bash, libc, kexec, after);
	p = parse(f, text);
	assert_int_equal(judge(f, p), IV_NOT_VERIFIED);
	assert_int_equal(p->nv, 3);
	assert_violation(p, 0, 3, "kexec_load", "ima_kexec critical data, the kexec event, not in the policy's ima-buf");
	assert_violation(p, 1, 5, "kexec_execute", "ima_kexec critical data");
	assert_violation(p, 2, 7, "kexec_restore", "this series' handover record, not in the policy's ima-buf");
	/* Listed by name they pass; a digest for them says why it fails. */
	iv_ctx_free(&f->ctx);
	iv_ctx_init(&f->ctx);
	strcat(text, "ima-buf kexec_load\nima-buf kexec_execute\n"
	       "ima-buf kexec_restore sha256:0000000000000000000000000000000000000000000000000000000000000000\n");
	p = parse(f, text);
	assert_int_equal(judge(f, p), IV_NOT_VERIFIED);
	assert_int_equal(p->nv, 1);
	assert_violation(p, 0, 7, "kexec_restore", "it differs at every kexec: list the name alone");
}

/* Only the prefix the PCRs cover is judged. */
static void test_newer_not_judged(void **state)
{
	struct fix *f = *state;
	struct iv_reader r;
	struct iv_policy *p;
	char text[128], bash[65];

	file_hex("/usr/bin/bash", bash);
	real_aggregate(&f->l);
	tb_ng(&f->l, "/usr/bin/bash");
	tb_fill_pcrs(&f->l, &f->ctx.pcrs, IV_ALG_SHA256, false);
	tb_ng(&f->l, "/usr/bin/evil");		/* after the PCRs were read */
	tb_violation(&f->l, "/var/log/open-writer");
	snprintf(text, sizeof(text), "digest sha256:%s /usr/bin/bash\n", bash);
	p = parse(f, text);
	f->ctx.policy = p;
	iv_reader_mem(&r, f->l.p, f->l.len);
	assert_int_equal(iv_verify_list(&f->ctx, &r, NULL, NULL), IV_VERIFIED);
	assert_int_equal(f->ctx.replay.covered, 2);
	assert_int_equal(p->verdict, IV_POLICY_PASS);
	assert_int_equal(p->judged, 2);
	assert_int_equal(iv_exit_status(&f->ctx), IV_VERIFIED);
}

/* ---- the tool ---- */

static int run(struct fix *f, const char *const *args)
{
	const char *argv[32], *bin = getenv("IV_BIN");
	char outfile[128];
	int status, fd, n = 0;
	ssize_t len;
	pid_t pid;

	if (!bin)
		skip();
	argv[n++] = bin;
	while (*args && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	snprintf(outfile, sizeof(outfile), "%s/out", f->dir);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		fd = open(outfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(127);
		alarm(120);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	fd = open(outfile, O_RDONLY);
	assert_true(fd >= 0);
	len = read(fd, f->out, sizeof(f->out) - 1);
	close(fd);
	f->out[len > 0 ? len : 0] = '\0';
	if (!WIFEXITED(status))
		fail_msg("ended by signal %d: %s", WTERMSIG(status), f->out);
	return WEXITSTATUS(status);
}

struct files {
	char list[128], p1[128], p256[128], policy[128], cert[128];
};

static void write_list(struct fix *f, struct files *w)
{
	snprintf(w->list, sizeof(w->list), "%s/list", f->dir);
	snprintf(w->p1, sizeof(w->p1), "sha1,%s/p1", f->dir);
	snprintf(w->p256, sizeof(w->p256), "sha256,%s/p256", f->dir);
	snprintf(w->policy, sizeof(w->policy), "%s/policy", f->dir);
	snprintf(w->cert, sizeof(w->cert), "%s/ima.pem", f->dir);
	assert_int_equal(tb_write(&f->l, w->list), 0);
	assert_int_equal(tb_write_pcrs(&f->l, IV_ALG_SHA1, false, w->p1 + 5), 0);
	assert_int_equal(tb_write_pcrs(&f->l, IV_ALG_SHA256, false, w->p256 + 7), 0);
}

static void write_cert(const char *path, X509 *x)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(PEM_write_X509(fp, x), 1);
	assert_int_equal(fclose(fp), 0);
}

/* The Keylime policy of kexec_list(), @bufs: with the series' records. */
static void keylime_policy(const char *path, bool bufs)
{
	char bash[65], kexec[65], after[65], text[2048];

	file_hex("/usr/bin/bash", bash);
	file_hex("/sbin/kexec", kexec);
	file_hex("/usr/bin/after-kexec", after);
	snprintf(text, sizeof(text),
		 "{\"meta\": {\"version\": 1}, \"release\": 0,\n"
		 " \"digests\": {\"/usr/bin/bash\": [\"%s\"], \"/sbin/kexec\": [\"%s\"],\n"
		 "   \"/usr/bin/after-kexec\": [\"%s\"]},\n"
		 " \"excludes\": [], \"keyrings\": {},\n"
		 " \"ima\": {\"ignored_keyrings\": [], \"log_hash_alg\": \"sha1\", \"dm_policy\": null},\n"
		 " \"ima-buf\": {%s}, \"verification-keys\": \"\"}\n",
		 bash, kexec, after,
		 bufs ? "\"kexec_load\": [], \"kexec_execute\": [], \"kexec_restore\": []" : "");
	assert_int_equal(tb_write_file(path, text, strlen(text)), 0);
}

static void test_cli_keylime_pass(void **state)
{
	struct fix *f = *state;
	struct files w;

	kexec_list(&f->l);
	write_list(f, &w);
	keylime_policy(w.policy, true);
	write_cert(w.cert, K.rsa_cert);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", w.p1, "--pcrs",
			 w.p256, "--policy", w.policy, "--key", w.cert, w.list,
			 NULL }), 0);
	assert_contains(f->out, "VERIFIED: 9 entries, 2 boots, banks sha1,sha256 match; policy: pass\n");
	assert_contains(f->out, "\npolicy: pass: 0 violations in 9 entries judged (1 by signature) against keylime policy ");
	assert_null(strstr(f->out, "policy note:"));
	assert_int_equal(run(f, (const char *[]){ "--json", "--pcrs", w.p1,
			 "--pcrs", w.p256, "--policy", w.policy, "--key",
			 w.cert, w.list, NULL }), 0);
	assert_contains(f->out, "\"status\":0,");
	assert_contains(f->out, "\"policy\":{\"verdict\":\"pass\",\"format\":\"keylime\",\"file\":\"");
	assert_contains(f->out, "\",\"judged\":9,\"signatures_verified\":1,\"violations\":[],\"notes\":[]},");
	/* No policy: the verdict is "none". */
	assert_int_equal(run(f, (const char *[]){ "--json", "--pcrs", w.p1,
			 w.list, NULL }), 0);
	assert_contains(f->out, "\"policy\":{\"verdict\":\"none\",\"violations\":[],\"notes\":[]},");
}

static void test_cli_keylime_fail(void **state)
{
	struct fix *f = *state;
	struct files w;
	char want[512];

	kexec_list(&f->l);
	tb_ng(&f->l, "/usr/bin/evil");			/* 9 */
	badly_signed_file(&f->l, K.rsa, "/usr/lib/x.so");	/* 10 */
	write_list(f, &w);
	keylime_policy(w.policy, true);
	write_cert(w.cert, K.rsa_cert);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", w.p1, "--pcrs",
			 w.p256, "--policy", w.policy, "--key", w.cert, w.list,
			 NULL }), 1);
	snprintf(want, sizeof(want),
		 "VERIFIED: 11 entries, 2 boots, banks sha1,sha256 match; policy: 2 violations (/usr/bin/evil: not in policy; /usr/lib/x.so: ima-sig signature does not verify with key %08x)\n",
		 key_id(K.rsa));
	assert_contains(f->out, want);
	assert_contains(f->out, "\npolicy: fail: 2 violations in 11 entries judged (1 by signature) against keylime policy ");
	assert_contains(f->out, "\npolicy violation: entry 9 /usr/bin/evil: not in policy\n");
	assert_contains(f->out, "\npolicy violation: entry 10 /usr/lib/x.so: ima-sig signature does not verify with key ");
	assert_int_equal(run(f, (const char *[]){ "--json", "--pcrs", w.p1,
			 "--policy", w.policy, "--key", w.cert, w.list,
			 NULL }), 1);
	assert_contains(f->out, "\"verdict\":\"VERIFIED\",\"status\":1,");
	assert_contains(f->out, "\"policy\":{\"verdict\":\"fail\",");
	assert_contains(f->out, "\"violations\":[{\"entry\":9,\"path\":\"/usr/bin/evil\",\"reason\":\"not in policy\"},{\"entry\":10,\"path\":\"/usr/lib/x.so\",\"reason\":\"ima-sig signature does not verify with key ");
	/* -q: the verdict line alone, the same exit code. */
	assert_int_equal(run(f, (const char *[]){ "-q", "--pcrs", w.p1,
			 "--policy", w.policy, "--key", w.cert, w.list,
			 NULL }), 1);
	assert_null(strstr(f->out, "policy violation:"));
}

static void test_cli_kexec_records(void **state)
{
	struct fix *f = *state;
	struct files w;

	kexec_list(&f->l);
	write_list(f, &w);
	keylime_policy(w.policy, false);
	write_cert(w.cert, K.rsa_cert);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", w.p256,
			 "--policy", w.policy, "--key", w.cert, w.list,
			 NULL }), 1);
	assert_contains(f->out, "VERIFIED: 9 entries, 2 boots, bank sha256 match; policy: 3 violations (kexec_load: ima_kexec critical data, the kexec event, not in the policy's ima-buf; kexec_execute: ima_kexec critical data, the kexec event, not in the policy's ima-buf; kexec_restore: this series' handover record, not in the policy's ima-buf)\n");
	assert_contains(f->out, "\npolicy violation: entry 7 kexec_restore: this series' handover record, not in the policy's ima-buf\n");
	/* The replay's own explanation is unchanged when it fails. */
	tb_truncate(&f->l, 8);
	tb_ng(&f->l, "/usr/bin/not-in-the-tpm");
	assert_int_equal(tb_write(&f->l, w.list), 0);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", w.p256,
			 "--policy", w.policy, "--key", w.cert, w.list,
			 NULL }), 1);
	assert_int_equal(strncmp(f->out, "NOT VERIFIED: ", 14), 0);
	assert_null(strstr(strtok(f->out, "\n"), "policy"));
}

/* Newer entries (after the PCR values were read) are not judged. */
static void test_cli_newer(void **state)
{
	struct fix *f = *state;
	struct files w;

	kexec_list(&f->l);
	write_list(f, &w);
	keylime_policy(w.policy, true);
	write_cert(w.cert, K.rsa_cert);
	tb_ng(&f->l, "/usr/bin/evil");
	assert_int_equal(tb_write(&f->l, w.list), 0);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", w.p1, "--pcrs",
			 w.p256, "--policy", w.policy, "--key", w.cert, w.list,
			 NULL }), 0);
	assert_contains(f->out, "VERIFIED: 9 of 10 entries, 2 boots, banks sha1,sha256 match; 1 newer entry not yet covered by the PCRs; policy: pass\n");
}

static void test_cli_errors(void **state)
{
	struct fix *f = *state;
	struct files w;

	kexec_list(&f->l);
	write_list(f, &w);
	assert_int_equal(tb_write_file(w.policy, "{\"meta\": {\"version\": 1},\n \"digests\": {\"/x\": [1]}}", 49), 0);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", w.p1,
			 "--policy", w.policy, w.list, NULL }), 2);
	assert_contains(f->out, "NOT VERIFIED: input error: policy ");
	assert_contains(f->out, "'digests' '/x'[0]: expected a hex digest string\n");
	assert_int_equal(run(f, (const char *[]){ "--pcrs", w.p1,
			 "--policy", "/nonexistent/policy", w.list, NULL }), 2);
	assert_contains(f->out, "/nonexistent/policy: No such file or directory");
	assert_int_equal(run(f, (const char *[]){ "--pcrs", w.p1,
			 "--key", w.cert, w.list, NULL }), 2);
	assert_contains(f->out, "--key checks ima-sig signatures under a --policy");
	assert_int_equal(tb_write_file(w.policy, "exclude /\n", 10), 0);
	assert_int_equal(tb_write_file(w.cert, "not a cert", 10), 0);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", w.p1,
			 "--policy", w.policy, "--key", w.cert, w.list,
			 NULL }), 2);
	assert_contains(f->out, "ima.pem: not an X.509 certificate or public key (DER or PEM)");
}

/* "key" lines are relative to the policy file. */
static void test_cli_lines_key(void **state)
{
	struct fix *f = *state;
	struct files w;
	char text[512], bash[65], kexec[65], after[65];

	kexec_list(&f->l);
	write_list(f, &w);
	write_cert(w.cert, K.rsa_cert);
	file_hex("/usr/bin/bash", bash);
	file_hex("/sbin/kexec", kexec);
	file_hex("/usr/bin/after-kexec", after);
	snprintf(text, sizeof(text),
		 "key ima.pem\ndigest sha256:%s /usr/bin/bash\n"
		 "digest sha256:%s /sbin/kexec\ndigest sha256:%s /usr/bin/after-kexec\n"
		 "ima-buf kexec_load\nima-buf kexec_execute\nima-buf kexec_restore\n",
		 bash, kexec, after);
	assert_int_equal(tb_write_file(w.policy, text, strlen(text)), 0);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", w.p256,
			 "--policy", w.policy, w.list, NULL }), 0);
	assert_contains(f->out, "; policy: pass\n");
	assert_contains(f->out, "(1 by signature) against lines policy ");
}

/*
 * A real kernel's list (the rig's baseline, patched 6.12 in QEMU): its
 * boot_aggregates against the PCR values its guest read.  The policy is
 * the list's own digests, so only the boot_aggregate check can fail.
 */
static void test_rig_boot_aggregate(void **state)
{
	struct fix *f = *state;
	const char *data = getenv("IV_DATA");
	char list[512], p1[600], p256[512], policy[128];
	char hex[2 * IV_MAX_DIGEST + 1];
	struct iv_reader r;
	const struct iv_entry *e;
	FILE *out;
	int ret;

	if (!data)
		skip();
	snprintf(list, sizeof(list), "%s/rig/baseline/binary_runtime_measurements", data);
	snprintf(p1, sizeof(p1), "sha1,%s/rig/baseline/pcrs-sha1.txt", data);
	snprintf(p256, sizeof(p256), "sha256,%s/rig/baseline/pcrs-sha256.txt", data);
	snprintf(policy, sizeof(policy), "%s/policy", f->dir);
	assert_int_equal(iv_reader_open(&r, list, &f->ctx.err), 0);
	out = fopen(policy, "w");
	assert_non_null(out);
	while ((ret = iv_reader_next(&r, &e, &f->ctx.err)) > 0) {
		if (e->violation || iv_entry_is_boot_aggregate(e))
			continue;
		if (e->tpl == IV_TPL_IMA_BUF) {
			fprintf(out, "ima-buf %.*s\n", (int)e->fname_len, e->fname);
			continue;
		}
		iv_hex(e->fdigest, e->fdigest_len, hex);
		fprintf(out, "digest %s:%s %.*s\n", e->algo, hex,
			(int)e->fname_len, e->fname);
	}
	assert_int_equal(ret, 0);
	iv_reader_close(&r);
	assert_int_equal(fclose(out), 0);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", p1, "--pcrs", p256,
			 "--policy", policy, list, NULL }), 0);
	assert_contains(f->out, "VERIFIED: 61 entries, 2 boots, banks sha1,sha256 match; policy: pass\n");
	assert_null(strstr(f->out, "boot_aggregate not checked"));
	/* Without PCRs 0-9 (only PCR 10 given) it is not checked, and said so. */
	snprintf(p256, sizeof(p256), "%s/p10", f->dir);
	out = fopen(p256, "w");
	assert_non_null(out);
	{
		char line[256];
		FILE *in;

		snprintf(list + strlen(list) - strlen("binary_runtime_measurements"),
			 40, "pcrs-sha256.txt");
		in = fopen(list, "r");
		assert_non_null(in);
		while (fgets(line, sizeof(line), in))
			if (!strncmp(line, "PCR-10:", 7))
				fputs(line, out);
		fclose(in);
		snprintf(list + strlen(list) - strlen("pcrs-sha256.txt"), 40,
			 "binary_runtime_measurements");
	}
	assert_int_equal(fclose(out), 0);
	snprintf(p1, sizeof(p1), "sha256,%s", p256);
	assert_int_equal(run(f, (const char *[]){ "--pcrs", p1, "--policy",
			 policy, list, NULL }), 0);
	assert_contains(f->out, "\npolicy note: boot_aggregate not checked: no PCR 0-9 values of its bank (first at entry 0)\n");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_lines_digest),
		T(test_lines_exclude),
		T(test_lines_ima_buf),
		T(test_lines_malformed),
		T(test_keylime),
		T(test_keylime_unknown_keys),
		T(test_keylime_malformed),
		T(test_keylime_escapes),
		T(test_signatures),
		T(test_signature_hash_mismatch),
		T(test_keylime_verification_keys),
		T(test_key_errors),
		T(test_boot_aggregate),
		T(test_series_records),
		T(test_newer_not_judged),
		T(test_cli_keylime_pass),
		T(test_cli_keylime_fail),
		T(test_cli_kexec_records),
		T(test_cli_newer),
		T(test_cli_errors),
		T(test_cli_lines_key),
		T(test_rig_boot_aggregate),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
