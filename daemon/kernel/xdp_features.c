// SPDX-License-Identifier: GPL-2.0-only
/*
 * A device's xdp_features over generic netlink (see xdp_features.h): two
 * round trips on a socket opened for the question, resolve the "netdev"
 * family, then NETDEV_CMD_DEV_GET for the ifindex. No libnl-genl: the
 * messages are three attributes.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "xdp_features.h"

/* uapi linux/netdev.h, which older headers lack. */
#define NETDEV_CMD_DEV_GET	  1
#define NETDEV_A_DEV_IFINDEX	  1
#define NETDEV_A_DEV_XDP_FEATURES 3

struct genl_req {
	struct nlmsghdr nh;
	struct genlmsghdr g;
	char attrs[64];
};

static void put_attr(struct genl_req *r, uint16_t type, const void *data,
		     uint16_t len)
{
	struct nlattr *a = (void *)((char *)r + NLMSG_ALIGN(r->nh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

/* Sends r and finds attribute `want` of the answer (len bytes into out). */
static int ask(int fd, struct genl_req *r, uint16_t want, void *out, size_t len)
{
	char buf[8192] __attribute__((aligned(4)));
	struct nlmsghdr *nh = (void *)buf;
	struct nlattr *a;
	ssize_t n;
	int rest;

	if (send(fd, r, r->nh.nlmsg_len, 0) < 0)
		return -errno;
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0)
		return -errno;
	if (!NLMSG_OK(nh, (size_t)n))
		return -EPROTO;
	if (nh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nh);

		return e->error ? e->error : -ENOENT;
	}
	a = (void *)((char *)NLMSG_DATA(nh) + GENL_HDRLEN);
	rest = (int)nh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	for (; rest >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= rest;
	     rest -= NLA_ALIGN(a->nla_len),
	     a = (void *)((char *)a + NLA_ALIGN(a->nla_len))) {
		if ((a->nla_type & NLA_TYPE_MASK) != want ||
		    a->nla_len - NLA_HDRLEN < (int)len)
			continue;
		memcpy(out, (char *)a + NLA_HDRLEN, len);
		return 0;
	}
	return -ENOENT;
}

static void req_init(struct genl_req *r, uint16_t family, uint8_t cmd)
{
	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nh.nlmsg_type = family;
	r->nh.nlmsg_flags = NLM_F_REQUEST;
	r->g.cmd = cmd;
	r->g.version = 1;
}

int xdp_features_get(int ifindex, uint64_t *out)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	uint32_t idx = (uint32_t)ifindex;
	struct genl_req r;
	uint16_t family;
	int err;

	if (fd < 0)
		return -errno;
	req_init(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, "netdev", sizeof("netdev"));
	err = ask(fd, &r, CTRL_ATTR_FAMILY_ID, &family, sizeof(family));
	if (err == -ENOENT)
		err = -EOPNOTSUPP; /* no such family: before Linux 6.3 */
	if (!err) {
		req_init(&r, family, NETDEV_CMD_DEV_GET);
		put_attr(&r, NETDEV_A_DEV_IFINDEX, &idx, sizeof(idx));
		err = ask(fd, &r, NETDEV_A_DEV_XDP_FEATURES, out, sizeof(*out));
	}
	close(fd);
	return err;
}
