/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The edge daemon's hand on -A6's session maps (include/n2nk_session.h):
 * receive sessions by our index, sending sessions by slot (their
 * counters in shared memory), which slot each peer's frames take. Each
 * call returns 0 or -errno, and -EOPNOTSUPP without the kernel path.
 */
#ifndef N2NK_A6_MAPS_H
#define N2NK_A6_MAPS_H

#include <stdint.h>

#include "datapath.h"
#include "n2nk_session.h"

int datapath_edge_a6_rx_put(struct datapath *dp, uint32_t index,
			    const struct n2nk_a6_rx *v);
int datapath_edge_a6_rx_del(struct datapath *dp, uint32_t index);
/* When the kernel last took a frame under index (CLOCK_MONOTONIC ns). */
int datapath_edge_a6_rx_last(struct datapath *dp, uint32_t index,
			     uint64_t *last_rx_ns);
/* The slot itself in the mmapped a6_tx (its counter first), NULL without:
 * the daemon fills and clears slots there, in an order the programs can
 * read at any time (edge_a6_kernel.c). */
struct n2nk_a6_tx *datapath_edge_a6_tx_slot(struct datapath *dp, uint32_t slot);
/* The slot's counter in the mmapped a6_tx, for
 * __atomic_fetch_add(p, 1, __ATOMIC_RELAXED); NULL without. */
uint64_t *datapath_edge_a6_tx_counter(struct datapath *dp, uint32_t slot);
int datapath_edge_a6_peer_tx_set(struct datapath *dp, const uint8_t mac[6],
				 uint32_t slot);
int datapath_edge_a6_peer_tx_del(struct datapath *dp, const uint8_t mac[6]);
/* A DATA frame's counter, taken in the kernel's replay window for the
 * session (a6_take, under its lock): N2NK_A6_TAKEN, _SEEN, _NO_SESSION,
 * or -errno. */
int datapath_edge_a6_take(struct datapath *dp, uint32_t index,
			  uint64_t counter);
/* Empties all three (start-up): no session outlives its daemon's keys. */
int datapath_edge_a6_clear(struct datapath *dp);

#endif /* N2NK_A6_MAPS_H */
