// SPDX-License-Identifier: GPL-2.0-only
/*
 * The supernode's n2nctl commands: communities, edges (who is registered
 * where) and stats (forwarding counters and every drop reason).
 */
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
#include "kernel/dp_kernel.h"
#include "kernel/dp_relay.h"
#include "sn_tcp.h"
#include "supernode.h"

static const char *mode_name(enum sn_community_mode m)
{
	static const char *const names[] = { "undecided", "plain",
					     "encrypted" };

	return names[m];
}

static int cmd_communities(struct ctl_table *t, int argc __maybe_unused,
			   char **argv __maybe_unused, void *ctx)
{
	struct supernode *sn = ctx;
	struct sn_community *c;

	ctl_table_column(t, "community");
	ctl_table_column(t, "id"); /* the metrics' community label */
	ctl_table_column(t, "header");
	ctl_table_column(t, "listed");
	ctl_table_column(t, "edges");
	ctl_table_column(t, "forwarded");
	ctl_table_column(t, "broadcast");
	for (c = sn->communities; c; c = c->next) {
		ctl_table_row(t);
		ctl_table_str(t, c->name);
		prom_put_community(t, c->name, strlen(c->name), false);
		ctl_table_str(t, mode_name(c->mode));
		ctl_table_bool(t, c->listed);
		ctl_table_u64(t, c->edges.count);
		ctl_table_u64(t, c->fwd);
		ctl_table_u64(t, c->bcast);
	}
	return 0;
}

struct edge_rows {
	struct ctl_table *t;
	const struct sn_community *c;
	struct datapath *dp;
	bool kernel; /* xdp_* columns */
};

static void edge_row(struct mac_entry *me, void *arg)
{
	const struct sn_edge *e = (const struct sn_edge *)me;
	struct edge_rows *r = arg;
	char ip[IP4_PREFIX_STR_MAX];
	struct n2nk_relay_edge_stats st;
	char buf[SOCKADDR_STR_MAX], mac[MAC_STR_MAX];

	ctl_table_row(r->t);
	ctl_table_str(r->t, r->c->name);
	ctl_table_str(r->t, mac_str(e->key.mac, mac));
	ctl_table_str(r->t, sockaddr_str(&e->sa, buf));
	ctl_table_str(r->t,
		      ip4_prefix_str(e->dev_addr.addr, e->dev_addr.prefix, ip));
	ctl_table_strn(r->t, (const char *)e->desc,
		       strnlen((const char *)e->desc, N2N_DESC_SIZE));
	ctl_table_u64(r->t, (evloop_now_ms() - e->last_seen_ms) / 1000);
	ctl_table_u64(r->t, e->rx_pkts);
	ctl_table_u64(r->t, e->tx_pkts);
	ctl_table_str(r->t, e->tcp ? "tcp" : "udp");
	ctl_table_str(r->t, e->has_pref ? sock_str(&e->pref, buf) : "");
	if (!r->kernel)
		return;
	if (!datapath_relay_edge_stats(r->dp, r->c->name, e->key.mac, &st))
		memset(&st, 0, sizeof(st));
	ctl_table_u64(r->t, st.from_packets);
	ctl_table_u64(r->t, st.to_packets);
}

static int cmd_edges(struct ctl_table *t, int argc __maybe_unused,
		     char **argv __maybe_unused, void *ctx)
{
	static const char *const cols[] = {
		"community", "mac",	    "sockaddr",	  "ip4addr",
		"desc",	     "last_seen_s", "rx_relayed", "tx_relayed",
		"transport", "preferred",   NULL
	};
	struct supernode *sn = ctx;
	bool kernel = sn->dp.relay != NULL; /* the XDP relay is loaded */
	struct sn_community *c;
	const char *const *col;

	for (col = cols; *col; col++)
		ctl_table_column(t, *col);
	if (kernel) {
		ctl_table_column(t, "xdp_rx_relayed");
		ctl_table_column(t, "xdp_tx_relayed");
	}
	for (c = sn->communities; c; c = c->next) {
		struct edge_rows r = { t, c, &sn->dp, kernel };

		mac_table_each(&c->edges, edge_row, &r);
	}
	return 0;
}

/*
 * The kernel relay's verdicts, one row per reason: xdp_relayed is the
 * fast path; the xdp_drop_* rows were dropped there; every other xdp_*
 * row went on unchanged, to the daemon (over AF_XDP or its socket, where
 * it is counted again in "received") or to the kernel's stack, as the
 * relay column of include/n2nk_reasons.h says (docs/n2nctl.md).
 */
