// SPDX-License-Identifier: GPL-2.0-only
/*
 * The supernode's registry mirrored into the XDP relay's maps (edges,
 * senders, their edge_stats slots, xdp_relay_slots.c; the contract is
 * include/n2nk_relay.h), and the
 * relay's counters read back. Entries nobody renews expire in the kernel
 * (n2nk_relay_dest.expires_ns) and are swept here. The -H communities'
 * keys (he_keys) and replay records (he_stamps) are handed over here too.
 */
#include <errno.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <sodium.h>

#include "bpf_maps.h"
#include "common/mac.h"
#include "he_kernel.h"
#include "n2nk_relay.h"
#include "xdp_counter.h"
#include "xdp_relay_int.h"
#include "xdp_relay_loader.h"

static int edge_key(struct n2nk_relay_edge *k, const char *community,
		    const uint8_t *mac)
{
	size_t n = strnlen(community, N2N_COMMUNITY_SIZE);

	memset(k, 0, sizeof(*k));
	if (n == N2N_COMMUNITY_SIZE)
		return -ENAMETOOLONG;
	memcpy(k->community, community, n);
	mac_copy(k->mac, mac);
	return 0;
}

/* Removes senders[s] only if it still names edge k. */
static int drop_sender(struct xdp_relay_loader *r,
		       const struct n2nk_relay_sock4 *s,
		       const struct n2nk_relay_edge *k)
{
	struct bpf_map *senders = r->skel->maps.senders;
	struct n2nk_relay_sender cur;

	xrl_hops_unref(r, s->addr); /* k leaves s, whoever holds it now */
	if (bpf_map__lookup_elem(senders, s, sizeof(*s), &cur, sizeof(cur),
				 0) ||
	    memcmp(&cur.edge, k, sizeof(cur.edge)))
		return 0;
	if (bpf_map__delete_elem(senders, s, sizeof(*s), 0) && errno != ENOENT)
		return -errno;
	return 0;
}

/* The edge_stats slot edge k holds in edges or edges6, 0: none. */
static __u32 slot_held(struct xdp_relay_loader *r,
		       const struct n2nk_relay_edge *k)
{
	struct n2nk_relay_dest6 d6;
	struct n2nk_relay_dest d;

	if (!bpf_map__lookup_elem(r->skel->maps.edges, k, sizeof(*k), &d,
				  sizeof(d), 0))
		return d.slot;
	if (!bpf_map__lookup_elem(r->skel->maps.edges6, k, sizeof(*k), &d6,
				  sizeof(d6), 0))
		return d6.slot;
	return 0;
}

/* Edge k's slot: the one it holds (kept counts, across a move between
 * families too), else a fresh zeroed one (*fresh set). */
static __u32 slot_for(struct xdp_relay_loader *r,
		      const struct n2nk_relay_edge *k, bool *fresh)
{
	__u32 slot = slot_held(r, k);

	*fresh = !slot;
	return slot ? slot : xrl_slot_alloc(r);
}

int xdp_relay_loader_edge_stats(struct xdp_relay_loader *r,
				const char *community, const uint8_t *mac,
				struct n2nk_relay_edge_stats *sum)
{
	int i, ncpu = libbpf_num_possible_cpus();
	struct n2nk_relay_edge_stats *per;
	struct n2nk_relay_edge k;
	int err = edge_key(&k, community, mac);
	__u32 slot = err ? 0 : slot_held(r, &k);

