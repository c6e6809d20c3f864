/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Birthday probing (docs/nat-birthday.md): a P2P path between an edge
 * behind a symmetric NAT (H, a new port per destination) and one behind
 * an endpoint-independent mapping (E), planned over the relayed path.
 */
#ifndef N2NK_EDGE_BDAY_H
#define N2NK_EDGE_BDAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "n2nk_edge.h"

struct edge;
struct edge_peer;
struct ctl_table;
struct n2n_sock;

/* The private EtherType of the plan frames (include/n2nk_edge.h). */
#define BDAY_ETHERTYPE N2NK_ETH_P_CONTROL

int edge_bday_open(struct edge *e);
void edge_bday_close(struct edge *e);
void edge_bday_tick(struct edge *e, uint64_t now);
/* Our public socket as the supernode saw it (REGISTER_SUPER_ACK). */
void edge_bday_observed(struct edge *e, const struct n2n_sock *s);
/* A frame of ours inside a PACKET from pkt_src (its srcMac): taken (true)
 * or not ours. */
bool edge_bday_on_frame(struct edge *e, const uint8_t *frame, size_t n,
			const uint8_t *pkt_src);
/* A probe on the main socket: taken (true) or not a probe. */
bool edge_bday_on_udp(struct edge *e, const struct sockaddr_storage *from,
		      const uint8_t *buf, size_t len);
/* Sends a sealed datagram to "to" through a probing socket kept as the
 * path to that peer: 0 sent, -ENOENT no such path (caller sends). */
int edge_bday_send(struct edge *e, const struct sockaddr_storage *to,
		   const uint8_t *buf, size_t len);
/* Whether p's path lives on such a socket (kept off the kernel path). */
bool edge_bday_pinned(const struct edge *e, const struct edge_peer *p);
void edge_bday_stats_rows(struct ctl_table *t, const struct edge *e);

#endif /* N2NK_EDGE_BDAY_H */
