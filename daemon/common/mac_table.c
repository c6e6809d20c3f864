// SPDX-License-Identifier: GPL-2.0-only
/* Chained hash table keyed by MAC, buckets by keyed SipHash-2-4. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "mac.h"
#include "mac_table.h"

_Static_assert(sizeof(((struct mac_table *)0)->key) ==
		       crypto_shorthash_KEYBYTES,
	       "mac_table key is a SipHash key");

static unsigned int mac_hash(const struct mac_table *t,
			     const uint8_t mac[MAC_SIZE],
			     unsigned int n_buckets)
{
	uint8_t h[crypto_shorthash_BYTES];
	uint32_t v;

	crypto_shorthash(h, mac, MAC_SIZE, t->key);
	memcpy(&v, h, sizeof(v));
	return v & (n_buckets - 1);
}

struct mac_entry *mac_table_find(const struct mac_table *t,
				 const uint8_t mac[MAC_SIZE])
{
	struct mac_entry *e;

	if (!t->count)
		return NULL;
	for (e = t->bucket[mac_hash(t, mac, t->n_buckets)]; e; e = e->next)
		if (mac_equal(e->mac, mac))
			return e;
	return NULL;
}

/* Every entry into n fresh buckets (a power of two); false without
 * memory, the table then as it was. */
static bool rehash(struct mac_table *t, unsigned int n)
{
	struct mac_entry **b = calloc(n, sizeof(*b)), *e, *next;
	unsigned int i;

	if (!b)
		return false;
	for (i = 0; i < t->n_buckets; i++)
		for (e = t->bucket[i]; e; e = next) {
			unsigned int h = mac_hash(t, e->mac, n);

			next = e->next;
			e->next = b[h];
			b[h] = e;
		}
	if (t->bucket != &t->one)
		free(t->bucket);
	t->bucket = b;
	t->n_buckets = n;
	return true;
}

/* Room for one more: the first array, or twice the buckets. */
static void make_room(struct mac_table *t)
{
	if (!t->n_buckets) {
		if (!rehash(t, MAC_TABLE_MIN_BUCKETS)) {
			t->one = NULL; /* no memory: one chain still works */
			t->bucket = &t->one;
			t->n_buckets = 1;
		}
	} else if (!t->walking && t->count >= 2 * (size_t)t->n_buckets &&
		   t->n_buckets < MAC_TABLE_MAX_BUCKETS) {
		rehash(t, t->n_buckets * 2);
	}
}

/* An empty table gives its array back. */
static void release_if_empty(struct mac_table *t)
{
	if (t->count || t->walking || !t->n_buckets)
		return;
	if (t->bucket != &t->one)
		free(t->bucket);
	t->bucket = NULL;
	t->n_buckets = 0;
}

void mac_table_insert(struct mac_table *t, struct mac_entry *e)
{
	unsigned int h;

	/* Keyed while empty: no entry was placed by another key. */
	if (!t->keyed && !t->count) {
		randombytes_buf(t->key, sizeof(t->key));
		t->keyed = true;
	}
	make_room(t);
	h = mac_hash(t, e->mac, t->n_buckets);
	e->next = t->bucket[h];
	t->bucket[h] = e;
	t->count++;
}

void mac_table_remove(struct mac_table *t, struct mac_entry *e)
{
	struct mac_entry **p;

	if (!t->n_buckets)
		return;
	for (p = &t->bucket[mac_hash(t, e->mac, t->n_buckets)]; *p;
	     p = &(*p)->next)
		if (*p == e) {
			*p = e->next;
			t->count--;
			release_if_empty(t);
			return;
		}
}

void mac_table_each(struct mac_table *t,
		    void (*fn)(struct mac_entry *e, void *arg), void *arg)
{
	unsigned int i;

	t->walking++;
	for (i = 0; i < t->n_buckets; i++) {
		struct mac_entry *e = t->bucket[i], *next;

		for (; e; e = next) {
			next = e->next;
			fn(e, arg);
		}
	}
	t->walking--;
	release_if_empty(t);
}
