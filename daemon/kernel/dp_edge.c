// SPDX-License-Identifier: GPL-2.0-only
/*
 * The edge's kernel backend: the socket backend (UDP socket and TAP fd,
 * which carry the slow path exactly as without BPF) plus the TC data path
 * of edge_loader.c, which moves established peers' frames itself. And the
 * calls by which the edge role keeps that data path in step.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "datapath.h"
#include "dp_edge.h"
#include "edge_loader.h"

static char edge_why[768];

/* dp->why on entry says how the kernel backend was chosen. */
static int edge_open(struct datapath *dp, struct evloop *loop)
{
	struct edge_loader_cfg cfg = *dp->cfg.edge_kernel;
	int err = datapath_socket_ops.open(dp, loop);

	if (err)
		return err;
	cfg.bind = dp->cfg.bind;
	cfg.port = dp->bound_port;
	cfg.aes_need_fast = dp->cfg.edge_need_fast_aes;
	err = edge_loader_open(&dp->edge, &cfg, dp->err_buf,
			       sizeof(dp->err_buf));
	if (err) {
		datapath_socket_ops.close(dp, loop);
		return err;
	}
	snprintf(edge_why, sizeof(edge_why), "%s; %s", dp->why,
		 edge_loader_where(dp->edge));
	dp->why = edge_why;
	return 0;
}

static int edge_send_udp(struct datapath *dp, const struct sockaddr_storage *to,
			 const uint8_t *buf, size_t len)
{
	return datapath_socket_ops.send_udp(dp, to, buf, len);
}

static int edge_send_tap(struct datapath *dp, const uint8_t *frame, size_t len)
{
	return datapath_socket_ops.send_tap(dp, frame, len);
}

static void edge_close(struct datapath *dp, struct evloop *loop)
{
	edge_loader_close(dp->edge);
	dp->edge = NULL;
	datapath_socket_ops.close(dp, loop);
}

const struct datapath_ops datapath_edge_kernel_ops = {
	.name = "kernel",
	.open = edge_open,
	.send_udp = edge_send_udp,
	.send_tap = edge_send_tap,
	.close = edge_close,
};

int datapath_edge_set_sn(struct datapath *dp, const struct sockaddr_storage *sn)
{
	if (!dp->edge)
		return 0;
	return edge_loader_set_sn(dp->edge, sn, dp->err_buf,
				  sizeof(dp->err_buf));
}

int datapath_edge_set_ip(struct datapath *dp, uint32_t ip)
{
	return dp->edge ? edge_loader_set_ip(dp->edge, ip) : 0;
}

int datapath_edge_peer(struct datapath *dp, const uint8_t *mac,
		       enum datapath_edge_path path,
		       const struct sockaddr_storage *sa)
{
	if (!dp->edge)
		return 0;
	switch (path) {
	case DP_EDGE_P2P:
		return edge_loader_peer_p2p(dp->edge, mac, sa);
	case DP_EDGE_RELAY:
		return edge_loader_peer_relay(dp->edge, mac);
	case DP_EDGE_NONE:
		break;
	}
	return edge_loader_peer_del(dp->edge, mac);
}

int datapath_edge_stamp_seed(struct datapath *dp, const uint8_t *mac,
			     uint64_t last)
{
	return dp->edge ? edge_loader_stamp_seed(dp->edge, mac, last) : 0;
}

bool datapath_edge_peer_read(struct datapath *dp, const uint8_t *mac,
			     struct edge_loader_peer_info *out)
{
	return dp->edge && !edge_loader_peer_read(dp->edge, mac, out);
}

bool datapath_edge_reasons(struct datapath *dp, enum n2nk_layer layer,
			   uint64_t count[N2NK_REASON_SLOTS])
{
	return dp->edge && !edge_loader_reasons(dp->edge, layer, count);
}

int datapath_edge_map_info(struct datapath *dp, unsigned int i,
			   struct bpf_map_row *out)
{
	return dp->edge ? edge_loader_map_info(dp->edge, i, out) : -ENODEV;
}

int datapath_edge_give_pins(struct datapath *dp, uid_t uid, gid_t gid)
{
	return dp->edge ? edge_loader_give_pins(dp->edge, uid, gid) : 0;
}

bool datapath_edge_leave(struct datapath *dp)
{
	return dp->edge && edge_loader_leave(dp->edge);
}

bool datapath_edge_adopted(struct datapath *dp)
{
	return dp->edge && edge_loader_adopted(dp->edge);
}

int datapath_edge_peers_each(struct datapath *dp,
			     void (*fn)(const uint8_t *mac,
					const struct n2nk_edge_peer *p,
					void *arg),
			     void *arg)
{
	return dp->edge ? edge_loader_peers_each(dp->edge, fn, arg) : 0;
}

int datapath_edge_handover_get(struct datapath *dp,
			       struct n2nk_edge_daemon_state *out)
{
	return dp->edge ? edge_loader_handover_get(dp->edge, out) : -ENODEV;
}

int datapath_edge_handover_set(struct datapath *dp,
			       const struct n2nk_edge_daemon_state *st)
{
	return dp->edge ? edge_loader_handover_set(dp->edge, st) : -ENODEV;
}

bool datapath_edge_pinned(struct datapath *dp)
{
	return dp->edge && edge_loader_pinned(dp->edge);
}

int datapath_edge_lease(struct datapath *dp, unsigned int hold_s)
{
	return dp->edge ? edge_loader_lease(dp->edge, hold_s) : -ENODEV;
}
