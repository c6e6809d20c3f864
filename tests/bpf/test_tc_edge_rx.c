// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF_PROG_TEST_RUN tests of edge_rx (bpf/lib/edge_rx.h), the edge's
 * kernel receive path, with test_tc_edge.c's cases: PACKETs made by the
 * daemon's encoder, straight from a peer or relayed by the supernode,
 * must come out as exactly the frame inside; anything else, also what the
 * program decrypted before it turned it down, must go on byte for byte as
 * it came. Then thousands of mutated PACKETs, judged by the daemon's own
 * decoder.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/in.h>
#include <linux/pkt_cls.h>

#include "common/compiler.h"
#include "edge/mss_clamp.h"
#include "suites.h"
#include "tc_edge_harness.h"

#define MUTANTS 3000
/* The bytes most mutants change: every header and the inner IPv4 one. */
#define MUTATED_HEAD \
	(N2N_AT + N2N_PACKET_HDR_SIZE_SOCK + IV_LEN + ETH_HLEN + IPV4_HLEN)

static const uint8_t relayed_ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 13 };

/* ---- edge_rx ---- */

static void t_len_1400(struct pkt_spec *s)
{
	s->inner.len = 1400;
}

static void t_tiny(struct pkt_spec *s)
{
	s->inner.kind = IN_UDP4;
	s->inner.len = 42;
}

static void t_inner_ipv6(struct pkt_spec *s)
{
	s->inner.kind = IN_UDP6;
}

static void t_inner_arp(struct pkt_spec *s)
{
	s->inner.kind = IN_ARP;
	s->inner.len = 60;
}

/* 24 bytes: adjust_room leaves no less than an IPv4 header's 20. */
static void t_inner_short(struct pkt_spec *s)
{
	s->inner.kind = IN_SHORT;
	s->inner.len = 24;
}

static void t_other_dst_mac(struct pkt_spec *s)
{
	s->msg.dst_mac = mac_stranger;
	s->inner.dst = mac_stranger;
}

static void t_sock_ipv6(struct pkt_spec *s)
{
	s->msg.sock.ipv6 = true;
	memcpy(s->msg.sock.addr, relayed_ip6, sizeof(relayed_ip6));
}

static void t_from_p2p_peer(struct pkt_spec *s)
{
	s->msg.src_mac = s->inner.src = mac_p2p;
	s->msg.sock.port = P2P_PORT;
	memcpy(s->msg.sock.addr, p2p_ip, 4);
}

static void t_foreign_dst(struct pkt_spec *s)
{
	s->inner.ip_dst = other_vip;
}

static void t_community(struct pkt_spec *s)
{
	s->msg.community = "otherNet";
}

static void t_unknown_sender(struct pkt_spec *s)
{
	s->msg.src_mac = s->inner.src = mac_stranger;
}

static void t_idle_sender(struct pkt_spec *s)
{
	s->msg.src_mac = s->inner.src = mac_idle;
}

static void t_other_port(struct pkt_spec *s)
{
	s->src_port = P2P_PORT + 1;
}

static void t_other_addr(struct pkt_spec *s)
{
	s->ip_src = stranger_ip;
}

/* The relayed peer straight from its socket: not a P2P path (yet). */
static void t_relayed_direct(struct pkt_spec *s)
{
	s->ip_src = relayed_ip;
	s->src_port = RELAYED_PORT;
	s->msg.src_mac = s->inner.src = mac_relayed;
}

static void t_sn_other_port(struct pkt_spec *s)
{
	s->src_port = SN_PORT + 1;
}

static void t_socket_no_sn(struct pkt_spec *s)
{
	s->msg.flags = N2N_FLAGS_SOCKET;
	s->msg.sock.port = P2P_PORT;
	memcpy(s->msg.sock.addr, p2p_ip, 4);
}

static void t_transform(struct pkt_spec *s)
{
	s->msg.transform = N2N_TRANSFORM_TWOFISH; /* no kernel program has it */
}

static void t_lzo(struct pkt_spec *s)
{
	s->msg.compression = N2N_COMPRESSION_LZO;
}

