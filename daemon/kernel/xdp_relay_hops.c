// SPDX-License-Identifier: GPL-2.0-only
/*
 * Next hops for the XDP relay on a host that does not forward IPv4, where
 * bpf_fib_lookup() gives no answer: for every registered edge's address,
 * the route (gateway or on-link, out interface) and the neighbour entry of
 * the next hop, asked over rtnetlink and written into relay_hops
 * (include/n2nk_relay.h). An address without a resolved neighbour gets no
 * entry, so its frames reach the daemon, whose socket send makes the
 * kernel resolve it; the next refresh then finds the entry.
 *
 * The addresses live in an open-addressing table here, each with when it
 * is due again and until when a registration wants it; a tick refreshes at
 * most HOPS_PER_TICK of them, so 10,000 edges cost a bounded slice of
 * every second.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/rtnetlink.h>
#include <netlink/socket.h>

#include "netlink.h"
#include "n2nk_relay.h"
#include "xdp_relay_int.h"

/* Slots: a power of two, twice the most addresses the map holds. */
#define HOPS_SLOTS	  (2u * N2NK_RELAY_MAX_EDGES)
/* Resolutions per tick (two netlink round trips each), and per tick
 * besides for addresses new to the table. */
#define HOPS_PER_TICK	  512
#define HOPS_NEW_PER_TICK 256
#define HOPS_TICK_NS	  1000000000ull
#define HOPS_MISSING_NS	  1000000000ull	 /* unresolved: again in 1 s */
#define HOPS_RESOLVED_NS  20000000000ull /* resolved: again in 20 s */
/* How long the program trusts an entry: outlasts a slow refresh cycle
 * (65,536 addresses at HOPS_PER_TICK a second) and a daemon restart. */
#define HOPS_VALID_NS	  180000000000ull

/* An edge's address: IPv4 in a[0..3] (the rest 0), or IPv6. */
struct hop_key {
	__u8 a[16];
	__u8 v6;
	__u8 used; /* 0: a free slot */
	__u8 pad[2];
};

struct hop_slot {
	struct hop_key key;
	uint32_t refs;	       /* mirrored edges at this address */
	uint64_t due_ns;       /* refresh at or after */
	uint64_t wanted_until; /* a registration needs it until */
};

struct xrl_hops {
	struct netlink_ctx nl;
	struct hop_slot *slots;
	uint32_t seed;	       /* slot_of's: chains an attacker cannot aim */
	uint64_t macs_read_ns; /* the interfaces' own MACs, last read */
	unsigned int count;
	unsigned int cursor;   /* where the next tick's scan starts */
	unsigned int new_left; /* immediate resolutions left this tick */
	uint64_t last_tick_ns;
	struct xdp_relay_hops_tally tally;
};

static uint64_t hops_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static struct hop_key key4(__be32 addr)
{
	struct hop_key k = { .used = 1 };

	memcpy(k.a, &addr, sizeof(addr));
	return k;
}

static struct hop_key key6(const __u8 addr[16])
{
	struct hop_key k = { .v6 = 1, .used = 1 };

	memcpy(k.a, addr, sizeof(k.a));
	return k;
}

static unsigned int slot_of(uint32_t seed, const struct hop_key *k)
{
	uint32_t w, x = seed ^ k->v6;
	int i;

	/* Fibonacci hashing of the words folded, from a random seed:
	 * consecutive addresses spread out, and the addresses edges register
	 * from cannot be chosen to build one long probe chain. */
	for (i = 0; i < 16; i += 4) {
		memcpy(&w, k->a + i, sizeof(w));
		x = (x ^ w) * 2654435769u;
	}
	return (unsigned int)(x >> 15) & (HOPS_SLOTS - 1);
}

