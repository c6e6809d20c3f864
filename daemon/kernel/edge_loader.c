// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loads the edge's kernel data path and keeps its maps in step with the
 * daemon's peers. Frames leave the TAP through edge_tap (TC egress), which
 * sends the fast ones into a veth pair made here with its offloads off:
 * the kernel segments GSO frames and finishes checksums there, so edge_tx
 * (TC ingress on the far end) encrypts complete frames. edge_rx runs on
 * the underlay interface the supernode's route leaves by.
 *
 * Programs attach with tcx links (kernel >= 6.6), pinned with the maps
 * where there is a bpffs (edge_pins.c): a daemon that stops leaving the
 * kernel path up (edge_loader_leave) keeps established flows moving, and
 * the next one takes the links, maps and veth pair over. Without a bpffs
 * or tcx (clsact), links close with the daemon and frames then take the
 * daemon's path, which is complete on its own.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sodium.h>

#include "common/why.h"
#include "edge_aes.h"
#include "edge_loader.h"
#include "edge_pins.h"
#include "ethtool.h"
#include "he_kernel.h"
#include "netlink.h"
#include "proto/header_crypt.h"
#include "proto/speck.h"
#include "skel/tc_edge.skel.h"

/* enum bpf_attach_type of kernel 6.6 (UAPI, stable); the C library's
 * headers may be older than the kernel. */
#define EL_TCX_INGRESS 46
#define EL_TCX_EGRESS  47
#define EL_LEASE_MIN_S 3

/* A program attached to one hook: a tcx link, or a clsact filter. */
struct el_hook {
	int ifindex;
	bool ingress;
	int link_fd;  /* tcx, or -1 */
	bool clsact;  /* bpf_tc_attach()ed instead */
	__u32 handle; /* of the clsact filter */
	__u32 priority;
	bool pinned; /* the tcx link outlives its fd */
};

struct edge_loader {
	struct tc_edge *skel;
	struct edge_aes *aes; /* -A3: tc_edge_aes over skel's maps */
	/* skel's edge_tx and edge_rx, or for -A3 aes's */
	struct bpf_program *prog_tx, *prog_rx;
	struct netlink_ctx nl;
	bool nl_open;
	char seg_a[IF_NAMESIZE], seg_b[IF_NAMESIZE]; /* TAP -> a -> b */
	uint32_t tag; /* FNV-1a of the TAP's name: names what we make */
	struct edge_pins pins;
	bool adopted;	    /* an earlier daemon's links and maps taken over */
	bool leave;	    /* close leaves the kernel path running */
	bool same_member;   /* the pinned conf's community and MAC */
	bool same_identity; /* and its transform and key */
	bool peers_ok;	    /* and its port, its lease still running */
	struct el_hook tap, tx, rx;
	char aes_driver[96]; /* -A3: the kernel's cbc(aes) driver */
	struct n2nk_edge_conf conf;
	struct n2nk_he he; /* -H: keys and clock; he.on 0 without */
	bool he_written;   /* he_conf has he */
	struct sockaddr_in bind;
	void *a6_tx_mem; /* a6_tx, mmapped: the counters */
	size_t a6_tx_len;
	char where[320];
	size_t where_base; /* what load() wrote; the RX interface follows */
};

static int conf_write(struct edge_loader *l)
{
	__u32 zero = 0;

	if (bpf_map__update_elem(l->skel->maps.edge_conf, &zero, sizeof(zero),
				 &l->conf, sizeof(l->conf), BPF_ANY))
		return -errno;
	return 0;
}

/* clsact filters of this edge: its TAP's tag as the handle, one priority.
 * A filter a killed daemon left (clsact filters outlive their process,
 * tcx links do not) is then replaced, not stacked behind. */
#define EL_CLSACT_PRIORITY 0x4e32

static int attach_clsact(struct el_hook *h, int prog_fd, uint32_t tag)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = h->ifindex,
			    .attach_point = h->ingress ? BPF_TC_INGRESS
						       : BPF_TC_EGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = prog_fd,
			    .handle = tag | 1, .priority = EL_CLSACT_PRIORITY,
			    .flags = BPF_TC_F_REPLACE);
	int err = bpf_tc_hook_create(&hook);

	if (err && err != -EEXIST)
		return err;
	err = bpf_tc_attach(&hook, &opts);
	if (err)
		return err;
	h->clsact = true;
	h->handle = opts.handle;
	h->priority = opts.priority;
	return 0;
}

/* tcx where the kernel has it (6.6), else clsact. */
static int attach(struct el_hook *h, const struct bpf_program *prog,
		  int ifindex, bool ingress, uint32_t tag)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts);
	int fd, prog_fd = bpf_program__fd(prog);

	h->ifindex = ifindex;
	h->ingress = ingress;
	h->link_fd = -1;
	fd = bpf_link_create(prog_fd, ifindex,
			     ingress ? EL_TCX_INGRESS : EL_TCX_EGRESS, &opts);
	if (fd >= 0) {
		h->link_fd = fd;
		return 0;
	}
	return attach_clsact(h, prog_fd, tag);
}

/* Pinned as name where there are pins (taken over if an earlier daemon
 * left it), else as attach() does. */
