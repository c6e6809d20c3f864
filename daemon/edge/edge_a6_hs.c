// SPDX-License-Identifier: GPL-2.0-only
/*
 * -A6 handshakes between edges, carried in PACKET frames to the peer's
 * MAC (so any supernode, stock n2n's included, relays them):
 *
 *   KEY_QUERY / KEY_REPLY  the answerer's public identity key, in clear
 *                          (IK needs the responder's before it starts):
 *                          the query carries a random nonce, the reply a
 *                          MAC over it, both MACs and the key under a
 *                          key from the PSK, so only a member can answer
 *                          (a non-member's answers would keep initiations
 *                          going to a key nobody holds).
 *   INIT / RESPONSE        Noise IKpsk2 (daemon/proto/noise.h); the
 *                          community key's PSK enters with the response,
 *                          so only a member completes a session.
 *   COOKIE                 under load an initiation without a valid mac2
 *                          gets a cookie instead of DH work.
 *
 * An initiation proves nothing by itself (anyone can make one to our
 * public key): what it tells (the initiator's identity, its time stamp)
 * is kept with the unconfirmed keypair and taken only when data arrives
 * under it, which proves the PSK.
 */
#include <errno.h>
#include <sodium.h>
#include <string.h>

#include "common/bytes.h"
#include "common/log.h"
#include "common/mac.h"
#include "common/sockaddr.h"
#include "edge_a6_int.h"

#define MSG_MAX (N2NK_A6_TYPE_LEN + NOISE_INIT_LEN)

/* to: that address; NULL: p's path (direct or through the supernode). */
static void send_typed_to(struct edge *e, struct edge_peer *p,
			  const struct sockaddr_storage *to, uint8_t type,
			  const uint8_t *body, size_t len)
{
	uint8_t msg[MSG_MAX];

	if (len > sizeof(msg) - N2NK_A6_TYPE_LEN)
		return;
	memset(msg, 0, N2NK_A6_TYPE_LEN);
	msg[0] = type;
	memcpy(msg + N2NK_A6_TYPE_LEN, body, len);
	a6_send_payload(e, p, to, msg, N2NK_A6_TYPE_LEN + len);
}

static void send_typed(struct edge *e, struct edge_peer *p, uint8_t type,
		       const uint8_t *body, size_t len)
{
	send_typed_to(e, p, NULL, type, body, len);
}

/* Cookie replies: A6_HS_PER_S a second at most, whoever asks. */
static bool cookie_budget(struct edge *e)
{
	struct edge_a6 *a = e->a6;
	uint64_t now = evloop_now_ms();

	if (now - a->cookie_window_ms >= 1000) {
		a->cookie_window_ms = now;
		a->cookie_count = 0;
	}
	return ++a->cookie_count <= A6_HS_PER_S;
}

/* The reply's MAC: nonce, the asker's and the answerer's MAC, the key. */
static void reply_tag(const struct edge *e, uint8_t tag[NOISE_MAC_LEN],
		      const uint8_t *nonce, const uint8_t *asker,
		      const uint8_t *answerer, const uint8_t *pub)
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, e->a6->reply_key, sizeof(e->a6->reply_key),
				NOISE_MAC_LEN);
	crypto_generichash_update(&st, nonce, A6_QUERY_NONCE_LEN);
	crypto_generichash_update(&st, asker, MAC_SIZE);
	crypto_generichash_update(&st, answerer, MAC_SIZE);
	crypto_generichash_update(&st, pub, NOISE_KEY_LEN);
	crypto_generichash_final(&st, tag, NOISE_MAC_LEN);
}

static void send_query(struct edge *e, struct edge_peer *p, uint64_t now)
{
	struct a6_peer *ap = p->a6;

	if (ap->last_query_ms && now - ap->last_query_ms < A6_QUERY_RETRY_MS)
		return;
	ap->last_query_ms = now;
	randombytes_buf(ap->query_nonce, sizeof(ap->query_nonce));
	send_typed(e, p, N2NK_A6_KEY_QUERY, ap->query_nonce,
		   sizeof(ap->query_nonce));
}

/* Our own initiations count in the second's DH budget too: they can be
 * set off from afar (a frame under an unknown session). */
static bool own_dh_budget(struct edge *e)
{
	struct edge_a6 *a = e->a6;

	a6_under_load(e); /* a new second, if it is one */
	if (a->hs_count >= A6_HS_PER_S) {
		edge_drop(e, N2NK_HANDSHAKE_LIMIT);
		return false;
	}
	a->hs_count++;
	return true;
}

