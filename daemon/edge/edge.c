// SPDX-License-Identifier: GPL-2.0-only
/*
 * The edge's life cycle: set up crypto, the TAP device (through netlink)
 * and the datapath from the parsed config, then dispatch every datagram by
 * message type (PACKETs to edge_rx.c) and drive the timers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/capability.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/mac.h"
#include "common/privdrop.h"
#include "ctl/metrics.h"
#include "common/sockaddr.h"
#include "conf/conf.h"
#include "ctl/ctl.h"
#include "edge.h"
#include "edge_bday.h"
#include "edge_dns.h"
#include "edge_tcp.h"
#include "edge/portmap.h"
#include "kernel/netlink.h"
#include "kernel/dp_edge.h"
#include "kernel/edge_loader.h"
#include "kernel/tap.h"

#define EDGE_TICK_MS 250

void edge_init_msg(const struct edge *e, struct n2n_msg *m, unsigned int type,
		   uint16_t flags)
{
	memset(m, 0, sizeof(*m));
	m->hdr.type = (uint8_t)type;
	m->hdr.ttl = N2N_DEFAULT_TTL;
	m->hdr.flags = flags;
	memcpy(m->hdr.community, e->community, N2N_COMMUNITY_SIZE);
}

void edge_drop(struct edge *e, enum n2nk_reason why)
{
	drop_count(&e->drops, why);
}

static int send_sealed(struct edge *e, const struct sockaddr_storage *to,
		       const struct n2n_msg *m, bool trailer)
{
	uint8_t buf[MSG_BUF_SIZE];
	ssize_t n = msg_seal(buf, sizeof(buf), m, &e->he);

	if (n > 0 && trailer)
		n = msg_append_trailer(buf, sizeof(buf), (size_t)n,
				       &e->upw_secret);
	if (n > 0 && !edge_bday_send(e, to, buf, (size_t)n))
		return 0; /* a birthday path: its own socket */
	if (n > 0 && e->tcp && edge_sn_index(e, to) >= 0) /* -S2 */
		return edge_tcp_send(e, to, buf, (size_t)n,
				     edge_sn_index(e, to) == e->cur_sn);
	if (n < 0 || datapath_send_udp(&e->dp, to, buf, (size_t)n) < 0) {
		edge_drop(e, N2NK_SEND_FAILED);
		return -EIO;
	}
	return 0;
}

int edge_send(struct edge *e, const struct sockaddr_storage *to,
	      const struct n2n_msg *m)
{
	return send_sealed(e, to, m, false);
}

int edge_send_sn(struct edge *e, const struct n2n_msg *m)
{
	if (!e->sn[e->cur_sn].resolved) {
		edge_drop(e, N2NK_SEND_FAILED);
		return -EHOSTUNREACH;
	}
	return send_sealed(e, &e->sn[e->cur_sn].sa, m, false);
}

int edge_send_sn_registration(struct edge *e, const struct n2n_msg *m)
{
	if (!e->sn[e->cur_sn].resolved) {
		edge_drop(e, N2NK_SEND_FAILED);
		return -EHOSTUNREACH;
	}
	return send_sealed(e, &e->sn[e->cur_sn].sa, m, e->he.upw);
}

int edge_sn_index(const struct edge *e, const struct sockaddr_storage *sa)
{
	int i;

	for (i = 0; i < e->n_sn; i++)
		if (e->sn[i].resolved && sockaddr_equal(&e->sn[i].sa, sa))
			return i;
	return -1;
}

bool edge_registered(const struct edge *e)
{
	return e->registered_ms != 0;
}

/* Header time stamps: one replay record per supernode and per peer. */
static bool stamp_ok(struct edge *e, const struct n2n_msg *m, uint64_t stamp,
		     int sn)
{
	uint64_t now = ts_from_usec(evloop_wall_usec());
	const uint8_t *mac = msg_src_mac(m);
	struct ts_replay *rp = NULL;

	if (sn >= 0 && (m->hdr.flags & N2N_FLAGS_FROM_SUPERNODE))
		rp = &e->sn[sn].replay;
	else if (mac)
		rp = edge_peer_replay(e, mac);
	return ts_verify(rp, stamp, now,
			 ts_type_allows_jitter(m->hdr.type, false, false)) == 0;
}

