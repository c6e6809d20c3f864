// SPDX-License-Identifier: GPL-2.0-only
/*
 * The table builder and its two renderers (JSON and aligned text). Strings
 * reaching either renderer may come from the network (peer descriptions,
 * community names), so both escape everything a terminal or parser could
 * misread; docs/n2nctl.md is the schema.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_table.h"

void ctl_buf_init(struct ctl_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void ctl_buf_free(struct ctl_buf *b)
{
	free(b->data);
	ctl_buf_init(b);
}

void ctl_buf_reset(struct ctl_buf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->data)
		b->data[0] = 0;
}

/* Room for extra bytes plus the NUL that keeps data a C string. */
static int buf_reserve(struct ctl_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->err)
		return b->err;
	if (extra > CTL_MAX_OUTPUT - b->len)
		return b->err = -E2BIG;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	for (cap = b->cap ? b->cap : 256; cap < need; cap *= 2)
		;
	p = realloc(b->data, cap);
	if (!p)
		return b->err = -ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int ctl_buf_put(struct ctl_buf *b, const void *data, size_t n)
{
	int ret = buf_reserve(b, n);

	if (ret)
		return ret;
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = 0;
	return 0;
}

int ctl_buf_puts(struct ctl_buf *b, const char *s)
{
	return ctl_buf_put(b, s, strlen(s));
}

__attribute__((format(printf, 2, 0))) static int
buf_vprintf(struct ctl_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n, ret;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return b->err ? b->err : (b->err = -EINVAL);
	ret = buf_reserve(b, (size_t)n);
	if (ret)
		return ret;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int ctl_buf_printf(struct ctl_buf *b, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return ret;
}

void ctl_table_init(struct ctl_table *t, const char *command)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->command, sizeof(t->command), "%s", command ? command : "");
	ctl_buf_init(&t->strings);
}

void ctl_table_fini(struct ctl_table *t)
{
	free(t->cells);
	ctl_buf_free(&t->strings);
	t->cells = NULL;
	t->n_rows = t->n_cols = t->cells_cap = 0;
}

/* Records the first failure and its message; returns the sticky error. */
__attribute__((format(printf, 3, 4))) static int
table_fail(struct ctl_table *t, int err, const char *fmt, ...)
{
	va_list ap;

	if (t->err)
		return t->err;
	t->err = err;
	va_start(ap, fmt);
	vsnprintf(t->error, sizeof(t->error), fmt, ap);
	va_end(ap);
	return err;
}

