// SPDX-License-Identifier: GPL-2.0-only
/*
 * -S2: one TCP connection to the current supernode, non-blocking from the
 * connect on. Frames for the supernode wait in the stream's bounded queue
 * (full: dropped, counted as tcp_queue_full) while it connects or the
 * peer does not read. An error or the peer's close ends the connection;
 * the next frame for the supernode opens a new one, not before the
 * back-off (frames before then: dropped as tcp_not_connected). The
 * registration's own retries and failover (edge_sn.c) do the rest: once
 * another supernode is current, its first frame moves the connection
 * there at once (what is queued for the old one gets one try first).
 * Frames for a supernode that is not current are dropped
 * (tcp_not_connected), bar those to the one being left while the
 * connection still goes there (its UNREGISTER_SUPER).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "common/log.h"
#include "common/sockaddr.h"
#include "common/tcp_stream.h"
#include "edge.h"
#include "edge_tcp.h"

struct edge_tcp {
	int epfd; /* the connection's events, one fd in the loop */
	struct tcp_stream s;
	bool connecting;
	struct sockaddr_storage to; /* where s.fd goes, or went */
	uint64_t started_ms;	    /* connect() */
	uint64_t retry_ms;	    /* no new connect before */
	unsigned int backoff_ms;
	bool said_down;	  /* the failure is logged once per streak */
	unsigned int gen; /* one more for each connection ended */
};

static struct edge_tcp *tcp_of(const struct edge *e)
{
	return e->tcp;
}

/* Ends the connection (a new fd may get its number: gen tells them
 * apart). What is queued gets one try first if it is up: the
 * UNREGISTER_SUPER for a supernode being left, say. */
static void end_connection(struct edge *e, struct edge_tcp *t)
{
	unsigned int i;

	if (t->s.fd >= 0 && !t->connecting)
		tcp_stream_flush(&t->s);
	for (i = 0; i < t->s.tx_frames; i++) /* discarded: counted */
		edge_drop(e, N2NK_TCP_DOWN);
	tcp_stream_close(&t->s);
	t->connecting = false;
	t->gen++;
}

/* Ends the connection; the next may come after the back-off. */
static void fail(struct edge *e, const char *what, int err)
{
	struct edge_tcp *t = tcp_of(e);
	char a[SOCKADDR_STR_MAX];
	uint64_t now = evloop_now_ms();

	if (!t->said_down)
		log_warn("supernode %s over TCP: %s (%s); again in %u ms",
			 sockaddr_str(&t->to, a), what, strerror(-err),
			 t->backoff_ms);
	t->said_down = true;
	end_connection(e, t);
	t->retry_ms = now + t->backoff_ms;
	t->backoff_ms = t->backoff_ms * 2 > EDGE_TCP_BACKOFF_MAX_MS
				? EDGE_TCP_BACKOFF_MAX_MS
				: t->backoff_ms * 2;
}

static int start_connect(struct edge *e, const struct sockaddr_storage *to)
{
	struct edge_tcp *t = tcp_of(e);
	struct sockaddr_storage dst = *to;
	socklen_t dlen = dst.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
						   : sizeof(struct sockaddr_in);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT };
	int one = 1, fd;

	t->to = *to;
	t->started_ms = evloop_now_ms();
	fd = socket(dst.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&dst, dlen) &&
	    errno != EINPROGRESS) {
		int err = -errno;

		close(fd);
		return err;
	}
	if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		int err = -errno;

		close(fd);
		return err;
	}
	tcp_stream_init(&t->s, fd);
	t->s.out_armed = true;
	t->connecting = true;
	return 0;
}

/* A connection to `to`, or one on its way; false: not now. */
static bool ensure_connection(struct edge *e, const struct sockaddr_storage *to)
{
	struct edge_tcp *t = tcp_of(e);
	uint64_t now = evloop_now_ms();
	int err;

	if (t->s.fd >= 0 && sockaddr_equal(&t->to, to))
		return true;
	if (t->s.fd >= 0 || !sockaddr_equal(&t->to, to)) {
		/* Another supernode: leave this one, no waiting. */
		end_connection(e, t);
		t->backoff_ms = EDGE_TCP_BACKOFF_MIN_MS;
		t->retry_ms = 0;
		t->said_down = false;
	}
	if (now < t->retry_ms)
		return false;
	err = start_connect(e, to);
	if (err) {
		t->to = *to;
		fail(e, "cannot connect", err);
		return false;
	}
	return true;
}

