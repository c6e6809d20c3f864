/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Port mapping (UPnP-IGD, NAT-PMP, PCP): asks the home router to forward
 * a UDP port to the edge's socket and advertises the external socket it
 * grants in REGISTER_SUPER's preferred-socket slot, which the supernode
 * passes on in PEER_INFO and peers punch to. The libraries block, so a
 * worker thread does the asking and reports through an eventfd; the event
 * loop only reads its result. See docs/port-mapping.md.
 */
#ifndef N2NK_PORTMAP_H
#define N2NK_PORTMAP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "proto/wire.h"

struct edge;

enum portmap_proto {
	PORTMAP_NONE,
	PORTMAP_PCP,
	PORTMAP_NATPMP,
	PORTMAP_UPNP,
};

/* What n2nctl shows. */
struct portmap_status {
	bool enabled;	   /* not --no-port-forwarding */
	const char *state; /* "off", "probing", "mapped", "none", "stopped" */
	enum portmap_proto proto;
	struct in_addr ext_ip;
	uint16_t ext_port;
	uint32_t lease_s;    /* granted; 0: no expiry */
	uint64_t expires_ms; /* monotonic; 0: no expiry */
	unsigned int renewals;
	char why[96]; /* the last failure, "" if none */
};

const char *portmap_proto_name(enum portmap_proto p);

/* From the edge's tick: starts the worker on the first call (after the
 * edge detached: threads do not survive fork). */
void edge_portmap_tick(struct edge *e, uint64_t now);
/* Stops the worker, which deletes the mapping (bounded: a few seconds at
 * most); safe to call twice, or when it never started. */
void edge_portmap_stop(struct edge *e);
void edge_portmap_status(const struct edge *e, struct portmap_status *s);

/*
 * The socket REGISTER_SUPER advertises (flag SOCKET), if any: -e's
 * address (or -e auto's, the one facing the supernode) with our port,
 * else the port mapping's external socket. -e wins: the user chose it,
 * and it is what LAN peers need (routers rarely hairpin).
 */
bool edge_preferred_sock(struct edge *e, struct n2n_sock *s);

/* n2nctl info: the mapping's columns, then its cells in a row. */
struct ctl_table;
void edge_portmap_columns(struct ctl_table *t);
void edge_portmap_cells(struct ctl_table *t, struct edge *e);

#endif /* N2NK_PORTMAP_H */
