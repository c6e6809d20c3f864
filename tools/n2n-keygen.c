// SPDX-License-Identifier: GPL-2.0-only
/*
 * n2n-keygen: prints the supernode community.list line for a user/password
 * pair, or the edge's -P option for a federation name. A drop-in for n2n
 * 3.1.1's tool: same arguments, same output on stdout. --identity FILE is
 * ours: the static key file of the -A6 per-peer transform.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "proto/auth.h"
#include "proto/identity.h"

/* The supernode keeps '*' + 17 chars of the federation name (quirk 23). */
#define SN_FEDERATION_NAME_MAX 17

static int usage(void)
{
	fprintf(stderr, "usage: n2n-keygen <username> <password>\n"
			"       n2n-keygen -F <federation name>\n"
			"       n2n-keygen --identity <key file>\n"
			"\n"
			"Prints a line for the supernode's community file "
			"(user and password\n"
			"authentication) or the edge's -P option with the "
			"federation's public\n"
			"key. --identity makes the edge's -A6 key file "
			"(mode 0600) unless it\n"
			"exists, and prints its public key and fingerprint.\n");
	return 2;
}

static int identity(const char *path)
{
	char b64[IDENTITY_BASE64_SIZE], fp[IDENTITY_FINGERPRINT_SIZE];
	struct noise_static s;
	int ret;

	ret = identity_load_or_create(&s, path, true);
	if (ret < 0) {
		fprintf(stderr, "n2n-keygen: %s: %s\n", path,
			identity_strerror(ret));
		return 1;
	}
	if (ret == 1)
		fprintf(stderr, "n2n-keygen: created %s\n", path);
	identity_pub_base64(b64, s.pub);
	identity_fingerprint(fp, s.pub);
	noise_static_wipe(&s);
	printf("public key  %s\nfingerprint %s\n", b64, fp);
	return fflush(stdout) == 0 ? 0 : 1;
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
	if (strcmp(argv[1], "--identity") == 0)
		return identity(argv[2]);
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
