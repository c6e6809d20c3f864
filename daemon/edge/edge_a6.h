/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * -A6, our transform (not n2n's): per-peer sessions made by a Noise
 * IKpsk2 handshake between edges (daemon/proto/noise.h), frames sealed
 * with ChaCha20-Poly1305 under per-session keys, a replay window per
 * session, WireGuard's timers. Wire layout: include/n2nk_session.h;
 * design and threat model: docs/security.md.
 *
 *   edge_a6.c         sessions: the keypair pool (receiver index ->
 *                     keypair), rotation, timers, n2nctl's view
 *   edge_a6_hs.c      key query, handshake and cookie messages
 *   edge_a6_data.c    DATA and GROUP frames: seal, open, send, deliver
 *   edge_a6_kernel.c  the same sessions handed to the kernel path
 */
#ifndef N2NK_EDGE_A6_H
#define N2NK_EDGE_A6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "n2nk_session.h"
#include "proto/noise.h"

struct edge;
struct edge_peer;
struct n2n_msg;

#define A6_QUEUE_FRAMES 4 /* frames kept while a handshake runs */

/* One session: a pair of keys and the indices each side files it by. */
struct a6_keypair {
	uint32_t local_index; /* 0: free; low bits are the pool slot */
	uint32_t remote_index;
	uint8_t tx_key[N2NK_A6_KEY_LEN], rx_key[N2NK_A6_KEY_LEN];
	struct edge_peer *peer;
	uint64_t created_ms;
	uint64_t tx_counter; /* without the kernel path */
	uint64_t *tx_ctr;    /* &tx_counter, or the kernel's shared one */
	bool pending;	     /* our initiation, no response yet: no keys */
	bool unconfirmed;    /* counted in edge_a6.unconfirmed */
	uint64_t freed_ms;   /* (a free slot) when it was freed */
	bool initiator;
	bool in_kernel;
	uint64_t k_tx_seen, k_rx_ns;	  /* kernel counters last looked at */
	uint64_t daemon_sent, k_own_seen; /* counters the daemon took */
	/* A responder's: what the initiation said, taken at confirmation. */
	uint8_t peer_pub[NOISE_KEY_LEN];
	uint8_t tai[NOISE_TAI64N_LEN];
	struct n2nk_replay win; /* the daemon's own (see KEEPALIVE) */
};

struct a6_frame {
	uint16_t len;
	uint8_t buf[N2N_PKT_BUF_SIZE];
};

/* A peer's sessions and handshake state (edge_peer.a6, made on need). */
struct a6_peer {
	uint8_t pub[NOISE_KEY_LEN]; /* its identity, once known */
	bool have_pub;
	uint8_t query_nonce[16];	      /* our last KEY_QUERY's */
	struct a6_keypair *cur, *prev, *next; /* next: responder, unconfirmed */
	struct a6_keypair *hs_kp;	      /* our initiation's, pending */
	struct noise_hs hs;
	uint64_t hs_started_ms, hs_sent_ms, hs_failed_ms;
	unsigned int hs_tries;
	uint8_t last_tai[NOISE_TAI64N_LEN]; /* newest initiation taken */
	uint8_t cookie[NOISE_MAC_LEN];
	uint64_t cookie_ms;
	uint8_t mac1_sent[NOISE_MAC_LEN];
	uint64_t last_hs_ms, last_tx_ms, last_rx_ms, last_query_ms;
	/* WireGuard's keepalive and dead-peer timers: since when frames came
	 * and we sent nothing back; since when we sent data and nothing came. */
	uint64_t rx_unanswered_ms, tx_unanswered_ms;
	uint64_t init_window_ms; /* initiations taken this second */
	unsigned int init_count;
	uint32_t rekeys;
	bool confirmed_once; /* a session with it was ever confirmed */
	uint64_t replayed, tag_failed;
	/* Its GROUP frames: the epoch we hold a key and window for. */
	uint32_t g_epoch;
	uint8_t g_key[N2NK_A6_KEY_LEN];
	struct n2nk_replay g_win;
	struct a6_frame *queue; /* A6_QUEUE_FRAMES, or NULL */
	unsigned int queued;
	uint64_t k_poll_ms; /* the kernel's counters last looked at */
};

int edge_a6_init(struct edge *e) __attribute__((warn_unused_result));
void edge_a6_fini(struct edge *e);
/* Once the datapath is open: sessions a kernel path left are cleared. */
void edge_a6_kernel_start(struct edge *e);
/* A frame from the TAP: to peer p (unicast) or to everyone (p NULL). */
void edge_a6_send_frame(struct edge *e, struct edge_peer *p,
			const uint8_t *frame, size_t len, uint64_t now);
/* A PACKET with transform N2NK_TRANSFORM_A6. */
void edge_a6_on_packet(struct edge *e, const struct n2n_msg *m,
		       const struct sockaddr_storage *from, bool via_sn);
void edge_a6_peer_tick(struct edge *e, struct edge_peer *p, uint64_t now);
void edge_a6_tick(struct edge *e, uint64_t now);
void edge_a6_peer_free(struct edge *e, struct edge_peer *p);
/* Whether p has a session now (it counts as proven). */
bool edge_a6_peer_live(const struct edge_peer *p, uint64_t now);
/* n2nctl keys rotate: a new identity, every session renegotiated. */
int edge_a6_rotate_identity(struct edge *e);

/* n2nctl: the local identity, and a peer's columns. */
struct a6_peer_view {
	char fingerprint[24];
	int64_t session_age_s, last_handshake_s; /* -1: none */
	uint32_t rekeys;
	uint64_t replayed, tag_failed;
};
void edge_a6_identity(const struct edge *e, char *fingerprint, size_t fl,
		      char *pub_b64, size_t bl);
const char *edge_a6_identity_path(const struct edge *e);
void edge_a6_peer_view(const struct edge *e, const struct edge_peer *p,
		       uint64_t now, struct a6_peer_view *v);

#endif /* N2NK_EDGE_A6_H */
