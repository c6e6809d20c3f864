// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSS clamping (daemon/edge/mss_clamp.c): which frames it rewrites, to
 * what, and that the incrementally fixed TCP checksum equals one computed
 * from scratch. tests/bpf/test_tc_edge*.c hold the BPF side to the same
 * output byte for byte.
 */
#include <string.h>

#include "common/bytes.h"
#include "common/inet_csum.h"
#include "edge/mss_clamp.h"
#include "test.h"

#define IP4_AT	14
#define TCP4_AT (14 + 20)

/* Ethernet, IPv4, a SYN with NOP, window scale, MSS mss, SACK-permitted,
 * NOP, NOP, and a valid TCP checksum; returns the frame's length. */
static size_t syn4(uint8_t *f, uint16_t mss, uint8_t flags)
{
	static const uint8_t opts[12] = { 1, 3, 3, 7, 2, 4, 0, 0, 4, 2, 1, 1 };
	uint8_t *ip = f + IP4_AT, *tcp = f + TCP4_AT;
	size_t tcp_len = 20 + sizeof(opts);

	memset(f, 0, 14 + 20 + tcp_len);
	put_be16(f + 12, 0x0800);
	ip[0] = 0x45;
	put_be16(ip + 2, (uint16_t)(20 + tcp_len));
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, "\xc6\x13\x01\x01\xc6\x13\x02\x02", 8);
	put_be16(tcp, 40000);
	put_be16(tcp + 2, 22);
	tcp[12] = (uint8_t)(tcp_len / 4) << 4;
	tcp[13] = flags;
	put_be16(tcp + 14, 0xffff);
	memcpy(tcp + 20, opts, sizeof(opts));
	put_be16(tcp + 26, mss);
	put_be16(tcp + 16,
		 (uint16_t)~inet_csum_fold(inet_csum_add(
			 inet_csum_pseudo(ip + 12, 8, 6, (uint16_t)tcp_len),
			 tcp, tcp_len)));
	return 14 + 20 + tcp_len;
}

static bool tcp4_csum_ok(const uint8_t *f, size_t len)
{
	uint16_t tcp_len = (uint16_t)(len - TCP4_AT);

	return inet_csum_fold(inet_csum_add(
		       inet_csum_pseudo(f + IP4_AT + 12, 8, 6, tcp_len),
		       f + TCP4_AT, tcp_len)) == 0xffff;
}

static uint16_t mss_of(const uint8_t *f)
{
	return get_be16(f + TCP4_AT + 26);
}

static const struct mss_limit lim1250 = { 1250, 1230 };

TEST(mss_limits_from_the_flag)
{
	struct mss_limit l = mss_limit_of(MSS_CLAMP_AUTO, 1290);

	CHECK_EQ(l.ipv4, 1250);
	CHECK_EQ(l.ipv6, 1230);
	l = mss_limit_of(0, 1290);
	CHECK_EQ(l.ipv4, 0);
	CHECK_EQ(l.ipv6, 0);
	l = mss_limit_of(1000, 1290);
	CHECK_EQ(l.ipv4, 1000);
	CHECK_EQ(l.ipv6, 980);
	l = mss_limit_of(100, 1290);
	CHECK_EQ(l.ipv6, 88);
}

TEST(mss_syn_and_syn_ack_are_clamped_checksum_right)
{
	static const uint8_t flags[] = { 0x02, 0x12 }; /* SYN, SYN-ACK */
	uint8_t f[128];
	size_t i, n;

	for (i = 0; i < sizeof(flags); i++) {
		n = syn4(f, 1460, flags[i]);
		CHECK(mss_clamp_frame(f, n, lim1250));
		CHECK_EQ(mss_of(f), 1250);
		CHECK_MSG(tcp4_csum_ok(f, n), "flags %#x", flags[i]);
	}
}

TEST(mss_left_alone)
{
	uint8_t f[128], orig[128];
	size_t n;

	n = syn4(f, 1200, 0x02); /* fits already */
	memcpy(orig, f, n);
	CHECK(!mss_clamp_frame(f, n, lim1250));
	CHECK(!memcmp(f, orig, n));
	n = syn4(f, 1460, 0x10); /* an ACK, not a SYN */
	CHECK(!mss_clamp_frame(f, n, lim1250));
	n = syn4(f, 1460, 0x02);
	CHECK(!mss_clamp_frame(f, n, (struct mss_limit){ 0, 0 })); /* off */
	f[IP4_AT + 6] = 0x20; /* MF: a first fragment */
	CHECK(!mss_clamp_frame(f, n, lim1250));
	n = syn4(f, 1460, 0x02);
	CHECK(!mss_clamp_frame(f, n - 1, lim1250)); /* options cut short */
	f[TCP4_AT + 21] = 0; /* window scale of length 0 */
	CHECK(!mss_clamp_frame(f, n, lim1250));
	n = syn4(f, 1460, 0x02);
	f[TCP4_AT + 20] = 0; /* end of list before the MSS */
	CHECK(!mss_clamp_frame(f, n, lim1250));
	n = syn4(f, 1460, 0x02);
	put_be16(f + IP4_AT + 2, 20 + 20); /* options in Ethernet padding */
	CHECK(!mss_clamp_frame(f, n, lim1250));
	n = syn4(f, 1460, 0x02);
	put_be16(f + 12, 0x0806); /* not IP */
	CHECK(!mss_clamp_frame(f, n, lim1250));
	CHECK(!mss_clamp_frame(f, 20, lim1250));
}

TEST(mss_every_mss_value_keeps_the_checksum_right)
{
	uint8_t f[128];
	uint32_t mss;
	size_t n;

	for (mss = 1251; mss <= 0xffff; mss += 97) {
		n = syn4(f, (uint16_t)mss, 0x02);
		CHECK(mss_clamp_frame(f, n, lim1250));
		CHECK_MSG(tcp4_csum_ok(f, n), "mss %u", mss);
	}
}

/* Found by tests/fuzz/fuzz_mss_clamp.c: an MSS after a single NOP sits at
 * an odd offset, where its bytes count swapped in the checksum. */
TEST(mss_at_an_odd_offset_keeps_the_checksum_right)
{
	static const uint8_t opts[12] = {
		1, 2, 4, 5, 0xb4, 3, 3, 7, 4, 2, 1, 1
	};
	uint8_t f[128], *tcp = f + TCP4_AT;
	size_t n = syn4(f, 1460, 0x02);
	uint16_t tcp_len = (uint16_t)(n - TCP4_AT);

	memcpy(tcp + 20, opts, sizeof(opts));
	put_be16(tcp + 16, 0);
	put_be16(tcp + 16,
		 (uint16_t)~inet_csum_fold(inet_csum_add(
			 inet_csum_pseudo(f + IP4_AT + 12, 8, 6, tcp_len), tcp,
			 tcp_len)));
	CHECK(tcp4_csum_ok(f, n));
	CHECK(mss_clamp_frame(f, n, lim1250));
	CHECK_EQ(get_be16(tcp + 23), 1250);
	CHECK(tcp4_csum_ok(f, n));
}
