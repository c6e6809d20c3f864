/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where a relayed frame goes next: the kernel's FIB and neighbour tables,
 * or without IPv4 forwarding the daemon's copy of them (relay_hops),
 * asked before anything is rewritten, so a frame without an answer still
 * reaches the daemon as it arrived. Every failed lookup but NO_NEIGH,
 * FRAG_NEEDED and FWD_DISABLED counts as no_route: a blackhole,
 * unreachable or prohibit route too (and NOT_FWDED, UNSUPP_LWT, whatever
 * a newer kernel adds). The daemon then sends the datagram through its
 * socket, where the route has its say (a refusal is send_failed).
 */
#ifndef N2NK_BPF_RELAY_FIB_H
#define N2NK_BPF_RELAY_FIB_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "n2n_wire_defs.h"
#include "lib/relay_egress.h"
#include "lib/relay_maps.h"
#include "n2nk_relay.h"

#ifndef AF_INET
#define AF_INET 2
#endif
#ifndef AF_INET6
#define AF_INET6 10
#endif

/* The next hop's Ethernet addresses and the interface to leave by. */
struct relay_hop {
	__u8 dmac[ETH_ALEN];
	__u8 smac[ETH_ALEN];
	__u32 ifindex;
	__be32 src; /* by another interface: its address; 0: ours as sent */
	__u8 v6;    /* the frame is IPv6 (the verdict for the daemon differs) */
};

static __always_inline int relay_fib_reason(long rc)
{
	switch (rc) {
	case BPF_FIB_LKUP_RET_NO_NEIGH:
		return N2NK_NO_NEIGHBOUR;
	case BPF_FIB_LKUP_RET_FRAG_NEEDED:
		return N2NK_FRAG_NEEDED;
	case BPF_FIB_LKUP_RET_FWD_DISABLED:
		return N2NK_FORWARDING_OFF;
	default:
		return N2NK_NO_ROUTE;
	}
}

/*
 * The route from our address and port to the edge's socket, for a datagram
 * of ip_len bytes (the rewritten one), looked up as if it had arrived on
 * the ingress interface.
 */
static __always_inline int
relay_next_hop(struct xdp_md *ctx, __be32 sn_addr, __u16 port,
	       struct n2nk_relay_sock4 to, __u16 ip_len,
	       struct bpf_fib_lookup *fib, struct relay_hop *hop)
{
	long rc;

	/* fib: the caller's room, off the stack (the -H call chain). */
	__builtin_memset(fib, 0, sizeof(*fib));
	fib->family = AF_INET;
	fib->l4_protocol = IPPROTO_UDP;
	fib->sport = bpf_htons(port);
	fib->dport = to.port;
	fib->tot_len = ip_len;
	fib->ipv4_src = sn_addr;
	fib->ipv4_dst = to.addr;
	fib->ifindex = ctx->ingress_ifindex;
	rc = bpf_fib_lookup(ctx, fib, sizeof(*fib), 0);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS)
		return relay_fib_reason(rc);
	if (!relay_egress_ok(ctx, fib->ifindex))
		return N2NK_OTHER_INTERFACE;
	__builtin_memcpy(hop->dmac, fib->dmac, ETH_ALEN);
	__builtin_memcpy(hop->smac, fib->smac, ETH_ALEN);
	hop->ifindex = fib->ifindex;
	if (fib->ifindex != ctx->ingress_ifindex) {
		/* The route's own source, as our socket would send from. */
		fib->ifindex = ctx->ingress_ifindex;
		fib->rt_metric = 0; /* the tos the first lookup read */
		fib->ipv4_src = sn_addr;
		if (bpf_fib_lookup(ctx, fib, sizeof(*fib),
				   BPF_FIB_LOOKUP_SRC |
					   BPF_FIB_LOOKUP_SKIP_NEIGH) ==
		    BPF_FIB_LKUP_RET_SUCCESS)
			hop->src = relay_egress_src(fib->ipv4_src);
	}
	return 0;
}

/*
 * The same for IPv6, from our address to the edge's socket. Only by the
 * interface the frame came in on: egress by another one (and its source
 * address) is IPv4's for now, the daemon sends the rest.
 */
