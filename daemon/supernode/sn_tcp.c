// SPDX-License-Identifier: GPL-2.0-only
/*
 * The supernode's TCP connections (-S2 edges): accepted on the main port,
 * one inner epoll set for all of them in the event loop, each frame
 * handled as the datagram it carries. See sn_tcp.h for the bounds.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "common/sockaddr.h"
#include "common/tcp_stream.h"
#include "sn_tcp.h"
#include "supernode.h"

struct sn_tcp_conn {
	struct tcp_stream s;
	struct sockaddr_storage peer;
	uint64_t open_ms, last_ms; /* accepted; last registration */
	bool registered;
	/* The edge registered over it, forgotten when it closes. */
	char community[N2N_COMMUNITY_SIZE];
	uint8_t mac[MAC_SIZE];
};

struct sn_tcp {
	int epfd, lfd;
	struct sn_tcp_conn *conns[SN_TCP_MAX_CONNS];
	unsigned int n;
	uint64_t idle_ms;	/* SN_TCP_IDLE_MS, or the test setting */
	bool paused;		/* the listener out of epoll until the tick */
	struct sn_tcp_conn *rx; /* whose frame is being handled, or NULL */
	bool rx_valid;		/* and whether it led anywhere */
};

static struct sn_tcp *tcp_of(const struct supernode *sn)
{
	return sn->tcp;
}

/* The edge registered over k, if it is still there and on it (not
 * purged, nor moved to UDP or another connection); its community in *cp. */
static struct sn_edge *edge_on(struct supernode *sn,
			       const struct sn_tcp_conn *k,
			       struct sn_community **cp)
{
	struct sn_community *c;
	struct sn_edge *e;

	if (!k->registered)
		return NULL;
	c = sn_community_find(sn, k->community);
	e = c ? (struct sn_edge *)mac_table_find(&c->edges, k->mac) : NULL;
	*cp = c;
	return e && e->tcp && sockaddr_equal(&e->sa, &k->peer) ? e : NULL;
}

/* The edge registered over it goes too, if it is still there. */
static void forget_edge(struct supernode *sn, struct sn_tcp_conn *k)
{
	struct sn_community *c;
	struct sn_edge *e = edge_on(sn, k, &c);

	if (e)
		sn_edge_delete(sn, c, e);
}

static void conn_close(struct supernode *sn, unsigned int i,
		       enum n2nk_reason why)
{
	struct sn_tcp *t = tcp_of(sn);
	struct sn_tcp_conn *k = t->conns[i];
	char a[SOCKADDR_STR_MAX];

	if (why != N2NK_OK)
		sn_drop(sn, why);
	log_info("TCP connection from %s closed (%s)",
		 sockaddr_str(&k->peer, a),
		 why == N2NK_OK ? "by the peer" : n2nk_reason_name(why));
	forget_edge(sn, k);
	if (t->rx == k)
		t->rx = NULL;
	tcp_stream_close(&k->s);
	free(k);
	t->conns[i] = t->conns[--t->n];
	t->conns[t->n] = NULL;
}

static int conn_index(const struct sn_tcp *t, const struct sn_tcp_conn *k)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (t->conns[i] == k)
			return (int)i;
	return -1;
}

/* One source: an IPv4 address, or an IPv6 /64 (what one host gets). */
static bool same_source(const struct sockaddr_storage *a,
			const struct sockaddr_storage *b)
{
	const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

	if (a->ss_family == AF_INET6 && b->ss_family == AF_INET6)
		return !memcmp(&x->sin6_addr, &y->sin6_addr, 8);
	return sockaddr_same_host(a, b);
}

/* How many from sa's source (any source: sa NULL), and the oldest of
 * them with no registration (-1: none). */
