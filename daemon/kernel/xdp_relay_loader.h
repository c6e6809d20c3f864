/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The XDP supernode relay (bpf/xdp_relay.bpf.c) seen from the daemon: load
 * it, attach it where the supernode's traffic arrives (xdp_relay_loader.c),
 * mirror the edge registry into its maps and read its counters
 * (xdp_relay_mirror.c). Those two files are the only ones that talk to
 * libbpf for this program; the map contract is include/n2nk_relay.h.
 */
#ifndef N2NK_XDP_RELAY_LOADER_H
#define N2NK_XDP_RELAY_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "datapath.h"
#include "n2nk_relay.h"

struct xdp_relay_loader;

/* The bpffs directory pins go under (--pin-root), before any open or
 * unload; NULL or "" for the default, /sys/fs/bpf/n2nk. */
void xdp_relay_loader_pin_root(const char *root);

/* A reason for the user when a call failed; empty on success. */
struct xdp_relay_why {
	char msg[192];
};

/*
 * Loads the program for UDP port `port` and attaches it to the interface
 * owning `bind`'s IPv4 address, or to every non-loopback interface that is
 * up when bound to INADDR_ANY. XDP_MODE_AUTO: native mode first, generic
 * (SKB) mode on veth (see the .c) or when native is refused; NATIVE and
 * GENERIC force one. Next hops come from the FIB when IPv4 forwarding is
 * on on every such interface, else from relay_hops, which the daemon
 * keeps (xdp_relay_loader_hops_tick()). Returns 0 or -errno.
 */
int xdp_relay_loader_open(struct xdp_relay_loader **out,
			  const struct sockaddr_storage *bind, uint16_t port,
			  enum datapath_xdp_mode mode,
			  struct xdp_relay_why *why)
	__attribute__((warn_unused_result));
/* Detaches from every interface and frees the maps. NULL is fine. */
void xdp_relay_loader_close(struct xdp_relay_loader *r);

/* Where the program runs, e.g. "eth0 (generic)", for the log. */
const char *xdp_relay_loader_where(const struct xdp_relay_loader *r);

/* The interfaces the program runs on: up to max ifindexes into out, and
 * how many there are. */
int xdp_relay_loader_ifindexes(const struct xdp_relay_loader *r, int *out,
			       int max);
/* The `xsks` XSKMAP (include/n2nk_relay.h): the slow path's AF_XDP
 * sockets go in there, keyed by receive queue. */
int xdp_relay_loader_xsks_fd(const struct xdp_relay_loader *r);
/* Every interface the program runs on is hardware (not veth, tap, ...):
 * no frame arrives with a checksum left to offload (the partial_csum
 * knob is off). */
bool xdp_relay_loader_hw_only(const struct xdp_relay_loader *r);

/* The registry mirror (xdp_relay_mirror.c). */

/* An edge (community name, MAC) registered at socket sa (IPv4, IPv6, or
 * v4-mapped IPv6, taken as the IPv4 it maps) for the next valid_ms:
 * edges/senders or edges6/senders6 by family; an edge that moved (to
 * another socket or family) loses its old entries. */
int xdp_relay_loader_edge_set(struct xdp_relay_loader *r, const char *community,
			      const uint8_t *mac,
			      const struct sockaddr_storage *sa,
			      uint32_t valid_ms, struct xdp_relay_why *why);
/* The edge is gone: its `edges` and `senders` entries (or the IPv6
 * ones). */
int xdp_relay_loader_edge_del(struct xdp_relay_loader *r, const char *community,
			      const uint8_t *mac, struct xdp_relay_why *why);

struct he_keys;

/* A -H community the kernel relays (he_keys in include/n2nk_relay.h),
 * with its static header keys and the wall clock as of now. */
int xdp_relay_loader_he_set(struct xdp_relay_loader *r, const char *community,
			    const struct he_keys *keys,
			    struct xdp_relay_why *why);
/* The community no longer relayed in the kernel (or not -H). */
int xdp_relay_loader_he_del(struct xdp_relay_loader *r, const char *community,
			    struct xdp_relay_why *why);
