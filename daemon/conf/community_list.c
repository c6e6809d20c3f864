// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loads the supernode's community.list (n2n 3.x format, see the header)
 * strictly: every line either is a valid entry or stops loading with its
 * file name, line number and the reason.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "community_list.h"
#include "conf.h"

#define MAX_WORDS      4
#define REGEX_CHARS    ".*+?[]\\"
#define USER_LINE_MARK "*"
#define MSG_LEN	       256

/* Where the next "* user key" line goes: the last fixed name, if any. */
struct load_state {
	struct community_list *l;
	ssize_t last_fixed; /* index, or -1 after a regex or at the start */
};

static size_t split_words(char *line, char *word[MAX_WORDS])
{
	char *save = NULL, *w;
	size_t n = 0;

	for (w = strtok_r(line, " \t", &save); w && n < MAX_WORDS;
	     w = strtok_r(NULL, " \t", &save))
		word[n++] = w;
	return n;
}

static int add_user(struct load_state *st, char **word, size_t n, char *msg)
{
	struct community_entry *e;
	struct community_user *u, *grown;
	size_t i;

	if (n != 3)
		return conf_fail(msg, MSG_LEN, "expected '* <user> <key>'");
	if (st->last_fixed < 0)
		return conf_fail(msg, MSG_LEN,
				 "user line must follow a fixed community "
				 "name");
	e = &st->l->fixed[st->last_fixed];
	grown = realloc(e->users, (e->n_users + 1) * sizeof(*grown));
	if (!grown)
		return conf_fail(msg, MSG_LEN, "out of memory");
	e->users = grown;
	u = &e->users[e->n_users];
	memset(u, 0, sizeof(*u));
	if (strlen(word[1]) >= sizeof(u->name))
		return conf_fail(msg, MSG_LEN,
				 "user name longer than %zu characters",
				 sizeof(u->name) - 1);
	strcpy(u->name, word[1]);
	if (strlen(word[2]) != AUTH_KEY_ASCII_LEN ||
	    auth_ascii_to_bin(u->public_key, AUTH_KEY_SIZE, word[2]))
		return conf_fail(msg, MSG_LEN,
				 "public key must be %d characters of "
				 "0-9 A-Z a-z + - (n2n-keygen output)",
				 AUTH_KEY_ASCII_LEN);
	for (i = 0; i < e->n_users; i++)
		if (!memcmp(e->users[i].public_key, u->public_key,
			    AUTH_KEY_SIZE))
			return conf_fail(msg, MSG_LEN, "same key as user '%s'",
					 e->users[i].name);
	e->n_users++;
	return 0;
}

/*
 * n2n matches with tiny-regex, which knows \d \w \s and their negations;
 * POSIX ERE does not, so they become bracket expressions (outside
 * brackets, where n2n lists use them).
 */
static const char *escape_class(char c)
{
	switch (c) {
	case 'd':
		return "[0-9]";
	case 'D':
		return "[^0-9]";
	case 'w':
		return "[A-Za-z0-9_]";
	case 'W':
		return "[^A-Za-z0-9_]";
	case 's':
		return "[[:space:]]";
	case 'S':
		return "[^[:space:]]";
	}
	return NULL;
}

/*
 * tiny-regex has no groups, alternatives or counted repetition: there
 * ( ) { } | are plain characters, so they are escaped for ERE too (which
 * also keeps glibc from copying a group once per repetition).
 */
static bool tiny_regex_literal(char c)
{
	return c && strchr("(){}|", c);
}

/*
 * A quantifier right after another one ("a++"): tiny-regex has no meaning
 * for it, and glibc's regcomp doubles its tree per extra quantifier (50 of
 * them take every byte of memory the supernode has).
 */
static bool stacked_quantifier(const char *p)
{
	bool in_bracket = false, after_quantifier = false;

	for (; *p; p++) {
		bool quantifier = !in_bracket && strchr("*+?", *p);

		if (quantifier && after_quantifier)
			return true;
		after_quantifier = quantifier;
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '[')
			in_bracket = true;
		else if (*p == ']')
			in_bracket = false;
	}
	return false;
}

/* "^(" pattern ")$" with tiny-regex classes spelled out; NULL on ENOMEM. */
static char *anchored_pattern(const char *p)
{
	char *out = malloc(strlen(p) * 12 + 5), *o = out;
	bool in_bracket = false;

	if (!out)
		return NULL;
	o += sprintf(o, "^(");
	for (; *p; p++) {
		const char *cls = !in_bracket && p[0] == '\\' && p[1]
					  ? escape_class(p[1])
					  : NULL;

		if (cls) {
			o += sprintf(o, "%s", cls);
			p++;
			continue;
		}
		if (*p == '\\' && p[1]) {
			*o++ = *p++;
		} else if (!in_bracket && tiny_regex_literal(*p)) {
			*o++ = '\\';
		} else if (*p == '[') {
			in_bracket = true;
		} else if (*p == ']') {
			in_bracket = false;
		}
		*o++ = *p;
	}
	strcpy(o, ")$");
	return out;
}

static int add_regex(struct load_state *st, const char *pattern, char *msg)
{
	struct community_list *l = st->l;
	struct community_regex *grown, *r;
	char *anchored;
	int rc;

	if (stacked_quantifier(pattern))
		return conf_fail(msg, MSG_LEN,
				 "bad regular expression: a repetition "
				 "(* + ?) right after another one");
	grown = realloc(l->regex, (l->n_regex + 1) * sizeof(*grown));
	if (!grown)
		return conf_fail(msg, MSG_LEN, "out of memory");
	l->regex = grown;
	r = &l->regex[l->n_regex];
	anchored = anchored_pattern(pattern);
	r->pattern = strdup(pattern);
	if (!anchored || !r->pattern) {
		free(anchored);
		free(r->pattern);
		return conf_fail(msg, MSG_LEN, "out of memory");
	}
	rc = regcomp(&r->re, anchored, REG_EXTENDED | REG_NOSUB);
	free(anchored);
	if (rc) {
		char why[128];

		regerror(rc, &r->re, why, sizeof(why));
		free(r->pattern);
		return conf_fail(msg, MSG_LEN, "bad regular expression: %s",
				 why);
	}
	l->n_regex++;
	st->last_fixed = -1;
	return 0;
}

