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

/* Buckets: a power of two, from MAC_TABLE_MIN_BUCKETS, doubled once
 * there are two entries a bucket (so a lookup stays about two compares at
 * any size); the array goes when the table is empty, so a table needs no
 * set-up and no tear-down but to be emptied. */
#define MAC_TABLE_MIN_BUCKETS 16
#define MAC_TABLE_MAX_BUCKETS (1u << 20)

struct mac_entry {
	struct mac_entry *next;
	uint8_t mac[MAC_SIZE];
};

struct mac_table {
	struct mac_entry **bucket; /* n_buckets of them, or NULL */
	unsigned int n_buckets;
	unsigned int walking;  /* inside mac_table_each: no array change */
	struct mac_entry *one; /* the bucket when no array could be had */
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
