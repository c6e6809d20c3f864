// SPDX-License-Identifier: GPL-2.0-only
/*
 * The supernode's registry against a hostile network (issue 11): messages
 * handed to sn_handle() as the receive path would, with a datapath that
 * only records where datagrams would go. Federation only when configured,
 * forwarded registrations authenticated, bounded and ageing tables, no
 * edge at an impossible, own or member socket, TTL between supernodes,
 * edges per source bounded, auto-IP without a walk, escaped log names.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/sockaddr.h"
#include "conf/conf.h"
#include "supernode/supernode.h"
#include "test.h"

#define SN_PORT 7654

static struct {
	unsigned int n;
	struct sockaddr_storage to;
	uint8_t ttl;		       /* of a plaintext datagram */
	struct sockaddr_storage watch; /* the last datagram's length to it */
	size_t watch_len;
	uint8_t last[N2N_PKT_BUF_SIZE]; /* the last datagram */
	size_t last_len;
} sent;

static int fake_send(struct datapath *dp __attribute__((unused)),
		     const struct sockaddr_storage *to, const uint8_t *buf,
		     size_t len)
{
	sent.n++;
	sent.to = *to;
	sent.ttl = len > 1 ? buf[1] : 0;
	if (sockaddr_equal(to, &sent.watch))
		sent.watch_len = len;
	sent.last_len = len < sizeof(sent.last) ? len : 0;
	memcpy(sent.last, buf, sent.last_len);
	return 0;
}

static const struct datapath_ops fake_ops = { .name = "fake",
					      .send_udp = fake_send };

static struct msg_opened opened; /* big: off the stack */
static int saved_level;

static struct sn_conf *conf_of(const char *a1, const char *a2)
{
	static struct sn_conf cf;
	char *argv[] = { "supernode", "-p",	  "198.18.0.1:7654",
			 (char *)a1,  (char *)a2, NULL };
	int argc = 3 + (a1 != NULL) + (a2 != NULL);
	char err[256];

	sn_conf_free(&cf);
	CHECK_MSG(!sn_conf_parse(&cf, argc, argv, err, sizeof(err)), "%s", err);
	return &cf;
}

/* A supernode at 198.18.0.1:7654 without sockets; a1/a2: more options. */
static void sn_up(struct supernode *sn, const char *a1, const char *a2)
{
	struct sn_conf *cf;

	memset(sn, 0, sizeof(*sn));
	memset(&sent, 0, sizeof(sent));
	saved_level = log_level;
	log_level = LOG_LEVEL_ERROR; /* quiet: every member and community */
	evloop_reset(&sn->loop);
	cf = conf_of(a1, a2);
	sn->conf = cf;
	sn->community_list = &cf->communities;
	memset(sn->mac, 0x02, MAC_SIZE);
	sn->dp.ops = &fake_ops;
	sn->dp.udp_fd = -1;
	sn->dp.bound_port = SN_PORT;
	CHECK(!sn_fed_init(sn));
}

static void sn_down(struct supernode *sn)
{
	sn->dp.ops = NULL;
	sn_fini(sn);
	log_level = saved_level;
}

static struct sockaddr_storage sa4(const char *ip, uint16_t port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	in->sin_family = AF_INET;
	in->sin_port = htons(port);
	inet_pton(AF_INET, ip, &in->sin_addr);
	return ss;
}

static struct sockaddr_storage sa6(const char *ip, uint16_t port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	in6->sin6_family = AF_INET6;
	in6->sin6_port = htons(port);
	inet_pton(AF_INET6, ip, &in6->sin6_addr);
	return ss;
}

static void mac_n(uint8_t mac[MAC_SIZE], unsigned int n)
{
	mac[0] = 0x02;
	mac[1] = 0xee;
	mac[2] = (uint8_t)(n >> 24);
	mac[3] = (uint8_t)(n >> 16);
	mac[4] = (uint8_t)(n >> 8);
	mac[5] = (uint8_t)n;
}

static void reg_super(struct n2n_msg *m, const struct sn_community *c,
		      unsigned int n, uint8_t token)
{
	struct n2n_register_super *r = &m->u.reg_super;

	memset(m, 0, sizeof(*m));
	m->hdr.ttl = 2;
	m->hdr.type = N2N_MSG_REGISTER_SUPER;
	memcpy(m->hdr.community, c->name, N2N_COMMUNITY_SIZE);
	r->cookie = n;
	mac_n(r->edge_mac, n);
	r->dev_addr.addr = 0x0a000000 | n; /* 10.0.x.y/24: no auto-IP */
	r->dev_addr.prefix = 24;
	r->auth.scheme = N2N_AUTH_SIMPLE_ID;
	r->auth.token_size = N2N_AUTH_ID_TOKEN_SIZE;
	memset(r->auth.token, token, N2N_AUTH_ID_TOKEN_SIZE);
}

/* Edge n registers in c from sa (token 0x11). */
static void register_edge(struct supernode *sn, struct sn_community *c,
			  unsigned int n, const struct sockaddr_storage *sa)
{
	struct n2n_msg m;

	reg_super(&m, c, n, 0x11);
	sn_handle(sn, c, &m, sa, &opened);
}

static bool has_edge(struct sn_community *c, unsigned int n)
{
	uint8_t mac[MAC_SIZE];

	mac_n(mac, n);
	return mac_table_find(&c->edges, mac) != NULL;
}

/* Supernode MAC n answers from sa with cookie, listing n_listed others. */
static void fed_ack(struct supernode *sn, unsigned int n,
		    const struct sockaddr_storage *sa, uint32_t cookie,
		    const struct sockaddr_storage *listed,
		    unsigned int listed_n)
{
	struct n2n_register_super_ack *k;
	struct n2n_msg m;

	memset(&m, 0, sizeof(m));
	m.hdr.ttl = 2;
	m.hdr.type = N2N_MSG_REGISTER_SUPER_ACK;
	m.hdr.flags = N2N_FLAGS_SOCKET | N2N_FLAGS_FROM_SUPERNODE;
	memcpy(m.hdr.community, sn->federation->name, N2N_COMMUNITY_SIZE);
	k = &m.u.reg_super_ack;
	k->cookie = cookie;
	mac_n(k->src_mac, n);
	if (listed) {
		const struct sockaddr_in *in = (const void *)listed;

		k->num_sn = 1;
		k->sn[0].family = 2;
		k->sn[0].port = ntohs(in->sin_port);
		memcpy(k->sn[0].addr, &in->sin_addr, 4);
		mac_n(k->sn[0].mac, listed_n);
	}
	sn_handle(sn, sn->federation, &m, sa, &opened);
}

