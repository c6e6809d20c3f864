/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Builds test frames layer by layer (Ethernet, IPv4/IPv6, UDP, n2n common
 * header, payload) so BPF test cases read as what they send, not as hex.
 * frame_finish() fills in the length and checksum fields at the end.
 */
#ifndef N2NK_FRAME_BUILDER_H
#define N2NK_FRAME_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include "common/mac.h"

/* Room for the largest frame n2n carries (2048 bytes) in its outer headers. */
#define FRAME_MAX 2304

struct frame {
	uint8_t data[FRAME_MAX];
	size_t len;
	size_t l3_off;	/* IP header offset, valid if ip_version */
	size_t l4_off;	/* UDP header offset, valid if has_udp */
	int ip_version; /* 0, 4 or 6 */
	int has_udp;
	int has_tcp;
	int udp_no_checksum; /* frame_finish() leaves the checksum 0 */
};

void frame_init(struct frame *f);

/* Appends raw bytes; aborts when the frame would exceed FRAME_MAX. */
void frame_put(struct frame *f, const void *bytes, size_t n);
void frame_put_u8(struct frame *f, uint8_t v);
void frame_put_be16(struct frame *f, uint16_t v);
void frame_put_be32(struct frame *f, uint32_t v);
void frame_put_zeros(struct frame *f, size_t n);
/* n bytes from a fixed xorshift32 sequence, the same for the same seed. */
void frame_put_random(struct frame *f, size_t n, uint32_t seed);

void frame_eth(struct frame *f, uint16_t ethertype);
/* An 802.1Q tag (after an Ethernet header of type 0x8100). */
void frame_vlan(struct frame *f, uint16_t vid, uint16_t ethertype);
void frame_eth_macs(struct frame *f, const uint8_t dst[MAC_SIZE],
		    const uint8_t src[MAC_SIZE], uint16_t ethertype);
/* IPv4 198.18.0.1 -> 198.18.0.2; option_words 32-bit NOP words after it. */
void frame_ipv4_options(struct frame *f, uint8_t protocol,
			unsigned int option_words);
void frame_ipv4(struct frame *f, uint8_t protocol);
/* Replaces the addresses of the IPv4 header just built. */
void frame_ipv4_addrs(struct frame *f, const uint8_t src[4],
		      const uint8_t dst[4]);
/* IPv6 2001:db8::1 -> 2001:db8::2. */
void frame_ipv6(struct frame *f, uint8_t next_header);
void frame_udp(struct frame *f, uint16_t src_port, uint16_t dst_port);
/* A 20-byte TCP header (ACK|PSH); frame_finish() fills its checksum. */
void frame_tcp(struct frame *f, uint16_t src_port, uint16_t dst_port);
/* A SYN whose options hold MSS mss (after a NOP and a window scale). */
void frame_tcp_syn(struct frame *f, uint16_t src_port, uint16_t dst_port,
		   uint16_t mss);
/* n2n common header: version, TTL 2, flags|type, NUL-padded community. */
void frame_n2n_common(struct frame *f, uint8_t version, uint16_t flags_type,
		      const char *community);

/* Sets IP/UDP lengths and the IPv4 header and UDP checksums. */
void frame_finish(struct frame *f);
/*
 * The UDP checksum of an Ethernet frame holding IPv4 (20-byte header) or
 * IPv6 (no extension headers) and UDP, over its UDP length: 1 right,
 * 0 wrong (or not such a frame), 2 none (IPv4, field 0).
 */
int frame_udp_csum_ok(const uint8_t *frame, size_t len);
/* Drops everything after the first len bytes (a truncated capture). */
void frame_cut(struct frame *f, size_t len);

#endif /* N2NK_FRAME_BUILDER_H */
