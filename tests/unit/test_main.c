// SPDX-License-Identifier: GPL-2.0-only
/* The unit test runner and the helpers of test.h. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

#define MAX_TESTS 512

static struct {
	const char *name;
	const char *file;
	test_fn fn;
} tests[MAX_TESTS];
static int n_tests;
static int cur_failures;
static const char *cur_skip; /* why the running case was skipped */

void test_register(const char *name, const char *file, test_fn fn)
{
	if (n_tests == MAX_TESTS) {
		fprintf(stderr, "too many tests, raise MAX_TESTS\n");
		exit(2);
	}
	tests[n_tests].name = name;
	tests[n_tests].file = file;
	tests[n_tests].fn = fn;
	n_tests++;
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	cur_failures++;
	if (cur_failures > 20)
		return;
	fprintf(stderr, "  %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void test_skip(const char *file, int line, const char *why)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s:%d: %s", file, line, why);
	cur_skip = buf;
}

int test_failures(void)
{
	return cur_failures;
}

void test_fail_mem(const char *file, int line, const char *what,
		   const void *got, const void *want, size_t n)
{
	const uint8_t *g = got, *w = want;
	size_t i;

	for (i = 0; i < n && g[i] == w[i]; i++)
		;
	test_fail(file, line, "%s differs at byte %zu of %zu: %02x != %02x",
		  what, i, n, g[i], w[i]);
}

long hex_decode(uint8_t *out, size_t cap, const char *hex)
{
	size_t n = 0;
	int hi = -1;

	for (; *hex; hex++) {
		int v;

		if (isspace((unsigned char)*hex))
			continue;
		if (!isxdigit((unsigned char)*hex))
			return -1;
		v = isdigit((unsigned char)*hex) ? *hex - '0'
						 : (tolower(*hex) - 'a' + 10);
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (long)n : -1;
}

const char *vector_path(const char *name)
{
	static char path[4096]; /* returned: valid until the next call */
	const char *dir = getenv("N2N_VECTORS");

	if (!dir)
		dir = "../shared/vectors/n2n-3.1.1";
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long sz;

	if (!f) {
		fprintf(stderr, "  cannot open %s\n", path);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (sz = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)sz + 1);
		if (buf && fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
			free(buf);
			buf = NULL;
		}
		if (buf) {
			buf[sz] = 0;
			*len = (size_t)sz;
		}
	}
	fclose(f);
	return buf;
}

long crypto_vector(const char *key, uint8_t *out, size_t cap)
{
	size_t len, klen = strlen(key);
	char *text = (char *)read_file(vector_path("crypto-vectors.txt"), &len);
	char *line, *save = NULL;
	long ret = -1;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, key, klen) == 0 && line[klen] == '=') {
			char *end = line + klen + 1;

			end[strcspn(end, " ")] = 0;
			ret = hex_decode(out, cap, end);
			break;
		}
	}
	free(text);
	return ret;
}

/* One "000: xx xx ...  |...|" line: appends its bytes; -1 when not a dump line. */
static long dump_line(const char *line, uint8_t *out, size_t cap)
{
	const char *p = strchr(line, ':');
	char hex[64];
	size_t n = 0;

	if (!p || p - line < 3 || !isxdigit((unsigned char)line[0]))
		return -1;
	for (p++; *p && *p != '|' && n + 1 < sizeof(hex); p++)
		hex[n++] = *p;
	hex[n] = 0;
	return hex_decode(out, cap, hex);
}

long expected_dump(const char *file, const char *heading, uint8_t *out,
		   size_t cap)
{
	size_t len, total = 0;
	char path[256];
	char *text, *line, *save = NULL;
	int in_dump = 0;

	snprintf(path, sizeof(path), "upstream-expected/%s", file);
	text = (char *)read_file(vector_path(path), &len);
	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		long n;

		if (!in_dump) {
			in_dump = strncmp(line, heading, strlen(heading)) == 0;
			continue;
		}
		n = dump_line(line, out + total, cap - total);
		if (n < 0)
			break;
		total += (size_t)n;
	}
	free(text);
	return in_dump ? (long)total : -1;
}

int main(int argc, char **argv)
{
	int i, passed = 0, failed = 0, skipped = 0;
	const char *filter = argc > 1 ? argv[1] : NULL;

	for (i = 0; i < n_tests; i++) {
		if (filter && !strstr(tests[i].name, filter))
			continue;
		cur_failures = 0;
		cur_skip = NULL;
		tests[i].fn();
		if (cur_failures) {
			failed++;
			printf("FAIL %s (%s)\n", tests[i].name, tests[i].file);
		} else if (cur_skip) {
			skipped++;
			printf("skip %s (%s)\n", tests[i].name, cur_skip);
		} else {
			passed++;
			if (getenv("V"))
				printf("ok   %s\n", tests[i].name);
		}
	}
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
