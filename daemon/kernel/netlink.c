// SPDX-License-Identifier: GPL-2.0-only
/*
 * rtnetlink through libnl-route-3: the only file that talks to libnl. Links
 * are looked up by name on every call (no caches to go stale), and failures
 * keep the kernel's own errno, which libnl's NLE_* codes would blur.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>

#include "common/compiler.h"
#include "common/mac.h"
#include "netlink.h"

/* For failures libnl detects itself, without a kernel errno. */
static int errno_of_nle(int nle)
{
	switch (nle) {
	case NLE_INTR:
		return EINTR;
	case NLE_BAD_SOCK:
		return EBADF;
	case NLE_AGAIN:
	case NLE_DUMP_INTR:
		return EAGAIN;
	case NLE_NOMEM:
		return ENOMEM;
	case NLE_EXIST:
		return EEXIST;
	case NLE_INVAL:
	case NLE_MISSING_ATTR:
	case NLE_AF_MISMATCH:
		return EINVAL;
	case NLE_RANGE:
		return ERANGE;
	case NLE_MSGSIZE:
		return EMSGSIZE;
	case NLE_OPNOTSUPP:
	case NLE_MSGTYPE_NOSUPPORT:
		return EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:
		return EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:
		return ENOENT;
	case NLE_NOADDR:
		return EADDRNOTAVAIL;
	case NLE_BUSY:
		return EBUSY;
	case NLE_NOACCESS:
		return EACCES;
	case NLE_PERM:
		return EPERM;
	case NLE_NODEV:
		return ENODEV;
	default:
		return EIO;
	}
}

/* Every public call starts here, so no error of an earlier call lingers. */
static void begin(struct netlink_ctx *ctx)
{
	ctx->kernel_err = 0;
	ctx->kernel_msg[0] = '\0';
}

/* A libnl return value as 0 or -errno, preferring the kernel's errno. */
static int finish(struct netlink_ctx *ctx, int nl_ret)
{
	if (nl_ret >= 0)
		return 0;
	ctx->nl_err = -nl_ret;
	return ctx->kernel_err ? ctx->kernel_err : -errno_of_nle(-nl_ret);
}

/*
 * The kernel's reason in words (NETLINK_EXT_ACK), found in the attributes
 * after the error. libnl passes only the nlmsgerr, which is the payload of
 * the message whose header sits right before it.
 */
static void save_ext_ack(struct netlink_ctx *ctx, const struct nlmsgerr *e)
{
	const struct nlmsghdr *hdr =
		(const void *)((const char *)e - NLMSG_HDRLEN);
	size_t off = NLMSG_HDRLEN + sizeof(*e);
	const struct nlattr *msg;

	if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len > NLMSG_HDRLEN)
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	off = NLMSG_ALIGN(off);
	if (off >= hdr->nlmsg_len)
		return;
	msg = nla_find((const struct nlattr *)((const char *)hdr + off),
		       (int)(hdr->nlmsg_len - off), NLMSGERR_ATTR_MSG);
	if (msg)
		nla_strlcpy(ctx->kernel_msg, msg, sizeof(ctx->kernel_msg));
}

static int on_kernel_error(struct sockaddr_nl *who __maybe_unused,
			   struct nlmsgerr *e, void *arg)
{
	struct netlink_ctx *ctx = arg;

	ctx->kernel_err = e->error;
	save_ext_ack(ctx, e);
	return NL_STOP; /* libnl then fails the call with its NLE_* code */
}

int netlink_open(struct netlink_ctx *ctx)
{
	int one = 1, fd, err;

	memset(ctx, 0, sizeof(*ctx));
	ctx->sock = nl_socket_alloc();
	if (!ctx->sock)
		return finish(ctx, -NLE_NOMEM);
	err = finish(ctx, nl_connect(ctx->sock, NETLINK_ROUTE));
	if (err) {
		nl_socket_free(ctx->sock);
		ctx->sock = NULL;
		return err;
	}
	/* Best effort: older kernels just give no text and echo the request. */
	fd = nl_socket_get_fd(ctx->sock);
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* ctx is the callback's argument, so it must not move while open. */
	nl_socket_modify_err_cb(ctx->sock, NL_CB_CUSTOM, on_kernel_error, ctx);
	return 0;
}

