// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF_PROG_TEST_RUN tests of bpf/xdp_relay.bpf.c: built frames with their
 * expected verdict, reason counter and output frame; then the golden relay
 * captures of stock n2n 3.1.1, where the program must turn each captured
 * edge->supernode PACKET into the supernode->edge copy captured after it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "common/bytes.h"
#include "common/inet_csum.h"
#include "common/mac.h"
#include "common/pcap_read.h"
#include "frame_builder.h"
#include "kernel/bpf_maps.h"
#include "kernel/xdp_counter.h"
#include "kernel/xdp_relay_int.h"
#include "n2n_wire_defs.h"
#include "proto/wire.h"
#include "n2nk_relay.h"
#include "skel/xdp_relay.skel.h"
#include "relay_fill.h"
#include "suites.h"

#define SN_PORT		 N2N_SN_PORT_DEFAULT
#define KNOB_PORT	 1234
#define A_PORT		 40001
#define B_PORT		 40002
#define COMMUNITY	 "community"
#define VECTORS_DIR	 "../shared/vectors/n2n-3.1.1"
#define VECTORS_NAME	 "vectors"
#define BUF_MAX		 2048
#define MAX_DATAGRAMS	 512
#define BENCH_RUNS	 100000
#define UDP_HLEN	 8
#define IPV4_HLEN	 20
#define GOLDEN_MIN	 20
#define GOLDEN_BROADCAST 1
#define MUTANTS		 5000
/* Ethernet, IPv4, UDP and the PACKET header: where mutants differ. */
#define RELAY_MUTATED_LEN \
	(ETH_HLEN + IPV4_HLEN + UDP_HLEN + N2N_PACKET_HDR_SIZE)

static const uint8_t sn_ip[4] = { 192, 0, 2, 1 };
static const uint8_t a_ip[4] = { 192, 0, 2, 10 };
static const uint8_t b_ip[4] = { 192, 0, 2, 20 };
static const uint8_t stranger_ip[4] = { 192, 0, 2, 99 };
static const uint8_t sn_eth[MAC_SIZE] = { 0x02, 0x5e, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t router_eth[MAC_SIZE] = {
	0x02, 0x52, 0x00, 0x00, 0x00, 0x01
};
static const uint8_t mac_a[MAC_SIZE] = { 0x02, 0x6e, 0x32, 0x00, 0x00, 0x0a };
static const uint8_t mac_b[MAC_SIZE] = { 0x02, 0x6e, 0x32, 0x00, 0x00, 0x0b };
static const uint8_t mac_c[MAC_SIZE] = { 0x02, 0x6e, 0x32, 0x00, 0x00, 0x0c };
static const uint8_t mac_d[MAC_SIZE] = { 0x02, 0x6e, 0x32, 0x00, 0x00, 0x0d };
static const uint8_t mac_bcast[MAC_SIZE] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};

/* The fields of an edge's PACKET that the cases vary. */
struct pkt_spec {
	const uint8_t *ip_src;
	uint16_t src_port;
	uint8_t version;
	uint16_t flags_type;
	uint8_t ttl;
	const char *community;
	const uint8_t *src_mac;
	const uint8_t *dst_mac;
	uint16_t sn_port;
};

/* Edge A to edge B, both registered in COMMUNITY: relayed. */
static struct pkt_spec good_spec(void)
{
	return (struct pkt_spec){
		.ip_src = a_ip,
		.src_port = A_PORT,
		.version = N2N_PKT_VERSION,
		.flags_type = N2N_MSG_PACKET,
		.ttl = 2,
		.community = COMMUNITY,
		.src_mac = mac_a,
		.dst_mac = mac_b,
		.sn_port = SN_PORT,
	};
}

/* Compression, transform and an opaque ciphertext. */
static void put_payload(struct frame *f)
{
	frame_put_u8(f, N2N_COMPRESSION_NONE);
	frame_put_u8(f, N2N_TRANSFORM_CHACHA20);
	frame_put_random(f, 60, 0x7e1a7);
}

static void put_n2n_packet(struct frame *f, const struct pkt_spec *s)
{
	frame_n2n_common(f, s->version, s->flags_type, s->community);
	f->data[f->len - N2N_COMMON_SIZE + N2N_COMMON_OFF_TTL] = s->ttl;
	frame_put(f, s->src_mac, N2N_MAC_SIZE);
	frame_put(f, s->dst_mac, N2N_MAC_SIZE);
	if (s->flags_type & N2N_FLAGS_SOCKET) {
		frame_put_be16(f, 0);
		frame_put_be16(f, A_PORT);
		frame_put(f, a_ip, sizeof(a_ip));
	}
	put_payload(f);
}

static void build_spec(struct frame *f, const struct pkt_spec *s)
{
	frame_eth_macs(f, sn_eth, router_eth, ETH_P_IP);
	frame_ipv4(f, IPPROTO_UDP);
	frame_ipv4_addrs(f, s->ip_src, sn_ip);
	frame_udp(f, s->src_port, s->sn_port);
	put_n2n_packet(f, s);
	frame_finish(f);
}

static void build_good(struct frame *f)
{
	struct pkt_spec s = good_spec();

	build_spec(f, &s);
}

/* What n2n 3.1.1 sends on for s, sent back where it came from. */
static void expect_relayed_spec(struct frame *f, struct pkt_spec s)
{
	s.ttl--;
	s.flags_type |= N2N_FLAGS_SOCKET | N2N_FLAGS_FROM_SUPERNODE;
	frame_eth_macs(f, router_eth, sn_eth, ETH_P_IP);
	frame_ipv4(f, IPPROTO_UDP);
	frame_ipv4_addrs(f, sn_ip, b_ip);
	frame_udp(f, s.sn_port, B_PORT);
	put_n2n_packet(f, &s);
	frame_finish(f);
}

static void expect_relayed(struct frame *f)
{
	expect_relayed_spec(f, good_spec());
}

/* The same PACKET to a supernode loaded with sn_port = KNOB_PORT. */
static struct pkt_spec knob_spec(void)
{
	struct pkt_spec s = good_spec();

	s.sn_port = KNOB_PORT;
	return s;
}

static void build_knob(struct frame *f)
{
	struct pkt_spec s = knob_spec();

	build_spec(f, &s);
}

static void expect_knob_relayed(struct frame *f)
{
	expect_relayed_spec(f, knob_spec());
}

static void build_ttl_1(struct frame *f)
{
	struct pkt_spec s = good_spec();

	s.ttl = 1;
	build_spec(f, &s);
}

static void expect_relayed_ttl_0(struct frame *f)
{
	struct pkt_spec s = good_spec();

	s.ttl = 1;
	expect_relayed_spec(f, s);
}

/* The sender sent no UDP checksum (0, RFC 768): none goes on either. */
static void build_no_csum(struct frame *f)
{
	f->udp_no_checksum = 1;
	build_good(f);
}

static void expect_no_csum(struct frame *f)
{
	f->udp_no_checksum = 1;
	expect_relayed(f);
}

/* A payload bit flipped on the way, after the sender's checksum: the
 * relayed copy must carry the same error (the checksum of the intact
 * datagram), so B's stack drops it. */
#define CORRUPT_BIT 0x40

static void build_corrupt(struct frame *f)
{
	build_good(f);
	f->data[f->len - 1] ^= CORRUPT_BIT;
}

static void expect_corrupt(struct frame *f)
{
	expect_relayed(f);
	f->data[f->len - 1] ^= CORRUPT_BIT;
}

/* A sender on this host with checksum offload over veth: the field holds
 * the pseudo-header sum only (CHECKSUM_PARTIAL). */
static void build_partial_csum(struct frame *f)
{
	const uint8_t *ip;
	uint16_t ulen;

	build_good(f);
	ip = f->data + f->l3_off;
	ulen = f->len - f->l4_off;
	put_be16(f->data + f->l4_off + 6,
		 inet_csum_fold(
			 inet_csum_pseudo(ip + 12, 8, IPPROTO_UDP, ulen)));
}

static void build_truncated_eth(struct frame *f)
{
	build_good(f);
	frame_cut(f, 10);
}

static void build_truncated_ipv4(struct frame *f)
{
	build_good(f);
	frame_cut(f, f->l3_off + 12);
}

static void build_truncated_udp(struct frame *f)
{
	build_good(f);
	frame_cut(f, f->l4_off + 4);
}

/* Lengths consistent, but the datagram ends inside the common header. */
static void build_short_common(struct frame *f)
{
	build_good(f);
	frame_cut(f, f->l4_off + UDP_HLEN + N2N_COMMON_SIZE - 4);
	frame_finish(f);
}

/* Lengths consistent, the datagram ends inside the MACs. */
static void build_short_packet(struct frame *f)
{
	build_good(f);
	frame_cut(f, f->l4_off + UDP_HLEN + N2N_PACKET_OFF_DST_MAC + 2);
	frame_finish(f);
}

/* Cut after the lengths were written: IP says more than the frame has. */
static void build_cut_payload(struct frame *f)
{
	build_good(f);
	frame_cut(f, f->len - 10);
}

static void build_udp_len_mismatch(struct frame *f)
{
	build_good(f);
	f->data[f->l4_off + 5]--;
}

static void build_version_2(struct frame *f)
{
	struct pkt_spec s = good_spec();

	s.version = 2;
	build_spec(f, &s);
}