static void dispatch(struct edge *e, const struct n2n_msg *m,
		     const struct sockaddr_storage *from, int sn)
{
	bool from_sn = m->hdr.flags & N2N_FLAGS_FROM_SUPERNODE;

	switch (m->hdr.type) {
	case N2N_MSG_PACKET:
		return edge_on_packet(e, m, from, from_sn);
	case N2N_MSG_REGISTER:
		return edge_on_register(e, m, from, from_sn);
	case N2N_MSG_REGISTER_ACK:
		return edge_on_register_ack(e, m, from);
	case N2N_MSG_REGISTER_SUPER_ACK:
		return edge_on_register_super_ack(e, m, sn);
	case N2N_MSG_REGISTER_SUPER_NAK:
		return edge_on_register_super_nak(e, m, sn);
	case N2N_MSG_PEER_INFO:
		if (mac_is_zero(m->u.peer_info.mac))
			return edge_on_peer_info_pong(e, m, sn);
		return edge_on_peer_info(e, m);
	case N2N_MSG_RE_REGISTER_SUPER:
		return edge_on_re_register_super(e);
	default:
		return edge_drop(e, N2NK_UNEXPECTED);
	}
}

/* Supernode-only messages must come from a supernode we know. */
static bool needs_supernode(const struct n2n_msg *m)
{
	return (m->hdr.flags & N2N_FLAGS_FROM_SUPERNODE) ||
	       m->hdr.type == N2N_MSG_RE_REGISTER_SUPER ||
	       m->hdr.type == N2N_MSG_REGISTER_SUPER_ACK ||
	       m->hdr.type == N2N_MSG_REGISTER_SUPER_NAK ||
	       m->hdr.type == N2N_MSG_PEER_INFO;
}

void edge_on_udp(void *ctx, const struct sockaddr_storage *from, uint8_t *buf,
		 size_t len)
{
	struct edge *e = ctx;
	/* Static: a datagram-sized copy, off the stack; one loop thread. */
	static struct msg_opened o;
	enum n2nk_reason why;
	struct n2n_msg m;
	int sn;

	if (len > N2N_PKT_BUF_SIZE)
		return edge_drop(e, N2NK_OVERSIZE);
	if (edge_bday_on_udp(e, from, buf, len))
		return;
	if (msg_open(&m, buf, len, e->community, &e->he, &o, &why))
		return edge_drop(e, why);
	/* A u/pw answer proves itself with a trailer keyed by our secret. */
	if (e->he.upw && m.hdr.type == N2N_MSG_REGISTER_SUPER_ACK &&
	    (!o.by_static ||
	     auth_trailer_verify(o.trailer, o.enc, o.enc_len, &e->upw_secret)))
		return edge_drop(e, N2NK_AUTH);
	if (memcmp(m.hdr.community, e->community, N2N_COMMUNITY_SIZE))
		return edge_drop(e, N2NK_COMMUNITY);
	sn = edge_sn_index(e, from);
	if (needs_supernode(&m) && sn < 0)
		return edge_drop(e, N2NK_UNKNOWN_SUPERNODE);
	if (e->he.on && !stamp_ok(e, &m, o.stamp, sn))
		return edge_drop(e, N2NK_STAMP);
	if (sn >= 0)
		e->sn[sn].last_seen_ms = evloop_now_ms();
	dispatch(e, &m, from, sn);
}

