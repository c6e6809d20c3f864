/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The edge's kernel TX: a frame the TAP program sent through the
 * segmenting veth pair (offloads off there, so the kernel has cut GSO
 * frames into segments and finished their checksums) becomes the n2n
 * PACKET daemon/edge/edge_tx.c would send: outer IPv4 and UDP, the PACKET
 * header, the transform's IV and the encrypted frame, given to
 * bpf_redirect_neigh() for its Ethernet header. Past this point a frame
 * cannot go back to the daemon, so failures are drops; the TAP program
 * made the same checks first.
 */
#ifndef N2NK_BPF_EDGE_TX_H
#define N2NK_BPF_EDGE_TX_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "lib/aes_none.h" /* unless the object took lib/aes_cts.h */
#include "lib/edge_a6.h"
#include "lib/edge_maps.h"
#include "lib/edge_route.h"
#include "lib/edge_he.h"
#include "lib/ipv4.h"
#include "lib/keystream.h"

#define EDGE_IP_TTL 64
#define EDGE_ENCAP_FLAGS                                              \
	(BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 | BPF_F_ADJ_ROOM_ENCAP_L4_UDP | \
	 BPF_F_ADJ_ROOM_ENCAP_L2(ETH_HLEN) | BPF_F_ADJ_ROOM_ENCAP_L2_ETH)

/* LE32(random, bit 31 clear) || LE64(this CPU's sequence) || LE32(CPU): see
 * n2nk_edge.h. The sequence's low 16 bits are the datagram's IP ID. */
static __always_inline int edge_new_iv(__u8 *iv, __u16 *ip_id)
{
	/* Bit 31 of ChaCha20's block counter clear: a frame of at most
	 * KS_MAX_LEN bytes never wraps it, where n2n builds disagree on the
	 * carry (n2n-protocol.md, 7.3). The daemon's IVs do the same. */
	__u32 zero = 0, r = bpf_get_prandom_u32() & 0x7fffffff,
	      cpu = bpf_get_smp_processor_id();
	__u64 *seq = bpf_map_lookup_elem(&iv_seq, &zero), n;

	if (!seq)
		return -1;
	n = (*seq)++;
	*ip_id = (__u16)n;
	__builtin_memcpy(iv, &r, 4);
	__builtin_memcpy(iv + 4, &n, 8);
	__builtin_memcpy(iv + 12, &cpu, 4);
	return 0;
}

static __always_inline void edge_write_outer(void *data,
					     const struct n2nk_edge_conf *conf,
					     const struct edge_dest *d,
					     __u32 ip_len)
{
	struct ethhdr *eth = data;
	struct iphdr *iph = data + ETH_HLEN;
	struct udphdr *udph = data + ETH_HLEN + sizeof(*iph);

	/* bpf_redirect_neigh() replaces it: unicast, IPv4 is all it asks. */
	__builtin_memset(eth->h_dest, 0, ETH_ALEN);
	__builtin_memcpy(eth->h_source, conf->mac, ETH_ALEN);
	eth->h_proto = bpf_htons(ETH_P_IP);
	iph->version = 4;
	iph->ihl = 5;
	iph->tos = conf->tos; /* -T, as n2n's IP_TOS */
	iph->tot_len = bpf_htons(ip_len);
	/* DF clear (n2n's default, IP_PMTUDISC_DONT): a hop with a smaller
	 * MTU than the route's fragments the datagram (the receiver's stack
	 * reassembles it for the daemon) rather than drop it with an ICMP
	 * error no socket of ours hears. So each datagram gets its own ID:
	 * this CPU's next (see n2nk_edge.h on what checksum 0 leaves to the
	 * inner frame's checksums). -D sets DF, as n2n's IP_PMTUDISC_DO. */
	iph->id = bpf_htons(d->ip_id);
	iph->frag_off = conf->df ? bpf_htons(0x4000) : 0;
	iph->ttl = EDGE_IP_TTL;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = conf->local_addr;
	iph->daddr = d->addr;
	iph->check = ipv4_csum(iph);
	udph->source = conf->local_port;
	udph->dest = d->port;
	udph->len = bpf_htons(ip_len - sizeof(*iph));
	udph->check = 0; /* none, which IPv4 allows */
}