/* -H: a random IV where the common header was. */
static void build_header_encrypted(struct frame *f)
{
	frame_eth_macs(f, sn_eth, router_eth, ETH_P_IP);
	frame_ipv4(f, IPPROTO_UDP);
	frame_ipv4_addrs(f, a_ip, sn_ip);
	frame_udp(f, A_PORT, SN_PORT);
	frame_put_random(f, N2N_PACKET_HDR_SIZE + 60, 0xc0ffee);
	f->data[f->l4_off + UDP_HLEN] = N2N_PKT_VERSION; /* by chance */
	frame_finish(f);
}

static void build_from_supernode(struct frame *f)
{
	struct pkt_spec s = good_spec();

	s.flags_type |= N2N_FLAGS_FROM_SUPERNODE | N2N_FLAGS_SOCKET;
	build_spec(f, &s);
}

static void build_socket_flag(struct frame *f)
{
	struct pkt_spec s = good_spec();

	s.flags_type |= N2N_FLAGS_SOCKET;
	build_spec(f, &s);
}

static void build_ttl_0(struct frame *f)
{
	struct pkt_spec s = good_spec();

	s.ttl = 0;
	build_spec(f, &s);
}

static void build_broadcast(struct frame *f)
{
	struct pkt_spec s = good_spec();

	s.dst_mac = mac_bcast;
	build_spec(f, &s);
}

static void build_unknown_sender(struct frame *f)
{
	struct pkt_spec s = good_spec();

	s.ip_src = stranger_ip;
	build_spec(f, &s);
}

/* A's socket is registered in COMMUNITY, not in this one. */
static void build_other_community(struct frame *f)
{
	struct pkt_spec s = good_spec();

	s.community = "other";
	build_spec(f, &s);
}

/* From A's registered socket, claiming to be another edge. */
static void build_spoofed_mac(struct frame *f)
{
	struct pkt_spec s = good_spec();

	s.src_mac = mac_c;
	build_spec(f, &s);
}

/* From A's socket with B's MAC: B is registered, but not there. */
static void build_spoofed_registered_mac(struct frame *f)
{
	struct pkt_spec s = good_spec();

	s.src_mac = mac_b;
	s.dst_mac = mac_a;
	build_spec(f, &s);
}

static void build_unknown_dest(struct frame *f)
{
	struct pkt_spec s = good_spec();

	s.dst_mac = mac_c;
	build_spec(f, &s);
}

static void build_expired_dest(struct frame *f)
{
	struct pkt_spec s = good_spec();

	s.dst_mac = mac_d;
	build_spec(f, &s);
}

static void build_register(struct frame *f)
{
	struct pkt_spec s = good_spec();

	s.flags_type = N2N_MSG_REGISTER;
	build_spec(f, &s);
}

static void build_register_super(struct frame *f)
{
	struct pkt_spec s = good_spec();

	s.flags_type = N2N_MSG_REGISTER_SUPER;
	build_spec(f, &s);
}

static void build_ip_options(struct frame *f)
{
	struct pkt_spec s = good_spec();

	frame_eth_macs(f, sn_eth, router_eth, ETH_P_IP);
	frame_ipv4_options(f, IPPROTO_UDP, 1);
	frame_ipv4_addrs(f, a_ip, sn_ip);
	frame_udp(f, A_PORT, SN_PORT);
	put_n2n_packet(f, &s);
	frame_finish(f);
}

/* A first fragment: MF set, offset 0. */
static void build_first_fragment(struct frame *f)
{
	build_good(f);
	f->data[f->l3_off + 6] |= 0x20;
	frame_finish(f);
}

static void build_later_fragment(struct frame *f)
{
	build_good(f);
	f->data[f->l3_off + 6] = 0x00;
	f->data[f->l3_off + 7] = 0xb9;
	frame_finish(f);
}

static void build_ipv6(struct frame *f)
{
	struct pkt_spec s = good_spec();

	frame_eth_macs(f, sn_eth, router_eth, ETH_P_IPV6);
	frame_ipv6(f, IPPROTO_UDP);
	frame_udp(f, A_PORT, SN_PORT);
	put_n2n_packet(f, &s);
	frame_finish(f);
}

/* ---- IPv6: edges E and F registered at IPv6 sockets ---- */

#define E_PORT 40005
#define F_PORT 40006

static const uint8_t sn6_ip[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
				    0,	  0,	0,    0,    0, 0, 0, 0x01 };
static const uint8_t e6_ip[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
				   0,	 0,    0,    0,	   0, 0, 0, 0x10 };
static const uint8_t f6_ip[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
				   0,	 0,    0,    0,	   0, 0, 0, 0x20 };
static const uint8_t stranger6_ip[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x99
};
static const uint8_t mac_e[MAC_SIZE] = { 0x02, 0x6e, 0x32, 0x00, 0x00, 0x0e };
static const uint8_t mac_f[MAC_SIZE] = { 0x02, 0x6e, 0x32, 0x00, 0x00, 0x0f };

static struct pkt_spec spec6(void)
{
	struct pkt_spec s = good_spec();

	s.src_port = E_PORT;
	s.src_mac = mac_e;
	s.dst_mac = mac_f;
	return s;
}

/* An IPv6 header from src to dst with next header nh. */
static void put_ipv6(struct frame *f, const uint8_t src[16],
		     const uint8_t dst[16], uint8_t nh)
{
	frame_ipv6(f, nh);
	memcpy(f->data + f->l3_off + 8, src, 16);
	memcpy(f->data + f->l3_off + 24, dst, 16);
}

static void build6_spec(struct frame *f, const struct pkt_spec *s,
			const uint8_t src[16], const uint8_t dst[16])
{
	frame_eth_macs(f, sn_eth, router_eth, ETH_P_IPV6);
	put_ipv6(f, src, dst, IPPROTO_UDP);
	frame_udp(f, s->src_port, s->sn_port);
	put_n2n_packet(f, s);
	frame_finish(f);
}

static void build6_good(struct frame *f)
{
	struct pkt_spec s = spec6();

	build6_spec(f, &s, e6_ip, sn6_ip);
}

/*
 * What the daemon's socket relay sends for E's PACKET (the socket as
 * daemon/proto/wire.c encodes it: family word 0x8000, port, 16 address
 * bytes), from our address to F, hop limit 64, no flow label.
 */
static void expect6_relayed(struct frame *f)
{
	struct pkt_spec s = spec6();
	struct n2n_sock sock = { .ipv6 = true, .port = E_PORT };
	uint8_t enc[N2N_SOCK_SIZE_V6];

	memcpy(sock.addr, e6_ip, 16);
	if (wire_encode_sock(enc, sizeof(enc), &sock) != N2N_SOCK_SIZE_V6)
		abort();
	s.ttl--;
	s.flags_type |= N2N_FLAGS_SOCKET | N2N_FLAGS_FROM_SUPERNODE;
	frame_eth_macs(f, router_eth, sn_eth, ETH_P_IPV6);
	put_ipv6(f, sn6_ip, f6_ip, IPPROTO_UDP);
	frame_udp(f, s.sn_port, F_PORT);
	frame_n2n_common(f, s.version, s.flags_type, s.community);
	f->data[f->len - N2N_COMMON_SIZE + N2N_COMMON_OFF_TTL] = s.ttl;
	frame_put(f, s.src_mac, N2N_MAC_SIZE);
	frame_put(f, s.dst_mac, N2N_MAC_SIZE);
	frame_put(f, enc, sizeof(enc));
	put_payload(f);
	frame_finish(f);
}

static void build6_corrupt(struct frame *f)
{
	build6_good(f);
	f->data[f->len - 1] ^= CORRUPT_BIT;
}

static void expect6_corrupt(struct frame *f)
{
	expect6_relayed(f);
	f->data[f->len - 1] ^= CORRUPT_BIT;
}

/* RFC 8200 requires the checksum; the stack drops one without. */
static void build6_no_csum(struct frame *f)
{
	f->udp_no_checksum = 1;
	build6_good(f);
}

/* A hop-by-hop options header (8 bytes of padding) before UDP. */
static void build6_ext(struct frame *f)
{
	struct pkt_spec s = spec6();

	frame_eth_macs(f, sn_eth, router_eth, ETH_P_IPV6);
	put_ipv6(f, e6_ip, sn6_ip, 0);
	frame_put_u8(f, IPPROTO_UDP);
	frame_put_u8(f, 0);
	frame_put_u8(f, 1); /* PadN */
	frame_put_u8(f, 4);
	frame_put_zeros(f, 4);
	frame_udp(f, s.src_port, s.sn_port);
	put_n2n_packet(f, &s);
	frame_finish(f);
}

static void build6_to_ipv4_edge(struct frame *f)
{
	struct pkt_spec s = spec6();

	s.dst_mac = mac_b;
	build6_spec(f, &s, e6_ip, sn6_ip);
}

/* A (IPv4) to F (IPv6). */
static void build_to_ipv6_edge(struct frame *f)
{
	struct pkt_spec s = good_spec();

	s.dst_mac = mac_f;
	build_spec(f, &s);
}

static void build6_stranger(struct frame *f)
{
	struct pkt_spec s = spec6();

	build6_spec(f, &s, stranger6_ip, sn6_ip);
}

