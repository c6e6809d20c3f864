/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * n2n 3.1.1 user/password authentication: X25519 keys derived from strings,
 * their 43-character ASCII form, the per-community dynamic key and the
 * REGISTER_SUPER token, answer and trailer. docs/protocol.md §6 has the flow.
 *
 * n2n name                        here
 * generate_private_key            auth_private_key
 * bind_private_key_to_username    auth_bind_username
 * generate_public_key             auth_public_key
 * generate_shared_secret          auth_shared_secret / auth_secret_init
 * bin_to_ascii / ascii_to_bin     auth_bin_to_ascii / auth_ascii_to_bin
 * calculate_dynamic_key           auth_dynamic_key
 * get_local_auth (edge)           auth_edge_token
 * handle_remote_auth (sn)         auth_sn_answer
 * handle_remote_auth (edge)       auth_edge_check_answer
 *
 * Functions returning int give 0 or a negative enum auth_error.
 */
#ifndef N2NK_AUTH_H
#define N2NK_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "n2n_wire_defs.h"
#include "speck.h"

#ifndef __must_check
#define __must_check __attribute__((warn_unused_result))
#endif

#define AUTH_KEY_SIZE	      32 /* private, public key, shared secret */
#define AUTH_KEY_ASCII_LEN    43 /* auth_ascii_len(AUTH_KEY_SIZE) */
#define AUTH_CHALLENGE_SIZE   16
#define AUTH_DYNAMIC_KEY_SIZE 16
#define AUTH_TOKEN_SIZE	      N2N_AUTH_PW_TOKEN_SIZE  /* 48 */
#define AUTH_TRAILER_SIZE     N2N_HE_UPW_TRAILER_SIZE /* 16 */
/* Longest community or federation name (a NUL must fit in 20 bytes). */
#define AUTH_NAME_MAX	      (N2N_COMMUNITY_SIZE - 1)

enum auth_error {
	AUTH_OK = 0,
	AUTH_ERR_ASCII_LENGTH = 1, /* ASCII key has the wrong length */
	AUTH_ERR_ASCII_CHAR = 2,   /* char outside 0-9 A-Z a-z + - */
	AUTH_ERR_NO_SPACE = 3,	   /* output buffer too small */
	AUTH_ERR_WEAK_KEY = 4,	   /* public key of small order */
	AUTH_ERR_NAME = 5,	   /* name longer than AUTH_NAME_MAX */
	AUTH_ERR_CHALLENGE = 6,	   /* answer does not prove our challenge */
	AUTH_ERR_TRAILER = 7,	   /* trailer does not match the message */
	AUTH_ERR_SODIUM = 8,	   /* libsodium failed to initialise */
	AUTH_ERR_COUNT
};

const char *auth_strerror(int err);

/*
 * The shared secret between an edge (user key) and a supernode (federation
 * key), and the Speck128/128 key K_ss made from its first 16 bytes.
 */
struct auth_secret {
	uint8_t ss[AUTH_KEY_SIZE];
	struct speck_key k_ss;
};

/* ASCII form: 6 bits per character, MSB first, zero-padded last char. */
static inline size_t auth_ascii_len(size_t bin_len)
{
	return (bin_len * 8 + 5) / 6;
}

/* Writes auth_ascii_len(in_len) chars and a NUL; returns the char count. */
int auth_bin_to_ascii(char *out, size_t out_size, const uint8_t *in,
		      size_t in_len) __must_check;
/*
 * Decodes exactly out_len bytes; in must be exactly auth_ascii_len(out_len)
 * characters of the alphabet. The unused low bits of the last character
 * are ignored, as n2n does. On error out is zeroed.
 */
int auth_ascii_to_bin(uint8_t *out, size_t out_len,
		      const char *in) __must_check;

void auth_private_key(uint8_t prv[AUTH_KEY_SIZE], const char *secret);
void auth_bind_username(uint8_t prv[AUTH_KEY_SIZE], const char *username);
/* auth_private_key(password) bound to username: the edge's -I and -J. */
void auth_user_private_key(uint8_t prv[AUTH_KEY_SIZE], const char *username,
			   const char *password);
int auth_public_key(uint8_t pub[AUTH_KEY_SIZE],
		    const uint8_t prv[AUTH_KEY_SIZE]) __must_check;
/*
 * name is the federation name without the '*' the supernode puts in front
 * of it internally: what -F and n2n-keygen -F take.
 */
int auth_federation_keys(uint8_t prv[AUTH_KEY_SIZE], uint8_t pub[AUTH_KEY_SIZE],
			 const char *name) __must_check;
int auth_shared_secret(uint8_t ss[AUTH_KEY_SIZE],
		       const uint8_t prv[AUTH_KEY_SIZE],
		       const uint8_t pub[AUTH_KEY_SIZE]) __must_check;
int auth_secret_init(struct auth_secret *s, const uint8_t prv[AUTH_KEY_SIZE],
		     const uint8_t pub[AUTH_KEY_SIZE]) __must_check;
void auth_secret_wipe(struct auth_secret *s);

/*
 * A community's dynamic key. federation is the internal name, with its
 * '*'. key_time is hashed as 4 little-endian bytes (n2n uses host order;
 * every n2n we meet runs on little-endian hosts).
 */
int auth_dynamic_key(uint8_t key[AUTH_DYNAMIC_KEY_SIZE], const char *community,
		     const char *federation, uint32_t key_time) __must_check;

/* A fresh random challenge, one per REGISTER_SUPER / UNREGISTER_SUPER. */
int auth_new_challenge(uint8_t challenge[AUTH_CHALLENGE_SIZE]) __must_check;

/* Edge: token = pub || E(K_ss, challenge). */
void auth_edge_token(uint8_t token[AUTH_TOKEN_SIZE],
		     const uint8_t pub[AUTH_KEY_SIZE],
		     const struct auth_secret *s,
		     const uint8_t challenge[AUTH_CHALLENGE_SIZE]);
/*
 * Supernode, after finding token[0..31] in the user list and computing s
 * for that user: the REGISTER_SUPER_ACK token that proves it knows K_ss and
 * carries the dynamic key. answer may equal token.
 */
void auth_sn_answer(uint8_t answer[AUTH_TOKEN_SIZE],
		    const uint8_t token[AUTH_TOKEN_SIZE],
		    const struct auth_secret *s,
		    const uint8_t dynamic_key[AUTH_DYNAMIC_KEY_SIZE]);
/* Edge: checks the answer against its last challenge, unwraps the key. */
int auth_edge_check_answer(
	uint8_t dynamic_key[AUTH_DYNAMIC_KEY_SIZE],
	const uint8_t answer[AUTH_TOKEN_SIZE], const struct auth_secret *s,
	const uint8_t challenge[AUTH_CHALLENGE_SIZE]) __must_check;

/* Trailer over the header-encrypted message: E(K_ss, pearson128(msg)). */
void auth_trailer(uint8_t trailer[AUTH_TRAILER_SIZE], const uint8_t *msg,
		  size_t len, const struct auth_secret *s);
/* Constant-time; 0 or -AUTH_ERR_TRAILER. */
int auth_trailer_verify(const uint8_t trailer[AUTH_TRAILER_SIZE],
			const uint8_t *msg, size_t len,
			const struct auth_secret *s) __must_check;

#endif /* N2NK_AUTH_H */
