/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The edge role: registers with supernodes (with failover), finds peers
 * through them, punches P2P paths and moves frames between the TAP device
 * and the network, relaying through the supernode when P2P fails.
 */
#ifndef N2NK_EDGE_H
#define N2NK_EDGE_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "n2nk_edge.h"
#include "common/bytes.h"
#include "common/drop.h"
#include "common/evloop.h"
#include "common/mac.h"
#include "common/mac_table.h"
#include "edge/edge_a6.h"
#include "edge/mss_clamp.h"
#include "edge/traffic_filter.h"
#include "kernel/datapath.h"
#include "proto/auth.h"
#include "proto/compress.h"
#include "proto/msg_io.h"
#include "proto/transform.h"

#define EDGE_MAX_SN	16
#define EDGE_ASKED_RING 64

/* The peer table holds what the kernel path's peers map can: every peer
 * the daemon knows can be handed to it. */
#define EDGE_MAX_PEERS N2NK_EDGE_MAX_PEERS

struct edge_conf;

/* Which way a peer's frames went, for `n2nctl traffic` and the metrics:
 * the daemon directly or through the supernode, or the kernel path
 * (either way; its own p2p/relay split is in the packet counters). */
enum edge_via {
	EDGE_VIA_P2P,
	EDGE_VIA_RELAY,
	EDGE_VIA_KERNEL,
	EDGE_VIA_N
};

/* Frames and their bytes (the Ethernet frame, as the kernel counts). */
struct edge_traffic {
	uint64_t tx, rx, tx_bytes, rx_bytes;
};

/* A peer edge, by MAC. "p2p" once it answered our REGISTER directly. */
struct edge_peer {
	struct mac_entry key;
	struct sockaddr_storage sa; /* direct address (or candidate) */
	bool have_sa;
	bool p2p;
	uint64_t last_seen_ms;	/* anything from or about it */
	uint64_t last_p2p_ms;	/* last direct receipt */
	uint64_t last_query_ms; /* last QUERY_PEER for it */
	uint64_t last_punch_ms; /* last direct REGISTER to it */
	uint64_t burst_ms;	/* start of the current punch burst */
	uint64_t quiet_ms;	/* no new burst before (stale NAT state) */
	/* Where the last punches went (public and -e socket; the last in
	 * PUNCH_SLOT_PORT: another port at the public address) and the
	 * random cookie each carried: a REGISTER_ACK counts only from one of
	 * them, echoing its cookie, within ACK_WINDOW_MS. */
	struct sockaddr_storage punch_sa[3];
	uint64_t punch_sa_ms[3];
	uint32_t punch_cookie[3];
	struct ts_replay replay;
	/* Peers in the order they came, until found proven (P2P once, or
	 * sent to): a full table evicts the first unproven one. */
	struct edge_peer *age_prev, *age_next;
	bool on_age_list;
	uint64_t tx_p2p, rx_p2p, tx_relay, rx_relay;
	struct edge_traffic via[EDGE_VIA_N];
	/* The kernel path (edge_kernel.c): the path written to its map, and
	 * the counters and last direct RX already folded into ours. */
	enum datapath_edge_path k_path;
	struct sockaddr_storage k_sa;
	bool k_failed; /* the map refused this peer: logged once */
	uint64_t k_tx_p2p, k_rx_p2p, k_tx_relay, k_rx_relay;
	uint64_t k_tx_bytes, k_rx_bytes;
	uint64_t k_rx_ns;
	struct a6_peer *a6; /* -A6 sessions (edge_a6.c), or NULL */
};

struct edge_sn {
	char host[256];
	uint16_t port;
	struct sockaddr_storage sa;
	/* A name with A and AAAA: the other family's address, tried when
	 * sa's does not answer (on_alt: sa and alt are swapped). */
	struct sockaddr_storage alt;
	bool has_alt, on_alt;
	bool resolved;
	uint8_t mac[MAC_SIZE];
	uint64_t last_seen_ms;
	struct ts_replay replay;
	/* Selection (edge_sn_select.c): the criterion, lowest wins; when
	 * this sweep's PING went, and whether its PONG is still due. */
	uint64_t sel;
	uint64_t ping_ms;
	bool ping_out;
};

/* n2n's packet counters, the kernel path's included (edge_kernel.c), and
 * the frames the daemon itself read from and wrote to the TAP. */
