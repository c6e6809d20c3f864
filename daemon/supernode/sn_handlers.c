// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a supernode does with each message, n2n 3.x's way: register edges
 * (with anti-spoofing and auto-IP), relay PACKET and REGISTER with the
 * sender's socket added, fan broadcasts out, answer QUERY_PEER and PING.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "common/bytes.h"
#include "common/log.h"
#include "common/mac.h"
#include "common/sockaddr.h"
#include "conf/conf.h"
#include "n2nk_relay.h"
#include "proto/auth.h"
#include "proto/pearson.h"
#include "sn_tcp.h"
#include "supernode.h"

#define SN_EDGE_PURGE_MS  60000
/* The kernel relays to an edge this long after its last registration:
 * past the purge (which runs every 5 s) so the daemon deletes it first;
 * the kernel's own deadline only matters when no daemon is left. */
#define SN_EDGE_RELAY_MS  (SN_EDGE_PURGE_MS + 10000)
#define SN_RELAY_SWEEP_MS 30000
#define SN_REG_LIFETIME	  15 /* n2n's reg_lifetime, ignored by edges */

static struct sn_edge *edge_find(struct sn_community *c, const uint8_t *mac)
{
	return (struct sn_edge *)mac_table_find(&c->edges, mac);
}

static bool subnet_taken(struct supernode *sn, uint32_t net)
{
	struct sn_community *c;

	for (c = sn->communities; c; c = c->next)
		if (c->auto_prefix && c->auto_net == net)
			return true;
	return false;
}

/* n2n: a /24 (or -a prefix) per community, picked by the name's hash. */
static void pick_subnet(struct supernode *sn, struct sn_community *c)
{
	const struct sn_conf *cf = sn->conf;
	uint8_t prefix = cf->auto_ip_prefix ? cf->auto_ip_prefix : 24;
	uint32_t lo = ntohl(cf->auto_ip_min.s_addr) >> (32 - prefix);
	uint32_t hi = ntohl(cf->auto_ip_max.s_addr) >> (32 - prefix);
	uint32_t n = hi >= lo ? hi - lo + 1 : 1, start, i;

	start = pearson_hash_32((const uint8_t *)c->name, N2N_COMMUNITY_SIZE) %
		n;
	for (i = 0; i < n; i++) {
		uint32_t idx = (start + n - i) % n; /* down first, then wrap */
		uint32_t net = (lo + idx) << (32 - prefix);

		if (!subnet_taken(sn, net)) {
			c->auto_net = net;
			c->auto_prefix = prefix;
			return;
		}
	}
}

/* The bit of an address in the community's auto-IP set, or -1. */
static long auto_bit(const struct sn_community *c, uint32_t ip)
{
	uint32_t off = ip - c->auto_net;

	if (!c->auto_used || ip < c->auto_net || off >= c->auto_hosts)
		return -1;
	return (long)off;
}

static struct sn_auto_dup *dup_find(const struct sn_community *c, uint32_t ip)
{
	uint8_t key[MAC_SIZE] = { 0 };

	memcpy(key, &ip, 4);
	return (struct sn_auto_dup *)mac_table_find(c->auto_dups, key);
}

static void addr_take(struct sn_community *c, uint32_t ip)
{
	long b = auto_bit(c, ip);
	struct sn_auto_dup *d;

	if (b < 0)
		return;
	if (!(c->auto_used[b / 8] & (1u << (b % 8)))) {
		c->auto_used[b / 8] |= (uint8_t)(1u << (b % 8));
		c->auto_n_used++;
		return;
	}
	/* Someone chose an address in use (as n2n allows): counted, so
	 * that its release needs no walk of the edges. */
	d = dup_find(c, ip);
	if (!d) {
		d = calloc(1, sizeof(*d));
		if (!d)
			return; /* the bit may then clear one release early */
		memcpy(d->key.mac, &ip, 4);
		mac_table_insert(c->auto_dups, &d->key);
	}
	d->extra++;
}

/* An edge no longer has ip. */
static void addr_release(struct sn_community *c, uint32_t ip)
{
	long b = auto_bit(c, ip);
	struct sn_auto_dup *d;

	if (b < 0 || !(c->auto_used[b / 8] & (1u << (b % 8))))
		return;
	d = dup_find(c, ip);
	if (d) {
		if (!--d->extra) {
			mac_table_remove(c->auto_dups, &d->key);
			free(d);
		}
		return;
	}
	c->auto_used[b / 8] &= (uint8_t) ~(1u << (b % 8));
	c->auto_n_used--;
}

static void free_dup(struct mac_entry *me, void *arg)
{
	mac_table_remove(arg, me);
	free(me);
}

static void auto_set_free(struct sn_community *c)
{
	if (c->auto_dups)
		mac_table_each(c->auto_dups, free_dup, c->auto_dups);
	free(c->auto_dups);
	free(c->auto_used);
	c->auto_dups = NULL;
	c->auto_used = NULL;
}

static void take_existing(struct mac_entry *me, void *arg)
{
	addr_take(arg, ((struct sn_edge *)me)->dev_addr.addr);
}

