// SPDX-License-Identifier: GPL-2.0-only
/*
 * The edge's n2nctl commands: peers (with the path each one uses),
 * supernodes, stats (n2n's packet counters and every drop reason) and info.
 * Columns are documented in docs/n2nctl.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/compiler.h"
#include "common/mac.h"
#include "common/sockaddr.h"
#include "conf/conf.h"
#include "ctl/ctl_loop.h"
#include "ctl/ctl_prom.h"
#include "ctl/metrics.h"
#include "edge.h"
#include "edge_bday.h"
#include "edge_tcp.h"
#include "edge/portmap.h"
#include "kernel/dp_edge.h"

static uint64_t ago_s(uint64_t then_ms)
{
	return then_ms ? (evloop_now_ms() - then_ms) / 1000 : 0;
}

static void put_mac(struct ctl_table *t, const uint8_t *m)
{
	char buf[MAC_STR_MAX];

	ctl_table_str(t, mac_str(m, buf));
}

static void columns(struct ctl_table *t, const char *const *names)
{
	for (; *names; names++)
		ctl_table_column(t, *names);
}

struct peer_rows {
	struct ctl_table *t;
	struct edge *e;
};

static void put_ago(struct ctl_table *t, int64_t s)
{
	if (s < 0)
		ctl_table_null(t);
	else
		ctl_table_u64(t, (uint64_t)s);
}

/* -A6: who the peer is and how its sessions go. */
static void a6_columns(struct ctl_table *t, const struct edge *e,
		       const struct edge_peer *p)
{
	struct a6_peer_view v;

	edge_a6_peer_view(e, p, evloop_now_ms(), &v);
	if (v.fingerprint[0])
		ctl_table_str(t, v.fingerprint);
	else
		ctl_table_null(t);
	put_ago(t, v.session_age_s);
	put_ago(t, v.last_handshake_s);
	ctl_table_u64(t, v.rekeys);
	ctl_table_u64(t, v.replayed);
	ctl_table_u64(t, v.tag_failed);
}

static void peer_row(struct mac_entry *me, void *arg)
{
	const struct edge_peer *p = (const struct edge_peer *)me;
	struct peer_rows *r = arg;
	struct ctl_table *t = r->t;
	char buf[SOCKADDR_STR_MAX];

	ctl_table_row(t);
	put_mac(t, p->key.mac);
	ctl_table_str(t, p->p2p ? "p2p" : "relay");
	if (p->have_sa)
		ctl_table_str(t, sockaddr_str(&p->sa, buf));
	else
		ctl_table_null(t);
	ctl_table_u64(t, ago_s(p->last_seen_ms));
	ctl_table_u64(t, p->tx_p2p);
	ctl_table_u64(t, p->rx_p2p);
	ctl_table_u64(t, p->tx_relay);
	ctl_table_u64(t, p->rx_relay);
	ctl_table_str(t, p->k_path != DP_EDGE_NONE ? "kernel" : "userspace");
	if (r->e->a6)
		a6_columns(t, r->e, p);
}

static int cmd_peers(struct ctl_table *t, int argc __maybe_unused,
		     char **argv __maybe_unused, void *ctx)
{
	static const char *const cols[] = {
		"mac",	  "path",     "sockaddr", "last_seen_s", "tx_p2p",
		"rx_p2p", "tx_relay", "rx_relay", "datapath",	 NULL
	};
	static const char *const a6_cols[] = {
		"identity", "session_age_s", "last_handshake_s",
		"rekeys",   "replayed",	     "tag_failed",
		NULL
	};
	struct edge *e = ctx;
	struct peer_rows r = { t, e };

	edge_kernel_collect_all(e);
	columns(t, cols);
	if (e->a6)
		columns(t, a6_cols);
	mac_table_each(&e->peers, peer_row, &r);
	return 0;
}

