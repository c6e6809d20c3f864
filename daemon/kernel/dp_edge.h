/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the edge's control socket reads of its kernel path: per-peer
 * counters, per-reason counters, maps. False or -ENODEV without it.
 */
#ifndef N2NK_DP_EDGE_H
#define N2NK_DP_EDGE_H

#include <stdbool.h>
#include <stdint.h>

#include "bpf_maps.h"
#include "datapath.h"
#include "edge_loader.h"
#include "n2nk_reasons.h"

bool datapath_edge_peer_read(struct datapath *dp, const uint8_t *mac,
			     struct edge_loader_peer_info *out);
bool datapath_edge_reasons(struct datapath *dp, enum n2nk_layer layer,
			   uint64_t count[N2NK_REASON_SLOTS]);
int datapath_edge_map_info(struct datapath *dp, unsigned int i,
			   struct bpf_map_row *out);

/* A restart without loss (edge_loader_leave, _pinned, _adopted, _lease,
 * _peers_each, _handover_*). */
bool datapath_edge_leave(struct datapath *dp);
bool datapath_edge_pinned(struct datapath *dp);
int datapath_edge_lease(struct datapath *dp, unsigned int hold_s);
bool datapath_edge_adopted(struct datapath *dp);
int datapath_edge_handover_get(struct datapath *dp,
			       struct n2nk_edge_daemon_state *out);
int datapath_edge_handover_set(struct datapath *dp,
			       const struct n2nk_edge_daemon_state *st);
int datapath_edge_peers_each(struct datapath *dp,
			     void (*fn)(const uint8_t *mac,
					const struct n2nk_edge_peer *p,
					void *arg),
			     void *arg);

#endif /* N2NK_DP_EDGE_H */
