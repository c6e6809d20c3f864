// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loads the XDP supernode relay, attaches it with BPF links (so a daemon
 * that dies detaches it too) and keeps its maps in step with the registry.
 * Nothing is pinned: the maps live exactly as long as the daemon.
 */
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "n2nk_relay.h"
#include "skel/xdp_relay.skel.h"
#include "xdp_relay_loader.h"

#define XRL_MAX_IFS 16

struct xrl_attach {
	char name[IF_NAMESIZE];
	int ifindex;
	int link_fd;
};

struct xdp_relay_loader {
	struct xdp_relay *skel;
	struct xrl_attach ifs[XRL_MAX_IFS];
	int n_ifs;
	enum datapath_xdp_mode mode;
	bool by_fib; /* next hop from the FIB, else back the way it came */
	char where[256];
};

static int fail(struct xdp_relay_why *why, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct xdp_relay_why *why, int err, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why->msg, sizeof(why->msg), fmt, ap);
	va_end(ap);
	n = strlen(why->msg);
	snprintf(why->msg + n, sizeof(why->msg) - n, ": %s", strerror(-err));
	return err;
}

/*
 * XDP_TX on a veth in native mode only leaves if the peer runs an XDP
 * program too (else the frame is silently dropped), which the daemon cannot
 * arrange; generic (SKB) mode transmits through the stack and always works.
 */
static bool is_veth(const char *ifname)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool veth = false;

	if (fd < 0)
		return false;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)&info;
	if (!ioctl(fd, SIOCETHTOOL, &ifr))
		veth = !strcmp(info.driver, "veth");
	close(fd);
	return veth;
}

static int attach_one(struct xdp_relay_loader *r, struct xrl_attach *a,
		      struct xdp_relay_why *why)
{
	const char *ifname = a->name;
	int ifindex = a->ifindex;
	LIBBPF_OPTS(bpf_link_create_opts, opts);
	int prog = bpf_program__fd(r->skel->progs.xdp_relay);
	bool native = r->mode == XDP_MODE_NATIVE ||
		      (r->mode == XDP_MODE_AUTO && !is_veth(ifname));
	size_t n = strlen(r->where);
	int fd = -1;

	if (native) {
		opts.flags = XDP_FLAGS_DRV_MODE;
		fd = bpf_link_create(prog, ifindex, BPF_XDP, &opts);
		if (fd < 0 && r->mode == XDP_MODE_NATIVE)
			return fail(why, -errno,
				    "attaching XDP to %s in native mode",
				    ifname);
	}
	if (fd < 0) {
		opts.flags = XDP_FLAGS_SKB_MODE;
		fd = bpf_link_create(prog, ifindex, BPF_XDP, &opts);
	}
	if (fd < 0)
		return fail(why, -errno, "attaching XDP to %s", ifname);
	a->link_fd = fd;
	snprintf(r->where + n, sizeof(r->where) - n, "%s%s (%s)", n ? ", " : "",
		 ifname,
		 opts.flags == XDP_FLAGS_DRV_MODE ? "native" : "generic");
	return 0;
}

static bool attached(const struct xdp_relay_loader *r, int ifindex)
{
	int i;

	for (i = 0; i < r->n_ifs; i++)
		if (r->ifs[i].ifindex == ifindex)
			return true;
	return false;
}

/* The interfaces owning the bound address, or all up non-loopback ones
 * with an IPv4 address when bound to any. */
static int find_ifs(struct xdp_relay_loader *r, struct in_addr bound,
		    struct xdp_relay_why *why)
{
	struct ifaddrs *ifa, *i;
	int err = 0;

	if (getifaddrs(&ifa) < 0)
		return fail(why, -errno, "listing interfaces");
	for (i = ifa; i && !err; i = i->ifa_next) {
		const struct sockaddr_in *a = (void *)i->ifa_addr;
		int ifindex;

		if (!a || a->sin_family != AF_INET)
			continue;
		if (bound.s_addr != htonl(INADDR_ANY)
			    ? a->sin_addr.s_addr != bound.s_addr
			    : !(i->ifa_flags & IFF_UP) ||
				      (i->ifa_flags & IFF_LOOPBACK))
			continue;
		ifindex = (int)if_nametoindex(i->ifa_name);
		if (!ifindex || attached(r, ifindex))
			continue;
		if (r->n_ifs == XRL_MAX_IFS) {
			err = fail(why, -E2BIG, "more than %d interfaces",
				   XRL_MAX_IFS);
			break;
		}
		snprintf(r->ifs[r->n_ifs].name, IF_NAMESIZE, "%s", i->ifa_name);
		r->ifs[r->n_ifs].ifindex = ifindex;
		r->ifs[r->n_ifs].link_fd = -1;
		r->n_ifs++;
	}
	freeifaddrs(ifa);
	if (!err && !r->n_ifs)
		err = fail(why, -ENODEV, "no interface to attach XDP to");
	return err;
}