/* keys: our -A6 identity; keys rotate: a new one (sessions renegotiate). */
static int cmd_keys(struct ctl_table *t, int argc, char **argv, void *ctx)
{
	static const char *const cols[] = { "identity", "public_key", "file",
					    NULL };
	char fp[32], pub[64];
	struct edge *e = ctx;
	int err;

	if (!e->a6)
		return ctl_table_errorf(t, "no identity: this community does "
					   "not use -A6");
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "rotate")))
		return ctl_table_errorf(t, "usage: keys [rotate]");
	if (argc == 2) {
		err = edge_a6_rotate_identity(e);
		if (err)
			return ctl_table_errorf(t, "cannot rotate: %s",
						strerror(-err));
	}
	edge_a6_identity(e, fp, sizeof(fp), pub, sizeof(pub));
	columns(t, cols);
	ctl_table_row(t);
	ctl_table_str(t, fp);
	ctl_table_str(t, pub);
	ctl_table_str(t, edge_a6_identity_path(e));
	return 0;
}

static void traffic_rows(struct mac_entry *me, void *arg)
{
	static const char *const via[] = { "p2p", "relay", "kernel" };
	const struct edge_peer *p = (const struct edge_peer *)me;
	struct ctl_table *t = arg;
	int i;

	for (i = 0; i < EDGE_VIA_N; i++) {
		ctl_table_row(t);
		put_mac(t, p->key.mac);
		ctl_table_str(t, via[i]);
		ctl_table_u64(t, p->via[i].tx);
		ctl_table_u64(t, p->via[i].rx);
		ctl_table_u64(t, p->via[i].tx_bytes);
		ctl_table_u64(t, p->via[i].rx_bytes);
	}
}

/* Per peer and way: the daemon directly (p2p), the daemon through the
 * supernode (relay), or the kernel path. */
static int cmd_traffic(struct ctl_table *t, int argc __maybe_unused,
		       char **argv __maybe_unused, void *ctx)
{
	static const char *const cols[] = { "mac",	  "path",
					    "tx_packets", "rx_packets",
					    "tx_bytes",	  "rx_bytes",
					    NULL };
	struct edge *e = ctx;

	edge_kernel_collect_all(e);
	columns(t, cols);
	mac_table_each(&e->peers, traffic_rows, t);
	return 0;
}

static int cmd_supernodes(struct ctl_table *t, int argc __maybe_unused,
			  char **argv __maybe_unused, void *ctx)
{
	static const char *const cols[] = { "host", "sockaddr",	   "current",
					    "mac",  "last_seen_s", "selection",
					    NULL };
	struct edge *e = ctx;
	char buf[SOCKADDR_STR_MAX], sel[48];
	int i;

	columns(t, cols);
	for (i = 0; i < e->n_sn; i++) {
		const struct edge_sn *sn = &e->sn[i];

		ctl_table_row(t);
		ctl_table_strf(t, "%s:%u", sn->host, sn->port);
		if (sn->resolved)
			ctl_table_str(t, sockaddr_str(&sn->sa, buf));
		else
			ctl_table_null(t);
		ctl_table_bool(t, i == e->cur_sn);
		put_mac(t, sn->mac);
		ctl_table_u64(t, ago_s(sn->last_seen_ms));
		edge_sn_select_str(e, i, sel, sizeof(sel));
		ctl_table_str(t, sel);
	}
	return 0;
}

/* The kernel path's verdicts, per program (tc_tap_, tc_tx_, tc_rx_). */
static void kernel_rows(struct ctl_table *t, struct edge *e)
{
	static const enum n2nk_layer layers[] = { N2NK_LAYER_EDGE_TAP,
						  N2NK_LAYER_EDGE_TX,
						  N2NK_LAYER_EDGE_RX };
	uint64_t count[N2NK_REASON_SLOTS];
	size_t i;

	for (i = 0; i < sizeof(layers) / sizeof(layers[0]); i++)
		if (datapath_edge_reasons(&e->dp, layers[i], count))
			ctl_reason_rows(t, layers[i], count);
}

