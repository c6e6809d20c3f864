// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: a control socket request line (daemon/ctl/ctl.c) as a
 * permitted client sends it, through the parser, the dispatcher and the
 * renderer (daemon/ctl/ctl_table.c), without a socket. The commands here
 * put their arguments into the reply, since the daemons' own commands
 * ignore theirs: every byte of the line reaches a rendered cell, a column
 * name, the echoed command name or an error message.
 *
 * Checks: a reply always comes, newline-ended; a JSON reply (the request's
 * second word is "json") is well-formed JSON and says "error" exactly when
 * the command failed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One row per argument, and the arguments again as column names. */
static int cmd_echo(struct ctl_table *t, int argc, char **argv, void *ctx)
{
	int i;

	(void)ctx;
	ctl_table_column(t, "arg");
	for (i = 1; i < argc; i++)
		ctl_table_column(t, argv[i]);
	for (i = 0; i < argc; i++) {
		int j;

		ctl_table_row(t);
		ctl_table_str(t, argv[i]);
		for (j = 1; j < argc; j++)
			if (j % 3 == 0)
				ctl_table_u64(t, strtoull(argv[j], NULL, 0));
			else if (j % 3 == 1)
				ctl_table_s64(t, strtoll(argv[j], NULL, 0));
			else
				ctl_table_strn(t, argv[j], strlen(argv[j]) / 2);
	}
	return t->err;
}

static int cmd_fail(struct ctl_table *t, int argc, char **argv, void *ctx)
{
	(void)ctx;
	if (argc > 1)
		return ctl_table_errorf(t, "no such thing '%s'", argv[1]);
	return -ENOENT;
}

static const struct ctl_command commands[] = {
	{ "echo", "its arguments, as cells and column names", cmd_echo },
	{ "fail", "an error naming its argument", cmd_fail },
};

/* A small JSON checker: value grammar of RFC 8259, strict. */
static bool json_value(const char **p, const char *end, int depth);

static void ws(const char **p, const char *end)
{
	while (*p < end &&
	       (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r'))
		(*p)++;
}

static bool json_str(const char **p, const char *end)
{
	const char *s = *p;

	if (s >= end || *s++ != '"')
		return false;
	while (s < end && *s != '"') {
		unsigned char c = (unsigned char)*s;
		uint32_t cp;
		size_t n;

		if (c < 0x20)
			return false;
		if (c == '\\') {
			if (++s >= end || !strchr("\"\\/bfnrtu", *s))
				return false;
			if (*s == 'u') {
				int i;

				for (i = 1; i <= 4; i++)
					if (s + i >= end ||
					    !strchr("0123456789abcdefABCDEF",
						    s[i]) ||
					    !s[i])
						return false;
				s += 4;
			}
			s++;
			continue;
		}
		n = ctl_utf8_decode((const unsigned char *)s, (size_t)(end - s),
				    &cp);
		if (!n)
			return false;
		s += n;
	}
	if (s >= end)
		return false;
	*p = s + 1;
	return true;
}

static bool json_list(const char **p, const char *end, char close, bool members,
		      int depth)
{
	(*p)++;
	ws(p, end);
	if (*p < end && **p == close) {
		(*p)++;
		return true;
	}
	for (;;) {
		if (members) {
			if (!json_str(p, end))
				return false;
			ws(p, end);
			if (*p >= end || *(*p)++ != ':')
				return false;
		}
		if (!json_value(p, end, depth + 1))
			return false;
		ws(p, end);
		if (*p >= end)
			return false;
		if (**p == close) {
			(*p)++;
			return true;
		}
		if (*(*p)++ != ',')
			return false;
		ws(p, end);
	}
}

static bool json_value(const char **p, const char *end, int depth)
{
	const char *s;

	ws(p, end);
	if (*p >= end || depth > 16)
		return false;
	s = *p;
	if (*s == '{')
		return json_list(p, end, '}', true, depth);
	if (*s == '[')
		return json_list(p, end, ']', false, depth);
	if (*s == '"')
		return json_str(p, end);
	if (end - s >= 4 && (!memcmp(s, "true", 4) || !memcmp(s, "null", 4))) {
		*p = s + 4;
		return true;
	}
	if (end - s >= 5 && !memcmp(s, "false", 5)) {
		*p = s + 5;
		return true;
	}
	if (*s == '-')
		s++;
	if (s >= end || *s < '0' || *s > '9' ||
	    (*s == '0' && s + 1 < end && s[1] >= '0' && s[1] <= '9'))
		return false;
	while (s < end && *s >= '0' && *s <= '9')
		s++;
	*p = s;
	return true;
}

/* The second word of the line is "json" (ctl.c's rule, restated). */
static bool asks_json(const char *line)
{
	static const char sep[] = " \t\r";
	size_t n = strspn(line, sep);

	n += strcspn(line + n, sep);
	n += strspn(line + n, sep);
	return !strncmp(line + n, "json", 4) &&
	       (!line[n + 4] || strchr(sep, line[n + 4]));
}

static void check_json(const struct ctl_buf *b, const char *line)
{
	const char *p = b->data, *end = b->data + b->len - 1;
	size_t n = strspn(line, " \t\r");
	bool failed = !strncmp(line + n, "fail", 4) &&
		      (!line[n + 4] || strchr(" \t\r", line[n + 4]));

	if (!json_value(&p, end, 0))
		abort();
	ws(&p, end);
	if (p != end)
		abort();
	/* Only the claim "fail failed" holds for every line: other
	 * commands may fail too (unknown, too many words, too large). */
	if (failed && !ctl_reply_is_error(b->data, b->len, true))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_server s = {
		.fd = -1,
		.cmds = commands,
		.n_cmds = sizeof(commands) / sizeof(commands[0]),
		.dir_fd = -1,
	};
	char line[CTL_MAX_REQUEST + 1];
	struct ctl_buf reply;
	size_t len = size < CTL_MAX_REQUEST ? size : CTL_MAX_REQUEST;

	memcpy(line, data, len);
	line[len] = 0;
	ctl_buf_init(&reply);
	ctl_answer(&s, (const char *)data, size, &reply);
	if (!reply.len || reply.data[reply.len - 1] != '\n')
		abort();
	if (asks_json(line))
		check_json(&reply, line);
	ctl_buf_free(&reply);
	return 0;
}
