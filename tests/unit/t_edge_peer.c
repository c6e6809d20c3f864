// SPDX-License-Identifier: GPL-2.0-only
/*
 * The edge's peer table and punching against forged datagrams: an edge
 * over a fake datapath that records what it sends, fed decoded messages as
 * edge_on_udp() dispatches them. "The network is hostile": nothing from it
 * may move a working path, grow the table without bound, make us send to
 * this host (0/8, 127/8) or install a route for more than an overlay.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/sockaddr.h"
#include "conf/conf.h"
#include "edge/edge.h"
#include "test.h"

#define MAX_SENT 64

static struct {
	struct sockaddr_storage to;
	uint8_t type;
	uint32_t cookie; /* a REGISTER's (after n2n's 24-byte header) */
} sent[MAX_SENT];
static int n_sent, n_tap;

static int fake_send_udp(struct datapath *dp, const struct sockaddr_storage *to,
			 const uint8_t *buf, size_t len)
{
	(void)dp;
	if (n_sent < MAX_SENT && len >= 4) {
		sent[n_sent].to = *to;
		sent[n_sent].type = buf[3] & 0x1f; /* n2n's flags/type word */
		if (len >= 28)
			sent[n_sent].cookie = (uint32_t)buf[24] << 24 |
					      (uint32_t)buf[25] << 16 |
					      (uint32_t)buf[26] << 8 | buf[27];
	}
	n_sent++;
	return 0;
}

static int fake_send_tap(struct datapath *dp, const uint8_t *frame, size_t len)
{
	(void)dp, (void)frame, (void)len;
	n_tap++;
	return 0;
}

static const struct datapath_ops fake_ops = {
	.name = "fake",
	.send_udp = fake_send_udp,
	.send_tap = fake_send_tap,
};

static const uint8_t our_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t victim[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t other[6] = { 0x02, 0, 0, 0, 0, 0x03 };

static struct sockaddr_storage sa4(const char *ip, uint16_t port)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;

	in->sin_family = AF_INET;
	in->sin_port = htons(port);
	inet_pton(AF_INET, ip, &in->sin_addr);
	return ss;
}

static struct n2n_sock sock4(const char *ip, uint16_t port)
{
	struct n2n_sock s = { .port = port };

	inet_pton(AF_INET, ip, s.addr);
	return s;
}

static int sent_to(const struct sockaddr_storage *to)
{
	int i, n = 0;

	for (i = 0; i < n_sent && i < MAX_SENT; i++)
		n += sockaddr_equal(&sent[i].to, to);
	return n;
}

/* The cookie of our last REGISTER to `to` (0 if none). */
static uint32_t cookie_sent_to(const struct sockaddr_storage *to)
{
	uint32_t c = 0;
	int i;

	for (i = 0; i < n_sent && i < MAX_SENT; i++)
		if (sent[i].type == N2N_MSG_REGISTER &&
		    sockaddr_equal(&sent[i].to, to))
			c = sent[i].cookie;
	return c;
}

static struct edge *edge_new(void)
{
	struct edge *e = calloc(1, sizeof(*e));

	if (sodium_init() < 0 || !e)
		abort();
	e->dp.ops = &fake_ops;
	e->dp.udp_fd = -1;
	e->tap_fd = -1;
	memcpy(e->mac, our_mac, 6);
	strcpy(e->community, "lab");
	e->reg_interval_s = 20;
	e->registered_ms = 1;
	e->ip = 0xc6130001; /* 198.19.0.1 */
	e->prefix = 24;
	if (transform_init(&e->tf, N2N_TRANSFORM_NULL, "") ||
	    compress_init(&e->comp))
		abort();
	msg_he_init(&e->he, false, e->community);
	e->n_sn = 1;
	strcpy(e->sn[0].host, "198.18.0.1");
	e->sn[0].port = 7654;
	e->sn[0].sa = sa4("198.18.0.1", 7654);
	e->sn[0].resolved = true;
	n_sent = n_tap = 0;
	log_level = -1; /* the refusals below are expected */
	return e;
}

static void edge_free(struct edge *e)
{
	edge_peers_free(e);
	transform_fini(&e->tf);
	compress_fini(&e->comp);
	free(e);
	log_level = LOG_LEVEL_NOTICE;
}

/* A PACKET from src_mac whose frame says it is from eth_src, encrypted
 * with the edge's own transform into enc (the captured bytes). */
static void packet_make(struct edge *e, struct n2n_msg *m, uint8_t *enc,
			size_t cap, const uint8_t *src_mac,
			const uint8_t *eth_src, bool via_sn)
{
	uint8_t frame[64] = { 0 }, iv[TRANSFORM_IV_SIZE] = { 0 };
	ssize_t n;

	memcpy(frame, our_mac, 6);
	memcpy(frame + 6, eth_src, 6);
	frame[12] = 0x88, frame[13] = 0xb5; /* not IP: no -r filter */
	n = transform_encode(&e->tf, enc, cap, frame, sizeof(frame), iv);
	CHECK(n > 0);
	edge_init_msg(e, m, N2N_MSG_PACKET,
		      via_sn ? N2N_FLAGS_FROM_SUPERNODE : 0);
	memcpy(m->u.packet.src_mac, src_mac, 6);
	memcpy(m->u.packet.dst_mac, our_mac, 6);
	m->u.packet.transform = (uint8_t)e->tf.ops->id;
	m->u.packet.compression = N2N_COMPRESSION_NONE;
	m->u.packet.payload = enc;
	m->u.packet.payload_len = n > 0 ? (size_t)n : 0;
}

