/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Counting a frame into one slot of a per-CPU array of struct
 * n2nk_xdp_counter (include/n2nk_xdp_stats.h), the value type of every
 * counter map our XDP programs keep: the relay's, the observer's and
 * n2n-loadgen's sink.
 */
#ifndef N2NK_BPF_COUNTER_H
#define N2NK_BPF_COUNTER_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "n2nk_xdp_stats.h"

/*
 * One frame of bytes into map[slot]; a slot beyond the map is not
 * counted. Per-CPU slots have one writer at a time, so no atomics.
 */
static __always_inline void counter_add(void *map, __u32 slot, __u64 bytes)
{
	struct n2nk_xdp_counter *cnt = bpf_map_lookup_elem(map, &slot);

	if (!cnt)
		return;
	cnt->packets++;
	cnt->bytes += bytes;
}

#endif /* N2NK_BPF_COUNTER_H */
