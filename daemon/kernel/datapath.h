/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The datapath seam: every datagram and every TAP frame the daemon sends or
 * receives goes through one backend. The socket backend (UDP socket + TAP
 * fd) is complete on its own; the kernel backend (dp_kernel.c, supernode
 * only) is the socket backend plus the XDP relay behind the same
 * operations, handing the daemon only what the relay passes up (AF_XDP).
 */
#ifndef N2NK_DATAPATH_H
#define N2NK_DATAPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "common/evloop.h"

enum datapath_kind {
	DATAPATH_AUTO = 0,
	DATAPATH_KERNEL = 1,
	DATAPATH_SOCKET = 2,
};

/* Where an XDP program is attached (--xdp-mode). */
enum datapath_xdp_mode {
	XDP_MODE_AUTO = 0,    /* native, but generic on veth */
	XDP_MODE_NATIVE = 1,  /* driver mode or fail */
	XDP_MODE_GENERIC = 2, /* SKB mode */
};

struct datapath;
struct xdp_relay_loader;

/* What a role gives its backend: where to listen and whom to call back. */
struct datapath_cfg {
	struct sockaddr_storage bind; /* UDP address and port */
	int tap_fd;		      /* edge: the TAP device, else -1 */
	bool xdp_relay;		      /* supernode: kernel = sockets + relay */
	enum datapath_xdp_mode xdp_mode;
	bool xdp_need_fib; /* the relay only with FIB next hops (auto) */
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
	uint16_t bound_port;		/* the port actually bound */
	const char *why;		/* why this backend was chosen */
	struct xdp_relay_loader *relay; /* kernel backend: the XDP relay */
	char why_buf[768];		/* room for why */
	char err_buf[256];		/* the last failure's reason, or "" */
};

extern const struct datapath_ops datapath_socket_ops;
/* dp_kernel.c: the socket backend plus the XDP relay (supernode only). */
extern const struct datapath_ops datapath_kernel_ops;

/*
 * Picks and opens a backend for `want`. kernel is the XDP relay over
 * sockets for a role that asks for it (cfg->xdp_relay), else -EOPNOTSUPP;
 * auto is that backend when the relay can route and load, else sockets,
 * and sockets for a role without the relay (the edge).
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

/* What to tell the user when datapath_open(dp, ...) failed with err. */
const char *datapath_open_error(const struct datapath *dp,
				enum datapath_kind want, int err);

/*
 * The kernel backend's mirror of the registry (no-ops without it): an edge
 * of `community` at IPv4 socket sa, relayed in the kernel for the next
 * valid_ms unless renewed, or gone. On failure, a reason for the log in
 * dp->err_buf.
 */
int datapath_relay_edge_set(struct datapath *dp, const char *community,
			    const uint8_t *mac,
			    const struct sockaddr_storage *sa,
			    uint32_t valid_ms);
int datapath_relay_edge_del(struct datapath *dp, const char *community,
			    const uint8_t *mac);
/* Drops the kernel relay's entries whose registration ran out. */
void datapath_relay_sweep(struct datapath *dp);

#endif /* N2NK_DATAPATH_H */