static unsigned int count_from(const struct sn_tcp *t,
			       const struct sockaddr_storage *sa, int *oldest)
{
	unsigned int i, n = 0;

	*oldest = -1;
	for (i = 0; i < t->n; i++) {
		const struct sn_tcp_conn *k = t->conns[i];

		if (sa && !same_source(&k->peer, sa))
			continue;
		n++;
		if (!k->registered &&
		    (*oldest < 0 || k->open_ms < t->conns[*oldest]->open_ms))
			*oldest = (int)i;
	}
	return n;
}

/*
 * Over a cap, the oldest connection with no registration (under the cap
 * it had SN_TCP_HELLO_MS to register) makes room, counted; if all have
 * one, the new connection is refused (its SYN cost us nothing). So
 * squatters cannot keep edges out, behind one NAT or not.
 */
static bool admit(struct supernode *sn, const struct sockaddr_storage *sa)
{
	struct sn_tcp *t = tcp_of(sn);
	int old;

	if (count_from(t, sa, &old) >= SN_TCP_MAX_PER_IP) {
		if (old < 0) {
			sn_drop(sn, N2NK_TCP_SOURCE_LIMIT);
			return false;
		}
		conn_close(sn, (unsigned int)old, N2NK_TCP_SOURCE_LIMIT);
	}
	if (count_from(t, NULL, &old) >= SN_TCP_MAX_CONNS) {
		if (old < 0) {
			sn_drop(sn, N2NK_TCP_CONN_LIMIT);
			return false;
		}
		conn_close(sn, (unsigned int)old, N2NK_TCP_CONN_LIMIT);
	}
	return true;
}

static void accept_one(struct supernode *sn, int fd,
		       const struct sockaddr_storage *sa)
{
	struct sn_tcp *t = tcp_of(sn);
	struct epoll_event ev = { .events = EPOLLIN };
	struct sn_tcp_conn *k;
	int one = 1;

	if (!admit(sn, sa) || !(k = calloc(1, sizeof(*k)))) {
		close(fd);
		return;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	tcp_stream_init(&k->s, fd);
	k->peer = *sa;
	k->open_ms = k->last_ms = evloop_now_ms();
	ev.data.ptr = k;
	if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		tcp_stream_close(&k->s);
		free(k);
		return;
	}
	t->conns[t->n++] = k;
}

/* The listener stays readable while accept4 fails (EMFILE, ENFILE,
 * ENOMEM...): out of epoll until the next tick, logged once per pause. */
static void pause_listener(struct sn_tcp *t)
{
	log_warn("TCP: cannot accept connections (%m); trying again in 1 s");
	epoll_ctl(t->epfd, EPOLL_CTL_DEL, t->lfd, NULL);
	t->paused = true;
}

static void resume_listener(struct sn_tcp *t)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };

	if (t->paused && !epoll_ctl(t->epfd, EPOLL_CTL_ADD, t->lfd, &ev))
		t->paused = false;
}

static void on_listen(struct supernode *sn)
{
	struct sn_tcp *t = tcp_of(sn);
	int i, fd;

	for (i = 0; i < 16; i++) { /* a bounded batch per wake-up */
		struct sockaddr_storage sa;
		socklen_t sl = sizeof(sa);

		fd = accept4(t->lfd, (struct sockaddr *)&sa, &sl,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0 && errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			pause_listener(t); /* out of fds, say: no spinning */
		if (fd < 0)
			return;
		sockaddr_unmap(&sa);
		accept_one(sn, fd, &sa);
	}
}

static bool on_frame(void *arg, uint8_t *body, size_t len)
{
	struct supernode *sn = arg;
	struct sn_tcp *t = tcp_of(sn);
	struct sn_tcp_conn *k = t->rx;
	struct sockaddr_storage from = k->peer;

	sn_on_udp(sn, &from, body, len);
	return t->rx == k; /* false: closed meanwhile */
}

static void on_conn(struct supernode *sn, struct sn_tcp_conn *k,
		    uint32_t events)
{
	struct sn_tcp *t = tcp_of(sn);
	int err = 0;

	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		t->rx = k;
		err = tcp_stream_read(&k->s, on_frame, sn, evloop_now_ms());
		if (t->rx != k)
			return;
		t->rx = NULL;
	}
	if (!err)
		err = tcp_stream_flush(&k->s) < 0 ? -EPIPE : 0;
	if (!err) {
		tcp_stream_arm(&k->s, t->epfd, k);
		return;
	}
	conn_close(sn, (unsigned int)conn_index(t, k),
		   err == -EMSGSIZE ? N2NK_TCP_FRAME_SIZE : N2NK_OK);
}