/* Supernode MAC n registers from sa (what anyone can send). */
static void fed_register(struct supernode *sn, unsigned int n,
			 const struct sockaddr_storage *sa)
{
	struct n2n_msg m;

	reg_super(&m, sn->federation, n, 0x77);
	m.hdr.flags = N2N_FLAGS_FROM_SUPERNODE;
	sn_handle(sn, sn->federation, &m, sa, &opened);
}

/* Another supernode (MAC n) joins from sa: registers, answers our cookie. */
static void join_member(struct supernode *sn, unsigned int n,
			const struct sockaddr_storage *sa)
{
	fed_register(sn, n, sa);
	fed_ack(sn, n, sa, sn_fed_cookie(sn, sa, evloop_now_ms()), NULL, 0);
}

static uint64_t dropped(const struct supernode *sn, enum n2nk_reason why)
{
	return sn->drops.n[n2nk_reason_slot(why)];
}

static void broadcast(struct n2n_msg *m, const struct sn_community *c,
		      unsigned int src, uint16_t flags, uint8_t ttl)
{
	static const uint8_t frame[64];

	memset(m, 0, sizeof(*m));
	m->hdr.ttl = ttl;
	m->hdr.type = N2N_MSG_PACKET;
	m->hdr.flags = flags;
	memcpy(m->hdr.community, c->name, N2N_COMMUNITY_SIZE);
	mac_n(m->u.packet.src_mac, src);
	memset(m->u.packet.dst_mac, 0xff, MAC_SIZE);
	m->u.packet.payload = frame;
	m->u.packet.payload_len = sizeof(frame);
}

TEST(sn_federates_only_when_configured)
{
	struct supernode sn;

	sn_up(&sn, NULL, NULL);
	CHECK(sn.federation == NULL);
	sn_down(&sn);
	sn_up(&sn, "-F", "ours");
	CHECK(sn.federation != NULL);
	sn_down(&sn);
	sn_up(&sn, "-l", "198.18.0.2:7654");
	CHECK(sn.federation != NULL);
	sn_down(&sn);
}

TEST(sn_forwarded_registration_needs_the_edges_token)
{
	struct sockaddr_storage member = sa4("198.18.0.2", SN_PORT);
	struct sockaddr_storage edge = sa4("198.18.1.1", 5000);
	struct sn_community *c;
	struct supernode sn;
	struct n2n_msg m;

	sn_up(&sn, "-F", "ours");
	c = sn_community_add(&sn, "hostile", false);
	join_member(&sn, 900, &member);
	register_edge(&sn, c, 1, &edge);
	CHECK(has_edge(c, 1));
	/* A member passes on a registration with another token: a lie. */
	reg_super(&m, c, 1, 0x66);
	m.hdr.flags = N2N_FLAGS_FROM_SUPERNODE | N2N_FLAGS_SOCKET;
	sent.n = 0;
	sn_handle(&sn, c, &m, &member, &opened);
	CHECK(has_edge(c, 1));
	CHECK_EQ(dropped(&sn, N2NK_AUTH), 1);
	CHECK_EQ(sent.n, 1); /* the NAK, to that supernode */
	CHECK(sockaddr_equal(&sent.to, &member));
	/* With the edge's own token the edge has moved there. */
	reg_super(&m, c, 1, 0x11);
	m.hdr.flags = N2N_FLAGS_FROM_SUPERNODE | N2N_FLAGS_SOCKET;
	sn_handle(&sn, c, &m, &member, &opened);
	CHECK(!has_edge(c, 1));
	sn_down(&sn);
}

TEST(sn_federation_tables_are_capped_and_age)
{
	struct sockaddr_storage member = sa4("198.18.0.2", SN_PORT);
	struct sn_community *c;
	struct supernode sn;
	struct n2n_msg m;
	unsigned int i;

	sn_up(&sn, "-F", "ours");
	for (i = 0; i < 200; i++) {
		struct sockaddr_storage sa =
			sa4("198.18.0.3", (uint16_t)(10000 + i));

		join_member(&sn, 1000 + i, &sa);
	}
	CHECK(sn.federation->edges.count <= 64);
	CHECK(dropped(&sn, N2NK_TABLE_FULL) > 0);
	/* Broadcasts naming ever new MACs, from a member. */
	c = sn_community_add(&sn, "hostile", false);
	join_member(&sn, 900, &member);
	if (!sn_fed_is_member(&sn, &member)) { /* the cap took its place */
		sn_down(&sn);
		sn_up(&sn, "-F", "ours");
		c = sn_community_add(&sn, "hostile", false);
		join_member(&sn, 900, &member);
	}
	for (i = 0; i < 20000; i++) {
		broadcast(&m, c, 100000 + i,
			  N2N_FLAGS_FROM_SUPERNODE | N2N_FLAGS_SOCKET, 1);
		sn_handle(&sn, c, &m, &member, &opened);
	}
	CHECK(c->remote.count > 0);
	CHECK(c->remote.count <= 16384);
	/* Associations age (n2n: 180 s). */
	c->listed = true; /* keep the empty community */
	sn_purge(&sn, evloop_now_ms() + 200000);
	CHECK_EQ(c->remote.count, 0);
	sn_down(&sn);
}