/* The supernode may hand us our address late; apply it once known. */
static void apply_address(struct edge *e)
{
	const struct edge_conf *c = e->conf;
	char ip[IP4_PREFIX_STR_MAX];
	struct netlink_ctx nl;
	unsigned int i;
	int err;

	if (e->addr_applied || !e->ip || c->ip_mode == EDGE_IP_DHCP)
		return;
	if (netlink_open(&nl)) {
		log_err("netlink: cannot open a socket");
		return;
	}
	err = netlink_add_addr4(&nl, e->tap_name, e->ip, e->prefix);
	if (err && err != -EEXIST) { /* EEXIST: a TAP we took over has it */
		log_err("%s: cannot add address: %s", e->tap_name,
			netlink_last_error(&nl));
		netlink_close(&nl);
		return; /* tried again on the next tick */
	}
	e->addr_applied = true;
	for (i = 0; i < c->n_routes; i++)
		if (netlink_add_route4(&nl, e->tap_name,
				       ntohl(c->routes[i].net.s_addr),
				       c->routes[i].prefix,
				       ntohl(c->routes[i].gateway.s_addr)))
			log_err("%s: cannot add route -n: %s", e->tap_name,
				netlink_last_error(&nl));
	netlink_close(&nl);
	log_notice("%s: %s", e->tap_name, ip4_prefix_str(e->ip, e->prefix, ip));
}

static void edge_tick(void *arg, uint64_t now)
{
	struct edge *e = arg;

	edge_sn_tick(e, now);
	edge_tcp_tick(e, now);
	edge_dns_tick(e, now);
	edge_sn_select_tick(e, now);
	edge_peers_tick(e, now);
	edge_kernel_tick(e, now);
	edge_a6_tick(e, now);
	edge_portmap_tick(e, now);
	edge_bday_tick(e, now);
	if (edge_registered(e))
		apply_address(e);
	metrics_tick(e->metrics);
}

static int setup_link(struct edge *e, struct netlink_ctx *nl,
		      const uint8_t *kept_mac)
{
	const struct edge_conf *c = e->conf;

	if (c->mac_set) {
		mac_copy(e->mac, c->mac);
	} else if (kept_mac) {
		/* A TAP the edge before us left up: peers know this MAC. */
		mac_copy(e->mac, kept_mac);
	} else {
		/* n2n: random, locally administered, unicast. */
		randombytes_buf(e->mac, MAC_SIZE);
		e->mac[0] = (uint8_t)((e->mac[0] & 0xfe) | 0x02);
	}
	/* Setting even the same MAC makes the kernel flush the device's
	 * neighbours: not on a TAP we took over with that MAC. */
	if ((!kept_mac || memcmp(kept_mac, e->mac, MAC_SIZE)) &&
	    netlink_set_mac(nl, e->tap_name, e->mac)) {
		log_err("%s: %s", e->tap_name, netlink_last_error(nl));
		return -EIO;
	}
	if (netlink_set_mtu(nl, e->tap_name, c->mtu) ||
	    netlink_set_up(nl, e->tap_name, true)) {
		log_err("%s: %s", e->tap_name, netlink_last_error(nl));
		return -EIO;
	}
	return 0;
}

static int open_tap(struct edge *e)
{
	struct netlink_link left;
	struct netlink_ctx nl;
	bool existed;
	int err;

	err = netlink_open(&nl);
	if (err) {
		log_err("netlink: %s", strerror(-err));
		return err;
	}
	/* One an edge left running (its kernel path) is taken over. */
	existed = e->conf->tap_name[0] &&
		  !netlink_get_link(&nl, e->conf->tap_name, &left);
	e->tap_fd = tap_open(e->conf->tap_name, e->tap_name);
	if (e->tap_fd < 0) {
		log_err("cannot open TAP device %s: %s", e->conf->tap_name,
			strerror(-e->tap_fd));
		netlink_close(&nl);
		return e->tap_fd;
	}
	err = setup_link(e, &nl, existed ? left.mac : NULL);
	netlink_close(&nl);
	return err;
}

/* SIGHUP: as a detached stock edge, it goes on; nothing is re-read. */
static void edge_on_hup(void *arg)
{
	const struct edge *e = arg;

	log_notice("SIGHUP: the edge on %s re-reads nothing and keeps "
		   "running (restart it to apply a changed configuration)",
		   e->tap_name);
}

