/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The daemon's event loop: epoll over file descriptors, a periodic tick for
 * protocol timers, and SIGINT/SIGTERM/SIGHUP through a signalfd. One thread.
 * SIGINT and SIGTERM stop it; SIGHUP only calls the hup callback.
 */
#ifndef N2NK_EVLOOP_H
#define N2NK_EVLOOP_H

#include <stdbool.h>
#include <stdint.h>

#define EVLOOP_MAX_FDS 16

typedef void (*evloop_fd_cb)(void *arg);
typedef void (*evloop_tick_cb)(void *arg, uint64_t now_ms);

struct evloop {
	int epfd;
	int sigfd;
	bool stop;
	int stop_signal;
	uint64_t tick_ms;
	evloop_tick_cb tick;
	void *tick_arg;
	evloop_fd_cb hup; /* on SIGHUP, or NULL: SIGHUP is ignored */
	void *hup_arg;
	struct {
		int fd;
		evloop_fd_cb cb;
		void *arg;
	} fds[EVLOOP_MAX_FDS];
};

int evloop_init(struct evloop *l, uint64_t tick_ms, evloop_tick_cb tick,
		void *tick_arg) __attribute__((warn_unused_result));
/* Calls cb whenever fd is readable; 0 or -errno. */
int evloop_add(struct evloop *l, int fd, evloop_fd_cb cb, void *arg)
	__attribute__((warn_unused_result));
void evloop_del(struct evloop *l, int fd);
/* What SIGHUP does (after evloop_init): cb(arg); the loop goes on. */
static inline void evloop_on_hup(struct evloop *l, evloop_fd_cb cb, void *arg)
{
	l->hup = cb;
	l->hup_arg = arg;
}
/* Runs until a stop signal; returns the signal, or -errno if epoll fails. */
int evloop_run(struct evloop *l);
/* Safe on a loop that evloop_init never reached (see evloop_reset). */
void evloop_fini(struct evloop *l);
/* Marks a loop as not open, before anything can fail. */
static inline void evloop_reset(struct evloop *l)
{
	l->epfd = l->sigfd = -1;
}

/* Monotonic milliseconds, for timers. */
uint64_t evloop_now_ms(void);
/* Wall-clock microseconds since the epoch, for header time stamps. */
uint64_t evloop_wall_usec(void);

#endif /* N2NK_EVLOOP_H */
