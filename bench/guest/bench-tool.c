// SPDX-License-Identifier: GPL-2.0
/*
 * bench-tool: the guest side of make bench, one static binary so that it
 * runs from the shared folder on any rig kernel.
 *
 *   bench-tool gen DIR PREFIX N      add N IMA measurements: make N new
 *                                    files and open each for reading
 *   bench-tool limits BYTES SECONDS  memcpy and the kernel's SHA-256 (AF_ALG)
 *                                    over BYTES, repeated for SECONDS each
 *   bench-tool rdtsc                 print the TSC
 *   bench-tool mark LABEL            TSC and a line in the kernel log, so that
 *                                    the host can tie the TSC to printk time
 *   bench-tool read FILE N           read FILE through N times with 1 MiB
 *                                    reads: median, min and max ns of a
 *                                    whole read, and its size
 *   bench-tool calib N               N getppid() calls 5 ms apart: a kprobe
 *                                    on entry and return of it times what one
 *                                    traced event costs the code it probes
 *   bench-tool exec                  sync, read the TSC, log it and kexec
 *                                    at once (kexec -e)
 *
 * Output is KEY=VALUE lines for the stage scripts' notes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_alg.h>
#include <linux/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#ifndef AF_ALG
#define AF_ALG 38
#endif

static void die(const char *what)
{
	fprintf(stderr, "bench-tool: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	/* lfence: the read is not hoisted above what precedes it. */
	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A measurement needs a file IMA has not seen, opened for reading: the
 * policy measures FILE_CHECK with mask=MAY_READ.  mknod() makes an empty
 * regular file without opening it (an open that creates is checked with
 * no access mask, so it would not count), then one open for reading
 * measures it: three system calls, a third of the time that writing,
 * reading and removing a file takes under TCG.  Every entry has the
 * digest of an empty file and its own name: the handover neither hashes
 * nor looks at what the digests are, only at their number and size.
 */
static int gen(const char *dir, const char *prefix, long n)
{
	char path[256];
	long i;
	int fd;

	if (mkdir(dir, 0755) && errno != EEXIST)
		die(dir);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s.%ld", dir, prefix, i);
		if (mknod(path, S_IFREG | 0644, 0))
			die(path);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			die(path);
		close(fd);
	}
	return 0;
}

/* The kernel's sha256, whichever driver it picks for "sha256". */
static int alg_open(void)
{
	struct sockaddr_alg sa = {
		.salg_family = AF_ALG,
		.salg_type = "hash",
		.salg_name = "sha256",
	};
	int s, fd;

	s = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (s < 0)
		die("socket(AF_ALG)");
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind(sha256)");
	fd = accept(s, NULL, 0);
	if (fd < 0)
		die("accept");
	close(s);
	return fd;
}

static void alg_digest(int fd, const unsigned char *buf, size_t len,
		       unsigned char *md)
{
	size_t chunk;
	ssize_t n;

	/* MSG_MORE on all but the last chunk: one digest over the buffer. */
	do {
		chunk = len < (1 << 20) ? len : (1 << 20);
		n = send(fd, buf, chunk, chunk < len ? MSG_MORE : 0);
		if (n <= 0)
			die("send");
		buf += n;
		len -= n;
	} while (len);
	if (read(fd, md, 32) != 32)
		die("read digest");
}

