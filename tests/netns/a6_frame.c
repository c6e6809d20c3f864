// SPDX-License-Identifier: GPL-2.0-only
/*
 * a6_frame: what tests/netns/test_a6.sh does to -A6 frames on the wire.
 * It reads captures of one edge's underlay, picks its DATA frames, sends
 * them again (as they were, or with one bit of ciphertext flipped) and
 * tells whether a session key opens them. Exit 0 on success, 1 when the
 * thing asked about is not so, 2 on usage or system errors.
 *
 *   a6_frame pick PCAP COMMUNITY OUT   the last DATA frame of >= 100 bytes
 *   a6_frame send FILE DST_IP DST_PORT [flip|ipopt]  ipopt: with IP options,
 *                         which the kernel path leaves to the stack
 *   a6_frame open FILE COMMUNITY KEYHEX... 0 when one of the keys opens it
 *   a6_frame count PCAP COMMUNITY KEYHEX  how many DATA frames it opens
 *   a6_frame inits PUB_B64 COMMUNITY SRC_MAC DST_MAC N DST_IP DST_PORT
 *                         N initiations to the identity PUB_B64, each from
 *                         a fresh key, with a valid mac1 (a flood that gets
 *                         past the cheap check: what the budget must stop)
 */
#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/bytes.h"
#include "common/pcap_read.h"
#include "n2nk_session.h"
#include "common/mac.h"
#include "conf/conf.h"
#include "proto/a6_frame.h"
#include "proto/msg_io.h"
#include "proto/noise.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: a6_frame pick PCAP COMMUNITY OUT\n"
		"       a6_frame send FILE DST_IP DST_PORT [flip|ipopt]\n"
		"       a6_frame open FILE COMMUNITY KEYHEX...\n"
		"       a6_frame count PCAP COMMUNITY KEYHEX\n"
		"       a6_frame inits PUB_B64 COMMUNITY SRC_MAC DST_MAC "
		"N DST_IP DST_PORT\n");
	return 2;
}

/* A DATA PACKET of community c in buf: its payload, else NULL. */
static const struct n2n_packet *data_packet(struct n2n_msg *m, uint8_t *buf,
					    size_t len, const char *c)
{
	char comm[N2N_COMMUNITY_SIZE] = { 0 };
	static struct msg_opened o;
	struct msg_he he;
	enum n2nk_reason why;

	strncpy(comm, c, sizeof(comm) - 1);
	msg_he_init(&he, false, comm);
	if (msg_open(m, buf, len, comm, &he, &o, &why) ||
	    m->hdr.type != N2N_MSG_PACKET ||
	    m->u.packet.transform != N2NK_TRANSFORM_A6 ||
	    m->u.packet.payload_len < N2NK_A6_OVERHEAD ||
	    m->u.packet.payload[0] != N2NK_A6_DATA)
		return NULL;
	return &m->u.packet;
}

static bool opens(const struct n2n_msg *m, const uint8_t key[32])
{
	const struct n2n_packet *p = &m->u.packet;
	static uint8_t out[N2N_PKT_BUF_SIZE];

	return p->payload_len - N2NK_A6_OVERHEAD <= sizeof(out) &&
	       !a6_frame_open(p->payload, p->payload_len,
			      (const uint8_t *)m->hdr.community, p->src_mac,
			      p->dst_mac, key, out);
}

static int read_file(const char *path, uint8_t *buf, size_t cap, size_t *len)
{
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	*len = fread(buf, 1, cap, f);
	fclose(f);
	return 0;
}

/* Calls fn on each DATA frame of the capture (a copy: msg_open edits). */
static int each_data(const char *pcap, const char *c,
		     int (*fn)(const struct n2n_msg *, const uint8_t *, size_t,
			       void *),
		     void *arg)
{
	struct capture_file cf;
	struct udp_datagram d;
	uint8_t copy[2048];
	struct n2n_msg m;
	int n = 0;

	if (capture_open(&cf, pcap)) {
		fprintf(stderr, "a6_frame: %s: %s\n", pcap, cf.error);
		return -1;
	}
	while (capture_next_udp(&cf, &d) == 1) {
		if (d.len > sizeof(copy))
			continue;
		memcpy(copy, d.payload, d.len);
		if (data_packet(&m, copy, d.len, c))
			n += fn(&m, d.payload, d.len, arg);
	}
	capture_close(&cf);
	return n;
}

struct pick {
	uint8_t buf[2048];
	size_t len;
};

static int pick_one(const struct n2n_msg *m, const uint8_t *raw, size_t len,
		    void *arg)
{
	struct pick *pk = arg;

	if (m->u.packet.payload_len < 100)
		return 0;
	memcpy(pk->buf, raw, len);
	pk->len = len;
	return 1;
}

static int cmd_pick(char **argv)
{
	static struct pick pk;
	FILE *f;

	if (each_data(argv[0], argv[1], pick_one, &pk) <= 0)
		return 1;
	f = fopen(argv[2], "wb");
	if (!f || fwrite(pk.buf, 1, pk.len, f) != pk.len)
		return 2;
	return fclose(f) ? 2 : 0;
}