int edge_tcp_send(struct edge *e, const struct sockaddr_storage *to,
		  const uint8_t *buf, size_t len, bool current)
{
	struct edge_tcp *t = tcp_of(e);
	int err;

	/* The one being left (its UNREGISTER_SUPER) still has it. */
	if (!current && !(t->s.fd >= 0 && sockaddr_equal(&t->to, to))) {
		edge_drop(e, N2NK_TCP_DOWN);
		return -ENOTCONN;
	}
	if (!ensure_connection(e, to)) {
		edge_drop(e, N2NK_TCP_DOWN);
		return -ENOTCONN;
	}
	err = tcp_stream_queue(&t->s, buf, len);
	if (err) {
		edge_drop(e, err == -ENOBUFS ? N2NK_TCP_QUEUE_FULL
					     : N2NK_OVERSIZE);
		return err;
	}
	if (t->connecting)
		return 0;
	err = tcp_stream_flush(&t->s);
	if (err < 0) {
		fail(e, "send failed", err);
		return 0; /* queued: it was not refused, the link went */
	}
	tcp_stream_arm(&t->s, t->epfd, NULL);
	return 0;
}

static bool on_frame(void *arg, uint8_t *body, size_t len)
{
	struct edge *e = arg;
	struct edge_tcp *t = tcp_of(e);
	unsigned int gen = t->gen;
	struct sockaddr_storage from = t->to;

	edge_on_udp(e, &from, body, len);
	if (t->gen != gen)
		return false; /* ended meanwhile (another fd maybe since) */
	/* Something valid came: the next failure starts the back-off anew. */
	t->backoff_ms = EDGE_TCP_BACKOFF_MIN_MS;
	t->said_down = false;
	return true;
}

static void connected(struct edge *e)
{
	struct edge_tcp *t = tcp_of(e);
	char a[SOCKADDR_STR_MAX];
	socklen_t sl = sizeof(int);
	int soerr = 0;

	getsockopt(t->s.fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
	if (soerr)
		return fail(e, "cannot connect", -soerr);
	t->connecting = false;
	log_notice("supernode %s: connected over TCP", sockaddr_str(&t->to, a));
}

static void on_events(void *arg)
{
	struct edge *e = arg;
	struct edge_tcp *t = tcp_of(e);
	struct epoll_event ev;
	int err;

	if (epoll_wait(t->epfd, &ev, 1, 0) != 1 || t->s.fd < 0)
		return;
	if (t->connecting && (ev.events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
		connected(e);
	if (t->s.fd < 0 || t->connecting)
		return;
	if (ev.events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		err = tcp_stream_read(&t->s, on_frame, e, evloop_now_ms());
		if (err == -EMSGSIZE)
			edge_drop(e, N2NK_TCP_FRAME_SIZE);
		if (err)
			return fail(e,
				    err == -EPIPE ? "closed by the supernode"
						  : "receive failed",
				    err);
	}
	if (t->s.fd < 0)
		return;
	err = tcp_stream_flush(&t->s);
	if (err < 0)
		return fail(e, "send failed", err);
	tcp_stream_arm(&t->s, t->epfd, NULL);
}

void edge_tcp_tick(struct edge *e, uint64_t now)
{
	struct edge_tcp *t = tcp_of(e);

	if (t && t->connecting && now - t->started_ms >= EDGE_TCP_CONNECT_MS)
		fail(e, "connect timed out", -ETIMEDOUT);
}

int edge_tcp_open(struct edge *e)
{
	struct edge_tcp *t = calloc(1, sizeof(*t));
	int err;

	if (!t)
		return -ENOMEM;
	tcp_stream_init(&t->s, -1);
	t->backoff_ms = EDGE_TCP_BACKOFF_MIN_MS;
	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (t->epfd < 0) {
		err = -errno;
		free(t);
		return err;
	}
	e->tcp = t;
	err = evloop_add(&e->loop, t->epfd, on_events, e);
	if (err)
		edge_tcp_close(e);
	return err;
}

void edge_tcp_close(struct edge *e)
{
	struct edge_tcp *t = tcp_of(e);

	if (!t)
		return;
	end_connection(e, t); /* what is queued (an UNREGISTER_SUPER): a try */
	evloop_del(&e->loop, t->epfd);
	close(t->epfd);
	free(t);
	e->tcp = NULL;
}

const char *edge_tcp_state(const struct edge *e, char *buf, size_t cap)
{
	const struct edge_tcp *t = tcp_of(e);
	char a[SOCKADDR_STR_MAX];

	if (!t)
		snprintf(buf, cap, "udp");
	else
		snprintf(buf, cap, "tcp %s %s",
			 t->s.fd < 0	 ? "down"
			 : t->connecting ? "connecting"
					 : "connected",
			 t->to.ss_family ? sockaddr_str(&t->to, a) : "-");
	return buf;
}
