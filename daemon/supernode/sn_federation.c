// SPDX-License-Identifier: GPL-2.0-only
/*
 * Federation, n2n 3.x's way: supernodes register with each other in the
 * header-encrypted community "*Federation" (every 10 s to members not heard
 * from for 20 s, purged after 90 s), pass their edges' registrations on, and
 * relay for each other's edges: a message for a MAC registered elsewhere
 * goes to the supernode that has it, or to every member when unknown.
 * Only when the operator asked for it (-F or -l): the default name is
 * public, so a default federation would take in any host.
 *
 * The name is the only credential n2n has, and a source address proves
 * nothing, so a supernode becomes a member only once it has shown it
 * receives at its socket: it answers our REGISTER_SUPER with an ACK
 * echoing the cookie, which is keyed to that socket (return routability,
 * as a SYN cookie). Until then it gets a bare ACK (so that it can check
 * us the same way) and our REGISTER_SUPER, both rationed, and nothing
 * else: no member list, no registrations, no broadcasts, no eviction.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/mac.h"
#include "common/sockaddr.h"
#include "conf/conf.h"
#include "sn_dns.h"
#include "supernode.h"

#define FED_INTERVAL_MS	    10000
#define FED_ACTIVE_MS	    20000 /* n2n's LAST_SEEN_SN_ACTIVE */
#define FED_NEW_MS	    60000 /* n2n's LAST_SEEN_SN_NEW */
#define FED_PURGE_MS	    90000 /* n2n's LAST_SEEN_SN_INACTIVE */
#define FED_REMOTE_PURGE_MS 180000
/* A cookie holds for its epoch and the next: 60 to 120 s. */
#define FED_COOKIE_EPOCH_MS 60000
/* Answers to supernodes not yet members: a burst, then this many per s. */
#define FED_CHALLENGE_BURST 32
#define FED_CHALLENGE_RATE  16

/*
 * The federation's community as stock n2n 3.1.1 holds it: its header keys
 * come from the 20 bytes of the name before -F (N2N_FEDERATION's or the
 * default, NUL-padded), and -F is then printed over those bytes (at most
 * 18 characters and a NUL), leaving the rest of the old name behind it.
 * Header encryption never sends the community but checksums those 20
 * bytes, so a federation with stock supernodes needs exactly them.
 */
void sn_fed_wire_name(const struct sn_conf *c, char name[N2N_COMMUNITY_SIZE])
{
	/* '*' and at most CONF_FEDERATION_MAX characters: 18, and the NUL */
	size_t n = strnlen(c->federation, N2N_COMMUNITY_SIZE - 2);

	memcpy(name, c->federation_keys, N2N_COMMUNITY_SIZE);
	memcpy(name, c->federation, n);
	name[n] = 0;
}

int sn_fed_init(struct supernode *sn)
{
	const struct sn_conf *c = sn->conf;
	unsigned int i;

	if (!c->federation_set && !c->n_federation_peers) {
		log_info("federation off (neither -F nor -l given)");
		return 0;
	}
	sn->federation = sn_community_add(sn, c->federation, true);
	if (!sn->federation)
		return -1;
	/* Always header-encrypted, keyed and named as stock n2n does. */
	sn->federation->mode = SN_COMMUNITY_ENCRYPTED;
	msg_he_init(&sn->federation->he, true, c->federation_keys);
	sn_fed_wire_name(c, sn->federation->name);
	randombytes_buf(sn->fed_token, sizeof(sn->fed_token));
	randombytes_buf(sn->fed_cookie_key, sizeof(sn->fed_cookie_key));
	sn->fed_challenge_tokens = FED_CHALLENGE_BURST;
	sn->fed_challenge_ms = evloop_now_ms();
	if (!strcmp(c->federation, CONF_FEDERATION_DEFAULT))
		log_warn("federation under the public default name %s: anyone "
			 "who can send to this supernode may join it; give "
			 "-F a name only your supernodes know",
			 c->federation + 1);
	for (i = 0; i < c->n_federation_peers && i < SN_MAX_ANCHORS; i++) {
		struct sn_anchor *a = &sn->anchors[sn->n_anchors++];

		snprintf(a->host, sizeof(a->host), "%s",
			 c->federation_peers[i].host);
		a->port = c->federation_peers[i].port;
		sn_dns_anchor(sn, a); /* resolved, or asked (sn_dns.c) */
	}
	sn_dns_wait(sn, SN_DNS_START_WAIT_MS);
	return 0;
}

