// SPDX-License-Identifier: GPL-2.0-only
/* Device features through the legacy ethtool ioctls (SIOCETHTOOL). */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "ethtool.h"

static int set_value(int fd, const char *ifname, __u32 cmd)
{
	struct ethtool_value v = { .cmd = cmd, .data = 0 };
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)&v;
	return ioctl(fd, SIOCETHTOOL, &ifr) < 0 ? -errno : 0;
}

int ethtool_offloads_off(const char *ifname)
{
	/* GSO and TSO first: they depend on scatter-gather and checksums. */
	static const __u32 cmds[] = { ETHTOOL_SGSO, ETHTOOL_STSO, ETHTOOL_SSG,
				      ETHTOOL_STXCSUM };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;
	size_t i;

	if (fd < 0)
		return -errno;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]) && !err; i++)
		err = set_value(fd, ifname, cmds[i]);
	close(fd);
	return err;
}
