// SPDX-License-Identifier: GPL-2.0-only
/*
 * relay_corpus: registers edges A and B with a supernode, then sends a
 * fixed, seeded corpus of PACKETs from A (unicast to B with every TTL,
 * compression and transform byte and payload lengths 0..1400, plus some
 * broadcasts) one at a time and writes what reaches B, one line per
 * PACKET: "<index> <hex of the datagram>" or "<index> lost". Two runs
 * against two supernodes must write the same file: test_relay_corpus.sh
 * compares the XDP relay with the socket backend this way.
 *
 * With -H, every datagram is header-encrypted with the community's keys
 * (as an n2n edge with -H does) and what reaches B is written decrypted:
 * the supernode's stamp and random bits differ from run to run, the rest
 * must not. The supernode must list the community ("corpus") in its -c
 * file.
 *
 *   relay_corpus SN_IP SN_PORT LOCAL_IP PORT_A PORT_B COUNT OUTFILE [-H]
 * Exit 0 when both registered and every PACKET was answered or lost,
 * 1 when a registration was not acknowledged, 2 on usage or system errors.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "common/mac.h"
#include "proto/header_crypt.h"
#include "proto/timestamp.h"
#include "proto/wire.h"

#define COMMUNITY   "corpus"
#define BUF_MAX	    2048
#define PAYLOAD_MAX 1400
#define WAIT_MS	    1000
#define REG_TRIES   10

static const uint8_t mac_a[MAC_SIZE] = { 0x02, 0x63, 0x6f, 0x72, 0x00, 0x0a };
static const uint8_t mac_b[MAC_SIZE] = { 0x02, 0x63, 0x6f, 0x72, 0x00, 0x0b };
static const uint8_t mac_bcast[MAC_SIZE] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};

/* -H: the community's keys, and our stamps (never repeating). */
static bool he_on;
static struct he_keys he;
static struct ts_source stamps;

static uint64_t next_stamp(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return ts_next(&stamps,
		       (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec);
}

/* Under -H, the datagram of n bytes sealed: H is the header of a PACKET,
 * else the whole message. */
static void seal(uint8_t *buf, size_t n, const struct n2n_msg *m)
{
	size_t h = m->hdr.type == N2N_MSG_PACKET ? N2N_PACKET_HDR_SIZE : n;

	if (he_on &&
	    he_encrypt(buf, n, h, next_stamp(), (uint32_t)random(), &he)) {
		fprintf(stderr, "relay_corpus: he_encrypt failed\n");
		exit(2);
	}
}

/* Under -H, the datagram opened in place: its length, or -1. */
static ssize_t open_he(uint8_t *buf, ssize_t n)
{
	char community[N2N_COMMUNITY_SIZE] = COMMUNITY;
	struct he_result res;

	if (!he_on || n < 0)
		return n;
	return he_decrypt(buf, buf, (size_t)n, community, &he, &res) ? -1 : n;
}

static int udp_socket(const char *ip, uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || inet_pton(AF_INET, ip, &sa.sin_addr) != 1 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("relay_corpus: socket");
		exit(2);
	}
	return fd;
}

static void header(struct n2n_msg *m, unsigned int type, uint8_t ttl)
{
	memset(m, 0, sizeof(*m));
	m->hdr.ttl = ttl;
	m->hdr.type = (uint8_t)type;
	strcpy(m->hdr.community, COMMUNITY);
}

static void send_msg(int fd, const struct sockaddr_in *sn,
		     const struct n2n_msg *m)
{
	uint8_t buf[BUF_MAX];
	ssize_t n = wire_encode(buf, sizeof(buf), m);

	if (n > 0)
		seal(buf, (size_t)n, m);
	if (n < 0 ||
	    sendto(fd, buf, (size_t)n, 0, (const void *)sn, sizeof(*sn)) != n) {
		fprintf(stderr, "relay_corpus: sending failed\n");
		exit(2);
	}
}

/* One datagram within WAIT_MS (opened, under -H), or -1. */
static ssize_t recv_one(int fd, uint8_t *buf, size_t cap)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, WAIT_MS) != 1)
		return -1;
	return open_he(buf, recv(fd, buf, cap, 0));
}

