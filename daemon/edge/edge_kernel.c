// SPDX-License-Identifier: GPL-2.0-only
/*
 * The edge role's side of its kernel data path: which communities can use
 * it, and, once per tick and on every path change, each peer's path
 * written to the kernel's map and the kernel's counters folded into the
 * daemon's. The daemon stays the owner of the truth: the kernel moves the
 * frames of the peers it is given, and the daemon learns from its counters
 * what it would have seen itself (P2P liveness, relayed traffic that
 * should trigger a punch).
 */
#include <netinet/in.h>
#include <string.h>

#include <sodium.h>

#include "common/log.h"
#include "common/mac.h"
#include "common/sockaddr.h"
#include "edge.h"
#include "edge_bday.h"
#include "conf/conf.h"
#include "kernel/dp_edge.h"
#include "kernel/tap.h"

bool edge_kernel_possible(const struct edge *e, const char **why)
{
	unsigned int t = e->tf.ops->id;

	if (t == N2NK_TRANSFORM_A6 && e->he.on) {
		*why = "-A6 with header encryption (-H) runs in userspace";
		return false;
	}
	if (t != N2NK_TRANSFORM_A6 && t != N2N_TRANSFORM_NULL &&
	    t != N2N_TRANSFORM_CHACHA20 && t != N2N_TRANSFORM_SPECK &&
	    t != N2N_TRANSFORM_AES) {
		*why = "the kernel path has -A1, -A3, -A4, -A5 and -A6; this "
		       "community's cipher (Twofish) runs in userspace";
		return false;
	}
	if (e->he.upw) {
		*why = "header encryption with user/password (-I/-J) runs in "
		       "userspace";
		return false;
	}
	if (e->rules && e->rules->n) {
		*why = "traffic rules (-R) are applied in the daemon";
		return false;
	}
	if (e->compression != N2N_COMPRESSION_NONE) {
		*why = "compression (-z) runs in userspace";
		return false;
	}
	return true;
}

static enum datapath_edge_path wanted(const struct edge *e,
				      const struct edge_peer *p, uint64_t now)
{
	if (!edge_registered(e) || !e->k_sn.ss_family)
		return e->k_leaving || (e->k_adopting &&
					now < e->k_adopt_until_ms)
			       ? p->k_path
			       : DP_EDGE_NONE;
	if (edge_bday_pinned(e, p)) /* on a socket of its own */
		return DP_EDGE_NONE;
	if (edge_peer_direct(e, p, now) && p->sa.ss_family == AF_INET)
		return DP_EDGE_P2P;
	return DP_EDGE_RELAY;
}

static void write_path(struct edge *e, struct edge_peer *p,
		       enum datapath_edge_path path)
{
	char mac[MAC_STR_MAX], where[SOCKADDR_STR_MAX];
	int err;

	if (path == p->k_path &&
	    (path != DP_EDGE_P2P || sockaddr_equal(&p->k_sa, &p->sa)))
		return;
	err = datapath_edge_peer(&e->dp, p->key.mac, path, &p->sa);
	if (err) {
		/* The daemon keeps carrying this peer's frames itself. */
		if (!p->k_failed)
			log_info("kernel path: %s at %s stays in userspace: %s",
				 mac_str(p->key.mac, mac),
				 sockaddr_str(&p->sa, where), strerror(-err));
		p->k_failed = true;
		if (path != DP_EDGE_NONE)
			datapath_edge_peer(&e->dp, p->key.mac, DP_EDGE_NONE,
					   NULL);
		p->k_path = DP_EDGE_NONE;
		return;
	}
	log_info("kernel path: %s %s%s", mac_str(p->key.mac, mac),
		 path == DP_EDGE_P2P	 ? "P2P at "
		 : path == DP_EDGE_RELAY ? "relayed"
					 : "left to the daemon",
		 path == DP_EDGE_P2P ? sockaddr_str(&p->sa, where) : "");
	p->k_path = path;
	p->k_sa = p->sa;
	if (path != DP_EDGE_NONE && e->he.on)
		datapath_edge_stamp_seed(&e->dp, p->key.mac, p->replay.last);
	if (path == DP_EDGE_NONE) {
		/* Its kernel counters went with the entry. */
		p->k_tx_p2p = p->k_rx_p2p = p->k_tx_relay = p->k_rx_relay = 0;
		p->k_tx_bytes = p->k_rx_bytes = 0;
		p->k_rx_ns = 0;
	}
}

