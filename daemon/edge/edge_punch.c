// SPDX-License-Identifier: GPL-2.0-only
/*
 * n2n's -L (registration TTL) for the first punch of a burst, and the
 * punch counters.
 *
 * A burst (edge_peer.c) starts on the supernode's two coordinated triggers;
 * its first direct REGISTER is the one that may reach the far NAT before
 * that NAT's host has sent to us. A NAT without an input firewall (a bare
 * Linux router) then confirms a conntrack entry for it and moves its host's
 * later mapping to another port: the port clash, which punching never
 * recovers from. -L n > 1 sends that first REGISTER with IP TTL n: it opens
 * our own NAT layers (n - 1 of them) and dies at the next router, so it
 * never reaches the far NAT; the peer's punches then come in as replies,
 * and our next punches (1 s on, normal TTL) find its NAT opened the same
 * way. -L 1 skips it: the host is reachable as it is (a DMZ host), the
 * peer's punch comes first. n2n applies -L only when a relayed datagram
 * introduces a peer (register_with_new_peer, where it also sends 16 ports
 * p..p+15 for port prediction); here it applies to the first punch of
 * every burst, whichever trigger started it, and to the named port only.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "common/log.h"
#include "edge.h"

/* Sets the unicast TTL (hop limit) of the edge's UDP socket; -1 is the
 * system's default. Both families on a dual-stack socket: IPv4 peers go
 * out of it as mapped addresses, which take IP_TTL. */
static int set_ttl(struct edge *e, int ttl)
{
	int fd = e->dp.udp_fd;

	if (fd < 0)
		return -EBADF;
	if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) < 0)
		return -errno;
	if (e->dp.udp_family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl)) <
		    0)
		return -errno;
	return 0;
}

bool edge_punch_first_begin(struct edge *e)
{
	unsigned int ttl = e->register_ttl;
	int err;

	if (ttl == 1) {
		e->stats.punch_skipped++;
		return false;
	}
	err = ttl > 1 ? set_ttl(e, (int)ttl) : 0;
	if (err < 0) {
		if (!e->punch_ttl_said)
			log_warn("-L %u: cannot set the socket's TTL (%s), "
				 "punching with the default",
				 ttl, strerror(-err));
		e->punch_ttl_said = true;
		return true;
	}
	e->punch_ttl_on = ttl > 1;
	return true;
}

void edge_punch_first_end(struct edge *e)
{
	if (!e->punch_ttl_on)
		return;
	e->punch_ttl_on = false;
	if (set_ttl(e, -1) < 0)
		log_warn("-L: cannot restore the socket's TTL");
}

/* With -L, the second trigger of a burst (PEER_INFO and the peer's relayed
 * REGISTER both come) punches at normal TTL only after this long: by then
 * the peer's own first punch has opened its NAT. */
#define PUNCH_HOLD_MS 1000

bool edge_punch_hold(const struct edge *e, uint64_t burst_ms, uint64_t now)
{
	return e->register_ttl && now - burst_ms < PUNCH_HOLD_MS;
}

void edge_punch_sent(struct edge *e)
{
	e->stats.punch_tx++;
	if (e->punch_ttl_on)
		e->stats.punch_ttl_tx++;
}