static void build6_transit(struct frame *f)
{
	struct pkt_spec s = spec6();

	build6_spec(f, &s, e6_ip, stranger6_ip);
}

static void build6_partial(struct frame *f)
{
	const uint8_t *ip;
	uint16_t ulen;

	build6_good(f);
	ip = f->data + f->l3_off;
	ulen = f->len - f->l4_off;
	put_be16(f->data + f->l4_off + 6,
		 inet_csum_fold(
			 inet_csum_pseudo(ip + 8, 32, IPPROTO_UDP, ulen)));
}

static void build6_he(struct frame *f)
{
	frame_eth_macs(f, sn_eth, router_eth, ETH_P_IPV6);
	put_ipv6(f, e6_ip, sn6_ip, IPPROTO_UDP);
	frame_udp(f, E_PORT, SN_PORT);
	frame_put_random(f, N2N_PACKET_HDR_SIZE + 60, 0xc0ffee);
	frame_finish(f);
}

/* A forwarding host's transit traffic: our port, someone else's address. */
static void build_transit(struct frame *f)
{
	struct pkt_spec s = good_spec();

	frame_eth_macs(f, sn_eth, router_eth, ETH_P_IP);
	frame_ipv4(f, IPPROTO_UDP);
	frame_ipv4_addrs(f, a_ip, stranger_ip);
	frame_udp(f, A_PORT, SN_PORT);
	put_n2n_packet(f, &s);
	frame_finish(f);
}

static void build_other_port(struct frame *f)
{
	struct pkt_spec s = good_spec();

	frame_eth_macs(f, sn_eth, router_eth, ETH_P_IP);
	frame_ipv4(f, IPPROTO_UDP);
	frame_ipv4_addrs(f, a_ip, sn_ip);
	frame_udp(f, A_PORT, SN_PORT + 1);
	put_n2n_packet(f, &s);
	frame_finish(f);
}

struct relay_case {
	const char *name;
	void (*build)(struct frame *f);
	uint32_t verdict;
	int reason;
	void (*expect)(struct frame *f); /* XDP_TX output; NULL: unchanged */
	uint16_t sn_port; /* loaded into rodata; 0: the default */
};

#define PASSED(why)	XDP_PASS, (why), NULL, 0
#define DROPPED(why)	XDP_DROP, (why), NULL, 0
#define RELAYED(expect) XDP_TX, N2NK_OK, (expect), 0

static const struct relay_case cases[] = {
	{ "relay: A to B", build_good, RELAYED(expect_relayed) },
	{ "relay: TTL 1 leaves with TTL 0", build_ttl_1,
	  RELAYED(expect_relayed_ttl_0) },
	{ "relay: UDP checksum 0 (none) stays 0", build_no_csum,
	  RELAYED(expect_no_csum) },
	{ "relay: corrupt payload leaves with a wrong checksum", build_corrupt,
	  RELAYED(expect_corrupt) },
	{ "relay: checksum left to offload (partial): daemon",
	  build_partial_csum, PASSED(N2NK_CHECKSUM_PARTIAL) },
	{ "relay: truncated Ethernet", build_truncated_eth,
	  PASSED(N2NK_TRUNCATED_ETH) },
	{ "relay: truncated IPv4", build_truncated_ipv4,
	  PASSED(N2NK_TRUNCATED_IP) },
	{ "relay: truncated UDP", build_truncated_udp,
	  PASSED(N2NK_TRUNCATED_UDP) },
	{ "relay: datagram ends in common header", build_short_common,
	  PASSED(N2NK_TRUNCATED_N2N) },
	{ "relay: datagram ends in PACKET header", build_short_packet,
	  PASSED(N2NK_TRUNCATED_N2N) },
	{ "relay: frame shorter than IP length", build_cut_payload,
	  PASSED(N2NK_IP_LENGTH) },
	{ "relay: UDP length != IP length", build_udp_len_mismatch,
	  PASSED(N2NK_UDP_LENGTH) },
	{ "relay: version 2", build_version_2, PASSED(N2NK_HEADER_ENCRYPTED) },
	{ "relay: header-encrypted", build_header_encrypted,
	  PASSED(N2NK_HEADER_ENCRYPTED) },
	{ "relay: FROM_SUPERNODE set", build_from_supernode,
	  PASSED(N2NK_FROM_SUPERNODE) },
	{ "relay: SOCKET set by an edge", build_socket_flag,
	  PASSED(N2NK_HAS_SOCKET) },
	{ "relay: TTL 0", build_ttl_0, DROPPED(N2NK_TTL_EXPIRED) },
	{ "relay: broadcast destination", build_broadcast,
	  PASSED(N2NK_MULTICAST_DEST) },
	{ "relay: unknown sender socket", build_unknown_sender,
	  PASSED(N2NK_UNKNOWN_SENDER) },
	{ "relay: sender socket of another community", build_other_community,
	  PASSED(N2NK_UNKNOWN_SENDER) },
	{ "relay: spoofed srcMac", build_spoofed_mac,
	  PASSED(N2NK_SPOOFED_SOURCE) },
	{ "relay: registered srcMac, wrong socket",
	  build_spoofed_registered_mac, PASSED(N2NK_SPOOFED_SOURCE) },
	{ "relay: unknown destination", build_unknown_dest,
	  PASSED(N2NK_UNKNOWN_DEST) },
	{ "relay: destination's registration expired", build_expired_dest,
	  PASSED(N2NK_EXPIRED_DEST) },
	{ "relay: REGISTER", build_register, PASSED(N2NK_NOT_PACKET) },
	{ "relay: REGISTER_SUPER", build_register_super,
	  PASSED(N2NK_NOT_PACKET) },
	{ "relay: IPv4 options", build_ip_options, PASSED(N2NK_IP_OPTIONS) },
	{ "relay: IPv4 first fragment", build_first_fragment,
	  PASSED(N2NK_IP_FRAGMENT) },
	{ "relay: IPv4 later fragment", build_later_fragment,
	  PASSED(N2NK_IP_FRAGMENT) },
	{ "relay: IPv6 to an address not ours", build_ipv6,
	  PASSED(N2NK_NOT_LOCAL) },
	{ "relay6: E to F over IPv6, as the socket relay sends it", build6_good,
	  RELAYED(expect6_relayed) },
	{ "relay6: corrupt payload leaves with a wrong checksum",
	  build6_corrupt, RELAYED(expect6_corrupt) },
	{ "relay6: no UDP checksum (RFC 8200 wants one): stack", build6_no_csum,
	  PASSED(N2NK_UDP_CHECKSUM) },
	{ "relay6: extension header: stack", build6_ext, PASSED(N2NK_NOT_UDP) },
	{ "relay6: to an edge registered over IPv4: daemon",
	  build6_to_ipv4_edge, PASSED(N2NK_OTHER_FAMILY) },
	{ "relay: to an edge registered over IPv6: daemon", build_to_ipv6_edge,
	  PASSED(N2NK_OTHER_FAMILY) },
	{ "relay6: unknown sender socket", build6_stranger,
	  PASSED(N2NK_UNKNOWN_SENDER) },
	{ "relay6: our port, another host's address", build6_transit,
	  PASSED(N2NK_NOT_LOCAL) },
	{ "relay6: checksum left to offload (partial): daemon", build6_partial,
	  PASSED(N2NK_CHECKSUM_PARTIAL) },
	{ "relay6: header-encrypted, no keys here: daemon", build6_he,
	  PASSED(N2NK_HEADER_ENCRYPTED) },
	{ "relay: our port, another host's address (transit)", build_transit,
	  PASSED(N2NK_NOT_LOCAL) },
	{ "relay: UDP to another port", build_other_port,
	  PASSED(N2NK_WRONG_PORT) },
	{ "relay: sn_port knob, PACKET to it", build_knob, XDP_TX, N2NK_OK,
	  expect_knob_relayed, KNOB_PORT },
	{ "relay: sn_port knob, 7654 is then other", build_good, XDP_PASS,
	  N2NK_WRONG_PORT, NULL, KNOB_PORT },
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static void fail(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "  %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* One test run: the verdict and the frame as the program left it. */
struct run_out {
	uint32_t verdict;
	uint8_t data[BUF_MAX];
	uint32_t len;
	uint32_t duration; /* ns per run, as the kernel measured it */
};

/*
 * Runs the program once. Frames shorter than an Ethernet header are sent
 * padded, with ctx.data_end at their real end (see test_xdp_n2n_count.c);
 * -EOPNOTSUPP where the kernel cannot do that.
 */
static int run_prog(const struct xdp_relay *skel, const uint8_t *frame,
		    size_t len, uint32_t repeat, struct run_out *out)
{
	/* Static: a frame buffer off the stack; the tests run serially. */
	static uint8_t in[BUF_MAX];
	struct xdp_md ctx = { .data_end = len };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in, .data_size_in = len,
		    .data_out = out->data, .data_size_out = sizeof(out->data),
		    .repeat = repeat);
	int err;

	memset(in, 0, sizeof(in));
	memcpy(in, frame, len);
	if (len < ETH_HLEN) {
		opts.data_size_in = ETH_HLEN;
		opts.ctx_in = &ctx;
		opts.ctx_size_in = sizeof(ctx);
	}
	err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.xdp_relay),
				     &opts);
	if (err)
		return len < ETH_HLEN && err == -EINVAL ? -EOPNOTSUPP : err;
	out->verdict = opts.retval;
	out->len = opts.data_size_out;
	out->duration = opts.duration;
	return 0;
}

