// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which backend a daemon gets: what the user asked for (--datapath), what
 * its role can use and what this host allows, and why, for the log and
 * n2nctl.
 */
#include <errno.h>
#include <string.h>

#include "datapath.h"

int datapath_open(struct datapath *dp, enum datapath_kind want,
		  const struct datapath_cfg *cfg, struct evloop *loop)
{
	memset(dp, 0, sizeof(*dp));
	dp->cfg = *cfg;
	dp->udp_fd = -1;
	if (want == DATAPATH_KERNEL) {
		if (!cfg->xdp_relay)
			return -EOPNOTSUPP;
		dp->ops = &datapath_kernel_ops;
		dp->why = "requested with --datapath=kernel";
		return dp->ops->open(dp, loop);
	}
	dp->ops = &datapath_socket_ops;
	dp->why = want == DATAPATH_SOCKET
			  ? "requested with --datapath=socket"
			  : "kernel datapath not built yet, using sockets";
	return dp->ops->open(dp, loop);
}

void datapath_close(struct datapath *dp, struct evloop *loop)
{
	if (dp->ops)
		dp->ops->close(dp, loop);
}

const char *datapath_open_error(const struct datapath *dp,
				enum datapath_kind want, int err)
{
	if (dp->err_buf[0])
		return dp->err_buf;
	if (want == DATAPATH_KERNEL && err == -EOPNOTSUPP)
		return "the kernel datapath is not in this build yet; use "
		       "--datapath=auto or --datapath=socket";
	return strerror(-err);
}

const char *datapath_kind_name(enum datapath_kind kind)
{
	static const char *const names[] = { "auto", "kernel", "socket" };

	return (unsigned int)kind < 3 ? names[kind] : "unknown";
}