/* `n2nctl stats`, the kernel path's counts already collected. */
static int stats_rows(struct ctl_table *t, int argc __maybe_unused,
		      char **argv __maybe_unused, void *ctx)
{
	struct edge *e = ctx;
	const struct edge_stats *s = &e->stats;

	ctl_table_column(t, "counter");
	ctl_table_column(t, "value");
	ctl_counter_row(t, "tx_p2p", s->tx_p2p);
	ctl_counter_row(t, "rx_p2p", s->rx_p2p);
	ctl_counter_row(t, "tx_supernode", s->tx_sn);
	ctl_counter_row(t, "rx_supernode", s->rx_sn);
	ctl_counter_row(t, "tx_supernode_broadcast", s->tx_sn_bcast);
	ctl_counter_row(t, "rx_supernode_broadcast", s->rx_sn_bcast);
	ctl_counter_row(t, "daemon_tap_read", s->tap_read);
	ctl_counter_row(t, "daemon_tap_written", s->tap_written);
	ctl_counter_row(t, "bridge_hosts", s->bridge_hosts);
	ctl_counter_row(t, "bridge_evicted", s->bridge_evicted);
	ctl_counter_row(t, "punch_tx", s->punch_tx);
	ctl_counter_row(t, "punch_ttl_tx", s->punch_ttl_tx);
	ctl_counter_row(t, "punch_skipped", s->punch_skipped);
	kernel_rows(t, e);
	edge_bday_stats_rows(t, e);
	ctl_reason_rows(t, N2NK_LAYER_DAEMON, e->drops.n);
	return 0;
}

static int cmd_stats(struct ctl_table *t, int argc, char **argv, void *ctx)
{
	edge_kernel_collect_all(ctx);
	return stats_rows(t, argc, argv, ctx);
}

static int cmd_maps(struct ctl_table *t, int argc __maybe_unused,
		    char **argv __maybe_unused, void *ctx)
{
	static const char *const cols[] = { "map",	   "type", "entries",
					    "max_entries", "key",  "value",
					    "pinned",	   NULL };
	struct edge *e = ctx;
	struct bpf_map_row mi;
	unsigned int i;

	columns(t, cols);
	for (i = 0; !datapath_edge_map_info(&e->dp, i, &mi); i++) {
		ctl_table_row(t);
		ctl_table_str(t, mi.name);
		ctl_table_str(t, mi.type ? mi.type : "?");
		ctl_table_u64(t, mi.entries);
		ctl_table_u64(t, mi.max_entries);
		ctl_table_u64(t, mi.key_size);
		ctl_table_u64(t, mi.value_size);
		ctl_table_str(t, mi.pin_path ? mi.pin_path : "-");
	}
	return 0;
}

static int cmd_info(struct ctl_table *t, int argc __maybe_unused,
		    char **argv __maybe_unused, void *ctx)
{
	static const char *const cols[] = {
		"community", "community_id", "mac", "ip4addr",
		"device",    "datapath",     "why", "registered",
		"udp_port",  "transport",    NULL
	};
	char ip[IP4_PREFIX_STR_MAX], tr[96];
	struct edge *e = ctx;

	columns(t, cols);
	edge_portmap_columns(t);
	ctl_table_row(t);
	ctl_table_str(t, e->community);
	prom_put_community(t, e->community, strlen(e->community), false);
	put_mac(t, e->mac);
	ctl_table_str(t, ip4_prefix_str(e->ip, e->prefix, ip));
	ctl_table_str(t, e->tap_name);
	ctl_table_str(t, e->dp.ops ? e->dp.ops->name : "none");
	ctl_table_str(t, e->dp.why ? e->dp.why : "");
	ctl_table_bool(t, edge_registered(e) && !e->sn_wait);
	ctl_table_u64(t, e->dp.bound_port);
	/* To the supernode: "udp", or -S2's "tcp connected 198.18.0.1:7654" */
	ctl_table_str(t, edge_tcp_state(e, tr, sizeof(tr)));
	edge_portmap_cells(t, e);
	return 0;
}

