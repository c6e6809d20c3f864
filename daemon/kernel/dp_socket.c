// SPDX-License-Identifier: GPL-2.0-only
/*
 * The socket backend: one UDP socket and (for an edge) the TAP fd, both
 * read until EAGAIN on each wake-up. Complete n2n without BPF.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

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

static int bind_udp(struct datapath *dp)
{
	struct sockaddr_storage *b = &dp->cfg.bind;
	socklen_t len = b->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
						 : sizeof(struct sockaddr_in);
	int fd = socket(b->ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			0);

	if (fd < 0)
		return -errno;
	grow_rcvbuf(fd);
	if (bind(fd, (struct sockaddr *)b, len) < 0 ||
	    getsockname(fd, (struct sockaddr *)b, &len) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	dp->udp_fd = fd;
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

	if (sendto(dp->udp_fd, buf, len, 0, (const struct sockaddr *)to, tl) <
	    0)
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
