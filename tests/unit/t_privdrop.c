// SPDX-License-Identifier: GPL-2.0-only
/*
 * The privilege drop when the daemon does not start as root (systemd's
 * User= with AmbientCapabilities=, file capabilities): every capability
 * beyond the kept ones must go, ambient ones included (review S5).
 */
#include <cap-ng.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/privdrop.h"
#include "test.h"

/* The hex value of a /proc/self/status line such as "CapEff:". */
static unsigned long long status_hex(const char *key)
{
	unsigned long long v = ~0ULL;
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return v;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			v = strtoull(line + strlen(key), NULL, 16);
	fclose(f);
	return v;
}

/* In a child: nobody holding four capabilities, one ambient, as systemd
 * would start it; then the drop. Exit code: which check failed. */
static int child_keeps_only_net_admin(void)
{
	struct privdrop p = { 0 };
	char why[160];

	/* By hand: capng_change_id() would take CAP_SETPCAP away. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) || setgroups(0, NULL) ||
	    setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
		return 10;
	capng_clear(CAPNG_SELECT_BOTH);
	capng_updatev(CAPNG_ADD,
		      CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_INHERITABLE,
		      CAP_NET_ADMIN, CAP_NET_RAW, CAP_SYS_ADMIN, CAP_SETPCAP,
		      -1);
	if (capng_apply(CAPNG_SELECT_CAPS))
		return 14;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0))
		return 11;
	if (status_hex("CapAmb:") != 1ULL << CAP_NET_RAW)
		return 12;
	privdrop_keep(&p, CAP_NET_ADMIN);
	if (privdrop_apply(&p, why, sizeof(why)))
		return 13;
	if (status_hex("CapEff:") != 1ULL << CAP_NET_ADMIN)
		return 1;
	if (status_hex("CapPrm:") != 1ULL << CAP_NET_ADMIN)
		return 2;
	if (status_hex("CapInh:") || status_hex("CapAmb:"))
		return 3;
	if (status_hex("CapBnd:")) /* CAP_SETPCAP was there to clear it */
		return 4;
	if (status_hex("NoNewPrivs:") != 1)
		return 5;
	return 0;
}

TEST(privdrop_not_root_keeps_only_the_named_capabilities)
{
	int status = -1;
	pid_t pid;

	if (geteuid() != 0)
		TEST_SKIP("needs root to become a capable nobody");
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(child_keeps_only_net_admin());
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
}
