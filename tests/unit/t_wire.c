// SPDX-License-Identifier: GPL-2.0-only
/*
 * The wire codec against n2n's own encodings (tests-wire.expected and
 * wire-examples.txt), and against malformed input: every decoder must say
 * what is wrong, by name, and never read past the datagram.
 */
#include <stdio.h>
#include <stdlib.h>

#include "common/mac.h"
#include "common/sockaddr.h"
#include "proto/wire.h"
#include "test.h"

static const uint8_t mac_a[MAC_SIZE] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x01 };
static const uint8_t mac_b[MAC_SIZE] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x02 };
static const uint8_t mac_sn1[MAC_SIZE] = { 0x02, 0x5e, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t mac_sn2[MAC_SIZE] = { 0x02, 0x5e, 0x00, 0x00, 0x00, 0x02 };

/* One example of wire-examples.txt, by the text before its "(N bytes):". */
static long wire_example(const char *title, uint8_t *out, size_t cap)
{
	size_t len, n = 0;
	char *text = (char *)read_file(vector_path("wire-examples.txt"), &len);
	char *line, *save = NULL;
	int in = 0;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		long got;

		if (strstr(line, "bytes):")) {
			if (in)
				break;
			in = strncmp(line, title, strlen(title)) == 0;
			continue;
		}
		if (!in)
			continue;
		got = hex_decode(out + n, cap - n, line);
		if (got < 0)
			break;
		n += (size_t)got;
	}
	free(text);
	return in ? (long)n : -1;
}

static void init_common(struct n2n_msg *m, unsigned int type, uint8_t ttl,
			uint16_t flags, const char *community)
{
	memset(m, 0, sizeof(*m));
	m->hdr.type = (uint8_t)type;
	m->hdr.ttl = ttl;
	m->hdr.flags = flags;
	strncpy(m->hdr.community, community, N2N_COMMUNITY_SIZE - 1);
}

/* Decodes want, re-encodes the result and expects the same bytes. */
static void check_roundtrip(const uint8_t *want, size_t len)
{
	struct n2n_msg m;
	uint8_t out[N2N_PKT_BUF_SIZE];
	ssize_t n = wire_decode(&m, want, len);

	CHECK_MSG(n == (ssize_t)len, "decode: %zd (%s)", n,
		  n < 0 ? wire_strerror((int)n) : "short");
	if (n < 0)
		return;
	n = wire_encode(out, sizeof(out), &m);
	CHECK_EQ(n, len);
	if (n == (ssize_t)len)
		CHECK_MEM(out, want, len);
}

static void check_encodes_to(const struct n2n_msg *m, const uint8_t *want,
			     long want_len)
{
	uint8_t out[N2N_PKT_BUF_SIZE];
	ssize_t n = wire_encode(out, sizeof(out), m);

	CHECK(want_len > 0);
	CHECK_EQ(n, want_len);
	if (n == want_len && want_len > 0)
		CHECK_MEM(out, want, (size_t)want_len);
}

static void upstream_token(struct n2n_auth *a)
{
	a->scheme = N2N_AUTH_SIMPLE_ID;
	a->token_size = 16;
	memset(a->token, 0, sizeof(a->token));
	a->token[0] = 0xfe;
	a->token[4] = 0xfd;
	a->token[8] = 0xfc;
	a->token[15] = 0xfb;
}

TEST(wire_upstream_register)
{
	static const uint8_t src[MAC_SIZE] = { 0, 1, 2, 3, 4, 5 };
	static const uint8_t dst[MAC_SIZE] = { 0x10, 0x11, 0x12,
					       0x13, 0x14, 0x15 };
	uint8_t want[256];
	long len = expected_dump("tests-wire.expected", "REGISTER: output idx",
				 want, sizeof(want));
	struct n2n_msg m;

	init_common(&m, N2N_MSG_REGISTER, 2, 0, "abc123def456z");
	mac_copy(m.u.reg.src_mac, src);
	mac_copy(m.u.reg.dst_mac, dst);
	m.u.reg.dev_addr.addr = 0x20212223;
	m.u.reg.dev_addr.prefix = 25;
	memcpy(m.u.reg.dev_desc, "Dummy_Dev_Desc", 14);
	CHECK_EQ(len, 0x3d);
	check_encodes_to(&m, want, len);
	check_roundtrip(want, (size_t)len);
}