struct edge_stats {
	uint64_t tx_p2p, rx_p2p;
	uint64_t tx_sn, rx_sn, tx_sn_bcast, rx_sn_bcast;
	uint64_t tap_read, tap_written;
	uint64_t bridge_hosts, bridge_evicted; /* -r (edge_bridge.c) */
	/* Direct REGISTERs to peers not yet proved or kept alive (punches),
	 * those sent with -L's TTL, first punches -L 1 left out. */
	uint64_t punch_tx, punch_ttl_tx, punch_skipped;
};

struct edge {
	const struct edge_conf *conf;
	struct evloop loop;
	struct datapath dp;
	int tap_fd;
	char tap_name[IF_NAMESIZE];
	uint8_t mac[MAC_SIZE];
	uint32_t ip; /* host order, 0 until known */
	uint8_t prefix;
	bool addr_applied;
	char community[N2N_COMMUNITY_SIZE];
	uint8_t desc[N2N_DESC_SIZE];
	/* Settings the hot paths read, copied from the config at start-up. */
	unsigned int reg_interval_s;	     /* -i */
	unsigned int register_ttl;	     /* -L, 0 = not set */
	bool relay_only;		     /* -S1 */
	bool allow_routing;		     /* -r */
	bool accept_multicast;		     /* -E */
	const struct traffic_rules *rules;   /* -R; NULL or none: all pass */
	struct mss_limit mss;		     /* --mss-clamp, from -M */
	enum n2n_compression_id compression; /* -z */
	struct transform tf;
	struct compressor comp;
	struct msg_he he;
	uint8_t auth_token[N2N_AUTH_ID_TOKEN_SIZE]; /* simple id */
	/* User/password (-J): our public key, the secret shared with the
	 * supernodes (X25519 with the federation key), the last challenge. */
	uint8_t upw_pub[AUTH_KEY_SIZE];
	struct auth_secret upw_secret;
	uint8_t upw_challenge[AUTH_CHALLENGE_SIZE];
	struct edge_sn sn[EDGE_MAX_SN];
	int n_sn, cur_sn;
	uint64_t sweep_ms;  /* the last selection sweep (PINGs), 0: none */
	bool sel_boot_done; /* the first PONG round has been sorted */
	/* What supernode names resolve to: AF_UNSPEC (either, before the
	 * socket is open and on a dual-stack one), AF_INET or AF_INET6. */
	int sn_family;
	uint32_t reg_cookie;
	int reg_attempts;
	bool sn_wait; /* a REGISTER_SUPER is unanswered */
	uint64_t last_reg_ms;
	uint64_t registered_ms; /* first ACK; 0 = never */
	struct mac_table peers;
	bool peers_full_said;			/* the cap was logged */
	struct edge_peer *age_first, *age_last; /* see edge_peer.on_age_list */
	/* Punches towards unproven paths: a token bucket (thousandths). */
	uint64_t punch_tokens, punch_refill_ms;
	uint64_t ask_window_ms; /* edge_peer_ask()'s budget: this second's */
	unsigned int ask_count;
	/* The MACs it asked about lately (a ring), each asked once per -i. */
	struct {
		uint8_t mac[MAC_SIZE];
		uint64_t ms;
	} asked[EDGE_ASKED_RING];
	unsigned int asked_next;
	/* The last address a supernode assigned that we refused, logged once */
	uint32_t refused_ip;
	uint8_t refused_prefix;
	struct edge_stats stats;
	struct drop_counters drops;
	struct sockaddr_storage k_sn; /* the supernode the kernel path uses */
	bool k_sn_failed;	      /* said once in the log */
	/* Peers taken over from the daemon before us keep their kernel path
	 * until our first registration; leaving keeps them for the next. */
	bool k_adopting, k_leaving;
	uint64_t k_adopt_until_ms;  /* adopted paths kept at most until */
	uint64_t k_lease_ms;	    /* last push of the kernel's lease */
	bool tap_persist_ours;	    /* an edge made the TAP persistent */
	int tap_gone;		    /* -errno: the TAP was removed; we stop */
	uint32_t k_ip;		    /* the overlay address it has */
	bool punch_ttl_on;	    /* -L's TTL is on the socket now */
	bool punch_ttl_said;	    /* setting it failed: logged once */
	void *ctl;		    /* control socket, edge_ctl.c */
	void *metrics;		    /* --metrics endpoint, edge_ctl.c */
	struct edge_a6 *a6;	    /* -A6 (edge_a6.c), or NULL */
	void *tcp;		    /* -S2 (edge_tcp.c), or NULL */
	void *dns;		    /* names being resolved, edge_dns.c */
	struct edge_bridge *bridge; /* -r: hosts behind peers, or NULL */
	void *bday;		    /* birthday probing, edge_bday.c */
};

