/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Names resolved off the event loop: getaddrinfo() may wait seconds on a
 * slow DNS, which must not stall the daemon. Each lookup runs in a thread
 * of its own and hands its result back through a socket the loop watches;
 * the callback then runs on the loop's thread. A lookup not back within
 * RESOLVER_TIMEOUT_MS is given up (the callback gets -ETIMEDOUT; the
 * thread's late answer is thrown away). An address literal needs no DNS
 * and is answered at once, before resolver_start() returns.
 */
#ifndef N2NK_RESOLVER_H
#define N2NK_RESOLVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "common/evloop.h"

#define RESOLVER_TIMEOUT_MS 10000
/* Lookups in flight, the given-up ones included (their threads still
 * wait on the DNS): beyond this, resolver_start() refuses (-EAGAIN). */
#define RESOLVER_MAX_JOBS   32

/* How to look a name up: as sockaddr_resolve_pair(host, port, family);
 * with v6_fallback, IPv4 first (family AF_INET) and IPv6 if that fails. */
struct resolve_query {
	char host[256];
	uint16_t port;
	int family;
	bool v6_fallback;
};

/* n: 1 or 2 addresses in out (as sockaddr_resolve_pair), or -errno
 * (out then NULL). */
typedef void (*resolve_cb)(void *arg, int n,
			   const struct sockaddr_storage out[2]);

struct resolver;
struct resolver_job;

/* loop may be NULL (before it exists): resolver_attach() it later;
 * until then only resolver_wait() runs callbacks. */
int resolver_open(struct resolver **r, struct evloop *loop)
	__attribute__((warn_unused_result));
int resolver_attach(struct resolver *r, struct evloop *loop)
	__attribute__((warn_unused_result));
/* Pending callbacks are not called; threads still waiting are left to
 * finish (their results go nowhere). */
void resolver_close(struct resolver *r);
/*
 * Looks q up; cb(arg, ...) later, on the loop (or before returning, for
 * an address literal). *job (may be NULL) names it for resolver_cancel
 * until the callback runs. 0, or -EAGAIN (too many in flight) / -errno:
 * no callback then.
 */
int resolver_start(struct resolver *r, const struct resolve_query *q,
		   resolve_cb cb, void *arg, struct resolver_job **job)
	__attribute__((warn_unused_result));
/* Its callback will not be called. */
void resolver_cancel(struct resolver *r, struct resolver_job *job);
/* Gives up lookups past RESOLVER_TIMEOUT_MS (their callbacks run now). */
void resolver_tick(struct resolver *r, uint64_t now);
/* Waits (blocking, before the loop runs) up to ms for the lookups in
 * flight, running their callbacks; returns how many are still out. */
int resolver_wait(struct resolver *r, unsigned int ms);
/* The blocking lookup itself (what a job's thread runs). */
int resolver_lookup(const struct resolve_query *q,
		    struct sockaddr_storage out[2]);

#endif /* N2NK_RESOLVER_H */
