/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What leaves the TAP device: a unicast frame for an established peer that
 * fits the underlay goes to the kernel's TX (through the segmenting veth,
 * see edge_tx.h); everything else goes on to the TAP fd, where the daemon
 * reads it as if no program were attached. The checks are the TX's own,
 * made before the point of no return, so frames TX would have to drop
 * reach the daemon instead.
 */
#ifndef N2NK_BPF_EDGE_TAP_H
#define N2NK_BPF_EDGE_TAP_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "lib/edge_a6.h"
#include "lib/edge_he.h"
#include "lib/edge_maps.h"
#include "lib/edge_route.h"
#include "lib/keystream.h"
#include "lib/mss_clamp.h"

/* The Ethernet header and an IPv4 source address, if there is one. */
struct edge_tap_head {
	struct ethhdr eth;
	__u8 ip[16];
};

/* Without -r only our own IPv4 source address leaves (as edge_tx.c). */
static __always_inline int edge_tap_filtered(const struct n2nk_edge_conf *conf,
					     const struct edge_tap_head *h,
					     __u32 len)
{
	__be32 src;

	if (conf->allow_routing || !conf->ip ||
	    h->eth.h_proto != bpf_htons(ETH_P_IP) || len < ETH_HLEN + 20)
		return 0;
	__builtin_memcpy(&src, h->ip + 12, sizeof(src));
	return src != conf->ip;
}

/* The L3 and L4 header bytes of each segment of a GSO frame, or 0 where
 * this code cannot tell (IPv6 extension headers: the daemon's). */
static __always_inline __u32 edge_tap_gso_headers(struct __sk_buff *skb,
						  const struct edge_tap_head *h)
{
	__u32 l3;
	__u8 proto, doff;

	if (h->eth.h_proto == bpf_htons(ETH_P_IP))
		l3 = (h->ip[0] & 0xf) * 4, proto = h->ip[9];
	else
		l3 = 40, proto = h->ip[6];
	if (proto == IPPROTO_UDP)
		return l3 + 8;
	if (proto != IPPROTO_TCP ||
	    bpf_skb_load_bytes(skb, ETH_HLEN + l3 + 12, &doff, 1))
		return 0;
	return l3 + (doff >> 4) * 4;
}

/* The largest frame this one becomes on the segmenting veth: itself, or
 * for a GSO frame one segment (headers + gso_size); 0 if unknown. A GSO
 * frame need not fit the TAP's MTU: a bridged NIC's GRO builds segments
 * of its own MTU. */
static __always_inline __u32 edge_tap_seg_len(struct __sk_buff *skb,
					      const struct edge_tap_head *h)
{
	__u32 hl;

	if (!skb->gso_size)
		return skb->len;
	hl = edge_tap_gso_headers(skb, h);
	return hl ? ETH_HLEN + hl + skb->gso_size : 0;
}

/* N2NK_OK: the frame goes to the kernel's TX; else why not. */
static __always_inline int edge_tap_classify(struct __sk_buff *skb,
					     const struct n2nk_edge_conf *conf)
{
	struct edge_tap_head h = {};
	struct n2nk_edge_peer *p;
	struct edge_dest d;
	__u32 seg, ip_len, slot;

	if (skb->len < ETH_HLEN ||
	    bpf_skb_load_bytes(skb, 0, &h,
			       skb->len < sizeof(h) ? ETH_HLEN : sizeof(h)))
		return N2NK_TRUNCATED_ETH;
	/* A SYN into the overlay gets its MSS clamped, whichever path takes
	 * it on; only TCP frames pay for the look at their flags. */
	if ((h.eth.h_proto == bpf_htons(ETH_P_IP) && h.ip[9] == IPPROTO_TCP &&
	     conf->mss_ipv4) ||
	    (h.eth.h_proto == bpf_htons(ETH_P_IPV6) && h.ip[6] == IPPROTO_TCP &&
	     conf->mss_ipv6))
		edge_clamp_mss(skb, conf);
	if (skb->vlan_present || h.eth.h_proto == bpf_htons(ETH_P_8021Q) ||
	    h.eth.h_proto == bpf_htons(ETH_P_8021AD))
		return N2NK_VLAN;
	if (h.eth.h_dest[0] & 1) /* -A6: group frames are the daemon's */
		return edge_is_a6(conf) ? N2NK_SESSION_CONTROL
					: N2NK_MULTICAST_DEST;
	/* The encapsulation needs an IP frame (unicast ARP is rare). */
	if (h.eth.h_proto != bpf_htons(ETH_P_IP) &&
	    h.eth.h_proto != bpf_htons(ETH_P_IPV6))
		return N2NK_NOT_IP;
	p = edge_peer_get(h.eth.h_dest);
	if (!p)
		return N2NK_UNKNOWN_DEST;
	if (edge_tap_filtered(conf, &h, skb->len))
		return N2NK_FILTERED;
	/* -A6: a session the kernel may seal with (not under -H: that is
	 * the daemon's). */
	if (edge_is_a6(conf) &&
	    (he_conf_get() || !a6_tx_session(h.eth.h_dest, &slot)))
		return N2NK_NO_SESSION;
	/* Each frame edge_tx gets must pass the veth (the TAP's MTU), fit
	 * the keystream's scratch and, encapsulated, the underlay. */
	edge_dest_of(conf, p, &d);
	seg = edge_tap_seg_len(skb, &h);
	ip_len = EDGE_OUTER_LEN - ETH_HLEN + edge_iv_len(conf) +
		 edge_tag_len(conf) + seg;
	if (!seg || seg > conf->tap_mtu + ETH_HLEN || seg > KS_MAX_LEN ||
	    ip_len > d.mtu)
		return N2NK_FRAG_NEEDED;
	return N2NK_OK;
}

#endif /* N2NK_BPF_EDGE_TAP_H */
