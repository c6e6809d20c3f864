// SPDX-License-Identifier: GPL-2.0-only
/*
 * -A6's session maps from the daemon's side: see a6_maps.h. The maps and
 * the mmapped a6_tx are edge_loader.c's (edge_loader_a6).
 */
#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>
#include <sodium.h>

#include "a6_maps.h"
#include "edge_loader.h"
#include "n2nk_edge.h"

static int a6_of(struct datapath *dp, struct edge_loader_a6 *a)
{
	if (!dp->edge)
		return -EOPNOTSUPP;
	return edge_loader_a6(dp->edge, a);
}

static void peer_key(struct n2nk_edge_peer_key *k, const uint8_t mac[6])
{
	memset(k, 0, sizeof(*k));
	memcpy(k->mac, mac, sizeof(k->mac));
}

int datapath_edge_a6_rx_put(struct datapath *dp, uint32_t index,
			    const struct n2nk_a6_rx *v)
{
	struct edge_loader_a6 a;
	int err = a6_of(dp, &a);

	if (err)
		return err;
	return bpf_map_update_elem(a.rx_fd, &index, v, BPF_ANY) ? -errno : 0;
}

/* Its key overwritten first: a hash map recycles elements unzeroed. */
int datapath_edge_a6_rx_del(struct datapath *dp, uint32_t index)
{
	static const struct n2nk_a6_rx zero;
	struct edge_loader_a6 a;
	int err = a6_of(dp, &a);

	if (err)
		return err;
	bpf_map_update_elem(a.rx_fd, &index, &zero, BPF_EXIST);
	return bpf_map_delete_elem(a.rx_fd, &index) ? -errno : 0;
}

int datapath_edge_a6_take(struct datapath *dp, uint32_t index, uint64_t counter)
{
	uint8_t data[64] = { 0 }; /* an Ethernet header's length at least */
	struct n2nk_a6_take in = { .index = index, .counter = counter };
	struct edge_loader_a6 a;
	int err = a6_of(dp, &a);
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = data,
		    .data_size_in = sizeof(data), .repeat = 1);

	if (err)
		return err;
	memcpy(data, &in, sizeof(in));
	if (bpf_prog_test_run_opts(a.take_fd, &o))
		return -errno;
	return (int)o.retval;
}

int datapath_edge_a6_rx_last(struct datapath *dp, uint32_t index,
			     uint64_t *last_rx_ns)
{
	struct edge_loader_a6 a;
	struct n2nk_a6_rx v;
	int err = a6_of(dp, &a);

	if (err)
		return err;
	if (bpf_map_lookup_elem(a.rx_fd, &index, &v))
		return -errno;
	*last_rx_ns = v.last_rx_ns;
	sodium_memzero(&v, sizeof(v));
	return 0;
}

struct n2nk_a6_tx *datapath_edge_a6_tx_slot(struct datapath *dp, uint32_t slot)
{
	struct edge_loader_a6 a;

	if (a6_of(dp, &a) || !a.tx_mem || slot >= a.tx_slots)
		return NULL;
	return &((struct n2nk_a6_tx *)a.tx_mem)[slot];
}

uint64_t *datapath_edge_a6_tx_counter(struct datapath *dp, uint32_t slot)
{
	struct edge_loader_a6 a;

	if (a6_of(dp, &a) || !a.tx_mem || slot >= a.tx_slots)
		return NULL;
	/* __u64 is unsigned long long, uint64_t unsigned long: same bits. */
	return (uint64_t *)(void *)&((struct n2nk_a6_tx *)a.tx_mem)[slot]
		.counter;
}

int datapath_edge_a6_peer_tx_set(struct datapath *dp, const uint8_t mac[6],
				 uint32_t slot)
{
	struct edge_loader_a6 a;
	struct n2nk_edge_peer_key k;
	int err = a6_of(dp, &a);

	if (err)
		return err;
	if (slot >= a.tx_slots)
		return -ERANGE;
	peer_key(&k, mac);
	return bpf_map_update_elem(a.peer_tx_fd, &k, &slot, BPF_ANY) ? -errno
								     : 0;
}

int datapath_edge_a6_peer_tx_del(struct datapath *dp, const uint8_t mac[6])
{
	struct edge_loader_a6 a;
	struct n2nk_edge_peer_key k;
	int err = a6_of(dp, &a);

	if (err)
		return err;
	peer_key(&k, mac);
	return bpf_map_delete_elem(a.peer_tx_fd, &k) ? -errno : 0;
}

/* Every key of a hash map deleted; at most max rounds. */
static void hash_clear(int fd, void *key, uint32_t max)
{
	uint32_t n = 0;

	while (n++ <= max && !bpf_map_get_next_key(fd, NULL, key))
		bpf_map_delete_elem(fd, key);
}

int datapath_edge_a6_clear(struct datapath *dp)
{
	struct edge_loader_a6 a;
	struct n2nk_edge_peer_key k;
	struct n2nk_a6_tx zero;
	uint32_t index, slot;
	int err = a6_of(dp, &a);

	if (err)
		return err;
	/* The peers first: no frame takes a slot being cleared. */
	hash_clear(a.peer_tx_fd, &k, N2NK_EDGE_MAX_PEERS);
	hash_clear(a.rx_fd, &index, N2NK_A6_MAX_SESSIONS);
	if (a.tx_mem) {
		sodium_memzero(a.tx_mem,
			       (size_t)a.tx_slots * sizeof(struct n2nk_a6_tx));
		return 0;
	}
	memset(&zero, 0, sizeof(zero));
	for (slot = 0; slot < a.tx_slots; slot++)
		if (bpf_map_update_elem(a.tx_fd, &slot, &zero, BPF_ANY))
			return -errno;
	return 0;
}
