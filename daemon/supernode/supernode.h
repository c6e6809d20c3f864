/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The supernode role: a directory of edges per community, answering
 * registrations and queries, and relaying PACKETs and REGISTERs between
 * edges that cannot reach each other directly, with n2n 3.x's rewrite.
 */
#ifndef N2NK_SUPERNODE_H
#define N2NK_SUPERNODE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/drop.h"
#include "common/evloop.h"
#include "common/log.h"
#include "common/mac.h"
#include "common/mac_table.h"
#include "kernel/datapath.h"
#include "proto/msg_io.h"

struct sn_conf;

/* A registered edge, by MAC, within its community. */
struct sn_edge {
	struct mac_entry key;
	struct sockaddr_storage sa; /* its public socket as we see it */
	struct n2n_ip_subnet dev_addr;
	uint8_t desc[N2N_DESC_SIZE];
	struct n2n_auth auth;  /* first token seen: anti-spoofing */
	uint64_t last_seen_ms; /* last REGISTER_SUPER */
	struct ts_replay replay;
	uint64_t rx_pkts, tx_pkts;
	bool counted;	   /* sa is counted in the supernode's sources */
	bool heard;	   /* a federation member that spoke from sa itself */
	uint64_t first_ms; /* its first registration */
	bool tcp;	   /* reached over its TCP connection (sn_tcp.c) */
	/* The socket it prefers peers to try (-e, a port mapping): from
	 * REGISTER_SUPER's SOCKET flag, passed on in PEER_INFO. */
	struct n2n_sock pref;
	bool has_pref;
};

struct sn_answer_slot {
	uint64_t last_ms;
	uint32_t tokens; /* thousandths */
};

enum sn_community_mode {
	SN_COMMUNITY_UNDECIDED, /* listed, nothing seen yet */
	SN_COMMUNITY_PLAIN,
	SN_COMMUNITY_ENCRYPTED, /* header encryption (-H) */
};

struct sn_community {
	struct sn_community *next;
	char name[N2N_COMMUNITY_SIZE];
	enum sn_community_mode mode;
	bool listed;	  /* a fixed name of the -c file */
	struct msg_he he; /* keys from the name, our stamps */
	/* The XDP relay's he_keys entry for it is as it should be: the keys
	 * of a -H community, none for a plaintext one (a previous daemon's
	 * pinned entry may say otherwise). */
	bool he_in_kernel;
	struct mac_table edges;
	uint8_t dynamic_key[16]; /* u/pw communities (he.upw) */
	struct mac_table remote; /* federation: MAC -> its supernode */
	uint32_t auto_net;	 /* auto-IP subnet, host order */
	uint8_t auto_prefix;
	/* Auto-IP: which of the first auto_hosts addresses of the subnet
	 * an edge has (a bit each; host 0 and the last reserved), so a
	 * registration never walks the edges. auto_dups: how many more
	 * edges chose an address another edge has (struct sn_auto_dup, by
	 * address), so its bit clears with the last holder, in O(1). */
	uint8_t *auto_used;
	uint32_t auto_hosts, auto_n_used;
	struct mac_table *auto_dups;
	uint64_t fwd, bcast;
};

/* An address in use by 1 + extra edges; key: the address (host order,
 * 4 bytes) and two zero bytes. */
struct sn_auto_dup {
	struct mac_entry key;
	uint32_t extra;
};

/* Federation: an edge registered at another supernode, and where. */
struct sn_remote {
	struct mac_entry key;
	struct sockaddr_storage sn_sa;
	uint64_t last_seen_ms;
};

/* A supernode given with -l: asked to federate until it answers. */
struct sn_anchor {
	char host[256];
	uint16_t port;
	struct sockaddr_storage sa;
	bool resolved;
};

#define SN_MAX_ANCHORS 16

/* Bounds on what the network can make us allocate. */
#define SN_MAX_COMMUNITIES	    4096
#define SN_MAX_EDGES_PER_COMMUNITY  16384
/* Other supernodes, and edges known to be at one of them, per community. */
#define SN_MAX_FED_MEMBERS	    64
#define SN_MAX_REMOTE_PER_COMMUNITY 16384
/* And for all communities together (about 330 bytes an edge): what
 * registrations, spoofed ones included, can make the supernode hold. */
