// SPDX-License-Identifier: GPL-2.0-only
/* The Internet checksum helpers (common/inet_csum.h) against RFC 1071's
 * worked example, a well-known IPv4 header and odd lengths. */
#include "common/bytes.h"
#include "common/inet_csum.h"
#include "test.h"

/* RFC 1071 section 3: the sum of these words is 2ddf0, folded ddf2. */
static const uint8_t rfc1071[] = { 0x00, 0x01, 0xf2, 0x03,
				   0xf4, 0xf5, 0xf6, 0xf7 };

TEST(inet_csum_rfc1071_example)
{
	CHECK_EQ(inet_csum_add(0, rfc1071, sizeof(rfc1071)), 0x2ddf0);
	CHECK_EQ(inet_csum_fold(0x2ddf0), 0xddf2);
	CHECK_EQ(inet_csum(rfc1071, sizeof(rfc1071)), 0x220d);
	/* Even pieces sum to the same as the whole. */
	CHECK_EQ(inet_csum_add(inet_csum_add(0, rfc1071, 2), rfc1071 + 2, 6),
		 0x2ddf0);
}

TEST(inet_csum_fold_carries)
{
	CHECK_EQ(inet_csum_fold(0), 0);
	CHECK_EQ(inet_csum_fold(0xffff), 0xffff);
	CHECK_EQ(inet_csum_fold(0x1fffe), 0xffff);
	CHECK_EQ(inet_csum_fold(0xffffffff), 0xffff);
}

/* An IPv4 header whose checksum is b861: computed, then verified. */
TEST(inet_csum_ipv4_header)
{
	const char *hdr = "4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7";
	uint8_t ip[20];

	CHECK_EQ(hex_decode(ip, sizeof(ip), hdr), 20);
	CHECK_EQ(inet_csum(ip, sizeof(ip)), 0xb861);
	put_be16(ip + 10, 0xb861);
	CHECK_EQ(inet_csum_fold(inet_csum_add(0, ip, sizeof(ip))), 0xffff);
	CHECK_EQ(inet_csum(ip, sizeof(ip)), 0);
}

/* An odd last byte is the high byte of a word padded with zero. */
TEST(inet_csum_odd_length)
{
	const uint8_t odd[] = { 0x01, 0x02, 0x03 };

	CHECK_EQ(inet_csum_add(0, odd, 3), 0x0402);
	CHECK_EQ(inet_csum(odd, 3), 0xfbfd);
	CHECK_EQ(inet_csum_add(0, odd + 2, 1), 0x0300);
	CHECK_EQ(inet_csum(NULL, 0), 0xffff);
}

/* UDP 10.0.0.1:1234 -> 10.0.0.2:80, payload "abcde" (13 bytes in all). */
TEST(inet_csum_udp_pseudo_header)
{
	uint8_t addrs[8], udp[13];
	uint32_t pseudo;
	uint16_t c;

	CHECK_EQ(hex_decode(addrs, sizeof(addrs), "0a000001 0a000002"), 8);
	CHECK_EQ(hex_decode(udp, sizeof(udp), "04d2 0050 000d 0000 6162636465"),
		 13);
	pseudo = inet_csum_pseudo(addrs, sizeof(addrs), 17, sizeof(udp));
	c = (uint16_t)~inet_csum_fold(inet_csum_add(pseudo, udp, sizeof(udp)));
	CHECK_EQ(c, 0xbce8);
	put_be16(udp + 6, c);
	CHECK_EQ(inet_csum_fold(inet_csum_add(pseudo, udp, sizeof(udp))),
		 0xffff);
}