/* Adds what the kernel counted since the last call to our counters. */
static void collect(struct edge *e, struct edge_peer *p, uint64_t now)
{
	struct edge_loader_peer_info k;
	const struct n2nk_edge_peer_stats *s = &k.stats;
	uint64_t rx_ms;

	if (!datapath_edge_peer_read(&e->dp, p->key.mac, &k))
		return;
	e->stats.tx_p2p += s->tx_p2p - p->k_tx_p2p;
	e->stats.rx_p2p += s->rx_p2p - p->k_rx_p2p;
	e->stats.tx_sn += s->tx_relay - p->k_tx_relay;
	e->stats.rx_sn += s->rx_relay - p->k_rx_relay;
	p->tx_p2p += s->tx_p2p - p->k_tx_p2p;
	p->rx_p2p += s->rx_p2p - p->k_rx_p2p;
	p->rx_relay += s->rx_relay - p->k_rx_relay;
	p->tx_relay += s->tx_relay - p->k_tx_relay;
	p->via[EDGE_VIA_KERNEL].tx +=
		s->tx_p2p - p->k_tx_p2p + s->tx_relay - p->k_tx_relay;
	p->via[EDGE_VIA_KERNEL].rx +=
		s->rx_p2p - p->k_rx_p2p + s->rx_relay - p->k_rx_relay;
	p->via[EDGE_VIA_KERNEL].tx_bytes += s->tx_bytes - p->k_tx_bytes;
	p->via[EDGE_VIA_KERNEL].rx_bytes += s->rx_bytes - p->k_rx_bytes;
	/* Frames went through the supernode, either way: punch, as
	 * edge_tx.c does for ours and the daemon's RX would on a relayed
	 * PACKET the kernel now takes (rate-limited in edge_peer_query). */
	if (s->tx_relay != p->k_tx_relay || s->rx_relay != p->k_rx_relay)
		edge_peer_query(e, p, now);
	if (s->rx_relay != p->k_rx_relay)
		p->last_seen_ms = now;
	if (k.last_p2p_rx_ns > p->k_rx_ns && p->p2p) {
		/* The kernel's clock is ours (CLOCK_MONOTONIC), but it may have
		 * stamped a frame after `now` was read: never in the future. */
		rx_ms = k.last_p2p_rx_ns / 1000000;
		p->last_p2p_ms = rx_ms < now ? rx_ms : now;
		p->last_seen_ms = p->last_p2p_ms;
	}
	p->k_tx_p2p = s->tx_p2p, p->k_rx_p2p = s->rx_p2p;
	p->k_tx_relay = s->tx_relay, p->k_rx_relay = s->rx_relay;
	p->k_tx_bytes = s->tx_bytes, p->k_rx_bytes = s->rx_bytes;
	p->k_rx_ns = k.last_p2p_rx_ns;
}

void edge_kernel_sync(struct edge *e, struct edge_peer *p, uint64_t now)
{
	if (!datapath_edge_kernel(&e->dp))
		return;
	if (p->k_path != DP_EDGE_NONE)
		collect(e, p, now);
	write_path(e, p, wanted(e, p, now));
}

static void collect_one(struct mac_entry *me, void *arg)
{
	struct edge_peer *p = (struct edge_peer *)me;
	struct edge *e = arg;

	if (p->k_path != DP_EDGE_NONE)
		collect(e, p, evloop_now_ms());
}