static struct sn_edge *member_by_sa(struct supernode *sn,
				    const struct sockaddr_storage *sa);

bool sn_fed_is_member(struct supernode *sn, const struct sockaddr_storage *from)
{
	return member_by_sa(sn, from) != NULL;
}

static bool is_anchor(const struct supernode *sn,
		      const struct sockaddr_storage *sa)
{
	int i;

	for (i = 0; i < sn->n_anchors; i++)
		if (sn->anchors[i].resolved &&
		    sockaddr_equal(&sn->anchors[i].sa, sa))
			return true;
	return false;
}

bool sn_fed_is_supernode(struct supernode *sn,
			 const struct sockaddr_storage *sa)
{
	return is_anchor(sn, sa) || sn_fed_is_member(sn, sa);
}

struct sa_find {
	const struct sockaddr_storage *sa;
	struct sn_edge *found;
};

static void find_sa(struct mac_entry *me, void *arg)
{
	struct sa_find *f = arg;
	struct sn_edge *e = (struct sn_edge *)me;

	if (sockaddr_equal(&e->sa, f->sa))
		f->found = e;
}

static struct sn_edge *member_by_sa(struct supernode *sn,
				    const struct sockaddr_storage *sa)
{
	struct sa_find f = { sa, NULL };

	if (sn->federation)
		mac_table_each(&sn->federation->edges, find_sa, &f);
	return f.found;
}

static uint32_t cookie_of_epoch(const struct supernode *sn,
				const struct sockaddr_storage *to,
				uint64_t epoch)
{
	struct {
		uint8_t addr[16];
		uint64_t epoch;
		uint16_t port;
		uint8_t ipv6, pad[5];
	} in;
	uint8_t h[crypto_shorthash_BYTES];
	struct n2n_sock s;
	uint32_t cookie;

	memset(&s, 0, sizeof(s));
	memset(&in, 0, sizeof(in));
	sock_from_sockaddr(&s, to);
	memcpy(in.addr, s.addr, sizeof(in.addr));
	in.epoch = epoch;
	in.port = s.port;
	in.ipv6 = s.ipv6;
	crypto_shorthash(h, (const uint8_t *)&in, sizeof(in),
			 sn->fed_cookie_key);
	memcpy(&cookie, h, sizeof(cookie));
	return cookie;
}

/* The cookie of our REGISTER_SUPERs to `to`: SipHash of the socket. */
uint32_t sn_fed_cookie(const struct supernode *sn,
		       const struct sockaddr_storage *to, uint64_t now_ms)
{
	return cookie_of_epoch(sn, to, now_ms / FED_COOKIE_EPOCH_MS);
}

static bool cookie_holds(const struct supernode *sn,
			 const struct sockaddr_storage *from, uint32_t cookie,
			 uint64_t now)
{
	uint64_t epoch = now / FED_COOKIE_EPOCH_MS;

	return cookie == cookie_of_epoch(sn, from, epoch) ||
	       (epoch && cookie == cookie_of_epoch(sn, from, epoch - 1));
}

/* A token bucket for what we send to supernodes not yet members. */
static bool challenge_allowed(struct supernode *sn, uint64_t now)
{
	uint64_t refill =
		(now - sn->fed_challenge_ms) * FED_CHALLENGE_RATE / 1000;

	if (refill) {
		sn->fed_challenge_ms += refill * 1000 / FED_CHALLENGE_RATE;
		sn->fed_challenge_tokens =
			refill >= FED_CHALLENGE_BURST
				? FED_CHALLENGE_BURST
				: (unsigned int)refill +
					  sn->fed_challenge_tokens;
		if (sn->fed_challenge_tokens > FED_CHALLENGE_BURST)
			sn->fed_challenge_tokens = FED_CHALLENGE_BURST;
	}
	if (!sn->fed_challenge_tokens) {
		sn_drop(sn, N2NK_SOURCE_LIMIT);
		return false;
	}
	sn->fed_challenge_tokens--;
	return true;
}

static void send_fed_register(struct supernode *sn,
			      const struct sockaddr_storage *to)
{
	struct n2n_msg m;
	struct n2n_register_super *r = &m.u.reg_super;

	sn_init_msg(&m, sn->federation, N2N_MSG_REGISTER_SUPER,
		    N2N_FLAGS_FROM_SUPERNODE);
	r->cookie = sn_fed_cookie(sn, to, evloop_now_ms());
	mac_copy(r->edge_mac, sn->mac);
	r->auth.scheme = N2N_AUTH_SIMPLE_ID;
	r->auth.token_size = N2N_AUTH_ID_TOKEN_SIZE;
	memcpy(r->auth.token, sn->fed_token, N2N_AUTH_ID_TOKEN_SIZE);
	r->key_time = sn->key_time;
	sn_send(sn, sn->federation, to, &m);
}

