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
 *   reason_stats  BPF_MAP_TYPE_PERCPU_ARRAY, N2NK_XDP_REASON_SLOTS slots.
 *                 key: __u32 slot = -(enum n2nk_xdp_reason), see
 *                 n2nk_xdp_reason_slot(); slot 0 counts plaintext n2n.
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
 * 1 in 2^25 of them fail this test; they are counted as NOT_PLAINTEXT,
 * which is not an error.
 *
 * New reasons are only ever appended (more negative), so slot numbers stay
 * stable for readers built against an older header.
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

/*
 * What the program made of a frame. Parsers return one of the negative
 * values; the entry point counts it in reason_stats slot -reason.
 */
enum n2nk_xdp_reason {
	N2NK_XDP_N2N_PLAINTEXT = 0,   /* plaintext n2n, also in type_stats */
	N2NK_XDP_NOT_IP = -1,	      /* EtherType neither IPv4 nor IPv6 */
	N2NK_XDP_TRUNCATED_ETH = -2,  /* shorter than an Ethernet header */
	N2NK_XDP_TRUNCATED_IP = -3,   /* IP header (with options) cut */
	N2NK_XDP_BAD_IP_HEADER = -4,  /* IP version mismatch or ihl < 5 */
	N2NK_XDP_IP_FRAGMENT = -5,    /* IPv4 non-first fragment: no UDP */
	N2NK_XDP_NOT_UDP = -6,	      /* IPv6 extension headers land here */
	N2NK_XDP_TRUNCATED_UDP = -7,  /* shorter than a UDP header */
	N2NK_XDP_NOT_N2N_PORT = -8,   /* UDP, destination port != n2n_port */
	N2NK_XDP_TRUNCATED_N2N = -9,  /* datagram < N2N_COMMON_SIZE bytes */
	N2NK_XDP_NOT_PLAINTEXT = -10, /* header-encrypted, or not n2n */
	N2NK_XDP_REASON_LAST = N2NK_XDP_NOT_PLAINTEXT,
};

/* Number of slots in reason_stats: 0 .. -N2NK_XDP_REASON_LAST. */
#define N2NK_XDP_REASON_SLOTS (1 - N2NK_XDP_REASON_LAST)

_Static_assert(N2NK_XDP_REASON_SLOTS == 11,
	       "a new reason changes the reason_stats size: update readers");
_Static_assert(N2N_FLAGS_TYPE_MASK + 1 == N2N_MSG_TYPE_COUNT,
	       "every masked message type must have a type_stats slot");

/* The reason_stats key of a reason (0 or negative). */
static inline __u32 n2nk_xdp_reason_slot(int reason)
{
	return (__u32)-reason;
}

/* A short, stable name for a reason, for n2nctl and test output. */
static inline const char *n2nk_xdp_reason_name(int reason)
{
	switch ((enum n2nk_xdp_reason)reason) {
	case N2NK_XDP_N2N_PLAINTEXT:
		return "n2n_plaintext";
	case N2NK_XDP_NOT_IP:
		return "not_ip";
	case N2NK_XDP_TRUNCATED_ETH:
		return "truncated_eth";
	case N2NK_XDP_TRUNCATED_IP:
		return "truncated_ip";
	case N2NK_XDP_BAD_IP_HEADER:
		return "bad_ip_header";
	case N2NK_XDP_IP_FRAGMENT:
		return "ip_fragment";
	case N2NK_XDP_NOT_UDP:
		return "not_udp";
	case N2NK_XDP_TRUNCATED_UDP:
		return "truncated_udp";
	case N2NK_XDP_NOT_N2N_PORT:
		return "not_n2n_port";
	case N2NK_XDP_TRUNCATED_N2N:
		return "truncated_n2n";
	case N2NK_XDP_NOT_PLAINTEXT:
		return "not_plaintext";
	}
	return "unknown";
}

#endif /* N2NK_XDP_STATS_H */
