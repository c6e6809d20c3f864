// SPDX-License-Identifier: GPL-2.0-only
/*
 * A thread per lookup (a handful, at start and on failover), its job
 * handed back as a pointer over a datagram socketpair: the loop owns a
 * job again once it reads it, and frees it. See resolver.h.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "common/resolver.h"
#include "common/sockaddr.h"

struct resolver_job {
	struct resolver_job *next; /* the live list: not given up */
	struct resolve_query q;
	int n;
	struct sockaddr_storage out[2];
	resolve_cb cb;
	void *arg;
	uint64_t deadline_ms;
	bool abandoned; /* cancelled or timed out: the result goes nowhere */
	int wfd;	/* where the thread reports */
};

struct resolver {
	int fds[2]; /* [0] the loop reads, [1] the threads write */
	struct evloop *loop;
	struct resolver_job *live;
	unsigned int in_flight; /* live and abandoned */
};

int resolver_lookup(const struct resolve_query *q,
		    struct sockaddr_storage out[2])
{
	int n = sockaddr_resolve_pair(out, q->host, q->port,
				      q->v6_fallback ? AF_INET : q->family);

	if (n < 0 && q->v6_fallback)
		n = sockaddr_resolve_pair(out, q->host, q->port, AF_INET6);
	return n;
}

static void *job_thread(void *p)
{
	struct resolver_job *j = p;

	j->n = resolver_lookup(&j->q, j->out);
	/* The loop takes it from here; if it went away, nobody will. */
	if (send(j->wfd, &j, sizeof(j), MSG_NOSIGNAL) != sizeof(j))
		free(j);
	return NULL;
}

static void unlink_live(struct resolver *r, struct resolver_job *j)
{
	struct resolver_job **pp;

	for (pp = &r->live; *pp; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			return;
		}
}

static void on_report(void *arg)
{
	struct resolver *r = arg;
	struct resolver_job *j;

	while (recv(r->fds[0], &j, sizeof(j), MSG_DONTWAIT) == sizeof(j)) {
		r->in_flight--;
		if (!j->abandoned) {
			unlink_live(r, j);
			j->cb(j->arg, j->n, j->out);
		}
		free(j);
	}
}

/* An address needs no DNS: numeric lookups never block. */
static bool literal(const struct resolve_query *q,
		    struct sockaddr_storage out[2], int *n)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST }, *res;
	char name[256];
	size_t len = strlen(q->host);

	if (q->host[0] == '[' && len > 2 && len < sizeof(name)) {
		memcpy(name, q->host + 1, len - 2);
		name[len - 2] = 0;
	} else {
		snprintf(name, sizeof(name), "%s", q->host);
	}
	if (getaddrinfo(name, NULL, &hints, &res))
		return false;
	freeaddrinfo(res);
	*n = resolver_lookup(q, out);
	return true;
}

int resolver_start(struct resolver *r, const struct resolve_query *q,
		   resolve_cb cb, void *arg, struct resolver_job **job)
{
	struct sockaddr_storage out[2];
	struct resolver_job *j;
	pthread_attr_t attr;
	sigset_t all, old;
	pthread_t tid;
	int n, err;

	if (job)
		*job = NULL;
	if (literal(q, out, &n)) {
		cb(arg, n, out);
		return 0;
	}
	if (r->in_flight >= RESOLVER_MAX_JOBS)
		return -EAGAIN;
	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	j->q = *q;
	j->cb = cb;
	j->arg = arg;
	j->wfd = r->fds[1];
	j->deadline_ms = evloop_now_ms() + RESOLVER_TIMEOUT_MS;
	/* A thread inherits the creator's mask: with every signal blocked, a
	 * SIGTERM or SIGHUP goes to the loop's signalfd, whenever it is made,
	 * never to a thread that would take the default action (exit). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	err = pthread_create(&tid, &attr, job_thread, j);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		free(j);
		return -err;
	}
	j->next = r->live;
	r->live = j;
	r->in_flight++;
	if (job)
		*job = j;
	return 0;
}

void resolver_cancel(struct resolver *r, struct resolver_job *j)
{
	if (!j || j->abandoned)
		return;
	unlink_live(r, j);
	j->abandoned = true;
}

void resolver_tick(struct resolver *r, uint64_t now)
{
	struct resolver_job *j;

	while (r) {
		for (j = r->live; j && now < j->deadline_ms; j = j->next)
			;
		if (!j)
			return;
		log_warn("%s: no answer from the DNS within %u s; giving up "
			 "for now",
			 j->q.host, RESOLVER_TIMEOUT_MS / 1000);
		resolver_cancel(r, j);
		/* Not j->out: the thread may be writing it still. */
		j->cb(j->arg, -ETIMEDOUT, NULL);
	}
}

int resolver_wait(struct resolver *r, unsigned int ms)
{
	uint64_t end = evloop_now_ms() + ms, now;
	struct pollfd p = { .fd = r->fds[0], .events = POLLIN };
	int left = 0;
	struct resolver_job *j;

	while (r->live && (now = evloop_now_ms()) < end) {
		if (poll(&p, 1, (int)(end - now)) > 0)
			on_report(r);
	}
	for (j = r->live; j; j = j->next)
		left++;
	return left;
}

int resolver_open(struct resolver **out, struct evloop *loop)
{
	struct resolver *r = calloc(1, sizeof(*r));
	int err;

	if (!r)
		return -ENOMEM;
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, r->fds)) {
		err = -errno;
		free(r);
		return err;
	}
	*out = r;
	err = loop ? resolver_attach(r, loop) : 0;
	if (err) {
		resolver_close(r);
		*out = NULL;
	}
	return err;
}

int resolver_attach(struct resolver *r, struct evloop *loop)
{
	int err = evloop_add(loop, r->fds[0], on_report, r);

	if (!err)
		r->loop = loop;
	return err;
}

void resolver_close(struct resolver *r)
{
	struct resolver_job *j;

	if (!r)
		return;
	if (r->loop)
		evloop_del(r->loop, r->fds[0]);
	for (j = r->live; j; j = j->next)
		j->abandoned = true;
	/* Reports already in: their jobs freed, their slots back. */
	while (recv(r->fds[0], &j, sizeof(j), MSG_DONTWAIT) == sizeof(j)) {
		r->in_flight--;
		free(j);
	}
	close(r->fds[0]);
	/* A thread still out sends into a pair whose reader is gone, fails
	 * and frees its job; the fd it holds must not be another's by then:
	 * left open (the daemon is exiting). */
	if (!r->in_flight)
		close(r->fds[1]);
	free(r);
}
