/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading the per-CPU counter maps whose value is struct n2nk_xdp_counter
 * (include/n2nk_xdp_stats.h): the observer's, the XDP relay's relay_stats
 * and n2n-loadgen's sink. One slot, summed over the possible CPUs.
 */
#ifndef N2NK_XDP_COUNTER_H
#define N2NK_XDP_COUNTER_H

#include <linux/types.h>

#include "n2nk_xdp_stats.h"

struct bpf_map;

/* Slot `slot` of map, summed over the possible CPUs: 0 or -errno. */
int xdp_counter_sum(const struct bpf_map *map, __u32 slot,
		    struct n2nk_xdp_counter *sum);

#endif /* N2NK_XDP_COUNTER_H */
