// SPDX-License-Identifier: GPL-2.0-only
/*
 * NAT-PMP (RFC 6886) through libnatpmp: the public address, then a UDP
 * mapping. The library retransmits on its own schedule (250 ms doubling,
 * nine tries, about two minutes); we stop waiting after PM_NATPMP_WAIT_MS,
 * or at once when the worker is told to stop.
 */
#include <errno.h>
#include <natpmp.h>
#include <poll.h>
#include <string.h>

#include "common/log.h"
#include "edge/portmap_int.h"

#define PM_NATPMP_WAIT_MS 1750

/* One request's answer: 0, -ENOENT (none in time), -EPERM (refused). */
static int natpmp_answer(natpmp_t *p, natpmpresp_t *resp,
			 const struct pm_req *r, unsigned int wait_ms)
{
	uint64_t end = pm_now_ms() + wait_ms;
	struct pollfd pf = { .fd = p->s, .events = POLLIN };
	int ret;

	for (;;) {
		struct timeval tv;
		uint64_t now = pm_now_ms();
		long ms;

		if (*r->stop || now >= end)
			return -ENOENT;
		if (getnatpmprequesttimeout(p, &tv) < 0)
			return -EIO;
		ms = tv.tv_sec * 1000 + tv.tv_usec / 1000;
		if (ms < 0)
			ms = 0;
		if (ms > (long)(end - now))
			ms = (long)(end - now);
		(void)poll(&pf, 1, (int)ms + 1);
		ret = readnatpmpresponseorretry(p, resp);
		if (ret == NATPMP_TRYAGAIN)
			continue;
		if (ret >= 0)
			return 0;
		if (ret <= NATPMP_ERR_UNSUPPORTEDVERSION &&
		    ret >= NATPMP_ERR_OUTOFRESOURCES) {
			log_info("port mapping: NAT-PMP gateway refused (%d)",
				 ret);
			return -EPERM;
		}
		return -ENOENT; /* unreachable, no support, bad source */
	}
}

static int natpmp_ask(const struct pm_req *r, struct pm_map *m, uint16_t eport,
		      uint32_t lease)
{
	natpmp_t p;
	natpmpresp_t resp;
	int err;

	if (initnatpmp(&p, 1, r->gw.s_addr) < 0)
		return -EIO;
	err = lease && sendpublicaddressrequest(&p) < 0 ? -EIO : 0;
	if (!err && lease)
		err = natpmp_answer(&p, &resp, r, PM_NATPMP_WAIT_MS);
	if (!err && lease)
		m->ext_ip = resp.pnu.publicaddress.addr;
	if (!err && sendnewportmappingrequest(&p, NATPMP_PROTOCOL_UDP,
					      r->local_port, eport, lease) < 0)
		err = -EIO;
	if (!err)
		err = natpmp_answer(&p, &resp, r,
				    lease ? PM_NATPMP_WAIT_MS
					  : PM_DELETE_WAIT_MS * 2);
	closenatpmp(&p);
	if (err || !lease)
		return err;
	if (!resp.pnu.newportmapping.mappedpublicport ||
	    !resp.pnu.newportmapping.lifetime)
		return -EBADMSG;
	m->ext_port = resp.pnu.newportmapping.mappedpublicport;
	m->lease_s = pm_lease_clamp(resp.pnu.newportmapping.lifetime);
	m->proto = PORTMAP_NATPMP;
	return 0;
}

int pm_natpmp_map(const struct pm_req *r, struct pm_map *m, bool renew)
{
	if (!renew) {
		memset(m, 0, sizeof(*m));
		m->ext_port = r->local_port;
	}
	/* RFC 6886 §3.3: renew with the port granted before. */
	return natpmp_ask(r, m, m->ext_port, PM_LEASE_ASK_S);
}

void pm_natpmp_unmap(const struct pm_req *r, struct pm_map *m)
{
	/* Lifetime 0 and external port 0 delete it (RFC 6886 §3.4). */
	(void)natpmp_ask(r, m, 0, 0);
}
