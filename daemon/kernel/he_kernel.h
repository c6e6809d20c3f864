/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * -H keys and clock as the kernel's programs take them (struct n2nk_he,
 * include/n2nk_he.h), for both loaders: the edge's (one community) and
 * the XDP relay's (one entry per community).
 */
#ifndef N2NK_HE_KERNEL_H
#define N2NK_HE_KERNEL_H

#include <stdbool.h>

#include "n2nk_he.h"
#include "proto/header_crypt.h"

/* keys' round keys into out (on = 1; the clock is left alone).
 * 0, or -EINVAL when they are not Speck128/128's. */
int he_kernel_keys(struct n2nk_he *out, const struct he_keys *keys);

/* CLOCK_REALTIME - CLOCK_TAI in ns, whole seconds (the kernel's TAI
 * offset, negated): what bpf_ktime_get_tai_ns() needs added to count in
 * n2n's wall-clock stamps (struct n2nk_he.utc_off_ns). */
__s64 he_kernel_utc_offset_ns(void);

/* Whether a kernel replay record should give way to the daemon's last:
 * it is older, or further ahead of our clock than any stamp is taken
 * (the clock stepped back: the programs no longer judge by it either). */
bool he_kernel_seed_wins(__u64 kernel_record, __u64 last);

#endif /* N2NK_HE_KERNEL_H */
