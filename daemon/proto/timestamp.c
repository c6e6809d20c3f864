// SPDX-License-Identifier: GPL-2.0-only
/* Time stamps for header encryption and the per-sender replay check. */
#include "n2n_wire_defs.h"
#include "timestamp.h"

uint64_t ts_from_usec(uint64_t unix_usec)
{
	uint64_t sec = unix_usec / 1000000, usec = unix_usec % 1000000;

	return sec << 32 | usec << 12;
}

/* A repeat moves on by one step of the 8-bit counter field (bits 11..4). */
uint64_t ts_next(struct ts_source *src, uint64_t unix_usec)
{
	uint64_t stamp = ts_from_usec(unix_usec);

	/* Same microsecond (or a small step back): count on. A big step
	 * back (NTP) is followed, or our stamps would stay in the future. */
	if (stamp <= src->last && src->last - stamp < (1ull << 32))
		stamp = src->last + 0x10;
	src->last = stamp;
	return stamp;
}

void ts_replay_init(struct ts_replay *rp, uint64_t now_stamp)
{
	rp->last = now_stamp - TS_FRAME;
}

int ts_verify(struct ts_replay *rp, uint64_t stamp, uint64_t now_stamp,
	      bool allow_jitter)
{
	int64_t skew = (int64_t)(stamp - now_stamp);
	int64_t jitter = 0;

	if (skew <= -(int64_t)TS_FRAME || skew >= (int64_t)TS_FRAME)
		return -TS_ERR_FRAME;
	if (!rp)
		return 0;
	if (allow_jitter)
		jitter = (int64_t)(stamp & TS_FLAG_COUNTER_ONLY ? TS_JITTER << 8
								: TS_JITTER);
	if ((int64_t)(stamp - rp->last) + jitter <= 0)
		return -TS_ERR_REPLAY;
	if ((int64_t)(stamp - rp->last) > 0)
		rp->last = stamp;
	return 0;
}

bool ts_type_allows_jitter(unsigned int msg_type, bool at_supernode,
			   bool via_multicast)
{
	switch (msg_type) {
	case N2N_MSG_PACKET:
		return true;
	case N2N_MSG_QUERY_PEER:
		return at_supernode;
	case N2N_MSG_PEER_INFO:
		return !at_supernode;
	case N2N_MSG_REGISTER:
		return via_multicast;
	default:
		return false;
	}
}

static const char *const ts_errors[TS_ERR_COUNT] = {
	[TS_OK] = "ok",
	[TS_ERR_FRAME] = "time stamp more than 16 s off",
	[TS_ERR_REPLAY] = "time stamp not newer than the last (replay)",
};

const char *ts_strerror(int err)
{
	if (err < 0)
		err = -err;
	return err < TS_ERR_COUNT ? ts_errors[err] : "unknown error";
}