static int parse_subnet(struct community_entry *e, const char *s, char *msg)
{
	char why[MSG_LEN];

	if (conf_parse_prefix_net(s, &e->subnet, &e->prefix, 1, 30, why,
				  sizeof(why)))
		return conf_fail(msg, MSG_LEN, "subnet '%s': %s", s, why);
	if (!e->subnet.s_addr)
		return conf_fail(msg, MSG_LEN, "subnet must not be 0.0.0.0");
	e->has_subnet = true;
	return 0;
}

static int add_fixed(struct load_state *st, char **word, size_t n, char *msg)
{
	struct community_list *l = st->l;
	struct community_entry *grown, *e;

	if (strlen(word[0]) >= sizeof(e->name))
		return conf_fail(msg, MSG_LEN,
				 "community name longer than %zu characters",
				 sizeof(e->name) - 1);
	if (community_list_find(l, word[0]))
		return conf_fail(msg, MSG_LEN, "community listed twice");
	grown = realloc(l->fixed, (l->n_fixed + 1) * sizeof(*grown));
	if (!grown)
		return conf_fail(msg, MSG_LEN, "out of memory");
	l->fixed = grown;
	e = &l->fixed[l->n_fixed];
	memset(e, 0, sizeof(*e));
	strcpy(e->name, word[0]);
	if (n == 2 && parse_subnet(e, word[1], msg))
		return -EINVAL;
	st->last_fixed = (ssize_t)l->n_fixed++;
	return 0;
}

static int parse_line(struct load_state *st, char *line, char *msg)
{
	char *word[MAX_WORDS] = { NULL };
	size_t n = split_words(line, word);

	if (!n) /* load_lines skips blank lines; be safe anyway */
		return conf_fail(msg, MSG_LEN, "empty line");
	if (!strcmp(word[0], USER_LINE_MARK))
		return add_user(st, word, n, msg);
	if (n > 2)
		return conf_fail(msg, MSG_LEN,
				 "expected '<community> [a.b.c.d/len]'");
	if (strpbrk(word[0], REGEX_CHARS)) {
		if (n == 2)
			return conf_fail(msg, MSG_LEN,
					 "a regular expression takes no "
					 "subnet");
		return add_regex(st, word[0], msg);
	}
	return add_fixed(st, word, n, msg);
}

static char *trim_space(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = 0;
	return s;
}

static int load_lines(struct community_list *l, FILE *f, const char *path,
		      char *err, size_t errlen)
{
	struct load_state st = { .l = l, .last_fixed = -1 };
	char *raw = NULL, *line, *copy, msg[MSG_LEN];
	unsigned int lineno = 0;
	size_t cap = 0;
	int ret = 0;

	while (!ret && getline(&raw, &cap, f) >= 0) {
		lineno++;
		line = trim_space(raw);
		if (strlen(line) < 2 || line[0] == '#')
			continue;
		copy = strdup(line); /* split_words cuts the line up */
		ret = copy ? parse_line(&st, copy, msg)
			   : conf_fail(msg, sizeof(msg), "out of memory");
		free(copy);
		if (ret)
			snprintf(err, errlen, "%s:%u: %s: %s", path, lineno,
				 line, msg);
	}
	free(raw);
	return ret;
}

int community_list_load(struct community_list *l, const char *path, char *err,
			size_t errlen)
{
	FILE *f = fopen(path, "r");
	int ret;

	memset(l, 0, sizeof(*l));
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: cannot open: %s", path,
			 strerror(-ret));
		return ret;
	}
	ret = load_lines(l, f, path, err, errlen);
	fclose(f);
	if (!ret && !l->n_fixed && !l->n_regex) {
		/* Stock n2n then allows any community: fail closed. */
		snprintf(err, errlen,
			 "%s: no community names or regular expressions", path);
		ret = -EINVAL;
	}
	if (ret) {
		community_list_free(l);
		return ret;
	}
	l->loaded = true;
	return 0;
}

void community_list_free(struct community_list *l)
{
	size_t i;

	for (i = 0; i < l->n_fixed; i++)
		free(l->fixed[i].users);
	for (i = 0; i < l->n_regex; i++) {
		regfree(&l->regex[i].re);
		free(l->regex[i].pattern);
	}
	free(l->fixed);
	free(l->regex);
	memset(l, 0, sizeof(*l));
}

const struct community_entry *
community_list_find(const struct community_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n_fixed; i++)
		if (!strcmp(l->fixed[i].name, name))
			return &l->fixed[i];
	return NULL;
}

bool community_list_allows(const struct community_list *l, const char *name)
{
	size_t i;

	if (!l->loaded || community_list_find(l, name))
		return true;
	for (i = 0; i < l->n_regex; i++)
		if (!regexec(&l->regex[i].re, name, 0, NULL, 0))
			return true;
	return false;
}

const struct community_user *
community_list_find_user(const struct community_list *l, const char *name,
			 const uint8_t public_key[AUTH_KEY_SIZE])
{
	const struct community_entry *e = community_list_find(l, name);
	size_t i;

	for (i = 0; e && i < e->n_users; i++)
		if (!memcmp(e->users[i].public_key, public_key, AUTH_KEY_SIZE))
			return &e->users[i];
	return NULL;
}
