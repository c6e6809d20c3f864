/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Contract between the XDP supernode relay (bpf/xdp_relay.bpf.c) and the
 * userspace supernode that fills its maps and reads its counters. Both sides
 * include this file (clang -target bpf and gcc), so it has no #ifdef, only
 * fixed-width types and explicit padding; padding bytes must be zero, since
 * hash maps compare keys byte for byte.
 *
 * The program relays plaintext n2n PACKETs between edges registered with
 * this supernode, byte for byte as n2n 3.1.1 (and daemon/supernode/sn_handlers.c
 * relay()) does, and hands everything else to the userspace supernode:
 *
 *   edges         BPF_MAP_TYPE_HASH, N2NK_RELAY_MAX_EDGES entries.
 *                 key: struct n2nk_relay_edge (community, MAC)
 *                 value: struct n2nk_relay_dest, where that edge is and
 *                 until when its registration holds: past expires_ns the
 *                 program hands PACKETs to it to the daemon, so entries a
 *                 stopped daemon left behind stop relaying by themselves.
 *   senders       BPF_MAP_TYPE_HASH, N2NK_RELAY_MAX_EDGES entries.
 *                 key: struct n2nk_relay_sock4, a registered source socket
 *                 value: struct n2nk_relay_edge registered at that socket.
 *                 This is the O(1) "find the sender by its source socket":
 *                 a PACKET is relayed only if its srcMac is the MAC
 *                 registered for its IP source address and UDP source port,
 *                 in the PACKET's community.
 *   xsks          BPF_MAP_TYPE_XSKMAP, N2NK_RELAY_MAX_QUEUES entries.
 *                 key: __u32 receive queue index; value: an AF_XDP socket
 *                 fd the daemon bound to that queue. Frames for the daemon
 *                 (n2nk_relay_reason_to_daemon()) are redirected there; a
 *                 queue without a socket falls back to XDP_PASS.
 *   edge_stats    BPF_MAP_TYPE_PERCPU_HASH, N2NK_RELAY_MAX_EDGES entries.
 *                 key: struct n2nk_relay_edge; value: struct
 *                 n2nk_relay_edge_stats, one per possible CPU: PACKETs
 *                 relayed in the kernel from and to that edge. Userspace
 *                 creates (zeroed) and deletes entries with `edges`; the
 *                 program only counts into existing ones.
 *   local_addrs   BPF_MAP_TYPE_HASH, N2NK_RELAY_MAX_LOCAL_ADDRS entries.
 *                 key: __be32 an IPv4 address the supernode listens on;
 *                 value: __u8, 1. Datagrams to the port but another
 *                 address (a forwarding host's transit traffic) are not
 *                 ours: passed to the stack to be routed (not_local).
 *   relay_stats   BPF_MAP_TYPE_PERCPU_ARRAY, N2NK_RELAY_REASON_SLOTS slots.
 *                 key: __u32 slot = -(enum n2nk_relay_reason)
 *                 value: struct n2nk_xdp_counter (n2nk_xdp_stats.h), one
 *                 per possible CPU; bytes are the frame length as received.
 *
 * Every frame is counted exactly once in relay_stats. Slot 0 counts the
 * relayed PACKETs (XDP_TX); n2nk_relay_reason_drops() tells which other
 * reasons are XDP_DROP; all the rest reach the userspace supernode, over
 * AF_XDP or its UDP socket as if no program were attached (see xsks).
 *
 * A relayed PACKET gets TTL - 1, flags |= SOCKET | FROM_SUPERNODE and the
 * sender's 8-byte IPv4 n2n socket after dstMac (the n2n header grows from 38
 * to 46 bytes, the payload follows unchanged); it leaves from the
 * supernode's address and port to the destination edge's socket, with the
 * UDP checksum 0 (legal for IPv4), IP TTL 64 as a datagram the supernode
 * sends (the sender's IP ID and DF bit are kept), Ethernet padding after
 * the datagram kept. Its next hop comes from the kernel's FIB and
 * neighbour tables (bpf_fib_lookup()) and it leaves with XDP_TX. When the
 * FIB has no answer yet (no route, no neighbour entry, too big for the
 * route's MTU, forwarding disabled on the interface) or the route leaves
 * by another interface (which may be a bridge, a tunnel or a device whose
 * XDP transmit is not set up: a redirect there would lose the rewritten
 * frame), the frame goes to the daemon unchanged, which relays it through
 * its socket; the kernel then resolves the neighbour, and the next frames
 * stay in XDP. Without the FIB, bpf_check_mtu() guards the 8 bytes added.
 *
 * Userspace keeps the two maps in step with its registrations (an edge
 * that moves to a new socket loses its old senders entry) and learns
 * nothing from relayed PACKETs: per-edge traffic is in relay_stats only.
 *
 * Only IPv4 without options or fragmentation is relayed; IPv6 is passed.
 *
 * Load-time knobs (skeleton rodata, set before load): sn_port, the UDP port
 * (host order) the supernode listens on, default N2N_SN_PORT_DEFAULT;
 * next_hop_by_fib, default 1; 0 swaps the Ethernet addresses instead
 * (the sender's next hop is the way back: BPF_PROG_TEST_RUN tests, whose
 * frames never leave).
 *
 * New reasons are only ever appended (more negative).
 */
#ifndef N2NK_RELAY_H
#define N2NK_RELAY_H

#include <linux/types.h>

#include "n2n_wire_defs.h"
#include "n2nk_xdp_stats.h"

#define N2NK_RELAY_MAX_EDGES	   65536
#define N2NK_RELAY_MAX_QUEUES	   64
#define N2NK_RELAY_MAX_LOCAL_ADDRS 64

/* A registered edge: its community name (NUL-padded) and MAC. */
struct n2nk_relay_edge {
	__u8 community[N2N_COMMUNITY_SIZE];
	__u8 mac[N2N_MAC_SIZE];
	__u8 pad[2]; /* zero */
};

/* An IPv4 UDP socket, both fields in network byte order. */
struct n2nk_relay_sock4 {
	__be32 addr;
	__be16 port;
	__u8 pad[2]; /* zero */
};

/* Where a registered edge is, and until when (CLOCK_MONOTONIC ns, as
 * bpf_ktime_get_coarse_ns() reads it) the daemon vouches for it. */
struct n2nk_relay_dest {
	struct n2nk_relay_sock4 sock;
	__u64 expires_ns;
};

/* Kernel-relayed traffic of one edge (bytes: the datagram's frame
 * without Ethernet padding, as received). */
struct n2nk_relay_edge_stats {
	__u64 from_packets, from_bytes; /* it sent, we relayed */
	__u64 to_packets, to_bytes;	/* we relayed to it */
};

_Static_assert(sizeof(struct n2nk_relay_edge_stats) == 32,
	       "n2nk_relay_edge_stats is part of the BPF map ABI");
_Static_assert(sizeof(struct n2nk_relay_dest) == 16,
	       "n2nk_relay_dest is part of the BPF map ABI");
_Static_assert(__builtin_offsetof(struct n2nk_relay_dest, expires_ns) == 8,
	       "n2nk_relay_dest.expires_ns moved");
_Static_assert(sizeof(struct n2nk_relay_edge) == 28,
	       "n2nk_relay_edge is part of the BPF map ABI");
_Static_assert(__builtin_offsetof(struct n2nk_relay_edge, community) == 0,
	       "n2nk_relay_edge.community moved");
_Static_assert(__builtin_offsetof(struct n2nk_relay_edge, mac) == 20,
	       "n2nk_relay_edge.mac moved");
_Static_assert(__builtin_offsetof(struct n2nk_relay_edge, pad) == 26,
	       "n2nk_relay_edge.pad moved");
_Static_assert(sizeof(struct n2nk_relay_sock4) == 8,
	       "n2nk_relay_sock4 is part of the BPF map ABI");
_Static_assert(__builtin_offsetof(struct n2nk_relay_sock4, addr) == 0,
	       "n2nk_relay_sock4.addr moved");
_Static_assert(__builtin_offsetof(struct n2nk_relay_sock4, port) == 4,
	       "n2nk_relay_sock4.port moved");
_Static_assert(__builtin_offsetof(struct n2nk_relay_sock4, pad) == 6,
	       "n2nk_relay_sock4.pad moved");

/* What the relay made of a frame: 0 relayed, else why not. */
enum n2nk_relay_reason {
	N2NK_RELAY_RELAYED = 0,		   /* XDP_TX */
	N2NK_RELAY_NOT_CANDIDATE = -1,	   /* not plaintext n2n over IPv4 */
	N2NK_RELAY_IP_OPTIONS = -2,	   /* IPv4 options: not handled */
	N2NK_RELAY_IP_FRAGMENT = -3,	   /* any fragment, first included */
	N2NK_RELAY_BAD_LENGTH = -4,	   /* IP/UDP lengths or PACKET cut */
	N2NK_RELAY_NOT_PACKET = -5,	   /* registration, queries, ... */
	N2NK_RELAY_FROM_SUPERNODE = -6,	   /* federation: userspace */
	N2NK_RELAY_HAS_SOCKET = -7,	   /* SOCKET flag from an edge */
	N2NK_RELAY_MULTICAST_DEST = -8,	   /* fan-out: userspace */
	N2NK_RELAY_TTL_EXPIRED = -9,	   /* XDP_DROP */
	N2NK_RELAY_UNKNOWN_SENDER = -10,   /* no edge at that socket */
	N2NK_RELAY_SPOOFED_SOURCE = -11,   /* srcMac not its own: userspace */
	N2NK_RELAY_UNKNOWN_DEST = -12,	   /* maybe known via federation */
	N2NK_RELAY_NO_HEADROOM = -13,	   /* bpf_xdp_adjust_head failed */
	N2NK_RELAY_HEADER_ENCRYPTED = -14, /* -H community: userspace */
	N2NK_RELAY_NO_ROUTE = -15,	   /* FIB: no route to the edge */
	N2NK_RELAY_NO_NEIGHBOUR = -16,	   /* FIB: next hop's MAC unknown */
	N2NK_RELAY_FRAG_NEEDED = -17,	   /* FIB: beyond the route's MTU */
	N2NK_RELAY_FORWARDING_OFF = -18,   /* FIB: forwarding disabled */
	N2NK_RELAY_EXPIRED_DEST = -19,	   /* registration not renewed */
	N2NK_RELAY_NOT_LOCAL = -20,	   /* our port, not our address */
	N2NK_RELAY_OTHER_INTERFACE = -21,  /* FIB: leaves by another one */
	N2NK_RELAY_REASON_LAST = N2NK_RELAY_OTHER_INTERFACE,
};

/* Number of slots in relay_stats: 0 .. -N2NK_RELAY_REASON_LAST. */
#define N2NK_RELAY_REASON_SLOTS (1 - N2NK_RELAY_REASON_LAST)

_Static_assert(N2NK_RELAY_REASON_SLOTS == 22,
	       "a new reason changes the relay_stats size: update readers");

/* The relay_stats key of a reason (0 or negative). */
static inline __u32 n2nk_relay_reason_slot(int reason)
{
	return (__u32)-reason;
}

/*
 * Whether the program drops frames for this reason: an expired TTL only.
 * A registered socket sending as another MAC goes to the daemon, which
 * knows what the program cannot (-M turns the check off; two MACs may be
 * registered at one socket, `senders` holds the last) and drops it there.
 */
static inline int n2nk_relay_reason_drops(int reason)
{
	return reason == N2NK_RELAY_TTL_EXPIRED;
}

/*
 * Whether a frame the program does not relay is an n2n datagram to the
 * supernode's port, which the daemon reads: through the AF_XDP socket of
 * the queue it arrived on when one is in `xsks`, else from its UDP socket.
 * The other passed frames (not for the port, IP options, fragments, bad
 * lengths) go to the kernel stack, which reassembles or drops them.
 */
static inline int n2nk_relay_reason_to_daemon(int reason)
{
	switch ((enum n2nk_relay_reason)reason) {
	case N2NK_RELAY_NOT_PACKET:
	case N2NK_RELAY_FROM_SUPERNODE:
	case N2NK_RELAY_HAS_SOCKET:
	case N2NK_RELAY_MULTICAST_DEST:
	case N2NK_RELAY_UNKNOWN_SENDER:
	case N2NK_RELAY_UNKNOWN_DEST:
	case N2NK_RELAY_NO_HEADROOM:
	case N2NK_RELAY_HEADER_ENCRYPTED:
	case N2NK_RELAY_NO_ROUTE:
	case N2NK_RELAY_NO_NEIGHBOUR:
	case N2NK_RELAY_FRAG_NEEDED:
	case N2NK_RELAY_FORWARDING_OFF:
	case N2NK_RELAY_EXPIRED_DEST:
	case N2NK_RELAY_SPOOFED_SOURCE:
	case N2NK_RELAY_OTHER_INTERFACE:
		return 1;
	default:
		return 0;
	}
}

/* A short, stable name for a reason, for n2nctl and test output. */
static inline const char *n2nk_relay_reason_name(int reason)
{
	switch ((enum n2nk_relay_reason)reason) {
	case N2NK_RELAY_RELAYED:
		return "relayed";
	case N2NK_RELAY_NOT_CANDIDATE:
		return "not_candidate";
	case N2NK_RELAY_IP_OPTIONS:
		return "ip_options";
	case N2NK_RELAY_IP_FRAGMENT:
		return "ip_fragment";
	case N2NK_RELAY_BAD_LENGTH:
		return "bad_length";
	case N2NK_RELAY_NOT_PACKET:
		return "not_packet";
	case N2NK_RELAY_FROM_SUPERNODE:
		return "from_supernode";
	case N2NK_RELAY_HAS_SOCKET:
		return "has_socket";
	case N2NK_RELAY_MULTICAST_DEST:
		return "multicast_dest";
	case N2NK_RELAY_TTL_EXPIRED:
		return "ttl_expired";
	case N2NK_RELAY_UNKNOWN_SENDER:
		return "unknown_sender";
	case N2NK_RELAY_SPOOFED_SOURCE:
		return "spoofed_source";
	case N2NK_RELAY_UNKNOWN_DEST:
		return "unknown_dest";
	case N2NK_RELAY_NO_HEADROOM:
		return "no_headroom";
	case N2NK_RELAY_HEADER_ENCRYPTED:
		return "header_encrypted";
	case N2NK_RELAY_NO_ROUTE:
		return "no_route";
	case N2NK_RELAY_NO_NEIGHBOUR:
		return "no_neighbour";
	case N2NK_RELAY_FRAG_NEEDED:
		return "frag_needed";
	case N2NK_RELAY_FORWARDING_OFF:
		return "forwarding_off";
	case N2NK_RELAY_EXPIRED_DEST:
		return "expired_dest";
	case N2NK_RELAY_NOT_LOCAL:
		return "not_local";
	case N2NK_RELAY_OTHER_INTERFACE:
		return "other_interface";
	}
	return "unknown";
}

#endif /* N2NK_RELAY_H */