static void copy_settings(struct edge *e, const struct edge_conf *c)
{
	unsigned int i;

	memset(e, 0, sizeof(*e));
	e->conf = c;
	e->tap_fd = -1;
	evloop_reset(&e->loop);
	memcpy(e->community, c->community, sizeof(c->community));
	memcpy(e->desc, c->description, strlen(c->description));
	e->reg_interval_s = c->register_interval ? c->register_interval : 20;
	e->register_ttl = c->register_ttl;
	e->relay_only = c->relay_only;
	e->allow_routing = c->allow_routing;
	e->rules = &c->traffic_rules;
	traffic_rules_log(e->rules);
	e->accept_multicast = c->accept_multicast;
	e->mss = mss_limit_of(c->mss_clamp, c->mtu);
	e->compression = c->compression;
	e->ip = c->ip_mode == EDGE_IP_SN_ASSIGNED ? 0 : ntohl(c->ip.s_addr);
	e->prefix = c->prefix;
	e->reg_attempts = 3;
	for (i = 0; i < c->n_supernodes && i < EDGE_MAX_SN; i++) {
		snprintf(e->sn[i].host, sizeof(e->sn[i].host), "%s",
			 c->supernodes[i].host);
		e->sn[i].port = c->supernodes[i].port;
	}
	e->n_sn = (int)i;
	/* -p with an address: that family only; else either, for now. */
	e->sn_family = c->bind_addr.family == AF_INET6	? AF_INET6
		       : c->bind_addr.family == AF_INET ? AF_INET
							: AF_UNSPEC;
	randombytes_buf(e->auth_token, sizeof(e->auth_token));
}

/*
 * -J: our key pair from -I (user name) and the password, the secret shared
 * with the supernodes from the federation's public key (-P), and a random
 * dynamic key until the first REGISTER_SUPER_ACK brings the real one.
 */
static int setup_upw(struct edge *e)
{
	const struct edge_conf *c = e->conf;
	uint8_t prv[AUTH_KEY_SIZE], fed_pub[AUTH_KEY_SIZE], dyn[16];
	int err;

	auth_user_private_key(prv, c->description, c->password);
	err = auth_public_key(e->upw_pub, prv);
	if (c->federation_pubkey_set) {
		memcpy(fed_pub, c->federation_pubkey, AUTH_KEY_SIZE);
	} else {
		uint8_t fed_prv[AUTH_KEY_SIZE];

		log_warn("-J without -P: using the default federation key");
		err = err ? err
			  : auth_federation_keys(fed_prv, fed_pub,
						 "Federation");
		sodium_memzero(fed_prv, sizeof(fed_prv));
	}
	err = err ? err : auth_secret_init(&e->upw_secret, prv, fed_pub);
	sodium_memzero(prv, sizeof(prv));
	if (err) {
		log_err("user/password keys: %s", auth_strerror(err));
		return -EINVAL;
	}
	randombytes_buf(dyn, sizeof(dyn));
	he_keys_from_dynamic_key(&e->he.keys, dyn);
	e->he.on = e->he.upw = true;
	return 0;
}

static int setup_crypto(struct edge *e)
{
	const struct edge_conf *c = e->conf;
	int err;

	if (c->transform == (enum n2n_transform_id)N2NK_TRANSFORM_A6) {
		msg_he_init(&e->he, c->header_encryption, e->community);
		return edge_a6_init(e);
	}
	err = transform_init(&e->tf, c->transform, c->key);
	if (err) {
		log_err("cipher %s: %s", transform_name(c->transform),
			transform_strerror(err));
		return -EINVAL;
	}
	if (compress_init(&e->comp))
		return -ENOMEM;
	msg_he_init(&e->he, c->header_encryption, e->community);
	return c->password ? setup_upw(e) : 0;
}

static int resolve_supernodes(struct edge *e)
{
	int i, ok = edge_dns_start(e); /* names: a bounded wait */

	for (i = 0; i < e->n_sn; i++)
		if (e->sn[i].resolved)
			ts_replay_init(&e->sn[i].replay,
				       ts_from_usec(evloop_wall_usec()));
	for (i = 0; i < e->n_sn && !e->sn[i].resolved; i++)
		;
	e->cur_sn = i < e->n_sn ? i : 0;
	return ok ? 0 : -EHOSTUNREACH;
}

