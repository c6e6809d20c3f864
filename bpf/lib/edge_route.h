/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where the edge's kernel path sends a PACKET: to the peer's socket (P2P)
 * or to the supernode (relayed), out of the interface the daemon found the
 * route on. The next hop and its MAC come from bpf_redirect_neigh(): the
 * kernel routes the datagram as one this host sends and resolves the
 * neighbour (queueing the frame meanwhile), which bpf_fib_lookup() would
 * not do for a host that does not forward.
 */
#ifndef N2NK_BPF_EDGE_ROUTE_H
#define N2NK_BPF_EDGE_ROUTE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>

#include "n2nk_edge.h"
#include "n2nk_session.h"

#ifndef AF_INET
#define AF_INET 2
#endif

/* Outer headers before the transform's output. */
#define EDGE_OUTER_LEN \
	(ETH_HLEN + 20 /* IPv4 */ + 8 /* UDP */ + N2N_PACKET_HDR_SIZE)

struct edge_dest {
	__be32 addr;
	__be16 port;
	__u32 ifindex;
	__u32 mtu;   /* largest IP datagram on the way */
	__u16 ip_id; /* the datagram's IP ID (edge_tx.h) */
	__u8 relayed;
};

static __always_inline void edge_dest_of(const struct n2nk_edge_conf *conf,
					 const struct n2nk_edge_peer *p,
					 struct edge_dest *d)
{
	if (p->path == N2NK_PATH_P2P) {
		d->addr = p->addr, d->port = p->port, d->ifindex = p->ifindex;
		d->mtu = p->mtu ? p->mtu : conf->underlay_mtu;
		d->relayed = 0;
		return;
	}
	d->addr = conf->sn_addr, d->port = conf->sn_port;
	d->ifindex = conf->sn_ifindex, d->relayed = 1;
	d->mtu = conf->underlay_mtu;
}

/* The transform's bytes in front of the frame: the IV (-A6: the DATA
 * header), or none. */
static __always_inline __u32 edge_iv_len(const struct n2nk_edge_conf *conf)
{
	return conf->transform == N2N_TRANSFORM_NULL ? 0 : 16;
}

/* And after it: -A6's tag. */
static __always_inline __u32 edge_tag_len(const struct n2nk_edge_conf *conf)
{
	return conf->transform == N2NK_TRANSFORM_A6 ? N2NK_A6_TAG_LEN : 0;
}

#endif /* N2NK_BPF_EDGE_ROUTE_H */
