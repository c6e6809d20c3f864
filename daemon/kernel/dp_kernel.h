/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the kernel backend (dp_kernel.c) offers beyond struct datapath_ops:
 * the counters of its AF_XDP slow path, for `n2nctl stats`.
 */
#ifndef N2NK_DP_KERNEL_H
#define N2NK_DP_KERNEL_H

#include <stdbool.h>

#include "datapath.h"
#include "xsk.h"

/*
 * The AF_XDP slow path's counters into out (its drop reasons are the
 * xsk column of include/n2nk_reasons.h). False, and out untouched, when
 * dp reads its slow path from the UDP socket: the socket backend, or the
 * kernel backend whose AF_XDP sockets could not be bound (dp->why says
 * why).
 */
bool dp_kernel_xsk_stats(const struct datapath *dp, struct xsk_rx_stats *out);

#endif /* N2NK_DP_KERNEL_H */