static int attach_pinned(struct edge_loader *l, struct el_hook *h,
			 const struct bpf_program *prog, int ifindex,
			 bool ingress, const char *name)
{
	bool adopted = false;
	int fd;

	if (!l->pins.on)
		return attach(h, prog, ifindex, ingress, l->tag);
	fd = edge_pins_link(&l->pins, name, bpf_program__fd(prog), ifindex,
			    ingress, &adopted);
	if (fd < 0) /* no tcx: clsact, which does not outlive us */
		return attach(h, prog, ifindex, ingress, l->tag);
	h->ifindex = ifindex;
	h->ingress = ingress;
	h->link_fd = fd;
	h->pinned = true;
	l->adopted |= adopted;
	return 0;
}

static void detach(struct el_hook *h)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = h->ifindex,
			    .attach_point = h->ingress ? BPF_TC_INGRESS
						       : BPF_TC_EGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = h->handle,
			    .priority = h->priority);

	if (h->link_fd >= 0)
		close(h->link_fd);
	if (h->clsact)
		bpf_tc_detach(&hook, &opts);
	h->link_fd = -1;
	h->clsact = false;
	h->pinned = false;
	h->ifindex = 0;
}

static int sysctl_write(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/*
 * The TAP loses its carrier while no daemon holds it (a restart), and the
 * kernel then forgets its neighbours by default: the next frame would
 * wait for an ARP reply only a daemon can carry. Established flows go on
 * in the kernel, so the TAP keeps them (kernel 5.16; older: best effort).
 */
static void keep_neighbours(const char *tap)
{
	char path[128];

	snprintf(path, sizeof(path),
		 "/proc/sys/net/ipv4/conf/%s/arp_evict_nocarrier", tap);
	sysctl_write(path, "0");
	snprintf(path, sizeof(path),
		 "/proc/sys/net/ipv6/conf/%s/ndisc_evict_nocarrier", tap);
	sysctl_write(path, "0");
}

/* FNV-1a (32 bits) of a name. */
static uint32_t name_tag(const char *name)
{
	uint32_t h = 2166136261u;

	while (*name)
		h = (h ^ (uint8_t)*name++) * 16777619u;
	return h;
}

/* The veth pair the fast frames cross to be segmented and checksummed:
 * silent (no IPv6, so no router solicitations), down-to-earth offloads. */
static int seg_pair_create(struct edge_loader *l, unsigned int mtu, char *why,
			   size_t len)
{
	const char *ends[] = { l->seg_a, l->seg_b };
	char path[96];
	size_t i;
	int err;

	struct netlink_link a, b;

	/* Named after the TAP's name, not its ifindex: a TAP made anew gets
	 * a new ifindex, and the pair a killed daemon left must be found. */
	snprintf(l->seg_a, sizeof(l->seg_a), "nks%08xa", l->tag);
	snprintf(l->seg_b, sizeof(l->seg_b), "nks%08xb", l->tag);
	/* The pair a daemon that left the kernel path up carries frames on. */
	if (edge_pins_has(&l->pins, "link_tx") &&
	    !netlink_get_link(&l->nl, l->seg_a, &a) &&
	    !netlink_get_link(&l->nl, l->seg_b, &b) && a.up && b.up)
		return (a.mtu == mtu ||
			!netlink_set_mtu(&l->nl, l->seg_a, mtu)) &&
				       (b.mtu == mtu ||
					!netlink_set_mtu(&l->nl, l->seg_b, mtu))
			       ? 0
			       : why_fail(why, len, -EIO,
					  "setting the MTU of %s", l->seg_a);
	netlink_del_link(&l->nl, l->seg_a); /* a killed daemon's */
	err = netlink_add_veth(&l->nl, l->seg_a, l->seg_b, mtu);
	if (err)
		return why_fail(why, len, err, "creating veth %s/%s (%s)",
				l->seg_a, l->seg_b, netlink_last_error(&l->nl));
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path),
			 "/proc/sys/net/ipv6/conf/%s/disable_ipv6", ends[i]);
		sysctl_write(path, "1"); /* no IPv6 in the kernel: fine */
		err = netlink_set_up(&l->nl, ends[i], true);
		if (err)
			return why_fail(why, len, err, "bringing %s up",
					ends[i]);
	}
	err = ethtool_offloads_off(l->seg_a);
	return err ? why_fail(why, len, err, "turning offloads off on %s",
			      l->seg_a)
		   : 0;
}

static void conf_fill(struct edge_loader *l, const struct edge_loader_cfg *cfg,
		      int tap_ifindex, int seg_ifindex)
{
	struct n2nk_edge_conf *c = &l->conf;

	memset(c, 0, sizeof(*c));
	strncpy((char *)c->community, cfg->community, N2N_COMMUNITY_SIZE - 1);
	memcpy(c->mac, cfg->mac, N2N_MAC_SIZE);
	c->transform = cfg->transform;
	c->allow_routing = cfg->allow_routing;
	c->accept_multicast = cfg->accept_multicast;
	c->tos = cfg->tos;
	c->df = cfg->df;
	c->mss_ipv4 = cfg->mss_ipv4;
	c->mss_ipv6 = cfg->mss_ipv6;
	c->ip = htonl(cfg->ip);
	c->local_addr = l->bind.sin_addr.s_addr;
	c->local_port = htons(cfg->port);
	c->tap_ifindex = (__u32)tap_ifindex;
	c->tap_mtu = cfg->tap_mtu;
	c->seg_ifindex = (__u32)seg_ifindex;
	c->underlay_mtu = 0; /* nothing goes out before set_sn */
	if (cfg->key && cfg->transform == N2N_TRANSFORM_CHACHA20)
		memcpy(c->key, cfg->key, sizeof(c->key));
	if (cfg->key && cfg->transform == N2N_TRANSFORM_AES)
		crypto_generichash(c->key, sizeof(c->key), cfg->key,
				   cfg->key_len, NULL, 0);
}

