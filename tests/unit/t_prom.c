// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Prometheus text renderer (daemon/ctl/ctl_prom.c): label values
 * escaped as the exposition format says, tables mapped to families.
 */
#include <stdlib.h>

#include "ctl/ctl_prom.h"
#include "test.h"

static const char *label(struct ctl_buf *b, const char *s, size_t n)
{
	ctl_buf_reset(b);
	prom_label_value(b, s, n);
	return b->data ? b->data : "";
}

TEST(prom_label_escapes_backslash_quote_newline)
{
	struct ctl_buf b;

	ctl_buf_init(&b);
	CHECK(!strcmp(label(&b, "lab", 3), "lab"));
	CHECK(!strcmp(label(&b, "a\\b", 3), "a\\\\b"));
	CHECK(!strcmp(label(&b, "say \"hi\"", 8), "say \\\"hi\\\""));
	CHECK(!strcmp(label(&b, "x\ny", 3), "x\\ny"));
	/* A forged sample cannot start a line of its own. */
	CHECK(!strcmp(label(&b, "\"} 1\nn2nk_x 9", 13), "\\\"} 1\\nn2nk_x 9"));
	/* UTF-8 stays, bytes that are not become U+FFFD; NUL is kept. */
	CHECK(!strcmp(label(&b, "caf\xc3\xa9", 5), "caf\xc3\xa9"));
	CHECK(!strcmp(label(&b, "a\xff", 2), "a\xef\xbf\xbd"));
	CHECK_EQ(label(&b, "a\0b", 3)[1], 0);
	CHECK_EQ(b.len, 3);
	ctl_buf_free(&b);
}

TEST(prom_sample_and_family)
{
	const struct prom_label l[] = { { "community", "c\"1", 3 },
					{ "mac", "02:00", 5 } };
	struct ctl_buf b;

	ctl_buf_init(&b);
	prom_family(&b, "n2nk_x_total", "counter", "a\\b\nc");
	prom_sample(&b, "n2nk_x_total", l, 2, 18446744073709551615ULL);
	prom_sample(&b, "n2nk_y", NULL, 0, 0);
	CHECK_MSG(!strcmp(b.data,
			  "# HELP n2nk_x_total a\\\\b\\nc\n"
			  "# TYPE n2nk_x_total counter\n"
			  "n2nk_x_total{community=\"c\\\"1\",mac=\"02:00\"} "
			  "18446744073709551615\n"
			  "n2nk_y 0\n"),
		  "%s", b.data);
	ctl_buf_free(&b);
}

TEST(prom_table_maps_columns)
{
	static const char *const by[] = { "mac", "path", NULL };
	static const struct prom_column specs[] = {
		{ "tx", "n2nk_p_total", "counter", "h", { "dir", "tx" } },
		{ "rx", "n2nk_p_total", "counter", "", { "dir", "rx" } },
		{ "up", "n2nk_up", "gauge", "u", { NULL } },
		{ "absent", "n2nk_absent", "gauge", "x", { NULL } },
	};
	struct ctl_table t;
	struct ctl_buf b;

	ctl_table_init(&t, "peers");
	ctl_table_column(&t, "mac");
	ctl_table_column(&t, "path");
	ctl_table_column(&t, "tx");
	ctl_table_column(&t, "rx");
	ctl_table_column(&t, "up");
	ctl_table_row(&t);
	ctl_table_str(&t, "m\\1");
	ctl_table_str(&t, "p2p");
	ctl_table_u64(&t, 5);
	ctl_table_null(&t); /* a null cell: no sample */
	ctl_table_bool(&t, true);
	ctl_buf_init(&b);
	CHECK_EQ(prom_table(&b, &t, by, specs, 4), 0);
	CHECK_MSG(!strcmp(b.data, "# HELP n2nk_p_total h\n"
				  "# TYPE n2nk_p_total counter\n"
				  "n2nk_p_total{mac=\"m\\\\1\",path=\"p2p\","
				  "dir=\"tx\"} 5\n"
				  "# HELP n2nk_up u\n"
				  "# TYPE n2nk_up gauge\n"
				  "n2nk_up{mac=\"m\\\\1\",path=\"p2p\"} 1\n"
				  "# HELP n2nk_absent x\n"
				  "# TYPE n2nk_absent gauge\n"),
		  "%s", b.data);
	ctl_buf_free(&b);
	ctl_table_fini(&t);
}

TEST(prom_counter_table_names_rows)
{
	struct ctl_table t;
	struct ctl_buf b;

	ctl_table_init(&t, "stats");
	ctl_table_column(&t, "counter");
	ctl_table_column(&t, "value");
	ctl_table_row(&t);
	ctl_table_str(&t, "drop_ttl_expired");
	ctl_table_u64(&t, 7);
	ctl_table_row(&t);
	ctl_table_str(&t, "odd-Name");
	ctl_table_u64(&t, 1);
	ctl_buf_init(&b);
	prom_counter_table(&b, &t, "n2nk_sn");
	CHECK_MSG(!strcmp(b.data,
			  "# HELP n2nk_sn_drop_ttl_expired_total n2nctl stats: "
			  "drop_ttl_expired\n"
			  "# TYPE n2nk_sn_drop_ttl_expired_total counter\n"
			  "n2nk_sn_drop_ttl_expired_total 7\n"
			  "# HELP n2nk_sn_odd__ame_total n2nctl stats: "
			  "odd-Name\n"
			  "# TYPE n2nk_sn_odd__ame_total counter\n"
			  "n2nk_sn_odd__ame_total 1\n"),
		  "%s", b.data);
	ctl_buf_free(&b);
	ctl_table_fini(&t);
}

TEST(prom_table_with_error_renders_nothing)
{
	static const char *const by[] = { NULL };
	static const struct prom_column specs[] = {
		{ "value", "n2nk_v", "gauge", "v", { NULL } },
	};
	struct ctl_table t;
	struct ctl_buf b;

	ctl_table_init(&t, "x");
	ctl_table_errorf(&t, "no");
	ctl_buf_init(&b);
	CHECK_EQ(prom_table(&b, &t, by, specs, 1), 0);
	CHECK_EQ(b.len, 0);
	ctl_buf_free(&b);
	ctl_table_fini(&t);
}
