// SPDX-License-Identifier: GPL-2.0-only
/* Speck128 in plain C, and n2n's counter mode over it. */
#include <errno.h>
#include <string.h>

#include "common/bytes.h"
#include "speck.h"

static inline uint64_t ror64(uint64_t x, int r)
{
	return x >> r | x << (64 - r);
}

static inline uint64_t rol64(uint64_t x, int r)
{
	return x << r | x >> (64 - r);
}

int speck_setkey(struct speck_key *key, const uint8_t *k, size_t key_len)
{
	uint64_t a, l[3];
	int i, m;

	if (key_len != 16 && key_len != 32)
		return -EINVAL;
	m = (int)(key_len / 8) - 1; /* number of l words: 1 or 3 */
	key->rounds = key_len == 16 ? 32 : 34;
	a = get_le64(k);
	for (i = 0; i < m; i++)
		l[i] = get_le64(k + 8 * (i + 1));
	for (i = 0; i < key->rounds; i++) {
		uint64_t *li = &l[i % m];

		key->rk[i] = a;
		*li = (a + ror64(*li, 8)) ^ (uint64_t)i;
		a = rol64(a, 3) ^ *li;
	}
	return 0;
}

void speck_encrypt_block(const struct speck_key *key, uint8_t out[16],
			 const uint8_t in[16])
{
	uint64_t y = get_le64(in), x = get_le64(in + 8);
	int i;

	for (i = 0; i < key->rounds; i++) {
		x = (ror64(x, 8) + y) ^ key->rk[i];
		y = rol64(y, 3) ^ x;
	}
	put_le64(out, y);
	put_le64(out + 8, x);
}

void speck_decrypt_block(const struct speck_key *key, uint8_t out[16],
			 const uint8_t in[16])
{
	uint64_t y = get_le64(in), x = get_le64(in + 8);
	int i;

	for (i = key->rounds - 1; i >= 0; i--) {
		y = ror64(y ^ x, 3);
		x = rol64((x ^ key->rk[i]) - y, 8);
	}
	put_le64(out, y);
	put_le64(out + 8, x);
}

void speck_ctr(const struct speck_key *key, const uint8_t iv[16], uint8_t *out,
	       const uint8_t *in, size_t len)
{
	uint64_t n0 = get_le64(iv);
	uint8_t ctr[16], ks[16];
	size_t i, n;

	memcpy(ctr + 8, iv + 8, 8);
	for (; len; n0++) {
		put_le64(ctr, n0);
		speck_encrypt_block(key, ks, ctr);
		n = len < 16 ? len : 16;
		for (i = 0; i < n; i++)
			out[i] = in[i] ^ ks[i];
		out += n;
		in += n;
		len -= n;
	}
}
