// SPDX-License-Identifier: GPL-2.0-only
/* The MAC hash table: keyed, so MACs a sender chooses do not share a
 * bucket, and the same for the edge's peers and the supernode's edges. */
#include <stdlib.h>

#include "common/mac_table.h"
#include "test.h"

#define N 1024

static size_t longest_chain(const struct mac_table *t)
{
	size_t i, max = 0;

	for (i = 0; i < t->n_buckets; i++) {
		const struct mac_entry *e;
		size_t n = 0;

		for (e = t->bucket[i]; e; e = e->next)
			n++;
		if (n > max)
			max = n;
	}
	return max;
}

static size_t bucket_of(const struct mac_table *t, const struct mac_entry *x)
{
	size_t i;

	for (i = 0; i < t->n_buckets; i++) {
		const struct mac_entry *e;

		for (e = t->bucket[i]; e; e = e->next)
			if (e == x)
				return i;
	}
	return t->n_buckets;
}

TEST(mac_table_spreads_chosen_macs)
{
	static struct mac_entry a[N], b[N];
	struct mac_table ta = { 0 }, tb = { 0 };
	size_t i, same = 0;

	/* The same last three bytes: one bucket under a fixed hash of them. */
	for (i = 0; i < N; i++) {
		uint8_t mac[MAC_SIZE] = { 0x02,	      (uint8_t)(i >> 8),
					  (uint8_t)i, 0xaa,
					  0xbb,	      0xcc };

		mac_copy(a[i].mac, mac);
		mac_copy(b[i].mac, mac);
		CHECK(!mac_table_find(&ta, mac));
		mac_table_insert(&ta, &a[i]);
		mac_table_insert(&tb, &b[i]);
	}
	CHECK_EQ(ta.count, N);
	/* At most 2 per bucket on average; a fair hash stays below 16. */
	CHECK_MSG(longest_chain(&ta) < 16, "longest chain %zu",
		  longest_chain(&ta));
	for (i = 0; i < N; i++) {
		CHECK(mac_table_find(&ta, a[i].mac) == &a[i]);
		same += bucket_of(&ta, &a[i]) == bucket_of(&tb, &b[i]);
	}
	/* Each table has its own key: the layout cannot be learnt from
	 * another edge's. */
	CHECK_MSG(same < N / 8, "%zu of %d in the same bucket", same, N);
	for (i = 0; i < N; i++) {
		mac_table_remove(&ta, &a[i]);
		mac_table_remove(&tb, &b[i]);
	}
	CHECK_EQ(ta.count, 0);
	CHECK(!mac_table_find(&ta, a[0].mac));
	CHECK(ta.bucket == NULL && tb.bucket == NULL); /* given back */
}

static void remove_it(struct mac_entry *e, void *arg)
{
	mac_table_remove(arg, e);
}

/* The buckets grow with the entries (final review L1: 256 fixed buckets
 * made a lookup walk n/256 entries), and a walk may empty the table. */
TEST(mac_table_grows_with_its_entries)
{
	enum {
		MANY = 100000
	};
	struct mac_entry *e = calloc(MANY, sizeof(*e));
	struct mac_table t = { 0 };
	size_t i;

	CHECK(e != NULL);
	for (i = 0; i < MANY; i++) {
		uint8_t mac[MAC_SIZE] = {
			0x02,	    0, (uint8_t)(i >> 16), (uint8_t)(i >> 8),
			(uint8_t)i, 1
		};

		mac_copy(e[i].mac, mac);
		mac_table_insert(&t, &e[i]);
	}
	CHECK(t.n_buckets >= MANY / 2);
	CHECK_MSG(longest_chain(&t) < 16, "longest chain %zu",
		  longest_chain(&t));
	for (i = 0; i < MANY; i += 997)
		CHECK(mac_table_find(&t, e[i].mac) == &e[i]);
	mac_table_each(&t, remove_it, &t);
	CHECK_EQ(t.count, 0);
	CHECK(t.bucket == NULL);
	free(e);
}
