// SPDX-License-Identifier: GPL-2.0-only
/*
 * The readiness notification (daemon/common/notify.c): nothing at all
 * without $NOTIFY_SOCKET, and with one, the datagrams a Type=notify unit
 * waits for, read here from a socket standing in for the service manager.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/notify.h"
#include "test.h"

TEST(notify_without_socket_is_a_no_op)
{
	unsetenv("NOTIFY_SOCKET");
	CHECK_EQ(notify_ready("edge on edge0"), 0);
	CHECK_EQ(notify_status("starting"), 0);
	CHECK_EQ(notify_stopping(), 0);
}

/* The next datagram on fd, as a string ("" when none within a second). */
static void next_datagram(int fd, char *buf, size_t len)
{
	struct timeval tv = { .tv_sec = 1 };
	ssize_t n;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = recv(fd, buf, len - 1, 0);
	buf[n > 0 ? n : 0] = 0;
}

TEST(notify_reaches_the_service_manager)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[256];
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		TEST_SKIP("no AF_UNIX datagram socket");
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/n2nk-notify-%d",
		 (int)getpid());
	unlink(sa.sun_path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		TEST_SKIP("cannot bind a socket in /tmp");
	}
	setenv("NOTIFY_SOCKET", sa.sun_path, 1);
	CHECK(notify_ready("supernode on port 7654") > 0);
	next_datagram(fd, buf, sizeof(buf));
	CHECK_MSG(!strcmp(buf, "READY=1\nSTATUS=supernode on port 7654"),
		  "got '%s'", buf);
	CHECK(notify_stopping() > 0);
	next_datagram(fd, buf, sizeof(buf));
	CHECK_MSG(!strcmp(buf, "STOPPING=1"), "got '%s'", buf);
	/* WatchdogSec=30s: WATCHDOG=1 every 15 s, for this process only. */
	CHECK_EQ(notify_watchdog_every_ms(), 0);
	setenv("WATCHDOG_USEC", "30000000", 1);
	CHECK_EQ(notify_watchdog_every_ms(), 15000);
	snprintf(buf, sizeof(buf), "%d", (int)getpid() + 1);
	setenv("WATCHDOG_PID", buf, 1);
	CHECK_EQ(notify_watchdog_every_ms(), 0);
	unsetenv("WATCHDOG_PID");
	unsetenv("WATCHDOG_USEC");
	CHECK(notify_watchdog() > 0);
	next_datagram(fd, buf, sizeof(buf));
	CHECK_MSG(!strcmp(buf, "WATCHDOG=1"), "got '%s'", buf);
	unsetenv("NOTIFY_SOCKET");
	unlink(sa.sun_path);
	close(fd);
}
