// SPDX-License-Identifier: GPL-2.0-only
/*
 * pmp_responder: a home router's port-mapping service for the namespace
 * tests, written for them (miniupnpd will not serve a 198.18/15 WAN, see
 * docs/port-mapping.md). NAT-PMP (RFC 6886) and PCP MAP (RFC 6887) on UDP
 * 5351, UDP mappings only, and with --upnp a minimal UPnP-IGD: SSDP on
 * 239.255.255.250:1900, a root description and the SOAP actions an IGD
 * client uses. With --nft it installs each granted mapping as a DNAT rule
 * (table ip pmap) so the mapping really opens the router. Every request is
 * logged, one line each, to --log:
 *   MAP|RENEW|DELETE|PUBLIC|UNSUPP <proto> int=IP:PORT ext=PORT lease=S
 *
 *   pmp_responder --ext IP --log FILE [--no-pcp] [--no-natpmp] [--upnp
 *                 LAN_IP] [--max-lease S] [--port-offset N] [--nft WAN_IF]
 *                 [--move-on-renew]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/bytes.h"

#define MAX_MAPS 64

struct map {
	bool used;
	char proto[8];
	struct in_addr ip;
	uint16_t iport, eport;
	uint64_t expires;
};

static struct {
	struct in_addr ext;
	FILE *log;
	bool pcp, natpmp;
	uint32_t max_lease;
	unsigned int offset;
	const char *wan;
	time_t start;
	struct map maps[MAX_MAPS];
	const char *upnp_lan;
	bool move; /* the first renewal gets the next port (a moved mapping) */
} R = { .pcp = true, .natpmp = true, .max_lease = 7200 };

static volatile sig_atomic_t stop;

static void on_sig(int s)
{
	(void)s;
	stop = 1;
}

static uint64_t now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec;
}

static void nft_sync(void)
{
	FILE *f;
	int i;

	if (!R.wan)
		return;
	f = popen("nft -f -", "w");
	if (!f)
		return;
	fprintf(f, "table ip pmap {\n chain pre {\n  type nat hook prerouting "
		   "priority dstnat - 10; policy accept;\n }\n}\n"
		   "flush chain ip pmap pre\n");
	for (i = 0; i < MAX_MAPS; i++)
		if (R.maps[i].used)
			fprintf(f,
				"add rule ip pmap pre iifname \"%s\" udp dport "
				"%u dnat to %s:%u\n",
				R.wan, R.maps[i].eport, inet_ntoa(R.maps[i].ip),
				R.maps[i].iport);
	pclose(f);
}

static void logf_(const char *what, const char *proto, struct in_addr ip,
		  unsigned int iport, unsigned int eport, uint32_t lease)
{
	fprintf(R.log, "%s %s int=%s:%u ext=%u lease=%u\n", what, proto,
		inet_ntoa(ip), iport, eport, lease);
	fflush(R.log);
}

static struct map *find(const char *proto, struct in_addr ip, uint16_t iport)
{
	int i;

	for (i = 0; i < MAX_MAPS; i++)
		if (R.maps[i].used && R.maps[i].ip.s_addr == ip.s_addr &&
		    R.maps[i].iport == iport && !strcmp(R.maps[i].proto, proto))
			return &R.maps[i];
	return NULL;
}

/* Grants (or renews, or with lease 0 deletes) a mapping: its port. */
static uint16_t grant(const char *proto, struct in_addr ip, uint16_t iport,
		      uint16_t want, uint32_t *lease)
{
	struct map *m = find(proto, ip, iport);
	const char *what = m ? "RENEW" : "MAP";
	int i;

	if (!*lease) {
		if (m)
			m->used = false;
		logf_("DELETE", proto, ip, iport, m ? m->eport : 0, 0);
		nft_sync();
		return 0;
	}
	if (*lease > R.max_lease)
		*lease = R.max_lease;
	for (i = 0; !m && i < MAX_MAPS; i++)
		if (!R.maps[i].used) {
			m = &R.maps[i];
			memset(m, 0, sizeof(*m));
			m->used = true;
			snprintf(m->proto, sizeof(m->proto), "%s", proto);
			m->ip = ip;
			m->iport = iport;
			m->eport = (uint16_t)((want ? want : iport) + R.offset);
		}
	if (!m)
		return 0;
	if (R.move && !strcmp(what, "RENEW")) {
		m->eport++;
		R.move = false;
	}
	m->expires = now_s() + *lease;
	logf_(what, proto, ip, iport, m->eport, *lease);
	nft_sync();
	return m->eport;
}

