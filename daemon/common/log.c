// SPDX-License-Identifier: GPL-2.0-only
/* Log lines: "22/Nov/2026 04:30:00 [edge.c:123] text", one write each. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

int log_level = LOG_LEVEL_NOTICE;
static int use_syslog;

void log_to_syslog(const char *ident)
{
	openlog(ident, LOG_PID, LOG_DAEMON);
	use_syslog = 1;
}

const char *log_escape(char *buf, size_t cap, const void *s, size_t len)
{
	const unsigned char *b = s;
	size_t i, n = 0;

	if (!cap)
		return buf;
	for (i = 0; i < len && b[i]; i++) {
		char one[5];
		size_t k;

		if (b[i] == '\\')
			k = (size_t)snprintf(one, sizeof(one), "\\\\");
		else if (b[i] >= 0x20 && b[i] < 0x7f && b[i] != '"')
			k = (size_t)snprintf(one, sizeof(one), "%c", b[i]);
		else
			k = (size_t)snprintf(one, sizeof(one), "\\x%02x", b[i]);
		if (n + k + 1 > cap) {
			if (cap >= 4) { /* say it was cut */
				if (n > cap - 4)
					n = cap - 4;
				memcpy(buf + n, "...", 3);
				n += 3;
			}
			break;
		}
		memcpy(buf + n, one, k);
		n += k;
	}
	buf[n] = 0;
	return buf;
}

void log_msg(enum log_level level, const char *file, int line, const char *fmt,
	     ...)
{
	static const char *const prefix[] = { "ERROR: ", "WARNING: ", "", "",
					      "" };
	const char *base = strrchr(file, '/');
	char buf[1024];
	struct tm tm;
	time_t now = time(NULL);
	va_list ap;
	int n;

	localtime_r(&now, &tm);
	n = (int)strftime(buf, sizeof(buf), "%d/%b/%Y %H:%M:%S", &tm);
	n += snprintf(buf + n, sizeof(buf) - (size_t)n, " [%s:%d] %s",
		      base ? base + 1 : file, line, prefix[level]);
	if (use_syslog) {
		static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_NOTICE,
					    LOG_INFO, LOG_DEBUG };

		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		syslog(prio[level], "%s", buf);
		return;
	}
	va_start(ap, fmt);
	if (n < (int)sizeof(buf))
		n += vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf) - 1)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	/* One write per line, so lines of several processes don't interleave. */
	(void)!write(STDERR_FILENO, buf, (size_t)n);
}
