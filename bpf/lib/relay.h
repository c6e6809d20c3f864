/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The relay decision: is this frame an n2n PACKET over IPv4 from a
 * registered edge to another one, plaintext or of a -H community the
 * kernel has the keys of? Each step returns 0 or a negative enum
 * n2nk_reason (include/n2nk_reasons.h); relay_frame() ends with the
 * rewrite (and, under -H, the new seal).
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
#include "lib/relay_csum.h"
#include "lib/relay_fib.h"
#include "lib/relay_he.h"
#include "lib/relay_maps.h"
#include "lib/relay_rewrite.h"
#include "n2nk_relay.h"

#define IPV4_MORE_FRAGMENTS 0x2000

/* What the decision learns and the rewrite needs. */
struct relay_pkt {
	struct n2nk_relay_sock4 from; /* the sender's socket */
	struct n2nk_relay_sock4 to;   /* the destination edge's socket */
	__be32 sn_addr;		      /* the address it was sent to: ours */
	/* The same over IPv6 (v6 set). */
	struct n2nk_relay_sock6 from6, to6;
	struct n2nk_relay_addr6 sn_addr6;
	__u8 v6;
	struct n2nk_relay_edge from_edge, to_edge;
	__u32 from_slot, to_slot; /* their edge_stats slots */
	__u16 udp_len;		  /* host order */
	__u16 udp_check;	  /* the UDP checksum field as it came */
	__u32 pseudo_sum;	  /* its pseudo-header's sum, unfolded */
	__u8 he_opened; /* -H: the packet's header is now the plaintext */
	/* Last, not zeroed per frame: the FIB request (either family),
	 * which relay_next_hop*() fill whole. */
	struct bpf_fib_lookup fib;
};

/*
 * One relay_pkt per CPU, off the program's stack: IPv4 and IPv6 sockets
 * together would push the -H path's call chain past 512 bytes.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct relay_pkt);
} relay_pkt_scratch SEC(".maps");

/* IPv4 without options or fragments, UDP to port. */
static __always_inline int relay_parse_udp4(struct cursor *c,
					    struct relay_pkt *p, __u16 port)
{
	struct udphdr *udph;
	struct iphdr *iph;
	int ret;

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
	p->udp_check = udph->check;
	p->pseudo_sum = csum_words32(iph->saddr) + csum_words32(iph->daddr) +
			csum_pseudo_tail(udph->len);
	return 0;
}

/*
 * IPv6 without extension headers (a fragment header too: they would move
 * what the rewrite touches; the stack's), UDP to port, with a checksum
 * (RFC 8200 requires one; the stack drops a datagram without).
 */
static __always_inline int relay_parse_udp6(struct cursor *c,
					    struct relay_pkt *p, __u16 port)
{
	struct ipv6hdr *ip6h = cursor_pull(c, sizeof(*ip6h));
	struct udphdr *udph;
	int ret;

	if (!ip6h)
		return N2NK_TRUNCATED_IP;
	if (ip6h->version != 6)
		return N2NK_BAD_IP_HEADER;
	if (ip6h->nexthdr != IPPROTO_UDP)
		return N2NK_NOT_UDP;
	ret = parse_udp(c, &udph);
	if (ret < 0)
		return ret;
	if (ret != port)
		return N2NK_WRONG_PORT;
	if (!bpf_map_lookup_elem(&local_addrs6, &ip6h->daddr))
		return N2NK_NOT_LOCAL;
	p->udp_len = bpf_ntohs(udph->len);
	if ((void *)(ip6h + 1) + bpf_ntohs(ip6h->payload_len) > c->end)
		return N2NK_IP_LENGTH;
	/* A jumbogram's payload length 0 lands here too. */
	if (bpf_ntohs(ip6h->payload_len) != p->udp_len ||
	    p->udp_len < sizeof(*udph))
		return N2NK_UDP_LENGTH;
	if (!udph->check)
		return N2NK_UDP_CHECKSUM;
	__builtin_memcpy(p->from6.addr, ip6h->saddr.s6_addr, 16);
	p->from6.port = udph->source;
	__builtin_memcpy(p->sn_addr6.a, ip6h->daddr.s6_addr, 16);
	p->v6 = 1;
	p->udp_check = udph->check;
	p->pseudo_sum = csum_words128(ip6h->saddr.s6_addr) +
			csum_words128(ip6h->daddr.s6_addr) +
			csum_pseudo_tail(udph->len);
	return 0;
}

/* Ethernet, then IPv4 or IPv6 as its type says. */
static __always_inline int relay_parse_udp(struct cursor *c,
					   struct relay_pkt *p, __u16 port)
{
	struct ethhdr *eth;
	int ret = parse_eth(c, &eth);

