/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * n2n's header encryption (-H, n2n-protocol.md 5) in BPF, the same as
 * daemon/proto/header_crypt.c: a Pearson checksum of the whole packet and
 * the time stamp hidden in an IV block (Speck128/128, the IV key), the
 * first H bytes of the header under Speck-CTR (the header key), the
 * community name not sent. The header is worked on in a per-CPU copy
 * (at most HE_HDR_MAX bytes: a PACKET header with a socket); the
 * checksum runs over the packet itself.
 */
#ifndef N2NK_BPF_HE_H
#define N2NK_BPF_HE_H

#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "lib/speck.h"
#include "n2n_wire_defs.h"
#include "n2nk_edge.h"

#define HE_HDR_MAX 64
#define HE_CHUNK   64 /* what the checksum reads at a time */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct n2nk_edge_he);
} he_conf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH); /* full: the oldest goes */
	__uint(max_entries, N2NK_EDGE_MAX_PEERS + 1);
	__type(key, struct n2nk_edge_peer_key);
	__type(value, __u64);
} he_stamps SEC(".maps");

struct he_scratch {
	__u8 orig[HE_HDR_MAX]; /* the header as it came (RX: to restore) */
	__u8 work[HE_HDR_MAX]; /* the header being opened or sealed */
	__u8 pre_iv[16];       /* checksum, stamp, random bits */
	__u64 csum;	       /* n2nk_he_pearson64's output */
	__u64 stamp;	       /* RX: the stamp the header carried */
	__u32 hdr_len;	       /* RX: H */
	__u32 pad;
	__u8 chunk[HE_CHUNK]; /* the packet, as the checksum reads it */
	struct n2nk_edge_peer_key sender; /* he_stamp_check's key */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct he_scratch);
} he_scratch SEC(".maps");

static __always_inline struct n2nk_edge_he *he_conf_get(void)
{
	__u32 zero = 0;
	struct n2nk_edge_he *he = bpf_map_lookup_elem(&he_conf, &zero);

	return he && he->on ? he : NULL;
}

static __always_inline struct he_scratch *he_scratch_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&he_scratch, &zero);
}

static __always_inline __u32 he_get_be32(const __u8 *p)
{
	return (__u32)p[0] << 24 | (__u32)p[1] << 16 | (__u32)p[2] << 8 | p[3];
}

static __always_inline void he_put_be32(__u8 *p, __u32 v)
{
	p[0] = v >> 24, p[1] = v >> 16, p[2] = v >> 8, p[3] = v;
}

static __always_inline __u64 he_get_le64(const __u8 *p)
{
	__u64 v;

	__builtin_memcpy(&v, p, 8); /* BPF here is little-endian */
	return v;
}

/* Speck128/128 on the block (y = LE64(b[0..8]), x = LE64(b[8..16])). */
static __always_inline void he_speck_encrypt(const struct n2nk_speck128_key *k,
					     __u64 *x, __u64 *y)
{
	int i;

	for (i = 0; i < N2NK_HE_ROUNDS; i++) {
		*x = (speck_ror(*x, 8) + *y) ^ k->rk[i];
		*y = speck_rol(*y, 3) ^ *x;
	}
}

static __always_inline void he_speck_decrypt(const struct n2nk_speck128_key *k,
					     __u64 *x, __u64 *y)
{
	int i;

	for (i = N2NK_HE_ROUNDS - 1; i >= 0; i--) {
		*y = speck_ror(*y ^ *x, 3);
		*x = speck_rol((*x ^ k->rk[i]) - *y, 8);
	}
}

/* One 16-byte block of b in place, either way. */
static __always_inline void he_block(const struct n2nk_speck128_key *k, __u8 *b,
				     bool decrypt)
{
	__u64 y = he_get_le64(b), x = he_get_le64(b + 8);

	if (decrypt)
		he_speck_decrypt(k, &x, &y);
	else
		he_speck_encrypt(k, &x, &y);
	__builtin_memcpy(b, &y, 8);
	__builtin_memcpy(b + 8, &x, 8);
}

