// SPDX-License-Identifier: GPL-2.0-only
/*
 * n2n's lane hash (docs/protocol.md, "Pearson hash"): each lane k absorbs a
 * value v as h ^= v; h -= k; h = mix(h). Input goes in as little-endian
 * 64-bit words, the 0..7 byte tail one byte at a time between two inversions
 * of every lane, and the length last.
 */
#include "common/bytes.h"
#include "pearson.h"

#define PEARSON_MAX_LANES 4

static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

static inline void absorb(uint64_t *h, int lanes, uint64_t v)
{
	int k;

	for (k = 0; k < lanes; k++)
		h[k] = mix64((h[k] ^ v) - (uint64_t)(k + 1));
}

static void lane_hash(uint64_t *h, int lanes, const uint8_t *in, size_t len)
{
	size_t i;
	int k;

	for (k = 0; k < lanes; k++)
		h[k] = 0;
	for (i = 0; i + 8 <= len; i += 8)
		absorb(h, lanes, get_le64(in + i));
	for (k = 0; k < lanes; k++)
		h[k] = ~h[k];
	for (; i < len; i++)
		absorb(h, lanes, in[i]);
	for (k = 0; k < lanes; k++)
		h[k] = ~h[k];
	absorb(h, lanes, (uint64_t)len);
}

void pearson_hash_256(uint8_t out[32], const uint8_t *in, size_t len)
{
	uint64_t h[PEARSON_MAX_LANES];

	lane_hash(h, 4, in, len);
	put_be64(out, h[3]);
	put_be64(out + 8, h[2]);
	put_be64(out + 16, h[1]);
	put_be64(out + 24, h[0]);
}

void pearson_hash_128(uint8_t out[16], const uint8_t *in, size_t len)
{
	uint64_t h[PEARSON_MAX_LANES];

	lane_hash(h, 2, in, len);
	put_be64(out, h[1]);
	put_be64(out + 8, h[0]);
}

uint64_t pearson_hash_64(const uint8_t *in, size_t len)
{
	uint64_t h[PEARSON_MAX_LANES];

	lane_hash(h, 1, in, len);
	return h[0];
}

uint32_t pearson_hash_32(const uint8_t *in, size_t len)
{
	return (uint32_t)pearson_hash_64(in, len);
}

uint16_t pearson_hash_16(const uint8_t *in, size_t len)
{
	return (uint16_t)pearson_hash_64(in, len);
}
