/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the edge_a6*.c files share and nothing else sees: the edge's -A6
 * state and the functions one file gives the others.
 */
#ifndef N2NK_EDGE_A6_INT_H
#define N2NK_EDGE_A6_INT_H

#include <limits.h>
#include <stdio.h>

#include "edge.h"
#include "edge_a6.h"

/* WireGuard's timers (docs/security.md), in ms. */
#define A6_REKEY_TIMEOUT_MS   5000  /* resend an initiation */
#define A6_REKEY_ATTEMPT_MS   90000 /* give up a handshake */
#define A6_KEEPALIVE_MS	      10000 /* received, nothing sent: say so */
#define A6_DEAD_MS	      15000 /* sent, nothing came: handshake */
#define A6_SLOT_QUARANTINE_MS 2000  /* a freed slot is not reused before */
#define A6_QUERY_NONCE_LEN    16
#define A6_QUERY_RETRY_MS     1000  /* key query again */
#define A6_UNCONFIRMED_MS     15000 /* a responder's session, unconfirmed */
#define A6_COOKIE_LIFE_MS     120000
#define A6_COOKIE_SECRET_MS   120000
#define A6_HS_PER_PEER_PER_S  10    /* initiations taken from one peer */
#define A6_HS_PER_S	      200   /* DH work a second, all peers */
#define A6_HS_LOAD	      50    /* beyond it, a cookie is required */
#define A6_QUERIES_PER_S      200   /* key queries answered a second */
#define A6_GROUP_EPOCH_MS     60000 /* a new group key this often */
#define A6_GROUP_SKEW_S	      180   /* a GROUP epoch at most this old */
#define A6_PROLOGUE_LEN	      (7 + N2N_COMMUNITY_SIZE + 2 * MAC_SIZE)

struct edge_a6 {
	struct noise_static me;
	char identity_path[PATH_MAX];
	uint8_t psk[N2NK_A6_KEY_LEN];
	uint8_t reply_key[32]; /* KEY_REPLY's MAC key, from the PSK */
	uint8_t cookie_secret[32];
	uint64_t cookie_secret_ms;
	struct a6_keypair *pool; /* N2NK_A6_MAX_SESSIONS, by slot */
	uint32_t pool_next;
	unsigned int pool_used;
	unsigned int unconfirmed; /* keypairs of handshakes not yet done */
	uint64_t hs_window_ms;	  /* the handshake budget's second */
	unsigned int hs_count;
	uint64_t cookie_window_ms; /* the cookie replies' second */
	unsigned int cookie_count;
	uint64_t q_window_ms; /* the key query budget's second */
	unsigned int q_count;
	/* GROUP frames we send: this epoch's key and counter. */
	uint32_t g_epoch;
	uint64_t g_counter, g_epoch_ms;
	uint8_t g_key[N2NK_A6_KEY_LEN];
	uint64_t rekey_after_ms, reject_after_ms; /* 120 s, 180 s */
	bool kernel;	 /* sessions go to the kernel path too */
	int identity_fd; /* the key file, open for n2nctl keys rotate */
	FILE *keylog;	 /* N2NK_A6_KEYLOG: session keys, for tests */
};

/* edge_a6.c */
struct a6_peer *a6_peer_of(struct edge *e, struct edge_peer *p);
struct a6_keypair *a6_keypair_new(struct edge *e, struct edge_peer *p,
				  bool unconfirmed);
void a6_keypair_free(struct edge *e, struct a6_keypair *kp);
struct a6_keypair *a6_keypair_find(struct edge *e, uint32_t index);
bool a6_keypair_usable(const struct edge *e, const struct a6_keypair *kp,
		       uint64_t now);
/* The handshake is done (initiator) or taken (responder): keys in place. */
void a6_session_start(struct edge *e, struct edge_peer *p,
		      struct a6_keypair *kp, uint64_t now);
/* Data arrived under kp: a responder's next becomes current. */
void a6_session_confirm(struct edge *e, struct edge_peer *p,
			struct a6_keypair *kp, uint64_t now);
void a6_prologue(const struct edge *e, uint8_t out[A6_PROLOGUE_LEN],
		 const uint8_t *init_mac, const uint8_t *resp_mac);
/* Handshake budget: false when over (per peer and overall). */
bool a6_hs_budget(struct edge *e, struct a6_peer *ap, uint64_t now);
bool a6_under_load(struct edge *e);

/* Traffic under p's sessions, for the timers (data: a frame, not a
 * keepalive). */
void a6_heard(struct a6_peer *ap, bool data, uint64_t now);
void a6_sent(struct a6_peer *ap, bool data, uint64_t now);

/* edge_a6_hs.c */
void a6_hs_start(struct edge *e, struct edge_peer *p, uint64_t now);
void a6_hs_on_msg(struct edge *e, struct edge_peer *p, uint8_t type,
		  const uint8_t *body, size_t len,
		  const struct sockaddr_storage *from, bool via_sn);
void a6_hs_tick(struct edge *e, struct edge_peer *p, uint64_t now);

/* edge_a6_data.c */
/* Sends a PACKET with our -A6 payload to p (direct or via supernode). */
void a6_send_payload(struct edge *e, struct edge_peer *p,
		     const struct sockaddr_storage *to, const uint8_t *payload,
		     size_t len);
int a6_seal_to(struct edge *e, struct edge_peer *p, struct a6_keypair *kp,
	       const uint8_t *frame, size_t len);
void a6_flush_queue(struct edge *e, struct edge_peer *p, uint64_t now);
void a6_on_data(struct edge *e, const struct n2n_msg *m, const uint8_t *pl,
		size_t len, const struct sockaddr_storage *from, bool via_sn);
void a6_on_group(struct edge *e, const struct n2n_msg *m, const uint8_t *pl,
		 size_t len, const struct sockaddr_storage *from, bool via_sn);

/* edge_a6_kernel.c: no-ops without the kernel path. */
void a6_kernel_add(struct edge *e, struct a6_keypair *kp);
void a6_kernel_del(struct edge *e, struct a6_keypair *kp);
void a6_kernel_tx(struct edge *e, struct edge_peer *p);
/* kp's counter taken in the kernel's window (n2nk_a6_take_ret, -errno). */
int a6_kernel_take(struct edge *e, struct a6_keypair *kp, uint64_t ctr);
/* The kernel's traffic under p's sessions into our timers (1/s). */
void a6_kernel_poll(struct edge *e, struct edge_peer *p, uint64_t now);

#endif /* N2NK_EDGE_A6_INT_H */