/* The set, once the community has a subnet; host 0 and the last kept. */
static int auto_set_init(struct sn_community *c)
{
	uint32_t hosts = 1u << (32 - c->auto_prefix);

	if (c->auto_used)
		return 0;
	if (hosts > SN_AUTO_IP_MAX_HOSTS)
		hosts = SN_AUTO_IP_MAX_HOSTS;
	c->auto_used = calloc(hosts / 8 ? hosts / 8 : 1, 1);
	c->auto_dups = calloc(1, sizeof(*c->auto_dups));
	if (!c->auto_used || !c->auto_dups) {
		auto_set_free(c);
		return -ENOMEM;
	}
	c->auto_hosts = hosts;
	c->auto_used[0] |= 1;
	c->auto_used[(hosts - 1) / 8] |= (uint8_t)(1u << ((hosts - 1) % 8));
	c->auto_n_used = 2;
	mac_table_each(&c->edges, take_existing, c);
	return 0;
}

/* The host part from the description's hash, avoiding used addresses:
 * at most one look at each bit, and none when the set is full. */
static uint32_t pick_host(struct sn_community *c, const uint8_t *desc)
{
	uint32_t mask = c->auto_hosts - 1, i;
	uint32_t h = pearson_hash_32(desc, N2N_DESC_SIZE) & mask;

	if (c->auto_n_used >= c->auto_hosts)
		return 0;
	for (i = 0; i <= mask; i++) {
		uint32_t b = (h + mask + 1 - i) & mask;

		if (!(c->auto_used[b / 8] & (1u << (b % 8))))
			return c->auto_net | b;
	}
	return 0;
}

static bool needs_auto_ip(const struct n2n_ip_subnet *a)
{
	return a->addr == 0 || a->addr == 0xffffffff || a->prefix == 0 ||
	       (a->addr >> 16) == 0xa9fe; /* 169.254/16 */
}

/* The bucket of to's address (every port shares it). */
static struct sn_answer_slot *answer_slot(struct supernode *sn,
					  const struct sockaddr_storage *to)
{
	uint8_t h[crypto_shorthash_BYTES];
	struct n2n_sock s;

	if (!sn->answer_slots) {
		sn->answer_slots =
			calloc(SN_ANSWER_SLOTS, sizeof(*sn->answer_slots));
		if (!sn->answer_slots)
			return NULL;
		randombytes_buf(sn->answer_key, sizeof(sn->answer_key));
	}
	sock_from_sockaddr(&s, to);
	/* IPv6: one budget per /64, as the broadcast bound counts it; a
	 * host holds a whole /64, so per address a spoofer could aim many
	 * budgets at one site. */
	crypto_shorthash(h, s.addr, s.ipv6 ? 8 : sizeof(s.addr),
			 sn->answer_key);
	return &sn->answer_slots[get_be32(h) % SN_ANSWER_SLOTS];
}

/*
 * Whether we may answer to: anyone can send what makes us answer, from
 * a spoofed address, so each host gets SN_ANSWERS_PER_S at most (the
 * rest is counted: answer_limit). Out of memory: no limit.
 */
bool sn_answer_allowed(struct supernode *sn, const struct sockaddr_storage *to)
{
	const uint64_t cap = (uint64_t)SN_ANSWER_BURST * 1000;
	struct sn_answer_slot *a = answer_slot(sn, to);
	uint64_t now = evloop_now_ms(), tokens;

	if (!a)
		return true;
	tokens = a->last_ms ? a->tokens + (now - a->last_ms) * SN_ANSWERS_PER_S
			    : cap;
	a->last_ms = now;
	a->tokens = (uint32_t)(tokens > cap ? cap : tokens);
	if (a->tokens < 1000) {
		sn_drop(sn, N2NK_ANSWER_LIMIT);
		return false;
	}
	a->tokens -= 1000;
	return true;
}

static void send_reg_ack(struct supernode *sn, struct sn_community *c,
			 const struct n2n_register_super *r,
			 const struct sn_edge *e,
			 const struct n2n_ip_subnet *addr,
			 const struct sockaddr_storage *from,
			 const struct auth_secret *upw)
{
	struct n2n_msg m;
	struct n2n_register_super_ack *a = &m.u.reg_super_ack;

	if (!sn_answer_allowed(sn, from))
		return;
	sn_init_msg(&m, c, N2N_MSG_REGISTER_SUPER_ACK,
		    N2N_FLAGS_SOCKET | N2N_FLAGS_FROM_SUPERNODE);
	a->cookie = r->cookie;
	mac_copy(a->src_mac, sn->mac);
	a->dev_addr = *addr;
	a->lifetime = SN_REG_LIFETIME;
	sock_from_sockaddr(&a->sock, from);
	/* Other supernodes, so the edge can fail over to them: only to an
	 * edge registered a while (SN_LIST_AFTER_MS). */
	if (e && evloop_now_ms() - e->first_ms >= SN_LIST_AFTER_MS)
		a->num_sn =
			(uint8_t)sn_fed_list(sn, a->sn, N2N_SN_ENTRY_MAX, NULL);
	if (upw) {
		/* Proves we know the secret and hands over the dynamic key. */
		a->auth.scheme = N2N_AUTH_USER_PASSWORD;
		a->auth.token_size = AUTH_TOKEN_SIZE;
		auth_sn_answer(a->auth.token, r->auth.token, upw,
			       c->dynamic_key);
	}
	sn_send_registration(sn, c, from, &m, upw);
}

