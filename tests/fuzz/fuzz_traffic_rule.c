// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: -R traffic rule strings (daemon/edge/traffic_filter.c).
 * The input is the rule (a NUL ends it early). Checks: a refusal says
 * why; an accepted rule names a protocol, keeps its host bits clear and
 * its port ranges ordered, and its canonical form parses to the same
 * rule.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "edge/traffic_filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_side(const struct traffic_side *s)
{
	if (s->len > 32 || s->port_lo > s->port_hi ||
	    (s->len < 32 && (s->net & (0xffffffffu >> s->len))))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct traffic_rule r, again;
	char why[128] = "", canon[TRAFFIC_RULE_STR];
	char *s = malloc(size + 1);

	memcpy(s, data, size);
	s[size] = 0;
	if (traffic_rule_parse(s, &r, why, sizeof(why))) {
		if (!why[0])
			abort();
	} else {
		if (!r.configured || (r.accept & ~r.configured))
			abort();
		check_side(&r.src);
		check_side(&r.dst);
		traffic_rule_str(&r, canon, sizeof(canon));
		if (traffic_rule_parse(canon, &again, why, sizeof(why)) ||
		    memcmp(&r, &again, sizeof(r)))
			abort();
	}
	free(s);
	return 0;
}
