/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the control socket reads of the kernel relay: counters by reason
 * and the maps. False or -ENODEV without the kernel backend.
 */
#ifndef N2NK_DP_RELAY_H
#define N2NK_DP_RELAY_H

#include <stdbool.h>
#include <stdint.h>

#include "datapath.h"
#include "n2nk_relay.h"
#include "xdp_relay_loader.h"

/* Keeps the loader's reason in dp->err_buf for the log; returns err. */
int datapath_relay_err(struct datapath *dp, int err,
		       const struct xdp_relay_why *why);

/* Frames per reason slot (slot = -reason), summed over CPUs. */
bool datapath_relay_reasons(struct datapath *dp,
			    uint64_t packets[N2NK_REASON_SLOTS]);

/* Relayed frames by how they left (enum n2nk_relay_egress). */
bool datapath_relay_egress(struct datapath *dp,
			   uint64_t packets[N2NK_RELAY_EGRESS_SLOTS]);

/* Kernel-relayed counts of one edge; false when there are none. */
bool datapath_relay_edge_stats(struct datapath *dp, const char *community,
			       const uint8_t *mac,
			       struct n2nk_relay_edge_stats *out);

/* The i-th map of the relay, or -ENOENT past the last. */
int datapath_relay_map_info(struct datapath *dp, unsigned int i,
			    struct xdp_relay_map_info *out);

#endif /* N2NK_DP_RELAY_H */
