/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Header-encryption time stamps and n2n's replay check. A stamp is
 * seconds << 32 | microseconds << 12 | counter << 4 | flags. Nothing here
 * reads a clock: callers pass "now", so tests can replay old captures.
 */
#ifndef N2NK_TIMESTAMP_H
#define N2NK_TIMESTAMP_H

#include <stdbool.h>
#include <stdint.h>

#include "n2n_wire_defs.h"

#define TS_FRAME	     N2N_TS_FRAME  /* +-16 s accepted clock skew */
#define TS_JITTER	     N2N_TS_JITTER /* ~160 ms reordering allowed */
#define TS_FLAG_COUNTER_ONLY N2N_TS_FLAG_COUNTER_ONLY

enum ts_error {
	TS_OK = 0,
	TS_ERR_FRAME = 1,  /* more than 16 s from our clock */
	TS_ERR_REPLAY = 2, /* not newer than the last one from the sender */
	TS_ERR_COUNT
};

const char *ts_strerror(int err);

/* The stamp for a wall-clock time given in microseconds since the epoch. */
uint64_t ts_from_usec(uint64_t unix_usec);

/* Our stamps: never repeat, even for two packets in one microsecond. */
struct ts_source {
	uint64_t last;
};

uint64_t ts_next(struct ts_source *src, uint64_t unix_usec);

/* The last valid stamp seen from one sender (peer, edge or supernode). */
struct ts_replay {
	uint64_t last;
};

/* n2n starts a new sender's record 16 s in the past. */
void ts_replay_init(struct ts_replay *rp, uint64_t now_stamp);

/*
 * Accepts a stamp within +-16 s of now_stamp that is newer than the
 * sender's last one (or not older than the jitter allowance, for message
 * types that may be reordered). rp may be NULL for an unknown sender.
 */
int ts_verify(struct ts_replay *rp, uint64_t stamp, uint64_t now_stamp,
	      bool allow_jitter) __attribute__((warn_unused_result));

/* Which message types n2n lets arrive out of order, by receiver role. */
bool ts_type_allows_jitter(unsigned int msg_type, bool at_supernode,
			   bool via_multicast);

#endif /* N2NK_TIMESTAMP_H */