static void packet(struct edge *e, const uint8_t *src_mac,
		   const uint8_t *eth_src, const struct sockaddr_storage *from,
		   bool via_sn)
{
	uint8_t enc[256];
	struct n2n_msg m;

	packet_make(e, &m, enc, sizeof(enc), src_mac, eth_src, via_sn);
	edge_on_packet(e, &m, from, via_sn);
}

static void reg(struct edge *e, const uint8_t *src_mac,
		const struct sockaddr_storage *from, bool via_sn,
		const struct n2n_sock *sock)
{
	struct n2n_msg m;
	uint16_t flags = via_sn ? N2N_FLAGS_FROM_SUPERNODE : 0;

	if (sock)
		flags |= N2N_FLAGS_SOCKET;
	edge_init_msg(e, &m, N2N_MSG_REGISTER, flags);
	m.u.reg.cookie = N2N_REGULAR_REG_COOKIE;
	memcpy(m.u.reg.src_mac, src_mac, 6);
	memcpy(m.u.reg.dst_mac, our_mac, 6);
	memcpy(m.u.reg.dev_desc, "a\nb\x1b[2J", 8);
	if (sock)
		m.u.reg.sock = *sock;
	edge_on_register(e, &m, from, via_sn);
}

static void peer_info_for(struct edge *e, const uint8_t *asker,
			  const uint8_t *mac, const struct n2n_sock *pub,
			  const struct n2n_sock *pref)
{
	struct n2n_msg m;

	edge_init_msg(e, &m, N2N_MSG_PEER_INFO,
		      N2N_FLAGS_FROM_SUPERNODE | (pref ? N2N_FLAGS_SOCKET : 0));
	memcpy(m.u.peer_info.src_mac, asker, 6);
	memcpy(m.u.peer_info.mac, mac, 6);
	m.u.peer_info.sock = *pub;
	if (pref)
		m.u.peer_info.preferred_sock = *pref;
	edge_on_peer_info(e, &m);
}

static void peer_info(struct edge *e, const uint8_t *mac,
		      const struct n2n_sock *pub, const struct n2n_sock *pref)
{
	peer_info_for(e, our_mac, mac, pub, pref);
}

/* A PEER_INFO that answers another edge's query (srcMac not ours) names
 * no peer of ours and makes us punch nothing. */
TEST(edge_takes_only_peer_info_that_answers_us)
{
	struct n2n_sock xs = sock4("198.18.1.2", 1000);
	struct edge *e = edge_new();

	peer_info_for(e, other, victim, &xs, NULL);
	CHECK_EQ(n_sent, 0);
	CHECK(edge_peer_find(e, victim) == NULL);
	peer_info(e, victim, &xs, NULL); /* ours: punched */
	CHECK_EQ(n_sent, 1);
	edge_free(e);
}

TEST(edge_never_sends_to_this_host)
{
	struct n2n_sock zero = sock4("0.0.0.9", 1000),
			lo = sock4("127.0.0.1", 1000),
			xs = sock4("198.18.1.2", 1000);
	struct sockaddr_storage z = sa4("0.0.0.9", 1000),
				l = sa4("127.0.0.1", 1000);
	struct edge *e = edge_new();

	peer_info(e, victim, &zero, NULL);
	peer_info(e, other, &xs, &lo);
	reg(e, our_mac, &e->sn[0].sa, true, &zero); /* ignored: ours */
	reg(e, other, &e->sn[0].sa, true, &zero);
	packet(e, victim, victim, &e->sn[0].sa, true);
	CHECK_EQ(sent_to(&z), 0);
	CHECK_EQ(sent_to(&l), 0);
	CHECK_EQ(n_sent, 1); /* the punch to other's public socket */
	edge_free(e);
}

/* Multicast, broadcast, reserved, port 0 and v4-mapped forms of this host
 * are never a peer's socket, from PEER_INFO or a relayed REGISTER or
 * PACKET: a forged one must not make us send to a group on our LAN. */
TEST(edge_never_takes_an_impossible_peer_socket)
{
	static const char *const bad[] = { "224.0.0.1", "239.255.255.250",
					   "240.0.0.1", "255.255.255.255" };
	struct n2n_sock s, zport = sock4("198.18.1.2", 0), mapped = { 0 },
			   xs = sock4("198.18.1.2", 1000);
	struct edge *e = edge_new();
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = sock4(bad[i], 1000);
		peer_info(e, victim, &s, NULL);
		reg(e, other, &e->sn[0].sa, true, &s);
		peer_info(e, victim, &xs, &s);
	}
	peer_info(e, other, &zport, NULL);
	reg(e, victim, &e->sn[0].sa, true, &zport);
	mapped.ipv6 = true;
	mapped.port = 1000;
	mapped.addr[10] = mapped.addr[11] = 0xff;
	mapped.addr[12] = 127, mapped.addr[15] = 1; /* ::ffff:127.0.0.1 */
	reg(e, other, &e->sn[0].sa, true, &mapped);
	for (i = 0; i < (unsigned int)n_sent && i < MAX_SENT; i++) {
		const struct sockaddr_in *in = (const void *)&sent[i].to;
		uint32_t a = ntohl(in->sin_addr.s_addr);

		CHECK_EQ(sent[i].to.ss_family, AF_INET);
		CHECK_MSG(a >> 28 < 0xe && in->sin_port, "sent to %08x:%u", a,
			  ntohs(in->sin_port));
	}
	CHECK(n_sent >= 1); /* the punches to xs */
	edge_free(e);
}

