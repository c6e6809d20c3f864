// SPDX-License-Identifier: GPL-2.0-only
/*
 * -A6 frames: DATA to one peer under its session, GROUP to everyone
 * under the sender's group key, both ChaCha20-Poly1305 (libsodium) with
 * the PACKET fields a supernode routes by as associated data
 * (include/n2nk_session.h). A frame is opened, then its counter is
 * taken by the window: a forgery never moves it.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/bytes.h"
#include "common/log.h"
#include "common/mac.h"
#include "edge_a6_int.h"
#include "proto/a6_frame.h"

#define GROUP_KEY_LABEL "n2nk group v1"

/* hdr is filled; seals len frame bytes after it, the tag after them. */
static void seal(const struct edge *e, uint8_t *pl, const uint8_t *dst,
		 const uint8_t *key, const uint8_t *frame, size_t len)
{
	a6_frame_seal(pl, (const uint8_t *)e->community, e->mac, dst, key,
		      frame, len);
}

static int open_payload(const struct edge *e, const struct n2n_msg *m,
			const uint8_t *pl, size_t len, const uint8_t *key,
			uint8_t *frame)
{
	const struct n2n_packet *pk = &m->u.packet;

	return a6_frame_open(pl, len, (const uint8_t *)e->community,
			     pk->src_mac, pk->dst_mac, key, frame);
}

static void a6_msg(struct edge *e, struct n2n_msg *m, const uint8_t *dst,
		   const uint8_t *payload, size_t len)
{
	edge_init_msg(e, m, N2N_MSG_PACKET, 0);
	mac_copy(m->u.packet.src_mac, e->mac);
	mac_copy(m->u.packet.dst_mac, dst);
	m->u.packet.compression = N2N_COMPRESSION_NONE;
	m->u.packet.transform = N2NK_TRANSFORM_A6;
	m->u.packet.payload = payload;
	m->u.packet.payload_len = len;
}

static void send_to(struct edge *e, struct edge_peer *p, const uint8_t *dst,
		    const uint8_t *payload, size_t len, size_t frame_len)
{
	struct n2n_msg m;

	a6_msg(e, &m, dst, payload, len);
	edge_tx_send_packet(e, p, &m, frame_len, evloop_now_ms());
}

void a6_send_payload(struct edge *e, struct edge_peer *p,
		     const struct sockaddr_storage *to, const uint8_t *payload,
		     size_t len)
{
	struct n2n_msg m;

	if (!to)
		return send_to(e, p, p->key.mac, payload, len, 0);
	a6_msg(e, &m, p->key.mac, payload, len);
	edge_send(e, to, &m);
}

int a6_seal_to(struct edge *e, struct edge_peer *p, struct a6_keypair *kp,
	       const uint8_t *frame, size_t len)
{
	uint8_t pl[N2N_PKT_BUF_SIZE + N2NK_A6_OVERHEAD];
	uint64_t ctr;

	if (len > N2N_PKT_BUF_SIZE)
		return -1;
	ctr = __atomic_fetch_add(kp->tx_ctr, 1, __ATOMIC_RELAXED);
	if (ctr >= N2NK_A6_REJECT_AFTER_MESSAGES)
		return -1;
	a6_frame_hdr(pl, N2NK_A6_DATA, kp->remote_index, ctr);
	seal(e, pl, p->key.mac, kp->tx_key, frame, len);
	send_to(e, p, p->key.mac, pl, len + N2NK_A6_OVERHEAD, len);
	kp->daemon_sent++;
	a6_sent(p->a6, len > 0, evloop_now_ms());
	return 0;
}

static void enqueue(struct edge *e, struct a6_peer *ap, const uint8_t *frame,
		    size_t len)
{
	if (!ap->queue)
		ap->queue = calloc(A6_QUEUE_FRAMES, sizeof(*ap->queue));
	if (!ap->queue || len > sizeof(ap->queue->buf))
		return edge_drop(e, N2NK_NO_SESSION);
	if (ap->queued == A6_QUEUE_FRAMES) { /* the oldest goes */
		memmove(ap->queue, ap->queue + 1,
			(A6_QUEUE_FRAMES - 1) * sizeof(*ap->queue));
		ap->queued--;
		edge_drop(e, N2NK_NO_SESSION);
	}
	memcpy(ap->queue[ap->queued].buf, frame, len);
	ap->queue[ap->queued++].len = (uint16_t)len;
}

