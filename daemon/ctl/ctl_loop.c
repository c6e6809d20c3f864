// SPDX-License-Identifier: GPL-2.0-only
/* The control socket inside a daemon's event loop, and counter rows. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "ctl_loop.h"

static void ctl_readable(void *arg)
{
	ctl_on_readable(arg);
}

struct ctl_server *ctl_attach(struct evloop *loop, const char *path,
			      const struct ctl_command *cmds, size_t n_cmds,
			      void *ctx, int *err)
{
	struct ctl_server *s = calloc(1, sizeof(*s));

	*err = s ? ctl_open(s, path, cmds, n_cmds, ctx) : -ENOMEM;
	if (*err) {
		free(s);
		return NULL;
	}
	*err = evloop_add(loop, ctl_fd(s), ctl_readable, s);
	if (*err) {
		ctl_close(s);
		free(s);
		return NULL;
	}
	return s;
}

void ctl_detach(struct evloop *loop, struct ctl_server *s)
{
	if (!s)
		return;
	evloop_del(loop, ctl_fd(s));
	ctl_close(s);
	free(s);
}

void ctl_counter_row(struct ctl_table *t, const char *name, uint64_t value)
{
	ctl_table_row(t);
	ctl_table_str(t, name);
	ctl_table_u64(t, value);
}

void ctl_drop_rows(struct ctl_table *t, const struct drop_counters *d)
{
	char name[64];
	int i;

	for (i = 0; i < DROP_COUNT; i++) {
		snprintf(name, sizeof(name), "drop_%s", drop_reason_name(i));
		ctl_counter_row(t, name, d->n[i]);
	}
}
