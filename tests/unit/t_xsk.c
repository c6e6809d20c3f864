// SPDX-License-Identifier: GPL-2.0-only
/* The AF_XDP slow path's frame check (xsk_rx_parse), case by case. */
#include <arpa/inet.h>
#include <string.h>

#include "common/bytes.h"
#include "common/inet_csum.h"
#include "kernel/xsk.h"
#include "test.h"

#define PAYLOAD_LEN 30

/* A frame the check must accept, before each case breaks one thing. */
struct frame {
	uint8_t b[128];
	size_t len;
};

static uint32_t pseudo_sum(const struct frame *f)
{
	const uint8_t *ip = f->b + 14;

	return inet_csum_pseudo(ip + 12, 8, 17, get_be16(ip + 24));
}

static void fix_ip_csum(struct frame *f)
{
	put_be16(f->b + 14 + 10, 0);
	put_be16(f->b + 14 + 10, inet_csum(f->b + 14, 20));
}

static void fix_udp_csum(struct frame *f)
{
	uint8_t *udp = f->b + 34;
	uint16_t c;

	put_be16(udp + 6, 0);
	c = (uint16_t)~inet_csum_fold(
		inet_csum_add(pseudo_sum(f), udp, get_be16(udp + 4)));
	put_be16(udp + 6, c ? c : 0xffff);
}

static void build(struct frame *f)
{
	uint8_t *ip = f->b + 14, *udp = ip + 20;

	memset(f, 0, sizeof(*f));
	put_be16(f->b + 12, 0x0800);
	ip[0] = 0x45;
	put_be16(ip + 2, 20 + 8 + PAYLOAD_LEN);
	ip[8] = 64;
	ip[9] = 17;
	put_be32(ip + 12, 0xc6120163); /* 198.18.1.99 */
	put_be32(ip + 16, 0xc6120302); /* 198.18.3.2 */
	put_be16(udp, 50001);
	put_be16(udp + 2, 7654);
	put_be16(udp + 4, 8 + PAYLOAD_LEN);
	memset(udp + 8, 0x5a, PAYLOAD_LEN);
	f->len = 14 + 20 + 8 + PAYLOAD_LEN;
	fix_ip_csum(f);
	fix_udp_csum(f);
}

static enum n2nk_reason check(const struct frame *f, const char *bound)
{
	struct xsk_rx_match m = { .port = htons(7654) };
	struct sockaddr_in from;
	const uint8_t *payload;
	size_t plen;

	inet_pton(AF_INET, bound, &m.addr);
	return xsk_rx_parse(f->b, f->len, &m, &from, &payload, &plen);
}

TEST(xsk_parse_accepts_a_good_frame)
{
	struct xsk_rx_match m = { .port = htons(7654) };
	struct sockaddr_in from;
	const uint8_t *payload = NULL;
	struct frame f;
	size_t plen = 0;

	build(&f);
	f.len += 6; /* Ethernet padding after the datagram */
	CHECK_EQ(xsk_rx_parse(f.b, f.len, &m, &from, &payload, &plen), N2NK_OK);
	CHECK_EQ(plen, PAYLOAD_LEN);
	CHECK(payload == f.b + 42);
	CHECK_EQ(from.sin_family, AF_INET);
	CHECK_EQ(ntohl(from.sin_addr.s_addr), 0xc6120163);
	CHECK_EQ(ntohs(from.sin_port), 50001);
	CHECK_EQ(check(&f, "198.18.3.2"), N2NK_OK);
}

TEST(xsk_parse_udp_checksums)
{
	struct frame f;

	build(&f);
	put_be16(f.b + 40, 0); /* none */
	CHECK_EQ(check(&f, "0.0.0.0"), N2NK_OK);
	/* Left for offload by a sender on a virtual device: pseudo-header. */
	put_be16(f.b + 40, inet_csum_fold(pseudo_sum(&f)));
	CHECK_EQ(check(&f, "0.0.0.0"), N2NK_OK);
	build(&f);
	f.b[50] ^= 0x01; /* a payload bit flipped on the way */
	CHECK_EQ(check(&f, "0.0.0.0"), N2NK_UDP_CHECKSUM);
}

/* On hardware interfaces no frame is left to offload: the pseudo-header
 * sum alone is a wrong checksum there, a full one still right. */
TEST(xsk_parse_hw_only_wants_full_checksums)
{
	struct xsk_rx_match m = { .port = htons(7654), .hw_only = true };
	struct sockaddr_in from;
	const uint8_t *payload;
	struct frame f;
	size_t plen;

	build(&f);
	CHECK_EQ(xsk_rx_parse(f.b, f.len, &m, &from, &payload, &plen), N2NK_OK);
	put_be16(f.b + 40, inet_csum_fold(pseudo_sum(&f)));
	CHECK_EQ(xsk_rx_parse(f.b, f.len, &m, &from, &payload, &plen),
		 N2NK_UDP_CHECKSUM);
	put_be16(f.b + 40, 0); /* none: still fine for IPv4 */
	CHECK_EQ(xsk_rx_parse(f.b, f.len, &m, &from, &payload, &plen), N2NK_OK);
}

/* One broken field per case, checksums made right again after it. */
static void version6(struct frame *f)
{
	f->b[14] = 0x65;
	fix_ip_csum(f);
}

static void options(struct frame *f)
{
	f->b[14] = 0x46;
	fix_ip_csum(f);
}