struct fed_tick {
	struct supernode *sn;
	uint64_t now;
};

static void member_tick(struct mac_entry *me, void *arg)
{
	struct fed_tick *t = arg;
	struct sn_edge *e = (struct sn_edge *)me;

	if (t->now - e->last_seen_ms > FED_PURGE_MS) {
		mac_table_remove(&t->sn->federation->edges, me);
		free(e);
		return;
	}
	if (t->now - e->last_seen_ms > FED_ACTIVE_MS)
		send_fed_register(t->sn, &e->sa);
}

void sn_fed_tick(struct supernode *sn, uint64_t now)
{
	struct fed_tick t = { sn, now };
	int i;

	if (!sn->federation || now - sn->last_fed_ms < FED_INTERVAL_MS)
		return;
	sn->last_fed_ms = now;
	mac_table_each(&sn->federation->edges, member_tick, &t);
	for (i = 0; i < sn->n_anchors; i++) {
		struct sn_anchor *a = &sn->anchors[i];
		struct sn_edge *m;

		if (!a->resolved)
			sn_dns_anchor(sn, a); /* the answer comes later */
		m = a->resolved ? member_by_sa(sn, &a->sa) : NULL;
		if (a->resolved &&
		    (!m || now - m->last_seen_ms > FED_ACTIVE_MS))
			send_fed_register(sn, &a->sa);
	}
}

struct stale_at {
	struct supernode *sn;
	const uint8_t *mac;
	const struct sockaddr_storage *sa;
};

/* Another MAC at a socket a supernode just proved its own: restarted. */
static void drop_stale_at(struct mac_entry *me, void *arg)
{
	struct stale_at *st = arg;
	struct sn_edge *e = (struct sn_edge *)me;

	if (sockaddr_equal(&e->sa, st->sa) && !mac_equal(e->key.mac, st->mac)) {
		mac_table_remove(&st->sn->federation->edges, me);
		free(e);
	}
}

/*
 * The supernode MAC `mac` answered our cookie at sa. A live member keeps
 * its socket (another host claiming its MAC would move its path); anchors
 * (-l) do not count against the cap. An edge registered at that socket
 * goes once: it is a supernode's.
 */
static struct sn_edge *member_admit(struct supernode *sn, const uint8_t *mac,
				    const struct sockaddr_storage *sa,
				    uint64_t now)
{
	struct sn_community *f = sn->federation;
	struct sn_edge *e = (struct sn_edge *)mac_table_find(&f->edges, mac);
	struct stale_at st = { sn, mac, sa };

	if (mac_equal(mac, sn->mac))
		return NULL;
	if (e && !sockaddr_equal(&e->sa, sa) &&
	    now - e->last_seen_ms < FED_NEW_MS) {
		sn_drop(sn, N2NK_UNEXPECTED);
		return NULL;
	}
	mac_table_each(&f->edges, drop_stale_at, &st);
	if (!e && f->edges.count >= SN_MAX_FED_MEMBERS && !is_anchor(sn, sa)) {
		sn_drop(sn, N2NK_TABLE_FULL);
		return NULL;
	}
	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return NULL;
		mac_copy(e->key.mac, mac);
		mac_table_insert(&f->edges, &e->key);
		log_notice("federation: supernode at %s",
			   sockaddr_str(sa, (char[SOCKADDR_STR_MAX]){ 0 }));
	}
	if (!e->heard || !sockaddr_equal(&e->sa, sa))
		sn_evict_edges_at(sn, sa);
	e->heard = true;
	e->sa = *sa;
	e->last_seen_ms = now;
	return e;
}

struct fed_list {
	struct n2n_sn_entry *out;
	int n, max;
	const struct sockaddr_storage *skip;
	uint64_t now;
};