void netlink_close(struct netlink_ctx *ctx)
{
	if (ctx->sock)
		nl_socket_free(ctx->sock); /* closes the socket too */
	ctx->sock = NULL;
}

const char *netlink_last_error(struct netlink_ctx *ctx)
{
	snprintf(ctx->last_error, sizeof(ctx->last_error), "%s%s%s",
		 nl_geterror(ctx->nl_err), ctx->kernel_msg[0] ? ": " : "",
		 ctx->kernel_msg);
	return ctx->last_error;
}

/* The link as the kernel has it now; the caller puts it. */
static int get_link(struct netlink_ctx *ctx, const char *ifname,
		    struct rtnl_link **link)
{
	return finish(ctx, rtnl_link_get_kernel(ctx->sock, 0, ifname, link));
}

static int get_ifindex(struct netlink_ctx *ctx, const char *ifname,
		       int *ifindex)
{
	struct rtnl_link *link;
	int err = get_link(ctx, ifname, &link);

	if (err)
		return err;
	*ifindex = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return 0;
}

int netlink_get_link(struct netlink_ctx *ctx, const char *ifname,
		     struct netlink_link *out)
{
	struct rtnl_link *link;
	struct nl_addr *lladdr;
	int err;

	begin(ctx);
	err = get_link(ctx, ifname, &link);
	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	out->ifindex = rtnl_link_get_ifindex(link);
	out->mtu = rtnl_link_get_mtu(link);
	out->up = rtnl_link_get_flags(link) & IFF_UP;
	lladdr = rtnl_link_get_addr(link);
	if (lladdr && nl_addr_get_len(lladdr) == sizeof(out->mac))
		memcpy(out->mac, nl_addr_get_binary_addr(lladdr),
		       sizeof(out->mac));
	rtnl_link_put(link);
	return 0;
}

/* Applies the attributes set in change to the link called ifname. */
static int change_link(struct netlink_ctx *ctx, const char *ifname,
		       struct rtnl_link *change)
{
	struct rtnl_link *orig;
	int err = get_link(ctx, ifname, &orig);

	if (err)
		return err;
	err = finish(ctx, rtnl_link_change(ctx->sock, orig, change, 0));
	rtnl_link_put(orig);
	return err;
}

int netlink_set_mac(struct netlink_ctx *ctx, const char *ifname,
		    const uint8_t mac[MAC_SIZE])
{
	struct rtnl_link *change = rtnl_link_alloc();
	struct nl_addr *lladdr = nl_addr_build(AF_LLC, mac, MAC_SIZE);
	int err = -ENOMEM;

	begin(ctx);
	if (change && lladdr) {
		rtnl_link_set_addr(change, lladdr); /* takes its own ref */
		err = change_link(ctx, ifname, change);
	} else {
		finish(ctx, -NLE_NOMEM);
	}
	nl_addr_put(lladdr);
	rtnl_link_put(change);
	return err;
}

int netlink_set_mtu(struct netlink_ctx *ctx, const char *ifname,
		    unsigned int mtu)
{
	struct rtnl_link *change = rtnl_link_alloc();
	int err;

	begin(ctx);
	if (!change)
		return finish(ctx, -NLE_NOMEM);
	rtnl_link_set_mtu(change, mtu);
	err = change_link(ctx, ifname, change);
	rtnl_link_put(change);
	return err;
}

int netlink_set_up(struct netlink_ctx *ctx, const char *ifname, bool up)
{
	struct rtnl_link *change = rtnl_link_alloc();
	int err;

	begin(ctx);
	if (!change)
		return finish(ctx, -NLE_NOMEM);
	/* Both mark IFF_UP in the change mask, so only that flag moves. */
	if (up)
		rtnl_link_set_flags(change, IFF_UP);
	else
		rtnl_link_unset_flags(change, IFF_UP);
	err = change_link(ctx, ifname, change);
	rtnl_link_put(change);
	return err;
}