/* The first supernode to be reached over IPv6, or NULL. */
static const struct edge_sn *v6_supernode(const struct edge *e)
{
	int i;

	for (i = 0; i < e->n_sn; i++)
		if (e->sn[i].resolved && e->sn[i].sa.ss_family == AF_INET6)
			return &e->sn[i];
	return NULL;
}

/*
 * Where the edge listens: -p's address (that family only); else, when a
 * supernode is to be reached over IPv6, [::] for IPv6 and IPv4 alike
 * (peers of either family), else IPv4 as n2n, which keeps the kernel path
 * (IPv4 only) open.
 */
static void bind_cfg(struct edge *e, struct datapath_cfg *dc, uint16_t port)
{
	const struct edge_conf *c = e->conf;

	datapath_bind_set(dc, c->bind_addr.family, &c->bind_addr.v4, port);
	if (c->bind_addr.family == AF_UNSPEC && !v6_supernode(e))
		dc->dual_stack = false;
}

/* Why the kernel path is not for an IPv6 underlay; NULL if it may be. */
static const char *kernel_v6_why(const struct edge *e,
				 const struct datapath_cfg *dc)
{
	static char why[160];
	const struct edge_sn *sn = v6_supernode(e);
	/* Asked for by name: say what to ask for instead. */
	const char *instead = e->conf->datapath == DATAPATH_KERNEL
				      ? ": use --datapath=socket (or auto)"
				      : "";
	char a[SOCKADDR_STR_MAX];

	if (sn)
		snprintf(why, sizeof(why),
			 "supernode %s is reached over IPv6 and the kernel "
			 "path is IPv4 only%s",
			 sockaddr_str(&sn->sa, a), instead);
	else if (dc->bind.ss_family == AF_INET6)
		snprintf(why, sizeof(why),
			 "-p with an IPv6 address and the kernel path is IPv4 "
			 "only%s",
			 instead);
	else
		return NULL;
	return why;
}

/* What the kernel path needs, when this community can use it. */
static void kernel_cfg(struct edge *e, struct datapath_cfg *dc,
		       struct edge_loader_cfg *kc, uint8_t *key)
{
	const struct edge_conf *c = e->conf;
	unsigned int id = e->tf.ops->id;
	int n = 0;

	dc->edge_kernel_why = c->tcp ? "-S2: the supernode is reached over "
				       "TCP, which the kernel path cannot carry"
				     : kernel_v6_why(e, dc);
	if (dc->edge_kernel_why ||
	    !edge_kernel_possible(e, &dc->edge_kernel_why))
		return;
	/* -A6: no community key; the sessions' keys come with each one. */
	if (id != N2N_TRANSFORM_NULL && id != N2NK_TRANSFORM_A6)
		n = transform_derive_key(id, c->key, key);
	if (id != N2N_TRANSFORM_NULL && id != N2NK_TRANSFORM_A6 &&
	    n != N2NK_EDGE_KEY_SIZE &&
	    !(id == N2N_TRANSFORM_AES && (n == 16 || n == 24))) {
		dc->edge_kernel_why = "no key of the cipher's size for the "
				      "kernel path";
		return;
	}
	kc->tap_name = e->tap_name;
	kc->community = e->community;
	kc->mac = e->mac;
	kc->ip = e->ip;
	kc->allow_routing = e->allow_routing;
	kc->header_encryption = e->he.on;
	kc->accept_multicast = e->accept_multicast;
	kc->tos = c->tos_set ? c->tos : 0;
	kc->df = c->pmtu_discovery;
	kc->mss_ipv4 = e->mss.ipv4;
	kc->mss_ipv6 = e->mss.ipv6;
	kc->transform = (uint8_t)id;
	kc->key = n ? key : NULL;
	kc->key_len = (size_t)n;
	kc->tap_mtu = c->mtu;
	kc->pin_root = c->pin_root[0] ? c->pin_root : NULL;
	kc->hold_s = c->kernel_hold_s;
	dc->edge_kernel = kc;
}

