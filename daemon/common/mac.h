/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Ethernet (MAC) addresses as the daemons handle them: 6 bytes, compared,
 * copied, classified and printed in one place.
 */
#ifndef N2NK_MAC_H
#define N2NK_MAC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "n2n_wire_defs.h"

#define MAC_SIZE    N2N_MAC_SIZE
#define MAC_STR_MAX 18 /* "xx:xx:xx:xx:xx:xx" and its NUL */

static inline bool mac_equal(const uint8_t *a, const uint8_t *b)
{
	return !memcmp(a, b, MAC_SIZE);
}

static inline void mac_copy(uint8_t *dst, const uint8_t *src)
{
	memcpy(dst, src, MAC_SIZE);
}

static inline bool mac_is_zero(const uint8_t *mac)
{
	static const uint8_t zero[MAC_SIZE];

	return mac_equal(mac, zero);
}

/* Broadcast or multicast: the I/G bit of the first byte. */
static inline bool mac_is_group(const uint8_t *mac)
{
	return mac[0] & 1;
}

/* IPv4 (01:00:5e) or IPv6 (33:33) multicast, which n2n drops unless -E. */
static inline bool mac_is_ip_multicast(const uint8_t *mac)
{
	return (mac[0] == 0x01 && mac[1] == 0x00 && mac[2] == 0x5e) ||
	       (mac[0] == 0x33 && mac[1] == 0x33);
}

/* "02:00:00:00:01:01", into buf; returns buf. */
static inline const char *mac_str(const uint8_t *mac, char buf[MAC_STR_MAX])
{
	snprintf(buf, MAC_STR_MAX, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
		 mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

#endif /* N2NK_MAC_H */