	memset(sum, 0, sizeof(*sum));
	if (err || ncpu < 1 || !slot)
		return err ? err : ncpu < 1 ? -EINVAL : -ENOENT;
	per = calloc((size_t)ncpu, sizeof(*per));
	if (!per)
		return -ENOMEM;
	if (bpf_map__lookup_elem(r->skel->maps.edge_stats, &slot, sizeof(slot),
				 per, (size_t)ncpu * sizeof(*per), 0))
		err = -errno;
	for (i = 0; !err && i < ncpu; i++) {
		sum->from_packets += per[i].from_packets;
		sum->from_bytes += per[i].from_bytes;
		sum->to_packets += per[i].to_packets;
		sum->to_bytes += per[i].to_bytes;
	}
	free(per);
	return err;
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Removes senders6[s] only if it still names edge k. */
static int drop_sender6(struct xdp_relay_loader *r,
			const struct n2nk_relay_sock6 *s,
			const struct n2nk_relay_edge *k)
{
	struct bpf_map *senders = r->skel->maps.senders6;
	struct n2nk_relay_sender cur;

	xrl_hops_unref6(r, s->addr); /* k leaves s, whoever holds it now */
	if (bpf_map__lookup_elem(senders, s, sizeof(*s), &cur, sizeof(cur),
				 0) ||
	    memcmp(&cur.edge, k, sizeof(cur.edge)))
		return 0;
	if (bpf_map__delete_elem(senders, s, sizeof(*s), 0) && errno != ENOENT)
		return -errno;
	return 0;
}

/* Edge k's entry in the family it is not registered in now (it moved
 * from IPv4 to IPv6 or back): gone, with its senders entry. */
static int drop_other_family(struct xdp_relay_loader *r,
			     const struct n2nk_relay_edge *k, bool v6_now)
{
	struct n2nk_relay_dest6 d6;
	struct n2nk_relay_dest d4;
	int err = 0;

	if (v6_now && !bpf_map__lookup_elem(r->skel->maps.edges, k, sizeof(*k),
					    &d4, sizeof(d4), 0)) {
		err = drop_sender(r, &d4.sock, k);
		bpf_map__delete_elem(r->skel->maps.edges, k, sizeof(*k), 0);
	} else if (!v6_now &&
		   !bpf_map__lookup_elem(r->skel->maps.edges6, k, sizeof(*k),
					 &d6, sizeof(d6), 0)) {
		err = drop_sender6(r, &d6.sock, k);
		bpf_map__delete_elem(r->skel->maps.edges6, k, sizeof(*k), 0);
	}
	return err;
}

/* An IPv6 address that is really IPv4 (::ffff:a.b.c.d, a dual-stack
 * socket's view of an IPv4 edge): sa rewritten as that IPv4 one. */
static void unmap_v4(const struct sockaddr_storage *sa,
		     struct sockaddr_storage *out)
{
	const struct sockaddr_in6 *in6 = (const void *)sa;
	struct sockaddr_in *in = (void *)out;

	*out = *sa;
	if (sa->ss_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
		return;
	memset(out, 0, sizeof(*out));
	in->sin_family = AF_INET;
	in->sin_port = in6->sin6_port;
	memcpy(&in->sin_addr, in6->sin6_addr.s6_addr + 12, 4);
}

/* edge_set over IPv6: edges6 and senders6. */
static int edge_set6(struct xdp_relay_loader *r,
		     const struct n2nk_relay_edge *k,
		     const struct sockaddr_in6 *in6, uint64_t expires,
		     struct xdp_relay_why *why)
{
	struct bpf_map *edges = r->skel->maps.edges6;
	struct n2nk_relay_dest6 d = { 0 }, old;
	struct n2nk_relay_sender snd = { *k, 0 };
	bool known, fresh; /* fresh: new at this socket, a next-hop ref */
	bool new_slot;	   /* edge_stats slot handed out here */
	int err;

