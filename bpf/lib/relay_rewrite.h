/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Turns a PACKET an edge sent to us into the one n2n 3.1.1 sends on to the
 * destination edge: 8 more bytes (the sender's n2n socket after dstMac),
 * TTL - 1, SOCKET|FROM_SUPERNODE, and new Ethernet, IPv4 and UDP headers.
 */
#ifndef N2NK_BPF_RELAY_REWRITE_H
#define N2NK_BPF_RELAY_REWRITE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "lib/ipv4.h"
#include "lib/relay_csum.h"
#include "lib/relay_fib.h"
#include "n2n_wire_defs.h"
#include "n2nk_relay.h"

/* Offsets in the rewritten frame; the socket goes at RELAY_HEAD_LEN. */
#define RELAY_L4_OFF	  (ETH_HLEN + sizeof(struct iphdr))
#define RELAY_N2N_OFF	  (RELAY_L4_OFF + sizeof(struct udphdr))
#define RELAY_HEAD_LEN	  (RELAY_N2N_OFF + N2N_PACKET_OFF_SOCK)
/* The rewritten frame is at least this long: the parsers checked. */
#define RELAY_NEW_MIN_LEN (RELAY_N2N_OFF + N2N_PACKET_HDR_SIZE_SOCK)
/*
 * Moved in 8-byte words, rounded up: the last word also carries the
 * first 2 bytes of where the socket goes, which are written next.
 */
#define RELAY_MOVE_WORDS  ((RELAY_HEAD_LEN + 7) / 8)
#define RELAY_NEW_IP_TTL  64

_Static_assert(RELAY_MOVE_WORDS * 8 <= RELAY_HEAD_LEN + N2N_SOCK_SIZE_V4,
	       "the move must not reach past the inserted socket");
_Static_assert((RELAY_MOVE_WORDS + 1) * 8 <= RELAY_NEW_MIN_LEN,
	       "the move must not read past the PACKET header");

/*
 * Moves the headers 8 bytes towards the new start. Ascending word order
 * is safe because each word is read before anything overwrites it.
 * The words are unaligned: the verifier allows that on architectures with
 * efficient unaligned access (x86, arm64) and refuses to load elsewhere.
 */
static __always_inline void relay_move_head(__u64 *w)
{
	int i;

#pragma unroll
	for (i = 0; i < RELAY_MOVE_WORDS; i++)
		w[i] = w[i + 1];
}

/* To the next hop the FIB named, or back where it came from. */
static __always_inline void relay_write_eth(struct ethhdr *eth,
					    const struct relay_hop *hop)
{
	__u8 tmp[ETH_ALEN];

	if (hop) {
		__builtin_memcpy(eth->h_dest, hop->dmac, ETH_ALEN);
		__builtin_memcpy(eth->h_source, hop->smac, ETH_ALEN);
		return;
	}
	__builtin_memcpy(tmp, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, tmp, ETH_ALEN);
}

/* A new datagram from our address to the destination edge; returns what
 * the new addresses add to the UDP checksum (its pseudo-header). */
static __always_inline __u32 relay_write_ipv4(struct iphdr *iph, __be32 sn_addr,
					      __be32 to)
{
	__u32 diff =
		csum_diff32(iph->saddr, sn_addr) + csum_diff32(iph->daddr, to);

	iph->tot_len = bpf_htons(bpf_ntohs(iph->tot_len) + N2N_SOCK_SIZE_V4);
	iph->ttl = RELAY_NEW_IP_TTL;
	iph->saddr = sn_addr;
	iph->daddr = to;
	iph->check = ipv4_csum(iph);
	return diff;
}

/* Ports and length; returns what they add to the checksum (the length
 * twice: the header's and the pseudo-header's). */
static __always_inline __u32 relay_write_udp(struct udphdr *udph, __u16 port,
					     __be16 to, int grow)
{
	__be16 len = bpf_htons(bpf_ntohs(udph->len) + grow);
	__u32 diff = csum_diff16(udph->source, bpf_htons(port)) +
		     csum_diff16(udph->dest, to) +
		     2 * csum_diff16(udph->len, len);

	udph->source = bpf_htons(port);
	udph->dest = to;
	udph->len = len;
	return diff;
}

/* TTL, flags and the sender's IPv4 n2n socket (family word 0); returns
 * what they add to the checksum. The socket lands at an even offset and
 * is 8 bytes long, so the payload behind it keeps its words. */
static __always_inline __u32 relay_write_n2n(__u8 *n2n,
					     struct n2nk_relay_sock4 from)
{
	__u8 *sock = n2n + N2N_PACKET_OFF_SOCK;
	__u16 *w = (__u16 *)n2n; /* version|TTL, flags */
	__u16 w0 = w[0], w1 = w[1];

	n2n[N2N_COMMON_OFF_TTL]--;
	/* Both flags live in the low byte of the big-endian flags word. */
	n2n[N2N_COMMON_OFF_FLAGS + 1] |= N2N_FLAGS_SOCKET |
					 N2N_FLAGS_FROM_SUPERNODE;
	sock[0] = 0;
	sock[1] = 0;
	__builtin_memcpy(sock + 2, &from.port, sizeof(from.port));
	__builtin_memcpy(sock + 4, &from.addr, sizeof(from.addr));
	return csum_diff16(w0, w[0]) + csum_diff16(w1, w[1]) + from.port +
	       csum_words32(from.addr);
}

/*
 * The rewrite. A nonzero UDP checksum is updated for what changed
 * (lib/relay_csum.h); 0, "none" (RFC 768: the sender chose not to have
 * one), stays 0. he: the n2n header in the packet is the one the -H
 * seal replaces next, so its change is relay_he_csum()'s to add.
 */
static __always_inline int relay_rewrite(struct xdp_md *ctx,
					 struct n2nk_relay_sock4 from,
					 struct n2nk_relay_sock4 to,
					 __be32 sn_addr, __u16 port,
					 const struct relay_hop *hop, int he)
{
	struct udphdr *udph;
	void *data, *end;
	__u32 diff;

	if (bpf_xdp_adjust_head(ctx, -N2N_SOCK_SIZE_V4))
		return N2NK_NO_HEADROOM;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	/* Checked by the parsers already; the verifier needs it again. */
	if (data + RELAY_NEW_MIN_LEN > end) {
		bpf_xdp_adjust_head(ctx, N2N_SOCK_SIZE_V4);
		return N2NK_NO_HEADROOM;
	}
	relay_move_head(data);
	relay_write_eth(data, hop);
	udph = data + RELAY_L4_OFF;
	diff = relay_write_ipv4(data + ETH_HLEN, sn_addr, to.addr);
	diff += relay_write_udp(udph, port, to.port, N2N_SOCK_SIZE_V4);
	if (he)
		relay_write_n2n(data + RELAY_N2N_OFF, from);
	else
		diff += relay_write_n2n(data + RELAY_N2N_OFF, from);
	if (udph->check)
		udph->check = csum_update(udph->check, diff);
	return N2NK_OK;
}

/*
 * IPv6: the sender's 20-byte IPv6 n2n socket goes after dstMac, behind a
 * 40-byte IPv6 header; the headers move 20 bytes towards the new start.
 */
#define RELAY6_L4_OFF	(ETH_HLEN + sizeof(struct ipv6hdr))
#define RELAY6_N2N_OFF	(RELAY6_L4_OFF + sizeof(struct udphdr))
#define RELAY6_HEAD_LEN (RELAY6_N2N_OFF + N2N_PACKET_OFF_SOCK)
#define RELAY6_NEW_MIN_LEN \
	(RELAY6_N2N_OFF + N2N_PACKET_HDR_SIZE + N2N_SOCK_SIZE_V6)
#define RELAY6_MOVE_WORDS    (RELAY6_HEAD_LEN / 8)
#define RELAY6_NEW_HOP_LIMIT 64 /* as the supernode's own datagrams */

_Static_assert(RELAY6_HEAD_LEN == RELAY6_MOVE_WORDS * 8 + 2,
	       "the IPv6 move is whole words and one 16-bit tail");
_Static_assert(RELAY6_HEAD_LEN + N2N_SOCK_SIZE_V6 <= RELAY6_NEW_MIN_LEN,
	       "the IPv6 move must not read past the PACKET header");

/* Ascending order is safe: each word is read before anything overwrites
 * it (a write at i ends 20 bytes before the next read starts). */
static __always_inline void relay_move_head6(__u8 *d)
{
	int i;

	/* A loop, not unrolled: unrolled, the compiler hoists every load
	 * and spills them, past the stack this call may have. */
#pragma clang loop unroll(disable)
	for (i = 0; i < RELAY6_MOVE_WORDS; i++)
		*(__u64 *)(d + 8 * i) =
			*(__u64 *)(d + 8 * i + N2N_SOCK_SIZE_V6);
	*(__u16 *)(d + 8 * RELAY6_MOVE_WORDS) =
		*(__u16 *)(d + 8 * RELAY6_MOVE_WORDS + N2N_SOCK_SIZE_V6);
}

/* The words of an IPv6 address, for a sum (read 32 bits at a time:
 * fewer loads to keep in registers). */
static __always_inline __u32 csum_words128(const __u8 *a)
{
	const __u32 *w = (const __u32 *)a;

	return csum_words32(w[0]) + csum_words32(w[1]) + csum_words32(w[2]) +
	       csum_words32(w[3]);
}

/*
 * A new datagram from our address to the destination edge: hop limit 64,
 * no flow label (a new flow; the traffic class is kept, as IPv4 keeps
 * the sender's DF and ID). Returns what the addresses add to the UDP
 * checksum: the old ones out, the new ones in.
 */
static __always_inline __u32 relay_write_ipv6(struct ipv6hdr *ip6h,
					      const struct n2nk_relay_addr6 *sn,
					      const struct n2nk_relay_sock6 *to)
{
	__u32 diff = 2 * 0xffff * 8 - csum_words128(ip6h->saddr.s6_addr);

	diff -= csum_words128(ip6h->daddr.s6_addr);
	diff += csum_words128(sn->a);
	diff += csum_words128(to->addr);

	ip6h->payload_len =
		bpf_htons(bpf_ntohs(ip6h->payload_len) + N2N_SOCK_SIZE_V6);
	ip6h->hop_limit = RELAY6_NEW_HOP_LIMIT;
	ip6h->flow_lbl[0] &= 0xf0;
	ip6h->flow_lbl[1] = 0;
	ip6h->flow_lbl[2] = 0;
	__builtin_memcpy(ip6h->saddr.s6_addr, sn->a, sizeof(sn->a));
	__builtin_memcpy(ip6h->daddr.s6_addr, to->addr, sizeof(to->addr));
	return diff;
}

/* TTL, flags and the sender's IPv6 n2n socket (family word 0x8000). */
static __always_inline __u32
relay_write_n2n6(__u8 *n2n, const struct n2nk_relay_sock6 *from)
{
	__u8 *sock = n2n + N2N_PACKET_OFF_SOCK;
	__u16 *w = (__u16 *)n2n;
	__u16 w0 = w[0], w1 = w[1];
	__be16 family = bpf_htons(N2N_SOCK_FLAG_IPV6);

	n2n[N2N_COMMON_OFF_TTL]--;
	n2n[N2N_COMMON_OFF_FLAGS + 1] |= N2N_FLAGS_SOCKET |
					 N2N_FLAGS_FROM_SUPERNODE;
	__builtin_memcpy(sock, &family, sizeof(family));
	__builtin_memcpy(sock + 2, &from->port, sizeof(from->port));
	__builtin_memcpy(sock + 4, from->addr, sizeof(from->addr));
	return csum_diff16(w0, w[0]) + csum_diff16(w1, w[1]) + family +
	       from->port + csum_words128(from->addr);
}

static __always_inline int relay_rewrite6(struct xdp_md *ctx,
					  const struct n2nk_relay_sock6 *from,
					  const struct n2nk_relay_sock6 *to,
					  const struct n2nk_relay_addr6 *sn,
					  __u16 port,
					  const struct relay_hop *hop, int he)
{
	struct udphdr *udph;
	void *data, *end;
	__u32 diff;

	if (bpf_xdp_adjust_head(ctx, -N2N_SOCK_SIZE_V6))
		return N2NK_NO_HEADROOM;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + RELAY6_NEW_MIN_LEN > end) {
		bpf_xdp_adjust_head(ctx, N2N_SOCK_SIZE_V6);
		return N2NK_NO_HEADROOM;
	}
	relay_move_head6(data);
	relay_write_eth(data, hop);
	udph = data + RELAY6_L4_OFF;
	diff = relay_write_ipv6(data + ETH_HLEN, sn, to);
	diff += relay_write_udp(udph, port, to->port, N2N_SOCK_SIZE_V6);
	/* -H: the seal replaces the n2n header next (relay_he_csum()). */
	if (he)
		relay_write_n2n6(data + RELAY6_N2N_OFF, from);
	else
		diff += relay_write_n2n6(data + RELAY6_N2N_OFF, from);
	/* Never 0 here: the parser sent those to the stack. */
	udph->check = csum_update(udph->check, diff);
	return N2NK_OK;
}

#endif /* N2NK_BPF_RELAY_REWRITE_H */