void sn_send_reg_nak(struct supernode *sn, struct sn_community *c,
		     const struct n2n_register_super *r,
		     const struct sockaddr_storage *from)
{
	struct n2n_msg m;

	if (!sn_answer_allowed(sn, from))
		return;
	sn_init_msg(&m, c, N2N_MSG_REGISTER_SUPER_NAK,
		    N2N_FLAGS_SOCKET | N2N_FLAGS_FROM_SUPERNODE);
	m.u.reg_super_nak.cookie = r->cookie;
	mac_copy(m.u.reg_super_nak.src_mac, r->edge_mac);
	sn->stats.reg_super_nak++;
	sn_send_registration(sn, c, from, &m, NULL);
}

bool sn_auth_matches(const struct supernode *sn, const struct sn_edge *e,
		     const struct n2n_auth *a)
{
	if (sn->conf->spoofing_protection_off)
		return true;
	/* u/pw tokens carry a fresh challenge; the public key is the id. */
	if (a->scheme == N2N_AUTH_USER_PASSWORD)
		return e->auth.scheme == a->scheme &&
		       e->auth.token_size == a->token_size &&
		       !memcmp(e->auth.token, a->token, AUTH_KEY_SIZE);
	return e->auth.scheme == a->scheme &&
	       e->auth.token_size == a->token_size &&
	       !memcmp(e->auth.token, a->token, a->token_size);
}

/*
 * A community's he_keys entry in the kernel relay, once: a -H community's
 * keys, or none (a previous daemon's pinned entry gone). A -H community's
 * edges are mirrored only once its keys are there: without them the
 * program would take it for a plaintext one. Our own stamps then lead the
 * kernel's by 1 ms, so that a message no reordering is allowed for (a
 * REGISTER_SUPER_ACK) never arrives behind a PACKET the kernel stamped
 * (the edge keeps one record for both).
 */
static int mirror_he(struct supernode *sn, struct sn_community *c)
{
	int err;

	if (c->he_in_kernel || !sn->dp.relay)
		return 0;
	err = c->he.on ? datapath_relay_he_set(&sn->dp, c->name, &c->he.keys)
		       : datapath_relay_he_del(&sn->dp, c->name);
	if (err)
		return err;
	c->he_in_kernel = true;
	if (!c->he.on)
		return 0;
	c->he.lead_usec = 1000; /* set at start too, for listed ones */
	log_info("community \"%s\": -H PACKETs relayed in the kernel",
		 SN_NAME(c));
	return 0;
}

/* A failed mirror is counted (n2nctl stats: xdp_mirror_failed) and logged
 * once until one succeeds again: a full map must not become a log flood
 * at the rate of registrations. */
static void mirror_result(struct supernode *sn, const struct sn_community *c,
			  int err)
{
	if (!err) {
		sn->stats.xdp_mirror_failing = false;
		return;
	}
	sn->stats.xdp_mirror_failed++;
	if (sn->stats.xdp_mirror_failing)
		return;
	sn->stats.xdp_mirror_failing = true;
	if (err == -E2BIG)
		log_warn("XDP relay: its maps are full (%u edges); edges "
			 "beyond are relayed by the daemon (n2nctl stats: "
			 "xdp_mirror_failed)",
			 N2NK_RELAY_MAX_EDGES);
	else
		log_warn("community \"%s\": %s (n2nctl stats: "
			 "xdp_mirror_failed)",
			 SN_NAME(c), sn->dp.err_buf);
}

/*
 * Keeps the kernel relay's maps in step with the registry (a no-op on the
 * socket datapath). IPv4 and IPv6 edges, never the federation or a community with
 * users and passwords (dynamic keys: the XDP program has only the static
 * ones), which stay entirely in userspace. A -H edge's replay record goes
 * with it.
 */
/* An edge the relay's maps can hold: IPv4, or IPv6 but link-local (its
 * scope, the link it is on, has no place there: the daemon relays it). */
static bool mirrorable(const struct sockaddr_storage *sa)
{
	const struct sockaddr_in6 *in6 = (const void *)sa;

	return sa->ss_family == AF_INET ||
	       (sa->ss_family == AF_INET6 &&
		!IN6_IS_ADDR_LINKLOCAL(&in6->sin6_addr));
}

void sn_mirror_edge(struct supernode *sn, struct sn_community *c,
		    const struct sn_edge *e, bool registered)
{
	int err;

	if (c->he.upw || c == sn->federation)
		return;
	/* Not an edge on TCP: the kernel relay sends UDP only. */
	if (registered && mirrorable(&e->sa) && !e->tcp) {
		err = mirror_he(sn, c);
		if (!err)
			err = datapath_relay_edge_set(&sn->dp, c->name,
						      e->key.mac, &e->sa,
						      SN_EDGE_RELAY_MS);
		if (!err && c->he.on)
			err = datapath_relay_he_stamp(
				&sn->dp, c->name, e->key.mac, e->replay.last);
		/* Not relayed in the kernel: no stale entry either (an edge
		 * that moved); the daemon relays it. */
		if (err)
			datapath_relay_edge_del(&sn->dp, c->name, e->key.mac);
	} else
		err = datapath_relay_edge_del(&sn->dp, c->name, e->key.mac);
	mirror_result(sn, c, err);
}

static struct sn_edge *edge_add(struct supernode *sn, struct sn_community *c,
				const uint8_t *mac, const struct n2n_auth *auth)
{
	struct sn_edge *e;

	if (c->edges.count >= SN_MAX_EDGES_PER_COMMUNITY ||
	    sn->n_edges >= (sn->max_edges ? sn->max_edges : SN_MAX_EDGES))
		return NULL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	mac_copy(e->key.mac, mac);
	e->auth = *auth;
	e->first_ms = evloop_now_ms();
	ts_replay_init(&e->replay, ts_from_usec(evloop_wall_usec()));
	mac_table_insert(&c->edges, &e->key);
	sn->n_edges++;
	return e;
}