static void on_events(void *arg)
{
	struct supernode *sn = arg;
	struct sn_tcp *t = tcp_of(sn);
	struct epoll_event evs[32];
	int i, n = epoll_wait(t->epfd, evs, 32, 0);

	for (i = 0; i < n; i++) {
		struct sn_tcp_conn *k = evs[i].data.ptr;

		if (!k)
			on_listen(sn);
		else if (conn_index(t, k) >= 0) /* not closed by an earlier */
			on_conn(sn, k, evs[i].events);
	}
}

/* The connection edge e registered over, if it is still its own. */
static struct sn_tcp_conn *conn_of_edge(const struct sn_tcp *t,
					const struct sn_community *c,
					const struct sn_edge *e)
{
	unsigned int i;

	for (i = 0; i < t->n; i++) {
		struct sn_tcp_conn *k = t->conns[i];

		if (k->registered && mac_equal(k->mac, e->key.mac) &&
		    !memcmp(k->community, c->name, N2N_COMMUNITY_SIZE) &&
		    sockaddr_equal(&k->peer, &e->sa))
			return k;
	}
	return NULL;
}

int sn_tcp_send(struct supernode *sn, const struct sn_community *c,
		const struct sockaddr_storage *to, const struct sn_edge *e,
		const uint8_t *buf, size_t len)
{
	struct sn_tcp *t = tcp_of(sn);
	struct sn_tcp_conn *k;
	int err;

	if (!t || (e && !e->tcp))
		return -ENOENT;
	if (!e) /* an answer goes back the way its question came */
		k = t->rx && sockaddr_equal(&t->rx->peer, to) ? t->rx : NULL;
	else if (!(k = conn_of_edge(t, c, e))) {
		sn_drop(sn, N2NK_SEND_FAILED); /* not by UDP: it is on TCP */
		return -ENOTCONN;
	}
	if (!k)
		return -ENOENT;
	err = tcp_stream_queue(&k->s, buf, len);
	if (err) {
		sn_drop(sn, N2NK_TCP_QUEUE_FULL);
		return err;
	}
	/* Written now if the socket takes it; an error: its read says so. */
	if (tcp_stream_flush(&k->s) >= 0)
		tcp_stream_arm(&k->s, t->epfd, k);
	return 0;
}

void sn_tcp_registered(struct supernode *sn, struct sn_community *c,
		       struct sn_edge *e, const struct sockaddr_storage *from)
{
	struct sn_tcp *t = tcp_of(sn);
	struct sn_tcp_conn *k = t ? t->rx : NULL;

	e->tcp = k && sockaddr_equal(&k->peer, from);
	if (!e->tcp)
		return;
	/* One edge per connection, as n2n: a second MAC takes its place. */
	if (k->registered && memcmp(k->mac, e->key.mac, MAC_SIZE))
		forget_edge(sn, k);
	k->registered = true;
	k->last_ms = evloop_now_ms();
	memcpy(k->community, c->name, N2N_COMMUNITY_SIZE);
	memcpy(k->mac, e->key.mac, MAC_SIZE);
}