static void send_init(struct edge *e, struct edge_peer *p, uint64_t now)
{
	struct a6_peer *ap = p->a6;
	uint8_t pro[A6_PROLOGUE_LEN], tai[NOISE_TAI64N_LEN];
	uint8_t out[NOISE_INIT_LEN];

	a6_keypair_free(e, ap->hs_kp);
	if (!own_dh_budget(e))
		return; /* the next tick tries again */
	ap->hs_kp = a6_keypair_new(e, p, true);
	if (!ap->hs_kp)
		return;
	ap->hs_kp->pending = ap->hs_kp->initiator = true;
	a6_prologue(e, pro, e->mac, p->key.mac);
	noise_tai64n_now(tai);
	if (noise_init_create(&ap->hs, &e->a6->me, ap->pub, e->a6->psk, pro,
			      sizeof(pro), ap->hs_kp->local_index, tai, out)) {
		a6_keypair_free(e, ap->hs_kp);
		ap->hs_kp = NULL;
		return;
	}
	memcpy(ap->mac1_sent, out + NOISE_INIT_LEN - 2 * NOISE_MAC_LEN,
	       NOISE_MAC_LEN);
	if (ap->cookie_ms && now - ap->cookie_ms < A6_COOKIE_LIFE_MS)
		noise_mac2(out, sizeof(out), ap->cookie);
	ap->hs_sent_ms = now;
	ap->hs_tries++;
	send_typed(e, p, N2NK_A6_INIT, out, sizeof(out));
}

void a6_hs_start(struct edge *e, struct edge_peer *p, uint64_t now)
{
	struct a6_peer *ap = a6_peer_of(e, p);

	if (!ap)
		return;
	if (ap->hs_kp && now - ap->hs_sent_ms < A6_REKEY_TIMEOUT_MS)
		return; /* one in flight */
	if (!ap->hs_kp && !ap->have_pub) {
		if (!ap->hs_started_ms)
			ap->hs_started_ms = now;
		send_query(e, p, now);
		return;
	}
	if (!ap->hs_kp && !ap->hs_started_ms)
		ap->hs_started_ms = now;
	send_init(e, p, now);
}

static void give_up(struct edge *e, struct edge_peer *p)
{
	struct a6_peer *ap = p->a6;

	a6_keypair_free(e, ap->hs_kp);
	ap->hs_kp = NULL;
	ap->hs_started_ms = 0;
	ap->hs_tries = 0;
	while (ap->queued) {
		ap->queued--;
		edge_drop(e, N2NK_NO_SESSION);
	}
	noise_hs_wipe(&ap->hs);
	char mb[MAC_STR_MAX];

	log_info("-A6: no handshake with %s answered in %u s, giving up "
		 "until there is traffic again",
		 mac_str(p->key.mac, mb), A6_REKEY_ATTEMPT_MS / 1000);
}

void a6_hs_tick(struct edge *e, struct edge_peer *p, uint64_t now)
{
	struct a6_peer *ap = p->a6;

	if (!ap->hs_started_ms)
		return;
	if (now - ap->hs_started_ms >= A6_REKEY_ATTEMPT_MS)
		return give_up(e, p);
	if (!ap->hs_kp) {
		if (!ap->have_pub)
			send_query(e, p, now);
		return;
	}
	if (now - ap->hs_sent_ms < A6_REKEY_TIMEOUT_MS)
		return;
	/* Two unanswered: its key may have changed (n2nctl keys rotate). */
	if (ap->hs_tries >= 2 && ap->hs_tries % 2 == 0)
		ap->have_pub = false;
	a6_keypair_free(e, ap->hs_kp);
	ap->hs_kp = NULL;
	a6_hs_start(e, p, now);
}

static void on_key_query(struct edge *e, struct edge_peer *p,
			 const uint8_t *body, size_t len, uint64_t now)
{
	uint8_t reply[NOISE_KEY_LEN + NOISE_MAC_LEN];
	struct edge_a6 *a = e->a6;

	if (len != A6_QUERY_NONCE_LEN)
		return edge_drop(e, N2NK_MALFORMED);
	if (now - a->q_window_ms >= 1000) {
		a->q_window_ms = now;
		a->q_count = 0;
	}
	if (++a->q_count > A6_QUERIES_PER_S)
		return edge_drop(e, N2NK_HANDSHAKE_LIMIT);
	memcpy(reply, a->me.pub, NOISE_KEY_LEN);
	reply_tag(e, reply + NOISE_KEY_LEN, body, p->key.mac, e->mac,
		  a->me.pub);
	send_typed(e, p, N2NK_A6_KEY_REPLY, reply, sizeof(reply));
}