TEST(wire_upstream_register_super)
{
	static const uint8_t mac[MAC_SIZE] = { 0x20, 0x21, 0x22,
					       0x23, 0x24, 0x25 };
	uint8_t want[256];
	long len = expected_dump("tests-wire.expected",
				 "REGISTER_SUPER: output idx", want,
				 sizeof(want));
	struct n2n_msg m;

	init_common(&m, N2N_MSG_REGISTER_SUPER, 2, 0, "abc123def456z");
	mac_copy(m.u.reg_super.edge_mac, mac);
	m.u.reg_super.dev_addr.addr = 0x20212223;
	m.u.reg_super.dev_addr.prefix = 25;
	memcpy(m.u.reg_super.dev_desc, "Dummy_Dev_Desc", 14);
	upstream_token(&m.u.reg_super.auth);
	m.u.reg_super.key_time = 600;
	CHECK_EQ(len, 0x4f);
	check_encodes_to(&m, want, len);
	check_roundtrip(want, (size_t)len);
}

TEST(wire_upstream_unregister_super)
{
	static const uint8_t mac[MAC_SIZE] = { 0x30, 0x31, 0x32,
					       0x33, 0x34, 0x35 };
	uint8_t want[256];
	long len = expected_dump("tests-wire.expected",
				 "UNREGISTER_SUPER: output idx", want,
				 sizeof(want));
	struct n2n_msg m;

	init_common(&m, N2N_MSG_UNREGISTER_SUPER, 2, 0, "abc123def456z");
	upstream_token(&m.u.unreg_super.auth);
	mac_copy(m.u.unreg_super.src_mac, mac);
	CHECK_EQ(len, 0x32);
	check_encodes_to(&m, want, len);
	check_roundtrip(want, (size_t)len);
}

TEST(wire_example_relayed_packet_header)
{
	uint8_t want[64];
	long len = wire_example("PACKET header, relayed", want, sizeof(want));
	struct n2n_msg m;

	init_common(&m, N2N_MSG_PACKET, 1,
		    N2N_FLAGS_SOCKET | N2N_FLAGS_FROM_SUPERNODE, "mynet");
	mac_copy(m.u.packet.src_mac, mac_a);
	mac_copy(m.u.packet.dst_mac, mac_b);
	m.u.packet.sock.port = 0x1234;
	memcpy(m.u.packet.sock.addr, "\xc0\x00\x02\x01", 4);
	m.u.packet.compression = N2N_COMPRESSION_NONE;
	m.u.packet.transform = N2N_TRANSFORM_SPECK;
	CHECK_EQ(len, N2N_PACKET_HDR_SIZE_SOCK);
	check_encodes_to(&m, want, len);
	check_roundtrip(want, (size_t)len);
}

TEST(wire_example_sockets)
{
	uint8_t want[32], out[32];
	long len = wire_example("n2n_sock IPv6+TCP", want, sizeof(want));
	struct n2n_sock s;
	struct n2n_sn_entry e;

	CHECK_EQ(len, N2N_SOCK_SIZE_V6);
	CHECK_EQ(wire_decode_sock(&s, want, (size_t)len), N2N_SOCK_SIZE_V6);
	CHECK(s.ipv6 && s.tcp && s.port == 7654);
	CHECK(s.addr[0] == 0x20 && s.addr[1] == 0x01 && s.addr[15] == 1);
	CHECK_EQ(wire_encode_sock(out, sizeof(out), &s), len);
	CHECK_MEM(out, want, (size_t)len);

	/* The supernode entry's port is little-endian: 0x1234 -> 34 12. */
	len = wire_example("REGISTER_SUPER_ACK payload sock", want,
			   sizeof(want));
	CHECK_EQ(len, 20);
	memset(&e, 0, sizeof(e));
	mac_copy(want + len, mac_sn2);
	CHECK_EQ(wire_decode_sn_entry(&e, want, 26), N2N_SN_ENTRY_SIZE);
	CHECK(e.family == 2 && e.port == 0x1234);
	CHECK_EQ(wire_encode_sn_entry(out, sizeof(out), &e), 26);
	CHECK_MEM(out, want, 26);
}

