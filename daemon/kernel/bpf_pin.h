/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a daemon leaves in bpffs so its programs and maps outlive it: one
 * directory per daemon instance, maps reused by the next daemon when their
 * layout still matches, XDP links taken over with their program replaced
 * in one step, so a restart never detaches anything.
 */
#ifndef N2NK_BPF_PIN_H
#define N2NK_BPF_PIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/types.h>

struct bpf_map;

#define BPF_PIN_ROOT "/sys/fs/bpf/n2nk"

/*
 * The instance's directory, created if needed:
 * root/<network namespace inode>-<name>, so daemons in different
 * namespaces never share state (name says which daemon: role, address,
 * port). root (BPF_PIN_ROOT when NULL) must be in a bpffs mount, else
 * -ENOTSUP: under `ip netns exec`, /sys is a fresh sysfs without one.
 */
int bpf_pin_dir(char *out, size_t len, const char *root, const char *name);

/*
 * Holds dir for this process (flock, released at exit, crash included):
 * the fd to keep open, or -EBUSY while another daemon holds it.
 */
int bpf_pin_lock(const char *dir);

/*
 * Takes the locked directory (dir_fd from bpf_pin_lock) back before its
 * pins are opened: when root, owner root and mode 0700 again (a previous
 * run handed it to the user it dropped to, who could otherwise change
 * entries while we open them), and anything in it that is not a pin (a
 * symbolic link leading to another edge's maps, a directory) removed
 * with a warning. How many entries went, or -errno.
 */
int bpf_pin_reclaim(int dir_fd, const char *dir);

/*
 * Pins map m at dir/<its name> when loaded: libbpf reuses a pinned map of
 * the same type, key, value and size; one with another layout (an older
 * build) is unpinned first, losing its contents rather than failing, and
 * a warning says so. *fresh tells whether the load pins a new map (false:
 * it reuses the one pinned there). Call between open and load.
 */
int bpf_pin_map(struct bpf_map *m, const char *dir, bool *fresh);

/*
 * An XDP link of prog_fd on ifindex, pinned at path: the pinned one taken
 * over (its program replaced atomically; *adopted true) when it still
 * sits on ifindex, else a new one with the given XDP_FLAGS_* mode.
 * Returns the link fd or -errno.
 */
int bpf_pin_xdp_link(int prog_fd, int ifindex, __u32 flags, const char *path,
		     bool *adopted);

/*
 * The same for a tcx link (kernel 6.6) of attach_type (BPF_TCX_INGRESS or
 * _EGRESS) on ifindex: a pinned one there taken over with its program
 * replaced, else a new one pinned at path. The link fd or -errno.
 */
int bpf_pin_tcx_link(int prog_fd, int ifindex, __u32 attach_type,
		     const char *path, bool *adopted);

/* Unpins everything in dir and removes it: the links detach, the maps
 * go once no program holds them. How many pins went (0: none), or
 * -errno. */
int bpf_pin_remove(const char *dir);
/* The same through the directory's held fd (dir_fd), for a daemon that
 * may no longer walk the path to it: the pins go, and the directory too
 * where it may still remove it. */
int bpf_pin_remove_at(int dir_fd, const char *dir);

#endif /* N2NK_BPF_PIN_H */
