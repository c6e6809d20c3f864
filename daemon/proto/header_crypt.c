// SPDX-License-Identifier: GPL-2.0-only
/*
 * Header encryption, both directions. Decryption works on a copy so that a
 * failed attempt (the supernode tries every community's key) never damages
 * the datagram, unlike n2n 3.1.1, which rewrites it in place. Datagrams are
 * at most N2N_PKT_BUF_SIZE bytes, the most an n2n node ever receives.
 */
#include <string.h>

#include "common/bytes.h"
#include "header_crypt.h"
#include "pearson.h"

static void keys_from_hdr_key(struct he_keys *keys, const uint8_t k_hdr[16])
{
	uint8_t k_iv[16];

	pearson_hash_128(k_iv, k_hdr, 16);
	/* 16-byte keys cannot fail. */
	(void)!speck_setkey(&keys->hdr, k_hdr, 16);
	(void)!speck_setkey(&keys->iv, k_iv, 16);
}

void he_keys_from_community(struct he_keys *keys,
			    const char community[N2N_COMMUNITY_SIZE])
{
	uint8_t k_hdr[16];

	pearson_hash_128(k_hdr, (const uint8_t *)community, N2N_COMMUNITY_SIZE);
	keys_from_hdr_key(keys, k_hdr);
}

void he_keys_from_dynamic_key(struct he_keys *keys, const uint8_t dyn[16])
{
	uint8_t k_hdr[16];

	pearson_hash_128(k_hdr, dyn, 16);
	keys_from_hdr_key(keys, k_hdr);
}

int he_encrypt(uint8_t *pkt, size_t len, size_t hdr_len, uint64_t stamp,
	       uint32_t random32, const struct he_keys *keys)
{
	uint64_t csum;
	uint8_t pre_iv[16];

	if (len < N2N_COMMON_SIZE)
		return -HE_ERR_SHORT;
	if (len > N2N_PKT_BUF_SIZE)
		return -HE_ERR_TOO_LONG;
	if (hdr_len < N2N_COMMON_SIZE || hdr_len > len)
		return -HE_ERR_HDR_LEN;
	csum = pearson_hash_64(pkt, len);
	memcpy(pkt + 20, pkt, 4); /* version, TTL, flags move to 20..23 */
	put_be32(pre_iv, (uint32_t)(csum >> 32));
	put_be32(pre_iv + 4, (uint32_t)csum ^ (uint32_t)(stamp >> 32));
	put_be32(pre_iv + 8, (uint32_t)stamp);
	put_be32(pre_iv + 12, random32);
	speck_encrypt_block(&keys->iv, pkt, pre_iv);
	put_be32(pkt + N2N_HE_MAGIC_OFF, N2N_HE_MAGIC + (uint32_t)hdr_len);
	speck_ctr(&keys->hdr, pkt, pkt + 16, pkt + 16, hdr_len - 16);
	return 0;
}

/* Decrypts only the length word; returns H, or 0 when it is not plausible. */
static size_t peek_hdr_len(const uint8_t *in, size_t len,
			   const struct he_keys *keys)
{
	uint8_t word[4];
	uint32_t h;

	if (len < N2N_COMMON_SIZE)
		return 0;
	speck_ctr(&keys->hdr, in, word, in + N2N_HE_MAGIC_OFF, 4);
	h = get_be32(word) - N2N_HE_MAGIC;
	/* n2n only checks H <= L; below 24 its own decoder would underflow. */
	if (h < N2N_COMMON_SIZE || h > len)
		return 0;
	return h;
}

bool he_magic_matches(const uint8_t *in, size_t len, const struct he_keys *keys)
{
	return peek_hdr_len(in, len, keys) != 0;
}

/* Decrypts the first hdr_len bytes into hdr[] and restores the community. */
static void open_header(uint8_t *hdr, const uint8_t *in, size_t hdr_len,
			const char community[N2N_COMMUNITY_SIZE],
			const struct he_keys *keys)
{
	memcpy(hdr, in, 16);
	speck_ctr(&keys->hdr, in, hdr + 16, in + 16, hdr_len - 16);
	memcpy(hdr, hdr + 20, 4);
	memcpy(hdr + 4, community, N2N_COMMUNITY_SIZE);
}

int he_decrypt(uint8_t *out, const uint8_t *in, size_t len,
	       const char community[N2N_COMMUNITY_SIZE],
	       const struct he_keys *keys, struct he_result *res)
{
	uint8_t plain[N2N_PKT_BUF_SIZE], pre_iv[16];
	size_t hdr_len;
	uint64_t csum;

	if (len < N2N_COMMON_SIZE)
		return -HE_ERR_SHORT;
	if (len > sizeof(plain))
		return -HE_ERR_TOO_LONG;
	hdr_len = peek_hdr_len(in, len, keys);
	if (!hdr_len)
		return -HE_ERR_MAGIC;
	open_header(plain, in, hdr_len, community, keys);
	memcpy(plain + hdr_len, in + hdr_len, len - hdr_len);
	speck_decrypt_block(&keys->iv, pre_iv, in);
	csum = pearson_hash_64(plain, len);
	if ((uint32_t)(csum >> 32) != get_be32(pre_iv))
		return -HE_ERR_CHECKSUM;
	memcpy(out, plain, len);
	if (res) {
		res->hdr_len = hdr_len;
		res->stamp = get_be64(pre_iv + 4) ^ (csum << 32);
		res->random32 = get_be32(pre_iv + 12);
	}
	return 0;
}

static const char *const he_errors[HE_ERR_COUNT] = {
	[HE_OK] = "ok",
	[HE_ERR_SHORT] = "datagram shorter than 24 bytes",
	[HE_ERR_MAGIC] = "no header-encryption magic for this key",
	[HE_ERR_CHECKSUM] = "header checksum mismatch",
	[HE_ERR_HDR_LEN] = "header length out of range",
	[HE_ERR_TOO_LONG] = "datagram longer than 2048 bytes",
};

const char *he_strerror(int err)
{
	if (err < 0)
		err = -err;
	return err < HE_ERR_COUNT ? he_errors[err] : "unknown error";
}