int edge_init(struct edge *e, const struct edge_conf *conf)
	__attribute__((warn_unused_result));
/* After edge_init: as -u/-g (or n2n, or nobody), keeping what it needs. */
int edge_drop_privileges(struct edge *e);
int edge_run(struct edge *e);
void edge_fini(struct edge *e);
/* n2n's "Packet stats" block, printed on exit. */
void edge_print_stats(const struct edge *e);

/* Shared by the edge's files. */
void edge_init_msg(const struct edge *e, struct n2n_msg *m, unsigned int type,
		   uint16_t flags);
int edge_send(struct edge *e, const struct sockaddr_storage *to,
	      const struct n2n_msg *m);
int edge_send_sn(struct edge *e, const struct n2n_msg *m);
/* REGISTER_SUPER: with the u/pw trailer when the community has one. */
int edge_send_sn_registration(struct edge *e, const struct n2n_msg *m);
void edge_drop(struct edge *e, enum n2nk_reason why);
int edge_sn_index(const struct edge *e, const struct sockaddr_storage *sa);
bool edge_registered(const struct edge *e);

/* edge_sn.c: registration with supernodes, failover. */
void edge_sn_tick(struct edge *e, uint64_t now);
/* Resolves sn (its name or address) in e->sn_family: 0 or -errno. */
int edge_sn_resolve(struct edge *e, struct edge_sn *sn);
void edge_on_register_super_ack(struct edge *e, const struct n2n_msg *m,
				int sn);
void edge_on_register_super_nak(struct edge *e, const struct n2n_msg *m,
				int sn);
void edge_on_peer_info_pong(struct edge *e, const struct n2n_msg *m, int sn);
void edge_unregister(struct edge *e);
void edge_on_re_register_super(struct edge *e);

/* edge_sn_select.c: n2n's supernode selection (load, --select-rtt,
 * --select-mac): PINGs every sweep, PONGs give each supernode its
 * criterion, the lowest is used. */
void edge_sn_select_tick(struct edge *e, uint64_t now);
void edge_sn_select_pong(struct edge *e, const struct n2n_msg *m, int sn,
			 uint64_t now);
/* The criterion as `n2nctl supernodes` shows it ("" when unknown). */
void edge_sn_select_str(const struct edge *e, int sn, char *buf, size_t len);

/* edge_sockopt.c: -T (IP_TOS) and -D (IP_MTU_DISCOVER) on a socket. */
void edge_sockopts(struct edge *e, int fd, int family);

/* edge_bridge.c: -r, hosts behind peers' bridged TAPs (at most
 * EDGE_BRIDGE_MAX, 300 s each). */
#define EDGE_BRIDGE_MAX 1024
struct edge_bridge;
/* A frame from host came in a PACKET from peer. */
void edge_bridge_learn(struct edge *e, const uint8_t *host, const uint8_t *peer,
		       uint64_t now);
/* The peer a frame to dst goes to, or NULL (dst is no learned host). */
const uint8_t *edge_bridge_via(struct edge *e, const uint8_t *dst,
			       uint64_t now);
/* A frame from src came from our TAP: src is no host behind a peer. */
void edge_bridge_local(struct edge *e, const uint8_t *src);
void edge_bridge_free(struct edge *e);

/* edge_tx.c: TAP -> PACKET, the TAP fd's callback. */
void edge_on_tap(void *ctx, uint8_t *frame, size_t len);
/* The TAP was removed under us: the edge stops, exit status 1. */
void edge_on_tap_gone(void *ctx, int err);

/* Sends PACKET m to p (direct while its path works, else through the
 * supernode; p NULL: the supernode); len: the frame's, for the counts. */
void edge_tx_send_packet(struct edge *e, struct edge_peer *p,
			 const struct n2n_msg *m, size_t len, uint64_t now);

/* edge_rx.c: PACKET -> TAP. */
void edge_on_packet(struct edge *e, const struct n2n_msg *m,
		    const struct sockaddr_storage *from, bool via_sn);
/* The frame opened from PACKET m: filtered, counted, to the TAP. */
void edge_rx_deliver(struct edge *e, const struct n2n_msg *m,
		     const struct sockaddr_storage *from, bool via_sn,
		     uint8_t *frame, size_t n);

/* edge_peer.c: the peer table and the punching state machine. */
void edge_on_register(struct edge *e, const struct n2n_msg *m,
		      const struct sockaddr_storage *from, bool via_sn);
void edge_on_register_ack(struct edge *e, const struct n2n_msg *m,
			  const struct sockaddr_storage *from);