/* Speck's round keys as daemon/proto/speck.c expands them. */
static int conf_speck(struct edge_loader *l, const struct edge_loader_cfg *cfg)
{
	struct speck_key k;

	if (cfg->transform != N2N_TRANSFORM_SPECK || !cfg->key)
		return 0;
	if (speck_setkey(&k, cfg->key, N2NK_EDGE_KEY_SIZE) ||
	    k.rounds != N2NK_SPECK_ROUNDS)
		return -EINVAL;
	memcpy(l->conf.speck.rk, k.rk, sizeof(l->conf.speck.rk));
	sodium_memzero(&k, sizeof(k));
	return 0;
}

/* Each CPU's IV sequence starts at a random 64-bit value (n2nk_edge.h). */
static int seed_iv_seq(struct edge_loader *l)
{
	int ncpu = libbpf_num_possible_cpus(), err = 0;
	__u32 zero = 0;
	__u64 *v;

	if (ncpu < 1)
		return ncpu ? ncpu : -EINVAL;
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	randombytes_buf(v, (size_t)ncpu * sizeof(*v));
	if (bpf_map__update_elem(l->skel->maps.iv_seq, &zero, sizeof(zero), v,
				 (size_t)ncpu * sizeof(*v), BPF_ANY))
		err = -errno;
	free(v);
	return err;
}

/* "...; PACKETs taken on IF": where the RX program runs now. */
static void where_rx(struct edge_loader *l, int ifindex)
{
	char name[IF_NAMESIZE] = "?";

	if_indextoname((unsigned int)ifindex, name);
	snprintf(l->where + l->where_base, sizeof(l->where) - l->where_base,
		 "; PACKETs taken on %s (ingress)", name);
}

/* The maps edge_pins.c pins, so a restart keeps their state. */
static void pinned_maps(struct edge_loader *l,
			struct bpf_map *maps[EDGE_PINS_MAPS])
{
	maps[0] = l->skel->maps.edge_conf;
	maps[1] = l->skel->maps.peers;
	maps[2] = l->skel->maps.peer_stats;
	maps[3] = l->skel->maps.iv_seq;
	maps[4] = l->skel->maps.tap_stats;
	maps[5] = l->skel->maps.tx_stats;
	maps[6] = l->skel->maps.rx_stats;
	maps[7] = l->skel->maps.daemon_state;
	maps[8] = l->skel->maps.edge_lease;
	maps[9] = l->skel->maps.he_stamps; /* -H's replay state */
	/* -A6's sessions: keys, windows, counters a restart goes on with. */
	maps[10] = l->skel->maps.a6_rx;
	maps[11] = l->skel->maps.a6_tx;
	maps[12] = l->skel->maps.a6_peer_tx;
}

/* a6_tx in our memory: the daemon takes counters from it as the programs
 * do (n2nk_session.h). */
static int a6_tx_map(struct edge_loader *l)
{
	const struct bpf_map *m = l->skel->maps.a6_tx;
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (size_t)bpf_map__max_entries(m) * bpf_map__value_size(m);
	void *mem;

	if (page <= 0)
		return -EINVAL;
	len = (len + (size_t)page - 1) & ~((size_t)page - 1);
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
		   bpf_map__fd(m), 0);
	if (mem == MAP_FAILED)
		return -errno;
	l->a6_tx_mem = mem;
	l->a6_tx_len = len;
	return 0;
}

int edge_loader_a6(struct edge_loader *l, struct edge_loader_a6 *out)
{
	out->rx_fd = bpf_map__fd(l->skel->maps.a6_rx);
	out->tx_fd = bpf_map__fd(l->skel->maps.a6_tx);
	out->peer_tx_fd = bpf_map__fd(l->skel->maps.a6_peer_tx);
	out->take_fd = bpf_program__fd(l->skel->progs.a6_take);
	out->tx_mem = l->a6_tx_mem;
	out->tx_slots = bpf_map__max_entries(l->skel->maps.a6_tx);
	return 0;
}

/* The peers map an earlier daemon left, when we cannot take them over (it
 * matched another UDP port): emptied, so no stale path stays in it. */
static void peers_clear(struct edge_loader *l)
{
	struct n2nk_edge_peer_key k;
	int fd = bpf_map__fd(l->skel->maps.peers), n = 0;

	while (!bpf_map_get_next_key(fd, NULL, &k) &&
	       n++ < (int)bpf_map__max_entries(l->skel->maps.peers))
		bpf_map_delete_elem(fd, &k);
}

/* The -H replay records an earlier daemon left, for another community
 * (or none we can tell): emptied. */
static void stamps_clear(struct edge_loader *l)
{
	struct n2nk_edge_peer_key k;
	int fd = bpf_map__fd(l->skel->maps.he_stamps), n = 0;

	if (!edge_pins_reused(&l->pins, 9))
		return;
	while (!bpf_map_get_next_key(fd, NULL, &k) &&
	       n++ < (int)bpf_map__max_entries(l->skel->maps.he_stamps))
		bpf_map_delete_elem(fd, &k);
}

