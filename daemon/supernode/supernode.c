// SPDX-License-Identifier: GPL-2.0-only
/*
 * The supernode's life cycle and receive path. A datagram is plaintext when
 * it passes n2n's test (version 3, type <= 11, flags word < 0x80, community
 * byte 19 zero); otherwise each listed community's key is tried, and the
 * first that opens the header locks that community to header encryption.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/capability.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "common/bytes.h"
#include "common/log.h"
#include "common/mac.h"
#include "common/notify.h"
#include "common/privdrop.h"
#include "ctl/metrics.h"
#include "common/sockaddr.h"
#include "conf/conf.h"
#include "ctl/ctl.h"
#include "proto/auth.h"
#include "sn_dns.h"
#include "sn_tcp.h"
#include "supernode.h"

#define SN_TICK_MS 1000

void sn_drop(struct supernode *sn, enum n2nk_reason why)
{
	drop_count(&sn->drops, why);
}

void sn_init_msg(struct n2n_msg *m, const struct sn_community *c,
		 unsigned int type, uint16_t flags)
{
	memset(m, 0, sizeof(*m));
	m->hdr.type = (uint8_t)type;
	m->hdr.ttl = N2N_DEFAULT_TTL;
	m->hdr.flags = flags;
	memcpy(m->hdr.community, c->name, N2N_COMMUNITY_SIZE);
}

/* To edge e (NULL: an answer to the datagram being handled, or a
 * supernode): over TCP only as sn_tcp_send() routes it, else UDP. */
static int send_sealed(struct supernode *sn, struct sn_community *c,
		       const struct sockaddr_storage *to,
		       const struct sn_edge *e, const struct n2n_msg *m,
		       bool trailer, const struct auth_secret *s)
{
	uint8_t buf[MSG_BUF_SIZE];
	ssize_t n = msg_seal(buf, sizeof(buf), m, &c->he);

	if (n > 0 && trailer)
		n = msg_append_trailer(buf, sizeof(buf), (size_t)n, s);
	if (n > 0 && sn->tcp) { /* an edge with -S2 is reached over TCP */
		int err = sn_tcp_send(sn, c, to, e, buf, (size_t)n);

		if (err != -ENOENT)
			return err;
	}
	if (n < 0 || datapath_send_udp(&sn->dp, to, buf, (size_t)n) < 0) {
		sn_drop(sn, N2NK_SEND_FAILED);
		return -EIO;
	}
	return 0;
}

/*
 * What may go to `to` of the IPv6 sockets m names. Whatever is at an IPv4
 * socket may be stock n2n 3.1.1 (an edge, or a supernode passing it on to
 * its edges), which sends to an IPv6 socket it is told of through an
 * uninitialised sockaddr (its fill_sockaddr() is IPv4 only, the result
 * unchecked): a relayed PACKET or REGISTER goes without the socket, as if
 * from the supernode itself, PEER_INFO without its preferred socket, or
 * not at all when the peer is IPv6 (the edge keeps sending through us).
 * At IPv6 sockets are ours: everything goes as it is. NULL: send nothing.
 */
static const struct n2n_msg *for_family(struct supernode *sn,
					const struct n2n_msg *m,
					const struct sockaddr_storage *to,
					struct n2n_msg *tmp)
{
	uint8_t t = m->hdr.type;
	const struct n2n_sock *s = t == N2N_MSG_PACKET	   ? &m->u.packet.sock
				   : t == N2N_MSG_REGISTER ? &m->u.reg.sock
							   : NULL;
	bool flagged = m->hdr.flags & N2N_FLAGS_SOCKET;

	if (to->ss_family != AF_INET)
		return m;
	if (t == N2N_MSG_PEER_INFO && m->u.peer_info.sock.ipv6) {
		sn->stats.peer_info_v6_withheld++;
		return NULL;
	}
	if (t == N2N_MSG_PEER_INFO)
		s = &m->u.peer_info.preferred_sock;
	if (!s || !flagged || !s->ipv6)
		return m;
	*tmp = *m;
	tmp->hdr.flags &= (uint16_t)~N2N_FLAGS_SOCKET;
	return tmp;
}

int sn_send(struct supernode *sn, struct sn_community *c,
	    const struct sockaddr_storage *to, const struct n2n_msg *m)
{
	struct n2n_msg tmp;

	m = for_family(sn, m, to, &tmp);
	if (!m)
		return -EAFNOSUPPORT;
	return send_sealed(sn, c, to, NULL, m, false, NULL);
}

