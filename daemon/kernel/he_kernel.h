/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * -H keys and clock as the kernel's programs take them (struct n2nk_he,
 * include/n2nk_he.h), for both loaders: the edge's (one community) and
 * the XDP relay's (one entry per community).
 */
#ifndef N2NK_HE_KERNEL_H
#define N2NK_HE_KERNEL_H

#include "n2nk_he.h"
#include "proto/header_crypt.h"

/* keys' round keys into out (on = 1; the clock is left alone).
 * 0, or -EINVAL when they are not Speck128/128's. */
int he_kernel_keys(struct n2nk_he *out, const struct he_keys *keys);

/* CLOCK_REALTIME - CLOCK_MONOTONIC in ns: what bpf_ktime_get_ns() needs
 * added to count in n2n's wall-clock stamps. */
__s64 he_kernel_realtime_offset_ns(void);

/* Whether an offset moved far enough (1 ms) to be worth rewriting: a
 * program reading an entry while it is rewritten could see it torn. */
static inline int he_kernel_clock_moved(__s64 was, __s64 now)
{
	return now - was <= -1000000 || now - was >= 1000000;
}

#endif /* N2NK_HE_KERNEL_H */
