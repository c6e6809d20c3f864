/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the keystream ciphers (chacha20.h, speck.h) work in: a per-CPU
 * scratch area, so their state and 64-byte output stay off the 512-byte
 * BPF stack, and passed whole to their global functions (a global
 * function may only touch the size of what its pointer argument names).
 */
#ifndef N2NK_BPF_KS_H
#define N2NK_BPF_KS_H

#include <linux/types.h>

#define KS_BLOCK 64

struct n2nk_ks_scratch {
	__u32 cc20[16]; /* ChaCha20: constants, key, counter, nonce */
	__u64 ctr[2];	/* Speck-CTR: the counter block's halves n0, n1 */
	__u64 ks[8];	/* the next 64 keystream bytes (little-endian) */
};

#endif /* N2NK_BPF_KS_H */
