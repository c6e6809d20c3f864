/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Why the daemon dropped a datagram or frame: one enum for both roles,
 * counted per reason and shown by name in `n2nctl stats`. The BPF data path
 * keeps its own reasons in include/; these are the userspace slow path's.
 */
#ifndef N2NK_DROP_H
#define N2NK_DROP_H

#include <stdint.h>

enum drop_reason {
	DROP_MALFORMED,	     /* wire decoder refused it */
	DROP_OVERSIZE,	     /* datagram above 2048 bytes */
	DROP_HEADER_KEY,     /* no community key decrypts the header */
	DROP_STAMP,	     /* header time stamp out of frame or replayed */
	DROP_PLAIN_ON_HE,    /* plaintext for a header-encrypted community */
	DROP_COMMUNITY,	     /* other or not allowed community */
	DROP_NOT_REGISTERED, /* edge: before the first REGISTER_SUPER_ACK */
	DROP_UNKNOWN_SN,     /* "from supernode" but not from one we know */
	DROP_UNKNOWN_SENDER, /* supernode: sender MAC not registered there */
	DROP_UNKNOWN_DEST,   /* supernode: no such MAC in the community */
	DROP_TTL,	     /* TTL exhausted */
	DROP_TRANSFORM,	     /* transform id is not ours */
	DROP_DECRYPT,	     /* payload does not decrypt / decompress */
	DROP_FILTERED,	     /* multicast without -E, foreign IP without -r */
	DROP_AUTH,	     /* registration token mismatch (spoofing) */
	DROP_UNEXPECTED,     /* valid message this role ignores */
	DROP_SEND_FAILED,    /* the kernel refused to send it */
	DROP_TABLE_FULL,     /* too many communities, edges or peers */
	DROP_COUNT
};

struct drop_counters {
	uint64_t n[DROP_COUNT];
};

const char *drop_reason_name(enum drop_reason r);

#endif /* N2NK_DROP_H */
