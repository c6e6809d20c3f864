// SPDX-License-Identifier: GPL-2.0-only
/*
 * n2n 3.1.1 user/password authentication primitives over libsodium's X25519,
 * n2n's Pearson hashes and Speck128/128. Byte-exact with n2n's src/auth.c,
 * src/edge_utils.c and src/sn_utils.c; t_auth.c holds the golden vectors.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "common/bytes.h"
#include "pearson.h"

static const char b64_alphabet[64] =
	"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+-";

/* n2n's "generator": the u-coordinate 9 stored in the LAST byte (quirk 3). */
static const uint8_t n2n_base_point[AUTH_KEY_SIZE] = { [31] = 9 };

static const char *const auth_errors[AUTH_ERR_COUNT] = {
	[AUTH_OK] = "success",
	[AUTH_ERR_ASCII_LENGTH] = "ASCII key has the wrong length",
	[AUTH_ERR_ASCII_CHAR] =
		"ASCII key has a character outside 0-9 A-Z a-z + -",
	[AUTH_ERR_NO_SPACE] = "output buffer too small",
	[AUTH_ERR_WEAK_KEY] = "public key is a point of small order",
	[AUTH_ERR_NAME] = "community or federation name too long",
	[AUTH_ERR_CHALLENGE] = "answer token does not match our challenge",
	[AUTH_ERR_TRAILER] = "trailer does not match the message",
	[AUTH_ERR_SODIUM] = "libsodium failed to initialise",
};

const char *auth_strerror(int err)
{
	if (err < 0)
		err = -err;
	if (err >= AUTH_ERR_COUNT)
		return "unknown auth error";
	return auth_errors[err];
}

int auth_bin_to_ascii(char *out, size_t out_size, const uint8_t *in,
		      size_t in_len)
{
	size_t i, n = 0, need = auth_ascii_len(in_len);
	unsigned int acc = 0, bits = 0;

	if (out_size < need + 1)
		return -AUTH_ERR_NO_SPACE;
	for (i = 0; i < in_len; i++) {
		acc = acc << 8 | in[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[n++] = b64_alphabet[(acc >> bits) & 63];
		}
		acc &= (1u << bits) - 1;
	}
	if (bits)
		out[n++] = b64_alphabet[(acc << (6 - bits)) & 63];
	out[n] = '\0';
	return (int)n;
}

static int b64_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 36;
	if (c == '+')
		return 62;
	if (c == '-')
		return 63;
	return -1;
}

int auth_ascii_to_bin(uint8_t *out, size_t out_len, const char *in)
{
	size_t i, n = 0, want = auth_ascii_len(out_len);
	unsigned int acc = 0, bits = 0;
	int v;

	memset(out, 0, out_len);
	/* strnlen: never walk past one char more than a valid key has. */
	if (strnlen(in, want + 1) != want)
		return -AUTH_ERR_ASCII_LENGTH;
	for (i = 0; i < want; i++) {
		v = b64_value((unsigned char)in[i]);
		if (v < 0) {
			memset(out, 0, out_len);
			return -AUTH_ERR_ASCII_CHAR;
		}
		acc = acc << 6 | (unsigned int)v;
		bits += 6;
		if (bits >= 8 && n < out_len) {
			bits -= 8;
			out[n++] = (uint8_t)(acc >> bits);
		}
		acc &= (1u << bits) - 1;
	}
	return 0;
}

void auth_private_key(uint8_t prv[AUTH_KEY_SIZE], const char *secret)
{
	pearson_hash_256(prv, (const uint8_t *)secret, strlen(secret));
	pearson_hash_256(prv, prv, AUTH_KEY_SIZE);
}

void auth_bind_username(uint8_t prv[AUTH_KEY_SIZE], const char *username)
{
	uint8_t h[AUTH_KEY_SIZE];
	size_t i;

	pearson_hash_256(h, (const uint8_t *)username, strlen(username));
	for (i = 0; i < AUTH_KEY_SIZE; i++)
		prv[i] ^= h[i];
	sodium_memzero(h, sizeof(h));
}

