// SPDX-License-Identifier: GPL-2.0-only
/*
 * -R traffic rules (daemon/edge/traffic_filter.c): n2n 3.1.1's syntax and
 * examples from its edge(8), what the strict parser refuses and why, and
 * the verdicts: longest prefixes win, ports in ranges, ICMP without
 * ports, everything else passes.
 */
#include <string.h>

#include "common/bytes.h"
#include "conf/conf.h"
#include "edge/traffic_filter.h"
#include "test.h"

static int parse(const char *s, struct traffic_rule *r, char *why)
{
	return traffic_rule_parse(s, r, why, 128);
}

TEST(traffic_rule_n2n_forms)
{
	struct traffic_rule r;
	char why[128], out[TRAFFIC_RULE_STR];

	CHECK_EQ(parse("0.0.0.0/0,0.0.0.0/0,TCP-,UDP-,ICMP-", &r, why), 0);
	CHECK_EQ(r.configured, TRAFFIC_TCP | TRAFFIC_UDP | TRAFFIC_ICMP);
	CHECK_EQ(r.accept, 0);
	CHECK_EQ(r.src.port_hi, 65535);
	CHECK_EQ(parse("192.168.100.0/24,192.168.100.0/24,ICMP+", &r, why), 0);
	CHECK_EQ(r.src.net, 0xc0a86400);
	CHECK_EQ(r.src.len, 24);
	CHECK_EQ(r.accept, TRAFFIC_ICMP);
	CHECK_EQ(
		parse("0.0.0.0/0:[0,65535],0.0.0.0/0:[0,65535],TCP-,UDP-,ICMP-",
		      &r, why),
		0);
	CHECK_EQ(parse("10.0.0.1:22,10.0.0.2:[1000,2000],udp+,tcp-", &r, why),
		 0);
	CHECK_EQ(r.src.len, 32);
	CHECK_EQ(r.src.port_lo, 22);
	CHECK_EQ(r.src.port_hi, 22);
	CHECK_EQ(r.dst.port_lo, 1000);
	CHECK_EQ(r.dst.port_hi, 2000);
	traffic_rule_str(&r, out, sizeof(out));
	CHECK(!strcmp(out, "10.0.0.1/32:[22,22],10.0.0.2/32:[1000,2000],"
			   "TCP-,UDP+"));
}

TEST(traffic_rule_refused)
{
	static const char *const bad[] = {
		"",
		"0.0.0.0/0,0.0.0.0/0",		 /* no protocol */
		"0.0.0.0/0,0.0.0.0/0,",		 /* no protocol */
		"0.0.0.0/0,0.0.0.0/0,TCP",	 /* no +/- */
		"0.0.0.0/0,0.0.0.0/0,TCP+,TCP-", /* twice */
		"0.0.0.0/0,0.0.0.0/0,SCTP+",
		"0.0.0.0/0,0.0.0.0/0,TCP+,",
		"0.0.0.0/0,0.0.0.0/0,TCP+ ",
		"192.168.1.5/24,0.0.0.0/0,TCP+", /* host bits */
		"0.0.0.0/33,0.0.0.0/0,TCP+",
		"0.0.0.0/0:65536,0.0.0.0/0,TCP+",
		"0.0.0.0/0:[10,5],0.0.0.0/0,TCP+",
		"0.0.0.0/0:[10,20,0.0.0.0/0,TCP+",
		"0.0.0.0/0:[10],0.0.0.0/0,TCP+",
		"1.2.3,0.0.0.0/0,TCP+",
		"1.2.3.4.5,0.0.0.0/0,TCP+",
		"256.0.0.0,0.0.0.0/0,TCP+",
		"0.0.0.0/0;0.0.0.0/0,TCP+",
		" 0.0.0.0/0,0.0.0.0/0,TCP+",
		"0.0.0.0/0,0.0.0.0/0,TCP+,UDP-x",
		"0.0.0.0/,0.0.0.0/0,TCP+",
		"0.0.0.0/0:99999999999999999999,0.0.0.0/0,TCP+",
	};
	struct traffic_rule r;
	char why[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = 0;
		CHECK_MSG(parse(bad[i], &r, why) < 0, "accepted '%s'", bad[i]);
		CHECK_MSG(why[0], "no reason for '%s'", bad[i]);
	}
	parse("192.168.1.5/24,0.0.0.0/0,TCP+", &r, why);
	CHECK(strstr(why, "network address"));
	parse("0.0.0.0/0,0.0.0.0/0", &r, why);
	CHECK(strstr(why, "protocol"));
}

/* An Ethernet + IPv4 frame of protocol proto, ports sport -> dport. */
static size_t frame(uint8_t *f, uint8_t proto, uint32_t src, uint32_t dst,
		    uint16_t sport, uint16_t dport)
{
	memset(f, 0, 64);
	put_be16(f + 12, 0x0800);
	f[14] = 0x45;
	f[14 + 9] = proto;
	put_be32(f + 14 + 12, src);
	put_be32(f + 14 + 16, dst);
	put_be16(f + 34, sport);
	put_be16(f + 36, dport);
	return 64;
}

