// SPDX-License-Identifier: GPL-2.0-only
/*
 * Payload compression as n2n 3.1.1 does it: LZO1X-1 through liblzo2 (the
 * same stream as n2n's bundled miniLZO) and zstd level 7 through libzstd,
 * dispatched by a table indexed by the PACKET's compression byte.
 */
#include <stdlib.h>
#include <string.h>

#include <lzo/lzo1x.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "common/compiler.h"
#include "compress.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* lzo1x_1_compress takes no output bound: room for its worst case. */
#define LZO_SCRATCH_SIZE  (N2N_PKT_BUF_SIZE + N2N_PKT_BUF_SIZE / 16 + 64 + 3)
/* zstd gets the full bound, as in n2n, so its output is n2n's. */
#define ZSTD_SCRATCH_SIZE ZSTD_COMPRESSBOUND(N2N_PKT_BUF_SIZE)

struct compress_ops {
	const char *name;
	ssize_t (*encode)(struct compressor *c, uint8_t *out, size_t cap,
			  const uint8_t *in, size_t len);
	ssize_t (*decode)(struct compressor *c, uint8_t *out, size_t cap,
			  const uint8_t *in, size_t len);
};

int compress_init(struct compressor *c)
{
	memset(c, 0, sizeof(*c));
	if (lzo_init() != LZO_E_OK)
		return COMPRESS_ERR_LIBRARY;
	c->lzo_wrkmem = malloc(LZO1X_1_MEM_COMPRESS);
	c->zc = ZSTD_createCCtx();
	c->zd = ZSTD_createDCtx();
	if (!c->lzo_wrkmem || !c->zc || !c->zd) {
		compress_fini(c);
		return COMPRESS_ERR_NOMEM;
	}
	return 0;
}

void compress_fini(struct compressor *c)
{
	free(c->lzo_wrkmem);
	ZSTD_freeCCtx(c->zc);
	ZSTD_freeDCtx(c->zd);
	memset(c, 0, sizeof(*c));
}

/* Keeps a compressed frame only if it saves at least one byte. */
static ssize_t compress_result(uint8_t *out, size_t cap, const uint8_t *buf,
			       size_t n, size_t len)
{
	if (n >= len)
		return COMPRESS_ERR_NOT_SMALLER;
	if (n > cap)
		return COMPRESS_ERR_NO_SPACE;
	memcpy(out, buf, n);
	return (ssize_t)n;
}

/* A receiver never produces more than one receive buffer. */
static size_t decode_limit(size_t cap)
{
	return cap < N2N_PKT_BUF_SIZE ? cap : N2N_PKT_BUF_SIZE;
}

static int overrun_error(size_t cap)
{
	return cap < N2N_PKT_BUF_SIZE ? COMPRESS_ERR_NO_SPACE
				      : COMPRESS_ERR_TOO_LONG;
}

static ssize_t none_copy(struct compressor *c __maybe_unused, uint8_t *out,
			 size_t cap, const uint8_t *in, size_t len)
{
	if (len > cap)
		return COMPRESS_ERR_NO_SPACE;
	if (len)
		memcpy(out, in, len);
	return (ssize_t)len;
}

static ssize_t lzo_encode(struct compressor *c, uint8_t *out, size_t cap,
			  const uint8_t *in, size_t len)
{
	uint8_t buf[LZO_SCRATCH_SIZE];
	lzo_uint n = 0;

	if (lzo1x_1_compress(in, len, buf, &n, c->lzo_wrkmem) != LZO_E_OK)
		return COMPRESS_ERR_LIBRARY;
	return compress_result(out, cap, buf, n, len);
}

static ssize_t lzo_decode(struct compressor *c __maybe_unused, uint8_t *out,
			  size_t cap, const uint8_t *in, size_t len)
{
	lzo_uint n = decode_limit(cap);
	int ret;

	/* _safe checks both buffers (n2n 3.1.1 calls the unsafe one). */
	ret = lzo1x_decompress_safe(in, len, out, &n, NULL);
	if (ret == LZO_E_OK)
		return (ssize_t)n;
	return ret == LZO_E_OUTPUT_OVERRUN ? overrun_error(cap)
					   : COMPRESS_ERR_CORRUPT;
}

