// SPDX-License-Identifier: GPL-2.0-only
/*
 * The metrics endpoint: we bind the socket (so a bad or busy address is
 * refused with its errno, before privileges go) and hand it to
 * libmicrohttpd in external epoll mode; the loop calls MHD_run when MHD's
 * epoll fd is readable and on every tick, for timeouts.
 *
 * MHD's connection timeout is an idle one, which a client sending a byte
 * now and then never reaches. So we keep our own record of every
 * connection (MHD_OPTION_NOTIFY_CONNECTION) with its accept time, and shut
 * down the socket of one past its deadline; MHD then reads the end of the
 * stream and frees it. Each answer says "Connection: close", so a
 * connection's deadline is its one exchange's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "common/sockaddr.h"
#include "ctl_prom.h"
#include "metrics.h"

/* One open connection, as MHD's socket context. */
struct metrics_conn {
	bool used;
	bool requested; /* the request line and headers are in */
	bool ended;	/* shut down by us: MHD closes it next */
	int fd;
	uint64_t accepted_ms;
};

enum {
	LOG_BURST = 5,
	LOG_WINDOW_MS = 10000
};

struct metrics_server {
	struct MHD_Daemon *mhd;
	int epfd; /* MHD's, in our loop */
	metrics_render_fn render;
	void *ctx;
	struct metrics_conn conns[METRICS_HARD_CONNECTIONS];
	/* The last rendering, shared by every scrape within
	 * METRICS_RENDER_MS: MHD counts the connections sending it. */
	struct MHD_Response *cache;
	uint64_t cache_ms;
	/* MHD's messages: LOG_BURST per LOG_WINDOW_MS, the rest counted. */
	uint64_t log_window_ms;
	unsigned int log_lines, log_dropped;
};

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status,
			     const char *text)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(strlen(text), (void *)text,
					    MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/plain; charset=utf-8");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* A fresh rendering as a response MHD frees with its last user. */
static struct MHD_Response *render_response(struct metrics_server *m)
{
	struct MHD_Response *r;
	struct ctl_buf b;

	ctl_buf_init(&b);
	if (m->render(m->ctx, &b) || b.err || !b.data) {
		ctl_buf_free(&b);
		return NULL;
	}
	r = MHD_create_response_from_buffer(b.len, b.data,
					    MHD_RESPMEM_MUST_FREE);
	if (!r) {
		ctl_buf_free(&b);
		return NULL;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				PROM_CONTENT_TYPE);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	return r;
}

/*
 * Renders at most once per METRICS_RENDER_MS: concurrent scrapers (and
 * HEAD) share one text, whose memory goes with the last one sending it.
 */
static enum MHD_Result scrape(struct metrics_server *m,
			      struct MHD_Connection *c)
{
	uint64_t now = evloop_now_ms();
	struct MHD_Response *r;

	if (!m->cache || now - m->cache_ms >= METRICS_RENDER_MS) {
		r = render_response(m);
		if (!r)
			return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				     "metrics: out of memory\n");
		if (m->cache)
			MHD_destroy_response(m->cache); /* our reference */
		m->cache = r;
		m->cache_ms = now;
	}
	return MHD_queue_response(c, MHD_HTTP_OK, m->cache);
}

static struct metrics_conn *conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/*
 * Answered at the first call, before any body: a GET has none, and for
 * anything else MHD discards the body and closes the connection.
 */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **req_cls)
{
	struct metrics_server *m = cls;
	struct metrics_conn *mc = conn_of(c);

	(void)version, (void)upload_data, (void)upload_data_size;
	(void)req_cls;
	if (mc)
		mc->requested = true;
	if (strcmp(url, "/metrics"))
		return reply(c, MHD_HTTP_NOT_FOUND, "not found\n");
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED,
			     "method not allowed\n");
	return scrape(m, c);
}

/* Ends a connection: MHD sees the end of the stream and frees it. */
static void conn_end(struct metrics_conn *mc)
{
	if (mc->ended)
		return;
	mc->ended = true;
	shutdown(mc->fd, SHUT_RDWR);
}

/*
 * Over METRICS_MAX_CONNECTIONS live ones, the oldest that has not sent its
 * request yet goes, else the oldest: never the newcomer, so whoever holds
 * connections open pushes out their own, and a scrape gets in.
 */
static void make_room(struct metrics_server *m, const struct metrics_conn *new)
{
	struct metrics_conn *mc, *oldest = NULL, *oldest_idle = NULL;
	unsigned int live = 0;
	size_t i;

	for (i = 0; i < METRICS_HARD_CONNECTIONS; i++) {
		mc = &m->conns[i];
		if (!mc->used || mc->ended)
			continue;
		live++;
		if (mc == new)
			continue;
		if (!oldest || mc->accepted_ms < oldest->accepted_ms)
			oldest = mc;
		if (!mc->requested &&
		    (!oldest_idle ||
		     mc->accepted_ms < oldest_idle->accepted_ms))
			oldest_idle = mc;
	}
	if (live > METRICS_MAX_CONNECTIONS && (oldest_idle || oldest))
		conn_end(oldest_idle ? oldest_idle : oldest);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **sctx,
			  enum MHD_ConnectionNotificationCode what)
{
	struct metrics_server *m = cls;
	const union MHD_ConnectionInfo *ci;
	struct metrics_conn *mc = *sctx;
	size_t i;

