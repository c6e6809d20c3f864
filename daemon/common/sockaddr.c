// SPDX-License-Identifier: GPL-2.0-only
/* Socket address plumbing between the wire format and the kernel. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "sockaddr.h"

void sock_from_sockaddr(struct n2n_sock *s, const struct sockaddr_storage *sa)
{
	memset(s, 0, sizeof(*s));
	if (sa->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		s->ipv6 = true;
		s->port = ntohs(in6->sin6_port);
		memcpy(s->addr, &in6->sin6_addr, 16);
	} else {
		const struct sockaddr_in *in = (const void *)sa;

		s->port = ntohs(in->sin_port);
		memcpy(s->addr, &in->sin_addr, 4);
	}
}

socklen_t sockaddr_from_sock(struct sockaddr_storage *sa,
			     const struct n2n_sock *s)
{
	memset(sa, 0, sizeof(*sa));
	if (s->ipv6) {
		struct sockaddr_in6 *in6 = (void *)sa;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(s->port);
		memcpy(&in6->sin6_addr, s->addr, 16);
		return sizeof(*in6);
	}
	struct sockaddr_in *in = (void *)sa;

	in->sin_family = AF_INET;
	in->sin_port = htons(s->port);
	memcpy(&in->sin_addr, s->addr, 4);
	return sizeof(*in);
}

bool sockaddr_equal(const struct sockaddr_storage *a,
		    const struct sockaddr_storage *b)
{
	struct n2n_sock x, y;

	if (a->ss_family != b->ss_family)
		return false;
	sock_from_sockaddr(&x, a);
	sock_from_sockaddr(&y, b);
	return x.port == y.port && !memcmp(x.addr, y.addr, 16);
}

bool sockaddr_same_host(const struct sockaddr_storage *a,
			const struct sockaddr_storage *b)
{
	struct n2n_sock x, y;

	if (a->ss_family != b->ss_family)
		return false;
	sock_from_sockaddr(&x, a);
	sock_from_sockaddr(&y, b);
	return !memcmp(x.addr, y.addr, 16);
}

const char *sock_str(const struct n2n_sock *s, char buf[SOCKADDR_STR_MAX])
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(s->ipv6 ? AF_INET6 : AF_INET, s->addr, a, sizeof(a));
	snprintf(buf, SOCKADDR_STR_MAX, s->ipv6 ? "[%s]:%u" : "%s:%u", a,
		 s->port);
	return buf;
}

const char *ip4_prefix_str(uint32_t ip, unsigned int prefix,
			   char buf[IP4_PREFIX_STR_MAX])
{
	snprintf(buf, IP4_PREFIX_STR_MAX, "%u.%u.%u.%u/%u", ip >> 24,
		 (ip >> 16) & 255, (ip >> 8) & 255, ip & 255, prefix);
	return buf;
}

const char *sockaddr_str(const struct sockaddr_storage *sa,
			 char buf[SOCKADDR_STR_MAX])
{
	struct n2n_sock s;

	sock_from_sockaddr(&s, sa);
	return sock_str(&s, buf);
}

int sockaddr_resolve(struct sockaddr_storage *sa, const char *host,
		     uint16_t port)
{
	/* Our UDP sockets are IPv4, as n2n's: an AAAA answer is no use. */
	struct addrinfo hints = { .ai_family = AF_INET,
				  .ai_socktype = SOCK_DGRAM },
			*res;
	char name[256];
	size_t n = strlen(host);
	int err;

	/* Accept "[v6]" as written in -l [2001:db8::1]:7654. */
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']' &&
	    n - 2 < sizeof(name)) {
		memcpy(name, host + 1, n - 2);
		name[n - 2] = 0;
		host = name;
	}
	err = getaddrinfo(host, NULL, &hints, &res);
	if (err)
		return err == EAI_SYSTEM ? -errno : -EHOSTUNREACH;
	memset(sa, 0, sizeof(*sa));
	memcpy(sa, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	if (sa->ss_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)sa)->sin_port = htons(port);
	return 0;
}

bool ip4_possible(uint32_t a, bool loopback_ok)
{
	uint32_t first = a >> 24;

	/* 0/8 is "this host" (RFC 1122 3.2.1.3): sending there reaches us;
	 * 224/4 multicast, 240/4 reserved, 255.255.255.255 broadcast. */
	if (first == 0 || first >= 224)
		return false;
	return first != 127 || loopback_ok;
}

bool sock_possible(const struct n2n_sock *s, bool loopback_ok)
{
	static const uint8_t v4_mapped[12] = { [10] = 0xff, [11] = 0xff };
	static const uint8_t v6_loopback[16] = { [15] = 1 };
	static const uint8_t v6_any[16];

	if (!s->port)
		return false;
	if (!s->ipv6)
		return ip4_possible(get_be32(s->addr), loopback_ok);
	if (!memcmp(s->addr, v4_mapped, 12))
		return ip4_possible(get_be32(s->addr + 12), loopback_ok);
	if (s->addr[0] == 0xff || !memcmp(s->addr, v6_any, 16))
		return false;
	return memcmp(s->addr, v6_loopback, 16) || loopback_ok;
}

bool sockaddr_possible(const struct sockaddr_storage *sa, bool loopback_ok)
{
	struct n2n_sock s;

	if (sa->ss_family != AF_INET && sa->ss_family != AF_INET6)
		return false;
	sock_from_sockaddr(&s, sa);
	return sock_possible(&s, loopback_ok);
}
