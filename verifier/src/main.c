// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ima-kexec-verify: check an IMA measurement list, carried across kexec
 * soft reboots, against TPM PCR values or a TPM 2.0 quote.
 *
 * "ima-kexec-verify initramfs-parts": the policy lines for the members
 * of an initramfs made of part files, or the last load's member records
 * in a list judged against them.
 *
 * Exit codes: 0 verified, 1 not verified, 2 usage or input error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "imaverify.h"

#define DEFAULT_LIST "/sys/kernel/security/ima/binary_runtime_measurements"

enum {
	OPT_TPM_DIR = 256,
	OPT_PCRS,
	OPT_QUOTE_MSG,
	OPT_QUOTE_SIG,
	OPT_AK_PUB,
	OPT_NONCE,
	OPT_QUOTE_PCRS,
	OPT_GOOD_LIST,
	OPT_POLICY,
	OPT_KEY,
	OPT_JSON,
	OPT_VERSION,
	OPT_STATE_IN,
	OPT_STATE_OUT,
};

static const struct option options[] = {
	{ "tpm-dir",	required_argument, NULL, OPT_TPM_DIR },
	{ "pcrs",	required_argument, NULL, OPT_PCRS },
	{ "quote-msg",	required_argument, NULL, OPT_QUOTE_MSG },
	{ "quote-sig",	required_argument, NULL, OPT_QUOTE_SIG },
	{ "ak-pub",	required_argument, NULL, OPT_AK_PUB },
	{ "nonce",	required_argument, NULL, OPT_NONCE },
	{ "quote-pcrs",	required_argument, NULL, OPT_QUOTE_PCRS },
	{ "good-list",	required_argument, NULL, OPT_GOOD_LIST },
	{ "policy",	required_argument, NULL, OPT_POLICY },
	{ "key",	required_argument, NULL, OPT_KEY },
	{ "json",	no_argument,	   NULL, OPT_JSON },
	{ "quiet",	no_argument,	   NULL, 'q' },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "version",	no_argument,	   NULL, OPT_VERSION },
	{ "state-in",	required_argument, NULL, OPT_STATE_IN },
	{ "state-out",	required_argument, NULL, OPT_STATE_OUT },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: ima-kexec-verify [OPTIONS] [LIST]\n"
		"Check an IMA binary measurement list (default\n"
		"  " DEFAULT_LIST ",\n"
		"\"-\" for standard input) against TPM PCR values; every bank given\n"
		"must match.  A list that grew after the PCRs were read verifies up\n"
		"to the entry they cover; the newer entries are reported.\n"
		"\n"
		"PCR values (read before the list; at least one source):\n"
		"  --tpm-dir DIR        DIR/pcr-<bank>/<n> hex files, e.g. /sys/class/tpm/tpm0\n"
		"  --pcrs BANK,FILE     \"PCR-NN: <hex>\" lines (evmctl format); repeatable\n"
		"  --pcrs yaml,FILE     tpm2_pcrread output (YAML, \"sha1:\" / \"  10: 0x<hex>\")\n"
		"  --pcrs FILE          either, by content (evmctl lines are sha1)\n"
		"  --quote-msg FILE     TPMS_ATTEST from tpm2_quote -m\n"
		"  --quote-sig FILE     TPMT_SIGNATURE from tpm2_quote -s\n"
		"  --ak-pub FILE        AK public key: PEM, DER or TSS (TPM2B_PUBLIC, as\n"
		"                       tpm2_createak -u / tpm2_readpublic -o write it)\n"
		"  --nonce HEX          expected qualifying data (tpm2_quote -q)\n"
		"  --quote-pcrs FILE    tpm2_quote -o output (serialized or values)\n"
		"Explanations:\n"
		"  --good-list FILE     known-good list prefix to compare with (\"-\": stdin)\n"
		"Runtime policy (judged on the entries the PCRs cover):\n"
		"  --policy FILE        Keylime runtime policy JSON, or digest/exclude/\n"
		"                       ima-buf/key lines (README \"Runtime policy\")\n"
		"  --key FILE           X.509 certificate (DER or PEM) for ima-sig\n"
		"                       signatures; repeatable\n"
		"Incremental attestation (a service polling a machine):\n"
		"  --state-in FILE      start from a saved state: verify only what the list\n"
		"                       gained since (its prefix is hashed, not replayed)\n"
		"  --state-out FILE     after a verified run, save its state (atomically)\n"
		"Initramfs members (a KEXEC_INITRAMFS_CHECK rule with initramfs=parts):\n"
		"  initramfs-parts --name PATH [--hash ALG] PART...\n"
		"                       the policy lines for the parts of PATH\n"
		"  initramfs-parts [--name PATH] --list LIST PART...\n"
		"                       the last load's member records in LIST against them\n"
		"                       (initramfs-parts --help)\n"
		"Output:\n"
		"  --json               one JSON object instead of text\n"
		"  -q, --quiet          verdict line only\n"
		"  -h, --help           this text\n"
		"  --version            tool and library versions\n"
		"\n"
		"Exit status: 0 verified (and the policy passed), 1 not verified or a\n"
		"policy violation, 2 usage or input error.\n");
}