	if (ret < 0)
		return ret;
	if (ret == ETH_P_IP)
		return relay_parse_udp4(c, p, port);
	if (ret == ETH_P_IPV6)
		return relay_parse_udp6(c, p, port);
	return N2NK_NOT_IP;
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
/* The destination edge over IPv4 (edges) or IPv6 (edges6), as the
 * sender's family; registered over the other one: other_family. */
static __always_inline int relay_dest(struct relay_pkt *p,
				      const struct n2nk_relay_edge *key)
{
	struct n2nk_relay_dest6 *to6;
	struct n2nk_relay_dest *to;

	if (p->v6) {
		to6 = bpf_map_lookup_elem(&edges6, key);
		if (!to6)
			return bpf_map_lookup_elem(&edges, key)
				       ? N2NK_OTHER_FAMILY
				       : N2NK_UNKNOWN_DEST;
		if (bpf_ktime_get_coarse_ns() > to6->expires_ns)
			return N2NK_EXPIRED_DEST;
		p->to6 = to6->sock;
		p->to_slot = to6->slot;
		return 0;
	}
	to = bpf_map_lookup_elem(&edges, key);
	if (!to)
		return bpf_map_lookup_elem(&edges6, key) ? N2NK_OTHER_FAMILY
							 : N2NK_UNKNOWN_DEST;
	if (bpf_ktime_get_coarse_ns() > to->expires_ns)
		return N2NK_EXPIRED_DEST;
	p->to = to->sock;
	p->to_slot = to->slot;
	return 0;
}

static __always_inline int relay_lookup(struct relay_pkt *p,
					const __u8 *community,
					const __u8 *src_mac,
					const __u8 *dst_mac)
{
	struct n2nk_relay_edge key = {};
	struct n2nk_relay_sender *s;

	s = p->v6 ? bpf_map_lookup_elem(&senders6, &p->from6)
		  : bpf_map_lookup_elem(&senders, &p->from);
	if (!s ||
	    !bytes_equal(s->edge.community, community, N2N_COMMUNITY_SIZE))
		return N2NK_UNKNOWN_SENDER;
	if (!bytes_equal(s->edge.mac, src_mac, N2N_MAC_SIZE))
		return N2NK_SPOOFED_SOURCE;
	p->from_edge = s->edge;
	p->from_slot = s->slot;
	__builtin_memcpy(key.community, community, N2N_COMMUNITY_SIZE);
	__builtin_memcpy(key.mac, dst_mac, N2N_MAC_SIZE);
	p->to_edge = key;
	return relay_dest(p, &key);
}

/*
 * A plaintext PACKET header from an edge (hdr: its 24-byte common part,
 * macs: the 14 bytes after it), in the order userspace checks it.
 */
static __always_inline int relay_check_packet(const __u8 *hdr, const __u8 *macs,
					      struct relay_pkt *p)
{
	__u16 flags = n2n_common_flags(hdr);

	if ((flags & N2N_FLAGS_TYPE_MASK) != N2N_MSG_PACKET)
		return N2NK_NOT_PACKET;
	if (flags & N2N_FLAGS_FROM_SUPERNODE)
		return N2NK_FROM_SUPERNODE;
	if (flags & N2N_FLAGS_SOCKET)
		return N2NK_HAS_SOCKET;
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
 * A -H PACKET: opened with the keys of the community its sender is
 * registered in, checked as a plaintext one, and its checksum and stamp
 * after; p->he_opened says the plaintext header is in the packet now.
 */
static __always_inline int relay_open_he(struct xdp_md *ctx,
					 struct relay_pkt *p)
{
	__u32 len = p->udp_len - sizeof(struct udphdr);
	__u32 off = p->v6 ? RELAY6_N2N_OFF : RELAY_IN_N2N_OFF;
	__u32 grow = p->v6 ? N2N_SOCK_SIZE_V6 : N2N_SOCK_SIZE_V4;
	struct he_scratch *sc = he_scratch_get();
	struct n2nk_relay_sender *s;
	struct n2nk_he *he;
	int ret;

