/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The "why" strings of the kernel interfaces: an operation that fails
 * says what it was doing and the error, into a buffer the caller logs.
 */
#ifndef N2NK_WHY_H
#define N2NK_WHY_H

#include <stddef.h>

/* "<fmt...>: <strerror(-err)>" into why; returns err (a -errno). */
int why_fail(char *why, size_t len, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif /* N2NK_WHY_H */