static void super_ack(struct edge *e, const char *ip, uint8_t prefix,
		      const char *sn_ip)
{
	struct n2n_msg m;
	struct n2n_sn_entry *s = &m.u.reg_super_ack.sn[0];

	e->sn_wait = true;
	e->reg_cookie = 42;
	edge_init_msg(e, &m, N2N_MSG_REGISTER_SUPER_ACK,
		      N2N_FLAGS_FROM_SUPERNODE);
	m.u.reg_super_ack.cookie = 42;
	inet_pton(AF_INET, ip, &m.u.reg_super_ack.dev_addr.addr);
	m.u.reg_super_ack.dev_addr.addr =
		ntohl(m.u.reg_super_ack.dev_addr.addr);
	m.u.reg_super_ack.dev_addr.prefix = prefix;
	if (sn_ip) {
		m.u.reg_super_ack.num_sn = 1;
		s->family = 2;
		s->port = 7654;
		inet_pton(AF_INET, sn_ip, s->addr);
	}
	edge_on_register_super_ack(e, &m, 0);
}

TEST(edge_learns_no_supernode_at_this_host)
{
	struct edge *e = edge_new();

	super_ack(e, "0.0.0.0", 0, "0.0.0.5");
	super_ack(e, "0.0.0.0", 0, "127.0.0.2");
	CHECK_EQ(e->n_sn, 1);
	super_ack(e, "0.0.0.0", 0, "198.18.0.9");
	CHECK_EQ(e->n_sn, 2);
	edge_free(e);
}

/* Nor a supernode a REGISTER_SUPER_ACK lists at a multicast address. */
TEST(edge_learns_no_supernode_at_an_impossible_socket)
{
	struct edge *e = edge_new();

	super_ack(e, "198.19.0.1", 24, "224.0.0.1");
	super_ack(e, "198.19.0.1", 24, "255.255.255.255");
	CHECK_EQ(e->n_sn, 1);
	super_ack(e, "198.19.0.1", 24, "198.18.0.2");
	CHECK_EQ(e->n_sn, 2);
	edge_free(e);
}

TEST(edge_refuses_assigned_prefixes_outside_8_to_30)
{
	static const uint8_t bad[] = { 0, 1, 7, 31, 32, 33, 255 };
	static const uint8_t good[] = { 8, 24, 30 };
	struct edge *e = edge_new();
	size_t i;

	for (i = 0; i < sizeof(bad); i++) {
		e->ip = 0;
		super_ack(e, "198.19.0.7", bad[i], NULL);
		CHECK_MSG(e->ip == 0, "/%u taken", bad[i]);
		CHECK(!e->sn_wait); /* registered all the same */
	}
	for (i = 0; i < sizeof(good); i++) {
		e->ip = 0;
		super_ack(e, "198.19.0.6", good[i],
			  NULL); /* a host in /30 too */
		CHECK_EQ(e->ip, 0xc6130006);
		CHECK_EQ(e->prefix, good[i]);
	}
	edge_free(e);
}

/* Nor an address no host can have: loopback, 0/8, multicast, 240/4, or
 * its subnet's network or broadcast address. */
TEST(edge_refuses_assigned_addresses_no_host_can_have)
{
	static const char *const bad[] = { "127.0.0.1",	 "0.1.2.3",
					   "224.0.0.7",	 "240.0.0.7",
					   "198.19.0.0", "198.19.0.255" };
	struct edge *e = edge_new();
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e->ip = 0;
		super_ack(e, bad[i], 24, NULL);
		CHECK_MSG(e->ip == 0, "%s/24 taken", bad[i]);
	}
	super_ack(e, "198.19.0.1", 24, NULL);
	CHECK_EQ(e->ip, 0xc6130001);
	edge_free(e);
}

static void ack_cookie(struct edge *e, const uint8_t *src_mac,
		       const struct sockaddr_storage *from, uint32_t cookie)
{
	struct n2n_msg m;

	edge_init_msg(e, &m, N2N_MSG_REGISTER_ACK, 0);
	m.u.reg_ack.cookie = cookie;
	memcpy(m.u.reg_ack.dst_mac, our_mac, 6);
	memcpy(m.u.reg_ack.src_mac, src_mac, 6);
	edge_on_register_ack(e, &m, from);
}

/* The answer of whoever is at `from`: it echoes what we sent there. */
static void ack(struct edge *e, const uint8_t *src_mac,
		const struct sockaddr_storage *from)
{
	ack_cookie(e, src_mac, from, cookie_sent_to(from));
}

/* A peer with a working P2P path at x. */
static struct edge_peer *p2p_peer(struct edge *e, const uint8_t *mac,
				  const struct sockaddr_storage *x)
{
	uint64_t now = evloop_now_ms();
	struct edge_peer *p = edge_peer_get(e, mac, now);

	p->sa = *x;
	p->have_sa = p->p2p = true;
	p->last_p2p_ms = p->last_seen_ms = now;
	p->last_punch_ms = now - 500; /* not rate-limited now */
	return p;
}