static void parts_usage(FILE *out)
{
	fprintf(out,
		"Usage: ima-kexec-verify initramfs-parts --name PATH [--hash ALG] PART...\n"
		"       ima-kexec-verify initramfs-parts [--name PATH] [--hash ALG] --list LIST PART...\n"
		"The initramfs PATH given to kexec_file_load is the concatenation of the\n"
		"PART files, each one cpio archive or gzip, zstd or xz stream with its zero\n"
		"padding; with initramfs=parts the kernel measures part i as the record\n"
		"PATH#i:KIND@OFFSET+LENGTH.  Print the policy lines (\"digest ALG:HEX NAME\",\n"
		"for --policy) of those records, or judge the member records of the last\n"
		"load of PATH in LIST part by part.\n"
		"\n"
		"  --name PATH          the initramfs as the kernel names it (printing needs\n"
		"                       it; with --list, the one path of the list's members)\n"
		"  --hash ALG           sha1, sha256, sha384 or sha512: the template's hash\n"
		"                       (default sha256; with --list, each record's own)\n"
		"  --list LIST          a binary measurement list (\"-\": stdin)\n"
		"  -h, --help           this text\n"
		"\n"
		"Exit status: 0 printed, or every part matches and no member is extra;\n"
		"1 a part differs or is missing, or a member is extra; 2 usage or input\n"
		"error.\n");
}

static int usage_error_of(void (*show)(FILE *), const char *msg)
{
	fprintf(stderr, "ima-kexec-verify: %s\n", msg);
	show(stderr);
	return IV_ERROR;
}

static int usage_error(const char *msg)
{
	return usage_error_of(usage, msg);
}

static int parse_args(struct iv_ctx *ctx, int argc, char **argv)
{
	struct iv_opts *o = &ctx->opt;
	int c;

	while ((c = getopt_long(argc, argv, "qh", options, NULL)) != -1) {
		switch (c) {
		case OPT_TPM_DIR:
			o->tpm_dir = optarg;
			break;
		case OPT_PCRS:
			if (o->npcr_files == IV_MAX_PCR_FILES)
				return usage_error("too many --pcrs");
			o->pcr_file[o->npcr_files++].spec = optarg;
			break;
		case OPT_QUOTE_MSG:
			o->quote_msg = optarg;
			break;
		case OPT_QUOTE_SIG:
			o->quote_sig = optarg;
			break;
		case OPT_AK_PUB:
			o->ak_pub = optarg;
			break;
		case OPT_NONCE:
			o->nonce_hex = optarg;
			break;
		case OPT_QUOTE_PCRS:
			o->quote_pcrs = optarg;
			break;
		case OPT_GOOD_LIST:
			o->good_list = optarg;
			break;
		case OPT_POLICY:
			o->policy = optarg;
			break;
		case OPT_KEY:
			if (o->nkeys == IV_POLICY_MAX_KEYS)
				return usage_error("too many --key");
			o->key[o->nkeys++] = optarg;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case OPT_VERSION:
			printf("ima-kexec-verify %s\nlibimaverify %s\n%s\n",
			       IV_VERSION, iv_version(),
			       OpenSSL_version(OPENSSL_VERSION));
			exit(0);
		case OPT_STATE_IN:
			o->state_in = optarg;
			break;
		case OPT_STATE_OUT:
			o->state_out = optarg;
			break;
		default:
			return usage_error("unknown option");
		}
	}
	if (argc - optind > 1)
		return usage_error("more than one measurement list given");
	o->list_path = optind < argc ? argv[optind] : DEFAULT_LIST;
	if (o->good_list && !strcmp(o->good_list, "-") &&
	    !strcmp(o->list_path, "-"))
		return usage_error("the list and --good-list cannot both be stdin");
	if ((o->quote_msg || o->quote_sig || o->ak_pub || o->nonce_hex ||
	     o->quote_pcrs) &&
	    !(o->quote_msg && o->quote_sig && o->ak_pub && o->nonce_hex))
		return usage_error("a quote needs --quote-msg, --quote-sig, --ak-pub and --nonce");
	if (o->state_in && o->good_list)
		return usage_error("--good-list compares from the first entry: not with --state-in");
	if (o->nkeys && !o->policy)
		return usage_error("--key checks ima-sig signatures under a --policy");
	if (!o->tpm_dir && !o->npcr_files && !o->quote_pcrs)
		return usage_error("no PCR values: give --tpm-dir, --pcrs or a quote with --quote-pcrs");
	return 0;
}

