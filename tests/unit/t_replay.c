// SPDX-License-Identifier: GPL-2.0-only
/*
 * -A6's replay window (include/n2nk_session.h): what it takes and what it
 * refuses, WireGuard's selftest sequence (selftest/counter.c) at our window
 * size, and a brute-force model the window must agree with.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "n2nk_session.h"
#include "test.h"

/* The issue asks for a window of at least 2048 counters. */
_Static_assert(N2NK_REPLAY_WINDOW >= 2048, "replay window below 2048");
_Static_assert(N2NK_REPLAY_WINDOW == 4032, "the window docs/security.md says");
_Static_assert((N2NK_REPLAY_WORDS & (N2NK_REPLAY_WORDS - 1)) == 0,
	       "the ring is indexed by a mask");

/* The farthest a counter may be behind the highest one and still be taken. */
#define MAX_BEHIND ((uint64_t)N2NK_REPLAY_WINDOW - 1)
#define REJECT	   N2NK_A6_REJECT_AFTER_MESSAGES

static struct n2nk_replay win;

/* Taken: 1, refused: 0; a refusal must leave the window as it was. */
static int take(uint64_t c)
{
	struct n2nk_replay before = win;
	int stale = n2nk_replay_stale(&win, c);
	int refused = n2nk_replay_accept(&win, c);

	if (stale && !refused)
		test_fail(__FILE__, __LINE__, "%llu: stale, yet taken",
			  (unsigned long long)c);
	if (refused && memcmp(&before, &win, sizeof(win)))
		test_fail(__FILE__, __LINE__, "%llu: refused, yet moved",
			  (unsigned long long)c);
	return !refused;
}

#define TAKE(c)	  CHECK_MSG(take(c), "%llu refused", (unsigned long long)(c))
#define REFUSE(c) CHECK_MSG(!take(c), "%llu taken", (unsigned long long)(c))

static void fresh(void)
{
	memset(&win, 0, sizeof(win));
}

TEST(replay_in_order)
{
	uint64_t c;

	fresh();
	for (c = 0; c < 3 * N2NK_REPLAY_WINDOW; c++)
		TAKE(c);
	CHECK_EQ(win.top, 3 * N2NK_REPLAY_WINDOW - 1);
	/* Each again: the recent ones seen, the old ones stale. */
	for (c = 0; c < 3 * N2NK_REPLAY_WINDOW; c++)
		REFUSE(c);
}

TEST(replay_out_of_order_within_the_window)
{
	uint64_t c;

	fresh();
	TAKE(1000);
	/* Every counter behind it, newest first, then each once more. */
	for (c = 1000; c-- > 0;)
		TAKE(c);
	for (c = 0; c <= 1000; c++)
		REFUSE(c);
	/* Odd ones ahead first, the even ones between them afterwards. */
	for (c = 1001; c < 3000; c += 2)
		TAKE(c);
	for (c = 1002; c < 3000; c += 2)
		TAKE(c);
	CHECK_EQ(win.top, 2999);
}

TEST(replay_window_edge)
{
	uint64_t top = 100000;

	fresh();
	TAKE(top);
	CHECK(n2nk_replay_stale(&win, top - N2NK_REPLAY_WINDOW));
	CHECK(!n2nk_replay_stale(&win, top - MAX_BEHIND));
	REFUSE(top - N2NK_REPLAY_WINDOW);
	REFUSE(top - N2NK_REPLAY_WINDOW - 1);
	TAKE(top - MAX_BEHIND);
	REFUSE(top - MAX_BEHIND);
	/* The edge moves with the top: one more, and it is out. */
	TAKE(top + 1);
	REFUSE(top - MAX_BEHIND + 1 - 1);
	TAKE(top + 1 - MAX_BEHIND);
	/* At every alignment of the top within a word. */
	for (top = 64 * 200; top < 64 * 202; top++) {
		fresh();
		TAKE(top);
		TAKE(top - MAX_BEHIND);
		REFUSE(top - N2NK_REPLAY_WINDOW);
	}
}

TEST(replay_far_jumps_clear_old_bits)
{
	const uint64_t ring = 64 * N2NK_REPLAY_WORDS; /* counters per lap */
	uint64_t c;

	fresh();
	for (c = 0; c < 200; c++)
		TAKE(c);
	/* A few words ahead: the bits behind stay. */
	TAKE(300);
	REFUSE(150);
	TAKE(250);
	/* To word 62, then to word 64: the slot counter 5's bit is in. */
	TAKE(64 * (N2NK_REPLAY_WORDS - 2) + 10);
	TAKE(ring + 5);
	REFUSE(ring + 5);
	/* Far beyond a lap: every slot cleared, old slots' bits gone. */
	TAKE(10 * ring + 100);
	for (c = 10 * ring; c < 10 * ring + 100; c++)
		TAKE(c);
	for (c = 10 * ring; c <= 10 * ring + 100; c++)
		REFUSE(c);
	/* One word at a time: each new word starts clear. */
	fresh();
	for (c = 0; c < 3 * ring; c += 64)
		TAKE(c);
	for (c = 3 * ring - ring + 64; c < 3 * ring; c += 64)
		TAKE(c + 1);
	/* Far beyond the 64-bit index of a slot: no overflow anywhere. */
	TAKE(REJECT - 1 - 5 * ring);
	TAKE(REJECT - 2 - 5 * ring);
	REFUSE(REJECT - 1 - 5 * ring);
}

