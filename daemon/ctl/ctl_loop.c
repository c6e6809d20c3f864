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

/*
 * Every reason the layer can give (include/n2nk_reasons.h), and any other
 * that was counted anyway, so that nothing counted is hidden.
 */
void ctl_reason_rows(struct ctl_table *t, enum n2nk_layer layer,
		     const uint64_t count[N2NK_REASON_SLOTS])
{
	enum n2nk_verdict v;
	char name[64];
	int slot;

	for (slot = 0; slot < N2NK_REASON_SLOTS; slot++) {
		v = n2nk_verdict(layer, -slot);
		if (v == N2NK_VERDICT_NONE && !count[slot])
			continue;
		snprintf(name, sizeof(name), "%s%s%s", n2nk_layer_prefix(layer),
			 v == N2NK_VERDICT_DROP ? "drop_" : "",
			 slot ? n2nk_reason_name(-slot)
			      : n2nk_layer_ok_name(layer));
		ctl_counter_row(t, name, count[slot]);
	}
}
