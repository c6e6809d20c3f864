/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The edge's kernel RX: a PACKET of our community from an established peer
 * (directly from its socket, or relayed by our supernode) is decrypted,
 * checked as the daemon checks it, stripped of its outer headers and
 * handed to the TAP device's receive path. Anything else goes on to the
 * stack, and so to the daemon's UDP socket, as it arrived: a frame this
 * code decrypted and then turns down is encrypted again first.
 */
#ifndef N2NK_BPF_EDGE_RX_H
#define N2NK_BPF_EDGE_RX_H

#include <stdbool.h>
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
#include "lib/keystream.h"
#include "lib/n2n_hdr.h"
#include "lib/parse.h"

/* The most the RX reads before the payload: Ethernet, IPv4, UDP, a
 * relayed PACKET header with an IPv6 socket, the IV. */
#define EDGE_RX_HEAD \
	(ETH_HLEN + 20 + 8 + N2N_PACKET_HDR_SIZE + N2N_SOCK_SIZE_V6 + 16)

/* Where the n2n packet starts: Ethernet, IPv4 without options, UDP. */
#define EDGE_RX_N2N_OFF (ETH_HLEN + 20 + 8)

/* What the parse learns. */
struct edge_rx_pkt {
	struct n2nk_edge_peer *peer;
	__u8 src_mac[ETH_ALEN];
	__u32 off;	 /* where the transform's output starts */
	__u32 frame_len; /* the inner frame's length */
	__u32 n2n_len;	 /* the UDP payload's */
	__u8 relayed;
	__u8 he_opened; /* -H: the header in the skb is ours, decrypted */
};

static __always_inline void cursor_init_skb(struct cursor *c,
					    struct __sk_buff *skb)
{
	c->pos = (void *)(long)skb->data;
	c->end = (void *)(long)skb->data_end;
}

/* Ethernet, IPv4 without options or fragments, UDP to our port. */
static __always_inline int edge_rx_udp(struct cursor *c, __u32 skb_len,
				       const struct n2nk_edge_conf *conf,
				       struct iphdr **iphp,
				       struct udphdr **udphp)
{
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
	if (iph->ihl > 5)
		return N2NK_IP_OPTIONS;
	if (iph->frag_off & bpf_htons(0x2000))
		return N2NK_IP_FRAGMENT;
	if (ret != IPPROTO_UDP)
		return N2NK_NOT_UDP;
	ret = parse_udp(c, udphp);
	if (ret < 0)
		return ret;
	if (bpf_htons(ret) != conf->local_port)
		return N2NK_WRONG_PORT;
	if (conf->local_addr && iph->daddr != conf->local_addr)
		return N2NK_NOT_LOCAL;
	/* The whole frame, not its linear part: the payload may be in page
	 * fragments. A trailer after the datagram would stay on the inner
	 * frame (the stack trims it): not for the fast path. */
	if (ETH_HLEN + bpf_ntohs(iph->tot_len) != skb_len)
		return N2NK_IP_LENGTH;
	if (bpf_ntohs(iph->tot_len) != 20 + bpf_ntohs((*udphp)->len))
		return N2NK_UDP_LENGTH;
	*iphp = iph;
	return 0;
}

/* The socket field a relayed PACKET carries: its size, or 0 for a family
 * word with bits the daemon's decoder refuses (only IPv6 and TCP). */
static __always_inline int edge_rx_sock_len(const __u8 *sock)
{
	__u16 family = (__u16)sock[0] << 8 | sock[1];

	if (family & ~(N2N_SOCK_FLAG_IPV6 | N2N_SOCK_FLAG_TCP))
		return 0;
	return family & N2N_SOCK_FLAG_IPV6 ? N2N_SOCK_SIZE_V6
					   : N2N_SOCK_SIZE_V4;
}

/* Which peer sent it and how: the daemon's edge_on_packet checks. */
static __always_inline int edge_rx_sender(const struct n2nk_edge_conf *conf,
					  const struct iphdr *iph,
					  const struct udphdr *udph,
					  const __u8 *hdr, __u16 flags,
					  struct edge_rx_pkt *k)
{
	struct n2nk_edge_peer *p;