static void xdp_rows(struct ctl_table *t, struct supernode *sn)
{
	uint64_t pkts[N2NK_REASON_SLOTS];
	uint64_t egress[N2NK_RELAY_EGRESS_SLOTS];

	if (datapath_relay_reasons(&sn->dp, pkts))
		ctl_reason_rows(t, N2NK_LAYER_RELAY, pkts);
	/* How xdp_relayed left: by the interface it came in on, or
	 * redirected to another (docs/n2nctl.md). */
	if (!datapath_relay_egress(&sn->dp, egress))
		return;
	ctl_counter_row(t, "xdp_relayed_tx", egress[N2NK_RELAY_EGRESS_TX]);
	ctl_counter_row(t, "xdp_relayed_redirect",
			egress[N2NK_RELAY_EGRESS_REDIRECT]);
	ctl_counter_row(t, "xdp_drop_redirect_aborted",
			egress[N2NK_RELAY_EGRESS_ABORTED]);
}

/* The AF_XDP slow path: frames that came that way, those the daemon got,
 * the rest by reason, and the kernel's own losses. */
static void xsk_rows(struct ctl_table *t, struct supernode *sn)
{
	uint64_t count[N2NK_REASON_SLOTS];
	char name[16 + IF_NAMESIZE];
	struct xsk_rx_stats st;
	uint32_t i;

	if (!dp_kernel_xsk_stats(&sn->dp, &st))
		return;
	ctl_counter_row(t, "xsk_received", st.received);
	for (i = 0; i < st.n_ifs && i < N2NK_RELAY_MAX_IFS; i++) {
		snprintf(name, sizeof(name), "xsk_received_%s", st.ifs[i].name);
		ctl_counter_row(t, name, st.ifs[i].received);
	}
	memcpy(count, st.drops.n, sizeof(count));
	count[0] = st.delivered; /* slot 0: the normal way */
	ctl_reason_rows(t, N2NK_LAYER_XSK, count);
	ctl_counter_row(t, "xsk_kernel_dropped", st.kernel_dropped);
	ctl_counter_row(t, "xsk_rx_ring_full", st.rx_ring_full);
	ctl_counter_row(t, "xsk_fill_ring_empty", st.fill_ring_empty);
}

static int cmd_stats(struct ctl_table *t, int argc __maybe_unused,
		     char **argv __maybe_unused, void *ctx)
{
	struct supernode *sn = ctx;
	unsigned int open, reg;

	ctl_table_column(t, "counter");
	ctl_table_column(t, "value");
	ctl_counter_row(t, "received", sn->stats.rx);
	ctl_counter_row(t, "forwarded", sn->stats.fwd);
	xdp_rows(t, sn);
	if (sn->dp.relay)
		ctl_counter_row(t, "xdp_mirror_failed",
				sn->stats.xdp_mirror_failed);
	xsk_rows(t, sn);
	ctl_counter_row(t, "broadcast", sn->stats.bcast);
	ctl_counter_row(t, "register_super", sn->stats.reg_super);
	ctl_counter_row(t, "register_super_nak", sn->stats.reg_super_nak);
	ctl_counter_row(t, "query_peer", sn->stats.queries);
	ctl_counter_row(t, "peer_info_v6_withheld",
			sn->stats.peer_info_v6_withheld);
	ctl_counter_row(t, "fed_v6_withheld", sn->stats.fed_v6_withheld);
	sn_tcp_count(sn, &open, &reg);
	ctl_counter_row(t, "tcp_connections", open);
	ctl_counter_row(t, "tcp_registered", reg);
	ctl_reason_rows(t, N2NK_LAYER_DAEMON, sn->drops.n);
	return 0;
}