static int limits(size_t bytes, double secs)
{
	static const unsigned char abc_sha256[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
		0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
		0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	unsigned char md[32], *src, *dst;
	double t0, t, cp_min = 1e9, sha_min = 1e9, cp_sum = 0, sha_sum = 0;
	long cp_reps = 0, sha_reps = 0;
	size_t i;
	int fd;

	src = malloc(bytes);
	dst = malloc(bytes);
	if (!src || !dst)
		die("malloc");
	/* Touch every page first, so no rep pays for faulting them in. */
	for (i = 0; i < bytes; i++)
		src[i] = i * 131 + 7;
	memset(dst, 0, bytes);

	fd = alg_open();
	alg_digest(fd, (const unsigned char *)"abc", 3, md);
	if (memcmp(md, abc_sha256, 32))
		errno = EINVAL, die("AF_ALG sha256(\"abc\") is wrong");

	/* Each figure is the best of the reps: the floor the machine allows. */
	t0 = now();
	do {
		t = now();
		memcpy(dst, src, bytes);
		asm volatile("" :: "r"(dst) : "memory");
		t = now() - t;
		cp_sum += t;
		cp_min = t < cp_min ? t : cp_min;
		cp_reps++;
	} while (now() - t0 < secs || cp_reps < 3);

	t0 = now();
	do {
		t = now();
		alg_digest(fd, src, bytes, md);
		t = now() - t;
		sha_sum += t;
		sha_min = t < sha_min ? t : sha_min;
		sha_reps++;
	} while (now() - t0 < secs || sha_reps < 3);
	close(fd);

	printf("limit_bytes=%zu\n", bytes);
	printf("memcpy_us=%.1f\nmemcpy_avg_us=%.1f\nmemcpy_MBps=%.1f\nmemcpy_reps=%ld\n",
	       cp_min * 1e6, cp_sum / cp_reps * 1e6, bytes / cp_min / 1e6, cp_reps);
	printf("sha256_us=%.1f\nsha256_avg_us=%.1f\nsha256_MBps=%.1f\nsha256_reps=%ld\n",
	       sha_min * 1e6, sha_sum / sha_reps * 1e6, bytes / sha_min / 1e6, sha_reps);
	free(src);
	free(dst);
	return 0;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * What a reader of binary_runtime_measurements pays, open to end of
 * file: the series writes each field with one seq_write() where 6.12
 * writes it one seq_putc() per byte.  A seq_file read returns at most one
 * buffer (a page, unless a record needs more) per call whatever its size,
 * so the 1 MiB buffer only keeps userspace from adding calls of its own.
 * Median of N: one read can catch the host preempting the vCPU.
 */
#define READ_REPS_MAX 99

static int read_file(const char *path, int n)
{
	static char buf[1 << 20];
	int64_t t[READ_REPS_MAX], x;
	size_t bytes = 0, first = 0;
	ssize_t got;
	int i, j, fd;

	if (n < 1 || n > READ_REPS_MAX)
		errno = EINVAL, die("read: N");
	for (i = 0; i < n; i++) {
		t[i] = now_ns();
		fd = open(path, O_RDONLY);
		if (fd < 0)
			die(path);
		bytes = 0;
		while ((got = read(fd, buf, sizeof(buf))) > 0)
			bytes += got;
		if (got < 0)
			die(path);
		t[i] = now_ns() - t[i];
		close(fd);
		if (!i)
			first = bytes;
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (t[j] < t[i])
				x = t[i], t[i] = t[j], t[j] = x;

	printf("read_bytes=%zu\n", bytes);
	/* A list that grew between reads times different work. */
	if (bytes != first)
		printf("read_first_bytes=%zu\n", first);
	printf("read_ns=%lld\nread_min_ns=%lld\nread_max_ns=%lld\nread_reps=%d\n",
	       (long long)(n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2),
	       (long long)t[0], (long long)t[n - 1], n);
	return 0;
}

static int calib(long n)
{
	struct timespec gap = { 0, 5 * 1000 * 1000 };

	while (n--) {
		syscall(SYS_getppid);
		nanosleep(&gap, NULL);
	}
	return 0;
}

static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_WRONLY);

	if (fd < 0)
		die("/dev/kmsg");
	return fd;
}

/* Read the TSC and log "bench: <what><tsc>" to the kernel log at once. */
static uint64_t kmsg_tsc(int fd, const char *what)
{
	char line[160];
	uint64_t tsc;
	int len;

	tsc = rdtsc();
	len = snprintf(line, sizeof(line), "bench: %s%llu\n", what,
		       (unsigned long long)tsc);
	if (write(fd, line, len) != len)
		die("write /dev/kmsg");
	return tsc;
}

static int mark(const char *label)
{
	char what[128];
	uint64_t tsc;
	int fd;

	snprintf(what, sizeof(what), "mark %s tsc=", label);
	fd = kmsg_open();
	tsc = kmsg_tsc(fd, what);
	close(fd);
	printf("tsc_%s=%llu\n", label, (unsigned long long)tsc);
	return 0;
}

/*
 * What kexec -e does, minus starting another program: the TSC is read as
 * late as possible and logged before the reboot syscall.  The kernel log
 * goes to the console synchronously (the bench raises the console
 * loglevel before executing), and the console is all that survives the
 * jump; a write to the tty could still sit in its buffer.
 */
static int kexec_exec(void)
{
	int fd;

	fd = kmsg_open();
	sync();
	kmsg_tsc(fd, "tsc_exec=");
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		LINUX_REBOOT_CMD_KEXEC, NULL);
	die("reboot(LINUX_REBOOT_CMD_KEXEC)");
	return 1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "gen"))
		return gen(argv[2], argv[3], atol(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "limits"))
		return limits(strtoul(argv[2], NULL, 0), atof(argv[3]));
	if (argc == 2 && !strcmp(argv[1], "rdtsc"))
		return printf("%llu\n", (unsigned long long)rdtsc()) < 0;
	if (argc == 3 && !strcmp(argv[1], "mark"))
		return mark(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "read"))
		return read_file(argv[2], atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "calib"))
		return calib(atol(argv[2]));
	if (argc == 2 && !strcmp(argv[1], "exec"))
		return kexec_exec();
	fprintf(stderr, "usage: bench-tool gen DIR PREFIX N | limits BYTES SECONDS | rdtsc | mark LABEL | read FILE N | calib N | exec\n");
	return 2;
}