	if (flags & N2N_FLAGS_FROM_SUPERNODE) {
		if (iph->saddr != conf->sn_addr ||
		    udph->source != conf->sn_port)
			return N2NK_UNKNOWN_SUPERNODE;
		k->relayed = 1;
	} else if (flags & N2N_FLAGS_SOCKET) {
		return N2NK_HAS_SOCKET;
	}
	__builtin_memcpy(k->src_mac, hdr + N2N_PACKET_OFF_SRC_MAC, ETH_ALEN);
	p = edge_peer_get(k->src_mac);
	if (!p)
		return N2NK_UNKNOWN_SENDER;
	if (!k->relayed && (p->path != N2NK_PATH_P2P || iph->saddr != p->addr ||
			    udph->source != p->port))
		return N2NK_SPOOFED_SOURCE;
	if (hdr[N2N_PACKET_OFF_DST_MAC] & 1)
		return N2NK_MULTICAST_DEST;
	k->peer = p;
	return 0;
}

static __always_inline int edge_rx_parse(struct __sk_buff *skb,
					 const struct n2nk_edge_conf *conf,
					 struct edge_rx_pkt *k)
{
	struct udphdr *udph;
	struct iphdr *iph;
	struct cursor c;
	const __u8 *hdr, *tail;
	__u32 payload, hlen = N2N_PACKET_HDR_SIZE;
	int ret, sock_len;
	__u16 flags;

	cursor_init_skb(&c, skb);
	ret = edge_rx_udp(&c, skb->len, conf, &iph, &udph);
	if (ret)
		return ret;
	k->n2n_len = bpf_ntohs(udph->len) - 8;
	/* One skb, several datagrams to our port (GRO, a UDP_SEGMENT sender
	 * across a veth, virtio's GSO with gso_segs 0): the UDP stack splits
	 * it for the daemon's socket. */
	if (skb->gso_size)
		return N2NK_MERGED;
	hdr = cursor_pull(&c, N2N_PACKET_HDR_SIZE);
	if (!hdr)
		return N2NK_TRUNCATED_N2N;
	if (!n2n_common_is_plaintext(hdr))
		return N2NK_HEADER_ENCRYPTED;
	flags = n2n_common_flags(hdr);
	if ((flags & N2N_FLAGS_TYPE_MASK) != N2N_MSG_PACKET)
		return N2NK_NOT_PACKET;
	if (__builtin_memcmp(hdr + N2N_COMMON_OFF_COMMUNITY, conf->community,
			     N2N_COMMUNITY_SIZE))
		return N2NK_COMMUNITY;
	ret = edge_rx_sender(conf, iph, udph, hdr, flags, k);
	if (ret)
		return ret;
	tail = hdr + N2N_PACKET_OFF_SOCK;
	if (flags & N2N_FLAGS_SOCKET) {
		sock_len = edge_rx_sock_len(tail);
		if (!sock_len)
			return N2NK_MALFORMED;
		hlen += sock_len;
		if (!cursor_pull(&c, sock_len))
			return N2NK_TRUNCATED_N2N;
		tail = c.pos - 2;
	}
	if ((void *)(tail + 2) > c.end)
		return N2NK_TRUNCATED_N2N;
	if (tail[0] != N2N_COMPRESSION_NONE)
		return N2NK_COMPRESSED;
	if (tail[1] != conf->transform)
		return N2NK_TRANSFORM;
	payload = bpf_ntohs(udph->len) - 8 - hlen;
	if (payload > KS_MAX_LEN + 16 || payload < edge_iv_len(conf) + ETH_HLEN)
		return N2NK_DECRYPT;
	k->off = ETH_HLEN + 20 + 8 + hlen;
	k->frame_len = payload - edge_iv_len(conf);
	return 0;
}

static __always_inline int edge_mac_is_ip_multicast(const __u8 *m)
{
	return (m[0] == 0x01 && m[1] == 0x00 && m[2] == 0x5e) ||
	       (m[0] == 0x33 && m[1] == 0x33);
}

/* The decrypted frame is what the daemon would accept: from srcMac, IP
 * multicast only with -E, and without -r to our own IPv4 address
 * (edge_rx.c's rx_filtered). */
static __always_inline int edge_rx_inner(struct __sk_buff *skb,
					 const struct n2nk_edge_conf *conf,
					 const struct edge_rx_pkt *k, __u32 fo,
					 struct ethhdr *inner)
{
	__be32 dst;