#define SN_MAX_EDGES		    262144
#define SN_MAX_REMOTE		    262144
/*
 * What one broadcast sends to one host, however many edges registered
 * there (spoofed registrations cost nothing): one copy per socket (an
 * edge has one; the same frame twice helps nobody) and at most this many
 * per IP (a NAT'd LAN puts its edges behind one IP with a port each).
 * Registrations themselves are not refused by source: a spoofer could
 * then lock a victim's NAT out.
 */
#define SN_MAX_BCAST_PER_IP	    64
/* Auto-IP hands out addresses among the first 2^16 of a subnet. */
#define SN_AUTO_IP_MAX_HOSTS	    65536
#define SN_MAX_OWN_ADDRS	    64
/*
 * Answers to what anyone can send (REGISTER_SUPER_ACK/NAK, PONG,
 * PEER_INFO) per destination address: a token bucket in one of
 * SN_ANSWER_SLOTS, picked by a keyed hash of the address, so spoofed
 * requests aim at most SN_ANSWERS_PER_S a second at any host (each answer
 * no bigger than its request: no amplification). Generous, since it is
 * also what a spoofer can take from a real site: 10,000 edges behind one
 * address re-registering at once after a supernode restart all get their
 * ACK (the burst), and one at 20 s intervals needs 500 a second.
 */
#define SN_ANSWER_SLOTS		    8192
#define SN_ANSWERS_PER_S	    2048
#define SN_ANSWER_BURST		    16384
/* The federation's members go in a REGISTER_SUPER_ACK only to an edge
 * registered this long (n2n's default -i): one spoofed registration
 * gets a short answer (no 44-entry list, about 12 times its size). */
#define SN_LIST_AFTER_MS	    20000

/* How many edges are at one IPv4 address (port 0) or socket, and how
 * many copies of the broadcast under way (bcast_gen) went there. */
struct sn_source {
	struct mac_entry
		key; /* address (4 bytes) and port, both as on the wire */
	uint32_t edges;
	uint32_t bcast_sent;
	uint64_t bcast_gen;
};

struct sn_stats {
	uint64_t rx, fwd, bcast, reg_super, reg_super_nak, queries;
	uint64_t bcast_gen; /* which broadcast fan-out is under way */
	/* QUERY_PEERs of IPv4 edges about IPv6-only ones, not answered. */
	uint64_t peer_info_v6_withheld;
	uint64_t fed_v6_withheld; /* IPv6 edges' registrations not sent to
				   * IPv4 federation members */
	/* Registrations the XDP relay's maps could not take (full: the
	 * daemon relays those edges itself). */
	uint64_t xdp_mirror_failed;
	bool xdp_mirror_failing; /* logged once until one succeeds */
};

struct supernode {
	const struct sn_conf *conf;
	/* The -c list in use: conf's, replaced on SIGHUP (sn_reload). */
	struct community_list *community_list;
	struct evloop loop;
	struct datapath dp;
	uint8_t mac[MAC_SIZE];
	uint64_t start_ms;
	/* The federation's key pair: u/pw edges share a secret with it. */
	uint8_t fed_prv[32], fed_pub[32];
	uint32_t key_time; /* dynamic keys of u/pw communities */
	/* Federation: "*Federation" is a community whose members (edges
	 * table) are the other supernodes; anchors come from -l. */
	struct sn_community *federation;
	struct sn_anchor anchors[SN_MAX_ANCHORS];
	int n_anchors;
	/* Our REGISTER_SUPERs' cookies: keyed per socket (sn_fed_cookie()),
	 * so an ACK proves its sender received ours; challenges rationed. */
	uint8_t fed_cookie_key[16];
	uint64_t fed_challenge_ms;
	unsigned int fed_challenge_tokens;
	uint8_t fed_token[N2N_AUTH_ID_TOKEN_SIZE];
	uint64_t last_fed_ms;
	uint64_t last_purge_ms;
	uint64_t last_sweep_ms; /* kernel relay entries left by others */
	/* Edges and remote associations of all communities, against
	 * max_edges and SN_MAX_REMOTE (a field: the tests lower it). */
	size_t n_edges, n_remote, max_edges;
	struct sn_community *communities;
	unsigned int n_communities;
	struct mac_table sources; /* struct sn_source */
	uint8_t source_key6[16];  /* IPv6 sources' hash key */
	/* Our interfaces' IPv4 addresses (network order), refreshed at each
	 * purge: no edge registers at our own listening socket. */
	uint32_t own_addrs[SN_MAX_OWN_ADDRS];
	unsigned int n_own_addrs;
	struct in6_addr own_addrs6[SN_MAX_OWN_ADDRS]; /* and IPv6 ones */
	unsigned int n_own_addrs6;
	struct sn_answer_slot *answer_slots; /* SN_ANSWER_SLOTS, on first use */
	uint8_t answer_key[16];		     /* their hash's */
	struct sn_stats stats;
	struct drop_counters drops;
	void *ctl;
	void *metrics; /* --metrics endpoint, sn_ctl.c */
	void *tcp;     /* -S2 edges' connections, sn_tcp.c */
	void *dns;     /* -l names being resolved, sn_dns.c */
};

