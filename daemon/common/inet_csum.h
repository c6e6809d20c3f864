/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Internet checksum (RFC 1071) for userspace: the AF_XDP slow path checks
 * IPv4 and UDP with it, the load generator and the tests build frames with
 * it. The BPF side keeps its own (bpf/lib/relay_rewrite.h): other helpers.
 */
#ifndef N2NK_INET_CSUM_H
#define N2NK_INET_CSUM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Adds the big-endian 16-bit words of data to a 32-bit ones' complement sum;
 * an odd last byte counts as its word's high byte, so only the last piece
 * summed may have an odd length. Up to 64 KiB (an IP packet) per sum cannot
 * overflow the 32 bits.
 */
static inline uint32_t inet_csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

/* Folds a sum to 16 bits, not complemented: 0xffff over data that holds
 * its own right checksum. */
static inline uint16_t inet_csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The checksum field for data (with its field zeroed), in host order. */
static inline uint16_t inet_csum(const void *data, size_t len)
{
	return (uint16_t)~inet_csum_fold(inet_csum_add(0, data, len));
}

/*
 * The sum of a UDP or TCP pseudo-header (RFC 768, RFC 8200 8.1): source and
 * destination address as they stand back to back in the IP header (8 bytes
 * from IPv4 offset 12, 32 from IPv6 offset 8), protocol and length.
 */
static inline uint32_t inet_csum_pseudo(const void *addrs, size_t addrs_len,
					uint8_t proto, uint16_t len)
{
	return inet_csum_add((uint32_t)proto + len, addrs, addrs_len);
}

#endif /* N2NK_INET_CSUM_H */
