// SPDX-License-Identifier: GPL-2.0-only
/*
 * The edge's peers and the state machine that punches direct paths to
 * them. A peer is P2P once it answered our direct REGISTER; until then
 * (and when the path goes quiet) edge_tx.c sends through the supernode,
 * while REGISTER/QUERY_PEER through the supernode and direct REGISTERs
 * punch. The timers (edge_peers_tick) keep a working path proven.
 *
 * Punching between two port-restricted cone NATs (Linux masquerade) works
 * only when the first punches of both sides cross. A punch that reaches the
 * far NAT before that NAT's own host has sent to us leaves an unreplied
 * conntrack entry there, and masquerade moves the host's later mapping to
 * another port because of it; every further punch keeps that entry alive.
 * So a burst of punches starts only on the supernode's two coordinated
 * triggers (PEER_INFO answering our QUERY_PEER, the peer's REGISTER relayed
 * to us), which it sends to both sides together, and after an unanswered
 * burst both sides stay silent until such entries have expired.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/mac.h"
#include "common/sockaddr.h"
#include "edge.h"

#define PEER_PURGE_MS	60000 /* n2n's REGISTRATION_TIMEOUT */
#define PUNCH_RETRY_MS	1000
#define ACK_WINDOW_MS	10000 /* a REGISTER_ACK answers a punch this recent */
#define PUNCH_BURST_MS	2000  /* punches at 0, 1 and 2 s */
/* Silence after a burst: conntrack's UDP timeout (30 s) plus a margin. */
#define PUNCH_QUIET_MS	34000
#define PUNCH_JITTER_MS 2000 /* random part, so attempts do not lock-step */
/* How early we join a burst the peer started: covers its jitter. */
#define PUNCH_SLACK_MS	3000
#define EDGE_ASK_PER_S	8 /* QUERY_PEERs for MACs heard only directly */
/* Punches towards paths not yet proved, for all peers together: a burst
 * of three for 85 peers a second (n2n sets no bound at all). */
#define PUNCH_PER_S	256
#define PUNCH_BURST	512

static uint64_t p2p_timeout_ms(const struct edge *e)
{
	return (uint64_t)e->reg_interval_s * 1000 / 2;
}

bool edge_peer_direct(const struct edge *e, const struct edge_peer *p,
		      uint64_t now)
{
	return p->p2p && now - p->last_p2p_ms < p2p_timeout_ms(e);
}

struct edge_peer *edge_peer_find(struct edge *e, const uint8_t *mac)
{
	return (struct edge_peer *)mac_table_find(&e->peers, mac);
}

static void age_list_del(struct edge *e, struct edge_peer *p)
{
	if (!p->on_age_list)
		return;
	if (p->age_prev)
		p->age_prev->age_next = p->age_next;
	else
		e->age_first = p->age_next;
	if (p->age_next)
		p->age_next->age_prev = p->age_prev;
	else
		e->age_last = p->age_prev;
	p->age_prev = p->age_next = NULL;
	p->on_age_list = false;
}

static void age_list_add(struct edge *e, struct edge_peer *p)
{
	p->age_prev = e->age_last;
	p->age_next = NULL;
	if (e->age_last)
		e->age_last->age_next = p;
	else
		e->age_first = p;
	e->age_last = p;
	p->on_age_list = true;
}

/* Reached P2P once, or we sent it frames from the TAP (either path). */
static bool peer_proven(const struct edge_peer *p)
{
	return p->last_p2p_ms || p->tx_p2p || p->tx_relay ||
	       edge_a6_peer_live(p, evloop_now_ms());
}

static void peer_remove(struct edge *e, struct edge_peer *p)
{
	age_list_del(e, p);
	edge_kernel_forget(e, p);
	edge_a6_peer_free(e, p);
	mac_table_remove(&e->peers, &p->key);
	free(p);
}

/*
 * Room for one more peer in a full table: the oldest peer that never went
 * P2P and that we never sent to goes (what relayed REGISTERs with made-up
 * MACs fill it with). Proven peers leave the list as they are met, so
 * each costs one look in its life. False when every peer is proven.
 */