int sn_send_edge(struct supernode *sn, struct sn_community *c,
		 const struct sn_edge *e, const struct n2n_msg *m)
{
	struct n2n_msg tmp;

	m = for_family(sn, m, &e->sa, &tmp);
	if (!m)
		return -EAFNOSUPPORT;
	return send_sealed(sn, c, &e->sa, e, m, false, NULL);
}

int sn_send_registration(struct supernode *sn, struct sn_community *c,
			 const struct sockaddr_storage *to,
			 const struct n2n_msg *m, const struct auth_secret *s)
{
	return send_sealed(sn, c, to, NULL, m, c->he.upw, s);
}

/* A listed community with users: header encryption with a dynamic key
 * derived from the community, the federation and our key time. */
static void setup_upw(struct supernode *sn, struct sn_community *c)
{
	const struct community_entry *ce =
		community_list_find(sn->community_list, c->name);

	if (!ce || !ce->n_users)
		return;
	if (auth_dynamic_key(c->dynamic_key, c->name, sn->conf->federation,
			     sn->key_time)) {
		log_err("community \"%s\": cannot derive its dynamic key",
			SN_NAME(c));
		return;
	}
	he_keys_from_dynamic_key(&c->he.keys, c->dynamic_key);
	c->he.on = c->he.upw = true;
	c->mode = SN_COMMUNITY_ENCRYPTED;
}

struct sn_community *sn_community_find(struct supernode *sn, const char *name)
{
	struct sn_community *c;

	for (c = sn->communities; c; c = c->next)
		if (!strncmp(c->name, name, N2N_COMMUNITY_SIZE))
			return c;
	return NULL;
}

