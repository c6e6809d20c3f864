/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * -A6's DATA and GROUP frames (include/n2nk_session.h): the associated
 * data from the PACKET's routing fields, the nonce from the counter, and
 * the seal and open over a payload that starts with the 16-byte header.
 * Pure functions over libsodium's IETF ChaCha20-Poly1305, shared by the
 * edge (daemon/edge/edge_a6_data.c) and the tests.
 */
#ifndef N2NK_A6_FRAME_H
#define N2NK_A6_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "n2nk_session.h"

#define A6_NONCE_LEN 12

/* community[20] | src | dst | compression none | transform 64 | hdr[16] */
void a6_frame_ad(uint8_t ad[N2NK_A6_AD_LEN], const uint8_t *community,
		 const uint8_t *src, const uint8_t *dst, const uint8_t *hdr);
/* 00000000 | LE64(counter) */
void a6_frame_nonce(uint8_t nonce[A6_NONCE_LEN], uint64_t counter);
/* type | 0 0 0 | LE32(index) | LE64(counter) */
void a6_frame_hdr(uint8_t hdr[N2NK_A6_DATA_HDR], uint8_t type, uint32_t index,
		  uint64_t counter);
/*
 * pl holds the header; seals len bytes of frame after it and the tag
 * after those (pl has room for N2NK_A6_OVERHEAD + len), under key with
 * the AD of community, src and dst.
 */
void a6_frame_seal(uint8_t *pl, const uint8_t *community, const uint8_t *src,
		   const uint8_t *dst, const uint8_t *key, const uint8_t *frame,
		   size_t len);
/* Opens pl (len >= N2NK_A6_OVERHEAD) into frame (len - 32 bytes): 0, or
 * -1 when the tag does not verify (frame then holds nothing). */
int a6_frame_open(const uint8_t *pl, size_t len, const uint8_t *community,
		  const uint8_t *src, const uint8_t *dst, const uint8_t *key,
		  uint8_t *frame);

#endif /* N2NK_A6_FRAME_H */
