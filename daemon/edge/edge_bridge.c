// SPDX-License-Identifier: GPL-2.0-only
/*
 * -r bridging: which peer edge a host behind a bridged TAP sits behind,
 * as n2n learns it after 3.1.1 (ntop/n2n PR #1044; 3.1.1 itself has
 * none, n2n-protocol.md 4.7 notwithstanding). A frame from a peer whose
 * source MAC is not the peer's teaches "that MAC is behind that peer";
 * a frame from our TAP to such a MAC goes to the peer, with the peer's
 * MAC as the PACKET's dstMac, so any supernode (which knows only edges)
 * can relay it. Entries live 300 s from the last frame (n2n's
 * HOSTINFO_TIMEOUT). The network is not trusted: only a PACKET from a
 * peer the supernode told us of teaches, and the table holds at most
 * EDGE_BRIDGE_MAX hosts (when full, the entry heard from longest ago
 * goes). A MAC seen coming from our own TAP is ours again.
 *
 * The kernel path has no such table: frames to a learned host are not in
 * its peers map, so its TAP program leaves them to the daemon, and frames
 * whose inner source is not the PACKET's sender go to the daemon too
 * (N2NK_INNER_SOURCE). -A6 sessions do not bridge yet.
 */
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/mac.h"
#include "edge.h"

#define BRIDGE_TIMEOUT_MS (300 * 1000)

struct bridge_host {
	struct mac_entry key; /* the host's MAC */
	uint8_t edge[MAC_SIZE];
	uint64_t seen_ms;
	bool used;
};

struct edge_bridge {
	struct mac_table t;
	struct bridge_host pool[EDGE_BRIDGE_MAX];
	bool full_said;
};

static struct edge_bridge *bridge(struct edge *e)
{
	if (!e->bridge && e->allow_routing && !e->a6)
		e->bridge = calloc(1, sizeof(*e->bridge));
	return e->bridge;
}

static void forget(struct edge *e, struct bridge_host *h)
{
	mac_table_remove(&e->bridge->t, &h->key);
	h->used = false;
	e->stats.bridge_hosts--;
}

/* A free slot, or the stalest entry's, freed. */
static struct bridge_host *slot(struct edge *e, uint64_t now)
{
	struct edge_bridge *b = e->bridge;
	struct bridge_host *old = NULL;
	size_t i;

	for (i = 0; i < EDGE_BRIDGE_MAX; i++) {
		struct bridge_host *h = &b->pool[i];

		if (!h->used)
			return h;
		if (!old || h->seen_ms < old->seen_ms)
			old = h;
	}
	if (now - old->seen_ms < BRIDGE_TIMEOUT_MS) {
		e->stats.bridge_evicted++;
		if (!b->full_said)
			log_warn("bridge: %d hosts behind peers, the most "
				 "kept; the stalest goes for each new one",
				 EDGE_BRIDGE_MAX);
		b->full_said = true;
	}
	forget(e, old);
	return old;
}

void edge_bridge_learn(struct edge *e, const uint8_t *host, const uint8_t *peer,
		       uint64_t now)
{
	struct bridge_host *h;

	if (mac_equal(host, peer) || mac_is_group(host) ||
	    mac_equal(host, e->mac) || !bridge(e) || edge_peer_find(e, host) ||
	    !edge_peer_find(e, peer))
		return;
	h = (struct bridge_host *)mac_table_find(&e->bridge->t, host);
	if (!h) {
		h = slot(e, now);
		mac_copy(h->key.mac, host);
		mac_table_insert(&e->bridge->t, &h->key);
		h->used = true;
		e->stats.bridge_hosts++;
	}
	mac_copy(h->edge, peer);
	h->seen_ms = now;
}

const uint8_t *edge_bridge_via(struct edge *e, const uint8_t *dst, uint64_t now)
{
	struct bridge_host *h;

	if (!e->bridge || mac_is_group(dst))
		return NULL;
	h = (struct bridge_host *)mac_table_find(&e->bridge->t, dst);
	if (!h)
		return NULL;
	if (now - h->seen_ms >= BRIDGE_TIMEOUT_MS || edge_peer_find(e, dst)) {
		forget(e, h);
		return NULL;
	}
	return h->edge;
}

void edge_bridge_local(struct edge *e, const uint8_t *src)
{
	struct bridge_host *h;

	if (!e->bridge)
		return;
	h = (struct bridge_host *)mac_table_find(&e->bridge->t, src);
	if (h)
		forget(e, h);
}

void edge_bridge_free(struct edge *e)
{
	size_t i;

	if (!e->bridge)
		return;
	for (i = 0; i < EDGE_BRIDGE_MAX; i++)
		if (e->bridge->pool[i].used)
			forget(e, &e->bridge->pool[i]);
	free(e->bridge);
	e->bridge = NULL;
}
