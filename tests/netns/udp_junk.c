// SPDX-License-Identifier: GPL-2.0-only
/*
 * udp_junk: throws malformed and random datagrams at a daemon, for the
 * robustness tests: truncated and wrong-version n2n headers, an oversized
 * auth token, a bad socket family, 45 supernode entries, random bytes, and
 * an over-long datagram. The daemon must drop and count every one.
 *
 *   udp_junk DST_IP DST_PORT COUNT
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "n2n_wire_defs.h"

static size_t common(uint8_t *b, unsigned int type, uint8_t flags)
{
	memset(b, 0, N2N_COMMON_SIZE);
	b[0] = N2N_PKT_VERSION;
	b[1] = 2;
	b[3] = (uint8_t)(type | flags);
	memcpy(b + 4, "junk", 4);
	return N2N_COMMON_SIZE;
}

/* One crafted datagram per case number; returns its length. */
static size_t craft(uint8_t *b, size_t cap, unsigned int i)
{
	size_t n, j;

	switch (i % 8) {
	case 0: /* truncated REGISTER_SUPER */
		return common(b, N2N_MSG_REGISTER_SUPER, 0) + 7;
	case 1: /* wrong version */
		n = common(b, N2N_MSG_QUERY_PEER, 0) + 14;
		b[0] = 2;
		return n;
	case 2: /* auth token_size 0xffff */
		n = common(b, N2N_MSG_REGISTER_SUPER, 0);
		memset(b + n, 0, 60);
		b[n + 4 + 6 + 5 + 16 + 2] = 0xff;
		b[n + 4 + 6 + 5 + 16 + 3] = 0xff;
		return n + 60;
	case 3: /* PACKET with an unknown socket family word */
		n = common(b, N2N_MSG_PACKET, N2N_FLAGS_SOCKET);
		memset(b + n, 0x11, 30);
		return n + 30;
	case 4: /* REGISTER_SUPER_ACK claiming 45 supernodes */
		n = common(b, N2N_MSG_REGISTER_SUPER_ACK, 0);
		memset(b + n, 0, 40);
		b[n + 4 + 6 + 5 + 2 + 8 + 4] = 45;
		return n + 40;
	case 5: /* longer than any n2n receive buffer */
		memset(b, 0x42, cap);
		return cap;
	default: /* random bytes, some with a plausible first byte */
		n = 1 + (size_t)rand() % 300;
		for (j = 0; j < n; j++)
			b[j] = (uint8_t)rand();
		if (i & 1)
			b[0] = N2N_PKT_VERSION;
		return n;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	uint8_t buf[N2N_PKT_BUF_SIZE + 100];
	unsigned int i, count;
	int fd;

	if (argc != 4 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
		fprintf(stderr, "usage: udp_junk DST_IP DST_PORT COUNT\n");
		return 2;
	}
	to.sin_port = htons((uint16_t)atoi(argv[2]));
	count = (unsigned int)atoi(argv[3]);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("udp_junk: socket");
		return 1;
	}
	srand(42);
	for (i = 0; i < count; i++) {
		size_t n = craft(buf, sizeof(buf), i);

		if (sendto(fd, buf, n, 0, (struct sockaddr *)&to, sizeof(to)) <
		    0)
			perror("udp_junk: sendto");
		/* Paced: a burst would overflow the receiver's socket buffer
		 * and the kernel, not the daemon, would drop the rest. */
		if (i % 16 == 15)
			usleep(2000);
	}
	close(fd);
	printf("sent %u datagrams\n", count);
	return 0;
}
