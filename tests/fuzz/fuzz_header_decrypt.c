// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: header decryption with the captures' community. Whatever
 * decrypts must re-encrypt to the input with the recovered stamp and bits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/header_crypt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char comm[N2N_COMMUNITY_SIZE] = "vectors";
	/* Static: derived on the first input, kept for the next ones. */
	static struct he_keys keys;
	static int ready;
	uint8_t *in, out[N2N_PKT_BUF_SIZE];
	struct he_result r;

	if (!ready) {
		he_keys_from_community(&keys, comm);
		ready = 1;
	}
	in = malloc(size ? size : 1);
	memcpy(in, data, size);
	if (he_decrypt(out, in, size, comm, &keys, &r) == 0) {
		if (he_encrypt(out, size, r.hdr_len, r.stamp, r.random32,
			       &keys) ||
		    memcmp(out, in, size))
			abort();
	}
	free(in);
	return 0;
}