static void t_register(struct pkt_spec *s)
{
	s->msg.type = N2N_MSG_REGISTER;
}

static void t_broadcast(struct pkt_spec *s)
{
	s->msg.dst_mac = s->inner.dst = mac_bcast;
}

/* A unicast PACKET for us around an mDNS frame: the daemon takes IP
 * multicast only with -E, whatever the PACKET's dstMac says. */
static void t_inner_mcast(struct pkt_spec *s)
{
	s->inner.dst = mac_mcast;
}

static void c_multicast(struct n2nk_edge_conf *c)
{
	c->accept_multicast = 1;
}

static void t_syn4(struct pkt_spec *s)
{
	s->inner.kind = IN_SYN4;
	s->inner.len = 80;
}

static void t_syn6(struct pkt_spec *s)
{
	s->inner.kind = IN_SYN6;
	s->inner.len = 100;
}

static void t_inner_source(struct pkt_spec *s)
{
	s->inner.src = mac_stranger;
}

static void t_wrong_port(struct pkt_spec *s)
{
	s->dst_port = LOCAL_PORT + 1;
}

static void t_not_local(struct pkt_spec *s)
{
	s->ip_dst = stranger_ip;
}

static void t_ip_options(struct pkt_spec *s)
{
	s->ip_options = 1;
}

static void t_outer_ipv6(struct pkt_spec *s)
{
	s->ethertype = ETH_P_IPV6;
}

static void t_not_udp(struct pkt_spec *s)
{
	s->ip_proto = IPPROTO_TCP;
}

/* -H: a random IV where the common header was, version 3 by chance. */
static void m_header_encrypted(struct frame *f,
			       const struct env *e __maybe_unused)
{
	struct frame r;

	frame_init(&r);
	frame_put_random(&r, N2N_COMMON_SIZE, 0xc0ffee);
	memcpy(f->data + N2N_AT, r.data, N2N_COMMON_SIZE);
	f->data[N2N_AT] = N2N_PKT_VERSION;
	f->data[N2N_AT + N2N_COMMON_SIZE - 1] |= 1;
	frame_finish(f);
}

static void m_version_2(struct frame *f, const struct env *e __maybe_unused)
{
	f->data[N2N_AT] = 2;
	frame_finish(f);
}

static void m_cut_ip(struct frame *f, const struct env *e __maybe_unused)
{
	frame_cut(f, ETH_HLEN + 12);
}

static void m_cut_udp(struct frame *f, const struct env *e __maybe_unused)
{
	frame_cut(f, ETH_HLEN + IPV4_HLEN + 4);
}

/* Cut after the lengths were written: IP says more than there is. */
static void m_cut_payload(struct frame *f, const struct env *e __maybe_unused)
{
	frame_cut(f, f->len - 10);
}

/* The rest cut with consistent lengths, at the n2n field named. */
static void m_cut_common(struct frame *f, const struct env *e __maybe_unused)
{
	frame_cut(f, N2N_AT + N2N_COMMON_SIZE - 4);
	frame_finish(f);
}

static void m_cut_packet_header(struct frame *f,
				const struct env *e __maybe_unused)
{
	frame_cut(f, N2N_AT + N2N_PACKET_OFF_SOCK + 1);
	frame_finish(f);
}

static void m_cut_socket(struct frame *f, const struct env *e __maybe_unused)
{
	frame_cut(f, N2N_AT + N2N_PACKET_HDR_SIZE + 4);
	frame_finish(f);
}

static void m_cut_iv(struct frame *f, const struct env *e __maybe_unused)
{
	frame_cut(f, N2N_AT + N2N_PACKET_HDR_SIZE + 8);
	frame_finish(f);
}

static void m_cut_inner_eth(struct frame *f, const struct env *e __maybe_unused)
{
	frame_cut(f, N2N_AT + N2N_PACKET_HDR_SIZE + e->iv_len + ETH_HLEN - 4);
	frame_finish(f);
}

static void m_udp_length(struct frame *f, const struct env *e __maybe_unused)
{
	f->data[f->l4_off + 5] ^= 1;
}

