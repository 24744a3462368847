// SPDX-License-Identifier: GPL-2.0
/*
 * kexec: the subset of kexec-tools that the rig's steps use, on
 * kexec_file_load(2) alone, for the guests that Debian's kexec-tools does
 * not serve (on arm64 it pulls in the Xen libraries). The messages are
 * kexec-tools' where the steps read them: "kexec_file_load failed: <errno
 * text>" and the errno text of a refused reboot.
 *
 *   kexec -s -l IMAGE [--initrd=FILE] [--append=ARGS | --command-line=ARGS |
 *         --reuse-cmdline]        load IMAGE to run at kexec -e
 *   kexec -s -p IMAGE ...         load IMAGE as the crash kernel
 *   kexec -s -u [-p]              unload it
 *   kexec -e                      sync, then jump into the loaded image
 *
 * -s is required: there is no kexec_load(2) here, and a step that means
 * it must not silently test the other system call.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kexec.h>
#include <linux/reboot.h>

static void usage(void)
{
	fprintf(stderr,
		"usage: kexec -s -l|-p IMAGE [--initrd=FILE] [--append=ARGS | --command-line=ARGS | --reuse-cmdline]\n"
		"       kexec -s -u [-p]\n"
		"       kexec -e\n");
	exit(2);
}

static int open_or_die(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "kexec: cannot open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

/* /proc/cmdline without its newline, as kexec-tools' --reuse-cmdline. */
static char *current_cmdline(void)
{
	static char buf[4096];
	FILE *f = fopen("/proc/cmdline", "r");
	size_t n;

	if (!f || !fgets(buf, sizeof(buf), f)) {
		fprintf(stderr, "kexec: cannot read /proc/cmdline\n");
		exit(1);
	}
	fclose(f);
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return buf;
}

static const char *opt_value(const char *arg, const char *name, char **argv, int *i)
{
	size_t n = strlen(name);

	if (strncmp(arg, name, n))
		return NULL;
	if (arg[n] == '=')
		return arg + n + 1;
	if (arg[n] == '\0' && argv[*i + 1])
		return argv[++*i];
	return NULL;
}

int main(int argc, char **argv)
{
	const char *image = NULL, *initrd = NULL, *cmdline = "", *v;
	unsigned long flags = 0;
	int file = 0, load = 0, unload = 0, exec = 0, i;
	int kernel_fd, initrd_fd = -1;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-s")) {
			file = 1;
		} else if (!strcmp(a, "-l") || !strcmp(a, "-p")) {
			if (a[1] == 'p')
				flags |= KEXEC_FILE_ON_CRASH;
			if (!unload) {
				if (!argv[i + 1])
					usage();
				image = argv[++i];
				load = 1;
			}
		} else if (!strcmp(a, "-u")) {
			unload = 1;
			load = 0;
		} else if (!strcmp(a, "-e")) {
			exec = 1;
		} else if ((v = opt_value(a, "--initrd", argv, &i))) {
			initrd = v;
		} else if ((v = opt_value(a, "--append", argv, &i)) ||
			   (v = opt_value(a, "--command-line", argv, &i))) {
			cmdline = v;
		} else if (!strcmp(a, "--reuse-cmdline")) {
			cmdline = current_cmdline();
		} else {
			usage();
		}
	}
	if (load + unload + exec != 1)
		usage();
	if ((load || unload) && !file) {
		fprintf(stderr, "kexec: kexec_load(2) is not supported here; use -s (kexec_file_load)\n");
		return 1;
	}

	if (exec) {
		sync();
		syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
			LINUX_REBOOT_CMD_KEXEC, NULL);
		/* Only a refused kexec returns. */
		fprintf(stderr, "kexec: %s\n", strerror(errno));
		return 1;
	}
	if (unload) {
		if (syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL,
			    flags | KEXEC_FILE_UNLOAD)) {
			fprintf(stderr, "kexec_file_load(unload) failed: %s\n",
				strerror(errno));
			return 1;
		}
		return 0;
	}

	kernel_fd = open_or_die(image);
	if (initrd)
		initrd_fd = open_or_die(initrd);
	else
		flags |= KEXEC_FILE_NO_INITRAMFS;
	/* The length counts the terminating NUL, as the syscall wants. */
	if (syscall(SYS_kexec_file_load, kernel_fd, initrd_fd,
		    strlen(cmdline) + 1, cmdline, flags)) {
		fprintf(stderr, "kexec_file_load failed: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
