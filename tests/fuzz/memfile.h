/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * For the fuzz targets of readers that take a path (config files, the
 * community list): the input goes into an in-memory file, named by its
 * /proc/self/fd path, so the reader's own fopen() runs unchanged.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* The path of a file holding exactly these bytes (one file, reused). */
static const char *memfile(const uint8_t *data, size_t size)
{
	static char path[64];
	static int fd = -1;

	if (fd < 0) {
		fd = memfd_create("fuzz-input", MFD_CLOEXEC);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) ||
	    (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	return path;
}
