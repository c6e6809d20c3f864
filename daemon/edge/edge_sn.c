// SPDX-License-Identifier: GPL-2.0-only
/*
 * An edge's side of supernode registration, as n2n 3.x does it:
 * REGISTER_SUPER every -i seconds, a fast retry every -i/10 seconds while
 * unanswered, and after three unanswered tries the next supernode; with
 * more than one supernode, every -i/2, so that the failover is done
 * within one interval (reg_period_ms).
 */
#include <sodium.h>
#include <string.h>

#include "common/log.h"
#include "common/mac.h"
#include "common/sockaddr.h"
#include "edge.h"
#include "edge_bday.h"
#include "edge_dns.h"
#include "edge/portmap.h"

#define EDGE_REG_ATTEMPTS 3

static unsigned int reg_interval_ms(const struct edge *e)
{
	return e->reg_interval_s * 1000;
}

/* Simple id: a constant token. u/pw: our public key and a fresh challenge
 * encrypted with the shared secret (only the latest is answered). */
static void fill_auth(struct edge *e, struct n2n_auth *a)
{
	if (!e->he.upw) {
		a->scheme = N2N_AUTH_SIMPLE_ID;
		a->token_size = N2N_AUTH_ID_TOKEN_SIZE;
		memcpy(a->token, e->auth_token, N2N_AUTH_ID_TOKEN_SIZE);
		return;
	}
	a->scheme = N2N_AUTH_USER_PASSWORD;
	a->token_size = AUTH_TOKEN_SIZE;
	if (auth_new_challenge(e->upw_challenge))
		randombytes_buf(e->upw_challenge, sizeof(e->upw_challenge));
	auth_edge_token(a->token, e->upw_pub, &e->upw_secret, e->upw_challenge);
}

/* Off the event loop (edge_dns.c): a name may resolve later. */
int edge_sn_resolve(struct edge *e, struct edge_sn *sn)
{
	return edge_dns_resolve(e, sn);
}

/*
 * No answer at sa: a name that has the other family too is tried there
 * before the next supernode (with one supernode, each family in turn).
 * True if it switched.
 */
static bool switch_family(struct edge *e)
{
	struct edge_sn *sn = &e->sn[e->cur_sn];
	struct sockaddr_storage was = sn->sa;
	char a[SOCKADDR_STR_MAX], b[SOCKADDR_STR_MAX];

	if (!sn->has_alt)
		return false;
	sn->sa = sn->alt;
	sn->alt = was;
	sn->on_alt = !sn->on_alt;
	/* Both tried: back to the first, then on to the next supernode. */
	if (!sn->on_alt && e->n_sn > 1)
		return false;
	log_warn("supernode %s:%u not answering at %s, trying %s", sn->host,
		 sn->port, sockaddr_str(&was, a), sockaddr_str(&sn->sa, b));
	return true;
}

static void send_register_super(struct edge *e, uint64_t now)
{
	struct edge_sn *sn = &e->sn[e->cur_sn];
	struct n2n_msg m;
	struct n2n_register_super *r = &m.u.reg_super;

	/* A name that did not resolve (no DNS yet at boot) is tried again. */
	if (!sn->resolved)
		edge_sn_resolve(e, sn);

	edge_init_msg(e, &m, N2N_MSG_REGISTER_SUPER, 0);
	/* A fresh cookie each time: only the answer to the latest counts. */
	e->reg_cookie = randombytes_random();
	r->cookie = e->reg_cookie;
	mac_copy(r->edge_mac, e->mac);
	r->dev_addr.addr = e->ip;
	r->dev_addr.prefix = e->ip ? e->prefix : 0;
	memcpy(r->dev_desc, e->desc, N2N_DESC_SIZE);
	fill_auth(e, &r->auth);
	if (edge_preferred_sock(e, &r->sock)) /* -e, or a port mapping */
		m.hdr.flags |= N2N_FLAGS_SOCKET;
	e->last_reg_ms = now;
	e->sn_wait = true;
	edge_send_sn_registration(e, &m);
}

