/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fixed handshake fuzz_noise.c attacks and seeds.c seeds it from: two
 * identities, a and b, with chosen keys and ephemerals, so a's initiation,
 * b's response and b's cookie reply are the same bytes in both programs.
 */
#ifndef N2NK_FUZZ_NOISE_SETUP_H
#define N2NK_FUZZ_NOISE_SETUP_H

#include <stdlib.h>
#include <string.h>

#include "proto/noise.h"

#define FUZZ_NOISE_PROLOGUE "n2nk v1fuzz"

struct fuzz_noise {
	struct noise_static a, b;
	uint8_t psk[NOISE_KEY_LEN];
	struct noise_hs sent; /* a, waiting for b's response */
	uint8_t init[NOISE_INIT_LEN], resp[NOISE_RESP_LEN];
	uint8_t cookie_msg[NOISE_COOKIE_LEN], cookie[NOISE_MAC_LEN];
	uint8_t cookie_key[NOISE_KEY_LEN];	      /* b's, for a */
	uint8_t tx[NOISE_KEY_LEN], rx[NOISE_KEY_LEN]; /* a's session */
};

/* b answers a's initiation; a's session keys from that answer. */
static inline void fuzz_noise_answer(struct fuzz_noise *f)
{
	uint8_t eb[NOISE_KEY_LEN], pub[NOISE_KEY_LEN], tai[NOISE_TAI64N_LEN];
	struct noise_hs r, i;

	memset(eb, 'd', sizeof(eb));
	if (noise_init_consume(&r, &f->b, f->psk, FUZZ_NOISE_PROLOGUE,
			       sizeof(FUZZ_NOISE_PROLOGUE) - 1, f->init,
			       sizeof(f->init), pub, tai) ||
	    noise_resp_create_with_ephemeral(&r, 2, eb, f->resp))
		abort();
	memcpy(&i, &f->sent, sizeof(i));
	if (noise_resp_consume(&i, f->resp, sizeof(f->resp)) ||
	    noise_session_keys(&i, f->tx, f->rx))
		abort();
	noise_hs_wipe(&r);
}

static inline void fuzz_noise_setup(struct fuzz_noise *f)
{
	static const uint8_t tai[NOISE_TAI64N_LEN] = { 0x40, [7] = 0x0a };
	uint8_t ka[NOISE_KEY_LEN], kb[NOISE_KEY_LEN], ea[NOISE_KEY_LEN];

	memset(f, 0, sizeof(*f));
	memset(ka, 'a', sizeof(ka));
	memset(kb, 'b', sizeof(kb));
	memset(ea, 'c', sizeof(ea));
	memset(f->psk, 'p', sizeof(f->psk));
	if (noise_static_init(&f->a, ka) || noise_static_init(&f->b, kb) ||
	    noise_init_create_with_ephemeral(
		    &f->sent, &f->a, f->b.pub, f->psk, FUZZ_NOISE_PROLOGUE,
		    sizeof(FUZZ_NOISE_PROLOGUE) - 1, 1, tai, ea, f->init))
		abort();
	fuzz_noise_answer(f);
	memset(f->cookie, 'e', sizeof(f->cookie));
	noise_cookie_key_of(f->cookie_key, f->b.pub);
	if (noise_cookie_reply(&f->b, 1, f->cookie,
			       f->init + NOISE_INIT_LEN - 2 * NOISE_MAC_LEN,
			       f->cookie_msg))
		abort();
}

#endif /* N2NK_FUZZ_NOISE_SETUP_H */
