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

/* The keystream for key and nonce (12 bytes), Poly1305 keyed with its
 * block 0; the block counter is then 1. 0 or -1. */
static __always_inline int aead_start(struct n2nk_aead_scratch *s,
				      const __u8 *key, const __u8 *nonce)
{
	__u8 iv[16] = {};

	__builtin_memcpy(iv + 4, nonce, AEAD_NONCE_LEN);
	cc20_setup(&s->ks, key, iv);
	if (n2nk_cc20_block(&s->ks))
		return -1;
	poly_init(s, (const __u8 *)s->ks.ks);
	return 0;
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

/*
 * Encrypts the len bytes at off of the skb's linear data in place and
 * authenticates the ciphertext (after aead_start and aead_ad). 0, or -1
 * when the bytes are not there.
 */
__attribute__((noinline)) int n2nk_aead_seal_skb(struct __sk_buff *skb,
						 __u32 off, __u32 len,
						 struct n2nk_aead_scratch *s)
{
	__u32 done = 0, n, j;
	void *data, *end;
	__u8 *ks8, *b8, *p;
	__u64 *w;
	int i;

	if (!skb || !s || len > AEAD_MAX_LEN || off > AEAD_MAX_OFF)
		return -1;
	ks8 = (__u8 *)s->ks.ks;
	b8 = (__u8 *)s->buf;
	for (i = 0; i < AEAD_MAX_CHUNKS && done < len; i++) {
		if (n2nk_cc20_block(&s->ks))
			return -1;
		data = (void *)(long)skb->data;
		end = (void *)(long)skb->data_end;
		n = len - done;
		if (n >= AEAD_CHUNK) {
			w = data + ((off + done) & KS_POS_MASK);
			if ((void *)(w + 8) > end)
				return -1;
			s->buf[0] = w[0] ^= s->ks.ks[0];
			s->buf[1] = w[1] ^= s->ks.ks[1];
			s->buf[2] = w[2] ^= s->ks.ks[2];
			s->buf[3] = w[3] ^= s->ks.ks[3];
			s->buf[4] = w[4] ^= s->ks.ks[4];
			s->buf[5] = w[5] ^= s->ks.ks[5];
			s->buf[6] = w[6] ^= s->ks.ks[6];
			s->buf[7] = w[7] ^= s->ks.ks[7];
			n = AEAD_CHUNK;
		} else {
			aead_buf_zero(s);
			for (j = 0; j < AEAD_CHUNK && j < n; j++) {
				p = data + ((off + done + j) & KS_POS_MASK);
				if ((void *)(p + 1) > end)
					return -1;
				*p ^= ks8[j];
				b8[j] = *p;
			}
		}
		if (n2nk_poly_blocks(s, aead_blocks(n)))
			return -1;
		done += n;
	}
	return done == len ? 0 : -1;
}

/*
 * Authenticates the len bytes of ciphertext at off (after aead_start and
 * aead_ad) without writing to the skb, and decrypts its first 64 bytes
 * into s->head. 0, or -1 when the bytes are not there.
 */
__attribute__((noinline)) int n2nk_aead_auth_skb(struct __sk_buff *skb,
						 __u32 off, __u32 len,
						 struct n2nk_aead_scratch *s)
{
	__u32 done = 0, n, j;
	void *data, *end;
	__u8 *b8, *p;
	__u64 *w;
	int i;

	if (!skb || !s || len > AEAD_MAX_LEN || off > AEAD_MAX_OFF)
		return -1;
	b8 = (__u8 *)s->buf;
	for (i = 0; i < AEAD_MAX_CHUNKS && done < len; i++) {
		data = (void *)(long)skb->data;
		end = (void *)(long)skb->data_end;
		n = len - done;
		if (n >= AEAD_CHUNK) {
			w = data + ((off + done) & KS_POS_MASK);
			if ((void *)(w + 8) > end)
				return -1;
			s->buf[0] = w[0], s->buf[1] = w[1];
			s->buf[2] = w[2], s->buf[3] = w[3];
			s->buf[4] = w[4], s->buf[5] = w[5];
			s->buf[6] = w[6], s->buf[7] = w[7];
			n = AEAD_CHUNK;
		} else {
			aead_buf_zero(s);
			for (j = 0; j < AEAD_CHUNK && j < n; j++) {
				p = data + ((off + done + j) & KS_POS_MASK);
				if ((void *)(p + 1) > end)
					return -1;
				b8[j] = *p;
			}
		}
		if (i == 0) {
			if (n2nk_cc20_block(&s->ks)) /* block 1 */
				return -1;
			for (j = 0; j < 8; j++)
				s->head[j] = s->buf[j] ^ s->ks.ks[j];
		}
		if (n2nk_poly_blocks(s, aead_blocks(n)))
			return -1;
		done += n;
	}
	return done == len ? 0 : -1;
}

/*
 * Decrypts what n2nk_aead_auth_skb() authenticated (with s as it left
 * it), writing the plaintext shift bytes (0..16) after where the
 * ciphertext was: the last chunk first, so no chunk is overwritten before
 * it is read. 0, or -1 when the bytes are not there, which the first
 * write never follows.
 */
__attribute__((noinline)) int n2nk_aead_open_skb(struct __sk_buff *skb,
						 __u32 off, __u32 len,
						 __u32 shift,
						 struct n2nk_aead_scratch *s)
{
	__u32 chunks, c, at, n, j;
	void *data, *end;
	__u8 *ks8, *b8, *h8, *p;
	__u64 *w;
	int i;

	if (!skb || !s || len > AEAD_MAX_LEN || off > AEAD_MAX_OFF ||
	    shift > AEAD_MAX_SHIFT)
		return -1;
	chunks = (len + AEAD_CHUNK - 1) / AEAD_CHUNK;
	ks8 = (__u8 *)s->ks.ks;
	b8 = (__u8 *)s->buf;
	h8 = (__u8 *)s->head;
	for (i = 0; i < AEAD_MAX_CHUNKS; i++) {
		c = chunks - 1 - i;
		if (c < 1 || c >= AEAD_MAX_CHUNKS)
			break;
		s->ks.cc20[12] = 1 + c;
		if (n2nk_cc20_block(&s->ks))
			return -1;
		data = (void *)(long)skb->data;
		end = (void *)(long)skb->data_end;
		at = off + c * AEAD_CHUNK;
		n = len - c * AEAD_CHUNK;
		if (n >= AEAD_CHUNK) {
			w = data + (at & KS_POS_MASK);
			if ((void *)(w + 8) > end)
				return -1;
			s->buf[0] = w[0] ^ s->ks.ks[0];
			s->buf[1] = w[1] ^ s->ks.ks[1];
			s->buf[2] = w[2] ^ s->ks.ks[2];
			s->buf[3] = w[3] ^ s->ks.ks[3];
			s->buf[4] = w[4] ^ s->ks.ks[4];
			s->buf[5] = w[5] ^ s->ks.ks[5];
			s->buf[6] = w[6] ^ s->ks.ks[6];
			s->buf[7] = w[7] ^ s->ks.ks[7];
			w = data + ((at + shift) & KS_POS_MASK);
			if ((void *)(w + 8) > end)
				return -1;
			w[0] = s->buf[0], w[1] = s->buf[1];
			w[2] = s->buf[2], w[3] = s->buf[3];
			w[4] = s->buf[4], w[5] = s->buf[5];
			w[6] = s->buf[6], w[7] = s->buf[7];
			continue;
		}
		for (j = 0; j < AEAD_CHUNK && j < n; j++) {
			p = data + ((at + j) & KS_POS_MASK);
			if ((void *)(p + 1) > end)
				return -1;
			b8[j] = *p ^ ks8[j];
		}
		for (j = 0; j < AEAD_CHUNK && j < n; j++) {
			p = data + ((at + shift + j) & KS_POS_MASK);
			if ((void *)(p + 1) > end)
				return -1;
			*p = b8[j];
		}
	}
	/* The first chunk, decrypted already. */
	if (!len)
		return 0;
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	if (len >= AEAD_CHUNK) {
		w = data + ((off + shift) & KS_POS_MASK);
		if ((void *)(w + 8) > end)
			return -1;
		w[0] = s->head[0], w[1] = s->head[1];
		w[2] = s->head[2], w[3] = s->head[3];
		w[4] = s->head[4], w[5] = s->head[5];
		w[6] = s->head[6], w[7] = s->head[7];
		return 0;
	}
	for (j = 0; j < AEAD_CHUNK && j < len; j++) {
		p = data + ((off + shift + j) & KS_POS_MASK);
		if ((void *)(p + 1) > end)
			return -1;
		*p = h8[j];
	}
	return 0;
}

#endif /* N2NK_BPF_AEAD_H */
