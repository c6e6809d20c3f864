// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which backend a daemon gets: what the user asked for (--datapath), what
 * its role can use and what this host allows, and why, for the log and
 * n2nctl.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "datapath.h"
#include "xdp_relay_loader.h"

static void datapath_reset(struct datapath *dp, const struct datapath_cfg *cfg)
{
	memset(dp, 0, sizeof(*dp));
	dp->cfg = *cfg;
	dp->udp_fd = -1;
}

/*
 * A supernode on sockets must not leave a relay pinned by an earlier
 * kernel-datapath run of the same listener forwarding with a registry
 * nobody keeps up to date any more: remove it (unless its daemon runs).
 */
static void drop_stale_relay(const struct datapath_cfg *cfg)
{
	const struct sockaddr_in *in = (const void *)&cfg->bind;
	char dir[256];
	int n;

	if (!cfg->xdp_relay || cfg->bind.ss_family != AF_INET)
		return;
	n = xdp_relay_loader_unload(&cfg->bind, ntohs(in->sin_port), dir,
				    sizeof(dir));
	if (n > 0)
		log_notice("removed the XDP relay an earlier kernel-datapath "
			   "run left pinned in %s",
			   dir);
}

static int open_sockets_because(struct datapath *dp,
				const struct datapath_cfg *cfg,
				struct evloop *loop, const char *reason)
{
	datapath_reset(dp, cfg);
	drop_stale_relay(cfg);
	snprintf(dp->why_buf, sizeof(dp->why_buf),
		 "auto: %.220s; using sockets", reason);
	dp->why = dp->why_buf;
	dp->ops = &datapath_socket_ops;
	return dp->ops->open(dp, loop);
}

/*
 * auto for a role that can use the XDP relay: the kernel backend if this
 * host lets us load and attach it (BPF, root, XDP), else sockets. Next
 * hops come from the FIB with IPv4 forwarding, else from the route and
 * neighbour tables the daemon copies (xdp_relay_hops.c). A failed kernel open has closed its
 * socket and detached the program, so the socket backend starts from a
 * clean slate (and the configured bind).
 */
static int open_auto_relay(struct datapath *dp, const struct datapath_cfg *cfg,
			   struct evloop *loop)
{
	char reason[sizeof(dp->err_buf) + 32];
	int err;

	dp->ops = &datapath_kernel_ops;
	dp->why = "auto: the XDP relay loaded";
	err = dp->ops->open(dp, loop);
	if (!err)
		return 0;
	snprintf(reason, sizeof(reason), "XDP relay unavailable (%s)",
		 dp->err_buf[0] ? dp->err_buf : strerror(-err));
	return open_sockets_because(dp, cfg, loop, reason);
}

/*
 * auto for an edge: its TC data path if this community can use it and it
 * loads and attaches, else sockets. A failed kernel open closed its socket
 * and removed what it made, so sockets start from a clean slate.
 */
static int open_auto_edge(struct datapath *dp, const struct datapath_cfg *cfg,
			  struct evloop *loop)
{
	char reason[sizeof(dp->err_buf) + 48];
	int err;

	if (!cfg->edge_kernel)
		return open_sockets_because(dp, cfg, loop,
					    cfg->edge_kernel_why);
	dp->ops = &datapath_edge_kernel_ops;
	dp->why = "auto: the TC data path loaded";
	dp->cfg.edge_need_fast_aes = true;
	err = dp->ops->open(dp, loop);
	if (!err)
		return 0;
	snprintf(reason, sizeof(reason), "kernel path unavailable (%s)",
		 dp->err_buf[0] ? dp->err_buf : strerror(-err));
	return open_sockets_because(dp, cfg, loop, reason);
}

static int open_kernel(struct datapath *dp, const struct datapath_cfg *cfg,
		       struct evloop *loop)
{
	dp->why = "requested with --datapath=kernel";
	if (cfg->xdp_relay) {
		dp->ops = &datapath_kernel_ops;
		return dp->ops->open(dp, loop);
	}
	if (cfg->edge_kernel) {
		dp->ops = &datapath_edge_kernel_ops;
		return dp->ops->open(dp, loop);
	}
	snprintf(dp->err_buf, sizeof(dp->err_buf), "%s",
		 cfg->edge_kernel_why ? cfg->edge_kernel_why
				      : "this role has no kernel datapath");
	return -EOPNOTSUPP;
}

int datapath_open(struct datapath *dp, enum datapath_kind want,
		  const struct datapath_cfg *cfg, struct evloop *loop)
{
	datapath_reset(dp, cfg);
	if (want == DATAPATH_KERNEL)
		return open_kernel(dp, cfg, loop);
	if (want == DATAPATH_AUTO && cfg->xdp_relay)
		return open_auto_relay(dp, cfg, loop);
	if (want == DATAPATH_AUTO && (cfg->edge_kernel || cfg->edge_kernel_why))
		return open_auto_edge(dp, cfg, loop);
	drop_stale_relay(cfg);
	dp->ops = &datapath_socket_ops;
	dp->why = "requested with --datapath=socket";
	return dp->ops->open(dp, loop);
}

void datapath_close(struct datapath *dp, struct evloop *loop)
{
	if (dp->ops)
		dp->ops->close(dp, loop);
}

const char *datapath_open_error(const struct datapath *dp, int err)
{
	if (dp->err_buf[0])
		return dp->err_buf;
	return strerror(-err);
}

const char *datapath_kind_name(enum datapath_kind kind)
{
	static const char *const names[] = { "auto", "kernel", "socket" };

	return (unsigned int)kind < 3 ? names[kind] : "unknown";
}

void datapath_bind_set(struct datapath_cfg *dc, int family, const void *addr,
		       uint16_t port)
{
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&dc->bind;
	struct sockaddr_in *in = (struct sockaddr_in *)&dc->bind;

	memset(&dc->bind, 0, sizeof(dc->bind));
	dc->dual_stack = false;
	if (family == AF_INET6) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		memcpy(&in6->sin6_addr, addr, sizeof(in6->sin6_addr));
		return;
	}
	in->sin_family = AF_INET;
	in->sin_port = htons(port);
	if (family == AF_INET)
		memcpy(&in->sin_addr, addr, sizeof(in->sin_addr));
	else
		dc->dual_stack = true;
}

const char *datapath_families(const struct datapath *dp)
{
	if (dp->udp_family == AF_INET6)
		return dp->cfg.bind.ss_family == AF_INET ? "IPv6 and IPv4"
							 : "IPv6";
	return "IPv4";
}

bool datapath_reaches(const struct datapath *dp, int family)
{
	if (dp->udp_family == AF_INET6 && dp->cfg.bind.ss_family == AF_INET)
		return true; /* dual-stack */
	return !dp->udp_family || dp->udp_family == family;
}