/* bpf_fib_lookup() answers only for interfaces that forward IPv4. */
static bool ifs_forward(const struct xdp_relay_loader *r)
{
	char path[96], v = '0';
	int i, fd;

	for (i = 0; i < r->n_ifs; i++) {
		snprintf(path, sizeof(path),
			 "/proc/sys/net/ipv4/conf/%s/forwarding",
			 r->ifs[i].name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return false;
		if (read(fd, &v, 1) != 1)
			v = '0';
		close(fd);
		if (v != '1')
			return false;
	}
	return true;
}

static void note_next_hop(struct xdp_relay_loader *r)
{
	size_t n = strlen(r->where);

	snprintf(r->where + n, sizeof(r->where) - n, "; next hop %s",
		 r->by_fib ? "from the FIB"
			   : "= the sender's (IPv4 forwarding off, so no FIB "
			     "lookup: the host must reach every edge through "
			     "one router)");
}

static int attach_all(struct xdp_relay_loader *r, struct xdp_relay_why *why)
{
	int i, err = 0;

	for (i = 0; i < r->n_ifs && !err; i++)
		err = attach_one(r, &r->ifs[i], why);
	return err;
}

int xdp_relay_loader_open(struct xdp_relay_loader **out,
			  const struct sockaddr_storage *bind, uint16_t port,
			  enum datapath_xdp_mode mode,
			  struct xdp_relay_why *why)
{
	const struct sockaddr_in *in = (const void *)bind;
	struct xdp_relay_loader *r;
	int err;

	why->msg[0] = 0;
	if (bind->ss_family != AF_INET)
		return fail(why, -EAFNOSUPPORT, "the XDP relay is IPv4 only");
	r = calloc(1, sizeof(*r));
	if (!r)
		return fail(why, -ENOMEM, "XDP relay");
	r->mode = mode;
	err = find_ifs(r, in->sin_addr, why);
	if (err)
		goto err_free;
	r->by_fib = ifs_forward(r);
	r->skel = xdp_relay__open();
	if (!r->skel) {
		err = fail(why, -errno, "opening the XDP relay program");
		goto err_free;
	}
	r->skel->rodata->sn_port = port;
	r->skel->rodata->next_hop_by_fib = r->by_fib;
	err = xdp_relay__load(r->skel);
	if (err) {
		err = fail(why, err, "loading the XDP relay program");
		goto err_close;
	}
	err = attach_all(r, why);
	if (err)
		goto err_close;
	note_next_hop(r);
	*out = r;
	return 0;

err_close:
	xdp_relay_loader_close(r);
	return err;
err_free:
	free(r);
	return err;
}

void xdp_relay_loader_close(struct xdp_relay_loader *r)
{
	int i;

	if (!r)
		return;
	/* Closing a link's last fd detaches the program. */
	for (i = 0; i < r->n_ifs; i++)
		if (r->ifs[i].link_fd >= 0)
			close(r->ifs[i].link_fd);
	xdp_relay__destroy(r->skel);
	free(r);
}

const char *xdp_relay_loader_where(const struct xdp_relay_loader *r)
{
	return r->where;
}

bool xdp_relay_loader_by_fib(const struct xdp_relay_loader *r)
{
	return r->by_fib;
}

int xdp_relay_loader_ifindexes(const struct xdp_relay_loader *r, int *out,
			       int max)
{
	int i;

	for (i = 0; i < r->n_ifs && i < max; i++)
		out[i] = r->ifs[i].ifindex;
	return r->n_ifs;
}

int xdp_relay_loader_xsks_fd(const struct xdp_relay_loader *r)
{
	return bpf_map__fd(r->skel->maps.xsks);
}

static int edge_key(struct n2nk_relay_edge *k, const char *community,
		    const uint8_t *mac)
{
	size_t n = strnlen(community, N2N_COMMUNITY_SIZE);

	memset(k, 0, sizeof(*k));
	if (n == N2N_COMMUNITY_SIZE)
		return -ENAMETOOLONG;
	memcpy(k->community, community, n);
	memcpy(k->mac, mac, N2N_MAC_SIZE);
	return 0;
}

/* Removes senders[s] only if it still names edge k. */
static int drop_sender(struct xdp_relay_loader *r,
		       const struct n2nk_relay_sock4 *s,
		       const struct n2nk_relay_edge *k)
{
	struct bpf_map *senders = r->skel->maps.senders;
	struct n2nk_relay_edge cur;

	if (bpf_map__lookup_elem(senders, s, sizeof(*s), &cur, sizeof(cur),
				 0) ||
	    memcmp(&cur, k, sizeof(cur)))
		return 0;
	if (bpf_map__delete_elem(senders, s, sizeof(*s), 0) && errno != ENOENT)
		return -errno;
	return 0;
}

int xdp_relay_loader_edge_set(struct xdp_relay_loader *r, const char *community,
			      const uint8_t *mac,
			      const struct sockaddr_storage *sa,
			      struct xdp_relay_why *why)
{
	const struct sockaddr_in *in = (const void *)sa;
	struct n2nk_relay_sock4 s = { 0 }, old;
	struct bpf_map *edges = r->skel->maps.edges;
	struct n2nk_relay_edge k;
	int err;

	why->msg[0] = 0;
	if (sa->ss_family != AF_INET)
		return fail(why, -EAFNOSUPPORT, "XDP relay edge");
	err = edge_key(&k, community, mac);
	if (err)
		return fail(why, err, "XDP relay edge");
	s.addr = in->sin_addr.s_addr;
	s.port = in->sin_port;
	if (!bpf_map__lookup_elem(edges, &k, sizeof(k), &old, sizeof(old), 0) &&
	    memcmp(&old, &s, sizeof(s))) {
		err = drop_sender(r, &old, &k);
		if (err)
			return fail(why, err, "XDP relay: old senders entry");
	}
	if (bpf_map__update_elem(edges, &k, sizeof(k), &s, sizeof(s), BPF_ANY))
		return fail(why, -errno, "XDP relay: updating edges");
	if (bpf_map__update_elem(r->skel->maps.senders, &s, sizeof(s), &k,
				 sizeof(k), BPF_ANY)) {
		err = -errno;
		bpf_map__delete_elem(edges, &k, sizeof(k), 0);
		return fail(why, err, "XDP relay: updating senders");
	}
	return 0;
}

int xdp_relay_loader_edge_del(struct xdp_relay_loader *r, const char *community,
			      const uint8_t *mac, struct xdp_relay_why *why)
{
	struct bpf_map *edges = r->skel->maps.edges;
	struct n2nk_relay_sock4 old;
	struct n2nk_relay_edge k;
	int err;

	why->msg[0] = 0;
	err = edge_key(&k, community, mac);
	if (err)
		return fail(why, err, "XDP relay edge");
	if (bpf_map__lookup_elem(edges, &k, sizeof(k), &old, sizeof(old), 0))
		return 0; /* never mirrored (IPv6, -H) or already gone */
	err = drop_sender(r, &old, &k);
	if (!err && bpf_map__delete_elem(edges, &k, sizeof(k), 0) &&
	    errno != ENOENT)
		err = -errno;
	return err ? fail(why, err, "XDP relay: deleting an edge") : 0;
}

int xdp_relay_loader_relayed(struct xdp_relay_loader *r, uint64_t *packets,
			     struct xdp_relay_why *why)
{
	__u32 slot = n2nk_relay_reason_slot(N2NK_RELAY_RELAYED);
	struct n2nk_xdp_counter *cnt;
	int ncpu = libbpf_num_possible_cpus();
	int i, err = 0;

	why->msg[0] = 0;
	if (ncpu < 1)
		return fail(why, ncpu ? ncpu : -EINVAL, "counting CPUs");
	cnt = calloc((size_t)ncpu, sizeof(*cnt));
	if (!cnt)
		return fail(why, -ENOMEM, "XDP relay counters");
	if (bpf_map__lookup_elem(r->skel->maps.relay_stats, &slot, sizeof(slot),
				 cnt, (size_t)ncpu * sizeof(*cnt), 0)) {
		err = fail(why, -errno, "reading relay_stats");
	} else {
		*packets = 0;
		for (i = 0; i < ncpu; i++)
			*packets += cnt[i].packets;
	}
	free(cnt);
	return err;
}