TEST(wire_example_register_super_ack)
{
	uint8_t want[128];
	long len = wire_example("REGISTER_SUPER_ACK (simple-id", want,
				sizeof(want));
	struct n2n_register_super_ack *a;
	struct n2n_msg m;

	CHECK_EQ(len, 84);
	CHECK_EQ(wire_decode(&m, want, (size_t)len), 84);
	a = &m.u.reg_super_ack;
	CHECK_EQ(m.hdr.type, N2N_MSG_REGISTER_SUPER_ACK);
	CHECK_EQ(m.hdr.flags, N2N_FLAGS_SOCKET | N2N_FLAGS_FROM_SUPERNODE);
	CHECK_EQ(a->cookie, 0x11223344);
	CHECK_MEM(a->src_mac, mac_sn1, MAC_SIZE);
	CHECK(a->dev_addr.addr == 0x0a800001 && a->dev_addr.prefix == 24);
	CHECK_EQ(a->lifetime, 15);
	CHECK(a->sock.port == 0x1234 && !a->sock.ipv6);
	CHECK(a->auth.scheme == 0 && a->auth.token_size == 0);
	CHECK_EQ(a->num_sn, 1);
	CHECK(a->sn[0].family == 2 && a->sn[0].port == 7654);
	CHECK_MEM(a->sn[0].mac, mac_sn2, MAC_SIZE);
	check_roundtrip(want, (size_t)len);
}

TEST(wire_example_peer_info_query_peer_ack_nak)
{
	static const char *const titles[] = {
		"PEER_INFO (PONG)",
		"QUERY_PEER",
		"REGISTER_ACK",
		"REGISTER_SUPER_NAK",
	};
	static const long lens[] = { 74, 38, 40, 38 };
	uint8_t want[128];
	struct n2n_msg m;
	size_t i;

	for (i = 0; i < 4; i++) {
		long len = wire_example(titles[i], want, sizeof(want));

		CHECK_MSG(len == lens[i], "%s: %ld bytes", titles[i], len);
		if (len > 0)
			check_roundtrip(want, (size_t)len);
	}
	CHECK_EQ(wire_decode(&m, want, 38), 38); /* the NAK */
	CHECK_MEM(m.u.reg_super_nak.src_mac, mac_a, MAC_SIZE);
	CHECK_EQ(wire_example("REGISTER_ACK", want, sizeof(want)), 40);
	CHECK_EQ(wire_decode(&m, want, 40), 40);
	CHECK_MEM(m.u.reg_ack.dst_mac, mac_a, MAC_SIZE); /* dst first */
	CHECK_MEM(m.u.reg_ack.src_mac, mac_b, MAC_SIZE);
	CHECK_EQ(wire_example("PEER_INFO (PONG)", want, sizeof(want)), 74);
	CHECK_EQ(wire_decode(&m, want, 74), 74);
	CHECK_EQ(m.u.peer_info.uptime, 3600);
	CHECK(strcmp((char *)m.u.peer_info.version, "3.1.1") == 0);
}

/* A valid message of each type, built by the encoder. */
static size_t build_each(unsigned int type, uint8_t *buf, size_t cap)
{
	struct n2n_msg m;
	ssize_t n;

	init_common(&m, type, 2, N2N_FLAGS_SOCKET, "vectors");
	switch (type) {
	case N2N_MSG_REGISTER_SUPER:
		m.u.reg_super.auth.token_size = 16;
		break;
	case N2N_MSG_REGISTER_SUPER_ACK:
		m.u.reg_super_ack.num_sn = 2;
		break;
	case N2N_MSG_UNREGISTER_SUPER:
	case N2N_MSG_REGISTER_SUPER_NAK:
		m.u.unreg_super.auth.token_size = 48;
		break;
	}
	n = wire_encode(buf, cap, &m);
	CHECK_MSG(n > 0, "encode type %u: %zd", type, n);
	return n > 0 ? (size_t)n : 0;
}

