// SPDX-License-Identifier: GPL-2.0-only
/*
 * The edge's n2nctl commands: peers (with the path each one uses),
 * supernodes, stats (n2n's packet counters and every drop reason) and info.
 * Columns are documented in docs/n2nctl.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/compiler.h"
#include "common/mac.h"
#include "common/sockaddr.h"
#include "ctl/ctl_loop.h"
#include "ctl/ctl_prom.h"
#include "ctl/metrics.h"
#include "edge.h"
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

static void peer_row(struct mac_entry *me, void *arg)
{
	const struct edge_peer *p = (const struct edge_peer *)me;
	struct ctl_table *t = arg;
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
}

static int cmd_peers(struct ctl_table *t, int argc __maybe_unused,
		     char **argv __maybe_unused, void *ctx)
{
	static const char *const cols[] = {
		"mac",	  "path",     "sockaddr", "last_seen_s", "tx_p2p",
		"rx_p2p", "tx_relay", "rx_relay", "datapath",	 NULL
	};
	struct edge *e = ctx;

	edge_kernel_collect_all(e);
	columns(t, cols);
	mac_table_each(&e->peers, peer_row, t);
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
					    "mac",  "last_seen_s", NULL };
	struct edge *e = ctx;
	char buf[SOCKADDR_STR_MAX];
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

static int cmd_stats(struct ctl_table *t, int argc __maybe_unused,
		     char **argv __maybe_unused, void *ctx)
{
	struct edge *e = ctx;
	const struct edge_stats *s = &e->stats;

	edge_kernel_collect_all(e);
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
	kernel_rows(t, e);
	ctl_reason_rows(t, N2NK_LAYER_DAEMON, e->drops.n);
	return 0;
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
	static const char *const cols[] = { "community",  "mac",      "ip4addr",
					    "device",	  "datapath", "why",
					    "registered", "udp_port", NULL };
	char ip[IP4_PREFIX_STR_MAX];
	struct edge *e = ctx;

	columns(t, cols);
	ctl_table_row(t);
	ctl_table_str(t, e->community);
	put_mac(t, e->mac);
	ctl_table_str(t, ip4_prefix_str(e->ip, e->prefix, ip));
	ctl_table_str(t, e->tap_name);
	ctl_table_str(t, e->dp.ops ? e->dp.ops->name : "none");
	ctl_table_str(t, e->dp.why ? e->dp.why : "");
	ctl_table_bool(t, edge_registered(e) && !e->sn_wait);
	ctl_table_u64(t, e->dp.bound_port);
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
	{ "maps", "the kernel path's BPF maps (kernel datapath)", cmd_maps },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The metrics (docs/metrics.md): the tables of the commands above, so a
 * scrape says what n2nctl says.
 */
static int edge_metrics(void *ctx, struct ctl_buf *b)
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
	static const struct prom_column peers[] = {
		{ "last_seen_s",
		  "n2nk_edge_peer_last_seen_seconds",
		  "gauge",
		  "seconds since anything was heard from or about the peer",
		  { NULL } },
	};
	static const char *const by_host[] = { "host", "sockaddr", NULL };
	static const struct prom_column supernodes[] = {
		{ "current",
		  "n2nk_edge_supernode_current",
		  "gauge",
		  "1 for the supernode in use",
		  { NULL } },
		{ "last_seen_s",
		  "n2nk_edge_supernode_last_seen_seconds",
		  "gauge",
		  "seconds since the supernode last answered",
		  { NULL } },
	};
	static const char *const by_info[] = { "community", "mac",
					       "ip4addr",   "device",
					       "datapath",  NULL };
	static const struct prom_column info[] = {
		{ "registered",
		  "n2nk_edge_registered",
		  "gauge",
		  "1 while registered with a supernode",
		  { NULL } },
	};
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

	prom_command(b, "stats", cmd_stats, ctx, NULL, NULL, 0, "n2nk_edge");
	prom_command(b, "info", cmd_info, ctx, by_info, info, N(info), NULL);
	prom_command(b, "supernodes", cmd_supernodes, ctx, by_host, supernodes,
		     N(supernodes), NULL);
	prom_command(b, "peers", cmd_peers, ctx, by_mac, peers, N(peers), NULL);
	prom_command(b, "traffic", cmd_traffic, ctx, by_mac_path, traffic,
		     N(traffic), NULL);
	return prom_command(b, "maps", cmd_maps, ctx, by_map, maps, N(maps),
			    NULL);
}

int edge_metrics_open(struct edge *x, const struct sockaddr_in *addr)
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
