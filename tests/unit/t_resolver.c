// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names off the event loop (daemon/common/resolver.c): an address is
 * answered at once; a name through a thread, its answer run by the loop's
 * side (here resolver_wait); a cancelled lookup's callback never runs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/resolver.h"
#include "test.h"

struct got {
	int calls, n;
	struct sockaddr_storage out[2];
};

static void on_answer(void *arg, int n, const struct sockaddr_storage out[2])
{
	struct got *g = arg;

	g->calls++;
	g->n = n;
	if (n > 0)
		memcpy(g->out, out, sizeof(g->out));
}

static const struct sockaddr_in *v4(const struct sockaddr_storage *sa)
{
	return (const struct sockaddr_in *)sa;
}

TEST(resolver_literal_at_once)
{
	struct resolve_query q = { .host = "198.18.0.1",
				   .port = 7654,
				   .family = AF_UNSPEC };
	struct resolver *r;
	struct resolver_job *job;
	struct got g = { 0 };

	CHECK_EQ(resolver_open(&r, NULL), 0);
	CHECK_EQ(resolver_start(r, &q, on_answer, &g, &job), 0);
	CHECK_EQ(g.calls, 1);
	CHECK_EQ(g.n, 1);
	CHECK(job == NULL);
	CHECK_EQ(ntohs(v4(&g.out[0])->sin_port), 7654);
	CHECK_EQ(ntohl(v4(&g.out[0])->sin_addr.s_addr), 0xc6120001u);
	snprintf(q.host, sizeof(q.host), "[2001:db8::1]");
	CHECK_EQ(resolver_start(r, &q, on_answer, &g, NULL), 0);
	CHECK_EQ(g.calls, 2);
	CHECK_EQ(g.out[0].ss_family, AF_INET6);
	resolver_close(r);
}

/* "localhost" comes from /etc/hosts: through a thread, no DNS needed. */
TEST(resolver_name_in_a_thread)
{
	struct resolve_query q = { .host = "localhost",
				   .port = 1,
				   .family = AF_INET };
	struct resolver *r;
	struct resolver_job *job;
	struct got g = { 0 }, c = { 0 };

	CHECK_EQ(resolver_open(&r, NULL), 0);
	CHECK_EQ(resolver_start(r, &q, on_answer, &g, &job), 0);
	CHECK(job != NULL);
	CHECK_EQ(g.calls, 0); /* not before the loop's side reads it */
	CHECK_EQ(resolver_start(r, &q, on_answer, &c, &job), 0);
	resolver_cancel(r, job);
	CHECK_EQ(resolver_wait(r, 5000), 0);
	CHECK_EQ(g.calls, 1);
	CHECK_EQ(g.n, 1);
	CHECK_EQ(ntohl(v4(&g.out[0])->sin_addr.s_addr), 0x7f000001u);
	CHECK_EQ(c.calls, 0); /* cancelled */
	resolver_close(r);
}

TEST(resolver_v6_fallback_and_failure)
{
	struct resolve_query q = { .host = "2001:db8::2",
				   .port = 7654,
				   .family = AF_INET,
				   .v6_fallback = true };
	struct sockaddr_storage out[2];

	CHECK_EQ(resolver_lookup(&q, out), 1);
	CHECK_EQ(out[0].ss_family, AF_INET6);
	q.v6_fallback = false;
	CHECK(resolver_lookup(&q, out) < 0);
}