TEST(wire_every_truncation_is_rejected)
{
	uint8_t buf[512];
	struct n2n_msg m;
	unsigned int t;
	size_t len, cut;

	for (t = 0; t < N2N_MSG_TYPE_COUNT; t++) {
		if (!wire_msg_has_codec(t))
			continue;
		len = build_each(t, buf, sizeof(buf));
		CHECK_EQ(wire_decode(&m, buf, len), len);
		/* A PACKET is complete once its header is: the rest is payload. */
		for (cut = 0; cut < len; cut++) {
			ssize_t n = wire_decode(&m, buf, cut);

			if (t == N2N_MSG_PACKET &&
			    cut >= N2N_PACKET_HDR_SIZE_SOCK)
				continue;
			CHECK_MSG(n == -WIRE_ERR_TRUNCATED,
				  "%s cut at %zu: %zd", wire_msg_name(t), cut,
				  n);
		}
	}
}

TEST(wire_rejects_bad_fields_by_name)
{
	uint8_t buf[512];
	struct n2n_msg m;
	size_t len;
	unsigned int t;

	len = build_each(N2N_MSG_QUERY_PEER, buf, sizeof(buf));
	buf[0] = 2;
	CHECK_EQ(wire_decode(&m, buf, len), -WIRE_ERR_VERSION);
	buf[0] = 3;
	memset(buf + 4, 'x', N2N_COMMUNITY_SIZE);
	CHECK_EQ(wire_decode(&m, buf, len), -WIRE_ERR_COMMUNITY);

	for (t = 0; t < N2N_MSG_TYPE_COUNT; t++) {
		if (wire_msg_has_codec(t))
			continue;
		len = build_each(N2N_MSG_QUERY_PEER, buf, sizeof(buf));
		buf[3] = (uint8_t)((buf[3] & ~N2N_FLAGS_TYPE_MASK) | t);
		CHECK_EQ(wire_decode(&m, buf, len), -WIRE_ERR_TYPE);
	}

	/* token_size 49 at offset 24 + 4 + 6 + 8 (sock) + 5 + 16 + 2. */
	len = build_each(N2N_MSG_REGISTER_SUPER, buf, sizeof(buf));
	buf[24 + 4 + 6 + 8 + 5 + 16 + 3] = 49;
	CHECK_EQ(wire_decode(&m, buf, len), -WIRE_ERR_TOKEN_SIZE);
	buf[24 + 4 + 6 + 8 + 5 + 16 + 2] = 0xff; /* 65535 + 49 */
	CHECK_EQ(wire_decode(&m, buf, len), -WIRE_ERR_TOKEN_SIZE);

	/* num_sn 45 right after the empty auth field. */
	len = build_each(N2N_MSG_REGISTER_SUPER_ACK, buf, sizeof(buf));
	buf[24 + 4 + 6 + 5 + 2 + 8 + 4] = 45;
	CHECK_EQ(wire_decode(&m, buf, len), -WIRE_ERR_SN_COUNT);
	buf[24 + 4 + 6 + 5 + 2 + 8 + 4] = 255;
	CHECK_EQ(wire_decode(&m, buf, len), -WIRE_ERR_SN_COUNT);

	/* A socket family word with bits other than IPv6/TCP. */
	len = build_each(N2N_MSG_PACKET, buf, sizeof(buf));
	buf[N2N_PACKET_OFF_SOCK] = 0x01;
	CHECK_EQ(wire_decode(&m, buf, len), -WIRE_ERR_SOCK_FAMILY);
}

