/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The n2n 3.x wire codec: one struct per message, one decoder and one encoder
 * per message, dispatched by a table indexed by message type. Decoders check
 * every length against the datagram and against the struct they fill; they
 * never trust a wire length. docs/protocol.md describes each layout.
 *
 * Decoders return the number of bytes consumed (the rest of a PACKET is its
 * payload; bytes after other messages are left to the caller, e.g. the
 * user/password trailer) or a negative enum wire_error. Encoders return the
 * number of bytes written or a negative enum wire_error.
 */
#ifndef N2NK_WIRE_H
#define N2NK_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "n2n_wire_defs.h"

#define __must_check __attribute__((warn_unused_result))

enum wire_error {
	WIRE_OK = 0,
	WIRE_ERR_TRUNCATED = 1,	  /* datagram ends inside a field */
	WIRE_ERR_VERSION = 2,	  /* version byte is not 3 */
	WIRE_ERR_TYPE = 3,	  /* type has no codec (0, 2, 9, >12) */
	WIRE_ERR_TOKEN_SIZE = 4,  /* auth token longer than 48 bytes */
	WIRE_ERR_SN_COUNT = 5,	  /* more than 44 supernode entries */
	WIRE_ERR_SOCK_FAMILY = 6, /* socket family word has unknown bits */
	WIRE_ERR_NO_SPACE = 7,	  /* encoder output buffer too small */
	WIRE_ERR_COMMUNITY = 8,	  /* community name not NUL terminated */
	WIRE_ERR_INVALID = 9, /* struct holds a value the wire can't carry */
	WIRE_ERR_COUNT
};

const char *wire_strerror(int err);

/* A UDP or TCP endpoint; IPv4 addresses use the first 4 bytes of addr. */
struct n2n_sock {
	bool ipv6;
	bool tcp;
	uint16_t port;
	uint8_t addr[16];
};

/* An IPv4 address (host byte order) with a prefix length. */
struct n2n_ip_subnet {
	uint32_t addr;
	uint8_t prefix;
};

struct n2n_auth {
	uint16_t scheme;     /* enum n2n_auth_scheme */
	uint16_t token_size; /* <= N2N_AUTH_MAX_TOKEN_SIZE */
	uint8_t token[N2N_AUTH_MAX_TOKEN_SIZE];
};

struct n2n_common {
	uint8_t ttl;
	uint8_t type;	/* enum n2n_msg_type */
	uint16_t flags; /* N2N_FLAGS_* without the type bits */
	char community[N2N_COMMUNITY_SIZE]; /* NUL padded, byte 19 is NUL */
};

struct n2n_register {
	uint32_t cookie;
	uint8_t src_mac[N2N_MAC_SIZE];
	uint8_t dst_mac[N2N_MAC_SIZE];
	struct n2n_sock sock; /* with N2N_FLAGS_SOCKET */
	struct n2n_ip_subnet dev_addr;
	uint8_t dev_desc[N2N_DESC_SIZE];
};

struct n2n_register_ack {
	uint32_t cookie;
	uint8_t dst_mac[N2N_MAC_SIZE]; /* the edge that sent the REGISTER */
	uint8_t src_mac[N2N_MAC_SIZE]; /* wire order: dst first */
	struct n2n_sock sock;	       /* with N2N_FLAGS_SOCKET */
};

struct n2n_packet {
	uint8_t src_mac[N2N_MAC_SIZE];
	uint8_t dst_mac[N2N_MAC_SIZE];
	struct n2n_sock sock; /* with N2N_FLAGS_SOCKET */
	uint8_t compression;  /* enum n2n_compression_id */
	uint8_t transform;    /* enum n2n_transform_id */
	/* Decode: points into the datagram. Encode: copied after the header. */
	const uint8_t *payload;
	size_t payload_len;
};

struct n2n_register_super {
	uint32_t cookie;
	uint8_t edge_mac[N2N_MAC_SIZE];
	struct n2n_sock sock; /* with N2N_FLAGS_SOCKET */
	struct n2n_ip_subnet dev_addr;
	uint8_t dev_desc[N2N_DESC_SIZE];
	struct n2n_auth auth;
	uint32_t key_time;
};