static size_t natpmp(const uint8_t *q, size_t n, uint8_t *a, struct in_addr ip)
{
	uint32_t lease;

	memset(a, 0, 16);
	a[1] = (uint8_t)(128 + q[1]);
	put_be32(a + 4, (uint32_t)(time(NULL) - R.start));
	if (!R.natpmp || q[0] != 0) {
		put_be16(a + 2, 1); /* unsupported version */
		logf_("UNSUPP", q[0] ? "pcp" : "natpmp", ip, 0, 0, 0);
		return 8;
	}
	if (q[1] == 0) {
		memcpy(a + 8, &R.ext, 4);
		logf_("PUBLIC", "natpmp", ip, 0, 0, 0);
		return 12;
	}
	if (q[1] != 1 || n < 12) {
		put_be16(a + 2, 5); /* unsupported opcode */
		return 8;
	}
	lease = get_be32(q + 8);
	put_be16(a + 8, get_be16(q + 4));
	put_be16(a + 10,
		 grant("natpmp", ip, get_be16(q + 4), get_be16(q + 6), &lease));
	put_be32(a + 12, lease);
	return 16;
}

static size_t pcp(const uint8_t *q, size_t n, uint8_t *a, struct in_addr ip)
{
	uint32_t lease;

	if (n < 60 || q[1] != 1 || q[36] != 17)
		return 0;
	memcpy(a, q, 60);
	memset(a + 2, 0, 22);
	a[1] = 0x81;
	lease = get_be32(q + 4);
	put_be32(a + 8, (uint32_t)(time(NULL) - R.start));
	put_be16(a + 42,
		 grant("pcp", ip, get_be16(q + 40), get_be16(q + 42), &lease));
	put_be32(a + 4, lease);
	memset(a + 44, 0, 10);
	a[54] = a[55] = 0xff;
	memcpy(a + 56, &R.ext, 4);
	return 60;
}

static void on_5351(int fd)
{
	uint8_t q[1100], a[1100];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	ssize_t n =
		recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);
	size_t len = 0;

	if (n < 2)
		return;
	if (q[0] == 2 && R.pcp)
		len = pcp(q, (size_t)n, a, from.sin_addr);
	else
		len = natpmp(q, (size_t)n, a, from.sin_addr);
	if (len)
		sendto(fd, a, len, 0, (struct sockaddr *)&from, fl);
}

static void expire(void)
{
	int i;
	bool any = false;

	for (i = 0; i < MAX_MAPS; i++)
		if (R.maps[i].used && R.maps[i].expires < now_s()) {
			R.maps[i].used = false;
			logf_("EXPIRE", R.maps[i].proto, R.maps[i].ip,
			      R.maps[i].iport, R.maps[i].eport, 0);
			any = true;
		}
	if (any)
		nft_sync();
}

static int udp_socket(uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("bind");
		exit(2);
	}
	return fd;
}

#include "pmp_responder_upnp.h"

static void parse(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : "";

		if (!strcmp(argv[i], "--ext") && inet_aton(v, &R.ext))
			i++;
		else if (!strcmp(argv[i], "--log") && (R.log = fopen(v, "a")))
			i++;
		else if (!strcmp(argv[i], "--move-on-renew"))
			R.move = true;
		else if (!strcmp(argv[i], "--no-pcp"))
			R.pcp = false;
		else if (!strcmp(argv[i], "--no-natpmp"))
			R.natpmp = false;
		else if (!strcmp(argv[i], "--max-lease") && ++i)
			R.max_lease = (uint32_t)atoi(v);
		else if (!strcmp(argv[i], "--port-offset") && ++i)
			R.offset = (unsigned int)atoi(v);
		else if (!strcmp(argv[i], "--nft") && ++i)
			R.wan = v;
		else if (!strcmp(argv[i], "--upnp") && ++i)
			R.upnp_lan = v;
		else {
			fprintf(stderr, "pmp_responder: bad argument %s\n",
				argv[i]);
			exit(2);
		}
	}
	if (!R.log)
		R.log = stdout;
}

int main(int argc, char **argv)
{
	struct pollfd p[4] = { { 0 } };
	int np = 1, i;

	parse(argc, argv);
	R.start = time(NULL) - 1000;
	signal(SIGTERM, on_sig);
	signal(SIGINT, on_sig);
	signal(SIGPIPE, SIG_IGN);
	p[0].fd = udp_socket(5351);
	if (R.upnp_lan)
		np += upnp_open(p + 1);
	for (i = 0; i < np; i++)
		p[i].events = POLLIN;
	nft_sync();
	while (!stop) {
		if (poll(p, (nfds_t)np, 250) > 0) {
			if (p[0].revents)
				on_5351(p[0].fd);
			for (i = 1; i < np; i++)
				if (p[i].revents)
					upnp_on(p[i].fd, i - 1);
		}
		expire();
	}
	return 0;
}