/* REGISTER_SUPER until a REGISTER_SUPER_ACK comes back. */
static int register_edge(int fd, const struct sockaddr_in *sn,
			 const uint8_t mac[MAC_SIZE], uint32_t cookie)
{
	uint8_t buf[BUF_MAX];
	struct n2n_msg m, ack;
	ssize_t n;
	int i;

	header(&m, N2N_MSG_REGISTER_SUPER, 2);
	m.u.reg_super.cookie = cookie;
	mac_copy(m.u.reg_super.edge_mac, mac);
	m.u.reg_super.auth.scheme = N2N_AUTH_SIMPLE_ID;
	m.u.reg_super.auth.token_size = N2N_AUTH_ID_TOKEN_SIZE;
	mac_copy(m.u.reg_super.auth.token, mac);
	for (i = 0; i < REG_TRIES; i++) {
		send_msg(fd, sn, &m);
		n = recv_one(fd, buf, sizeof(buf));
		if (n > 0 && wire_decode(&ack, buf, (size_t)n) > 0 &&
		    ack.hdr.type == N2N_MSG_REGISTER_SUPER_ACK &&
		    ack.u.reg_super_ack.cookie == cookie)
			return 0;
	}
	return -1;
}

/* The i-th PACKET of the corpus: a fixed function of i. */
static void corpus_packet(struct n2n_msg *m, unsigned int i, uint8_t *payload)
{
	uint32_t x = 2463534242u ^ (i * 2654435761u);
	size_t k;

	header(m, N2N_MSG_PACKET, (uint8_t)(1 + i % 255));
	mac_copy(m->u.packet.src_mac, mac_a);
	mac_copy(m->u.packet.dst_mac, i % 25 == 24 ? mac_bcast : mac_b);
	m->u.packet.compression = (uint8_t)(i % 5);
	m->u.packet.transform = (uint8_t)(i % 7);
	m->u.packet.payload_len = (i * 37u) % (PAYLOAD_MAX + 1);
	for (k = 0; k < m->u.packet.payload_len; k++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		payload[k] = (uint8_t)x;
	}
	m->u.packet.payload = payload;
}

static void write_line(FILE *out, unsigned int i, const uint8_t *buf, ssize_t n)
{
	ssize_t k;

	fprintf(out, "%u ", i);
	if (n < 0)
		fputs("lost", out);
	for (k = 0; k < n; k++)
		fprintf(out, "%02x", buf[k]);
	fputc('\n', out);
}

int main(int argc, char **argv)
{
	struct sockaddr_in sn = { .sin_family = AF_INET };
	uint8_t payload[PAYLOAD_MAX], buf[BUF_MAX];
	unsigned int i, count;
	struct n2n_msg m;
	int a, b;
	FILE *out;

	he_on = argc == 9 && !strcmp(argv[8], "-H");
	if ((argc != 8 && !he_on) ||
	    inet_pton(AF_INET, argv[1], &sn.sin_addr) != 1) {
		fprintf(stderr, "usage: relay_corpus SN_IP SN_PORT LOCAL_IP "
				"PORT_A PORT_B COUNT OUTFILE [-H]\n");
		return 2;
	}
	if (he_on) {
		char name[N2N_COMMUNITY_SIZE] = COMMUNITY;

		he_keys_from_community(&he, name);
		srandom((unsigned int)getpid());
	}
	sn.sin_port = htons((uint16_t)atoi(argv[2]));
	a = udp_socket(argv[3], (uint16_t)atoi(argv[4]));
	b = udp_socket(argv[3], (uint16_t)atoi(argv[5]));
	count = (unsigned int)atoi(argv[6]);
	out = fopen(argv[7], "w");
	if (!out || count > 100000) {
		perror("relay_corpus: output");
		return 2;
	}
	if (register_edge(a, &sn, mac_a, 0xc0de0001) ||
	    register_edge(b, &sn, mac_b, 0xc0de0002)) {
		fprintf(stderr,
			"relay_corpus: registration not acknowledged\n");
		return 1;
	}
	for (i = 0; i < count; i++) {
		corpus_packet(&m, i, payload);
		send_msg(a, &sn, &m);
		write_line(out, i, buf, recv_one(b, buf, sizeof(buf)));
	}
	return fclose(out) ? 2 : 0;
}