/* relay_stats, every slot summed over the possible CPUs. */
static int read_stats(const struct xdp_relay *skel,
		      struct n2nk_xdp_counter sum[N2NK_REASON_SLOTS])
{
	uint32_t slot;
	int err;

	for (slot = 0; slot < N2NK_REASON_SLOTS; slot++) {
		err = xdp_counter_sum(skel->maps.relay_stats, slot, &sum[slot]);
		if (err)
			return err;
	}
	return 0;
}

/* Only the case's slot grew, by one frame. */
static int check_stats(const char *name, int reason, size_t len,
		       const struct n2nk_xdp_counter *before,
		       const struct n2nk_xdp_counter *after)
{
	uint32_t want_slot = n2nk_reason_slot(reason);
	uint64_t packets, bytes, want_packets, want_bytes;
	uint32_t slot;
	int bad = 0;

	for (slot = 0; slot < N2NK_REASON_SLOTS; slot++) {
		packets = after[slot].packets - before[slot].packets;
		bytes = after[slot].bytes - before[slot].bytes;
		want_packets = slot == want_slot;
		want_bytes = slot == want_slot ? len : 0;
		if (packets == want_packets && bytes == want_bytes)
			continue;
		fail(name, "relay_stats[%s]: +%llu packets, +%llu bytes",
		     n2nk_reason_name(-(int)slot), (unsigned long long)packets,
		     (unsigned long long)bytes);
		bad = -1;
	}
	return bad;
}

static int check_output(const struct relay_case *tc, const struct frame *in,
			const struct run_out *out)
{
	struct frame want;

	if (tc->expect) {
		frame_init(&want);
		tc->expect(&want);
	} else {
		want = *in;
	}
	/* A short frame went in zero-padded to an Ethernet header. */
	if (want.len < ETH_HLEN) {
		memset(want.data + want.len, 0, ETH_HLEN - want.len);
		want.len = ETH_HLEN;
	}
	/* Computed here, not only compared: right in, right out; wrong in,
	 * wrong out; none in, none out. */
	if (tc->verdict == XDP_TX &&
	    frame_udp_csum_ok(out->data, out->len) !=
		    frame_udp_csum_ok(in->data, in->len)) {
		fail(tc->name, "UDP checksum state %d, came in as %d",
		     frame_udp_csum_ok(out->data, out->len),
		     frame_udp_csum_ok(in->data, in->len));
		return -1;
	}
	if (out->len == want.len && !memcmp(out->data, want.data, want.len))
		return 0;
	fail(tc->name, "output frame differs (%u bytes, want %zu)", out->len,
	     want.len);
	return -1;
}

/* The relay column's verdict as the XDP action the program returns
 * when no AF_XDP socket is bound (as here): DAEMON then falls back to
 * XDP_PASS. */
static uint32_t xdp_action_of(int reason)
{
	switch (n2nk_verdict(N2NK_LAYER_RELAY, reason)) {
	case N2NK_VERDICT_OK:
		return XDP_TX;
	case N2NK_VERDICT_DAEMON:
	case N2NK_VERDICT_STACK:
		return XDP_PASS;
	case N2NK_VERDICT_DROP:
	case N2NK_VERDICT_NONE:
		break;
	}
	return XDP_DROP;
}

static int run_case(const struct xdp_relay *skel, const struct relay_case *tc)
{
	struct n2nk_xdp_counter before[N2NK_REASON_SLOTS];
	struct n2nk_xdp_counter after[N2NK_REASON_SLOTS];
	static struct run_out out; /* 2 KiB frame: off the stack */
	struct frame f;
	int err;

	frame_init(&f);
	tc->build(&f);
	err = read_stats(skel, before);
	if (!err)
		err = run_prog(skel, f.data, f.len, 1, &out);
	if (err == -EOPNOTSUPP)
		return CASE_SKIPPED;
	if (!err)
		err = read_stats(skel, after);
	if (err) {
		fail(tc->name, "%s", strerror(-err));
		return -1;
	}
	if (out.verdict != tc->verdict) {
		fail(tc->name, "verdict %u, want %u", out.verdict, tc->verdict);
		return -1;
	}
	/* Relayed (OK) leaves by XDP_TX, or by a redirect to egress_ifs. */
	if (xdp_action_of(tc->reason) != tc->verdict &&
	    !(tc->reason == N2NK_OK && tc->verdict == XDP_REDIRECT)) {
		fail(tc->name, "n2nk_reasons.h says %s is action %u",
		     n2nk_reason_name(tc->reason), xdp_action_of(tc->reason));
		return -1;
	}
	if (check_stats(tc->name, tc->reason, f.len, before, after))
		return -1;
	return check_output(tc, &f, &out);
}
/* Edges A and B, registered in COMMUNITY, as the cases expect. */
static int register_edges(const struct xdp_relay *skel)
{
	int err;

	err = relay_set_local(skel, sn_ip);
	if (!err)
		err = relay_set_sender(skel, a_ip, A_PORT, COMMUNITY, mac_a);
	if (!err)
		err = relay_set_sender(skel, b_ip, B_PORT, COMMUNITY, mac_b);
	if (!err)
		err = relay_set_edge(skel, COMMUNITY, mac_a, a_ip, A_PORT);
	if (!err)
		err = relay_set_edge(skel, COMMUNITY, mac_b, b_ip, B_PORT);
	/* D's registration ran out long ago (1 ns after boot). */
	if (!err)
		err = relay_set_edge_until(skel, COMMUNITY, mac_d, b_ip, B_PORT,
					   1);
	/* E and F over IPv6. */
	if (!err)
		err = relay_set_local6(skel, sn6_ip);
	if (!err)
		err = relay_set_sender6(skel, e6_ip, E_PORT, COMMUNITY, mac_e);
	if (!err)
		err = relay_set_sender6(skel, f6_ip, F_PORT, COMMUNITY, mac_f);
	if (!err)
		err = relay_set_edge6(skel, COMMUNITY, mac_e, e6_ip, E_PORT);
	if (!err)
		err = relay_set_edge6(skel, COMMUNITY, mac_f, f6_ip, F_PORT);
	return err;
}

/* One captured UDP datagram with the Ethernet frame it came in. */
struct captured {
	struct udp_datagram d;
	const uint8_t *frame;
	size_t frame_len;
};

/* Reads every UDP datagram; returns how many, or -1. */
static int read_capture(struct capture_file *pf, struct captured *c, int max)
{
	int n = 0, ret;

	while (n < max && (ret = capture_next_udp(pf, &c[n].d)) == 1) {
		if (!pf->ethernet)
			return -1;
		c[n].frame = c[n].d.frame;
		c[n].frame_len = c[n].d.frame_len;
		n++;
	}
	return ret < 0 ? -1 : n;
}

/* A plaintext PACKET an edge sent to the supernode. */
static int is_edge_packet(const struct udp_datagram *d)
{
	const uint8_t *p = d->payload;

	return !d->ipv6 && d->dst_port == SN_PORT &&
	       d->len >= N2N_PACKET_HDR_SIZE && p[0] == N2N_PKT_VERSION &&
	       p[N2N_COMMON_SIZE - 1] == 0 &&
	       (p[N2N_COMMON_OFF_FLAGS + 1] & N2N_FLAGS_TYPE_MASK) ==
		       N2N_MSG_PACKET &&
	       !(p[N2N_COMMON_OFF_FLAGS + 1] & N2N_FLAGS_FROM_SUPERNODE);
}

/* The supernode's copy of in: 8 bytes longer, the same payload. */
static int is_relayed_copy(const struct udp_datagram *in,
			   const struct udp_datagram *d)
{
	return !d->ipv6 && d->src_port == SN_PORT &&
	       d->len == in->len + N2N_SOCK_SIZE_V4 &&
	       !memcmp(d->payload + N2N_PACKET_HDR_SIZE_SOCK - 2,
		       in->payload + N2N_PACKET_HDR_SIZE - 2,
		       in->len - N2N_PACKET_HDR_SIZE + 2);
}

static int ipv4_header_ok(const uint8_t *ip)
{
	return inet_csum(ip, IPV4_HLEN) == 0;
}

/* The output's IP/UDP fields and UDP payload are the relayed copy's. */
static int check_golden_output(const char *name, const struct captured *in,
			       const struct captured *relayed,
			       const struct run_out *out)
{
	const struct udp_datagram *want = &relayed->d;
	const uint8_t *eth = out->data, *ip = eth + ETH_HLEN;
	const uint8_t *udp = ip + IPV4_HLEN;

	if (out->len != in->frame_len + N2N_SOCK_SIZE_V4 ||
	    out->len < ETH_HLEN + IPV4_HLEN + UDP_HLEN + want->len) {
		fail(name, "output %u bytes from %zu", out->len, in->frame_len);
		return -1;
	}
	if (!mac_equal(eth, in->frame + MAC_SIZE) ||
	    !mac_equal(eth + MAC_SIZE, in->frame) ||
	    get_be16(ip + 2) != IPV4_HLEN + UDP_HLEN + want->len ||
	    ip[8] != relayed->frame[ETH_HLEN + 8] || ip[9] != IPPROTO_UDP ||
	    !ipv4_header_ok(ip) || memcmp(ip + 12, want->src_ip, 4) ||
	    memcmp(ip + 16, want->dst_ip, 4) ||
	    get_be16(udp) != want->src_port ||
	    get_be16(udp + 2) != want->dst_port ||
	    get_be16(udp + 4) != UDP_HLEN + want->len ||
	    frame_udp_csum_ok(out->data, out->len) !=
		    frame_udp_csum_ok(in->frame, in->frame_len)) {
		fail(name, "Ethernet/IP/UDP header not as relayed");
		return -1;
	}
	if (memcmp(udp + UDP_HLEN, want->payload, want->len)) {
		fail(name, "UDP payload differs from the captured relay");
		return -1;
	}
	return 0;
}