static void more_fragments(struct frame *f)
{
	put_be16(f->b + 20, 0x2000);
	fix_ip_csum(f);
}

static void fragment_offset(struct frame *f)
{
	put_be16(f->b + 20, 0x0001);
	fix_ip_csum(f);
}

static void bad_ip_csum(struct frame *f)
{
	f->b[24] ^= 0x10;
}

static void tot_len_beyond(struct frame *f)
{
	put_be16(f->b + 16, 20 + 8 + PAYLOAD_LEN + 1);
	fix_ip_csum(f);
}

static void tot_len_short(struct frame *f)
{
	put_be16(f->b + 16, 27);
	fix_ip_csum(f);
}

static void tcp(struct frame *f)
{
	f->b[23] = 6;
	fix_ip_csum(f);
}

static void udp_len(struct frame *f)
{
	put_be16(f->b + 38, 8 + PAYLOAD_LEN - 1);
}

static void port(struct frame *f)
{
	put_be16(f->b + 36, 7655);
	fix_udp_csum(f);
}

static void arp(struct frame *f)
{
	put_be16(f->b + 12, 0x0806);
}

static void ipv6(struct frame *f)
{
	put_be16(f->b + 12, 0x86dd);
}

static void ihl4(struct frame *f)
{
	f->b[14] = 0x44;
	fix_ip_csum(f);
}

static void cut(struct frame *f)
{
	f->len = 14 + 20 + 7;
}

static void short_tcp(struct frame *f)
{
	tcp(f);
	f->len = 14 + 20 + 4;
}

static void no_ip(struct frame *f)
{
	f->len = 14 + 19;
}

static void no_eth(struct frame *f)
{
	f->len = 13;
}

/* A source the stack would drop as martian, checksums made right. */
static void set_source(struct frame *f, uint32_t addr, uint16_t port)
{
	put_be32(f->b + 14 + 12, addr);
	put_be16(f->b + 34, port);
	fix_ip_csum(f);
	fix_udp_csum(f);
}

static void src_zero_net(struct frame *f)
{
	set_source(f, 0x00010203, 50001);
}
static void src_loopback(struct frame *f)
{
	set_source(f, 0x7f000001, 50001);
}
static void src_multicast(struct frame *f)
{
	set_source(f, 0xe0000001, 50001);
}
static void src_reserved(struct frame *f)
{
	set_source(f, 0xf0000001, 50001);
}
static void src_broadcast(struct frame *f)
{
	set_source(f, 0xffffffff, 50001);
}
static void src_ours(struct frame *f)
{
	set_source(f, 0xc6120302, 50001);
}
static void src_port_0(struct frame *f)
{
	set_source(f, 0xc6120163, 0);
}

TEST(xsk_parse_drops_by_reason)
{
	static const struct {
		const char *name;
		void (*breaks)(struct frame *f);
		enum n2nk_reason want;
	} cases[] = {
		{ "cut", cut, N2NK_TRUNCATED_UDP },
		{ "short_tcp", short_tcp, N2NK_NOT_UDP },
		{ "arp", arp, N2NK_NOT_IP },
		{ "ipv6", ipv6, N2NK_IPV6 },
		{ "no_ip", no_ip, N2NK_TRUNCATED_IP },
		{ "no_eth", no_eth, N2NK_TRUNCATED_ETH },
		{ "ihl4", ihl4, N2NK_BAD_IP_HEADER },
		{ "version6", version6, N2NK_BAD_IP_HEADER },
		{ "options", options, N2NK_IP_OPTIONS },
		{ "more_fragments", more_fragments, N2NK_IP_FRAGMENT },
		{ "fragment_offset", fragment_offset, N2NK_IP_FRAGMENT },
		{ "bad_ip_csum", bad_ip_csum, N2NK_IP_CHECKSUM },
		{ "tot_len_beyond", tot_len_beyond, N2NK_IP_LENGTH },
		{ "tot_len_short", tot_len_short, N2NK_IP_LENGTH },
		{ "tcp", tcp, N2NK_NOT_UDP },
		{ "udp_len", udp_len, N2NK_UDP_LENGTH },
		{ "port", port, N2NK_WRONG_PORT },
		{ "src_zero_net", src_zero_net, N2NK_IMPOSSIBLE_SOURCE },
		{ "src_loopback", src_loopback, N2NK_IMPOSSIBLE_SOURCE },
		{ "src_multicast", src_multicast, N2NK_IMPOSSIBLE_SOURCE },
		{ "src_reserved", src_reserved, N2NK_IMPOSSIBLE_SOURCE },
		{ "src_broadcast", src_broadcast, N2NK_IMPOSSIBLE_SOURCE },
		{ "src_ours", src_ours, N2NK_IMPOSSIBLE_SOURCE },
		{ "src_port_0", src_port_0, N2NK_IMPOSSIBLE_SOURCE },
	};
	struct frame f;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		build(&f);
		cases[i].breaks(&f);
		CHECK_MSG(check(&f, "0.0.0.0") == cases[i].want, "%s: %s",
			  cases[i].name,
			  n2nk_reason_name(check(&f, "0.0.0.0")));
		/* What the parser gives, the table says the slow path drops. */
		CHECK_MSG(n2nk_verdict(N2NK_LAYER_XSK, cases[i].want) ==
				  N2NK_VERDICT_DROP,
			  "%s", cases[i].name);
	}
	build(&f);
	CHECK_EQ(check(&f, "198.18.3.9"), N2NK_NOT_LOCAL);
}