	if (bpf_skb_load_bytes(skb, fo, inner, sizeof(*inner)))
		return N2NK_DECRYPT;
	if (__builtin_memcmp(inner->h_source, k->src_mac, ETH_ALEN))
		return N2NK_INNER_SOURCE;
	if (inner->h_proto == bpf_htons(N2NK_ETH_P_CONTROL))
		return N2NK_CONTROL_FRAME; /* the daemon's to read */
	if (!conf->accept_multicast && edge_mac_is_ip_multicast(inner->h_dest))
		return N2NK_FILTERED;
	if (conf->allow_routing || !conf->ip ||
	    inner->h_proto != bpf_htons(ETH_P_IP) ||
	    k->frame_len < ETH_HLEN + 20)
		return 0;
	if (bpf_skb_load_bytes(skb, fo + ETH_HLEN + 16, &dst, sizeof(dst)))
		return N2NK_DECRYPT;
	return dst == conf->ip || (inner->h_dest[0] & 1) ? 0 : N2NK_FILTERED;
}

/* -A6: edge_rx_inner's checks on the decrypted head of the frame (len
 * bytes) from srcMac smac; s->head holds its first 64 bytes. */
static __always_inline int edge_rx_a6_inner(const struct n2nk_edge_conf *conf,
					    const struct n2nk_aead_scratch *s,
					    const __u8 *smac, __u32 len)
{
	const __u8 *f = (const __u8 *)s->head;
	__be32 dst;

	if (__builtin_memcmp(f + ETH_ALEN, smac, ETH_ALEN))
		return N2NK_INNER_SOURCE;
	if (!conf->accept_multicast && edge_mac_is_ip_multicast(f))
		return N2NK_FILTERED;
	if (conf->allow_routing || !conf->ip || f[12] != 0x08 || f[13] != 0 ||
	    len < ETH_HLEN + 20)
		return 0;
	__builtin_memcpy(&dst, f + ETH_HLEN + 16, sizeof(dst));
	return dst == conf->ip || (f[0] & 1) ? 0 : N2NK_FILTERED;
}

/* What n2nk_a6_rx_check leaves n2nk_a6_rx_open in s->user. */
#define A6_RX_OFF   0 /* the DATA header's offset */
#define A6_RX_LEN   1 /* the frame's length */
#define A6_RX_INDEX 2 /* the session, a6_rx's key */
#define A6_RX_CTR   3 /* the frame's counter */

/*
 * -A6, first pass over the payload (len bytes at off: DATA header,
 * frame, tag) of a PACKET whose header passed, pulled linear: a DATA
 * frame of a live session of its sender's, not too old for the replay
 * window, with what the second pass needs left in s->user: 0. Else why,
 * the skb as it came. A global function, verified once.
 */
__attribute__((noinline)) int n2nk_a6_rx_check(struct __sk_buff *skb, __u32 off,
					       __u32 len)
{
	struct n2nk_aead_scratch *s = a6_scratch_get();
	struct n2nk_a6_data_hdr h;
	struct n2nk_a6_rx *v;
	__u8 smac[ETH_ALEN];
	__u32 index;

	if (!skb || !s)
		return N2NK_DECRYPT;
	if (he_conf_get()) /* -A6 under -H: the daemon's (header restored) */
		return N2NK_HEADER_ENCRYPTED;
	if (bpf_skb_load_bytes(skb, off, &h, sizeof(h)))
		return N2NK_TRUNCATED_N2N;
	if (h.type != N2NK_A6_DATA)
		return N2NK_SESSION_CONTROL;
	if (len == N2NK_A6_OVERHEAD)
		return N2NK_KEEPALIVE;
	if (len < N2NK_A6_OVERHEAD + ETH_HLEN ||
	    len > N2NK_A6_OVERHEAD + AEAD_MAX_LEN || off > AEAD_MAX_OFF)
		return N2NK_DECRYPT;
	index = h.index;
	v = bpf_map_lookup_elem(&a6_rx, &index);
	if (!v || bpf_ktime_get_ns() > v->reject_ns)
		return N2NK_NO_SESSION;
	/* The session is its peer's: another's frame (whose AD would not
	 * verify either) costs no crypto. */
	if (bpf_skb_load_bytes(skb, EDGE_RX_N2N_OFF + N2N_PACKET_OFF_SRC_MAC,
			       smac, ETH_ALEN) ||
	    __builtin_memcmp(smac, v->peer_mac, ETH_ALEN))
		return N2NK_AEAD_TAG;
	if (n2nk_replay_stale(&v->win, h.counter))
		return N2NK_REPLAYED;
	s->user[A6_RX_OFF] = off;
	s->user[A6_RX_LEN] = len - N2NK_A6_OVERHEAD;
	s->user[A6_RX_INDEX] = index;
	s->user[A6_RX_CTR] = h.counter;
	return 0;
}

