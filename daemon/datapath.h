/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The datapath seam: every datagram and every TAP frame the daemon sends or
 * receives goes through one backend. The socket backend (UDP socket + TAP
 * fd) is complete on its own; the kernel backend (XDP/TC + AF_XDP) will
 * plug in behind the same operations and hand the daemon only the slow path.
 */
#ifndef N2NK_DATAPATH_H
#define N2NK_DATAPATH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "evloop.h"

enum datapath_kind {
	DATAPATH_AUTO = 0,
	DATAPATH_KERNEL = 1,
	DATAPATH_SOCKET = 2,
};

struct datapath;

/* What a role gives its backend: where to listen and whom to call back. */
struct datapath_cfg {
	struct sockaddr_storage bind; /* UDP address and port */
	int tap_fd;		      /* edge: the TAP device, else -1 */
	void (*on_udp)(void *ctx, const struct sockaddr_storage *from,
		       uint8_t *buf, size_t len);
	void (*on_tap)(void *ctx, uint8_t *frame, size_t len);
	void *ctx;
};

struct datapath_ops {
	const char *name;
	int (*open)(struct datapath *dp, struct evloop *loop)
		__attribute__((warn_unused_result));
	int (*send_udp)(struct datapath *dp, const struct sockaddr_storage *to,
			const uint8_t *buf, size_t len);
	int (*send_tap)(struct datapath *dp, const uint8_t *frame, size_t len);
	void (*close)(struct datapath *dp, struct evloop *loop);
};

struct datapath {
	const struct datapath_ops *ops;
	struct datapath_cfg cfg;
	int udp_fd;
	uint16_t bound_port; /* the port actually bound */
	const char *why;     /* why this backend was chosen */
};

extern const struct datapath_ops datapath_socket_ops;

/*
 * Picks and opens a backend for `want`: only the socket backend exists so
 * far, so kernel fails with -EOPNOTSUPP and auto falls back, saying why.
 */
int datapath_open(struct datapath *dp, enum datapath_kind want,
		  const struct datapath_cfg *cfg, struct evloop *loop)
	__attribute__((warn_unused_result));
void datapath_close(struct datapath *dp, struct evloop *loop);

static inline int datapath_send_udp(struct datapath *dp,
				    const struct sockaddr_storage *to,
				    const uint8_t *buf, size_t len)
{
	return dp->ops->send_udp(dp, to, buf, len);
}

static inline int datapath_send_tap(struct datapath *dp, const uint8_t *frame,
				    size_t len)
{
	return dp->ops->send_tap(dp, frame, len);
}

const char *datapath_kind_name(enum datapath_kind kind);

/* What to tell the user when datapath_open() failed with err. */
const char *datapath_open_error(enum datapath_kind want, int err);

#endif /* N2NK_DATAPATH_H */
