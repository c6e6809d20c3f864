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
	{ "supernodes", "configured and learned supernodes", cmd_supernodes },
	{ "stats", "packet counters and drops by reason", cmd_stats },
	{ "info", "this edge: community, MAC, address, datapath", cmd_info },
	{ "maps", "the kernel path's BPF maps (kernel datapath)", cmd_maps },
};

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