/*
 * -A6, second pass: the tag verified, the inner frame checked (from its
 * decrypted head, left in s->head), the counter taken in the replay
 * window under the session's lock: N2NK_OK, for edge_rx_a6 to decrypt.
 * Else why, the skb as it came. Everything lives in the scratch area:
 * the ChaCha20 block's stack comes on top of this one's and the
 * program's.
 */
__attribute__((noinline)) int n2nk_a6_rx_open(struct __sk_buff *skb)
{
	struct n2nk_aead_scratch *s = a6_scratch_get();
	struct n2nk_edge_conf *conf;
	struct n2nk_a6_rx *v;
	__u32 off, flen;
	int ret;

	if (!skb || !s)
		return N2NK_DECRYPT;
	off = (__u32)s->user[A6_RX_OFF];
	flen = (__u32)s->user[A6_RX_LEN];
	v = bpf_map_lookup_elem(&a6_rx, &s->user[A6_RX_INDEX]);
	if (!v || off > AEAD_MAX_OFF || flen > AEAD_MAX_LEN)
		return N2NK_NO_SESSION; /* gone since the first pass */
	if (aead_start_counter(s, v->key, s->user[A6_RX_CTR]) ||
	    a6_ad_load(skb, EDGE_RX_N2N_OFF, off, s) ||
	    n2nk_aead_auth_skb(skb, off + N2NK_A6_DATA_HDR, flen, s) ||
	    aead_finish(s, N2NK_A6_AD_LEN, flen) ||
	    bpf_skb_load_bytes(skb, off + N2NK_A6_DATA_HDR + flen, s->buf,
			       N2NK_A6_TAG_LEN))
		return N2NK_DECRYPT;
	if (!poly_tag_equal(s, s->buf))
		return N2NK_AEAD_TAG;
	conf = edge_conf_get();
	if (!conf || aead_head(skb, off + N2NK_A6_DATA_HDR, flen, s))
		return N2NK_DECRYPT;
	ret = edge_rx_a6_inner(conf, s, v->peer_mac, flen);
	if (ret)
		return ret; /* the daemon's, as it came */
	bpf_spin_lock(&v->lock);
	ret = n2nk_replay_accept(&v->win, s->user[A6_RX_CTR]);
	bpf_spin_unlock(&v->lock);
	if (ret)
		return N2NK_REPLAYED;
	v->last_rx_ns = bpf_ktime_get_ns();
	return N2NK_OK;
}

/* The keystream's XOR over the frame, its own inverse. It can only fail
 * before its first write (no keystream for this transform): -1. */
static __always_inline int edge_rx_keystream(struct __sk_buff *skb,
					     const struct n2nk_edge_conf *conf,
					     struct n2nk_ks_scratch *s,
					     const struct edge_rx_pkt *k)
{
	__u8 *iv =
		(__u8 *)s->ks; /* free until the first block: off the stack */

	if (bpf_skb_load_bytes(skb, k->off, iv, 16))
		return AES_FAILED;
	ks_setup(conf, s, iv);
	return n2nk_ks_xor_skb(skb, k->off + 16, k->frame_len, conf, s)
		       ? AES_FAILED
		       : 0;
}

/* Decrypts the frame in place. 0, AES_FAILED (nothing changed) or
 * AES_FAILED_WRITTEN (drop it). */
static __always_inline int edge_rx_open(struct __sk_buff *skb,
					const struct n2nk_edge_conf *conf,
					struct n2nk_ks_scratch *s,
					const struct edge_rx_pkt *k)
{
	if (!edge_iv_len(conf))
		return 0;
	if (conf->transform == N2N_TRANSFORM_AES)
		return aes_open(skb, k->off, AES_BLOCK + k->frame_len);
	return edge_rx_keystream(skb, conf, s, k);
}

