/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * n2n's header encryption (-H, n2n-protocol.md 5) in BPF, the same as
 * daemon/proto/header_crypt.c, one implementation for the edge's TC
 * programs (lib/edge_he.h) and the XDP supernode relay (lib/relay_he.h):
 * a Pearson checksum of the whole packet and the time stamp hidden in an
 * IV block (Speck128/128, the IV key), the first H bytes of the header
 * under Speck-CTR (the header key), the community name not sent. The
 * header is worked on in a per-CPU copy (at most HE_HDR_MAX bytes: a
 * PACKET header with a socket); the checksum runs over the packet itself.
 * The keys and clock (struct n2nk_he, include/n2nk_he.h) are the caller's.
 *
 * The packet is reached through he_load/he_store: TC's skb helpers, or
 * XDP's where the including file defines N2NK_HE_XDP first.
 */
#ifndef N2NK_BPF_HE_H
#define N2NK_BPF_HE_H

#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "lib/speck.h"
#include "n2n_wire_defs.h"
#include "n2nk_he.h"
#include "n2nk_reasons.h"

#ifdef N2NK_HE_XDP
#define HE_CTX			      struct xdp_md
#define he_load(ctx, off, to, len)    bpf_xdp_load_bytes(ctx, off, to, len)
#define he_store(ctx, off, from, len) bpf_xdp_store_bytes(ctx, off, from, len)
#else
#define HE_CTX			   struct __sk_buff
#define he_load(ctx, off, to, len) bpf_skb_load_bytes(ctx, off, to, len)
#define he_store(ctx, off, from, len) \
	bpf_skb_store_bytes(ctx, off, from, len, 0)
#endif

#define HE_HDR_MAX 64
#define HE_CHUNK   64 /* what the checksum reads at a time */

struct he_scratch {
	__u8 orig[HE_HDR_MAX]; /* the header as it came (RX: to restore) */
	__u8 work[HE_HDR_MAX]; /* the header being opened or sealed */
	__u8 pre_iv[16];       /* checksum, stamp, random bits */
	__u64 csum;	       /* n2nk_he_pearson64's output */
	__u64 stamp;	       /* RX: the stamp the header carried */
	__u32 hdr_len;	       /* RX: H */
	__u32 pad;
	__u8 chunk[HE_CHUNK]; /* the packet, as the checksum reads it */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct he_scratch);
} he_scratch SEC(".maps");

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
 * len bytes at off of the packet into sc->csum, read 64 bytes at a time (a
 * loop of direct packet reads this long is more than the verifier takes).
 * 0, or -1 when they are not there.
 */