	/* Shorter than a PACKET header (or a UDP length below its header's):
	 * another message, for the daemon. */
	if (p->udp_len < sizeof(struct udphdr) + N2N_PACKET_HDR_SIZE)
		return N2NK_HEADER_ENCRYPTED;
	s = p->v6 ? bpf_map_lookup_elem(&senders6, &p->from6)
		  : bpf_map_lookup_elem(&senders, &p->from);
	if (!s || !sc)
		return N2NK_HEADER_ENCRYPTED; /* the daemon tries every key */
	he = relay_he_keys(s->edge.community);
	/* -H seals at most 2048 bytes; the relayed one is 8 (IPv6: 20)
	 * longer. */
	if (!he || len + grow > N2N_PKT_BUF_SIZE)
		return N2NK_HEADER_ENCRYPTED;
	switch (n2nk_he_decrypt_hdr(ctx, off, len, he)) {
	case 0:
		break;
	case HE_LONG_HDR:
		return N2NK_NOT_PACKET;
	default:
		return N2NK_HEADER_KEY;
	}
	/* Another message, or a PACKET with its IV under the header (u/pw):
	 * the daemon's. */
	if (sc->hdr_len != N2N_PACKET_HDR_SIZE)
		return N2NK_NOT_PACKET;
	__builtin_memcpy(sc->work + N2N_COMMON_OFF_COMMUNITY, s->edge.community,
			 N2N_COMMUNITY_SIZE);
	ret = relay_check_packet(sc->work, sc->work + N2N_COMMON_SIZE, p);
	if (ret)
		return ret;
	if (he_store_work(ctx, off, sc))
		return N2NK_HEADER_ENCRYPTED;
	p->he_opened = 1;
	ret = he_verify(ctx, off, len);
	if (ret) {
		p->he_opened = 0; /* he_verify put the original back */
		return ret == HE_CHECKSUM ? N2NK_HEADER_KEY
					  : N2NK_REWRITE_FAILED;
	}
	return relay_he_stamp(he, &p->from_edge);
}

/* The n2n header of an edge's datagram: a PACKET to relay, or why not. */
static __always_inline int relay_parse_n2n(struct xdp_md *ctx, struct cursor *c,
					   struct relay_pkt *p)
{
	const __u8 *hdr = cursor_pull(c, N2N_COMMON_SIZE);
	int ret;

	if (!hdr)
		return N2NK_TRUNCATED_N2N;
	if (!n2n_common_is_plaintext(hdr))
		return relay_open_he(ctx, p);
	ret = relay_check_packet(
		hdr, cursor_pull(c, N2N_PACKET_HDR_SIZE - N2N_COMMON_SIZE), p);
	if (ret)
		return ret;
	/* The daemon drops these too; no need to wake it for them. */
	if (relay_he_keys(p->to_edge.community))
		return N2NK_PLAINTEXT_ON_HE;
	return 0;
}

/* The next hop by the knob's source (enum n2nk_relay_next_hop). */
static __always_inline int relay_find_hop(struct xdp_md *ctx,
					  struct relay_pkt *p, __u16 port,
					  int next_hop, __u16 ip_len,
					  struct relay_hop *hop)
{
	int ret;

	if (next_hop == N2NK_RELAY_HOP_FIB)
		return relay_next_hop(ctx, p->sn_addr, port, p->to, ip_len,
				      &p->fib, hop);
	if (next_hop == N2NK_RELAY_HOP_MAP) {
		ret = relay_hop_from_map(ctx, p->to.addr, ip_len, hop);
		if (ret)
			return ret;
	}
	return relay_check_mtu(ctx, hop->ifindex, N2N_SOCK_SIZE_V4);
}

/* The same for IPv6 (next_hop: the knob for IPv6, by its forwarding). */
static __always_inline int relay_find_hop6(struct xdp_md *ctx,
					   struct relay_pkt *p, __u16 port,
					   int next_hop, __u16 ip_len,
					   struct relay_hop *hop)
{
	int ret;

	if (next_hop == N2NK_RELAY_HOP_FIB)
		return relay_next_hop6(ctx, &p->sn_addr6, port, &p->to6, ip_len,
				       hop, &p->fib);
	if (next_hop == N2NK_RELAY_HOP_MAP) {
		ret = relay_hop_from_map6(ctx, &p->to6, ip_len, hop);
		if (ret)
			return ret;
	}
	return relay_check_mtu(ctx, 0, N2N_SOCK_SIZE_V6);
}

/*
 * The rest of relay_frame() for an IPv6 PACKET that passed the checks:
 * next hop, then rewrite, each a function of its own, so neither's
 * registers and FIB request sit in the program's frame beside the -H
 * path's calls (a call chain has 512 bytes of stack).
 */
static __attribute__((noinline)) int relay_hop6_fn(struct xdp_md *ctx,
						   struct relay_pkt *p,
						   __u16 port, int next_hop,
						   struct relay_hop *hop)
{
	__u16 ip_len = sizeof(struct ipv6hdr) + p->udp_len + N2N_SOCK_SIZE_V6;

