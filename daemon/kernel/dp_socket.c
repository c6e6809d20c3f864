// SPDX-License-Identifier: GPL-2.0-only
/*
 * The socket backend: one UDP socket and (for an edge) the TAP fd, both
 * read until EAGAIN on each wake-up. Complete n2n without BPF.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "common/sockaddr.h"
#include "datapath.h"
#include "n2n_wire_defs.h"

/* One more than the largest datagram we accept, to notice truncation. */
#define DP_RX_BUF (N2N_PKT_BUF_SIZE + 1)

static void sock_readable(void *arg)
{
	struct datapath *dp = arg;
	uint8_t buf[DP_RX_BUF];
	int i;

	for (i = 0; i < 64; i++) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(dp->udp_fd, buf, sizeof(buf), MSG_TRUNC,
				     (struct sockaddr *)&from, &fl);

		if (n < 0)
			return;
		/* A dual-stack socket's IPv4 peers: plain IPv4 from here on. */
		sockaddr_unmap(&from);
		/* Oversized datagrams are passed with their true length so the
		 * role counts and drops them; never a silent truncation. */
		dp->cfg.on_udp(dp->cfg.ctx, &from, buf, (size_t)n);
	}
}

/*
 * A TAP whose device was removed (ip link del) stays readable for ever
 * (EPOLLERR) and every read fails with EBADFD: tell the role once and
 * stop reading it, or the loop spins.
 */
static void tap_failed(struct datapath *dp, int err)
{
	if (dp->loop)
		evloop_del(dp->loop, dp->cfg.tap_fd);
	if (dp->cfg.on_tap_gone)
		dp->cfg.on_tap_gone(dp->cfg.ctx, err);
}

static void tap_readable(void *arg)
{
	struct datapath *dp = arg;
	uint8_t frame[N2N_PKT_BUF_SIZE];
	int i;

	for (i = 0; i < 64; i++) {
		ssize_t n = read(dp->cfg.tap_fd, frame, sizeof(frame));

		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			tap_failed(dp, -errno);
			return;
		}
		if (n <= 0)
			return;
		dp->cfg.on_tap(dp->cfg.ctx, frame, (size_t)n);
	}
}

/* Room for a burst (thousands of edges registering at once after a
 * supernode restart): 4 MiB, beyond net.core.rmem_max while set-up still
 * holds CAP_NET_ADMIN; else what rmem_max allows. Not fatal. */
#define DP_SOCKET_RCVBUF (4 << 20)

static void grow_rcvbuf(int fd)
{
	int size = DP_SOCKET_RCVBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

static int bind_fd(int family, const struct sockaddr_storage *b, bool v6only,
		   struct sockaddr_storage *got)
{
	socklen_t len = family == AF_INET6 ? sizeof(struct sockaddr_in6)
					   : sizeof(struct sockaddr_in);
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int only = v6only, err;

	if (fd < 0)
		return -errno;
	grow_rcvbuf(fd);
	*got = *b;
	if ((family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof(only))) ||
	    bind(fd, (const struct sockaddr *)b, len) < 0 ||
	    getsockname(fd, (struct sockaddr *)got, &len) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* [::] with IPV6_V6ONLY off on the IPv4 view's port; -EAFNOSUPPORT when
 * this host has no IPv6 (then IPv4 alone, as n2n). */
static int bind_dual(struct datapath *dp)
{
	struct sockaddr_storage any6 = { .ss_family = AF_INET6 }, got;
	const struct sockaddr_in *in = (const void *)&dp->cfg.bind;
	int fd;

	((struct sockaddr_in6 *)&any6)->sin6_port = in->sin_port;
	fd = bind_fd(AF_INET6, &any6, false, &got);
	if (fd < 0)
		return fd;
	/* n2n's port 0: whatever the kernel picked, IPv4 view included. */
	((struct sockaddr_in *)&dp->cfg.bind)->sin_port =
		((struct sockaddr_in6 *)&got)->sin6_port;
	dp->udp_fd = fd;
	dp->udp_family = AF_INET6;
	dp->bound_port = ntohs(((struct sockaddr_in6 *)&got)->sin6_port);
	return 0;
}

static int bind_udp(struct datapath *dp)
{
	struct sockaddr_storage *b = &dp->cfg.bind, got;
	int fd, err;

	if (dp->cfg.dual_stack && b->ss_family == AF_INET) {
		err = bind_dual(dp);
		if (!err || (err != -EAFNOSUPPORT && err != -EADDRNOTAVAIL))
			return err;
	}
	/* A given IPv6 address ([::] too) is IPv6 only, as asked. */
	fd = bind_fd(b->ss_family, b, true, &got);
	if (fd < 0)
		return fd;
	*b = got;
	dp->udp_fd = fd;
	dp->udp_family = b->ss_family;
	dp->bound_port = ntohs(b->ss_family == AF_INET6
				       ? ((struct sockaddr_in6 *)b)->sin6_port
				       : ((struct sockaddr_in *)b)->sin_port);
	return 0;
}

static int socket_open(struct datapath *dp, struct evloop *loop)
{
	int err = bind_udp(dp);

	if (err)
		return err;
	dp->loop = loop;
	err = evloop_add(loop, dp->udp_fd, sock_readable, dp);
	if (!err && dp->cfg.tap_fd >= 0)
		err = evloop_add(loop, dp->cfg.tap_fd, tap_readable, dp);
	if (err) {
		evloop_del(loop, dp->udp_fd);
		close(dp->udp_fd);
		dp->udp_fd = -1;
	}
	return err;
}

static int socket_send_udp(struct datapath *dp,
			   const struct sockaddr_storage *to,
			   const uint8_t *buf, size_t len)
{
	socklen_t tl = to->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
						 : sizeof(struct sockaddr_in);
	const struct sockaddr *dst = (const struct sockaddr *)to;
	struct sockaddr_in6 mapped;

	if (to->ss_family == AF_INET6 && dp->udp_family == AF_INET)
		return -EAFNOSUPPORT; /* an IPv4 socket: IPv6 peers relayed */
	if (to->ss_family == AF_INET && dp->udp_family == AF_INET6) {
		sockaddr_map(&mapped, (const struct sockaddr_in *)to);
		dst = (const struct sockaddr *)&mapped;
		tl = sizeof(mapped);
	}
	if (sendto(dp->udp_fd, buf, len, 0, dst, tl) < 0)
		return -errno;
	return 0;
}

static int socket_send_tap(struct datapath *dp, const uint8_t *frame,
			   size_t len)
{
	if (dp->cfg.tap_fd < 0)
		return -EBADF;
	if (write(dp->cfg.tap_fd, frame, len) < 0)
		return -errno;
	return 0;
}

static void socket_close(struct datapath *dp, struct evloop *loop)
{
	if (dp->udp_fd >= 0) {
		evloop_del(loop, dp->udp_fd);
		close(dp->udp_fd);
	}
	if (dp->cfg.tap_fd >= 0)
		evloop_del(loop, dp->cfg.tap_fd);
	dp->udp_fd = -1;
}

const struct datapath_ops datapath_socket_ops = {
	.name = "socket",
	.open = socket_open,
	.send_udp = socket_send_udp,
	.send_tap = socket_send_tap,
	.close = socket_close,
};
