// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loads the XDP supernode relay and attaches it with BPF links; the maps
 * are filled by xdp_relay_mirror.c. Links and maps are pinned (bpf_pin.h):
 * they outlive the daemon, so relayed traffic keeps flowing while it
 * restarts, and the next daemon takes them over.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_maps.h"
#include "bpf_pin.h"
#include "n2nk_relay.h"
#include "sysctl.h"
#include "xdp_features.h"
#include "xdp_relay_int.h"
#include "xdp_relay_loader.h"

/* Where pins go (--pin-root); NULL: BPF_PIN_ROOT. One per process. */
static const char *pin_root;

void xdp_relay_loader_pin_root(const char *root)
{
	pin_root = root && *root ? root : NULL;
}

int xrl_fail(struct xdp_relay_why *why, int err, const char *fmt, ...)
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

/* Where a's link is pinned: pin_dir/link-<interface>. */
static void link_path(const struct xdp_relay_loader *r,
		      const struct xrl_attach *a, char path[256])
{
	snprintf(path, 256, "%s/link-%s", r->pin_dir, a->name);
}

/* A link on a's interface: pinned (maybe the last daemon's) or not. */
static int link_one(struct xdp_relay_loader *r, const struct xrl_attach *a,
		    __u32 flags, bool *adopted)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = flags);
	int prog = bpf_program__fd(r->skel->progs.xdp_relay);
	char path[256];
	int fd;

	*adopted = false;
	if (r->pinned) {
		link_path(r, a, path);
		return bpf_pin_xdp_link(prog, a->ifindex, flags, path, adopted);
	}
	fd = bpf_link_create(prog, a->ifindex, BPF_XDP, &opts);
	return fd < 0 ? -errno : fd;
}

static int attach_one(struct xdp_relay_loader *r, struct xrl_attach *a,
		      struct xdp_relay_why *why)
{
	const char *ifname = a->name;
	LIBBPF_OPTS(bpf_link_create_opts, opts);
	bool native = r->mode == XDP_MODE_NATIVE ||
		      (r->mode == XDP_MODE_AUTO && !is_veth(ifname));
	size_t n = strlen(r->where);
	bool adopted = false;
	int fd = -1;