static void m_first_fragment(struct frame *f,
			     const struct env *e __maybe_unused)
{
	f->data[f->l3_off + 6] = 0x20; /* MF, offset 0 */
	frame_finish(f);
}

static void m_later_fragment(struct frame *f,
			     const struct env *e __maybe_unused)
{
	f->data[f->l3_off + 6] = 0x00;
	f->data[f->l3_off + 7] = 0xb9;
	frame_finish(f);
}

static void m_ip_version_5(struct frame *f, const struct env *e __maybe_unused)
{
	f->data[f->l3_off] = 0x55;
	frame_finish(f);
}

static void m_outer_arp(struct frame *f, const struct env *e __maybe_unused)
{
	f->data[12] = ETH_P_ARP >> 8;
	f->data[13] = ETH_P_ARP & 0xff;
}

/* An Ethernet trailer (an FCS the NIC kept, a tap's time stamp) after the
 * IP datagram: the stack trims it to the IP length before the socket. */
static void m_trailer(struct frame *f, const struct env *e __maybe_unused)
{
	frame_put_be32(f, 0xdeadbeef);
}

/* The supernode writes 0x0000 (IPv4) or 0x8000 (IPv6) in the socket's
 * family word; wire.c's decoder refuses bits other than IPv6 and TCP. */
static void m_socket_family(struct frame *f, const struct env *e __maybe_unused)
{
	f->data[N2N_AT + N2N_PACKET_OFF_SOCK + 1] = 0x01;
	frame_finish(f);
}

#define MANGLE(name, fn)                     \
	static void name(struct pkt_spec *s) \
	{                                    \
		s->mangle = fn;              \
	}
MANGLE(t_header_encrypted, m_header_encrypted)
MANGLE(t_version_2, m_version_2)
MANGLE(t_cut_ip, m_cut_ip)
MANGLE(t_cut_udp, m_cut_udp)
MANGLE(t_cut_payload, m_cut_payload)
MANGLE(t_cut_common, m_cut_common)
MANGLE(t_cut_packet_header, m_cut_packet_header)
MANGLE(t_cut_socket, m_cut_socket)
MANGLE(t_cut_iv, m_cut_iv)
MANGLE(t_cut_inner_eth, m_cut_inner_eth)
MANGLE(t_udp_length, m_udp_length)
MANGLE(t_first_fragment, m_first_fragment)
MANGLE(t_later_fragment, m_later_fragment)
MANGLE(t_ip_version_5, m_ip_version_5)
MANGLE(t_outer_arp, m_outer_arp)
MANGLE(t_trailer, m_trailer)
MANGLE(t_socket_family, m_socket_family)
#undef MANGLE

enum rx_base {
	RX_P2P,
	RX_RELAYED
};

struct rx_case {
	const char *name;
	enum rx_base base;
	void (*tweak)(struct pkt_spec *s);
	void (*conf)(struct n2nk_edge_conf *c);
	int reason;
	const char *bug; /* a known bug in the program: why the case fails */
};

#define DELIVERED(base, tweak, conf) (base), (tweak), (conf), N2NK_OK, NULL
#define HANDED_ON(base, tweak, why)  (base), (tweak), NULL, (why), NULL