TEST(sn_refuses_edges_at_impossible_sockets)
{
	static const struct {
		const char *ip;
		uint16_t port;
	} bad[] = {
		{ "0.1.2.3", 5000 },   { "0.0.0.0", 5000 },
		{ "224.0.0.1", 5000 }, { "239.255.255.250", 1900 },
		{ "240.0.0.1", 5000 }, { "255.255.255.255", 5000 },
		{ "198.18.1.1", 0 },   { "198.18.0.1", SN_PORT }, /* ours */
	};
	struct sockaddr_storage sa;
	struct sn_community *c;
	struct supernode sn;
	unsigned int i;

	sn_up(&sn, NULL, NULL);
	c = sn_community_add(&sn, "hostile", false);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sa = sa4(bad[i].ip, bad[i].port);
		register_edge(&sn, c, i + 1, &sa);
		CHECK_MSG(!has_edge(c, i + 1), "an edge at %s:%u", bad[i].ip,
			  bad[i].port);
	}
	CHECK_EQ(sent.n, 0); /* not even an answer */
	CHECK_EQ(dropped(&sn, N2NK_BAD_EDGE_SOCKET),
		 sizeof(bad) / sizeof(bad[0]));
	/* An edge on this host (-l 127.0.0.1): the stack keeps 127/8 off
	 * the wire, and the AF_XDP check drops it there, so it is one. */
	sa = sa4("127.0.0.1", 5000);
	register_edge(&sn, c, 99, &sa);
	CHECK(has_edge(c, 99));
	sn_down(&sn);
	/* Nor at a supernode we federate with (-l) before it answers. */
	sn_up(&sn, "-l", "198.18.0.9:7654");
	c = sn_community_add(&sn, "hostile", false);
	sa = sa4("198.18.0.9", SN_PORT);
	register_edge(&sn, c, 50, &sa);
	CHECK(!has_edge(c, 50));
	sa = sa4("198.18.1.1", 5000);
	register_edge(&sn, c, 100, &sa);
	CHECK(has_edge(c, 100));
	sn_down(&sn);
}

TEST(sn_no_edge_at_a_members_socket_nor_broadcast_to_one)
{
	struct sockaddr_storage member = sa4("198.18.0.2", SN_PORT);
	struct sockaddr_storage later = sa4("198.18.0.4", SN_PORT);
	struct sockaddr_storage e1 = sa4("198.18.1.1", 5000);
	struct sn_community *c;
	struct supernode sn;
	struct n2n_msg m;

	sn_up(&sn, "-F", "ours");
	c = sn_community_add(&sn, "hostile", false);
	join_member(&sn, 900, &member);
	register_edge(&sn, c, 1, &member);
	CHECK(!has_edge(c, 1));
	/* An edge "at" a socket that then turns out to be a supernode's. */
	register_edge(&sn, c, 2, &later);
	register_edge(&sn, c, 3, &e1);
	CHECK(has_edge(c, 2) && has_edge(c, 3));
	join_member(&sn, 901, &later);
	sent.n = 0;
	broadcast(&m, c, 3, 0, 2);
	sn_handle(&sn, c, &m, &e1, &opened);
	/* Once to each member, never to the edge at the member's socket. */
	CHECK_EQ(sent.n, 2);
	sn_down(&sn);
}

/* A member's ACK may list any socket: naming one is no eviction. */
TEST(sn_a_listed_supernode_evicts_no_edge)
{
	struct sockaddr_storage member = sa4("198.18.0.2", SN_PORT);
	struct sockaddr_storage e1 = sa4("198.18.1.1", 5000);
	struct sn_community *c;
	struct supernode sn;

	sn_up(&sn, "-F", "ours");
	c = sn_community_add(&sn, "hostile", false);
	join_member(&sn, 900, &member);
	register_edge(&sn, c, 1, &e1);
	sent.n = 0;
	fed_ack(&sn, 900, &member, sn_fed_cookie(&sn, &member, evloop_now_ms()),
		&e1, 901);
	/* It is asked, not taken in: only its own answer makes it one. */
	CHECK_EQ(sn.federation->edges.count, 1);
	CHECK_EQ(sent.n, 1);
	CHECK(sockaddr_equal(&sent.to, &e1));
	CHECK(has_edge(c, 1));
	sn_down(&sn);
}

/*
 * A REGISTER_SUPER with a spoofed source (issue 11, review M3): it makes
 * no member, so it evicts no edge, learns no member list, gets no
 * broadcast; the answer is one bare ACK and our own REGISTER_SUPER, and
 * those are rationed.
 */
TEST(sn_federation_join_needs_return_routability)
{
	struct sockaddr_storage victim = sa4("198.18.1.1", 5000);
	struct sockaddr_storage e2 = sa4("198.18.1.2", 5000);
	struct sockaddr_storage member = sa4("198.18.0.2", SN_PORT);
	struct sn_community *c;
	struct supernode sn;
	struct n2n_msg m;
	unsigned int i;

	sn_up(&sn, "-F", "ours");
	c = sn_community_add(&sn, "hostile", false);
	join_member(&sn, 900, &member);
	register_edge(&sn, c, 1, &victim);
	register_edge(&sn, c, 2, &e2);
	sent.n = 0;
	fed_register(&sn, 901, &victim);
	CHECK(!sn_fed_is_member(&sn, &victim));
	CHECK(has_edge(c, 1));
	CHECK_EQ(sent.n, 2); /* a bare ACK and our REGISTER_SUPER */
	/* Wrong cookie: one for another socket, or an old random guess. */
	fed_ack(&sn, 901, &victim, sn_fed_cookie(&sn, &e2, evloop_now_ms()),
		NULL, 0);
	fed_ack(&sn, 901, &victim, 0x12345678, NULL, 0);
	CHECK(!sn_fed_is_member(&sn, &victim));
	CHECK(has_edge(c, 1));
	CHECK_EQ(dropped(&sn, N2NK_UNEXPECTED), 2);
	/* Broadcasts go to the edges and the one member. */
	sent.n = 0;
	broadcast(&m, c, 2, 0, 2);
	sn_handle(&sn, c, &m, &e2, &opened);
	CHECK_EQ(sent.n, 2);
	/* A flood of joins from ever new sockets: answers rationed. */
	sent.n = 0;
	for (i = 0; i < 1000; i++) {
		struct sockaddr_storage sa =
			sa4("198.18.0.7", (uint16_t)(20000 + i));

		fed_register(&sn, 2000 + i, &sa);
	}
	CHECK(sent.n <= 2 * 32 + 2);
	CHECK(dropped(&sn, N2NK_SOURCE_LIMIT) > 900);
	CHECK_EQ(sn.federation->edges.count, 1);
	sn_down(&sn);
}

