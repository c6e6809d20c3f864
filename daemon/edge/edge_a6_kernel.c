// SPDX-License-Identifier: GPL-2.0-only
/*
 * -A6 sessions in the kernel path (bpf/lib/edge_a6*.h): each keypair the
 * daemon makes is written to a6_rx (by our receiver index) and a6_tx (by
 * its pool slot), and a peer's current one is named in a6_peer_tx, so
 * the programs seal and open its DATA frames. The TX counter then lives
 * in the mmapped a6_tx slot, taken with atomic adds by the programs and
 * by the daemon alike (keepalives, queued frames): never used twice.
 * The daemon learns of the kernel's traffic by polling each session's
 * last_rx_ns and counter, once a second per peer.
 */
#include <errno.h>
#include <sodium.h>
#include <string.h>

#include "common/log.h"
#include "edge_a6_int.h"
#include "kernel/a6_maps.h"

#define POLL_MS 1000

static uint64_t deadline_ns(const struct edge *e, const struct a6_keypair *kp)
{
	return (kp->created_ms + e->a6->reject_after_ms) * 1000000ULL;
}

void edge_a6_kernel_start(struct edge *e)
{
	if (!e->a6 || !e->dp.edge)
		return;
	e->a6->kernel = datapath_edge_a6_clear(&e->dp) == 0;
	if (!e->a6->kernel)
		log_warn("-A6: the kernel path has no session maps; frames "
			 "go through the daemon");
}

static int put_rx(struct edge *e, struct a6_keypair *kp)
{
	struct n2nk_a6_rx v;
	int err;

	memset(&v, 0, sizeof(v));
	memcpy(v.key, kp->rx_key, sizeof(v.key));
	memcpy(v.peer_mac, kp->peer->key.mac, MAC_SIZE);
	v.reject_ns = deadline_ns(e, kp);
	err = datapath_edge_a6_rx_put(&e->dp, kp->local_index, &v);
	sodium_memzero(&v, sizeof(v));
	return err;
}

static uint32_t slot_of(const struct a6_keypair *kp)
{
	return kp->local_index & (N2NK_A6_MAX_SESSIONS - 1);
}

/*
 * Filled in place, in an order a program may read at any moment: first
 * rekey_at 0 (its frames go to the daemon), then the key and the rest,
 * the counter, and rekey_at last. No peer points at the slot yet, and it
 * was freed A6_SLOT_QUARANTINE_MS ago at least.
 */
static int put_tx(struct edge *e, struct a6_keypair *kp)
{
	struct n2nk_a6_tx *t = datapath_edge_a6_tx_slot(&e->dp, slot_of(kp));

	if (!t)
		return -ENOENT;
	__atomic_store_n(&t->rekey_at, 0, __ATOMIC_RELEASE);
	memcpy(t->key, kp->tx_key, sizeof(t->key));
	t->remote_idx = kp->remote_index;
	t->reject_ns = deadline_ns(e, kp);
	/* Never below what the daemon took already under this key. */
	__atomic_store_n(&t->counter, kp->tx_counter, __ATOMIC_RELEASE);
	__atomic_store_n(&t->rekey_at, N2NK_A6_REKEY_AFTER_MESSAGES,
			 __ATOMIC_RELEASE);
	kp->tx_ctr = (uint64_t *)(void *)&t->counter;
	return 0;
}

/* The key gone from the kernel's memory with its session. */
static void clear_tx(struct edge *e, struct a6_keypair *kp)
{
	struct n2nk_a6_tx *t = datapath_edge_a6_tx_slot(&e->dp, slot_of(kp));

	if (!t)
		return;
	__atomic_store_n(&t->rekey_at, 0, __ATOMIC_RELEASE);
	sodium_memzero(t->key, sizeof(t->key));
	t->remote_idx = 0;
	t->reject_ns = 0;
}

void a6_kernel_add(struct edge *e, struct a6_keypair *kp)
{
	int err;

	if (!e->a6->kernel || kp->pending || kp->in_kernel)
		return;
	err = put_rx(e, kp);
	if (!err)
		err = put_tx(e, kp);
	if (err) {
		datapath_edge_a6_rx_del(&e->dp, kp->local_index);
		log_warn("-A6: a session stays in the daemon: the kernel path "
			 "refused it (%s)",
			 strerror(-err));
		return;
	}
	kp->in_kernel = true;
}

void a6_kernel_del(struct edge *e, struct a6_keypair *kp)
{
	struct a6_peer *ap = kp->peer ? kp->peer->a6 : NULL;

	if (!kp->in_kernel)
		return;
	if (ap && ap->cur == kp)
		datapath_edge_a6_peer_tx_del(&e->dp, kp->peer->key.mac);
	datapath_edge_a6_rx_del(&e->dp, kp->local_index);
	kp->tx_counter = __atomic_load_n(kp->tx_ctr, __ATOMIC_ACQUIRE);
	kp->tx_ctr = &kp->tx_counter;
	clear_tx(e, kp);
	kp->in_kernel = false;
}

void a6_kernel_tx(struct edge *e, struct edge_peer *p)
{
	struct a6_keypair *kp = p->a6->cur;

	if (!e->a6->kernel)
		return;
	if (kp && kp->in_kernel)
		datapath_edge_a6_peer_tx_set(&e->dp, p->key.mac, slot_of(kp));
	else
		datapath_edge_a6_peer_tx_del(&e->dp, p->key.mac);
}

int a6_kernel_take(struct edge *e, struct a6_keypair *kp, uint64_t ctr)
{
	return datapath_edge_a6_take(&e->dp, kp->local_index, ctr);
}

/* Whether the kernel took a frame under kp since we last looked. */
static bool kernel_rx(struct edge *e, struct a6_keypair *kp)
{
	uint64_t ns = 0;

	if (!kp || !kp->in_kernel ||
	    datapath_edge_a6_rx_last(&e->dp, kp->local_index, &ns) || !ns ||
	    ns == kp->k_rx_ns)
		return false;
	kp->k_rx_ns = ns;
	return true;
}

/* Whether the programs sent data under kp since we last looked (the
 * counter moved by more than the daemon's own keepalives took). */
static bool kernel_tx(struct a6_keypair *kp)
{
	uint64_t c, moved, own;

	if (!kp || !kp->in_kernel)
		return false;
	c = __atomic_load_n(kp->tx_ctr, __ATOMIC_RELAXED);
	moved = c - kp->k_tx_seen;
	own = kp->daemon_sent - kp->k_own_seen;
	kp->k_tx_seen = c;
	kp->k_own_seen = kp->daemon_sent;
	return moved > own;
}

void a6_kernel_poll(struct edge *e, struct edge_peer *p, uint64_t now)
{
	struct a6_peer *ap = p->a6;

	if (!e->a6->kernel || now - ap->k_poll_ms < POLL_MS)
		return;
	ap->k_poll_ms = now;
	if (kernel_rx(e, ap->next))
		a6_session_confirm(e, p, ap->next, now);
	if (kernel_rx(e, ap->cur) || kernel_rx(e, ap->prev)) {
		a6_heard(ap, true, now);
		p->last_seen_ms = now;
	}
	if (kernel_tx(ap->cur))
		a6_sent(ap, true, now);
}