/* An AF_INET nl_addr from a host-order address; the caller puts it. */
int netlink_add_veth(struct netlink_ctx *ctx, const char *name,
		     const char *peer, unsigned int mtu)
{
	struct rtnl_link *link = rtnl_link_veth_alloc(), *other;
	int err;

	begin(ctx);
	if (!link)
		return finish(ctx, -NLE_NOMEM);
	other = rtnl_link_veth_get_peer(link);
	rtnl_link_set_name(link, name);
	rtnl_link_set_mtu(link, mtu);
	rtnl_link_set_name(other, peer);
	rtnl_link_set_mtu(other, mtu);
	err = finish(ctx,
		     rtnl_link_add(ctx->sock, link, NLM_F_CREATE | NLM_F_EXCL));
	rtnl_link_put(other);
	rtnl_link_veth_release(link);
	return err;
}

int netlink_del_link(struct netlink_ctx *ctx, const char *ifname)
{
	struct rtnl_link *link;
	int err;

	begin(ctx);
	err = get_link(ctx, ifname, &link);
	if (err)
		return err;
	err = finish(ctx, rtnl_link_delete(ctx->sock, link));
	rtnl_link_put(link);
	return err;
}

static struct nl_addr *ipv4_nl_addr(uint32_t addr, uint8_t prefix)
{
	uint32_t be = htonl(addr);
	struct nl_addr *a = nl_addr_build(AF_INET, &be, sizeof(be));

	if (a)
		nl_addr_set_prefixlen(a, prefix);
	return a;
}

/* addr/prefix on ifname, as both add and delete send it. */
static int build_addr4(struct netlink_ctx *ctx, const char *ifname,
		       uint32_t addr, uint8_t prefix, struct rtnl_addr **out)
{
	struct rtnl_addr *ra;
	struct nl_addr *local;
	int ifindex, err;

	if (prefix > 32)
		return finish(ctx, -NLE_INVAL);
	err = get_ifindex(ctx, ifname, &ifindex);
	if (err)
		return err;
	ra = rtnl_addr_alloc();
	local = ipv4_nl_addr(addr, prefix);
	err = ra && local ? 0 : -NLE_NOMEM;
	if (!err) {
		rtnl_addr_set_ifindex(ra, ifindex);
		rtnl_addr_set_family(ra, AF_INET);
		err = rtnl_addr_set_local(ra, local);
	}
	/* set_local takes the prefix from local; say it outright anyway */
	if (!err)
		rtnl_addr_set_prefixlen(ra, prefix);
	nl_addr_put(local);
	if (err) {
		rtnl_addr_put(ra);
		return finish(ctx, err);
	}
	*out = ra;
	return 0;
}

int netlink_add_addr4(struct netlink_ctx *ctx, const char *ifname,
		      uint32_t addr, uint8_t prefix)
{
	struct rtnl_addr *ra;
	struct nl_addr *brd = NULL;
	int err;

	begin(ctx);
	err = build_addr4(ctx, ifname, addr, prefix, &ra);
	if (err)
		return err;
	/* /31 and /32 have no broadcast address (RFC 3021). */
	if (prefix < 31) {
		brd = ipv4_nl_addr(addr | (0xffffffffu >> prefix), 32);
		err = brd ? rtnl_addr_set_broadcast(ra, brd) : -NLE_NOMEM;
		err = finish(ctx, err);
	}
	if (!err)
		err = finish(ctx, rtnl_addr_add(ctx->sock, ra, 0));
	/* The same address and prefix on this link: already configured. */
	if (err == -EEXIST)
		err = 0;
	nl_addr_put(brd);
	rtnl_addr_put(ra);
	return err;
}

int netlink_del_addr4(struct netlink_ctx *ctx, const char *ifname,
		      uint32_t addr, uint8_t prefix)
{
	struct rtnl_addr *ra;
	int err;

	begin(ctx);
	err = build_addr4(ctx, ifname, addr, prefix, &ra);
	if (err)
		return err;
	err = finish(ctx, rtnl_addr_delete(ctx->sock, ra, 0));
	rtnl_addr_put(ra);
	return err;
}

