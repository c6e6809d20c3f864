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
 * One sample: name{l1="v1",...} value. Label values are escaped as the
 * format says (backslash, double quote, newline) and bytes that are not
 * UTF-8 become U+FFFD, since they come from the network (community names,
 * descriptions).
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
 * A "counter, value" table (n2nctl stats): every row becomes
 * <prefix>_<counter>_total, a counter of its own.
 */
int prom_counter_table(struct ctl_buf *b, const struct ctl_table *t,
		       const char *prefix);

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