TEST(wire_encoder_refuses_what_the_wire_cannot_carry)
{
	uint8_t buf[512];
	struct n2n_msg m;

	init_common(&m, N2N_MSG_REGISTER_SUPER, 2, 0, "c");
	m.u.reg_super.auth.token_size = 49;
	CHECK_EQ(wire_encode(buf, sizeof(buf), &m), -WIRE_ERR_INVALID);
	init_common(&m, N2N_MSG_REGISTER_SUPER_ACK, 2, 0, "c");
	m.u.reg_super_ack.num_sn = 45;
	CHECK_EQ(wire_encode(buf, sizeof(buf), &m), -WIRE_ERR_INVALID);
	init_common(&m, N2N_MSG_QUERY_PEER, 2, 0, "c");
	memset(m.hdr.community, 'x', N2N_COMMUNITY_SIZE);
	CHECK_EQ(wire_encode(buf, sizeof(buf), &m), -WIRE_ERR_INVALID);
	init_common(&m, N2N_MSG_FEDERATION, 2, 0, "c");
	CHECK_EQ(wire_encode(buf, sizeof(buf), &m), -WIRE_ERR_TYPE);
	init_common(&m, N2N_MSG_QUERY_PEER, 2, 0, "c");
	CHECK_EQ(wire_encode(buf, 37, &m), -WIRE_ERR_NO_SPACE);
	CHECK_EQ(wire_encode(buf, 38, &m), 38);
}

TEST(wire_ipv6_sockets_in_every_message_that_carries_one)
{
	uint8_t buf[512];
	struct n2n_msg m, d;
	ssize_t n;

	init_common(&m, N2N_MSG_PEER_INFO, 2, N2N_FLAGS_SOCKET, "v6");
	m.u.peer_info.sock.ipv6 = true;
	m.u.peer_info.sock.port = 50001;
	m.u.peer_info.sock.addr[0] = 0x20;
	m.u.peer_info.preferred_sock = m.u.peer_info.sock;
	m.u.peer_info.preferred_sock.port = 50002;
	n = wire_encode(buf, sizeof(buf), &m);
	CHECK_EQ(n, 74 + 12 + 20);
	CHECK_EQ(wire_decode(&d, buf, (size_t)n), n);
	CHECK(d.u.peer_info.sock.ipv6 && d.u.peer_info.sock.port == 50001);
	CHECK(d.u.peer_info.preferred_sock.port == 50002);

	init_common(&m, N2N_MSG_PACKET, 2, N2N_FLAGS_SOCKET, "v6");
	m.u.packet.sock.ipv6 = true;
	m.u.packet.payload = (const uint8_t *)"frame";
	m.u.packet.payload_len = 5;
	n = wire_encode(buf, sizeof(buf), &m);
	CHECK_EQ(n, 24 + 12 + 20 + 2 + 5);
	CHECK_EQ(wire_decode(&d, buf, (size_t)n), n);
	CHECK(d.u.packet.payload_len == 5 &&
	      memcmp(d.u.packet.payload, "frame", 5) == 0);
}

/* Random bytes with a valid-looking common header: no crash, no overrun. */
TEST(wire_random_bytes_never_overrun)
{
	uint8_t *buf;
	struct n2n_msg m;
	unsigned int seed = 12345;
	int i;

	for (i = 0; i < 200000; i++) {
		size_t len = (size_t)(rand_r(&seed) % 200), j;
		ssize_t n;

		buf = malloc(len ? len
				 : 1); /* exact size: ASan sees overruns */
		for (j = 0; j < len; j++)
			buf[j] = (uint8_t)rand_r(&seed);
		if (len > 23 && (i & 1)) {
			buf[0] = 3;
			buf[23] = 0;
			buf[3] &= 0x7f;
		}
		n = wire_decode(&m, buf, len);
		CHECK(n < 0 || (size_t)n <= len);
		free(buf);
	}
}

/* The a.b.c.d/len the edge logs and both roles' n2nctl show. */
TEST(ip4_prefix_str_as_n2n_writes_it)
{
	char buf[IP4_PREFIX_STR_MAX];

	CHECK(!strcmp(ip4_prefix_str(0xc6130001, 24, buf), "198.19.0.1/24"));
	CHECK(!strcmp(ip4_prefix_str(0, 0, buf), "0.0.0.0/0"));
	CHECK(!strcmp(ip4_prefix_str(0xffffffff, 255, buf),
		      "255.255.255.255/255"));
}