static void on_key_reply(struct edge *e, struct edge_peer *p,
			 const uint8_t *body, size_t len, uint64_t now)
{
	struct a6_peer *ap = p->a6;
	uint8_t tag[NOISE_MAC_LEN];

	if (len != NOISE_KEY_LEN + NOISE_MAC_LEN)
		return edge_drop(e, N2NK_MALFORMED);
	/* Only an answer to our question, and only while we have none. */
	if (!ap || ap->have_pub || !ap->last_query_ms ||
	    now - ap->last_query_ms > A6_REKEY_TIMEOUT_MS ||
	    sodium_is_zero(body, NOISE_KEY_LEN))
		return edge_drop(e, N2NK_UNEXPECTED);
	reply_tag(e, tag, ap->query_nonce, e->mac, p->key.mac, body);
	if (crypto_verify_16(tag, body + NOISE_KEY_LEN))
		return edge_drop(e, N2NK_HANDSHAKE); /* not a member's */
	memcpy(ap->pub, body, NOISE_KEY_LEN);
	ap->have_pub = true;
	if (ap->hs_started_ms)
		send_init(e, p, now);
}

static size_t cookie_source(uint8_t *src, const struct edge_peer *p,
			    const struct sockaddr_storage *from, bool via_sn)
{
	struct n2n_sock s;
	size_t n = 0;

	if (!via_sn) {
		memset(&s, 0, sizeof(s));
		sock_from_sockaddr(&s, from);
		memcpy(src, &s, sizeof(s));
		n = sizeof(s);
	}
	memcpy(src + n, p->key.mac, MAC_SIZE);
	return n + MAC_SIZE;
}

/* Under load: a valid mac2, or a cookie instead of DH work. */
static bool cookie_ok(struct edge *e, struct edge_peer *p, const uint8_t *body,
		      const struct sockaddr_storage *from, bool via_sn)
{
	uint8_t src[sizeof(struct n2n_sock) + MAC_SIZE];
	uint8_t cookie[NOISE_MAC_LEN], reply[NOISE_COOKIE_LEN];
	size_t n = cookie_source(src, p, from, via_sn);

	noise_cookie_make(cookie, e->a6->cookie_secret, src, n);
	if (noise_mac2_ok(body, NOISE_INIT_LEN, cookie))
		return true;
	edge_drop(e, N2NK_HANDSHAKE_LIMIT);
	if (!cookie_budget(e) ||
	    noise_cookie_reply(&e->a6->me, get_le32(body), cookie,
			       body + NOISE_INIT_LEN - 2 * NOISE_MAC_LEN,
			       reply))
		return false;
	/* To where the initiation came from (a direct one may be forged
	 * with the peer's MAC: the peer must not get the cookies). */
	send_typed_to(e, p, via_sn ? NULL : from, N2NK_A6_COOKIE, reply,
		      sizeof(reply));
	return false;
}

/* Newer than the last confirmed one, and not the one that waits to be
 * confirmed again (a replay of it). Not "newer than the waiting one": an
 * initiation proves nothing, so one stamped far ahead would lock the
 * real initiator out. */
static bool tai_fresh(const struct a6_peer *ap, const uint8_t *tai)
{
	if (noise_tai64n_cmp(tai, ap->last_tai) <= 0)
		return false;
	return !ap->next || noise_tai64n_cmp(tai, ap->next->tai) != 0;
}

static void respond(struct edge *e, struct edge_peer *p, struct noise_hs *hs,
		    const uint8_t *pub, const uint8_t *tai, uint32_t their_idx)
{
	struct a6_keypair *kp = a6_keypair_new(e, p, true);
	uint8_t out[NOISE_RESP_LEN];
	uint64_t now = evloop_now_ms();

	if (!kp)
		return;
	if (noise_resp_create(hs, kp->local_index, out)) {
		a6_keypair_free(e, kp);
		return edge_drop(e, N2NK_HANDSHAKE);
	}
	if (noise_session_keys(hs, kp->tx_key, kp->rx_key)) {
		a6_keypair_free(e, kp);
		return edge_drop(e, N2NK_HANDSHAKE);
	}
	kp->remote_index = their_idx;
	memcpy(kp->peer_pub, pub, NOISE_KEY_LEN);
	memcpy(kp->tai, tai, NOISE_TAI64N_LEN);
	a6_session_start(e, p, kp, now);
	send_typed(e, p, N2NK_A6_RESPONSE, out, sizeof(out));
}

