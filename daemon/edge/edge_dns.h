/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Supernode names (-l) resolved off the event loop (common/resolver.h):
 * a slow DNS leaves the edge answering n2nctl and forwarding through the
 * supernodes it already has. A name's answer comes in on the loop and
 * fills its edge_sn as the blocking lookup did (A/AAAA order, the family
 * the socket reaches); one not resolved is asked again when the edge
 * next needs it (registration, failover).
 */
#ifndef N2NK_EDGE_DNS_H
#define N2NK_EDGE_DNS_H

#include <stdint.h>

struct edge;
struct edge_sn;

/* At start-up, how long the edge waits for its names before it goes on
 * (the answers decide the socket's family); the rest come later. */
#define EDGE_DNS_START_WAIT_MS 2000

/* 0: resolved now (an address, or a cached answer); -EINPROGRESS: asked,
 * the answer comes later; other -errno: not asked. */
int edge_dns_resolve(struct edge *e, struct edge_sn *sn);
/* Asks for every unresolved name, waits up to EDGE_DNS_START_WAIT_MS for
 * them (blocking: the loop is not running yet); how many resolved. */
int edge_dns_start(struct edge *e);
void edge_dns_tick(struct edge *e, uint64_t now);
void edge_dns_close(struct edge *e);

#endif /* N2NK_EDGE_DNS_H */