	if (what == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (mc)
			mc->used = false;
		return;
	}
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	for (i = 0; ci && i < METRICS_HARD_CONNECTIONS; i++)
		if (!m->conns[i].used)
			break;
	if (!ci || i == METRICS_HARD_CONNECTIONS) {
		if (ci) /* more than MHD's own limit: not expected */
			shutdown(ci->connect_fd, SHUT_RDWR);
		return;
	}
	mc = &m->conns[i];
	*mc = (struct metrics_conn){ .used = true,
				     .fd = ci->connect_fd,
				     .accepted_ms = evloop_now_ms() };
	*sctx = mc;
	make_room(m, mc);
}

/* Ends every connection past its deadline. */
static void deadlines(struct metrics_server *m)
{
	uint64_t now = evloop_now_ms();
	struct metrics_conn *mc;
	size_t i;

	for (i = 0; i < METRICS_HARD_CONNECTIONS; i++) {
		mc = &m->conns[i];
		if (mc->used && now - mc->accepted_ms >=
					(mc->requested ? METRICS_EXCHANGE_MS
						       : METRICS_REQUEST_MS))
			conn_end(mc);
	}
}

/* Whether one more of MHD's messages may go to the log now. */
static bool log_allowed(struct metrics_server *m)
{
	uint64_t now = evloop_now_ms();

	if (now - m->log_window_ms >= LOG_WINDOW_MS) {
		if (m->log_dropped)
			log_info("metrics: %u more messages in %u s not logged",
				 m->log_dropped, LOG_WINDOW_MS / 1000);
		m->log_window_ms = now;
		m->log_lines = m->log_dropped = 0;
	}
	if (m->log_lines < LOG_BURST) {
		m->log_lines++;
		return true;
	}
	m->log_dropped++;
	return false;
}

__attribute__((format(printf, 2, 0))) static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct metrics_server *m = cls;
	char msg[256];
	size_t n;

	if (!log_allowed(m))
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	if (n && msg[n - 1] == '\n')
		msg[n - 1] = 0;
	log_info("metrics: %s", msg);
}

static void on_readable(void *arg)
{
	struct metrics_server *m = arg;

	deadlines(m);
	MHD_run(m->mhd);
}

void metrics_tick(struct metrics_server *m)
{
	if (!m)
		return;
	deadlines(m);
	MHD_run(m->mhd);
}

bool metrics_addr_is_loopback(const struct sockaddr_storage *addr)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)addr;
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)addr;

	if (addr->ss_family == AF_INET)
		return (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
	if (addr->ss_family != AF_INET6)
		return false;
	if (IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr))
		return true;
	return IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr) &&
	       s6->sin6_addr.s6_addr[12] == 127;
}

static socklen_t addr_len(const struct sockaddr_storage *addr)
{
	return addr->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
					   : sizeof(struct sockaddr_in);
}

static int listen_on(const struct sockaddr_storage *addr)
{
	int fd, one = 1, err;
	char where[SOCKADDR_STR_MAX];

	fd = socket(addr->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return -errno;
	/* [::] means IPv6 only: IPv4 too is a choice of its own. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    (addr->ss_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) ||
	    bind(fd, (const struct sockaddr *)addr, addr_len(addr)) ||
	    listen(fd, METRICS_MAX_CONNECTIONS)) {
		err = -errno;
		log_err("metrics: cannot listen on %s: %s",
			sockaddr_str(addr, where), strerror(-err));
		close(fd);
		return err;
	}
	if (!metrics_addr_is_loopback(addr))
		log_warn("metrics: listening on %s, beyond loopback: the "
			 "endpoint has no access control, so whoever reaches "
			 "it reads every metric (docs/metrics.md)",
			 sockaddr_str(addr, where));
	return fd;
}

static struct MHD_Daemon *start_mhd(struct metrics_server *m, int fd)
{
	/* The logger first: MHD logs to stderr until it has one. */
	return MHD_start_daemon(
		MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, m,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, m,
		MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
		MHD_OPTION_CONNECTION_LIMIT,
		(unsigned int)METRICS_HARD_CONNECTIONS,
		MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned int)(METRICS_EXCHANGE_MS / 1000),
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)METRICS_CONN_MEMORY,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, m, MHD_OPTION_END);
}

struct metrics_server *metrics_open(struct evloop *loop,
				    const struct sockaddr_storage *addr,
				    metrics_render_fn render, void *ctx,
				    int *err)
{
	struct metrics_server *m = calloc(1, sizeof(*m));
	const union MHD_DaemonInfo *info;
	int fd;

	*err = -ENOMEM;
	if (!m)
		return NULL;
	m->render = render;
	m->ctx = ctx;
	m->log_window_ms = evloop_now_ms();
	fd = listen_on(addr);
	if (fd < 0) {
		*err = fd;
		free(m);
		return NULL;
	}
	m->mhd = start_mhd(m, fd);
	if (!m->mhd) {
		log_err("metrics: libmicrohttpd would not start");
		close(fd);
		free(m);
		*err = -EIO;
		return NULL;
	}
	info = MHD_get_daemon_info(m->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	m->epfd = info ? info->epoll_fd : -1;
	*err = m->epfd < 0 ? -EIO : evloop_add(loop, m->epfd, on_readable, m);
	if (*err) {
		MHD_stop_daemon(m->mhd);
		free(m);
		return NULL;
	}
	return m;
}

void metrics_close(struct evloop *loop, struct metrics_server *m)
{
	if (!m)
		return;
	evloop_del(loop, m->epfd);
	MHD_stop_daemon(m->mhd); /* closes the listening socket too */
	if (m->cache)
		MHD_destroy_response(m->cache);
	free(m);
}
