// SPDX-License-Identifier: GPL-2.0-only
/*
 * The edge's supernode names, looked up by common/resolver.c's threads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/resolver.h"
#include "common/sockaddr.h"
#include "edge.h"
#include "edge_dns.h"

struct edge_dns {
	struct resolver *r;
	struct edge *e;
	struct dns_slot {
		struct edge_dns *d;
		struct resolver_job *job;
		bool pending;
	} slot[EDGE_MAX_SN];
};

static struct edge_dns *dns_of(struct edge *e)
{
	struct edge_dns *d = e->dns;
	int i;

	if (d)
		return d;
	d = calloc(1, sizeof(*d));
	if (!d || resolver_open(&d->r, &e->loop)) {
		free(d);
		return NULL;
	}
	d->e = e;
	for (i = 0; i < EDGE_MAX_SN; i++)
		d->slot[i].d = d;
	e->dns = d;
	return d;
}

/* Only what the socket reaches (the name was asked before it opened). */
static int fit(const struct edge *e, struct sockaddr_storage two[2], int n)
{
	if (n == 2 && e->sn_family != AF_UNSPEC &&
	    two[0].ss_family != e->sn_family) {
		two[0] = two[1];
		n = 1;
	}
	if (n >= 1 && e->sn_family != AF_UNSPEC &&
	    two[n - 1].ss_family != e->sn_family)
		n--;
	return n ? n : -EAFNOSUPPORT;
}

static void on_answer(void *arg, int n, const struct sockaddr_storage out[2])
{
	struct dns_slot *s = arg;
	struct edge *e = s->d->e;
	struct edge_sn *sn = &e->sn[s - s->d->slot];
	struct sockaddr_storage two[2];
	char a[SOCKADDR_STR_MAX];

	s->pending = false;
	s->job = NULL;
	if (n > 0) { /* out: NULL when n < 0 */
		two[0] = out[0];
		two[1] = out[1];
		n = fit(e, two, n);
	}
	if (n < 0) {
		log_warn("supernode %s:%u does not resolve (yet): %s", sn->host,
			 sn->port, strerror(-n));
		return;
	}
	sn->sa = two[0];
	sn->has_alt = n == 2;
	sn->on_alt = false;
	if (sn->has_alt)
		sn->alt = two[1];
	if (!sn->resolved)
		log_info("supernode %s:%u is %s", sn->host, sn->port,
			 sockaddr_str(&sn->sa, a));
	sn->resolved = true;
}

int edge_dns_resolve(struct edge *e, struct edge_sn *sn)
{
	struct edge_dns *d = dns_of(e);
	struct resolve_query q = { .port = sn->port, .family = e->sn_family };
	struct dns_slot *s;
	int err;

	if (!d)
		return -ENOMEM;
	s = &d->slot[sn - e->sn];
	if (s->pending)
		return -EINPROGRESS;
	snprintf(q.host, sizeof(q.host), "%s", sn->host);
	s->pending = true;
	err = resolver_start(d->r, &q, on_answer, s, &s->job);
	if (err) {
		s->pending = false;
		return err;
	}
	if (s->pending)
		return -EINPROGRESS;
	return sn->resolved ? 0 : -EHOSTUNREACH;
}

int edge_dns_start(struct edge *e)
{
	struct edge_dns *d;
	int i, ok = 0;

	for (i = 0; i < e->n_sn; i++)
		if (!e->sn[i].resolved)
			edge_dns_resolve(e, &e->sn[i]);
	d = e->dns;
	if (d && resolver_wait(d->r, EDGE_DNS_START_WAIT_MS))
		log_warn("supernode names still resolving: going on with "
			 "those that did");
	for (i = 0; i < e->n_sn; i++)
		ok += e->sn[i].resolved;
	return ok;
}

void edge_dns_tick(struct edge *e, uint64_t now)
{
	struct edge_dns *d = e->dns;

	if (!d)
		return;
	resolver_tick(d->r, now);
}

void edge_dns_close(struct edge *e)
{
	struct edge_dns *d = e->dns;

	if (!d)
		return;
	resolver_close(d->r);
	free(d);
	e->dns = NULL;
}
