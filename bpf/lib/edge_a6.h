/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * -A6 in the edge's kernel path: the session maps of include/
 * n2nk_session.h and what the TAP, TX and RX programs do with them. The
 * kernel only seals and opens DATA frames of sessions the daemon put in
 * the maps; handshakes, keepalives, group frames, frames without a usable
 * session and everything under -H go to the daemon.
 */
#ifndef N2NK_BPF_EDGE_A6_H
#define N2NK_BPF_EDGE_A6_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

#include "lib/aead.h"
#include "lib/edge_maps.h"
#include "lib/edge_route.h"
#include "n2nk_session.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "-A6's LE32/LE64 header fields are read as host integers"
#endif

/* Our receiver index -> the session frames under it are opened with. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, N2NK_A6_MAX_SESSIONS);
	__type(key, __u32);
	__type(value, struct n2nk_a6_rx);
} a6_rx SEC(".maps");

/* Sending sessions by slot; their counters shared with the daemon. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, N2NK_A6_MAX_SESSIONS);
	__type(key, __u32);
	__type(value, struct n2nk_a6_tx);
} a6_tx SEC(".maps");

/* Peer MAC -> the a6_tx slot frames to it are sealed with. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, N2NK_EDGE_MAX_PEERS);
	__type(key, struct n2nk_edge_peer_key);
	__type(value, __u32);
} a6_peer_tx SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct n2nk_aead_scratch);
} a6_scratch SEC(".maps");

/* tc_edge_aes.bpf.c's programs (-A3 communities only) leave -A6 out: its
 * branch would cost their edge_rx stack they do not have. */
#ifdef N2NK_EDGE_NO_A6
static __always_inline int edge_is_a6(const struct n2nk_edge_conf *conf)
{
	return 0;
}
#else
static __always_inline int edge_is_a6(const struct n2nk_edge_conf *conf)
{
	return conf->transform == N2NK_TRANSFORM_A6;
}
#endif

/* The sending session for frames to mac, if the kernel may seal with it
 * now: alive, and below the counter at which the daemon takes over. Its
 * slot in *slot_out. */
static __always_inline struct n2nk_a6_tx *a6_tx_session(const __u8 *mac,
							__u32 *slot_out)
{
	struct n2nk_edge_peer_key k = {};
	struct n2nk_a6_tx *tx;
	__u32 *slot;

	__builtin_memcpy(k.mac, mac, N2N_MAC_SIZE);
	slot = bpf_map_lookup_elem(&a6_peer_tx, &k);
	if (!slot)
		return NULL;
	tx = bpf_map_lookup_elem(&a6_tx, slot);
	if (!tx || bpf_ktime_get_ns() > tx->reject_ns ||
	    *(volatile __u64 *)&tx->counter >= tx->rekey_at)
		return NULL;
	*slot_out = *slot;
	return tx;
}

static __always_inline struct n2nk_aead_scratch *a6_scratch_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&a6_scratch, &zero);
}

/*
 * The AD, from the PACKET in the skb (n2n_at: its common header; at: the
 * DATA header, after compression and transform): community, srcMac and
 * dstMac (32 bytes in a row in either header form), compression,
 * transform, the DATA header. Into s->buf, zero padded, and
 * authenticated; 0 or -1.
 */
static __always_inline int a6_ad_load(struct __sk_buff *skb, __u32 n2n_at,
				      __u32 at, struct n2nk_aead_scratch *s)
{
	__u8 *ad = (__u8 *)s->buf;

	aead_buf_zero(s);
	if (bpf_skb_load_bytes(skb, n2n_at + N2N_COMMON_OFF_COMMUNITY, ad,
			       N2N_COMMUNITY_SIZE + 2 * N2N_MAC_SIZE) ||
	    bpf_skb_load_bytes(skb, at - 2,
			       ad + N2N_COMMUNITY_SIZE + 2 * N2N_MAC_SIZE,
			       2 + N2NK_A6_DATA_HDR))
		return -1;
	return aead_ad(s, N2NK_A6_AD_LEN);
}

/* What the TX's first pass leaves its second in s->user. */
#define A6_TX_SLOT 0
#define A6_TX_LEN  1

/*
 * TX, second pass: after n2nk_edge_tx_a6 (edge_tx.h) built the PACKET
 * (a6_tx slot and frame length in s->user), the DATA header at
 * EDGE_OUTER_LEN with the session's next counter, the frame after it
 * sealed, the tag after that. A global function called from the program
 * itself, not from the first pass: the ChaCha20 block's stack comes on
 * top of the caller's. 0, or -1 (drop: past the point of return).
 */
__attribute__((noinline)) int n2nk_a6_seal(struct __sk_buff *skb)
{
	struct n2nk_aead_scratch *s = a6_scratch_get();
	struct n2nk_a6_data_hdr *h;
	struct n2nk_a6_tx *tx;
	__u32 slot, len, at = EDGE_OUTER_LEN;
	__u64 c;

	if (!skb || !s)
		return -1;
	slot = (__u32)s->user[A6_TX_SLOT];
	len = (__u32)s->user[A6_TX_LEN];
	tx = bpf_map_lookup_elem(&a6_tx, &slot);
	if (!tx || len > AEAD_MAX_LEN)
		return -1;
	c = __sync_fetch_and_add(&tx->counter, 1);
	if (c >= N2NK_A6_REJECT_AFTER_MESSAGES || c >= tx->rekey_at)
		return -1;
	h = (struct n2nk_a6_data_hdr *)s->tag; /* free until aead_finish */
	h->type = N2NK_A6_DATA;
	h->zero[0] = h->zero[1] = h->zero[2] = 0;
	h->index = tx->remote_idx;
	h->counter = c;
	if (bpf_skb_store_bytes(skb, at, h, sizeof(*h), 0) ||
	    aead_start_counter(s, tx->key, c) ||
	    a6_ad_load(skb, at - N2N_PACKET_HDR_SIZE, at, s) ||
	    n2nk_aead_seal_skb(skb, at + N2NK_A6_DATA_HDR, len, s) ||
	    aead_finish(s, N2NK_A6_AD_LEN, len) ||
	    bpf_skb_store_bytes(skb, at + N2NK_A6_DATA_HDR + len, s->tag,
				N2NK_A6_TAG_LEN, 0))
		return -1;
	return 0;
}

#endif /* N2NK_BPF_EDGE_A6_H */