/*
 * The sources' key: the IPv4 address and port as on the wire; port 0 for
 * the address as a whole (no edge has port 0: sn_edge_socket_ok). IPv6:
 * a keyed hash in the address's place, of the address (with the port) or
 * of its /64 (as a whole: one host or site, as a NAT's IPv4 address).
 */
static bool source_key(struct supernode *sn, uint8_t key[MAC_SIZE],
		       const struct sockaddr_storage *sa, bool with_port)
{
	const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
	uint8_t h[crypto_shorthash_BYTES];

	if (sa->ss_family == AF_INET) {
		memcpy(key, &in->sin_addr, 4);
		memcpy(key + 4, with_port ? &in->sin_port : &(uint16_t){ 0 },
		       2);
		return true;
	}
	if (sa->ss_family != AF_INET6)
		return false;
	crypto_shorthash(h, in6->sin6_addr.s6_addr, with_port ? 16 : 8,
			 sn->source_key6);
	memcpy(key, h, 4);
	memcpy(key + 4, with_port ? &in6->sin6_port : &(uint16_t){ 0 }, 2);
	return true;
}

/* Adds d (1 or -1) to a source's count; false if out of memory. */
static bool source_add(struct supernode *sn, const struct sockaddr_storage *sa,
		       bool with_port, int d)
{
	uint8_t key[MAC_SIZE];
	struct sn_source *s;

	if (!source_key(sn, key, sa, with_port))
		return true;
	s = (struct sn_source *)mac_table_find(&sn->sources, key);
	if (!s && d > 0) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return false;
		mac_copy(s->key.mac, key);
		mac_table_insert(&sn->sources, &s->key);
	}
	if (!s)
		return true;
	s->edges += (uint32_t)d;
	if (!s->edges) {
		mac_table_remove(&sn->sources, &s->key);
		free(s);
	}
	return true;
}

static void edge_uncount(struct supernode *sn, struct sn_edge *e)
{
	if (!e->counted)
		return;
	source_add(sn, &e->sa, true, -1);
	source_add(sn, &e->sa, false, -1);
	e->counted = false;
}

/*
 * Whether the broadcast under way may send one more copy to sa: once per
 * socket, SN_MAX_BCAST_PER_IP per address. Registrations at a victim's
 * address (spoofed) then add nothing to what a broadcast sends it.
 */
static bool bcast_has_room(struct supernode *sn,
			   const struct sockaddr_storage *sa)
{
	uint8_t key_sock[MAC_SIZE], key_ip[MAC_SIZE];
	struct sn_source *sock, *ip;

	if (!source_key(sn, key_sock, sa, true) ||
	    !source_key(sn, key_ip, sa, false))
		return true; /* not a source this table keys */
	sock = (struct sn_source *)mac_table_find(&sn->sources, key_sock);
	ip = (struct sn_source *)mac_table_find(&sn->sources, key_ip);
	if (!sock || !ip)
		return true; /* not counted: registered before the count */
	if (sock->bcast_gen != sn->stats.bcast_gen)
		sock->bcast_gen = sn->stats.bcast_gen, sock->bcast_sent = 0;
	if (ip->bcast_gen != sn->stats.bcast_gen)
		ip->bcast_gen = sn->stats.bcast_gen, ip->bcast_sent = 0;
	if (sock->bcast_sent >= 1 || ip->bcast_sent >= SN_MAX_BCAST_PER_IP)
		return false;
	sock->bcast_sent++;
	ip->bcast_sent++;
	return true;
}

/* The edge is now at sa. */
static void edge_move(struct supernode *sn, struct sn_edge *e,
		      const struct sockaddr_storage *sa)
{
	if (e->counted && sockaddr_equal(&e->sa, sa))
		return;
	edge_uncount(sn, e);
	e->sa = *sa;
	if (!source_add(sn, sa, true, 1))
		return;
	if (!source_add(sn, sa, false, 1)) {
		source_add(sn, sa, true, -1);
		return;
	}
	e->counted = true;
}

void sn_edge_delete(struct supernode *sn, struct sn_community *c,
		    struct sn_edge *e)
{
	sn_mirror_edge(sn, c, e, false);
	edge_uncount(sn, e);
	mac_table_remove(&c->edges, &e->key);
	sn->n_edges--;
	addr_release(c, e->dev_addr.addr);
	free(e);
}

static void own_addr_add(struct supernode *sn, const struct sockaddr *a)
{
	if (a->sa_family == AF_INET && sn->n_own_addrs < SN_MAX_OWN_ADDRS)
		sn->own_addrs[sn->n_own_addrs++] =
			((const struct sockaddr_in *)a)->sin_addr.s_addr;
	if (a->sa_family == AF_INET6 && sn->n_own_addrs6 < SN_MAX_OWN_ADDRS)
		sn->own_addrs6[sn->n_own_addrs6++] =
			((const struct sockaddr_in6 *)a)->sin6_addr;
}

void sn_own_addrs_refresh(struct supernode *sn)
{
	struct ifaddrs *ifa, *i;

	if (getifaddrs(&ifa))
		return;
	sn->n_own_addrs = 0;
	sn->n_own_addrs6 = 0;
	for (i = ifa; i; i = i->ifa_next)
		if (i->ifa_addr)
			own_addr_add(sn, i->ifa_addr);
	freeifaddrs(ifa);
}

