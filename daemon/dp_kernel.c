// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel backend of the supernode: the socket backend for everything
 * the XDP relay passes up (XDP_PASS reaches the UDP socket as usual), plus
 * the relay itself, which forwards plaintext PACKETs between registered
 * edges without waking the daemon. The registry is mirrored into its maps.
 */
#include <errno.h>
#include <stdio.h>

#include "datapath.h"
#include "log.h"
#include "xdp_relay_loader.h"

static int keep_err(struct datapath *dp, int err,
		    const struct xdp_relay_why *why)
{
	snprintf(dp->err_buf, sizeof(dp->err_buf), "%s", why->msg);
	return err;
}

static int kernel_open(struct datapath *dp, struct evloop *loop)
{
	struct xdp_relay_why why;
	int err = datapath_socket_ops.open(dp, loop);

	if (err)
		return err;
	err = xdp_relay_loader_open(&dp->relay, &dp->cfg.bind, dp->bound_port,
				    dp->cfg.xdp_mode, &why);
	if (err) {
		datapath_socket_ops.close(dp, loop);
		return keep_err(dp, err, &why);
	}
	snprintf(dp->why_buf, sizeof(dp->why_buf),
		 "requested with --datapath=kernel; XDP relay on %s",
		 xdp_relay_loader_where(dp->relay));
	dp->why = dp->why_buf;
	/* Until the program looks the next hop up (bpf_fib_lookup), it sends
	 * a relayed frame back to the Ethernet address it came from. */
	log_warn("XDP relay: relayed frames go back to the sender's next hop; "
		 "edges that are direct neighbours of this host on one segment "
		 "need --datapath=socket for now");
	return 0;
}

static int kernel_send_udp(struct datapath *dp,
			   const struct sockaddr_storage *to,
			   const uint8_t *buf, size_t len)
{
	return datapath_socket_ops.send_udp(dp, to, buf, len);
}

static int kernel_send_tap(struct datapath *dp, const uint8_t *frame,
			   size_t len)
{
	return -EOPNOTSUPP; /* a supernode has no TAP */
}

static void kernel_close(struct datapath *dp, struct evloop *loop)
{
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
