// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: opening a received datagram as both daemons do
 * (daemon/proto/msg_io.c): header decryption with the dynamic keys, in a
 * user/password community the static keys over all but a 16-byte trailer,
 * then the decoder, then the trailer check. The first byte picks the
 * community's mode: bit 0 header encryption, bit 1 user/password.
 * Checks: an opened datagram's trailer and covered bytes lie inside it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/auth.h"
#include "proto/msg_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Trailers that verified: kept where the optimiser cannot drop the check. */
extern unsigned long fuzz_trailers_verified;
unsigned long fuzz_trailers_verified;

/* The captures' community (seeds.c seeds this target from them). */
static const char comm[N2N_COMMUNITY_SIZE] = "vectors";

static void setup(struct msg_he he[4], struct auth_secret *s)
{
	static const uint8_t dyn[16] = "fuzz-dynamic-key";
	uint8_t prv[AUTH_KEY_SIZE], pub[AUTH_KEY_SIZE];
	int i;

	for (i = 0; i < 4; i++) {
		msg_he_init(&he[i], i & 1, comm);
		he[i].upw = i & 2;
		if (he[i].upw)
			he_keys_from_dynamic_key(&he[i].keys, dyn);
	}
	auth_private_key(prv, "fuzz");
	if (auth_public_key(pub, prv) || auth_secret_init(s, prv, pub))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Static: set up on the first input, kept for the next ones. */
	static struct msg_he he[4];
	static struct auth_secret secret;
	static struct msg_opened o;
	static int ready;
	enum n2nk_reason why = 0;
	struct n2n_msg m;
	uint8_t *buf;
	size_t len;

	if (!ready) {
		setup(he, &secret);
		ready = 1;
	}
	if (size < 1 || size > MSG_BUF_SIZE + 1)
		return 0;
	len = size - 1;
	buf = malloc(len ? len : 1); /* exact size, so ASan sees overruns */
	memcpy(buf, data + 1, len);
	if (!msg_open(&m, buf, len, comm, &he[data[0] & 3], &o, &why)) {
		if (o.by_static && (o.enc_len + AUTH_TRAILER_SIZE != len ||
				    o.trailer != buf + o.enc_len))
			abort();
		/* As the supernode does next; a forged trailer is no crash. */
		if (o.by_static)
			fuzz_trailers_verified += !auth_trailer_verify(
				o.trailer, o.enc, o.enc_len, &secret);
	} else if (!why) {
		abort();
	}
	free(buf);
	return 0;
}
