/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An edge's static X25519 identity for the -A6 transform, kept in a key
 * file: one line, the private key in standard base64 (44 characters), mode
 * 0600. Written atomically (a temporary file in the same directory, fsync,
 * then link or rename, then fsync of the directory). Functions returning int
 * give 0 or a negative errno; identity_strerror() says what it means for a
 * key file.
 */
#ifndef N2NK_IDENTITY_H
#define N2NK_IDENTITY_H

#include <stdbool.h>
#include <stdint.h>

#include "noise.h"

/* "xxxx:xxxx:xxxx:xxxx" and its NUL. */
#define IDENTITY_FINGERPRINT_SIZE 20
/* 44 base64 characters and a NUL. */
#define IDENTITY_BASE64_SIZE	  45

/*
 * Loads the key in path into s. When the file does not exist and create is
 * true, makes a new key there first and returns 1; 0 when loaded. -ENOENT
 * (no file, create false), -EPERM (group or others may read or write it),
 * -EBADMSG (not one line of base64 of 32 bytes), -EINVAL (an all-zero key),
 * or the errno of a failed system call.
 */
int identity_load_or_create(struct noise_static *s, const char *path,
			    bool create) __must_check;
/* Replaces the key in path (a new file renamed over it) and loads it. */
int identity_rotate(struct noise_static *s, const char *path) __must_check;

const char *identity_strerror(int err);
/* The first 8 bytes of BLAKE2b-256(pub), as hex groups of four. */
void identity_fingerprint(char out[IDENTITY_FINGERPRINT_SIZE],
			  const uint8_t pub[NOISE_KEY_LEN]);
void identity_pub_base64(char out[IDENTITY_BASE64_SIZE],
			 const uint8_t pub[NOISE_KEY_LEN]);

#endif /* N2NK_IDENTITY_H */
