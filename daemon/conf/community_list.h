/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The supernode's community list (-c community.list, n2n 3.x format):
 * fixed names with an optional auto-IP subnet, regular expressions, and
 * user/public-key lines that make the fixed community above them a
 * user/password community. Without a list, every community is allowed.
 *
 *   # comment
 *   mynetwork                fixed name
 *   office 10.1.2.0/24       fixed name, auto-IP subnet (prefix 1..30)
 *   net[0-9]+                regular expression, full match (a name with
 *                            any of . * + ? [ ] and backslash)
 *   * logan nHWum+r42k1q...  user "logan" of "office" (43-char public key)
 */
#ifndef N2NK_COMMUNITY_LIST_H
#define N2NK_COMMUNITY_LIST_H

#include <netinet/in.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "n2n_wire_defs.h"
#include "proto/auth.h"

struct community_user {
	char name[N2N_DESC_SIZE]; /* up to 15 chars, the edge's -I */
	uint8_t public_key[AUTH_KEY_SIZE];
};

struct community_entry {
	char name[N2N_COMMUNITY_SIZE];
	bool has_subnet;
	struct in_addr subnet; /* network byte order, if has_subnet */
	uint8_t prefix;
	struct community_user *users; /* non-empty: user/password community */
	size_t n_users;
};

struct community_regex {
	char *pattern; /* as written in the file */
	regex_t re;    /* compiled anchored: ^(pattern)$ */
};

struct community_list {
	bool loaded; /* false: no list, any community allowed */
	struct community_entry *fixed;
	size_t n_fixed;
	struct community_regex *regex;
	size_t n_regex;
};

/*
 * Reads path into l (which needs no initialisation). 0, or -EINVAL/-errno
 * with "path:line: text: problem" in err and l left empty. A file with no
 * community at all is an error (stock n2n then allows every community).
 */
int community_list_load(struct community_list *l, const char *path, char *err,
			size_t errlen) __attribute__((warn_unused_result));
void community_list_free(struct community_list *l);

/* Listed by name or matching one expression; true when no list loaded. */
bool community_list_allows(const struct community_list *l, const char *name);
/* The fixed-name entry (subnet, users); NULL if not listed by name. */
const struct community_entry *
community_list_find(const struct community_list *l, const char *name);
/* The user of community `name` holding this public key; NULL if none. */
const struct community_user *
community_list_find_user(const struct community_list *l, const char *name,
			 const uint8_t public_key[AUTH_KEY_SIZE]);

#endif /* N2NK_COMMUNITY_LIST_H */
