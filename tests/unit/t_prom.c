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
	/* A backslash is "\\" before the format's escaping: four. */
	CHECK(!strcmp(label(&b, "a\\b", 3), "a\\\\\\\\b"));
	CHECK(!strcmp(label(&b, "say \"hi\"", 8), "say \\\"hi\\\""));
	CHECK(!strcmp(label(&b, "x\ny", 3), "x\\ny"));
	/* A forged sample cannot start a line of its own. */
	CHECK(!strcmp(label(&b, "\"} 1\nn2nk_x 9", 13), "\\\"} 1\\nn2nk_x 9"));
	/* UTF-8 stays, a byte that is not is the text \xNN; NUL is kept. */
	CHECK(!strcmp(label(&b, "caf\xc3\xa9", 5), "caf\xc3\xa9"));
	CHECK(!strcmp(label(&b, "a\xff", 2), "a\\\\xff"));
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
	CHECK_MSG(!strcmp(b.data,
			  "# HELP n2nk_p_total h\n"
			  "# TYPE n2nk_p_total counter\n"
			  "n2nk_p_total{mac=\"m\\\\\\\\1\",path=\"p2p\","
			  "dir=\"tx\"} 5\n"
			  "# HELP n2nk_up u\n"
			  "# TYPE n2nk_up gauge\n"
			  "n2nk_up{mac=\"m\\\\\\\\1\",path=\"p2p\"} 1\n"
			  "# HELP n2nk_absent x\n"
			  "# TYPE n2nk_absent gauge\n"),
		  "%s", b.data);
	ctl_buf_free(&b);
	ctl_table_fini(&t);
}

/* Names that differ give label values that differ: an invalid byte, the
 * same byte's \xNN spelt out, U+FFFD itself. */
TEST(prom_label_is_one_to_one)
{
	static const struct {
		const char *s;
		size_t n;
	} names[] = { { "dup\xff", 4 },		{ "dup\xfe", 4 },
		      { "dup\\xff", 7 },	{ "dup\\\\xff", 8 },
		      { "dup\xef\xbf\xbd", 6 }, { "dup\\x", 5 },
		      { "dup\\", 4 },		{ "dup", 3 } };
	struct ctl_buf b[8];
	size_t i, j;

	for (i = 0; i < 8; i++) {
		ctl_buf_init(&b[i]);
		prom_label_value(&b[i], names[i].s, names[i].n);
		CHECK(b[i].data && !b[i].err);
	}
	for (i = 0; i < 8; i++)
		for (j = i + 1; j < 8; j++)
			CHECK_MSG(
				b[i].len != b[j].len ||
					memcmp(b[i].data, b[j].data, b[i].len),
				"%zu and %zu: %s", i, j, b[i].data);
	for (i = 0; i < 8; i++)
		ctl_buf_free(&b[i]);
}

static void counter(struct ctl_table *t, const char *name, uint64_t v)
{
	ctl_table_row(t);
	ctl_table_str(t, name);
	ctl_table_u64(t, v);
}

