// SPDX-License-Identifier: GPL-2.0-only
/* -A1: the frame travels as it is; no key, no IV, no overhead. */
#include <string.h>

#include "common/compiler.h"
#include "transform.h"

static int null_init(struct transform *t __maybe_unused,
		     const uint8_t *key __maybe_unused,
		     size_t key_len __maybe_unused)
{
	return 0;
}

static ssize_t null_encode(const struct transform *t __maybe_unused,
			   uint8_t *out, const uint8_t *in, size_t len,
			   const uint8_t iv[TRANSFORM_IV_SIZE] __maybe_unused)
{
	if (len)
		memcpy(out, in, len);
	return (ssize_t)len;
}

static ssize_t null_decode(const struct transform *t __maybe_unused,
			   uint8_t *out, const uint8_t *in, size_t len,
			   uint8_t iv_out[TRANSFORM_IV_SIZE])
{
	if (iv_out)
		memset(iv_out, 0, TRANSFORM_IV_SIZE);
	if (len)
		memcpy(out, in, len);
	return (ssize_t)len;
}

const struct transform_ops transform_null_ops = {
	.id = N2N_TRANSFORM_NULL,
	.name = "null",
	.overhead = 0,
	.init = null_init,
	.encode = null_encode,
	.decode = null_decode,
};
