// SPDX-License-Identifier: GPL-2.0-only
/*
 * The XDP relay's edge_stats slots (include/n2nk_relay.h): one per
 * mirrored edge, carried in its edges/edges6 and senders/senders6 values
 * so the program counts by index, with no lookup by name per packet.
 * Slot 0 is none. A slot is zeroed when it is handed out; a freed one
 * rests XRL_SLOT_QUARANTINE_NS first (a program that found the edge just
 * before its deletion may still count into it). Next fit from a cursor:
 * a freed slot is normally reused only after the cursor went round.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "n2nk_relay.h"
#include "xdp_relay_int.h"

struct xrl_slots {
	uint8_t used[N2NK_RELAY_STATS_SLOTS];
	uint64_t freed_ns[N2NK_RELAY_STATS_SLOTS]; /* CLOCK_MONOTONIC */
	uint32_t cursor;			   /* the last handed out */
};

static uint64_t slots_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* A slot a pinned entry holds: in use. */
static void slots_mark(struct xrl_slots *s, __u32 slot)
{
	if (slot && slot < N2NK_RELAY_STATS_SLOTS)
		s->used[slot] = 1;
}

/* The slots the pinned edges (or edges6) entries hold: in use. */
static void slots_seed(struct xrl_slots *s, struct bpf_map *m, bool v6)
{
	int fd = bpf_map__fd(m), n = 0;
	struct n2nk_relay_edge k, prev;
	struct n2nk_relay_dest6 d6;
	struct n2nk_relay_dest d;

	while (n < N2NK_RELAY_MAX_EDGES &&
	       !bpf_map_get_next_key(fd, n ? &prev : NULL, &k)) {
		if (v6 && !bpf_map_lookup_elem(fd, &k, &d6))
			slots_mark(s, d6.slot);
		else if (!v6 && !bpf_map_lookup_elem(fd, &k, &d))
			slots_mark(s, d.slot);
		prev = k;
		n++;
	}
}

static struct xrl_slots *slots_get(struct xdp_relay_loader *r)
{
	if (r->slots)
		return r->slots;
	r->slots = calloc(1, sizeof(*r->slots));
	if (!r->slots)
		return NULL;
	slots_seed(r->slots, r->skel->maps.edges, false);
	slots_seed(r->slots, r->skel->maps.edges6, true);
	return r->slots;
}

/* edge_stats[slot] zeroed on every CPU. */
static int slot_zero(struct xdp_relay_loader *r, __u32 slot)
{
	struct bpf_map *m = r->skel->maps.edge_stats;
	int ncpu = libbpf_num_possible_cpus(), err = 0;
	size_t size;
	void *zero;

	if (ncpu < 1)
		return ncpu ? ncpu : -EINVAL;
	size = (size_t)ncpu * bpf_map__value_size(m);
	zero = calloc(1, size);
	if (!zero)
		return -ENOMEM;
	if (bpf_map__update_elem(m, &slot, sizeof(slot), zero, size, BPF_ANY))
		err = -errno;
	free(zero);
	return err;
}

__u32 xrl_slot_alloc(struct xdp_relay_loader *r)
{
	struct xrl_slots *s = slots_get(r);
	uint64_t now = slots_now();
	__u32 i, slot;

	for (i = 0; s && i < N2NK_RELAY_MAX_EDGES; i++) {
		slot = s->cursor % N2NK_RELAY_MAX_EDGES + 1;
		s->cursor = slot;
		if (s->used[slot] ||
		    (s->freed_ns[slot] &&
		     now - s->freed_ns[slot] < XRL_SLOT_QUARANTINE_NS))
			continue;
		if (slot_zero(r, slot))
			return 0;
		s->used[slot] = 1;
		return slot;
	}
	return 0; /* none free: the edge is relayed, not counted */
}

void xrl_slot_free(struct xdp_relay_loader *r, __u32 slot)
{
	struct xrl_slots *s = r->slots;

	if (!s || !slot || slot >= N2NK_RELAY_STATS_SLOTS || !s->used[slot])
		return;
	s->used[slot] = 0;
	s->freed_ns[slot] = slots_now();
}

void xrl_slots_close(struct xdp_relay_loader *r)
{
	free(r->slots);
	r->slots = NULL;
}
