// SPDX-License-Identifier: GPL-2.0-only
/*
 * -H keys and clock for the kernel's programs (he_kernel.h).
 */
#include <errno.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>

#include "he_kernel.h"
#include "n2n_wire_defs.h"
#include "proto/timestamp.h"

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

/* The kernel keeps TAI - UTC in whole seconds (adjtimex's tai): a read
 * needs no privilege and no clock arithmetic. */
__s64 he_kernel_utc_offset_ns(void)
{
	struct timex tx = { .modes = 0 };

	if (adjtimex(&tx) < 0)
		return 0; /* cannot fail without modes; TAI = UTC then */
	return -(__s64)tx.tai * 1000000000ll;
}

bool he_kernel_seed_wins(__u64 kernel_record, __u64 last)
{
	struct timespec ts;
	uint64_t now;

	if ((int64_t)(kernel_record - last) < 0)
		return true;
	clock_gettime(CLOCK_REALTIME, &ts);
	now = ts_from_usec((uint64_t)ts.tv_sec * 1000000u +
			   (uint64_t)ts.tv_nsec / 1000u);
	return (int64_t)(kernel_record - now) >= (int64_t)N2N_TS_FRAME;
}