static const struct rx_case rx_cases[] = {
	/* Delivered: exactly the frame inside. */
	{ "P2P, IPv4 TCP 300 bytes", DELIVERED(RX_P2P, NULL, NULL) },
	{ "P2P, IPv4 TCP 1400 bytes", DELIVERED(RX_P2P, t_len_1400, NULL) },
	{ "P2P, tiny IPv4 UDP (42 bytes)", DELIVERED(RX_P2P, t_tiny, NULL) },
	{ "P2P, IPv6 UDP", DELIVERED(RX_P2P, t_inner_ipv6, NULL) },
	{ "P2P, unicast ARP reply", DELIVERED(RX_P2P, t_inner_arp, NULL) },
	{ "P2P, IPv4 SYN(-ACK), MSS clamped as the daemon does",
	  DELIVERED(RX_P2P, t_syn4, NULL) },
	{ "relayed, IPv6 SYN(-ACK), MSS clamped as the daemon does",
	  DELIVERED(RX_RELAYED, t_syn6, NULL) },
	{ "P2P, dstMac of another edge (n2n delivers it)",
	  DELIVERED(RX_P2P, t_other_dst_mac, NULL) },
	{ "relayed, IPv4 socket, 300 bytes",
	  DELIVERED(RX_RELAYED, NULL, NULL) },
	{ "relayed, 1400 bytes", DELIVERED(RX_RELAYED, t_len_1400, NULL) },
	{ "relayed, tiny IPv4 UDP (42 bytes)",
	  DELIVERED(RX_RELAYED, t_tiny, NULL) },
	{ "relayed, IPv6 socket", DELIVERED(RX_RELAYED, t_sock_ipv6, NULL) },
	{ "the P2P peer, relayed by the supernode",
	  DELIVERED(RX_RELAYED, t_from_p2p_peer, NULL) },
	{ "inner IPv4 to another address, with -r",
	  DELIVERED(RX_P2P, t_foreign_dst, c_routing) },
	{ "inner IPv4 to another address, no -a address",
	  DELIVERED(RX_P2P, t_foreign_dst, c_no_vip) },
	{ "inner IP multicast under a unicast dstMac, with -E",
	  DELIVERED(RX_P2P, t_inner_mcast, c_multicast) },
	/* The stack trims a trailer; the fast path leaves such frames to it. */
	{ "Ethernet trailer after the IP datagram",
	  HANDED_ON(RX_P2P, t_trailer, N2NK_IP_LENGTH) },
	/* Left to the daemon or the stack, byte for byte as they came. */
	{ "another community", HANDED_ON(RX_P2P, t_community, N2NK_COMMUNITY) },
	{ "unknown sender MAC",
	  HANDED_ON(RX_P2P, t_unknown_sender, N2NK_UNKNOWN_SENDER) },
	{ "sender not established (path none)",
	  HANDED_ON(RX_P2P, t_idle_sender, N2NK_UNKNOWN_SENDER) },
	{ "P2P peer from another port",
	  HANDED_ON(RX_P2P, t_other_port, N2NK_SPOOFED_SOURCE) },
	{ "P2P peer from another address",
	  HANDED_ON(RX_P2P, t_other_addr, N2NK_SPOOFED_SOURCE) },
	{ "relayed peer straight from its socket",
	  HANDED_ON(RX_P2P, t_relayed_direct, N2NK_SPOOFED_SOURCE) },
	{ "FROM_SUPERNODE from another address",
	  HANDED_ON(RX_RELAYED, t_other_addr, N2NK_UNKNOWN_SUPERNODE) },
	{ "FROM_SUPERNODE from the supernode's host, another port",
	  HANDED_ON(RX_RELAYED, t_sn_other_port, N2NK_UNKNOWN_SUPERNODE) },
	{ "SOCKET flag without FROM_SUPERNODE",
	  HANDED_ON(RX_P2P, t_socket_no_sn, N2NK_HAS_SOCKET) },
	{ "another transform (Twofish)",
	  HANDED_ON(RX_P2P, t_transform, N2NK_TRANSFORM) },
	{ "compressed (LZO)", HANDED_ON(RX_P2P, t_lzo, N2NK_COMPRESSED) },
	{ "relayed and compressed (LZO)",
	  HANDED_ON(RX_RELAYED, t_lzo, N2NK_COMPRESSED) },
	{ "header-encrypted",
	  HANDED_ON(RX_P2P, t_header_encrypted, N2NK_HEADER_ENCRYPTED) },
	{ "version 2", HANDED_ON(RX_P2P, t_version_2, N2NK_HEADER_ENCRYPTED) },
	{ "REGISTER", HANDED_ON(RX_P2P, t_register, N2NK_NOT_PACKET) },
	{ "broadcast dstMac",
	  HANDED_ON(RX_P2P, t_broadcast, N2NK_MULTICAST_DEST) },
	{ "relayed broadcast dstMac",
	  HANDED_ON(RX_RELAYED, t_broadcast, N2NK_MULTICAST_DEST) },
	{ "inner source MAC is not srcMac",
	  HANDED_ON(RX_P2P, t_inner_source, N2NK_INNER_SOURCE) },
	{ "relayed, inner source MAC is not srcMac",
	  HANDED_ON(RX_RELAYED, t_inner_source, N2NK_INNER_SOURCE) },
	{ "inner IPv4 to another address, without -r",
	  HANDED_ON(RX_P2P, t_foreign_dst, N2NK_FILTERED) },
	{ "inner IP multicast under a unicast dstMac, without -E",
	  HANDED_ON(RX_P2P, t_inner_mcast, N2NK_FILTERED) },
	{ "relayed, inner IP multicast, without -E",
	  HANDED_ON(RX_RELAYED, t_inner_mcast, N2NK_FILTERED) },
	{ "inner frame of 24 bytes",
	  HANDED_ON(RX_P2P, t_inner_short, N2NK_NO_HEADROOM) },
	{ "ends in the IPv4 header",
	  HANDED_ON(RX_P2P, t_cut_ip, N2NK_TRUNCATED_IP) },
	{ "ends in the UDP header",
	  HANDED_ON(RX_P2P, t_cut_udp, N2NK_TRUNCATED_UDP) },
	{ "frame shorter than its IP length",
	  HANDED_ON(RX_P2P, t_cut_payload, N2NK_IP_LENGTH) },
	{ "UDP length is not the IP length",
	  HANDED_ON(RX_P2P, t_udp_length, N2NK_UDP_LENGTH) },
	{ "datagram ends in the common header",
	  HANDED_ON(RX_P2P, t_cut_common, N2NK_TRUNCATED_N2N) },
	{ "datagram ends before the transform byte",
	  HANDED_ON(RX_P2P, t_cut_packet_header, N2NK_TRUNCATED_N2N) },
	{ "relayed, socket family with unknown bits (0x0001)",
	  HANDED_ON(RX_RELAYED, t_socket_family, N2NK_MALFORMED) },
	{ "relayed, datagram ends in the socket",
	  HANDED_ON(RX_RELAYED, t_cut_socket, N2NK_TRUNCATED_N2N) },
	{ "datagram ends 8 bytes into the payload",
	  HANDED_ON(RX_P2P, t_cut_iv, N2NK_DECRYPT) },
	{ "datagram ends in the inner Ethernet header",
	  HANDED_ON(RX_P2P, t_cut_inner_eth, N2NK_DECRYPT) },
	/* GRO or a UDP_SEGMENT sender: one skb, several datagrams. */
	{ "datagrams merged in one skb (gso_size set)",
	  HANDED_ON(RX_P2P, NULL, N2NK_MERGED) },
	{ "UDP to another port",
	  HANDED_ON(RX_P2P, t_wrong_port, N2NK_WRONG_PORT) },
	{ "to another host's address",
	  HANDED_ON(RX_P2P, t_not_local, N2NK_NOT_LOCAL) },
	{ "IPv4 options", HANDED_ON(RX_P2P, t_ip_options, N2NK_IP_OPTIONS) },
	{ "IPv4 first fragment",
	  HANDED_ON(RX_P2P, t_first_fragment, N2NK_IP_FRAGMENT) },
	{ "IPv4 later fragment",
	  HANDED_ON(RX_P2P, t_later_fragment, N2NK_IP_FRAGMENT) },
	{ "IP version 5",
	  HANDED_ON(RX_P2P, t_ip_version_5, N2NK_BAD_IP_HEADER) },
	{ "not UDP", HANDED_ON(RX_P2P, t_not_udp, N2NK_NOT_UDP) },
	{ "outer IPv6", HANDED_ON(RX_P2P, t_outer_ipv6, N2NK_IPV6) },
	{ "outer ARP", HANDED_ON(RX_P2P, t_outer_arp, N2NK_NOT_IP) },
};

