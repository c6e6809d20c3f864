/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What n2nctl maps shows of a BPF map, and the per-CPU reads the loaders
 * share. Only the loaders include this (it needs libbpf's types).
 */
#ifndef N2NK_BPF_MAPS_H
#define N2NK_BPF_MAPS_H

#include <stdint.h>

struct bpf_map;

struct bpf_map_row {
	const char *name, *type;
	const char *pin_path; /* NULL: not pinned */
	unsigned int entries, max_entries, key_size, value_size;
};

/* Fills row for m (hash maps: live entries counted; arrays: their size). */
void bpf_map_row_fill(const struct bpf_map *m, const char *pin_path,
		      struct bpf_map_row *row);

/*
 * Sums the per-CPU values of key in m into sum, as `words` 64-bit
 * counters (the value is that many __u64 per CPU). 0, or -errno (-ENOENT:
 * no such key).
 */
int bpf_map_sum_percpu(const struct bpf_map *m, const void *key, uint64_t *sum,
		       unsigned int words);

/* Live entries of a hash map, walked by key (bounded by its size). */
unsigned int bpf_map_count_keys(const struct bpf_map *m);

/*
 * A zeroed entry for key in the per-CPU map m, unless it has one (its
 * counts are kept): 0 or -errno.
 */
int bpf_map_zero_percpu(const struct bpf_map *m, const void *key);

#endif /* N2NK_BPF_MAPS_H */