/* The PACKET header (edge_init_msg + seal_frame in edge_tx.c). */
static __always_inline void edge_write_packet(__u8 *n2n,
					      const struct n2nk_edge_conf *conf,
					      const __u8 *dmac)
{
	n2n[N2N_COMMON_OFF_VERSION] = N2N_PKT_VERSION;
	n2n[N2N_COMMON_OFF_TTL] = N2N_DEFAULT_TTL;
	n2n[N2N_COMMON_OFF_FLAGS] = 0;
	n2n[N2N_COMMON_OFF_FLAGS + 1] = N2N_MSG_PACKET;
	__builtin_memcpy(n2n + N2N_COMMON_OFF_COMMUNITY, conf->community,
			 N2N_COMMUNITY_SIZE);
	__builtin_memcpy(n2n + N2N_PACKET_OFF_SRC_MAC, conf->mac, N2N_MAC_SIZE);
	__builtin_memcpy(n2n + N2N_PACKET_OFF_DST_MAC, dmac, N2N_MAC_SIZE);
	n2n[N2N_PACKET_OFF_SOCK] = N2N_COMPRESSION_NONE;
	n2n[N2N_PACKET_OFF_SOCK + 1] = conf->transform;
}

static __always_inline void
edge_count_peer_tx(const __u8 *dmac, const struct edge_dest *d, __u32 frame_len)
{
	struct n2nk_edge_peer_stats *st = edge_peer_stats(dmac);

	if (!st)
		return;
	if (d->relayed)
		st->tx_relay++;
	else
		st->tx_p2p++;
	st->tx_bytes += frame_len;
}

/* The transform over the IV (already written at EDGE_OUTER_LEN) and the
 * frame after it; for -A3 the 16 bytes are AES-CBC's first block rather
 * than a keystream's IV. */
static __always_inline int edge_seal(struct __sk_buff *skb,
				     const struct n2nk_edge_conf *conf,
				     struct n2nk_ks_scratch *s, const __u8 *iv,
				     __u32 frame_len)
{
	if (conf->transform == N2N_TRANSFORM_AES)
		return aes_seal(skb, EDGE_OUTER_LEN, AES_BLOCK + frame_len);
	ks_setup(conf, s, iv);
	return n2nk_ks_xor_skb(skb, EDGE_OUTER_LEN + 16, frame_len, conf, s);
}

/*
 * -A6 (edge_a6.h), first pass: the PACKET around the frame, room for the
 * DATA header before it and the tag after it, which n2nk_a6_seal() fills
 * in. A global function, verified on its own: inlined, its branches would
 * multiply the other transforms' states. N2NK_OK with *ifindex where it
 * leaves; else why.
 */
__attribute__((noinline)) int n2nk_edge_tx_a6(struct __sk_buff *skb,
					      __u32 *ifindex)
{
	struct n2nk_edge_conf *conf = edge_conf_get();
	struct n2nk_aead_scratch *s = a6_scratch_get();
	__u32 zero = 0, frame_len, ip_len, slot = 0;
	struct n2nk_edge_peer *p;
	struct n2nk_a6_tx *tx;
	struct edge_dest d;
	void *data, *end;
	__u8 *inner;
	__u64 *seq;

	/* The stack is the TX program's and the ChaCha20 block's too: the
	 * inner Ethernet header waits in the scratch area, whose head is
	 * free until a6_seal. */
	if (!skb || !ifindex || !conf || !s)
		return N2NK_TRANSFORM;
	inner = (__u8 *)s->head;
	frame_len = skb->len;
	if (frame_len < ETH_HLEN || bpf_skb_load_bytes(skb, 0, inner, ETH_HLEN))
		return N2NK_TRUNCATED_ETH;
	p = edge_peer_get(inner); /* h_dest */
	if (!p)
		return N2NK_UNKNOWN_DEST; /* gone since the TAP program */
	edge_dest_of(conf, p, &d);
	ip_len = EDGE_OUTER_LEN + N2NK_A6_DATA_HDR - ETH_HLEN + frame_len +
		 N2NK_A6_TAG_LEN;
	if (ip_len > d.mtu || frame_len > AEAD_MAX_LEN)
		return N2NK_FRAG_NEEDED;
	tx = he_conf_get() ? NULL : a6_tx_session(inner, &slot);
	seq = bpf_map_lookup_elem(&iv_seq, &zero);
	if (!tx || !seq)
		return N2NK_TRANSFORM;
	s->user[A6_TX_SLOT] = slot;
	s->user[A6_TX_LEN] = frame_len;
	d.ip_id = (__u16)(*seq)++;
	/* The tag's room, before the encapsulation: bpf_skb_change_tail()
	 * refuses encapsulated skbs. */
	if (bpf_skb_change_tail(skb, frame_len + N2NK_A6_TAG_LEN, 0) ||
	    bpf_skb_adjust_room(skb, EDGE_OUTER_LEN + N2NK_A6_DATA_HDR,
				BPF_ADJ_ROOM_MAC, EDGE_ENCAP_FLAGS) ||
	    bpf_skb_pull_data(skb, skb->len))
		return N2NK_NO_HEADROOM;
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	if (data + EDGE_OUTER_LEN > end)
		return N2NK_NO_HEADROOM;
	edge_write_outer(data, conf, &d, ip_len);
	edge_write_packet(data + EDGE_OUTER_LEN - N2N_PACKET_HDR_SIZE, conf,
			  inner);
	if (bpf_skb_store_bytes(skb, EDGE_OUTER_LEN + N2NK_A6_DATA_HDR, inner,
				ETH_HLEN, 0))
		return N2NK_NO_HEADROOM;
	edge_count_peer_tx(inner, &d, frame_len);
	*ifindex = d.ifindex;
	return N2NK_OK;
}

