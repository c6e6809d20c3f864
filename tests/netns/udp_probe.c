// SPDX-License-Identifier: GPL-2.0-only
/*
 * udp_probe: the namespace tests' probe. `echo PORT` answers every datagram
 * with "seen <src-ip>:<src-port>", so a host behind NAT learns the mapping its
 * router chose; `send` sends "hi" and prints the one reply; `ping` is a single
 * ICMP echo, so the lab needs no iputils. Exit 0 on a reply, 1 on no reply
 * within 2 s (or no route), 2 on usage or system errors.
 *
 *   udp_probe echo PORT
 *   udp_probe send DST_IP DST_PORT [LOCAL_PORT]
 *   udp_probe ping DST_IP
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/inet_csum.h"

enum {
	PROBE_WAIT_MS = 2000,
	PROBE_BUF = 256,
	EXIT_REPLY = 0,
	EXIT_TIMEOUT = 1,
	EXIT_ERROR = 2,
};

static int usage(void)
{
	fprintf(stderr, "usage: udp_probe echo PORT\n"
			"       udp_probe send DST_IP DST_PORT [LOCAL_PORT]\n"
			"       udp_probe ping DST_IP\n");
	return EXIT_ERROR;
}

/* Strict port parsing: decimal digits only, min..65535. */
static int parse_port(const char *s, unsigned long min, uint16_t *port)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > 65535) {
		fprintf(stderr, "udp_probe: bad port '%s'\n", s);
		return -EINVAL;
	}
	*port = (uint16_t)v;
	return 0;
}

static int parse_ip(const char *s, struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (inet_pton(AF_INET, s, &sa->sin_addr) != 1) {
		fprintf(stderr, "udp_probe: bad IPv4 address '%s'\n", s);
		return -EINVAL;
	}
	return 0;
}

static int udp_socket(uint16_t port)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("udp_probe: socket");
		return -errno;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "udp_probe: bind port %u: %s\n", port,
			strerror(errno));
		close(fd);
		return -EADDRINUSE;
	}
	return fd;
}

static void format_addr(const struct sockaddr_in *sa, char *buf, size_t len)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sa->sin_addr, ip, sizeof(ip));
	snprintf(buf, len, "%s:%u", ip, ntohs(sa->sin_port));
}

static int do_echo(int argc, char **argv)
{
	struct sockaddr_in from;
	char buf[PROBE_BUF], who[64], reply[96];
	socklen_t fromlen;
	uint16_t port;
	ssize_t n;
	int fd, len;

	if (argc != 3 || parse_port(argv[2], 1, &port))
		return usage();
	fd = udp_socket(port);
	if (fd < 0)
		return EXIT_ERROR;
	printf("listening on udp port %u\n", port);
	for (;;) {
		fromlen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &fromlen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("udp_probe: recvfrom");
			return EXIT_ERROR;
		}
		format_addr(&from, who, sizeof(who));
		len = snprintf(reply, sizeof(reply), "seen %s", who);
		if (sendto(fd, reply, len, 0, (struct sockaddr *)&from,
			   fromlen) < 0)
			fprintf(stderr, "udp_probe: reply to %s: %s\n", who,
				strerror(errno));
		printf("%zd bytes from %s\n", n, who);
	}
}

/* Waits for fd to become readable; 1 when it is, 0 on timeout, <0 on error. */
static int wait_readable(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int ret;

	do {
		ret = poll(&pfd, 1, timeout_ms);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0) {
		perror("udp_probe: poll");
		return -errno;
	}
	return ret;
}