static ssize_t zstd_encode(struct compressor *c, uint8_t *out, size_t cap,
			   const uint8_t *in, size_t len)
{
	uint8_t buf[ZSTD_SCRATCH_SIZE];
	size_t n;

	n = ZSTD_compressCCtx(c->zc, buf, sizeof(buf), in, len,
			      COMPRESS_ZSTD_LEVEL);
	if (ZSTD_isError(n))
		return COMPRESS_ERR_LIBRARY;
	return compress_result(out, cap, buf, n, len);
}

static ssize_t zstd_decode(struct compressor *c, uint8_t *out, size_t cap,
			   const uint8_t *in, size_t len)
{
	size_t n = ZSTD_decompressDCtx(c->zd, out, decode_limit(cap), in, len);

	if (!ZSTD_isError(n))
		return (ssize_t)n;
	switch (ZSTD_getErrorCode(n)) {
	case ZSTD_error_dstSize_tooSmall:
		return overrun_error(cap);
	case ZSTD_error_memory_allocation:
		return COMPRESS_ERR_NOMEM;
	default:
		return COMPRESS_ERR_CORRUPT;
	}
}

static const struct compress_ops compress_table[] = {
	[N2N_COMPRESSION_NONE] = { "none", none_copy, none_copy },
	[N2N_COMPRESSION_LZO] = { "lzo1x", lzo_encode, lzo_decode },
	[N2N_COMPRESSION_ZSTD] = { "zstd", zstd_encode, zstd_decode },
};

static const struct compress_ops *compress_lookup(enum n2n_compression_id id)
{
	if ((unsigned int)id >= ARRAY_SIZE(compress_table) ||
	    !compress_table[id].name)
		return NULL;
	return &compress_table[id];
}

ssize_t compress_encode(struct compressor *c, enum n2n_compression_id id,
			uint8_t *out, size_t cap, const uint8_t *in, size_t len)
{
	const struct compress_ops *ops = compress_lookup(id);

	if (!ops)
		return COMPRESS_ERR_UNKNOWN_ID;
	if (len > N2N_PKT_BUF_SIZE)
		return COMPRESS_ERR_TOO_LONG;
	return ops->encode(c, out, cap, in, len);
}

ssize_t compress_decode(struct compressor *c, enum n2n_compression_id id,
			uint8_t *out, size_t cap, const uint8_t *in, size_t len)
{
	const struct compress_ops *ops = compress_lookup(id);

	if (!ops)
		return COMPRESS_ERR_UNKNOWN_ID;
	if (len > N2N_PKT_BUF_SIZE)
		return COMPRESS_ERR_TOO_LONG;
	return ops->decode(c, out, cap, in, len);
}

const char *compress_name(enum n2n_compression_id id)
{
	const struct compress_ops *ops = compress_lookup(id);

	return ops ? ops->name : "invalid";
}

int compress_id_from_flag(int z_number)
{
	static const enum n2n_compression_id by_flag[] = {
		N2N_COMPRESSION_NONE,
		N2N_COMPRESSION_LZO,
		N2N_COMPRESSION_ZSTD,
	};

	if (z_number < 0 || (size_t)z_number >= ARRAY_SIZE(by_flag))
		return COMPRESS_ERR_UNKNOWN_ID;
	return by_flag[z_number];
}

static const char *const compress_errors[] = {
	[-COMPRESS_ERR_UNKNOWN_ID - 220] = "unknown compression id",
	[-COMPRESS_ERR_NOT_SMALLER - 220] = "compression does not shrink",
	[-COMPRESS_ERR_TOO_LONG - 220] = "frame too long",
	[-COMPRESS_ERR_NO_SPACE - 220] = "output buffer too small",
	[-COMPRESS_ERR_CORRUPT - 220] = "corrupt compressed data",
	[-COMPRESS_ERR_LIBRARY - 220] = "compression library error",
	[-COMPRESS_ERR_NOMEM - 220] = "out of memory",
};

const char *compress_strerror(int err)
{
	unsigned int i = (unsigned int)(-(long)err - 220);

	if (err == 0)
		return "success";
	if (err > -220 || i >= ARRAY_SIZE(compress_errors))
		return "unknown compression error";
	return compress_errors[i];
}