/* Encrypts the frame again, so the daemon gets the datagram as it came:
 * AES-CBC from the same first block gives the same bytes. 0 or not. */
static __always_inline int edge_rx_reseal(struct __sk_buff *skb,
					  const struct n2nk_edge_conf *conf,
					  struct n2nk_ks_scratch *s,
					  const struct edge_rx_pkt *k)
{
	if (!edge_iv_len(conf))
		return 0;
	if (conf->transform == N2N_TRANSFORM_AES)
		return aes_seal(skb, k->off, AES_BLOCK + k->frame_len);
	return edge_rx_keystream(skb, conf, s, k);
}

/* -A3: a frame whose first block says it is not from srcMac is handed on
 * before the whole decryption, which costs tens of microseconds with a
 * kernel's portable AES, so a forged PACKET costs one block. */
static __always_inline int edge_rx_aes_peek(struct __sk_buff *skb,
					    const struct n2nk_edge_conf *conf,
					    const struct edge_rx_pkt *k)
{
	if (conf->transform != N2N_TRANSFORM_AES)
		return 0;
	return aes_source_is(skb, k->off, AES_BLOCK + k->frame_len, k->src_mac)
		       ? 0 /* it is, or a short frame cannot tell */
		       : N2NK_INNER_SOURCE;
}

static __always_inline void edge_count_peer_rx(const struct edge_rx_pkt *k)
{
	struct n2nk_edge_peer_stats *st = edge_peer_stats(k->src_mac);

	if (!k->relayed)
		k->peer->last_p2p_rx_ns = bpf_ktime_get_ns();
	if (!st)
		return;
	if (k->relayed)
		st->rx_relay++;
	else
		st->rx_p2p++;
	st->rx_bytes += k->frame_len;
}

/*
 * The PACKET header, parsed; with -H opened first (its stamp checked once
 * the sender is known), k->he_opened then saying the skb's header is now
 * the plaintext one, to be put back if the datagram goes on. 0 or why.
 */
static __always_inline int edge_rx_header(struct __sk_buff *skb,
					  const struct n2nk_edge_conf *conf,
					  struct edge_rx_pkt *k)
{
	const struct n2nk_he *he = he_conf_get();
	int ret = edge_rx_parse(skb, conf, k);

	if (!he)
		return ret;
	if (ret != N2NK_HEADER_ENCRYPTED)
		return ret ? ret : N2NK_PLAINTEXT_ON_HE;
	if (bpf_skb_pull_data(skb, skb->len))
		return N2NK_HEADER_ENCRYPTED;
	switch (he_open(skb, EDGE_RX_N2N_OFF, k->n2n_len, conf)) {
	case 0:
		break;
	case HE_NOT_OURS:
		return N2NK_HEADER_ENCRYPTED; /* the daemon's to judge */
	case HE_LONG_HDR:
		return N2NK_NOT_PACKET;
	case HE_CHECKSUM:
		return N2NK_HEADER_KEY;
	default:
		return N2NK_REWRITE_FAILED;
	}
	k->he_opened = 1;
	ret = edge_rx_parse(skb, conf, k);
	return ret ? ret : he_stamp_check(he, k->relayed ? NULL : k->src_mac);
}

/* The payload of a PACKET whose header passed: decrypted, checked, and
 * the skb cut to the inner frame. N2NK_OK or why, with the payload as it
 * came (or N2NK_REWRITE_FAILED: it cannot be). */
static __always_inline int edge_rx_payload(struct __sk_buff *skb,
					   const struct n2nk_edge_conf *conf,
					   struct n2nk_ks_scratch *s,
					   struct edge_rx_pkt *k)
{
	struct ethhdr inner;
	__u32 fo;
	int ret;

	if (bpf_skb_pull_data(skb, skb->len))
		return N2NK_DECRYPT;
	ret = edge_rx_aes_peek(skb, conf, k);
	if (ret)
		return ret;
	ret = edge_rx_open(skb, conf, s, k);
	if (ret)
		return ret == AES_FAILED_WRITTEN ? N2NK_REWRITE_FAILED
						 : N2NK_DECRYPT;
	fo = k->off + edge_iv_len(conf);
	ret = edge_rx_inner(skb, conf, k, fo, &inner);
	/* Only the first fo bytes go: outer headers, the PACKET header, the
	 * IV and the inner Ethernet header, which then replaces the outer. */
	if (!ret && bpf_skb_adjust_room(skb, -(__s32)fo, BPF_ADJ_ROOM_MAC, 0))
		ret = N2NK_NO_HEADROOM;
	else if (!ret && bpf_skb_store_bytes(skb, 0, &inner, sizeof(inner), 0))
		return N2NK_REWRITE_FAILED; /* cut already: cannot go back */
	if (ret) {
		/* Back as it came, for the daemon. */
		if (edge_rx_reseal(skb, conf, s, k))
			return N2NK_REWRITE_FAILED;
		return ret;
	}
	edge_count_peer_rx(k);
	return N2NK_OK;
}