/* A live member's MAC claimed from another socket: no path move. */
TEST(sn_federation_member_keeps_its_socket)
{
	struct sockaddr_storage member = sa4("198.18.0.2", SN_PORT);
	struct sockaddr_storage other = sa4("198.18.0.66", SN_PORT);
	struct supernode sn;

	sn_up(&sn, "-F", "ours");
	join_member(&sn, 900, &member);
	join_member(&sn, 900, &other); /* passes the cookie at its socket */
	CHECK(sn_fed_is_member(&sn, &member));
	CHECK(!sn_fed_is_member(&sn, &other));
	/* A restart there (new MAC, same socket) replaces the old entry. */
	join_member(&sn, 901, &member);
	CHECK(sn_fed_is_member(&sn, &member));
	CHECK_EQ(sn.federation->edges.count, 1);
	sn_down(&sn);
}

/* Strangers filling the member slots do not lock out an anchor (-l). */
TEST(sn_federation_anchor_beyond_the_cap)
{
	struct sockaddr_storage anchor = sa4("198.18.0.9", 7654);
	struct supernode sn;
	unsigned int i;

	sn_up(&sn, "-l", "198.18.0.9:7654");
	for (i = 0; i < 100; i++) {
		struct sockaddr_storage sa =
			sa4("198.18.0.3", (uint16_t)(10000 + i));

		join_member(&sn, 1000 + i, &sa);
	}
	CHECK_EQ(sn.federation->edges.count, 64);
	join_member(&sn, 900, &anchor);
	CHECK(sn_fed_is_member(&sn, &anchor));
	sn_down(&sn);
}

TEST(sn_no_broadcast_to_an_edge_at_our_own_address)
{
	struct sockaddr_storage e1 = sa4("198.18.5.5", SN_PORT);
	struct sockaddr_storage e2 = sa4("198.18.1.1", 5000);
	struct sn_community *c;
	struct sn_conf *cf;
	struct supernode sn;
	struct n2n_msg m;

	sn_up(&sn, NULL, NULL);
	cf = (struct sn_conf *)sn.conf;
	cf->bind_addr.family = AF_UNSPEC; /* -p 7654: every address */
	c = sn_community_add(&sn, "hostile", false);
	register_edge(&sn, c, 1, &e1);
	register_edge(&sn, c, 2, &e2);
	CHECK(has_edge(c, 1) && has_edge(c, 2));
	/* An interface of ours gets that address. */
	inet_pton(AF_INET, "198.18.5.5", &sn.own_addrs[0]);
	sn.n_own_addrs = 1;
	sent.n = 0;
	broadcast(&m, c, 2, 0, 2);
	sn_handle(&sn, c, &m, &e2, &opened);
	CHECK_EQ(sent.n, 0);
	register_edge(&sn, c, 3, &e1);
	CHECK(!has_edge(c, 3));
	sn_down(&sn);
}

TEST(sn_no_edge_at_our_own_ipv6_address)
{
	struct sockaddr_storage own = sa6("2001:db8::1", SN_PORT);
	struct sockaddr_storage other = sa6("2001:db8::1", SN_PORT + 1);
	struct sn_community *c;
	struct sn_conf *cf;
	struct supernode sn;

	sn_up(&sn, NULL, NULL);
	cf = (struct sn_conf *)sn.conf;
	cf->bind_addr.family = AF_UNSPEC; /* dual-stack, every address */
	c = sn_community_add(&sn, "hostile6", false);
	inet_pton(AF_INET6, "2001:db8::1", &sn.own_addrs6[0]);
	sn.n_own_addrs6 = 1;
	register_edge(&sn, c, 1, &own);
	CHECK(!has_edge(c, 1));
	register_edge(&sn, c, 2, &other); /* another port: an edge here */
	CHECK(has_edge(c, 2));
	/* -p [addr]:port: that address only. */
	cf->bind_addr.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::7", &cf->bind_addr.v6);
	own = sa6("2001:db8::7", SN_PORT);
	register_edge(&sn, c, 3, &own);
	CHECK(!has_edge(c, 3));
	own = sa6("2001:db8::1", SN_PORT); /* not ours with that -p */
	register_edge(&sn, c, 4, &own);
	CHECK(has_edge(c, 4));
	sn_down(&sn);
}

TEST(sn_ttl_between_supernodes)
{
	struct sockaddr_storage member = sa4("198.18.0.2", SN_PORT);
	struct sockaddr_storage e1 = sa4("198.18.1.1", 5000);
	struct sn_community *c;
	struct supernode sn;
	struct n2n_msg m;

	sn_up(&sn, "-F", "ours");
	c = sn_community_add(&sn, "hostile", false);
	join_member(&sn, 900, &member);
	register_edge(&sn, c, 1, &e1);
	sent.n = 0;
	broadcast(&m, c, 7, N2N_FLAGS_FROM_SUPERNODE | N2N_FLAGS_SOCKET, 0);
	sn_handle(&sn, c, &m, &member, &opened);
	CHECK_EQ(sent.n, 0);
	CHECK_EQ(dropped(&sn, N2NK_TTL_EXPIRED), 1);
	broadcast(&m, c, 7, N2N_FLAGS_FROM_SUPERNODE | N2N_FLAGS_SOCKET, 1);
	sn_handle(&sn, c, &m, &member, &opened);
	CHECK_EQ(sent.n, 1);
	CHECK_EQ(sent.ttl, 0); /* spent: the next supernode drops it */
	sn_down(&sn);
}

/*
 * Spoofed registrations at a victim's address: a broadcast still sends it
 * one copy per socket and at most SN_MAX_BCAST_PER_IP in all (no
 * amplification), and they lock nobody out: a real edge behind that
 * address still registers, in any community.
 */