void sn_tcp_tick(struct supernode *sn, uint64_t now)
{
	struct sn_tcp *t = tcp_of(sn);
	unsigned int i = 0;

	if (t)
		resume_listener(t);
	while (t && i < t->n) {
		struct sn_tcp_conn *k = t->conns[i];
		enum n2nk_reason why = N2NK_OK;

		if (k->s.partial_ms &&
		    now - k->s.partial_ms >= SN_TCP_PARTIAL_MS)
			why = N2NK_TCP_PARTIAL;
		else if (!k->registered && now - k->open_ms >= SN_TCP_HELLO_MS)
			why = N2NK_TCP_TIMEOUT;
		else if (k->registered && now - k->last_ms >= t->idle_ms)
			why = N2NK_TCP_TIMEOUT;
		if (why == N2NK_OK)
			i++;
		else
			conn_close(sn, i, why); /* the last moved to i */
	}
}

void sn_tcp_count(struct supernode *sn, unsigned int *open,
		  unsigned int *registered)
{
	const struct sn_tcp *t = tcp_of(sn);
	struct sn_community *c;
	unsigned int i;

	*open = t ? t->n : 0;
	*registered = 0;
	for (i = 0; t && i < t->n; i++) /* edges still on their connection */
		*registered += edge_on(sn, t->conns[i], &c) != NULL;
}

/* Where the UDP socket is: its address, or [::] for both families. */
static int listen_socket(const struct supernode *sn)
{
	struct sockaddr_storage sa = sn->dp.cfg.bind;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&sa;
	bool dual = sn->dp.udp_family == AF_INET6 && sa.ss_family == AF_INET;
	int one = 1, zero = 0, fd;

	if (dual) {
		memset(&sa, 0, sizeof(sa));
		in6->sin6_family = AF_INET6;
		in6->sin6_addr = in6addr_any;
	}
	((struct sockaddr_in *)&sa)->sin_port = htons(sn->dp.bound_port);
	fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (dual)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, (struct sockaddr *)&sa,
		 sa.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
					  : sizeof(struct sockaddr_in)) ||
	    listen(fd, SN_TCP_BACKLOG)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* N2NK_SN_TCP_IDLE_S: the idle timeout, for tests (logged when set). */
static uint64_t idle_ms(void)
{
	const char *v = getenv("N2NK_SN_TCP_IDLE_S");
	char *end;
	unsigned long s;

	if (!v || !*v)
		return SN_TCP_IDLE_MS;
	s = strtoul(v, &end, 10);
	if (*end || s < 2 || s > 86400) {
		log_warn("N2NK_SN_TCP_IDLE_S=%s ignored (2..86400 seconds)", v);
		return SN_TCP_IDLE_MS;
	}
	log_warn("N2NK_SN_TCP_IDLE_S=%lu: a test setting, not for real "
		 "networks",
		 s);
	return s * 1000;
}

int sn_tcp_open(struct supernode *sn)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	struct sn_tcp *t = calloc(1, sizeof(*t));
	int err;

	if (!t)
		return -ENOMEM;
	t->idle_ms = idle_ms();
	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	t->lfd = listen_socket(sn);
	err = t->epfd < 0 ? -errno : t->lfd < 0 ? t->lfd : 0;
	if (!err && epoll_ctl(t->epfd, EPOLL_CTL_ADD, t->lfd, &ev))
		err = -errno;
	if (!err) {
		sn->tcp = t;
		err = evloop_add(&sn->loop, t->epfd, on_events, sn);
		if (err)
			sn->tcp = NULL;
	}
	if (err) {
		log_warn("no TCP on port %u (-S2 edges cannot connect): %s",
			 sn->dp.bound_port, strerror(-err));
		if (t->lfd >= 0)
			close(t->lfd);
		if (t->epfd >= 0)
			close(t->epfd);
		free(t);
		return err;
	}
	log_notice("supernode listening on TCP port %u", sn->dp.bound_port);
	return 0;
}

void sn_tcp_close(struct supernode *sn)
{
	struct sn_tcp *t = tcp_of(sn);

	if (!t)
		return;
	while (t->n) /* their edges stay: the daemon is going */
		conn_close(sn, t->n - 1, N2NK_OK);
	evloop_del(&sn->loop, t->epfd);
	close(t->lfd);
	close(t->epfd);
	free(t);
	sn->tcp = NULL;
}
