// SPDX-License-Identifier: GPL-2.0-only
/*
 * The federation's -l names, resolved off the event loop
 * (common/resolver.h): a slow DNS leaves the supernode serving its edges.
 * A member's name: IPv4 first, as n2n (a stock member listens on IPv4
 * only, whatever AAAA its name has); IPv6 for an IPv6 address, or a name
 * with no A, unless -p bound us to IPv4. An anchor whose answer is in
 * becomes resolved; one that failed is asked again at the next
 * federation tick.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/resolver.h"
#include "common/sockaddr.h"
#include "conf/conf.h"
#include "sn_dns.h"
#include "supernode.h"

struct sn_dns {
	struct resolver *r;
	struct anchor_slot {
		struct supernode *sn;
		bool pending;
	} slot[SN_MAX_ANCHORS];
};

static struct sn_dns *dns_of(struct supernode *sn)
{
	struct sn_dns *d = sn->dns;
	int i;

	if (d)
		return d;
	d = calloc(1, sizeof(*d));
	if (!d || resolver_open(&d->r, sn->loop.epfd >= 0 ? &sn->loop : NULL)) {
		free(d);
		return NULL;
	}
	for (i = 0; i < SN_MAX_ANCHORS; i++)
		d->slot[i].sn = sn;
	sn->dns = d;
	return d;
}

static void on_answer(void *arg, int n, const struct sockaddr_storage out[2])
{
	struct anchor_slot *s = arg;
	struct supernode *sn = s->sn;
	struct sn_dns *d = sn->dns;
	struct sn_anchor *a = &sn->anchors[s - d->slot];
	char buf[SOCKADDR_STR_MAX];

	s->pending = false;
	if (n < 0) {
		log_warn("federation: %s:%u does not resolve (yet): %s",
			 a->host, a->port, strerror(-n));
		return;
	}
	a->sa = out[0];
	a->resolved = true;
	log_info("federation: %s:%u is %s", a->host, a->port,
		 sockaddr_str(&a->sa, buf));
	sn_evict_edges_at(sn, &a->sa);
}

int sn_dns_anchor(struct supernode *sn, struct sn_anchor *a)
{
	struct sn_dns *d = dns_of(sn);
	struct resolve_query q = { .port = a->port, .family = AF_INET };
	struct anchor_slot *s;
	int err;

	if (!d)
		return -ENOMEM;
	s = &d->slot[a - sn->anchors];
	if (s->pending)
		return -EINPROGRESS;
	snprintf(q.host, sizeof(q.host), "%s", a->host);
	q.v6_fallback = sn->conf->bind_addr.family != AF_INET;
	s->pending = true;
	err = resolver_start(d->r, &q, on_answer, s, NULL);
	if (err)
		s->pending = false;
	return err ? err : s->pending ? -EINPROGRESS : a->resolved ? 0 : -1;
}

void sn_dns_wait(struct supernode *sn, unsigned int ms)
{
	struct sn_dns *d = sn->dns;

	if (d && resolver_wait(d->r, ms))
		log_warn("federation: names still resolving: going on");
}

int sn_dns_attach(struct supernode *sn)
{
	struct sn_dns *d = sn->dns;

	return d ? resolver_attach(d->r, &sn->loop) : 0;
}

void sn_dns_tick(struct supernode *sn, uint64_t now)
{
	struct sn_dns *d = sn->dns;

	if (d)
		resolver_tick(d->r, now);
}

void sn_dns_close(struct supernode *sn)
{
	struct sn_dns *d = sn->dns;

	if (!d)
		return;
	resolver_close(d->r);
	free(d);
	sn->dns = NULL;
}
