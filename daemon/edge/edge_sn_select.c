// SPDX-License-Identifier: GPL-2.0-only
/*
 * Supernode selection as n2n 3.1.1 does it (src/edge_utils.c:
 * sort_supernodes, src/sn_selection.c; n2n-protocol.md 4.3): every sweep
 * (30 s) the supernode with the lowest criterion becomes the current one
 * (UNREGISTER_SUPER to the old, REGISTER_SUPER to the new), then every
 * criterion is reset (the current one "good", the others "default") and
 * each supernode gets a PING (QUERY_PEER for the null MAC); its PONG
 * (PEER_INFO for the null MAC) sets its criterion:
 *   load (default): the PONG's load field (n2n's byte order, which makes
 *     it 0 from any n2n or n2nk supernode) + pending peers (x2 with -H) /
 *     supernodes; the current one's times sum/(sum+1), sum = all peers;
 *   --select-rtt: the milliseconds from the sweep's PING to the PONG;
 *   --select-mac: the supernode's MAC as a 48-bit number.
 * A supernode that does not answer keeps "default" and is not chosen
 * while another answers. On a tie the current supernode stays, else the
 * earlier in the list wins (n2n's sort is stable).
 *
 * Different from n2n, on purpose: the edge registers with the first
 * supernode at once and PINGs every supernode right away; when all have
 * answered, or after 3 s (n2n's BOOTSTRAP_TIMEOUT), it moves to the best
 * (n2n waits for the first PONG before registering and converges a sweep
 * later). Every known supernode is PINGed (at most EDGE_MAX_SN), where
 * n2n PINGs up to 15, then 5 a sweep with a random skip. RTT is measured
 * on a monotonic clock in ms (n2n's wraps at each second). With -S2 there
 * is no selection, as in n2n (it PINGs over UDP only).
 */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "common/mac.h"
#include "conf/conf.h"
#include "edge.h"

#define SWEEP_MS     30000u /* n2n's SWEEP_TIME */
#define BOOTSTRAP_MS 3000u  /* n2n's BOOTSTRAP_TIMEOUT */

/* n2n's special values: sorted after any measured one. */
#define SEL_BAD	    (UINT64_MAX >> 1)
#define SEL_DEFAULT (SEL_BAD - 1)
#define SEL_GOOD    (SEL_BAD - 2)

static enum edge_sn_selection strategy(const struct edge *e)
{
	return e->conf ? e->conf->sn_selection : EDGE_SN_SELECT_LOAD;
}

/* Peers not (yet) reached directly: n2n's pending_peers. */
static void count_pending(struct mac_entry *me, void *arg)
{
	const struct edge_peer *p = (const struct edge_peer *)me;

	*(uint64_t *)arg += !p->p2p;
}

static uint64_t pending_peers(struct edge *e)
{
	uint64_t n = 0;

	mac_table_each(&e->peers, count_pending, &n);
	return n;
}

static void send_ping(struct edge *e, struct edge_sn *sn, uint64_t now)
{
	struct n2n_msg m;

	edge_init_msg(e, &m, N2N_MSG_QUERY_PEER, 0);
	mac_copy(m.u.query_peer.src_mac, e->mac);
	memset(m.u.query_peer.target_mac, 0, MAC_SIZE);
	m.u.query_peer.aflags = 0;
	sn->ping_ms = now;
	sn->ping_out = edge_send(e, &sn->sa, &m) == 0;
}

/* A supernode not PINGed this sweep (learned since, or unresolved) has
 * no measure: "good" if current, else "default". */
static uint64_t value(const struct edge *e, int i)
{
	const struct edge_sn *sn = &e->sn[i];

	if (!e->sweep_ms || sn->ping_ms != e->sweep_ms)
		return i == e->cur_sn ? SEL_GOOD : SEL_DEFAULT;
	return sn->sel;
}

/* The lowest criterion; the current one on a tie, else the earliest. */
static int best(const struct edge *e)
{
	int i, b = e->cur_sn;

	for (i = 0; i < e->n_sn; i++)
		if (value(e, i) < value(e, b))
			b = i;
	return b;
}

