/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Daemon logging to stderr, n2n-style: a time stamp, the source location and
 * the message. -v raises the level, -V lowers it; the default shows warnings
 * and the few notices a user waits for (registration, peers).
 */
#ifndef N2NK_LOG_H
#define N2NK_LOG_H

#include <stddef.h>

enum log_level {
	LOG_LEVEL_ERROR = 0,
	LOG_LEVEL_WARN = 1,
	LOG_LEVEL_NOTICE = 2,
	LOG_LEVEL_INFO = 3,
	LOG_LEVEL_DEBUG = 4,
};

extern int log_level;

/* From now on log to syslog as ident (a daemon has no stderr). */
void log_to_syslog(const char *ident);

/*
 * Bytes from the network (a community name, a device description) made
 * safe to log: printable ASCII stays, a backslash becomes \\, anything else
 * (a double quote too: names are logged in quotes) \xNN; stops at the first NUL or after len bytes. Cut short (ending in
 * "...") when cap is too small. Returns buf.
 */
const char *log_escape(char *buf, size_t cap, const void *s, size_t len);

void log_msg(enum log_level level, const char *file, int line, const char *fmt,
	     ...) __attribute__((format(printf, 4, 5)));

#define LOG_AT(lvl, ...)                                                 \
	do {                                                             \
		if ((lvl) <= log_level)                                  \
			log_msg((lvl), __FILE__, __LINE__, __VA_ARGS__); \
	} while (0)

#define log_err(...)	LOG_AT(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...)	LOG_AT(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_notice(...) LOG_AT(LOG_LEVEL_NOTICE, __VA_ARGS__)
#define log_info(...)	LOG_AT(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...)	LOG_AT(LOG_LEVEL_DEBUG, __VA_ARGS__)

/* Room log_escape() needs for len bytes without cutting them short. */
#define LOG_ESCAPE_MAX(len) (4 * (len) + 1)

#endif /* N2NK_LOG_H */
