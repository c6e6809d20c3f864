/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Body of the config fuzz targets: the input up to its first NUL byte is
 * the config file (argv[1], as `edge FILE` or `supernode FILE` give it);
 * each NUL-separated string after it is one more command-line argument.
 * FUZZ_PARSE is the role's parser, FUZZ_CONF its struct, FUZZ_FREE its
 * free. Checks: any input gives 0 or -EINVAL, an error carries a message,
 * and the conf can be freed either way (ASan sees the rest).
 */
#include <errno.h>
#include <string.h>

#include "conf/conf.h"
#include "memfile.h"

#define MAX_ARGS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *no_env(const char *name)
{
	(void)name;
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct conf_env env = { .getenv = no_env,
					     .hostname = "fuzzhost" };
	static FUZZ_CONF c;
	const uint8_t *nul = memchr(data, 0, size);
	size_t file_len = nul ? (size_t)(nul - data) : size;
	char *argv[MAX_ARGS + 3], *rest = NULL, err[512] = "";
	int argc = 0, ret;

	argv[argc++] = (char *)"fuzz";
	argv[argc++] = (char *)memfile(data, file_len);
	if (nul) {
		size_t n = size - file_len - 1, i;

		rest = malloc(n + 1);
		memcpy(rest, nul + 1, n);
		rest[n] = 0;
		argv[argc++] = rest;
		for (i = 0; i < n && argc < MAX_ARGS + 2; i++)
			if (!rest[i])
				argv[argc++] = rest + i + 1;
	}
	argv[argc] = NULL;
	ret = FUZZ_PARSE(&c, argc, argv, &env, err, sizeof(err));
	if (ret && (ret != -EINVAL || !err[0]))
		abort();
	FUZZ_FREE(&c);
	free(rest);
	return 0;
}