/* Moves to the next supernode that resolves; tells the old one we left. */
static void switch_supernode(struct edge *e)
{
	int i;

	if (e->n_sn < 2)
		return;
	edge_unregister(e);
	for (i = 1; i <= e->n_sn; i++) {
		int next = (e->cur_sn + i) % e->n_sn;
		struct edge_sn *sn = &e->sn[next];

		if (!sn->resolved)
			edge_sn_resolve(e, sn);
		if (sn->resolved) {
			log_warn("supernode %s:%u not answering, switching to "
				 "%s:%u",
				 e->sn[e->cur_sn].host, e->sn[e->cur_sn].port,
				 sn->host, sn->port);
			e->cur_sn = next;
			return;
		}
	}
}

/*
 * How long after a REGISTER_SUPER the next one goes. With another
 * supernode to fail over to, early enough that if this one died just
 * after answering, the three tries (-i/10 apart) have failed and the next
 * supernode is asked within one interval of its last answer: every half
 * interval, so the switch comes at 0.8 of it, leaving the event loop's
 * ticks (each step may wait one more) and the new answer room.
 */
static unsigned int reg_period_ms(const struct edge *e)
{
	unsigned int interval = reg_interval_ms(e);

	if (e->n_sn < 2)
		return interval;
	return interval - (EDGE_REG_ATTEMPTS + 2) * (interval / 10);
}

void edge_sn_tick(struct edge *e, uint64_t now)
{
	unsigned int interval = reg_interval_ms(e);

	if (e->sn_wait) {
		if (now - e->last_reg_ms < interval / 10)
			return;
		if (--e->reg_attempts <= 0) {
			if (!switch_family(e))
				switch_supernode(e);
			e->reg_attempts = EDGE_REG_ATTEMPTS;
		}
		send_register_super(e, now);
		return;
	}
	if (!e->last_reg_ms || now - e->last_reg_ms >= reg_period_ms(e))
		send_register_super(e, now);
}

/* Supernodes listed in an ACK join our list, for failover. */
static void learn_supernodes(struct edge *e,
			     const struct n2n_register_super_ack *a)
{
	int i, j;

	for (i = 0; i < a->num_sn && e->n_sn < EDGE_MAX_SN; i++) {
		struct edge_sn *sn = &e->sn[e->n_sn];
		struct n2n_sock s = { .port = a->sn[i].port };

		if (a->sn[i].family != 2) /* AF_INET on every n2n host */
			continue;
		memcpy(s.addr, a->sn[i].addr, 4);
		if (!sock_possible(&s, false)) /* this host, multicast... */
			continue;
		sockaddr_from_sock(&sn->sa, &s);
		for (j = 0; j < e->n_sn; j++)
			if (sockaddr_equal(&e->sn[j].sa, &sn->sa))
				break;
		if (j < e->n_sn)
			continue;
		sock_str(&s, sn->host);
		*strrchr(sn->host, ':') = 0;
		sn->port = s.port;
		sn->resolved = true;
		mac_copy(sn->mac, a->sn[i].mac);
		e->n_sn++;
		log_info("learned supernode %s:%u", sn->host, sn->port);
	}
}

/*
 * Whether an assigned address is one a host may take: a unicast address
 * (not 0/8, 127/8, 224/4 or 240/4) that is neither its subnet's network
 * nor its broadcast address, with a prefix of /8../30 (a shorter one
 * would install a route taking the host's traffic, /0 all of it; a
 * longer one leaves no room for a peer).
 */
static bool assignable(const struct n2n_ip_subnet *a)
{
	uint32_t host_mask, first = a->addr >> 24;

	if (a->prefix < 8 || a->prefix > 30)
		return false;
	if (first == 0 || first == 127 || first >= 224)
		return false;
	host_mask = (1u << (32 - a->prefix)) - 1;
	return (a->addr & host_mask) != 0 && (a->addr & host_mask) != host_mask;
}

/*
 * The address a supernode assigns (-a sn-assigned), if assignable(): else
 * refused, the edge stays without an address. What -a itself gives is the
 * user's choice, as in n2n.
 */
