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

#endif /* N2NK_DP_EDGE_H */
