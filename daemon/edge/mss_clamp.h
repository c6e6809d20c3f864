/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TCP MSS clamping of Ethernet frames crossing the overlay (--mss-clamp):
 * a SYN (or SYN-ACK) whose MSS option asks for segments larger than the
 * overlay carries gets the largest that fits, its checksum fixed up
 * incrementally (RFC 1624). The socket backend runs it on what it reads
 * from and writes to the TAP; bpf/lib/mss_clamp.h does the same in the
 * kernel path, so hosts see the same MSS whichever path a frame takes.
 */
#ifndef N2NK_MSS_CLAMP_H
#define N2NK_MSS_CLAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest MSS for each IP version; 0: that version is not clamped. */
struct mss_limit {
	uint16_t ipv4, ipv6;
};

/* --mss-clamp: -1 auto (from the overlay MTU), 0 off, else the MSS. */
#define MSS_CLAMP_AUTO (-1)

/* The limits --mss-clamp gives for an overlay (TAP) MTU: auto, the MTU
 * less 40 (IPv4) and 60 (IPv6); N, N for IPv4 and N - 20 for IPv6 (at
 * least 88, TCP's least). */
struct mss_limit mss_limit_of(int clamp, unsigned int mtu);

/*
 * Clamps the MSS option of an untagged Ethernet frame holding an IPv4 or
 * IPv6 (no extension headers) TCP segment with SYN set; true if it
 * rewrote the frame. Anything else, and truncated headers, stay as they
 * are.
 */
bool mss_clamp_frame(uint8_t *frame, size_t len, struct mss_limit lim);

#endif /* N2NK_MSS_CLAMP_H */
