// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel backend of the supernode: the XDP relay forwards plaintext
 * PACKETs between registered edges without waking the daemon, and hands
 * everything else for the daemon to its AF_XDP sockets (xsk.c), or, when
 * those cannot be bound, lets it climb the stack to the UDP socket, which
 * is always open and sends every reply. The registry is mirrored into the
 * relay's maps (dp_relay.c, over xdp_relay_mirror.c).
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "common/compiler.h"
#include "common/log.h"
#include "dp_kernel.h"
#include "dp_relay.h"
#include "xdp_relay_loader.h"
#include "xsk.h"

/* The loader's XRL_MAX_IFS: AF_XDP binds every one of them. */
#define KERNEL_MAX_IFS N2NK_RELAY_MAX_IFS

/*
 * The AF_XDP slow path of the one kernel datapath a supernode opens.
 * struct datapath (datapath.h) has no field for it, so it lives here,
 * tagged with its datapath; so does the longer `why` it makes.
 */
static struct {
	const struct datapath *dp;
	struct xsk_rx *xsk;
	char why[1024];
} slow;

/* "eth0" or "eth0, eth1": where the relay runs, for the messages. */
static void if_names(const int *ifs, int n, char *out, size_t len)
{
	char name[IF_NAMESIZE];
	size_t used = 0;
	int i;

	out[0] = 0;
	for (i = 0; i < n && i < KERNEL_MAX_IFS && used < len; i++) {
		if (!if_indextoname((unsigned int)ifs[i], name))
			snprintf(name, sizeof(name), "#%d", ifs[i]);
		used += (size_t)snprintf(out + used, len - used, "%s%s",
					 i ? ", " : "", name);
	}
}

static int xsk_open(struct datapath *dp, struct evloop *loop, const int *ifs,
		    int n_ifs, struct xsk_rx **out, char *msg, size_t len)
{
	const struct sockaddr_in *in = (const void *)&dp->cfg.bind;
	struct xsk_rx_cfg cfg = {
		.match = { .addr = in->sin_addr,
			   .port = htons(dp->bound_port),
			   .hw_only = xdp_relay_loader_hw_only(dp->relay) },
		.ifindexes = ifs,
		.n_ifs = n_ifs,
		.xsks_map_fd = xdp_relay_loader_xsks_fd(dp->relay),
		.on_udp = dp->cfg.on_udp,
		.ctx = dp->cfg.ctx,
	};
	int err;

	err = xsk_rx_open(out, &cfg, msg, len);
	if (err)
		return err;
	err = evloop_add(loop, xsk_rx_fd(*out), xsk_rx_readable, *out);
	if (err) {
		xsk_rx_close(*out);
		snprintf(msg, len, "adding AF_XDP to the event loop: %s",
			 strerror(-err));
	}
	return err;
}

/* AF_XDP if it binds, else the UDP socket; msg says which and why. */
static void slow_path_open(struct datapath *dp, struct evloop *loop, char *msg,
			   size_t len)
{
	int ifs[KERNEL_MAX_IFS], n;
	struct xsk_rx *x = NULL;
	char why[256], names[128];

	n = xdp_relay_loader_ifindexes(dp->relay, ifs, KERNEL_MAX_IFS);
	if (xsk_open(dp, loop, ifs, n, &x, why, sizeof(why))) {
		if_names(ifs, n, names, sizeof(names));
		snprintf(msg, len,
			 "AF_XDP unavailable on %s: %s; slow path over the "
			 "UDP socket",
			 names, why);
		log_warn("%s", msg);
		return;
	}
	slow.dp = dp;
	slow.xsk = x;
	snprintf(msg, len, "slow path over AF_XDP on %s", xsk_rx_where(x));
}

static void slow_path_close(struct datapath *dp, struct evloop *loop)
{
	if (slow.dp != dp || !slow.xsk)
		return;
	evloop_del(loop, xsk_rx_fd(slow.xsk));
	/* The kernel takes closed sockets out of the map: XDP_PASS again. */
	xsk_rx_close(slow.xsk);
	slow.xsk = NULL;
	slow.dp = NULL;
}

/* dp->why on entry says how the kernel backend was chosen. */
static int kernel_open(struct datapath *dp, struct evloop *loop)
{
	struct xdp_relay_why why;
	char msg[320];
	int err = datapath_socket_ops.open(dp, loop);

	if (err)
		return err;
	err = xdp_relay_loader_open(&dp->relay, &dp->cfg.bind, dp->bound_port,
				    dp->cfg.xdp_mode, &why);
	if (err) {
		dp->relay = NULL;
		datapath_socket_ops.close(dp, loop);
		return datapath_relay_err(dp, err, &why);
	}
	slow_path_open(dp, loop, msg, sizeof(msg));
	snprintf(slow.why, sizeof(slow.why), "%s; XDP relay on %s; %s", dp->why,
		 xdp_relay_loader_where(dp->relay), msg);
	dp->why = slow.why;
	return 0;
}

static int kernel_send_udp(struct datapath *dp,
			   const struct sockaddr_storage *to,
			   const uint8_t *buf, size_t len)
{
	return datapath_socket_ops.send_udp(dp, to, buf, len);
}

static int kernel_send_tap(struct datapath *dp __maybe_unused,
			   const uint8_t *frame __maybe_unused,
			   size_t len __maybe_unused)
{
	return -EOPNOTSUPP; /* a supernode has no TAP */
}

static void kernel_close(struct datapath *dp, struct evloop *loop)
{
	slow_path_close(dp, loop);
	xdp_relay_loader_close(dp->relay);
	dp->relay = NULL;
	datapath_socket_ops.close(dp, loop);
}

const struct datapath_ops datapath_kernel_ops = {
	.name = "kernel",
	.open = kernel_open,
	.send_udp = kernel_send_udp,
	.send_tap = kernel_send_tap,
	.close = kernel_close,
};

bool dp_kernel_xsk_stats(const struct datapath *dp, struct xsk_rx_stats *out)
{
	if (slow.dp != dp || !slow.xsk)
		return false;
	xsk_rx_stats(slow.xsk, out);
	return true;
}
