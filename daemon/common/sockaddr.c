// SPDX-License-Identifier: GPL-2.0-only
/* Socket address plumbing between the wire format and the kernel. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "sockaddr.h"

static const uint8_t v4_mapped_prefix[12] = { [10] = 0xff, [11] = 0xff };

bool sockaddr_unmap(struct sockaddr_storage *sa)
{
	const struct sockaddr_in6 *in6 = (const void *)sa;
	struct sockaddr_in in = { .sin_family = AF_INET };

	if (sa->ss_family != AF_INET6 ||
	    memcmp(&in6->sin6_addr, v4_mapped_prefix, 12))
		return false;
	in.sin_port = in6->sin6_port;
	memcpy(&in.sin_addr, in6->sin6_addr.s6_addr + 12, 4);
	memset(sa, 0, sizeof(*sa));
	memcpy(sa, &in, sizeof(in));
	return true;
}

void sockaddr_map(struct sockaddr_in6 *out, const struct sockaddr_in *in)
{
	memset(out, 0, sizeof(*out));
	out->sin6_family = AF_INET6;
	out->sin6_port = in->sin_port;
	memcpy(out->sin6_addr.s6_addr, v4_mapped_prefix, 12);
	memcpy(out->sin6_addr.s6_addr + 12, &in->sin_addr, 4);
}

void sock_from_sockaddr(struct n2n_sock *s, const struct sockaddr_storage *sa)
{
	memset(s, 0, sizeof(*s));
	if (sa->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		if (!memcmp(&in6->sin6_addr, v4_mapped_prefix, 12)) {
			/* ::ffff:a.b.c.d is IPv4 on the wire, as n2n has it */
			s->port = ntohs(in6->sin6_port);
			memcpy(s->addr, in6->sin6_addr.s6_addr + 12, 4);
			return;
		}

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
	if (s->ipv6 && memcmp(s->addr, v4_mapped_prefix, 12)) {
		struct sockaddr_in6 *in6 = (void *)sa;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(s->port);
		memcpy(&in6->sin6_addr, s->addr, 16);
		return sizeof(*in6);
	}
	struct sockaddr_in *in = (void *)sa;

	in->sin_family = AF_INET;
	in->sin_port = htons(s->port);
	memcpy(&in->sin_addr, s->ipv6 ? s->addr + 12 : s->addr, 4);
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

/* "[v6]" as written in -l [2001:db8::1]:7654 without its brackets. */
static const char *unbracket(const char *host, char name[256])
{
	size_t n = strlen(host);

	if (n >= 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < 256) {
		memcpy(name, host + 1, n - 2);
		name[n - 2] = 0;
		return name;
	}
	return host;
}

static void set_port(struct sockaddr_storage *sa, uint16_t port)
{
	if (sa->ss_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)sa)->sin_port = htons(port);
}

int sockaddr_resolve_pair(struct sockaddr_storage out[2], const char *host,
			  uint16_t port, int family)
{
	struct addrinfo hints = { .ai_family = family,
				  .ai_socktype = SOCK_DGRAM },
			*res, *r;
	char name[256];
	int err, n = 0;

	err = getaddrinfo(unbracket(host, name), NULL, &hints, &res);
	if (err)
		return err == EAI_SYSTEM ? -errno : -EHOSTUNREACH;
	for (r = res; r && n < 2; r = r->ai_next) {
		if ((r->ai_family != AF_INET && r->ai_family != AF_INET6) ||
		    r->ai_addrlen > sizeof(out[0]) ||
		    (n && r->ai_family == out[0].ss_family))
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		memcpy(&out[n], r->ai_addr, r->ai_addrlen);
		sockaddr_unmap(&out[n]);
		set_port(&out[n], port);
		if (!n || out[n].ss_family != out[0].ss_family)
			n++;
	}
	freeaddrinfo(res);
	return n ? n : -EHOSTUNREACH;
}

int sockaddr_resolve(struct sockaddr_storage *sa, const char *host,
		     uint16_t port)
{
	/* The supernode's federation and the tools: IPv4, as n2n's. */
	struct sockaddr_storage two[2];
	int n = sockaddr_resolve_pair(two, host, port, AF_INET);

	if (n < 0)
		return n;
	*sa = two[0];
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