TEST(edge_forged_packet_keeps_the_p2p_path)
{
	struct sockaddr_storage x = sa4("198.18.1.2", 1000),
				y = sa4("198.18.6.6", 6666);
	struct edge *e = edge_new();
	struct edge_peer *p = p2p_peer(e, victim, &x);

	/* Garbage that "decrypted": its frame is not from the victim. */
	packet(e, victim, other, &y, false);
	CHECK_EQ(n_tap, 1); /* delivered, as n2n and bridging want */
	CHECK(p->p2p);
	CHECK(sockaddr_equal(&p->sa, &x));
	CHECK_EQ(sent_to(&y), 0);
	CHECK(edge_peer_direct(e, p, evloop_now_ms()));

	/* A well-formed one from elsewhere (a replay: n2n's PACKETs have no
	 * replay protection): the live path stays, the supernode is asked. */
	packet(e, victim, victim, &y, false);
	CHECK(p->p2p);
	CHECK(sockaddr_equal(&p->sa, &x));
	CHECK_EQ(sent_to(&y), 0);
	CHECK(sent_to(&e->sn[0].sa) >= 1);
	ack(e, victim, &y);
	CHECK(p->p2p && sockaddr_equal(&p->sa, &x));
	edge_free(e);
}

/* The attack with a real cipher: a PACKET the victim sent through the
 * supernode (a broadcast any member receives), captured and sent to us
 * directly from the attacker's address, before and after P2P. */
TEST(edge_replayed_packet_moves_no_path)
{
	struct n2n_sock xs = sock4("198.18.1.2", 1000);
	struct sockaddr_storage x = sa4("198.18.1.2", 1000),
				y = sa4("198.18.6.6", 6666);
	struct edge *e = edge_new();
	struct edge_peer *p;
	uint8_t enc[256];
	struct n2n_msg m;

	transform_fini(&e->tf);
	CHECK_EQ(transform_init(&e->tf, N2N_TRANSFORM_AES, "s3cret"), 0);
	peer_info(e, victim, &xs, NULL); /* named at x, punched there */
	p = edge_peer_find(e, victim);
	CHECK(p && !p->p2p);
	packet_make(e, &m, enc, sizeof(enc), victim, victim, true);
	edge_on_packet(e, &m, &e->sn[0].sa, true); /* relayed: captured */
	CHECK_EQ(n_tap, 1);
	m.hdr.flags &= (uint16_t)~N2N_FLAGS_FROM_SUPERNODE;
	edge_on_packet(e, &m, &y, false); /* replayed from y */
	CHECK_EQ(n_tap, 2);		  /* it decrypts */
	CHECK_EQ(sent_to(&y), 0);	  /* but y is not punched */
	ack(e, victim, &y);
	CHECK(!p->p2p && sockaddr_equal(&p->sa, &x));

	ack(e, victim, &x); /* the real peer answers: P2P at x */
	CHECK(p->p2p && sockaddr_equal(&p->sa, &x));
	edge_on_packet(e, &m, &y, false);
	CHECK(p->p2p && sockaddr_equal(&p->sa, &x));
	CHECK(edge_peer_direct(e, p, evloop_now_ms()));
	CHECK_EQ(sent_to(&y), 0);
	edge_free(e);
}

/* A direct REGISTER for a peer the supernode named, from another address,
 * then an ACK from there: acked (as n2n, no larger than it came), but no
 * punch there and no P2P. */
TEST(edge_direct_register_from_elsewhere_moves_no_path)
{
	struct n2n_sock xs = sock4("198.18.1.2", 1000);
	struct sockaddr_storage x = sa4("198.18.1.2", 1000),
				y = sa4("198.18.6.6", 6666);
	struct edge *e = edge_new();
	struct edge_peer *p;

	peer_info(e, victim, &xs, NULL);
	p = edge_peer_find(e, victim);
	CHECK(p && !p->p2p);
	p->last_punch_ms -= 500; /* not rate-limited */
	reg(e, victim, &y, false, NULL);
	CHECK_EQ(sent_to(&y), 1);
	CHECK_EQ(sent[n_sent - 2].type, N2N_MSG_REGISTER_ACK);
	CHECK_EQ(cookie_sent_to(&y), 0); /* no punch there */
	CHECK_EQ(sent_to(&x), 2);	 /* but at the named socket */
	ack_cookie(e, victim, &y, cookie_sent_to(&x));
	ack_cookie(e, victim, &y, N2N_REGULAR_REG_COOKIE);
	CHECK(!p->p2p && sockaddr_equal(&p->sa, &x));
	edge_free(e);
}

/* A symmetric NAT: the peer's REGISTER comes from another port of the
 * address the supernode named. We punch there; only an ACK echoing that
 * punch's random cookie makes the path, so a blind spoofer cannot. */
TEST(edge_symmetric_nat_peer_gets_p2p_at_its_new_port)
{
	struct n2n_sock xs = sock4("198.18.1.2", 1000);
	struct sockaddr_storage x2 = sa4("198.18.1.2", 2000);
	struct edge *e = edge_new();
	struct edge_peer *p;

	peer_info(e, victim, &xs, NULL);
	p = edge_peer_find(e, victim);
	CHECK(p != NULL);
	p->last_punch_ms -= 500;
	reg(e, victim, &x2, false, NULL);
	CHECK_EQ(sent_to(&x2), 2); /* the ACK and our punch */
	CHECK(cookie_sent_to(&x2) != 0);
	ack_cookie(e, victim, &x2, cookie_sent_to(&x2) ^ 1);
	CHECK(!p->p2p);
	ack_cookie(e, victim, &x2, N2N_REGULAR_REG_COOKIE);
	CHECK(!p->p2p);
	ack(e, victim, &x2);
	CHECK(p->p2p && sockaddr_equal(&p->sa, &x2));
	edge_free(e);
}

/* Datagrams spoofed from other ports of the peer's address make us punch
 * there, but never push out the punch to the socket the supernode named:
 * the real peer's ACK from there still counts. */
