/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ChaCha20-Poly1305 (RFC 8439, IETF: 96-bit nonce, 32-bit block counter)
 * over a frame in an skb, for -A6: byte for byte libsodium's
 * crypto_aead_chacha20poly1305_ietf_*. The Poly1305 key is keystream
 * block 0, the data is encrypted from block 1; the AD (at most 64 bytes,
 * in s->buf) and the ciphertext are each padded to 16 bytes, then the two
 * lengths. The passes over the packet are global functions (verified
 * once), and everything they keep is in the per-CPU struct
 * n2nk_aead_scratch (poly1305.h).
 *
 * Opening takes two passes: the first authenticates the ciphertext
 * without writing (and decrypts the first 64 bytes into s->head, so the
 * caller can look at the inner Ethernet and IP headers before deciding);
 * the second decrypts from the last chunk back to the first, writing each
 * `shift` bytes further on, so with shift 16 the plaintext ends where the
 * tag ended and the caller cuts the front of the skb, never its tail.
 */
#ifndef N2NK_BPF_AEAD_H
#define N2NK_BPF_AEAD_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/chacha20.h"
#include "lib/keystream.h"
#include "lib/poly1305.h"

#define AEAD_CHUNK	KS_BLOCK
#define AEAD_MAX_LEN	KS_MAX_LEN
#define AEAD_MAX_CHUNKS (AEAD_MAX_LEN / AEAD_CHUNK)
#define AEAD_MAX_OFF	KS_MAX_OFF
#define AEAD_MAX_SHIFT	16
#define AEAD_MAX_AD	64
#define AEAD_TAG_LEN	16
#define AEAD_NONCE_LEN	12

/* ChaCha20's constants and key, block counter 0; the nonce words next.
 * Straight into the scratch area: the callers' stack is short. */
static __always_inline void aead_key(struct n2nk_aead_scratch *s,
				     const __u8 *key)
{
	int i;

	s->ks.cc20[0] = 0x61707865;
	s->ks.cc20[1] = 0x3320646e;
	s->ks.cc20[2] = 0x79622d32;
	s->ks.cc20[3] = 0x6b206574;
#pragma unroll
	for (i = 0; i < 8; i++)
		s->ks.cc20[4 + i] = (__u32)poly_le32(key + 4 * i);
	s->ks.cc20[12] = 0;
}

/* Poly1305 keyed with keystream block 0; the block counter is then 1. */
static __always_inline int aead_poly_key(struct n2nk_aead_scratch *s)
{
	if (n2nk_cc20_block(&s->ks))
		return -1;
	poly_init(s, (const __u8 *)s->ks.ks);
	return 0;
}

/* The keystream for key and nonce (12 bytes), Poly1305 keyed. 0 or -1. */
static __always_inline int aead_start(struct n2nk_aead_scratch *s,
				      const __u8 *key, const __u8 *nonce)
{
	aead_key(s, key);
	s->ks.cc20[13] = (__u32)poly_le32(nonce);
	s->ks.cc20[14] = (__u32)poly_le32(nonce + 4);
	s->ks.cc20[15] = (__u32)poly_le32(nonce + 8);
	return aead_poly_key(s);
}

/* The same for the nonce 00000000 || LE64(c), -A6's. */
static __always_inline int aead_start_counter(struct n2nk_aead_scratch *s,
					      const __u8 *key, __u64 c)
{
	aead_key(s, key);
	s->ks.cc20[13] = 0;
	s->ks.cc20[14] = (__u32)c;
	s->ks.cc20[15] = (__u32)(c >> 32);
	return aead_poly_key(s);
}

/* Authenticates the ad_len bytes of AD the caller put in s->buf, zero
 * padded to the next 16 bytes. 0 or -1. */
static __always_inline int aead_ad(struct n2nk_aead_scratch *s, __u32 ad_len)
{
	if (ad_len > AEAD_MAX_AD)
		return -1;
	return ad_len ? n2nk_poly_blocks(s, (ad_len + 15) / 16) : 0;
}

/* The lengths block and the tag, into s->tag. 0 or -1. */
static __always_inline int aead_finish(struct n2nk_aead_scratch *s,
				       __u64 ad_len, __u64 ct_len)
{
	s->buf[0] = ad_len;
	s->buf[1] = ct_len;
	if (n2nk_poly_blocks(s, 1))
		return -1;
	return n2nk_poly_final(s);
}

/* The zero-padded Poly1305 blocks of n (1..64) bytes. */
static __always_inline __u32 aead_blocks(__u32 n)
{
	return (n + 15) / 16;
}

static __always_inline void aead_buf_zero(struct n2nk_aead_scratch *s)
{
	s->buf[0] = 0, s->buf[1] = 0, s->buf[2] = 0, s->buf[3] = 0;
	s->buf[4] = 0, s->buf[5] = 0, s->buf[6] = 0, s->buf[7] = 0;
}

