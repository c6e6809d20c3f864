/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Link, address and route configuration over rtnetlink (libnl-route-3),
 * everything the edge sets on its TAP device, and the route and neighbour
 * lookups the supernode's relay needs. Callers need no libnl headers.
 * Every function returns 0 or -errno and logs nothing: the caller logs, with
 * netlink_last_error() for the detail the kernel or libnl gave.
 */
#ifndef N2NK_NETLINK_H
#define N2NK_NETLINK_H

#include <stdbool.h>
#include <stdint.h>

#include "common/mac.h"

struct nl_sock;

struct netlink_ctx {
	struct nl_sock *sock;
	int nl_err;	     /* libnl's code for the last failure (NLE_*) */
	int kernel_err;	     /* the kernel's -errno for it, 0 if none */
	char kernel_msg[96]; /* the kernel's extended ack text, "" if none */
	char last_error[160];
};

struct netlink_link {
	int ifindex;
	unsigned int mtu;
	bool up; /* administratively up (IFF_UP) */
	uint8_t mac[MAC_SIZE];
};

/*
 * Opens the rtnetlink socket. ctx must stay where it is until closed (the
 * error callback points at it). Calls block until the kernel acknowledges.
 */
int netlink_open(struct netlink_ctx *ctx);
void netlink_close(struct netlink_ctx *ctx);
/*
 * libnl's text for the last failure and the kernel's reason if it gave one,
 * e.g. "Unspecific failure: Nexthop has invalid gateway". libnl's words can
 * be vaguer than the errno returned, so log strerror(-err) alongside.
 */
const char *netlink_last_error(struct netlink_ctx *ctx);

/* Links by name; -ENODEV if there is no such link. */
int netlink_get_link(struct netlink_ctx *ctx, const char *ifname,
		     struct netlink_link *link);
int netlink_set_mac(struct netlink_ctx *ctx, const char *ifname,
		    const uint8_t mac[MAC_SIZE]);
int netlink_set_mtu(struct netlink_ctx *ctx, const char *ifname,
		    unsigned int mtu);
int netlink_set_up(struct netlink_ctx *ctx, const char *ifname, bool up);

/* A veth pair name <-> peer, both with mtu, down; -EEXIST if name is
 * taken. Deleting either end deletes both. */
int netlink_add_veth(struct netlink_ctx *ctx, const char *name,
		     const char *peer, unsigned int mtu);
int netlink_del_link(struct netlink_ctx *ctx, const char *ifname);

/*
 * IPv4 addresses in host byte order. Adding sets the broadcast address
 * (below /31), and an address already present with the same prefix is
 * success: a restarted daemon re-applies its configuration. Deleting an
 * absent address is -EADDRNOTAVAIL, so the caller can tell it was not there.
 */
int netlink_add_addr4(struct netlink_ctx *ctx, const char *ifname,
		      uint32_t addr, uint8_t prefix);
int netlink_del_addr4(struct netlink_ctx *ctx, const char *ifname,
		      uint32_t addr, uint8_t prefix);

/*
 * IPv4 routes dst/prefix in the main table, out of ifname via gateway
 * (0: directly on the link). Adding replaces a route to the same dst/prefix,
 * so re-applying is success; a gateway not reachable on the link is
 * -ENETUNREACH. Deleting an absent route is -ESRCH.
 */
int netlink_add_route4(struct netlink_ctx *ctx, const char *ifname,
		       uint32_t dst, uint8_t prefix, uint32_t gateway);
int netlink_del_route4(struct netlink_ctx *ctx, const char *ifname,
		       uint32_t dst, uint8_t prefix, uint32_t gateway);

/* Where the kernel routes a datagram to an IPv4 address (ip route get). */
struct netlink_route4 {
	int oif;	  /* the interface it leaves by */
	uint32_t src;	  /* the source address it gets, network order */
	unsigned int mtu; /* the route's (or a learned path MTU), 0 if none */
	uint32_t gateway; /* its next hop, network order; 0: on the link */
	uint8_t type;	  /* RTN_UNICAST, RTN_LOCAL, ... */
	bool has_via;	  /* a gateway of another family (RTA_VIA) */
};

/* dst and, unless 0, a bound source src (network order): its route. */
int netlink_route_get4(struct netlink_ctx *ctx, uint32_t dst, uint32_t src,
		       struct netlink_route4 *out);

/* The neighbour table's entry for an IPv4 address (ip neigh get). */
struct netlink_neigh4 {
	uint8_t mac[MAC_SIZE];
	bool has_mac;	/* usable: not INCOMPLETE, FAILED or NONE */
	uint16_t state; /* NUD_* */
	uint8_t family; /* asked for: the answer must match */
	int ifindex;
};

/* addr (network order) on ifindex: -ENOENT when the table has no entry,
 * or one without a usable link-layer address (still resolving, failed). */
int netlink_neigh_get4(struct netlink_ctx *ctx, int ifindex, uint32_t addr,
		       struct netlink_neigh4 *out);

/* The same for IPv6 (ip -6 route get, ip -6 neigh get): the route to dst,
 * its gateway (has_gateway) or none (on the link). */
struct netlink_route6 {
	int oif;
	unsigned int mtu;
	uint8_t gateway[16];
	bool has_gateway;
	uint8_t type;
};

int netlink_route_get6(struct netlink_ctx *ctx, const uint8_t dst[16],
		       struct netlink_route6 *out);
int netlink_neigh_get6(struct netlink_ctx *ctx, int ifindex,
		       const uint8_t addr[16], struct netlink_neigh4 *out);

#endif /* N2NK_NETLINK_H */
