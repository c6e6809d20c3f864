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

/* One byte as the log shows it: itself, or escaped. */
static size_t escape_one(char one[5], unsigned char c)
{
	if (c == '\\')
		return (size_t)snprintf(one, 5, "\\\\");
	if (c >= 0x20 && c < 0x7f && c != '"')
		return (size_t)snprintf(one, 5, "%c", c);
	return (size_t)snprintf(one, 5, "\\x%02x", c);
}

const char *log_escape(char *buf, size_t cap, const void *s, size_t len)
{
	const unsigned char *b = s;
	size_t i, n = 0, ends[4] = { 0 }; /* where the last units ended */
	unsigned int u = 0, j;

	if (!cap)
		return buf;
	for (i = 0; i < len && b[i]; i++) {
		char one[5];
		size_t k = escape_one(one, b[i]);

		if (n + k + 1 > cap) {
			/* Say it was cut, never within a \xNN. */
			for (j = 1; cap >= 4 && n > cap - 4 && j <= 4; j++)
				n = j > u ? 0 : ends[(u - j) & 3];
			if (cap >= 4) {
				memcpy(buf + n, "...", 3);
				n += 3;
			}
			break;
		}
		memcpy(buf + n, one, k);
		n += k;
		ends[u++ & 3] = n;
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
