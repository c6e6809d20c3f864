/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * n2nctl tables as Prometheus metrics (the text exposition format 0.0.4):
 * a daemon builds the same tables its n2nctl commands reply with and maps
 * their numeric columns to metric families, so a scrape and n2nctl cannot
 * disagree (docs/metrics.md lists the names).
 */
#ifndef N2NK_CTL_PROM_H
#define N2NK_CTL_PROM_H

#include <stdint.h>

#include "ctl.h"
#include "ctl_table.h"

#define PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define PROM_MAX_LABELS	  8

struct prom_label {
	const char *name; /* [a-z_][a-z0-9_]* */
	const char *value;
	size_t len; /* of value, which may hold any bytes */
};

/* "# HELP name help" and "# TYPE name type" (counter, gauge). */
int prom_family(struct ctl_buf *b, const char *name, const char *type,
		const char *help);
/*
 * One sample: name{l1="v1",...} value. Label values come from the network
 * (community names, descriptions), so they are escaped one-to-one: first a
 * backslash becomes "\\" and a byte that is not UTF-8 the text "\xNN" (as
 * n2nctl shows them), then the format's own escapes (backslash, double
 * quote, newline). Two names never give one label value.
 */
int prom_sample(struct ctl_buf *b, const char *name,
		const struct prom_label *labels, size_t n_labels,
		uint64_t value);
/* The escaped form of a label value alone (for tests). */
int prom_label_value(struct ctl_buf *b, const char *s, size_t n);

/*
 * Maps a column of a table to a metric: one sample per row, labelled by
 * the table's label columns and then by the spec's constant labels
 * (name, value pairs, NULL-ended). Consecutive specs with the same metric
 * share one family. Rows whose cell is null are left out; booleans are 0
 * or 1.
 */
struct prom_column {
	const char *column;
	const char *metric;
	const char *type;
	const char *help;
	const char *const_labels[4]; /* name, value, name, value */
};

/*
 * Renders t: label_cols (NULL-ended) name the string columns that become
 * labels (a column "mac" becomes label "mac"), specs the metrics. A table
 * that carries an error renders nothing; returns 0 or b's -errno.
 */
int prom_table(struct ctl_buf *b, const struct ctl_table *t,
	       const char *const *label_cols, const struct prom_column *specs,
	       size_t n_specs);
/*
 * A "counter, value" table (n2nctl stats). A row that counts a reason of
 * include/n2nk_reasons.h ([layer_][drop_]reason) is a sample of one of two
 * families: <prefix>_dropped_total{layer,reason} for drops,
 * <prefix>_passed_on_total{layer,reason,to} for what a layer handed on
 * unchanged (to="daemon" or "stack"); every other row is
 * <prefix>_<counter>_total, a counter of its own.
 */
int prom_counter_table(struct ctl_buf *b, const struct ctl_table *t,
		       const char *prefix);

/*
 * The PROM_TOP_MAX items with the highest (score, tie) of all offered:
 * per-peer series stay few whatever the network makes the tables hold.
 * seen - n were left out.
 */
#define PROM_TOP_MAX 256
struct prom_top {
	size_t n, seen;
	struct prom_top_item {
		uint64_t score, tie;
		const void *item, *ctx; /* ctx: what item belongs to */
	} e[PROM_TOP_MAX];
};

void prom_top_init(struct prom_top *t);
void prom_top_add(struct prom_top *t, const void *item, const void *ctx,
		  uint64_t score, uint64_t tie);
/* Orders e[0..n) highest first. */
void prom_top_sort(struct prom_top *t);

/*
 * A community's label value: its name only when names is set (the
 * operator's --metrics-community-names), else an opaque id, the same for
 * the daemon's life and nothing to anyone without it: n2n community names
 * are credentials (the key of -H, all one needs to join an open one).
 * `n2nctl communities` and `n2nctl info` show the id beside the name.
 */
/* A monotonic evloop_now_ms() time as Unix seconds (a *_timestamp_seconds
 * gauge's value). */
uint64_t prom_unix_s(uint64_t mono_ms);

#define PROM_ID_HEX 12
void prom_community_id(const char *name, size_t len, char out[PROM_ID_HEX + 1]);
int prom_put_community(struct ctl_table *t, const char *name, size_t len,
		       bool names);

/* An n2nctl command's fn, as ctl_command holds it. */
typedef int (*prom_cmd_fn)(struct ctl_table *t, int argc, char **argv,
			   void *ctx);

/*
 * Runs command `name` (no arguments) as n2nctl would and renders its table
 * with prom_table, or with prom_counter_table under prefix when specs is
 * NULL. 0 or b's -errno.
 */
int prom_command(struct ctl_buf *b, const char *name, prom_cmd_fn fn, void *ctx,
		 const char *const *label_cols, const struct prom_column *specs,
		 size_t n_specs, const char *prefix);

#endif /* N2NK_CTL_PROM_H */