int sn_init(struct supernode *sn, struct sn_conf *conf)
	__attribute__((warn_unused_result));
/*
 * SIGHUP: the -c file read again, as n2n's reload_communities. A file
 * that does not load changes nothing (-errno, logged). Communities it no
 * longer allows go with their edges, and so do those whose entry changed
 * (subnet, users: their edges register again under the new terms);
 * newly named ones are created.
 */
int sn_reload_communities(struct supernode *sn);
int sn_run(struct supernode *sn);
void sn_fini(struct supernode *sn);

/* Shared by supernode.c, sn_handlers.c and sn_ctl.c. */
void sn_drop(struct supernode *sn, enum n2nk_reason why);
void sn_init_msg(struct n2n_msg *m, const struct sn_community *c,
		 unsigned int type, uint16_t flags);
/* To `to`: an answer to the datagram being handled (over the TCP
 * connection that carried it, if one did), or to a supernode; UDP. */
int sn_send(struct supernode *sn, struct sn_community *c,
	    const struct sockaddr_storage *to, const struct n2n_msg *m);
/* To edge e, by its transport: TCP only if it registered over the
 * connection (e->tcp), never by its address alone (TCP and UDP ports are
 * separate: another host's TCP client may share a UDP edge's ip:port). */
int sn_send_edge(struct supernode *sn, struct sn_community *c,
		 const struct sn_edge *e, const struct n2n_msg *m);
/* REGISTER_SUPER_ACK/NAK: with the u/pw trailer in such a community
 * (keyed by s; random bytes when s is NULL, as n2n's NAK). */
struct auth_secret;
int sn_send_registration(struct supernode *sn, struct sn_community *c,
			 const struct sockaddr_storage *to,
			 const struct n2n_msg *m, const struct auth_secret *s);
struct sn_community *sn_community_find(struct supernode *sn, const char *name);
struct sn_community *sn_community_add(struct supernode *sn, const char *name,
				      bool listed);

/* sn_handlers.c: one handler per message type. */
void sn_handle(struct supernode *sn, struct sn_community *c,
	       const struct n2n_msg *m, const struct sockaddr_storage *from,
	       const struct msg_opened *o);
void sn_purge(struct supernode *sn, uint64_t now);
/* After sn_init: as -u/-g (or n2n, or nobody), keeping what it needs. */
int sn_drop_privileges(struct supernode *sn);
void sn_answer_ping(struct supernode *sn, const struct n2n_msg *m,
		    const struct sockaddr_storage *from);
void sn_free_edges(struct sn_community *c);
/* The kernel relay learns (registered) or forgets an edge. */
void sn_mirror_edge(struct supernode *sn, struct sn_community *c,
		    const struct sn_edge *e, bool registered);
void sn_free_remote(struct sn_community *c);
void sn_community_free(struct supernode *sn, struct sn_community *c);
/* An edge leaves the registry (kernel relay, counters, auto-IP) and is freed. */
void sn_edge_delete(struct supernode *sn, struct sn_community *c,
		    struct sn_edge *e);