/* Where the chunk at done of the len bytes at off starts, as a pointer the
 * verifier can bound, or NULL when fewer than n bytes are there. */
static __always_inline void *aead_at(struct __sk_buff *skb, __u32 pos, __u32 n)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	void *p = data + (pos & KS_POS_MASK);

	return p + n > end ? NULL : p;
}

/*
 * Encrypts the len bytes at off of the skb's linear data in place and
 * authenticates the ciphertext (after aead_start and aead_ad). 0, or -1
 * when the bytes are not there. Whole 64-byte chunks in the loop, the
 * rest after it: a loop whose last round may be short would have the
 * verifier follow a short round after each whole one.
 */
__attribute__((noinline)) int n2nk_aead_seal_skb(struct __sk_buff *skb,
						 __u32 off, __u32 len,
						 struct n2nk_aead_scratch *s)
{
	__u32 chunks, rest, j;
	__u8 *ks8, *b8, *p;
	__u64 *w;
	int i;

	if (!skb || !s || len > AEAD_MAX_LEN || off > AEAD_MAX_OFF)
		return -1;
	chunks = len / AEAD_CHUNK;
	for (i = 0; i < AEAD_MAX_CHUNKS; i++) {
		if (i >= chunks)
			break;
		if (n2nk_cc20_block(&s->ks))
			return -1;
		w = aead_at(skb, off + i * AEAD_CHUNK, AEAD_CHUNK);
		if (!w)
			return -1;
		s->buf[0] = w[0] ^= s->ks.ks[0];
		s->buf[1] = w[1] ^= s->ks.ks[1];
		s->buf[2] = w[2] ^= s->ks.ks[2];
		s->buf[3] = w[3] ^= s->ks.ks[3];
		s->buf[4] = w[4] ^= s->ks.ks[4];
		s->buf[5] = w[5] ^= s->ks.ks[5];
		s->buf[6] = w[6] ^= s->ks.ks[6];
		s->buf[7] = w[7] ^= s->ks.ks[7];
		if (n2nk_poly_blocks(s, 4))
			return -1;
	}
	rest = len % AEAD_CHUNK;
	if (!rest)
		return 0;
	if (n2nk_cc20_block(&s->ks))
		return -1;
	aead_buf_zero(s);
	ks8 = (__u8 *)s->ks.ks;
	b8 = (__u8 *)s->buf;
	off += len - rest;
	for (j = 0; j < AEAD_CHUNK && j < rest; j++) {
		p = aead_at(skb, off + j, 1);
		if (!p)
			return -1;
		*p ^= ks8[j];
		b8[j] = *p;
	}
	return n2nk_poly_blocks(s, aead_blocks(rest));
}

/* The n (< 64) bytes at pos into s->buf, zero padded. 0 or -1. */
static __always_inline int aead_load_rest(struct __sk_buff *skb, __u32 pos,
					  __u32 n, struct n2nk_aead_scratch *s)
{
	__u8 *b8 = (__u8 *)s->buf, *p;
	__u32 j;

	aead_buf_zero(s);
	for (j = 0; j < AEAD_CHUNK && j < n; j++) {
		p = aead_at(skb, pos + j, 1);
		if (!p)
			return -1;
		b8[j] = *p;
	}
	return 0;
}

/*
 * Authenticates the len bytes of ciphertext at off (after aead_start and
 * aead_ad) without writing to the skb. 0, or -1 when the bytes are not
 * there. (No ChaCha20 block in here: its stack would come on top.)
 */
__attribute__((noinline)) int n2nk_aead_auth_skb(struct __sk_buff *skb,
						 __u32 off, __u32 len,
						 struct n2nk_aead_scratch *s)
{
	__u32 chunks, rest;
	__u64 *w;
	int i;

	if (!skb || !s || len > AEAD_MAX_LEN || off > AEAD_MAX_OFF)
		return -1;
	chunks = len / AEAD_CHUNK;
	for (i = 0; i < AEAD_MAX_CHUNKS; i++) {
		if (i >= chunks)
			break;
		w = aead_at(skb, off + i * AEAD_CHUNK, AEAD_CHUNK);
		if (!w)
			return -1;
		s->buf[0] = w[0], s->buf[1] = w[1];
		s->buf[2] = w[2], s->buf[3] = w[3];
		s->buf[4] = w[4], s->buf[5] = w[5];
		s->buf[6] = w[6], s->buf[7] = w[7];
		if (n2nk_poly_blocks(s, 4))
			return -1;
	}
	rest = len % AEAD_CHUNK;
	if (!rest)
		return 0;
	if (aead_load_rest(skb, off + len - rest, rest, s))
		return -1;
	return n2nk_poly_blocks(s, aead_blocks(rest));
}