TEST(sn_broadcast_copies_per_source_are_bounded)
{
	struct sockaddr_storage victim = sa4("198.18.2.2", 4000);
	struct sockaddr_storage sender = sa4("198.18.1.1", 5000);
	struct sn_community *c, *real;
	struct supernode sn;
	struct n2n_msg m;
	unsigned int i;

	sn_up(&sn, NULL, NULL);
	c = sn_community_add(&sn, "hostile", false);
	real = sn_community_add(&sn, "real", false);
	register_edge(&sn, c, 1, &sender);
	for (i = 2; i <= 50; i++) /* one socket */
		register_edge(&sn, c, i, &victim);
	for (i = 1; i <= 300; i++) { /* one IP, a port each */
		struct sockaddr_storage sa =
			sa4("198.18.2.2", (uint16_t)(20000 + i));

		register_edge(&sn, c, 100 + i, &sa);
	}
	CHECK_EQ(c->edges.count, 1 + 49 + 300); /* none refused */
	sent.n = 0;
	broadcast(&m, c, 1, 0, 2);
	sn_handle(&sn, c, &m, &sender, &opened);
	CHECK_EQ(sent.n, SN_MAX_BCAST_PER_IP);
	CHECK_EQ(dropped(&sn, N2NK_SOURCE_LIMIT),
		 49 + 300 - SN_MAX_BCAST_PER_IP);
	/* The next broadcast gets its own share. */
	sent.n = 0;
	sn_handle(&sn, c, &m, &sender, &opened);
	CHECK_EQ(sent.n, SN_MAX_BCAST_PER_IP);
	/* A real edge behind the victim's address still registers. */
	victim = sa4("198.18.2.2", 4001);
	register_edge(&sn, real, 1000, &victim);
	CHECK(has_edge(real, 1000));
	sn_down(&sn);
}

/* Edge src sends a unicast PACKET to edge dst through sn; the datagram
 * sent on (plaintext) decoded into out. */
static bool relay_unicast(struct supernode *sn, struct sn_community *c,
			  unsigned int src, unsigned int dst,
			  const struct sockaddr_storage *from,
			  struct n2n_msg *out)
{
	struct n2n_msg m;

	broadcast(&m, c, src, 0, 2);
	mac_n(m.u.packet.dst_mac, dst);
	sent.n = 0;
	sn_handle(sn, c, &m, from, &opened);
	return sent.n == 1 && wire_decode(out, sent.last, sent.last_len) > 0;
}

static void query_peer(struct supernode *sn, struct sn_community *c,
		       unsigned int asker, unsigned int target,
		       const struct sockaddr_storage *from)
{
	struct n2n_msg m;

	memset(&m, 0, sizeof(m));
	m.hdr.ttl = 2;
	m.hdr.type = N2N_MSG_QUERY_PEER;
	memcpy(m.hdr.community, c->name, N2N_COMMUNITY_SIZE);
	mac_n(m.u.query_peer.src_mac, asker);
	mac_n(m.u.query_peer.target_mac, target);
	sent.n = 0;
	sn_handle(sn, c, &m, from, &opened);
}

/*
 * Stock n2n sends to an IPv6 socket through an uninitialised sockaddr:
 * an edge registered over IPv4 (maybe stock) never learns one, neither in
 * a relayed PACKET nor in PEER_INFO. IPv6 edges (ours) learn both kinds.
 */
TEST(sn_ipv4_edges_are_never_told_an_ipv6_socket)
{
	struct sockaddr_storage e6 = sa6("2001:db8::11", 5001);
	struct sockaddr_storage e4 = sa4("198.18.2.2", 4002);
	struct sockaddr_storage f6 = sa6("2001:db8::13", 5003);
	struct sn_community *c;
	struct supernode sn;
	struct n2n_msg out;
	char buf[SOCKADDR_STR_MAX];

	sn_up(&sn, NULL, NULL);
	c = sn_community_add(&sn, "mix", false);
	register_edge(&sn, c, 1, &e6);
	register_edge(&sn, c, 2, &e4);
	register_edge(&sn, c, 3, &f6);
	CHECK(has_edge(c, 1) && has_edge(c, 2) && has_edge(c, 3));

	CHECK(relay_unicast(&sn, c, 1, 2, &e6, &out)); /* IPv6 -> IPv4 */
	CHECK(sockaddr_equal(&sent.to, &e4));
	CHECK(!(out.hdr.flags & N2N_FLAGS_SOCKET));
	CHECK(out.hdr.flags & N2N_FLAGS_FROM_SUPERNODE);

	CHECK(relay_unicast(&sn, c, 1, 3, &e6, &out)); /* IPv6 -> IPv6 */
	CHECK(out.hdr.flags & N2N_FLAGS_SOCKET);
	CHECK(out.u.packet.sock.ipv6);
	CHECK(!strcmp(sock_str(&out.u.packet.sock, buf),
		      "[2001:db8::11]:5001"));

	CHECK(relay_unicast(&sn, c, 2, 3, &e4, &out)); /* IPv4 -> IPv6 */
	CHECK(out.hdr.flags & N2N_FLAGS_SOCKET);
	CHECK(!strcmp(sock_str(&out.u.packet.sock, buf), "198.18.2.2:4002"));

	query_peer(&sn, c, 2, 1, &e4); /* IPv4 edge asks for an IPv6 one */
	CHECK_EQ(sent.n, 0);
	CHECK_EQ(sn.stats.peer_info_v6_withheld, 1);
	query_peer(&sn, c, 3, 1, &f6); /* an IPv6 edge does learn it */
	CHECK_EQ(sent.n, 1);
	CHECK(wire_decode(&out, sent.last, sent.last_len) > 0);
	CHECK_EQ(out.hdr.type, N2N_MSG_PEER_INFO);
	CHECK(!strcmp(sock_str(&out.u.peer_info.sock, buf),
		      "[2001:db8::11]:5001"));
	query_peer(&sn, c, 1, 2, &e6); /* and of IPv4 ones too */
	CHECK_EQ(sent.n, 1);
	sn_down(&sn);
}

/* The same rule for whatever else goes to an IPv4 socket: a PEER_INFO a
 * federation member answered, a PACKET for a member (maybe stock, which
 * hands it to its edges). */
