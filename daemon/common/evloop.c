// SPDX-License-Identifier: GPL-2.0-only
/* epoll loop with a tick and signals; no FD_SETSIZE limit. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "evloop.h"
#include "notify.h"

uint64_t evloop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t evloop_wall_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void on_signal(void *arg)
{
	struct evloop *l = arg;
	struct signalfd_siginfo si;

	while (read(l->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			if (l->hup)
				l->hup(l->hup_arg);
			continue;
		}
		l->stop = true;
		l->stop_signal = (int)si.ssi_signo;
	}
}

/* SIGINT, SIGTERM and SIGHUP, blocked and read from a signalfd: the first
 * two stop the loop, SIGHUP calls the daemon's hup callback (if any) and
 * never stops it. */
static int open_signals(struct evloop *l)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	l->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (l->sigfd < 0)
		return -errno;
	return evloop_add(l, l->sigfd, on_signal, l);
}

int evloop_init(struct evloop *l, uint64_t tick_ms, evloop_tick_cb tick,
		void *tick_arg)
{
	int i;

	memset(l, 0, sizeof(*l));
	l->epfd = l->sigfd = -1;
	for (i = 0; i < EVLOOP_MAX_FDS; i++)
		l->fds[i].fd = -1;
	l->tick_ms = tick_ms;
	l->tick = tick;
	l->tick_arg = tick_arg;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0)
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	return open_signals(l);
}

int evloop_add(struct evloop *l, int fd, evloop_fd_cb cb, void *arg)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int i;

	for (i = 0; i < EVLOOP_MAX_FDS && l->fds[i].fd >= 0; i++)
		;
	if (i == EVLOOP_MAX_FDS)
		return -ENOSPC;
	ev.data.u32 = (uint32_t)i;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	l->fds[i].fd = fd;
	l->fds[i].cb = cb;
	l->fds[i].arg = arg;
	return 0;
}

void evloop_del(struct evloop *l, int fd)
{
	int i;

	for (i = 0; i < EVLOOP_MAX_FDS; i++)
		if (l->fds[i].fd == fd) {
			epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
			l->fds[i].fd = -1;
		}
}

static void dispatch(struct evloop *l, const struct epoll_event *evs, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		uint32_t slot = evs[i].data.u32;

		if (slot < EVLOOP_MAX_FDS && l->fds[slot].fd >= 0)
			l->fds[slot].cb(l->fds[slot].arg);
	}
}

int evloop_run(struct evloop *l)
{
	struct epoll_event evs[EVLOOP_MAX_FDS];
	uint64_t next_tick = evloop_now_ms(), next_watchdog = 0;
	/* After any fork (daemonize.h): the watchdog names a pid. */
	uint64_t watchdog_ms = notify_watchdog_every_ms();

	while (!l->stop) {
		uint64_t now = evloop_now_ms();
		int n, timeout;

		if (now >= next_tick) {
			if (l->tick)
				l->tick(l->tick_arg, now);
			next_tick = now + l->tick_ms;
		}
		if (watchdog_ms && now >= next_watchdog) {
			notify_watchdog();
			next_watchdog = now + watchdog_ms;
		}
		timeout = (int)(next_tick - now);
		n = epoll_wait(l->epfd, evs, EVLOOP_MAX_FDS, timeout);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n > 0)
			dispatch(l, evs, n);
	}
	return l->stop_signal;
}

void evloop_fini(struct evloop *l)
{
	if (l->sigfd >= 0)
		close(l->sigfd);
	if (l->epfd >= 0)
		close(l->epfd);
	l->sigfd = l->epfd = -1;
}
