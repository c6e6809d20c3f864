/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Poly1305 (RFC 8439 section 2.5) in BPF for -A6's AEAD (lib/aead.h):
 * five 26-bit limbs, products of two limbs in 64 bits (BPF has no
 * 64x64->128 multiply), no branch on secret data, the tag compared as an
 * OR of XORs. The block function is a global function, verified once; it
 * works on the per-CPU scratch area of aead.h, so nothing sits on the
 * stack. The AEAD pads everything it authenticates to 16 bytes, so every
 * block here is a full one, with the 2^128 bit set.
 */
#ifndef N2NK_BPF_POLY1305_H
#define N2NK_BPF_POLY1305_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/ks.h"

#define POLY_BLOCK  16
#define POLY_MASK26 0x3ffffffULL

/* What ChaCha20-Poly1305 works in, one per CPU (aead.h's maps). */
struct n2nk_aead_scratch {
	struct n2nk_ks_scratch ks; /* ChaCha20 state and keystream block */
	__u64 r[5];		   /* Poly1305's clamped r, 26-bit limbs */
	__u64 h[5];		   /* the accumulator, 26-bit limbs */
	__u32 s[4];		   /* the key's second half, words */
	__u64 buf[8];		   /* up to 4 blocks to authenticate next */
	__u64 head[8];		   /* open: the frame's first 64 bytes */
	__u64 tag[2];		   /* the computed tag */
	__u64 user[4];		   /* the caller's, between its passes */
};

static __always_inline __u64 poly_le32(const __u8 *p)
{
	return (__u64)p[0] | (__u64)p[1] << 8 | (__u64)p[2] << 16 |
	       (__u64)p[3] << 24;
}

/* r and s from the one-time key (32 bytes at key), h = 0. */
static __always_inline void poly_init(struct n2nk_aead_scratch *s,
				      const __u8 *key)
{
	__u64 t0 = poly_le32(key), t1 = poly_le32(key + 4),
	      t2 = poly_le32(key + 8), t3 = poly_le32(key + 12);

	/* r &= 0x0ffffffc0ffffffc0ffffffc0fffffff, split into limbs. */
	s->r[0] = t0 & 0x3ffffff;
	s->r[1] = (t0 >> 26 | t1 << 6) & 0x3ffff03;
	s->r[2] = (t1 >> 20 | t2 << 12) & 0x3ffc0ff;
	s->r[3] = (t2 >> 14 | t3 << 18) & 0x3f03fff;
	s->r[4] = (t3 >> 8) & 0x00fffff;
	s->h[0] = s->h[1] = s->h[2] = s->h[3] = s->h[4] = 0;
	s->s[0] = (__u32)poly_le32(key + 16);
	s->s[1] = (__u32)poly_le32(key + 20);
	s->s[2] = (__u32)poly_le32(key + 24);
	s->s[3] = (__u32)poly_le32(key + 28);
}

/*
 * Absorbs the first n (1..4) 16-byte blocks of s->buf into s->h. 0, or -1
 * without s or with n out of range.
 */
