/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Maps of the XDP supernode relay: where the registered edges are, who is
 * registered at each source socket, the next hop towards each edge's
 * address, the -H communities' keys and replay records, and the
 * per-reason counters. Their
 * layout is the contract in include/n2nk_relay.h.
 */
#ifndef N2NK_BPF_RELAY_MAPS_H
#define N2NK_BPF_RELAY_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/counter.h"
#include "n2nk_relay.h"

/* (community, MAC) -> the edge's socket: where a PACKET goes. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, N2NK_RELAY_MAX_EDGES);
	__type(key, struct n2nk_relay_edge);
	__type(value, struct n2nk_relay_dest);
} edges SEC(".maps");

/* Source socket -> the edge registered there: who may send from it. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, N2NK_RELAY_MAX_EDGES);
	__type(key, struct n2nk_relay_sock4);
	__type(value, struct n2nk_relay_sender);
} senders SEC(".maps");

/* The same for edges registered at IPv6 sockets: an edge is in one of
 * edges and edges6, as its socket's family says. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, N2NK_RELAY_MAX_EDGES);
	__type(key, struct n2nk_relay_edge);
	__type(value, struct n2nk_relay_dest6);
} edges6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, N2NK_RELAY_MAX_EDGES);
	__type(key, struct n2nk_relay_sock6);
	__type(value, struct n2nk_relay_sender);
} senders6 SEC(".maps");

/* Per edge slot, per CPU: what the kernel relayed from and to it. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, N2NK_RELAY_STATS_SLOTS);
	__type(key, __u32);
	__type(value, struct n2nk_relay_edge_stats);
} edge_stats SEC(".maps");

/* The addresses the supernode listens on (value unused). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, N2NK_RELAY_MAX_LOCAL_ADDRS);
	__type(key, __be32);
	__type(value, __u8);
} local_addrs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, N2NK_RELAY_MAX_LOCAL_ADDRS);
	__type(key, struct n2nk_relay_addr6);
	__type(value, __u8);
} local_addrs6 SEC(".maps");

/* Interface slot * MAX_QUEUES + receive queue -> the daemon's AF_XDP
 * socket for the slow path (relay_egress.h: relay_to_daemon()). */
struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, N2NK_RELAY_XSK_KEYS);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

/* Community -> its header keys: the -H communities the kernel relays. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, N2NK_RELAY_MAX_HE_COMMUNITIES);
	__type(key, struct n2nk_relay_community);
	__type(value, struct n2nk_he);
} he_keys SEC(".maps");

/* Sending edge -> the newest header stamp relayed from it. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH); /* full: the oldest goes */
	__uint(max_entries, N2NK_RELAY_MAX_EDGES);
	__type(key, struct n2nk_relay_edge);
	__type(value, __u64);
} he_stamps SEC(".maps");

/* Edge address -> its next hop, without the FIB (forwarding off). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, N2NK_RELAY_MAX_EDGES);
	__type(key, __be32);
	__type(value, struct n2nk_relay_hop);
	/* Not preallocated: a refresh replaces a value, and a preallocated
	 * element could be reused for another address at once, under a
	 * program still reading it; these are freed after RCU. */
	__uint(map_flags, BPF_F_NO_PREALLOC);
} relay_hops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, N2NK_RELAY_MAX_EDGES);
	__type(key, struct n2nk_relay_addr6);
	__type(value, struct n2nk_relay_hop);
	__uint(map_flags, BPF_F_NO_PREALLOC); /* as relay_hops */
} relay_hops6 SEC(".maps");

/* Every frame, by what the relay made of it (slot = -reason). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, N2NK_REASON_SLOTS);
	__type(key, __u32);
	__type(value, struct n2nk_xdp_counter);
} relay_stats SEC(".maps");

/* Interfaces a relayed frame may be redirected to (value: ifindex). */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, N2NK_RELAY_MAX_IFS);
	__type(key, __u32);
	__type(value, __u32);
} egress_ifs SEC(".maps");

/* Ingress ifindex -> its slot in xsks. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, N2NK_RELAY_MAX_IFS);
	__type(key, __u32);
	__type(value, __u32);
} xsk_slots SEC(".maps");

/* Relayed frames by how they left (enum n2nk_relay_egress). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, N2NK_RELAY_EGRESS_SLOTS);
	__type(key, __u32);
	__type(value, struct n2nk_xdp_counter);
} egress_stats SEC(".maps");

static __always_inline void relay_count(int reason, __u64 bytes)
{
	counter_add(&relay_stats, n2nk_reason_slot(reason), bytes);
}

/* By the slots the sender and destination lookups gave: slot 0 (an
 * entry without one) is not counted. */
static __always_inline void relay_count_edges(__u32 from, __u32 to, __u64 bytes)
{
	struct n2nk_relay_edge_stats *st;

	st = from ? bpf_map_lookup_elem(&edge_stats, &from) : 0;
	if (st) {
		st->from_packets++;
		st->from_bytes += bytes;
	}
	st = to ? bpf_map_lookup_elem(&edge_stats, &to) : 0;
	if (st) {
		st->to_packets++;
		st->to_bytes += bytes;
	}
}

#endif /* N2NK_BPF_RELAY_MAPS_H */
