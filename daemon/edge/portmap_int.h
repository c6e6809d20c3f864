/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Inside the port mapper (portmap.c): what its worker thread asks each
 * protocol (portmap_pcp.c, portmap_natpmp.c, portmap_upnp.c) and what a
 * granted mapping is. Every call blocks, bounded in time, and runs on the
 * worker thread only, never on the edge's event loop.
 */
#ifndef N2NK_PORTMAP_INT_H
#define N2NK_PORTMAP_INT_H

#include <netinet/in.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edge/portmap.h"

/* What we ask NAT-PMP and UPnP for; PCP and NAT-PMP may grant less. */
#define PM_LEASE_ASK_S	  7200
/* A granted lease above this is taken as this: a hostile 0xFFFFFFFF must
 * neither wrap the renewal arithmetic nor keep a dead mapping a century. */
#define PM_LEASE_MAX_S	  86400
/* One exchange's answer wait: tries at 0, 250, 750 ms, given up at 1.75 s
 * (RFC 6887 waits 3 s first; we only probe a LAN gateway, off the loop). */
#define PM_UDP_TRIES	  3
#define PM_UDP_FIRST_MS	  250
#define PM_DELETE_WAIT_MS 500

struct pm_req {
	uint16_t local_port;	 /* the edge's UDP port */
	struct in_addr gw;	 /* default gateway */
	struct in_addr local;	 /* our address towards it */
	const atomic_bool *stop; /* set: give up now */
};

struct pm_map {
	enum portmap_proto proto;
	struct in_addr ext_ip;
	uint16_t ext_port;
	uint32_t lease_s;  /* granted; 0: until deleted (UPnP) */
	uint8_t nonce[12]; /* PCP */
	void *upnp;	   /* UPnP: the IGD's URLs (portmap_upnp.c) */
};

/*
 * Each returns 0 with m filled (the external port may differ from the one
 * asked: advertise what came back), -ENOENT when no such service answers,
 * -EPROTONOSUPPORT (PCP only) when the gateway speaks NAT-PMP instead, or
 * another -errno. A renewal asks again with m as it is.
 */
/* PCP's MAP request and answer (60 bytes each, RFC 6887 §7, §11). */
#define PCP_LEN 60
void pm_pcp_build(uint8_t *b, const struct pm_req *r, const struct pm_map *m,
		  uint32_t lifetime);
/* An answer to request req (nonce, protocol, internal port), or a NAT-PMP
 * gateway's version 0 reply. */
bool pm_pcp_accept(const uint8_t *b, size_t n, const void *req);
/* 0 with m's external socket and lease, -EPROTONOSUPPORT (NAT-PMP
 * gateway), -EPERM (refused), -EBADMSG. */
int pm_pcp_parse(const uint8_t *b, struct pm_map *m);
int pm_pcp_map(const struct pm_req *r, struct pm_map *m, bool renew);
void pm_pcp_unmap(const struct pm_req *r, struct pm_map *m);
int pm_natpmp_map(const struct pm_req *r, struct pm_map *m, bool renew);
void pm_natpmp_unmap(const struct pm_req *r, struct pm_map *m);
int pm_upnp_map(const struct pm_req *r, struct pm_map *m, bool renew);
void pm_upnp_unmap(const struct pm_req *r, struct pm_map *m);
static inline uint32_t pm_lease_clamp(uint32_t s)
{
	return s > PM_LEASE_MAX_S ? PM_LEASE_MAX_S : s;
}
/* True when url is http://<a>[:port][/...] (a as dotted IPv4). */
bool pm_url_host_is(const char *url, struct in_addr a);
/* Frees what a UPnP mapping holds, without telling the router. */
void pm_upnp_forget(struct pm_map *m);

/* True for an address no Internet peer reaches (private, shared, test,
 * documentation, ...): behind it a mapping only opens another NAT. */
bool pm_addr_reserved(struct in_addr a);
/* N2NK_PORTMAP_ALLOW_RESERVED=1 (tests only, logged): take them anyway. */
bool pm_allow_reserved(void);
/* Monotonic milliseconds. */
uint64_t pm_now_ms(void);
/*
 * One UDP request to the gateway's port 5351, retried PM_UDP_TRIES times
 * (doubling from PM_UDP_FIRST_MS, or once for wait_ms when not 0); the
 * first answer of at least min_len bytes that accept() likes goes to
 * resp. Returns its length, -ENOENT (no answer, or ICMP port unreachable)
 * or -errno.
 */
int pm_udp_exchange(const struct pm_req *r, const uint8_t *req, size_t len,
		    uint8_t *resp, size_t cap, size_t min_len,
		    bool (*accept)(const uint8_t *, size_t, const void *),
		    const void *arg, unsigned int wait_ms);

#endif /* N2NK_PORTMAP_INT_H */