static void rx_spec(struct pkt_spec *s, const struct rx_case *tc)
{
	if (tc->base == RX_RELAYED)
		tce_relayed_spec(s);
	else
		tce_p2p_spec(s);
	if (tc->tweak)
		tc->tweak(s);
}

/* Delivered: the frame inside, counted for its sender. */
static int check_rx_delivered(const char *name, const struct pkt_spec *s,
			      const struct frame *inner, const struct probed *r)
{
	int relayed = !!(s->msg.flags & N2N_FLAGS_FROM_SUPERNODE);
	struct n2nk_edge_peer_stats want = tce_carried(1, relayed, inner->len);

	if (tce_check_same(name, &r->out, inner, "the inner frame"))
		return -1;
	return tce_check_peers(name, &r->pb, &r->pa,
			       tce_peer_by_mac(s->msg.src_mac), &want,
			       !relayed);
}

static int run_rx_case(const struct env *e, const struct rx_case *tc,
		       const char *name)
{
	struct probe p = { name, N2NK_LAYER_EDGE_RX, tc->reason, NULL };
	/* As virtio hands GSO frames up: a size, the segments uncounted. */
	struct __sk_buff ctx = { .gso_segs = 0, .gso_size = 1000 };
	static struct frame f, inner;
	static struct probed r;
	struct pkt_spec s;
	int ret;

	rx_spec(&s, tc);
	if (tce_build_datagram(&f, &inner, e, &s) ||
	    tce_set_conf(e, tc->conf)) {
		tce_fail(name, "cannot encode the PACKET or set the maps");
		return -1;
	}
	if (tc->reason == N2NK_MERGED)
		p.ctx = &ctx;
	ret = tce_probe(e, &p, &f, &r);
	if (ret)
		return ret; /* or skipped */
	if (tc->reason == N2NK_OK &&
	    (s.inner.kind == IN_SYN4 || s.inner.kind == IN_SYN6)) {
		/* Delivered as the socket backend writes it: clamped. */
		struct n2nk_edge_conf c = e->conf;

		if (tc->conf)
			tc->conf(&c);
		mss_clamp_frame(inner.data, inner.len,
				(struct mss_limit){ c.mss_ipv4, c.mss_ipv6 });
	}
	if (tc->reason == N2NK_OK)
		return check_rx_delivered(name, &s, &inner, &r);
	/* Handed on, also after it was decrypted: as it came. */
	if (tce_check_same(name, &r.out, &f, "the input"))
		return -1;
	return tce_check_peers(name, &r.pb, &r.pa, NULL, NULL, 0);
}