/* Whether what the daemon before us left matches our socket. */

int edge_loader_handover_get(struct edge_loader *l,
			     struct n2nk_edge_daemon_state *out)
{
	__u32 zero = 0;

	/* The registration is the same edge's (community, MAC) even with
	 * another key: the supernode would refuse a new token until the old
	 * registration, which a leaving daemon keeps, expires. */
	if (!l->same_member || !edge_pins_reused(&l->pins, 7))
		return -ENOENT;
	return bpf_map__lookup_elem(l->skel->maps.daemon_state, &zero,
				    sizeof(zero), out, sizeof(*out), 0)
		       ? -errno
		       : 0;
}

/* -H: the community's header keys, as daemon/proto/header_crypt.c
 * expands them, for the programs (struct n2nk_he). */
static int he_keys_fill(struct edge_loader *l, const char *community)
{
	char name[N2N_COMMUNITY_SIZE] = { 0 };
	struct he_keys keys;
	int err;

	strncpy(name, community, sizeof(name) - 1);
	he_keys_from_community(&keys, name);
	err = he_kernel_keys(&l->he, &keys);
	sodium_memzero(&keys, sizeof(keys));
	return err;
}

/* -H: the supernode's last stamp (all-zero key) goes with it. */
static void he_forget_sn(struct edge_loader *l)
{
	struct n2nk_edge_peer_key k = { 0 };

	bpf_map__delete_elem(l->skel->maps.he_stamps, &k, sizeof(k), 0);
}

/* -H: he_conf with the UTC - TAI offset as of now; checked at every
 * lease refresh, rewritten only when the kernel's TAI offset changed (a
 * leap second, NTP setting it): the programs' clock, CLOCK_TAI, follows
 * the clock's steps by itself. */
static int he_conf_write(struct edge_loader *l)
{
	__s64 off = he_kernel_utc_offset_ns();
	__u32 zero = 0;

	if (!l->he.on || (l->he_written && l->he.utc_off_ns == off))
		return 0;
	l->he.utc_off_ns = off;
	l->he_written = true;
	return bpf_map__update_elem(l->skel->maps.he_conf, &zero, sizeof(zero),
				    &l->he, sizeof(l->he), BPF_ANY)
		       ? -errno
		       : 0;
}

