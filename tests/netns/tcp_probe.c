// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcp_probe: hostile and plain TCP clients of a supernode, for
 * test_tcp.sh (n2n's -S2 framing: a 2-byte big-endian length, then the
 * datagram). Plaintext communities only.
 *
 *   tcp_probe hold DST PORT PER_SRC WAIT_MS COMMUNITY SRC...
 *       PER_SRC connections from each SRC address, each sending a
 *       REGISTER_SUPER in COMMUNITY (a MAC of its own; "-": nothing at
 *       all); after WAIT_MS prints how many the supernode has not closed.
 *   tcp_probe slow DST PORT COMMUNITY MAC
 *       registers, then starts a frame and sends one byte of it a second;
 *       exit 0 when the supernode closes it (within 20 s), else 1.
 *   tcp_probe quiet DST PORT COMMUNITY MAC
 *       registers, then sends nothing; exit 0 when the supernode closes
 *       it within 15 s, else 1.
 *   tcp_probe big DST PORT COMMUNITY MAC
 *       registers, then sends a frame length of 3000; exit 0 when closed
 *       within 3 s, else 1.
 *   tcp_probe flood DST PORT COMMUNITY MAC_A MAC_B COUNT
 *       A and B register over two connections; B then reads nothing while
 *       A sends COUNT 1400-byte PACKETs to B. Exit 0 once sent.
 *   tcp_probe capture DST PORT COMMUNITY MAC SRC SPORT MS
 *       from SRC:SPORT (a UDP edge's socket, say), registers MAC, then
 *       prints how many frames came in the next MS ms (its ACK aside).
 * Exit 2 on usage or system errors (or a registration not answered).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/bytes.h"
#include "proto/wire.h"

static const char *g_dst;
static int g_port;
static int g_sport; /* tcp_to()'s source port when it has a SRC */

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static int tcp_to(const char *src)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)g_port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	if (src) {
		struct sockaddr_in me = { .sin_family = AF_INET };
		int one = 1;

		me.sin_port = htons((uint16_t)g_sport);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (inet_pton(AF_INET, src, &me.sin_addr) != 1 ||
		    bind(fd, (struct sockaddr *)&me, sizeof(me)))
			die(src);
	}
	if (inet_pton(AF_INET, g_dst, &sa.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("connect");
	return fd;
}

/* 1: the peer closed (or reset) it; 0: open after ms. */
static int closed_within(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char b[4096];

	while (poll(&p, 1, ms) == 1) {
		ssize_t n = recv(fd, b, sizeof(b), MSG_DONTWAIT);

		if (n <= 0)
			return n == 0 || errno != EAGAIN;
	}
	return 0;
}

/* 0, or -1 when the connection took it not whole (closed). */
static int try_send_frame(int fd, const struct n2n_msg *m)
{
	uint8_t buf[2 + N2N_PKT_BUF_SIZE + 128];
	ssize_t n = wire_encode(buf + 2, sizeof(buf) - 2, m);

	if (n < 0)
		die("encode");
	put_be16(buf, (uint16_t)n);
	return send(fd, buf, (size_t)n + 2, MSG_NOSIGNAL) == n + 2 ? 0 : -1;
}

static void send_frame(int fd, const struct n2n_msg *m)
{
	if (try_send_frame(fd, m))
		die("send");
}

static void init_msg(struct n2n_msg *m, const char *community, uint8_t type)
{
	memset(m, 0, sizeof(*m));
	m->hdr.ttl = 2;
	m->hdr.type = type;
	snprintf(m->hdr.community, sizeof(m->hdr.community), "%s", community);
}

static void parse_mac(uint8_t *mac, const char *s)
{
	unsigned int b[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != 6) {
		fprintf(stderr, "bad MAC %s\n", s);
		exit(2);
	}
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
}

/* Registers MAC over fd; waits for some answer (the ACK). */
static int register_on(int fd, const char *community, const char *mac)
{
	struct n2n_msg m;
	struct pollfd p;

	init_msg(&m, community, N2N_MSG_REGISTER_SUPER);
	m.u.reg_super.cookie = 0x1234;
	parse_mac(m.u.reg_super.edge_mac, mac);
	m.u.reg_super.auth.scheme = N2N_AUTH_SIMPLE_ID;
	m.u.reg_super.auth.token_size = N2N_AUTH_ID_TOKEN_SIZE;
	memset(m.u.reg_super.auth.token, 0x5a, N2N_AUTH_ID_TOKEN_SIZE);
	send_frame(fd, &m);
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 3000) != 1) {
		fprintf(stderr, "no answer to the registration\n");
		exit(2);
	}
	{
		char b[4096];

		if (recv(fd, b, sizeof(b), 0) <= 0)
			die("registration answer");
	}
	return fd;
}

static int registered(const char *community, const char *mac)
{
	return register_on(tcp_to(NULL), community, mac);
}

/* A registration, not waiting for its answer (the connection may be one
 * the supernode refuses). */
