/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TCP MSS clamping in the edge's kernel path (--mss-clamp): a SYN or
 * SYN-ACK crossing the overlay whose MSS option asks for more than the
 * overlay carries gets the most it does, with the TCP checksum fixed up
 * incrementally (bpf_l4_csum_replace leaves a CHECKSUM_PARTIAL sum alone:
 * it is computed later over the new bytes). The same walk as the socket
 * backend's daemon/edge/mss_clamp.c, on an skb holding an Ethernet frame.
 */
#ifndef N2NK_BPF_MSS_CLAMP_H
#define N2NK_BPF_MSS_CLAMP_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "n2nk_edge.h"

#define MSS_TCP_HDR 20
#define MSS_OPT_MAX 40 /* TCP options: at most 60 - 20 bytes */

/* Where the TCP header of a clamped frame starts, its limit, and where
 * its IP packet ends (Ethernet padding is no TCP option); 0 if this frame
 * is not one (not TCP, a fragment, that IP version off). */
static __always_inline __u32 mss_tcp_offset(struct __sk_buff *skb,
					    const struct n2nk_edge_conf *conf,
					    __u16 *max, __u32 *end)
{
	__u8 ip[20];
	__be16 type;

	if (bpf_skb_load_bytes(skb, 12, &type, sizeof(type)) ||
	    bpf_skb_load_bytes(skb, ETH_HLEN, ip, sizeof(ip)))
		return 0;
	if (type == bpf_htons(ETH_P_IP) && conf->mss_ipv4) {
		if (ip[0] >> 4 != 4 || (ip[0] & 0xf) < 5 ||
		    ip[9] != IPPROTO_TCP || ((ip[6] << 8 | ip[7]) & 0x3fff))
			return 0;
		*max = conf->mss_ipv4;
		*end = ETH_HLEN + (ip[2] << 8 | ip[3]);
		return ETH_HLEN + (ip[0] & 0xf) * 4;
	}
	if (type == bpf_htons(ETH_P_IPV6) && conf->mss_ipv6) {
		if (ip[0] >> 4 != 6 || ip[6] != IPPROTO_TCP)
			return 0;
		*max = conf->mss_ipv6;
		*end = ETH_HLEN + 40 + (ip[4] << 8 | ip[5]);
		return ETH_HLEN + 40;
	}
	return 0;
}

/* The walk over a SYN's options, one option per bpf_loop() step: the
 * bytes (read at an index the verifier bounds by masking, in a buffer the
 * options fill the start of), how many there are, where the walk is, and
 * where the MSS option was found (-1: not yet, or never). */
struct mss_walk {
	__u8 b[64];
	__u32 len, i;
	int at;
};
#define MSS_OPT(w, i) ((w)->b[(i) & (sizeof((w)->b) - 1)])

static long mss_walk_step(__u64 step __attribute__((unused)), void *ctx)
{
	struct mss_walk *w = ctx;
	__u32 i = w->i;
	__u8 kind, olen;

	if (i + 1 >= w->len)
		return 1;
	kind = MSS_OPT(w, i);
	if (kind == 0) /* end of list */
		return 1;
	if (kind == 1) { /* no-op */
		w->i = i + 1;
		return 0;
	}
	olen = MSS_OPT(w, i + 1);
	if (olen < 2 || i + olen > w->len)
		return 1; /* a broken list: left alone */
	if (kind == 2 && olen == 4) {
		w->at = (int)i;
		return 1;
	}
	w->i = i + olen;
	return 0;
}

/* The MSS as the checksum counts it: at an odd offset into the segment
 * (after one NOP) it straddles two of the sum's words, so byte-swapped
 * (daemon/edge/mss_clamp.c does the same). */
static __always_inline __u32 mss_csum_word(__be16 v, int at)
{
	return at & 1 ? (__u16)(v << 8 | v >> 8) : v;
}

/* Clamps a SYN's MSS: 1 if it rewrote the frame, 0 if not, -1 on error.
 * A function of its own: its frame then stacks on the caller's alone, not
 * on the keystream's calls as well (edge_rx's deepest chain is near the
 * 512-byte limit). bpf_loop() needs Linux 5.17. */
static __attribute__((noinline)) int
edge_clamp_mss(struct __sk_buff *skb, const struct n2nk_edge_conf *conf)
{
	struct mss_walk w = { .at = -1 };
	__u8 tcp[MSS_TCP_HDR];
	__u16 max = 0, mss;
	__be16 from, to;
	__u32 t, len, end = 0;

	/* A tag out of band (hardware VLAN): the socket path sees it in the
	 * frame and leaves the frame alone; so do we. */
	if (skb->vlan_present)
		return 0;
	t = mss_tcp_offset(skb, conf, &max, &end);
	if (!t || bpf_skb_load_bytes(skb, t, tcp, sizeof(tcp)) ||
	    !(tcp[13] & 0x02))
		return 0;
	len = (tcp[12] >> 4) * 4;
	if (len <= MSS_TCP_HDR)
		return 0;
	if (t + len > end) /* options past the IP packet: padding */
		return 0;
	len -= MSS_TCP_HDR; /* 4..40 */
	if (len > MSS_OPT_MAX ||
	    bpf_skb_load_bytes(skb, t + MSS_TCP_HDR, w.b, len))
		return 0;
	w.len = len;
	bpf_loop(MSS_OPT_MAX, mss_walk_step, &w, 0);
	if (w.at < 0 || w.at > MSS_OPT_MAX - 4)
		return 0;
	mss = (__u16)(MSS_OPT(&w, w.at + 2) << 8 | MSS_OPT(&w, w.at + 3));
	if (mss <= max)
		return 0;
	from = bpf_htons(mss);
	to = bpf_htons(max);
	if (bpf_skb_store_bytes(skb, t + MSS_TCP_HDR + w.at + 2, &to, 2, 0))
		return -1;
	if (bpf_l4_csum_replace(skb, t + 16, mss_csum_word(from, w.at),
				mss_csum_word(to, w.at), 2)) {
		/* Never with a writable skb; if so, as it came, not half. */
		bpf_skb_store_bytes(skb, t + MSS_TCP_HDR + w.at + 2, &from, 2,
				    0);
		return -1;
	}
	return 1;
}

#endif /* N2NK_BPF_MSS_CLAMP_H */
