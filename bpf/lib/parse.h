/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bounds-checked header parsing for XDP and TC programs, in the style of
 * xdp-tools' parsing_helpers.h: a cursor walks the frame, and each parser
 * returns the next protocol (>= 0) or a negative enum n2nk_reason
 * (include/n2nk_reasons.h), and hands back the header it parsed. Every
 * program parses with these, so the same frame gets the same reason.
 */
#ifndef N2NK_BPF_PARSE_H
#define N2NK_BPF_PARSE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "n2nk_reasons.h"

#define IPV4_FRAG_OFFSET_MASK 0x1fff

/* The unparsed rest of a frame: [pos, end). */
struct cursor {
	void *pos;
	void *end;
};

static __always_inline void cursor_init_xdp(struct cursor *c,
					    struct xdp_md *ctx)
{
	c->pos = (void *)(long)ctx->data;
	c->end = (void *)(long)ctx->data_end;
}

/*
 * Takes the next len bytes: returns their start and advances, or NULL when
 * the frame is shorter. The comparison is what lets the verifier accept
 * reads of those bytes through the returned pointer.
 */
static __always_inline void *cursor_pull(struct cursor *c, __u32 len)
{
	void *start = c->pos;

	if (start + len > c->end)
		return NULL;
	c->pos = start + len;
	return start;
}

/* Returns the EtherType (host order). VLAN tags are not looked through. */
static __always_inline int parse_eth(struct cursor *c, struct ethhdr **ethp)
{
	struct ethhdr *eth = cursor_pull(c, sizeof(*eth));

	if (!eth)
		return N2NK_TRUNCATED_ETH;
	*ethp = eth;
	return bpf_ntohs(eth->h_proto);
}

/*
 * Returns the IPv4 protocol number, the cursor after any options. Only the
 * first fragment carries the UDP header, so later ones end here.
 */
static __always_inline int parse_ipv4(struct cursor *c, struct iphdr **iphp)
{
	struct iphdr *iph = cursor_pull(c, sizeof(*iph));

	if (!iph)
		return N2NK_TRUNCATED_IP;
	if (iph->version != 4 || iph->ihl < 5)
		return N2NK_BAD_IP_HEADER;
	if (!cursor_pull(c, iph->ihl * 4 - sizeof(*iph)))
		return N2NK_TRUNCATED_IP;
	if (iph->frag_off & bpf_htons(IPV4_FRAG_OFFSET_MASK))
		return N2NK_IP_FRAGMENT;
	*iphp = iph;
	return iph->protocol;
}

/* Returns the IPv6 next header; extension headers are not walked. */
static __always_inline int parse_ipv6(struct cursor *c)
{
	struct ipv6hdr *ip6h = cursor_pull(c, sizeof(*ip6h));

	if (!ip6h)
		return N2NK_TRUNCATED_IP;
	if (ip6h->version != 6)
		return N2NK_BAD_IP_HEADER;
	return ip6h->nexthdr;
}

/* Parses the IP header the EtherType announces; returns the L4 protocol. */
static __always_inline int parse_ip(struct cursor *c, int eth_proto)
{
	struct iphdr *iph;

	switch (eth_proto) {
	case ETH_P_IP:
		return parse_ipv4(c, &iph);
	case ETH_P_IPV6:
		return parse_ipv6(c);
	}
	return N2NK_NOT_IP;
}

/* Returns the UDP destination port (host order). */
static __always_inline int parse_udp(struct cursor *c, struct udphdr **udphp)
{
	struct udphdr *udph = cursor_pull(c, sizeof(*udph));

	if (!udph)
		return N2NK_TRUNCATED_UDP;
	*udphp = udph;
	return bpf_ntohs(udph->dest);
}

#endif /* N2NK_BPF_PARSE_H */
