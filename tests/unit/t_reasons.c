// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reason table (include/n2nk_reasons.h): one name per event, unique
 * and stable, and a verdict for every value a layer can meet; a value that
 * is no reason is dropped, never let through.
 */
#include <stdio.h>
#include <string.h>

#include "n2nk_reasons.h"
#include "test.h"

static const enum n2nk_layer layers[] = {
	N2NK_LAYER_DAEMON,
	N2NK_LAYER_RELAY,
	N2NK_LAYER_XSK,
	N2NK_LAYER_OBSERVER,
};

#define N_LAYERS (sizeof(layers) / sizeof(layers[0]))

TEST(reasons_have_unique_names)
{
	int a, b;

	for (a = 0; a < N2NK_REASON_SLOTS; a++) {
		const char *n = n2nk_reason_name(-a);

		CHECK_MSG(n && *n && strcmp(n, "unknown"), "slot %d", a);
		CHECK_MSG(strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_") ==
				  strlen(n),
			  "%s: not a counter name", n);
		for (b = 0; b < a; b++)
			CHECK_MSG(strcmp(n, n2nk_reason_name(-b)), "%s twice",
				  n);
	}
}

TEST(reasons_outside_the_table_are_dropped)
{
	static const int outside[] = { 1, -N2NK_REASON_SLOTS, -1000, 1000 };
	size_t i, l;

	for (i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
		CHECK(!strcmp(n2nk_reason_name(outside[i]), "unknown"));
		for (l = 0; l < N_LAYERS; l++)
			CHECK_EQ(n2nk_verdict(layers[l], outside[i]),
				 N2NK_VERDICT_DROP);
	}
}

/* Names users already see and scripts read (docs/n2nctl.md). */
TEST(reason_names_are_stable)
{
	CHECK(!strcmp(n2nk_reason_name(N2NK_TTL_EXPIRED), "ttl_expired"));
	CHECK(!strcmp(n2nk_reason_name(N2NK_UDP_CHECKSUM), "udp_checksum"));
	CHECK(!strcmp(n2nk_reason_name(N2NK_NOT_LOCAL), "not_local"));
	CHECK(!strcmp(n2nk_reason_name(N2NK_MALFORMED), "malformed"));
	CHECK(!strcmp(n2nk_layer_ok_name(N2NK_LAYER_RELAY), "relayed"));
	CHECK_EQ(n2nk_reason_slot(N2NK_TABLE_FULL), 47);
}

TEST(every_layer_gives_some_reasons)
{
	int slot, seen[N_LAYERS] = { 0 };
	size_t l;

	for (l = 0; l < N_LAYERS; l++)
		for (slot = 1; slot < N2NK_REASON_SLOTS; slot++)
			seen[l] += n2nk_verdict(layers[l], -slot) !=
				   N2NK_VERDICT_NONE;
	for (l = 0; l < N_LAYERS; l++)
		CHECK_MSG(seen[l] > 0, "layer %zu has no reason", l);
	/* The same event, the same verdict where two layers meet it. */
	CHECK_EQ(n2nk_verdict(N2NK_LAYER_DAEMON, N2NK_TTL_EXPIRED),
		 N2NK_VERDICT_DROP);
	CHECK_EQ(n2nk_verdict(N2NK_LAYER_RELAY, N2NK_TTL_EXPIRED),
		 N2NK_VERDICT_DROP);
}
