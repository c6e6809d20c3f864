// SPDX-License-Identifier: GPL-2.0-only
/* Chained hash table keyed by MAC, buckets by keyed SipHash-2-4. */
#include <sodium.h>
#include <string.h>

#include "mac.h"
#include "mac_table.h"

_Static_assert(sizeof(((struct mac_table *)0)->key) ==
		       crypto_shorthash_KEYBYTES,
	       "mac_table key is a SipHash key");

static unsigned int mac_hash(const struct mac_table *t,
			     const uint8_t mac[MAC_SIZE])
{
	uint8_t h[crypto_shorthash_BYTES];

	crypto_shorthash(h, mac, MAC_SIZE, t->key);
	return (unsigned int)(h[0] | h[1] << 8) % MAC_TABLE_BUCKETS;
}

struct mac_entry *mac_table_find(const struct mac_table *t,
				 const uint8_t mac[MAC_SIZE])
{
	struct mac_entry *e;

	if (!t->count)
		return NULL;
	for (e = t->bucket[mac_hash(t, mac)]; e; e = e->next)
		if (mac_equal(e->mac, mac))
			return e;
	return NULL;
}

void mac_table_insert(struct mac_table *t, struct mac_entry *e)
{
	unsigned int h;

	/* Keyed while empty: no entry was placed by another key. */
	if (!t->keyed && !t->count) {
		randombytes_buf(t->key, sizeof(t->key));
		t->keyed = true;
	}
	h = mac_hash(t, e->mac);
	e->next = t->bucket[h];
	t->bucket[h] = e;
	t->count++;
}

void mac_table_remove(struct mac_table *t, struct mac_entry *e)
{
	struct mac_entry **p;

	for (p = &t->bucket[mac_hash(t, e->mac)]; *p; p = &(*p)->next)
		if (*p == e) {
			*p = e->next;
			t->count--;
			return;
		}
}

void mac_table_each(struct mac_table *t,
		    void (*fn)(struct mac_entry *e, void *arg), void *arg)
{
	unsigned int i;

	for (i = 0; i < MAC_TABLE_BUCKETS; i++) {
		struct mac_entry *e = t->bucket[i], *next;

		for (; e; e = next) {
			next = e->next;
			fn(e, arg);
		}
	}
}
