// SPDX-License-Identifier: GPL-2.0-only
/* log_escape(): names from the network reach the log as printable text. */
#include "common/log.h"
#include "test.h"

TEST(log_escape_keeps_printable_and_escapes_the_rest)
{
	char buf[64];

	CHECK(!strcmp(log_escape(buf, sizeof(buf), "edge-1 ok", 9),
		      "edge-1 ok"));
	/* A terminal escape, a newline (a forged log line), a backslash. */
	CHECK(!strcmp(log_escape(buf, sizeof(buf), "a\x1b[2J\nb\\c\xff", 10),
		      "a\\x1b[2J\\x0ab\\\\c\\xff"));
	/* n2n's fields are NUL padded: the name ends there. */
	CHECK(!strcmp(log_escape(buf, sizeof(buf), "lab\0\0junk", 9), "lab"));
	/* A field without a NUL stops at len. */
	CHECK(!strcmp(log_escape(buf, sizeof(buf), "abcdef", 3), "abc"));
}

TEST(log_escape_cuts_within_its_buffer)
{
	char buf[8], buf10[10];

	CHECK(!strcmp(log_escape(buf, sizeof(buf), "abcdefghij", 10),
		      "abcd..."));
	CHECK(!strcmp(log_escape(buf, sizeof(buf), "\x01\x02\x03", 3),
		      "\\x01..."));
	CHECK(!strcmp(log_escape(buf, 2, "abc", 3), "a"));
	/* Cut between escapes, never within one (review N6). */
	CHECK(!strcmp(log_escape(buf10, sizeof(buf10), "\x01\x02\x03", 3),
		      "\\x01..."));
	CHECK(!strcmp(log_escape(buf10, sizeof(buf10), "ab\x01\x02", 4),
		      "ab\\x01..."));
	CHECK(!strcmp(log_escape(buf, 1, "abc", 3), ""));
}
