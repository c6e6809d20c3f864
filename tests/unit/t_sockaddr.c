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
