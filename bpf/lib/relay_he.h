/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Header-encrypted (-H) PACKETs at the XDP relay, as n2n 3.1.1's
 * supernode handles them (n2n-protocol.md 5.6): opened with the key of
 * the community the sender registered in, checked (checksum, time stamp
 * against the sender's record), relayed as a plaintext one would be, and
 * sealed again with a fresh stamp. The header encryption itself is
 * lib/he.h, shared with the edge's programs.
 */
#ifndef N2NK_BPF_RELAY_HE_H
#define N2NK_BPF_RELAY_HE_H

#if defined(N2NK_BPF_HE_H) && !defined(N2NK_HE_XDP)
#error "lib/he.h came in before lib/relay_he.h: it would use skb helpers"
#endif
#define N2NK_HE_XDP /* lib/he.h reaches the packet with XDP's helpers */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/he.h"
#include "lib/relay_csum.h"
#include "lib/relay_maps.h"
#include "lib/relay_rewrite.h"
#include "n2nk_relay.h"

/* Where an edge's n2n packet starts: Ethernet, IPv4 without options,
 * UDP (what relay_parse_udp4 lets through); the rewrite keeps it there. */
#define RELAY_IN_N2N_OFF (ETH_HLEN + 20 + 8)
_Static_assert(RELAY_IN_N2N_OFF == RELAY_N2N_OFF,
	       "the relayed packet's n2n header starts where it came in");

/* The keys of community, when it is a -H community the kernel relays. */
static __always_inline struct n2nk_he *relay_he_keys(const __u8 *community)
{
	struct n2nk_relay_community key;
	struct n2nk_he *he;

	__builtin_memcpy(key.name, community, N2N_COMMUNITY_SIZE);
	he = bpf_map_lookup_elem(&he_keys, &key);
	return he && he->on ? he : NULL;
}

/*
 * The stamp he_verify found against the sender's record, moved on when
 * it passes (as n2n's supernode does: it cannot tell a forged payload, so
 * a forgery stamped ahead can stall an edge's PACKETs for at most the
 * 16 s window, as in n2n). 0, N2NK_STAMP or N2NK_REPLAYED.
 */
static __always_inline int relay_he_stamp(const struct n2nk_he *he,
					  const struct n2nk_relay_edge *from)
{
	struct he_scratch *sc = he_scratch_get();
	__u64 *last;
	int ret;

	if (!sc)
		return N2NK_STAMP;
	last = bpf_map_lookup_elem(&he_stamps, from);
	ret = he_stamp_verdict(he, sc->stamp, last);
	if (ret)
		return ret;
	if (!last)
		bpf_map_update_elem(&he_stamps, from, &sc->stamp, BPF_ANY);
	else
		he_record_update(he, last, sc->stamp);
	return 0;
}

/* The sum of n bytes (n even) as 16-bit words in memory order. */
static __always_inline __u32 relay_he_sum(const __u8 *b, int n)
{
	const __u16 *w = (const __u16 *)b;
	__u32 sum = 0;
	int i;

#pragma unroll
	for (i = 0; i < n / 2; i++)
		sum += w[i];
	return sum;
}

/*
 * The UDP checksum of a relayed -H PACKET (the rewrite updated it for
 * the new IP and UDP headers, the UDP one at l4_off): the header as it
 * came (sc->orig, the H = 38 bytes the seal replaced) out, the sealed one
 * (sc->work, new_h bytes: 46 with an IPv4 socket, 58 with an IPv6 one)
 * in; the payload behind moved by the socket's even length, keeping its
 * words. 0 (no checksum) stays 0. 0, or -1.
 */
static __always_inline int relay_he_csum(struct xdp_md *ctx, __u32 l4_off,
					 int new_h)
{
	struct he_scratch *sc = he_scratch_get();
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct udphdr *udph = data + l4_off;
	__u32 diff;

	if (!sc || (void *)(udph + 1) > end)
		return -1;
	if (!udph->check)
		return 0;
	diff = csum_fold(relay_he_sum(sc->orig, N2N_PACKET_HDR_SIZE));
	diff = (__u16)~diff + relay_he_sum(sc->work, new_h);
	udph->check = csum_update(udph->check, diff);
	return 0;
}

#endif /* N2NK_BPF_RELAY_HE_H */
