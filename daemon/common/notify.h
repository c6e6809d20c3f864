/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Telling the service manager how a daemon is doing (Type=notify units):
 * libsystemd's sd_notify(), so READY=1 comes once the daemon is set up and
 * STOPPING=1 when it stops. Without $NOTIFY_SOCKET every call does nothing.
 */
#ifndef N2NK_NOTIFY_H
#define N2NK_NOTIFY_H

#include <stdint.h>

/* Set up and serving: READY=1 with a STATUS= line. */
int notify_ready(const char *status);

/* On the way out: STOPPING=1. */
int notify_stopping(void);

/* Reading the configuration again (SIGHUP): RELOADING=1, then
 * notify_ready_again() when done, so `systemctl reload` waits for it. */
int notify_reloading(void);
int notify_ready_again(void);

/* A STATUS= line alone, e.g. why start-up failed. */
int notify_status(const char *status);

/* How often to send WATCHDOG=1: half the unit's WatchdogSec=
 * ($WATCHDOG_USEC), in ms; 0 without a watchdog for this process. */
uint64_t notify_watchdog_every_ms(void);

/* WATCHDOG=1: the event loop still turns. */
int notify_watchdog(void);

#endif /* N2NK_NOTIFY_H */
