/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Maps of the edge's kernel data path; their layout is the contract in
 * include/n2nk_edge.h.
 */
#ifndef N2NK_BPF_EDGE_MAPS_H
#define N2NK_BPF_EDGE_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/counter.h"
#include "lib/ks.h"
#include "n2nk_edge.h"

/* The community, our addresses, the supernode, the transform and key. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct n2nk_edge_conf);
} edge_conf SEC(".maps");

/* MAC -> how frames to that peer go, and when we last heard it direct. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, N2NK_EDGE_MAX_PEERS);
	__type(key, struct n2nk_edge_peer_key);
	__type(value, struct n2nk_edge_peer);
} peers SEC(".maps");

/* Per peer, per CPU: what the kernel carried. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, N2NK_EDGE_MAX_PEERS);
	__type(key, struct n2nk_edge_peer_key);
	__type(value, struct n2nk_edge_peer_stats);
} peer_stats SEC(".maps");

/* Every frame each program saw, by reason (slot = -reason). */
#define EDGE_REASON_MAP(name)                            \
	struct {                                         \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); \
		__uint(max_entries, N2NK_REASON_SLOTS);  \
		__type(key, __u32);                      \
		__type(value, struct n2nk_xdp_counter);  \
	} name SEC(".maps")

EDGE_REASON_MAP(tap_stats);
EDGE_REASON_MAP(tx_stats);
EDGE_REASON_MAP(rx_stats);

/* The per-CPU sequence number in the IVs this CPU writes. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} iv_seq SEC(".maps");

/* Until when (CLOCK_MONOTONIC ns) the programs may carry frames without
 * a daemon refreshing it; 0: no limit (n2nk_edge.h). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} edge_lease SEC(".maps");

static __always_inline int edge_lease_over(void)
{
	__u32 zero = 0;
	__u64 *until = bpf_map_lookup_elem(&edge_lease, &zero);

	return until && *until && bpf_ktime_get_ns() > *until;
}

/* The daemon's hand-over to the next daemon (n2nk_edge.h). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct n2nk_edge_daemon_state);
} daemon_state SEC(".maps");

/* Keystream state and output, off the stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct n2nk_ks_scratch);
} ks_scratch SEC(".maps");

/* One frame for reason into a program's per-reason map. */
static __always_inline void edge_count(void *map, int reason, __u64 bytes)
{
	counter_add(map, n2nk_reason_slot(reason), bytes);
}

static __always_inline struct n2nk_edge_conf *edge_conf_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&edge_conf, &zero);
}

static __always_inline struct n2nk_edge_peer *edge_peer_get(const __u8 *mac)
{
	struct n2nk_edge_peer_key k = {};
	struct n2nk_edge_peer *p;

	__builtin_memcpy(k.mac, mac, N2N_MAC_SIZE);
	p = bpf_map_lookup_elem(&peers, &k);
	return p && p->path != N2NK_PATH_NONE ? p : NULL;
}

static __always_inline struct n2nk_edge_peer_stats *
edge_peer_stats(const __u8 *mac)
{
	struct n2nk_edge_peer_key k = {};

	__builtin_memcpy(k.mac, mac, N2N_MAC_SIZE);
	return bpf_map_lookup_elem(&peer_stats, &k);
}

#endif /* N2NK_BPF_EDGE_MAPS_H */
