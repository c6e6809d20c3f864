/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * n2n 3.1.1 payload compression, applied to the Ethernet frame before the
 * transform: id 1 none, 2 LZO1X-1 (raw stream), 3 zstd level 7 (one frame).
 * A sender uses a compressed frame only when it is strictly shorter, else
 * it sends id 1; a receiver decompresses into at most N2N_PKT_BUF_SIZE.
 */
#ifndef N2NK_COMPRESS_H
#define N2NK_COMPRESS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "n2n_wire_defs.h"

#define COMPRESS_ZSTD_LEVEL 7 /* n2n's ZSTD_COMPRESSION_LEVEL */

/* Negative and named; a range apart from -errno and transform errors. */
enum compress_error {
	COMPRESS_ERR_UNKNOWN_ID = -220,	 /* 0 (invalid) or not in the table */
	COMPRESS_ERR_NOT_SMALLER = -221, /* send the frame with id 1 */
	COMPRESS_ERR_TOO_LONG = -222,	 /* input above N2N_PKT_BUF_SIZE */
	COMPRESS_ERR_NO_SPACE = -223,	 /* output does not fit */
	COMPRESS_ERR_CORRUPT = -224,	 /* stream does not decompress */
	COMPRESS_ERR_LIBRARY = -225,	 /* the library failed otherwise */
	COMPRESS_ERR_NOMEM = -226,
};

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;

/* Library state reused per call: one per thread. */
struct compressor {
	void *lzo_wrkmem;
	struct ZSTD_CCtx_s *zc;
	struct ZSTD_DCtx_s *zd;
};

int compress_init(struct compressor *c) __attribute__((warn_unused_result));
void compress_fini(struct compressor *c);

/*
 * Compresses len bytes into out (cap bytes). Returns the compressed length,
 * which is always < len, or COMPRESS_ERR_NOT_SMALLER when the caller should
 * send the frame uncompressed, or another negative error. Id 1 (none)
 * copies the frame and returns len.
 */
ssize_t compress_encode(struct compressor *c, enum n2n_compression_id id,
			uint8_t *out, size_t cap, const uint8_t *in, size_t len)
	__attribute__((warn_unused_result));

/*
 * Decompresses into out, never writing more than min(cap,
 * N2N_PKT_BUF_SIZE) bytes. Returns the frame length or a negative error.
 */
ssize_t compress_decode(struct compressor *c, enum n2n_compression_id id,
			uint8_t *out, size_t cap, const uint8_t *in, size_t len)
	__attribute__((warn_unused_result));

/* "none", "lzo1x", "zstd" (n2n's names); "invalid" otherwise. */
const char *compress_name(enum n2n_compression_id id);
/* -z<n>: 0 none, 1 LZO, 2 zstd; negative if unknown. */
int compress_id_from_flag(int z_number);
const char *compress_strerror(int err);

#endif /* N2NK_COMPRESS_H */