int edge_loader_lease(struct edge_loader *l, unsigned int hold_s)
{
	struct timespec ts;
	__u64 until = 0;
	__u32 zero = 0;
	int err;

	/* Pinned, the programs outlive us: never without a limit, and
	 * never shorter than a refresh or two. */
	if (l->pins.on && hold_s < EL_LEASE_MIN_S)
		hold_s = EL_LEASE_MIN_S;
	if (hold_s) {
		clock_gettime(CLOCK_MONOTONIC, &ts); /* bpf_ktime_get_ns()'s */
		until = (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec +
			(__u64)hold_s * 1000000000ull;
	}
	err = bpf_map__update_elem(l->skel->maps.edge_lease, &zero,
				   sizeof(zero), &until, sizeof(until), BPF_ANY)
		      ? -errno
		      : 0;
	return err ? err : he_conf_write(l); /* the lease first */
}

int edge_loader_handover_set(struct edge_loader *l,
			     const struct n2nk_edge_daemon_state *st)
{
	__u32 zero = 0;

	return bpf_map__update_elem(l->skel->maps.daemon_state, &zero,
				    sizeof(zero), st, sizeof(*st), BPF_ANY)
		       ? -errno
		       : 0;
}

/* Opens, pins (where it can) and loads the programs; for -A3, first
 * whether the kernel can and should, before any pin of an earlier
 * daemon's is touched, then tc_edge_aes's TX and RX over our maps. */
static int load_programs(struct edge_loader *l,
			 const struct edge_loader_cfg *cfg, char *why,
			 size_t len)
{
	const struct edge_aes_cfg ac = { .key = cfg->key,
					 .key_len = cfg->key_len,
					 .need_fast = cfg->aes_need_fast };
	bool aes = cfg->transform == N2N_TRANSFORM_AES;
	struct bpf_map *maps[EDGE_PINS_MAPS];
	int err;

	if (aes && (err = edge_aes_probe(&ac, l->aes_driver,
					 sizeof(l->aes_driver), why, len)))
		return err;
	l->skel = tc_edge__open();
	if (!l->skel)
		return why_fail(why, len, -errno,
				"opening the edge's BPF programs");
	bpf_program__set_autoload(l->skel->progs.edge_tx, !aes);
	bpf_program__set_autoload(l->skel->progs.edge_rx, !aes);
	pinned_maps(l, maps);
	/* Pinned only to outlive us (--kernel-hold); else all goes with us,
	 * a crash included. */
	err = cfg->hold_s ? edge_pins_open(&l->pins, cfg->pin_root,
					   cfg->tap_name, maps)
			  : 0;
	if (err)
		return why_fail(why, len, err, "pinning the edge's maps");
	err = tc_edge__load(l->skel);
	if (err)
		return why_fail(why, len, err,
				"loading the edge's BPF programs");
	l->prog_tx = l->skel->progs.edge_tx;
	l->prog_rx = l->skel->progs.edge_rx;
	err = a6_tx_map(l);
	if (err)
		return why_fail(why, len, err, "mapping the -A6 counters");
	if (!aes)
		return 0;
	err = edge_aes_open(&l->aes, l->skel->obj, &ac, why, len);
	if (err)
		return err;
	l->prog_tx = edge_aes_tx(l->aes);
	l->prog_rx = edge_aes_rx(l->aes);
	return 0;
}

/* What the daemon before us had of the supernode, while we have none yet:
 * relayed frames keep going there until our first REGISTER_SUPER_ACK. */
/* Whether the lease an earlier daemon left still runs (its peers are
 * fresh enough to take over). */
static bool lease_running(struct edge_loader *l)
{
	struct timespec ts;
	__u64 until = 0;
	__u32 zero = 0;

	if (bpf_map__lookup_elem(l->skel->maps.edge_lease, &zero, sizeof(zero),
				 &until, sizeof(until), 0))
		return false;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return until &&
	       (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec < until;
}

static void conf_carry_over(struct edge_loader *l, uint16_t port)
{
	struct n2nk_edge_daemon_state st;
	struct n2nk_edge_conf old;
	__u32 zero = 0;

	if (!edge_pins_reused(&l->pins, 0) ||
	    bpf_map__lookup_elem(l->skel->maps.edge_conf, &zero, sizeof(zero),
				 &old, sizeof(old), 0)) {
		if (edge_pins_reused(&l->pins, 1))
			peers_clear(l);
		stamps_clear(l);
		return;
	}
	/* Its peers are ours only in the same community, as the same MAC,
	 * with the same transform and key. */
	l->same_member = !memcmp(old.community, l->conf.community,
				 sizeof(old.community)) &&
			 !memcmp(old.mac, l->conf.mac, sizeof(old.mac));
	/* The -H replay records hold for the community's senders, whatever
	 * the payload key: kept across a restart, so a PACKET the daemon
	 * before us took cannot be replayed to us. */
	if (!l->same_member)
		stamps_clear(l);
	l->same_identity =
		l->same_member && old.transform == l->conf.transform &&
		!sodium_memcmp(old.key, l->conf.key, sizeof(old.key)) &&
		!sodium_memcmp(&old.speck, &l->conf.speck, sizeof(old.speck));
	/* And only while its lease runs, from the port they matched. Else
	 * they go now, before the new conf and programs could use them. */
	l->peers_ok = l->same_identity && lease_running(l) &&
		      !bpf_map__lookup_elem(l->skel->maps.daemon_state, &zero,
					    sizeof(zero), &st, sizeof(st), 0) &&
		      st.local_port == port;
	if (!l->peers_ok)
		peers_clear(l);
	sodium_memzero(&st, sizeof(st));
	l->conf.sn_addr = old.sn_addr;
	l->conf.sn_port = old.sn_port;
	l->conf.sn_ifindex = old.sn_ifindex;
	l->conf.underlay_mtu = old.underlay_mtu;
	if (!l->conf.local_addr)
		l->conf.local_addr = old.local_addr;
	sodium_memzero(&old, sizeof(old));
}

static int load(struct edge_loader *l, const struct edge_loader_cfg *cfg,
		char *why, size_t len)
{
	struct netlink_link tap, seg;
	int err;

	err = load_programs(l, cfg, why, len);
	if (err)
		return err;
	err = netlink_open(&l->nl);
	if (err)
		return why_fail(why, len, err, "opening rtnetlink");
	l->nl_open = true;
	err = netlink_get_link(&l->nl, cfg->tap_name, &tap);
	if (err)
		return why_fail(why, len, err, "looking up %s", cfg->tap_name);
	l->tag = name_tag(cfg->tap_name);
	err = seg_pair_create(l, cfg->tap_mtu, why, len);
	if (err)
		return err;
	err = netlink_get_link(&l->nl, l->seg_a, &seg);
	if (err)
		return why_fail(why, len, err, "looking up %s", l->seg_a);
	conf_fill(l, cfg, tap.ifindex, seg.ifindex);
	err = conf_speck(l, cfg);
	if (!err && cfg->header_encryption)
		err = he_keys_fill(l, cfg->community);
	conf_carry_over(l, cfg->port); /* before the write: reads the old */
	if (!err)
		err = conf_write(l);
	/* A reused sequence goes on: no IV of this key repeats. */
	if (!err && !edge_pins_reused(&l->pins, 3))
		err = seed_iv_seq(l);
	if (!err) /* ours, before any link of ours runs */
		err = edge_loader_lease(l, cfg->hold_s);
	if (err)
		return why_fail(why, len, err, "filling the edge's BPF maps");
	err = netlink_get_link(&l->nl, l->seg_b, &seg);
	if (!err)
		err = attach_pinned(l, &l->tx, l->prog_tx, seg.ifindex, true,
				    "link_tx");
	if (err)
		return why_fail(why, len, err, "attaching TC to %s", l->seg_b);
	err = attach_pinned(l, &l->tap, l->skel->progs.edge_tap, tap.ifindex,
			    false, "link_tap");
	if (err)
		return why_fail(why, len, err, "attaching TC to %s",
				cfg->tap_name);
	if (l->pins.on)
		keep_neighbours(cfg->tap_name);
	snprintf(l->where, sizeof(l->where),
		 "TC on %s (egress, %s%s), through %s/%s%s%s", cfg->tap_name,
		 l->tap.link_fd >= 0 ? "tcx" : "clsact",
		 l->pins.on ? ", pinned" : "", l->seg_a, l->seg_b,
		 l->aes_driver[0] ? ", AES by " : "", l->aes_driver);
	l->where_base = strlen(l->where);
	/* The underlay's, where the daemon before us had it. */
	if (l->conf.sn_ifindex && edge_pins_has(&l->pins, "link_rx") &&
	    !attach_pinned(l, &l->rx, l->prog_rx, (int)l->conf.sn_ifindex, true,
			   "link_rx"))
		where_rx(l, (int)l->conf.sn_ifindex);
	/* Its peers too, if its programs matched the port we have; a map we
	 * reuse without taking them over must not keep them. */
	if (!l->peers_ok) {
		if (l->adopted && edge_pins_reused(&l->pins, 1))
			peers_clear(l); /* what came in since: not ours */
		l->adopted = false;
	}
	return 0;
}

int edge_loader_open(struct edge_loader **out,
		     const struct edge_loader_cfg *cfg, char *why, size_t len)
{
	struct edge_loader *l = calloc(1, sizeof(*l));
	int err;

	*out = NULL;
	why[0] = 0;
	if (!l)
		return why_fail(why, len, -ENOMEM, "edge kernel path");
	l->tap.link_fd = l->tx.link_fd = l->rx.link_fd = -1;
	if (cfg->bind.ss_family != AF_INET) {
		free(l);
		return why_fail(why, len, -EAFNOSUPPORT,
				"the kernel path is IPv4 for now");
	}
	memcpy(&l->bind, &cfg->bind, sizeof(l->bind));
	err = load(l, cfg, why, len);
	if (err) {
		edge_loader_close(l);
		return err;
	}
	*out = l;
	return 0;
}

void edge_loader_close(struct edge_loader *l)
{
	bool leave;

	if (!l)
		return;
	/* Leaving: the pinned links stay attached once their fds close. */
	leave = l->leave; /* edge_loader_leave() checked the pins */
	edge_pins_close(&l->pins, leave);
	detach(&l->tap);
	detach(&l->tx);
	detach(&l->rx);
	if (l->nl_open) {
		if (l->seg_a[0] && !leave)
			netlink_del_link(&l->nl, l->seg_a);
		netlink_close(&l->nl);
	}
	edge_aes_close(l->aes);
	if (l->a6_tx_mem)
		munmap(l->a6_tx_mem, l->a6_tx_len);
	tc_edge__destroy(l->skel);
	sodium_memzero(&l->conf, sizeof(l->conf));
	sodium_memzero(&l->he, sizeof(l->he));
	free(l);
}

const char *edge_loader_where(const struct edge_loader *l)
{
	return l->where;
}

bool edge_loader_leave(struct edge_loader *l)
{
	l->leave = l->pins.on && l->tap.pinned && l->tx.pinned &&
		   (!l->rx.ifindex || l->rx.pinned);
	return l->leave;
}

int edge_loader_give_pins(struct edge_loader *l, uid_t uid, gid_t gid)
{
	if (!l->pins.on)
		return 0;
	return lchown(l->pins.dir, uid, gid) ? -errno : 0;
}

bool edge_loader_pinned(const struct edge_loader *l)
{
	return l->pins.on && l->tap.pinned && l->tx.pinned;
}

bool edge_loader_adopted(const struct edge_loader *l)
{
	return l->adopted;
}

int edge_loader_peers_each(struct edge_loader *l,
			   void (*fn)(const uint8_t *mac,
				      const struct n2nk_edge_peer *p,
				      void *arg),
			   void *arg)
{
	struct n2nk_edge_peer_key k, next;
	struct n2nk_edge_peer v;
	int fd = bpf_map__fd(l->skel->maps.peers), n = 0;
	void *prev = NULL;

	while (!bpf_map_get_next_key(fd, prev, &next) &&
	       n < (int)bpf_map__max_entries(l->skel->maps.peers)) {
		k = next;
		prev = &k;
		if (bpf_map_lookup_elem(fd, &k, &v))
			continue;
		fn(k.mac, &v, arg);
		n++;
	}
	return n;
}

int edge_loader_left_state(const char *pin_root, const char *tap,
			   const uint8_t *mac, const char *community,
			   struct n2nk_edge_daemon_state *out)
{
	struct n2nk_edge_conf c;
	char name[N2N_COMMUNITY_SIZE] = "";
	int err;

	err = edge_pins_read(pin_root, tap, "edge_conf", &c, sizeof(c));
	if (!err) {
		memcpy(name, c.community, sizeof(name) - 1);
		err = memcmp(c.mac, mac, sizeof(c.mac)) ||
				      strcmp(name, community)
			      ? -ESRCH
			      : edge_pins_read(pin_root, tap, "daemon_state",
					       out, sizeof(*out));
	}
	sodium_memzero(&c, sizeof(c));
	return err;
}

int edge_loader_unload(const char *pin_root, const char *tap, char *why,
		       size_t len)
{
	struct netlink_ctx nl;
	char seg_a[IF_NAMESIZE];
	int pins = edge_pins_unload(pin_root, tap), err;

	why[0] = 0;
	if (pins == -EBUSY)
		return why_fail(why, len, pins, "an edge daemon runs on %s",
				tap);
	if (pins < 0 && pins != -ENOTSUP)
		return why_fail(why, len, pins, "removing the pins of %s", tap);
	snprintf(seg_a, sizeof(seg_a), "nks%08xa", name_tag(tap));
	err = netlink_open(&nl);
	if (!err) {
		netlink_del_link(&nl, seg_a); /* its peer goes with it */
		netlink_close(&nl);
	}
	return pins < 0 ? 0 : pins;
}

/*
 * Where a datagram of our socket to `to` goes, as the kernel routes it
 * (RTM_GETROUTE, from the bound address if any, so policy routing by
 * source counts): the interface it leaves by, its source address, and the
 * MTU: the route's or a path MTU the kernel learned, else the link's.
 */
static int route_of(struct edge_loader *l, const struct sockaddr_in *to,
		    struct in_addr *src, int *ifindex, unsigned int *mtu)
{
	struct netlink_route4 r;
	char name[IF_NAMESIZE];
	struct netlink_link link;
	int err;

	err = netlink_route_get4(&l->nl, to->sin_addr.s_addr,
				 l->bind.sin_addr.s_addr, &r);
	if (err)
		return err;
	/* Asked from a bound address, the kernel names no preferred one. */
	src->s_addr = r.src ? r.src : l->bind.sin_addr.s_addr;
	if (!src->s_addr)
		return -EADDRNOTAVAIL;
	*ifindex = r.oif;
	if (!if_indextoname((unsigned int)r.oif, name))
		return -errno;
	err = netlink_get_link(&l->nl, name, &link);
	if (err)
		return err;
	*mtu = r.mtu && r.mtu < link.mtu ? r.mtu : link.mtu;
	return 0;
}

int edge_loader_set_sn(struct edge_loader *l, const struct sockaddr_storage *sn,
		       char *why, size_t len)
{
	const struct sockaddr_in *to = (const void *)sn;
	struct in_addr src;
	unsigned int mtu = 0;
	char name[IF_NAMESIZE] = "?";
	int ifindex, err;

	why[0] = 0;
	if (sn->ss_family != AF_INET)
		return why_fail(why, len, -EAFNOSUPPORT, "supernode over IPv6");
	err = route_of(l, to, &src, &ifindex, &mtu);
	if (err)
		return why_fail(why, len, err,
				"finding the route to the supernode");
	if (l->bind.sin_addr.s_addr != htonl(INADDR_ANY) &&
	    l->bind.sin_addr.s_addr != src.s_addr)
		return why_fail(
			why, len, -EXDEV,
			"the route to the supernode leaves from another "
			"address than the one bound");
	if (l->rx.ifindex != ifindex) {
		detach(&l->rx);
		err = attach_pinned(l, &l->rx, l->prog_rx, ifindex, true,
				    "link_rx");
		if_indextoname((unsigned int)ifindex, name);
		if (err) {
			l->rx.ifindex = 0; /* the next call tries again */
			return why_fail(why, len, err, "attaching TC to %s",
					name);
		}
		where_rx(l, ifindex);
	}
	if (l->conf.local_addr == src.s_addr &&
	    l->conf.sn_addr == to->sin_addr.s_addr &&
	    l->conf.sn_port == to->sin_port &&
	    l->conf.sn_ifindex == (__u32)ifindex && l->conf.underlay_mtu == mtu)
		return 0; /* as the programs know it: no rewrite under them */
	if (l->conf.sn_addr != to->sin_addr.s_addr ||
	    l->conf.sn_port != to->sin_port)
		he_forget_sn(l); /* another supernode, another clock */
	l->conf.local_addr = src.s_addr;
	l->conf.sn_addr = to->sin_addr.s_addr;
	l->conf.sn_port = to->sin_port;
	l->conf.sn_ifindex = (__u32)ifindex;
	l->conf.underlay_mtu = mtu;
	err = conf_write(l);
	return err ? why_fail(why, len, err, "writing edge_conf") : 1;
}

int edge_loader_set_ip(struct edge_loader *l, uint32_t ip)
{
	l->conf.ip = htonl(ip);
	return conf_write(l);
}

static void peer_key(struct n2nk_edge_peer_key *k, const uint8_t *mac)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->mac, mac, N2N_MAC_SIZE);
}

