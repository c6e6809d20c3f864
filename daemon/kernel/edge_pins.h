/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What an edge's kernel path leaves in bpffs so it outlives the daemon
 * (a restart without loss): one directory per TAP device, held locked by
 * the running daemon; the maps that hold state (conf, peers, counters,
 * IV sequences) reused by the next daemon; the tcx links pinned and taken
 * over with their programs replaced in one step. Over bpf_pin.c, as the
 * supernode's relay (xdp_relay_loader.c) is.
 */
#ifndef N2NK_EDGE_PINS_H
#define N2NK_EDGE_PINS_H

#include <stdbool.h>
#include <stddef.h>

#include <linux/types.h>

struct bpf_map;

#define EDGE_PINS_MAPS 13

struct edge_pins {
	char dir[256];
	int lock_fd;
	bool on;			      /* pinned: a restart takes over */
	bool fresh[EDGE_PINS_MAPS];	      /* the map is new (not reused) */
	struct bpf_map *maps[EDGE_PINS_MAPS]; /* conf, peers, ... */
};

/*
 * Pins maps[] (between open and load) under root/<netns>-edge-<tap>, or
 * not at all when there is no bpffs (-ENOTSUP: a restart then starts
 * afresh) or another daemon holds that directory. 0 or -errno.
 */
int edge_pins_open(struct edge_pins *p, const char *root, const char *tap,
		   struct bpf_map *const maps[EDGE_PINS_MAPS]);

/* Whether maps[i] was reused from an earlier daemon. */
static inline bool edge_pins_reused(const struct edge_pins *p, int i)
{
	return p->on && !p->fresh[i];
}

/* The tcx link of prog_fd on ifindex (ingress or egress), pinned as
 * name: taken over if an earlier daemon left it there. fd or -errno. */
int edge_pins_link(struct edge_pins *p, const char *name, int prog_fd,
		   int ifindex, bool ingress, bool *adopted);

/* Whether a link is pinned as name (an earlier daemon's). */
bool edge_pins_has(const struct edge_pins *p, const char *name);

/* Lets go: leave keeps every pin (the links stay attached), else all are
 * removed. The lock goes either way. */
void edge_pins_close(struct edge_pins *p, bool leave);

/* Entry 0 of the map pinned as name for tap (an ARRAY of values of
 * size bytes), as an edge left it: 0, or -errno (-ENOENT: none). */
int edge_pins_read(const char *root, const char *tap, const char *name,
		   void *value, size_t size);

/* Removes what an edge on tap left pinned: how many pins went, or -EBUSY
 * while a daemon runs on it, or -errno. */
int edge_pins_unload(const char *root, const char *tap);

#endif /* N2NK_EDGE_PINS_H */
