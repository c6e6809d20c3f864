/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The opt-in Prometheus endpoint (--metrics): libmicrohttpd without threads
 * of its own, its epoll fd in the daemon's event loop, so a scrape reads
 * the daemon's state between two events and needs no lock. Only GET (and
 * HEAD) /metrics; few connections, short timeouts, little memory each.
 */
#ifndef N2NK_METRICS_H
#define N2NK_METRICS_H

#include <netinet/in.h>

#include "common/evloop.h"
#include "ctl_table.h"

enum metrics_limits {
	METRICS_MAX_CONNECTIONS = 8,
	METRICS_MAX_PER_IP = 4,
	METRICS_TIMEOUT_S = 5,
	METRICS_CONN_MEMORY = 16 * 1024, /* request headers: a GET is small */
};

/* Appends the exposition text to out; 0 or -errno. */
typedef int (*metrics_render_fn)(void *ctx, struct ctl_buf *out);

struct metrics_server;

/* Listens on addr and serves from loop; NULL (-errno in *err) if not. */
struct metrics_server *metrics_open(struct evloop *loop,
				    const struct sockaddr_in *addr,
				    metrics_render_fn render, void *ctx,
				    int *err);
/* Times out idle connections: from the daemon's tick. NULL: nothing. */
void metrics_tick(struct metrics_server *m);
void metrics_close(struct evloop *loop, struct metrics_server *m);

#endif /* N2NK_METRICS_H */
