// SPDX-License-Identifier: GPL-2.0-only
/* Per-CPU n2nk_xdp_counter slots summed (xdp_counter.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "xdp_counter.h"

int xdp_counter_sum(const struct bpf_map *map, __u32 slot,
		    struct n2nk_xdp_counter *sum)
{
	int i, ncpu = libbpf_num_possible_cpus();
	struct n2nk_xdp_counter *per;
	int err = 0;

	memset(sum, 0, sizeof(*sum));
	if (ncpu < 1)
		return ncpu ? ncpu : -EINVAL;
	per = calloc((size_t)ncpu, sizeof(*per));
	if (!per)
		return -ENOMEM;
	if (bpf_map__lookup_elem(map, &slot, sizeof(slot), per,
				 (size_t)ncpu * sizeof(*per), 0))
		err = -errno;
	for (i = 0; !err && i < ncpu; i++) {
		sum->packets += per[i].packets;
		sum->bytes += per[i].bytes;
	}
	free(per);
	return err;
}