	memcpy(d.sock.addr, &in6->sin6_addr, 16);
	d.sock.port = in6->sin6_port;
	d.expires_ns = expires;
	known = !bpf_map__lookup_elem(edges, k, sizeof(*k), &old, sizeof(old),
				      0);
	fresh = !known || memcmp(&old.sock, &d.sock, sizeof(d.sock));
	if (known && fresh) {
		err = drop_sender6(r, &old.sock, k);
		if (err)
			return xrl_fail(why, err,
					"XDP relay: old senders6 entry");
	}
	d.slot = snd.slot = slot_for(r, k, &new_slot);
	err = drop_other_family(r, k, true);
	if (err)
		return xrl_fail(why, err, "XDP relay: edge_stats");
	if (bpf_map__update_elem(edges, k, sizeof(*k), &d, sizeof(d),
				 BPF_ANY)) {
		err = -errno;
		if (new_slot)
			xrl_slot_free(r, d.slot);
		return xrl_fail(why, err, "XDP relay: updating edges6");
	}
	if (bpf_map__update_elem(r->skel->maps.senders6, &d.sock,
				 sizeof(d.sock), &snd, sizeof(snd), BPF_ANY)) {
		err = -errno;
		bpf_map__delete_elem(edges, k, sizeof(*k), 0);
		if (new_slot)
			xrl_slot_free(r, d.slot);
		return xrl_fail(why, err, "XDP relay: updating senders6");
	}
	xrl_hops_want6(r, d.sock.addr, expires, fresh);
	return 0;
}

int xdp_relay_loader_edge_set(struct xdp_relay_loader *r, const char *community,
			      const uint8_t *mac,
			      const struct sockaddr_storage *sa_in,
			      uint32_t valid_ms, struct xdp_relay_why *why)
{
	struct sockaddr_storage sa_buf;
	const struct sockaddr_storage *sa = &sa_buf;
	const struct sockaddr_in *in = (const void *)&sa_buf;
	struct n2nk_relay_sock4 s = { 0 };
	struct n2nk_relay_dest d = { 0 }, old;
	struct bpf_map *edges = r->skel->maps.edges;
	struct n2nk_relay_sender snd = { 0 };
	struct n2nk_relay_edge k;
	bool known, fresh; /* fresh: new at this socket, a next-hop ref */
	bool new_slot;	   /* edge_stats slot handed out here */
	int err;

	why->msg[0] = 0;
	unmap_v4(sa_in, &sa_buf);
	if (sa->ss_family != AF_INET && sa->ss_family != AF_INET6)
		return xrl_fail(why, -EAFNOSUPPORT, "XDP relay edge");
	err = edge_key(&k, community, mac);
	if (err)
		return xrl_fail(why, err, "XDP relay edge");
	d.expires_ns = monotonic_ns() + (uint64_t)valid_ms * 1000000ull;
	if (sa->ss_family == AF_INET6)
		return edge_set6(r, &k, (const void *)sa, d.expires_ns, why);
	s.addr = in->sin_addr.s_addr;
	s.port = in->sin_port;
	d.sock = s;
	known = !bpf_map__lookup_elem(edges, &k, sizeof(k), &old, sizeof(old),
				      0);
	fresh = !known || memcmp(&old.sock, &s, sizeof(s));
	if (known && fresh) {
		err = drop_sender(r, &old.sock, &k);
		if (err)
			return xrl_fail(why, err,
					"XDP relay: old senders entry");
	}
	d.slot = slot_for(r, &k, &new_slot);
	snd.edge = k;
	snd.slot = d.slot;
	err = drop_other_family(r, &k, false);
	if (err)
		return xrl_fail(why, err, "XDP relay: edge_stats");
	if (bpf_map__update_elem(edges, &k, sizeof(k), &d, sizeof(d),
				 BPF_ANY)) {
		err = -errno;
		if (new_slot)
			xrl_slot_free(r, d.slot);
		return xrl_fail(why, err, "XDP relay: updating edges");
	}
	if (bpf_map__update_elem(r->skel->maps.senders, &s, sizeof(s), &snd,
				 sizeof(snd), BPF_ANY)) {
		err = -errno;
		bpf_map__delete_elem(edges, &k, sizeof(k), 0);
		if (new_slot)
			xrl_slot_free(r, d.slot);
		return xrl_fail(why, err, "XDP relay: updating senders");
	}
	xrl_hops_want(r, s.addr, d.expires_ns, fresh);
	return 0;
}

int xdp_relay_loader_edge_del(struct xdp_relay_loader *r, const char *community,
			      const uint8_t *mac, struct xdp_relay_why *why)
{
	struct bpf_map *edges = r->skel->maps.edges;
	struct n2nk_relay_dest old;
	struct n2nk_relay_edge k;
	int err;

	why->msg[0] = 0;
	err = edge_key(&k, community, mac);
	if (err)
		return xrl_fail(why, err, "XDP relay edge");
	if (bpf_map__lookup_elem(edges, &k, sizeof(k), &old, sizeof(old), 0)) {
		/* IPv6, never mirrored, or already gone. */
		__u32 slot = slot_held(r, &k);

		err = drop_other_family(r, &k, false);
		if (!err)
			xrl_slot_free(r, slot);
		return err ? xrl_fail(why, err, "XDP relay: deleting an edge")
			   : 0;
	}
	err = drop_sender(r, &old.sock, &k);
	if (!err && bpf_map__delete_elem(edges, &k, sizeof(k), 0) &&
	    errno != ENOENT)
		err = -errno;
	if (!err)
		xrl_slot_free(r, old.slot);
	return err ? xrl_fail(why, err, "XDP relay: deleting an edge") : 0;
}

static int community_key(struct n2nk_relay_community *k, const char *name)
{
	size_t n = strnlen(name, N2N_COMMUNITY_SIZE);

	memset(k, 0, sizeof(*k));
	if (n == N2N_COMMUNITY_SIZE)
		return -ENAMETOOLONG;
	memcpy(k->name, name, n);
	return 0;
}

int xdp_relay_loader_he_set(struct xdp_relay_loader *r, const char *community,
			    const struct he_keys *keys,
			    struct xdp_relay_why *why)
{
	struct bpf_map *m = r->skel->maps.he_keys;
	struct n2nk_relay_community k;
	struct n2nk_he v = { 0 }, old;
	int err = community_key(&k, community);

