/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * n2n's "Pearson" hashes: a 64-bit mixing hash run in 1, 2 or 4 lanes. Used
 * for key derivation, the header-encryption checksum and auto-IP. Outputs are
 * written big-endian, lane 4 first, as n2n does.
 */
#ifndef N2NK_PEARSON_H
#define N2NK_PEARSON_H

#include <stddef.h>
#include <stdint.h>

void pearson_hash_256(uint8_t out[32], const uint8_t *in, size_t len);
void pearson_hash_128(uint8_t out[16], const uint8_t *in, size_t len);
uint64_t pearson_hash_64(const uint8_t *in, size_t len);
uint32_t pearson_hash_32(const uint8_t *in, size_t len);
uint16_t pearson_hash_16(const uint8_t *in, size_t len);

#endif /* N2NK_PEARSON_H */
