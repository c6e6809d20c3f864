/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Body of the per-message decoder fuzz targets: the input is a datagram
 * whose type bits are forced to FUZZ_MSG_TYPE. Whatever decodes must
 * re-encode to exactly the bytes it consumed; anything else is a bug.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *in, out[N2N_PKT_BUF_SIZE * 2];
	struct n2n_msg m;
	ssize_t n, e;

	if (size > N2N_PKT_BUF_SIZE)
		return 0;
	in = malloc(size ? size : 1); /* exact size, so ASan sees overruns */
	memcpy(in, data, size);
	if (size > 3) {
		in[0] = N2N_PKT_VERSION;
		in[3] = (uint8_t)((in[3] & ~N2N_FLAGS_TYPE_MASK) |
				  FUZZ_MSG_TYPE);
	}
	n = wire_decode(&m, in, size);
	if (n > (ssize_t)size)
		abort();
	if (n > 0) {
		e = wire_encode(out, sizeof(out), &m);
		if (e != n || memcmp(out, in, (size_t)n))
			abort();
	}
	free(in);
	return 0;
}
