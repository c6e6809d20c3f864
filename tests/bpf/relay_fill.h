/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The XDP relay's registry maps filled as the daemon's mirror does
 * (include/n2nk_relay.h: keys NUL-padded, padding zero), for the relay's
 * BPF test suites.
 */
#ifndef N2NK_TEST_RELAY_FILL_H
#define N2NK_TEST_RELAY_FILL_H

#include <stdint.h>

#include "common/mac.h"
#include "n2nk_relay.h"
#include "skel/xdp_relay.skel.h"

void relay_put_edge_key(struct n2nk_relay_edge *e, const char *community,
			const uint8_t mac[MAC_SIZE]);
void relay_put_sock(struct n2nk_relay_sock4 *s, const uint8_t ip[4],
		    uint16_t port);
/* senders[ip:port] = (community, mac). 0 or -errno. */
int relay_set_sender(const struct xdp_relay *skel, const uint8_t ip[4],
		     uint16_t port, const char *community,
		     const uint8_t mac[MAC_SIZE]);
/* edges[(community, mac)] = ip:port until expires (CLOCK_MONOTONIC ns). */
int relay_set_edge_until(const struct xdp_relay *skel, const char *community,
			 const uint8_t mac[MAC_SIZE], const uint8_t ip[4],
			 uint16_t port, uint64_t expires);
/* The same, never expiring. */
int relay_set_edge(const struct xdp_relay *skel, const char *community,
		   const uint8_t mac[MAC_SIZE], const uint8_t ip[4],
		   uint16_t port);
/* ip is an address the supernode listens on. */
int relay_set_local(const struct xdp_relay *skel, const uint8_t ip[4]);

/* The same over IPv6: senders6, edges6 (never expiring), local_addrs6. */
int relay_set_sender6(const struct xdp_relay *skel, const uint8_t ip[16],
		      uint16_t port, const char *community,
		      const uint8_t mac[MAC_SIZE]);
int relay_set_edge6(const struct xdp_relay *skel, const char *community,
		    const uint8_t mac[MAC_SIZE], const uint8_t ip[16],
		    uint16_t port);
int relay_set_local6(const struct xdp_relay *skel, const uint8_t ip[16]);

#endif /* N2NK_TEST_RELAY_FILL_H */
