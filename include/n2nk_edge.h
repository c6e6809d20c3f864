/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Contract between the edge's kernel data path (bpf/edge_*.bpf.c) and the
 * userspace edge that fills its maps and reads its counters. Both sides
 * include this file (clang -target bpf and gcc): fixed-width types,
 * explicit padding (zero: hash keys compare byte for byte), no #ifdef.
 *
 * The daemon owns the truth: it decides which peers are established and
 * how to reach them, and writes that here; the programs only move frames
 * of those peers and hand everything else on, unchanged, to the daemon
 * (the TAP fd for frames, the UDP socket for datagrams).
 *
 *   edge_conf     BPF_MAP_TYPE_ARRAY, 1 entry: struct n2nk_edge_conf, the
 *                 community, our MAC, address and port, the supernode, the
 *                 transform and its key. Written by the daemon before it
 *                 fills `peers`, rewritten on failover or a new address.
 *   peers         BPF_MAP_TYPE_HASH, N2NK_EDGE_MAX_PEERS entries.
 *                 key: struct n2nk_edge_peer_key (MAC)
 *                 value: struct n2nk_edge_peer: the path (P2P: the peer's
 *                 socket and the interface towards it; RELAY: through the
 *                 supernode in edge_conf) and the time the RX program
 *                 last heard from it directly, which the daemon reads for
 *                 P2P liveness.
 *   peer_stats    BPF_MAP_TYPE_PERCPU_HASH, N2NK_EDGE_MAX_PEERS entries.
 *                 key: struct n2nk_edge_peer_key; value: struct
 *                 n2nk_edge_peer_stats per possible CPU. The daemon creates
 *                 (zeroed) and deletes entries with `peers`; the programs
 *                 count into existing ones only.
 *   tap_stats, tx_stats, rx_stats
 *                 BPF_MAP_TYPE_PERCPU_ARRAY, N2NK_REASON_SLOTS slots each:
 *                 struct n2nk_xdp_counter per reason (include/
 *                 n2nk_reasons.h, the tap, tx and rx columns); slot 0
 *                 counts the frames the kernel carried itself.
 *   iv_seq        BPF_MAP_TYPE_PERCPU_ARRAY, 1 slot: __u64 per CPU, the
 *                 sequence number in the IVs this CPU writes; the daemon
 *                 seeds each CPU's with a random value at load.
 *   edge_lease    BPF_MAP_TYPE_ARRAY, 1 entry: __u64, CLOCK_MONOTONIC ns
 *                 until which the programs carry frames; the running
 *                 daemon pushes it forward (--kernel-hold) each second,
 *                 so the kernel path outlives a daemon only that long.
 *                 0: no limit. After it, every frame goes to the daemon.
 *   daemon_state  BPF_MAP_TYPE_ARRAY, 1 entry: struct
 *                 n2nk_edge_daemon_state (below); no program reads it.
 *
 * A PACKET the kernel sends is the one daemon/edge/edge_tx.c would send
 * for the same frame and IV: common header (version 3, TTL 2, PACKET, our
 * community), srcMac (ours), dstMac (the frame's), compression none, the
 * transform id, then the transform's output, in IPv4/UDP from our address
 * and port, UDP checksum 0, DF clear, the IP ID the low 16 bits of a
 * per-CPU sequence. Its IV (ChaCha20, Speck) is LE32(random, bit 31
 * clear) || LE64(that sequence) || LE32(CPU): unique per frame, so no two
 * frames of one key share keystream. Checksum 0 means a datagram
 * reassembled from fragments of two (IDs reused after 65536 datagrams of
 * a CPU) reaches the TAP undetected but for the inner frame's own TCP or
 * UDP checksum, as with any n2n transform that does not authenticate.
 */
#ifndef N2NK_EDGE_CONTRACT_H
#define N2NK_EDGE_CONTRACT_H

#include <linux/types.h>

#include "n2n_wire_defs.h"
#include "n2nk_he.h"
#include "n2nk_reasons.h"
#include "n2nk_xdp_stats.h"

#define N2NK_EDGE_MAX_PEERS 16384
/* The EtherType (IEEE local experimental 2) of n2nk's own edge-to-edge
 * control frames, carried in ordinary PACKETs so that any supernode relays
 * them: the RX program hands such a frame to the daemon (CONTROL_FRAME),
 * never to the TAP (daemon/edge/edge_bday.c). */
#define N2NK_ETH_P_CONTROL  0x88b6
#define N2NK_SPECK_ROUNDS   34 /* Speck128/256 */
#define N2NK_EDGE_KEY_SIZE  32 /* ChaCha20 key */

/* How frames to a peer go. */
enum n2nk_edge_path {
	N2NK_PATH_NONE = 0,  /* not established: the daemon handles it */
	N2NK_PATH_P2P = 1,   /* straight to the peer's socket */
	N2NK_PATH_RELAY = 2, /* through the supernode in edge_conf */
};

/* Speck128/256 round keys, as daemon/proto/speck.c expands them. */
struct n2nk_speck_key {
	__u64 rk[N2NK_SPECK_ROUNDS];
};

struct n2nk_edge_conf {
	struct n2nk_speck_key speck; /* -A5 */
	/* -A4: the ChaCha20 key. -A3: BLAKE2b-256 of the AES key, which no
	 * program reads (the kernel's AES contexts have the key): a daemon
	 * taking over compares it, as it compares the others' keys. */
	__u8 key[N2NK_EDGE_KEY_SIZE];
	__u8 community[N2N_COMMUNITY_SIZE]; /* NUL-padded */
	__u8 mac[N2N_MAC_SIZE];		    /* ours */
	__u8 transform;			    /* enum n2n_transform_id */
	__u8 allow_routing;		    /* -r: frames of other IPs */
	__be32 ip;			    /* our overlay IPv4 (-a), or 0 */
	__be32 local_addr;		    /* our underlay IPv4 source */
	__be32 sn_addr;			    /* the current supernode */
	__be16 sn_port;
	__be16 local_port;     /* our UDP port */
	__u32 underlay_mtu;    /* largest IP datagram to the supernode */
	__u32 tap_ifindex;     /* where received frames go */
	__u32 tap_mtu;	       /* the TAP's MTU: the largest GSO segment */
	__u32 seg_ifindex;     /* the segmenting veth end frames go into */
	__u32 sn_ifindex;      /* the interface towards the supernode */
	__u8 accept_multicast; /* -E: IP multicast frames too */
	__u8 tos;	       /* -T: outer IPv4 TOS byte; 0 without -T */
	/* --mss-clamp: the largest MSS a SYN crossing the overlay keeps,
	 * per IP version (bpf/lib/mss_clamp.h); 0: not clamped. */
	__u16 mss_ipv4, mss_ipv6;
	__u8 df;   /* -D: 1 sets DF on outer packets (else clear, as n2n) */
	__u8 pad2; /* zero */
};

struct n2nk_edge_peer_key {
	__u8 mac[N2N_MAC_SIZE];
	__u8 pad[2]; /* zero */
};

struct n2nk_edge_peer {
	__be32 addr; /* P2P: the peer's socket (network order) */
	__be16 port;
	__u8 path;     /* enum n2nk_edge_path */
	__u8 pad;      /* zero */
	__u32 ifindex; /* P2P: the interface the route to addr leaves by */
	__u32 mtu;     /* P2P: largest IP datagram on that route (its MTU) */
	/* CLOCK_MONOTONIC ns (bpf_ktime_get_ns) of the last PACKET the RX
	 * program took directly from addr:port; written by the program. */
	__u64 last_p2p_rx_ns;
};

/* What the kernel carried for one peer (bytes: the inner frame). */
struct n2nk_edge_peer_stats {
	__u64 tx_p2p, tx_relay, rx_p2p, rx_relay;
	__u64 tx_bytes, rx_bytes;
};

_Static_assert(sizeof(struct n2nk_speck_key) == 272,
	       "n2nk_speck_key is part of the BPF map ABI");
_Static_assert(sizeof(struct n2nk_edge_conf) == 376,
	       "n2nk_edge_conf is part of the BPF map ABI");
_Static_assert(__builtin_offsetof(struct n2nk_edge_conf, key) == 272,
	       "n2nk_edge_conf.key moved");
_Static_assert(__builtin_offsetof(struct n2nk_edge_conf, community) == 304,
	       "n2nk_edge_conf.community moved");
_Static_assert(__builtin_offsetof(struct n2nk_edge_conf, ip) == 332,
	       "n2nk_edge_conf.ip moved");
_Static_assert(__builtin_offsetof(struct n2nk_edge_conf, accept_multicast) ==
		       368,
	       "n2nk_edge_conf.accept_multicast moved");
_Static_assert(__builtin_offsetof(struct n2nk_edge_conf, tos) == 369,
	       "n2nk_edge_conf.tos moved");
_Static_assert(__builtin_offsetof(struct n2nk_edge_conf, mss_ipv4) == 370,
	       "n2nk_edge_conf.mss_ipv4 moved");
_Static_assert(__builtin_offsetof(struct n2nk_edge_conf, df) == 374,
	       "n2nk_edge_conf.df moved");
_Static_assert(sizeof(struct n2nk_edge_peer_key) == 8,
	       "n2nk_edge_peer_key is part of the BPF map ABI");
_Static_assert(sizeof(struct n2nk_edge_peer) == 24,
	       "n2nk_edge_peer is part of the BPF map ABI");
_Static_assert(__builtin_offsetof(struct n2nk_edge_peer, last_p2p_rx_ns) == 16,
	       "n2nk_edge_peer.last_p2p_rx_ns moved");
_Static_assert(sizeof(struct n2nk_edge_peer_stats) == 48,
	       "n2nk_edge_peer_stats is part of the BPF map ABI");

/*
 * What a daemon that leaves the kernel path running hands the next one
 * (daemon_state: ARRAY, 1 entry, pinned with the rest; no program reads
 * it): the registration's auth token, so the supernode takes the next
 * daemon's REGISTER_SUPER as the same edge's, and the UDP port the
 * programs match, which the next daemon must bind to take the peers over.
 */
struct n2nk_edge_daemon_state {
	__u8 auth_token[16];
	__u16 local_port;	  /* host order; 0 = none handed over */
	__u8 tap_made_persistent; /* by an edge, which may undo it */
	__u8 pad[13];		  /* zero */
};

_Static_assert(sizeof(struct n2nk_edge_daemon_state) == 32,
	       "n2nk_edge_daemon_state is part of the BPF map ABI");

/*
 * Header encryption (-H) in the kernel: the community's keys and the wall
 * clock for the time stamps, a struct n2nk_he (include/n2nk_he.h).
 * he_conf: ARRAY, 1 entry, written by the daemon before its programs run
 * and its clock each second (like the lease); not pinned: each load
 * writes its own. he_stamps: LRU_HASH, key struct n2nk_edge_peer_key (the
 * sender's MAC; all zero: our supernode, for relayed PACKETs), value
 * __u64, the last valid stamp from that sender (n2n's replay state, kept
 * by the RX program); pinned with the rest, so a restart keeps it.
 */

/*
 * -A3 in the kernel: what the daemon runs the syscall program aes_setup
 * with (BPF_PROG_RUN, this as its context) to have the kernel make the
 * AES contexts the programs encrypt with: the crypto API's names of the
 * algorithms (NUL-terminated) and the key in; each context's error
 * (0 or -errno) out.
 */
#define N2NK_AES_ALGO_SIZE 32

struct n2nk_aes_setup {
	char cbc_algo[N2NK_AES_ALGO_SIZE]; /* "cbc(aes)" */
	char ecb_algo[N2NK_AES_ALGO_SIZE]; /* "ecb(aes)" */
	__u8 key[N2NK_EDGE_KEY_SIZE];
	__u32 key_len;		/* 16, 24 or 32 */
	__s32 err_cbc, err_ecb; /* out */
	__u32 pad;		/* zero */
};

_Static_assert(sizeof(struct n2nk_aes_setup) == 112,
	       "n2nk_aes_setup is part of the BPF program ABI");

#endif /* N2NK_EDGE_CONTRACT_H */