/*
 * -p, or without one the port a kernel path an edge of ours left running
 * on this TAP matches: its peers are then ours to take over (a restart
 * without loss with n2n's default of a random port).
 */
static uint16_t left_port(const struct edge *e)
{
	const struct edge_conf *c = e->conf;
	struct n2nk_edge_daemon_state st;
	uint16_t port = 0;

	if (c->local_port || c->datapath == DATAPATH_SOCKET)
		return c->local_port;
	if (!edge_loader_left_state(c->pin_root[0] ? c->pin_root : NULL,
				    e->tap_name, e->mac, e->community, &st))
		port = st.local_port;
	sodium_memzero(&st, sizeof(st));
	return port;
}

/*
 * Supernodes from now on resolve to what the socket reaches; a name's
 * address of a family it does not (IPv6 on an IPv4 socket) is dropped,
 * its other one taken.
 */
static void sockets_fit(struct edge *e)
{
	int fam = e->dp.udp_family == AF_INET6 &&
				  e->dp.cfg.bind.ss_family == AF_INET
			  ? AF_UNSPEC
			  : e->dp.udp_family;
	int i;

	e->sn_family = fam;
	for (i = 0; i < e->n_sn && fam != AF_UNSPEC; i++) {
		struct edge_sn *sn = &e->sn[i];

		if (sn->has_alt && sn->sa.ss_family != fam) {
			sn->sa = sn->alt;
			sn->has_alt = false;
		}
		if (sn->has_alt && sn->alt.ss_family != fam)
			sn->has_alt = false;
	}
}

static int open_datapath(struct edge *e)
{
	const struct edge_conf *c = e->conf;
	struct datapath_cfg dc = {
		.tap_fd = e->tap_fd,
		.on_udp = edge_on_udp,
		.on_tap = edge_on_tap,
		.on_tap_gone = edge_on_tap_gone,
		.ctx = e,
	};
	uint8_t key[TRANSFORM_KEY_MAX];
	struct edge_loader_cfg kc = { 0 };
	uint16_t port = left_port(e);
	int err;

	bind_cfg(e, &dc, port);
	kernel_cfg(e, &dc, &kc, key);
	err = datapath_open(&e->dp, c->datapath, &dc, &e->loop);
	if (err && !c->local_port && port) {
		bind_cfg(e, &dc, 0); /* taken meanwhile: any port, afresh */
		err = datapath_open(&e->dp, c->datapath, &dc, &e->loop);
	}
	sodium_memzero(key, sizeof(key));
	if (err) {
		log_err("datapath %s: %s", datapath_kind_name(c->datapath),
			datapath_open_error(&e->dp, err));
		return err;
	}
	/* 1 ms: far less than the 160 ms of reordering a PACKET may have. */
	if (e->he.on && !strcmp(e->dp.ops->name, "kernel"))
		e->he.lead_usec = 1000;
	log_notice("datapath %s (%s), UDP port %u (%s)", e->dp.ops->name,
		   e->dp.why, e->dp.bound_port, datapath_families(&e->dp));
	sockets_fit(e);
	return 0;
}

int edge_init(struct edge *e, const struct edge_conf *c)
{
	int err;

	copy_settings(e, c);
	if (sodium_init() < 0)
		return -ENOSYS;
	err = setup_crypto(e);
	if (!err)
		err = evloop_init(&e->loop, EDGE_TICK_MS, edge_tick, e);
	if (!err)
		evloop_on_hup(&e->loop, edge_on_hup, e);
	if (!err && resolve_supernodes(e))
		log_warn("no supernode resolves yet; retrying");
	if (!err)
		err = open_tap(e);
	if (!err && e->ip)
		apply_address(e); /* -a static: configured before any traffic */
	if (!err)
		err = open_datapath(e);
	if (!err && c->tcp)
		err = edge_tcp_open(e);
	if (!err)
		err = edge_bday_open(e);
	if (!err) {
		edge_sockopts(e, e->dp.udp_fd, e->dp.udp_family); /* -T, -D */
		edge_kernel_adopt(e);
		edge_kernel_unload_stale(e);
		edge_a6_kernel_start(e);
	}
	if (!err && edge_ctl_open(e, c->ctl_socket))
		log_warn("no control socket at %s; n2nctl will not reach us",
			 c->ctl_socket);
	if (!err && c->metrics)
		err = edge_metrics_open(e, &c->metrics_addr);
	return err;
}