static bool is_own_socket(struct supernode *sn, const struct sockaddr_in *in)
{
	const struct sn_conf *cf = sn->conf;
	unsigned int i;

	if (cf->bind_addr.family == AF_INET &&
	    cf->bind_addr.v4.s_addr != INADDR_ANY)
		return in->sin_addr.s_addr == cf->bind_addr.v4.s_addr;
	for (i = 0; i < sn->n_own_addrs; i++)
		if (in->sin_addr.s_addr == sn->own_addrs[i])
			return true;
	return false;
}

static bool is_own_socket6(struct supernode *sn, const struct sockaddr_in6 *in6)
{
	const struct sn_conf *cf = sn->conf;
	unsigned int i;

	if (cf->bind_addr.family == AF_INET6 &&
	    !IN6_IS_ADDR_UNSPECIFIED(&cf->bind_addr.v6))
		return IN6_ARE_ADDR_EQUAL(&in6->sin6_addr, &cf->bind_addr.v6);
	for (i = 0; i < sn->n_own_addrs6; i++)
		if (IN6_ARE_ADDR_EQUAL(&in6->sin6_addr, &sn->own_addrs6[i]))
			return true;
	return false;
}

/* Neither a socket no host sends from (sockaddr_possible()) nor our
 * own: cheap enough for every edge of a broadcast. 127/8 does arrive,
 * from an edge on this very host (-l 127.0.0.1); from the wire the stack
 * drops it, and the AF_XDP path drops it itself (impossible_source). */
static bool socket_plausible(struct supernode *sn,
			     const struct sockaddr_storage *sa)
{
	uint16_t port = sn->dp.bound_port ? sn->dp.bound_port : sn->conf->port;

	if (!sockaddr_possible(sa, true))
		return false;
	if (sa->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port) !=
			       port ||
		       !is_own_socket(sn, (const struct sockaddr_in *)sa);
	return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port) != port ||
	       !is_own_socket6(sn, (const struct sockaddr_in6 *)sa);
}

bool sn_edge_socket_ok(struct supernode *sn, const struct sockaddr_storage *sa)
{
	return socket_plausible(sn, sa) && !sn_fed_is_supernode(sn, sa);
}

struct evict {
	struct supernode *sn;
	struct sn_community *c;
	const struct sockaddr_storage *sa;
};

static void evict_one(struct mac_entry *me, void *arg)
{
	struct evict *v = arg;
	struct sn_edge *e = (struct sn_edge *)me;

	if (sockaddr_equal(&e->sa, v->sa))
		sn_edge_delete(v->sn, v->c, e);
}

void sn_evict_edges_at(struct supernode *sn, const struct sockaddr_storage *sa)
{
	struct sn_community *c;

	for (c = sn->communities; c; c = c->next) {
		struct evict v = { sn, c, sa };

		if (c != sn->federation)
			mac_table_each(&c->edges, evict_one, &v);
	}
}

/*
 * u/pw: the token's public key must be a user of the community (else NAK)
 * and the trailer must verify with the secret we share with it (else a
 * silent drop, as n2n). On success s holds that secret.
 */
static int check_upw(struct supernode *sn, struct sn_community *c,
		     const struct n2n_register_super *r,
		     const struct msg_opened *o, struct auth_secret *s)
{
	if (r->auth.scheme != N2N_AUTH_USER_PASSWORD ||
	    r->auth.token_size != AUTH_TOKEN_SIZE ||
	    !community_list_find_user(sn->community_list, c->name,
				      r->auth.token) ||
	    auth_secret_init(s, sn->fed_prv, r->auth.token))
		return -EPERM;
	if (!o->by_static ||
	    auth_trailer_verify(o->trailer, o->enc, o->enc_len, s))
		return -EBADMSG;
	return 0;
}

/* Scheme and user checks; false when the registration was refused. */
static bool admit(struct supernode *sn, struct sn_community *c,
		  const struct n2n_register_super *r,
		  const struct msg_opened *o,
		  const struct sockaddr_storage *from, struct auth_secret *s)
{
	int err = 0;

	if (c->he.upw)
		err = check_upw(sn, c, r, o, s);
	else if (r->auth.scheme == N2N_AUTH_USER_PASSWORD)
		err = -EPERM; /* n2n: scheme must match the community */
	if (!err)
		return true;
	sn_drop(sn, N2NK_AUTH);
	if (err == -EPERM)
		sn_send_reg_nak(sn, c, r, from);
	return false;
}

/* The edge's own address, or one from the subnet; -ENOSPC when full. */
static int assign_address(struct supernode *sn, struct sn_community *c,
			  const struct n2n_register_super *r,
			  const struct sn_edge *e, struct n2n_ip_subnet *addr)
{
	*addr = r->dev_addr;
	if (!needs_auto_ip(addr))
		return 0;
	if (!c->auto_prefix)
		pick_subnet(sn, c);
	if (!c->auto_prefix || auto_set_init(c))
		return -ENOSPC;
	/* A registered edge keeps what it was given. */
	if (e && auto_bit(c, e->dev_addr.addr) > 0) {
		*addr = e->dev_addr;
		return 0;
	}
	addr->addr = pick_host(c, r->dev_desc);
	addr->prefix = c->auto_prefix;
	return addr->addr ? 0 : -ENOSPC;
}

