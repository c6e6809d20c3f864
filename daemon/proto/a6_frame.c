// SPDX-License-Identifier: GPL-2.0-only
/* -A6's DATA and GROUP frames: see a6_frame.h. */
#include <sodium.h>
#include <string.h>

#include "a6_frame.h"
#include "common/bytes.h"

void a6_frame_ad(uint8_t ad[N2NK_A6_AD_LEN], const uint8_t *community,
		 const uint8_t *src, const uint8_t *dst, const uint8_t *hdr)
{
	uint8_t *p = ad;

	memcpy(p, community, N2N_COMMUNITY_SIZE);
	p += N2N_COMMUNITY_SIZE;
	memcpy(p, src, N2N_MAC_SIZE);
	memcpy(p + N2N_MAC_SIZE, dst, N2N_MAC_SIZE);
	p += 2 * N2N_MAC_SIZE;
	*p++ = N2N_COMPRESSION_NONE;
	*p++ = N2NK_TRANSFORM_A6;
	memcpy(p, hdr, N2NK_A6_DATA_HDR);
}

void a6_frame_nonce(uint8_t nonce[A6_NONCE_LEN], uint64_t counter)
{
	memset(nonce, 0, 4);
	put_le64(nonce + 4, counter);
}

void a6_frame_hdr(uint8_t hdr[N2NK_A6_DATA_HDR], uint8_t type, uint32_t index,
		  uint64_t counter)
{
	memset(hdr, 0, N2NK_A6_TYPE_LEN);
	hdr[0] = type;
	put_le32(hdr + 4, index);
	put_le64(hdr + 8, counter);
}

void a6_frame_seal(uint8_t *pl, const uint8_t *community, const uint8_t *src,
		   const uint8_t *dst, const uint8_t *key, const uint8_t *frame,
		   size_t len)
{
	uint8_t ad[N2NK_A6_AD_LEN], nonce[A6_NONCE_LEN];

	a6_frame_ad(ad, community, src, dst, pl);
	a6_frame_nonce(nonce, get_le64(pl + 8));
	crypto_aead_chacha20poly1305_ietf_encrypt_detached(
		pl + N2NK_A6_DATA_HDR, pl + N2NK_A6_DATA_HDR + len, NULL, frame,
		len, ad, sizeof(ad), NULL, nonce, key);
}

int a6_frame_open(const uint8_t *pl, size_t len, const uint8_t *community,
		  const uint8_t *src, const uint8_t *dst, const uint8_t *key,
		  uint8_t *frame)
{
	uint8_t ad[N2NK_A6_AD_LEN], nonce[A6_NONCE_LEN];
	size_t n;

	if (len < N2NK_A6_OVERHEAD)
		return -1;
	n = len - N2NK_A6_OVERHEAD;
	a6_frame_ad(ad, community, src, dst, pl);
	a6_frame_nonce(nonce, get_le64(pl + 8));
	return crypto_aead_chacha20poly1305_ietf_decrypt_detached(
		frame, NULL, pl + N2NK_A6_DATA_HDR, n,
		pl + N2NK_A6_DATA_HDR + n, ad, sizeof(ad), nonce, key);
}