TEST(replay_counters_past_reject_after_messages)
{
	fresh();
	CHECK(n2nk_replay_stale(&win, REJECT));
	CHECK(n2nk_replay_stale(&win, ~0ULL));
	REFUSE(REJECT);
	REFUSE(REJECT + 1);
	REFUSE(~0ULL);
	TAKE(REJECT - 1);
	REFUSE(REJECT);
	REFUSE(REJECT - 1);
	TAKE(REJECT - 2);
	CHECK_EQ(win.top, REJECT - 1);
	/* WireGuard's REJECT_AFTER_MESSAGES: 2^64 - 8192 - 1. */
	CHECK(REJECT == ~0ULL - 8192);
	CHECK(N2NK_A6_REKEY_AFTER_MESSAGES < REJECT);
}

/*
 * WireGuard's selftest/counter.c, step by step, at our window. Its window
 * takes a counter up to COUNTER_WINDOW_SIZE behind the highest; ours up to
 * N2NK_REPLAY_WINDOW - 1 (MAX_BEHIND): W below is that distance.
 */
#define W   MAX_BEHIND
#define LIM (W + 1)

TEST(replay_wireguard_sequence)
{
	static const struct {
		uint64_t c;
		bool taken;
	} steps[] = {
		{ 0, true },
		{ 1, true },
		{ 1, false },
		{ 9, true },
		{ 8, true },
		{ 7, true },
		{ 7, false },
		{ LIM, true },
		{ LIM - 1, true },
		{ LIM - 1, false },
		{ LIM - 2, true },
		{ 2, true },
		{ 2, false },
		{ LIM + 16, true },
		{ 3, false },
		{ LIM + 16, false },
		{ LIM * 4, true },
		{ LIM * 4 - (LIM - 1), true },
		{ 10, false },
		{ LIM * 4 - LIM, false },
		{ LIM * 4 - (LIM + 1), false },
		{ LIM * 4 - (LIM - 2), true },
		{ LIM * 4 + 1 - LIM, false },
		{ 0, false },
		{ REJECT, false },
		{ REJECT - 1, true },
		{ REJECT, false },
		{ REJECT - 1, false },
		{ REJECT - 2, true },
		{ REJECT + 1, false },
		{ REJECT + 2, false },
		{ REJECT - 2, false },
		{ REJECT - 3, true },
		{ 0, false },
	};
	unsigned int i;

	fresh();
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		CHECK_MSG(take(steps[i].c) == steps[i].taken,
			  "step %u: counter %llu %s", i + 1,
			  (unsigned long long)steps[i].c,
			  steps[i].taken ? "refused" : "taken");
}

/* The whole window filled from either end, and one past it. */
TEST(replay_wireguard_full_windows)
{
	uint64_t i;

	fresh();
	for (i = 1; i <= W; i++)
		TAKE(i);
	TAKE(0);
	REFUSE(0);

	fresh();
	for (i = 2; i <= W + 1; i++)
		TAKE(i);
	TAKE(1);
	REFUSE(0);

	fresh();
	for (i = W + 1; i-- > 0;)
		TAKE(i);

	fresh();
	for (i = W + 2; i-- > 1;)
		TAKE(i);
	REFUSE(0);

	fresh();
	for (i = W + 1; i-- > 1;)
		TAKE(i);
	TAKE(W + 1);
	REFUSE(0);

	fresh();
	for (i = W + 1; i-- > 1;)
		TAKE(i);
	TAKE(0);
	TAKE(W + 1);
}

#undef LIM
#undef W

/* xorshift64*: the same sequence on every run. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

#define MODEL_SPAN (1u << 24)

/*
 * Against a model that remembers every counter: taken exactly when not
 * seen and at most MAX_BEHIND behind the highest taken (0 at first).
 */
TEST(replay_agrees_with_a_model)
{
	uint8_t *seen = calloc(MODEL_SPAN / 8, 1);
	uint64_t s = 0x6e326e6b2d413621ULL, top = 0, c = 0, r;
	unsigned int i, taken = 0, mismatches = 0;
	bool want, got;

	if (!seen)
		TEST_SKIP("no memory for the model");
	fresh();
	for (i = 0; i < 200000 && top < MODEL_SPAN - 20000; i++) {
		r = next_rand(&s);
		switch (r % 8) {
		case 0: /* a jump ahead, now and then beyond the ring */
			if ((r >> 40) % 16)
				c = top + 1 + (r >> 8) % 256;
			else
				c = top + 1 +
				    (r >> 8) % (3 * 64 * N2NK_REPLAY_WORDS);
			break;
		case 1: /* near the edge of the window */
			c = top - MAX_BEHIND - 2 + (r >> 8) % 5;
			break;
		case 2: /* the newest again */
			c = top;
			break;
		default: /* anywhere in or just beyond the window */
			c = top + 64 - (r >> 8) % (N2NK_REPLAY_WINDOW + 200);
			break;
		}
		if (c >= MODEL_SPAN) /* below 0: wrapped */
			c = r % 4 == 0 ? top / 2 : 0;
		want = !(seen[c / 8] & (1u << (c % 8))) &&
		       (c >= top || top - c <= MAX_BEHIND);
		got = take(c);
		if (want != got && mismatches++ < 5)
			test_fail(__FILE__, __LINE__,
				  "step %u: counter %llu (top %llu): %s", i,
				  (unsigned long long)c,
				  (unsigned long long)top,
				  got ? "taken" : "refused");
		if (got) {
			seen[c / 8] |= 1u << (c % 8);
			taken++;
			if (c > top)
				top = c;
		}
	}
	CHECK_EQ(mismatches, 0);
	CHECK(taken > 10000);
	CHECK_EQ(win.top, top);
	free(seen);
}
