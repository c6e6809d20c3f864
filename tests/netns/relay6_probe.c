// SPDX-License-Identifier: GPL-2.0-only
/*
 * relay6_probe: the XDP relay over IPv6 without a daemon that registers
 * edges over IPv6 (the supernode's IPv6 sockets are another change).
 *
 *   relay6_probe serve PORT SECONDS [IP6_A]:PORT_A [IP6_B]:PORT_B
 *     in the supernode's namespace: loads and attaches the relay as the
 *     supernode does (xdp_relay_loader_open, bound to any, PORT), puts
 *     edges A and B of community "relay6" in its maps as the daemon's
 *     mirror does (xdp_relay_loader_edge_set, IPv6 sockaddrs), keeps the
 *     next hops fresh (hops_tick) for SECONDS or until SIGTERM, then
 *     prints the relay's counters as "reason count" lines.
 *
 *   relay6_probe send SN_IP6 PORT NS_A IP6_A PORT_A NS_B IP6_B PORT_B COUNT
 *     sends COUNT PACKETs from A (a socket in namespace NS_A) to B through
 *     the supernode and reads what reaches B's socket (so B's stack checked
 *     the UDP checksum): each must be the PACKET the daemon's socket relay
 *     would send, as daemon/proto/wire.c encodes it (TTL - 1, SOCKET |
 *     FROM_SUPERNODE, A's IPv6 socket). Prints "N of COUNT relayed byte for
 *     byte"; exit 0 when all were.
 *
 * Exit 2 on usage or system errors.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/mac.h"
#include "kernel/xdp_relay_loader.h"
#include "proto/wire.h"

#define COMMUNITY "relay6"
#define BUF_MAX	  2048
#define WAIT_MS	  1000

static const uint8_t mac_a[MAC_SIZE] = { 0x02, 0x72, 0x36, 0x00, 0x00, 0x0a };
static const uint8_t mac_b[MAC_SIZE] = { 0x02, 0x72, 0x36, 0x00, 0x00, 0x0b };

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

/* "[addr]:port" into an IPv6 sockaddr. */
static bool parse_sock6(const char *s, struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *in6 = (void *)ss;
	char buf[INET6_ADDRSTRLEN + 8];
	char *end;

	memset(ss, 0, sizeof(*ss));
	if (s[0] != '[' || strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s + 1);
	end = strchr(buf, ']');
	if (!end || end[1] != ':')
		return false;
	*end = 0;
	in6->sin6_family = AF_INET6;
	in6->sin6_port = htons((uint16_t)atoi(end + 2));
	return inet_pton(AF_INET6, buf, &in6->sin6_addr) == 1;
}

static int serve(char **argv)
{
	struct sockaddr_storage bind_any = { .ss_family = AF_INET }, a, b;
	uint64_t packets[N2NK_REASON_SLOTS];
	struct xdp_relay_hops_tally tally;
	struct xdp_relay_loader *r;
	struct xdp_relay_why why;
	int secs = atoi(argv[1]), i;
	uint16_t port = (uint16_t)atoi(argv[0]);

	if (!parse_sock6(argv[2], &a) || !parse_sock6(argv[3], &b)) {
		fprintf(stderr, "relay6_probe: bad edge\n");
		return 2;
	}
	/* Not pinned: a root that is no bpffs (and exists: nothing made). */
	xdp_relay_loader_pin_root("/tmp");
	if (xdp_relay_loader_open(&r, &bind_any, port, XDP_MODE_AUTO, &why)) {
		fprintf(stderr, "relay6_probe: %s\n", why.msg);
		return 2;
	}
	printf("attached: %s\n", xdp_relay_loader_where(r));
	fflush(stdout);
	if (xdp_relay_loader_edge_set(r, COMMUNITY, mac_a, &a, 600000, &why) ||
	    xdp_relay_loader_edge_set(r, COMMUNITY, mac_b, &b, 600000, &why)) {
		fprintf(stderr, "relay6_probe: %s\n", why.msg);
		xdp_relay_loader_close(r);
		return 2;
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	for (i = 0; i < secs * 10 && !stop; i++) {
		xdp_relay_loader_hops_tick(r, &tally, &why);
		usleep(100000);
	}
	if (!xdp_relay_loader_reasons(r, packets, &why))
		for (i = 0; i < N2NK_REASON_SLOTS; i++)
			if (packets[i])
				printf("%s %llu\n",
				       i ? n2nk_reason_name(-i) : "relayed",
				       (unsigned long long)packets[i]);
	xdp_relay_loader_close(r);
	return 0;
}

/* A UDP socket bound to [ip]:port in namespace ns (/run/netns/ns). */
static int socket_in(const char *ns, const char *ip, uint16_t port)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port) };
	char path[256];
	int self, there, fd;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	there = open(path, O_RDONLY | O_CLOEXEC);
	if (self < 0 || there < 0 || setns(there, CLONE_NEWNET))
		die("relay6_probe: netns");
	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || inet_pton(AF_INET6, ip, &sa.sin6_addr) != 1 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("relay6_probe: socket");
	if (setns(self, CLONE_NEWNET))
		die("relay6_probe: netns back");
	close(self);
	close(there);
	return fd;
}