/* The first (up to) 64 bytes of the len at off decrypted into s->head,
 * for a look before n2nk_aead_open_skb(). 0 or -1. */
static __always_inline int aead_head(struct __sk_buff *skb, __u32 off,
				     __u32 len, struct n2nk_aead_scratch *s)
{
	int j;

	if (len > AEAD_CHUNK)
		len = AEAD_CHUNK;
	if (len && bpf_skb_load_bytes(skb, off, s->head, len))
		return -1;
	s->ks.cc20[12] = 1;
	if (n2nk_cc20_block(&s->ks))
		return -1;
	for (j = 0; j < 8; j++)
		s->head[j] ^= s->ks.ks[j];
	return 0;
}

/*
 * Decrypts what n2nk_aead_auth_skb() authenticated and aead_head() began
 * (with s as they left it), writing the plaintext shift bytes (0..16) after where the
 * ciphertext was: the last chunk first, so no chunk is overwritten before
 * it is read. 0, or -1 when the bytes are not there (found before the
 * first write: the last chunk's reach is the furthest).
 */
__attribute__((noinline)) int n2nk_aead_open_skb(struct __sk_buff *skb,
						 __u32 off, __u32 len,
						 __u32 shift,
						 struct n2nk_aead_scratch *s)
{
	__u32 chunks, rest, c, at, j;
	__u8 *ks8, *b8, *h8, *p;
	__u64 *w;
	int i;

	if (!skb || !s || len > AEAD_MAX_LEN || off > AEAD_MAX_OFF ||
	    shift > AEAD_MAX_SHIFT)
		return -1;
	chunks = len / AEAD_CHUNK;
	rest = len % AEAD_CHUNK;
	ks8 = (__u8 *)s->ks.ks;
	b8 = (__u8 *)s->buf;
	/* The short chunk at the end, unless it is the first. */
	if (rest && chunks) {
		s->ks.cc20[12] = 1 + chunks;
		if (n2nk_cc20_block(&s->ks))
			return -1;
		at = off + chunks * AEAD_CHUNK;
		for (j = 0; j < AEAD_CHUNK && j < rest; j++) {
			p = aead_at(skb, at + j, 1);
			if (!p)
				return -1;
			b8[j] = *p ^ ks8[j];
		}
		for (j = 0; j < AEAD_CHUNK && j < rest; j++) {
			p = aead_at(skb, at + shift + j, 1);
			if (!p)
				return -1;
			*p = b8[j];
		}
	}
	/* The whole ones but the first, from the last. */
	for (i = 0; i < AEAD_MAX_CHUNKS; i++) {
		c = chunks - 1 - i;
		if (c < 1 || c >= AEAD_MAX_CHUNKS)
			break;
		s->ks.cc20[12] = 1 + c;
		if (n2nk_cc20_block(&s->ks))
			return -1;
		at = off + c * AEAD_CHUNK;
		w = aead_at(skb, at, AEAD_CHUNK);
		if (!w)
			return -1;
		s->buf[0] = w[0] ^ s->ks.ks[0];
		s->buf[1] = w[1] ^ s->ks.ks[1];
		s->buf[2] = w[2] ^ s->ks.ks[2];
		s->buf[3] = w[3] ^ s->ks.ks[3];
		s->buf[4] = w[4] ^ s->ks.ks[4];
		s->buf[5] = w[5] ^ s->ks.ks[5];
		s->buf[6] = w[6] ^ s->ks.ks[6];
		s->buf[7] = w[7] ^ s->ks.ks[7];
		w = aead_at(skb, at + shift, AEAD_CHUNK);
		if (!w)
			return -1;
		w[0] = s->buf[0], w[1] = s->buf[1];
		w[2] = s->buf[2], w[3] = s->buf[3];
		w[4] = s->buf[4], w[5] = s->buf[5];
		w[6] = s->buf[6], w[7] = s->buf[7];
	}
	/* The first chunk, decrypted already. */
	if (len >= AEAD_CHUNK) {
		w = aead_at(skb, off + shift, AEAD_CHUNK);
		if (!w)
			return -1;
		w[0] = s->head[0], w[1] = s->head[1];
		w[2] = s->head[2], w[3] = s->head[3];
		w[4] = s->head[4], w[5] = s->head[5];
		w[6] = s->head[6], w[7] = s->head[7];
		return 0;
	}
	h8 = (__u8 *)s->head;
	for (j = 0; j < AEAD_CHUNK && j < len; j++) {
		p = aead_at(skb, off + shift + j, 1);
		if (!p)
			return -1;
		*p = h8[j];
	}
	return 0;
}

#endif /* N2NK_BPF_AEAD_H */