/* A zeroed peer_stats entry for k, unless it has one (kept counts). */
static int stats_create(struct edge_loader *l,
			const struct n2nk_edge_peer_key *k)
{
	return bpf_map_zero_percpu(l->skel->maps.peer_stats, k);
}

static int peer_write(struct edge_loader *l, const uint8_t *mac,
		      const struct n2nk_edge_peer *v)
{
	struct n2nk_edge_peer_key k;
	struct n2nk_edge_peer old;
	struct n2nk_edge_peer nv = *v;
	int err;

	peer_key(&k, mac);
	err = stats_create(l, &k);
	if (err)
		return err;
	/* Keep the program's last direct RX time across path changes, and
	 * an entry that would not change (routes are re-read every ACK). */
	if (!bpf_map__lookup_elem(l->skel->maps.peers, &k, sizeof(k), &old,
				  sizeof(old), 0)) {
		nv.last_p2p_rx_ns = old.last_p2p_rx_ns;
		if (!memcmp(&nv, &old, sizeof(nv)))
			return 0;
	}
	if (bpf_map__update_elem(l->skel->maps.peers, &k, sizeof(k), &nv,
				 sizeof(nv), BPF_ANY))
		return -errno;
	return 0;
}

int edge_loader_peer_p2p(struct edge_loader *l, const uint8_t *mac,
			 const struct sockaddr_storage *sa)
{
	const struct sockaddr_in *in = (const void *)sa;
	struct n2nk_edge_peer v = { .path = N2NK_PATH_P2P };
	struct in_addr src;
	unsigned int mtu;
	int ifindex, err;

	if (sa->ss_family != AF_INET)
		return -EAFNOSUPPORT;
	err = route_of(l, in, &src, &ifindex, &mtu);
	if (err)
		return err;
	/* Our packets must leave as the daemon's socket's do, and the peer's
	 * arrive where edge_rx runs. */
	if (src.s_addr != l->conf.local_addr || ifindex != l->rx.ifindex)
		return -EXDEV;
	v.addr = in->sin_addr.s_addr;
	v.port = in->sin_port;
	v.ifindex = (__u32)ifindex;
	v.mtu = mtu;
	return peer_write(l, mac, &v);
}