/* PACKET i from A to B: as A sends it (relayed 0) or as B gets it. */
static ssize_t packet(uint8_t *buf, int i, bool relayed,
		      const struct sockaddr_in6 *a)
{
	static uint8_t payload[1200];
	struct n2n_msg m;
	size_t len = (size_t)(i * 37) % sizeof(payload), j;

	for (j = 0; j < len; j++)
		payload[j] = (uint8_t)(i * 131 + j * 7);
	memset(&m, 0, sizeof(m));
	m.hdr.type = N2N_MSG_PACKET;
	m.hdr.ttl = relayed ? 1 : 2;
	strcpy(m.hdr.community, COMMUNITY);
	mac_copy(m.u.packet.src_mac, mac_a);
	mac_copy(m.u.packet.dst_mac, mac_b);
	m.u.packet.transform = N2N_TRANSFORM_NULL;
	m.u.packet.payload = payload;
	m.u.packet.payload_len = len;
	if (relayed) {
		m.hdr.flags = N2N_FLAGS_SOCKET | N2N_FLAGS_FROM_SUPERNODE;
		m.u.packet.sock.ipv6 = true;
		m.u.packet.sock.port = ntohs(a->sin6_port);
		memcpy(m.u.packet.sock.addr, &a->sin6_addr, 16);
	}
	return wire_encode(buf, BUF_MAX, &m);
}

static int send_all(char **argv)
{
	struct sockaddr_in6 sn = { .sin6_family = AF_INET6 }, a = { 0 };
	int count = atoi(argv[8]), i, same = 0, fa, fb;
	uint8_t out[BUF_MAX], want[BUF_MAX], got[BUF_MAX];
	struct pollfd p;
	ssize_t n, w, g;

	sn.sin6_port = htons((uint16_t)atoi(argv[1]));
	a.sin6_family = AF_INET6;
	a.sin6_port = htons((uint16_t)atoi(argv[4]));
	if (inet_pton(AF_INET6, argv[0], &sn.sin6_addr) != 1 ||
	    inet_pton(AF_INET6, argv[3], &a.sin6_addr) != 1)
		return 2;
	fa = socket_in(argv[2], argv[3], ntohs(a.sin6_port));
	fb = socket_in(argv[5], argv[6], (uint16_t)atoi(argv[7]));
	for (i = 0; i < count; i++) {
		n = packet(out, i, false, &a);
		w = packet(want, i, true, &a);
		if (n < 0 || w < 0 ||
		    sendto(fa, out, (size_t)n, 0, (void *)&sn, sizeof(sn)) != n)
			die("relay6_probe: send");
		p = (struct pollfd){ .fd = fb, .events = POLLIN };
		g = poll(&p, 1, WAIT_MS) == 1 ? recv(fb, got, sizeof(got), 0)
					      : -1;
		if (g == w && !memcmp(got, want, (size_t)w))
			same++;
		else
			printf("%d: %s\n", i, g < 0 ? "lost" : "differs");
	}
	printf("%d of %d relayed byte for byte\n", same, count);
	return same == count ? 0 : 1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 6 && !strcmp(argv[1], "serve"))
		return serve(argv + 2);
	if (argc == 11 && !strcmp(argv[1], "send"))
		return send_all(argv + 2);
	fprintf(stderr,
		"usage: relay6_probe serve PORT SECONDS "
		"[IP6_A]:PORT_A [IP6_B]:PORT_B\n"
		"       relay6_probe send SN_IP6 PORT NS_A IP6_A PORT_A "
		"NS_B IP6_B PORT_B COUNT\n");
	return 2;
}
