/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sealing and opening whole datagrams: encode + optional header encryption
 * on the way out, header decryption + decode on the way in. Both roles use
 * these so the header-length rule (whole message, or the PACKET header) is
 * written once.
 */
#ifndef N2NK_MSG_IO_H
#define N2NK_MSG_IO_H

#include <stdbool.h>

#include "common/drop.h"
#include "header_crypt.h"
#include "timestamp.h"
#include "wire.h"

/* The largest datagram we build: a relayed PACKET with an IPv6 socket. */
#define MSG_BUF_SIZE (N2N_PKT_BUF_SIZE + 128)

/*
 * A community's header encryption. Without user/password authentication
 * both key pairs come from the community name. In a user/password ("upw")
 * community, REGISTER_SUPER and its ACK/NAK use the static pair and carry a
 * 16-byte trailer; everything else uses the dynamic pair, and a PACKET's
 * header hides the payload's first 16 bytes (its IV) too.
 */
struct msg_he {
	bool on;
	bool upw;
	struct he_keys keys;	    /* dynamic */
	struct he_keys static_keys; /* from the community name */
	struct ts_source stamps;
	/* Our stamps this far ahead of the clock: with the kernel path
	 * sealing PACKETs from the same clock, a REGISTER (no reordering
	 * allowed at the peer) must not lose a race to one of those. */
	uint32_t lead_usec;
};

/* Sets both key pairs from the community name (the non-upw case). */
void msg_he_init(struct msg_he *he, bool on,
		 const char community[N2N_COMMUNITY_SIZE]);

/* How msg_open() opened a datagram. */
struct msg_opened {
	uint64_t stamp;
	bool by_static;		       /* upw: static keys, trailer follows */
	const uint8_t *trailer;	       /* the last 16 bytes, when by_static */
	uint8_t enc[N2N_PKT_BUF_SIZE]; /* the encrypted bytes it covers */
	size_t enc_len;
};

/* Encodes m into buf and encrypts its header when he->on; length or <0. */
ssize_t msg_seal(uint8_t *buf, size_t cap, const struct n2n_msg *m,
		 struct msg_he *he) __attribute__((warn_unused_result));

/* Appends the upw trailer (random bytes when s is NULL, as in a NAK). */
struct auth_secret;
ssize_t msg_append_trailer(uint8_t *buf, size_t cap, size_t len,
			   const struct auth_secret *s)
	__attribute__((warn_unused_result));

/*
 * Decrypts (when he is non-NULL and on) buf in place and decodes it: the
 * dynamic keys over the whole datagram, then, in a upw community, the
 * static keys over all but the trailer. o gets the stamp to verify and,
 * for the latter, the bytes the trailer covers. 0, or -EBADMSG with *why.
 */
int msg_open(struct n2n_msg *m, uint8_t *buf, size_t len,
	     const char community[N2N_COMMUNITY_SIZE], const struct msg_he *he,
	     struct msg_opened *o, enum n2nk_reason *why)
	__attribute__((warn_unused_result));

/* REGISTER_SUPER, its ACK and NAK: the messages of the static keys. */
bool msg_uses_static_keys(unsigned int type);

/* The sending edge's MAC, wherever the type keeps it; NULL if none. */
const uint8_t *msg_src_mac(const struct n2n_msg *m);
/* The destination MAC of a PACKET or REGISTER; NULL for other types. */
const uint8_t *msg_dst_mac(const struct n2n_msg *m);

#endif /* N2NK_MSG_IO_H */