static void send_registration(int fd, const char *community, int k)
{
	struct n2n_msg m;

	init_msg(&m, community, N2N_MSG_REGISTER_SUPER);
	m.u.reg_super.cookie = (uint32_t)k;
	m.u.reg_super.edge_mac[0] = 0x02;
	put_be32(m.u.reg_super.edge_mac + 2, 0x10000u + (uint32_t)k);
	m.u.reg_super.auth.scheme = N2N_AUTH_SIMPLE_ID;
	m.u.reg_super.auth.token_size = N2N_AUTH_ID_TOKEN_SIZE;
	memset(m.u.reg_super.auth.token, 0x5a, N2N_AUTH_ID_TOKEN_SIZE);
	try_send_frame(fd, &m); /* refused: counted as closed below */
}

static int do_hold(int argc, char **argv)
{
	int per = atoi(argv[0]), wait = atoi(argv[1]), n = 0, open = 0, i, j;
	const char *community = argv[2];
	int *fds = calloc((size_t)(per * (argc - 3)) + 1, sizeof(int));

	for (i = 3; i < argc; i++)
		for (j = 0; j < per; j++) {
			fds[n] = tcp_to(argv[i]);
			if (strcmp(community, "-"))
				send_registration(fds[n], community, n);
			n++;
		}
	usleep((useconds_t)wait * 1000);
	for (i = 0; i < n; i++)
		open += !closed_within(fds[i], 0);
	printf("%d\n", open);
	return 0;
}

static int do_slow(const char *community, const char *mac)
{
	int fd = registered(community, mac), i;
	uint8_t len[2];

	put_be16(len, 100);
	if (send(fd, len, 2, MSG_NOSIGNAL) != 2)
		die("send");
	for (i = 0; i < 20; i++) {
		if (closed_within(fd, 1000)) {
			printf("closed after %d s\n", i + 1);
			return 0;
		}
		if (send(fd, "x", 1, MSG_NOSIGNAL) != 1)
			return 0; /* reset: closed */
	}
	return 1;
}

static int do_quiet(const char *community, const char *mac)
{
	return closed_within(registered(community, mac), 15000) ? 0 : 1;
}

static int do_big(const char *community, const char *mac)
{
	int fd = registered(community, mac);
	uint8_t hdr[2 + 64] = { 0 };

	put_be16(hdr, 3000);
	if (send(fd, hdr, sizeof(hdr), MSG_NOSIGNAL) != sizeof(hdr))
		die("send");
	return closed_within(fd, 3000) ? 0 : 1;
}

static int do_flood(char **argv)
{
	static uint8_t payload[1400];
	int a = registered(argv[0], argv[1]);
	int b = registered(argv[0], argv[2]), i, count = atoi(argv[3]);
	struct n2n_msg m;

	init_msg(&m, argv[0], N2N_MSG_PACKET);
	parse_mac(m.u.packet.src_mac, argv[1]);
	parse_mac(m.u.packet.dst_mac, argv[2]);
	m.u.packet.transform = N2N_TRANSFORM_NULL;
	m.u.packet.payload = payload;
	m.u.packet.payload_len = sizeof(payload);
	for (i = 0; i < count; i++)
		send_frame(a, &m);
	sleep(1);
	close(b);
	close(a);
	return 0;
}

/* Frames in a byte stream: each a 2-byte length and that many bytes. */
static int do_capture(char **argv)
{
	int fd, frames = 0, ms = atoi(argv[4]);
	long left = 0; /* bytes of the current frame still to come */
	uint8_t b[4096], len[2];
	int have = 0; /* bytes of the length read */
	struct pollfd p;
	struct timespec t0, t;

	g_sport = atoi(argv[3]);
	fd = tcp_to(argv[2]);
	/* The ACK (read by register_on) may have come with more: counted
	 * only from here, a little low at worst. */
	register_on(fd, argv[0], argv[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	for (;;) {
		long el;
		ssize_t n, i;

		clock_gettime(CLOCK_MONOTONIC, &t);
		el = (t.tv_sec - t0.tv_sec) * 1000 +
		     (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (el >= ms || poll(&p, 1, (int)(ms - el)) != 1)
			break;
		n = recv(fd, b, sizeof(b), 0);
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			if (left) {
				left--;
				continue;
			}
			len[have++] = b[i];
			if (have == 2) {
				left = get_be16(len);
				have = 0;
				frames++;
			}
		}
	}
	printf("%d\n", frames);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 4)
		goto usage;
	g_dst = argv[2];
	g_port = atoi(argv[3]);
	if (!strcmp(argv[1], "hold") && argc >= 8)
		return do_hold(argc - 4, argv + 4);
	if (!strcmp(argv[1], "slow") && argc == 6)
		return do_slow(argv[4], argv[5]);
	if (!strcmp(argv[1], "quiet") && argc == 6)
		return do_quiet(argv[4], argv[5]);
	if (!strcmp(argv[1], "big") && argc == 6)
		return do_big(argv[4], argv[5]);
	if (!strcmp(argv[1], "flood") && argc == 8)
		return do_flood(argv + 4);
	if (!strcmp(argv[1], "capture") && argc == 9)
		return do_capture(argv + 4);
usage:
	fprintf(stderr, "usage: see tests/netns/tcp_probe.c\n");
	return 2;
}
