// SPDX-License-Identifier: GPL-2.0-only
/*
 * UPnP-IGD through miniupnpc: SSDP discovery, the IGD's control URL, then
 * AddPortMapping (another port on a 718 conflict, a permanent mapping
 * when the IGD takes only those, 725). miniupnpc's GetValidIGD calls an
 * IGD whose WAN address is reserved (private, 100.64/10, 198.18/15, ...)
 * "not connected" (2): behind it a mapping opens one NAT of two, so we
 * use it only under N2NK_PORTMAP_ALLOW_RESERVED=1 (tests).
 */
#include <errno.h>
#include <miniupnpc/miniupnpc.h>
#include <miniupnpc/upnpcommands.h>
#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/log.h"
#include "edge/portmap_int.h"

#define UPNP_DISCOVER_MS    2000
#define UPNP_CONFLICT	    718
#define UPNP_ONLY_PERMANENT 725
#define UPNP_TRIES	    3

struct upnp_igd {
	struct UPNPUrls urls;
	struct IGDdatas data;
	char lan[64];
};

static int igd_pick(struct UPNPDev *list, struct upnp_igd *g)
{
#if MINIUPNPC_API_VERSION >= 18
	char wan[64];

	return UPNP_GetValidIGD(list, &g->urls, &g->data, g->lan,
				sizeof(g->lan), wan, sizeof(wan));
#else
	return UPNP_GetValidIGD(list, &g->urls, &g->data, g->lan,
				sizeof(g->lan));
#endif
}

bool pm_url_host_is(const char *url, struct in_addr a)
{
	char host[INET_ADDRSTRLEN];
	struct in_addr h;
	size_t n;

	if (!url || strncasecmp(url, "http://", 7))
		return false;
	url += 7;
	n = strcspn(url, ":/?#");
	if (!n || n >= sizeof(host) || (url[n] && !strchr(":/", url[n])))
		return false;
	memcpy(host, url, n);
	host[n] = '\0';
	return inet_pton(AF_INET, host, &h) == 1 && h.s_addr == a.s_addr;
}

/*
 * Any LAN host may answer SSDP: only devices described by the default
 * gateway are kept (PCP and NAT-PMP are bound to it too); a LAN host's
 * IGD could name any public address as "ours" and have every peer punch it.
 */
static struct UPNPDev *only_gateway(struct UPNPDev *list, struct in_addr gw)
{
	struct UPNPDev *keep = NULL, **tail = &keep, *d;

	while (list) {
		d = list;
		list = d->pNext;
		d->pNext = NULL;
		if (pm_url_host_is(d->descURL, gw)) {
			*tail = d;
			tail = &d->pNext;
			continue;
		}
		log_info("port mapping: UPnP device %.120s refused: not the "
			 "default gateway",
			 d->descURL ? d->descURL : "?");
		free(d); /* one allocation per device (freeUPNPDevlist) */
	}
	return keep;
}

/* An IGD whose WAN side is up: 0 with g filled, or -ENOENT. */
static int igd_find(const struct pm_req *r, struct upnp_igd *g)
{
	struct UPNPDev *list;
	int err = 0, st;

	list = upnpDiscover(UPNP_DISCOVER_MS, NULL, NULL, UPNP_LOCAL_PORT_ANY,
			    0, 2, &err);
	list = only_gateway(list, r->gw);
	if (!list)
		return -ENOENT;
	st = igd_pick(list, g);
	freeUPNPDevlist(list);
	if (st && !pm_url_host_is(g->urls.controlURL, r->gw)) {
		log_info("port mapping: UPnP IGD refused: its control URL "
			 "%.120s is not on the default gateway",
			 g->urls.controlURL ? g->urls.controlURL : "?");
		FreeUPNPUrls(&g->urls);
		return -ENOENT;
	}
	if (st)
		log_info("port mapping: UPnP IGD %.120s (the default gateway)",
			 g->urls.controlURL);
	if (st == 1)
		return 0;
	/* 2: not connected, or a reserved WAN address (see the top). */
	if (st == 2 && pm_allow_reserved() &&
	    UPNPIGD_IsConnected(&g->urls, &g->data))
		return 0;
	if (st)
		FreeUPNPUrls(&g->urls);
	if (st == 2)
		log_info("port mapping: UPnP IGD not connected, or its WAN "
			 "address is reserved (double NAT): not used");
	return -ENOENT;
}

