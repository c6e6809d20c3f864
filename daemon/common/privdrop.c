// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dropping root (privdrop.h) through libcap-ng: capng_change_id() keeps
 * the chosen capabilities across setuid() and clears the rest, the
 * bounding set included, so nothing can be regained.
 */
#include <cap-ng.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "privdrop.h"

void privdrop_keep(struct privdrop *p, int cap)
{
	if (p->n_caps < PRIVDROP_MAX_CAPS)
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

int privdrop_apply(const struct privdrop *p, char *why, size_t len)
{
	uid_t uid, ru, eu, su;
	gid_t gid, rg, eg, sg;
	int i, ret = privdrop_target(p, &uid, &gid);

	if (ret == 1)
		return 0;
	if (ret) {
		snprintf(why, len,
			 "no -u/-g and neither an 'n2n' nor a "
			 "'nobody' user to run as");
		return -ENOENT;
	}
	capng_clear(CAPNG_SELECT_BOTH);
	for (i = 0; i < p->n_caps; i++)
		if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
				 (unsigned int)p->caps[i])) {
			snprintf(why, len,
				 "capability %d unknown to this "
				 "kernel",
				 p->caps[i]);
			return -EINVAL;
		}
	ret = capng_change_id((int)uid, (int)gid,
			      CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING);
	if (ret) {
		snprintf(why, len,
			 "becoming uid %u gid %u: libcap-ng step %d "
			 "failed",
			 (unsigned int)uid, (unsigned int)gid, -ret);
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
	/* Nothing it could exec would gain privileges either. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		snprintf(why, len, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
		return -errno;
	}
	return 0;
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

int privdrop_run(const struct privdrop *p)
{
	char why[160], who[256];
	int err = privdrop_apply(p, why, sizeof(why));

	if (err) {
		log_err("dropping root: %s", why);
		return err;
	}
	privdrop_describe(who, sizeof(who));
	log_notice("running as %s", who);
	return 0;
}