/* A nexthop out of ifindex, via gateway unless it is 0. */
static int add_nexthop(struct rtnl_route *route, int ifindex, uint32_t gateway)
{
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *gw = NULL;

	if (!nh)
		return -NLE_NOMEM;
	rtnl_route_nh_set_ifindex(nh, ifindex);
	if (gateway) {
		gw = ipv4_nl_addr(gateway, 32);
		if (!gw) {
			rtnl_route_nh_free(nh);
			return -NLE_NOMEM;
		}
		rtnl_route_nh_set_gateway(nh, gw); /* takes its own ref */
		nl_addr_put(gw);
	}
	rtnl_route_add_nexthop(route, nh); /* the route owns nh now */
	return 0;
}

/* dst/prefix in the main table via gateway on ifname. */
static int build_route4(struct netlink_ctx *ctx, const char *ifname,
			uint32_t dst, uint8_t prefix, uint32_t gateway,
			struct rtnl_route **out)
{
	struct rtnl_route *route;
	struct nl_addr *to;
	int ifindex, err;

	if (prefix > 32)
		return finish(ctx, -NLE_INVAL);
	err = get_ifindex(ctx, ifname, &ifindex);
	if (err)
		return err;
	route = rtnl_route_alloc();
	to = ipv4_nl_addr(dst, prefix);
	err = route && to ? 0 : -NLE_NOMEM;
	if (!err) {
		rtnl_route_set_family(route, AF_INET);
		rtnl_route_set_table(route, RT_TABLE_MAIN);
		rtnl_route_set_type(route, RTN_UNICAST);
		err = rtnl_route_set_dst(route, to);
	}
	if (!err)
		err = add_nexthop(route, ifindex, gateway);
	nl_addr_put(to);
	if (err) {
		rtnl_route_put(route);
		return finish(ctx, err);
	}
	*out = route;
	return 0;
}

int netlink_add_route4(struct netlink_ctx *ctx, const char *ifname,
		       uint32_t dst, uint8_t prefix, uint32_t gateway)
{
	struct rtnl_route *route;
	int err;

	begin(ctx);
	err = build_route4(ctx, ifname, dst, prefix, gateway, &route);
	if (err)
		return err;
	rtnl_route_set_protocol(route, RTPROT_STATIC);
	rtnl_route_set_scope(route,
			     gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
	/* libnl adds NLM_F_CREATE: create, or replace what is there. */
	err = finish(ctx, rtnl_route_add(ctx->sock, route, NLM_F_REPLACE));
	rtnl_route_put(route);
	return err;
}

int netlink_del_route4(struct netlink_ctx *ctx, const char *ifname,
		       uint32_t dst, uint8_t prefix, uint32_t gateway)
{
	struct rtnl_route *route;
	int err;

	begin(ctx);
	err = build_route4(ctx, ifname, dst, prefix, gateway, &route);
	if (err)
		return err;
	/* Wildcards: whoever added it and whatever its scope. */
	rtnl_route_set_protocol(route, RTPROT_UNSPEC);
	rtnl_route_set_scope(route, RT_SCOPE_NOWHERE);
	err = finish(ctx, rtnl_route_delete(ctx->sock, route, 0));
	rtnl_route_put(route);
	return err;
}

/* What a route answer's attributes must hold before they are read
 * (libnl checks a NLA_U32's length; the gateway's is checked by family). */
static struct nla_policy route_policy[RTA_MAX + 1] = {
	[RTA_OIF] = { .type = NLA_U32 },
	[RTA_PREFSRC] = { .type = NLA_U32 },
	[RTA_METRICS] = { .type = NLA_NESTED },
};
static struct nla_policy metrics_policy[RTAX_MAX + 1] = {
	[RTAX_MTU] = { .type = NLA_U32 },
};

/* The one RTM_NEWROUTE answer to an RTM_GETROUTE. */
static int on_route(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[RTA_MAX + 1], *mx[RTAX_MAX + 1];
	struct netlink_route4 *r = arg;

	if (h->nlmsg_type != RTM_NEWROUTE ||
	    nlmsg_parse(h, sizeof(struct rtmsg), tb, RTA_MAX, route_policy) < 0)
		return NL_SKIP;
	r->has_via = tb[RTA_VIA] != NULL;
	if (tb[RTA_OIF])
		r->oif = (int)nla_get_u32(tb[RTA_OIF]);
	if (tb[RTA_PREFSRC])
		r->src = nla_get_u32(tb[RTA_PREFSRC]);
	if (tb[RTA_GATEWAY] && nla_len(tb[RTA_GATEWAY]) == 4)
		r->gateway = nla_get_u32(tb[RTA_GATEWAY]);
	r->type = ((const struct rtmsg *)nlmsg_data(h))->rtm_type;
	if (tb[RTA_METRICS] &&
	    !nla_parse_nested(mx, RTAX_MAX, tb[RTA_METRICS], metrics_policy) &&
	    mx[RTAX_MTU])
		r->mtu = nla_get_u32(mx[RTAX_MTU]);
	return NL_OK;
}

/* RTM_GETROUTE for dst (from src unless 0); *out to send, or -NLE_*. */
static int route_request(struct nl_msg **out, uint32_t dst, uint32_t src)
{
	struct rtmsg rtm = { .rtm_family = AF_INET,
			     .rtm_dst_len = 32,
			     .rtm_src_len = src ? 32 : 0 };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETROUTE, 0);
	int err;

	if (!msg)
		return -NLE_NOMEM;
	err = nlmsg_append(msg, &rtm, sizeof(rtm), NLMSG_ALIGNTO);
	if (!err)
		err = nla_put_u32(msg, RTA_DST, dst);
	if (!err && src)
		err = nla_put_u32(msg, RTA_SRC, src);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	*out = msg;
	return 0;
}

