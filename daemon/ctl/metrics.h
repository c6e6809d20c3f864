/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The opt-in Prometheus endpoint (--metrics): libmicrohttpd without threads
 * of its own, its epoll fd in the daemon's event loop, so a scrape reads
 * the daemon's state between two events and needs no lock. Only GET (and
 * HEAD) /metrics; one request per connection, each with a deadline from
 * accept, little memory, and one rendered text shared by every scrape of
 * the same second.
 */
#ifndef N2NK_METRICS_H
#define N2NK_METRICS_H

#include <sys/socket.h>

#include "common/evloop.h"
#include "ctl_table.h"

enum metrics_limits {
	/* Beyond this many open connections a new one pushes out the
	 * oldest (one still sending its request first): holding slots
	 * cannot lock a scraper out. */
	METRICS_MAX_CONNECTIONS = 8,
	/* libmicrohttpd's own limit: room for the ones being pushed out. */
	METRICS_HARD_CONNECTIONS = 16,
	/* From accept: the request complete, then the whole exchange,
	 * whatever the client trickles (checked on every tick and event). */
	METRICS_REQUEST_MS = 2000,
	METRICS_EXCHANGE_MS = 5000,
	METRICS_CONN_MEMORY = 4096, /* request headers: a GET is < 512 B */
	METRICS_RENDER_MS = 1000,   /* one render serves this long */
};

/* Appends the exposition text to out; 0 or -errno. */
typedef int (*metrics_render_fn)(void *ctx, struct ctl_buf *out);

struct metrics_server;

/*
 * Listens on addr (IPv4 or IPv6; a v6 socket is v6 only) and serves from
 * loop; NULL (-errno in *err) if not. Warns when addr is not loopback.
 */
struct metrics_server *metrics_open(struct evloop *loop,
				    const struct sockaddr_storage *addr,
				    metrics_render_fn render, void *ctx,
				    int *err);
/* Deadlines and MHD's timers: from the daemon's tick. NULL: nothing. */
void metrics_tick(struct metrics_server *m);
void metrics_close(struct evloop *loop, struct metrics_server *m);
/* True for 127/8, ::1 and ::ffff:127/104. */
bool metrics_addr_is_loopback(const struct sockaddr_storage *addr);

#endif /* N2NK_METRICS_H */
