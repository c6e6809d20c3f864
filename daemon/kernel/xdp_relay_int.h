/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the relay's two userspace halves share: the loader
 * (xdp_relay_loader.c: load, attach, pin) and the mirror
 * (xdp_relay_mirror.c: registry into the maps, counters out). Private to
 * daemon/kernel/; the rest of the daemon uses xdp_relay_loader.h.
 */
#ifndef N2NK_XDP_RELAY_INT_H
#define N2NK_XDP_RELAY_INT_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "n2nk_relay.h"
#include "skel/xdp_relay.skel.h"
#include "xdp_relay_loader.h"

#define XRL_MAX_IFS	N2NK_RELAY_MAX_IFS /* an interface's index: its slot */
/* edges, senders, edge_stats, relay_stats, he_keys, he_stamps,
 * relay_hops, egress_stats, edges6, senders6, relay_hops6: what outlives
 * the daemon. */
#define XRL_PINNED_MAPS 11

struct xrl_attach {
	char name[IF_NAMESIZE];
	int ifindex;
	int link_fd;
	bool pinned_new;	/* we pinned this link (not taken over) */
	__u8 mac[N2N_MAC_SIZE]; /* its own: relayed frames' source */
	bool native;		/* attached in native (driver) mode */
	bool egress;		/* in egress_ifs: redirects go there */
};

struct xrl_hops;
struct xrl_slots;

struct xdp_relay_loader {
	struct xdp_relay *skel;
	struct xrl_attach ifs[XRL_MAX_IFS];
	int n_ifs;
	__be32 addrs[N2NK_RELAY_MAX_LOCAL_ADDRS]; /* for local_addrs */
	int n_addrs;
	struct n2nk_relay_addr6 addrs6[N2NK_RELAY_MAX_LOCAL_ADDRS];
	int n_addrs6; /* local_addrs6: bound to any, the interfaces' IPv6 */
	enum datapath_xdp_mode mode;
	bool by_fib;	       /* next hop from the FIB, else from relay_hops */
	bool by_fib6;	       /* the same for IPv6 (relay_hops6) */
	struct xrl_hops *hops; /* !by_fib: relay_hops' keeper */
	struct xrl_slots *slots; /* edge_stats' slots, made on first use */
	bool no_batch; /* the kernel lacks batch lookups: get_next_key */
	bool pinned;   /* pin_dir holds our maps and links */
	bool pin_busy; /* another daemon holds pin_dir: not pinned */
	int lock_fd;   /* flock on pin_dir while we run, or -1 */
	int adopted_links;
	bool map_fresh[XRL_PINNED_MAPS]; /* pinned by our load, not reused */
	char pin_dir[192];
	char where[512];
};

/* Fills why with the formatted step and strerror(-err); returns err. */
int xrl_fail(struct xdp_relay_why *why, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Next hops without the FIB (xdp_relay_hops.c): the table, seeded from
 * the pinned edges, and the interfaces' MACs; 0 or -errno. */
int xrl_hops_open(struct xdp_relay_loader *r, struct xdp_relay_why *why);
void xrl_hops_close(struct xdp_relay_loader *r);
/* An edge registered at addr (network order) until `until`
 * (CLOCK_MONOTONIC ns): its next hop is kept in relay_hops until then,
 * resolved now if it is new. ref: the edge is new at this address (new,
 * or moved here); each such call is matched by one xrl_hops_unref when
 * it leaves (moves on, is deleted or expires), and the address's entry
 * goes with the last edge at it. Nothing without r->hops. */
void xrl_hops_want(struct xdp_relay_loader *r, __be32 addr, uint64_t until,
		   bool ref);
void xrl_hops_unref(struct xdp_relay_loader *r, __be32 addr);
/* The same for an edge at IPv6 address addr (relay_hops6). */
void xrl_hops_want6(struct xdp_relay_loader *r, const __u8 addr[16],
		    uint64_t until, bool ref);
void xrl_hops_unref6(struct xdp_relay_loader *r, const __u8 addr[16]);

/* A freed edge_stats slot rests this long before it is handed out again:
 * a program that looked its edge up before the deletion may still count
 * into it (a program run is microseconds; this is ample). */
#define XRL_SLOT_QUARANTINE_NS (2ull * 1000000000ull)

/* edge_stats' slots (xdp_relay_slots.c). A free slot with its counters
 * zeroed, or 0 (none free or an error: the edge goes uncounted). The
 * first call takes the slots of the pinned edges and edges6 as used. */
__u32 xrl_slot_alloc(struct xdp_relay_loader *r);
/* Slot back to the free ones (after the quarantine); 0 is ignored. */
void xrl_slot_free(struct xdp_relay_loader *r, __u32 slot);
void xrl_slots_close(struct xdp_relay_loader *r);

#endif /* N2NK_XDP_RELAY_INT_H */
