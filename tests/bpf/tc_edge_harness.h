/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the tests of bpf/tc_edge.bpf.c share (test_tc_edge.c: edge_tap and
 * edge_tx; test_tc_edge_rx.c: edge_rx): the edge's underlay and overlay
 * and its peers, inner frames and n2n datagrams made by the daemon's own
 * encoder, and one program run with its verdict and counters checked.
 */
#ifndef N2NK_TC_EDGE_HARNESS_H
#define N2NK_TC_EDGE_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include <linux/bpf.h>
#include <linux/if_ether.h>

#include "frame_builder.h"
#include "kernel/edge_aes.h"
#include "n2nk_edge.h"
#include "proto/transform.h"
#include "proto/wire.h"
#include "skel/tc_edge.skel.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define COMMUNITY    "edgenet"
#define LOCAL_PORT   50001
#define P2P_PORT     50002
#define RELAYED_PORT 50003 /* the relayed peer's socket, as relayed */
#define SN_PORT	     N2N_SN_PORT_DEFAULT
#define UNDERLAY_MTU 1500
#define TAP_MTU	     1400
#define IPV4_HLEN    20
#define IPV6_HLEN    40
#define UDP_HLEN     8
#define IV_LEN	     16
/* Outer Ethernet, IPv4 and UDP: where the n2n datagram starts. */
#define N2N_AT	     (ETH_HLEN + IPV4_HLEN + UDP_HLEN)

/* The underlay: our socket, the peers', the supernode's. */
extern const uint8_t local_ip[4], p2p_ip[4], relayed_ip[4], stranger_ip[4],
	sn_ip[4];
/* The overlay: MACs and -a addresses. */
extern const uint8_t mac_ours[6], mac_p2p[6], mac_relayed[6], mac_idle[6],
	mac_stranger[6], mac_bcast[6], mac_mcast[6];
extern const uint8_t our_vip[4], p2p_vip[4], relayed_vip[4], other_vip[4];

/* A peer in the `peers` map, and where its PACKETs come from. */
struct peer_def {
	const char *name;
	const uint8_t *mac;
	uint8_t path;	   /* enum n2nk_edge_path */
	const uint8_t *ip; /* its socket: direct, or as the supernode says */
	uint16_t port;
};

/* P2P, RELAY and NONE (in the map, not established). */
extern const struct peer_def peer_p2p, peer_relayed, peer_idle;
const struct peer_def *tce_peer_by_mac(const uint8_t *mac);

/* The loaded programs and the userspace transform of one -A setting. */
struct env {
	struct tc_edge *skel;
	enum n2n_transform_id id;
	const char *name; /* "-A4" */
	struct transform tf;
	struct n2nk_edge_conf conf; /* before a case's tweak */
	size_t iv_len;
	/* skel's edge_tx and edge_rx, or for -A3 aes's */
	struct bpf_program *tx, *rx;
	struct edge_aes *aes; /* -A3: tc_edge_aes over skel's maps */
	uint8_t aes_key[32];
	size_t aes_key_len;
};

/* Loads tc_edge and adds the peers with zeroed counters. */
struct tc_edge *tce_load(void);
int tce_env_init(struct env *e, struct tc_edge *skel, enum n2n_transform_id id,
		 const char *name) __attribute__((warn_unused_result));
/* edge_conf as the daemon writes it, then changed by tweak (or NULL). */
int tce_set_conf(const struct env *e, void (*tweak)(struct n2nk_edge_conf *c))
	__attribute__((warn_unused_result));
/* The 16 bytes a sent PACKET's transform began with (at), as the
 * daemon's encoder takes them: the IV, or for -A3 the random block. */
int tce_sent_iv(const struct env *e, const uint8_t *at, uint8_t iv[16])
	__attribute__((warn_unused_result));
void c_routing(struct n2nk_edge_conf *c); /* -r */
void c_no_vip(struct n2nk_edge_conf *c);  /* no -a address */

/* ---- Inner frames: what the TAP gives and takes. ---- */

enum inner_kind {
	IN_TCP4,
	IN_UDP4,
	IN_UDP6,
	IN_ARP,
	IN_VLAN,
	IN_SHORT,
	IN_SYN4, /* TCP SYN, MSS 1460 (the LAN's), options walked */
	IN_SYN6
};

/* Inner frame lengths that depend on the transform's IV. */
#define LEN_FIT	 (-1) /* fills the underlay MTU exactly */
#define LEN_OVER (-2) /* one byte more */

struct inner {
	enum inner_kind kind;
	const uint8_t *dst;    /* MAC */
	long len;	       /* bytes, or LEN_FIT / LEN_OVER */
	const uint8_t *src;    /* MAC; NULL: ours */
	const uint8_t *ip_src; /* IPv4; NULL: ours */
	const uint8_t *ip_dst; /* IPv4; NULL: the P2P peer's */
};

