// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one "impossible socket" rule (common/sockaddr.c) that the AF_XDP
 * parser, the supernode and the edge share: what no host sends from or
 * may be sent to, and 127/8 only where the caller says loopback is fine.
 */
#include <arpa/inet.h>
#include <string.h>

#include "common/sockaddr.h"
#include "test.h"

static struct n2n_sock sock_of(const char *ip, uint16_t port)
{
	struct n2n_sock s = { .port = port };

	if (strchr(ip, ':')) {
		s.ipv6 = true;
		inet_pton(AF_INET6, ip, s.addr);
	} else
		inet_pton(AF_INET, ip, s.addr);
	return s;
}

TEST(sock_possible_refuses_what_no_host_has)
{
	static const char *const bad[] = {
		"0.0.0.0",
		"0.1.2.3",
		"224.0.0.1",
		"239.255.255.250",
		"240.0.0.1",
		"255.255.255.255",
		"::",
		"ff02::1",
		"::ffff:0.0.0.0",
		"::ffff:224.0.0.1",
		"::ffff:255.255.255.255",
	};
	struct sockaddr_storage sa;
	struct n2n_sock s;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = sock_of(bad[i], 5000);
		CHECK_MSG(!sock_possible(&s, false), "%s", bad[i]);
		CHECK_MSG(!sock_possible(&s, true), "%s (loopback ok)", bad[i]);
		sockaddr_from_sock(&sa, &s);
		CHECK_MSG(!sockaddr_possible(&sa, true), "%s", bad[i]);
	}
	s = sock_of("198.18.1.2", 0); /* port 0 */
	CHECK(!sock_possible(&s, true));
	s = sock_of("2001:db8::1", 0);
	CHECK(!sock_possible(&s, true));
}

TEST(sock_possible_takes_loopback_only_when_told)
{
	static const char *const lo[] = { "127.0.0.1", "127.255.0.9", "::1",
					  "::ffff:127.0.0.1" };
	struct n2n_sock s;
	unsigned int i;

	for (i = 0; i < sizeof(lo) / sizeof(lo[0]); i++) {
		s = sock_of(lo[i], 5000);
		CHECK_MSG(!sock_possible(&s, false), "%s", lo[i]);
		CHECK_MSG(sock_possible(&s, true), "%s", lo[i]);
	}
}

TEST(sock_possible_takes_unicast)
{
	static const char *const ok[] = { "198.18.1.2",	       "1.0.0.1",
					  "223.255.255.254",   "2001:db8::1",
					  "::ffff:198.18.1.2", "fe80::1" };
	struct n2n_sock s;
	unsigned int i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		s = sock_of(ok[i], 1);
		CHECK_MSG(sock_possible(&s, false), "%s", ok[i]);
	}
	CHECK(ip4_possible(0xc6120102, false));
	CHECK(!ip4_possible(0x7f000001, false));
	CHECK(ip4_possible(0x7f000001, true));
}

static void sa_of(struct sockaddr_storage *sa, const char *ip, uint16_t port)
{
	memset(sa, 0, sizeof(*sa));
	if (strchr(ip, ':')) {
		struct sockaddr_in6 *in6 = (void *)sa;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		inet_pton(AF_INET6, ip, &in6->sin6_addr);
	} else {
		struct sockaddr_in *in = (void *)sa;

		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		inet_pton(AF_INET, ip, &in->sin_addr);
	}
}

static const char *str_of(const struct sockaddr_storage *sa)
{
	static char buf[SOCKADDR_STR_MAX];

	return sockaddr_str(sa, buf);
}

/* A dual-stack socket's IPv4 peers come as ::ffff:a.b.c.d: plain IPv4
 * from there on, in tables and on the wire. */
