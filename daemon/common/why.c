// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "why.h"

int why_fail(char *why, size_t len, int err, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	n = strlen(why);
	snprintf(why + n, len - n, ": %s", strerror(-err));
	return err;
}