__attribute__((noinline)) int
n2nk_he_pearson64(HE_CTX *ctx, __u32 off, __u32 len, struct he_scratch *sc)
{
	__u32 i, j, done = 0, rest;
	__u64 h = 0;

	if (!ctx || !sc || len > N2N_PKT_BUF_SIZE)
		return -1;
	for (i = 0; i < N2N_PKT_BUF_SIZE / HE_CHUNK; i++) {
		if (done + HE_CHUNK > len)
			break;
		if (he_load(ctx, off + done, sc->chunk, HE_CHUNK))
			return -1;
		for (j = 0; j < HE_CHUNK / 8; j++)
			h = he_mix64((h ^ he_get_le64(sc->chunk + 8 * j)) - 1);
		done += HE_CHUNK;
	}
	rest = 0;
	if (len > done) { /* 1..63: a size the verifier sees is not 0 */
		rest = ((len - done - 1) & (HE_CHUNK - 1)) + 1;
		if (he_load(ctx, off + done, sc->chunk, rest))
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
static __always_inline __u64 he_now(const struct n2nk_he *he)
{
	__u64 ns = bpf_ktime_get_tai_ns() + (__u64)he->utc_off_ns;
	__u64 usec = ns / 1000;

	return (usec / 1000000) << 32 | (usec % 1000000) << 12;
}

/*
 * Seals the header (its first hdr_len bytes) of the plaintext n2n packet
 * of len bytes at off in place with he's keys, as he_encrypt() does with
 * our clock's stamp and random bits, sc->csum already the packet's
 * checksum. 0, or -1 (the packet may have changed).
 */
__attribute__((noinline)) int n2nk_he_seal_hdr(HE_CTX *ctx, __u32 off,
					       __u32 len, __u32 hdr_len,
					       const struct n2nk_he *he)
{
	struct he_scratch *sc = he_scratch_get();
	__u64 h = hdr_len & 0x7f, /* masked: a bound the verifier keeps */
		stamp;

	if (!ctx || !he || !sc || h < N2N_COMMON_SIZE || h > HE_HDR_MAX ||
	    h > len)
		return -1;
	if (he_load(ctx, off, sc->work, h))
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
	return he_store(ctx, off, sc->work, h) ? -1 : 0;
}

/*
 * Seals the plaintext n2n packet of len bytes at off (its header the
 * first hdr_len bytes): the checksum, then the header. Inline, so the
 * two steps nest one call deep in the program's stack, not two.
 */
static __always_inline int he_seal(HE_CTX *ctx, __u32 off, __u32 len,
				   __u32 hdr_len, const struct n2nk_he *he)
{
	struct he_scratch *sc = he_scratch_get();

	if (!sc || n2nk_he_pearson64(ctx, off, len, sc))
		return -1;
	return n2nk_he_seal_hdr(ctx, off, len, hdr_len, he);
}

/* What the opening steps return besides 0. */
#define HE_NOT_OURS 1 /* no magic for this key: left as it came */
#define HE_CHECKSUM 2 /* the magic, a wrong checksum: left as it came */
#define HE_LONG_HDR \
	3	     /* the magic, a header longer than a PACKET's:
			* another message, left as it came */
#define HE_BROKEN -1 /* a helper failed: the packet may have changed */

/*
 * Decrypts the header of the n2n packet of len bytes at off with he's
 * keys into the scratch, as he_decrypt() does, without touching the
 * packet: 0 with the header in sc->work (version, TTL and flags back in
 * front; the community field still the caller's to fill), the original
 * in sc->orig, H in sc->hdr_len and the IV block decrypted in sc->pre_iv;
 * else HE_NOT_OURS, or HE_LONG_HDR for a message whose header is longer
 * than HE_HDR_MAX (not a PACKET).
 */
__attribute__((noinline)) int
n2nk_he_decrypt_hdr(HE_CTX *ctx, __u32 off, __u32 len, const struct n2nk_he *he)
{
	struct he_scratch *sc = he_scratch_get();
	/* Sizes masked before each test: bounds the verifier keeps. */
	__u64 n = (len < HE_HDR_MAX ? len : HE_HDR_MAX) & 0x7f, h;

	if (!ctx || !he || !sc || n < N2N_COMMON_SIZE || n > HE_HDR_MAX ||
	    he_load(ctx, off, sc->orig, n))
		return HE_NOT_OURS; /* nothing changed: the daemon's to judge */
	he_ctr(&he->hdr, sc->orig, sc->work, sc->orig, 20); /* the magic */
	h = (he_get_be32(sc->work + N2N_HE_MAGIC_OFF) - N2N_HE_MAGIC) &
	    0xffffffffu;
	if (h > HE_HDR_MAX && h <= len)
		return HE_LONG_HDR;
	if (h < N2N_COMMON_SIZE || h > HE_HDR_MAX || h > n)
		return HE_NOT_OURS;
	h &= 0x7f;
	if (h < N2N_COMMON_SIZE)
		return HE_NOT_OURS;
	he_ctr(&he->hdr, sc->orig, sc->work, sc->orig, h);
	__builtin_memcpy(sc->work, sc->work + 20, 4);
	__builtin_memcpy(sc->pre_iv, sc->orig, 16);
	he_block(&he->iv, sc->pre_iv, true);
	sc->hdr_len = (__u32)h;
	return 0;
}

/* Writes sc->work's header (H bytes) over the packet's. 0 or -1. */
static __always_inline int he_store_work(HE_CTX *ctx, __u32 off,
					 struct he_scratch *sc)
{
	__u64 h = sc->hdr_len & 0x7f;

	if (h < N2N_COMMON_SIZE || h > HE_HDR_MAX)
		return -1;
	return he_store(ctx, off, sc->work, h) ? -1 : 0;
}

/* Puts back the header n2nk_he_decrypt_hdr found. 0 or -1. */
static __always_inline int he_restore(HE_CTX *ctx, __u32 off)
{
	struct he_scratch *sc = he_scratch_get();
	__u64 h;

	if (!sc)
		return -1;
	h = sc->hdr_len & 0x7f;
	if (h < N2N_COMMON_SIZE || h > HE_HDR_MAX)
		return -1;
	return he_store(ctx, off, sc->orig, h) ? -1 : 0;
}

/*
 * With the plaintext header in the packet: its checksum against the one
 * the IV carried, and the stamp into sc->stamp. 0, or HE_CHECKSUM with
 * the original header put back (HE_BROKEN if it could not be).
 */
static __always_inline int he_verify(HE_CTX *ctx, __u32 off, __u32 len)
{
	struct he_scratch *sc = he_scratch_get();

	if (!sc)
		return HE_BROKEN;
	if (n2nk_he_pearson64(ctx, off, len, sc) ||
	    (__u32)(sc->csum >> 32) != he_get_be32(sc->pre_iv))
		return he_restore(ctx, off) ? HE_BROKEN : HE_CHECKSUM;
	sc->stamp = ((__u64)he_get_be32(sc->pre_iv + 4) << 32 |
		     he_get_be32(sc->pre_iv + 8)) ^
		    (sc->csum << 32);
	return 0;
}

/*
 * Whether a sender's record is one to judge by: not further ahead of our
 * clock than any stamp we accept can be. Further ahead, our clock stepped
 * back since (a wrong clock at boot set right): as n2n after a restart,
 * the sender starts afresh, or every PACKET of it would be refused until
 * the clock caught up.
 */
static __always_inline bool he_record_live(const struct n2nk_he *he, __u64 last)
{
	return (__s64)(last - he_now(he)) < (__s64)N2N_TS_FRAME;
}

/*
 * n2n's check of a PACKET's stamp (ts_verify: reordering allowed) against
 * last, the sender's record (NULL: none yet, n2n starts one 16 s back).
 * 0, N2NK_STAMP (out of the 16 s window) or N2NK_REPLAYED (not newer than
 * the record, less the jitter: dropped where it is found, since the
 * daemon's own record does not know what the kernel took).
 */
static __always_inline int he_stamp_verdict(const struct n2nk_he *he,
					    __u64 stamp, const __u64 *last)
{
	__s64 skew = (__s64)(stamp - he_now(he)), jitter;

	if (skew <= -(__s64)N2N_TS_FRAME || skew >= (__s64)N2N_TS_FRAME)
		return N2NK_STAMP;
	if (!last || !he_record_live(he, *last))
		return 0;
	jitter = (__s64)(stamp & N2N_TS_FLAG_COUNTER_ONLY ? N2N_TS_JITTER << 8
							  : N2N_TS_JITTER);
	return (__s64)(stamp - *last) + jitter > 0 ? 0 : N2NK_REPLAYED;
}

/* The record after stamp passed: the newer of the two (stamp, over a
 * record that is no longer live). */
static __always_inline void he_record_update(const struct n2nk_he *he,
					     __u64 *last, __u64 stamp)
{
	if ((__s64)(stamp - *last) > 0 || !he_record_live(he, *last))
		*last = stamp;
}

#endif /* N2NK_BPF_HE_H */
