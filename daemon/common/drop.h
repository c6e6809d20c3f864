/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a daemon dropped, by reason: the reasons of include/n2nk_reasons.h
 * whose daemon verdict is DROP, one counter per slot, shown by name in
 * `n2nctl stats` (ctl_reason_rows()).
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