static void edge_set_addr(struct sn_community *c, struct sn_edge *e,
			  const struct n2n_ip_subnet *addr)
{
	if (e->dev_addr.addr != addr->addr) {
		addr_release(c, e->dev_addr.addr);
		addr_take(c, addr->addr);
	}
	e->dev_addr = *addr;
}

static void on_register_super(struct supernode *sn, struct sn_community *c,
			      const struct n2n_msg *m,
			      const struct sockaddr_storage *from,
			      const struct msg_opened *o)
{
	const struct n2n_register_super *r = &m->u.reg_super;
	struct auth_secret s = { 0 };
	struct n2n_ip_subnet addr;
	struct sn_edge *e;

	if (m->hdr.flags & N2N_FLAGS_FROM_SUPERNODE) {
		/* Another supernode tells us where one of its edges is. */
		if ((m->hdr.flags & N2N_FLAGS_SOCKET) &&
		    sn_fed_is_member(sn, from))
			return sn_fed_on_remote_registration(sn, c, m, from);
		return sn_drop(sn, N2NK_UNKNOWN_SUPERNODE);
	}
	sn->stats.reg_super++;
	/* Never an edge at a socket no host sends from, at ours or another
	 * supernode's: our broadcasts would loop or reflect there. */
	if (!sn_edge_socket_ok(sn, from))
		return sn_drop(sn, N2NK_BAD_EDGE_SOCKET);
	if (!admit(sn, c, r, o, from, &s))
		return;
	e = edge_find(c, r->edge_mac);
	if (e && !sn_auth_matches(sn, e, &r->auth)) {
		sn_drop(sn, N2NK_AUTH);
		sn_send_reg_nak(sn, c, r, from);
	} else if (assign_address(sn, c, r, e, &addr)) {
		sn_drop(sn, N2NK_AUTO_IP_FULL);
		sn_send_reg_nak(sn, c, r, from);
	} else if (mac_is_zero(r->edge_mac)) {
		/* The bootstrap request only asks for an address. */
		send_reg_ack(sn, c, r, NULL, &addr, from,
			     c->he.upw ? &s : NULL);
	} else if (!e && !(e = edge_add(sn, c, r->edge_mac, &r->auth))) {
		sn_drop(sn, N2NK_TABLE_FULL);
	} else {
		edge_move(sn, e, from);
		edge_set_addr(c, e, &addr);
		memcpy(e->desc, r->dev_desc, N2N_DESC_SIZE);
		e->has_pref = (m->hdr.flags & N2N_FLAGS_SOCKET) &&
			      sock_possible(&r->sock, false);
		e->pref = r->sock;
		e->last_seen_ms = evloop_now_ms();
		sn_tcp_registered(sn, c, e, from);
		sn_mirror_edge(sn, c, e, true);
		send_reg_ack(sn, c, r, e, &addr, from, c->he.upw ? &s : NULL);
		sn_fed_propagate(sn, c, m, from, c->he.upw ? &s : NULL);
	}
	auth_secret_wipe(&s);
}

static void on_unregister_super(struct supernode *sn, struct sn_community *c,
				const struct n2n_msg *m)
{
	const struct n2n_unregister_super *u = &m->u.unreg_super;
	struct sn_edge *e = edge_find(c, u->src_mac);

	if (!e || !sn_auth_matches(sn, e, &u->auth))
		return sn_drop(sn, N2NK_AUTH);
	sn_edge_delete(sn, c, e);
}

/* Only the edge registered with that MAC, from its socket, may send as it. */
static struct sn_edge *known_sender(struct supernode *sn,
				    struct sn_community *c, const uint8_t *mac,
				    const struct sockaddr_storage *from)
{
	struct sn_edge *e = edge_find(c, mac);

	if (!e)
		return NULL;
	if (!sn->conf->spoofing_protection_off && !sockaddr_equal(&e->sa, from))
		return NULL;
	return e;
}

struct fanout {
	struct supernode *sn;
	struct sn_community *c;
	const struct n2n_msg *m;
	const uint8_t *except;
};

static void fanout_one(struct mac_entry *me, void *arg)
{
	struct fanout *f = arg;
	struct sn_edge *e = (struct sn_edge *)me;

	/* Our address may have changed under an edge (a supernode's
	 * socket evicts its edges when it joins: sn_evict_edges_at). */
	if (mac_equal(e->key.mac, f->except) ||
	    !socket_plausible(f->sn, &e->sa))
		return;
	if (!bcast_has_room(f->sn, &e->sa)) {
		sn_drop(f->sn, N2NK_SOURCE_LIMIT);
		return;
	}
	if (sn_send_edge(f->sn, f->c, e, f->m) == 0)
		e->tx_pkts++;
}

static void deliver_local(struct supernode *sn, struct sn_community *c,
			  const struct n2n_msg *m, const uint8_t *src,
			  const uint8_t *dst)
{
	struct sn_edge *d;

	if (mac_is_group(dst)) {
		struct fanout f = { sn, c, m, src };

		sn->stats.bcast_gen++;
		mac_table_each(&c->edges, fanout_one, &f);
		sn->stats.bcast++;
		c->bcast++;
		return;
	}
	d = edge_find(c, dst);
	if (!d) {
		sn_drop(sn, N2NK_UNKNOWN_DEST);
		return;
	}
	if (sn_send_edge(sn, c, d, m) == 0) {
		d->tx_pkts++;
		sn->stats.fwd++;
		c->fwd++;
	}
}