/*
 * The captures were taken on the lab's veths, where stock n2n's sockets
 * left the UDP checksum to an offload (CHECKSUM_PARTIAL: the field holds
 * the pseudo-header sum only), which the relay hands to the daemon
 * (checksum_partial). A wire delivers it finished: finish it in a copy.
 * Returns 1 when it was partial.
 */
static int finish_partial_csum(uint8_t *frame, size_t len)
{
	uint8_t *ip = frame + ETH_HLEN, *udp = ip + IPV4_HLEN;
	uint16_t ulen = get_be16(udp + 4);
	uint32_t pseudo = inet_csum_pseudo(ip + 12, 8, IPPROTO_UDP, ulen);
	uint16_t c;

	if (len < (size_t)ETH_HLEN + IPV4_HLEN + ulen ||
	    get_be16(udp + 6) != inet_csum_fold(pseudo))
		return 0;
	put_be16(udp + 6, 0);
	c = (uint16_t)~inet_csum_fold(inet_csum_add(pseudo, udp, ulen));
	put_be16(udp + 6, c ? c : 0xffff);
	return 1;
}

static int golden_partial; /* inputs finished by finish_partial_csum() */

/* One captured pair: the maps as the supernode had them, then the run. */
static int run_golden_pair(const struct xdp_relay *skel, const char *name,
			   const struct captured *in,
			   const struct captured *relayed)
{
	const uint8_t *p = in->d.payload;
	static struct run_out out; /* 2 KiB frame: off the stack */
	static uint8_t frame[BUF_MAX];
	struct captured fin = *in;
	int err;

	if (in->frame_len > sizeof(frame)) {
		fail(name, "frame of %zu bytes", in->frame_len);
		return -1;
	}
	memcpy(frame, in->frame, in->frame_len);
	golden_partial += finish_partial_csum(frame, in->frame_len);
	fin.frame = frame;
	in = &fin;

	err = relay_set_local(skel, in->d.dst_ip);
	if (!err)
		err = relay_set_sender(skel, in->d.src_ip, in->d.src_port,
				       VECTORS_NAME,
				       p + N2N_PACKET_OFF_SRC_MAC);
	if (!err)
		err = relay_set_edge(skel, VECTORS_NAME,
				     p + N2N_PACKET_OFF_DST_MAC,
				     relayed->d.dst_ip, relayed->d.dst_port);
	if (!err)
		err = run_prog(skel, in->frame, in->frame_len, 1, &out);
	if (err) {
		fail(name, "%s", strerror(-err));
		return -1;
	}
	/* Broadcasts (ARP) fan out in userspace: the program passes them. */
	if (p[N2N_PACKET_OFF_DST_MAC] & 1) {
		if (out.verdict == XDP_PASS)
			return GOLDEN_BROADCAST;
		fail(name, "broadcast: verdict %u, want XDP_PASS", out.verdict);
		return -1;
	}
	if (out.verdict != XDP_TX) {
		fail(name, "verdict %u, want XDP_TX", out.verdict);
		return -1;
	}
	return check_golden_output(name, in, relayed, &out);
}

/* Runs every pair of one capture; returns unicast pairs matched, or -1. */
static int run_golden_file(const struct xdp_relay *skel, const char *file)
{
	/* Static: a whole capture's datagrams, off the stack. */
	static struct captured c[MAX_DATAGRAMS];
	const char *dir = getenv("N2N_VECTORS");
	int n, i, j, ret, pairs = 0, bcast = 0, bad = 0;
	struct capture_file pf;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : VECTORS_DIR, file);
	if (capture_open(&pf, path)) {
		fail(file, "cannot read %s", path);
		return -1;
	}
	n = read_capture(&pf, c, MAX_DATAGRAMS);
	for (i = 0; i < n; i++) {
		if (!is_edge_packet(&c[i].d))
			continue;
		for (j = i + 1; j < n; j++)
			if (is_relayed_copy(&c[i].d, &c[j].d))
				break;
		if (j == n)
			continue;
		ret = run_golden_pair(skel, file, &c[i], &c[j]);
		if (ret < 0)
			bad = 1;
		else if (ret == GOLDEN_BROADCAST)
			bcast++;
		else
			pairs++;
	}
	capture_close(&pf);
	if (n < 0)
		fail(file, "malformed capture %s", path);
	printf("     %s: %d unicast pairs relayed byte for byte, "
	       "%d broadcasts passed (%d inputs with partial checksums "
	       "finished first)\n",
	       file, pairs, bcast, golden_partial);
	golden_partial = 0;
	return n < 0 || bad ? -1 : pairs;
}

static int run_golden(const struct xdp_relay *skel)
{
	int a4 = run_golden_file(skel, "A4-relay.pcap");
	int a3 = run_golden_file(skel, "A3-relay.pcap");

	if (a4 < 0 || a3 < 0)
		return -1;
	if (a4 + a3 < GOLDEN_MIN) {
		fail("golden", "only %d pairs, want >= %d", a4 + a3,
		     GOLDEN_MIN);
		return -1;
	}
	return 0;
}

/* A relay is 8 bytes longer; a pass or drop leaves the frame alone. */
static int mutant_output_ok(const struct run_out *out, const struct frame *f)
{
	if (out->verdict == XDP_TX)
		return out->len == f->len + N2N_SOCK_SIZE_V4;
	if (out->verdict != XDP_PASS && out->verdict != XDP_DROP)
		return 0;
	return out->len == f->len && !memcmp(out->data, f->data, f->len);
}

/* Runs one mutant; its XDP action in *action. */
static int run_mutant(const struct xdp_relay *skel, const struct frame *f,
		      uint32_t *action)
{
	static struct run_out out; /* 2 KiB frame: off the stack */
	int err = run_prog(skel, f->data, f->len, 1, &out);

	if (err) {
		fail("mutants", "test run: %s", strerror(-err));
		return -1;
	}
	if (!mutant_output_ok(&out, f)) {
		fail("mutants", "verdict %u, %u bytes from %zu", out.verdict,
		     out.len, f->len);
		return -1;
	}
	*action = out.verdict;
	return 0;
}

/*
 * The runs' actions against the counters they moved: a reason the relay
 * never gives (verdict NONE) stays 0, and each action was taken exactly
 * as often as its reasons were counted (XDP_DROP: the DROP rows, i.e.
 * ttl_expired; XDP_PASS: the DAEMON and STACK rows, no socket being
 * bound; XDP_TX: slot 0).
 */
static int check_mutant_counts(const struct n2nk_xdp_counter *before,
			       const struct n2nk_xdp_counter *after,
			       const uint64_t actions[XDP_REDIRECT + 1])
{
	uint64_t counted[XDP_REDIRECT + 1] = { 0 }, total = 0, d;
	int slot, bad = 0;
	uint32_t a;

	for (slot = 0; slot < N2NK_REASON_SLOTS; slot++) {
		d = after[slot].packets - before[slot].packets;
		total += d;
		if (n2nk_verdict(N2NK_LAYER_RELAY, -slot) ==
			    N2NK_VERDICT_NONE &&
		    d) {
			fail("mutants",
			     "%s counted %llu times, never a relay "
			     "reason",
			     n2nk_reason_name(-slot), (unsigned long long)d);
			bad = 1;
		}
		counted[xdp_action_of(-slot)] += d;
	}
	if (total != MUTANTS) {
		fail("mutants", "counted %llu of %d frames",
		     (unsigned long long)total, MUTANTS);
		return -1;
	}
	for (a = 0; a <= XDP_REDIRECT; a++)
		if (counted[a] != actions[a]) {
			fail("mutants",
			     "action %u taken %llu times, its reasons "
			     "counted %llu",
			     a, (unsigned long long)actions[a],
			     (unsigned long long)counted[a]);
			bad = 1;
		}
	return bad ? -1 : 0;
}

/*
 * The relayed frame with one header byte (or a cut) changed at random:
 * no run may fail, and each is counted exactly once, under a reason whose
 * verdict is the action taken.
 */
