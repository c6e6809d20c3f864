/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A hash table keyed by MAC address, for an edge's peers and a community's
 * registered edges. Entries are embedded at the start of the caller's struct
 * and allocated by the caller; the table only links them. The bucket
 * hash is SipHash keyed at random per table (on its first insert), so MACs
 * chosen by a remote sender do not pile up in one bucket.
 */
#ifndef N2NK_MAC_TABLE_H
#define N2NK_MAC_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mac.h"

#define MAC_TABLE_BUCKETS 256

struct mac_entry {
	struct mac_entry *next;
	uint8_t mac[MAC_SIZE];
};

struct mac_table {
	struct mac_entry *bucket[MAC_TABLE_BUCKETS];
	size_t count;
	bool keyed;
	uint8_t key[16]; /* crypto_shorthash_KEYBYTES */
};

struct mac_entry *mac_table_find(const struct mac_table *t,
				 const uint8_t mac[MAC_SIZE]);
/* The caller has checked the MAC is not present yet. */
void mac_table_insert(struct mac_table *t, struct mac_entry *e);
void mac_table_remove(struct mac_table *t, struct mac_entry *e);

/* Visits every entry; fn may remove (and free) the entry it is given. */
void mac_table_each(struct mac_table *t,
		    void (*fn)(struct mac_entry *e, void *arg), void *arg);

#endif /* N2NK_MAC_TABLE_H */