TEST(edge_port_candidates_keep_the_named_punch)
{
	struct n2n_sock xs = sock4("198.18.1.2", 1000);
	struct sockaddr_storage x = sa4("198.18.1.2", 1000), y;
	struct edge *e = edge_new();
	struct edge_peer *p;
	uint16_t port;

	peer_info(e, victim, &xs, NULL);
	p = edge_peer_find(e, victim);
	CHECK(p != NULL);
	for (port = 2000; port < 2010; port++) {
		y = sa4("198.18.1.2", port);
		p->last_punch_ms -= 500; /* not rate-limited */
		reg(e, victim, &y, false, NULL);
	}
	CHECK_EQ(sent_to(&x), 1);
	ack(e, victim, &x);
	CHECK(p->p2p && sockaddr_equal(&p->sa, &x));
	edge_free(e);
}

/* The peer's NAT rebinds to another port: the live path stays until it
 * went quiet (-i/2), then the new port is punched and proved. */
TEST(edge_rebound_peer_moves_only_after_the_old_path_went_quiet)
{
	struct sockaddr_storage x = sa4("198.18.1.2", 1000),
				x2 = sa4("198.18.1.2", 2000);
	struct edge *e = edge_new();
	struct edge_peer *p = p2p_peer(e, victim, &x);

	packet(e, victim, victim, &x2, false);
	CHECK_EQ(sent_to(&x2), 0);
	CHECK(p->p2p && sockaddr_equal(&p->sa, &x));
	p->last_p2p_ms -= e->reg_interval_s * 1000; /* quiet since */
	packet(e, victim, victim, &x2, false);
	CHECK_EQ(sent_to(&x2), 1);
	ack(e, victim, &x2);
	CHECK(p->p2p && sockaddr_equal(&p->sa, &x2));
	edge_free(e);
}

TEST(edge_register_ack_only_from_the_punched_address)
{
	struct n2n_sock xs = sock4("198.18.1.2", 1000);
	struct sockaddr_storage x = sa4("198.18.1.2", 1000),
				y = sa4("198.18.6.6", 6666);
	struct edge *e = edge_new();
	struct edge_peer *p;

	peer_info(e, victim, &xs, NULL); /* the supernode: punch x */
	CHECK_EQ(sent_to(&x), 1);
	p = edge_peer_find(e, victim);
	CHECK(p && !p->p2p);
	ack(e, victim, &y); /* a forged answer from elsewhere */
	CHECK(p && !p->p2p);
	CHECK(p && sockaddr_equal(&p->sa, &x));
	CHECK_EQ(e->drops.n[n2nk_reason_slot(N2NK_UNEXPECTED)], 1);
	ack(e, victim, &x); /* the real one */
	CHECK(p && p->p2p && sockaddr_equal(&p->sa, &x));
	edge_free(e);
}

TEST(edge_register_ack_from_the_preferred_socket)
{
	struct n2n_sock xs = sock4("198.18.1.2", 1000),
			ls = sock4("198.18.9.2", 1001);
	struct sockaddr_storage l = sa4("198.18.9.2", 1001);
	struct edge *e = edge_new();
	struct edge_peer *p;

	peer_info(e, victim, &xs, &ls); /* n2n's -e: both punched */
	CHECK_EQ(sent_to(&l), 1);
	ack(e, victim, &l);
	p = edge_peer_find(e, victim);
	CHECK(p && p->p2p && sockaddr_equal(&p->sa, &l));
	edge_free(e);
}

TEST(edge_direct_datagrams_of_unknown_macs_leave_no_peer)
{
	struct sockaddr_storage y = sa4("198.18.6.6", 6666);
	struct edge *e = edge_new();

	reg(e, victim, &y, false, NULL);
	CHECK_EQ(e->peers.count, 0);
	CHECK_EQ(sent_to(&y), 1); /* n2n acks it; no larger than it came */
	CHECK_EQ(sent[0].type, N2N_MSG_REGISTER_ACK);
	packet(e, other, other, &y, false);
	CHECK_EQ(e->peers.count, 0);
	CHECK_EQ(n_tap, 1);
	CHECK_EQ(sent_to(&y), 1);
	edge_free(e);
}

/* After our restart, an edge that knew us goes on sending directly: the
 * supernode is asked, a few times a second at most, and its answer makes
 * the peer. */
TEST(edge_asks_the_supernode_about_macs_heard_directly)
{
	struct n2n_sock xs = sock4("198.18.1.2", 1000);
	struct sockaddr_storage x = sa4("198.18.1.2", 1000);
	struct edge *e = edge_new();
	uint8_t mac[6] = { 0x02, 0x77 };
	struct edge_peer *p;
	int i;

	reg(e, victim, &x, false, NULL);
	CHECK_EQ(n_sent, 2);
	CHECK_EQ(sent[1].type, N2N_MSG_QUERY_PEER);
	CHECK(sockaddr_equal(&sent[1].to, &e->sn[0].sa));
	for (i = 0; i < 1000; i++) { /* a flood of made-up MACs */
		mac[5] = (uint8_t)i, mac[4] = (uint8_t)(i >> 8);
		packet(e, mac, mac, &x, false);
	}
	CHECK(sent_to(&e->sn[0].sa) <= 8);
	CHECK_EQ(e->peers.count, 0);
	peer_info(e, victim, &xs, NULL); /* the supernode knows it */
	p = edge_peer_find(e, victim);
	CHECK(p != NULL);
	CHECK_EQ(sent_to(&x), 2); /* the ACK, then our punch */
	ack(e, victim, &x);
	CHECK(p && p->p2p);
	edge_free(e);
}

