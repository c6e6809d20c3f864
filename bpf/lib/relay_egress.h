/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where a frame leaves the relay: a relayed one by the interface it came
 * in on (XDP_TX) or by another one of egress_ifs (bpf_redirect_map()),
 * and one for the daemon to its AF_XDP socket on the (interface, queue)
 * it arrived on. The maps are the contract in include/n2nk_relay.h.
 */
#ifndef N2NK_BPF_RELAY_EGRESS_H
#define N2NK_BPF_RELAY_EGRESS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/counter.h"
#include "lib/relay_maps.h"
#include "n2nk_relay.h"

/* May a relayed frame leave by ifindex? Its own interface, or one the
 * loader found able to transmit XDP frames (egress_ifs). */
static __always_inline int relay_egress_ok(struct xdp_md *ctx, __u32 ifindex)
{
	return ifindex == ctx->ingress_ifindex ||
	       bpf_map_lookup_elem(&egress_ifs, &ifindex);
}

/* A route's source address, if the supernode listens on it (then its
 * socket would send from it), else 0: the address the frame came to. */
static __always_inline __be32 relay_egress_src(__be32 src)
{
	return src && bpf_map_lookup_elem(&local_addrs, &src) ? src : 0;
}

/*
 * The action for a rewritten frame to ifindex (0: back where it came
 * from), counted in egress_stats. A redirect the devmap no longer holds
 * (the loader took the interface out since relay_egress_ok()) aborts: the
 * frame was rewritten and cannot go to the daemon any more.
 */
static __always_inline int relay_egress(struct xdp_md *ctx, __u32 ifindex)
{
	__u64 bytes = ctx->data_end - ctx->data;
	int act;

	if (!ifindex || ifindex == ctx->ingress_ifindex) {
		counter_add(&egress_stats, N2NK_RELAY_EGRESS_TX, bytes);
		return XDP_TX;
	}
	act = bpf_redirect_map(&egress_ifs, ifindex, 0);
	counter_add(&egress_stats,
		    act == XDP_REDIRECT ? N2NK_RELAY_EGRESS_REDIRECT
					: N2NK_RELAY_EGRESS_ABORTED,
		    bytes);
	return act;
}

/* To the daemon's AF_XDP socket of this interface and queue, or where it
 * has none, XDP_PASS to its UDP socket. */
static __always_inline int relay_to_daemon(struct xdp_md *ctx)
{
	__u32 ifindex = ctx->ingress_ifindex, queue = ctx->rx_queue_index;
	__u32 *slot, key;

	if (queue >= N2NK_RELAY_MAX_QUEUES)
		return XDP_PASS;
	slot = bpf_map_lookup_elem(&xsk_slots, &ifindex);
	if (!slot || *slot >= N2NK_RELAY_MAX_IFS)
		return XDP_PASS;
	key = *slot * N2NK_RELAY_MAX_QUEUES + queue;
	return bpf_redirect_map(&xsks, key, XDP_PASS);
}

#endif /* N2NK_BPF_RELAY_EGRESS_H */
