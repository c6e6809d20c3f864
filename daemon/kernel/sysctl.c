// SPDX-License-Identifier: GPL-2.0-only
/* Boolean /proc/sys settings (sysctl.h). */
#include <fcntl.h>
#include <unistd.h>

#include "sysctl.h"

bool sysctl_is_on(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char v = '0';

	if (fd < 0)
		return false;
	if (read(fd, &v, 1) != 1)
		v = '0';
	close(fd);
	return v == '1';
}