static void move_to(struct edge *e, int b)
{
	struct edge_sn *from = &e->sn[e->cur_sn], *to = &e->sn[b];
	char why[48];

	edge_sn_select_str(e, b, why, sizeof(why));
	log_notice("supernode %s:%u is the best (%s): moving from %s:%u",
		   to->host, to->port, why, from->host, from->port);
	edge_unregister(e);
	e->cur_sn = b;
	e->sn_wait = false;
	e->last_reg_ms = 0; /* edge_sn_tick registers at once */
}

static void sort_and_move(struct edge *e)
{
	int b = best(e);

	if (b != e->cur_sn && !e->sn_wait && e->sn[b].resolved)
		move_to(e, b);
}

static void sweep(struct edge *e, uint64_t now)
{
	int i;

	if (e->sweep_ms)
		sort_and_move(e);
	for (i = 0; i < e->n_sn; i++) {
		struct edge_sn *sn = &e->sn[i];

		sn->sel = i == e->cur_sn ? SEL_GOOD : SEL_DEFAULT;
		sn->ping_out = false;
		sn->ping_ms = 0;
		if (sn->resolved)
			send_ping(e, sn, now);
	}
	e->sweep_ms = now;
}

static bool all_answered(const struct edge *e)
{
	int i;

	for (i = 0; i < e->n_sn; i++)
		if (e->sn[i].ping_out)
			return false;
	return true;
}

void edge_sn_select_tick(struct edge *e, uint64_t now)
{
	/* -S2: no PINGs, as n2n (they would need UDP, or a connection to
	 * every supernode): list order and failover only. */
	if (e->n_sn < 2 || (e->conf && e->conf->tcp))
		return;
	if (!e->sweep_ms || now - e->sweep_ms >= SWEEP_MS) {
		sweep(e, now);
		return;
	}
	if (!e->sel_boot_done &&
	    (all_answered(e) || now - e->sweep_ms >= BOOTSTRAP_MS)) {
		e->sel_boot_done = true;
		sort_and_move(e);
	}
}

static uint64_t mac_number(const uint8_t *mac)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < MAC_SIZE; i++)
		v = v << 8 | mac[i];
	return v;
}

/* n2n reads the field with be32toh() after decoding it big-endian: the
 * value, byte-swapped (n2n-protocol.md 4.3, the load field quirk). */
static uint64_t load_criterion(struct edge *e, const struct n2n_msg *m, int sn)
{
	uint64_t common = pending_peers(e), sum, v;

	if (e->he.on)
		common *= 2;
	common /= (uint64_t)e->n_sn;
	v = __builtin_bswap32(m->u.peer_info.load) + common;
	if (sn == e->cur_sn) {
		sum = e->peers.count;
		v = v * sum / (sum + 1);
	}
	return v;
}

void edge_sn_select_pong(struct edge *e, const struct n2n_msg *m, int sn,
			 uint64_t now)
{
	struct edge_sn *s = &e->sn[sn];

	if (!s->ping_out)
		return; /* not asked this sweep */
	s->ping_out = false;
	switch (strategy(e)) {
	case EDGE_SN_SELECT_RTT:
		s->sel = now - s->ping_ms;
		break;
	case EDGE_SN_SELECT_MAC:
		s->sel = mac_number(m->u.peer_info.src_mac);
		break;
	default:
		s->sel = load_criterion(e, m, sn);
	}
}

void edge_sn_select_str(const struct edge *e, int sn, char *buf, size_t len)
{
	uint64_t v = value(e, sn);

	if (v >= SEL_GOOD) {
		snprintf(buf, len, "%s",
			 v == SEL_GOOD ? "current, not measured" : "no answer");
		return;
	}
	switch (strategy(e)) {
	case EDGE_SN_SELECT_RTT:
		snprintf(buf, len, "rtt = %llu ms", (unsigned long long)v);
		break;
	case EDGE_SN_SELECT_MAC:
		snprintf(buf, len, "mac = %012llx", (unsigned long long)v);
		break;
	default:
		snprintf(buf, len, "load = %llu", (unsigned long long)v);
	}
}