int edge_loader_peer_relay(struct edge_loader *l, const uint8_t *mac)
{
	struct n2nk_edge_peer v = { .path = N2NK_PATH_RELAY };

	if (!l->conf.sn_addr)
		return -EHOSTUNREACH;
	return peer_write(l, mac, &v);
}

int edge_loader_peer_del(struct edge_loader *l, const uint8_t *mac)
{
	struct n2nk_edge_peer_key k;

	int err = 0;

	peer_key(&k, mac);
	bpf_map__delete_elem(l->skel->maps.peer_stats, &k, sizeof(k), 0);
	if (bpf_map__delete_elem(l->skel->maps.peers, &k, sizeof(k), 0) &&
	    errno != ENOENT)
		err = -errno;
	/* After the peer: no program can record a stamp for it now. */
	bpf_map__delete_elem(l->skel->maps.he_stamps, &k, sizeof(k), 0);
	return err;
}

int edge_stamps_seed(const struct bpf_map *m, const uint8_t *mac, uint64_t last)
{
	struct n2nk_edge_peer_key k = { 0 };
	__u64 cur;

	if (mac)
		peer_key(&k, mac);
	if (!bpf_map__lookup_elem(m, &k, sizeof(k), &cur, sizeof(cur), 0) &&
	    !he_kernel_seed_wins(cur, last))
		return 0; /* the kernel's is newer */
	return bpf_map__update_elem(m, &k, sizeof(k), &last, sizeof(last),
				    BPF_ANY)
		       ? -errno
		       : 0;
}

