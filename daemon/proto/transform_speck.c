// SPDX-License-Identifier: GPL-2.0-only
/*
 * -A5: IV(16) || Speck128/256 in n2n's counter mode (speck.h). Speck has no
 * library we can use, and the BPF data path shares the same code.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/compiler.h"
#include "speck.h"
#include "transform.h"

#define SPECK_KEY_SIZE 32

static size_t speck_key_size(size_t key_string_len __maybe_unused)
{
	return SPECK_KEY_SIZE;
}

static int speck_init(struct transform *t, const uint8_t *key, size_t key_len)
{
	struct speck_key *k;

	if (key_len != SPECK_KEY_SIZE)
		return TRANSFORM_ERR_KEY_SIZE;
	k = malloc(sizeof(*k));
	if (!k)
		return TRANSFORM_ERR_NOMEM;
	if (speck_setkey(k, key, key_len)) {
		free(k);
		return TRANSFORM_ERR_CRYPTO;
	}
	t->priv = k;
	return 0;
}

static void speck_fini(struct transform *t)
{
	if (!t->priv)
		return;
	sodium_memzero(t->priv, sizeof(struct speck_key));
	free(t->priv);
}

static ssize_t speck_encode(const struct transform *t, uint8_t *out,
			    const uint8_t *in, size_t len,
			    const uint8_t iv[TRANSFORM_IV_SIZE])
{
	memcpy(out, iv, TRANSFORM_IV_SIZE);
	speck_ctr(t->priv, iv, out + TRANSFORM_IV_SIZE, in, len);
	return (ssize_t)(TRANSFORM_IV_SIZE + len);
}

static ssize_t speck_decode(const struct transform *t, uint8_t *out,
			    const uint8_t *in, size_t len,
			    uint8_t iv_out[TRANSFORM_IV_SIZE])
{
	size_t n = len - TRANSFORM_IV_SIZE;

	speck_ctr(t->priv, in, out, in + TRANSFORM_IV_SIZE, n);
	if (iv_out)
		memcpy(iv_out, in, TRANSFORM_IV_SIZE);
	return (ssize_t)n;
}

const struct transform_ops transform_speck_ops = {
	.id = N2N_TRANSFORM_SPECK,
	.name = "speck",
	.overhead = TRANSFORM_IV_SIZE,
	.key_size = speck_key_size,
	.init = speck_init,
	.encode = speck_encode,
	.decode = speck_decode,
	.fini = speck_fini,
};
