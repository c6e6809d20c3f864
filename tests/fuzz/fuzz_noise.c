// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the -A6 handshake messages (daemon/proto/noise.c). The
 * first byte picks what reads the rest: 0 b consuming an initiation, 1 a
 * consuming a response to its pending initiation, 2 a consuming a cookie
 * reply; bit 7 sets a valid mac1 first, so inputs reach the DHs and AEADs.
 * Checks: what is accepted came from the fixed peer and gives its keys; a
 * failed initiation leaves its state wiped, a failed response leaves the
 * pending handshake exactly as it was.
 */
#include <errno.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "noise_setup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void set_mac1(uint8_t *msg, size_t len, const struct noise_static *to)
{
	if (len >= 2 * NOISE_MAC_LEN)
		crypto_generichash(msg + len - 2 * NOISE_MAC_LEN, NOISE_MAC_LEN,
				   msg, len - 2 * NOISE_MAC_LEN, to->mac1_key,
				   NOISE_KEY_LEN);
}

static void try_init(const struct fuzz_noise *f, const uint8_t *in, size_t len)
{
	uint8_t pub[NOISE_KEY_LEN], tai[NOISE_TAI64N_LEN], out[NOISE_RESP_LEN];
	struct noise_hs r;
	int ret;

	ret = noise_init_consume(&r, &f->b, f->psk, FUZZ_NOISE_PROLOGUE,
				 sizeof(FUZZ_NOISE_PROLOGUE) - 1, in, len, pub,
				 tai);
	if (ret) {
		if ((ret != -EBADMSG && ret != -EPERM && ret != -EINVAL) ||
		    !sodium_is_zero((const uint8_t *)&r, sizeof(r)))
			abort();
		return;
	}
	if (memcmp(pub, f->a.pub, sizeof(pub)) || noise_resp_create(&r, 3, out))
		abort();
	noise_hs_wipe(&r);
}

static void try_resp(const struct fuzz_noise *f, const uint8_t *in, size_t len)
{
	uint8_t tx[NOISE_KEY_LEN], rx[NOISE_KEY_LEN];
	struct noise_hs i;

	memcpy(&i, &f->sent, sizeof(i));
	if (noise_resp_consume(&i, in, len)) {
		if (memcmp(&i, &f->sent, sizeof(i)))
			abort();
		return;
	}
	if (noise_session_keys(&i, tx, rx) || memcmp(tx, f->tx, sizeof(tx)) ||
	    memcmp(rx, f->rx, sizeof(rx)))
		abort();
}

static void try_cookie(const struct fuzz_noise *f, const uint8_t *in,
		       size_t len)
{
	const uint8_t *mac1 = f->init + NOISE_INIT_LEN - 2 * NOISE_MAC_LEN;
	uint8_t cookie[NOISE_MAC_LEN];

	if (!noise_cookie_consume(f->cookie_key, in, len, mac1, cookie) &&
	    memcmp(cookie, f->cookie, sizeof(cookie)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_noise f; /* set up once, read only after */
	static int ready;
	uint8_t *buf;
	size_t len;

	if (!ready) {
		fuzz_noise_setup(&f);
		ready = 1;
	}
	if (size < 1 || size > 512)
		return 0;
	len = size - 1;
	buf = malloc(len ? len : 1); /* exact size, so ASan sees overruns */
	memcpy(buf, data + 1, len);
	switch (data[0] & 3) {
	case 0:
		if (data[0] & 0x80)
			set_mac1(buf, len, &f.b);
		try_init(&f, buf, len);
		break;
	case 1:
		if (data[0] & 0x80)
			set_mac1(buf, len, &f.a);
		try_resp(&f, buf, len);
		break;
	default:
		try_cookie(&f, buf, len);
	}
	free(buf);
	return 0;
}