void tce_rx_cases(struct suite_tally *t, const struct env *e)
{
	char name[192];
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(rx_cases); i++) {
		snprintf(name, sizeof(name), "edge_rx %s: %s", e->name,
			 rx_cases[i].name);
		ret = run_rx_case(e, &rx_cases[i], name);
		if (ret < 0 && rx_cases[i].bug)
			fprintf(stderr, "  known bug: %s\n", rx_cases[i].bug);
		suite_record(t, name, ret);
	}
}

/* ---- Mutants, judged by the daemon's decoder. ---- */

/* The sender rules of edge_rx.h (n2nk_reasons.h, rx column). */
static int sender_ok(const struct n2n_msg *m, const uint8_t *ip,
		     const uint8_t *udp)
{
	const struct peer_def *p = tce_peer_by_mac(m->u.packet.src_mac);

	if (!p || p->path == N2NK_PATH_NONE)
		return 0;
	if (m->hdr.flags & N2N_FLAGS_FROM_SUPERNODE)
		return !memcmp(ip + 12, sn_ip, 4) && tce_get16(udp) == SN_PORT;
	return !(m->hdr.flags & N2N_FLAGS_SOCKET) && p->path == N2NK_PATH_P2P &&
	       !memcmp(ip + 12, p->ip, 4) && tce_get16(udp) == p->port;
}

/* The frame the daemon would write to the TAP, if edge_rx may take it:
 * NULL, or why not. */
static const char *open_frame(const struct env *e, const struct n2n_msg *m,
			      struct frame *want)
{
	const struct n2n_packet *pk = &m->u.packet;
	const uint8_t *ip = want->data + ETH_HLEN;
	ssize_t n;

