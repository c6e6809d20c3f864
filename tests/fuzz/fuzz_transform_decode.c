// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: payload decryption. The first byte picks the transform (as a
 * PACKET's transform byte does), the rest is the payload. A payload that
 * decodes must encode back to itself with the recovered IV.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/transform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct transform tfs[N2N_TRANSFORM_SPECK + 1];

static void init_once(void)
{
	static int ready; /* static: once per process */
	int id;

	if (ready)
		return;
	for (id = N2N_TRANSFORM_NULL; id <= N2N_TRANSFORM_SPECK; id++)
		if (transform_init(&tfs[id], id, "n2n-test-key"))
			abort();
	ready = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *in, out[N2N_PKT_BUF_SIZE], again[N2N_PKT_BUF_SIZE + 16];
	uint8_t iv[TRANSFORM_IV_SIZE];
	const struct transform *tf;
	ssize_t n, e;

	if (size < 1)
		return 0;
	init_once();
	tf = &tfs[1 + data[0] % N2N_TRANSFORM_SPECK];
	size--;
	in = malloc(size ? size : 1);
	memcpy(in, data + 1, size);
	n = transform_decode_iv(tf, out, sizeof(out), in, size, iv);
	if (n > (ssize_t)sizeof(out))
		abort();
	if (n >= 0) {
		e = transform_encode(tf, again, sizeof(again), out, (size_t)n,
				     iv);
		if (e != (ssize_t)size || memcmp(again, in, size))
			abort();
	}
	free(in);
	return 0;
}