void edge_kernel_collect_all(struct edge *e)
{
	if (datapath_edge_kernel(&e->dp))
		mac_table_each(&e->peers, collect_one, e);
}

void edge_kernel_forget(struct edge *e, struct edge_peer *p)
{
	if (!datapath_edge_kernel(&e->dp) || p->k_path == DP_EDGE_NONE)
		return;
	collect(e, p, evloop_now_ms());
	if (!e->k_leaving) /* else the next daemon takes it over */
		write_path(e, p, DP_EDGE_NONE);
}

/* Every entry the kernel has written anew, or removed without k_sn. */
static void rewrite_one(struct mac_entry *me, void *arg)
{
	struct edge_peer *p = (struct edge_peer *)me;

	if (p->k_path == DP_EDGE_NONE)
		return;
	p->k_sa.ss_family = AF_UNSPEC; /* a P2P entry's route looked up anew */
	edge_kernel_sync(arg, p, evloop_now_ms());
}

/*
 * On every REGISTER_SUPER_ACK: the supernode, and the routes to it and to
 * each P2P peer looked up again, so a new address, interface or MTU (a
 * laptop that roamed, a DHCP renewal, a learned path MTU) reaches the
 * programs within a registration interval, and a route the kernel path
 * cannot take sends the peers concerned back to the daemon.
 */
void edge_kernel_sn(struct edge *e)
{
	const struct edge_sn *sn = &e->sn[e->cur_sn];
	int ret;

	if (!datapath_edge_kernel(&e->dp))
		return;
	if (e->ip != e->k_ip && !datapath_edge_set_ip(&e->dp, e->ip))
		e->k_ip = e->ip;
	if (!sn || !sn->resolved)
		return;
	ret = datapath_edge_set_sn(&e->dp, &sn->sa);
	if (ret < 0) {
		if (!e->k_sn_failed)
			log_warn("kernel path: %s; frames stay in userspace",
				 e->dp.err_buf);
		e->k_sn_failed = true;
		e->k_sn.ss_family = AF_UNSPEC;
		e->k_adopting = false; /* what it adopted goes to the daemon */
		mac_table_each(&e->peers, rewrite_one, e);
		return;
	}
	/* A supernode the kernel had not: its record starts at ours. */
	if (ret > 0 && e->he.on)
		datapath_edge_stamp_seed(&e->dp, NULL, sn->replay.last);
	if (e->k_sn_failed)
		log_info("kernel path: the route to the supernode is usable "
			 "again");
	e->k_sn_failed = false;
	/* Each P2P peer's route too (an entry that stays the same is not
	 * rewritten): a path MTU learned or expired, a peer's own route. */
	e->k_sn = sn->sa;
	e->k_adopting = false; /* our own view from now on */
	mac_table_each(&e->peers, rewrite_one, e);
}

/* One entry of the map, as the daemon before us left it. */
static void adopt_one(const uint8_t *mac, const struct n2nk_edge_peer *k,
		      void *arg)
{
	struct edge *e = arg;
	struct edge_loader_peer_info info;
	uint64_t now = evloop_now_ms();
	struct sockaddr_in *in;
	struct edge_peer *p;

	if (k->path != N2NK_PATH_P2P && k->path != N2NK_PATH_RELAY)
		return;
	p = edge_peer_get(e, mac, now);
	if (!p)
		return;
	if (k->path == N2NK_PATH_P2P) {
		in = (struct sockaddr_in *)&p->sa;
		memset(&p->sa, 0, sizeof(p->sa));
		in->sin_family = AF_INET;
		in->sin_addr.s_addr = k->addr;
		in->sin_port = k->port;
		p->have_sa = p->p2p = true;
		p->last_p2p_ms =
			now; /* the kernel's RX stamps go on from here */
		p->k_path = DP_EDGE_P2P;
		p->k_sa = p->sa;
	} else {
		p->k_path = DP_EDGE_RELAY;
	}
	/* What the kernel counted before us is not ours to count again. */
	if (datapath_edge_peer_read(&e->dp, mac, &info)) {
		p->k_tx_p2p = info.stats.tx_p2p;
		p->k_rx_p2p = info.stats.rx_p2p;
		p->k_tx_relay = info.stats.tx_relay;
		p->k_rx_relay = info.stats.rx_relay;
		p->k_tx_bytes = info.stats.tx_bytes;
		p->k_rx_bytes = info.stats.rx_bytes;
		p->k_rx_ns = info.last_p2p_rx_ns;
	}
}

