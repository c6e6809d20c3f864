// SPDX-License-Identifier: GPL-2.0-only
/* Chained hash table keyed by MAC; the low bytes of a MAC vary most. */
#include <string.h>

#include "mac.h"
#include "mac_table.h"

static unsigned int mac_hash(const uint8_t mac[MAC_SIZE])
{
	return (unsigned int)(mac[5] ^ mac[4] * 31 ^ mac[3] * 7) %
	       MAC_TABLE_BUCKETS;
}

struct mac_entry *mac_table_find(const struct mac_table *t,
				 const uint8_t mac[MAC_SIZE])
{
	struct mac_entry *e;

	for (e = t->bucket[mac_hash(mac)]; e; e = e->next)
		if (mac_equal(e->mac, mac))
			return e;
	return NULL;
}

void mac_table_insert(struct mac_table *t, struct mac_entry *e)
{
	unsigned int h = mac_hash(e->mac);

	e->next = t->bucket[h];
	t->bucket[h] = e;
	t->count++;
}

void mac_table_remove(struct mac_table *t, struct mac_entry *e)
{
	struct mac_entry **p;

	for (p = &t->bucket[mac_hash(e->mac)]; *p; p = &(*p)->next)
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