void auth_user_private_key(uint8_t prv[AUTH_KEY_SIZE], const char *username,
			   const char *password)
{
	auth_private_key(prv, password);
	auth_bind_username(prv, username);
}

/*
 * libsodium clamps the scalar (clear bits 0-2 and 255, set 254) and ignores
 * the top bit of the point exactly as n2n's curve25519.c does, so results
 * are identical. Unlike n2n it refuses small-order points, whose shared
 * secret would be a constant anyone can compute.
 */
static int x25519(uint8_t out[AUTH_KEY_SIZE],
		  const uint8_t scalar[AUTH_KEY_SIZE],
		  const uint8_t point[AUTH_KEY_SIZE])
{
	if (sodium_init() < 0)
		return -AUTH_ERR_SODIUM;
	if (crypto_scalarmult_curve25519(out, scalar, point) != 0)
		return -AUTH_ERR_WEAK_KEY;
	return 0;
}

int auth_public_key(uint8_t pub[AUTH_KEY_SIZE],
		    const uint8_t prv[AUTH_KEY_SIZE])
{
	return x25519(pub, prv, n2n_base_point);
}

int auth_federation_keys(uint8_t prv[AUTH_KEY_SIZE], uint8_t pub[AUTH_KEY_SIZE],
			 const char *name)
{
	int ret;

	auth_private_key(prv, name);
	ret = auth_public_key(pub, prv);
	if (ret)
		sodium_memzero(prv, AUTH_KEY_SIZE);
	return ret;
}

int auth_shared_secret(uint8_t ss[AUTH_KEY_SIZE],
		       const uint8_t prv[AUTH_KEY_SIZE],
		       const uint8_t pub[AUTH_KEY_SIZE])
{
	uint8_t point[AUTH_KEY_SIZE];
	int ret;

	ret = x25519(point, prv, pub);
	if (ret == 0)
		pearson_hash_256(ss, point, sizeof(point));
	sodium_memzero(point, sizeof(point));
	return ret;
}

/* speck_setkey only fails for key lengths other than 16 and 32. */
static void speck128_setkey(struct speck_key *k, const uint8_t key[16])
{
	if (speck_setkey(k, key, 16) != 0)
		abort();
}

int auth_secret_init(struct auth_secret *s, const uint8_t prv[AUTH_KEY_SIZE],
		     const uint8_t pub[AUTH_KEY_SIZE])
{
	int ret;

	ret = auth_shared_secret(s->ss, prv, pub);
	if (ret) {
		auth_secret_wipe(s);
		return ret;
	}
	speck128_setkey(&s->k_ss, s->ss);
	return 0;
}

void auth_secret_wipe(struct auth_secret *s)
{
	sodium_memzero(s, sizeof(*s));
}

/* pearson_hash_128 applied three times; n2n's "HASH³". */
static void pearson3(uint8_t out[16], const uint8_t *in, size_t len)
{
	pearson_hash_128(out, in, len);
	pearson_hash_128(out, out, 16);
	pearson_hash_128(out, out, 16);
}

static int name_hash3(uint8_t out[16], const char *name)
{
	uint8_t padded[N2N_COMMUNITY_SIZE] = { 0 };
	size_t len = strnlen(name, AUTH_NAME_MAX + 1);

	if (len > AUTH_NAME_MAX)
		return -AUTH_ERR_NAME;
	memcpy(padded, name, len);
	pearson3(out, padded, sizeof(padded));
	return 0;
}

