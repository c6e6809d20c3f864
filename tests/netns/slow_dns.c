// SPDX-License-Identifier: GPL-2.0-only
/*
 * slow_dns: a tiny DNS server for the namespace tests, answering after a
 * delay (a slow resolver). NAME gets an A record of IPV4 (an AAAA query
 * gets an empty answer); any other name, NXDOMAIN. Each answer is sent
 * DELAY_MS after its query came, however many are waiting. Prints
 * "query NAME TYPE" for each query, on stdout.
 *
 *   slow_dns LISTEN_IP DELAY_MS NAME IPV4
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#define MAX_WAITING 64
#define DNS_HDR	    12

struct waiting {
	struct sockaddr_in to;
	uint8_t buf[512];
	size_t len;
	uint64_t due_ms;
	int used;
};

static struct waiting waiting[MAX_WAITING];

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The question's name as "a.b.c" and where it ends; 0 if malformed. */
static size_t qname(const uint8_t *q, size_t len, char *out, size_t cap)
{
	size_t off = DNS_HDR, o = 0;

	while (off < len && q[off]) {
		size_t l = q[off++];

		if (l > 63 || off + l > len || o + l + 2 > cap)
			return 0;
		if (o)
			out[o++] = '.';
		memcpy(out + o, q + off, l);
		o += l;
		off += l;
	}
	out[o] = 0;
	return off < len ? off + 1 : 0;
}

/* The reply to query q (len bytes) into w; false to ignore it. */
static bool answer(struct waiting *w, const uint8_t *q, size_t len,
		   const char *name, struct in_addr ip)
{
	char got[256];
	size_t end = qname(q, len, got, sizeof(got));
	uint16_t type;
	bool mine;
	uint8_t *r = w->buf;

	if (!end || end + 4 > len || end + 4 + 16 > sizeof(w->buf))
		return false;
	type = (uint16_t)(q[end] << 8 | q[end + 1]);
	printf("query %s %u\n", got, type);
	fflush(stdout);
	mine = !strcasecmp(got, name);
	memcpy(r, q, end + 4);			 /* header and question */
	r[2] = (uint8_t)(0x80 | (q[2] & 0x01));	 /* QR, RD as asked */
	r[3] = (uint8_t)(0x80 | (mine ? 0 : 3)); /* RA, NOERROR/NXDOMAIN */
	memset(r + 4, 0, 8);
	r[5] = 1; /* one question */
	w->len = end + 4;
	if (mine && type == 1) {
		static const uint8_t rr[] = { 0xc0, 0x0c, 0, 1,	 0, 1,
					      0,    0,	  0, 60, 0, 4 };

		r[7] = 1; /* one answer */
		memcpy(r + w->len, rr, sizeof(rr));
		memcpy(r + w->len + sizeof(rr), &ip, 4);
		w->len += sizeof(rr) + 4;
	}
	return true;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(53) };
	struct in_addr ip;
	int fd, delay, i;

	if (argc != 5 || inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1 ||
	    inet_pton(AF_INET, argv[4], &ip) != 1) {
		fprintf(stderr,
			"usage: slow_dns LISTEN_IP DELAY_MS NAME IPV4\n");
		return 2;
	}
	delay = atoi(argv[2]);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("slow_dns: bind");
		return 2;
	}
	for (;;) {
		uint64_t now = now_ms(), next = now + 1000;
		struct pollfd p = { .fd = fd, .events = POLLIN };

		for (i = 0; i < MAX_WAITING; i++) {
			struct waiting *w = &waiting[i];

			if (w->used && w->due_ms <= now) {
				sendto(fd, w->buf, w->len, 0,
				       (struct sockaddr *)&w->to,
				       sizeof(w->to));
				w->used = 0;
			} else if (w->used && w->due_ms < next) {
				next = w->due_ms;
			}
		}
		if (poll(&p, 1, (int)(next - now)) != 1)
			continue;
		for (i = 0; i < MAX_WAITING && waiting[i].used; i++)
			;
		{
			uint8_t q[512];
			socklen_t sl = sizeof(sa);
			struct waiting tmp;
			ssize_t n = recvfrom(fd, q, sizeof(q), 0,
					     (struct sockaddr *)&tmp.to, &sl);

			if (n < DNS_HDR || i == MAX_WAITING ||
			    !answer(&tmp, q, (size_t)n, argv[3], ip))
				continue;
			tmp.due_ms = now_ms() + (uint64_t)delay;
			tmp.used = 1;
			waiting[i] = tmp;
		}
	}
}