static bool key_eq(const struct hop_key *a, const struct hop_key *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static struct hop_slot *hops_find(struct xrl_hops *h, const struct hop_key *k)
{
	unsigned int i = slot_of(h->seed, k), n;

	for (n = 0; n < HOPS_SLOTS; n++, i = (i + 1) & (HOPS_SLOTS - 1)) {
		if (!h->slots[i].key.used)
			return NULL;
		if (key_eq(&h->slots[i].key, k))
			return &h->slots[i];
	}
	return NULL;
}

/* A free slot for k (not in the table), or NULL when full. */
static struct hop_slot *hops_insert(struct xrl_hops *h, const struct hop_key *k)
{
	unsigned int i = slot_of(h->seed, k);

	if (h->count >= N2NK_RELAY_MAX_EDGES) {
		h->tally.full++;
		return NULL;
	}
	while (h->slots[i].key.used)
		i = (i + 1) & (HOPS_SLOTS - 1);
	memset(&h->slots[i], 0, sizeof(h->slots[i]));
	h->slots[i].key = *k;
	h->count++;
	return &h->slots[i];
}

/* Backward-shift deletion keeps every probe chain unbroken. */
static void hops_remove(struct xrl_hops *h, struct hop_slot *s)
{
	unsigned int hole = (unsigned int)(s - h->slots), i = hole, home;

	for (;;) {
		i = (i + 1) & (HOPS_SLOTS - 1);
		if (!h->slots[i].key.used)
			break;
		home = slot_of(h->seed, &h->slots[i].key);
		/* Stays if its home lies cyclically in (hole, i]. */
		if (((i - home) & (HOPS_SLOTS - 1)) <
		    ((i - hole) & (HOPS_SLOTS - 1)))
			continue;
		h->slots[hole] = h->slots[i];
		hole = i;
	}
	memset(&h->slots[hole], 0, sizeof(h->slots[hole]));
	h->count--;
}

static const struct xrl_attach *attached_if(const struct xdp_relay_loader *r,
					    int ifindex)
{
	int i;

	for (i = 0; i < r->n_ifs; i++)
		if (r->ifs[i].ifindex == ifindex)
			return &r->ifs[i];
	return NULL;
}

static int hop_delete(struct xdp_relay_loader *r, const struct hop_key *k)
{
	struct bpf_map *m = k->v6 ? r->skel->maps.relay_hops6
				  : r->skel->maps.relay_hops;

	if (bpf_map__delete_elem(m, k->a, k->v6 ? 16 : 4, 0) && errno != ENOENT)
		return -errno;
	return 0;
}

/* Where the kernel routes a datagram to k: oif, mtu, (IPv4) its source
 * src, the next hop's neighbour (the gateway or k itself) looked up if
 * oif is ours. 0, or <0: no route or neighbour yet. */
static int hop_route(struct xdp_relay_loader *r, const struct hop_key *k,
		     int *oif, unsigned int *mtu, __be32 *src,
		     struct netlink_neigh4 *nb)
{
	struct netlink_route6 rt6;
	struct netlink_route4 rt;
	__be32 addr;

	if (k->v6) {
		if (netlink_route_get6(&r->hops->nl, k->a, &rt6) ||
		    rt6.type != RTN_UNICAST)
			return -1;
		*oif = rt6.oif;
		*mtu = rt6.mtu;
		if (!attached_if(r, rt6.oif))
			return 0;
		return netlink_neigh_get6(&r->hops->nl, rt6.oif,
					  rt6.has_gateway ? rt6.gateway : k->a,
					  nb)
			       ? -1
			       : 0;
	}
	memcpy(&addr, k->a, sizeof(addr));
	/* A gateway of another family is no neighbour this table holds. */
	if (netlink_route_get4(&r->hops->nl, addr, 0, &rt) ||
	    rt.type != RTN_UNICAST || rt.has_via)
		return -1;
	*oif = rt.oif;
	*mtu = rt.mtu;
	*src = rt.src;
	if (!attached_if(r, rt.oif))
		return 0;
	return netlink_neigh_get4(&r->hops->nl, rt.oif,
				  rt.gateway ? rt.gateway : addr, nb)
		       ? -1
		       : 0;
}

/*
 * What the kernel would do with a datagram to addr, as a relay_hops entry:
 * 1 written, 0 nothing to write yet (no route or neighbour: deleted), or
 * -errno of the map update.
 */
static int hop_resolve(struct xdp_relay_loader *r, const struct hop_key *k,
		       uint64_t now)
{
	struct bpf_map *m = k->v6 ? r->skel->maps.relay_hops6
				  : r->skel->maps.relay_hops;
	struct netlink_neigh4 nb = { 0 };
	struct n2nk_relay_hop v = { 0 };
	const struct xrl_attach *a;
	unsigned int mtu = 0;
	__be32 src = 0;
	int oif = 0;

	if (hop_route(r, k, &oif, &mtu, &src, &nb))
		return hop_delete(r, k);
	v.ifindex = (__u32)oif;
	v.expires_ns = now + HOPS_VALID_NS;
	a = attached_if(r, oif);
	if (a) { /* else: the program sees another interface, no MACs */
		memcpy(v.dmac, nb.mac, sizeof(v.dmac));
		memcpy(v.smac, a->mac, sizeof(v.smac));
		v.mtu = mtu;
		v.src = src;
	}
	if (bpf_map__update_elem(m, k->a, k->v6 ? 16 : 4, &v, sizeof(v),
				 BPF_ANY))
		return -errno;
	return 1;
}

/* Resolves s now and says when it is due again. */
static int hops_refresh(struct xdp_relay_loader *r, struct hop_slot *s,
			uint64_t now)
{
	int ret = hop_resolve(r, &s->key, now);

	s->due_ns = now + (ret > 0 ? HOPS_RESOLVED_NS : HOPS_MISSING_NS);
	r->hops->tally.resolved += ret > 0;
	r->hops->tally.missing += ret == 0;
	return ret < 0 ? ret : 0;
}

/* A registration wants k's next hop until `until`; ref: an edge new at
 * this address (a refresh of one already counted is not). */
static void hops_want(struct xdp_relay_loader *r, const struct hop_key *k,
		      uint64_t until, bool ref)
{
	struct xrl_hops *h = r->hops;
	struct hop_slot *s;
	uint64_t now;

	s = hops_find(h, k);
	if (s) {
		if (until > s->wanted_until)
			s->wanted_until = until;
		s->refs += ref;
		return;
	}
	s = hops_insert(h, k);
	if (!s)
		return; /* full: its frames go through the daemon */
	s->refs = 1;
	s->wanted_until = until;
	now = hops_now_ns();
	/* A new edge's first frames should not wait for the tick. */
	if (h->new_left) {
		h->new_left--;
		hops_refresh(r, s, now);
	} else {
		s->due_ns = now;
	}
}

void xrl_hops_want(struct xdp_relay_loader *r, __be32 addr, uint64_t until,
		   bool ref)
{
	struct hop_key k = key4(addr);

	/* Next hops from the FIB for IPv4: none to keep. */
	if (r->hops && addr && !r->by_fib)
		hops_want(r, &k, until, ref);
}

void xrl_hops_want6(struct xdp_relay_loader *r, const __u8 addr[16],
		    uint64_t until, bool ref)
{
	struct hop_key k = key6(addr);

	if (r->hops && !r->by_fib6)
		hops_want(r, &k, until, ref);
}

/* An edge left k's address: the last one takes the entry with it, at
 * once, so an edge hopping from address to address holds one entry. */
static void hops_unref(struct xdp_relay_loader *r, const struct hop_key *k)
{
	struct hop_slot *s = hops_find(r->hops, k);

	if (!s)
		return;
	if (s->refs > 1) {
		s->refs--;
		return;
	}
	hop_delete(r, k);
	hops_remove(r->hops, s);
	r->hops->tally.removed++;
}

void xrl_hops_unref(struct xdp_relay_loader *r, __be32 addr)
{
	struct hop_key k = key4(addr);

	if (r->hops && addr)
		hops_unref(r, &k);
}

void xrl_hops_unref6(struct xdp_relay_loader *r, const __u8 addr[16])
{
	struct hop_key k = key6(addr);

	if (r->hops)
		hops_unref(r, &k);
}

/* A pinned edge's address is wanted as long as its registration. */
static void hops_seed_one(struct xdp_relay_loader *r, const struct hop_key *k,
			  uint64_t expires)
{
	struct hop_slot *s = hops_find(r->hops, k);

	if (s)
		s->refs++;
	else if ((s = hops_insert(r->hops, k)))
		s->refs = 1;
	if (s && expires > s->wanted_until)
		s->wanted_until = expires;
}

static void hops_seed(struct xdp_relay_loader *r)
{
	int fd = bpf_map__fd(r->skel->maps.edges);
	int fd6 = bpf_map__fd(r->skel->maps.edges6);
	struct n2nk_relay_edge k, prev;
	struct n2nk_relay_dest6 d6;
	struct n2nk_relay_dest d;
	struct hop_key hk;
	unsigned int n = 0;

	while (!r->by_fib && n < N2NK_RELAY_MAX_EDGES &&
	       !bpf_map_get_next_key(fd, n ? &prev : NULL, &k)) {
		prev = k;
		n++;
		if (bpf_map_lookup_elem(fd, &k, &d) || !d.sock.addr)
			continue;
		hk = key4(d.sock.addr);
		hops_seed_one(r, &hk, d.expires_ns);
	}
	n = 0;
	while (!r->by_fib6 && n < N2NK_RELAY_MAX_EDGES &&
	       !bpf_map_get_next_key(fd6, n ? &prev : NULL, &k)) {
		prev = k;
		n++;
		if (bpf_map_lookup_elem(fd6, &k, &d6))
			continue;
		hk = key6(d6.sock.addr);
		hops_seed_one(r, &hk, d6.expires_ns);
	}
}

/* Pinned entries for addresses no edge has any more. */
static void hops_prune_pinned(struct xdp_relay_loader *r)
{
	static struct n2nk_relay_addr6 keys6[N2NK_RELAY_MAX_EDGES];
	static __be32 keys[N2NK_RELAY_MAX_EDGES];
	int fd = bpf_map__fd(r->skel->maps.relay_hops);
	int fd6 = bpf_map__fd(r->skel->maps.relay_hops6);
	unsigned int n = 0, i;
	struct hop_key k;

	while (n < N2NK_RELAY_MAX_EDGES &&
	       !bpf_map_get_next_key(fd, n ? &keys[n - 1] : NULL, &keys[n]))
		n++;
	for (i = 0; i < n; i++) {
		k = key4(keys[i]);
		if (!hops_find(r->hops, &k))
			hop_delete(r, &k);
	}
	n = 0;
	while (n < N2NK_RELAY_MAX_EDGES &&
	       !bpf_map_get_next_key(fd6, n ? &keys6[n - 1] : NULL, &keys6[n]))
		n++;
	for (i = 0; i < n; i++) {
		k = key6(keys6[i].a);
		if (!hops_find(r->hops, &k))
			hop_delete(r, &k);
	}
}

int xrl_hops_open(struct xdp_relay_loader *r, struct xdp_relay_why *why)
{
	struct netlink_link link;
	struct xrl_hops *h;
	int i, err;

	h = calloc(1, sizeof(*h));
	if (h)
		h->slots = calloc(HOPS_SLOTS, sizeof(*h->slots));
	if (!h || !h->slots) {
		free(h);
		return xrl_fail(why, -ENOMEM, "XDP relay: next hop table");
	}
	err = netlink_open(&h->nl);
	if (err) {
		free(h->slots);
		free(h);
		return xrl_fail(why, err, "XDP relay: rtnetlink for next hops");
	}
	r->hops = h;
	if (getrandom(&h->seed, sizeof(h->seed), 0) != sizeof(h->seed))
		h->seed = (uint32_t)hops_now_ns();
	/* A lost answer must not hold the event loop: give up after 1 s. */
	setsockopt(nl_socket_get_fd(h->nl.sock), SOL_SOCKET, SO_RCVTIMEO,
		   &(struct timeval){ .tv_sec = 1 }, sizeof(struct timeval));
	for (i = 0; i < r->n_ifs; i++) {
		err = netlink_get_link(&h->nl, r->ifs[i].name, &link);
		if (err)
			return xrl_fail(why, err, "XDP relay: the MAC of %s",
					r->ifs[i].name);
		memcpy(r->ifs[i].mac, link.mac, sizeof(r->ifs[i].mac));
	}
	h->macs_read_ns = hops_now_ns();
	h->new_left = HOPS_NEW_PER_TICK;
	hops_seed(r);
	hops_prune_pinned(r);
	return 0;
}

void xrl_hops_close(struct xdp_relay_loader *r)
{
	if (!r->hops)
		return;
	netlink_close(&r->hops->nl);
	free(r->hops->slots);
	free(r->hops);
	r->hops = NULL;
}

/* The interfaces' own MACs again (ip link set address, a bond's failover):
 * a change makes every address due now, within the tick's budget. */
static void hops_reread_macs(struct xdp_relay_loader *r, uint64_t now)
{
	struct xrl_hops *h = r->hops;
	struct netlink_link link;
	bool changed = false;
	unsigned int i;
	int j;

	h->macs_read_ns = now;
	for (j = 0; j < r->n_ifs; j++) {
		if (netlink_get_link(&h->nl, r->ifs[j].name, &link) ||
		    !memcmp(r->ifs[j].mac, link.mac, sizeof(r->ifs[j].mac)))
			continue;
		memcpy(r->ifs[j].mac, link.mac, sizeof(r->ifs[j].mac));
		changed = true;
	}
	for (i = 0; changed && i < HOPS_SLOTS; i++)
		h->slots[i].due_ns = now;
}

int xdp_relay_loader_hops_tick(struct xdp_relay_loader *r,
			       struct xdp_relay_hops_tally *tally,
			       struct xdp_relay_why *why)
{
	struct xrl_hops *h = r->hops;
	unsigned int budget = HOPS_PER_TICK, n, i;
	uint64_t now = hops_now_ns();
	struct hop_slot *s;
	int ret, err = 0;

	why->msg[0] = 0;
	memset(tally, 0, sizeof(*tally));
	if (!h || now - h->last_tick_ns < HOPS_TICK_NS)
		return 0;
	h->last_tick_ns = now;
	h->new_left = HOPS_NEW_PER_TICK;
	if (now - h->macs_read_ns >= HOPS_RESOLVED_NS)
		hops_reread_macs(r, now);
	for (n = 0, i = h->cursor; n < HOPS_SLOTS && budget;
	     n++, i = (i + 1) & (HOPS_SLOTS - 1)) {
		s = &h->slots[i];
		if (!s->key.used)
			continue;
		if (s->wanted_until < now) {
			hop_delete(r, &s->key);
			hops_remove(h, s);
			h->tally.removed++;
			/* Something else may have moved into slot i. */
			i = (i - 1) & (HOPS_SLOTS - 1);
			continue;
		}
		if (s->due_ns > now)
			continue;
		budget--;
		ret = hops_refresh(r, s, now);
		if (ret && !err)
			err = ret;
	}
	h->cursor = i;
	*tally = h->tally;
	memset(&h->tally, 0, sizeof(h->tally));
	return err ? xrl_fail(why, err, "XDP relay: writing relay_hops") : 0;
}