/* Whether an answer may go to `to` now (SN_ANSWERS_PER_S per host);
 * counts answer_limit when not. */
bool sn_answer_allowed(struct supernode *sn, const struct sockaddr_storage *to);
/* A socket an edge may be registered at: not one no host can send from,
 * not ours, not another supernode's. */
bool sn_edge_socket_ok(struct supernode *sn, const struct sockaddr_storage *sa);
/* A supernode is at sa now: an edge registered there earlier goes. */
void sn_evict_edges_at(struct supernode *sn, const struct sockaddr_storage *sa);
void sn_own_addrs_refresh(struct supernode *sn);
/* Registration checks shared with the federation's forwarded ones. */
bool sn_auth_matches(const struct supernode *sn, const struct sn_edge *e,
		     const struct n2n_auth *a);
void sn_send_reg_nak(struct supernode *sn, struct sn_community *c,
		     const struct n2n_register_super *r,
		     const struct sockaddr_storage *to);

/* A community's name, escaped for a log line. */
#define SN_NAME(c)                                                  \
	log_escape((char[LOG_ESCAPE_MAX(N2N_COMMUNITY_SIZE)]){ 0 }, \
		   LOG_ESCAPE_MAX(N2N_COMMUNITY_SIZE), (c)->name,   \
		   N2N_COMMUNITY_SIZE)

/* sn_federation.c: supernodes relaying for each other's edges. */
int sn_fed_init(struct supernode *sn) __attribute__((warn_unused_result));
/* The federation community's 20 bytes as stock n2n holds them (-F written
 * over the name the header keys came from): what its checksum covers. */
void sn_fed_wire_name(const struct sn_conf *c, char name[N2N_COMMUNITY_SIZE]);
void sn_fed_tick(struct supernode *sn, uint64_t now);
void sn_fed_handle(struct supernode *sn, const struct n2n_msg *m,
		   const struct sockaddr_storage *from);
bool sn_fed_is_member(struct supernode *sn,
		      const struct sockaddr_storage *from);
/* A member, or an anchor (-l) that has not answered yet. */
bool sn_fed_is_supernode(struct supernode *sn,
			 const struct sockaddr_storage *sa);
/* Tells the other supernodes that this edge registered with us. */
void sn_fed_propagate(struct supernode *sn, struct sn_community *c,
		      const struct n2n_msg *reg,
		      const struct sockaddr_storage *edge_sa,
		      const struct auth_secret *s);
/* Another supernode's edge registered there: remember where it is. */
void sn_fed_on_remote_registration(struct supernode *sn, struct sn_community *c,
				   const struct n2n_msg *m,
				   const struct sockaddr_storage *from);
/* A rewritten message for a MAC not registered here: to the supernode
 * that has it, else to every member. Returns false if there is none. */
bool sn_fed_forward(struct supernode *sn, struct sn_community *c,
		    const struct n2n_msg *m, const uint8_t *dst);
void sn_fed_broadcast(struct supernode *sn, struct sn_community *c,
		      const struct n2n_msg *m);
void sn_fed_learn(struct supernode *sn, struct sn_community *c,
		  const uint8_t *mac, const struct sockaddr_storage *sn_sa);
/* Associations older than the federation keeps them go. */
void sn_fed_purge_remote(struct supernode *sn, struct sn_community *c,
			 uint64_t now);
/* Our active members as REGISTER_SUPER_ACK entries; returns the count. */
uint32_t sn_fed_cookie(const struct supernode *sn,
		       const struct sockaddr_storage *to, uint64_t now_ms);
int sn_fed_list(struct supernode *sn, struct n2n_sn_entry *out, int max,
		const struct sockaddr_storage *skip);

/* sn_ctl.c */
int sn_ctl_open(struct supernode *sn, const char *path);
void sn_ctl_close(struct supernode *sn);
/* --metrics: listens on addr (before privileges go); 0 or -errno. */
int sn_metrics_open(struct supernode *sn, const struct sockaddr_storage *addr);
void sn_metrics_close(struct supernode *sn);

#endif /* N2NK_SUPERNODE_H */
