/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The relay decision: is this frame a plaintext n2n PACKET over IPv4 from a
 * registered edge to another one? Each step returns 0 or a negative enum
 * n2nk_reason (include/n2nk_reasons.h); relay_frame() ends with the
 * rewrite.
 */
#ifndef N2NK_BPF_RELAY_H
#define N2NK_BPF_RELAY_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "lib/n2n_hdr.h"
#include "lib/parse.h"
#include "lib/relay_fib.h"
#include "lib/relay_maps.h"
#include "lib/relay_rewrite.h"
#include "n2nk_relay.h"

#define IPV4_MORE_FRAGMENTS 0x2000

/* What the decision learns and the rewrite needs. */
struct relay_pkt {
	struct n2nk_relay_sock4 from; /* the sender's socket */
	struct n2nk_relay_sock4 to;   /* the destination edge's socket */
	__be32 sn_addr;		      /* the address it was sent to: ours */
	struct n2nk_relay_edge from_edge, to_edge; /* for edge_stats */
	__u16 udp_len;				   /* host order */
};

/* Ethernet, IPv4 without options or fragments, UDP to port. */
static __always_inline int relay_parse_udp4(struct cursor *c,
					    struct relay_pkt *p, __u16 port)
{
	struct udphdr *udph;
	struct ethhdr *eth;
	struct iphdr *iph;
	int ret;

	ret = parse_eth(c, &eth);
	if (ret < 0)
		return ret;
	if (ret != ETH_P_IP)
		return ret == ETH_P_IPV6 ? N2NK_IPV6 : N2NK_NOT_IP;
	ret = parse_ipv4(c, &iph);
	if (ret < 0)
		return ret;
	/* Options would move everything the rewrite touches: userspace. */
	if (iph->ihl > 5)
		return N2NK_IP_OPTIONS;
	/* A first fragment too: rewriting half a datagram would break it. */
	if (iph->frag_off & bpf_htons(IPV4_MORE_FRAGMENTS))
		return N2NK_IP_FRAGMENT;
	if (ret != IPPROTO_UDP)
		return N2NK_NOT_UDP;
	ret = parse_udp(c, &udph);
	if (ret < 0)
		return ret;
	if (ret != port)
		return N2NK_WRONG_PORT;
	if (!bpf_map_lookup_elem(&local_addrs, &iph->daddr))
		return N2NK_NOT_LOCAL;
	p->udp_len = bpf_ntohs(udph->len);
	/* The rewrite grows both lengths, so they must agree and fit. */
	if ((void *)iph + bpf_ntohs(iph->tot_len) > c->end)
		return N2NK_IP_LENGTH;
	if (bpf_ntohs(iph->tot_len) != sizeof(*iph) + p->udp_len)
		return N2NK_UDP_LENGTH;
	p->from.addr = iph->saddr;
	p->from.port = udph->source;
	p->sn_addr = iph->daddr;
	return 0;
}

/* Byte compare; the verifier has no memcmp. */
static __always_inline int bytes_equal(const __u8 *a, const __u8 *b, int n)
{
	int i;

#pragma unroll
	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/*
 * Sender check, then destination lookup. A socket registered in another
 * community is "unknown" (userspace decides); a socket registered as
 * another MAC in this community is a spoofing edge.
 */
static __always_inline int relay_lookup(struct relay_pkt *p,
					const __u8 *community,
					const __u8 *src_mac,
					const __u8 *dst_mac)
{
	struct n2nk_relay_edge key = {};
	struct n2nk_relay_dest *to;
	struct n2nk_relay_edge *s;

	s = bpf_map_lookup_elem(&senders, &p->from);
	if (!s || !bytes_equal(s->community, community, N2N_COMMUNITY_SIZE))
		return N2NK_UNKNOWN_SENDER;
	if (!bytes_equal(s->mac, src_mac, N2N_MAC_SIZE))
		return N2NK_SPOOFED_SOURCE;
	p->from_edge = *s;
	__builtin_memcpy(key.community, community, N2N_COMMUNITY_SIZE);
	__builtin_memcpy(key.mac, dst_mac, N2N_MAC_SIZE);
	p->to_edge = key;
	to = bpf_map_lookup_elem(&edges, &key);
	if (!to)
		return N2NK_UNKNOWN_DEST;
	if (bpf_ktime_get_coarse_ns() > to->expires_ns)
		return N2NK_EXPIRED_DEST;
	p->to = to->sock;
	return 0;
}

/* The n2n PACKET header from an edge, in the order userspace checks it. */
static __always_inline int relay_parse_packet(struct cursor *c,
					      struct relay_pkt *p)
{
	const __u8 *hdr = cursor_pull(c, N2N_COMMON_SIZE);
	const __u8 *macs;
	__u16 flags;

	if (!hdr)
		return N2NK_TRUNCATED_N2N;
	if (!n2n_common_is_plaintext(hdr))
		return N2NK_HEADER_ENCRYPTED;
	flags = n2n_common_flags(hdr);
	if ((flags & N2N_FLAGS_TYPE_MASK) != N2N_MSG_PACKET)
		return N2NK_NOT_PACKET;
	if (flags & N2N_FLAGS_FROM_SUPERNODE)
		return N2NK_FROM_SUPERNODE;
	if (flags & N2N_FLAGS_SOCKET)
		return N2NK_HAS_SOCKET;
	/* srcMac, dstMac, compression, transform: within the datagram. */
	macs = cursor_pull(c, N2N_PACKET_HDR_SIZE - N2N_COMMON_SIZE);
	if (!macs || p->udp_len < sizeof(struct udphdr) + N2N_PACKET_HDR_SIZE)
		return N2NK_TRUNCATED_N2N;
	if (hdr[N2N_COMMON_OFF_TTL] < 1)
		return N2NK_TTL_EXPIRED;
	if (macs[N2N_MAC_SIZE] & 1)
		return N2NK_MULTICAST_DEST;
	return relay_lookup(p, hdr + N2N_COMMON_OFF_COMMUNITY, macs,
			    macs + N2N_MAC_SIZE);
}

/*
 * Returns N2NK_OK with the frame rewritten, or why not. With
 * by_fib, hop says where it goes (else back where it came from).
 */
static __always_inline int relay_frame(struct xdp_md *ctx, __u16 port,
				       int by_fib, struct relay_hop *hop)
{
	struct relay_pkt p = {};
	struct cursor c;
	__u16 ip_len;
	int ret;

	cursor_init_xdp(&c, ctx);
	ret = relay_parse_udp4(&c, &p, port);
	if (ret < 0)
		return ret;
	ret = relay_parse_packet(&c, &p);
	if (ret < 0)
		return ret;
	ip_len = sizeof(struct iphdr) + p.udp_len + N2N_SOCK_SIZE_V4;
	ret = by_fib ? relay_next_hop(ctx, p.sn_addr, port, p.to, ip_len, hop)
		     : relay_check_mtu(ctx);
	if (ret < 0)
		return ret;
	ret = relay_rewrite(ctx, p.from, p.to, p.sn_addr, port,
			    by_fib ? hop : NULL);
	if (ret == N2NK_OK)
		relay_count_edges(&p.from_edge, &p.to_edge,
				  ETH_HLEN + ip_len - N2N_SOCK_SIZE_V4);
	return ret;
}

#endif /* N2NK_BPF_RELAY_H */