struct sn_community *sn_community_add(struct supernode *sn, const char *name,
				      bool listed)
{
	struct sn_community *c;

	if (sn->n_communities >= SN_MAX_COMMUNITIES) {
		sn_drop(sn, N2NK_TABLE_FULL);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	sn->n_communities++;
	strncpy(c->name, name, N2N_COMMUNITY_SIZE - 1);
	c->listed = listed;
	c->mode = listed ? SN_COMMUNITY_UNDECIDED : SN_COMMUNITY_PLAIN;
	msg_he_init(&c->he, false, c->name);
	if (listed)
		setup_upw(sn, c);
	c->next = sn->communities;
	sn->communities = c;
	log_info("community \"%s\" created", SN_NAME(c));
	return c;
}

/* n2n's supernode test for "this is not header-encrypted". */
static bool looks_plaintext(const uint8_t *buf, size_t len)
{
	uint16_t word;

	if (len < N2N_COMMON_SIZE || buf[0] != N2N_PKT_VERSION || buf[23])
		return false;
	word = get_be16(buf + 2);
	return (word & N2N_FLAGS_TYPE_MASK) <= N2N_MSG_MAX_PLAIN_TYPE &&
	       word < N2N_FLAGS_OPTIONS;
}

static bool is_ping(const struct n2n_msg *m)
{
	return m->hdr.type == N2N_MSG_QUERY_PEER &&
	       mac_is_zero(m->u.query_peer.target_mac);
}

/* Only a REGISTER_SUPER may bring a new (plaintext) community to life. */
static struct sn_community *plain_community(struct supernode *sn,
					    const struct n2n_msg *m)
{
	struct sn_community *c = sn_community_find(sn, m->hdr.community);

	if (!c && m->hdr.type == N2N_MSG_REGISTER_SUPER &&
	    community_list_allows(sn->community_list, m->hdr.community))
		c = sn_community_add(sn, m->hdr.community, false);
	if (c && c->mode == SN_COMMUNITY_UNDECIDED)
		c->mode = SN_COMMUNITY_PLAIN;
	return c;
}

/* The cheap test first: would this community's keys find the magic? */
static bool may_open(const struct sn_community *c, const uint8_t *buf,
		     size_t len)
{
	if (c->mode == SN_COMMUNITY_PLAIN)
		return false;
	return he_magic_matches(buf, len, &c->he.keys) ||
	       (c->he.upw && len > 16 &&
		he_magic_matches(buf, len - 16, &c->he.static_keys));
}

static struct sn_community *open_encrypted(struct supernode *sn, uint8_t *buf,
					   size_t len, struct n2n_msg *m,
					   struct msg_opened *o)
{
	struct sn_community *c;
	enum n2nk_reason why;
	struct msg_he try;

	for (c = sn->communities; c; c = c->next) {
		if (!may_open(c, buf, len))
			continue;
		try = c->he;
		try.on = true;
		if (msg_open(m, buf, len, c->name, &try, o, &why)) {
			/* Opened but not decodable: the buffer is spent. */
			if (why != N2NK_HEADER_KEY)
				return NULL;
			continue;
		}
		if (c->mode == SN_COMMUNITY_UNDECIDED)
			log_notice("community \"%s\" uses header encryption",
				   SN_NAME(c));
		c->mode = SN_COMMUNITY_ENCRYPTED;
		c->he.on = true;
		return c;
	}
	return NULL;
}

static bool stamp_ok(struct sn_community *c, const struct n2n_msg *m,
		     uint64_t stamp)
{
	uint64_t now = ts_from_usec(evloop_wall_usec());
	const uint8_t *mac = msg_src_mac(m);
	struct sn_edge *e =
		mac ? (struct sn_edge *)mac_table_find(&c->edges, mac) : NULL;

	return ts_verify(e ? &e->replay : NULL, stamp, now,
			 ts_type_allows_jitter(m->hdr.type, true, false)) == 0;
}

void sn_on_udp(void *ctx, const struct sockaddr_storage *from, uint8_t *buf,
	       size_t len)
{
	struct supernode *sn = ctx;
	/* Static: a datagram-sized copy, off the stack; one loop thread. */
	static struct msg_opened o;
	struct sn_community *c;
	enum n2nk_reason why;
	struct n2n_msg m;

	sn->stats.rx++;
	if (len > N2N_PKT_BUF_SIZE)
		return sn_drop(sn, N2NK_OVERSIZE);
	o.by_static = false;
	if (looks_plaintext(buf, len)) {
		if (msg_open(&m, buf, len, NULL, NULL, &o, &why))
			return sn_drop(sn, why);
		c = plain_community(sn, &m);
		if (!c && is_ping(&m) &&
		    community_list_allows(sn->community_list, m.hdr.community))
			return sn_answer_ping(sn, &m, from);
		if (!c)
			return sn_drop(sn, N2NK_COMMUNITY);
		if (c->mode == SN_COMMUNITY_ENCRYPTED)
			return sn_drop(sn, N2NK_PLAINTEXT_ON_HE);
	} else {
		c = open_encrypted(sn, buf, len, &m, &o);
		if (!c)
			return sn_drop(sn, N2NK_HEADER_KEY);
		if (!stamp_ok(c, &m, o.stamp))
			return sn_drop(sn, N2NK_STAMP);
	}
	sn_handle(sn, c, &m, from, &o);
}

static void sn_tick(void *arg, uint64_t now)
{
	struct supernode *sn = arg;

	if (now - sn->last_purge_ms >= 5000) {
		sn->last_purge_ms = now;
		sn_purge(sn, now);
		datapath_relay_he_clock(&sn->dp);
	}
	datapath_relay_hops_tick(&sn->dp);
	sn_fed_tick(sn, now);
	sn_tcp_tick(sn, now);
	sn_dns_tick(sn, now);
	metrics_tick(sn->metrics);
}

static void log_registration(struct mac_entry *me, void *arg)
{
	const struct sn_edge *e = (const struct sn_edge *)me;
	char mac[MAC_STR_MAX], sa[SOCKADDR_STR_MAX];
	char ip[IP4_PREFIX_STR_MAX];

	log_notice(
		"  %s at %s, %s, last seen %llu s ago",
		mac_str(e->key.mac, mac), sockaddr_str(&e->sa, sa),
		ip4_prefix_str(e->dev_addr.addr, e->dev_addr.prefix, ip),
		(unsigned long long)(*(const uint64_t *)arg - e->last_seen_ms) /
			1000);
}

/*
 * SIGHUP, as stock n2n's supernode: the registrations go to the log and
 * the supernode goes on. Nothing is re-read (a changed -c file needs a
 * restart; with the XDP relay, that loses no relayed flow).
 */

/* Fixed names of the -c file exist from the start (-H needs them), and
 * those a reload adds. */
static int add_listed(struct supernode *sn)
{
	const struct community_list *l = sn->community_list;
	size_t i;

	for (i = 0; i < l->n_fixed; i++) {
		struct sn_community *c;

		if (sn_community_find(sn, l->fixed[i].name))
			continue; /* kept through a reload */
		c = sn_community_add(sn, l->fixed[i].name, true);
		if (!c)
			return -ENOMEM;
		if (l->fixed[i].has_subnet) {
			c->auto_net = ntohl(l->fixed[i].subnet.s_addr);
			c->auto_prefix = l->fixed[i].prefix;
		}
	}
	return 0;
}

static int open_datapath(struct supernode *sn)
{
	const struct sn_conf *c = sn->conf;
	struct datapath_cfg dc = {
		.tap_fd = -1, .xdp_relay = true, .on_udp = sn_on_udp, .ctx = sn
	};
	int err;

	datapath_bind_set(&dc, c->bind_addr.family, &c->bind_addr.v4, c->port);
	dc.xdp_mode = c->xdp_mode;
	err = datapath_open(&sn->dp, c->datapath, &dc, &sn->loop);
	if (err) {
		log_err("datapath %s on UDP port %u: %s",
			datapath_kind_name(c->datapath), c->port,
			datapath_open_error(&sn->dp, err));
		return err;
	}
	log_notice("supernode listening on UDP port %u (%s), datapath %s (%s)",
		   sn->dp.bound_port, datapath_families(&sn->dp),
		   sn->dp.ops->name, sn->dp.why);
	return 0;
}

/* A community the kernel relay may keep -H keys of: named in the -c
 * file, without users (their keys change: userspace relays those). */
static bool may_be_he_in_kernel(const char *name, void *arg)
{
	const struct community_entry *ce = community_list_find(
		((struct supernode *)arg)->community_list, name);

	return ce && !ce->n_users;
}

/*
 * With the XDP relay: a previous daemon's pinned -H keys of communities
 * this configuration does not list (they would make the kernel refuse
 * their plaintext PACKETs) go, the clock of the others is set right, and
 * every listed community's own stamps lead the kernel's by 1 ms from the
 * start (see mirror_he in sn_handlers.c).
 */
static void relay_he_start(struct supernode *sn)
{
	unsigned int pruned = 0;
	struct sn_community *c;

	if (!sn->dp.relay)
		return;
	if (datapath_relay_he_prune(&sn->dp, may_be_he_in_kernel, sn, &pruned))
		log_warn("%s", sn->dp.err_buf);
	else if (pruned)
		log_info("XDP relay: removed the -H keys a previous daemon "
			 "left for %u community(ies) this configuration does "
			 "not list without users",
			 pruned);
	datapath_relay_he_clock(&sn->dp);
	for (c = sn->communities; c; c = c->next)
		if (c->listed && !c->he.upw)
			c->he.lead_usec = 1000;
}

/* Whether a community's entry is the same in both lists (or in neither). */
static bool same_entry(const struct community_list *a,
		       const struct community_list *b, const char *name)
{
	const struct community_entry *x = community_list_find(a, name);
	const struct community_entry *y = community_list_find(b, name);
	size_t i;

	if (!x || !y)
		return !x && !y;
	if (x->has_subnet != y->has_subnet || x->prefix != y->prefix ||
	    x->subnet.s_addr != y->subnet.s_addr || x->n_users != y->n_users)
		return false;
	for (i = 0; i < x->n_users; i++)
		if (strcmp(x->users[i].name, y->users[i].name) ||
		    memcmp(x->users[i].public_key, y->users[i].public_key,
			   AUTH_KEY_SIZE))
			return false;
	return true;
}

struct drop_all {
	struct supernode *sn;
	struct sn_community *c;
};

static void drop_edge(struct mac_entry *me, void *arg)
{
	struct drop_all *d = arg;

	sn_edge_delete(d->sn, d->c, (struct sn_edge *)me);
}

/* Communities the fresh list does not allow, or names another way, go
 * with their edges (and the kernel relay's entries of them). */
static unsigned int drop_changed(struct supernode *sn,
				 const struct community_list *fresh)
{
	struct sn_community **pc = &sn->communities, *c;
	unsigned int n = 0;

	while ((c = *pc)) {
		struct drop_all d = { sn, c };

		if (c == sn->federation ||
		    (community_list_allows(fresh, c->name) &&
		     same_entry(sn->community_list, fresh, c->name))) {
			pc = &c->next;
			continue;
		}
		log_notice("community \"%s\": %s by the list, %zu edge(s) "
			   "dropped",
			   SN_NAME(c),
			   community_list_allows(fresh, c->name) ? "changed"
								 : "removed",
			   c->edges.count);
		mac_table_each(&c->edges, drop_edge, &d);
		*pc = c->next;
		sn_community_free(sn, c);
		sn->n_communities--;
		n++;
	}
	return n;
}

int sn_reload_communities(struct supernode *sn)
{
	const char *path = sn->conf->community_file;
	struct community_list fresh;
	unsigned int dropped, before;
	char err[256];
	int ret;

	if (!path[0]) {
		log_notice("SIGHUP: no community list (-c) to read again");
		return 0;
	}
	ret = community_list_load(&fresh, path, err, sizeof(err));
	if (ret) {
		log_err("SIGHUP: %s; the list in use stays", err);
		return ret;
	}
	dropped = drop_changed(sn, &fresh);
	community_list_free(sn->community_list);
	*sn->community_list = fresh;
	before = sn->n_communities;
	ret = add_listed(sn);
	relay_he_start(sn);
	log_notice("SIGHUP: %s read again: %u community(ies) dropped, %u "
		   "added",
		   path, dropped, sn->n_communities - before);
	return ret;
}

static void sn_on_hup(void *arg)
{
	struct supernode *sn = arg;
	uint64_t now = evloop_now_ms();
	struct sn_community *c;

	notify_reloading();
	sn_reload_communities(sn);
	log_notice("SIGHUP: registrations");
	for (c = sn->communities; c; c = c->next) {
		log_notice("community \"%s\": %zu edge(s)", SN_NAME(c),
			   c->edges.count);
		mac_table_each(&c->edges, log_registration, &now);
	}
	notify_ready_again();
}

int sn_init(struct supernode *sn, struct sn_conf *c)
{
	int err;

	memset(sn, 0, sizeof(*sn));
	sn->conf = c;
	sn->community_list = &c->communities;
	evloop_reset(&sn->loop);
	if (sodium_init() < 0)
		return -ENOSYS;
	if (c->mac_set) {
		mac_copy(sn->mac, c->mac);
	} else {
		randombytes_buf(sn->mac, MAC_SIZE);
		sn->mac[0] = (uint8_t)((sn->mac[0] & 0xfe) | 0x02);
	}
	randombytes_buf(sn->source_key6, sizeof(sn->source_key6));
	sn->start_ms = evloop_now_ms();
	sn->key_time = (uint32_t)(evloop_wall_usec() / 1000000);
	err = auth_federation_keys(sn->fed_prv, sn->fed_pub,
				   c->federation + 1); /* without the '*' */
	sn_own_addrs_refresh(sn);
	if (!err)
		err = add_listed(sn);
	if (!err)
		err = sn_fed_init(sn);
	if (!err)
		err = evloop_init(&sn->loop, SN_TICK_MS, sn_tick, sn);
	if (!err)
		evloop_on_hup(&sn->loop, sn_on_hup, sn);
	if (!err)
		err = sn_dns_attach(sn);
	if (!err)
		err = open_datapath(sn);
	if (!err)
		relay_he_start(sn);
	if (!err && !c->no_tcp)
		sn_tcp_open(sn); /* without it, UDP edges are served still */
	if (!err && sn_ctl_open(sn, c->ctl_socket))
		log_warn("no control socket at %s; n2nctl will not reach us",
			 c->ctl_socket);
	if (!err && c->metrics)
		err = sn_metrics_open(sn, &c->metrics_addr);
	return err;
}

/*
 * Root only for set-up: the sockets, the XDP relay and its AF_XDP sockets
 * are open. The relay's maps still need CAP_BPF for each update (kernels
 * before 6.5 check it on every bpf() call where unprivileged BPF is off,
 * as Debian has it); the socket datapath needs nothing.
 */
int sn_drop_privileges(struct supernode *sn)
{
	struct privdrop p = { .uid_set = sn->conf->uid_set,
			      .gid_set = sn->conf->gid_set,
			      .uid = sn->conf->uid,
			      .gid = sn->conf->gid };

	if (sn->dp.relay)
		privdrop_keep(&p, CAP_BPF);
	return privdrop_run(&p);
}

int sn_run(struct supernode *sn)
{
	return evloop_run(&sn->loop);
}

static void free_source(struct mac_entry *me, void *arg)
{
	mac_table_remove(arg, me);
	free(me);
}

void sn_fini(struct supernode *sn)
{
	struct sn_community *c, *next;

	sn_metrics_close(sn);
	sn_ctl_close(sn);
	sn_tcp_close(sn);
	sn_dns_close(sn);
	datapath_close(&sn->dp, &sn->loop);
	for (c = sn->communities; c; c = next) {
		next = c->next;
		sn_community_free(sn, c);
	}
	sn->communities = NULL;
	mac_table_each(&sn->sources, free_source, &sn->sources);
	free(sn->answer_slots);
	sn->answer_slots = NULL;
	evloop_fini(&sn->loop);
}