__attribute__((noinline)) int n2nk_poly_blocks(struct n2nk_aead_scratch *s,
					       __u32 n)
{
	__u64 r0, r1, r2, r3, r4, s1, s2, s3, s4, h0, h1, h2, h3, h4;
	__u64 d0, d1, d2, d3, d4, c, t0, t1, t2, t3;
	__u32 i;

	if (!s || n > 4)
		return -1;
	r0 = s->r[0], r1 = s->r[1], r2 = s->r[2], r3 = s->r[3], r4 = s->r[4];
	s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
	h0 = s->h[0], h1 = s->h[1], h2 = s->h[2], h3 = s->h[3], h4 = s->h[4];
	for (i = 0; i < 4; i++) {
		if (i >= n)
			break;
		t0 = s->buf[2 * i] & 0xffffffff;
		t1 = s->buf[2 * i] >> 32;
		t2 = s->buf[2 * i + 1] & 0xffffffff;
		t3 = s->buf[2 * i + 1] >> 32;
		h0 += t0 & POLY_MASK26;
		h1 += (t0 >> 26 | t1 << 6) & POLY_MASK26;
		h2 += (t1 >> 20 | t2 << 12) & POLY_MASK26;
		h3 += (t2 >> 14 | t3 << 18) & POLY_MASK26;
		h4 += t3 >> 8 | 1 << 24;

		d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
		d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
		d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
		d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
		d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;

		c = d0 >> 26, h0 = d0 & POLY_MASK26;
		d1 += c, c = d1 >> 26, h1 = d1 & POLY_MASK26;
		d2 += c, c = d2 >> 26, h2 = d2 & POLY_MASK26;
		d3 += c, c = d3 >> 26, h3 = d3 & POLY_MASK26;
		d4 += c, c = d4 >> 26, h4 = d4 & POLY_MASK26;
		h0 += c * 5, c = h0 >> 26, h0 &= POLY_MASK26;
		h1 += c;
	}
	s->h[0] = h0, s->h[1] = h1, s->h[2] = h2, s->h[3] = h3, s->h[4] = h4;
	return 0;
}

/* The tag, (h mod 2^130 - 5) + s mod 2^128, into s->tag. 0, or -1. */
__attribute__((noinline)) int n2nk_poly_final(struct n2nk_aead_scratch *s)
{
	__u64 h0, h1, h2, h3, h4, g0, g1, g2, g3, g4, c, mask, f;

	if (!s)
		return -1;
	h0 = s->h[0], h1 = s->h[1], h2 = s->h[2], h3 = s->h[3], h4 = s->h[4];
	c = h1 >> 26, h1 &= POLY_MASK26;
	h2 += c, c = h2 >> 26, h2 &= POLY_MASK26;
	h3 += c, c = h3 >> 26, h3 &= POLY_MASK26;
	h4 += c, c = h4 >> 26, h4 &= POLY_MASK26;
	h0 += c * 5, c = h0 >> 26, h0 &= POLY_MASK26;
	h1 += c;

	/* g = h + 5 - 2^130: h itself if that went below zero. */
	g0 = h0 + 5, c = g0 >> 26, g0 &= POLY_MASK26;
	g1 = h1 + c, c = g1 >> 26, g1 &= POLY_MASK26;
	g2 = h2 + c, c = g2 >> 26, g2 &= POLY_MASK26;
	g3 = h3 + c, c = g3 >> 26, g3 &= POLY_MASK26;
	g4 = h4 + c - (1ULL << 26);
	mask = (g4 >> 63) - 1; /* all ones: take g */
	h0 = (h0 & ~mask) | (g0 & mask);
	h1 = (h1 & ~mask) | (g1 & mask);
	h2 = (h2 & ~mask) | (g2 & mask);
	h3 = (h3 & ~mask) | (g3 & mask);
	h4 = (h4 & ~mask) | (g4 & mask & POLY_MASK26);

	/* To 4 words, plus s. */
	h0 = (h0 | h1 << 26) & 0xffffffff;
	h1 = (h1 >> 6 | h2 << 20) & 0xffffffff;
	h2 = (h2 >> 12 | h3 << 14) & 0xffffffff;
	h3 = (h3 >> 18 | h4 << 8) & 0xffffffff;
	f = h0 + s->s[0], h0 = f & 0xffffffff;
	f = h1 + s->s[1] + (f >> 32), h1 = f & 0xffffffff;
	f = h2 + s->s[2] + (f >> 32), h2 = f & 0xffffffff;
	f = h3 + s->s[3] + (f >> 32), h3 = f & 0xffffffff;
	s->tag[0] = h0 | h1 << 32;
	s->tag[1] = h2 | h3 << 32;
	return 0;
}

/* 1 if the 16 bytes at t equal s->tag, in constant time. */
static __always_inline int poly_tag_equal(const struct n2nk_aead_scratch *s,
					  const __u64 *t)
{
	return ((t[0] ^ s->tag[0]) | (t[1] ^ s->tag[1])) == 0;
}

#endif /* N2NK_BPF_POLY1305_H */
