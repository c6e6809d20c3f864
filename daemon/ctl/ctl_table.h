/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Control replies as tables: a command fills named columns and rows of typed
 * cells once, and the control layer renders them as JSON for scripts or as an
 * aligned human table, so no command carries two renderers (docs/n2nctl.md).
 */
#ifndef N2NK_CTL_TABLE_H
#define N2NK_CTL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Hard caps; exceeding one is an error reply, never a crash. */
enum ctl_limits {
	CTL_MAX_COLUMNS = 64,
	CTL_MAX_ROWS = 100000,
	CTL_MAX_NAME = 32,   /* bytes of a column or command name */
	CTL_MAX_STR = 4096,  /* bytes of one string cell */
	CTL_MAX_ERROR = 256, /* bytes of an error message */
	CTL_MAX_OUTPUT = 64 * 1024 * 1024 /* bytes of a buffer */
};

/* A growable byte buffer; the first failure sticks in err (-ENOMEM, -E2BIG). */
struct ctl_buf {
	char *data;
	size_t len;
	size_t cap;
	int err;
};

void ctl_buf_init(struct ctl_buf *b);
void ctl_buf_free(struct ctl_buf *b);
/* Empties the buffer (and clears err), keeping the memory. */
void ctl_buf_reset(struct ctl_buf *b);
/* Appends; 0 or the sticky -errno. */
int ctl_buf_put(struct ctl_buf *b, const void *data, size_t n);
int ctl_buf_puts(struct ctl_buf *b, const char *s);
int ctl_buf_printf(struct ctl_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

enum ctl_cell_type {
	CTL_CELL_NULL = 0, /* absent: JSON null, "-" for humans */
	CTL_CELL_STR,
	CTL_CELL_U64,
	CTL_CELL_S64,
	CTL_CELL_BOOL,
};

struct ctl_cell {
	enum ctl_cell_type type;
	union {
		struct {
			size_t off; /* into ctl_table.strings */
			size_t len;
		} str;
		uint64_t u64;
		int64_t s64;
		bool b;
	} v;
};

/*
 * Use: ctl_table_init, ctl_table_column for each column, then per row
 * ctl_table_row followed by one ctl_table_<type> per column in column order
 * (cells left out stay null). The builders return 0 or -errno, and the first
 * error sticks: later calls do nothing and ctl_render replies with it, so a
 * command may check only at the end.
 */
struct ctl_table {
	char command[CTL_MAX_NAME + 1];
	size_t n_cols;
	size_t col_name[CTL_MAX_COLUMNS]; /* offsets into strings */
	size_t n_rows;
	size_t cur_col;		/* next cell of the last row */
	struct ctl_cell *cells; /* n_rows * n_cols, row-major */
	size_t cells_cap;	/* rows allocated */
	struct ctl_buf strings; /* arena of column names and string cells */
	int err;
	char error[CTL_MAX_ERROR]; /* set: the reply is this error */
};

/* command is copied (truncated to CTL_MAX_NAME). */
void ctl_table_init(struct ctl_table *t, const char *command);
void ctl_table_fini(struct ctl_table *t);
/* Columns come before the first row; names are lower_snake_case. */
int ctl_table_column(struct ctl_table *t, const char *name);
int ctl_table_row(struct ctl_table *t);
int ctl_table_str(struct ctl_table *t, const char *s);
/* Bytes that need not be NUL-terminated (and may hold NULs). */
int ctl_table_strn(struct ctl_table *t, const char *s, size_t len);
int ctl_table_strf(struct ctl_table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int ctl_table_u64(struct ctl_table *t, uint64_t v);
int ctl_table_s64(struct ctl_table *t, int64_t v);
int ctl_table_bool(struct ctl_table *t, bool v);
int ctl_table_null(struct ctl_table *t);
/*
 * Makes the reply an error with this message; returns -EINVAL so a command
 * can end with `return ctl_table_errorf(t, "no peer '%s'", argv[1]);`.
 */
int ctl_table_errorf(struct ctl_table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * The message the reply will carry, or NULL: set by ctl_table_errorf or by
 * a failed builder ("table too large: more than 100000 rows").
 */
const char *ctl_table_error(const struct ctl_table *t);

/*
 * Appends the reply for t to out: the table, or the error reply when
 * ctl_table_errorf was called or a builder failed. Returns 0, or -errno
 * when out itself failed (then out holds a partial reply: reset it and
 * send ctl_render_error(..., "reply too large")).
 */
int ctl_render(const struct ctl_table *t, bool json, struct ctl_buf *out);
int ctl_render_json(const struct ctl_table *t, struct ctl_buf *out);
int ctl_render_text(const struct ctl_table *t, struct ctl_buf *out);
/* {"command":"x","error":"text"} or "n2nctl: x: text", newline-ended. */
int ctl_render_error(const char *command, const char *msg, bool json,
		     struct ctl_buf *out);

/*
 * Length (1-4) of the well-formed UTF-8 sequence at s (n > 0 bytes) and its
 * code point; 0 for a stray, overlong, surrogate or out-of-range sequence.
 */
size_t ctl_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/*
 * For the client: whether a reply is an error reply. JSON: the member after
 * "command" is "error"; text: the reply starts with "n2nctl: ".
 */
bool ctl_reply_is_error(const char *reply, size_t len, bool json);

#endif /* N2NK_CTL_TABLE_H */
