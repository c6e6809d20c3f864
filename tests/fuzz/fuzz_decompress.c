// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: decompression of a received frame. The first byte picks LZO
 * or zstd (as a PACKET's compression byte does); the output never exceeds
 * the 2048-byte frame buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/compress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Static: set up on the first input, kept for the next ones. */
	static struct compressor c;
	static int ready;
	uint8_t *in, out[N2N_PKT_BUF_SIZE];
	enum n2n_compression_id id;
	ssize_t n;

	if (!ready) {
		if (compress_init(&c))
			abort();
		ready = 1;
	}
	if (size < 1)
		return 0;
	id = data[0] & 1 ? N2N_COMPRESSION_ZSTD : N2N_COMPRESSION_LZO;
	size--;
	in = malloc(size ? size : 1);
	memcpy(in, data + 1, size);
	n = compress_decode(&c, id, out, sizeof(out), in, size);
	if (n > (ssize_t)sizeof(out))
		abort();
	free(in);
	return 0;
}
