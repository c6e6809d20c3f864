/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel settings under /proc/sys, read where a datapath choice depends on
 * them (IPv4 forwarding, globally and per interface).
 */
#ifndef N2NK_SYSCTL_H
#define N2NK_SYSCTL_H

#include <stdbool.h>

/* True when the file at path starts with '1'; false if it cannot be read. */
bool sysctl_is_on(const char *path);

#endif /* N2NK_SYSCTL_H */
