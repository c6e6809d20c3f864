// SPDX-License-Identifier: GPL-2.0-only
/*
 * -H keys and clock for the kernel's programs (he_kernel.h).
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "he_kernel.h"

int he_kernel_keys(struct n2nk_he *out, const struct he_keys *keys)
{
	if (keys->hdr.rounds != N2NK_HE_ROUNDS ||
	    keys->iv.rounds != N2NK_HE_ROUNDS)
		return -EINVAL;
	_Static_assert(sizeof(out->hdr.rk) <= sizeof(keys->hdr.rk) &&
			       sizeof(out->iv.rk) <= sizeof(keys->iv.rk),
		       "struct speck_key holds Speck128/128's round keys");
	memcpy(out->hdr.rk, keys->hdr.rk, sizeof(out->hdr.rk));
	memcpy(out->iv.rk, keys->iv.rk, sizeof(out->iv.rk));
	out->on = 1;
	return 0;
}

/* From a reading of CLOCK_REALTIME between two of CLOCK_MONOTONIC (their
 * midpoint), the closest pair of five, so that a preemption in between
 * cannot skew it by more than the gap it allows. */
__s64 he_kernel_realtime_offset_ns(void)
{
	struct timespec m1, rt, m2;
	__s64 a, b, best = -1, off = 0;
	int i;

	for (i = 0; i < 5; i++) {
		clock_gettime(CLOCK_MONOTONIC, &m1);
		clock_gettime(CLOCK_REALTIME, &rt);
		clock_gettime(CLOCK_MONOTONIC, &m2);
		a = (__s64)m1.tv_sec * 1000000000ll + m1.tv_nsec;
		b = (__s64)m2.tv_sec * 1000000000ll + m2.tv_nsec;
		if (best < 0 || b - a < best) {
			best = b - a;
			off = (__s64)rt.tv_sec * 1000000000ll + rt.tv_nsec -
			      (a + (b - a) / 2);
		}
		if (best < 20000)
			break;
	}
	return off;
}
