// SPDX-License-Identifier: GPL-2.0-only
/*
 * -A6's frames in userspace (daemon/proto/a6_frame.c over libsodium):
 * RFC 8439's AEAD vectors, our nonce layout, and the associated data a
 * relaying supernode cannot change (the same for the direct and the
 * relayed PACKET header).
 */
#include <sodium.h>
#include <string.h>

#include "proto/a6_frame.h"
#include "proto/msg_io.h"
#include "test.h"

static const char rfc_2_8_2_key[] =
	"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
static const char rfc_2_8_2_pt[] =
	"4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
	"73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
	"6e6c79206f6e652074697020666f722074686520667574757265"
	"2c2073756e73637265656e20776f756c642062652069742e";
static const char rfc_2_8_2_ct[] =
	"d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
	"3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
	"92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
	"3ff4def08e4b7a9de576d26586cec64b6116"
	"1ae10b594f09e26a7e902ecbd0600691";

/* The library -A6's userspace path uses, on RFC 8439 2.8.2. */
TEST(a6_rfc8439_2_8_2)
{
	uint8_t key[32], nonce[12], ad[12], pt[114], want[130], got[130];
	unsigned long long n = 0;

	CHECK_EQ(hex_decode(key, sizeof(key), rfc_2_8_2_key), 32);
	CHECK_EQ(hex_decode(nonce, sizeof(nonce), "070000004041424344454647"),
		 12);
	CHECK_EQ(hex_decode(ad, sizeof(ad), "50515253c0c1c2c3c4c5c6c7"), 12);
	CHECK_EQ(hex_decode(pt, sizeof(pt), rfc_2_8_2_pt), 114);
	CHECK_EQ(hex_decode(want, sizeof(want), rfc_2_8_2_ct), 130);
	crypto_aead_chacha20poly1305_ietf_encrypt(got, &n, pt, sizeof(pt), ad,
						  sizeof(ad), NULL, nonce, key);
	CHECK_EQ(n, 130);
	CHECK_MEM(got, want, sizeof(want));
}

/* A.5's nonce, 00000000 || 0102030405060708, is our layout of a
 * counter: a6_frame_nonce() makes it from 0x0807060504030201. */
TEST(a6_nonce_is_rfc8439_a5_layout)
{
	uint8_t nonce[A6_NONCE_LEN], want[A6_NONCE_LEN];

	a6_frame_nonce(nonce, 0x0807060504030201ULL);
	CHECK_EQ(hex_decode(want, sizeof(want), "000000000102030405060708"),
		 12);
	CHECK_MEM(nonce, want, sizeof(want));
}

static const uint8_t comm[N2N_COMMUNITY_SIZE] = "a6";
static const uint8_t other[N2N_COMMUNITY_SIZE] = "a7";
static const uint8_t mac_a[6] = { 2, 0, 0, 0, 6, 1 };
static const uint8_t mac_b[6] = { 2, 0, 0, 0, 6, 2 };

static size_t sealed(uint8_t *pl, const uint8_t *key, const uint8_t *frame,
		     size_t len)
{
	a6_frame_hdr(pl, N2NK_A6_DATA, 0x1234abcd, 77);
	a6_frame_seal(pl, comm, mac_a, mac_b, key, frame, len);
	return N2NK_A6_OVERHEAD + len;
}

TEST(a6_frame_seals_and_opens_only_as_sent)
{
	uint8_t key[32], frame[300], pl[400], out[300];
	size_t n;

	randombytes_buf(key, sizeof(key));
	randombytes_buf(frame, sizeof(frame));
	n = sealed(pl, key, frame, sizeof(frame));
	CHECK_EQ(pl[0], N2NK_A6_DATA);
	CHECK_EQ(a6_frame_open(pl, n, comm, mac_a, mac_b, key, out), 0);
	CHECK_MEM(out, frame, sizeof(frame));
	/* Another pair, community, header byte or ciphertext bit: refused. */
	CHECK(a6_frame_open(pl, n, comm, mac_b, mac_a, key, out));
	CHECK(a6_frame_open(pl, n, other, mac_a, mac_b, key, out));
	pl[8] ^= 1; /* the counter */
	CHECK(a6_frame_open(pl, n, comm, mac_a, mac_b, key, out));
	pl[8] ^= 1;
	pl[N2NK_A6_DATA_HDR + 5] ^= 0x80;
	CHECK(a6_frame_open(pl, n, comm, mac_a, mac_b, key, out));
	CHECK(a6_frame_open(pl, N2NK_A6_OVERHEAD - 1, comm, mac_a, mac_b, key,
			    out));
}

/* A PACKET with pl, as an edge sends it or as a supernode relays it (its
 * socket inserted, flags and TTL changed), through the wire codec. */
static int wire_opens(const uint8_t *pl, size_t n, const uint8_t *key,
		      bool relayed)
{
	static uint8_t buf[N2N_PKT_BUF_SIZE], out[N2N_PKT_BUF_SIZE];
	static struct msg_opened o;
	struct n2n_msg m, got;
	struct msg_he he;
	enum n2nk_reason why;
	ssize_t len;

	memset(&m, 0, sizeof(m));
	m.hdr.type = N2N_MSG_PACKET;
	m.hdr.ttl = relayed ? 1 : 2;
	if (relayed) {
		m.hdr.flags = N2N_FLAGS_SOCKET | N2N_FLAGS_FROM_SUPERNODE;
		m.u.packet.sock.port = 5601;
		memcpy(m.u.packet.sock.addr, "\xc6\x12\x00\x0b", 4);
	}
	memcpy(m.hdr.community, comm, sizeof(comm));
	memcpy(m.u.packet.src_mac, mac_a, 6);
	memcpy(m.u.packet.dst_mac, mac_b, 6);
	m.u.packet.compression = N2N_COMPRESSION_NONE;
	m.u.packet.transform = N2NK_TRANSFORM_A6;
	m.u.packet.payload = pl;
	m.u.packet.payload_len = n;
	msg_he_init(&he, false, (const char *)comm);
	len = msg_seal(buf, sizeof(buf), &m, &he);
	if (len <= 0 ||
	    msg_open(&got, buf, (size_t)len, (const char *)comm, &he, &o, &why))
		return -1;
	return a6_frame_open(got.u.packet.payload, got.u.packet.payload_len,
			     (const uint8_t *)got.hdr.community,
			     got.u.packet.src_mac, got.u.packet.dst_mac, key,
			     out);
}

TEST(a6_frame_same_ad_direct_and_relayed)
{
	uint8_t key[32], frame[100], pl[200];
	size_t n;

	randombytes_buf(key, sizeof(key));
	randombytes_buf(frame, sizeof(frame));
	n = sealed(pl, key, frame, sizeof(frame));
	CHECK_EQ(wire_opens(pl, n, key, false), 0);
	CHECK_EQ(wire_opens(pl, n, key, true), 0);
}