static void list_one(struct mac_entry *me, void *arg)
{
	struct fed_list *l = arg;
	struct sn_edge *e = (struct sn_edge *)me;
	struct n2n_sn_entry *x;
	struct n2n_sock s;

	if (l->n == l->max || e->sa.ss_family != AF_INET ||
	    (l->skip && sockaddr_equal(&e->sa, l->skip)) ||
	    l->now - e->last_seen_ms >= FED_NEW_MS)
		return;
	sock_from_sockaddr(&s, &e->sa);
	x = &l->out[l->n++];
	memset(x, 0, sizeof(*x));
	x->family = 2; /* AF_INET as every n2n host numbers it */
	x->port = s.port;
	memcpy(x->addr, s.addr, 4);
	mac_copy(x->mac, e->key.mac);
}

int sn_fed_list(struct supernode *sn, struct n2n_sn_entry *out, int max,
		const struct sockaddr_storage *skip)
{
	struct fed_list l = { out, 0, max, skip, evloop_now_ms() };

	if (sn->federation)
		mac_table_each(&sn->federation->edges, list_one, &l);
	return l.n;
}

/* Members get the list of the others; a supernode not yet one nothing. */
static void answer_fed_register(struct supernode *sn, const struct n2n_msg *m,
				const struct sockaddr_storage *from,
				bool member)
{
	struct n2n_msg a;
	struct n2n_register_super_ack *k = &a.u.reg_super_ack;

	sn_init_msg(&a, sn->federation, N2N_MSG_REGISTER_SUPER_ACK,
		    N2N_FLAGS_SOCKET | N2N_FLAGS_FROM_SUPERNODE);
	k->cookie = m->u.reg_super.cookie;
	mac_copy(k->src_mac, sn->mac);
	k->lifetime = 15;
	sock_from_sockaddr(&k->sock, from);
	k->num_sn =
		member ? (uint8_t)sn_fed_list(sn, k->sn, N2N_SN_ENTRY_MAX, from)
		       : 0;
	k->key_time = sn->key_time;
	sn_send(sn, sn->federation, from, &a);
}

/*
 * Supernodes named in a member's ACK: anyone could be named, so each gets
 * our REGISTER_SUPER and joins when it answers, as any other.
 */
static void learn_listed(struct supernode *sn,
			 const struct n2n_register_super_ack *k, uint64_t now)
{
	int i;

	for (i = 0; i < k->num_sn; i++) {
		struct sockaddr_storage sa;
		struct n2n_sock s = { .port = k->sn[i].port };

		if (k->sn[i].family != 2 || mac_equal(k->sn[i].mac, sn->mac))
			continue;
		memcpy(s.addr, k->sn[i].addr, 4);
		sockaddr_from_sock(&sa, &s);
		if (sock_possible(&s, false) && !member_by_sa(sn, &sa) &&
		    challenge_allowed(sn, now))
			send_fed_register(sn, &sa);
	}
}

static void on_fed_register(struct supernode *sn, const struct n2n_msg *m,
			    const struct sockaddr_storage *from, uint64_t now)
{
	struct sn_edge *e = member_by_sa(sn, from);

	if (e && mac_equal(e->key.mac, m->u.reg_super.edge_mac)) {
		e->last_seen_ms = now;
		answer_fed_register(sn, m, from, true);
		return;
	}
	if (!challenge_allowed(sn, now))
		return;
	answer_fed_register(sn, m, from, false);
	send_fed_register(sn, from);
}

/* REGISTER_SUPER and its ACK within "*Federation". */
void sn_fed_handle(struct supernode *sn, const struct n2n_msg *m,
		   const struct sockaddr_storage *from)
{
	const struct n2n_register_super_ack *k = &m->u.reg_super_ack;
	uint64_t now = evloop_now_ms();

	if (m->hdr.type == N2N_MSG_REGISTER_SUPER)
		return on_fed_register(sn, m, from, now);
	if (m->hdr.type != N2N_MSG_REGISTER_SUPER_ACK ||
	    !cookie_holds(sn, from, k->cookie, now)) {
		sn_drop(sn, N2NK_UNEXPECTED);
		return;
	}
	if (member_admit(sn, k->src_mac, from, now))
		learn_listed(sn, k, now);
}

struct fed_send {
	struct supernode *sn;
	struct sn_community *c;
	const struct n2n_msg *m;
	const struct auth_secret *s;
	bool registration;
	uint64_t now;
};

