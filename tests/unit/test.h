/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small test harness: TEST(name) registers a case at start-up, CHECK*
 * record failures with file:line and keep going, TEST_SKIP(why) ends a case
 * this host cannot run (counted as a skip, never as a pass), and the runner
 * ends with "N passed, N failed, N skipped". Helpers read golden vectors
 * from ../shared.
 */
#ifndef N2NK_TEST_H
#define N2NK_TEST_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef void (*test_fn)(void);

void test_register(const char *name, const char *file, test_fn fn);
void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int test_failures(void);
void test_skip(const char *file, int line, const char *why);

#define TEST(name)                                                     \
	static void test_##name(void);                                 \
	__attribute__((constructor)) static void test_reg_##name(void) \
	{                                                              \
		test_register(#name, __FILE__, test_##name);           \
	}                                                              \
	static void test_##name(void)

/* Ends the case as skipped; a failure recorded before it still fails it. */
#define TEST_SKIP(why)                                \
	do {                                          \
		test_skip(__FILE__, __LINE__, (why)); \
		return;                               \
	} while (0)

#define CHECK(cond)                                                 \
	do {                                                        \
		if (!(cond))                                        \
			test_fail(__FILE__, __LINE__, "%s", #cond); \
	} while (0)

#define CHECK_MSG(cond, ...)                                        \
	do {                                                        \
		if (!(cond))                                        \
			test_fail(__FILE__, __LINE__, __VA_ARGS__); \
	} while (0)

#define CHECK_EQ(a, b)                                                       \
	do {                                                                 \
		long long _a = (long long)(a), _b = (long long)(b);          \
		if (_a != _b)                                                \
			test_fail(__FILE__, __LINE__,                        \
				  "%s == %s: %lld != %lld", #a, #b, _a, _b); \
	} while (0)

#define CHECK_MEM(a, b, n)                                                    \
	do {                                                                  \
		if (memcmp((a), (b), (n)) != 0)                               \
			test_fail_mem(__FILE__, __LINE__, #a, (a), (b), (n)); \
	} while (0)

void test_fail_mem(const char *file, int line, const char *what,
		   const void *got, const void *want, size_t n);

/* Hex helpers: parse "0a 0b..." or "0a0b..." (spaces ignored); -1 on error. */
long hex_decode(uint8_t *out, size_t cap, const char *hex);

/* Path of a file under the golden vectors, e.g. "A1-p2p.pcap". */
const char *vector_path(const char *name);

/* Reads a whole file into a malloc'd buffer; NULL on error (reported). */
uint8_t *read_file(const char *path, size_t *len);

/* Value of "key=" in crypto-vectors.txt, decoded from hex; -1 if absent. */
long crypto_vector(const char *key, uint8_t *out, size_t cap);

/*
 * Parses a hex dump section of an upstream .expected file: the lines
 * "000: xx xx ...  |ascii|" that follow the first line starting with
 * `heading`. Returns the byte count, or -1 when the heading is missing.
 */
long expected_dump(const char *file, const char *heading, uint8_t *out,
		   size_t cap);

#endif /* N2NK_TEST_H */
