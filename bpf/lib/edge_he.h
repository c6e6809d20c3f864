/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * -H at the edge: its community's keys (he_conf) and the last stamp from
 * each sender (he_stamps), the contract in include/n2nk_edge.h, around
 * the shared header encryption of lib/he.h.
 */
#ifndef N2NK_BPF_EDGE_HE_H
#define N2NK_BPF_EDGE_HE_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/he.h"
#include "n2nk_edge.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct n2nk_he);
} he_conf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH); /* full: the oldest goes */
	__uint(max_entries, N2NK_EDGE_MAX_PEERS + 1);
	__type(key, struct n2nk_edge_peer_key);
	__type(value, __u64);
} he_stamps SEC(".maps");

/* Our community's keys when -H is on, else NULL. */
static __always_inline struct n2nk_he *he_conf_get(void)
{
	__u32 zero = 0;
	struct n2nk_he *he = bpf_map_lookup_elem(&he_conf, &zero);

	return he && he->on ? he : NULL;
}

/*
 * Opens the header of the n2n packet of len bytes at off (linear) with our
 * community's key: 0 with the plaintext header (community restored) in
 * the skb (he_restore puts the original back) and the stamp it carried in
 * sc->stamp; else HE_NOT_OURS or HE_CHECKSUM with the skb as it came, or
 * HE_BROKEN.
 */
static __always_inline int he_open(struct __sk_buff *skb, __u32 off, __u32 len,
				   const struct n2nk_edge_conf *conf)
{
	struct he_scratch *sc = he_scratch_get();
	int ret = n2nk_he_decrypt_hdr(skb, off, len, he_conf_get());

	if (ret)
		return ret;
	if (!sc)
		return HE_BROKEN;
	__builtin_memcpy(sc->work + 4, conf->community, N2N_COMMUNITY_SIZE);
	if (he_store_work(skb, off, sc))
		return HE_BROKEN;
	return he_verify(skb, off, len);
}

/* The record of a sender: its MAC, or all zero for our supernode. */
static __always_inline void he_sender_key(struct n2nk_edge_peer_key *key,
					  const __u8 *mac)
{
	__builtin_memset(key, 0, sizeof(*key));
	if (mac)
		__builtin_memcpy(key->mac, mac, N2N_MAC_SIZE);
}

/*
 * The stamp he_open found against the last one from this sender (mac; NULL:
 * our supernode, for relayed PACKETs). It moves nothing on:
 * he_stamp_commit does, once the frame is delivered, so a forged header
 * with a stamp in the future (anyone with the community name can make
 * one; without the key its payload then fails) cannot make the sender's
 * real PACKETs look replayed. 0, N2NK_STAMP or N2NK_REPLAYED.
 */
static __always_inline int he_stamp_check(const struct n2nk_he *he,
					  const __u8 *mac)
{
	struct he_scratch *sc = he_scratch_get();
	struct n2nk_edge_peer_key key;

	if (!sc)
		return N2NK_STAMP;
	he_sender_key(&key, mac);
	return he_stamp_verdict(he, sc->stamp,
				bpf_map_lookup_elem(&he_stamps, &key));
}

/* The stamp he_stamp_check passed, now the sender's last (if newer). */
static __always_inline void he_stamp_commit(const __u8 *mac)
{
	struct he_scratch *sc = he_scratch_get();
	struct n2nk_he *he = he_conf_get();
	struct n2nk_edge_peer_key key;
	__u64 *last;

	if (!sc || !he)
		return;
	he_sender_key(&key, mac);
	last = bpf_map_lookup_elem(&he_stamps, &key);
	if (!last)
		bpf_map_update_elem(&he_stamps, &key, &sc->stamp, BPF_ANY);
	else
		he_record_update(he, last, sc->stamp);
}

#endif /* N2NK_BPF_EDGE_HE_H */
