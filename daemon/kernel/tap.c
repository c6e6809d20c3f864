// SPDX-License-Identifier: GPL-2.0-only
/*
 * TAP devices through /dev/net/tun (the only place that ioctl is made).
 * IFF_NO_PI and no IFF_VNET_HDR: each read or write is exactly one frame.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <string.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tap.h"

int tap_open(const char *name, char actual[IFNAMSIZ])
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };
	size_t len = name ? strlen(name) : 0;
	int fd, err;

	if (len >= IFNAMSIZ)
		return -ENAMETOOLONG;
	if (len)
		memcpy(ifr.ifr_name, name, len);
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	/* The kernel fills in the name it used (matters for "" and "%d"). */
	memcpy(actual, ifr.ifr_name, IFNAMSIZ);
	actual[IFNAMSIZ - 1] = '\0';
	return fd;
}

ssize_t tap_read(int fd, uint8_t *buf, size_t cap)
{
	ssize_t n = read(fd, buf, cap);

	return n < 0 ? -errno : n;
}

ssize_t tap_write(int fd, const uint8_t *frame, size_t len)
{
	ssize_t n = write(fd, frame, len);

	return n < 0 ? -errno : n;
}

int tap_is_persistent(int fd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(fd, TUNGETIFF, &ifr) < 0)
		return -errno;
	return !!(ifr.ifr_flags & IFF_PERSIST);
}

int tap_set_persist(int fd, bool on)
{
	return ioctl(fd, TUNSETPERSIST, on ? 1 : 0) < 0 ? -errno : 0;
}

int tap_remove(const char *name)
{
	char actual[IFNAMSIZ];
	struct ifreq ifr;
	int fd, err;

	/* Only a TAP that exists: TUNSETIFF would make one. */
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	err = ioctl(fd, SIOCGIFINDEX, &ifr) < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	fd = tap_open(name, actual);
	if (fd < 0)
		return fd;
	err = tap_set_persist(fd, false);
	close(fd); /* the last fd of a non-persistent TAP: it goes */
	return err;
}