int auth_dynamic_key(uint8_t key[AUTH_DYNAMIC_KEY_SIZE], const char *community,
		     const char *federation, uint32_t key_time)
{
	uint8_t k[16], f[16], t[4];
	struct speck_key sk;
	int i, ret;

	ret = name_hash3(k, community);
	if (ret == 0)
		ret = name_hash3(f, federation);
	if (ret)
		return ret;
	for (i = 0; i < 16; i++)
		k[i] ^= f[i];
	speck128_setkey(&sk, k);
	put_le32(t, key_time);
	pearson3(key, t, sizeof(t));
	speck_encrypt_block(&sk, key, key);
	sodium_memzero(&sk, sizeof(sk));
	sodium_memzero(k, sizeof(k));
	return 0;
}

int auth_new_challenge(uint8_t challenge[AUTH_CHALLENGE_SIZE])
{
	if (sodium_init() < 0)
		return -AUTH_ERR_SODIUM;
	randombytes_buf(challenge, AUTH_CHALLENGE_SIZE);
	return 0;
}

void auth_edge_token(uint8_t token[AUTH_TOKEN_SIZE],
		     const uint8_t pub[AUTH_KEY_SIZE],
		     const struct auth_secret *s,
		     const uint8_t challenge[AUTH_CHALLENGE_SIZE])
{
	memcpy(token, pub, AUTH_KEY_SIZE);
	speck_encrypt_block(&s->k_ss, token + AUTH_KEY_SIZE, challenge);
}

static void xor16(uint8_t *dst, const uint8_t *src)
{
	int i;

	for (i = 0; i < 16; i++)
		dst[i] ^= src[i];
}

void auth_sn_answer(uint8_t answer[AUTH_TOKEN_SIZE],
		    const uint8_t token[AUTH_TOKEN_SIZE],
		    const struct auth_secret *s,
		    const uint8_t dynamic_key[AUTH_DYNAMIC_KEY_SIZE])
{
	uint8_t out[AUTH_TOKEN_SIZE], wrap[16];
	const uint8_t *enc_challenge = token + AUTH_KEY_SIZE;

	/* Encrypting the encrypted challenge again proves we hold K_ss. */
	speck_encrypt_block(&s->k_ss, out, enc_challenge);
	memcpy(out + 16, token + 16, 16);
	speck_decrypt_block(&s->k_ss, wrap, enc_challenge);
	xor16(wrap, dynamic_key);
	xor16(wrap, s->ss);
	speck_encrypt_block(&s->k_ss, out + AUTH_KEY_SIZE, wrap);
	memcpy(answer, out, sizeof(out));
	sodium_memzero(wrap, sizeof(wrap));
}

int auth_edge_check_answer(uint8_t dynamic_key[AUTH_DYNAMIC_KEY_SIZE],
			   const uint8_t answer[AUTH_TOKEN_SIZE],
			   const struct auth_secret *s,
			   const uint8_t challenge[AUTH_CHALLENGE_SIZE])
{
	uint8_t t[16];
	int ret = 0;

	speck_decrypt_block(&s->k_ss, t, answer);
	speck_decrypt_block(&s->k_ss, t, t);
	if (sodium_memcmp(t, challenge, 16) != 0) {
		ret = -AUTH_ERR_CHALLENGE;
		goto out;
	}
	speck_decrypt_block(&s->k_ss, t, answer + AUTH_KEY_SIZE);
	xor16(t, challenge);
	xor16(t, s->ss);
	memcpy(dynamic_key, t, 16);
out:
	sodium_memzero(t, sizeof(t));
	return ret;
}

void auth_trailer(uint8_t trailer[AUTH_TRAILER_SIZE], const uint8_t *msg,
		  size_t len, const struct auth_secret *s)
{
	uint8_t h[16];

	pearson_hash_128(h, msg, len);
	speck_encrypt_block(&s->k_ss, trailer, h);
}

int auth_trailer_verify(const uint8_t trailer[AUTH_TRAILER_SIZE],
			const uint8_t *msg, size_t len,
			const struct auth_secret *s)
{
	uint8_t want[AUTH_TRAILER_SIZE];

	auth_trailer(want, msg, len, s);
	if (sodium_memcmp(want, trailer, sizeof(want)) != 0)
		return -AUTH_ERR_TRAILER;
	return 0;
}
