// SPDX-License-Identifier: GPL-2.0-only
/* n2nctl's view of a BPF map, and per-CPU sums. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_maps.h"

unsigned int bpf_map_count_keys(const struct bpf_map *m)
{
	uint8_t k[64], next[64];
	unsigned int n = 0, max = bpf_map__max_entries(m);
	int fd = bpf_map__fd(m);

	if (bpf_map__key_size(m) > sizeof(k))
		return 0;
	while (n < max && !bpf_map_get_next_key(fd, n ? k : NULL, next)) {
		memcpy(k, next, bpf_map__key_size(m));
		n++;
	}
	return n;
}

void bpf_map_row_fill(const struct bpf_map *m, const char *pin_path,
		      struct bpf_map_row *row)
{
	enum bpf_map_type type = bpf_map__type(m);

	memset(row, 0, sizeof(*row));
	row->name = bpf_map__name(m);
	row->type = libbpf_bpf_map_type_str(type);
	row->max_entries = bpf_map__max_entries(m);
	row->entries = type == BPF_MAP_TYPE_HASH ||
				       type == BPF_MAP_TYPE_PERCPU_HASH
			       ? bpf_map_count_keys(m)
			       : row->max_entries;
	row->key_size = bpf_map__key_size(m);
	row->value_size = bpf_map__value_size(m);
	row->pin_path = pin_path;
}

int bpf_map_sum_percpu(const struct bpf_map *m, const void *key, uint64_t *sum,
		       unsigned int words)
{
	int ncpu = libbpf_num_possible_cpus(), cpu, err = 0;
	size_t per = (size_t)words * sizeof(uint64_t);
	uint64_t *v;
	unsigned int w;

	memset(sum, 0, per);
	if (ncpu < 1)
		return ncpu ? ncpu : -EINVAL;
	if (bpf_map__value_size(m) != per)
		return -EINVAL;
	v = calloc((size_t)ncpu, per);
	if (!v)
		return -ENOMEM;
	if (bpf_map__lookup_elem(m, key, bpf_map__key_size(m), v,
				 (size_t)ncpu * per, 0))
		err = -errno;
	for (cpu = 0; !err && cpu < ncpu; cpu++)
		for (w = 0; w < words; w++)
			sum[w] += v[(size_t)cpu * words + w];
	free(v);
	return err;
}

int bpf_map_zero_percpu(const struct bpf_map *m, const void *key)
{
	int ncpu = libbpf_num_possible_cpus(), err = 0;
	size_t size;
	void *zero;

	if (ncpu < 1)
		return ncpu ? ncpu : -EINVAL;
	size = (size_t)ncpu * bpf_map__value_size(m);
	zero = calloc(1, size);
	if (!zero)
		return -ENOMEM;
	if (bpf_map__update_elem(m, key, bpf_map__key_size(m), zero, size,
				 BPF_NOEXIST) &&
	    errno != EEXIST)
		err = -errno;
	free(zero);
	return err;
}
