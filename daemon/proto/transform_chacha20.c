// SPDX-License-Identifier: GPL-2.0-only
/*
 * -A4: IV(16) || ChaCha20(frame) with libsodium. IV bytes 0..3 are the
 * little-endian block counter and bytes 4..15 the 96-bit nonce (OpenSSL's
 * EVP_chacha20 layout, which n2n uses).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/bytes.h"
#include "common/compiler.h"
#include "transform.h"

#define CC20_KEY_SIZE 32
#define CC20_BLOCK    64

struct cc20_ctx {
	uint8_t key[CC20_KEY_SIZE];
};

/*
 * n2n's built-in ChaCha20 counts only the 32-bit word and wraps to 0 with
 * the same nonce; libsodium refuses (aborts on) a counter that would wrap,
 * so the stream is split at the wrap point, which is a block boundary.
 */
static void cc20_xor(const struct cc20_ctx *c, const uint8_t *iv, uint8_t *out,
		     const uint8_t *in, size_t len)
{
	uint32_t ctr = get_le32(iv);
	uint64_t room = ((uint64_t)1 << 32) - ctr; /* blocks before wrap */
	size_t first = len;

	if (!len)
		return;
	if (room * CC20_BLOCK < len)
		first = (size_t)room * CC20_BLOCK;
	crypto_stream_chacha20_ietf_xor_ic(out, in, first, iv + 4, ctr, c->key);
	if (first < len)
		crypto_stream_chacha20_ietf_xor_ic(out + first, in + first,
						   len - first, iv + 4, 0,
						   c->key);
}

static size_t cc20_key_size(size_t key_string_len __maybe_unused)
{
	return CC20_KEY_SIZE;
}

static int cc20_init(struct transform *t, const uint8_t *key, size_t key_len)
{
	struct cc20_ctx *c;

	if (key_len != CC20_KEY_SIZE)
		return TRANSFORM_ERR_KEY_SIZE;
	c = malloc(sizeof(*c));
	if (!c)
		return TRANSFORM_ERR_NOMEM;
	memcpy(c->key, key, CC20_KEY_SIZE);
	t->priv = c;
	return 0;
}

static void cc20_fini(struct transform *t)
{
	if (!t->priv)
		return;
	sodium_memzero(t->priv, sizeof(struct cc20_ctx));
	free(t->priv);
}

static ssize_t cc20_encode(const struct transform *t, uint8_t *out,
			   const uint8_t *in, size_t len,
			   const uint8_t iv[TRANSFORM_IV_SIZE])
{
	memcpy(out, iv, TRANSFORM_IV_SIZE);
	cc20_xor(t->priv, iv, out + TRANSFORM_IV_SIZE, in, len);
	return (ssize_t)(TRANSFORM_IV_SIZE + len);
}

static ssize_t cc20_decode(const struct transform *t, uint8_t *out,
			   const uint8_t *in, size_t len,
			   uint8_t iv_out[TRANSFORM_IV_SIZE])
{
	size_t n = len - TRANSFORM_IV_SIZE;

	cc20_xor(t->priv, in, out, in + TRANSFORM_IV_SIZE, n);
	if (iv_out)
		memcpy(iv_out, in, TRANSFORM_IV_SIZE);
	return (ssize_t)n;
}

const struct transform_ops transform_chacha20_ops = {
	.id = N2N_TRANSFORM_CHACHA20,
	.name = "chacha20",
	.overhead = TRANSFORM_IV_SIZE,
	.key_size = cc20_key_size,
	.init = cc20_init,
	.encode = cc20_encode,
	.decode = cc20_decode,
	.fini = cc20_fini,
};
