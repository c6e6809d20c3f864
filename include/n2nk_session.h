/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * -A6, our transform (not n2n's): per-peer sessions with
 * ChaCha20-Poly1305. The wire layout inside n2n PACKET frames, the replay
 * window, and the maps the edge's kernel path shares with the daemon.
 * Both sides include this file (clang -target bpf and gcc): fixed-width
 * types, explicit padding, no #ifdef. docs/security.md tells the design.
 *
 * A PACKET of an -A6 community has transform N2NK_TRANSFORM_A6 and
 * compression none (1: n2n refuses 0); its payload starts with a 4-byte
 * header, the type and 3 zero bytes:
 *
 *   DATA      type 4 | 0 0 0 | receiver index LE32 | counter LE64 |
 *             ChaCha20-Poly1305(session key, nonce 00000000 | LE64(counter),
 *             AD, Ethernet frame) | tag 16. No frame: a keepalive.
 *   GROUP     type 7 | 0 0 0 | sender epoch LE32 | counter LE64 |
 *             sealed frame | tag: frames to a group MAC, under the
 *             sender's group key (BLAKE2b of the community's PSK, the
 *             sender's MAC and epoch); the daemon's, never the kernel's.
 *   INIT      type 1 | 0 0 0 | Noise initiation (daemon/proto/noise.h)
 *   RESPONSE  type 2 | 0 0 0 | Noise response
 *   COOKIE    type 3 | 0 0 0 | cookie reply
 *   KEY_QUERY type 5 | 0 0 0 | a random nonce (16)
 *   KEY_REPLY type 6 | 0 0 0 | the answerer's public identity key (32) |
 *             BLAKE2b-128 keyed from the PSK over nonce, asker's MAC,
 *             answerer's MAC, key (16)
 *
 * AD (DATA and GROUP) = community[20] | srcMac | dstMac | compression |
 * transform | the 16-byte DATA/GROUP header: the fields a supernode
 * routes by and never rewrites, so direct and relayed copies of a frame
 * (38- and 46-byte PACKET headers) have the same AD. TTL, flags and the
 * inserted socket are not covered: relaying rewrites them.
 */
#ifndef N2NK_SESSION_H
#define N2NK_SESSION_H

#include <linux/bpf.h> /* struct bpf_spin_lock */
#include <linux/types.h>

#include "n2n_wire_defs.h"

#define N2NK_TRANSFORM_A6 64 /* n2n's first user transform id */

enum n2nk_a6_type {
	N2NK_A6_INIT = 1,
	N2NK_A6_RESPONSE = 2,
	N2NK_A6_COOKIE = 3,
	N2NK_A6_DATA = 4,
	N2NK_A6_KEY_QUERY = 5,
	N2NK_A6_KEY_REPLY = 6,
	N2NK_A6_GROUP = 7,
};

#define N2NK_A6_KEY_LEN	  32
#define N2NK_A6_TAG_LEN	  16
#define N2NK_A6_TYPE_LEN  4  /* type and 3 zero bytes */
#define N2NK_A6_DATA_HDR  16 /* type, zero, index or epoch, counter */
#define N2NK_A6_OVERHEAD  (N2NK_A6_DATA_HDR + N2NK_A6_TAG_LEN)
#define N2NK_A6_AD_PREFIX (N2N_COMMUNITY_SIZE + 2 * N2N_MAC_SIZE + 2)
#define N2NK_A6_AD_LEN	  (N2NK_A6_AD_PREFIX + N2NK_A6_DATA_HDR) /* 50 */

/* The DATA (and GROUP) header as it is on the wire. */
struct n2nk_a6_data_hdr {
	__u8 type;
	__u8 zero[3];
	__u32 index;   /* LE: receiver index (GROUP: the sender's epoch) */
	__u64 counter; /* LE */
} __attribute__((packed));

_Static_assert(sizeof(struct n2nk_a6_data_hdr) == N2NK_A6_DATA_HDR,
	       "n2nk_a6_data_hdr is part of the wire format");

/* WireGuard's limits (docs/security.md). */
#define N2NK_A6_REKEY_AFTER_MESSAGES  (1ULL << 60)
#define N2NK_A6_REJECT_AFTER_MESSAGES (~0ULL - 8192)
#define N2NK_A6_REKEY_AFTER_S	      120
#define N2NK_A6_REJECT_AFTER_S	      180

/*
 * The replay window (RFC 6479, as WireGuard's): a ring of 64-bit words,
 * one bit per counter; the word ahead of the highest is kept clear, so
 * the window is (WORDS - 1) * 64 = 4032 counters. n2nk_replay_stale() is
 * the lock-free pre-check before the tag is verified; n2nk_replay_accept()
 * runs after it, under the session's lock (BPF) or in the only thread
 * (the daemon), so a forgery never moves the window and two copies of a
 * frame cannot both pass.
 */
#define N2NK_REPLAY_WORDS  64
#define N2NK_REPLAY_WINDOW ((N2NK_REPLAY_WORDS - 1) * 64)

struct n2nk_replay {
	__u64 top; /* the highest counter accepted */
	__u64 bits[N2NK_REPLAY_WORDS];
};

static inline int n2nk_replay_stale(const struct n2nk_replay *w, __u64 c)
{
	if (c >= N2NK_A6_REJECT_AFTER_MESSAGES)
		return 1;
	return c < w->top && w->top - c >= N2NK_REPLAY_WINDOW;
}

/* 0: accepted (and recorded); 1: seen already or too old. */
static inline int n2nk_replay_accept(struct n2nk_replay *w, __u64 c)
{
	__u64 word = c >> 6, cur = w->top >> 6, bit = 1ULL << (c & 63);
	__u64 *slot;
	__u32 i;

	if (n2nk_replay_stale(w, c))
		return 1;
	if (c > w->top) {
		for (i = 1; i <= N2NK_REPLAY_WORDS; i++) {
			if (cur + i > word)
				break;
			w->bits[(cur + i) & (N2NK_REPLAY_WORDS - 1)] = 0;
		}
		w->top = c;
	}
	slot = &w->bits[word & (N2NK_REPLAY_WORDS - 1)];
	if (*slot & bit)
		return 1;
	*slot |= bit;
	return 0;
}

/*
 * The kernel path's session maps (bpf/lib/edge_a6*.h). The daemon makes
 * every session (handshake, keys, indices) and rotates it; the programs
 * only seal and open DATA frames of sessions they find here and hand
 * everything else to the daemon.
 *
 *   a6_rx       BPF_MAP_TYPE_HASH, N2NK_A6_MAX_SESSIONS entries.
 *               key: __u32, our receiver index (host order, as the daemon
 *               chose it; the wire carries it LE).
 *               value: struct n2nk_a6_rx: the receive key, the peer it
 *               belongs to, its deadline, the replay window under a spin
 *               lock. Written whole by the daemon, never changed but for
 *               the window and last_rx_ns, which the program keeps.
 *   a6_tx       BPF_MAP_TYPE_ARRAY, BPF_F_MMAPABLE, N2NK_A6_MAX_SESSIONS
 *               slots: struct n2nk_a6_tx. The daemon writes a slot whole
 *               while no peer points at it, then points the peer at it;
 *               the counter is the only field that changes afterwards:
 *               the program and the daemon (keepalives, frames it sends
 *               itself) take counters with an atomic fetch-and-add on the
 *               shared (mmapped) memory, so no counter is used twice.
 *   a6_peer_tx  BPF_MAP_TYPE_HASH, N2NK_EDGE_MAX_PEERS entries.
 *               key: struct n2nk_edge_peer_key (the peer's MAC); value:
 *               __u32, the a6_tx slot frames to it are sealed with.
 *               No entry: the peer's frames go to the daemon.
 */
#define N2NK_A6_MAX_SESSIONS 8192

/* What the daemon hands the a6_take program (BPF_PROG_TEST_RUN's data,
 * padded to an Ethernet header's length), and its answers. */
struct n2nk_a6_take {
	__u32 index; /* a6_rx's key */
	__u32 pad;   /* zero */
	__u64 counter;
};

enum n2nk_a6_take_ret {
	N2NK_A6_TAKEN = 0,	/* first time: now in the window */
	N2NK_A6_SEEN = 1,	/* in the window already, or too old */
	N2NK_A6_NO_SESSION = 2, /* no such session in the kernel */
};

struct n2nk_a6_rx {
	__u8 key[N2NK_A6_KEY_LEN];
	__u8 peer_mac[N2N_MAC_SIZE]; /* the PACKET's srcMac must be this */
	__u8 pad[2];		     /* zero */
	__u64 reject_ns;	     /* CLOCK_MONOTONIC: dead after this */
	__u64 last_rx_ns;	     /* written by the program */
	struct bpf_spin_lock lock;   /* guards win */
	__u32 pad2;		     /* zero */
	struct n2nk_replay win;
};

struct n2nk_a6_tx {
	__u64 counter;	  /* the next one; atomic fetch-and-add */
	__u64 reject_ns;  /* CLOCK_MONOTONIC: dead after this */
	__u64 rekey_at;	  /* counter at which frames go to the daemon */
	__u32 remote_idx; /* the peer's receiver index (host order) */
	__u32 pad;	  /* zero */
	__u8 key[N2NK_A6_KEY_LEN];
};

_Static_assert(sizeof(struct n2nk_a6_rx) == 584,
	       "n2nk_a6_rx is part of the BPF map ABI");
_Static_assert(__builtin_offsetof(struct n2nk_a6_rx, win) == 64,
	       "n2nk_a6_rx.win moved");
_Static_assert(sizeof(struct n2nk_a6_tx) == 64,
	       "n2nk_a6_tx is part of the BPF map ABI");

#endif /* N2NK_SESSION_H */
