/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Contract between the XDP supernode relay (bpf/xdp_relay.bpf.c) and the
 * userspace supernode that fills its maps and reads its counters. Both sides
 * include this file (clang -target bpf and gcc), so it has no #ifdef, only
 * fixed-width types and explicit padding; padding bytes must be zero, since
 * hash maps compare keys byte for byte.
 *
 * The program relays n2n PACKETs between edges registered with this
 * supernode over IPv4 or IPv6, byte for byte as n2n 3.1.1 (and daemon/supernode/sn_handlers.c
 * relay()) does, plaintext ones and those of header-encrypted (-H)
 * communities whose keys the daemon gave it (he_keys), and passes everything else on unchanged, to the userspace
 * supernode or to the kernel's stack as the relay column of
 * include/n2nk_reasons.h says (or drops it: TTL 0). Its maps:
 *
 *   edges         BPF_MAP_TYPE_HASH, N2NK_RELAY_MAX_EDGES entries.
 *                 key: struct n2nk_relay_edge (community, MAC)
 *                 value: struct n2nk_relay_dest, where that edge is and
 *                 until when its registration holds: past expires_ns the
 *                 program hands PACKETs to it to the daemon, so entries a
 *                 stopped daemon left behind stop relaying by themselves.
 *   senders       BPF_MAP_TYPE_HASH, N2NK_RELAY_MAX_EDGES entries.
 *                 key: struct n2nk_relay_sock4, a registered source socket
 *                 value: struct n2nk_relay_sender, the edge registered at
 *                 that socket and its edge_stats slot.
 *                 This is the O(1) "find the sender by its source socket":
 *                 a PACKET is relayed only if its srcMac is the MAC
 *                 registered for its IP source address and UDP source port,
 *                 in the PACKET's community.
 *   edges6, senders6
 *                 the same two over IPv6: key/value struct
 *                 n2nk_relay_dest6 and struct n2nk_relay_sock6 (20 bytes,
 *                 IPv6 address and port). An edge is in edges or in
 *                 edges6, as the family of the socket it registered from
 *                 (a v4-mapped ::ffff:a.b.c.d is IPv4); the daemon moves
 *                 it, and its senders entry, when that changes. Pinned.
 *   xsks          BPF_MAP_TYPE_XSKMAP, N2NK_RELAY_XSK_KEYS entries.
 *                 key: __u32 slot * N2NK_RELAY_MAX_QUEUES + receive queue
 *                 index, slot being the ingress interface's in xsk_slots;
 *                 value: an AF_XDP socket fd the daemon bound to that
 *                 interface and queue (a socket takes frames of its own
 *                 interface and queue only: keyed by queue alone, a frame
 *                 of another interface's queue 0 would be dropped). Frames
 *                 for the daemon (verdict DAEMON in n2nk_reasons.h) are
 *                 redirected there; an interface without a slot, a queue
 *                 at or above N2NK_RELAY_MAX_QUEUES or one without a
 *                 socket falls back to XDP_PASS.
 *   xsk_slots     BPF_MAP_TYPE_HASH, N2NK_RELAY_MAX_IFS entries.
 *                 key: __u32 ifindex of an interface the program is
 *                 attached to; value: __u32 its slot, < N2NK_RELAY_MAX_IFS
 *                 (the loader's index of it, the order the daemon's
 *                 AF_XDP code binds them in).
 *   egress_ifs    BPF_MAP_TYPE_DEVMAP_HASH, N2NK_RELAY_MAX_IFS entries.
 *                 key: __u32 ifindex; value: __u32 the same ifindex. The
 *                 attached interfaces a relayed frame may leave by when
 *                 it came in on another: the program checks the next
 *                 hop's interface is here before it rewrites anything,
 *                 then bpf_redirect_map()s the frame to it (below).
 *   egress_stats  BPF_MAP_TYPE_PERCPU_ARRAY, N2NK_RELAY_EGRESS_SLOTS.
 *                 key: __u32 enum n2nk_relay_egress; value: struct
 *                 n2nk_xdp_counter per possible CPU: how the relayed
 *                 frames (relay_stats slot 0) left, XDP_TX or redirect,
 *                 bytes as sent (8 more than relay_stats counts). Pinned
 *                 like relay_stats. egress_ifs and xsk_slots are not: the
 *                 next daemon fills its own.
 *   edge_stats    BPF_MAP_TYPE_PERCPU_ARRAY, N2NK_RELAY_STATS_SLOTS.
 *                 key: __u32 an edge's slot, as its edges/edges6 and
 *                 senders/senders6 values carry it (the sender's comes
 *                 with the sender lookup, the destination's with the
 *                 destination lookup: no lookup by name per packet);
 *                 value: struct n2nk_relay_edge_stats, one per possible
 *                 CPU: PACKETs relayed in the kernel from and to that
 *                 edge. The daemon gives each mirrored edge a free slot
 *                 (1..N2NK_RELAY_MAX_EDGES; slot 0 is none), zeroes its
 *                 counters when it does, keeps it while the edge stays
 *                 (moving between families too) and reuses a freed one
 *                 only after XRL_SLOT_QUARANTINE_NS (a program that
 *                 looked the edge up just before may still count into
 *                 it). A restarted daemon takes the slots of the pinned
 *                 edges/edges6 entries as in use.
 *   local_addrs   BPF_MAP_TYPE_HASH, N2NK_RELAY_MAX_LOCAL_ADDRS entries.
 *                 key: __be32 an IPv4 address the supernode listens on;
 *                 value: __u8, 1. Datagrams to the port but another
 *                 address (a forwarding host's transit traffic) are not
 *                 ours: passed to the stack to be routed (not_local).
 *   local_addrs6  the same for IPv6: key struct n2nk_relay_addr6. The
 *                 daemon bound to any puts there the IPv6 addresses of
 *                 the interfaces the program runs on.
 *   he_keys       BPF_MAP_TYPE_HASH, N2NK_RELAY_MAX_HE_COMMUNITIES entries.
 *                 key: struct n2nk_relay_community, a community name
 *                 value: struct n2nk_he (include/n2nk_he.h): the community
 *                 uses header encryption, with these (static) keys and
 *                 the kernel's UTC - TAI offset (rewritten only when
 *                 that changes: the program's clock is CLOCK_TAI). Communities with users and passwords (dynamic
 *                 keys, a trailer) are not here: the daemon relays them.
 *                 Plaintext PACKETs in a community listed here are
 *                 dropped (plaintext_on_encrypted_community). Pinned, so
 *                 -H relaying goes on across a restart; the next daemon
 *                 rewrites or deletes a community's entry when the
 *                 first edge of it registers.
 *   he_stamps     BPF_MAP_TYPE_LRU_HASH, N2NK_RELAY_MAX_EDGES entries.
 *                 key: struct n2nk_relay_edge, the sending edge
 *                 value: __u64, the newest header time stamp relayed from
 *                 it (n2n's replay record; the daemon seeds it from its
 *                 own when it mirrors the edge, the program moves it on).
 *   relay_hops    BPF_MAP_TYPE_HASH, N2NK_RELAY_MAX_EDGES entries.
 *                 key: __be32, a registered edge's IPv4 address
 *                 value: struct n2nk_relay_hop, the next hop towards it
 *                 (the edge itself on our segment, else the gateway of
 *                 its route): the Ethernet addresses a relayed frame gets,
 *                 the interface it leaves by and the route's source
 *                 address (RTA_PREFSRC). The daemon fills it
 *                 from the kernel's route and neighbour tables (rtnetlink)
 *                 when an edge registers or moves and again every 20 s
 *                 (1 s while unresolved); an address without a resolved
 *                 neighbour has no entry, nor one the last edge at it
 *                 left. Not preallocated (BPF_F_NO_PREALLOC): a
 *                 refreshed value is freed after RCU, not reused at once. Read only under next_hop == N2NK_RELAY_HOP_MAP
 *                 (IPv4 forwarding off, so no bpf_fib_lookup()); past
 *                 expires_ns an entry counts as missing. Pinned.
 *   relay_hops6   the same for IPv6 edges: key struct n2nk_relay_addr6,
 *                 read under next_hop6 == N2NK_RELAY_HOP_MAP. Pinned.
 *   relay_stats   BPF_MAP_TYPE_PERCPU_ARRAY, N2NK_REASON_SLOTS slots.
 *                 key: __u32 slot = -(enum n2nk_reason), the reasons of
 *                 include/n2nk_reasons.h (its relay column)
 *                 value: struct n2nk_xdp_counter (n2nk_xdp_stats.h), one
 *                 per possible CPU; bytes are the frame length as received.
 *
 * Every frame is counted exactly once in relay_stats. Slot 0 (N2NK_OK)
 * counts the relayed PACKETs (XDP_TX or redirect, told apart in
 * egress_stats); the relay column of
 * n2nk_reasons.h says what happens to the others: DROP is XDP_DROP,
 * DAEMON goes to the userspace supernode over AF_XDP (or its UDP socket
 * where the queue has no AF_XDP socket, see xsks), STACK is XDP_PASS, as
 * if no program were attached.
 *
 * A relayed PACKET gets TTL - 1, flags |= SOCKET | FROM_SUPERNODE and the
 * sender's 8-byte IPv4 n2n socket after dstMac (the n2n header grows from 38
 * to 46 bytes, the payload follows unchanged); it leaves from the
 * supernode's address and port to the destination edge's socket, IP TTL
 * 64 as a datagram the supernode sends (the sender's IP ID and DF bit are
 * kept), Ethernet padding after the datagram kept (the UDP checksum:
 * below). Its next hop comes from the kernel's FIB and
 * neighbour tables (bpf_fib_lookup()). When the route leaves by the
 * interface the frame came in on, it leaves with XDP_TX; by another one
 * in egress_ifs, with bpf_redirect_map(egress_ifs), its Ethernet source
 * that interface's MAC (the FIB's smac, relay_hops' smac) and its IP
 * source the route's preferred source address when the supernode listens
 * on it (local_addrs: bound to any; a second FIB lookup with
 * BPF_FIB_LOOKUP_SRC, Linux 6.8+, or relay_hops' src), as the daemon's
 * socket would send it, else the address it came to. When the FIB has no answer yet
 * (no route, no neighbour entry, too big for the route's MTU, forwarding
 * disabled on the interface) or the route leaves by an interface not in
 * egress_ifs (not ours, or ours but unable to transmit XDP frames: a
 * redirect there would lose the rewritten frame), the frame goes to the
 * daemon unchanged, which relays it through its socket; the kernel then
 * resolves the neighbour, and the next frames stay in XDP. With IPv4
 * forwarding off the FIB does not answer: the next hop then comes from
 * relay_hops, the daemon's copy of the same tables, with the same
 * outcomes (no entry yet: no_neighbour; an interface not in egress_ifs:
 * other_interface; longer than the route's MTU: frag_needed), and
 * bpf_check_mtu() on the interface it leaves by guards the 8 bytes added.
 *
 * Which interfaces go in egress_ifs (the loader decides when it attaches,
 * and only with two or more attached): from a program attached in
 * generic (SKB) mode the kernel sends a redirected frame through the
 * stack (dev_queue_xmit()), which any device takes; from a native one it
 * calls the target's ndo_xdp_xmit, which only works where the device has
 * XDP transmit set up and says so in its xdp_features (ndo-xmit, netdev
 * generic netlink, Linux 6.3+). So when every attachment is generic all
 * attached interfaces qualify, else only those announcing ndo-xmit. A veth
 * announces it while its peer runs an XDP program or has GRO on (6.18
 * veth_set_xdp_features(); redirected frames reached a peer with GRO
 * alone in our runs, but native XDP_TX into such a peer stalls, see
 * docs/benchmarks.md, so tests put an XDP program there); many NICs only while they run an XDP program
 * themselves, which they do here (native). The daemon asks again every
 * 30 s (with its sweep of expired edges): a device that lost ndo-xmit
 * since (its peer's program removed) loses the frames redirected to it
 * until then, and then leaves egress_ifs.
 *
 * A failed redirect is not seen by the program (bpf_redirect_map() only
 * records the target): the ingress driver counts it (veth: ethtool -S
 * rx_queue_N_xdp_drops), the target's failed transmits show in its
 * ethtool -S (veth: tx_queue_N_xdp_xmit_errors) and every one in the
 * tracepoints xdp:xdp_redirect_err and xdp:xdp_devmap_xmit (perf stat -e
 * 'xdp:xdp_redirect_err,xdp:xdp_devmap_xmit' -a). A target gone from
 * egress_ifs between the check and the redirect aborts the frame
 * (XDP_ABORTED, egress_stats N2NK_RELAY_EGRESS_ABORTED, tracepoint
 * xdp:xdp_exception).
 *
 * UDP checksum: updated from the one the datagram came with for every
 * word the relay changed (addresses, ports, length, TTL, flags, the
 * inserted socket; under -H the whole old and new n2n header), as RFC
 * 1624 does it and a NAT would: the payload is never read, a datagram
 * that arrived intact leaves with a right checksum and one corrupted on
 * the way leaves as detectably corrupt (the destination's stack drops
 * it), so the check stays end to end. An IPv4 datagram that came with 0
 * ("no checksum", RFC 768: its sender chose to have none) leaves with 0:
 * the relay has nothing to vouch for, and computing one over an unchecked
 * payload would certify whatever corruption it picked up. A checksum
 * field holding only the pseudo-header sum (a sender on this host that
 * left the rest to an offload, CHECKSUM_PARTIAL over veth; frames from a
 * wire never look like that) cannot be finished without summing the
 * payload: such a frame goes to the daemon (checksum_partial), whose
 * socket sends a finished one. The namespace tests turn that offload off
 * on their hosts, as a NIC on a wire would have done the sum
 * (tests/netns/lab.sh). Frames the relay hands to the daemon over AF_XDP
 * skip the kernel's UDP input: daemon/kernel/xsk.c checks the checksum
 * where the stack would (udp_checksum; a field holding the pseudo-header
 * sum alone passes only where partial_csum is on: the stack tells that
 * case from the skb, the frame check only by where it runs).
 *
 * A header-encrypted PACKET is relayed the same way when its sender's
 * socket (senders or senders6) is registered in a community of he_keys
 * and that community's key opens it as a PACKET header (H = 38) whose checksum and time stamp
 * (against he_stamps, n2n's window and jitter) hold. The relayed packet
 * is the plaintext one above, sealed again as n2n does: a fresh stamp from
 * the supernode's clock, new random bits, the checksum over the new
 * packet. Whatever goes to the daemon leaves the program as it came.
 *
 * Userspace keeps the two maps in step with its registrations (an edge
 * that moves to a new socket loses its old senders entry) and learns
 * nothing from relayed PACKETs: what the kernel relayed is counted per
 * edge in edge_stats and per reason in relay_stats.
 *
 * Only IPv4 without options or fragmentation is relayed, and IPv6
 * without extension headers (anything else after the IPv6 header,
 * a fragment header too, is not_udp: the stack's). An IPv6 PACKET is
 * relayed as the IPv4 one is, between edges registered over IPv6
 * (senders6, edges6): the sender's 20-byte IPv6 n2n socket (family word
 * 0x8000, port, address) after dstMac, the n2n header 58 bytes; a new
 * datagram from the address it came to, hop limit 64 (a datagram the
 * supernode sends), the traffic class kept, no flow label (a new flow);
 * the UDP checksum updated as above (IPv6 requires one: a datagram
 * without is udp_checksum, left to the stack, which drops it). Its next
 * hop comes from bpf_fib_lookup(AF_INET6) when IPv6 forwarding is on on
 * the interface (next_hop6), else from relay_hops6. Sender and
 * destination registered over different families (other_family): the
 * daemon relays it through its socket. A frame of an IPv6 PACKET for
 * the daemon (DAEMON verdicts) goes up the stack (XDP_PASS), not over
 * AF_XDP, whose frame check is IPv4 only: the daemon's IPv6 socket gets
 * it with the stack's checks done. -H PACKETs over IPv6 are opened,
 * checked and sealed again as over IPv4 (H = 58 with the IPv6 socket).
 *
 * Load-time knobs (skeleton rodata, set before load): sn_port, the UDP port
 * (host order) the supernode listens on, default N2N_SN_PORT_DEFAULT;
 * next_hop and next_hop6, enum n2nk_relay_next_hop below, for IPv4 and
 * IPv6 (each by its family's forwarding), default N2NK_RELAY_HOP_FIB;
 * partial_csum, 1 (default): frames with a partial UDP checksum go to
 * the daemon (checksum_partial); the loader sets 0 when every interface
 * is hardware (/sys/class/net/IF/device), where none arrive, so a real
 * checksum that looks partial (1 in 65535) is not sent up for nothing.
 *
 * Pinned maps of an older build whose layout differs (the reason table
 * grew, a map is new) are replaced when the next daemon loads
 * (bpf_pin.c: keep_pinned(), logged); maps new to a build are created
 * and pinned beside the kept ones.
 *
 */
#ifndef N2NK_RELAY_H
#define N2NK_RELAY_H

#include <linux/types.h>

#include "n2n_wire_defs.h"
#include "n2nk_he.h"
#include "n2nk_reasons.h"
#include "n2nk_xdp_stats.h"

#define N2NK_RELAY_MAX_EDGES	      65536
/* edge_stats' slots: 0 counts nothing anyone reads (an entry without
 * a slot), 1..N2NK_RELAY_MAX_EDGES one mirrored edge's each. */
#define N2NK_RELAY_STATS_SLOTS	      (N2NK_RELAY_MAX_EDGES + 1)
#define N2NK_RELAY_MAX_QUEUES	      64
#define N2NK_RELAY_MAX_LOCAL_ADDRS    64
#define N2NK_RELAY_MAX_HE_COMMUNITIES 1024
/* Interfaces the relay attaches to: egress_ifs' and xsk_slots' size. */
#define N2NK_RELAY_MAX_IFS	      16
/* xsks' keys: an interface's slot (xsk_slots) times this, plus its RX
 * queue index. */
#define N2NK_RELAY_XSK_KEYS	      (N2NK_RELAY_MAX_IFS * N2NK_RELAY_MAX_QUEUES)

/* How the relayed frames (relay_stats slot 0) left: egress_stats' slots. */
enum n2nk_relay_egress {
	N2NK_RELAY_EGRESS_TX = 0, /* XDP_TX: by the interface it came in */
	N2NK_RELAY_EGRESS_REDIRECT = 1, /* bpf_redirect_map() to egress_ifs */
	/* The interface left egress_ifs between the check and the redirect:
	 * XDP_ABORTED, the frame is lost (tracepoint xdp:xdp_exception). */
	N2NK_RELAY_EGRESS_ABORTED = 2,
	N2NK_RELAY_EGRESS_SLOTS = 3,
};

/* Where the next hop of a relayed frame comes from (rodata next_hop). */
enum n2nk_relay_next_hop {
	N2NK_RELAY_HOP_FIB = 0, /* bpf_fib_lookup(): IPv4 forwarding on */
	N2NK_RELAY_HOP_MAP = 1, /* relay_hops, resolved by the daemon */
	/* The sender's next hop, Ethernet addresses swapped: for
	 * BPF_PROG_TEST_RUN tests, whose frames never leave. */
	N2NK_RELAY_HOP_BACK = 2,
};

/* The next hop towards an edge's address: relay_hops' value. src is
 * used only when ifindex is not the interface the frame came in on. */
struct n2nk_relay_hop {
	__u8 dmac[N2N_MAC_SIZE]; /* the edge's, or its route's gateway's */
	__u8 smac[N2N_MAC_SIZE]; /* the interface's own */
	__u32 ifindex;		 /* the interface the route leaves by */
	__u32 mtu;		 /* the route's MTU, 0: the interface's */
	__be32 src;		 /* the route's source address, 0: none */
	__u64 expires_ns;	 /* CLOCK_MONOTONIC; refreshed before */
};

/* A community's name, NUL-padded: he_keys' key. */
struct n2nk_relay_community {
	__u8 name[N2N_COMMUNITY_SIZE];
};

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

/* An IPv6 address in network order: local_addrs6' and relay_hops6' key. */
struct n2nk_relay_addr6 {
	__u8 a[16];
};

/* An IPv6 UDP socket, both fields in network byte order. */
struct n2nk_relay_sock6 {
	__u8 addr[16];
	__be16 port;
	__u8 pad[2]; /* zero */
};

/* Where a registered edge is, and until when (CLOCK_MONOTONIC ns, as
 * bpf_ktime_get_coarse_ns() reads it) the daemon vouches for it. */
struct n2nk_relay_dest {
	struct n2nk_relay_sock4 sock;
	__u32 slot;  /* its counters: edge_stats' index, 0 none */
	__u8 pad[4]; /* zero */
	__u64 expires_ns;
};

/* The same for an edge registered at an IPv6 socket (edges6). slot took
 * the place of 4 zero bytes: an older build's entry reads as slot 0. */
struct n2nk_relay_dest6 {
	struct n2nk_relay_sock6 sock;
	__u32 slot;
	__u64 expires_ns;
};

/* senders' and senders6' value: the edge registered at a socket and the
 * slot of its counters (as its edges or edges6 entry has it). */
struct n2nk_relay_sender {
	struct n2nk_relay_edge edge;
	__u32 slot;
};

/* Kernel-relayed traffic of one edge (bytes: the datagram's frame
 * without Ethernet padding, as received). */
struct n2nk_relay_edge_stats {
	__u64 from_packets, from_bytes; /* it sent, we relayed */
	__u64 to_packets, to_bytes;	/* we relayed to it */
};

_Static_assert(sizeof(struct n2nk_relay_hop) == 32,
	       "n2nk_relay_hop is part of the BPF map ABI");
_Static_assert(__builtin_offsetof(struct n2nk_relay_hop, smac) == 6,
	       "n2nk_relay_hop.smac moved");
_Static_assert(__builtin_offsetof(struct n2nk_relay_hop, ifindex) == 12,
	       "n2nk_relay_hop.ifindex moved");
_Static_assert(__builtin_offsetof(struct n2nk_relay_hop, mtu) == 16,
	       "n2nk_relay_hop.mtu moved");
_Static_assert(__builtin_offsetof(struct n2nk_relay_hop, src) == 20,
	       "n2nk_relay_hop.src moved");
_Static_assert(__builtin_offsetof(struct n2nk_relay_hop, expires_ns) == 24,
	       "n2nk_relay_hop.expires_ns moved");
_Static_assert(sizeof(struct n2nk_relay_community) == 20,
	       "n2nk_relay_community is part of the BPF map ABI");
_Static_assert(sizeof(struct n2nk_relay_edge_stats) == 32,
	       "n2nk_relay_edge_stats is part of the BPF map ABI");
_Static_assert(sizeof(struct n2nk_relay_dest) == 24,
	       "n2nk_relay_dest is part of the BPF map ABI");
_Static_assert(__builtin_offsetof(struct n2nk_relay_dest, slot) == 8,
	       "n2nk_relay_dest.slot moved");
_Static_assert(__builtin_offsetof(struct n2nk_relay_dest, expires_ns) == 16,
	       "n2nk_relay_dest.expires_ns moved");
_Static_assert(sizeof(struct n2nk_relay_sender) == 32,
	       "n2nk_relay_sender is part of the BPF map ABI");
_Static_assert(__builtin_offsetof(struct n2nk_relay_sender, slot) == 28,
	       "n2nk_relay_sender.slot moved");
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

_Static_assert(sizeof(struct n2nk_relay_addr6) == 16,
	       "n2nk_relay_addr6 is part of the BPF map ABI");
_Static_assert(sizeof(struct n2nk_relay_sock6) == 20,
	       "n2nk_relay_sock6 is part of the BPF map ABI");
_Static_assert(__builtin_offsetof(struct n2nk_relay_sock6, port) == 16,
	       "n2nk_relay_sock6.port moved");
_Static_assert(__builtin_offsetof(struct n2nk_relay_sock6, pad) == 18,
	       "n2nk_relay_sock6.pad moved");
_Static_assert(sizeof(struct n2nk_relay_dest6) == 32,
	       "n2nk_relay_dest6 is part of the BPF map ABI");
_Static_assert(__builtin_offsetof(struct n2nk_relay_dest6, slot) == 20,
	       "n2nk_relay_dest6.slot moved");
_Static_assert(__builtin_offsetof(struct n2nk_relay_dest6, expires_ns) == 24,
	       "n2nk_relay_dest6.expires_ns moved");

#endif /* N2NK_RELAY_H */