/* From another supernode of the federation: for our own edges only. */
static void relay_from_sn(struct supernode *sn, struct sn_community *c,
			  const struct n2n_msg *m,
			  const struct sockaddr_storage *from)
{
	const uint8_t *src = msg_src_mac(m), *dst = msg_dst_mac(m);
	struct n2n_msg out = *m;

	if (!sn_fed_is_member(sn, from))
		return sn_drop(sn, N2NK_UNKNOWN_SUPERNODE);
	if (m->hdr.type == N2N_MSG_REGISTER && mac_is_group(dst))
		return sn_drop(sn, N2NK_UNEXPECTED);
	/* Each supernode hop spends one: whatever slipped past the socket
	 * checks cannot circle between supernodes for ever. */
	if (m->hdr.ttl < 1)
		return sn_drop(sn, N2NK_TTL_EXPIRED);
	out.hdr.ttl = (uint8_t)(m->hdr.ttl - 1);
	sn_fed_learn(sn, c, src, from);
	deliver_local(sn, c, &out, src, dst);
}

/*
 * PACKET and REGISTER from an edge: n2n re-encodes them with
 * SOCKET|FROM_SUPERNODE, TTL - 1 and the sender's public socket, for a
 * local edge, another supernode of the federation, or (broadcast) both.
 */
static void relay(struct supernode *sn, struct sn_community *c,
		  const struct n2n_msg *in, const struct sockaddr_storage *from)
{
	const uint8_t *src = msg_src_mac(in), *dst = msg_dst_mac(in);
	struct n2n_msg m = *in;
	struct sn_edge *s;

	if (in->hdr.flags & N2N_FLAGS_FROM_SUPERNODE)
		return relay_from_sn(sn, c, in, from);
	if (in->hdr.ttl < 1)
		return sn_drop(sn, N2NK_TTL_EXPIRED);
	s = known_sender(sn, c, src, from);
	if (!s)
		return sn_drop(sn, N2NK_UNKNOWN_SENDER);
	s->rx_pkts++;
	m.hdr.ttl = (uint8_t)(in->hdr.ttl - 1);
	m.hdr.flags |= N2N_FLAGS_SOCKET | N2N_FLAGS_FROM_SUPERNODE;
	sock_from_sockaddr(in->hdr.type == N2N_MSG_PACKET ? &m.u.packet.sock
							  : &m.u.reg.sock,
			   from);
	if (mac_is_group(dst)) {
		if (in->hdr.type != N2N_MSG_PACKET)
			return sn_drop(sn, N2NK_UNEXPECTED);
		deliver_local(sn, c, &m, src, dst);
		sn_fed_broadcast(sn, c, &m);
		return;
	}
	if (edge_find(c, dst))
		deliver_local(sn, c, &m, src, dst);
	else if (sn_fed_forward(sn, c, &m, dst))
		sn->stats.fwd++;
	else
		sn_drop(sn, N2NK_UNKNOWN_DEST);
}

static void send_pong(struct supernode *sn, struct sn_community *c,
		      const struct sockaddr_storage *from)
{
	struct n2n_msg m;
	struct n2n_peer_info *pi = &m.u.peer_info;

	if (!sn_answer_allowed(sn, from))
		return;
	sn_init_msg(&m, c, N2N_MSG_PEER_INFO, N2N_FLAGS_FROM_SUPERNODE);
	mac_copy(pi->src_mac, sn->mac);
	sock_from_sockaddr(&pi->sock, from);
	pi->load = 0; /* n2n's edges read a byte-swapped 0 as 0 */
	pi->uptime = (uint32_t)((evloop_now_ms() - sn->start_ms) / 1000);
	snprintf((char *)pi->version, N2N_VERSION_STRING_SIZE, "%s",
		 sn->conf->version[0] ? sn->conf->version : "n2nk");
	sn_send(sn, c, from, &m);
}

static void answer_query(struct supernode *sn, struct sn_community *c,
			 const struct n2n_query_peer *q,
			 const struct sn_edge *t,
			 const struct sockaddr_storage *to)
{
	struct n2n_msg a;

	/* An IPv4 edge (maybe stock n2n, see sn_send()) is not told of an
	 * IPv6 peer: it keeps reaching it through us. */
	if (to->ss_family == AF_INET && t->sa.ss_family == AF_INET6) {
		sn->stats.peer_info_v6_withheld++;
		return;
	}
	if (!sn_answer_allowed(sn, to))
		return;
	sn_init_msg(&a, c, N2N_MSG_PEER_INFO, N2N_FLAGS_FROM_SUPERNODE);
	mac_copy(a.u.peer_info.src_mac, q->src_mac);
	mac_copy(a.u.peer_info.mac, q->target_mac);
	sock_from_sockaddr(&a.u.peer_info.sock, &t->sa);
	if (t->has_pref) { /* n2n's -e: the asker tries it too */
		a.hdr.flags |= N2N_FLAGS_SOCKET;
		a.u.peer_info.preferred_sock = t->pref;
	}
	sn_send(sn, c, to, &a);
}

