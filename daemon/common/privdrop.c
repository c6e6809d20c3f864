// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dropping root (privdrop.h) through libcap-ng: capng_change_id() keeps
 * the chosen capabilities across setuid() and clears the rest, the
 * bounding set included, so nothing can be regained.
 */
#include <assert.h>
#include <cap-ng.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "privdrop.h"

void privdrop_keep(struct privdrop *p, int cap)
{
	assert(p->n_caps < PRIVDROP_MAX_CAPS); /* a fifth: raise the max */
	p->caps[p->n_caps++] = cap;
}

/* -u/-g, else n2n's user, else nobody's, as stock n2n chooses. */
static int target_ids(const struct privdrop *p, uid_t *uid, gid_t *gid)
{
	const struct passwd *pw = getpwnam("n2n");

	if (!pw)
		pw = getpwnam("nobody");
	if (!pw && (!p->uid_set || !p->gid_set))
		return -ENOENT;
	*uid = p->uid_set ? p->uid : pw->pw_uid;
	*gid = p->gid_set ? p->gid : pw->pw_gid;
	return 0;
}

int privdrop_target(const struct privdrop *p, uid_t *uid, gid_t *gid)
{
	if (geteuid() != 0 || (p->uid_set && p->uid == 0))
		return 1;
	return target_ids(p, uid, gid);
}

/* libcap-ng's state: nothing but p's capabilities, bounding set empty. */
static int only_kept_caps(const struct privdrop *p, char *why, size_t len)
{
	int i;

	capng_clear(CAPNG_SELECT_BOTH);
	for (i = 0; i < p->n_caps; i++)
		if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
				 (unsigned int)p->caps[i])) {
			snprintf(why, len,
				 "capability %d unknown to this kernel",
				 p->caps[i]);
			return -EINVAL;
		}
	return 0;
}

static int no_new_privs(char *why, size_t len)
{
	/* Nothing it could exec would gain privileges either. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		snprintf(why, len, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* Every capability the kernel knows out of the bounding set. */
static int clear_bounding_set(void)
{
	unsigned long cap;

	for (cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0))
			return -1;
	return 0;
}

/*
 * Not root, yet maybe capable (systemd's User= with AmbientCapabilities=,
 * file capabilities): no identity to change, but every capability beyond
 * p's goes, ambient and inheritable ones included; the bounding set too
 * where CAP_SETPCAP allows.
 */
static int keep_only(const struct privdrop *p, char *why, size_t len)
{
	bool setpcap;
	int err;

	capng_get_caps_process();
	setpcap = capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP);
	err = only_kept_caps(p, why, len);
	if (err)
		return err;
	/* The bounding set first, while CAP_SETPCAP is still ours. */
	if (setpcap && clear_bounding_set()) {
		snprintf(why, len, "clearing the bounding set: %s",
			 strerror(errno));
		return -EPERM;
	}
	if (capng_apply(CAPNG_SELECT_CAPS)) {
		snprintf(why, len, "reducing capabilities: %s",
			 strerror(errno));
		return -EPERM;
	}
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	return no_new_privs(why, len);
}

/* capng_change_id()'s failures as libcap-ng 0.8 (Debian 12) numbers them. */
static const char *change_id_step(int ret)
{
	static const char *const step[] = {
		[1] = "libcap-ng's set-up",
		[2] = "keeping capabilities across setuid (PR_SET_KEEPCAPS)",
		[3] = "applying the capabilities before setuid",
		[4] = "setgid",
		[5] = "dropping supplementary groups",
		[6] = "setuid",
		[7] = "clearing PR_SET_KEEPCAPS",
		[8] = "clearing the bounding set (needs CAP_SETPCAP)",
		[9] = "dropping CAP_SETPCAP or the ambient capabilities",
		[10] = "initgroups",
	};

	return ret < 0 && -ret < (int)(sizeof(step) / sizeof(step[0]))
		       ? step[-ret]
		       : "a step this build does not name";
}

int privdrop_apply(const struct privdrop *p, char *why, size_t len)
{
	uid_t uid, ru, eu, su;
	gid_t gid, rg, eg, sg;
	int ret = privdrop_target(p, &uid, &gid);

	if (ret == 1)
		return geteuid() ? keep_only(p, why, len) : 0;
	if (ret) {
		snprintf(why, len,
			 "no -u/-g and neither an 'n2n' nor a "
			 "'nobody' user to run as");
		return -ENOENT;
	}
	ret = only_kept_caps(p, why, len);
	if (ret)
		return ret;
	ret = capng_change_id((int)uid, (int)gid,
			      CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING);
	if (ret) {
		snprintf(why, len, "becoming uid %u gid %u: %s failed (%d)",
			 (unsigned int)uid, (unsigned int)gid,
			 change_id_step(ret), ret);
		return -EPERM;
	}
	/* Never trust it: a root left behind (real, effective or saved, or a
	 * supplementary group) is the failure to avoid. */
	if (getresuid(&ru, &eu, &su) || getresgid(&rg, &eg, &sg) || ru != uid ||
	    eu != uid || su != uid || rg != gid || eg != gid || sg != gid ||
	    getgroups(0, NULL) > 0) {
		snprintf(why, len, "still uid %u/%u/%u after the drop",
			 (unsigned int)ru, (unsigned int)eu, (unsigned int)su);
		return -EPERM;
	}
	return no_new_privs(why, len);
}

void privdrop_describe(char *out, size_t len)
{
	const struct passwd *pw = getpwuid(geteuid());
	char *caps;
	int n;

	n = snprintf(out, len, "uid %u (%s), gid %u", (unsigned int)geteuid(),
		     pw ? pw->pw_name : "?", (unsigned int)getegid());
	capng_get_caps_process();
	caps = capng_print_caps_text(CAPNG_PRINT_BUFFER, CAPNG_EFFECTIVE);
	if (n > 0 && (size_t)n < len)
		snprintf(out + n, len - (size_t)n, ", capabilities: %s",
			 caps && *caps ? caps : "none");
	free(caps);
}

/* What -u/-g cannot do from here, said rather than ignored. */
static void warn_ignored_ids(const struct privdrop *p)
{
	if (geteuid() && (p->uid_set || p->gid_set))
		log_warn("-u/-g ignored: not started as root (uid %u); "
			 "keeping only the capabilities needed",
			 (unsigned int)geteuid());
	else if (p->uid_set && p->uid == 0)
		log_warn("-u 0: staying root with every capability%s",
			 p->gid_set ? " (and -g ignored)" : "");
	else if (p->gid_set && p->gid == 0)
		log_warn("-g 0: running with root's group");
}

int privdrop_run(const struct privdrop *p)
{
	char why[160], who[256];
	int err;

	warn_ignored_ids(p);
	err = privdrop_apply(p, why, sizeof(why));

	if (err) {
		log_err("dropping root: %s", why);
		return err;
	}
	privdrop_describe(who, sizeof(who));
	log_notice("running as %s", who);
	return 0;
}