static int do_send(int argc, char **argv)
{
	struct sockaddr_in dst;
	uint16_t dport, local = 0;
	char buf[PROBE_BUF];
	ssize_t n;
	int fd, ret;

	if (argc < 4 || argc > 5 || parse_ip(argv[2], &dst) ||
	    parse_port(argv[3], 1, &dport))
		return usage();
	dst.sin_port = htons(dport);
	if (argc == 5 && parse_port(argv[4], 1, &local))
		return usage();
	fd = udp_socket(local);
	if (fd < 0)
		return EXIT_ERROR;
	/* No route is an answer too: the destination is unreachable. */
	if (sendto(fd, "hi", 2, 0, (struct sockaddr *)&dst, sizeof(dst)) < 0) {
		fprintf(stderr, "udp_probe: send to %s:%s: %s\n", argv[2],
			argv[3], strerror(errno));
		return EXIT_TIMEOUT;
	}
	ret = wait_readable(fd, PROBE_WAIT_MS);
	if (ret <= 0) {
		if (ret == 0)
			fprintf(stderr, "udp_probe: no reply from %s:%s\n",
				argv[2], argv[3]);
		return ret == 0 ? EXIT_TIMEOUT : EXIT_ERROR;
	}
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0) {
		perror("udp_probe: recv");
		return EXIT_ERROR;
	}
	buf[n] = '\0';
	printf("%s\n", buf);
	return EXIT_REPLY;
}

/* True when buf (an IPv4 packet from a raw socket) is our echo reply. */
static int is_echo_reply(const uint8_t *buf, ssize_t n, uint16_t id)
{
	const struct icmphdr *icmp;
	size_t ihl;

	if (n < (ssize_t)sizeof(struct iphdr))
		return 0;
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	if (ihl < sizeof(struct iphdr) || (size_t)n < ihl + sizeof(*icmp))
		return 0;
	icmp = (const struct icmphdr *)(buf + ihl);
	return icmp->type == ICMP_ECHOREPLY && icmp->un.echo.id == id;
}

static int ping_wait(int fd, const struct sockaddr_in *dst, uint16_t id)
{
	struct sockaddr_in from;
	struct timespec start, now;
	uint8_t buf[PROBE_BUF];
	socklen_t fromlen;
	int left = PROBE_WAIT_MS, ret;
	ssize_t n;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (left > 0) {
		ret = wait_readable(fd, left);
		if (ret <= 0)
			return ret == 0 ? EXIT_TIMEOUT : EXIT_ERROR;
		fromlen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &fromlen);
		if (n < 0 && errno != EINTR) {
			perror("udp_probe: recvfrom");
			return EXIT_ERROR;
		}
		if (n > 0 && from.sin_addr.s_addr == dst->sin_addr.s_addr &&
		    is_echo_reply(buf, n, id))
			return EXIT_REPLY;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = PROBE_WAIT_MS -
		       (int)((now.tv_sec - start.tv_sec) * 1000 +
			     (now.tv_nsec - start.tv_nsec) / 1000000);
	}
	return EXIT_TIMEOUT;
}

static int do_ping(int argc, char **argv)
{
	struct icmphdr req = { .type = ICMP_ECHO };
	struct sockaddr_in dst;
	int fd, ret;

	if (argc != 3 || parse_ip(argv[2], &dst))
		return usage();
	/* Raw rather than a ping socket: ping_group_range is "1 0" (nobody)
	 * in a fresh namespace, and the lab runs as root anyway. */
	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (fd < 0) {
		perror("udp_probe: raw socket");
		return EXIT_ERROR;
	}
	req.un.echo.id = htons((uint16_t)getpid());
	req.un.echo.sequence = htons(1);
	req.checksum = htons(inet_csum(&req, sizeof(req)));
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&dst,
		   sizeof(dst)) < 0) {
		fprintf(stderr, "udp_probe: ping %s: %s\n", argv[2],
			strerror(errno));
		return EXIT_TIMEOUT;
	}
	ret = ping_wait(fd, &dst, req.un.echo.id);
	if (ret == EXIT_REPLY)
		printf("reply from %s\n", argv[2]);
	else if (ret == EXIT_TIMEOUT)
		fprintf(stderr, "udp_probe: no echo reply from %s\n", argv[2]);
	return ret;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "echo"))
		return do_echo(argc, argv);
	if (!strcmp(argv[1], "send"))
		return do_send(argc, argv);
	if (!strcmp(argv[1], "ping"))
		return do_ping(argc, argv);
	return usage();
}
