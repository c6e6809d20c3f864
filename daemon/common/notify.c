// SPDX-License-Identifier: GPL-2.0-only
/*
 * notify.h over sd_notifyf(). It returns 0 without $NOTIFY_SOCKET, >0 once
 * sent, -errno when the socket is there but unreachable; the daemons only
 * log the last, a service manager that cannot be told is not fatal.
 * The environment is kept (unset_environment 0): a child the daemon starts
 * is never a service of its own.
 */
#include <systemd/sd-daemon.h>
#include <time.h>

#include "notify.h"

int notify_ready(const char *status)
{
	return sd_notifyf(0, "READY=1\nSTATUS=%s", status);
}

int notify_reloading(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
			  (unsigned long long)ts.tv_sec * 1000000ULL +
				  (unsigned long long)ts.tv_nsec / 1000);
}

int notify_ready_again(void)
{
	return sd_notify(0, "READY=1");
}

int notify_stopping(void)
{
	return sd_notify(0, "STOPPING=1");
}

int notify_status(const char *status)
{
	return sd_notifyf(0, "STATUS=%s", status);
}

uint64_t notify_watchdog_every_ms(void)
{
	uint64_t usec = 0;

	if (sd_watchdog_enabled(0, &usec) <= 0)
		return 0;
	return usec / 2000 ? usec / 2000 : 1;
}

int notify_watchdog(void)
{
	return sd_notify(0, "WATCHDOG=1");
}
