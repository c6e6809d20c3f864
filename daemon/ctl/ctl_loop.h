/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What both daemons do with their control socket: attach it to the event
 * loop, detach it, and list counters (drop reasons included) as rows.
 */
#ifndef N2NK_CTL_LOOP_H
#define N2NK_CTL_LOOP_H

#include "common/evloop.h"
#include "ctl.h"
#include "n2nk_reasons.h"

/* Opens path and serves cmds from loop; NULL (and -errno in *err) if not. */
struct ctl_server *ctl_attach(struct evloop *loop, const char *path,
			      const struct ctl_command *cmds, size_t n_cmds,
			      void *ctx, int *err);
void ctl_detach(struct evloop *loop, struct ctl_server *s);

/* A "counter, value" row; the table's columns are counter and value. */
void ctl_counter_row(struct ctl_table *t, const char *name, uint64_t value);
/*
 * One row per reason of the layer, by slot (n2nk_reason_slot()), named
 * [layer_][drop_]reason as docs/n2nctl.md says, e.g. "drop_ttl_expired"
 * (the daemon's), "xdp_relayed", "xsk_drop_ip_checksum".
 */
void ctl_reason_rows(struct ctl_table *t, enum n2nk_layer layer,
		     const uint64_t count[N2NK_REASON_SLOTS]);

#endif /* N2NK_CTL_LOOP_H */