static const struct ctl_command edge_commands[] = {
	{ "peers", "peer edges, the path each uses and its counters",
	  cmd_peers },
	{ "traffic", "packets and bytes per peer and path (p2p, relay, kernel)",
	  cmd_traffic },
	{ "supernodes", "configured and learned supernodes", cmd_supernodes },
	{ "stats", "packet counters and drops by reason", cmd_stats },
	{ "info", "this edge: community, MAC, address, datapath", cmd_info },
	{ "keys", "the -A6 identity key; 'keys rotate' makes a new one",
	  cmd_keys },
	{ "maps", "the kernel path's BPF maps (kernel datapath)", cmd_maps },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* This edge: n2nk_edge_info's labels (which change: an info metric) and
 * n2nk_edge_registered (which keeps none). */
static void info_metric_rows(struct ctl_table *t, struct edge *e)
{
	static const char *const cols[] = { "community",  "mac",      "ip4addr",
					    "device",	  "datapath", "info",
					    "registered", NULL };
	char ip[IP4_PREFIX_STR_MAX];

	columns(t, cols);
	ctl_table_row(t);
	prom_put_community(t, e->community, strlen(e->community),
			   e->conf->metrics_names);
	put_mac(t, e->mac);
	ctl_table_str(t, ip4_prefix_str(e->ip, e->prefix, ip));
	ctl_table_str(t, e->tap_name);
	ctl_table_str(t, e->dp.ops ? e->dp.ops->name : "none");
	ctl_table_u64(t, 1);
	ctl_table_bool(t, edge_registered(e) && !e->sn_wait);
}

/* When each supernode last answered; nothing for one that never did. */
static void supernode_metric_rows(struct ctl_table *t, struct edge *e)
{
	static const char *const cols[] = { "host", "current", "last_seen",
					    NULL };
	int i;

	columns(t, cols);
	for (i = 0; i < e->n_sn; i++) {
		const struct edge_sn *sn = &e->sn[i];

		ctl_table_row(t);
		ctl_table_strf(t, "%s:%u", sn->host, sn->port);
		ctl_table_bool(t, i == e->cur_sn);
		if (sn->last_seen_ms)
			ctl_table_u64(t, prom_unix_s(sn->last_seen_ms));
		else
			ctl_table_null(t);
	}
}

static void pick_peer(struct mac_entry *me, void *arg)
{
	const struct edge_peer *p = (const struct edge_peer *)me;
	uint64_t n = 0;
	int i;

	for (i = 0; i < EDGE_VIA_N; i++)
		n += p->via[i].tx + p->via[i].rx;
	prom_top_add(arg, p, NULL, n, p->last_seen_ms);
}

/* The PROM_TOP_MAX peers with most frames, into two tables: when each was
 * last seen, and its traffic by path. *omitted: the peers left out. */
static int peer_metric_rows(struct ctl_table *seen, struct ctl_table *traffic,
			    struct edge *e, uint64_t *omitted)
{
	static const char *const seen_cols[] = { "mac", "last_seen", NULL };
	static const char *const traffic_cols[] = { "mac",	  "path",
						    "tx_packets", "rx_packets",
						    "tx_bytes",	  "rx_bytes",
						    NULL };
	struct prom_top *top = malloc(sizeof(*top));
	size_t i;

	columns(seen, seen_cols);
	columns(traffic, traffic_cols);
	if (!top)
		return -ENOMEM;
	prom_top_init(top);
	mac_table_each(&e->peers, pick_peer, top);
	prom_top_sort(top);
	for (i = 0; i < top->n; i++) {
		const struct edge_peer *p = top->e[i].item;

		ctl_table_row(seen);
		put_mac(seen, p->key.mac);
		if (p->last_seen_ms)
			ctl_table_u64(seen, prom_unix_s(p->last_seen_ms));
		else
			ctl_table_null(seen);
		traffic_rows((struct mac_entry *)&p->key, traffic);
	}
	*omitted = top->seen - top->n;
	free(top);
	return 0;
}

static void edge_peer_metrics(struct ctl_buf *b, struct edge *e)
{
	static const char *const by_mac_path[] = { "mac", "path", NULL };
	static const char *const by_mac[] = { "mac", NULL };
	static const struct prom_column traffic[] = {
		{ "tx_packets",
		  "n2nk_edge_peer_packets_total",
		  "counter",
		  "frames to and from each peer, by path",
		  { "direction", "tx" } },
		{ "rx_packets",
		  "n2nk_edge_peer_packets_total",
		  "counter",
		  "",
		  { "direction", "rx" } },
		{ "tx_bytes",
		  "n2nk_edge_peer_bytes_total",
		  "counter",
		  "bytes of Ethernet frames to and from each peer, by path",
		  { "direction", "tx" } },
		{ "rx_bytes",
		  "n2nk_edge_peer_bytes_total",
		  "counter",
		  "",
		  { "direction", "rx" } },
	};
	static const struct prom_column seen_spec[] = {
		{ "last_seen",
		  "n2nk_edge_peer_last_seen_timestamp_seconds",
		  "gauge",
		  "when anything was last heard from or about the peer "
		  "(Unix time)",
		  { NULL } },
	};
	struct ctl_table seen, tr;
	uint64_t omitted = 0;

	ctl_table_init(&seen, "peers");
	ctl_table_init(&tr, "traffic");
	if (!peer_metric_rows(&seen, &tr, e, &omitted)) {
		prom_table(b, &seen, by_mac, seen_spec, N(seen_spec));
		prom_table(b, &tr, by_mac_path, traffic, N(traffic));
	}
	ctl_table_fini(&seen);
	ctl_table_fini(&tr);
	prom_family(b, "n2nk_edge_peer_series_omitted", "gauge",
		    "peers left out of the per-peer series (the 256 with "
		    "most frames are in)");
	prom_sample(b, "n2nk_edge_peer_series_omitted", NULL, 0, omitted);
}

static void edge_self_metrics(struct ctl_buf *b, struct edge *e)
{
	static const char *const by_info[] = { "community", "mac",
					       "ip4addr",   "device",
					       "datapath",  NULL };
	static const char *const none[] = { NULL };
	static const struct prom_column info[] = {
		{ "info",
		  "n2nk_edge_info",
		  "gauge",
		  "1, labelled with this edge's community, MAC, address, "
		  "TAP device and datapath",
		  { NULL } },
	};
	static const struct prom_column registered[] = {
		{ "registered",
		  "n2nk_edge_registered",
		  "gauge",
		  "1 while registered with a supernode",
		  { NULL } },
	};
	static const char *const by_host[] = { "host", NULL };
	static const struct prom_column supernodes[] = {
		{ "current",
		  "n2nk_edge_supernode_current",
		  "gauge",
		  "1 for the supernode in use",
		  { NULL } },
		{ "last_seen",
		  "n2nk_edge_supernode_last_seen_timestamp_seconds",
		  "gauge",
		  "when the supernode last answered (Unix time; none if "
		  "never)",
		  { NULL } },
	};
	struct ctl_table t;

	ctl_table_init(&t, "info");
	info_metric_rows(&t, e);
	prom_table(b, &t, by_info, info, N(info));
	prom_table(b, &t, none, registered, N(registered));
	ctl_table_fini(&t);
	ctl_table_init(&t, "supernodes");
	supernode_metric_rows(&t, e);
	prom_table(b, &t, by_host, supernodes, N(supernodes));
	ctl_table_fini(&t);
}

/*
 * The metrics (docs/metrics.md): `n2nctl stats` and `n2nctl maps` as they
 * are, this edge, its supernodes and its busiest peers. The kernel path's
 * counters are read once per rendering.
 */
static int edge_metrics(void *ctx, struct ctl_buf *b)
{
	static const char *const by_map[] = { "map", "type", NULL };
	static const struct prom_column maps[] = {
		{ "entries",
		  "n2nk_edge_map_entries",
		  "gauge",
		  "entries in the kernel path's BPF map",
		  { NULL } },
		{ "max_entries",
		  "n2nk_edge_map_max_entries",
		  "gauge",
		  "the BPF map's capacity",
		  { NULL } },
	};

	edge_kernel_collect_all(ctx);
	prom_command(b, "stats", stats_rows, ctx, NULL, NULL, 0, "n2nk_edge");
	edge_self_metrics(b, ctx);
	edge_peer_metrics(b, ctx);
	return prom_command(b, "maps", cmd_maps, ctx, by_map, maps, N(maps),
			    NULL);
}

int edge_metrics_open(struct edge *x, const struct sockaddr_storage *addr)
{
	int err;

	x->metrics = metrics_open(&x->loop, addr, edge_metrics, x, &err);
	return err;
}

void edge_metrics_close(struct edge *x)
{
	metrics_close(&x->loop, x->metrics);
	x->metrics = NULL;
}

int edge_ctl_open(struct edge *x, const char *path)
{
	int err;

	x->ctl = ctl_attach(&x->loop, path, edge_commands,
			    sizeof(edge_commands) / sizeof(edge_commands[0]), x,
			    &err);
	return err;
}

void edge_ctl_close(struct edge *x)
{
	ctl_detach(&x->loop, x->ctl);
	x->ctl = NULL;
}