	why->msg[0] = 0;
	if (!err)
		err = he_kernel_keys(&v, keys);
	v.utc_off_ns = he_kernel_utc_offset_ns();
	/* A pinned entry that already says this (a restart) is left alone:
	 * a rewrite reuses the old value's memory at once, under a program
	 * that may be using it. */
	if (!err &&
	    bpf_map__lookup_elem(m, &k, sizeof(k), &old, sizeof(old), 0) == 0 &&
	    !sodium_memcmp(&old, &v, sizeof(v)))
		goto out;
	if (!err &&
	    bpf_map__update_elem(m, &k, sizeof(k), &v, sizeof(v), BPF_ANY))
		err = -errno;
out:
	sodium_memzero(&v, sizeof(v));
	sodium_memzero(&old, sizeof(old));
	return err ? xrl_fail(why, err, "XDP relay: -H keys of \"%s\"",
			      community)
		   : 0;
}

int xdp_relay_loader_he_del(struct xdp_relay_loader *r, const char *community,
			    struct xdp_relay_why *why)
{
	struct n2nk_relay_community k;
	int err = community_key(&k, community);

	why->msg[0] = 0;
	if (!err &&
	    bpf_map__delete_elem(r->skel->maps.he_keys, &k, sizeof(k), 0) &&
	    errno != ENOENT)
		err = -errno;
	return err ? xrl_fail(why, err,
			      "XDP relay: deleting the -H keys of "
			      "\"%s\"",
			      community)
		   : 0;
}

/* The -H communities' names in he_keys: how many went into keys. */
static unsigned int he_names(struct xdp_relay_loader *r,
			     struct n2nk_relay_community *keys)
{
	int fd = bpf_map__fd(r->skel->maps.he_keys);
	unsigned int n = 0;

	while (n < N2NK_RELAY_MAX_HE_COMMUNITIES &&
	       !bpf_map_get_next_key(fd, n ? &keys[n - 1] : NULL, &keys[n]))
		n++;
	return n;
}

/* Entry k of he_keys with the clock off, unless it has it already. */
static int he_clock_one(struct xdp_relay_loader *r,
			const struct n2nk_relay_community *k, __s64 off)
{
	struct bpf_map *m = r->skel->maps.he_keys;
	struct n2nk_he v;
	int err = 0;

	if (bpf_map__lookup_elem(m, k, sizeof(*k), &v, sizeof(v), 0))
		return errno == ENOENT ? 0 : -errno;
	if (v.utc_off_ns != off) {
		v.utc_off_ns = off;
		if (bpf_map__update_elem(m, k, sizeof(*k), &v, sizeof(v),
					 BPF_EXIST) &&
		    errno != ENOENT)
			err = -errno;
	}
	sodium_memzero(&v, sizeof(v));
	return err;
}

int xdp_relay_loader_he_clock(struct xdp_relay_loader *r,
			      struct xdp_relay_why *why)
{
	static struct n2nk_relay_community keys[N2NK_RELAY_MAX_HE_COMMUNITIES];
	__s64 off = he_kernel_utc_offset_ns();
	unsigned int n = he_names(r, keys), i;
	int err = 0, ret;

