/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Dropping root once a daemon is set up, as n2n's -u/-g do: the user
 * named, else `n2n`, else `nobody`, keeping only the capabilities the
 * daemon still needs at run time (libcap-ng). The one file that changes
 * the process's identity.
 */
#ifndef N2NK_PRIVDROP_H
#define N2NK_PRIVDROP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PRIVDROP_MAX_CAPS 4

struct privdrop {
	bool uid_set, gid_set; /* -u / -g given */
	uid_t uid;
	gid_t gid;
	/* What the daemon still needs after set-up, e.g. CAP_NET_ADMIN. */
	int caps[PRIVDROP_MAX_CAPS];
	int n_caps;
};

/* Adds a capability to keep (at most PRIVDROP_MAX_CAPS). */
void privdrop_keep(struct privdrop *p, int cap);

/*
 * Whom privdrop_apply would become: 0 with *uid and *gid, 1 when it would
 * stay as it is (not root, or -u 0), -ENOENT when there is nobody to be.
 */
int privdrop_target(const struct privdrop *p, uid_t *uid, gid_t *gid);

/*
 * Becomes p's user (or n2n, or nobody) with only p's capabilities, its
 * supplementary groups and bounding set gone, and no_new_privs set. Not
 * root (systemd's User= with AmbientCapabilities=, file capabilities):
 * stays that user, with only p's capabilities (ambient ones gone, the
 * bounding set too where CAP_SETPCAP allows). -u 0: root stays, and
 * privdrop_run() says so. 0, or -errno with why[] saying what failed.
 */
int privdrop_apply(const struct privdrop *p, char *why, size_t len);

/* privdrop_apply, logged: why it failed, or whom the daemon runs as. */
int privdrop_run(const struct privdrop *p);

/* "uid 65534 (nobody), gid 65534, keeping CAP_NET_ADMIN, CAP_BPF". */
void privdrop_describe(char *out, size_t len);

#endif /* N2NK_PRIVDROP_H */