static void on_init(struct edge *e, struct edge_peer *p, const uint8_t *body,
		    size_t len, const struct sockaddr_storage *from,
		    bool via_sn)
{
	uint8_t pro[A6_PROLOGUE_LEN], pub[NOISE_KEY_LEN], tai[NOISE_TAI64N_LEN];
	uint64_t now = evloop_now_ms();
	struct a6_peer *ap;
	struct noise_hs hs;

	if (len != NOISE_INIT_LEN)
		return edge_drop(e, N2NK_MALFORMED);
	if (!noise_mac1_ok(&e->a6->me, body, len))
		return edge_drop(e, N2NK_HANDSHAKE); /* before any DH */
	ap = a6_peer_of(e, p); /* allocated only past mac1 */
	if (!ap)
		return edge_drop(e, N2NK_TABLE_FULL);
	if (a6_under_load(e) && !cookie_ok(e, p, body, from, via_sn))
		return;
	if (!a6_hs_budget(e, ap, now))
		return;
	a6_prologue(e, pro, p->key.mac, e->mac);
	if (noise_init_consume(&hs, &e->a6->me, e->a6->psk, pro, sizeof(pro),
			       body, len, pub, tai) ||
	    !tai_fresh(ap, tai)) {
		noise_hs_wipe(&hs);
		return edge_drop(e, N2NK_HANDSHAKE);
	}
	respond(e, p, &hs, pub, tai, get_le32(body));
	noise_hs_wipe(&hs);
}

static void on_response(struct edge *e, struct edge_peer *p,
			const uint8_t *body, size_t len)
{
	struct a6_peer *ap = p->a6;
	struct a6_keypair *kp;
	uint64_t now = evloop_now_ms();

	if (len != NOISE_RESP_LEN)
		return edge_drop(e, N2NK_MALFORMED);
	kp = a6_keypair_find(e, get_le32(body + 4));
	if (!ap || !kp || kp != ap->hs_kp || kp->peer != p)
		return edge_drop(e, N2NK_HANDSHAKE);
	if (noise_resp_consume(&ap->hs, body, len) ||
	    noise_session_keys(&ap->hs, kp->tx_key, kp->rx_key))
		return edge_drop(e, N2NK_HANDSHAKE);
	kp->remote_index = get_le32(body);
	kp->pending = false;
	kp->created_ms = now;
	ap->hs_kp = NULL;
	ap->hs_started_ms = 0;
	ap->hs_tries = 0;
	a6_session_start(e, p, kp, now);
	/* Our first frame confirms the session to the responder. */
	a6_seal_to(e, p, kp, NULL, 0);
	a6_flush_queue(e, p, now);
}

static void on_cookie(struct edge *e, struct edge_peer *p, const uint8_t *body,
		      size_t len)
{
	struct a6_peer *ap = p->a6;
	uint8_t ck[32];

	if (len != NOISE_COOKIE_LEN)
		return edge_drop(e, N2NK_MALFORMED);
	if (!ap || !ap->hs_kp || get_le32(body) != ap->hs_kp->local_index)
		return edge_drop(e, N2NK_UNEXPECTED);
	noise_cookie_key_of(ck, ap->pub);
	if (noise_cookie_consume(ck, body, len, ap->mac1_sent, ap->cookie))
		return edge_drop(e, N2NK_HANDSHAKE);
	ap->cookie_ms = evloop_now_ms();
	/* The next try (within REKEY_TIMEOUT) carries it: a cookie does not
	 * hurry it, or whoever sees our mac1 could make us redo DH at will. */
}

void a6_hs_on_msg(struct edge *e, struct edge_peer *p, uint8_t type,
		  const uint8_t *body, size_t len,
		  const struct sockaddr_storage *from, bool via_sn)
{
	uint64_t now = evloop_now_ms();

	switch (type) {
	case N2NK_A6_KEY_QUERY:
		return on_key_query(e, p, body, len, now);
	case N2NK_A6_KEY_REPLY:
		return on_key_reply(e, p, body, len, now);
	case N2NK_A6_INIT:
		return on_init(e, p, body, len, from, via_sn);
	case N2NK_A6_RESPONSE:
		return on_response(e, p, body, len);
	case N2NK_A6_COOKIE:
		return on_cookie(e, p, body, len);
	default:
		return edge_drop(e, N2NK_MALFORMED);
	}
}
