// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pin directory taken back at start (review S8 of the units and
 * metrics review): a previous run handed it to the unprivileged user,
 * who could plant a symbolic link to another edge's maps there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "kernel/bpf_pin.h"
#include "test.h"

TEST(bpf_pin_reclaim_takes_the_directory_back)
{
	char dir[] = "/tmp/n2nk-pin-XXXXXX", path[64];
	int saved = log_level, fd, lock;
	struct stat st;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/peers", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600); /* stands for a pin */
	CHECK(fd >= 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/stats", dir);
	CHECK(!symlink("../other-edge/stats", path));
	snprintf(path, sizeof(path), "%s/sub", dir);
	CHECK(!mkdir(path, 0700));
	if (geteuid() == 0)
		CHECK(!chown(dir, 65534, 65534) && !chmod(dir, 0777));
	lock = bpf_pin_lock(dir);
	CHECK(lock >= 0);
	log_level = LOG_LEVEL_ERROR;
	CHECK_EQ(bpf_pin_reclaim(lock, dir), 2);
	log_level = saved;
	snprintf(path, sizeof(path), "%s/peers", dir);
	CHECK(!lstat(path, &st));
	snprintf(path, sizeof(path), "%s/stats", dir);
	CHECK(lstat(path, &st) && errno == ENOENT);
	snprintf(path, sizeof(path), "%s/sub", dir);
	CHECK(lstat(path, &st) && errno == ENOENT);
	CHECK(!stat(dir, &st));
	if (geteuid() == 0)
		CHECK(st.st_uid == 0 && (st.st_mode & 0777) == 0700);
	close(lock);
	snprintf(path, sizeof(path), "%s/peers", dir);
	unlink(path);
	rmdir(dir);
}
