// SPDX-License-Identifier: GPL-2.0-only
/*
 * -T and -D on the edge's UDP socket, as n2n 3.1.1 (src/edge_utils.c:
 * edge_init_sockets) sets them: IP_TOS when -T gives a non-zero TOS, and
 * IP_MTU_DISCOVER always: IP_PMTUDISC_DO with -D (DF set, the kernel
 * learns the path MTU and refuses larger datagrams), else
 * IP_PMTUDISC_DONT (DF clear, routers fragment). On a dual-stack socket
 * the IPv6 counterparts too (IPV6_TCLASS, IPV6_MTU_DISCOVER). A failure is
 * logged, not fatal, as in n2n. The kernel path puts the same TOS and DF
 * on the packets it builds (n2nk_edge_conf.tos, .df).
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "common/log.h"
#include "conf/conf.h"
#include "edge.h"

static void set_int(int fd, int level, int name, int v, const char *what)
{
	if (setsockopt(fd, level, name, &v, sizeof(v)))
		log_warn("could not set %s to %d: %s", what, v,
			 strerror(errno));
}

void edge_sockopts(struct edge *e, int fd, int family)
{
	const struct edge_conf *c = e->conf;
	int disc = c->pmtu_discovery ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT;

	if (fd < 0)
		return;
	if (c->tos_set && c->tos) {
		set_int(fd, IPPROTO_IP, IP_TOS, c->tos, "IP_TOS (-T)");
		if (family == AF_INET6)
			set_int(fd, IPPROTO_IPV6, IPV6_TCLASS, c->tos,
				"IPV6_TCLASS (-T)");
	}
	set_int(fd, IPPROTO_IP, IP_MTU_DISCOVER, disc, "IP_MTU_DISCOVER (-D)");
	if (family == AF_INET6)
		set_int(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER,
			c->pmtu_discovery ? IPV6_PMTUDISC_DO
					  : IPV6_PMTUDISC_DONT,
			"IPV6_MTU_DISCOVER (-D)");
	log_debug("socket: TOS 0x%02x, PMTU discovery %s",
		  c->tos_set ? c->tos : 0, c->pmtu_discovery ? "on" : "off");
}