	return relay_find_hop6(ctx, p, port, next_hop, ip_len, hop);
}

static __attribute__((noinline)) int
relay_rewrite6_fn(struct xdp_md *ctx, struct relay_pkt *p, __u16 port,
		  const struct relay_hop *hop)
{
	return relay_rewrite6(ctx, &p->from6, &p->to6, &p->sn_addr6, port, hop,
			      p->he_opened);
}

static __always_inline int relay_frame6(struct xdp_md *ctx, struct relay_pkt *p,
					__u16 port, int next_hop,
					struct relay_hop *hop)
{
	int ret;

	ret = relay_hop6_fn(ctx, p, port, next_hop, hop);
	if (!ret)
		ret = relay_rewrite6_fn(ctx, p, port,
					next_hop == N2NK_RELAY_HOP_BACK ? NULL
									: hop);
	return ret;
}

/*
 * -H: a relayed packet sealed again over its new n2n packet at n2n_off
 * (the header grew by grow: the inserted socket), with our stamp, and its
 * UDP checksum (at l4_off) moved on for the sealed header; whatever does
 * not go on relayed goes on as it came (the n2n packet starts at n2n_off
 * before the rewrite too).
 */
static __always_inline int relay_he_finish(struct xdp_md *ctx,
					   struct relay_pkt *p, int ret,
					   __u32 n2n_off, __u32 l4_off,
					   int grow)
{
	if (!p->he_opened)
		return ret;
	if (!ret)
		return he_seal(ctx, n2n_off,
			       p->udp_len - sizeof(struct udphdr) + grow,
			       N2N_PACKET_HDR_SIZE + grow,
			       relay_he_keys(p->from_edge.community)) ||
				       relay_he_csum(ctx, l4_off,
						     N2N_PACKET_HDR_SIZE + grow)
			       ? N2NK_REWRITE_FAILED
			       : N2NK_OK;
	if (n2nk_verdict(N2NK_LAYER_RELAY, ret) != N2NK_VERDICT_DROP &&
	    he_restore(ctx, n2n_off))
		return N2NK_REWRITE_FAILED;
	return ret;
}

/*
 * Returns N2NK_OK with the frame rewritten, or why not. hop says where it
 * goes (N2NK_RELAY_HOP_BACK: back where it came from) and hop->v6 the
 * frame's family; partial: the partial_csum knob.
 */
static __always_inline int relay_frame(struct xdp_md *ctx, __u16 port,
				       int next_hop, int next_hop6, int partial,
				       struct relay_hop *hop)
{
	struct relay_pkt *pp;
	struct cursor c;
	__u32 zero = 0;
	__u16 ip_len;
	int ret;

	pp = bpf_map_lookup_elem(&relay_pkt_scratch, &zero);
	if (!pp)
		return N2NK_REWRITE_FAILED; /* an array's slot 0: never */
	__builtin_memset(pp, 0, __builtin_offsetof(struct relay_pkt, fib));
#define p (*pp)
	cursor_init_xdp(&c, ctx);
	ret = relay_parse_udp(&c, &p, port);
	hop->v6 = p.v6;
	if (ret < 0)
		return ret;
	ret = relay_parse_n2n(ctx, &c, &p);
	/* A checksum an offload was to finish: only a full sum would. */
	if (!ret && partial && p.udp_check &&
	    csum_is_partial(p.udp_check, p.pseudo_sum))
		ret = N2NK_CHECKSUM_PARTIAL;
	if (p.v6) {
		if (!ret)
			ret = relay_frame6(ctx, pp, port, next_hop6, hop);
		ret = relay_he_finish(ctx, pp, ret, RELAY6_N2N_OFF,
				      RELAY6_L4_OFF, N2N_SOCK_SIZE_V6);
		if (ret == N2NK_OK)
			relay_count_edges(p.from_slot, p.to_slot,
					  ETH_HLEN + sizeof(struct ipv6hdr) +
						  p.udp_len);
		return ret;
	}
	ip_len = sizeof(struct iphdr) + p.udp_len + N2N_SOCK_SIZE_V4;
	if (!ret)
		ret = relay_find_hop(ctx, &p, port, next_hop, ip_len, hop);
	if (!ret)
		ret = relay_rewrite(
			ctx, p.from, p.to, hop->src ? hop->src : p.sn_addr,
			port, next_hop == N2NK_RELAY_HOP_BACK ? NULL : hop,
			p.he_opened);
	ret = relay_he_finish(ctx, pp, ret, RELAY_N2N_OFF, RELAY_L4_OFF,
			      N2N_SOCK_SIZE_V4);
	if (ret == N2NK_OK)
		relay_count_edges(p.from_slot, p.to_slot,
				  ETH_HLEN + ip_len - N2N_SOCK_SIZE_V4);
	return ret;
#undef p
}

#endif /* N2NK_BPF_RELAY_H */
