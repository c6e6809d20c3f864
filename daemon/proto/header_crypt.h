/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * n2n header encryption (-H): Speck-CTR over the first H bytes of a datagram,
 * an IV that hides a Pearson checksum of the whole packet and a time stamp,
 * and the community name removed from the wire. docs/protocol.md, "Header
 * encryption", walks through both directions.
 */
#ifndef N2NK_HEADER_CRYPT_H
#define N2NK_HEADER_CRYPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "n2n_wire_defs.h"
#include "speck.h"

enum he_error {
	HE_OK = 0,
	HE_ERR_SHORT = 1,    /* datagram shorter than the common header */
	HE_ERR_MAGIC = 2,    /* length word is not "n2" + a length <= L */
	HE_ERR_CHECKSUM = 3, /* checksum mismatch: other key or tampered */
	HE_ERR_HDR_LEN = 4,  /* encrypt: header length out of range */
	HE_ERR_TOO_LONG = 5, /* datagram longer than N2N_PKT_BUF_SIZE */
	HE_ERR_COUNT
};

const char *he_strerror(int err);

/* A Speck key pair: one keys the CTR stream, one encrypts the IV block. */
struct he_keys {
	struct speck_key hdr;
	struct speck_key iv;
};

/* Static keys, from the 20-byte NUL-padded community name. */
void he_keys_from_community(struct he_keys *keys,
			    const char community[N2N_COMMUNITY_SIZE]);
/* Dynamic keys (user/password communities), from the 16-byte dynamic key. */
void he_keys_from_dynamic_key(struct he_keys *keys, const uint8_t dyn[16]);

/*
 * Encrypts pkt[0..len) in place: the first hdr_len bytes are hidden, the
 * rest only enters the checksum. random32 fills the IV's free bits (callers
 * pass random bits; tests pass captured ones to reproduce bytes).
 */
int he_encrypt(uint8_t *pkt, size_t len, size_t hdr_len, uint64_t stamp,
	       uint32_t random32, const struct he_keys *keys)
	__attribute__((warn_unused_result));

/* What a successful decryption recovered besides the plaintext. */
struct he_result {
	size_t hdr_len;
	uint64_t stamp; /* check it with ts_verify() */
	uint32_t random32;
};

/*
 * Decrypts in[0..len) into out (which may equal in) for the community
 * these keys belong to. On failure out is left untouched. The time stamp is
 * returned, not judged: the caller owns the clock and the replay state.
 */
int he_decrypt(uint8_t *out, const uint8_t *in, size_t len,
	       const char community[N2N_COMMUNITY_SIZE],
	       const struct he_keys *keys, struct he_result *res)
	__attribute__((warn_unused_result));

/* The cheap first test of he_decrypt: would these keys find the magic? */
bool he_magic_matches(const uint8_t *in, size_t len,
		      const struct he_keys *keys);

#endif /* N2NK_HEADER_CRYPT_H */
