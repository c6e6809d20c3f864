/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Conversions between the wire's n2n_sock, the kernel's sockaddr and text,
 * and name resolution for -l host:port. IPv4 and IPv6 alike.
 */
#ifndef N2NK_SOCKADDR_H
#define N2NK_SOCKADDR_H

#include <stdbool.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>

#include "proto/wire.h"

#define SOCKADDR_STR_MAX 64

/* Both ways a v4-mapped address becomes IPv4 (never on the wire). */
void sock_from_sockaddr(struct n2n_sock *s, const struct sockaddr_storage *sa);
socklen_t sockaddr_from_sock(struct sockaddr_storage *sa,
			     const struct n2n_sock *s);
bool sockaddr_equal(const struct sockaddr_storage *a,
		    const struct sockaddr_storage *b);
/* The same address, whatever the ports. */
bool sockaddr_same_host(const struct sockaddr_storage *a,
			const struct sockaddr_storage *b);
/* "198.18.0.1:7654" or "[2001:db8::1]:7654"; returns buf. */
const char *sockaddr_str(const struct sockaddr_storage *sa,
			 char buf[SOCKADDR_STR_MAX]);
const char *sock_str(const struct n2n_sock *s, char buf[SOCKADDR_STR_MAX]);
/* Resolves host (a name or an IPv4 address) to IPv4 and port; 0 or
 * -errno. */
int sockaddr_resolve(struct sockaddr_storage *sa, const char *host,
		     uint16_t port) __attribute__((warn_unused_result));
/*
 * Resolves host (a name, an IPv4 address, an IPv6 one with or without
 * brackets) of family AF_INET, AF_INET6 or AF_UNSPEC (both): out[0] is
 * getaddrinfo()'s first answer, out[1] (when the count is 2) the first of
 * the other family, to fall back to. Returns 1, 2 or -errno; v4-mapped
 * answers come back as IPv4.
 */
int sockaddr_resolve_pair(struct sockaddr_storage out[2], const char *host,
			  uint16_t port, int family)
	__attribute__((warn_unused_result));
/*
 * A dual-stack IPv6 socket sees IPv4 peers as ::ffff:a.b.c.d: turns such
 * an address back into plain IPv4 (true if it did). Every address a
 * daemon receives goes through it, so none of them, its tables or the
 * wire ever hold the mapped form.
 */
bool sockaddr_unmap(struct sockaddr_storage *sa);
/* The other way, for sendto() on a dual-stack socket. */
void sockaddr_map(struct sockaddr_in6 *out, const struct sockaddr_in *in);
/* "255.255.255.255/255" and its NUL. */
#define IP4_PREFIX_STR_MAX 20

/* An IPv4 address (host order) and prefix length as "198.19.0.1/24", the
 * form n2n's -a takes and n2nctl shows; returns buf. */
const char *ip4_prefix_str(uint32_t ip, unsigned int prefix,
			   char buf[IP4_PREFIX_STR_MAX]);
/*
 * The one rule for "no host sends from or may be sent to there", for the
 * AF_XDP parser, the supernode and the edge alike: not 0/8 (this host),
 * 224/4 (multicast), 240/4 (reserved) or 255.255.255.255, not port 0,
 * nor their v4-mapped forms, ::, ::1 or ff00::/8 (multicast). 127/8 (and
 * ::1) only when loopback_ok: the supernode's socket datapath, where the
 * stack already keeps 127/8 off the wire, so it is an edge on this very
 * host (-l 127.0.0.1); never a peer's or a learned supernode's socket
 * (n2n's rule: that would be this host).
 */
bool ip4_possible(uint32_t addr_host_order, bool loopback_ok);
bool sock_possible(const struct n2n_sock *s, bool loopback_ok);
bool sockaddr_possible(const struct sockaddr_storage *sa, bool loopback_ok);

#endif /* N2NK_SOCKADDR_H */