static void on_query_peer(struct supernode *sn, struct sn_community *c,
			  const struct n2n_msg *m,
			  const struct sockaddr_storage *from)
{
	const struct n2n_query_peer *q = &m->u.query_peer;
	bool from_sn = m->hdr.flags & N2N_FLAGS_FROM_SUPERNODE;
	struct n2n_msg fwd = *m;
	struct sn_edge *t;

	sn->stats.queries++;
	if (from_sn && !sn_fed_is_member(sn, from))
		return sn_drop(sn, N2NK_UNKNOWN_SUPERNODE);
	if (mac_is_zero(q->target_mac))
		return send_pong(sn, c, from);
	/* Only a registered edge may learn where the others are. */
	if (!from_sn && !known_sender(sn, c, q->src_mac, from))
		return sn_drop(sn, N2NK_UNKNOWN_SENDER);
	t = edge_find(c, q->target_mac);
	if (t)
		return answer_query(sn, c, q, t, from);
	/* Unknown here: ask the federation (once; never re-forwarded). */
	fwd.hdr.ttl = (uint8_t)(m->hdr.ttl ? m->hdr.ttl - 1 : 0);
	fwd.hdr.flags |= N2N_FLAGS_FROM_SUPERNODE;
	if (from_sn || !m->hdr.ttl ||
	    !sn_fed_forward(sn, c, &fwd, q->target_mac))
		sn_drop(sn, N2NK_UNKNOWN_DEST);
}

/* Another supernode answers our forwarded query: pass it to our edge. */
static void on_peer_info(struct supernode *sn, struct sn_community *c,
			 const struct n2n_msg *m,
			 const struct sockaddr_storage *from)
{
	const struct n2n_peer_info *pi = &m->u.peer_info;
	struct sn_edge *asker = edge_find(c, pi->src_mac);

	if (!(m->hdr.flags & N2N_FLAGS_FROM_SUPERNODE) ||
	    !sn_fed_is_member(sn, from) || !asker)
		return sn_drop(sn, N2NK_UNEXPECTED);
	sn_fed_learn(sn, c, pi->mac, from);
	if (sn_answer_allowed(sn, &asker->sa))
		sn_send_edge(sn, c, asker, m);
}

void sn_handle(struct supernode *sn, struct sn_community *c,
	       const struct n2n_msg *m, const struct sockaddr_storage *from,
	       const struct msg_opened *o)
{
	if (c == sn->federation)
		return sn_fed_handle(sn, m, from);
	switch (m->hdr.type) {
	case N2N_MSG_REGISTER_SUPER:
		return on_register_super(sn, c, m, from, o);
	case N2N_MSG_UNREGISTER_SUPER:
		return on_unregister_super(sn, c, m);
	case N2N_MSG_PACKET:
	case N2N_MSG_REGISTER:
		return relay(sn, c, m, from);
	case N2N_MSG_QUERY_PEER:
		return on_query_peer(sn, c, m, from);
	case N2N_MSG_PEER_INFO:
		return on_peer_info(sn, c, m, from);
	default:
		return sn_drop(sn, N2NK_UNEXPECTED);
	}
}

struct purge_arg {
	struct supernode *sn;
	struct sn_community *c;
	uint64_t now;
};

static void purge_edge(struct mac_entry *me, void *arg)
{
	struct purge_arg *p = arg;
	struct sn_edge *e = (struct sn_edge *)me;

	if (p->now - e->last_seen_ms <= SN_EDGE_PURGE_MS)
		return;
	sn_edge_delete(p->sn, p->c, e);
}

void sn_purge(struct supernode *sn, uint64_t now)
{
	struct sn_community **pc = &sn->communities, *c;

	/* A walk of the whole map: not at every purge. */
	if (now - sn->last_sweep_ms >= SN_RELAY_SWEEP_MS) {
		sn->last_sweep_ms = now;
		datapath_relay_sweep(&sn->dp);
	}
	sn_own_addrs_refresh(sn);
	while ((c = *pc)) {
		struct purge_arg p = { sn, c, now };

		if (c == sn->federation) { /* members age in sn_federation.c */
			pc = &c->next;
			continue;
		}
		mac_table_each(&c->edges, purge_edge, &p);
		sn_fed_purge_remote(sn, c, now);
		if (!c->listed && !c->edges.count) {
			*pc = c->next;
			sn_community_free(sn, c);
			sn->n_communities--;
			continue;
		}
		pc = &c->next;
	}
}

static void free_edge(struct mac_entry *me, void *arg)
{
	mac_table_remove(arg, me);
	free(me);
}

void sn_free_edges(struct sn_community *c)
{
	mac_table_each(&c->edges, free_edge, &c->edges);
}

void sn_free_remote(struct sn_community *c)
{
	mac_table_each(&c->remote, free_edge, &c->remote);
}

void sn_community_free(struct supernode *sn, struct sn_community *c)
{
	if (c != sn->federation) /* its members are not counted */
		sn->n_edges -= c->edges.count;
	sn->n_remote -= c->remote.count;
	sn_free_edges(c);
	sn_free_remote(c);
	auto_set_free(c);
	free(c);
}

/*
 * A PING (QUERY_PEER with no target) for an allowed community that has no
 * edge yet: n2n answers in plaintext, and stock edges with several
 * supernodes wait for that PONG before they register.
 */
void sn_answer_ping(struct supernode *sn, const struct n2n_msg *m,
		    const struct sockaddr_storage *from)
{
	struct sn_community tmp;

	memset(&tmp, 0, sizeof(tmp));
	memcpy(tmp.name, m->hdr.community, N2N_COMMUNITY_SIZE);
	send_pong(sn, &tmp, from);
}
