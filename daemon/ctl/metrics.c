// SPDX-License-Identifier: GPL-2.0-only
/*
 * The metrics endpoint: we bind the socket (so a bad or busy address is
 * refused with its errno, before privileges go) and hand it to
 * libmicrohttpd in external epoll mode; the loop calls MHD_run when MHD's
 * epoll fd is readable and on every tick, for timeouts.
 */
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
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

struct metrics_server {
	struct MHD_Daemon *mhd;
	int epfd; /* MHD's, in our loop */
	metrics_render_fn render;
	void *ctx;
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
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result scrape(struct metrics_server *m,
			      struct MHD_Connection *c)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	struct ctl_buf b;

	ctl_buf_init(&b);
	if (m->render(m->ctx, &b) || b.err || !b.data) {
		ctl_buf_free(&b);
		return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
			     "metrics: out of memory\n");
	}
	/* MHD frees b.data (malloc'd) with the response. */
	r = MHD_create_response_from_buffer(b.len, b.data,
					    MHD_RESPMEM_MUST_FREE);
	if (!r) {
		ctl_buf_free(&b);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				PROM_CONTENT_TYPE);
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
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

	(void)version, (void)upload_data, (void)upload_data_size;
	(void)req_cls;
	if (strcmp(url, "/metrics"))
		return reply(c, MHD_HTTP_NOT_FOUND, "not found\n");
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED,
			     "method not allowed\n");
	return scrape(m, c);
}

__attribute__((format(printf, 2, 0))) static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	if (n && msg[n - 1] == '\n')
		msg[n - 1] = 0;
	log_info("metrics: %s", msg);
}

static void on_readable(void *arg)
{
	struct metrics_server *m = arg;

	MHD_run(m->mhd);
}

void metrics_tick(struct metrics_server *m)
{
	if (m)
		MHD_run(m->mhd);
}

static int listen_on(const struct sockaddr_in *addr)
{
	int fd, one = 1, err;
	char where[SOCKADDR_STR_MAX];
	struct sockaddr_storage ss = { 0 };

	memcpy(&ss, addr, sizeof(*addr));
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (const struct sockaddr *)addr, sizeof(*addr)) ||
	    listen(fd, METRICS_MAX_CONNECTIONS)) {
		err = -errno;
		log_err("metrics: cannot listen on %s: %s",
			sockaddr_str(&ss, where), strerror(-err));
		close(fd);
		return err;
	}
	return fd;
}

struct metrics_server *metrics_open(struct evloop *loop,
				    const struct sockaddr_in *addr,
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
	fd = listen_on(addr);
	if (fd < 0) {
		*err = fd;
		free(m);
		return NULL;
	}
	m->mhd = MHD_start_daemon(
		MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, m,
		MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
		MHD_OPTION_CONNECTION_LIMIT,
		(unsigned int)METRICS_MAX_CONNECTIONS,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned int)METRICS_MAX_PER_IP, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned int)METRICS_TIMEOUT_S,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)METRICS_CONN_MEMORY,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_END);
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
	free(m);
}
