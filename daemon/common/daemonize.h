/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Detaching without daemon(3) after set-up: a fork once threads exist
 * (the resolver's lookups) loses them, their jobs and any lock a thread
 * held inside getaddrinfo(). So the daemon forks first, before any
 * thread, and the parent waits for the child's word: it exits 0 once the
 * child calls daemonize_ready(), 1 if the child exits first (having said
 * why on the terminal's stderr, which it keeps until then).
 */
#ifndef N2NK_DAEMONIZE_H
#define N2NK_DAEMONIZE_H

/* In the child (a new session): 0; -errno if it cannot fork (no child).
 * The parent does not return. */
int daemonize_start(void);
/* Set up: the parent exits 0; stdio goes to /dev/null, cwd to /. A no-op
 * without daemonize_start(). */
void daemonize_ready(void);

#endif /* N2NK_DAEMONIZE_H */