TEST(sn_send_keeps_ipv6_sockets_from_ipv4_sockets)
{
	struct sockaddr_storage v4 = sa4("198.18.2.2", 4002);
	struct sockaddr_storage v6 = sa6("2001:db8::13", 5003);
	struct n2n_sock s6 = { .ipv6 = true, .port = 5001 };
	struct n2n_sock s4 = { .port = 4001, .addr = { 198, 18, 1, 1 } };
	struct sn_community *c;
	struct supernode sn;
	struct n2n_msg m, out;

	s6.addr[0] = 0x20, s6.addr[1] = 0x01, s6.addr[15] = 0x11;
	sn_up(&sn, NULL, NULL);
	c = sn_community_add(&sn, "mix", false);
	memset(&m, 0, sizeof(m));
	m.hdr.ttl = 2;
	m.hdr.type = N2N_MSG_PEER_INFO;
	m.hdr.flags = N2N_FLAGS_FROM_SUPERNODE;
	memcpy(m.hdr.community, c->name, N2N_COMMUNITY_SIZE);
	m.u.peer_info.sock = s6;
	sent.n = 0;
	CHECK(sn_send(&sn, c, &v4, &m) < 0);
	CHECK_EQ(sent.n, 0);
	CHECK_EQ(sn.stats.peer_info_v6_withheld, 1);
	CHECK_EQ(sn_send(&sn, c, &v6, &m), 0);
	CHECK_EQ(sent.n, 1);
	/* An IPv4 peer with an IPv6 preferred socket: without the latter. */
	m.u.peer_info.sock = s4;
	m.u.peer_info.preferred_sock = s6;
	m.hdr.flags |= N2N_FLAGS_SOCKET;
	CHECK_EQ(sn_send(&sn, c, &v4, &m), 0);
	CHECK(wire_decode(&out, sent.last, sent.last_len) > 0);
	CHECK(!(out.hdr.flags & N2N_FLAGS_SOCKET));
	CHECK(!memcmp(out.u.peer_info.sock.addr, s4.addr, 4));
	/* A PACKET with an IPv4 sender's socket goes as it is. */
	broadcast(&m, c, 1, N2N_FLAGS_SOCKET | N2N_FLAGS_FROM_SUPERNODE, 2);
	m.u.packet.sock = s4;
	CHECK_EQ(sn_send(&sn, c, &v4, &m), 0);
	CHECK(wire_decode(&out, sent.last, sent.last_len) > 0);
	CHECK(out.hdr.flags & N2N_FLAGS_SOCKET);
	sn_down(&sn);
}

/* An IPv6 host (its /64) gets the share of broadcast copies an IPv4
 * address gets, whatever its addresses and ports. */
TEST(sn_broadcast_copies_per_ipv6_source_are_bounded)
{
	struct sockaddr_storage sender = sa6("2001:db8:1::1", 5000);
	struct sn_community *c;
	struct supernode sn;
	struct n2n_msg m;
	unsigned int i;

	sn_up(&sn, NULL, NULL);
	c = sn_community_add(&sn, "hostile6", false);
	register_edge(&sn, c, 1, &sender);
	for (i = 1; i <= 100; i++) {
		char ip[64];
		struct sockaddr_storage sa;

		snprintf(ip, sizeof(ip), "2001:db8:2::%x", i);
		sa = sa6(ip, (uint16_t)(20000 + i));
		register_edge(&sn, c, 100 + i, &sa);
	}
	CHECK_EQ(c->edges.count, 101);
	sent.n = 0;
	broadcast(&m, c, 1, 0, 2);
	sn_handle(&sn, c, &m, &sender, &opened);
	CHECK_EQ(sent.n, SN_MAX_BCAST_PER_IP);
	CHECK_EQ(dropped(&sn, N2NK_SOURCE_LIMIT), 100 - SN_MAX_BCAST_PER_IP);
	sn_down(&sn);
}

TEST(sn_auto_ip_naks_a_full_subnet)
{
	struct sn_community *c;
	struct supernode sn;
	uint32_t net = 0, seen[8] = { 0 };
	unsigned int i, acked = 0;
	struct n2n_msg m;

	sn_up(&sn, NULL, NULL);
	c = sn_community_add(&sn, "autoip", false);
	for (i = 1; i <= 255; i++) {
		struct sockaddr_storage sa =
			sa4("198.18.3.3", (uint16_t)(30000 + i));
		struct sn_edge *e;
		uint8_t mac[MAC_SIZE];

		reg_super(&m, c, i, 0x11);
		m.u.reg_super.dev_addr.addr = 0;
		m.u.reg_super.dev_addr.prefix = 0;
		m.u.reg_super.dev_desc[0] = (uint8_t)i;
		sn_handle(&sn, c, &m, &sa, &opened);
		mac_n(mac, i);
		e = (struct sn_edge *)mac_table_find(&c->edges, mac);
		if (!e)
			continue;
		acked++;
		net = e->dev_addr.addr & ~0xffu;
		CHECK_MSG(!(seen[(e->dev_addr.addr & 0xff) / 32] &
			    (1u << (e->dev_addr.addr % 32))),
			  "address %08x given twice", e->dev_addr.addr);
		seen[(e->dev_addr.addr & 0xff) / 32] |=
			1u << (e->dev_addr.addr % 32);
		CHECK((e->dev_addr.addr & 0xff) != 0 &&
		      (e->dev_addr.addr & 0xff) != 0xff);
	}
	CHECK_EQ(acked, 254);
	CHECK(net != 0);
	CHECK(!has_edge(c, 255));
	CHECK_EQ(sn.stats.reg_super_nak, 1);
	CHECK_EQ(dropped(&sn, N2NK_AUTO_IP_FULL), 1);
	/* One leaves: its address is free again. */
	{
		struct n2n_msg u;
		struct sockaddr_storage sa = sa4("198.18.3.3", 30255);

		memset(&u, 0, sizeof(u));
		u.hdr.ttl = 2;
		u.hdr.type = N2N_MSG_UNREGISTER_SUPER;
		memcpy(u.hdr.community, c->name, N2N_COMMUNITY_SIZE);
		mac_n(u.u.unreg_super.src_mac, 7);
		u.u.unreg_super.auth = m.u.reg_super.auth;
		sn_handle(&sn, c, &u, &sa, &opened);
		CHECK(!has_edge(c, 7));
		sn_handle(&sn, c, &m, &sa, &opened);
		CHECK(has_edge(c, 255));
	}
	sn_down(&sn);
}

/* n2n's walk cost ~65k steps per address-less request into a full /24:
 * 1000 of them took seconds; the set answers each at once. */