enum {
	OPT_NAME = 256,
	OPT_HASH,
	OPT_LIST,
};

static const struct option parts_options[] = {
	{ "name",	required_argument, NULL, OPT_NAME },
	{ "hash",	required_argument, NULL, OPT_HASH },
	{ "list",	required_argument, NULL, OPT_LIST },
	{ "help",	no_argument,	   NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parts_error(const struct iv_err *err)
{
	fprintf(stderr, "ima-kexec-verify: %s\n", err->msg);
	return IV_ERROR;
}

/* Judge the parts against the last load in @list_path. */
static int parts_judge(struct iv_parts *ps, const char *list_path,
		       const char *name, int hash)
{
	const char *list_name = strcmp(list_path, "-") ? list_path : "stdin";
	struct iv_err err = { 0 };
	struct iv_reader r;
	int ret;

	if (iv_reader_open(&r, list_path, &err))
		return parts_error(&err);
	ret = iv_parts_judge(ps, &r, name, hash, &err);
	iv_reader_close(&r);
	if (ret) {
		iv_err_prefix(&err, list_name);
		return parts_error(&err);
	}
	iv_parts_report(ps, list_name, stdout);
	return iv_parts_status(ps);
}

static int parts_main(int argc, char **argv)
{
	const char *name = NULL, *list = NULL;
	struct iv_parts ps = { 0 };
	struct iv_err err = { 0 };
	unsigned int algs;
	int c, hash = -1, status;

	while ((c = getopt_long(argc, argv, "h", parts_options, NULL)) != -1) {
		switch (c) {
		case OPT_NAME:
			name = optarg;
			break;
		case OPT_HASH:
			hash = iv_alg_by_name(optarg);
			if (hash < 0)
				return usage_error_of(parts_usage,
						      "--hash is sha1, sha256, sha384 or sha512");
			break;
		case OPT_LIST:
			list = optarg;
			break;
		case 'h':
			parts_usage(stdout);
			exit(0);
		default:
			return usage_error_of(parts_usage, "unknown option");
		}
	}
	if (optind == argc)
		return usage_error_of(parts_usage, "initramfs-parts: no PART given");
	if (!list && !name)
		return usage_error_of(parts_usage,
				      "initramfs-parts: the policy lines need --name PATH, the initramfs as kexec_file_load is given it");
	/* A list's records may be in any algorithm: hash in all of them. */
	if (hash >= 0)
		algs = 1u << hash;
	else
		algs = list ? (1u << IV_ALG_COUNT) - 1 : 1u << IV_ALG_SHA256;
	if (iv_parts_read(&ps, (const char *const *)argv + optind,
			  (size_t)(argc - optind), algs, &err)) {
		iv_parts_free(&ps);
		return parts_error(&err);
	}
	if (ps.nparts > IV_PARTS_KERNEL_MAX)
		fprintf(stderr, "ima-kexec-verify: warning: %zu parts: the kernel follows %d members and measures the rest as one \"unscanned\"\n",
			ps.nparts, IV_PARTS_KERNEL_MAX);
	if (list)
		status = parts_judge(&ps, list, name, hash);
	else if (iv_parts_fragment(&ps, name, hash < 0 ? IV_ALG_SHA256 :
				   (enum iv_alg)hash, stdout, &err))
		status = parts_error(&err);
	else
		status = IV_VERIFIED;
	iv_parts_free(&ps);
	return status;
}

int main(int argc, char **argv)
{
	struct iv_ctx ctx;
	int status;

	if (argc > 1 && !strcmp(argv[1], "initramfs-parts"))
		return parts_main(argc - 1, argv + 1);

	/*
	 * libtss2-mu logs to stderr what a quote or AK input error says
	 * with the byte offset; TSS2_LOG in the environment still wins.
	 */
	setenv("TSS2_LOG", "all+none", 0);
	iv_ctx_init(&ctx);
	if (parse_args(&ctx, argc, argv))
		return IV_ERROR;
	status = iv_run(&ctx);
	status = iv_exit_status(&ctx);
	if (ctx.opt.json)
		iv_report_json(&ctx, stdout);
	else
		iv_report_text(&ctx, stdout);
	fflush(stdout);
	if (status == IV_ERROR && !ctx.opt.json)
		fprintf(stderr, "ima-kexec-verify: %s\n", ctx.err.msg);
	iv_ctx_free(&ctx);
	return status;
}
