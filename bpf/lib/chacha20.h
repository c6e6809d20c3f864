/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ChaCha20 (RFC 8439 block function) for n2n's -A4 transform, in BPF: the
 * 16-byte IV is the little-endian 32-bit block counter and the 96-bit
 * nonce (OpenSSL's layout, which n2n uses), and the counter wraps to 0
 * with the same nonce, as n2n's own code does (daemon/proto/
 * transform_chacha20.c splits libsodium's stream at that point).
 *
 * The block function is a global function, so the verifier checks it once
 * rather than at every call site; its state and output live in the
 * per-CPU scratch area of ks.h.
 */
#ifndef N2NK_BPF_CHACHA20_H
#define N2NK_BPF_CHACHA20_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/ks.h"

static __always_inline __u32 cc20_rotl(__u32 x, int n)
{
	return x << n | x >> (32 - n);
}

#define CC20_QR(a, b, c, d)               \
	do {                              \
		a += b;                   \
		d = cc20_rotl(d ^ a, 16); \
		c += d;                   \
		b = cc20_rotl(b ^ c, 12); \
		a += b;                   \
		d = cc20_rotl(d ^ a, 8);  \
		c += d;                   \
		b = cc20_rotl(b ^ c, 7);  \
	} while (0)

/*
 * One keystream block for s->cc20 into s->ks, and the counter on by one
 * (wrapping, as n2n's). 0, or -1 without s.
 */
__attribute__((noinline)) int n2nk_cc20_block(struct n2nk_ks_scratch *s)
{
	__u32 x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14,
		x15;
	int i;

	if (!s)
		return -1;
	x0 = s->cc20[0], x1 = s->cc20[1], x2 = s->cc20[2];
	x3 = s->cc20[3], x4 = s->cc20[4], x5 = s->cc20[5];
	x6 = s->cc20[6], x7 = s->cc20[7], x8 = s->cc20[8];
	x9 = s->cc20[9], x10 = s->cc20[10], x11 = s->cc20[11];
	x12 = s->cc20[12], x13 = s->cc20[13], x14 = s->cc20[14];
	x15 = s->cc20[15];
	for (i = 0; i < 10; i++) {
		CC20_QR(x0, x4, x8, x12);
		CC20_QR(x1, x5, x9, x13);
		CC20_QR(x2, x6, x10, x14);
		CC20_QR(x3, x7, x11, x15);
		CC20_QR(x0, x5, x10, x15);
		CC20_QR(x1, x6, x11, x12);
		CC20_QR(x2, x7, x8, x13);
		CC20_QR(x3, x4, x9, x14);
	}
	__u32 *ks = (__u32 *)s->ks;

	ks[0] = x0 + s->cc20[0];
	ks[1] = x1 + s->cc20[1];
	ks[2] = x2 + s->cc20[2];
	ks[3] = x3 + s->cc20[3];
	ks[4] = x4 + s->cc20[4];
	ks[5] = x5 + s->cc20[5];
	ks[6] = x6 + s->cc20[6];
	ks[7] = x7 + s->cc20[7];
	ks[8] = x8 + s->cc20[8];
	ks[9] = x9 + s->cc20[9];
	ks[10] = x10 + s->cc20[10];
	ks[11] = x11 + s->cc20[11];
	ks[12] = x12 + s->cc20[12];
	ks[13] = x13 + s->cc20[13];
	ks[14] = x14 + s->cc20[14];
	ks[15] = x15 + s->cc20[15];
	s->cc20[12]++;
	return 0;
}

/* "expand 32-byte k", the key (little-endian words) and the n2n IV. */
static __always_inline void cc20_setup(struct n2nk_ks_scratch *s,
				       const __u8 *key, const __u8 *iv)
{
	int i;

	s->cc20[0] = 0x61707865;
	s->cc20[1] = 0x3320646e;
	s->cc20[2] = 0x79622d32;
	s->cc20[3] = 0x6b206574;
#pragma unroll
	for (i = 0; i < 8; i++)
		s->cc20[4 + i] = (__u32)key[4 * i] |
				 (__u32)key[4 * i + 1] << 8 |
				 (__u32)key[4 * i + 2] << 16 |
				 (__u32)key[4 * i + 3] << 24;
#pragma unroll
	for (i = 0; i < 4; i++)
		s->cc20[12 + i] = (__u32)iv[4 * i] | (__u32)iv[4 * i + 1] << 8 |
				  (__u32)iv[4 * i + 2] << 16 |
				  (__u32)iv[4 * i + 3] << 24;
}

#endif /* N2NK_BPF_CHACHA20_H */