/* The kernel's UTC - TAI offset again in every he_keys entry that has
 * another (a leap second, NTP setting it, a previous daemon's entry). */
int xdp_relay_loader_he_clock(struct xdp_relay_loader *r,
			      struct xdp_relay_why *why);
/* Deletes the he_keys entries of communities keep() says no to (a
 * previous daemon's, for communities no longer -H here); *pruned says
 * how many. */
int xdp_relay_loader_he_prune(struct xdp_relay_loader *r,
			      bool (*keep)(const char *community, void *arg),
			      void *arg, unsigned int *pruned,
			      struct xdp_relay_why *why);
/* The edge's replay record (he_stamps) at least stamp: the daemon's
 * record, handed over when the edge is mirrored. */
int xdp_relay_loader_he_stamp_seed(struct xdp_relay_loader *r,
				   const char *community, const uint8_t *mac,
				   uint64_t stamp, struct xdp_relay_why *why);

/* What a next-hop refresh did: entries written, addresses without a
 * route or neighbour yet, addresses no edge registers from any more. */
struct xdp_relay_hops_tally {
	unsigned int resolved, missing, removed;
	unsigned int full; /* addresses refused: the table is full */
};

/*
 * Without IPv4 forwarding: refreshes relay_hops (include/n2nk_relay.h)
 * from the kernel's route and neighbour tables, a bounded share of the
 * registered addresses at a time; call it every second or so (it does
 * nothing sooner, nor with next hops from the FIB).
 */
int xdp_relay_loader_hops_tick(struct xdp_relay_loader *r,
			       struct xdp_relay_hops_tally *tally,
			       struct xdp_relay_why *why);

/* Deletes the entries whose registration ran out (those a previous
 * daemon left and nobody renewed); *swept says how many. */
int xdp_relay_loader_sweep(struct xdp_relay_loader *r, unsigned int *swept,
			   struct xdp_relay_why *why);

/*
 * supernode --xdp-unload: removes the relay a daemon listening on bind
 * and port in this network namespace left pinned (it detaches); dir gets
 * the directory. How many pins went (0: none), -EBUSY while that daemon
 * runs, or -errno.
 */
int xdp_relay_loader_unload(const struct sockaddr_storage *bind, uint16_t port,
			    char *dir, size_t len);

/* Frames per reason slot (include/n2nk_reasons.h), summed
 * over CPUs. */
int xdp_relay_loader_reasons(struct xdp_relay_loader *r,
			     uint64_t packets[N2NK_REASON_SLOTS],
			     struct xdp_relay_why *why);

/*
 * Re-asks each attached interface whether it takes redirected frames (a
 * veth's peer may have gained or lost XDP since) and updates egress_ifs;
 * note says what changed ("" if nothing). 0 or -errno.
 */
int xdp_relay_loader_egress_refresh(struct xdp_relay_loader *r, char *note,
				    size_t len, struct xdp_relay_why *why);

/* Relayed frames by how they left (enum n2nk_relay_egress), summed over
 * CPUs. */
int xdp_relay_loader_egress(struct xdp_relay_loader *r,
			    uint64_t packets[N2NK_RELAY_EGRESS_SLOTS],
			    struct xdp_relay_why *why);

/* What the kernel relayed from and to one edge, summed over CPUs;
 * -ENOENT when it is not in the kernel's registry. */
int xdp_relay_loader_edge_stats(struct xdp_relay_loader *r,
				const char *community, const uint8_t *mac,
				struct n2nk_relay_edge_stats *sum);

/* One of the program's maps, for n2nctl maps. */
struct xdp_relay_map_info {
	const char *name, *type;
	const char *pin_path; /* NULL: not pinned */
	unsigned int entries, max_entries, key_size, value_size;
};

/* The i-th map (0, 1, ...), or -ENOENT past the last. */
int xdp_relay_loader_map_info(const struct xdp_relay_loader *r, unsigned int i,
			      struct xdp_relay_map_info *out);

#endif /* N2NK_XDP_RELAY_LOADER_H */