static void add(struct traffic_rules *rs, const char *s)
{
	char why[128];

	if (!traffic_rule_parse(s, &rs->r[rs->n], why, sizeof(why)))
		rs->n++;
}

#define A(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

TEST(traffic_verdicts)
{
	struct traffic_rules rs = { 0 };
	uint8_t f[64];
	size_t n;

	n = frame(f, 6, A(10, 0, 0, 1), A(10, 0, 0, 2), 1234, 22);
	CHECK(traffic_accept(&rs, f, n)); /* no rules */
	CHECK(traffic_accept(NULL, f, n));
	/* edge(8)'s example: all dropped, ICMP within 192.168.100/24 not. */
	add(&rs, "0.0.0.0/0,0.0.0.0/0,TCP-,UDP-,ICMP-");
	add(&rs, "192.168.100.0/24,192.168.100.0/24,ICMP+");
	CHECK_EQ(rs.n, 2);
	CHECK(!traffic_accept(&rs, f, n));
	n = frame(f, 1, A(192, 168, 100, 1), A(192, 168, 100, 2), 0, 0);
	CHECK(traffic_accept(&rs, f, n));
	n = frame(f, 1, A(192, 168, 100, 1), A(192, 168, 101, 2), 0, 0);
	CHECK(!traffic_accept(&rs, f, n));
	n = frame(f, 17, A(192, 168, 100, 1), A(192, 168, 100, 2), 53, 53);
	CHECK(!traffic_accept(&rs, f, n)); /* the /24 rule has no UDP */
	n = frame(f, 2, A(192, 168, 100, 1), A(192, 168, 100, 2), 0, 0);
	CHECK(traffic_accept(&rs, f, n)); /* IGMP: not filtered */
	put_be16(f + 12, 0x0806);
	CHECK(traffic_accept(&rs, f, n)); /* ARP */
	put_be16(f + 12, 0x86dd);
	CHECK(traffic_accept(&rs, f, n)); /* IPv6 */
	/* Ports: TCP to 22 from 10/8 allowed; another port is not. */
	add(&rs, "10.0.0.0/8,0.0.0.0/0:22,TCP+");
	n = frame(f, 6, A(10, 1, 2, 3), A(172, 16, 0, 1), 40000, 22);
	CHECK(traffic_accept(&rs, f, n));
	n = frame(f, 6, A(10, 1, 2, 3), A(172, 16, 0, 1), 40000, 23);
	CHECK(!traffic_accept(&rs, f, n));
	/* A later fragment: ports unknown, the /8 rule still matches. */
	n = frame(f, 6, A(10, 1, 2, 3), A(172, 16, 0, 1), 0, 0);
	put_be16(f + 14 + 6, 100);
	CHECK(traffic_accept(&rs, f, n));
	/* Too short for IPv4: passes (nothing to match). */
	CHECK(traffic_accept(&rs, f, 20));
}

TEST(traffic_ties_first_wins)
{
	struct traffic_rules rs = { 0 };
	uint8_t f[64];
	size_t n = frame(f, 17, A(10, 0, 0, 1), A(10, 0, 0, 2), 5, 5);

	add(&rs, "10.0.0.0/24,10.0.0.0/24,UDP+");
	add(&rs, "10.0.0.0/24,10.0.0.0/24,UDP-");
	CHECK(traffic_accept(&rs, f, n));
	/* The sum of the prefix lengths decides: /32 + /16 ties, /32 + /24
	 * is longer. */
	add(&rs, "10.0.0.1,10.0.0.0/16,UDP-");
	CHECK(traffic_accept(&rs, f, n));
	add(&rs, "10.0.0.1,10.0.0.0/24,UDP-");
	CHECK(!traffic_accept(&rs, f, n));
}

TEST(traffic_rules_from_conf)
{
	struct edge_conf c;
	char err[256];
	char *argv[] = { "edge",
			 "-c",
			 "net",
			 "-l",
			 "198.18.0.1:7654",
			 "-R",
			 "0.0.0.0/0,0.0.0.0/0,TCP-",
			 "-R",
			 "10.0.0.0/8,0.0.0.0/0,TCP+",
			 NULL };
	char *bad[] = { "edge",
			"-c",
			"net",
			"-l",
			"198.18.0.1:7654",
			"-R",
			"10.0.0.1/8,0.0.0.0/0,TCP+",
			NULL };

	CHECK_EQ(edge_conf_parse(&c, 9, argv, err, sizeof(err)), 0);
	CHECK_EQ(c.traffic_rules.n, 2);
	edge_conf_free(&c);
	CHECK(edge_conf_parse(&c, 7, bad, err, sizeof(err)) < 0);
	CHECK_MSG(strstr(err, "10.0.0.1/8"), "%s", err);
	edge_conf_free(&c);
}
