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

#include "drop.h"
#include "header_crypt.h"
#include "timestamp.h"
#include "wire.h"

/* The largest datagram we build: a relayed PACKET with an IPv6 socket. */
#define MSG_BUF_SIZE (N2N_PKT_BUF_SIZE + 128)

struct msg_he {
	bool on;
	struct he_keys keys;
	struct ts_source stamps;
};

/* Encodes m into buf and encrypts its header when he->on; length or <0. */
ssize_t msg_seal(uint8_t *buf, size_t cap, const struct n2n_msg *m,
		 struct msg_he *he) __attribute__((warn_unused_result));

/*
 * Decrypts (when keys is non-NULL) buf in place and decodes it. *stamp gets
 * the time stamp to verify. Returns 0, or -EBADMSG with *why set.
 */
int msg_open(struct n2n_msg *m, uint8_t *buf, size_t len,
	     const char community[N2N_COMMUNITY_SIZE],
	     const struct he_keys *keys, uint64_t *stamp, enum drop_reason *why)
	__attribute__((warn_unused_result));

/* The sending edge's MAC, wherever the type keeps it; NULL if none. */
const uint8_t *msg_src_mac(const struct n2n_msg *m);
/* The destination MAC of a PACKET or REGISTER; NULL for other types. */
const uint8_t *msg_dst_mac(const struct n2n_msg *m);

#endif /* N2NK_MSG_IO_H */