static void send_member(struct mac_entry *me, void *arg)
{
	struct fed_send *f = arg;
	struct sn_edge *e = (struct sn_edge *)me;

	if (f->now - e->last_seen_ms > FED_PURGE_MS)
		return;
	/* An IPv6 edge's socket never goes to an IPv4 member (a stock one
	 * would use it through an IPv4 sockaddr); without SOCKET a stock
	 * member would take it for a member's own registration, so the
	 * registration is not sent at all. */
	if (f->registration && f->m->u.reg_super.sock.ipv6 &&
	    e->sa.ss_family == AF_INET) {
		f->sn->stats.fed_v6_withheld++;
		return;
	}
	if (f->registration)
		sn_send_registration(f->sn, f->c, &e->sa, f->m, f->s);
	else
		sn_send(f->sn, f->c, &e->sa, f->m);
}

static void send_members(struct supernode *sn, struct sn_community *c,
			 const struct n2n_msg *m, bool registration,
			 const struct auth_secret *s)
{
	struct fed_send f = { sn, c, m, s, registration, evloop_now_ms() };

	if (sn->federation)
		mac_table_each(&sn->federation->edges, send_member, &f);
}

void sn_fed_propagate(struct supernode *sn, struct sn_community *c,
		      const struct n2n_msg *reg,
		      const struct sockaddr_storage *edge_sa,
		      const struct auth_secret *s)
{
	struct n2n_msg m = *reg;

	m.hdr.ttl = N2N_DEFAULT_TTL;
	m.hdr.flags = N2N_FLAGS_SOCKET | N2N_FLAGS_FROM_SUPERNODE;
	sock_from_sockaddr(&m.u.reg_super.sock, edge_sa);
	send_members(sn, c, &m, true, s);
}

void sn_fed_learn(struct supernode *sn, struct sn_community *c,
		  const uint8_t *mac, const struct sockaddr_storage *sn_sa)
{
	struct sn_remote *r =
		(struct sn_remote *)mac_table_find(&c->remote, mac);

	if (!r && (c->remote.count >= SN_MAX_REMOTE_PER_COMMUNITY ||
		   sn->n_remote >= SN_MAX_REMOTE)) {
		sn_drop(sn, N2NK_TABLE_FULL);
		return;
	}
	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return;
		mac_copy(r->key.mac, mac);
		mac_table_insert(&c->remote, &r->key);
		sn->n_remote++;
	}
	r->sn_sa = *sn_sa;
	r->last_seen_ms = evloop_now_ms();
}

struct remote_purge {
	struct supernode *sn;
	struct sn_community *c;
	uint64_t now;
};

static void purge_remote_one(struct mac_entry *me, void *arg)
{
	struct remote_purge *p = arg;
	struct sn_remote *r = (struct sn_remote *)me;

	if (p->now - r->last_seen_ms < FED_REMOTE_PURGE_MS)
		return;
	mac_table_remove(&p->c->remote, me);
	p->sn->n_remote--;
	free(r);
}

void sn_fed_purge_remote(struct supernode *sn, struct sn_community *c,
			 uint64_t now)
{
	struct remote_purge p = { sn, c, now };

	mac_table_each(&c->remote, purge_remote_one, &p);
}

/*
 * As n2n: the registration must carry the token the edge registered with
 * here (else a NAK, srcMac the edge's, to the supernode that passed it
 * on); only then has the edge moved there and our record goes.
 */
void sn_fed_on_remote_registration(struct supernode *sn, struct sn_community *c,
				   const struct n2n_msg *m,
				   const struct sockaddr_storage *from)
{
	const struct n2n_register_super *r = &m->u.reg_super;
	struct sn_edge *local =
		(struct sn_edge *)mac_table_find(&c->edges, r->edge_mac);

	if (local && !sn_auth_matches(sn, local, &r->auth)) {
		sn_drop(sn, N2NK_AUTH);
		sn_send_reg_nak(sn, c, r, from);
		return;
	}
	sn_fed_learn(sn, c, r->edge_mac, from);
	if (local)
		sn_edge_delete(sn, c, local);
}

bool sn_fed_forward(struct supernode *sn, struct sn_community *c,
		    const struct n2n_msg *m, const uint8_t *dst)
{
	struct sn_remote *r =
		(struct sn_remote *)mac_table_find(&c->remote, dst);

	if (!sn->federation || !sn->federation->edges.count)
		return false;
	if (r && evloop_now_ms() - r->last_seen_ms < FED_REMOTE_PURGE_MS)
		return sn_send(sn, c, &r->sn_sa, m) == 0;
	send_members(sn, c, m, false, NULL);
	return true;
}

void sn_fed_broadcast(struct supernode *sn, struct sn_community *c,
		      const struct n2n_msg *m)
{
	send_members(sn, c, m, false, NULL);
}