int edge_kernel_adopt(struct edge *e)
{
	struct n2nk_edge_daemon_state st = { 0 };
	int n;

	if (!datapath_edge_kernel(&e->dp))
		return 0;
	/* The registration goes on under the same token: the supernode
	 * takes us for the edge it knows. Handed to whoever comes next,
	 * even after a crash. */
	if (!datapath_edge_handover_get(&e->dp, &st)) {
		memcpy(e->auth_token, st.auth_token, sizeof(e->auth_token));
		e->tap_persist_ours = st.tap_made_persistent;
	}
	/* The TAP outlives us, even a crash, while the kernel path can; one
	 * an operator made persistent stays theirs. */
	if (e->conf->kernel_hold_s && datapath_edge_pinned(&e->dp) &&
	    tap_is_persistent(e->tap_fd) == 0 &&
	    !tap_set_persist(e->tap_fd, true))
		e->tap_persist_ours = true;
	memset(&st, 0, sizeof(st));
	memcpy(st.auth_token, e->auth_token, sizeof(st.auth_token));
	st.local_port = e->dp.bound_port;
	st.tap_made_persistent = e->tap_persist_ours;
	datapath_edge_handover_set(&e->dp, &st);
	edge_kernel_tick(e, evloop_now_ms()); /* our lease from now on */
	sodium_memzero(&st, sizeof(st));
	if (!datapath_edge_adopted(&e->dp))
		return 0;
	e->k_adopting = true;
	e->k_adopt_until_ms =
		evloop_now_ms() + 2000 * (uint64_t)e->reg_interval_s;
	n = datapath_edge_peers_each(&e->dp, adopt_one, e);
	log_notice("kernel path: took over from the edge before us, with %d "
		   "peer%s it carried",
		   n, n == 1 ? "" : "s");
	return n;
}

bool edge_kernel_leave(struct edge *e)
{
	if (!datapath_edge_kernel(&e->dp) || !e->conf->kernel_hold_s ||
	    !datapath_edge_leave(&e->dp))
		return false;
	e->k_leaving = true;
	return true;
}

void edge_kernel_tick(struct edge *e, uint64_t now)
{
	if (!datapath_edge_kernel(&e->dp) ||
	    (e->k_lease_ms && now - e->k_lease_ms < 1000))
		return;
	e->k_lease_ms = now;
	datapath_edge_lease(&e->dp, e->conf->kernel_hold_s);
}

void edge_kernel_unload_stale(struct edge *e)
{
	const char *root = e->conf->pin_root[0] ? e->conf->pin_root : NULL;
	char why[256];

	struct n2nk_edge_daemon_state st;

	if (datapath_edge_kernel(&e->dp))
		return;
	/* The registration it kept is ours to go on with; the TAP it made
	 * persistent goes with us. */
	if (!edge_loader_left_state(root, e->tap_name, e->mac, e->community,
				    &st)) {
		memcpy(e->auth_token, st.auth_token, sizeof(e->auth_token));
		e->tap_persist_ours = st.tap_made_persistent;
	}
	sodium_memzero(&st, sizeof(st));
	if (edge_loader_unload(root, e->tap_name, why, sizeof(why)) > 0)
		log_notice("removed the kernel path an edge before us left "
			   "running on %s: this one runs without it",
			   e->tap_name);
}