int edge_loader_stamp_seed(struct edge_loader *l, const uint8_t *mac,
			   uint64_t last)
{
	return l->he.on ? edge_stamps_seed(l->skel->maps.he_stamps, mac, last)
			: 0;
}

int edge_loader_peer_read(struct edge_loader *l, const uint8_t *mac,
			  struct edge_loader_peer_info *out)
{
	struct n2nk_edge_peer_key k;
	struct n2nk_edge_peer v;
	int err;

	memset(out, 0, sizeof(*out));
	peer_key(&k, mac);
	if (bpf_map__lookup_elem(l->skel->maps.peers, &k, sizeof(k), &v,
				 sizeof(v), 0))
		return -errno;
	out->last_p2p_rx_ns = v.last_p2p_rx_ns;
	err = bpf_map_sum_percpu(l->skel->maps.peer_stats, &k,
				 (uint64_t *)&out->stats,
				 sizeof(out->stats) / sizeof(uint64_t));
	return err == -ENOENT ? 0 : err;
}

int edge_loader_reasons(struct edge_loader *l, enum n2nk_layer layer,
			uint64_t count[N2NK_REASON_SLOTS])
{
	const struct bpf_map *m =
		layer == N2NK_LAYER_EDGE_TAP  ? l->skel->maps.tap_stats
		: layer == N2NK_LAYER_EDGE_TX ? l->skel->maps.tx_stats
					      : l->skel->maps.rx_stats;
	struct n2nk_xdp_counter sum;
	__u32 slot;
	int err;

	for (slot = 0; slot < N2NK_REASON_SLOTS; slot++) {
		err = bpf_map_sum_percpu(m, &slot, (uint64_t *)&sum, 2);
		if (err)
			return err;
		count[slot] = sum.packets;
	}
	return 0;
}

int edge_loader_map_info(const struct edge_loader *l, unsigned int i,
			 struct bpf_map_row *out)
{
	const struct bpf_map *maps[] = {
		l->skel->maps.edge_conf,    l->skel->maps.peers,
		l->skel->maps.peer_stats,   l->skel->maps.tap_stats,
		l->skel->maps.tx_stats,	    l->skel->maps.rx_stats,
		l->skel->maps.iv_seq,	    l->skel->maps.edge_lease,
		l->skel->maps.daemon_state, l->skel->maps.he_conf,
		l->skel->maps.he_stamps,    l->skel->maps.a6_rx,
		l->skel->maps.a6_tx,	    l->skel->maps.a6_peer_tx,
	};

	if (i >= sizeof(maps) / sizeof(maps[0]))
		return -ENOENT;
	bpf_map_row_fill(maps[i], NULL, out);
	return 0;
}