TEST(sn_auto_ip_full_subnet_costs_no_walk)
{
	struct sn_community *c;
	struct timespec t0, t1;
	struct supernode sn;
	struct n2n_msg m;
	unsigned int i;
	double secs;

	sn_up(&sn, NULL, NULL);
	c = sn_community_add(&sn, "autoip", false);
	for (i = 1; i <= 254 + 1000; i++) {
		struct sockaddr_storage sa =
			sa4(i <= 254 ? "198.18.3.3" : "198.18.3.4",
			    (uint16_t)(30000 + (i <= 254 ? i : 1)));

		if (i == 255)
			clock_gettime(CLOCK_MONOTONIC, &t0);
		reg_super(&m, c, i, 0x11);
		m.u.reg_super.dev_addr.addr = 0;
		m.u.reg_super.dev_addr.prefix = 0;
		m.u.reg_super.dev_desc[0] = (uint8_t)i;
		sn_handle(&sn, c, &m, &sa, &opened);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	CHECK_EQ(c->edges.count, 254);
	CHECK_MSG(secs < 0.5, "1000 requests into a full /24: %.3f s", secs);
	sn_down(&sn);
}

TEST(sn_logs_network_names_escaped)
{
	char name[N2N_COMMUNITY_SIZE] = "a\x1b[2Jb\"\n";
	int saved = dup(2), pipefd[2], level;
	struct supernode sn;
	char out[4096];
	ssize_t n;

	CHECK(pipe(pipefd) == 0);
	sn_up(&sn, NULL, NULL);
	level = log_level;
	log_level = LOG_LEVEL_DEBUG;
	dup2(pipefd[1], 2);
	CHECK(sn_community_add(&sn, name, false) != NULL);
	dup2(saved, 2);
	log_level = level;
	close(pipefd[1]);
	n = read(pipefd[0], out, sizeof(out) - 1);
	close(pipefd[0]);
	close(saved);
	CHECK(n > 0);
	out[n > 0 ? n : 0] = 0;
	CHECK_MSG(strstr(out, "a\\x1b[2Jb\\x22\\x0a") != NULL, "%s", out);
	CHECK(!strchr(out, '\x1b'));
	sn_down(&sn);
}

/* PINGs (and registrations) can come from a spoofed address: whatever
 * their number, one host gets SN_ANSWERS_PER_S answers a second (bursts
 * of SN_ANSWER_BURST), the rest counted; other hosts are still answered. */
TEST(sn_answers_per_host_are_bounded)
{
	struct sockaddr_storage sa;
	struct sn_community *c;
	struct supernode sn;
	struct n2n_msg m;
	unsigned int i, n;
	uint64_t t0, ms;

	sn_up(&sn, NULL, NULL);
	c = sn_community_add(&sn, "hostile", false);
	memset(&m, 0, sizeof(m));
	m.hdr.ttl = 2;
	m.hdr.type = N2N_MSG_QUERY_PEER; /* no target: a PING */
	memcpy(m.hdr.community, c->name, N2N_COMMUNITY_SIZE);
	t0 = evloop_now_ms();
	for (i = 0; i < 40000; i++) {
		sa = sa4("198.18.66.6", (uint16_t)(1000 + i % 60000));
		sn_handle(&sn, c, &m, &sa, &opened);
	}
	ms = evloop_now_ms() - t0; /* the bucket refills meanwhile */
	CHECK(sent.n >= SN_ANSWER_BURST);
	CHECK_MSG(sent.n <=
			  SN_ANSWER_BURST + (ms + 1) * SN_ANSWERS_PER_S / 1000,
		  "%u answers in %llu ms", sent.n, (unsigned long long)ms);
	CHECK_EQ(dropped(&sn, N2NK_ANSWER_LIMIT) + sent.n, 40000);
	n = sent.n;
	sa = sa4("198.18.66.7", 1000);
	sn_handle(&sn, c, &m, &sa, &opened);
	CHECK_EQ(sent.n, n + 1);
	sn_down(&sn);
}

/* The federation's member list (about 12 times a request's size) goes
 * only to an edge registered SN_LIST_AFTER_MS: one spoofed registration
 * gets a short answer. */
TEST(sn_lists_members_only_to_edges_registered_a_while)
{
	struct sockaddr_storage sa = sa4("198.18.1.1", 5000), m1, m2;
	struct sn_community *c;
	struct supernode sn;
	struct sn_edge *e;
	uint8_t mac[MAC_SIZE];
	size_t short_len;

	sn_up(&sn, "-F", "ours");
	m1 = sa4("198.18.0.8", SN_PORT);
	m2 = sa4("198.18.0.9", SN_PORT);
	join_member(&sn, 1001, &m1);
	join_member(&sn, 1002, &m2);
	c = sn_community_add(&sn, "lab", false);
	sent.watch = sa;
	register_edge(&sn, c, 1, &sa);
	CHECK(has_edge(c, 1));
	short_len = sent.watch_len;
	CHECK(short_len > 0);
	register_edge(&sn, c, 1, &sa); /* again at once: still short */
	CHECK_EQ(sent.watch_len, short_len);
	mac_n(mac, 1);
	e = (struct sn_edge *)mac_table_find(&c->edges, mac);
	CHECK(e != NULL);
	if (e)
		e->first_ms -= SN_LIST_AFTER_MS;
	register_edge(&sn, c, 1, &sa);
	CHECK(sent.watch_len > short_len);
	sn_down(&sn);
}

static struct sn_edge *edge_n(struct sn_community *c, unsigned int n)
{
	uint8_t mac[MAC_SIZE];

	mac_n(mac, n);
	return (struct sn_edge *)mac_table_find(&c->edges, mac);
}

/* Edges that chose an address another edge has (n2n allows it): the
 * address is free again only when its last holder leaves, and each
 * release is counted, not found by a walk of the community's edges
 * (which made a purge of n such edges cost n^2/2 steps). */
TEST(sn_auto_ip_duplicate_frees_with_its_last_holder)
{
	struct sockaddr_storage sa = sa4("198.18.3.3", 30000);
	struct sn_community *c;
	struct supernode sn;
	struct n2n_msg m;
	uint32_t a;
	unsigned int i;

	sn_up(&sn, NULL, NULL);
	c = sn_community_add(&sn, "autoip", false);
	reg_super(&m, c, 1, 0x11); /* edge 1 is given address a */
	m.u.reg_super.dev_addr.addr = 0;
	m.u.reg_super.dev_addr.prefix = 0;
	sn_handle(&sn, c, &m, &sa, &opened);
	CHECK(edge_n(c, 1) != NULL);
	a = edge_n(c, 1)->dev_addr.addr;
	for (i = 2; i <= 4; i++) { /* 2..4 choose a themselves */
		reg_super(&m, c, i, 0x11);
		m.u.reg_super.dev_addr.addr = a;
		m.u.reg_super.dev_addr.prefix = c->auto_prefix;
		sn_handle(&sn, c, &m, &sa, &opened);
		CHECK(edge_n(c, i) != NULL);
	}
	CHECK_EQ(c->auto_dups->count, 1);
	for (i = 1; i <= 4; i++) {
		sn_edge_delete(&sn, c, edge_n(c, i));
		/* An address-less edge with edge 1's description would be
		 * given a again only once nobody has it. */
		reg_super(&m, c, 100 + i, 0x11);
		m.u.reg_super.dev_addr.addr = 0;
		m.u.reg_super.dev_addr.prefix = 0;
		sn_handle(&sn, c, &m, &sa, &opened);
		CHECK(edge_n(c, 100 + i) != NULL);
		CHECK_MSG((edge_n(c, 100 + i)->dev_addr.addr == a) == (i == 4),
			  "after %u of 4 left", i);
		sn_edge_delete(&sn, c, edge_n(c, 100 + i));
	}
	CHECK_EQ(c->auto_dups->count, 0);
	CHECK_EQ(c->auto_n_used, 2); /* host 0 and the last */
	sn_down(&sn);
}

static void write_list(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	fputs(text, f);
	fclose(f);
}

/*
 * SIGHUP reads -c again (n2n's reload_communities): what the list no
 * longer allows goes with its edges, an entry that changed starts afresh
 * (its edges register again under the new terms), new names appear, the
 * rest keeps its edges; a list that does not load changes nothing.
 */
TEST(sn_reload_communities)
{
	char path[] = "/tmp/n2nk-list-XXXXXX";
	struct sockaddr_storage e1 = sa4("198.18.1.1", 5000);
	struct sockaddr_storage e2 = sa4("198.18.1.2", 5000);
	struct sockaddr_storage e3 = sa4("198.18.1.3", 5000);
	struct supernode sn;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	close(fd);
	write_list(path, "keep\nchange 10.1.0.0/24\ngone\n");
	sn_up(&sn, "-c", path);
	CHECK(!sn_reload_communities(&sn)); /* nothing changed: all stay */
	register_edge(&sn, sn_community_find(&sn, "keep"), 1, &e1);
	register_edge(&sn, sn_community_find(&sn, "change"), 2, &e2);
	register_edge(&sn, sn_community_find(&sn, "gone"), 3, &e3);
	CHECK(has_edge(sn_community_find(&sn, "keep"), 1));
	CHECK(has_edge(sn_community_find(&sn, "change"), 2));
	CHECK(has_edge(sn_community_find(&sn, "gone"), 3));
	write_list(path, "keep\nchange 10.2.0.0/24\nnew\n");
	CHECK(!sn_reload_communities(&sn));
	CHECK(has_edge(sn_community_find(&sn, "keep"), 1));
	CHECK(sn_community_find(&sn, "change") != NULL);
	CHECK(!has_edge(sn_community_find(&sn, "change"), 2));
	CHECK_EQ(sn_community_find(&sn, "change")->auto_net, 0x0a020000);
	CHECK(sn_community_find(&sn, "gone") == NULL);
	CHECK(sn_community_find(&sn, "new") != NULL);
	/* A registration into the removed community is refused now. */
	CHECK(!community_list_allows(sn.community_list, "gone"));
	/* A broken list: an error, and the one in use stays. */
	write_list(path, "keep\n* user notakey\n");
	CHECK(sn_reload_communities(&sn) < 0);
	CHECK(community_list_allows(sn.community_list, "new"));
	CHECK(has_edge(sn_community_find(&sn, "keep"), 1));
	sn_down(&sn);
	unlink(path);
}

/* A global cap beside the per-community ones (review S2): registrations
 * in many communities stop at it, and room comes back as edges age. */
TEST(sn_edges_capped_across_communities)
{
	struct sn_community *c[3];
	struct supernode sn;
	unsigned int i;

	sn_up(&sn, NULL, NULL);
	sn.max_edges = 100;
	c[0] = sn_community_add(&sn, "one", false);
	c[1] = sn_community_add(&sn, "two", false);
	c[2] = sn_community_add(&sn, "three", false);
	for (i = 0; i < 150; i++) {
		struct sockaddr_storage sa =
			sa4("198.18.1.1", (uint16_t)(10000 + i));

		register_edge(&sn, c[i % 3], i + 1, &sa);
	}
	CHECK_EQ(c[0]->edges.count + c[1]->edges.count + c[2]->edges.count,
		 100);
	CHECK_EQ(sn.n_edges, 100);
	CHECK_EQ(dropped(&sn, N2NK_TABLE_FULL), 50);
	c[0]->listed = c[1]->listed = c[2]->listed = true;
	sn_purge(&sn, evloop_now_ms() + 200000);
	CHECK_EQ(sn.n_edges, 0);
	{
		struct sockaddr_storage sa = sa4("198.18.1.1", 9999);

		register_edge(&sn, c[0], 1001, &sa);
	}
	CHECK(has_edge(c[0], 1001));
	CHECK_EQ(sn.n_edges, 1);
	sn_down(&sn);
}

/* Answers to spoofed IPv6 sources: one budget per /64, not per address. */
TEST(sn_answer_budget_is_per_ipv6_slash64)
{
	struct sockaddr_storage a = sa6("2001:db8:1:2::1", 5000);
	struct sockaddr_storage b = sa6("2001:db8:1:2::ffff:7", 5001);
	struct sockaddr_storage other = sa6("2001:db8:1:3::1", 5000);
	struct supernode sn;
	unsigned int i, allowed = 0, to_b = 0;

	sn_up(&sn, NULL, NULL);
	for (i = 0; i < SN_ANSWER_BURST; i++)
		allowed += sn_answer_allowed(&sn, &a);
	CHECK(allowed > 0);
	/* The bucket refills about 2 a millisecond meanwhile: a few. */
	for (i = 0; i < 100; i++)
		to_b += sn_answer_allowed(&sn, &b);
	CHECK_MSG(to_b < 50,
		  "another address of the same /64 has a budget of its own "
		  "(%u of 100 answered)",
		  to_b);
	CHECK(sn_answer_allowed(&sn, &other));
	sn_down(&sn);
}