void a6_flush_queue(struct edge *e, struct edge_peer *p, uint64_t now)
{
	struct a6_peer *ap = p->a6;
	unsigned int i;

	if (!ap->queued || !a6_keypair_usable(e, ap->cur, now))
		return;
	for (i = 0; i < ap->queued; i++)
		a6_seal_to(e, p, ap->cur, ap->queue[i].buf, ap->queue[i].len);
	ap->queued = 0;
	free(ap->queue);
	ap->queue = NULL;
}

static void group_key(uint8_t key[N2NK_A6_KEY_LEN], const uint8_t *psk,
		      const uint8_t *mac, uint32_t epoch)
{
	uint8_t in[sizeof(GROUP_KEY_LABEL) - 1 + MAC_SIZE + 4];

	memcpy(in, GROUP_KEY_LABEL, sizeof(GROUP_KEY_LABEL) - 1);
	memcpy(in + sizeof(GROUP_KEY_LABEL) - 1, mac, MAC_SIZE);
	put_le32(in + sizeof(in) - 4, epoch);
	crypto_generichash(key, N2NK_A6_KEY_LEN, in, sizeof(in), psk,
			   N2NK_A6_KEY_LEN);
}

/* A new group key every A6_GROUP_EPOCH_MS. The counter starts at the
 * wall clock's microseconds times 256: a restart within the same second
 * (same epoch, same key) starts above every counter the run before could
 * have used, so no nonce repeats and receivers do not take it for a
 * replay. */
static void group_epoch(struct edge *e, uint64_t now)
{
	struct edge_a6 *a = e->a6;
	uint32_t epoch = (uint32_t)time(NULL);

	if (a->g_epoch_ms && now - a->g_epoch_ms < A6_GROUP_EPOCH_MS)
		return;
	if (epoch <= a->g_epoch)
		epoch = a->g_epoch + 1;
	a->g_epoch = epoch;
	a->g_epoch_ms = now;
	a->g_counter = evloop_wall_usec() << 8;
	group_key(a->g_key, a->psk, e->mac, epoch);
}

static void send_group(struct edge *e, const uint8_t *frame, size_t len,
		       uint64_t now)
{
	uint8_t pl[N2N_PKT_BUF_SIZE + N2NK_A6_OVERHEAD];
	struct edge_a6 *a = e->a6;

	group_epoch(e, now);
	a6_frame_hdr(pl, N2NK_A6_GROUP, a->g_epoch, a->g_counter++);
	seal(e, pl, frame, a->g_key, frame, len);
	send_to(e, NULL, frame, pl, len + N2NK_A6_OVERHEAD, len);
}

void edge_a6_send_frame(struct edge *e, struct edge_peer *p,
			const uint8_t *frame, size_t len, uint64_t now)
{
	struct a6_peer *ap;

	if (!p)
		return send_group(e, frame, len, now);
	ap = a6_peer_of(e, p);
	if (!ap)
		return edge_drop(e, N2NK_NO_SESSION);
	if (a6_keypair_usable(e, ap->cur, now)) {
		a6_seal_to(e, p, ap->cur, frame, len);
		return;
	}
	enqueue(e, ap, frame, len);
	a6_hs_start(e, p, now);
}

/* A frame under no session of ours from a peer we know: it restarted, or
 * our sessions expired; a handshake mends it (at most one per 5 s). */
static void no_session(struct edge *e, struct edge_peer *p, uint64_t now)
{
	struct a6_peer *ap = p ? a6_peer_of(e, p) : NULL;

	edge_drop(e, N2NK_NO_SESSION);
	/* Only for a peer we had a session with: anyone can send junk. */
	if (ap && ap->confirmed_once && !ap->hs_kp &&
	    (!ap->last_hs_ms || now - ap->last_hs_ms >= A6_REKEY_TIMEOUT_MS))
		a6_hs_start(e, p, now);
}

static bool take_counter(struct edge *e, struct a6_peer *ap,
			 struct n2nk_replay *w, uint64_t ctr)
{
	if (!n2nk_replay_accept(w, ctr))
		return true;
	ap->replayed++;
	edge_drop(e, N2NK_REPLAYED);
	return false;
}