/* Sends msg (freed here) and reads its one answer into on_answer. */
static int ask_one(struct netlink_ctx *ctx, struct nl_msg *msg,
		   nl_recvmsg_msg_cb_t on_answer, void *arg)
{
	struct nl_cb *base, *cb;
	int err = nl_send_auto(ctx->sock, msg); /* the answer, then an ACK */

	nlmsg_free(msg);
	if (err < 0)
		return err;
	base = nl_socket_get_cb(ctx->sock); /* keeps on_kernel_error */
	cb = base ? nl_cb_clone(base) : NULL;
	nl_cb_put(base);
	if (!cb)
		return -NLE_NOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_answer, arg);
	err = nl_recvmsgs(ctx->sock, cb);
	nl_cb_put(cb);
	if (err >= 0)
		err = nl_wait_for_ack(
			ctx->sock); /* libnl's sequence moves on */
	return err < 0 ? err : 0;
}

int netlink_route_get4(struct netlink_ctx *ctx, uint32_t dst, uint32_t src,
		       struct netlink_route4 *out)
{
	struct nl_msg *msg;
	int err;

	begin(ctx);
	memset(out, 0, sizeof(*out));
	err = route_request(&msg, dst, src);
	if (!err)
		err = ask_one(ctx, msg, on_route, out);
	if (err < 0)
		return finish(ctx, err);
	return out->oif ? 0 : finish(ctx, -NLE_OBJ_NOTFOUND);
}

/* The kernel's NUD_VALID (not in the UAPI): states with an address. */
#define NEIGH_USABLE                                                         \
	(NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | \
	 NUD_DELAY)

/* The one RTM_NEWNEIGH answer to an RTM_GETNEIGH. */
static int on_neigh(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct netlink_neigh4 *n = arg;
	struct nlattr *tb[NDA_MAX + 1];
	const struct ndmsg *ndm;

	if (h->nlmsg_type != RTM_NEWNEIGH ||
	    nlmsg_parse(h, sizeof(*ndm), tb, NDA_MAX, NULL) < 0)
		return NL_SKIP;
	ndm = nlmsg_data(h);
	/* The entry asked for, not another family's or link's. */
	if (ndm->ndm_family != n->family || ndm->ndm_ifindex != n->ifindex)
		return NL_SKIP;
	n->state = ndm->ndm_state;
	if ((ndm->ndm_state & NEIGH_USABLE) && tb[NDA_LLADDR] &&
	    nla_len(tb[NDA_LLADDR]) == MAC_SIZE) {
		memcpy(n->mac, nla_data(tb[NDA_LLADDR]), MAC_SIZE);
		n->has_mac = true;
	}
	return NL_OK;
}