	if (native) {
		opts.flags = XDP_FLAGS_DRV_MODE;
		fd = link_one(r, a, opts.flags, &adopted);
		if (fd < 0 && r->mode == XDP_MODE_NATIVE)
			return xrl_fail(why, fd,
					"attaching XDP to %s in native mode",
					ifname);
	}
	if (fd < 0) {
		opts.flags = XDP_FLAGS_SKB_MODE;
		fd = link_one(r, a, opts.flags, &adopted);
	}
	if (fd < 0)
		return xrl_fail(why, fd, "attaching XDP to %s", ifname);
	a->link_fd = fd;
	a->native = opts.flags == XDP_FLAGS_DRV_MODE;
	a->pinned_new = r->pinned && !adopted;
	r->adopted_links += adopted;
	snprintf(r->where + n, sizeof(r->where) - n, "%s%s (%s)", n ? ", " : "",
		 ifname,
		 adopted ? "taken over from the previous daemon"
		 : opts.flags == XDP_FLAGS_DRV_MODE ? "native"
						    : "generic");
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
		return xrl_fail(why, -errno, "listing interfaces");
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
		if (r->n_addrs < N2NK_RELAY_MAX_LOCAL_ADDRS)
			r->addrs[r->n_addrs++] = a->sin_addr.s_addr;
		ifindex = (int)if_nametoindex(i->ifa_name);
		if (!ifindex || attached(r, ifindex))
			continue;
		if (r->n_ifs == XRL_MAX_IFS) {
			err = xrl_fail(why, -E2BIG, "more than %d interfaces",
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
		err = xrl_fail(why, -ENODEV, "no interface to attach XDP to");
	return err;
}

/* Bound to any: the IPv6 addresses of the interfaces we attach to are
 * ours too (local_addrs6), but for link-local ones: a frame to one goes
 * to the daemon, whose socket answers with the scope the relay's maps
 * have no room for. */
static void find_addrs6(struct xdp_relay_loader *r, struct in_addr bound)
{
	struct ifaddrs *ifa, *i;

	if (bound.s_addr != htonl(INADDR_ANY) || getifaddrs(&ifa) < 0)
		return;
	for (i = ifa; i; i = i->ifa_next) {
		const struct sockaddr_in6 *a = (void *)i->ifa_addr;

		if (!a || a->sin6_family != AF_INET6 ||
		    IN6_IS_ADDR_LINKLOCAL(&a->sin6_addr) ||
		    !attached(r, (int)if_nametoindex(i->ifa_name)) ||
		    r->n_addrs6 == N2NK_RELAY_MAX_LOCAL_ADDRS)
			continue;
		memcpy(r->addrs6[r->n_addrs6++].a, &a->sin6_addr, 16);
	}
	freeifaddrs(ifa);
}

/* bpf_fib_lookup() answers only for interfaces that forward IPv4. */
static bool ifs_forward(const struct xdp_relay_loader *r)
{
	char path[96];
	int i;

	for (i = 0; i < r->n_ifs; i++) {
		snprintf(path, sizeof(path),
			 "/proc/sys/net/ipv4/conf/%s/forwarding",
			 r->ifs[i].name);
		if (!sysctl_is_on(path))
			return false;
	}
	return true;
}

/*
 * Frames with a partial UDP checksum (include/n2nk_relay.h) come only
 * from senders on this host: through veth, tap and other virtual
 * devices, never from a NIC's wire. A real checksum looks partial once in
 * 65535 datagrams, so the check (which sends those to the daemon) is left
 * out where every interface is a device with hardware behind it.
 */
static bool ifs_physical(const struct xdp_relay_loader *r)
{
	char path[96];
	int i;

	for (i = 0; i < r->n_ifs; i++) {
		snprintf(path, sizeof(path), "/sys/class/net/%s/device",
			 r->ifs[i].name);
		if (access(path, F_OK))
			return false;
	}
	return true;
}

/* The same for IPv6 (bpf_ipv6_fib_lookup() checks the ingress
 * interface's IPv6 forwarding). */
static bool ifs_forward6(const struct xdp_relay_loader *r)
{
	char path[96];
	int i;

	for (i = 0; i < r->n_ifs; i++) {
		snprintf(path, sizeof(path),
			 "/proc/sys/net/ipv6/conf/%s/forwarding",
			 r->ifs[i].name);
		if (!sysctl_is_on(path))
			return false;
	}
	return true;
}

/*
 * "supernode-<address or any>-<port>": one directory per listener. bpffs
 * refuses a '.' in a name (EPERM), so the address is written 198_18_0_1.
 */
static int pin_dir_of(char *dir, size_t len,
		      const struct sockaddr_storage *bind, uint16_t port)
{
	const struct sockaddr_in *in = (const void *)bind;
	char addr[INET_ADDRSTRLEN] = "any", name[64], *dot;

	if (in->sin_addr.s_addr != htonl(INADDR_ANY))
		inet_ntop(AF_INET, &in->sin_addr, addr, sizeof(addr));
	while ((dot = strchr(addr, '.')))
		*dot = '_';
	snprintf(name, sizeof(name), "supernode-%s-%u", addr, port);
	return bpf_pin_dir(dir, len, pin_root, name);
}

/* The maps pin_maps() pins, in the order of map_fresh. */
static void pinned_maps(const struct xdp_relay_loader *r,
			struct bpf_map *maps[XRL_PINNED_MAPS])
{
	maps[0] = r->skel->maps.edges;
	maps[1] = r->skel->maps.senders;
	maps[2] = r->skel->maps.edge_stats;
	maps[3] = r->skel->maps.relay_stats;
	maps[4] = r->skel->maps.he_keys;
	maps[5] = r->skel->maps.he_stamps;
	maps[6] = r->skel->maps.relay_hops;
	maps[7] = r->skel->maps.egress_stats; /* relay_stats' slot 0 split */
	maps[8] = r->skel->maps.edges6;
	maps[9] = r->skel->maps.senders6;
	maps[10] = r->skel->maps.relay_hops6;
}

/*
 * Maps that hold relay state outlive the daemon, in its pin directory,
 * which it holds locked while it runs (a second daemon for the same
 * listener runs unpinned rather than take over a live relay). xsks is
 * not pinned: its sockets die with the daemon anyway.
 */
static int pin_maps(struct xdp_relay_loader *r,
		    const struct sockaddr_storage *bind, uint16_t port,
		    struct xdp_relay_why *why)
{
	struct bpf_map *maps[XRL_PINNED_MAPS];
	size_t i;
	int err;

	err = pin_dir_of(r->pin_dir, sizeof(r->pin_dir), bind, port);
	if (err == -ENOTSUP)
		return 0; /* no bpffs: works, but a restart starts afresh */
	if (err)
		return xrl_fail(why, err, "creating the pin directory under %s",
				pin_root ? pin_root : BPF_PIN_ROOT);
	r->lock_fd = bpf_pin_lock(r->pin_dir);
	if (r->lock_fd == -EBUSY) {
		r->pin_busy = true;
		return 0;
	}
	if (r->lock_fd < 0)
		return xrl_fail(why, r->lock_fd, "locking %s", r->pin_dir);
	r->pinned = true;
	pinned_maps(r, maps);
	for (i = 0; i < XRL_PINNED_MAPS && !err; i++)
		err = bpf_pin_map(maps[i], r->pin_dir, &r->map_fresh[i]);
	return err ? xrl_fail(why, err, "pinning maps in %s", r->pin_dir) : 0;
}

/*
 * A start that failed before any pinned link was taken over removes the
 * pins it made, and only those: what an earlier daemon pinned may be
 * relaying right now (its links stay attached while pinned), and the next
 * daemon can still take it over.
 */
static void unpin_ours(struct xdp_relay_loader *r)
{
	struct bpf_map *maps[XRL_PINNED_MAPS];
	char path[256];
	int i;

	pinned_maps(r, maps);
	for (i = 0; i < XRL_PINNED_MAPS; i++)
		if (r->map_fresh[i] && bpf_map__is_pinned(maps[i]))
			bpf_map__unpin(maps[i], NULL);
	for (i = 0; i < r->n_ifs; i++) {
		if (!r->ifs[i].pinned_new)
			continue;
		link_path(r, &r->ifs[i], path);
		unlink(path);
	}
	rmdir(r->pin_dir); /* only if that left it empty */
}

static void note_pins(struct xdp_relay_loader *r)
{
	size_t n = strlen(r->where);

	if (r->pin_busy) {
		snprintf(r->where + n, sizeof(r->where) - n,
			 "; not pinned (another supernode holds %s): a "
			 "restart detaches it",
			 r->pin_dir);
		return;
	}
	if (!r->pinned) {
		snprintf(r->where + n, sizeof(r->where) - n,
			 "; not pinned (%s is not in a bpffs): a restart "
			 "detaches it",
			 pin_root ? pin_root : BPF_PIN_ROOT);
		return;
	}
	snprintf(r->where + n, sizeof(r->where) - n,
		 "; pinned in %s, %u edge(s) kept from before", r->pin_dir,
		 bpf_map_count_keys(r->skel->maps.edges));
}

static void note_next_hop(struct xdp_relay_loader *r)
{
	size_t n = strlen(r->where);

	snprintf(r->where + n, sizeof(r->where) - n, "; next hop %s",
		 r->by_fib ? "from the FIB"
			   : "from the route and neighbour tables (IPv4 "
			     "forwarding off, so no FIB lookup)");
	n = strlen(r->where);
	snprintf(r->where + n, sizeof(r->where) - n, "; IPv6 next hop %s",
		 r->by_fib6 ? "from the FIB" : "from the tables");
}

/* The addresses the program treats as ours (the rest is transit). */
static int fill_local_addrs(struct xdp_relay_loader *r,
			    struct xdp_relay_why *why)
{
	__u8 one = 1;
	int i;

	for (i = 0; i < r->n_addrs; i++)
		if (bpf_map__update_elem(r->skel->maps.local_addrs,
					 &r->addrs[i], sizeof(r->addrs[i]),
					 &one, sizeof(one), BPF_ANY))
			return xrl_fail(why, -errno, "XDP relay: local_addrs");
	for (i = 0; i < r->n_addrs6; i++)
		if (bpf_map__update_elem(r->skel->maps.local_addrs6,
					 &r->addrs6[i], sizeof(r->addrs6[i]),
					 &one, sizeof(one), BPF_ANY))
			return xrl_fail(why, -errno, "XDP relay: local_addrs6");
	return 0;
}

static int attach_all(struct xdp_relay_loader *r, struct xdp_relay_why *why)
{
	int i, err = 0;

	for (i = 0; i < r->n_ifs && !err; i++)
		err = attach_one(r, &r->ifs[i], why);
	return err;
}

/*
 * May frames relayed from any of our interfaces be redirected to a? From
 * a generic (SKB) mode program the kernel sends a redirected frame
 * through the stack (dev_queue_xmit), which every device takes; from a
 * native one it calls a's ndo_xdp_xmit, which only a device announcing
 * ndo-xmit in its xdp_features has set up (a veth: while its peer runs
 * XDP or has GRO on; many NICs: while they run XDP themselves). Anything
 * else would lose the rewritten frame, so it is left to the daemon.
 */
static bool takes_redirects(const struct xdp_relay_loader *r,
			    const struct xrl_attach *a)
{
	uint64_t features = 0;
	bool any_native = false;
	int i;

	for (i = 0; i < r->n_ifs; i++)
		any_native |= r->ifs[i].native;
	if (!any_native)
		return true;
	return !xdp_features_get(a->ifindex, &features) &&
	       (features & XDP_FEATURE_NDO_XMIT);
}

/* a in egress_ifs or not, as want says; 0 or -errno. */
static int egress_set(struct xdp_relay_loader *r, struct xrl_attach *a,
		      bool want)
{
	struct bpf_map *m = r->skel->maps.egress_ifs;
	__u32 idx = (__u32)a->ifindex;
	int err;

	err = want ? bpf_map__update_elem(m, &idx, sizeof(idx), &idx,
					  sizeof(idx), BPF_ANY)
		   : bpf_map__delete_elem(m, &idx, sizeof(idx), 0);
	if (err && !(errno == ENOENT && !want))
		return -errno;
	a->egress = want;
	return 0;
}

/* egress_ifs (where redirects may go) and xsk_slots (each interface's
 * index is its slot in xsks, as xsk.c binds them). */
static int fill_ifs(struct xdp_relay_loader *r, struct xdp_relay_why *why)
{
	struct xrl_attach *a;
	__u32 idx, slot;
	int err;

	for (slot = 0; slot < (__u32)r->n_ifs; slot++) {
		a = &r->ifs[slot];
		idx = (__u32)a->ifindex;
		if (bpf_map__update_elem(r->skel->maps.xsk_slots, &idx,
					 sizeof(idx), &slot, sizeof(slot),
					 BPF_ANY))
			return xrl_fail(why, -errno, "XDP relay: xsk_slots");
		err = egress_set(r, a, r->n_ifs > 1 && takes_redirects(r, a));
		if (err)
			return xrl_fail(why, err, "XDP relay: egress_ifs %s",
					a->name);
	}
	return 0;
}

int xdp_relay_loader_egress_refresh(struct xdp_relay_loader *r, char *note,
				    size_t len, struct xdp_relay_why *why)
{
	size_t used = 0;
	bool want;
	int i, err;

	why->msg[0] = 0;
	note[0] = 0;
	for (i = 0; i < r->n_ifs && r->n_ifs > 1; i++) {
		want = takes_redirects(r, &r->ifs[i]);
		if (want == r->ifs[i].egress)
			continue;
		err = egress_set(r, &r->ifs[i], want);
		if (err)
			return xrl_fail(why, err, "XDP relay: egress_ifs %s",
					r->ifs[i].name);
		if (used < len)
			used += (size_t)snprintf(
				note + used, len - used, "%s%s %s",
				used ? "; " : "", r->ifs[i].name,
				want ? "takes redirected frames now"
				     : "no longer takes redirected frames (the "
				       "daemon relays what leaves by it)");
	}
	return 0;
}

/* "; redirects between eth0, eth1" when two or more take them. */
static void note_egress(struct xdp_relay_loader *r)
{
	size_t n = strlen(r->where);
	int i, k = 0;

	for (i = 0; i < r->n_ifs; i++)
		k += r->ifs[i].egress;
	if (k < 2)
		return;
	n += (size_t)snprintf(r->where + n, sizeof(r->where) - n,
			      "; redirects between");
	for (i = 0; i < r->n_ifs && n < sizeof(r->where); i++)
		if (r->ifs[i].egress)
			n += (size_t)snprintf(r->where + n,
					      sizeof(r->where) - n, " %s",
					      r->ifs[i].name);
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
		return xrl_fail(why, -EAFNOSUPPORT,
				"the XDP relay is IPv4 only");
	r = calloc(1, sizeof(*r));
	if (!r)
		return xrl_fail(why, -ENOMEM, "XDP relay");
	r->mode = mode;
	r->lock_fd = -1;
	err = find_ifs(r, in->sin_addr, why);
	if (err)
		goto err_free;
	find_addrs6(r, in->sin_addr);
	r->by_fib = ifs_forward(r);
	r->skel = xdp_relay__open();
	if (!r->skel) {
		err = xrl_fail(why, -errno, "opening the XDP relay program");
		goto err_free;
	}
	r->skel->rodata->sn_port = port;
	r->skel->rodata->next_hop = r->by_fib ? N2NK_RELAY_HOP_FIB
					      : N2NK_RELAY_HOP_MAP;
	r->by_fib6 = ifs_forward6(r);
	r->skel->rodata->next_hop6 = r->by_fib6 ? N2NK_RELAY_HOP_FIB
						: N2NK_RELAY_HOP_MAP;
	r->skel->rodata->partial_csum = !ifs_physical(r);
	err = pin_maps(r, bind, port, why);
	if (err)
		goto err_close;
	err = xdp_relay__load(r->skel);
	if (err) {
		err = xrl_fail(why, err, "loading the XDP relay program");
		goto err_close;
	}
	err = fill_local_addrs(r, why);
	if (!err && (!r->by_fib || !r->by_fib6))
		err = xrl_hops_open(r, why);
	if (!err)
		err = attach_all(r, why);
	if (!err)
		err = fill_ifs(r, why);
	if (err)
		goto err_close;
	note_egress(r);
	note_next_hop(r);
	note_pins(r);
	*out = r;
	return 0;

err_close:
	/* Nothing of ours relays yet: leave none of our pins behind. */
	if (r->pinned && !r->adopted_links)
		unpin_ours(r);
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
	/* Closing a link's last fd detaches the program, unless pinned. */
	for (i = 0; i < r->n_ifs; i++)
		if (r->ifs[i].link_fd >= 0)
			close(r->ifs[i].link_fd);
	xrl_hops_close(r);
	xrl_slots_close(r);
	xdp_relay__destroy(r->skel);
	if (r->lock_fd >= 0)
		close(r->lock_fd);
	free(r);
}

const char *xdp_relay_loader_where(const struct xdp_relay_loader *r)
{
	return r->where;
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

bool xdp_relay_loader_hw_only(const struct xdp_relay_loader *r)
{
	return !r->skel->rodata->partial_csum;
}

int xdp_relay_loader_map_info(const struct xdp_relay_loader *r, unsigned int i,
			      struct xdp_relay_map_info *out)
{
	const struct bpf_map *maps[] = {
		r->skel->maps.edges,	    r->skel->maps.senders,
		r->skel->maps.edge_stats,   r->skel->maps.relay_stats,
		r->skel->maps.xsks,	    r->skel->maps.local_addrs,
		r->skel->maps.he_keys,	    r->skel->maps.he_stamps,
		r->skel->maps.relay_hops,   r->skel->maps.egress_ifs,
		r->skel->maps.xsk_slots,    r->skel->maps.egress_stats,
		r->skel->maps.edges6,	    r->skel->maps.senders6,
		r->skel->maps.local_addrs6, r->skel->maps.relay_hops6
	};
	const struct bpf_map *m;
	enum bpf_map_type type;

	if (i >= sizeof(maps) / sizeof(maps[0]))
		return -ENOENT;
	m = maps[i];
	type = bpf_map__type(m);
	memset(out, 0, sizeof(*out));
	out->name = bpf_map__name(m);
	out->type = libbpf_bpf_map_type_str(type);
	out->max_entries = bpf_map__max_entries(m);
	out->entries = type == BPF_MAP_TYPE_HASH ||
				       type == BPF_MAP_TYPE_DEVMAP_HASH ||
				       type == BPF_MAP_TYPE_PERCPU_HASH ||
				       type == BPF_MAP_TYPE_LRU_HASH
			       ? bpf_map_count_keys(m)
			       : out->max_entries;
	out->key_size = bpf_map__key_size(m);
	out->value_size = bpf_map__value_size(m);
	out->pin_path = r->pinned ? bpf_map__pin_path(m) : NULL;
	return 0;
}

int xdp_relay_loader_unload(const struct sockaddr_storage *bind, uint16_t port,
			    char *dir, size_t len)
{
	int lock, ret, err = pin_dir_of(dir, len, bind, port);

	if (err)
		return err == -ENOTSUP ? 0 : err;
	lock = bpf_pin_lock(dir);
	if (lock < 0)
		return lock; /* -EBUSY: that supernode is running */
	ret = bpf_pin_remove(dir);
	close(lock);
	return ret;
}