/* One chatty restarted peer is asked about once per -i, not 8 times a
 * second; other MACs are still asked. */
TEST(edge_asks_about_a_mac_once_per_interval)
{
	struct sockaddr_storage x = sa4("198.18.1.2", 1000);
	struct edge *e = edge_new();
	int i;

	for (i = 0; i < 50; i++)
		packet(e, victim, victim, &x, false);
	CHECK_EQ(sent_to(&e->sn[0].sa), 1);
	packet(e, other, other, &x, false);
	CHECK_EQ(sent_to(&e->sn[0].sa), 2);
	edge_free(e);
}

/* Stock n2n: the peer's REGISTER via the supernode first, then its direct
 * REGISTER; we ack and punch back. */
TEST(edge_peer_named_by_the_supernode_registers_directly)
{
	struct n2n_sock xs = sock4("198.18.1.2", 1000);
	struct sockaddr_storage x = sa4("198.18.1.2", 1000);
	struct edge *e = edge_new();
	struct edge_peer *p;

	reg(e, victim, &e->sn[0].sa, true, &xs);
	CHECK_EQ(e->peers.count, 1);
	CHECK_EQ(sent_to(&x), 1); /* joined its burst */
	reg(e, victim, &x, false, NULL);
	CHECK_EQ(sent_to(&x), 2); /* the ACK (the punch is rate-limited) */
	ack(e, victim, &x);
	p = edge_peer_find(e, victim);
	CHECK(p && p->p2p);
	edge_free(e);
}

static void mac_of(uint8_t mac[6], uint32_t i)
{
	mac[0] = 0x02, mac[1] = 0x55;
	mac[2] = (uint8_t)(i >> 16);
	mac[3] = (uint8_t)(i >> 8);
	mac[4] = (uint8_t)i;
	mac[5] = 0x01;
}

/* Relayed REGISTERs with made-up MACs fill the table: it stays at its
 * cap, and the oldest peers that never went P2P and were never sent to
 * make room, so a real new peer still gets in; proven peers stay. */
TEST(edge_peer_table_is_capped)
{
	struct sockaddr_storage x = sa4("198.18.1.2", 1000);
	struct edge *e = edge_new();
	struct sockaddr_storage sn = e->sn[0].sa;
	struct edge_peer *p2p, *sent_to_p;
	uint8_t mac[6];
	uint32_t i;

	p2p = p2p_peer(e, victim, &x);
	sent_to_p = edge_peer_get(e, other, evloop_now_ms());
	sent_to_p->tx_relay = 1; /* our TAP sent it a frame */
	for (i = 0; i < EDGE_MAX_PEERS + 10; i++) {
		mac_of(mac, i);
		reg(e, mac, &sn, true, NULL); /* relayed: a peer each */
	}
	CHECK_EQ(e->peers.count, EDGE_MAX_PEERS);
	CHECK_EQ(e->drops.n[n2nk_reason_slot(N2NK_TABLE_FULL)], 12);
	CHECK(edge_peer_find(e, victim) == p2p);
	CHECK(edge_peer_find(e, other) == sent_to_p);
	mac_of(mac, 11); /* the oldest junk went first */
	CHECK(edge_peer_find(e, mac) == NULL);
	mac_of(mac, 12);
	CHECK(edge_peer_find(e, mac) != NULL);
	mac_of(mac, EDGE_MAX_PEERS + 9);
	CHECK(edge_peer_find(e, mac) != NULL);
	edge_free(e);
}

/* Each relayed REGISTER with a made-up MAC and a SOCKET made us punch the
 * socket it names: a global bucket bounds that, counted as punch_limit. */
TEST(edge_punches_are_rate_limited)
{
	struct n2n_sock ts = sock4("198.18.7.7", 7777);
	struct edge *e = edge_new();
	struct sockaddr_storage sn = e->sn[0].sa;
	uint64_t t0 = evloop_now_ms(), ms;
	uint8_t mac[6];
	uint32_t i;

	for (i = 0; i < 2000; i++) {
		mac_of(mac, i);
		reg(e, mac, &sn, true, &ts);
	}
	ms = evloop_now_ms() - t0; /* the bucket refills meanwhile */
	CHECK_MSG((uint64_t)n_sent <= 512 + (ms + 1) * 256 / 1000,
		  "%d punches in %llu ms", n_sent, (unsigned long long)ms);
	CHECK(n_sent >= 512);
	CHECK_EQ(n_sent + (int)e->drops.n[n2nk_reason_slot(N2NK_PUNCH_LIMIT)],
		 2000);
	edge_free(e);
}

/*
 * Failover within one registration interval (final review F1): the
 * supernode dies right after answering; with a second one to go to, the
 * edge re-registers early enough that its three tries have failed and the
 * second supernode is asked before -i has passed since that answer.
 */
TEST(edge_fails_over_within_one_interval)
{
	struct sockaddr_storage sn2 = sa4("198.18.0.2", 7654);
	struct edge *e = edge_new();
	uint64_t t0 = 1000000, t, asked_sn2 = 0;
	int i;

	e->n_sn = 2;
	strcpy(e->sn[1].host, "198.18.0.2");
	e->sn[1].port = 7654;
	e->sn[1].sa = sn2;
	e->sn[1].resolved = true;
	e->reg_attempts = 3;
	e->last_reg_ms = t0; /* answered at once: sn_wait false */
	for (t = t0; t <= t0 + 2 * 20000 && !asked_sn2; t += 50) {
		int before = n_sent;

		edge_sn_tick(e, t);
		for (i = before; i < n_sent && i < MAX_SENT; i++)
			if (sent[i].type == N2N_MSG_REGISTER_SUPER &&
			    sockaddr_equal(&sent[i].to, &sn2))
				asked_sn2 = t;
	}
	CHECK(asked_sn2 != 0);
	CHECK_MSG(asked_sn2 - t0 < 20000, "sn2 asked %llu ms after the answer",
		  (unsigned long long)(asked_sn2 - t0));
	CHECK_EQ(e->cur_sn, 1);
	edge_free(e);
}