static int run_mutants(const struct xdp_relay *skel)
{
	struct n2nk_xdp_counter before[N2NK_REASON_SLOTS];
	struct n2nk_xdp_counter after[N2NK_REASON_SLOTS];
	uint64_t actions[XDP_REDIRECT + 1] = { 0 };
	uint32_t x = 0x6e326b, action = 0;
	struct frame f;
	int i, bad = 0;

	if (read_stats(skel, before))
		return -1;
	for (i = 0; i < MUTANTS && !bad; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		frame_init(&f);
		build_good(&f);
		if (x & 1)
			frame_cut(&f, ETH_HLEN + (x >> 8) % (f.len - ETH_HLEN));
		else
			f.data[(x >> 8) % RELAY_MUTATED_LEN] ^= 1
								<< (x >> 4) % 8;
		bad = run_mutant(skel, &f, &action);
		if (!bad)
			actions[action]++; /* TX, PASS or DROP: checked */
	}
	if (bad || read_stats(skel, after))
		return -1;
	return check_mutant_counts(before, after, actions);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The relayed path's single runs by their median and minimum: each
 * run's duration is the kernel's, but a busy shared machine spreads the
 * mean; the median is what compares across builds.
 */
static void print_median_cost(const struct xdp_relay *skel,
			      const struct frame *f)
{
	static uint32_t d[BENCH_RUNS];
	static struct run_out out;
	int i;

	for (i = 0; i < BENCH_RUNS; i++) {
		if (run_prog(skel, f->data, f->len, 1, &out))
			return;
		d[i] = out.duration;
	}
	qsort(d, BENCH_RUNS, sizeof(d[0]), cmp_u32);
	printf("     cost: relayed, median %u ns, minimum %u ns (%d single "
	       "runs)\n",
	       d[BENCH_RUNS / 2], d[0], BENCH_RUNS);
}

/*
 * Lookup cost against the registry's size: the relayed path's median at
 * 10 and at 10,000 registered edges (100 communities of 100, each with its
 * senders, edges and edge_stats entries, as the mirror makes them), in
 * one run, each frame from another edge (keys spread over the maps).
 */
#define SCALE_SMALL 10
#define SCALE_LARGE 10000
#define SCALE_RUNS  20000

static void scale_edge(int i, uint8_t ip[4], uint8_t mac[MAC_SIZE],
		       char community[N2N_COMMUNITY_SIZE])
{
	ip[0] = 10;
	ip[1] = (uint8_t)(i >> 16);
	ip[2] = (uint8_t)(i >> 8);
	ip[3] = (uint8_t)i;
	mac[0] = 0x02;
	mac[1] = 0x5c;
	mac[2] = 0;
	mac[3] = (uint8_t)(i >> 16);
	mac[4] = (uint8_t)(i >> 8);
	mac[5] = (uint8_t)i;
	snprintf(community, N2N_COMMUNITY_SIZE, "scale%d", i / 100);
}

/* Edge i's senders and edges entries with slot i + 1, its counters
 * zeroed, as the mirror makes them. */
static int scale_put(const struct xdp_relay *skel, int i)
{
	static struct n2nk_relay_edge_stats zero[512]; /* per possible CPU */
	struct n2nk_relay_sender snd = { .slot = (__u32)i + 1 };
	struct n2nk_relay_dest d = { .slot = (__u32)i + 1 };
	char comm[N2N_COMMUNITY_SIZE];
	uint8_t ip[4], mac[MAC_SIZE];
	int ncpu = libbpf_num_possible_cpus();
	struct n2nk_relay_sock4 s;

	if (ncpu < 1 || ncpu > 512)
		return -1;
	scale_edge(i, ip, mac, comm);
	relay_put_edge_key(&snd.edge, comm, mac);
	relay_put_sock(&s, ip, A_PORT);
	d.sock = s;
	d.expires_ns = UINT64_MAX;
	return bpf_map__update_elem(skel->maps.senders, &s, sizeof(s), &snd,
				    sizeof(snd), BPF_ANY) ||
	       bpf_map__update_elem(skel->maps.edges, &snd.edge,
				    sizeof(snd.edge), &d, sizeof(d), BPF_ANY) ||
	       bpf_map__update_elem(skel->maps.edge_stats, &d.slot,
				    sizeof(d.slot), zero,
				    (size_t)ncpu * sizeof(zero[0]), BPF_ANY);
}

static int scale_fill(const struct xdp_relay *skel, int from, int to)
{
	int i, err = 0;

	for (i = from; i < to && !err; i++)
		err = scale_put(skel, i);
	return err;
}

/* The median ns of SCALE_RUNS relayed frames among the first n edges
 * (each from edge i to its neighbour i ^ 1, same community), or 0. */
static uint32_t scale_median(const struct xdp_relay *skel, int n)
{
	static uint32_t d[SCALE_RUNS];
	static struct run_out out;
	char comm[N2N_COMMUNITY_SIZE];
	uint8_t ip[4], mac[MAC_SIZE], peer_ip[4], peer[MAC_SIZE];
	struct pkt_spec s = good_spec();
	struct frame f;
	int r, i;

	for (r = 0; r < SCALE_RUNS; r++) {
		i = (int)(((unsigned int)r * 7919u) % (unsigned int)n);
		scale_edge(i ^ 1, peer_ip, peer, comm);
		scale_edge(i, ip, mac, comm);
		s.ip_src = ip;
		s.community = comm;
		s.src_mac = mac;
		s.dst_mac = peer;
		frame_init(&f);
		build_spec(&f, &s);
		if (run_prog(skel, f.data, f.len, 1, &out) ||
		    out.verdict != XDP_TX)
			return 0;
		d[r] = out.duration;
	}
	qsort(d, SCALE_RUNS, sizeof(d[0]), cmp_u32);
	return d[SCALE_RUNS / 2];
}

static void print_scale_cost(const struct xdp_relay *skel)
{
	uint32_t small, large, hot;

	if (scale_fill(skel, 0, SCALE_SMALL))
		return;
	small = scale_median(skel, SCALE_SMALL);
	if (scale_fill(skel, SCALE_SMALL, SCALE_LARGE))
		return;
	large = scale_median(skel, SCALE_LARGE);
	/* The same maps, traffic among 10 of them again: what the large
	 * figure owes to the maps' size (buckets, collisions) and what to
	 * the entries touched (caches). */
	hot = scale_median(skel, SCALE_SMALL);
	printf("     cost: relayed, median %u ns at %d edges, %u ns at %d "
	       "(%d single runs each, senders spread); %u ns at %d with "
	       "traffic among %d of them\n",
	       small, SCALE_SMALL, large, SCALE_LARGE, SCALE_RUNS, hot,
	       SCALE_LARGE, SCALE_SMALL);
}

/*
 * Informational cost. .repeat reruns the program on the buffer the
 * previous run left, so it is only meaningful for a verdict that leaves
 * the frame alone (unknown destination: the full parse and both lookups);
 * the rewrite is timed as BENCH_RUNS single runs instead.
 */
static void print_cost(const struct xdp_relay *skel)
{
	static struct run_out out; /* 2 KiB frame: off the stack */
	uint64_t total = 0;
	struct frame f;
	int i;

	frame_init(&f);
	build_unknown_dest(&f);
	if (!run_prog(skel, f.data, f.len, BENCH_RUNS, &out))
		printf("     cost: %u ns/packet up to the lookups (repeat "
		       "%d)\n",
		       out.duration, BENCH_RUNS);
	frame_init(&f);
	build_good(&f);
	for (i = 0; i < BENCH_RUNS; i++) {
		if (run_prog(skel, f.data, f.len, 1, &out))
			return;
		total += out.duration;
	}
	printf("     cost: %.1f ns/packet relayed (%d single runs)\n",
	       (double)total / BENCH_RUNS, BENCH_RUNS);
	print_median_cost(skel, &f);
	print_scale_cost(skel);
}

/*
 * Next hops from relay_hops (IPv4 forwarding off). A test run's frame
 * arrives on the loopback device, so an entry for the way it came in
 * names ifindex 1.
 */
#define TEST_RUN_IFINDEX 1

static const uint8_t hop_eth[MAC_SIZE] = { 0x02, 0x4e, 0x00, 0x00, 0x00, 0x0b };
static const uint8_t own_eth[MAC_SIZE] = { 0x02, 0x5e, 0x00, 0x00, 0x00, 0x02 };

/* What the relay sends B, to the Ethernet addresses relay_hops gives. */
static void expect_hop_relayed(struct frame *f)
{
	expect_relayed(f);
	memcpy(f->data, hop_eth, MAC_SIZE);
	memcpy(f->data + MAC_SIZE, own_eth, MAC_SIZE);
}

struct hop_case {
	struct relay_case run;
	bool present; /* relay_hops has an entry for B's address */
	__u32 ifindex, mtu;
	__u64 expires_ns;
	bool mtu_exact; /* mtu: the relayed datagram's length */
};

/* B's entry in relay_hops: through interface ifx until exp. */
#define HOP(ifx, exp) .present = true, .ifindex = (ifx), .expires_ns = (exp)

static const struct hop_case hop_cases[] = {
	{ .run = { "relay hops: B's next hop on the way in: TX to its MACs",
		   build_good, RELAYED(expect_hop_relayed) },
	  HOP(TEST_RUN_IFINDEX, UINT64_MAX) },
	{ .run = { "relay hops: no entry for B yet: daemon", build_good,
		   PASSED(N2NK_NO_NEIGHBOUR) } },
	{ .run = { "relay hops: B's entry expired: daemon", build_good,
		   PASSED(N2NK_NO_NEIGHBOUR) },
	  HOP(TEST_RUN_IFINDEX, 1) },
	{ .run = { "relay hops: B's route leaves by another interface",
		   build_good, PASSED(N2NK_OTHER_INTERFACE) },
	  HOP(TEST_RUN_IFINDEX + 1000, UINT64_MAX) },
	{ .run = { "relay hops: longer than B's route MTU", build_good,
		   PASSED(N2NK_FRAG_NEEDED) },
	  HOP(TEST_RUN_IFINDEX, UINT64_MAX),
	  .mtu = 100 },
	{ .run = { "relay hops: exactly B's route MTU", build_good,
		   RELAYED(expect_hop_relayed) },
	  HOP(TEST_RUN_IFINDEX, UINT64_MAX),
	  .mtu_exact = true },
};

#define N_HOP_CASES (sizeof(hop_cases) / sizeof(hop_cases[0]))

/* The relayed datagram's IP length: the edge's one plus the socket. */
static __u32 relayed_ip_len(void)
{
	struct frame f;

	frame_init(&f);
	build_good(&f);
	return (__u32)(f.len - ETH_HLEN + N2N_SOCK_SIZE_V4);
}

static int run_hop_case(const struct xdp_relay *skel, const struct hop_case *hc)
{
	struct n2nk_relay_hop v = { .ifindex = hc->ifindex,
				    .mtu = hc->mtu,
				    .expires_ns = hc->expires_ns };
	__be32 addr;
	int err;

	memcpy(&addr, b_ip, sizeof(addr));
	memcpy(v.dmac, hop_eth, MAC_SIZE);
	memcpy(v.smac, own_eth, MAC_SIZE);
	if (hc->mtu_exact)
		v.mtu = relayed_ip_len();
	err = hc->present ? bpf_map__update_elem(skel->maps.relay_hops, &addr,
						 sizeof(addr), &v, sizeof(v),
						 BPF_ANY)
			  : bpf_map__delete_elem(skel->maps.relay_hops, &addr,
						 sizeof(addr), 0);
	if (err && !(errno == ENOENT && !hc->present)) {
		fail(hc->run.name, "relay_hops: %s", strerror(errno));
		return -1;
	}
	return run_case(skel, &hc->run);
}

/*
 * Egress by another interface: B's route leaves by a real interface of
 * this namespace other than the loopback (the test run's way in), which
 * is in egress_ifs or not. A redirect in a test run only returns
 * XDP_REDIRECT; the frame goes nowhere.
 */
/* Another address of ours, and one that is not. */
static const uint8_t sn_ip2[4] = { 192, 0, 2, 2 };
static const uint8_t not_ours_ip[4] = { 198, 51, 100, 1 };

/* Redirected from sn_ip2, the route's source address. */
static void expect_egress_from_ip2(struct frame *f)
{
	struct pkt_spec s = good_spec();

	s.ttl--;
	s.flags_type |= N2N_FLAGS_SOCKET | N2N_FLAGS_FROM_SUPERNODE;
	frame_eth_macs(f, hop_eth, own_eth, ETH_P_IP);
	frame_ipv4(f, IPPROTO_UDP);
	frame_ipv4_addrs(f, sn_ip2, b_ip);
	frame_udp(f, s.sn_port, B_PORT);
	put_n2n_packet(f, &s);
	frame_finish(f);
}

struct egress_case {
	struct relay_case run;
	const uint8_t *src; /* relay_hops' source address for B, or NULL */
	bool in_devmap;	    /* the other interface is in egress_ifs */
	bool other;	    /* B's hop leaves by it, else by the loopback */
	__u32 slot;	    /* egress_stats slot that grows by one, or: */
	bool no_egress;	    /* none grows (not relayed) */
};

static const struct egress_case egress_cases[] = {
	{ .run = { "relay egress: another interface in egress_ifs: "
		   "redirected to B's MACs",
		   build_good, XDP_REDIRECT, N2NK_OK, expect_hop_relayed, 0 },
	  .in_devmap = true,
	  .other = true,
	  .slot = N2NK_RELAY_EGRESS_REDIRECT },
	{ .run = { "relay egress: another interface not in egress_ifs: "
		   "daemon",
		   build_good, PASSED(N2NK_OTHER_INTERFACE) },
	  .other = true,
	  .no_egress = true },
	{ .run = { "relay egress: the way it came in: XDP_TX, counted as tx",
		   build_good, RELAYED(expect_hop_relayed) },
	  .in_devmap = true,
	  .slot = N2NK_RELAY_EGRESS_TX },
	{ .run = { "relay egress: redirected from the route's source address "
		   "when it is ours",
		   build_good, XDP_REDIRECT, N2NK_OK, expect_egress_from_ip2,
		   0 },
	  .src = sn_ip2,
	  .in_devmap = true,
	  .other = true,
	  .slot = N2NK_RELAY_EGRESS_REDIRECT },
	{ .run = { "relay egress: a route source not ours: from the address "
		   "it came to",
		   build_good, XDP_REDIRECT, N2NK_OK, expect_hop_relayed, 0 },
	  .src = not_ours_ip,
	  .in_devmap = true,
	  .other = true,
	  .slot = N2NK_RELAY_EGRESS_REDIRECT },
	{ .run = { "relay egress: the way it came in keeps its address",
		   build_good, RELAYED(expect_hop_relayed) },
	  .src = sn_ip2,
	  .in_devmap = true,
	  .slot = N2NK_RELAY_EGRESS_TX },
};

#define N_EGRESS_CASES (sizeof(egress_cases) / sizeof(egress_cases[0]))

/* A real interface but the loopback (a devmap takes only those), or 0. */
static __u32 other_ifindex(void)
{
	struct if_nameindex *all = if_nameindex(), *i;
	__u32 found = 0;

	for (i = all; i && i->if_index && !found; i++)
		if (i->if_index != TEST_RUN_IFINDEX)
			found = i->if_index;
	if (all)
		if_freenameindex(all);
	return found;
}

static int egress_sum(const struct xdp_relay *skel,
		      __u64 out[N2NK_RELAY_EGRESS_SLOTS])
{
	struct n2nk_xdp_counter c;
	__u32 slot;
	int err;

	for (slot = 0; slot < N2NK_RELAY_EGRESS_SLOTS; slot++) {
		err = xdp_counter_sum(skel->maps.egress_stats, slot, &c);
		if (err)
			return err;
		out[slot] = c.packets;
	}
	return 0;
}

static int egress_setup(const struct xdp_relay *skel,
			const struct egress_case *ec, __u32 other)
{
	struct n2nk_relay_hop v = { .ifindex = ec->other ? other
							 : TEST_RUN_IFINDEX,
				    .expires_ns = UINT64_MAX };
	__be32 addr;

	memcpy(&addr, b_ip, sizeof(addr));
	memcpy(v.dmac, hop_eth, MAC_SIZE);
	memcpy(v.smac, own_eth, MAC_SIZE);
	if (ec->src)
		memcpy(&v.src, ec->src, sizeof(v.src));
	if (bpf_map__update_elem(skel->maps.relay_hops, &addr, sizeof(addr), &v,
				 sizeof(v), BPF_ANY) ||
	    relay_set_local(skel, sn_ip2))
		return -errno;
	if (ec->in_devmap)
		return bpf_map__update_elem(skel->maps.egress_ifs, &other,
					    sizeof(other), &other,
					    sizeof(other), BPF_ANY)
			       ? -errno
			       : 0;
	if (bpf_map__delete_elem(skel->maps.egress_ifs, &other, sizeof(other),
				 0) &&
	    errno != ENOENT)
		return -errno;
	return 0;
}

static int run_egress_case(const struct xdp_relay *skel,
			   const struct egress_case *ec, __u32 other)
{
	__u64 before[N2NK_RELAY_EGRESS_SLOTS], after[N2NK_RELAY_EGRESS_SLOTS];
	__u32 slot;
	int err;

	if (!other)
		return CASE_SKIPPED; /* no interface but the loopback */
	err = egress_setup(skel, ec, other);
	if (!err)
		err = egress_sum(skel, before);
	if (err) {
		fail(ec->run.name, "maps: %s", strerror(-err));
		return -1;
	}
	err = run_case(skel, &ec->run);
	if (err || egress_sum(skel, after))
		return err ? err : -1;
	for (slot = 0; slot < N2NK_RELAY_EGRESS_SLOTS; slot++)
		if (after[slot] - before[slot] !=
		    (!ec->no_egress && slot == ec->slot)) {
			fail(ec->run.name, "egress_stats slot %u grew by %llu",
			     slot,
			     (unsigned long long)(after[slot] - before[slot]));
			return -1;
		}
	return 0;
}

static struct xdp_relay *load_relay_hops(uint16_t port, __u8 next_hop)
{
	struct xdp_relay *skel = xdp_relay__open();

	if (!skel)
		return NULL;
	skel->rodata->sn_port = port;
	skel->rodata->next_hop = next_hop;
	if (xdp_relay__load(skel) || register_edges(skel)) {
		xdp_relay__destroy(skel);
		return NULL;
	}
	return skel;
}

static void run_hop_cases(struct suite_tally *t)
{
	struct xdp_relay *skel = load_relay_hops(SN_PORT, N2NK_RELAY_HOP_MAP);
	size_t i;

	if (!skel) {
		suite_record(t, "relay hops: load and fill maps", -1);
		return;
	}
	for (i = 0; i < N_HOP_CASES; i++)
		suite_record(t, hop_cases[i].run.name,
			     run_hop_case(skel, &hop_cases[i]));
	for (i = 0; i < N_EGRESS_CASES; i++)
		suite_record(t, egress_cases[i].run.name,
			     run_egress_case(skel, &egress_cases[i],
					     other_ifindex()));
	xdp_relay__destroy(skel);
}

static struct xdp_relay *load_relay(uint16_t port)
{
	struct xdp_relay *skel = xdp_relay__open();

	if (!skel)
		return NULL;
	skel->rodata->sn_port = port;
	skel->rodata->next_hop = N2NK_RELAY_HOP_BACK; /* never leave */
	skel->rodata->next_hop6 = N2NK_RELAY_HOP_BACK;
	if (xdp_relay__load(skel) || register_edges(skel)) {
		xdp_relay__destroy(skel);
		return NULL;
	}
	return skel;
}

/* ---- the daemon's mirror (xdp_relay_mirror.c) filling the maps ---- */

static void sa6(struct sockaddr_storage *ss, const uint8_t ip[16],
		uint16_t port)
{
	struct sockaddr_in6 *in6 = (void *)ss;

	memset(ss, 0, sizeof(*ss));
	in6->sin6_family = AF_INET6;
	in6->sin6_port = htons(port);
	memcpy(&in6->sin6_addr, ip, 16);
}

/* ::ffff:ip, as a dual-stack socket reports an IPv4 peer. */
static void sa6_mapped(struct sockaddr_storage *ss, const uint8_t ip[4],
		       uint16_t port)
{
	uint8_t m[16] = { 0 };

	m[10] = m[11] = 0xff;
	memcpy(m + 12, ip, 4);
	sa6(ss, m, port);
}

/* A frame run through r's program: verdict and reason as the case says,
 * output as expect builds it (NULL: unchanged). */
static int mirror_run(struct xdp_relay_loader *r, const struct relay_case *c)
{
	return run_case(r->skel, c);
}

/* The relayed frame counted by slot: E sent it, F got it (F's counts
 * kept when it moves to IPv4, min_to); distinct slots. */
static int mirror_counts(struct xdp_relay_loader *r, uint64_t min_to)
{
	struct n2nk_relay_edge_stats e, f;
	struct n2nk_relay_edge ke, kf;

	relay_put_edge_key(&ke, COMMUNITY, mac_e);
	relay_put_edge_key(&kf, COMMUNITY, mac_f);
	if (xdp_relay_loader_edge_stats(r, COMMUNITY, mac_e, &e) ||
	    xdp_relay_loader_edge_stats(r, COMMUNITY, mac_f, &f)) {
		fail("relay mirror counts", "edge_stats: %s", strerror(errno));
		return -1;
	}
	if (!e.from_packets || e.to_packets || f.from_packets ||
	    f.to_packets < min_to || f.to_packets != e.from_packets) {
		fail("relay mirror counts",
		     "E from %llu to %llu, F from %llu to %llu",
		     (unsigned long long)e.from_packets,
		     (unsigned long long)e.to_packets,
		     (unsigned long long)f.from_packets,
		     (unsigned long long)f.to_packets);
		return -1;
	}
	return 0;
}

static const struct relay_case mirror_relayed = {
	"relay mirror: E, F set over IPv6 by edge_set: relayed", build6_good,
	RELAYED(expect6_relayed)
};
static const struct relay_case mirror_other = {
	"relay mirror: F moved to ::ffff:IPv4: other_family", build6_good,
	PASSED(N2NK_OTHER_FAMILY)
};
static const struct relay_case mirror_gone = {
	"relay mirror: E deleted: unknown_sender", build6_good,
	PASSED(N2NK_UNKNOWN_SENDER)
};

/* Whether key is in map (0/1), or -1. */
static int has_key(struct bpf_map *m, const void *key, size_t len)
{
	uint8_t v[64];

	return !bpf_map__lookup_elem(m, key, len, v, bpf_map__value_size(m), 0);
}

/* F moved to IPv4: edges holds it, edges6 and senders6 no longer. */
static int mirror_moved(struct xdp_relay_loader *r)
{
	struct n2nk_relay_sock6 f6 = { 0 };
	struct n2nk_relay_sock4 b4;
	struct n2nk_relay_edge kf;

	relay_put_edge_key(&kf, COMMUNITY, mac_f);
	relay_put_sock(&b4, b_ip, B_PORT);
	memcpy(f6.addr, f6_ip, 16);
	f6.port = htons(F_PORT);
	return has_key(r->skel->maps.edges, &kf, sizeof(kf)) &&
			       has_key(r->skel->maps.senders, &b4,
				       sizeof(b4)) &&
			       !has_key(r->skel->maps.edges6, &kf,
					sizeof(kf)) &&
			       !has_key(r->skel->maps.senders6, &f6, sizeof(f6))
		       ? 0
		       : -1;
}

/* F again over IPv6, its registration over at once: the sweep takes it
 * and its senders6 entry. */
/* no_batch: the walk of a kernel without batch lookups. */
static int mirror_sweep6(struct xdp_relay_loader *r, bool no_batch)
{
	struct n2nk_relay_edge_stats st;
	struct n2nk_relay_sock6 f6 = { 0 };
	struct sockaddr_storage ss;
	struct xdp_relay_why why;
	struct n2nk_relay_edge kf;
	unsigned int swept = 0;

	relay_put_edge_key(&kf, COMMUNITY, mac_f);
	memcpy(f6.addr, f6_ip, 16);
	f6.port = htons(F_PORT);
	sa6(&ss, f6_ip, F_PORT);
	if (xdp_relay_loader_edge_set(r, COMMUNITY, mac_f, &ss, 0, &why) ||
	    !has_key(r->skel->maps.edges6, &kf, sizeof(kf)))
		return -1;
	usleep(1000);
	r->no_batch = no_batch;
	if (xdp_relay_loader_sweep(r, &swept, &why) || swept != 1)
		return -1;
	return has_key(r->skel->maps.edges6, &kf, sizeof(kf)) ||
			       has_key(r->skel->maps.senders6, &f6,
				       sizeof(f6)) ||
			       !xdp_relay_loader_edge_stats(r, COMMUNITY, mac_f,
							    &st)
		       ? -1
		       : 0;
}

static void run_mirror_cases(struct suite_tally *t)
{
	struct xdp_relay_loader *r = calloc(1, sizeof(*r));
	struct sockaddr_storage ss;
	struct xdp_relay_why why;
	int err = !r;

	if (r)
		r->skel = xdp_relay__open();
	if (r && r->skel) {
		r->skel->rodata->next_hop = N2NK_RELAY_HOP_BACK;
		r->skel->rodata->next_hop6 = N2NK_RELAY_HOP_BACK;
		err = xdp_relay__load(r->skel) ||
		      relay_set_local6(r->skel, sn6_ip);
	}
	sa6(&ss, e6_ip, E_PORT);
	if (!err)
		err = xdp_relay_loader_edge_set(r, COMMUNITY, mac_e, &ss, 60000,
						&why);
	sa6(&ss, f6_ip, F_PORT);
	if (!err)
		err = xdp_relay_loader_edge_set(r, COMMUNITY, mac_f, &ss, 60000,
						&why);
	suite_record(t, mirror_relayed.name,
		     err ? -1 : mirror_run(r, &mirror_relayed));
	suite_record(t, "relay mirror: counted by slot, from E and to F",
		     err ? -1 : mirror_counts(r, 1));
	sa6_mapped(&ss, b_ip, B_PORT);
	err = err ||
	      xdp_relay_loader_edge_set(r, COMMUNITY, mac_f, &ss, 60000, &why);
	suite_record(t, "relay mirror: ::ffff:IPv4 goes in edges, not edges6",
		     err ? -1 : mirror_moved(r));
	suite_record(t, "relay mirror: F's slot and counts move with it",
		     err ? -1 : mirror_counts(r, 1));
	suite_record(t, mirror_other.name,
		     err ? -1 : mirror_run(r, &mirror_other));
	err = err || xdp_relay_loader_edge_del(r, COMMUNITY, mac_e, &why);
	suite_record(t, mirror_gone.name,
		     err ? -1 : mirror_run(r, &mirror_gone));
	suite_record(t, "relay mirror: an expired IPv6 edge is swept",
		     err ? -1 : mirror_sweep6(r, false));
	suite_record(t, "relay mirror: swept without batch lookups too",
		     err ? -1 : mirror_sweep6(r, true));
	if (r) {
		xrl_slots_close(r);
		xdp_relay__destroy(r->skel);
	}
	free(r);
}

void suite_xdp_relay(struct suite_tally *t)
{
	struct xdp_relay *skel = load_relay(SN_PORT);
	struct xdp_relay *knob = load_relay(KNOB_PORT);
	size_t i;

	if (!skel || !knob) {
		suite_record(t, "relay: load and fill maps", -1);
		xdp_relay__destroy(skel);
		xdp_relay__destroy(knob);
		return;
	}
	for (i = 0; i < N_CASES; i++)
		suite_record(
			t, cases[i].name,
			run_case(cases[i].sn_port ? knob : skel, &cases[i]));
	suite_record(t, "relay: mutated frames, each counted once as acted on",
		     run_mutants(skel));
	suite_record(t, "relay: golden n2n 3.1.1 relay captures",
		     run_golden(skel));
	print_cost(skel);
	xdp_relay__destroy(skel);
	xdp_relay__destroy(knob);
	run_hop_cases(t);
	run_mirror_cases(t);
}
