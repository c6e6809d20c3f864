// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Prometheus text format over n2nctl tables. Label values may come from
 * the network, so they are escaped as the format says and kept UTF-8;
 * metric and label names are ours, from tables whose column names are
 * already [a-z0-9_].
 */
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/evloop.h"
#include "ctl_prom.h"
#include "n2nk_reasons.h"

/*
 * Two steps in one: the name as n2nctl shows it (a backslash "\\", a byte
 * that is not UTF-8 "\xNN"), which is one-to-one, then the format's
 * escapes, which are too: a backslash is four, an odd byte "\\xNN".
 */
int prom_label_value(struct ctl_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, len;
	uint32_t cp;

	for (i = 0; i < n; i += len) {
		len = ctl_utf8_decode(p + i, n - i, &cp);
		if (!len) {
			ctl_buf_printf(b, "\\\\x%02x", p[i]);
			len = 1;
		} else if (cp == '\\') {
			ctl_buf_puts(b, "\\\\\\\\");
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

/* A numeric cell's value; false for null, strings and a negative number,
 * which no counter or gauge here can be (left out, not shown as 0). */
static bool cell_value(const struct ctl_cell *c, uint64_t *v)
{
	switch (c->type) {
	case CTL_CELL_U64:
		*v = c->v.u64;
		return true;
	case CTL_CELL_S64:
		*v = (uint64_t)c->v.s64;
		return c->v.s64 >= 0;
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

/* A layer's label: its n2nctl prefix without the '_', "daemon" for "". */
static void layer_label(enum n2nk_layer layer, char *out, size_t size)
{
	const char *p = n2nk_layer_prefix(layer);
	size_t n = strlen(p);

	if (!n)
		snprintf(out, size, "daemon");
	else
		snprintf(out, size, "%.*s", (int)(n - 1), p);
}

/* Whether row is layer's count of a reason, as ctl_reason_rows names it;
 * slot 0 (the normal way) is not a reason. */
static bool reason_in_layer(const char *row, size_t n, enum n2nk_layer layer,
			    int *slot)
{
	const char *p = n2nk_layer_prefix(layer), *name;
	size_t plen = strlen(p), k;
	enum n2nk_verdict v;
	int i;

	if (n <= plen || memcmp(row, p, plen))
		return false;
	row += plen, n -= plen;
	for (i = 1; i < N2NK_REASON_SLOTS; i++) {
		v = n2nk_verdict(layer, -i);
		if (v == N2NK_VERDICT_NONE || v == N2NK_VERDICT_OK)
			continue;
		name = n2nk_reason_name(-i);
		k = v == N2NK_VERDICT_DROP ? 5 : 0; /* "drop_" */
		if (n == k + strlen(name) && !memcmp(row, "drop_", k) &&
		    !memcmp(row + k, name, n - k)) {
			*slot = i;
			return true;
		}
	}
	return false;
}

static const enum n2nk_layer all_layers[] = {
	N2NK_LAYER_RELAY,    N2NK_LAYER_XSK,	 N2NK_LAYER_OBSERVER,
	N2NK_LAYER_EDGE_TAP, N2NK_LAYER_EDGE_TX, N2NK_LAYER_EDGE_RX,
	N2NK_LAYER_DAEMON, /* its prefix is "": last */
};

/* The layer and reason slot of a stats row, if it counts one. */
static bool reason_of(const char *row, size_t n, enum n2nk_layer *layer,
		      int *slot)
{
	size_t i;

	for (i = 0; i < sizeof(all_layers) / sizeof(all_layers[0]); i++)
		if (reason_in_layer(row, n, all_layers[i], slot)) {
			*layer = all_layers[i];
			return true;
		}
	return false;
}

/* Which family a reason row goes to: 1 dropped, 2 passed on, 0 none. */
static int reason_family(const struct ctl_table *t, size_t row,
			 enum n2nk_layer *layer, int *slot)
{
	const struct ctl_cell *c = cell_at(t, row, 0);

	if (c->type != CTL_CELL_STR ||
	    !reason_of(t->strings.data + c->v.str.off, c->v.str.len, layer,
		       slot))
		return 0;
	return n2nk_verdict(*layer, -*slot) == N2NK_VERDICT_DROP ? 1 : 2;
}

/* The rows that are no reason: a counter each. */
static void plain_counters(struct ctl_buf *b, const struct ctl_table *t,
			   const char *prefix)
{
	char name[128], help[160];
	const struct ctl_cell *c;
	enum n2nk_layer layer;
	size_t row, i, n;
	uint64_t v;
	int slot;

	for (row = 0; row < t->n_rows; row++) {
		c = cell_at(t, row, 0);
		if (c->type != CTL_CELL_STR ||
		    !cell_value(cell_at(t, row, 1), &v) ||
		    reason_family(t, row, &layer, &slot))
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
}

/* One family (1 dropped, 2 passed on) of the reason rows. */
static void reason_samples(struct ctl_buf *b, const struct ctl_table *t,
			   const char *metric, int family)
{
	struct prom_label l[3] = { { "layer", NULL, 0 },
				   { "reason", NULL, 0 },
				   { "to", NULL, 0 } };
	enum n2nk_layer layer;
	char lname[16];
	size_t row;
	uint64_t v;
	int slot;

	for (row = 0; row < t->n_rows; row++) {
		if (reason_family(t, row, &layer, &slot) != family ||
		    !cell_value(cell_at(t, row, 1), &v))
			continue;
		layer_label(layer, lname, sizeof(lname));
		l[0].value = lname, l[0].len = strlen(lname);
		l[1].value = n2nk_reason_name(-slot);
		l[1].len = strlen(l[1].value);
		l[2].value = n2nk_verdict(layer, -slot) == N2NK_VERDICT_DAEMON
				     ? "daemon"
				     : "stack";
		l[2].len = strlen(l[2].value);
		prom_sample(b, metric, l, family == 1 ? 2 : 3, v);
	}
}

int prom_counter_table(struct ctl_buf *b, const struct ctl_table *t,
		       const char *prefix)
{
	char name[96];

	if (t->err || t->n_cols != 2)
		return b->err;
	plain_counters(b, t, prefix);
	snprintf(name, sizeof(name), "%s_dropped_total", prefix);
	prom_family(b, name, "counter",
		    "packets dropped, by layer and reason "
		    "(include/n2nk_reasons.h, docs/n2nctl.md)");
	reason_samples(b, t, name, 1);
	snprintf(name, sizeof(name), "%s_passed_on_total", prefix);
	prom_family(b, name, "counter",
		    "packets a layer handed on unchanged, to the daemon or "
		    "the kernel's stack, by layer and reason");
	reason_samples(b, t, name, 2);
	return b->err;
}

void prom_top_init(struct prom_top *t)
{
	t->n = t->seen = 0;
}

static bool top_less(const struct prom_top_item *a,
		     const struct prom_top_item *b)
{
	return a->score < b->score || (a->score == b->score && a->tie < b->tie);
}

static void top_swap(struct prom_top *t, size_t i, size_t j)
{
	struct prom_top_item x = t->e[i];

	t->e[i] = t->e[j];
	t->e[j] = x;
}

/* e[] is a min-heap while items come in: e[0] is the first to go. */
static void top_down(struct prom_top *t, size_t i)
{
	size_t l, m;

	for (;;) {
		l = 2 * i + 1;
		m = i;
		if (l < t->n && top_less(&t->e[l], &t->e[m]))
			m = l;
		if (l + 1 < t->n && top_less(&t->e[l + 1], &t->e[m]))
			m = l + 1;
		if (m == i)
			return;
		top_swap(t, i, m);
		i = m;
	}
}

void prom_top_add(struct prom_top *t, const void *item, const void *ctx,
		  uint64_t score, uint64_t tie)
{
	struct prom_top_item x = { score, tie, item, ctx };
	size_t i;

	t->seen++;
	if (t->n == PROM_TOP_MAX) {
		if (!top_less(&t->e[0], &x))
			return;
		t->e[0] = x;
		top_down(t, 0);
		return;
	}
	i = t->n++;
	t->e[i] = x;
	while (i && top_less(&t->e[i], &t->e[(i - 1) / 2])) {
		top_swap(t, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static int top_cmp(const void *a, const void *b)
{
	const struct prom_top_item *x = a, *y = b;

	return top_less(y, x) ? -1 : top_less(x, y) ? 1 : 0;
}

void prom_top_sort(struct prom_top *t)
{
	qsort(t->e, t->n, sizeof(t->e[0]), top_cmp);
}

uint64_t prom_unix_s(uint64_t mono_ms)
{
	uint64_t now = evloop_now_ms(), wall = evloop_wall_usec() / 1000;
	uint64_t ago = now > mono_ms ? now - mono_ms : 0;

	return wall > ago ? (wall - ago) / 1000 : 0;
}

/* The per-run key: ids mean nothing outside this daemon's life. */
static const unsigned char *id_key(void)
{
	static unsigned char key[crypto_shorthash_KEYBYTES];
	static bool have;

	if (!have) {
		if (sodium_init() < 0)
			abort(); /* no randomness: nothing safe to do */
		crypto_shorthash_keygen(key);
		have = true;
	}
	return key;
}

void prom_community_id(const char *name, size_t len, char out[PROM_ID_HEX + 1])
{
	unsigned char h[crypto_shorthash_BYTES]; /* SipHash-2-4 */

	crypto_shorthash(h, (const unsigned char *)name, len, id_key());
	sodium_bin2hex(out, PROM_ID_HEX + 1, h, PROM_ID_HEX / 2);
}

int prom_put_community(struct ctl_table *t, const char *name, size_t len,
		       bool names)
{
	char id[PROM_ID_HEX + 1];

	if (names)
		return ctl_table_strn(t, name, len);
	prom_community_id(name, len, id);
	return ctl_table_str(t, id);
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