	if (m->hdr.type != N2N_MSG_PACKET ||
	    (m->hdr.flags & ~(N2N_FLAGS_FROM_SUPERNODE | N2N_FLAGS_SOCKET)) ||
	    memcmp(m->hdr.community, e->conf.community, N2N_COMMUNITY_SIZE))
		return "not a PACKET of our community";
	if ((pk->dst_mac[0] & 1) || pk->compression != N2N_COMPRESSION_NONE ||
	    pk->transform != e->id)
		return "group dstMac, compressed, or another transform";
	n = transform_decode(&e->tf, want->data, sizeof(want->data),
			     pk->payload, pk->payload_len);
	if (n < ETH_HLEN)
		return "does not decrypt";
	want->len = (size_t)n;
	if (memcmp(want->data + ETH_ALEN, pk->src_mac, ETH_ALEN))
		return "inner source MAC";
	/* Without -r, IPv4 only to our address (or a group MAC). */
	if (tce_get16(want->data + 12) == ETH_P_IP &&
	    want->len >= ETH_HLEN + IPV4_HLEN && !(want->data[0] & 1) &&
	    memcmp(ip + 16, our_vip, 4))
		return "filtered";
	return NULL;
}

/* NULL and the frame if datagram f must be delivered as *want; else why
 * the daemon, under the rules of n2nk_reasons.h's rx column, refuses it. */
static const char *rx_oracle(const struct env *e, const struct frame *f,
			     struct frame *want)
{
	static char why[64];
	const uint8_t *ip = f->data + ETH_HLEN, *udp = ip + IPV4_HLEN;
	struct n2n_msg m;
	size_t ip_len;
	ssize_t n;

	if (f->len < N2N_AT || tce_get16(f->data + 12) != ETH_P_IP ||
	    ip[0] != 0x45 || (tce_get16(ip + 6) & 0x3fff) ||
	    ip[9] != IPPROTO_UDP)
		return "not unfragmented IPv4/UDP";
	ip_len = tce_get16(ip + 2);
	if (ip_len + ETH_HLEN != f->len || ip_len < IPV4_HLEN + UDP_HLEN ||
	    tce_get16(udp + 4) != ip_len - IPV4_HLEN)
		return "IP or UDP length";
	if (tce_get16(udp + 2) != LOCAL_PORT || memcmp(ip + 16, local_ip, 4))
		return "not to our socket";
	n = wire_decode(&m, udp + UDP_HLEN, ip_len - IPV4_HLEN - UDP_HLEN);
	if (n < 0) {
		snprintf(why, sizeof(why), "wire_decode: %s",
			 wire_strerror((int)n));
		return why;
	}
	if (!sender_ok(&m, ip, udp))
		return "sender";
	return open_frame(e, &m, want);
}

