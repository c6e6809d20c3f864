/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * n2n 3.x wire constants: the one place where message types, flag bits, field
 * sizes and fixed offsets of the n2n protocol are written down. Both the BPF
 * data path and the userspace codec include this file, so it holds constants
 * only (no structs whose layout a compiler could change) and no #ifdefs.
 *
 * Every value is n2n 3.1.1's; docs/protocol.md explains them in our words.
 */
#ifndef N2N_WIRE_DEFS_H
#define N2N_WIRE_DEFS_H

/* Common header: version, TTL, BE16 flags|type, 20-byte community. */
#define N2N_PKT_VERSION		 3
#define N2N_DEFAULT_TTL		 2
#define N2N_COMMUNITY_SIZE	 20
#define N2N_COMMON_SIZE		 24
#define N2N_COMMON_OFF_VERSION	 0
#define N2N_COMMON_OFF_TTL	 1
#define N2N_COMMON_OFF_FLAGS	 2
#define N2N_COMMON_OFF_COMMUNITY 4

#define N2N_FLAGS_TYPE_MASK	 0x001f
#define N2N_FLAGS_BITS_MASK	 0xffe0
#define N2N_FLAGS_FROM_SUPERNODE 0x0020
#define N2N_FLAGS_SOCKET	 0x0040
#define N2N_FLAGS_OPTIONS	 0x0080 /* defined by n2n, never set */

/* Message types (low five bits of the flags word). */
enum n2n_msg_type {
	N2N_MSG_PING = 0, /* never sent; PING is a QUERY_PEER */
	N2N_MSG_REGISTER = 1,
	N2N_MSG_DEREGISTER = 2, /* defined, never sent */
	N2N_MSG_PACKET = 3,
	N2N_MSG_REGISTER_ACK = 4,
	N2N_MSG_REGISTER_SUPER = 5,
	N2N_MSG_UNREGISTER_SUPER = 6,
	N2N_MSG_REGISTER_SUPER_ACK = 7,
	N2N_MSG_REGISTER_SUPER_NAK = 8,
	N2N_MSG_FEDERATION = 9, /* defined, never sent */
	N2N_MSG_PEER_INFO = 10,
	N2N_MSG_QUERY_PEER = 11,
	N2N_MSG_RE_REGISTER_SUPER = 12,
	N2N_MSG_TYPE_COUNT = 32, /* size of a table indexed by type */
};

/* The supernode's "is this plaintext?" test only accepts types up to here. */
#define N2N_MSG_MAX_PLAIN_TYPE 11

/* Field sizes. */
#define N2N_MAC_SIZE		6
#define N2N_COOKIE_SIZE		4
#define N2N_DESC_SIZE		16
#define N2N_VERSION_STRING_SIZE 20
#define N2N_IP_SUBNET_SIZE	5
#define N2N_SOCK_SIZE_V4	8
#define N2N_SOCK_SIZE_V6	20
#define N2N_SOCK_FLAG_IPV6	0x8000
#define N2N_SOCK_FLAG_TCP	0x4000
#define N2N_AUTH_ID_TOKEN_SIZE	16
#define N2N_AUTH_PW_TOKEN_SIZE	48
#define N2N_AUTH_MAX_TOKEN_SIZE 48
#define N2N_SN_ENTRY_SIZE	26 /* REGISTER_SUPER_ACK supernode entry */
#define N2N_SN_ENTRY_MAX	44 /* most entries a 3.1.1 supernode sends */
#define N2N_PKT_BUF_SIZE	2048

enum n2n_auth_scheme {
	N2N_AUTH_NONE = 0,
	N2N_AUTH_SIMPLE_ID = 1,
	N2N_AUTH_USER_PASSWORD = 2,
};

/* PACKET: srcMac, dstMac, [sock], compression, transform, payload. */
#define N2N_PACKET_OFF_SRC_MAC	 24
#define N2N_PACKET_OFF_DST_MAC	 30
#define N2N_PACKET_OFF_SOCK	 36
#define N2N_PACKET_HDR_SIZE	 38 /* without socket */
#define N2N_PACKET_HDR_SIZE_SOCK 46 /* relayed, IPv4 socket */

enum n2n_compression_id {
	N2N_COMPRESSION_INVALID = 0,
	N2N_COMPRESSION_NONE = 1,
	N2N_COMPRESSION_LZO = 2,
	N2N_COMPRESSION_ZSTD = 3,
};

enum n2n_transform_id {
	N2N_TRANSFORM_INVALID = 0,
	N2N_TRANSFORM_NULL = 1,
	N2N_TRANSFORM_TWOFISH = 2,
	N2N_TRANSFORM_AES = 3,
	N2N_TRANSFORM_CHACHA20 = 4,
	N2N_TRANSFORM_SPECK = 5,
};

/* REGISTER cookies; their order also ranks paths (LAN beats public). */
#define N2N_FORWARDED_REG_COOKIE 0x00001000u
#define N2N_PORT_REG_COOKIE	 0x00004000u
#define N2N_REGULAR_REG_COOKIE	 0x00010000u
#define N2N_MCAST_REG_COOKIE	 0x00400000u
#define N2N_LOCAL_REG_COOKIE	 0x01000000u

/* Header encryption: bytes 16..19 hold "n2" and the encrypted length. */
#define N2N_HE_IV_SIZE		 16
#define N2N_HE_MAGIC		 0x6e320000u
#define N2N_HE_MAGIC_OFF	 16
#define N2N_HE_UPW_TRAILER_SIZE	 16
/* Its time stamps: seconds << 32 | microseconds << 12 | counter << 4 |
 * flags; +-16 s of clock skew accepted, ~160 ms of reordering for the
 * types that allow it (x 256 for a counter-only stamp, flag bit 0). */
#define N2N_TS_FRAME		 0x0000001000000000ull
#define N2N_TS_JITTER		 0x0000000027100000ull
#define N2N_TS_FLAG_COUNTER_ONLY 0x1ull

#define N2N_SN_PORT_DEFAULT 7654
#define N2N_DEFAULT_MTU	    1290

#endif /* N2N_WIRE_DEFS_H */