static __always_inline int
relay_next_hop6(struct xdp_md *ctx, const struct n2nk_relay_addr6 *sn,
		__u16 port, const struct n2nk_relay_sock6 *to, __u16 ip_len,
		struct relay_hop *hop, struct bpf_fib_lookup *fib)
{
	long rc;

	__builtin_memset(fib, 0, sizeof(*fib));
	fib->family = AF_INET6;
	fib->l4_protocol = IPPROTO_UDP;
	fib->sport = bpf_htons(port);
	fib->dport = to->port;
	fib->tot_len = ip_len;
	__builtin_memcpy(fib->ipv6_src, sn->a, sizeof(sn->a));
	__builtin_memcpy(fib->ipv6_dst, to->addr, sizeof(to->addr));
	fib->ifindex = ctx->ingress_ifindex;
	rc = bpf_fib_lookup(ctx, fib, sizeof(*fib), 0);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS)
		return relay_fib_reason(rc);
	if (fib->ifindex != ctx->ingress_ifindex)
		return N2NK_OTHER_INTERFACE;
	__builtin_memcpy(hop->dmac, fib->dmac, ETH_ALEN);
	__builtin_memcpy(hop->smac, fib->smac, ETH_ALEN);
	hop->ifindex = fib->ifindex;
	return 0;
}

/*
 * Forwarding off: the daemon's answer for the edge's address (relay_hops),
 * with the FIB's outcomes. ip_len is the rewritten datagram's length.
 */
static __always_inline int relay_hop_from_map(struct xdp_md *ctx, __be32 to,
					      __u16 ip_len,
					      struct relay_hop *hop)
{
	struct n2nk_relay_hop *h = bpf_map_lookup_elem(&relay_hops, &to);

	if (!h || bpf_ktime_get_coarse_ns() > h->expires_ns)
		return N2NK_NO_NEIGHBOUR;
	if (!relay_egress_ok(ctx, h->ifindex))
		return N2NK_OTHER_INTERFACE;
	if (h->mtu && ip_len > h->mtu)
		return N2NK_FRAG_NEEDED;
	__builtin_memcpy(hop->dmac, h->dmac, ETH_ALEN);
	__builtin_memcpy(hop->smac, h->smac, ETH_ALEN);
	hop->ifindex = h->ifindex;
	if (h->ifindex != ctx->ingress_ifindex)
		hop->src = relay_egress_src(h->src);
	return 0;
}

/* The same for an IPv6 edge (relay_hops6), by the ingress interface
 * only (see relay_next_hop6()). */
static __always_inline int
relay_hop_from_map6(struct xdp_md *ctx, const struct n2nk_relay_sock6 *to,
		    __u16 ip_len, struct relay_hop *hop)
{
	struct n2nk_relay_addr6 key;
	struct n2nk_relay_hop *h;

	__builtin_memcpy(key.a, to->addr, sizeof(key.a));
	h = bpf_map_lookup_elem(&relay_hops6, &key);
	if (!h || bpf_ktime_get_coarse_ns() > h->expires_ns)
		return N2NK_NO_NEIGHBOUR;
	if (h->ifindex != ctx->ingress_ifindex)
		return N2NK_OTHER_INTERFACE;
	if (h->mtu && ip_len > h->mtu)
		return N2NK_FRAG_NEEDED;
	__builtin_memcpy(hop->dmac, h->dmac, ETH_ALEN);
	__builtin_memcpy(hop->smac, h->smac, ETH_ALEN);
	hop->ifindex = h->ifindex;
	return 0;
}

/* Without the FIB: will the frame, grow bytes longer, fit the interface
 * it leaves by (ifindex; 0: the one it came in on)? */
static __always_inline int relay_check_mtu(struct xdp_md *ctx, __u32 ifindex,
					   int grow)
{
	__u32 mtu_len = 0;

	if (bpf_check_mtu(ctx, ifindex, &mtu_len, grow, 0))
		return N2NK_FRAG_NEEDED;
	return 0;
}

#endif /* N2NK_BPF_RELAY_FIB_H */