/* RTM_GETNEIGH for the len-byte address addr of family on ifindex. */
static int neigh_get(struct netlink_ctx *ctx, int family, int ifindex,
		     const void *addr, int len, struct netlink_neigh4 *out)
{
	struct ndmsg ndm = { .ndm_family = family, .ndm_ifindex = ifindex };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETNEIGH, 0);
	int err;

	begin(ctx);
	memset(out, 0, sizeof(*out));
	out->family = (uint8_t)family;
	out->ifindex = ifindex;
	if (!msg)
		return finish(ctx, -NLE_NOMEM);
	err = nlmsg_append(msg, &ndm, sizeof(ndm), NLMSG_ALIGNTO);
	if (!err)
		err = nla_put(msg, NDA_DST, len, addr);
	if (err) {
		nlmsg_free(msg);
		return finish(ctx, err);
	}
	err = ask_one(ctx, msg, on_neigh, out);
	if (err < 0)
		return finish(ctx, err);
	return out->has_mac ? 0 : finish(ctx, -NLE_OBJ_NOTFOUND);
}

int netlink_neigh_get4(struct netlink_ctx *ctx, int ifindex, uint32_t addr,
		       struct netlink_neigh4 *out)
{
	return neigh_get(ctx, AF_INET, ifindex, &addr, 4, out);
}

int netlink_neigh_get6(struct netlink_ctx *ctx, int ifindex,
		       const uint8_t addr[16], struct netlink_neigh4 *out)
{
	return neigh_get(ctx, AF_INET6, ifindex, addr, 16, out);
}

/* The one RTM_NEWROUTE answer to an IPv6 RTM_GETROUTE. */
static int on_route6(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[RTA_MAX + 1], *mx[RTAX_MAX + 1];
	struct netlink_route6 *r = arg;

	if (h->nlmsg_type != RTM_NEWROUTE ||
	    nlmsg_parse(h, sizeof(struct rtmsg), tb, RTA_MAX, route_policy) < 0)
		return NL_SKIP;
	if (tb[RTA_OIF])
		r->oif = (int)nla_get_u32(tb[RTA_OIF]);
	if (tb[RTA_GATEWAY] && nla_len(tb[RTA_GATEWAY]) == 16) {
		memcpy(r->gateway, nla_data(tb[RTA_GATEWAY]), 16);
		r->has_gateway = true;
	}
	r->type = ((const struct rtmsg *)nlmsg_data(h))->rtm_type;
	if (tb[RTA_METRICS] &&
	    !nla_parse_nested(mx, RTAX_MAX, tb[RTA_METRICS], metrics_policy) &&
	    mx[RTAX_MTU])
		r->mtu = nla_get_u32(mx[RTAX_MTU]);
	return NL_OK;
}

int netlink_route_get6(struct netlink_ctx *ctx, const uint8_t dst[16],
		       struct netlink_route6 *out)
{
	struct rtmsg rtm = { .rtm_family = AF_INET6, .rtm_dst_len = 128 };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETROUTE, 0);
	int err;

	begin(ctx);
	memset(out, 0, sizeof(*out));
	if (!msg)
		return finish(ctx, -NLE_NOMEM);
	err = nlmsg_append(msg, &rtm, sizeof(rtm), NLMSG_ALIGNTO);
	if (!err)
		err = nla_put(msg, RTA_DST, 16, dst);
	if (err) {
		nlmsg_free(msg);
		return finish(ctx, err);
	}
	err = ask_one(ctx, msg, on_route6, out);
	if (err < 0)
		return finish(ctx, err);
	return out->oif ? 0 : finish(ctx, -NLE_OBJ_NOTFOUND);
}
