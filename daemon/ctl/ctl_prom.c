// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Prometheus text format over n2nctl tables. Label values may come from
 * the network, so they are escaped as the format says and kept UTF-8;
 * metric and label names are ours, from tables whose column names are
 * already [a-z0-9_].
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ctl_prom.h"

int prom_label_value(struct ctl_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, len;
	uint32_t cp;

	for (i = 0; i < n; i += len) {
		len = ctl_utf8_decode(p + i, n - i, &cp);
		if (!len) {
			ctl_buf_puts(b, "\xef\xbf\xbd"); /* U+FFFD */
			len = 1;
		} else if (cp == '\\') {
			ctl_buf_puts(b, "\\\\");
		} else if (cp == '"') {
			ctl_buf_puts(b, "\\\"");
		} else if (cp == '\n') {
			ctl_buf_puts(b, "\\n");
		} else {
			ctl_buf_put(b, p + i, len);
		}
	}
	return b->err;
}

/* HELP text escapes backslash and newline only. */
static void help_text(struct ctl_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			ctl_buf_puts(b, "\\\\");
		else if (*s == '\n')
			ctl_buf_puts(b, "\\n");
		else
			ctl_buf_put(b, s, 1);
	}
}

int prom_family(struct ctl_buf *b, const char *name, const char *type,
		const char *help)
{
	ctl_buf_printf(b, "# HELP %s ", name);
	help_text(b, help);
	return ctl_buf_printf(b, "\n# TYPE %s %s\n", name, type);
}

int prom_sample(struct ctl_buf *b, const char *name,
		const struct prom_label *labels, size_t n_labels,
		uint64_t value)
{
	size_t i;

	ctl_buf_puts(b, name);
	for (i = 0; i < n_labels; i++) {
		ctl_buf_printf(b, "%s%s=\"", i ? "," : "{", labels[i].name);
		prom_label_value(b, labels[i].value, labels[i].len);
		ctl_buf_put(b, "\"", 1);
	}
	if (n_labels)
		ctl_buf_put(b, "}", 1);
	return ctl_buf_printf(b, " %" PRIu64 "\n", value);
}

static const char *column_name(const struct ctl_table *t, size_t col)
{
	return t->strings.data + t->col_name[col];
}

static int column_index(const struct ctl_table *t, const char *name)
{
	size_t col;

	for (col = 0; col < t->n_cols; col++)
		if (!strcmp(column_name(t, col), name))
			return (int)col;
	return -1;
}

static const struct ctl_cell *cell_at(const struct ctl_table *t, size_t row,
				      size_t col)
{
	return &t->cells[row * t->n_cols + col];
}

/* A numeric cell's value; false for null (and strings). */
static bool cell_value(const struct ctl_cell *c, uint64_t *v)
{
	switch (c->type) {
	case CTL_CELL_U64:
		*v = c->v.u64;
		return true;
	case CTL_CELL_S64:
		*v = c->v.s64 < 0 ? 0 : (uint64_t)c->v.s64;
		return true;
	case CTL_CELL_BOOL:
		*v = c->v.b;
		return true;
	default:
		return false;
	}
}

static void cell_label(const struct ctl_table *t, const struct ctl_cell *c,
		       struct prom_label *l)
{
	if (c->type == CTL_CELL_STR) {
		l->value = t->strings.data + c->v.str.off;
		l->len = c->v.str.len;
	} else {
		l->value = "";
		l->len = 0;
	}
}

static int spec_rows(struct ctl_buf *b, const struct ctl_table *t,
		     const char *const *label_cols, const int *label_idx,
		     size_t n_label_cols, const struct prom_column *spec)
{
	struct prom_label labels[PROM_MAX_LABELS];
	int col = column_index(t, spec->column);
	size_t row, i, n;
	uint64_t v;

	if (col < 0)
		return 0;
	for (row = 0; row < t->n_rows; row++) {
		if (!cell_value(cell_at(t, row, (size_t)col), &v))
			continue;
		n = 0;
		for (i = 0; i < n_label_cols; i++, n++) {
			labels[n].name = label_cols[i];
			cell_label(t, cell_at(t, row, (size_t)label_idx[i]),
				   &labels[n]);
		}
		for (i = 0;
		     i + 1 < 4 && spec->const_labels[i] && n < PROM_MAX_LABELS;
		     i += 2, n++) {
			labels[n].name = spec->const_labels[i];
			labels[n].value = spec->const_labels[i + 1];
			labels[n].len = strlen(labels[n].value);
		}
		prom_sample(b, spec->metric, labels, n, v);
	}
	return b->err;
}

int prom_table(struct ctl_buf *b, const struct ctl_table *t,
	       const char *const *label_cols, const struct prom_column *specs,
	       size_t n_specs)
{
	int label_idx[PROM_MAX_LABELS];
	size_t n_label_cols = 0, i;

	if (t->err)
		return b->err;
	for (; label_cols[n_label_cols]; n_label_cols++) {
		/* Two places for constant labels stay free. */
		if (n_label_cols == PROM_MAX_LABELS - 2)
			return b->err = -E2BIG;
		label_idx[n_label_cols] =
			column_index(t, label_cols[n_label_cols]);
		if (label_idx[n_label_cols] < 0)
			return 0; /* not this table: nothing to say */
	}
	for (i = 0; i < n_specs; i++) {
		if (!i || strcmp(specs[i].metric, specs[i - 1].metric))
			prom_family(b, specs[i].metric, specs[i].type,
				    specs[i].help);
		spec_rows(b, t, label_cols, label_idx, n_label_cols, &specs[i]);
	}
	return b->err;
}

int prom_counter_table(struct ctl_buf *b, const struct ctl_table *t,
		       const char *prefix)
{
	char name[128], help[160];
	const struct ctl_cell *c;
	size_t row, i, n;
	uint64_t v;

	if (t->err || t->n_cols != 2)
		return b->err;
	for (row = 0; row < t->n_rows; row++) {
		c = cell_at(t, row, 0);
		if (c->type != CTL_CELL_STR ||
		    !cell_value(cell_at(t, row, 1), &v))
			continue;
		n = c->v.str.len < 64 ? c->v.str.len : 64;
		snprintf(name, sizeof(name), "%s_%.*s_total", prefix, (int)n,
			 t->strings.data + c->v.str.off);
		/* Counter names are ours, [a-z0-9_]; anything else is cut. */
		for (i = strlen(prefix) + 1; name[i]; i++)
			if (!((name[i] >= 'a' && name[i] <= 'z') ||
			      (name[i] >= '0' && name[i] <= '9')))
				name[i] = '_';
		snprintf(help, sizeof(help), "n2nctl %s: %.*s", t->command,
			 (int)n, t->strings.data + c->v.str.off);
		prom_family(b, name, "counter", help);
		prom_sample(b, name, NULL, 0, v);
	}
	return b->err;
}

int prom_command(struct ctl_buf *b, const char *name, prom_cmd_fn fn, void *ctx,
		 const char *const *label_cols, const struct prom_column *specs,
		 size_t n_specs, const char *prefix)
{
	char *argv[] = { (char *)name, NULL };
	struct ctl_table t;

	ctl_table_init(&t, name);
	fn(&t, 1, argv, ctx);
	if (specs)
		prom_table(b, &t, label_cols, specs, n_specs);
	else
		prom_counter_table(b, &t, prefix);
	ctl_table_fini(&t);
	return b->err;
}