TEST(sockaddr_unmap_turns_v4_mapped_into_ipv4)
{
	struct sockaddr_storage sa, want;
	struct n2n_sock s;

	sa_of(&sa, "::ffff:198.18.0.13", 50631);
	CHECK(sockaddr_unmap(&sa));
	CHECK_EQ(sa.ss_family, AF_INET);
	sa_of(&want, "198.18.0.13", 50631);
	CHECK(sockaddr_equal(&sa, &want));
	CHECK(!strcmp(str_of(&sa), "198.18.0.13:50631"));
	CHECK(!sockaddr_unmap(&sa)); /* already IPv4 */

	sa_of(&sa, "2001:db8::12", 7654); /* real IPv6 stays */
	CHECK(!sockaddr_unmap(&sa));
	CHECK_EQ(sa.ss_family, AF_INET6);
	CHECK(!strcmp(str_of(&sa), "[2001:db8::12]:7654"));
	sa_of(&sa, "::198.18.0.13", 1); /* v4-compatible: not mapped */
	CHECK(!sockaddr_unmap(&sa));

	/* Both conversions to and from the wire's n2n_sock unmap too. */
	sa_of(&sa, "::ffff:198.18.0.13", 50631);
	sock_from_sockaddr(&s, &sa);
	CHECK(!s.ipv6);
	CHECK_EQ(s.port, 50631);
	CHECK(!memcmp(s.addr, "\xc6\x12\x00\x0d", 4));
	s = sock_of("::ffff:198.18.0.13", 50631);
	CHECK_EQ(sockaddr_from_sock(&sa, &s), sizeof(struct sockaddr_in));
	CHECK(sockaddr_equal(&sa, &want));
	s = sock_of("2001:db8::12", 7654);
	CHECK_EQ(sockaddr_from_sock(&sa, &s), sizeof(struct sockaddr_in6));
	CHECK(!strcmp(str_of(&sa), "[2001:db8::12]:7654"));
}

TEST(sockaddr_map_is_unmap_reversed)
{
	struct sockaddr_storage sa, v4;
	struct sockaddr_in6 m;
	char a[INET6_ADDRSTRLEN];

	sa_of(&v4, "198.18.0.1", 7654);
	sockaddr_map(&m, (const struct sockaddr_in *)&v4);
	CHECK_EQ(m.sin6_family, AF_INET6);
	CHECK_EQ(ntohs(m.sin6_port), 7654);
	inet_ntop(AF_INET6, &m.sin6_addr, a, sizeof(a));
	CHECK_MSG(!strcmp(a, "::ffff:198.18.0.1"), "%s", a);
	memset(&sa, 0, sizeof(sa));
	memcpy(&sa, &m, sizeof(m));
	CHECK(sockaddr_unmap(&sa));
	CHECK(sockaddr_equal(&sa, &v4));
}

/* Literals only: no name service in a unit test. */
TEST(sockaddr_resolve_pair_takes_either_family)
{
	struct sockaddr_storage two[2];

	CHECK_EQ(sockaddr_resolve_pair(two, "2001:db8::1", 7654, AF_UNSPEC), 1);
	CHECK(!strcmp(str_of(&two[0]), "[2001:db8::1]:7654"));
	CHECK_EQ(sockaddr_resolve_pair(two, "[2001:db8::1]", 7777, AF_UNSPEC),
		 1);
	CHECK(!strcmp(str_of(&two[0]), "[2001:db8::1]:7777"));
	CHECK_EQ(sockaddr_resolve_pair(two, "198.18.0.1", 7654, AF_UNSPEC), 1);
	CHECK(!strcmp(str_of(&two[0]), "198.18.0.1:7654"));
	CHECK_EQ(sockaddr_resolve_pair(two, "::ffff:198.18.0.1", 1, AF_UNSPEC),
		 1);
	CHECK_EQ(two[0].ss_family, AF_INET);
	CHECK(!strcmp(str_of(&two[0]), "198.18.0.1:1"));
	/* An IPv4 socket cannot use an IPv6 supernode, nor the reverse. */
	CHECK(sockaddr_resolve_pair(two, "2001:db8::1", 1, AF_INET) < 0);
	CHECK(sockaddr_resolve_pair(two, "198.18.0.1", 1, AF_INET6) < 0);
	CHECK_EQ(sockaddr_resolve_pair(two, "[2001:db8::1]", 1, AF_INET6), 1);
	/* The IPv4-only resolver of the federation and tools. */
	CHECK(sockaddr_resolve(&two[0], "[2001:db8::1]", 1) < 0);
	CHECK_EQ(sockaddr_resolve(&two[0], "198.18.0.1", 5), 0);
	CHECK(!strcmp(str_of(&two[0]), "198.18.0.1:5"));
}
