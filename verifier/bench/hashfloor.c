// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hashfloor LIST: the hashing work of a replay and nothing else, as a
 * floor for bench/compare.sh.  Per record: SHA-1 and SHA-256 of the
 * template data, and one extend of PCR 10 in each bank; records are
 * read with fread() as the verifier reads them, and not checked beyond
 * what it takes to find the next one.  A violation (zero digest) extends
 * 0xff and hashes nothing, as in the kernel; template "ima" is not
 * handled (the bench lists are ima-ng and ima-buf).  Prints both PCR
 * values as "PCR-10: <hex>" lines, which compare.sh checks against the
 * list's PCR files: the floor did all the work, and the right work.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void digest(EVP_MD_CTX *ctx, const EVP_MD *md, const void *p,
		   size_t len, uint8_t *out)
{
	if (!EVP_DigestInit_ex2(ctx, md, NULL) ||
	    !EVP_DigestUpdate(ctx, p, len) ||
	    !EVP_DigestFinal_ex(ctx, out, NULL))
		abort();
}

static void extend(EVP_MD_CTX *ctx, const EVP_MD *md, uint8_t *pcr,
		   const uint8_t *val, size_t n)
{
	uint8_t buf[64];

	memcpy(buf, pcr, n);
	memcpy(buf + n, val, n);
	digest(ctx, md, buf, 2 * n, pcr);
}

int main(int argc, char **argv)
{
	uint8_t hdr[28], len4[4], name[256], *data = malloc(1 << 20);
	uint8_t pcr1[20] = { 0 }, pcr256[32] = { 0 }, d1[20], d256[32];
	EVP_MD *sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
	EVP_MD *sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	EVP_MD_CTX *c1 = EVP_MD_CTX_new(), *c256 = EVP_MD_CTX_new();
	size_t count = 0;
	FILE *f;
	int i;

	if (argc != 2 || !(f = fopen(argv[1], "rb")) || !data || !sha1 ||
	    !sha256 || !c1 || !c256) {
		fprintf(stderr, "usage: hashfloor LIST\n");
		return 2;
	}
	while (fread(hdr, 1, sizeof(hdr), f) == sizeof(hdr)) {
		uint32_t nlen = le32(hdr + 24), dlen;

		if (nlen > sizeof(name) || fread(name, 1, nlen, f) != nlen ||
		    fread(len4, 1, 4, f) != 4)
			return 1;
		dlen = le32(len4);
		if (dlen > (1 << 20) || fread(data, 1, dlen, f) != dlen)
			return 1;
		for (i = 0; i < 20 && !hdr[4 + i]; i++)
			;
		if (i == 20) {
			memset(d1, 0xff, sizeof(d1));
			memset(d256, 0xff, sizeof(d256));
		} else {
			digest(c1, sha1, data, dlen, d1);
			digest(c256, sha256, data, dlen, d256);
		}
		extend(c1, sha1, pcr1, d1, 20);
		extend(c256, sha256, pcr256, d256, 32);
		count++;
	}
	printf("# %zu records\nsha1 PCR-10: ", count);
	for (i = 0; i < 20; i++)
		printf("%02x", pcr1[i]);
	printf("\nsha256 PCR-10: ");
	for (i = 0; i < 32; i++)
		printf("%02x", pcr256[i]);
	printf("\n");
	fclose(f);
	EVP_MD_CTX_free(c1);
	EVP_MD_CTX_free(c256);
	EVP_MD_free(sha1);
	EVP_MD_free(sha256);
	free(data);
	return 0;
}