/* -r bridging (edge_bridge.c): learnt only from known peers, 300 s, a
 * cap with the stalest out, peers and our own TAP first. */
TEST(edge_bridge_learns_and_bounds)
{
	struct edge *e = edge_new();
	uint8_t host[6] = { 0x02, 0xbb, 0, 0, 0, 0 };
	unsigned int i;

	e->allow_routing = true;
	edge_bridge_learn(e, host, victim, 1000);
	CHECK(!edge_bridge_via(e, host, 1000)); /* victim: no peer yet */
	CHECK(edge_peer_get(e, victim, 1000));
	edge_bridge_learn(e, host, victim, 1000);
	CHECK(edge_bridge_via(e, host, 1000));
	CHECK(!memcmp(edge_bridge_via(e, host, 2000), victim, 6));
	CHECK(!edge_bridge_via(e, host, 1000 + 300 * 1000)); /* expired */
	CHECK_EQ(e->stats.bridge_hosts, 0);
	edge_bridge_learn(e, host, victim, 5000);
	edge_bridge_local(e, host); /* it moved to our side */
	CHECK(!edge_bridge_via(e, host, 5000));
	host[0] = 0x03; /* a group address is no host */
	edge_bridge_learn(e, host, victim, 5000);
	CHECK(!edge_bridge_via(e, host, 5000));
	/* A flood of source MACs: the table stays at its cap. */
	for (i = 0; i < 3 * EDGE_BRIDGE_MAX; i++) {
		host[0] = 0x02;
		host[4] = (uint8_t)(i >> 8);
		host[5] = (uint8_t)i;
		edge_bridge_learn(e, host, victim, 10000 + i);
	}
	CHECK_EQ(e->stats.bridge_hosts, EDGE_BRIDGE_MAX);
	CHECK_EQ(e->stats.bridge_evicted, 2 * EDGE_BRIDGE_MAX);
	CHECK(edge_bridge_via(e, host, 20000)); /* the newest stays */
	host[5] = 0;				/* the first ones went */
	host[4] = 0;
	CHECK(!edge_bridge_via(e, host, 20000));
	/* A peer's own MAC is never a host behind another. */
	edge_bridge_learn(e, other, victim, 20000);
	CHECK(edge_bridge_via(e, other, 20000));
	CHECK(edge_peer_get(e, other, 20000));
	CHECK(!edge_bridge_via(e, other, 20000));
	edge_bridge_free(e);
	CHECK_EQ(e->stats.bridge_hosts, 0);
	edge_free(e);
}

TEST(edge_bridge_off_without_r)
{
	struct edge *e = edge_new();
	uint8_t host[6] = { 0x02, 0xbb, 0, 0, 0, 1 };

	CHECK(edge_peer_get(e, victim, 1000));
	edge_bridge_learn(e, host, victim, 1000);
	CHECK(!edge_bridge_via(e, host, 1000));
	CHECK(!e->bridge);
	edge_free(e);
}

/* Supernode selection (edge_sn_select.c): a PING to each, the PONGs'
 * criteria, the move to the lowest after the first round. */
static void two_supernodes(struct edge *e)
{
	e->n_sn = 2;
	strcpy(e->sn[1].host, "198.18.0.2");
	e->sn[1].port = 7654;
	e->sn[1].sa = sa4("198.18.0.2", 7654);
	e->sn[1].resolved = true;
}

static void pong(struct edge *e, int sn, uint8_t last, uint32_t load,
		 uint64_t now)
{
	struct n2n_msg m;

	memset(&m, 0, sizeof(m));
	m.hdr.type = N2N_MSG_PEER_INFO;
	memcpy(m.u.peer_info.src_mac, our_mac, 6);
	m.u.peer_info.src_mac[5] = last;
	m.u.peer_info.load = load;
	edge_sn_select_pong(e, &m, sn, now);
}

TEST(edge_sn_select_by_mac_and_rtt)
{
	struct edge *e = edge_new();
	struct edge_conf c;
	char s[48];

	memset(&c, 0, sizeof(c));
	c.sn_selection = EDGE_SN_SELECT_MAC;
	e->conf = &c;
	two_supernodes(e);
	edge_sn_select_tick(e, 1000);
	CHECK_EQ(n_sent, 2); /* a PING each */
	CHECK_EQ(sent[0].type, N2N_MSG_QUERY_PEER);
	pong(e, 0, 0x09, 0, 1010);
	edge_sn_select_tick(e, 1020);
	CHECK_EQ(e->cur_sn, 0); /* sn 1 not heard yet, 3 s not over */
	pong(e, 1, 0x01, 0, 1030);
	pong(e, 1, 0x00, 0, 1031); /* a second PONG counts for nothing */
	edge_sn_select_tick(e, 1040);
	CHECK_EQ(e->cur_sn, 1);
	CHECK_EQ(sent[2].type, N2N_MSG_UNREGISTER_SUPER);
	CHECK(sockaddr_equal(&sent[2].to, &e->sn[0].sa));
	edge_sn_select_str(e, 1, s, sizeof(s));
	CHECK(!strcmp(s, "mac = 020000000001"));
	/* RTT: the far one answers late; the near one is taken. */
	c.sn_selection = EDGE_SN_SELECT_RTT;
	edge_sn_select_tick(e, 1000 + 30000); /* the next sweep */
	pong(e, 0, 0x09, 0, 31005);
	pong(e, 1, 0x01, 0, 31300);
	edge_sn_select_str(e, 1, s, sizeof(s));
	CHECK(!strcmp(s, "rtt = 300 ms"));
	e->sn_wait = false;
	edge_sn_select_tick(e, 61000);
	CHECK_EQ(e->cur_sn, 0);
	edge_free(e);
}

