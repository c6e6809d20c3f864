/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a device says it can do with XDP (its xdp_features, Linux 6.3 and
 * later), asked over the "netdev" generic netlink family: the one file
 * that speaks it. Callers need no netlink headers.
 */
#ifndef N2NK_XDP_FEATURES_H
#define N2NK_XDP_FEATURES_H

#include <stdint.h>

/* enum netdev_xdp_act (uapi linux/netdev.h), the bits we read. */
#define XDP_FEATURE_BASIC    (1ull << 0)
#define XDP_FEATURE_REDIRECT (1ull << 1)
/* Takes frames redirected to it (ndo_xdp_xmit, "xdp-features:
 * ndo-xmit"): a veth only while its peer runs XDP or has GRO on. */
#define XDP_FEATURE_NDO_XMIT (1ull << 2)

/* The device's features into *out; -EOPNOTSUPP on a kernel without the
 * netdev family (before 6.3), else 0 or -errno. */
int xdp_features_get(int ifindex, uint64_t *out);

#endif /* N2NK_XDP_FEATURES_H */
