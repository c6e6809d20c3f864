/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a layer of the daemon dropped, by reason: one counter per slot of
 * include/n2nk_reasons.h, for the reasons whose verdict is DROP in that
 * layer's column (the daemons' own, or the AF_XDP frame check's, xsk.c),
 * shown by name in `n2nctl stats` (ctl_reason_rows()).
 */
#ifndef N2NK_DROP_H
#define N2NK_DROP_H

#include <stdint.h>

#include "n2nk_reasons.h"

struct drop_counters {
	uint64_t n[N2NK_REASON_SLOTS]; /* by n2nk_reason_slot() */
};

static inline void drop_count(struct drop_counters *d, enum n2nk_reason why)
{
	uint32_t slot = n2nk_reason_slot(why);

	if (slot < N2NK_REASON_SLOTS)
		d->n[slot]++;
}

#endif /* N2NK_DROP_H */
