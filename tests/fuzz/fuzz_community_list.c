// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the supernode's community list (daemon/conf/
 * community_list.c), the input being the file. Checks: a load either
 * fails with a message and leaves the list empty, or every name it lists
 * is allowed and found, every user it lists is found by its key, and the
 * first word of each line gets an answer (a regular expression runs).
 */
#include <errno.h>
#include <string.h>

#include "conf/community_list.h"
#include "memfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_listed(const struct community_list *l)
{
	size_t i, j;

	for (i = 0; i < l->n_fixed; i++) {
		const struct community_entry *e = &l->fixed[i];

		if (!community_list_allows(l, e->name) ||
		    community_list_find(l, e->name) != e)
			abort();
		for (j = 0; j < e->n_users; j++)
			if (!community_list_find_user(l, e->name,
						      e->users[j].public_key))
				abort();
	}
}

/* The first word of every line, as a community name an edge could send. */
static void ask_each_line(const struct community_list *l, const uint8_t *data,
			  size_t size)
{
	char name[N2N_COMMUNITY_SIZE];
	size_t i = 0, n;

	while (i < size) {
		for (n = 0; i + n < size && data[i + n] != '\n' &&
			    data[i + n] != ' ' && n < sizeof(name) - 1;
		     n++)
			name[n] = data[i + n] ? (char)data[i + n] : '_';
		name[n] = 0;
		if (community_list_find(l, name) &&
		    !community_list_allows(l, name))
			abort();
		while (i < size && data[i] != '\n')
			i++;
		i++;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct community_list l;
	char err[512] = "";
	int ret;

	ret = community_list_load(&l, memfile(data, size), err, sizeof(err));
	if (ret) {
		if (!err[0] || l.loaded || l.n_fixed || l.n_regex)
			abort();
		return 0;
	}
	if (!l.loaded || (!l.n_fixed && !l.n_regex))
		abort();
	check_listed(&l);
	ask_each_line(&l, data, size);
	community_list_free(&l);
	return 0;
}