/* A session in the kernel has one window, the kernel's: whichever way a
 * frame came to us (handed on by the programs, or past them: IP options,
 * fragments), its counter is taken there. */
static bool take_session_counter(struct edge *e, struct a6_peer *ap,
				 struct a6_keypair *kp, uint64_t ctr)
{
	int r;

	if (!kp->in_kernel)
		return take_counter(e, ap, &kp->win, ctr);
	r = a6_kernel_take(e, kp, ctr);
	if (r == N2NK_A6_TAKEN)
		return true;
	if (r == N2NK_A6_SEEN) {
		ap->replayed++;
		edge_drop(e, N2NK_REPLAYED);
	} else {
		edge_drop(e, N2NK_NO_SESSION); /* fail closed */
	}
	return false;
}

static void opened(struct edge *e, const struct n2n_msg *m, struct edge_peer *p,
		   const uint8_t *frame, size_t n,
		   const struct sockaddr_storage *from, bool via_sn)
{
	uint64_t now = evloop_now_ms();

	a6_heard(p->a6, n > 0, now);
	p->last_seen_ms = now;
	if (!n)
		return; /* a keepalive */
	if (n < ETH_FRAME_HDR_LEN)
		return edge_drop(e, N2NK_MALFORMED);
	edge_rx_deliver(e, m, from, via_sn, (uint8_t *)frame, n);
}

void a6_on_data(struct edge *e, const struct n2n_msg *m, const uint8_t *pl,
		size_t len, const struct sockaddr_storage *from, bool via_sn)
{
	struct edge_peer *p = edge_peer_find(e, m->u.packet.src_mac);
	struct a6_keypair *kp = a6_keypair_find(e, get_le32(pl + 4));
	uint8_t frame[N2N_PKT_BUF_SIZE];
	uint64_t now = evloop_now_ms(), ctr = get_le64(pl + 8);

	if (len - N2NK_A6_OVERHEAD > sizeof(frame))
		return edge_drop(e, N2NK_OVERSIZE);
	if (!p || !kp || kp->pending || kp->peer != p ||
	    now - kp->created_ms >= e->a6->reject_after_ms)
		return no_session(e, p, now);
	if (!kp->in_kernel && n2nk_replay_stale(&kp->win, ctr)) {
		p->a6->replayed++;
		return edge_drop(e, N2NK_REPLAYED);
	}
	if (open_payload(e, m, pl, len, kp->rx_key, frame)) {
		p->a6->tag_failed++;
		return edge_drop(e, N2NK_AEAD_TAG);
	}
	if (!take_session_counter(e, p->a6, kp, ctr))
		return;
	if (kp == p->a6->next)
		a6_session_confirm(e, p, kp, now);
	opened(e, m, p, frame, len - N2NK_A6_OVERHEAD, from, via_sn);
}

static void group_replayed(struct edge *e, struct a6_peer *ap)
{
	if (ap)
		ap->replayed++;
	edge_drop(e, N2NK_REPLAYED);
}

static bool epoch_recent(uint32_t epoch)
{
	int64_t d = (int64_t)time(NULL) - (int64_t)epoch;

	return d <= A6_GROUP_SKEW_S && d >= -A6_GROUP_SKEW_S;
}

