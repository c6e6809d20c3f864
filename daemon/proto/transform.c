// SPDX-License-Identifier: GPL-2.0-only
/*
 * The transform registry and the checks every cipher shares: ids to ops,
 * n2n's key derivation from the -k string, and all length checks, so the
 * per-cipher files only do cryptography.
 */
#include <string.h>

#include <sodium.h>

#include "pearson.h"
#include "transform.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct transform_ops *const transform_table[] = {
	[N2N_TRANSFORM_NULL] = &transform_null_ops,
	[N2N_TRANSFORM_TWOFISH] = &transform_twofish_ops,
	[N2N_TRANSFORM_AES] = &transform_aes_ops,
	[N2N_TRANSFORM_CHACHA20] = &transform_chacha20_ops,
	[N2N_TRANSFORM_SPECK] = &transform_speck_ops,
};

static const struct transform_ops *transform_lookup(enum n2n_transform_id id)
{
	if ((unsigned int)id >= ARRAY_SIZE(transform_table))
		return NULL;
	return transform_table[id];
}

int transform_derive_key(enum n2n_transform_id id, const char *key_string,
			 uint8_t key[TRANSFORM_KEY_MAX])
{
	const struct transform_ops *ops = transform_lookup(id);
	uint8_t hash[32];
	size_t len, n;

	if (!ops)
		return TRANSFORM_ERR_UNKNOWN_ID;
	if (!ops->key_size)
		return 0;
	/* An empty -k would give every community the same key. */
	if (!key_string || !key_string[0])
		return TRANSFORM_ERR_NO_KEY;
	len = strlen(key_string);
	n = ops->key_size(len);
	pearson_hash_256(hash, (const uint8_t *)key_string, len);
	memcpy(key, hash + sizeof(hash) - n, n);
	sodium_memzero(hash, sizeof(hash));
	return (int)n;
}

int transform_init_raw(struct transform *t, enum n2n_transform_id id,
		       const uint8_t *key, size_t key_len)
{
	const struct transform_ops *ops = transform_lookup(id);
	int ret;

	t->ops = NULL;
	t->priv = NULL;
	if (!ops)
		return TRANSFORM_ERR_UNKNOWN_ID;
	/* libsodium's RNG and ChaCha20 need it; idempotent and thread-safe. */
	if (sodium_init() < 0)
		return TRANSFORM_ERR_CRYPTO;
	ret = ops->init(t, key, key_len);
	if (ret)
		return ret;
	t->ops = ops;
	return 0;
}

int transform_init(struct transform *t, enum n2n_transform_id id,
		   const char *key_string)
{
	uint8_t key[TRANSFORM_KEY_MAX];
	int n, ret;

	t->ops = NULL;
	t->priv = NULL;
	n = transform_derive_key(id, key_string, key);
	if (n < 0)
		return n;
	ret = transform_init_raw(t, id, key, (size_t)n);
	sodium_memzero(key, sizeof(key));
	return ret;
}

void transform_fini(struct transform *t)
{
	if (t->ops && t->ops->fini)
		t->ops->fini(t);
	t->ops = NULL;
	t->priv = NULL;
}

ssize_t transform_encode(const struct transform *t, uint8_t *out, size_t cap,
			 const uint8_t *in, size_t len,
			 const uint8_t iv[TRANSFORM_IV_SIZE])
{
	if (!t->ops)
		return TRANSFORM_ERR_NOT_READY;
	if (len > N2N_PKT_BUF_SIZE)
		return TRANSFORM_ERR_TOO_LONG;
	if (cap < len + t->ops->overhead)
		return TRANSFORM_ERR_NO_SPACE;
	return t->ops->encode(t, out, in, len, iv);
}

/*
 * The frame inside is held to N2N_PKT_BUF_SIZE, as n2n does, so whatever
 * encode accepts decode accepts too.
 */
ssize_t transform_decode_iv(const struct transform *t, uint8_t *out, size_t cap,
			    const uint8_t *in, size_t len,
			    uint8_t iv_out[TRANSFORM_IV_SIZE])
{
	size_t frame;

	if (!t->ops)
		return TRANSFORM_ERR_NOT_READY;
	if (len < t->ops->overhead)
		return TRANSFORM_ERR_TOO_SHORT;
	frame = len - t->ops->overhead;
	if (frame > N2N_PKT_BUF_SIZE)
		return TRANSFORM_ERR_TOO_LONG;
	if (cap < frame)
		return TRANSFORM_ERR_NO_SPACE;
	return t->ops->decode(t, out, in, len, iv_out);
}

ssize_t transform_decode(const struct transform *t, uint8_t *out, size_t cap,
			 const uint8_t *in, size_t len)
{
	return transform_decode_iv(t, out, cap, in, len, NULL);
}

void transform_random_iv(uint8_t iv[TRANSFORM_IV_SIZE])
{
	/* Cannot fail once initialised; a failed init aborts in libsodium. */
	if (sodium_init() < 0)
		sodium_misuse();
	randombytes_buf(iv, TRANSFORM_IV_SIZE);
	/* ChaCha20 reads bytes 0-3 as its LE32 block counter; with bit 31
	 * clear no frame wraps it, where n2n builds disagree on the carry
	 * (built-in code wraps, OpenSSL's carries into the nonce). One bit
	 * fewer of randomness costs the other transforms nothing. */
	iv[3] &= 0x7f;
}

int transform_overhead(enum n2n_transform_id id)
{
	const struct transform_ops *ops = transform_lookup(id);

	return ops ? (int)ops->overhead : TRANSFORM_ERR_UNKNOWN_ID;
}

const char *transform_name(enum n2n_transform_id id)
{
	const struct transform_ops *ops = transform_lookup(id);

	return ops ? ops->name : "invalid";
}

int transform_id_from_flag(int a_number)
{
	if (a_number < 0 || !transform_lookup((enum n2n_transform_id)a_number))
		return TRANSFORM_ERR_UNKNOWN_ID;
	return a_number;
}

static const char *const transform_errors[] = {
	[-TRANSFORM_ERR_UNKNOWN_ID - 200] = "unknown transform id",
	[-TRANSFORM_ERR_NO_KEY - 200] = "cipher needs a key",
	[-TRANSFORM_ERR_KEY_SIZE - 200] = "wrong key size",
	[-TRANSFORM_ERR_TOO_SHORT - 200] = "ciphertext too short",
	[-TRANSFORM_ERR_TOO_LONG - 200] = "frame too long",
	[-TRANSFORM_ERR_NO_SPACE - 200] = "output buffer too small",
	[-TRANSFORM_ERR_BAD_PADDING - 200] = "bad ciphertext-stealing padding",
	[-TRANSFORM_ERR_CRYPTO - 200] = "crypto library error",
	[-TRANSFORM_ERR_NOMEM - 200] = "out of memory",
	[-TRANSFORM_ERR_NOT_READY - 200] = "transform not initialised",
};

const char *transform_strerror(int err)
{
	unsigned int i = (unsigned int)(-(long)err - 200);

	if (err == 0)
		return "success";
	if (err > -200 || i >= ARRAY_SIZE(transform_errors))
		return "unknown transform error";
	return transform_errors[i];
}