struct n2n_unregister_super {
	struct n2n_auth auth;
	uint8_t src_mac[N2N_MAC_SIZE];
};

/*
 * A supernode entry in REGISTER_SUPER_ACK. n2n 3.x writes the old in-memory
 * sockaddr layout: the sender's AF_* number, a zero byte, the port in
 * little-endian, then 16 address bytes. Kept raw so re-encoding is exact.
 */
struct n2n_sn_entry {
	uint8_t family; /* 2 = AF_INET on every OS n2n runs on */
	uint8_t pad;
	uint16_t port; /* host order; little-endian on the wire */
	uint8_t addr[16];
	uint8_t mac[N2N_MAC_SIZE];
};

struct n2n_register_super_ack {
	uint32_t cookie;
	uint8_t src_mac[N2N_MAC_SIZE]; /* the answering supernode */
	struct n2n_ip_subnet dev_addr; /* assigned address, 0/0 if none */
	uint16_t lifetime;
	struct n2n_sock sock; /* always present: edge's public socket */
	struct n2n_auth auth;
	uint8_t num_sn;
	struct n2n_sn_entry sn[N2N_SN_ENTRY_MAX];
	uint32_t key_time;
};

struct n2n_register_super_nak {
	uint32_t cookie;
	uint8_t src_mac[N2N_MAC_SIZE]; /* the rejected edge's own MAC */
	struct n2n_auth auth;
};

struct n2n_peer_info {
	uint16_t aflags;
	uint8_t src_mac[N2N_MAC_SIZE];
	uint8_t mac[N2N_MAC_SIZE];	/* all zero in a PONG */
	struct n2n_sock sock;		/* always present */
	struct n2n_sock preferred_sock; /* with N2N_FLAGS_SOCKET */
	uint32_t load;
	uint32_t uptime;
	/* Raw: query answers carry uninitialised bytes here in 3.1.1. */
	uint8_t version[N2N_VERSION_STRING_SIZE];
};

struct n2n_query_peer {
	uint8_t src_mac[N2N_MAC_SIZE];
	uint8_t target_mac[N2N_MAC_SIZE]; /* all zero = PING */
	uint16_t aflags;
};

struct n2n_msg {
	struct n2n_common hdr;
	union {
		struct n2n_register reg;
		struct n2n_register_ack reg_ack;
		struct n2n_packet packet;
		struct n2n_register_super reg_super;
		struct n2n_unregister_super unreg_super;
		struct n2n_register_super_ack reg_super_ack;
		struct n2n_register_super_nak reg_super_nak;
		struct n2n_peer_info peer_info;
		struct n2n_query_peer query_peer;
	} u;
};

/* Decodes the common header and the body its type names. */
ssize_t wire_decode(struct n2n_msg *msg, const uint8_t *buf,
		    size_t len) __must_check;
/* Encodes hdr (version 3, type from hdr.type) and the body. */
ssize_t wire_encode(uint8_t *buf, size_t cap,
		    const struct n2n_msg *msg) __must_check;

/* The common header alone, for peeking before a full decode. */
ssize_t wire_decode_common(struct n2n_common *hdr, const uint8_t *buf,
			   size_t len) __must_check;

/* Socket fields on their own (tests, and the relay rewriting a PACKET). */
ssize_t wire_decode_sock(struct n2n_sock *sock, const uint8_t *buf,
			 size_t len) __must_check;
ssize_t wire_encode_sock(uint8_t *buf, size_t cap,
			 const struct n2n_sock *sock) __must_check;
ssize_t wire_decode_sn_entry(struct n2n_sn_entry *e, const uint8_t *buf,
			     size_t len) __must_check;
ssize_t wire_encode_sn_entry(uint8_t *buf, size_t cap,
			     const struct n2n_sn_entry *e) __must_check;

/* "REGISTER", "PACKET", ...; "unknown" for types without a codec. */
const char *wire_msg_name(unsigned int type);
bool wire_msg_has_codec(unsigned int type);

#endif /* N2NK_WIRE_H */