void a6_on_group(struct edge *e, const struct n2n_msg *m, const uint8_t *pl,
		 size_t len, const struct sockaddr_storage *from, bool via_sn)
{
	const struct n2n_packet *pk = &m->u.packet;
	struct edge_peer *p = edge_peer_find(e, pk->src_mac);
	uint32_t epoch = get_le32(pl + 4);
	uint8_t frame[N2N_PKT_BUF_SIZE], key[N2NK_A6_KEY_LEN];
	struct a6_peer *ap;

	ap = p ? a6_peer_of(e, p) : NULL;
	if (!mac_is_group(pk->dst_mac))
		return edge_drop(e, N2NK_MALFORMED);
	if (len - N2NK_A6_OVERHEAD > sizeof(frame))
		return edge_drop(e, N2NK_OVERSIZE);
	if ((ap && epoch < ap->g_epoch) || !epoch_recent(epoch))
		return group_replayed(e, ap);
	if (ap && epoch == ap->g_epoch)
		memcpy(key, ap->g_key, sizeof(key));
	else
		group_key(key, e->a6->psk, pk->src_mac, epoch);
	if (open_payload(e, m, pl, len, key, frame)) {
		if (ap)
			ap->tag_failed++;
		return edge_drop(e, N2NK_AEAD_TAG);
	}
	/* The group key is every member's: what it seals can only be what
	 * it is for, the sender's frame to that group address. */
	if (len - N2NK_A6_OVERHEAD < ETH_FRAME_HDR_LEN ||
	    !mac_equal(frame, pk->dst_mac) ||
	    !mac_equal(frame + MAC_SIZE, pk->src_mac))
		return edge_drop(e, N2NK_INNER_SOURCE);
	/* A member's: one the supernode relayed makes a peer, now. */
	if (!p && via_sn)
		p = edge_peer_get(e, pk->src_mac, evloop_now_ms());
	ap = p ? a6_peer_of(e, p) : NULL;
	if (!ap)
		return edge_drop(e, N2NK_NO_SESSION);
	if (epoch > ap->g_epoch) {
		ap->g_epoch = epoch;
		memcpy(ap->g_key, key, sizeof(key));
		memset(&ap->g_win, 0, sizeof(ap->g_win));
	}
	if (take_counter(e, ap, &ap->g_win, get_le64(pl + 8)))
		opened(e, m, p, frame, len - N2NK_A6_OVERHEAD, from, via_sn);
}

/* A stock n2n edge (or one of ours without -A6) in this community: say
 * so, once a minute, since it cannot work. */
static void foreign_transform(struct edge *e, const struct n2n_packet *pk)
{
	static uint64_t said_ms;
	uint64_t now = evloop_now_ms();
	char mac[MAC_STR_MAX];

	edge_drop(e, N2NK_TRANSFORM);
	if (said_ms && now - said_ms < 60000)
		return;
	said_ms = now;
	log_warn("-A6: %s sends n2n's transform %u; this community uses -A6 "
		 "(n2nk's per-peer sessions), which stock n2n edges cannot "
		 "join: give every edge -A6 and n2nk",
		 mac_str(pk->src_mac, mac), pk->transform);
}

void edge_a6_on_packet(struct edge *e, const struct n2n_msg *m,
		       const struct sockaddr_storage *from, bool via_sn)
{
	const struct n2n_packet *pk = &m->u.packet;
	const uint8_t *pl = pk->payload;
	struct edge_peer *p;

	if (pk->transform != N2NK_TRANSFORM_A6)
		return foreign_transform(e, pk);
	if (pk->compression != N2N_COMPRESSION_NONE ||
	    pk->payload_len < N2NK_A6_TYPE_LEN || pl[1] || pl[2] || pl[3])
		return edge_drop(e, N2NK_MALFORMED);
	if (pl[0] == N2NK_A6_DATA || pl[0] == N2NK_A6_GROUP) {
		if (pk->payload_len < N2NK_A6_OVERHEAD)
			return edge_drop(e, N2NK_MALFORMED);
		if (pl[0] == N2NK_A6_GROUP)
			return a6_on_group(e, m, pl, pk->payload_len, from,
					   via_sn);
		if (!mac_equal(pk->dst_mac, e->mac))
			return edge_drop(e, N2NK_UNEXPECTED);
		return a6_on_data(e, m, pl, pk->payload_len, from, via_sn);
	}
	if (!mac_equal(pk->dst_mac, e->mac))
		return edge_drop(e, N2NK_UNEXPECTED);
	/* Handshakes: peers the supernode told of, or asked about. */
	p = edge_peer_find(e, pk->src_mac);
	if (!p && via_sn)
		p = edge_peer_get(e, pk->src_mac, evloop_now_ms());
	if (!p) {
		edge_peer_ask(e, pk->src_mac, evloop_now_ms());
		return edge_drop(e, N2NK_NO_SESSION);
	}
	a6_hs_on_msg(e, p, pl[0], pl + N2NK_A6_TYPE_LEN,
		     pk->payload_len - N2NK_A6_TYPE_LEN, from, via_sn);
}
