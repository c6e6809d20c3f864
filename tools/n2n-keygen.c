// SPDX-License-Identifier: GPL-2.0-only
/*
 * n2n-keygen: prints the supernode community.list line for a user/password
 * pair, or the edge's -P option for a federation name. A drop-in for n2n
 * 3.1.1's tool: same arguments, same output on stdout.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "proto/auth.h"

/* The supernode keeps '*' + 17 chars of the federation name (quirk 23). */
#define SN_FEDERATION_NAME_MAX 17

static int usage(void)
{
	fprintf(stderr, "usage: n2n-keygen <username> <password>\n"
			"       n2n-keygen -F <federation name>\n"
			"\n"
			"Prints a line for the supernode's community file "
			"(user and password\n"
			"authentication) or the edge's -P option with the "
			"federation's public\n"
			"key.\n");
	return 2;
}

static int public_key_ascii(char out[AUTH_KEY_ASCII_LEN + 1], const char *user,
			    const char *secret)
{
	uint8_t prv[AUTH_KEY_SIZE], pub[AUTH_KEY_SIZE];
	int ret;

	if (user)
		auth_user_private_key(prv, user, secret);
	else
		auth_private_key(prv, secret);
	ret = auth_public_key(pub, prv);
	sodium_memzero(prv, sizeof(prv));
	if (ret)
		return ret;
	ret = auth_bin_to_ascii(out, AUTH_KEY_ASCII_LEN + 1, pub, sizeof(pub));
	return ret < 0 ? ret : 0;
}

int main(int argc, char **argv)
{
	char asc[AUTH_KEY_ASCII_LEN + 1];
	int fed, ret;

	if (argc != 3)
		return usage();
	fed = strcmp(argv[1], "-F") == 0;
	if (fed && strlen(argv[2]) > SN_FEDERATION_NAME_MAX)
		fprintf(stderr,
			"n2n-keygen: warning: a supernode keeps only the first "
			"%d characters of federation name '%s'; this key will "
			"not match\n",
			SN_FEDERATION_NAME_MAX, argv[2]);
	ret = public_key_ascii(asc, fed ? NULL : argv[1], argv[2]);
	if (ret) {
		fprintf(stderr, "n2n-keygen: %s\n", auth_strerror(ret));
		return 1;
	}
	if (fed)
		printf("-P %s\n", asc);
	else
		printf("* %s %s\n", argv[1], asc);
	return fflush(stdout) == 0 ? 0 : 1;
}