/*
 * Root only for set-up: the TAP, the sockets and the kernel path are
 * open. What stays: CAP_NET_ADMIN for the TAP's address, MTU and routes
 * (the supernode may assign the address later) and, on the kernel path,
 * CAP_BPF for its map updates (kernels before 6.5 check it on every bpf()
 * call where unprivileged BPF is off) and the links it attaches as the
 * route to a peer changes.
 */
int edge_drop_privileges(struct edge *e)
{
	struct privdrop p = { .uid_set = e->conf->uid_set,
			      .gid_set = e->conf->gid_set,
			      .uid = e->conf->uid,
			      .gid = e->conf->gid };
	uid_t uid;
	gid_t gid;
	int err;

	privdrop_keep(&p, CAP_NET_ADMIN);
	if (e->dp.edge)
		privdrop_keep(&p, CAP_BPF);
	/* What it still changes as the paths change, and removes when it
	 * stops: its pin directory. */
	if (!privdrop_target(&p, &uid, &gid)) {
		err = datapath_edge_give_pins(&e->dp, uid, gid);
		if (err)
			log_warn("kernel path pins: cannot hand them to uid "
				 "%u: %s",
				 (unsigned int)uid, strerror(-err));
	}
	return privdrop_run(&p);
}

int edge_run(struct edge *e)
{
	int sig = evloop_run(&e->loop);

	edge_portmap_stop(e); /* deletes the mapping, a few seconds at most */
	/* The kernel path (and the TAP it works on) stay up for the next
	 * edge on this TAP, which takes them over: no unregistering then, so
	 * the supernode goes on relaying to our socket meanwhile. */
	if (!e->tap_gone && edge_kernel_leave(e)) {
		datapath_edge_lease(&e->dp,
				    e->conf->kernel_hold_s); /* from now */
		log_notice("kernel path left running on %s for %u s; the next "
			   "edge there takes it over (edge --kernel-unload "
			   "-d %s removes it now)",
			   e->tap_name, e->conf->kernel_hold_s, e->tap_name);
	} else {
		if (e->tap_persist_ours)
			tap_set_persist(e->tap_fd, false); /* goes with us */
		edge_unregister(e);
	}
	edge_peers_free(e); /* the kernel's last counts in, for the stats */
	return sig;
}

void edge_fini(struct edge *e)
{
	edge_portmap_stop(e);
	edge_metrics_close(e);
	edge_ctl_close(e);
	edge_tcp_close(e);
	edge_dns_close(e);
	edge_bday_close(e);
	datapath_close(&e->dp, &e->loop);
	if (e->tap_fd >= 0)
		close(e->tap_fd);
	edge_bridge_free(e);
	edge_peers_free(e);
	auth_secret_wipe(&e->upw_secret);
	edge_a6_fini(e);
	transform_fini(&e->tf);
	compress_fini(&e->comp);
	evloop_fini(&e->loop);
}

void edge_print_stats(const struct edge *e)
{
	const struct edge_stats *s = &e->stats;

	fprintf(stderr,
		"**********************************\n"
		"Packet stats:\n"
		"    TX P2P: %llu pkts\n"
		"    RX P2P: %llu pkts\n"
		"    TX Supernode: %llu pkts (%llu broadcast)\n"
		"    RX Supernode: %llu pkts (%llu broadcast)\n"
		"**********************************\n",
		(unsigned long long)s->tx_p2p, (unsigned long long)s->rx_p2p,
		(unsigned long long)s->tx_sn,
		(unsigned long long)s->tx_sn_bcast,
		(unsigned long long)s->rx_sn,
		(unsigned long long)s->rx_sn_bcast);
}