static int upnp_add(struct upnp_igd *g, const struct pm_req *r, uint16_t eport,
		    const char *lease)
{
	char ep[8], ip[8];

	snprintf(ep, sizeof(ep), "%u", eport);
	snprintf(ip, sizeof(ip), "%u", r->local_port);
	return UPNP_AddPortMapping(g->urls.controlURL,
				   g->data.first.servicetype, ep, ip, g->lan,
				   "n2nk", "UDP", NULL, lease);
}

/* The lease the IGD holds for eport (0: none, or not told). */
static uint32_t upnp_lease(struct upnp_igd *g, uint16_t eport)
{
	char ep[8], client[64], iport[8], desc[80], en[8], lease[16] = "";

	snprintf(ep, sizeof(ep), "%u", eport);
	if (UPNP_GetSpecificPortMappingEntry(g->urls.controlURL,
					     g->data.first.servicetype, ep,
					     "UDP", NULL, client, iport, desc,
					     en, lease) != UPNPCOMMAND_SUCCESS)
		return 0;
	return (uint32_t)strtoul(lease, NULL, 10);
}

/* Our port, else random ones above 1024 when it is taken (718). */
static int upnp_add_any(struct upnp_igd *g, const struct pm_req *r,
			struct pm_map *m)
{
	char lease[12];
	uint16_t eport = m->ext_port;
	int i, ret = -1;

	snprintf(lease, sizeof(lease), "%u", PM_LEASE_ASK_S);
	for (i = 0; i < UPNP_TRIES && !*r->stop; i++) {
		ret = upnp_add(g, r, eport, lease);
		if (ret == UPNP_ONLY_PERMANENT)
			ret = upnp_add(g, r, eport, "0");
		if (ret != UPNP_CONFLICT)
			break;
		eport = (uint16_t)(1025 + randombytes_uniform(65535 - 1025));
	}
	if (ret != UPNPCOMMAND_SUCCESS) {
		log_info("port mapping: UPnP AddPortMapping failed: %d", ret);
		return -EPERM;
	}
	m->ext_port = eport;
	m->lease_s = pm_lease_clamp(upnp_lease(g, eport));
	return 0;
}

int pm_upnp_map(const struct pm_req *r, struct pm_map *m, bool renew)
{
	struct upnp_igd *g = renew ? m->upnp : NULL;
	char ext[40] = "";
	int err = 0;

	if (!g) {
		memset(m, 0, sizeof(*m));
		m->ext_port = r->local_port;
		g = calloc(1, sizeof(*g));
		if (!g)
			return -ENOMEM;
		err = igd_find(r, g);
		if (err) {
			free(g);
			return err;
		}
		m->upnp = g;
	}
	if (UPNP_GetExternalIPAddress(g->urls.controlURL,
				      g->data.first.servicetype, ext) ||
	    inet_pton(AF_INET, ext, &m->ext_ip) != 1)
		err = -ENOENT;
	if (!err)
		err = upnp_add_any(g, r, m);
	if (!err)
		m->proto = PORTMAP_UPNP;
	else if (!renew)
		pm_upnp_forget(m);
	return err;
}

void pm_upnp_unmap(const struct pm_req *r, struct pm_map *m)
{
	struct upnp_igd *g = m->upnp;
	char ep[8];

	(void)r;
	if (!g)
		return;
	snprintf(ep, sizeof(ep), "%u", m->ext_port);
	(void)UPNP_DeletePortMapping(
		g->urls.controlURL, g->data.first.servicetype, ep, "UDP", NULL);
	pm_upnp_forget(m);
}

void pm_upnp_forget(struct pm_map *m)
{
	struct upnp_igd *g = m->upnp;

	if (!g)
		return;
	FreeUPNPUrls(&g->urls);
	free(g);
	m->upnp = NULL;
}