static int cmd_send(int argc, char **argv)
{
	uint8_t buf[2048];
	struct sockaddr_in to = { .sin_family = AF_INET };
	size_t len;
	int fd;

	if (read_file(argv[0], buf, sizeof(buf), &len) || len < 32 ||
	    inet_pton(AF_INET, argv[1], &to.sin_addr) != 1)
		return 2;
	to.sin_port = htons((uint16_t)atoi(argv[2]));
	if (argc > 3 && !strcmp(argv[3], "flip"))
		buf[len - N2NK_A6_TAG_LEN - 1] ^= 0x01;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd >= 0 && argc > 3 && !strcmp(argv[3], "ipopt") &&
	    setsockopt(fd, IPPROTO_IP, IP_OPTIONS, "\x01\x01\x01\x00", 4))
		return 2;
	if (fd < 0 || sendto(fd, buf, len, 0, (struct sockaddr *)&to,
			     sizeof(to)) != (ssize_t)len)
		return 2;
	close(fd);
	return 0;
}

static int hex_key(const char *hex, uint8_t key[32])
{
	size_t n = 0;

	return sodium_hex2bin(key, 32, hex, strlen(hex), NULL, &n, NULL) ||
			       n != 32
		       ? -1
		       : 0;
}

static int cmd_open(int argc, char **argv)
{
	uint8_t buf[2048], key[32];
	struct n2n_msg m;
	size_t len;
	int i;

	if (read_file(argv[0], buf, sizeof(buf), &len) ||
	    !data_packet(&m, buf, len, argv[1]))
		return 2;
	for (i = 2; i < argc; i++)
		if (!hex_key(argv[i], key) && opens(&m, key))
			return 0;
	return 1;
}

static int count_one(const struct n2n_msg *m, const uint8_t *raw, size_t len,
		     void *arg)
{
	(void)raw, (void)len;
	return opens(m, arg);
}

static int cmd_count(char **argv)
{
	uint8_t key[32];
	int n;

	if (hex_key(argv[2], key))
		return 2;
	n = each_data(argv[0], argv[1], count_one, key);
	if (n < 0)
		return 2;
	printf("%d\n", n);
	return 0;
}

/* One PACKET with an initiation to pub, from a key made for it. */
static ssize_t make_init(uint8_t *buf, size_t cap, const uint8_t *pub,
			 const char *comm, const uint8_t *src,
			 const uint8_t *dst)
{
	uint8_t priv[32], psk[32], tai[12], body[4 + NOISE_INIT_LEN];
	uint8_t pro[7 + N2N_COMMUNITY_SIZE + 12];
	struct noise_static me;
	struct noise_hs hs;
	struct msg_he he;
	struct n2n_msg m;

	randombytes_buf(priv, sizeof(priv));
	randombytes_buf(psk, sizeof(psk));
	if (noise_static_init(&me, priv))
		return -1;
	memcpy(pro, "n2nk v1", 7);
	memset(pro + 7, 0, N2N_COMMUNITY_SIZE);
	memcpy(pro + 7, comm, strnlen(comm, N2N_COMMUNITY_SIZE - 1));
	memcpy(pro + 7 + N2N_COMMUNITY_SIZE, src, 6);
	memcpy(pro + 13 + N2N_COMMUNITY_SIZE, dst, 6);
	noise_tai64n_now(tai);
	memset(body, 0, 4);
	body[0] = N2NK_A6_INIT;
	if (noise_init_create(&hs, &me, pub, psk, pro, sizeof(pro),
			      randombytes_random(), tai, body + 4))
		return -1;
	memset(&m, 0, sizeof(m));
	m.hdr.type = N2N_MSG_PACKET;
	m.hdr.ttl = N2N_DEFAULT_TTL;
	memcpy(m.hdr.community, pro + 7, N2N_COMMUNITY_SIZE);
	memcpy(m.u.packet.src_mac, src, 6);
	memcpy(m.u.packet.dst_mac, dst, 6);
	m.u.packet.compression = N2N_COMPRESSION_NONE;
	m.u.packet.transform = N2NK_TRANSFORM_A6;
	m.u.packet.payload = body;
	m.u.packet.payload_len = sizeof(body);
	msg_he_init(&he, false, (const char *)m.hdr.community);
	return msg_seal(buf, cap, &m, &he);
}

static int cmd_inits(char **argv)
{
	uint8_t pub[32], src[6], dst[6], buf[512];
	struct sockaddr_in to = { .sin_family = AF_INET };
	size_t n = 0;
	int fd, i, count = atoi(argv[4]);
	ssize_t len;

	if (sodium_base642bin(pub, sizeof(pub), argv[0], strlen(argv[0]), NULL,
			      &n, NULL, sodium_base64_VARIANT_ORIGINAL) ||
	    n != 32 || conf_parse_mac(argv[2], src) ||
	    conf_parse_mac(argv[3], dst) ||
	    inet_pton(AF_INET, argv[5], &to.sin_addr) != 1)
		return 2;
	to.sin_port = htons((uint16_t)atoi(argv[6]));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return 2;
	for (i = 0; i < count; i++) {
		len = make_init(buf, sizeof(buf), pub, argv[1], src, dst);
		if (len < 0 ||
		    sendto(fd, buf, (size_t)len, 0, (struct sockaddr *)&to,
			   sizeof(to)) != len)
			return 2;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0 || argc < 2)
		return usage();
	if (!strcmp(argv[1], "pick") && argc == 5)
		return cmd_pick(argv + 2);
	if (!strcmp(argv[1], "send") && (argc == 5 || argc == 6))
		return cmd_send(argc - 2, argv + 2);
	if (!strcmp(argv[1], "open") && argc >= 5)
		return cmd_open(argc - 2, argv + 2);
	if (!strcmp(argv[1], "count") && argc == 5)
		return cmd_count(argv + 2);
	if (!strcmp(argv[1], "inits") && argc == 9)
		return cmd_inits(argv + 2);
	return usage();
}