static bool make_room(struct edge *e)
{
	struct edge_peer *p;

	while ((p = e->age_first)) {
		age_list_del(e, p);
		if (!peer_proven(p)) {
			peer_remove(e, p);
			return true;
		}
	}
	return false;
}

struct edge_peer *edge_peer_get(struct edge *e, const uint8_t *mac,
				uint64_t now)
{
	struct edge_peer *p = edge_peer_find(e, mac);

	if (p)
		return p;
	/* Peers come from the supernode's answers and relays, which a member
	 * of the community can fill: bounded, and said once. */
	if (e->peers.count >= EDGE_MAX_PEERS) {
		edge_drop(e, N2NK_TABLE_FULL);
		if (!e->peers_full_said)
			log_warn("peer table full (%u): peers that never went "
				 "P2P and were never sent to make room, else "
				 "new peers are relayed",
				 (unsigned int)EDGE_MAX_PEERS);
		e->peers_full_said = true;
		if (!make_room(e))
			return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	mac_copy(p->key.mac, mac);
	p->last_seen_ms = now;
	ts_replay_init(&p->replay, ts_from_usec(evloop_wall_usec()));
	mac_table_insert(&e->peers, &p->key);
	age_list_add(e, p);
	return p;
}

struct ts_replay *edge_peer_replay(struct edge *e, const uint8_t *mac)
{
	struct edge_peer *p = edge_peer_find(e, mac);

	return p ? &p->replay : NULL;
}

/*
 * A punch's target, in the slot of the same address or the older one, and
 * the cookie it carries: random per address, so that only who receives
 * our punches there can answer them (a blind spoofer cannot). Another
 * port at the peer's address (may_punch_from()) has a slot of its own:
 * datagrams spoofed from such ports cannot push out the punches to the
 * sockets the supernode named.
 */
#define PUNCH_SLOT_PORT 2
static uint32_t remember_punch(struct edge_peer *p,
			       const struct sockaddr_storage *to, uint64_t now)
{
	int i = sockaddr_equal(&p->punch_sa[1], to) ||
		(!sockaddr_equal(&p->punch_sa[0], to) &&
		 p->punch_sa_ms[1] < p->punch_sa_ms[0]);

	if (!sockaddr_equal(&p->sa, to) && sockaddr_same_host(&p->sa, to))
		i = PUNCH_SLOT_PORT;
	if (!p->punch_sa_ms[i] || !sockaddr_equal(&p->punch_sa[i], to))
		p->punch_cookie[i] = randombytes_random();
	p->punch_sa[i] = *to;
	p->punch_sa_ms[i] = now;
	return p->punch_cookie[i];
}

/* Whether from is where we punched, recently enough for its answer, and
 * the answer echoes that punch's cookie (n2n's REGISTER_ACK does). */
static bool punched(const struct edge_peer *p,
		    const struct sockaddr_storage *from, uint32_t cookie,
		    uint64_t now)
{
	int i;

	for (i = 0; i < 3; i++)
		if (p->punch_sa_ms[i] &&
		    now - p->punch_sa_ms[i] <= ACK_WINDOW_MS &&
		    sockaddr_equal(&p->punch_sa[i], from) &&
		    p->punch_cookie[i] == cookie)
			return true;
	return false;
}

/* One punch's worth from the global bucket, if there is one. */
static bool punch_token(struct edge *e, uint64_t now)
{
	uint64_t cap = (uint64_t)PUNCH_BURST * 1000;

	if (!e->punch_refill_ms)
		e->punch_tokens = cap;
	else
		e->punch_tokens += (now - e->punch_refill_ms) * PUNCH_PER_S;
	if (e->punch_tokens > cap)
		e->punch_tokens = cap;
	e->punch_refill_ms = now;
	if (e->punch_tokens < 1000)
		return false;
	e->punch_tokens -= 1000;
	return true;
}

/* A direct REGISTER: opens our NAT towards the peer and asks for an ACK. */
static void punch_to(struct edge *e, struct edge_peer *p,
		     const struct sockaddr_storage *to, uint64_t now)
{
	struct n2n_msg m;
	struct n2n_register *r = &m.u.reg;

	if (e->relay_only || !p->have_sa || now - p->last_punch_ms < 100)
		return;
	if (!edge_peer_direct(e, p, now) && !punch_token(e, now)) {
		edge_drop(e, N2NK_PUNCH_LIMIT);
		return;
	}
	edge_init_msg(e, &m, N2N_MSG_REGISTER, 0);
	mac_copy(r->src_mac, e->mac);
	mac_copy(r->dst_mac, p->key.mac);
	r->dev_addr.addr = e->ip;
	r->dev_addr.prefix = e->prefix;
	memcpy(r->dev_desc, e->desc, N2N_DESC_SIZE);
	p->last_punch_ms = now;
	r->cookie = remember_punch(p, to, now);
	if (log_level >= LOG_LEVEL_DEBUG) {
		char buf[SOCKADDR_STR_MAX];

		log_debug("REGISTER to %s", sockaddr_str(to, buf));
	}
	if (edge_send(e, to, &m) == 0)
		edge_punch_sent(e);
}

/* A burst's first punch, with -L's TTL (edge_punch.c). */
static void punch_first(struct edge *e, struct edge_peer *p,
			const struct sockaddr_storage *to, uint64_t now)
{
	if (!edge_punch_first_begin(e)) {
		p->last_punch_ms = now; /* the next one in PUNCH_RETRY_MS */
		return;
	}
	punch_to(e, p, to, now);
	edge_punch_first_end(e);
}

/* A trigger in a burst: punch, unless -L holds the burst's first second
 * for the peer's own first punch (edge_punch.c). */
static void punch_again(struct edge *e, struct edge_peer *p, uint64_t now)
{
	if (!edge_punch_hold(e, p->burst_ms, now))
		punch_to(e, p, &p->sa, now);
}

static void punch(struct edge *e, struct edge_peer *p, uint64_t now)
{
	punch_to(e, p, &p->sa, now);
}

static bool in_burst(const struct edge_peer *p, uint64_t now)
{
	return p->burst_ms && now - p->burst_ms <= PUNCH_BURST_MS;
}

static bool in_quiet(const struct edge_peer *p, uint64_t now)
{
	return !in_burst(p, now) && now < p->quiet_ms;
}

/*
 * Starts a burst of punches unless stale NAT state from our last burst may
 * still be around. slack lets us join a burst the peer started a little
 * before our own silence ended.
 */
static bool burst_start(struct edge_peer *p, uint64_t now, uint64_t slack)
{
	if (in_burst(p, now))
		return true;
	if (now + slack < p->quiet_ms)
		return false;
	p->burst_ms = now;
	p->quiet_ms = now + PUNCH_BURST_MS + PUNCH_QUIET_MS +
		      randombytes_uniform(PUNCH_JITTER_MS);
	return true;
}

/*
 * The peer's REGISTER via the supernode: it punches us now. Join in; if it
 * is too early for us, its punches leave stale state in our NAT, so start
 * our silence afresh.
 */
static void answer_burst(struct edge *e, struct edge_peer *p, uint64_t now)
{
	uint64_t until = now + PUNCH_BURST_MS + PUNCH_QUIET_MS;
	if (in_burst(p, now))
		punch_again(e, p, now);
	else if (burst_start(p, now, PUNCH_SLACK_MS))
		punch_first(e, p, &p->sa, now);
	else if (p->quiet_ms < until)
		p->quiet_ms = until;
}

/*
 * Asks the supernode where the peer is, and announces us to it: both
 * answers make the two sides punch together. Not while we are silent.
 */
void edge_peer_query(struct edge *e, struct edge_peer *p, uint64_t now)
{
	struct n2n_msg m;

	if (in_quiet(p, now))
		return;
	if (p->last_query_ms &&
	    now - p->last_query_ms < (uint64_t)e->reg_interval_s * 1000)
		return;
	p->last_query_ms = now;
	if (!e->relay_only) {
		edge_init_msg(e, &m, N2N_MSG_REGISTER, 0);
		m.u.reg.cookie = N2N_FORWARDED_REG_COOKIE;
		mac_copy(m.u.reg.src_mac, e->mac);
		mac_copy(m.u.reg.dst_mac, p->key.mac);
		m.u.reg.dev_addr.addr = e->ip;
		m.u.reg.dev_addr.prefix = e->prefix;
		memcpy(m.u.reg.dev_desc, e->desc, N2N_DESC_SIZE);
		edge_send_sn(e, &m);
	}
	edge_init_msg(e, &m, N2N_MSG_QUERY_PEER, 0);
	mac_copy(m.u.query_peer.src_mac, e->mac);
	mac_copy(m.u.query_peer.target_mac, p->key.mac);
	edge_send_sn(e, &m);
}

/* Whether we asked about mac within -i: a chatty peer is asked once. */
static bool asked_lately(const struct edge *e, const uint8_t *mac, uint64_t now)
{
	unsigned int i;

	for (i = 0; i < EDGE_ASKED_RING; i++)
		if (e->asked[i].ms &&
		    now - e->asked[i].ms < (uint64_t)e->reg_interval_s * 1000 &&
		    mac_equal(e->asked[i].mac, mac))
			return true;
	return false;
}

/*
 * An edge that knew us before we restarted goes on sending directly. As
 * nothing authenticates that, the supernode vouches for it: QUERY_PEER,
 * whose PEER_INFO punches as for any peer. Bounded, so a flood of made-up
 * MACs costs the supernode a few queries a second and us no memory.
 */
void edge_peer_ask(struct edge *e, const uint8_t *mac, uint64_t now)
{
	struct n2n_msg m;

	if (e->relay_only || mac_is_group(mac) || asked_lately(e, mac, now))
		return;
	if (now - e->ask_window_ms >= 1000) {
		e->ask_window_ms = now;
		e->ask_count = 0;
	}
	if (e->ask_count >= EDGE_ASK_PER_S)
		return;
	e->ask_count++;
	mac_copy(e->asked[e->asked_next].mac, mac);
	e->asked[e->asked_next].ms = now;
	e->asked_next = (e->asked_next + 1) % EDGE_ASKED_RING;
	edge_init_msg(e, &m, N2N_MSG_QUERY_PEER, 0);
	mac_copy(m.u.query_peer.src_mac, e->mac);
	mac_copy(m.u.query_peer.target_mac, mac);
	edge_send_sn(e, &m);
}

/* A peer's socket we can send to: possible, and of a family our socket
 * has (an IPv4 one cannot reach IPv6 peers: they stay relayed). */
static bool usable(const struct edge *e, const struct n2n_sock *s)
{
	struct sockaddr_storage sa;

	if (!sock_possible(s, false))
		return false;
	sockaddr_from_sock(&sa, s);
	return datapath_reaches(&e->dp, sa.ss_family);
}

/*
 * A relayed packet names its sender's public socket. Only learnt: punching
 * on it would put us clearly ahead of the peer (see the top of the file).
 */
void edge_peer_learn_relayed(struct edge *e, const struct n2n_msg *m,
			     uint64_t now)
{
	const struct n2n_sock *sock = &m->u.packet.sock;
	struct edge_peer *p;

	if (!(m->hdr.flags & N2N_FLAGS_SOCKET) || !usable(e, sock) ||
	    e->relay_only)
		return;
	p = edge_peer_get(e, m->u.packet.src_mac, now);
	if (!p)
		return;
	p->last_seen_ms = now;
	if (!p->p2p) {
		sockaddr_from_sock(&p->sa, sock);
		p->have_sa = true;
	}
}

/*
 * Whether a direct datagram from `from` may make us punch there: only when
 * no live path is elsewhere and from is at the address the supernode named
 * for p (its NAT gave it another port towards us: a symmetric NAT, or a
 * rebinding). Nothing in a PACKET or REGISTER authenticates its sender (a
 * captured PACKET replays), and an address of the attacker's own would
 * answer our punch; at the named address only its owner receives the
 * punch's random cookie that the ACK must echo.
 */
static bool may_punch_from(const struct edge *e, const struct edge_peer *p,
			   const struct sockaddr_storage *from, uint64_t now)
{
	return !edge_peer_direct(e, p, now) && p->have_sa &&
	       sockaddr_same_host(&p->sa, from);
}

void edge_peer_punch_at(struct edge *e, struct edge_peer *p,
			const struct sockaddr_storage *to, uint64_t now)
{
	if (may_punch_from(e, p, to, now))
		punch_to(e, p, to, now);
}

void edge_peer_heard_direct(struct edge *e, struct edge_peer *p,
			    const struct sockaddr_storage *from, uint64_t now)
{
	p->last_seen_ms = now;
	if (p->p2p && sockaddr_equal(&p->sa, from)) {
		p->last_p2p_ms = now;
		return;
	}
	/* A live path is never left for a new address: that waits until the
	 * old one went quiet (-i/2). Meanwhile the supernode is asked. */
	if (may_punch_from(e, p, from, now))
		punch_to(e, p, from, now);
	else
		edge_peer_query(e, p, now);
}

static void send_register_ack(struct edge *e, const struct n2n_register *r,
			      const struct sockaddr_storage *to)
{
	struct n2n_msg m;

	edge_init_msg(e, &m, N2N_MSG_REGISTER_ACK, 0);
	m.u.reg_ack.cookie = r->cookie;
	mac_copy(m.u.reg_ack.dst_mac, r->src_mac);
	mac_copy(m.u.reg_ack.src_mac, e->mac);
	edge_send(e, to, &m);
}

void edge_on_register(struct edge *e, const struct n2n_msg *m,
		      const struct sockaddr_storage *from, bool via_sn)
{
	const struct n2n_register *r = &m->u.reg;
	uint64_t now = evloop_now_ms();
	struct edge_peer *p;

	if (mac_equal(r->src_mac, e->mac) ||
	    (!mac_equal(r->dst_mac, e->mac) && !mac_is_zero(r->dst_mac))) {
		edge_drop(e, N2NK_UNEXPECTED);
		return;
	}
	/* Only the supernode introduces peers: a direct REGISTER from a MAC
	 * it never named is answered (as n2n does, no larger than it came)
	 * but leaves no state. */
	p = via_sn ? edge_peer_get(e, r->src_mac, now)
		   : edge_peer_find(e, r->src_mac);
	if (!p && via_sn)
		return;
	if (p)
		p->last_seen_ms = now;
	if (via_sn) {
		/* n2n never acks a relayed REGISTER; it punches instead. */
		if ((m->hdr.flags & N2N_FLAGS_SOCKET) && !p->p2p &&
		    usable(e, &r->sock)) {
			sockaddr_from_sock(&p->sa, &r->sock);
			p->have_sa = true;
			answer_burst(e, p, now);
		}
		return;
	}
	if (e->relay_only)
		return;
	if (log_level >= LOG_LEVEL_DEBUG) {
		char buf[SOCKADDR_STR_MAX], desc[4 * N2N_DESC_SIZE + 1];

		log_debug("direct REGISTER from %s (%s)%s, acking",
			  sockaddr_str(from, buf),
			  log_escape(desc, sizeof(desc), r->dev_desc,
				     N2N_DESC_SIZE),
			  p ? "" : ", a MAC the supernode did not name");
	}
	send_register_ack(e, r, from);
	if (!p) {
		edge_peer_ask(e, r->src_mac, now);
		return;
	}
	/* We punch back where the supernode named the peer (or at another
	 * port there, may_punch_from()), never at an address of its sender's
	 * choosing (docs/architecture.md,
	 * "Peer paths"). */
	if (edge_peer_direct(e, p, now))
		return;
	if (!sockaddr_equal(&p->sa, from) && may_punch_from(e, p, from, now))
		punch_to(e, p, from, now);
	else
		punch(e, p, now);
}

void edge_on_register_ack(struct edge *e, const struct n2n_msg *m,
			  const struct sockaddr_storage *from)
{
	const struct n2n_register_ack *a = &m->u.reg_ack;
	uint64_t now = evloop_now_ms();
	char buf[SOCKADDR_STR_MAX], mac[MAC_STR_MAX];
	struct edge_peer *p;

	if (!mac_equal(a->dst_mac, e->mac) || e->relay_only) {
		edge_drop(e, N2NK_UNEXPECTED);
		return;
	}
	/* Only an answer from where we recently punched, with that punch's
	 * cookie, counts, and it never moves a path that is working
	 * elsewhere. */
	p = edge_peer_find(e, a->src_mac);
	if (!p || !punched(p, from, a->cookie, now) ||
	    (edge_peer_direct(e, p, now) && !sockaddr_equal(&p->sa, from))) {
		edge_drop(e, N2NK_UNEXPECTED);
		return;
	}
	if (!p->p2p)
		log_notice("P2P with %s at %s", mac_str(a->src_mac, mac),
			   sockaddr_str(from, buf));
	p->sa = *from;
	p->have_sa = true;
	p->p2p = true;
	p->last_p2p_ms = p->last_seen_ms = now;
	edge_kernel_sync(e, p, now); /* the kernel goes direct too */
}

/* The supernode's answer to QUERY_PEER: where the peer was seen. */
void edge_on_peer_info(struct edge *e, const struct n2n_msg *m)
{
	const struct n2n_peer_info *pi = &m->u.peer_info;
	uint64_t now = evloop_now_ms();
	struct sockaddr_storage pref;
	struct edge_peer *p;

	/* An answer to our QUERY_PEER names us as the asker (srcMac), from
	 * n2n's supernodes and ours alike: one that does not is not ours. */
	if (!mac_equal(pi->src_mac, e->mac))
		return edge_drop(e, N2NK_UNEXPECTED);
	p = edge_peer_get(e, pi->mac, now);
	if (!p || p->p2p || !usable(e, &pi->sock))
		return;
	p->last_seen_ms = now;
	sockaddr_from_sock(&p->sa, &pi->sock);
	p->have_sa = true;
	if (in_burst(p, now))
		punch_again(e, p, now);
	else if (burst_start(p, now, 0))
		punch_first(e, p, &p->sa, now);
	else
		return;
	if ((m->hdr.flags & N2N_FLAGS_SOCKET) &&
	    usable(e, &pi->preferred_sock)) {
		/* n2n's LAN path (-e); the public one went first, on time. */
		sockaddr_from_sock(&pref, &pi->preferred_sock);
		p->last_punch_ms = 0;
		punch_to(e, p, &pref, now);
	}
}

struct tick_arg {
	struct edge *e;
	uint64_t now;
};

static void peer_tick(struct mac_entry *me, void *arg)
{
	struct tick_arg *t = arg;
	struct edge_peer *p = (struct edge_peer *)me;
	struct edge *e = t->e;

	edge_kernel_sync(e, p, t->now); /* its counters and liveness in */
	if (t->now - p->last_seen_ms > PEER_PURGE_MS) {
		peer_remove(e, p);
		return;
	}
	if (p->p2p && t->now - p->last_p2p_ms > p2p_timeout_ms(e)) {
		log_info("P2P path to a peer went quiet, relaying again");
		p->p2p = false;
		/* Our punches were answered: no stale state to wait for. */
		p->burst_ms = p->quiet_ms = 0;
	}
	/* Keep NAT mappings open and prove the path: REGISTER, expect ACK. */
	if (p->p2p && t->now - p->last_punch_ms >= p2p_timeout_ms(e) / 2)
		punch(e, p, t->now);
	else if (!p->p2p && in_burst(p, t->now) &&
		 t->now - p->last_punch_ms >= PUNCH_RETRY_MS)
		punch(e, p, t->now);
	edge_a6_peer_tick(e, p, t->now);
	edge_kernel_sync(e, p, t->now); /* a path that changed, out */
}

void edge_peers_tick(struct edge *e, uint64_t now)
{
	struct tick_arg t = { e, now };

	mac_table_each(&e->peers, peer_tick, &t);
}

static void peer_free(struct mac_entry *me, void *arg)
{
	peer_remove(arg, (struct edge_peer *)me);
}

void edge_peers_free(struct edge *e)
{
	mac_table_each(&e->peers, peer_free, e);
}
