/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Contract between the XDP n2n observer (bpf/xdp_n2n_count.bpf.c) and the
 * userspace code that reads its counters. Both sides include this file; it is
 * compiled by clang -target bpf and by gcc, so it has no #ifdef and only
 * fixed-width types.
 *
 * The program sees every frame on the interface it is attached to, returns
 * XDP_PASS for all of them and counts each frame exactly once in the
 * reason map, plus once in the type map when it is plaintext n2n:
 *
 *   type_stats    BPF_MAP_TYPE_PERCPU_ARRAY, N2N_MSG_TYPE_COUNT slots.
 *                 key: __u32 message type, flags word & N2N_FLAGS_TYPE_MASK
 *                 value: struct n2nk_xdp_counter, one per possible CPU.
 *   reason_stats  BPF_MAP_TYPE_PERCPU_ARRAY, N2NK_REASON_SLOTS slots.
 *                 key: __u32 slot = -(enum n2nk_reason), see
 *                 include/n2nk_reasons.h (the observer column); slot 0
 *                 (N2NK_OK) counts plaintext n2n.
 *                 value: struct n2nk_xdp_counter, one per possible CPU.
 *
 * So the sum over all reason slots is every frame the program saw, and
 * reason slot 0 equals the sum over all type slots. "bytes" is the frame
 * length as XDP sees it (Ethernet header onward, no FCS), in both maps.
 * Userspace reads a slot with bpf_map_lookup_elem() into an array of
 * libbpf_num_possible_cpus() counters and sums them; counters only grow.
 *
 * Load-time knob (skeleton rodata, set before load): n2n_port, the UDP
 * destination port (host order) that marks n2n traffic, default
 * N2N_SN_PORT_DEFAULT.
 *
 * "Plaintext n2n" is the supernode's plaintext test (n2n 3.1.1
 * sn_utils.c: process_udp) without its type <= 11 bound: at least
 * N2N_COMMON_SIZE bytes, version == N2N_PKT_VERSION, flags word below
 * N2N_FLAGS_OPTIONS and the last community byte 0. The type bound is left
 * out because RE_REGISTER_SUPER (12) is legitimately sent in plaintext.
 * A header-encrypted datagram starts with a random IV, so all but about
 * 1 in 2^25 of them fail this test; they are counted as HEADER_ENCRYPTED,
 * which is not an error.
 *
 * This struct is also the value of the XDP relay's relay_stats
 * (include/n2nk_relay.h) and n2n-loadgen's sink.
 */
#ifndef N2NK_XDP_STATS_H
#define N2NK_XDP_STATS_H

#include <linux/types.h>

#include "n2n_wire_defs.h"

/* One slot of a per-CPU counter map, for one CPU. */
struct n2nk_xdp_counter {
	__u64 packets;
	__u64 bytes;
};

_Static_assert(sizeof(struct n2nk_xdp_counter) == 16,
	       "n2nk_xdp_counter is part of the BPF map ABI");
_Static_assert(__builtin_offsetof(struct n2nk_xdp_counter, packets) == 0,
	       "n2nk_xdp_counter.packets moved");
_Static_assert(__builtin_offsetof(struct n2nk_xdp_counter, bytes) == 8,
	       "n2nk_xdp_counter.bytes moved");

_Static_assert(N2N_FLAGS_TYPE_MASK + 1 == N2N_MSG_TYPE_COUNT,
	       "every masked message type must have a type_stats slot");

#endif /* N2NK_XDP_STATS_H */