static int cmd_maps(struct ctl_table *t, int argc __maybe_unused,
		    char **argv __maybe_unused, void *ctx)
{
	static const char *const cols[] = { "map",	   "type", "entries",
					    "max_entries", "key",  "value",
					    "pinned",	   NULL };
	struct supernode *sn = ctx;
	struct xdp_relay_map_info mi;
	const char *const *col;
	unsigned int i;

	for (col = cols; *col; col++)
		ctl_table_column(t, *col);
	for (i = 0; !datapath_relay_map_info(&sn->dp, i, &mi); i++) {
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

static const struct ctl_command sn_commands[] = {
	{ "communities", "communities, header mode, edge counts",
	  cmd_communities },
	{ "edges", "registered edges per community", cmd_edges },
	{ "stats", "forwarding counters and drops by reason", cmd_stats },
	{ "maps", "the kernel relay's BPF maps (kernel datapath)", cmd_maps },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A community as a metric label: an id unless names were asked for, and
 * never the federation's name (what supernodes authenticate with), nor
 * any '*' name, which n2n keeps for federations. */
static void put_community(struct ctl_table *t, const struct supernode *sn,
			  const struct sn_community *c)
{
	bool fed = c == sn->federation || c->name[0] == '*';

	prom_put_community(t, c->name, strlen(c->name),
			   sn->conf->metrics_names && !fed);
}

/* Per community: complete, bounded by SN_MAX_COMMUNITIES. */
static void community_metric_rows(struct ctl_table *t, struct supernode *sn)
{
	static const char *const cols[] = { "community", "header",
					    "info",	 "edges",
					    "forwarded", "broadcast",
					    NULL };
	const char *const *col;
	struct sn_community *c;

	for (col = cols; *col; col++)
		ctl_table_column(t, *col);
	for (c = sn->communities; c; c = c->next) {
		ctl_table_row(t);
		put_community(t, sn, c);
		ctl_table_str(t, mode_name(c->mode));
		ctl_table_u64(t, 1);
		ctl_table_u64(t, c->edges.count);
		ctl_table_u64(t, c->fwd);
		ctl_table_u64(t, c->bcast);
	}
}

struct edge_pick {
	struct prom_top *top;
	const struct sn_community *c;
};

/* Ranked by what the daemon relayed for the edge, then by how recently it
 * was heard: the kernel relay's own counts would cost a lookup each. */
static void pick_edge(struct mac_entry *me, void *arg)
{
	const struct sn_edge *e = (const struct sn_edge *)me;
	struct edge_pick *p = arg;

	prom_top_add(p->top, e, p->c, e->rx_pkts + e->tx_pkts, e->last_seen_ms);
}

static void edge_metric_row(struct ctl_table *t, struct supernode *sn,
			    const struct prom_top_item *it, bool kernel)
{
	const struct sn_community *c = it->ctx;
	const struct sn_edge *e = it->item;
	struct n2nk_relay_edge_stats st;
	char mac[MAC_STR_MAX];

	ctl_table_row(t);
	put_community(t, sn, c);
	ctl_table_str(t, mac_str(e->key.mac, mac));
	ctl_table_u64(t, prom_unix_s(e->last_seen_ms));
	ctl_table_u64(t, e->rx_pkts);
	ctl_table_u64(t, e->tx_pkts);
	if (!kernel)
		return;
	if (!datapath_relay_edge_stats(&sn->dp, c->name, e->key.mac, &st))
		memset(&st, 0, sizeof(st));
	ctl_table_u64(t, st.from_packets);
	ctl_table_u64(t, st.to_packets);
}

/* Per edge: the PROM_TOP_MAX busiest; *omitted says how many are not. */
static void edge_metric_rows(struct ctl_table *t, struct supernode *sn,
			     uint64_t *omitted)
{
	static const char *const cols[] = { "community",      "mac",
					    "last_seen",      "rx_relayed",
					    "tx_relayed",     "xdp_rx_relayed",
					    "xdp_tx_relayed", NULL };
	bool kernel = sn->dp.relay != NULL;
	struct prom_top *top = malloc(sizeof(*top));
	struct edge_pick p = { top, NULL };
	const char *const *col;
	struct sn_community *c;
	size_t i;

	for (col = cols; *col && (kernel || strncmp(*col, "xdp_", 4)); col++)
		ctl_table_column(t, *col);
	if (!top) {
		ctl_table_errorf(t, "out of memory");
		return;
	}
	prom_top_init(top);
	for (c = sn->communities; c; c = c->next) {
		p.c = c;
		mac_table_each(&c->edges, pick_edge, &p);
	}
	prom_top_sort(top);
	for (i = 0; i < top->n; i++)
		edge_metric_row(t, sn, &top->e[i], kernel);
	*omitted = top->seen - top->n;
	free(top);
}

static void sn_metric_tables(struct ctl_buf *b, struct supernode *sn)
{
	static const char *const by_community[] = { "community", NULL };
	static const char *const by_info[] = { "community", "header", NULL };
	static const struct prom_column info[] = {
		{ "info",
		  "n2nk_supernode_community_info",
		  "gauge",
		  "1 per community; header: plain, encrypted or undecided",
		  { NULL } },
	};
	static const struct prom_column communities[] = {
		{ "edges",
		  "n2nk_supernode_community_edges",
		  "gauge",
		  "edges registered in the community",
		  { NULL } },
		{ "forwarded",
		  "n2nk_supernode_community_forwarded_total",
		  "counter",
		  "packets forwarded within the community",
		  { NULL } },
		{ "broadcast",
		  "n2nk_supernode_community_broadcast_total",
		  "counter",
		  "broadcasts fanned out within the community",
		  { NULL } },
	};
	static const char *const by_edge[] = { "community", "mac", NULL };
	static const struct prom_column edges[] = {
		{ "last_seen",
		  "n2nk_supernode_edge_last_seen_timestamp_seconds",
		  "gauge",
		  "when the registered edge was last heard (Unix time)",
		  { NULL } },
		{ "rx_relayed",
		  "n2nk_supernode_edge_relayed_packets_total",
		  "counter",
		  "packets relayed from and to each edge, by path",
		  { "direction", "rx", "path", "relay" } },
		{ "tx_relayed",
		  "n2nk_supernode_edge_relayed_packets_total",
		  "counter",
		  "",
		  { "direction", "tx", "path", "relay" } },
		{ "xdp_rx_relayed",
		  "n2nk_supernode_edge_relayed_packets_total",
		  "counter",
		  "",
		  { "direction", "rx", "path", "kernel" } },
		{ "xdp_tx_relayed",
		  "n2nk_supernode_edge_relayed_packets_total",
		  "counter",
		  "",
		  { "direction", "tx", "path", "kernel" } },
	};
	struct ctl_table t;
	uint64_t omitted = 0;

	ctl_table_init(&t, "communities");
	community_metric_rows(&t, sn);
	prom_table(b, &t, by_info, info, N(info));
	prom_table(b, &t, by_community, communities, N(communities));
	ctl_table_fini(&t);
	ctl_table_init(&t, "edges");
	edge_metric_rows(&t, sn, &omitted);
	prom_table(b, &t, by_edge, edges, N(edges));
	ctl_table_fini(&t);
	prom_family(b, "n2nk_supernode_edge_series_omitted", "gauge",
		    "registered edges left out of the per-edge series (the "
		    "256 that relayed most are in)");
	prom_sample(b, "n2nk_supernode_edge_series_omitted", NULL, 0, omitted);
}

/*
 * The metrics (docs/metrics.md): the counters of `n2nctl stats` and
 * `n2nctl maps`, the communities (all of them) and the busiest edges.
 */
static int sn_metrics(void *ctx, struct ctl_buf *b)
{
	static const char *const by_map[] = { "map", "type", NULL };
	static const struct prom_column maps[] = {
		{ "entries",
		  "n2nk_supernode_map_entries",
		  "gauge",
		  "entries in the XDP relay's BPF map",
		  { NULL } },
		{ "max_entries",
		  "n2nk_supernode_map_max_entries",
		  "gauge",
		  "the BPF map's capacity",
		  { NULL } },
	};

	prom_command(b, "stats", cmd_stats, ctx, NULL, NULL, 0,
		     "n2nk_supernode");
	sn_metric_tables(b, ctx);
	return prom_command(b, "maps", cmd_maps, ctx, by_map, maps, N(maps),
			    NULL);
}

int sn_metrics_open(struct supernode *x, const struct sockaddr_storage *addr)
{
	int err;

	x->metrics = metrics_open(&x->loop, addr, sn_metrics, x, &err);
	return err;
}

void sn_metrics_close(struct supernode *x)
{
	metrics_close(&x->loop, x->metrics);
	x->metrics = NULL;
}

int sn_ctl_open(struct supernode *x, const char *path)
{
	int err;

	x->ctl = ctl_attach(&x->loop, path, sn_commands,
			    sizeof(sn_commands) / sizeof(sn_commands[0]), x,
			    &err);
	return err;
}

void sn_ctl_close(struct supernode *x)
{
	ctl_detach(&x->loop, x->ctl);
	x->ctl = NULL;
}