static uint32_t xorshift(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* One random change: a bit or a byte in the headers, a bit anywhere, or
 * a cut. */
static void mutate(struct frame *f, uint32_t *x)
{
	uint32_t r = xorshift(x), v = xorshift(x);

	switch (r & 3) {
	case 0:
		f->data[v % MUTATED_HEAD] ^= 1 << (r >> 8) % 8;
		break;
	case 1:
		f->data[v % MUTATED_HEAD] = (uint8_t)(r >> 8);
		break;
	case 2:
		f->data[v % f->len] ^= 1 << (r >> 8) % 8;
		break;
	default:
		frame_cut(f, ETH_HLEN + v % (f->len - ETH_HLEN));
	}
}

/* What can go wrong with a mutant: none, or one of these. */
enum mutant_fault {
	MUT_FINE,
	MUT_RUN,	 /* the test run failed */
	MUT_CHANGED,	 /* handed on, but not as it came */
	MUT_VERDICT,	 /* neither delivered nor handed on */
	MUT_NOT_VALID,	 /* delivered, but the daemon refuses it */
	MUT_WRONG_FRAME, /* delivered, but not the daemon's frame */
	MUT_FAULTS
};

static const char *const mutant_fault_names[MUT_FAULTS] = {
	[MUT_RUN] = "test run failed",
	[MUT_CHANGED] = "handed on, but changed",
	[MUT_VERDICT] = "neither delivered nor handed on",
	[MUT_NOT_VALID] = "delivered, but the daemon refuses it",
	[MUT_WRONG_FRAME] = "delivered, but not the daemon's frame",
};

struct mutant_tally {
	int runs, delivered;
	int faults[MUT_FAULTS];
};

/* Handed on as it came, or delivered as what the daemon would deliver. */
static enum mutant_fault judge_mutant(const struct env *e,
				      const struct frame *f,
				      const struct run_out *out,
				      const char **why)
{
	static struct frame want;

	*why = "";
	if (out->retval == (uint32_t)TC_ACT_UNSPEC)
		return tce_same(out, f) ? MUT_FINE : MUT_CHANGED;
	if (out->retval != TC_ACT_REDIRECT)
		return MUT_VERDICT;
	*why = rx_oracle(e, f, &want);
	if (*why)
		return MUT_NOT_VALID;
	return tce_same(out, &want) ? MUT_FINE : MUT_WRONG_FRAME;
}

/* Where a mutant differs from its original, for the failure report. */
static void describe_mutant(enum mutant_fault fault, const char *why,
			    const struct frame *base, const struct frame *f)
{
	size_t i;

	for (i = 0; i < f->len; i++)
		if (f->data[i] != base->data[i])
			break;
	fprintf(stderr,
		"  mutant: %s%s%s: %zu of %zu bytes, byte %zu is 0x%02x "
		"(was 0x%02x)\n",
		mutant_fault_names[fault], *why ? ": " : "", why, f->len,
		base->len, i, i < f->len ? f->data[i] : 0,
		i < base->len ? base->data[i] : 0);
}

static int build_bases(const struct env *e, struct frame base[2])
{
	static struct frame inner;
	struct pkt_spec s;

	tce_p2p_spec(&s);
	if (tce_build_datagram(&base[0], &inner, e, &s))
		return -1;
	tce_relayed_spec(&s);
	return tce_build_datagram(&base[1], &inner, e, &s);
}

/* Runs one mutant of base, unless the kernel refuses to test-run it. */
static void run_mutant(const struct env *e, const struct frame *base,
		       uint32_t *x, struct mutant_tally *t)
{
	static struct frame f;
	static struct run_out out;
	enum mutant_fault fault;
	const char *why = "";
	int err;

	f = *base;
	mutate(&f, x);
	err = tce_run(e->rx, &f, NULL, 1, &out);
	if (err == -EOPNOTSUPP)
		return;
	t->runs++;
	fault = err ? MUT_RUN : judge_mutant(e, &f, &out, &why);
	t->delivered += !err && out.retval == TC_ACT_REDIRECT;
	/* The first of each kind is told. */
	if (fault != MUT_FINE && !t->faults[fault]++)
		describe_mutant(fault, why, base, &f);
}

/*
 * MUTANTS mutated P2P and relayed PACKETs: each handed on unchanged or
 * delivered as the daemon would, and each counted exactly once.
 */
int tce_rx_mutants(const struct env *e)
{
	static struct frame base[2];
	struct mutant_tally t = { 0 };
	struct counters before, after;
	uint32_t x = 0x6e326b ^ (uint32_t)e->id;
	uint64_t counted;
	int i, bad = 0;

	if (build_bases(e, base) || tce_set_conf(e, NULL) ||
	    tce_read_counters(e->skel->maps.rx_stats, &before))
		return -1;
	for (i = 0; i < MUTANTS; i++)
		run_mutant(e, &base[i & 1], &x, &t);
	if (tce_read_counters(e->skel->maps.rx_stats, &after))
		return -1;
	counted = tce_total_packets(&after) - tce_total_packets(&before);
	if (counted != (uint64_t)t.runs) {
		tce_fail("mutants", "counted %llu of %d",
			 (unsigned long long)counted, t.runs);
		bad = -1;
	}
	for (i = MUT_FINE + 1; i < MUT_FAULTS; i++)
		if (t.faults[i]) {
			tce_fail("mutants", "%d %s", t.faults[i],
				 mutant_fault_names[i]);
			bad = -1;
		}
	printf("     mutants %s: %d run (%d too short for a test run), %d "
	       "delivered\n",
	       e->name, t.runs, MUTANTS - t.runs, t.delivered);
	return bad;
}
