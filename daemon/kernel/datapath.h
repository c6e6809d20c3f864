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
struct edge_loader;
struct edge_loader_cfg;
struct xdp_relay_loader;

/* What a role gives its backend: where to listen and whom to call back. */
struct datapath_cfg {
	struct sockaddr_storage bind; /* UDP address and port */
	/* bind is IPv4's any address: listen on [::] for IPv6 and IPv4 alike
	 * (IPV6_V6ONLY off) where the host has IPv6, else on bind. bind
	 * stays the IPv4 view, for what is IPv4 only (the kernel paths). */
	bool dual_stack;
	int tap_fd;	/* edge: the TAP device, else -1 */
	bool xdp_relay; /* supernode: kernel = sockets + relay */
	enum datapath_xdp_mode xdp_mode;
	bool edge_need_fast_aes; /* -A3 in the kernel only with a kernel
				  * AES faster than OpenSSL's (auto) */
	/* Edge: what its kernel path needs (kernel/edge_loader.h), or NULL
	 * with the reason it cannot have one in edge_kernel_why. */
	const struct edge_loader_cfg *edge_kernel;
	const char *edge_kernel_why;
	void (*on_udp)(void *ctx, const struct sockaddr_storage *from,
		       uint8_t *buf, size_t len);
	void (*on_tap)(void *ctx, uint8_t *frame, size_t len);
	/* The TAP fd failed (-errno): its device was removed. The backend
	 * stops reading it; the role decides what next. */
	void (*on_tap_gone)(void *ctx, int err);
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
	int udp_family;	     /* the socket's: AF_INET6 when dual-stack */
	struct evloop *loop; /* the loop its fds are on, once open */
	uint16_t bound_port; /* the port actually bound */
	const char *why;     /* why this backend was chosen */
	struct xdp_relay_loader *relay; /* kernel backend: the XDP relay */
	struct edge_loader *edge;	/* the edge's kernel backend */
	char why_buf[768];		/* room for why */
	char err_buf[256];		/* the last failure's reason, or "" */
};

extern const struct datapath_ops datapath_socket_ops;
/* dp_kernel.c: the socket backend plus the XDP relay (supernode only). */
extern const struct datapath_ops datapath_kernel_ops;
/* dp_edge.c: the socket backend plus the edge's TC data path. */
extern const struct datapath_ops datapath_edge_kernel_ops;

/*
 * Picks and opens a backend for `want`. kernel is the role's kernel path
 * over sockets (the supernode's XDP relay, cfg->xdp_relay; the edge's TC
 * path, cfg->edge_kernel), or -EOPNOTSUPP with the reason in err_buf;
 * auto takes it when it loads and sockets otherwise, saying why in dp->why.
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

/*
 * Where a role listens, from -p: family AF_INET with an IPv4 address (addr
 * in network order), AF_INET6 with an IPv6 one (that family only), or
 * AF_UNSPEC (no address given): dual-stack where the host has IPv6.
 */
void datapath_bind_set(struct datapath_cfg *dc, int family, const void *addr,
		       uint16_t port);
/* Whether the open socket can send to family (true before it opens). */
bool datapath_reaches(const struct datapath *dp, int family);
/* "IPv4", "IPv6" or "IPv6 and IPv4": what the open socket takes. */
const char *datapath_families(const struct datapath *dp);

/* What to tell the user when datapath_open(dp, ...) failed with err. */
const char *datapath_open_error(const struct datapath *dp, int err);

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
/* The edge's kernel path pins into a directory uid and gid own now. */
int datapath_edge_give_pins(struct datapath *dp, uid_t uid, gid_t gid);
/* Drops the kernel relay's entries whose registration ran out. */
void datapath_relay_sweep(struct datapath *dp);
/* Without IPv4 forwarding: the kernel relay's next hops refreshed from
 * the route and neighbour tables, a bounded share each call; every
 * second. */
void datapath_relay_hops_tick(struct datapath *dp);
struct he_keys;
/* A -H community relayed in the kernel with these (static) keys. */
int datapath_relay_he_set(struct datapath *dp, const char *community,
			  const struct he_keys *keys);
/* The community relayed in the kernel as plaintext (no -H keys). */
int datapath_relay_he_del(struct datapath *dp, const char *community);
/* The edge's kernel replay record at least stamp (the daemon's). */
int datapath_relay_he_stamp(struct datapath *dp, const char *community,
			    const uint8_t *mac, uint64_t stamp);
/* The kernel's -H clock, again where the UTC - TAI offset changed. */
void datapath_relay_he_clock(struct datapath *dp);
/* Drops the kernel's -H keys of communities keep() refuses. */
int datapath_relay_he_prune(struct datapath *dp,
			    bool (*keep)(const char *community, void *arg),
			    void *arg, unsigned int *pruned);

/*
 * The edge's kernel path (dp_edge.c; no-ops returning 0 without it): the
 * current supernode, our overlay address, and each peer's path as the
 * daemon sees it. On failure a reason for the log in dp->err_buf.
 */
enum datapath_edge_path {
	DP_EDGE_NONE,  /* the daemon handles its frames */
	DP_EDGE_P2P,   /* straight to sa */
	DP_EDGE_RELAY, /* through the supernode */
};
/* 1: the supernode or the route to it changed; 0: as it was; -errno. */
int datapath_edge_set_sn(struct datapath *dp,
			 const struct sockaddr_storage *sn);
int datapath_edge_set_ip(struct datapath *dp, uint32_t ip);
int datapath_edge_peer(struct datapath *dp, const uint8_t *mac,
		       enum datapath_edge_path path,
		       const struct sockaddr_storage *sa);
/* -H: the kernel's replay record for a sender (mac; NULL: the supernode)
 * taken at least to last, the daemon's, so that what the daemon already
 * took cannot be replayed through the kernel. */
int datapath_edge_stamp_seed(struct datapath *dp, const uint8_t *mac,
			     uint64_t last);
/* Whether the edge has its kernel path. */
static inline bool datapath_edge_kernel(const struct datapath *dp)
{
	return dp->edge != NULL;
}

#endif /* N2NK_DATAPATH_H */