TEST(edge_sn_select_by_load_stays)
{
	struct edge *e = edge_new();
	char s[48];

	two_supernodes(e); /* no conf: n2n's default, load */
	edge_sn_select_tick(e, 1000);
	pong(e, 0, 0x09, 0, 1010);
	pong(e, 1, 0x01, 0, 1020);
	edge_sn_select_tick(e, 1030);
	CHECK_EQ(e->cur_sn, 0); /* both 0: the current one stays */
	edge_sn_select_str(e, 1, s, sizeof(s));
	CHECK(!strcmp(s, "load = 0"));
	/* A load is read byte-swapped, as n2n reads it; the current one's
	 * is scaled by peers/(peers + 1): 5 * 1/2 = 2 (0 without peers). */
	CHECK(edge_peer_get(e, victim, 30000));
	edge_sn_select_tick(e, 31000);
	pong(e, 0, 0x09, 0x05000000, 31010); /* 5 */
	pong(e, 1, 0x01, 0x01000000, 31020); /* 1 */
	edge_sn_select_tick(e, 61000);
	CHECK_EQ(e->cur_sn, 1);
	/* A supernode that does not answer is not chosen. */
	e->sn_wait = false;
	pong(e, 0, 0x09, 0, 61010);
	edge_sn_select_tick(e, 91000);
	CHECK_EQ(e->cur_sn, 0);
	edge_free(e);
}

/* The TTL each datagram left with (fd: the socket whose IP_TTL is read). */
static int ttl_fd = -1, ttl_seen[MAX_SENT];

static int ttl_send_udp(struct datapath *dp, const struct sockaddr_storage *to,
			const uint8_t *buf, size_t len)
{
	socklen_t l = sizeof(int);

	if (n_sent < MAX_SENT &&
	    getsockopt(ttl_fd, IPPROTO_IP, IP_TTL, &ttl_seen[n_sent], &l) < 0)
		ttl_seen[n_sent] = -1;
	return fake_send_udp(dp, to, buf, len);
}

static const struct datapath_ops ttl_ops = {
	.name = "fake-ttl",
	.send_udp = ttl_send_udp,
	.send_tap = fake_send_tap,
};

/* -L 2: a burst's first punch leaves with TTL 2, the socket's TTL is the
 * default again after it, and the peer's relayed REGISTER that comes in the
 * same second makes no punch at full TTL (the peer's own first punch has
 * not opened its NAT yet). */
TEST(edge_register_ttl_limits_the_first_punch)
{
	struct n2n_sock xs = sock4("198.18.1.2", 1000);
	struct sockaddr_storage x = sa4("198.18.1.2", 1000);
	struct edge *e = edge_new();
	int dflt = 0, now_ttl = 0;
	socklen_t l = sizeof(int);

	ttl_fd = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(ttl_fd >= 0);
	CHECK(getsockopt(ttl_fd, IPPROTO_IP, IP_TTL, &dflt, &l) == 0);
	e->dp.ops = &ttl_ops;
	e->dp.udp_fd = ttl_fd;
	e->dp.udp_family = AF_INET;
	e->register_ttl = 2;
	peer_info(e, victim, &xs, NULL);
	CHECK_EQ(n_sent, 1);
	CHECK_EQ(sent_to(&x), 1);
	CHECK_EQ(ttl_seen[0], 2);
	CHECK(getsockopt(ttl_fd, IPPROTO_IP, IP_TTL, &now_ttl, &l) == 0);
	CHECK_EQ(now_ttl, dflt);
	CHECK_EQ(e->stats.punch_tx, 1);
	CHECK_EQ(e->stats.punch_ttl_tx, 1);
	reg(e, victim, &e->sn[0].sa, true, &xs); /* the peer's relayed one */
	CHECK_EQ(n_sent, 1);
	e->dp.udp_fd = -1;
	close(ttl_fd);
	ttl_fd = -1;
	edge_free(e);
}

/* -L 1: the first punch is not sent (the peer's comes first); 0: it is. */
TEST(edge_register_ttl_1_skips_the_first_punch)
{
	struct n2n_sock xs = sock4("198.18.1.2", 1000);
	struct edge *e = edge_new();

	e->register_ttl = 1;
	peer_info(e, victim, &xs, NULL);
	CHECK_EQ(n_sent, 0);
	CHECK_EQ(e->stats.punch_skipped, 1);
	CHECK_EQ(e->stats.punch_tx, 0);
	edge_free(e);
	e = edge_new();
	peer_info(e, victim, &xs, NULL);
	CHECK_EQ(n_sent, 1);
	CHECK_EQ(e->stats.punch_tx, 1);
	CHECK_EQ(e->stats.punch_ttl_tx, 0);
	edge_free(e);
}