/* -A6: the payload opened (n2nk_a6_rx_check, _open) and the skb cut to the inner
 * frame, which ends where the tag did. N2NK_OK or why. */
/*
 * -A6, last pass: the frame decrypted 16 bytes on, over the tag, so the
 * skb is cut at its head (bpf_skb_change_tail() refuses encapsulated
 * skbs) to the inner frame, whose Ethernet header n2nk_a6_rx_open left in
 * s->head. 0, or -1 (drop: it cannot go back).
 */
__attribute__((noinline)) int n2nk_a6_rx_finish(struct __sk_buff *skb)
{
	struct n2nk_aead_scratch *s = a6_scratch_get();
	__u32 off, flen;

	if (!skb || !s)
		return -1;
	off = (__u32)s->user[A6_RX_OFF];
	flen = (__u32)s->user[A6_RX_LEN];
	if (off > AEAD_MAX_OFF ||
	    n2nk_aead_open_skb(skb, off + N2NK_A6_DATA_HDR, flen,
			       N2NK_A6_TAG_LEN, s) ||
	    bpf_skb_adjust_room(skb, -(__s32)(off + N2NK_A6_OVERHEAD),
				BPF_ADJ_ROOM_MAC, 0) ||
	    bpf_skb_store_bytes(skb, 0, s->head, ETH_HLEN, 0))
		return -1;
	return 0;
}

/* -A6: the payload opened (n2nk_a6_rx_check, _open, _finish: global
 * functions called from here, each with the stack to itself) and the skb
 * cut to the inner frame. N2NK_OK or why. */
static __always_inline int edge_rx_a6(struct __sk_buff *skb,
				      struct edge_rx_pkt *k)
{
	int ret;

	if (bpf_skb_pull_data(skb, skb->len))
		return N2NK_DECRYPT;
	ret = n2nk_a6_rx_check(skb, k->off, k->frame_len + N2NK_A6_DATA_HDR);
	if (!ret)
		ret = n2nk_a6_rx_open(skb);
	if (ret)
		return ret;
	if (n2nk_a6_rx_finish(skb))
		return N2NK_REWRITE_FAILED; /* opened: cannot go back */
	k->frame_len -= N2NK_A6_TAG_LEN;
	edge_count_peer_rx(k);
	return N2NK_OK;
}

/*
 * N2NK_OK with the skb now the inner frame, for the TAP's receive path;
 * else why not, with the skb as it arrived (unless dropped).
 */
static __always_inline int edge_rx_frame(struct __sk_buff *skb,
					 const struct n2nk_edge_conf *conf)
{
	struct edge_rx_pkt k = {};
	struct n2nk_ks_scratch *s;
	__u32 zero = 0;
	int ret;

	s = bpf_map_lookup_elem(&ks_scratch, &zero);
	if (!s)
		return N2NK_DECRYPT;
	bpf_skb_pull_data(skb,
			  skb->len < EDGE_RX_HEAD ? skb->len : EDGE_RX_HEAD);
	ret = edge_rx_header(skb, conf, &k);
	if (!ret)
		ret = edge_is_a6(conf) ? edge_rx_a6(skb, &k)
				       : edge_rx_payload(skb, conf, s, &k);
	if (!ret && k.he_opened)
		he_stamp_commit(k.relayed ? NULL : k.src_mac);
	if (ret && k.he_opened &&
	    n2nk_verdict(N2NK_LAYER_EDGE_RX, ret) != N2NK_VERDICT_DROP &&
	    he_restore(skb, EDGE_RX_N2N_OFF))
		return N2NK_REWRITE_FAILED;
	return ret;
}

#endif /* N2NK_BPF_EDGE_RX_H */
