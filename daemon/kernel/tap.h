/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The edge's TAP device through /dev/net/tun: open (or attach to) a device
 * by name, then read and write whole Ethernet frames. No packet-info header
 * and no virtio-net header, so every read and write is one plain frame.
 */
#ifndef N2NK_TAP_H
#define N2NK_TAP_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Opens the TAP device called name, creating it if it does not exist, or
 * attaching to it if it does (persistent devices included). NULL or "" lets
 * the kernel choose ("tap%d"); a name with "%d" picks the first free number.
 * The descriptor is non-blocking and close-on-exec; the device's real name
 * is written to actual. Returns the descriptor or -errno: -ENAMETOOLONG,
 * -EBUSY (another process has it open), -EINVAL (the name is taken by
 * something that is not a TAP, e.g. a TUN or veth), -EPERM.
 */
int tap_open(const char *name, char actual[IFNAMSIZ]);

/*
 * Reads one frame into buf. cap should hold the link MTU plus the Ethernet
 * (and VLAN) header. Returns the frame length or -errno; -EAGAIN when no
 * frame is waiting.
 */
ssize_t tap_read(int fd, uint8_t *buf, size_t cap);

/* Writes one frame (from the destination MAC on). Returns len or -errno. */
ssize_t tap_write(int fd, const uint8_t *frame, size_t len);

/* 1 if the device is persistent already, 0 if not, or -errno. */
int tap_is_persistent(int fd);

/* Whether the device outlives its last descriptor (TUNSETPERSIST): the
 * edge's kernel path keeps it across a restart. 0 or -errno. */
int tap_set_persist(int fd, bool on);

/* Removes the persistent TAP called name: 0, -ENODEV if there is none,
 * or -errno. */
int tap_remove(const char *name);

#endif /* N2NK_TAP_H */