static void take_address(struct edge *e, const struct n2n_ip_subnet *a, int sn)
{
	char ip[IP4_PREFIX_STR_MAX];

	if (assignable(a)) {
		e->ip = a->addr;
		e->prefix = a->prefix;
		return;
	}
	if (e->refused_ip == a->addr && e->refused_prefix == a->prefix)
		return; /* said already */
	e->refused_ip = a->addr;
	e->refused_prefix = a->prefix;
	log_err("supernode %s:%u assigned %s: refused (a unicast host address "
		"with a prefix of /8 to /30 is taken); the edge stays without "
		"an address",
		e->sn[sn].host, e->sn[sn].port,
		ip4_prefix_str(a->addr, a->prefix, ip));
}

/* u/pw: the answer must match our latest challenge; it carries the
 * community's dynamic key, which keys every other message from now on. */
static bool accept_dynamic_key(struct edge *e,
			       const struct n2n_register_super_ack *a)
{
	uint8_t dyn[AUTH_DYNAMIC_KEY_SIZE];

	if (a->auth.scheme != N2N_AUTH_USER_PASSWORD ||
	    a->auth.token_size != AUTH_TOKEN_SIZE ||
	    auth_edge_check_answer(dyn, a->auth.token, &e->upw_secret,
				   e->upw_challenge)) {
		edge_drop(e, N2NK_AUTH);
		return false;
	}
	he_keys_from_dynamic_key(&e->he.keys, dyn);
	sodium_memzero(dyn, sizeof(dyn));
	return true;
}

void edge_on_register_super_ack(struct edge *e, const struct n2n_msg *m, int sn)
{
	const struct n2n_register_super_ack *a = &m->u.reg_super_ack;
	bool first = !e->registered_ms;

	if (sn != e->cur_sn || !e->sn_wait || a->cookie != e->reg_cookie) {
		edge_drop(e, N2NK_UNEXPECTED);
		return;
	}
	if (e->he.upw && !accept_dynamic_key(e, a))
		return;
	mac_copy(e->sn[sn].mac, a->src_mac);
	e->sn_wait = false;
	e->reg_attempts = EDGE_REG_ATTEMPTS;
	e->registered_ms = e->last_reg_ms;
	if (!e->ip && a->dev_addr.addr)
		take_address(e, &a->dev_addr, sn);
	learn_supernodes(e, a);
	edge_bday_observed(e, &a->sock);
	edge_kernel_sn(e);
	if (first)
		log_notice("[OK] edge <<< ================ >>> supernode");
}

void edge_on_register_super_nak(struct edge *e, const struct n2n_msg *m, int sn)
{
	const struct n2n_register_super_nak *n = &m->u.reg_super_nak;

	if (sn != e->cur_sn || n->cookie != e->reg_cookie ||
	    !mac_equal(n->src_mac, e->mac)) {
		edge_drop(e, N2NK_UNEXPECTED);
		return;
	}
	log_err("supernode %s:%u refused our registration (MAC or IP already "
		"registered by another edge, or bad credentials)",
		e->sn[sn].host, e->sn[sn].port);
}

/* A PONG: the supernode answers a PING, for the selection. */
void edge_on_peer_info_pong(struct edge *e, const struct n2n_msg *m, int sn)
{
	mac_copy(e->sn[sn].mac, m->u.peer_info.src_mac);
	edge_sn_select_pong(e, m, sn, evloop_now_ms());
}

void edge_unregister(struct edge *e)
{
	struct n2n_msg m;

	if (!edge_registered(e))
		return;
	edge_init_msg(e, &m, N2N_MSG_UNREGISTER_SUPER, 0);
	fill_auth(e, &m.u.unreg_super.auth);
	mac_copy(m.u.unreg_super.src_mac, e->mac);
	edge_send_sn(e, &m);
}

/* The supernode changed the dynamic key (u/pw only): register again now. */
void edge_on_re_register_super(struct edge *e)
{
	if (!e->he.upw) {
		edge_drop(e, N2NK_UNEXPECTED);
		return;
	}
	e->sn_wait = false;
	e->last_reg_ms = 0;
}