/* Plain rows a counter each; reasons one family per verdict, labelled. */
TEST(prom_counter_table_names_rows)
{
	struct ctl_table t;
	struct ctl_buf b;

	ctl_table_init(&t, "stats");
	ctl_table_column(&t, "counter");
	ctl_table_column(&t, "value");
	counter(&t, "received", 9);
	counter(&t, "drop_ttl_expired", 7);
	counter(&t, "xdp_relayed", 5); /* slot 0: not a reason */
	counter(&t, "xdp_drop_ttl_expired", 3);
	counter(&t, "xdp_not_ip", 2);	  /* to the stack */
	counter(&t, "xdp_not_packet", 4); /* to the daemon */
	counter(&t, "odd-Name", 1);
	ctl_table_row(&t);
	ctl_table_str(&t, "negative");
	ctl_table_s64(&t, -1); /* left out, not 0 */
	ctl_buf_init(&b);
	prom_counter_table(&b, &t, "n2nk_sn");
	CHECK_MSG(!strcmp(b.data,
			  "# HELP n2nk_sn_received_total n2nctl stats: "
			  "received\n"
			  "# TYPE n2nk_sn_received_total counter\n"
			  "n2nk_sn_received_total 9\n"
			  "# HELP n2nk_sn_xdp_relayed_total n2nctl stats: "
			  "xdp_relayed\n"
			  "# TYPE n2nk_sn_xdp_relayed_total counter\n"
			  "n2nk_sn_xdp_relayed_total 5\n"
			  "# HELP n2nk_sn_odd__ame_total n2nctl stats: "
			  "odd-Name\n"
			  "# TYPE n2nk_sn_odd__ame_total counter\n"
			  "n2nk_sn_odd__ame_total 1\n"
			  "# HELP n2nk_sn_dropped_total packets dropped, by "
			  "layer and reason (include/n2nk_reasons.h, "
			  "docs/n2nctl.md)\n"
			  "# TYPE n2nk_sn_dropped_total counter\n"
			  "n2nk_sn_dropped_total{layer=\"daemon\","
			  "reason=\"ttl_expired\"} 7\n"
			  "n2nk_sn_dropped_total{layer=\"xdp\","
			  "reason=\"ttl_expired\"} 3\n"
			  "# HELP n2nk_sn_passed_on_total packets a layer "
			  "handed on unchanged, to the daemon or the kernel's "
			  "stack, by layer and reason\n"
			  "# TYPE n2nk_sn_passed_on_total counter\n"
			  "n2nk_sn_passed_on_total{layer=\"xdp\","
			  "reason=\"not_ip\",to=\"stack\"} 2\n"
			  "n2nk_sn_passed_on_total{layer=\"xdp\","
			  "reason=\"not_packet\",to=\"daemon\"} 4\n"),
		  "%s", b.data);
	ctl_buf_free(&b);
	ctl_table_fini(&t);
}

/* The highest scores stay, ties by the second key, whatever the order. */
TEST(prom_top_keeps_the_highest)
{
	struct prom_top *t = malloc(sizeof(*t));
	static int items[1000];
	size_t i;

	CHECK(t != NULL);
	prom_top_init(t);
	for (i = 0; i < 1000; i++) /* scores 0..999, shuffled */
		prom_top_add(t, &items[(i * 7919) % 1000], NULL,
			     (i * 7919) % 1000, 0);
	CHECK_EQ(t->n, PROM_TOP_MAX);
	CHECK_EQ(t->seen, 1000);
	prom_top_sort(t);
	for (i = 0; i < t->n; i++) {
		CHECK_EQ(t->e[i].score, 999 - i);
		CHECK(t->e[i].item == &items[999 - i]);
	}
	prom_top_init(t);
	prom_top_add(t, &items[0], NULL, 1, 1);
	prom_top_add(t, &items[1], NULL, 1, 2);
	prom_top_sort(t);
	CHECK(t->e[0].item == &items[1]);
	free(t);
}

/* A community's label: the same id for the same name, 12 hex digits, the
 * name nowhere in it; the name only when asked for. */
TEST(prom_community_id_hides_the_name)
{
	char a[PROM_ID_HEX + 1], a2[PROM_ID_HEX + 1], c[PROM_ID_HEX + 1];
	struct ctl_table t;
	size_t i;

	prom_community_id("secret", 6, a);
	prom_community_id("secret", 6, a2);
	prom_community_id("secreu", 6, c);
	CHECK(!strcmp(a, a2));
	CHECK(strcmp(a, c));
	CHECK_EQ(strlen(a), PROM_ID_HEX);
	for (i = 0; i < PROM_ID_HEX; i++)
		CHECK(strchr("0123456789abcdef", a[i]) != NULL);
	ctl_table_init(&t, "x");
	ctl_table_column(&t, "community");
	ctl_table_row(&t);
	prom_put_community(&t, "secret", 6, false);
	ctl_table_row(&t);
	prom_put_community(&t, "secret", 6, true);
	CHECK_EQ(t.cells[0].v.str.len, PROM_ID_HEX);
	CHECK(!memcmp(t.strings.data + t.cells[0].v.str.off, a, PROM_ID_HEX));
	CHECK(!memcmp(t.strings.data + t.cells[1].v.str.off, "secret", 6));
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