	why->msg[0] = 0;
	for (i = 0; i < n; i++) {
		ret = he_clock_one(r, &keys[i], off);
		if (ret && !err)
			err = ret;
	}
	return err ? xrl_fail(why, err, "XDP relay: -H clock") : 0;
}

int xdp_relay_loader_he_prune(struct xdp_relay_loader *r,
			      bool (*keep)(const char *community, void *arg),
			      void *arg, unsigned int *pruned,
			      struct xdp_relay_why *why)
{
	static struct n2nk_relay_community keys[N2NK_RELAY_MAX_HE_COMMUNITIES];
	unsigned int n = he_names(r, keys), i;
	char name[N2N_COMMUNITY_SIZE + 1];
	int err = 0;

	why->msg[0] = 0;
	*pruned = 0;
	for (i = 0; i < n && !err; i++) {
		memcpy(name, keys[i].name, N2N_COMMUNITY_SIZE);
		name[N2N_COMMUNITY_SIZE] = 0;
		if (keep(name, arg))
			continue;
		if (bpf_map__delete_elem(r->skel->maps.he_keys, &keys[i],
					 sizeof(keys[i]), 0) &&
		    errno != ENOENT)
			err = -errno;
		else
			++*pruned;
	}
	return err ? xrl_fail(why, err, "XDP relay: pruning he_keys") : 0;
}

int xdp_relay_loader_he_stamp_seed(struct xdp_relay_loader *r,
				   const char *community, const uint8_t *mac,
				   uint64_t stamp, struct xdp_relay_why *why)
{
	struct bpf_map *m = r->skel->maps.he_stamps;
	struct n2nk_relay_edge k;
	__u64 last;
	int err = edge_key(&k, community, mac);

	why->msg[0] = 0;
	if (!err &&
	    (bpf_map__lookup_elem(m, &k, sizeof(k), &last, sizeof(last), 0) ||
	     he_kernel_seed_wins(last, stamp)) &&
	    bpf_map__update_elem(m, &k, sizeof(k), &stamp, sizeof(stamp),
				 BPF_ANY))
		err = -errno;
	return err ? xrl_fail(why, err,
			      "XDP relay: -H replay record of %02x:%02x:%02x:"
			      "%02x:%02x:%02x in \"%s\"",
			      mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
			      community)
		   : 0;
}

int xdp_relay_loader_reasons(struct xdp_relay_loader *r,
			     uint64_t packets[N2NK_REASON_SLOTS],
			     struct xdp_relay_why *why)
{
	struct n2nk_xdp_counter c;
	__u32 slot;
	int err;

	why->msg[0] = 0;
	for (slot = 0; slot < N2NK_REASON_SLOTS; slot++) {
		err = xdp_counter_sum(r->skel->maps.relay_stats, slot, &c);
		if (err)
			return xrl_fail(why, err, "reading relay_stats");
		packets[slot] = c.packets;
	}
	return 0;
}

int xdp_relay_loader_egress(struct xdp_relay_loader *r,
			    uint64_t packets[N2NK_RELAY_EGRESS_SLOTS],
			    struct xdp_relay_why *why)
{
	struct n2nk_xdp_counter c;
	__u32 slot;
	int err;