int ctl_table_errorf(struct ctl_table *t, const char *fmt, ...)
{
	va_list ap;

	if (!t->err) {
		t->err = -EINVAL;
		va_start(ap, fmt);
		vsnprintf(t->error, sizeof(t->error), fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

const char *ctl_table_error(const struct ctl_table *t)
{
	return t->error[0] ? t->error : NULL;
}

/* Column names are JSON keys and header words: [a-z0-9_]+, unique. */
static bool column_name_ok(const struct ctl_table *t, const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > CTL_MAX_NAME)
		return false;
	for (i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
			return false;
	for (i = 0; i < t->n_cols; i++)
		if (strcmp(t->strings.data + t->col_name[i], name) == 0)
			return false;
	return true;
}

int ctl_table_column(struct ctl_table *t, const char *name)
{
	size_t off = t->strings.len;

	if (t->err)
		return t->err;
	if (t->n_rows)
		return table_fail(t, -EINVAL, "column '%.32s' after a row",
				  name);
	if (t->n_cols == CTL_MAX_COLUMNS)
		return table_fail(t, -E2BIG,
				  "table too large: more than %d "
				  "columns",
				  CTL_MAX_COLUMNS);
	if (!column_name_ok(t, name))
		return table_fail(t, -EINVAL, "bad column name '%.32s'", name);
	if (ctl_buf_put(&t->strings, name, strlen(name) + 1))
		return table_fail(t, t->strings.err, "out of memory");
	t->col_name[t->n_cols++] = off;
	return 0;
}

/* Grows cells to hold one more row, zeroed (CTL_CELL_NULL). */
static int cells_grow(struct ctl_table *t)
{
	size_t rows = t->cells_cap ? t->cells_cap * 2 : 16;
	struct ctl_cell *p;

	if (rows > CTL_MAX_ROWS)
		rows = CTL_MAX_ROWS;
	p = realloc(t->cells, rows * t->n_cols * sizeof(*p));
	if (!p)
		return table_fail(t, -ENOMEM, "out of memory");
	memset(p + t->cells_cap * t->n_cols, 0,
	       (rows - t->cells_cap) * t->n_cols * sizeof(*p));
	t->cells = p;
	t->cells_cap = rows;
	return 0;
}

int ctl_table_row(struct ctl_table *t)
{
	if (t->err)
		return t->err;
	if (!t->n_cols)
		return table_fail(t, -EINVAL, "a row before any column");
	if (t->n_rows == CTL_MAX_ROWS)
		return table_fail(t, -E2BIG,
				  "table too large: more than %d "
				  "rows",
				  CTL_MAX_ROWS);
	if (t->n_rows == t->cells_cap && cells_grow(t))
		return t->err;
	t->n_rows++;
	t->cur_col = 0;
	return 0;
}

/* The next cell of the current row, or NULL with the error recorded. */
static struct ctl_cell *next_cell(struct ctl_table *t)
{
	if (t->err)
		return NULL;
	if (!t->n_rows) {
		table_fail(t, -EINVAL, "a cell before any row");
		return NULL;
	}
	if (t->cur_col == t->n_cols) {
		table_fail(t, -E2BIG, "more cells than the %zu columns",
			   t->n_cols);
		return NULL;
	}
	return &t->cells[(t->n_rows - 1) * t->n_cols + t->cur_col++];
}

int ctl_table_strn(struct ctl_table *t, const char *s, size_t len)
{
	struct ctl_cell *c;
	size_t off = t->strings.len;

	if (!t->err && len > CTL_MAX_STR)
		return table_fail(t, -E2BIG,
				  "string cell of %zu bytes, more "
				  "than %d",
				  len, CTL_MAX_STR);
	c = next_cell(t);
	if (!c)
		return t->err;
	if (ctl_buf_put(&t->strings, s, len))
		return table_fail(t, t->strings.err,
				  "table too large: out of "
				  "memory for strings");
	c->type = CTL_CELL_STR;
	c->v.str.off = off;
	c->v.str.len = len;
	return 0;
}

int ctl_table_str(struct ctl_table *t, const char *s)
{
	if (!s)
		return ctl_table_null(t);
	return ctl_table_strn(t, s, strlen(s));
}

int ctl_table_strf(struct ctl_table *t, const char *fmt, ...)
{
	char text[CTL_MAX_STR + 1];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0)
		return table_fail(t, -EINVAL, "bad format '%.32s'", fmt);
	if (n > CTL_MAX_STR)
		return table_fail(t, -E2BIG,
				  "string cell of %d bytes, more "
				  "than %d",
				  n, CTL_MAX_STR);
	return ctl_table_strn(t, text, (size_t)n);
}

int ctl_table_u64(struct ctl_table *t, uint64_t v)
{
	struct ctl_cell *c = next_cell(t);

	if (!c)
		return t->err;
	c->type = CTL_CELL_U64;
	c->v.u64 = v;
	return 0;
}

int ctl_table_s64(struct ctl_table *t, int64_t v)
{
	struct ctl_cell *c = next_cell(t);

	if (!c)
		return t->err;
	c->type = CTL_CELL_S64;
	c->v.s64 = v;
	return 0;
}

int ctl_table_bool(struct ctl_table *t, bool v)
{
	struct ctl_cell *c = next_cell(t);

	if (!c)
		return t->err;
	c->type = CTL_CELL_BOOL;
	c->v.b = v;
	return 0;
}

int ctl_table_null(struct ctl_table *t)
{
	struct ctl_cell *c = next_cell(t);

	if (!c)
		return t->err;
	c->type = CTL_CELL_NULL;
	return 0;
}

size_t ctl_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c = s[0], min;
	size_t len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		len = 2, c &= 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3, c &= 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* C0, DEL and C1 controls: a terminal may act on them (C1 0x9b is CSI). */
static bool is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* One code point of a JSON string; invalid UTF-8 became U+FFFD earlier. */
static void json_code_point(struct ctl_buf *b, uint32_t cp,
			    const unsigned char *raw, size_t len)
{
	static const char short_esc[] = {
		['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't'
	};

	if (cp == '"' || cp == '\\')
		ctl_buf_printf(b, "\\%c", (char)cp);
	else if (cp < sizeof(short_esc) && short_esc[cp])
		ctl_buf_printf(b, "\\%c", short_esc[cp]);
	else if (is_control(cp) || cp == 0x2028 || cp == 0x2029)
		/* U+2028/9 end lines in JavaScript, which some readers eval. */
		ctl_buf_printf(b, "\\u%04x", (unsigned int)cp);
	else
		ctl_buf_put(b, raw, len);
}

static void json_string(struct ctl_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, len;
	uint32_t cp;

	ctl_buf_put(b, "\"", 1);
	for (i = 0; i < n; i += len) {
		len = ctl_utf8_decode(p + i, n - i, &cp);
		if (!len) {
			/* JSON text is UTF-8: a stray byte has no spelling. */
			ctl_buf_puts(b, "\\ufffd");
			len = 1;
			continue;
		}
		json_code_point(b, cp, p + i, len);
	}
	ctl_buf_put(b, "\"", 1);
}

/* Text for a terminal: controls and invalid bytes as \xNN, '\' as "\\". */
static void text_string(struct ctl_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, j, len;
	uint32_t cp;

	for (i = 0; i < n; i += len) {
		len = ctl_utf8_decode(p + i, n - i, &cp);
		if (len && cp == '\\') {
			ctl_buf_puts(b, "\\\\");
		} else if (len && !is_control(cp)) {
			ctl_buf_put(b, p + i, len);
		} else {
			len = len ? len : 1;
			for (j = 0; j < len; j++)
				ctl_buf_printf(b, "\\x%02x", p[i + j]);
		}
	}
}

static const struct ctl_cell *cell_at(const struct ctl_table *t, size_t row,
				      size_t col)
{
	return &t->cells[row * t->n_cols + col];
}

static const char *column_name(const struct ctl_table *t, size_t col)
{
	return t->strings.data + t->col_name[col];
}

static void json_cell(struct ctl_buf *b, const struct ctl_table *t,
		      const struct ctl_cell *c)
{
	switch (c->type) {
	case CTL_CELL_STR:
		json_string(b, t->strings.data + c->v.str.off, c->v.str.len);
		break;
	case CTL_CELL_U64:
		ctl_buf_printf(b, "%" PRIu64, c->v.u64);
		break;
	case CTL_CELL_S64:
		ctl_buf_printf(b, "%" PRId64, c->v.s64);
		break;
	case CTL_CELL_BOOL:
		ctl_buf_puts(b, c->v.b ? "true" : "false");
		break;
	default:
		ctl_buf_puts(b, "null");
	}
}

static void json_row(struct ctl_buf *b, const struct ctl_table *t, size_t row)
{
	size_t col;

	ctl_buf_put(b, "{", 1);
	for (col = 0; col < t->n_cols; col++) {
		if (col)
			ctl_buf_put(b, ",", 1);
		json_string(b, column_name(t, col),
			    strlen(column_name(t, col)));
		ctl_buf_put(b, ":", 1);
		json_cell(b, t, cell_at(t, row, col));
	}
	ctl_buf_put(b, "}", 1);
}

int ctl_render_json(const struct ctl_table *t, struct ctl_buf *out)
{
	size_t i;

	ctl_buf_puts(out, "{\"command\":");
	json_string(out, t->command, strlen(t->command));
	ctl_buf_puts(out, ",\"columns\":[");
	for (i = 0; i < t->n_cols; i++) {
		if (i)
			ctl_buf_put(out, ",", 1);
		json_string(out, column_name(t, i), strlen(column_name(t, i)));
	}
	ctl_buf_puts(out, "],\"rows\":[");
	for (i = 0; i < t->n_rows; i++) {
		if (i)
			ctl_buf_put(out, ",", 1);
		json_row(out, t, i);
	}
	return ctl_buf_puts(out, "]}\n");
}

/* The human text of a cell; numbers and booleans need no escaping. */
static void text_cell(struct ctl_buf *b, const struct ctl_table *t,
		      const struct ctl_cell *c)
{
	switch (c->type) {
	case CTL_CELL_STR:
		text_string(b, t->strings.data + c->v.str.off, c->v.str.len);
		break;
	case CTL_CELL_U64:
		ctl_buf_printf(b, "%" PRIu64, c->v.u64);
		break;
	case CTL_CELL_S64:
		ctl_buf_printf(b, "%" PRId64, c->v.s64);
		break;
	case CTL_CELL_BOOL:
		ctl_buf_puts(b, c->v.b ? "yes" : "no");
		break;
	default:
		ctl_buf_puts(b, "-");
	}
}

/* Escaped text is ASCII or whole UTF-8 sequences: count the lead bytes. */
static size_t display_width(const char *s, size_t n)
{
	size_t i, w = 0;

	for (i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xc0) != 0x80;
	return w;
}

struct text_layout {
	size_t width[CTL_MAX_COLUMNS];
	bool right[CTL_MAX_COLUMNS]; /* a column of numbers (and nulls) */
};

static bool column_is_numeric(const struct ctl_table *t, size_t col)
{
	bool any = false;
	size_t row;

	for (row = 0; row < t->n_rows; row++) {
		enum ctl_cell_type type = cell_at(t, row, col)->type;

		if (type == CTL_CELL_STR || type == CTL_CELL_BOOL)
			return false;
		any |= type != CTL_CELL_NULL;
	}
	return any;
}

/* Column widths: the header's or the widest cell's; scratch is reused. */
static int text_layout(const struct ctl_table *t, struct text_layout *lay,
		       struct ctl_buf *scratch)
{
	size_t row, col, w;

	for (col = 0; col < t->n_cols; col++) {
		lay->width[col] = strlen(column_name(t, col));
		lay->right[col] = column_is_numeric(t, col);
		for (row = 0; row < t->n_rows; row++) {
			ctl_buf_reset(scratch);
			text_cell(scratch, t, cell_at(t, row, col));
			if (scratch->err)
				return scratch->err;
			w = display_width(scratch->data, scratch->len);
			if (w > lay->width[col])
				lay->width[col] = w;
		}
	}
	return 0;
}

static void pad(struct ctl_buf *b, size_t n)
{
	static const char spaces[] = "                                ";

	while (n) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

		ctl_buf_put(b, spaces, k);
		n -= k;
	}
}

/* One field, padded to its column; no trailing blanks after the last. */
static void text_field(struct ctl_buf *b, const struct text_layout *lay,
		       size_t col, bool last, const char *s, size_t n)
{
	size_t w = display_width(s, n), fill = lay->width[col] - w;

	if (lay->right[col])
		pad(b, fill);
	ctl_buf_put(b, s, n);
	if (last)
		return;
	if (!lay->right[col])
		pad(b, fill);
	pad(b, 2);
}

static void text_header(struct ctl_buf *b, const struct ctl_table *t,
			const struct text_layout *lay)
{
	char upper[CTL_MAX_NAME + 1];
	size_t col, i, n;

	for (col = 0; col < t->n_cols; col++) {
		const char *name = column_name(t, col);

		n = strlen(name);
		for (i = 0; i < n; i++)
			upper[i] = (name[i] >= 'a' && name[i] <= 'z')
					   ? (char)(name[i] - 'a' + 'A')
					   : name[i];
		text_field(b, lay, col, col + 1 == t->n_cols, upper, n);
	}
	ctl_buf_put(b, "\n", 1);
}

static int text_rows(struct ctl_buf *out, const struct ctl_table *t,
		     const struct text_layout *lay, struct ctl_buf *scratch)
{
	size_t row, col;

	for (row = 0; row < t->n_rows && !out->err; row++) {
		for (col = 0; col < t->n_cols; col++) {
			ctl_buf_reset(scratch);
			text_cell(scratch, t, cell_at(t, row, col));
			if (scratch->err)
				return scratch->err;
			text_field(out, lay, col, col + 1 == t->n_cols,
				   scratch->data, scratch->len);
		}
		ctl_buf_put(out, "\n", 1);
	}
	return out->err;
}

int ctl_render_text(const struct ctl_table *t, struct ctl_buf *out)
{
	struct text_layout *lay;
	struct ctl_buf scratch;
	int ret;

	if (!t->n_rows)
		return ctl_buf_puts(out, "(none)\n");
	lay = calloc(1, sizeof(*lay));
	if (!lay)
		return out->err = -ENOMEM;
	ctl_buf_init(&scratch);
	ret = text_layout(t, lay, &scratch);
	if (!ret) {
		text_header(out, t, lay);
		ret = text_rows(out, t, lay, &scratch);
	}
	ctl_buf_free(&scratch);
	free(lay);
	if (ret && !out->err)
		out->err = ret;
	return out->err;
}

int ctl_render_error(const char *command, const char *msg, bool json,
		     struct ctl_buf *out)
{
	if (json) {
		ctl_buf_puts(out, "{\"command\":");
		json_string(out, command, strlen(command));
		ctl_buf_puts(out, ",\"error\":");
		json_string(out, msg, strlen(msg));
		return ctl_buf_puts(out, "}\n");
	}
	ctl_buf_puts(out, "n2nctl: ");
	text_string(out, command, strlen(command));
	ctl_buf_puts(out, ": ");
	text_string(out, msg, strlen(msg));
	return ctl_buf_puts(out, "\n");
}

int ctl_render(const struct ctl_table *t, bool json, struct ctl_buf *out)
{
	if (t->error[0])
		return ctl_render_error(t->command, t->error, json, out);
	if (t->err) /* a failure without words: cannot happen, but say so */
		return ctl_render_error(t->command, strerror(-t->err), json,
					out);
	return json ? ctl_render_json(t, out) : ctl_render_text(t, out);
}

/* Skips the JSON string at *p (after its opening quote); false if cut. */
static bool skip_json_string(const char **p, const char *end)
{
	const char *s = *p;

	while (s < end && *s != '"')
		s += (*s == '\\') ? 2 : 1;
	if (s >= end)
		return false;
	*p = s + 1;
	return true;
}

bool ctl_reply_is_error(const char *reply, size_t len, bool json)
{
	static const char head[] = "{\"command\":\"", tail[] = ",\"error\":";
	const char *p = reply + sizeof(head) - 1, *end = reply + len;

	if (!json)
		return len >= 8 && memcmp(reply, "n2nctl: ", 8) == 0;
	if (len < sizeof(head) - 1 || memcmp(reply, head, sizeof(head) - 1))
		return false;
	if (!skip_json_string(&p, end))
		return false;
	return (size_t)(end - p) >= sizeof(tail) - 1 &&
	       memcmp(p, tail, sizeof(tail) - 1) == 0;
}
