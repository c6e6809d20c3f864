/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Speck128/128 and Speck128/256 block cipher (NSA 2013 paper, byte order of
 * its implementation guide) and n2n's counter mode over it. Header
 * encryption and user/password auth use 128-bit keys, the -A5 transform a
 * 256-bit key. Written here because the BPF data path needs it too.
 */
#ifndef N2NK_SPECK_H
#define N2NK_SPECK_H

#include <stddef.h>
#include <stdint.h>

#define SPECK_BLOCK_SIZE 16
#define SPECK_MAX_ROUNDS 34

struct speck_key {
	uint64_t rk[SPECK_MAX_ROUNDS];
	int rounds;
};

/* key_len must be 16 or 32; returns 0 or -EINVAL. */
int speck_setkey(struct speck_key *key, const uint8_t *k, size_t key_len)
	__attribute__((warn_unused_result));
void speck_encrypt_block(const struct speck_key *key, uint8_t out[16],
			 const uint8_t in[16]);
void speck_decrypt_block(const struct speck_key *key, uint8_t out[16],
			 const uint8_t in[16]);

/*
 * n2n's Speck-CTR: keystream block i encrypts LE64(n0 + i) || LE64(n1) with
 * n0, n1 the two little-endian halves of the IV; only n0 counts (no carry).
 * XORs len bytes of in into out (in == out allowed).
 */
void speck_ctr(const struct speck_key *key, const uint8_t iv[16], uint8_t *out,
	       const uint8_t *in, size_t len);

#endif /* N2NK_SPECK_H */