/* A frame of ours to a MAC; one from another source IPv4 address. */
#define TO(k, mac, n)                                 \
	{                                             \
		.kind = (k), .dst = (mac), .len = (n) \
	}
#define TO_FROM_IP(k, mac, n, from)                                     \
	{                                                               \
		.kind = (k), .dst = (mac), .len = (n), .ip_src = (from) \
	}

void tce_build_inner(struct frame *f, const struct env *e,
		     const struct inner *in);

/* ---- n2n datagrams, made by the daemon's encoder (msg_seal). ---- */

struct msg_spec {
	uint8_t type; /* enum n2n_msg_type */
	uint16_t flags;
	const char *community;
	const uint8_t *src_mac, *dst_mac;
	struct n2n_sock sock; /* with N2N_FLAGS_SOCKET */
	uint8_t compression;
	uint8_t transform; /* 0: the edge's */
};

/* The datagram for s carrying frame, encrypted with iv; length or < 0. */
ssize_t tce_encode_msg(const struct env *e, const struct msg_spec *s,
		       const struct frame *frame, const uint8_t *iv,
		       uint8_t *buf, size_t cap);

/* An n2n datagram in Ethernet/IP/UDP, as edge_rx gets it. */
struct pkt_spec {
	uint16_t ethertype; /* ETH_P_IP, or ETH_P_IPV6 for an IPv6 outer */
	uint8_t ip_proto;
	unsigned int ip_options; /* 32-bit words */
	const uint8_t *ip_src, *ip_dst;
	uint16_t src_port, dst_port;
	struct msg_spec msg;
	struct inner inner;
	/* What the case does to the finished frame. */
	void (*mangle)(struct frame *f, const struct env *e);
};

/* A PACKET from the P2P peer's own socket. */
void tce_p2p_spec(struct pkt_spec *s);
/* The relayed peer's PACKET as the supernode forwards it. */
void tce_relayed_spec(struct pkt_spec *s);
/* The datagram in f, the frame it carries in inner; 0 or -1. */
int tce_build_datagram(struct frame *f, struct frame *inner,
		       const struct env *e, const struct pkt_spec *s);

/* ---- Running a program. ---- */

struct run_out {
	uint32_t retval;
	uint32_t len;
	uint32_t duration; /* ns per run, as the kernel measured it */
	uint8_t data[FRAME_MAX];
};

/* 0, -EOPNOTSUPP for a frame the kernel will not test-run, or -errno. */
int tce_run(const struct bpf_program *prog, const struct frame *in,
	    struct __sk_buff *ctx, int repeat, struct run_out *out);

struct counters {
	struct n2nk_xdp_counter slot[N2NK_REASON_SLOTS];
};

int tce_read_counters(const struct bpf_map *map, struct counters *sum);
uint64_t tce_total_packets(const struct counters *c);

struct peer_snap {
	struct n2nk_edge_peer_stats st[3]; /* p2p, relayed, idle */
	uint64_t heard[3];		   /* last_p2p_rx_ns */
};

/* One frame of len bytes carried for a peer. */
struct n2nk_edge_peer_stats tce_carried(int rx, int relayed, size_t len);
/* Only who's counters moved, by *want (who NULL: none); its P2P time
 * stamp too if heard. */
int tce_check_peers(const char *name, const struct peer_snap *before,
		    const struct peer_snap *after, const struct peer_def *who,
		    const struct n2nk_edge_peer_stats *want, int heard);

/* Not a reason: handed on unchanged, for a reason the column lacks. */
#define ANY_HANDED_ON 1

/* One case's run: the program of layer on a frame, for reason. */
struct probe {
	const char *name;
	enum n2nk_layer layer;
	int reason;
	struct __sk_buff *ctx;
};

struct probed {
	struct run_out out;
	struct counters before, after;
	struct peer_snap pb, pa;
};

/* Runs it and checks the verdict and that only the reason's counter
 * grew, by one; 0, -1 or CASE_SKIPPED. */
int tce_probe(const struct env *e, const struct probe *p,
	      const struct frame *in, struct probed *r);
int tce_same(const struct run_out *out, const struct frame *f);
/* The output is *want, else a failure naming what it should have been. */
int tce_check_same(const char *name, const struct run_out *out,
		   const struct frame *want, const char *what);

void tce_fail(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
uint16_t tce_get16(const uint8_t *p);

/* test_tc_edge_rx.c */
struct suite_tally;
void tce_rx_cases(struct suite_tally *t, const struct env *e);
int tce_rx_mutants(const struct env *e);

#endif /* N2NK_TC_EDGE_HARNESS_H */