/* N2NK_OK with the PACKET built and *ifindex where it leaves; else why. */
static __always_inline int edge_tx_frame(struct __sk_buff *skb, __u32 *ifindex)
{
	struct n2nk_edge_conf *conf = edge_conf_get();
	__u32 zero = 0, frame_len = skb->len, iv_len, hdr, ip_len;
	struct n2nk_ks_scratch *s;
	struct n2nk_edge_peer *p;
	struct n2nk_he *he;
	__u8 dmac[ETH_ALEN], iv[16];
	struct ethhdr inner;
	struct edge_dest d;
	void *data, *end;
	int ret;

	s = bpf_map_lookup_elem(&ks_scratch, &zero);
	if (!conf || !s)
		return N2NK_TRANSFORM;
	if (edge_is_a6(conf)) {
		ret = n2nk_edge_tx_a6(skb, ifindex);
		return ret || !n2nk_a6_seal(skb) ? ret : N2NK_TRANSFORM;
	}
	if (frame_len < ETH_HLEN ||
	    bpf_skb_load_bytes(skb, 0, &inner, sizeof(inner)))
		return N2NK_TRUNCATED_ETH;
	__builtin_memcpy(dmac, inner.h_dest, ETH_ALEN);
	p = edge_peer_get(dmac);
	if (!p)
		return N2NK_UNKNOWN_DEST; /* gone since the TAP program */
	edge_dest_of(conf, p, &d);
	iv_len = edge_iv_len(conf);
	hdr = EDGE_OUTER_LEN + iv_len;
	ip_len = hdr - ETH_HLEN + frame_len;
	if (ip_len > d.mtu || frame_len > KS_MAX_LEN)
		return N2NK_FRAG_NEEDED;
	/* -H seals at most 2048 bytes (he_encrypt's limit too). */
	if (N2N_PACKET_HDR_SIZE + iv_len + frame_len > N2N_PKT_BUF_SIZE &&
	    he_conf_get())
		return N2NK_FRAG_NEEDED;
	if (edge_new_iv(iv, &d.ip_id))
		return N2NK_TRANSFORM;
	/* Room between the Ethernet header and the inner IP header: the
	 * outer IP/UDP, the PACKET header, the IV, and a copy of the inner
	 * Ethernet header, so the inner frame follows whole. The ENCAP flags
	 * make skb->protocol IPv4 (the outer one) for an IPv6 frame too. */
	if (bpf_skb_adjust_room(skb, hdr, BPF_ADJ_ROOM_MAC, EDGE_ENCAP_FLAGS) ||
	    bpf_skb_pull_data(skb, skb->len))
		return N2NK_NO_HEADROOM;
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	if (data + EDGE_OUTER_LEN > end)
		return N2NK_NO_HEADROOM;
	edge_write_outer(data, conf, &d, ip_len);
	edge_write_packet(data + EDGE_OUTER_LEN - N2N_PACKET_HDR_SIZE, conf,
			  dmac);
	if (bpf_skb_store_bytes(skb, hdr, &inner, sizeof(inner), 0))
		return N2NK_NO_HEADROOM;
	if (iv_len) {
		data = (void *)(long)skb->data;
		end = (void *)(long)skb->data_end;
		if (data + EDGE_OUTER_LEN + 16 > end)
			return N2NK_NO_HEADROOM;
		__builtin_memcpy(data + EDGE_OUTER_LEN, iv, 16);
		if (edge_seal(skb, conf, s, iv, frame_len))
			return N2NK_TRANSFORM;
	}
	/* -H: the header too, over the finished packet. */
	he = he_conf_get();
	if (he && he_seal(skb, EDGE_OUTER_LEN - N2N_PACKET_HDR_SIZE,
			  N2N_PACKET_HDR_SIZE + iv_len + frame_len,
			  N2N_PACKET_HDR_SIZE, he))
		return N2NK_TRANSFORM;
	edge_count_peer_tx(dmac, &d, frame_len);
	*ifindex = d.ifindex;
	return N2NK_OK;
}

#endif /* N2NK_BPF_EDGE_TX_H */
