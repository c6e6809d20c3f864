/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU packet and byte counters of the XDP n2n observer. The maps and
 * their keys are the contract in include/n2nk_xdp_stats.h.
 */
#ifndef N2NK_BPF_STATS_H
#define N2NK_BPF_STATS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/counter.h"
#include "n2nk_reasons.h"
#include "n2nk_xdp_stats.h"

/* Plaintext n2n datagrams by message type. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, N2N_MSG_TYPE_COUNT);
	__type(key, __u32);
	__type(value, struct n2nk_xdp_counter);
} type_stats SEC(".maps");

/* Every frame, by what the parsers made of it (slot = -reason). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, N2NK_REASON_SLOTS);
	__type(key, __u32);
	__type(value, struct n2nk_xdp_counter);
} reason_stats SEC(".maps");

static __always_inline void stats_count_type(int msg_type, __u64 bytes)
{
	counter_add(&type_stats, (__u32)msg_type, bytes);
}

static __always_inline void stats_count_reason(int reason, __u64 bytes)
{
	counter_add(&reason_stats, n2nk_reason_slot(reason), bytes);
}

#endif /* N2NK_BPF_STATS_H */