	why->msg[0] = 0;
	for (slot = 0; slot < N2NK_RELAY_EGRESS_SLOTS; slot++) {
		err = xdp_counter_sum(r->skel->maps.egress_stats, slot, &c);
		if (err)
			return xrl_fail(why, err, "reading egress_stats");
		packets[slot] = c.packets;
	}
	return 0;
}

/* Deletes edges[k] (and its senders entry) if it expired before `now`. */
static int sweep_one(struct xdp_relay_loader *r,
		     const struct n2nk_relay_edge *k, uint64_t now)
{
	struct bpf_map *edges = r->skel->maps.edges;
	struct n2nk_relay_dest d;

	if (bpf_map__lookup_elem(edges, k, sizeof(*k), &d, sizeof(d), 0) ||
	    d.expires_ns >= now)
		return 0;
	drop_sender(r, &d.sock, k);
	if (bpf_map__delete_elem(edges, k, sizeof(*k), 0) && errno != ENOENT)
		return -errno;
	xrl_slot_free(r, d.slot);
	return 1;
}

/* The same for edges6[k]. */
static int sweep_one6(struct xdp_relay_loader *r,
		      const struct n2nk_relay_edge *k, uint64_t now)
{
	struct bpf_map *edges = r->skel->maps.edges6;
	struct n2nk_relay_dest6 d;

	if (bpf_map__lookup_elem(edges, k, sizeof(*k), &d, sizeof(d), 0) ||
	    d.expires_ns >= now)
		return 0;
	drop_sender6(r, &d.sock, k);
	if (bpf_map__delete_elem(edges, k, sizeof(*k), 0) && errno != ENOENT)
		return -errno;
	xrl_slot_free(r, d.slot);
	return 1;
}

/* Keys of edges or edges6 whose entry expired before now, read in
 * batches (BPF_MAP_LOOKUP_BATCH: a few system calls for the whole map,
 * not two per entry); how many went into keys, or -errno (-EINVAL or
 * -EOPNOTSUPP: a kernel without batch operations on hash maps). */
static int expired_batch(int fd, bool v6, uint64_t now,
			 struct n2nk_relay_edge *keys)
{
	/* Static: up to 2 MiB of values, off the stack; one loop thread. */
	static struct n2nk_relay_dest6 v6s[N2NK_RELAY_MAX_EDGES];
	static struct n2nk_relay_dest v4s[N2NK_RELAY_MAX_EDGES];
	static struct n2nk_relay_edge got[N2NK_RELAY_MAX_EDGES];
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 in = 0, out = 0, cnt, n = 0, i, e = 0;
	int err;

	do {
		cnt = N2NK_RELAY_MAX_EDGES - n;
		err = bpf_map_lookup_batch(fd, n ? &in : NULL, &out, &got[n],
					   v6 ? (void *)&v6s[n] : &v4s[n], &cnt,
					   &opts);
		if (err && errno != ENOENT)
			return -errno;
		n += cnt;
		in = out;
	} while (!err && n < N2NK_RELAY_MAX_EDGES);
	for (i = 0; i < n; i++)
		if ((v6 ? v6s[i].expires_ns : v4s[i].expires_ns) < now)
			keys[e++] = got[i];
	return (int)e;
}

/* Every key of edges or edges6, one get_next_key call each: how many. */
static int all_keys(int fd, struct n2nk_relay_edge *keys)
{
	int n = 0;

	/* Keys first: deleting while walking a hash map restarts the walk. */
	while (n < N2NK_RELAY_MAX_EDGES &&
	       !bpf_map_get_next_key(fd, n ? &keys[n - 1] : NULL, &keys[n]))
		n++;
	return n;
}

/* Sweeps one of edges and edges6; *swept grows by what went. */
static int sweep_map(struct xdp_relay_loader *r, bool v6, uint64_t now,
		     unsigned int *swept)
{
	/* Static: 1.75 MiB of keys, off the stack; one loop thread. */
	static struct n2nk_relay_edge keys[N2NK_RELAY_MAX_EDGES];
	int fd = bpf_map__fd(v6 ? r->skel->maps.edges6 : r->skel->maps.edges);
	int n = r->no_batch ? -EOPNOTSUPP : expired_batch(fd, v6, now, keys);
	int i, ret, err = 0;

	if (n < 0) {
		/* Not asked again, unless only a bucket outgrew the room
		 * left (ENOSPC: a full map). */
		r->no_batch = n != -ENOSPC;
		n = all_keys(fd, keys);
	}
	/* Each one checked again (sweep_one*): expired, then gone. */
	for (i = 0; i < n; i++) {
		ret = v6 ? sweep_one6(r, &keys[i], now)
			 : sweep_one(r, &keys[i], now);
		if (ret < 0 && !err)
			err = ret;
		*swept += ret > 0;
	}
	return err;
}

int xdp_relay_loader_sweep(struct xdp_relay_loader *r, unsigned int *swept,
			   struct xdp_relay_why *why)
{
	uint64_t now = monotonic_ns();
	int err, err6;

	why->msg[0] = 0;
	*swept = 0;
	err = sweep_map(r, false, now, swept);
	err6 = sweep_map(r, true, now, swept);
	if (!err)
		err = err6;
	return err ? xrl_fail(why, err, "XDP relay: sweeping expired edges")
		   : 0;
}
