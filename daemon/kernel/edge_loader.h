/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The edge's kernel data path (bpf/tc_edge.bpf.c) seen from the daemon:
 * load it, build the segmenting veth pair, attach the three TC programs,
 * and keep its maps in step with the daemon's peers. The only file that
 * talks to libbpf for this program; the contract is include/n2nk_edge.h.
 */
#ifndef N2NK_EDGE_LOADER_H
#define N2NK_EDGE_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "bpf_maps.h"
#include "n2nk_edge.h"
#include "n2nk_reasons.h"

struct edge_loader;

struct edge_loader_cfg {
	const char *tap_name;
	struct sockaddr_storage bind; /* the daemon's UDP socket, IPv4 */
	uint16_t port;		      /* as bound, host order */
	const char *community;
	const uint8_t *mac;	     /* ours */
	uint32_t ip;		     /* overlay IPv4, host order, 0 = unknown */
	bool allow_routing;	     /* -r */
	bool header_encryption;	     /* -H (not user/password) */
	bool accept_multicast;	     /* -E */
	uint8_t tos;		     /* -T; 0: none */
	bool df;		     /* -D: DF on outer packets */
	uint16_t mss_ipv4, mss_ipv6; /* --mss-clamp; 0: not clamped */
	uint8_t transform;	     /* null, AES, ChaCha20 or Speck */
	const uint8_t *key;	     /* the transform's key, or NULL */
	size_t key_len;		     /* 32; AES: 16, 24 or 32 */
	/* -A3 only if the kernel's AES is not its portable C code (which
	 * is slower here than the socket path's OpenSSL): --datapath=auto */
	bool aes_need_fast;
	unsigned int tap_mtu;
	const char *pin_root; /* bpffs directory (--pin-root), NULL: default */
	unsigned int hold_s;  /* --kernel-hold; 0: nothing pinned */
};

/*
 * Loads the programs and attaches them to the TAP and a veth pair made for
 * it; PACKETs from the underlay are taken once the supernode is known
 * (edge_loader_set_sn). 0, or -errno with a reason in why.
 */
int edge_loader_open(struct edge_loader **out,
		     const struct edge_loader_cfg *cfg, char *why, size_t len)
	__attribute__((warn_unused_result));
/* Detaches everything, deletes the veth pair (unless edge_loader_leave()
 * said otherwise). NULL is fine. */
void edge_loader_close(struct edge_loader *l);

/*
 * Makes close leave the kernel path running (links and maps pinned, the
 * veth pair in place) for the next daemon to take over: true if it can
 * (pinned tcx links), false if close will detach everything anyway.
 */
bool edge_loader_leave(struct edge_loader *l);

/* Whether the links are pinned, so the kernel path can outlive us. */
bool edge_loader_pinned(const struct edge_loader *l);
/* The pin directory becomes uid's and gid's: a daemon that dropped root
 * pins (and unpins) links there as the path changes. 0 or -errno. */
int edge_loader_give_pins(struct edge_loader *l, uid_t uid, gid_t gid);

/* Whether open took over what an earlier daemon left running. */
bool edge_loader_adopted(const struct edge_loader *l);

/* How long the programs go on carrying frames if no daemon renews this
 * (0: no limit): hold_s seconds from now; with -H, the programs' wall
 * clock is set again too. 0 or -errno. */
int edge_loader_lease(struct edge_loader *l, unsigned int hold_s);

/* What the daemon before us handed over (-ENOENT: nothing taken over),
 * and what we hand the next one when we leave. */
int edge_loader_handover_get(struct edge_loader *l,
			     struct n2nk_edge_daemon_state *out);
int edge_loader_handover_set(struct edge_loader *l,
			     const struct n2nk_edge_daemon_state *st);

/* Calls fn for each entry of the peers map; how many. */
int edge_loader_peers_each(struct edge_loader *l,
			   void (*fn)(const uint8_t *mac,
				      const struct n2nk_edge_peer *p,
				      void *arg),
			   void *arg);

/* Without loading anything: what an edge of that MAC and community left
 * running on tap handed over (its auth token): 0, -ESRCH (another
 * edge's), -ENOENT (nothing), or -errno. */
int edge_loader_left_state(const char *pin_root, const char *tap,
			   const uint8_t *mac, const char *community,
			   struct n2nk_edge_daemon_state *out);

/* Removes what a daemon left running on tap (pins, veth pair): the pins
 * removed (0: none), or -EBUSY while a daemon runs there, -errno (why). */
int edge_loader_unload(const char *pin_root, const char *tap, char *why,
		       size_t len);

/* Where the programs run, for the log and n2nctl info. */
const char *edge_loader_where(const struct edge_loader *l);

/*
 * The current supernode: relayed frames go there, and the underlay
 * interface its route leaves by takes the RX program. Looks the route up
 * again on every call: 1 if the supernode, our source address, the
 * interface or its MTU changed (P2P entries need their routes anew), 0 if
 * not, -errno (why).
 */
int edge_loader_set_sn(struct edge_loader *l, const struct sockaddr_storage *sn,
		       char *why, size_t len);
/* The overlay address (-a, or learnt later), host order. */
int edge_loader_set_ip(struct edge_loader *l, uint32_t ip);

/*
 * A peer's path: P2P at sa (whose route must leave from our address and
 * interface, else -EXDEV: the daemon keeps it), relayed, or none (the
 * daemon handles its frames). Creates its counters; 0 or -errno.
 */
int edge_loader_peer_p2p(struct edge_loader *l, const uint8_t *mac,
			 const struct sockaddr_storage *sa);
int edge_loader_peer_relay(struct edge_loader *l, const uint8_t *mac);
int edge_loader_peer_del(struct edge_loader *l, const uint8_t *mac);
/* -H: he_stamps[mac] (NULL: the supernode's) at least last. 0 or -errno;
 * 0 without -H. */
int edge_loader_stamp_seed(struct edge_loader *l, const uint8_t *mac,
			   uint64_t last);
/* The same on the map itself (tests hold it to the programs). */
struct bpf_map;
int edge_stamps_seed(const struct bpf_map *he_stamps, const uint8_t *mac,
		     uint64_t last);

/* What the kernel did for a peer: its counters and last direct RX. */
struct edge_loader_peer_info {
	struct n2nk_edge_peer_stats stats;
	uint64_t last_p2p_rx_ns; /* CLOCK_MONOTONIC, 0 = never */
};
int edge_loader_peer_read(struct edge_loader *l, const uint8_t *mac,
			  struct edge_loader_peer_info *out);

/* Frames per reason slot of one of the three layers, summed over CPUs. */
int edge_loader_reasons(struct edge_loader *l, enum n2nk_layer layer,
			uint64_t count[N2NK_REASON_SLOTS]);

/* The i-th map, or -ENOENT past the last. */
/* -A6's session maps (include/n2nk_session.h), for kernel/a6_maps.c. */
struct edge_loader_a6 {
	int rx_fd, tx_fd, peer_tx_fd;
	int take_fd;  /* the a6_take program */
	void *tx_mem; /* a6_tx, mmapped */
	uint32_t tx_slots;
};

int edge_loader_a6(struct edge_loader *l, struct edge_loader_a6 *out);

int edge_loader_map_info(const struct edge_loader *l, unsigned int i,
			 struct bpf_map_row *out);

#endif /* N2NK_EDGE_LOADER_H */
