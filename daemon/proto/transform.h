/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * n2n 3.1.1 payload transforms (-A1..-A5): what a PACKET carries after its
 * compression and transform bytes. One registry indexed by transform id; each
 * cipher lives in its own file and plugs in a struct transform_ops.
 *
 * Layouts (all n2n's, byte for byte):
 *   null      frame
 *   Twofish   CBC-CTS(16 random bytes || frame), zero IV  (16 + len bytes)
 *   AES       same construction with AES-128/192/256
 *   ChaCha20  IV(16) || ChaCha20(frame), IV = LE32 counter || 96-bit nonce
 *   Speck     IV(16) || n2n-Speck-CTR(frame)
 * None of them authenticates: a tampered ciphertext decodes to garbage.
 *
 * Encoding is deterministic given the caller's 16-byte IV (the CBC-CTS
 * preamble), so golden vectors can be reproduced; live senders pass
 * transform_random_iv(). A struct transform holds cipher contexts that are
 * reused per call: one instance must not be used by two threads at once.
 */
#ifndef N2NK_TRANSFORM_H
#define N2NK_TRANSFORM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "n2n_wire_defs.h"

#define TRANSFORM_IV_SIZE      16
#define TRANSFORM_KEY_MAX      32 /* pearson_hash_256 output */
#define TRANSFORM_MAX_OVERHEAD 16

/*
 * Errors are negative and named; a range of their own so a caller can fold
 * them into drop reasons next to -errno values without overlap.
 */
enum transform_error {
	TRANSFORM_ERR_UNKNOWN_ID = -200,  /* id 0 or not in the table */
	TRANSFORM_ERR_NO_KEY = -201,	  /* cipher without key string */
	TRANSFORM_ERR_KEY_SIZE = -202,	  /* raw key of wrong length */
	TRANSFORM_ERR_TOO_SHORT = -203,	  /* ciphertext below 16 bytes */
	TRANSFORM_ERR_TOO_LONG = -204,	  /* frame > N2N_PKT_BUF_SIZE */
	TRANSFORM_ERR_NO_SPACE = -205,	  /* output buffer too small */
	TRANSFORM_ERR_BAD_PADDING = -206, /* CTS padding not zero */
	TRANSFORM_ERR_CRYPTO = -207,	  /* the crypto library failed */
	TRANSFORM_ERR_NOMEM = -208,
	TRANSFORM_ERR_NOT_READY = -209, /* transform_init not done */
};

struct transform;

/*
 * One cipher. The generic wrappers check every length before calling
 * encode/decode, so these see: len <= N2N_PKT_BUF_SIZE (frame), output
 * room for the result, and for decode len >= overhead.
 */
struct transform_ops {
	enum n2n_transform_id id;
	const char *name;
	size_t overhead; /* bytes added to a frame: 0 or 16 */
	/* Key bytes taken from the end of pearson_hash_256(key string). */
	size_t (*key_size)(size_t key_string_len);
	int (*init)(struct transform *t, const uint8_t *key, size_t key_len);
	ssize_t (*encode)(const struct transform *t, uint8_t *out,
			  const uint8_t *in, size_t len,
			  const uint8_t iv[TRANSFORM_IV_SIZE]);
	ssize_t (*decode)(const struct transform *t, uint8_t *out,
			  const uint8_t *in, size_t len,
			  uint8_t iv_out[TRANSFORM_IV_SIZE]);
	void (*fini)(struct transform *t);
};

struct transform {
	const struct transform_ops *ops;
	void *priv; /* the cipher's context, owned by ops */
};

/* Key from the -k string as n2n derives it; 0 on success. */
int transform_init(struct transform *t, enum n2n_transform_id id,
		   const char *key_string) __attribute__((warn_unused_result));
/* Key material given directly (16/24/32 bytes for AES, 32 otherwise). */
int transform_init_raw(struct transform *t, enum n2n_transform_id id,
		       const uint8_t *key, size_t key_len)
	__attribute__((warn_unused_result));
void transform_fini(struct transform *t);

/*
 * Encodes len frame bytes into out (cap bytes); returns the encoded length
 * (len + overhead) or a negative transform_error. iv is the 16-byte IV or
 * CTS preamble (ignored by null). in and out must not overlap.
 */
ssize_t transform_encode(const struct transform *t, uint8_t *out, size_t cap,
			 const uint8_t *in, size_t len,
			 const uint8_t iv[TRANSFORM_IV_SIZE])
	__attribute__((warn_unused_result));
/* Decodes; returns the frame length or a negative transform_error. */
ssize_t transform_decode(const struct transform *t, uint8_t *out, size_t cap,
			 const uint8_t *in, size_t len)
	__attribute__((warn_unused_result));
/* As transform_decode, and hands back the IV/preamble (zero for null). */
ssize_t transform_decode_iv(const struct transform *t, uint8_t *out, size_t cap,
			    const uint8_t *in, size_t len,
			    uint8_t iv_out[TRANSFORM_IV_SIZE])
	__attribute__((warn_unused_result));

/*
 * n2n's key derivation: the last key_size bytes of pearson_hash_256(key
 * string) (all 32 for Twofish, ChaCha20, Speck; 16/24/32 for AES by string
 * length). Returns the key length (0 for null) or a negative error.
 */
int transform_derive_key(enum n2n_transform_id id, const char *key_string,
			 uint8_t key[TRANSFORM_KEY_MAX])
	__attribute__((warn_unused_result));

/* Fresh random IV for a live sender (libsodium's CSPRNG). */
void transform_random_iv(uint8_t iv[TRANSFORM_IV_SIZE]);

/* Bytes a transform adds, or TRANSFORM_ERR_UNKNOWN_ID. */
int transform_overhead(enum n2n_transform_id id);
/* "null", "twofish", "aes", "chacha20", "speck"; "invalid" otherwise. */
const char *transform_name(enum n2n_transform_id id);
/* -A<n> to a transform id (n2n numbers them alike); negative if unknown. */
int transform_id_from_flag(int a_number);
const char *transform_strerror(int err);

/* The registered ciphers, one per file. */
extern const struct transform_ops transform_null_ops;
extern const struct transform_ops transform_twofish_ops;
extern const struct transform_ops transform_aes_ops;
extern const struct transform_ops transform_chacha20_ops;
extern const struct transform_ops transform_speck_ops;

#endif /* N2NK_TRANSFORM_H */