/*
 * n2n's Speck-CTR from the IV iv (its first 16 bytes) over sc->work[16..h)
 * XORed from src[16..h): keystream block i encrypts LE64(n0 + i) ||
 * LE64(n1). h at most HE_HDR_MAX.
 */
static __always_inline void he_ctr(const struct n2nk_speck128_key *k,
				   const __u8 *iv, __u8 *dst, const __u8 *src,
				   __u32 h)
{
	__u64 n0 = he_get_le64(iv), n1 = he_get_le64(iv + 8), x, y;
	__u8 ks[16];
	__u32 i, j;

	for (i = 0; i < (HE_HDR_MAX - 16) / 16; i++) {
		y = n0 + i, x = n1;
		he_speck_encrypt(k, &x, &y);
		__builtin_memcpy(ks, &y, 8);
		__builtin_memcpy(ks + 8, &x, 8);
		for (j = 0; j < 16; j++)
			if (16 + 16 * i + j < h)
				dst[16 + 16 * i + j] = src[16 + 16 * i + j] ^
						       ks[j];
	}
}

/* The lane hash's mixer (daemon/proto/pearson.c). */
static __always_inline __u64 he_mix64(__u64 x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

/*
 * n2n's 64-bit Pearson lane hash (daemon/proto/pearson.c, one lane) of the
 * len bytes at off of the skb into sc->csum, read 64 bytes at a time (a
 * loop of direct packet reads this long is more than the verifier takes).
 * 0, or -1 when they are not there.
 */
__attribute__((noinline)) int n2nk_he_pearson64(struct __sk_buff *skb,
						__u32 off, __u32 len,
						struct he_scratch *sc)
{
	__u32 i, j, done = 0, rest;
	__u64 h = 0;

	if (!skb || !sc || len > N2N_PKT_BUF_SIZE)
		return -1;
	for (i = 0; i < N2N_PKT_BUF_SIZE / HE_CHUNK; i++) {
		if (done + HE_CHUNK > len)
			break;
		if (bpf_skb_load_bytes(skb, off + done, sc->chunk, HE_CHUNK))
			return -1;
		for (j = 0; j < HE_CHUNK / 8; j++)
			h = he_mix64((h ^ he_get_le64(sc->chunk + 8 * j)) - 1);
		done += HE_CHUNK;
	}
	rest = 0;
	if (len > done) { /* 1..63: a size the verifier sees is not 0 */
		rest = ((len - done - 1) & (HE_CHUNK - 1)) + 1;
		if (bpf_skb_load_bytes(skb, off + done, sc->chunk, rest))
			return -1;
	}
	for (j = 0; j < HE_CHUNK / 8; j++)
		if (8 * j + 8 <= rest)
			h = he_mix64((h ^ he_get_le64(sc->chunk + 8 * j)) - 1);
	h = ~h;
	for (j = 0; j < 8; j++)
		if ((rest & ~7u) + j < rest)
			h = he_mix64((h ^ sc->chunk[((rest & ~7u) + j) &
						    (HE_CHUNK - 1)]) -
				     1);
	h = ~h;
	sc->csum = he_mix64((h ^ len) - 1);
	return 0;
}

/* The wall clock as an n2n stamp (ts_from_usec). */
static __always_inline __u64 he_now(const struct n2nk_edge_he *he)
{
	__u64 ns = bpf_ktime_get_ns() + (__u64)he->realtime_off_ns;
	__u64 usec = ns / 1000;

	return (usec / 1000000) << 32 | (usec % 1000000) << 12;
}

/*
 * Seals the plaintext n2n packet of len bytes at off of the skb (linear;
 * its header the first hdr_len bytes) in place, as he_encrypt() does with
 * our clock's stamp and random bits. 0, or -1 (the skb may have changed).
 */
__attribute__((noinline)) int n2nk_he_seal(struct __sk_buff *skb, __u32 off,
					   __u32 len, __u32 hdr_len)
{
	struct n2nk_edge_he *he = he_conf_get();
	struct he_scratch *sc = he_scratch_get();
	__u64 h = hdr_len & 0x7f,
	      stamp; /* masked: a bound the verifier keeps */

	if (!skb || !he || !sc || h < N2N_COMMON_SIZE || h > HE_HDR_MAX ||
	    h > len || n2nk_he_pearson64(skb, off, len, sc))
		return -1;
	if (bpf_skb_load_bytes(skb, off, sc->work, h))
		return -1;
	stamp = he_now(he);
	__builtin_memcpy(sc->work + 20, sc->work, 4);
	he_put_be32(sc->pre_iv, (__u32)(sc->csum >> 32));
	he_put_be32(sc->pre_iv + 4, (__u32)sc->csum ^ (__u32)(stamp >> 32));
	he_put_be32(sc->pre_iv + 8, (__u32)stamp);
	he_put_be32(sc->pre_iv + 12, bpf_get_prandom_u32());
	__builtin_memcpy(sc->work, sc->pre_iv, 16);
	he_block(&he->iv, sc->work, false);
	he_put_be32(sc->work + N2N_HE_MAGIC_OFF, N2N_HE_MAGIC + h);
	he_ctr(&he->hdr, sc->work, sc->work, sc->work, h);
	return bpf_skb_store_bytes(skb, off, sc->work, h, 0) ? -1 : 0;
}

/* What n2nk_he_decrypt and he_open return besides 0. */
#define HE_NOT_OURS 1  /* no magic for our key: left as it came */
#define HE_CHECKSUM 2  /* our magic, a wrong checksum: left as it came */
#define HE_BROKEN   -1 /* a helper failed: the skb may have changed */

/*
 * Decrypts the header of the n2n packet of len bytes at off of the skb
 * with our community's key, as he_decrypt() does: 0 with the plaintext
 * header (community restored) in the skb, the original in sc->orig, H in
 * sc->hdr_len, the IV block decrypted in sc->pre_iv (he_open checks it);
 * else HE_NOT_OURS (the skb unchanged) or HE_BROKEN.
 */
__attribute__((noinline)) int n2nk_he_decrypt(struct __sk_buff *skb, __u32 off,
					      __u32 len,
					      const struct n2nk_edge_conf *conf)
{
	struct n2nk_edge_he *he = he_conf_get();
	struct he_scratch *sc = he_scratch_get();
	/* Sizes masked before each test: bounds the verifier keeps. */
	__u64 n = (len < HE_HDR_MAX ? len : HE_HDR_MAX) & 0x7f, h;

	if (!skb || !conf || !he || !sc || n < N2N_COMMON_SIZE ||
	    n > HE_HDR_MAX || bpf_skb_load_bytes(skb, off, sc->orig, n))
		return HE_NOT_OURS; /* nothing changed: the daemon's to judge */
	he_ctr(&he->hdr, sc->orig, sc->work, sc->orig, 20); /* the magic */
	h = (he_get_be32(sc->work + N2N_HE_MAGIC_OFF) - N2N_HE_MAGIC) &
	    0xffffffffu;
	if (h < N2N_COMMON_SIZE || h > HE_HDR_MAX || h > n)
		return HE_NOT_OURS;
	h &= 0x7f;
	if (h < N2N_COMMON_SIZE)
		return HE_NOT_OURS;
	he_ctr(&he->hdr, sc->orig, sc->work, sc->orig, h);
	__builtin_memcpy(sc->work, sc->work + 20, 4);
	__builtin_memcpy(sc->work + 4, conf->community, N2N_COMMUNITY_SIZE);
	__builtin_memcpy(sc->pre_iv, sc->orig, 16);
	he_block(&he->iv, sc->pre_iv, true);
	sc->hdr_len = (__u32)h;
	return bpf_skb_store_bytes(skb, off, sc->work, h, 0) ? HE_BROKEN : 0;
}

/* Puts back the header n2nk_he_decrypt replaced. 0 or -1. */
static __always_inline int he_restore(struct __sk_buff *skb, __u32 off)
{
	struct he_scratch *sc = he_scratch_get();
	__u64 h;

	if (!sc)
		return -1;
	h = sc->hdr_len & 0x7f;
	if (h < N2N_COMMON_SIZE || h > HE_HDR_MAX)
		return -1;
	return bpf_skb_store_bytes(skb, off, sc->orig, h, 0) ? -1 : 0;
}

/*
 * Opens the header of the n2n packet of len bytes at off (linear) with our
 * community's key: 0 with the plaintext header in the skb (he_restore
 * puts the original back) and the stamp it carried in sc->stamp; else
 * HE_NOT_OURS or HE_CHECKSUM with the skb as it came, or HE_BROKEN.
 */
static __always_inline int he_open(struct __sk_buff *skb, __u32 off, __u32 len,
				   const struct n2nk_edge_conf *conf)
{
	struct he_scratch *sc = he_scratch_get();
	int ret = n2nk_he_decrypt(skb, off, len, conf);

	if (ret)
		return ret;
	if (!sc)
		return HE_BROKEN;
	if (n2nk_he_pearson64(skb, off, len, sc) ||
	    (__u32)(sc->csum >> 32) != he_get_be32(sc->pre_iv))
		return he_restore(skb, off) ? HE_BROKEN : HE_CHECKSUM;
	sc->stamp = ((__u64)he_get_be32(sc->pre_iv + 4) << 32 |
		     he_get_be32(sc->pre_iv + 8)) ^
		    (sc->csum << 32);
	return 0;
}

/*
 * n2n's check of the stamp he_open found (ts_verify, a PACKET: reordering
 * allowed), against the last one from this sender (its MAC; all zero: our
 * supernode, for relayed PACKETs). It moves nothing on: he_stamp_commit
 * does, once the frame is delivered, so a forged header with a stamp in
 * the future (anyone with the community name can make one; its payload
 * then fails) cannot make the sender's real PACKETs look replayed.
 * 0 or N2NK_STAMP.
 */
static __always_inline int he_stamp_check(const struct n2nk_edge_he *he,
					  const __u8 *mac)
{
	struct he_scratch *sc = he_scratch_get();
	__s64 skew, jitter;
	__u64 stamp, *last;

	if (!sc)
		return N2NK_STAMP;
	stamp = sc->stamp;
	skew = (__s64)(stamp - he_now(he));
	if (skew <= -(__s64)N2N_TS_FRAME || skew >= (__s64)N2N_TS_FRAME)
		return N2NK_STAMP;
	__builtin_memset(&sc->sender, 0, sizeof(sc->sender));
	if (mac)
		__builtin_memcpy(sc->sender.mac, mac, N2N_MAC_SIZE);
	last = bpf_map_lookup_elem(&he_stamps, &sc->sender);
	if (!last) /* a new sender: n2n starts it 16 s back */
		return 0;
	jitter = (__s64)(stamp & N2N_TS_FLAG_COUNTER_ONLY ? N2N_TS_JITTER << 8
							  : N2N_TS_JITTER);
	if ((__s64)(stamp - *last) + jitter > 0)
		return 0;
	/* A replay, dropped here (the daemon's record does not know what we
	 * delivered), unless our record is ahead of our clock: then it may
	 * be the forgery's, and the daemon judges by its own. */
	return (__s64)(*last - he_now(he)) > (__s64)N2N_TS_JITTER
		       ? N2NK_STAMP
		       : N2NK_REPLAYED;
}

/* The stamp he_stamp_check passed, now the sender's last (if newer). */
static __always_inline void he_stamp_commit(void)
{
	struct he_scratch *sc = he_scratch_get();
	__u64 *last;

	if (!sc)
		return;
	last = bpf_map_lookup_elem(&he_stamps, &sc->sender);
	if (!last)
		bpf_map_update_elem(&he_stamps, &sc->sender, &sc->stamp,
				    BPF_ANY);
	else if ((__s64)(sc->stamp - *last) > 0)
		*last = sc->stamp;
}

#endif /* N2NK_BPF_HE_H */
