// SPDX-License-Identifier: GPL-2.0-only
/* Fork first, detach once set up: see daemonize.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/daemonize.h"

static int ready_fd = -1; /* the child's end of the pipe to its parent */

static void parent_waits(int fd)
{
	char st = 1;
	ssize_t n;

	while ((n = read(fd, &st, 1)) < 0 && errno == EINTR)
		;
	_exit(n == 1 ? st : 1); /* EOF: the child failed, and said so */
}

int daemonize_start(void)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		int err = -errno;

		close(p[0]);
		close(p[1]);
		return err;
	}
	if (pid > 0) {
		close(p[1]);
		parent_waits(p[0]);
	}
	close(p[0]);
	ready_fd = p[1];
	if (setsid() < 0)
		return -errno;
	return 0;
}

void daemonize_ready(void)
{
	int fd;

	if (ready_fd < 0)
		return;
	if (chdir("/")) {
		/* as daemon(3): ignored */
	}
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	if (write(ready_fd, "", 1) != 1) {
		/* the parent is gone: nobody to tell */
	}
	close(ready_fd);
	ready_fd = -1;
}