void edge_on_peer_info(struct edge *e, const struct n2n_msg *m);
struct edge_peer *edge_peer_find(struct edge *e, const uint8_t *mac);
/* Found or created (NULL when out of memory or at EDGE_MAX_PEERS). Only
 * for what the supernode tells (PEER_INFO, relayed PACKET or REGISTER) and
 * our own TAP: never for a direct datagram, which nothing authenticates. */
struct edge_peer *edge_peer_get(struct edge *e, const uint8_t *mac,
				uint64_t now);
/* Its time-stamp replay state (-H), NULL for an unknown MAC. */
struct ts_replay *edge_peer_replay(struct edge *e, const uint8_t *mac);
/* Whether frames to p go direct: P2P and heard from within -i/2 s. */
bool edge_peer_direct(const struct edge *e, const struct edge_peer *p,
		      uint64_t now);
/* Frames to p went via the supernode: ask where it is (QUERY_PEER) and
 * announce us to it, which makes both sides punch together. */
void edge_peer_query(struct edge *e, struct edge_peer *p, uint64_t now);
/* A direct datagram from a MAC not in the table: ask the supernode, whose
 * PEER_INFO makes it a peer if it knows it. A few a second at most. */
void edge_peer_ask(struct edge *e, const uint8_t *mac, uint64_t now);
/* A relayed PACKET m named its sender's public socket: remember it. */
void edge_peer_learn_relayed(struct edge *e, const struct n2n_msg *m,
			     uint64_t now);
/* A PACKET came straight from p at from: the path works, or is new. */
void edge_peer_heard_direct(struct edge *e, struct edge_peer *p,
			    const struct sockaddr_storage *from, uint64_t now);
void edge_peers_tick(struct edge *e, uint64_t now);
/* Punches p at another port of its address (birthday probing found). */
void edge_peer_punch_at(struct edge *e, struct edge_peer *p,
			const struct sockaddr_storage *to, uint64_t now);
void edge_peers_free(struct edge *e);

/* The frame's IPv4 source or destination address (host order), 0 when
 * it is not IPv4 or too short; for n2n's -r filter. */
#define ETH_FRAME_HDR_LEN   14
#define EDGE_FRAME_IPV4_SRC 26 /* offsets in the frame */
#define EDGE_FRAME_IPV4_DST 30
static inline uint32_t edge_frame_ipv4(const uint8_t *f, size_t len, size_t off)
{
	if (len < ETH_FRAME_HDR_LEN + 20 || get_be16(f + 12) != 0x0800)
		return 0;
	return get_be32(f + off);
}

/* edge_punch.c: -L for a burst's first punch (false: -L 1, do not send
 * it; else send it, then call _end), and the punch counters. */
bool edge_punch_first_begin(struct edge *e);
void edge_punch_first_end(struct edge *e);
/* Whether -L holds a burst's further triggers back (its first second). */
bool edge_punch_hold(const struct edge *e, uint64_t burst_ms, uint64_t now);
void edge_punch_sent(struct edge *e);

/* edge_kernel.c: the kernel path kept in step (no-ops without it). */
/* Whether the community can use it; if not, why not. */
bool edge_kernel_possible(const struct edge *e, const char **why);
/* The peer's path and counters, to and from the kernel. */
void edge_kernel_sync(struct edge *e, struct edge_peer *p, uint64_t now);
/* Every peer's kernel counts into ours now (n2nctl reads them). */
void edge_kernel_collect_all(struct edge *e);
/* The peer is going: its last counts in, its entry out. */
void edge_kernel_forget(struct edge *e, struct edge_peer *p);
/* The current supernode and our address, when they change. */
void edge_kernel_sn(struct edge *e);
/* Takes over the peers the kernel path still carries for the daemon
 * before us (a restart); how many. */
int edge_kernel_adopt(struct edge *e);
/* Whether the kernel path stays up when we stop: then peers stay in its
 * map and we do not unregister. */
bool edge_kernel_leave(struct edge *e);
/* Once per tick: the lease that lets the kernel path outlive us. */
void edge_kernel_tick(struct edge *e, uint64_t now);
/* Without a kernel path of our own: remove one an edge left on our TAP. */
void edge_kernel_unload_stale(struct edge *e);

/* edge_ctl.c: n2nctl commands. */
int edge_ctl_open(struct edge *e, const char *path);
void edge_ctl_close(struct edge *e);
/* --metrics: listens on addr (before privileges go); 0 or -errno. */
int edge_metrics_open(struct edge *e, const struct sockaddr_storage *addr);
void edge_metrics_close(struct edge *e);

#endif /* N2NK_EDGE_H */
