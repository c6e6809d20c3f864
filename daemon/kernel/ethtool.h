/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device features through the ethtool ioctl: the one file that speaks it.
 * Returns 0 or -errno.
 */
#ifndef N2NK_ETHTOOL_H
#define N2NK_ETHTOOL_H

/*
 * Turns off transmit checksum offload, scatter-gather, TSO and GSO on
 * ifname, so the kernel segments and checksums every frame in software
 * before the device sends it.
 */
int ethtool_offloads_off(const char *ifname);

#endif /* N2NK_ETHTOOL_H */
