// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test frame builder (see frame_builder.h). Addresses are from the
 * documentation ranges; lengths and checksums are computed, never typed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/inet_csum.h"
#include "frame_builder.h"

#define ETH_HDR_LEN	   14
#define IPV4_HDR_LEN	   20
#define IPV6_HDR_LEN	   40
#define UDP_HDR_LEN	   8
#define IPPROTO_UDP_NUM	   17
#define IPPROTO_TCP_NUM	   6
#define TCP_HDR_LEN	   20
#define TCP_ACK_PSH	   0x18
#define IPV4_DONT_FRAGMENT 0x4000

static const uint8_t mac_src[MAC_SIZE] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t mac_dst[MAC_SIZE] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t ipv4_src[4] = { 198, 18, 0, 1 };
static const uint8_t ipv4_dst[4] = { 198, 18, 0, 2 };
static const uint8_t ipv6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t ipv6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

void frame_init(struct frame *f)
{
	memset(f, 0, sizeof(*f));
}

void frame_put(struct frame *f, const void *bytes, size_t n)
{
	if (n > FRAME_MAX - f->len) {
		fprintf(stderr, "frame_put: %zu + %zu bytes exceed FRAME_MAX\n",
			f->len, n);
		abort();
	}
	memcpy(f->data + f->len, bytes, n);
	f->len += n;
}

void frame_put_u8(struct frame *f, uint8_t v)
{
	frame_put(f, &v, 1);
}

void frame_put_be16(struct frame *f, uint16_t v)
{
	uint8_t b[2] = { v >> 8, v & 0xff };

	frame_put(f, b, sizeof(b));
}

void frame_put_be32(struct frame *f, uint32_t v)
{
	frame_put_be16(f, v >> 16);
	frame_put_be16(f, v & 0xffff);
}

void frame_put_zeros(struct frame *f, size_t n)
{
	while (n--)
		frame_put_u8(f, 0);
}

void frame_put_random(struct frame *f, size_t n, uint32_t seed)
{
	uint32_t x = seed ? seed : 1;

	while (n--) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		frame_put_u8(f, x & 0xff);
	}
}

void frame_eth(struct frame *f, uint16_t ethertype)
{
	frame_put(f, mac_dst, sizeof(mac_dst));
	frame_put(f, mac_src, sizeof(mac_src));
	frame_put_be16(f, ethertype);
}

void frame_eth_macs(struct frame *f, const uint8_t dst[MAC_SIZE],
		    const uint8_t src[MAC_SIZE], uint16_t ethertype)
{
	frame_put(f, dst, MAC_SIZE);
	frame_put(f, src, MAC_SIZE);
	frame_put_be16(f, ethertype);
}

void frame_vlan(struct frame *f, uint16_t vid, uint16_t ethertype)
{
	frame_put_be16(f, vid & 0x0fff); /* priority 0, DEI 0 */
	frame_put_be16(f, ethertype);
}

void frame_ipv4_options(struct frame *f, uint8_t protocol,
			unsigned int option_words)
{
	f->l3_off = f->len;
	f->ip_version = 4;
	frame_put_u8(f, 0x40 | (5 + option_words));
	frame_put_u8(f, 0);   /* DSCP/ECN */
	frame_put_be16(f, 0); /* total length: finish */
	frame_put_be16(f, 0); /* identification */
	frame_put_be16(f, IPV4_DONT_FRAGMENT);
	frame_put_u8(f, 64); /* TTL */
	frame_put_u8(f, protocol);
	frame_put_be16(f, 0); /* checksum: finish */
	frame_put(f, ipv4_src, sizeof(ipv4_src));
	frame_put(f, ipv4_dst, sizeof(ipv4_dst));
	while (option_words--)
		frame_put_be32(f, 0x01010101); /* four NOP options */
}

void frame_ipv4(struct frame *f, uint8_t protocol)
{
	frame_ipv4_options(f, protocol, 0);
}

void frame_ipv4_addrs(struct frame *f, const uint8_t src[4],
		      const uint8_t dst[4])
{
	memcpy(f->data + f->l3_off + 12, src, 4);
	memcpy(f->data + f->l3_off + 16, dst, 4);
}

void frame_ipv6(struct frame *f, uint8_t next_header)
{
	f->l3_off = f->len;
	f->ip_version = 6;
	frame_put_be32(f, 0x60000000); /* version, class, flow */
	frame_put_be16(f, 0);	       /* payload length: finish */
	frame_put_u8(f, next_header);
	frame_put_u8(f, 64); /* hop limit */
	frame_put(f, ipv6_src, sizeof(ipv6_src));
	frame_put(f, ipv6_dst, sizeof(ipv6_dst));
}

void frame_udp(struct frame *f, uint16_t src_port, uint16_t dst_port)
{
	f->l4_off = f->len;
	f->has_udp = 1;
	frame_put_be16(f, src_port);
	frame_put_be16(f, dst_port);
	frame_put_be16(f, 0); /* length: finish */
	frame_put_be16(f, 0); /* checksum: finish */
}

void frame_tcp(struct frame *f, uint16_t src_port, uint16_t dst_port)
{
	f->l4_off = f->len;
	f->has_tcp = 1;
	frame_put_be16(f, src_port);
	frame_put_be16(f, dst_port);
	frame_put_be32(f, 0x6e326b00); /* sequence number */
	frame_put_be32(f, 0x00000001); /* acknowledgment number */
	frame_put_u8(f, (TCP_HDR_LEN / 4) << 4);
	frame_put_u8(f, TCP_ACK_PSH);
	frame_put_be16(f, 0xffff); /* window */
	frame_put_be16(f, 0);	   /* checksum: finish */
	frame_put_be16(f, 0);	   /* urgent pointer */
}

void frame_tcp_syn(struct frame *f, uint16_t src_port, uint16_t dst_port,
		   uint16_t mss)
{
	/* NOP, window scale 7, MSS, SACK permitted, NOP, NOP: the MSS is
	 * not first, so a clamper must walk the list. */
	static const uint8_t opts[12] = { 1, 3, 3, 7, 2, 4, 0, 0, 4, 2, 1, 1 };

	f->l4_off = f->len;
	f->has_tcp = 1;
	frame_put_be16(f, src_port);
	frame_put_be16(f, dst_port);
	frame_put_be32(f, 0x6e326b00);
	frame_put_be32(f, 0);
	frame_put_u8(f, ((TCP_HDR_LEN + sizeof(opts)) / 4) << 4);
	frame_put_u8(f, 0x02); /* SYN */
	frame_put_be16(f, 0xffff);
	frame_put_be16(f, 0);
	frame_put_be16(f, 0);
	frame_put(f, opts, sizeof(opts));
	f->data[f->len - 6] = (uint8_t)(mss >> 8); /* opts[6..7] */
	f->data[f->len - 5] = (uint8_t)mss;
}

void frame_n2n_common(struct frame *f, uint8_t version, uint16_t flags_type,
		      const char *community)
{
	uint8_t name[20] = { 0 };

	/* n2n cuts names to 19 bytes, so the last byte stays NUL. */
	strncpy((char *)name, community, sizeof(name) - 1);
	frame_put_u8(f, version);
	frame_put_u8(f, 2); /* TTL, as n2n senders */
	frame_put_be16(f, flags_type);
	frame_put(f, name, sizeof(name));
}

static void store_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void finish_ipv4(struct frame *f)
{
	uint8_t *ip = f->data + f->l3_off;
	size_t hdr_len = (ip[0] & 0x0f) * 4;

	store_be16(ip + 2, f->len - f->l3_off);
	store_be16(ip + 10, 0);
	/* A deliberately bad ihl (< 5) gets no meaningful checksum. */
	if (hdr_len >= IPV4_HDR_LEN && f->l3_off + hdr_len <= f->len)
		store_be16(ip + 10, inet_csum(ip, hdr_len));
}

static void finish_ipv6(struct frame *f)
{
	store_be16(f->data + f->l3_off + 4, f->len - f->l3_off - IPV6_HDR_LEN);
}

/* UDP checksum over the IPv4 or IPv6 pseudo-header and the datagram. */
/* The L4 checksum over the IPv4 or IPv6 pseudo-header and the segment. */
static uint16_t l4_csum(const struct frame *f, uint8_t proto)
{
	const uint8_t *ip = f->data + f->l3_off;
	const uint8_t *l4 = f->data + f->l4_off;
	uint16_t len = f->len - f->l4_off;
	uint32_t sum;

	if (f->ip_version == 4)
		sum = inet_csum_pseudo(ip + 12, 8, proto, len);
	else if (f->ip_version == 6)
		sum = inet_csum_pseudo(ip + 8, 32, proto, len);
	else /* no IP header: no addresses to sum */
		sum = inet_csum_pseudo(NULL, 0, proto, len);
	return (uint16_t)~inet_csum_fold(inet_csum_add(sum, l4, len));
}

int frame_udp_csum_ok(const uint8_t *frame, size_t len)
{
	const uint8_t *ip = frame + 14, *udp;
	size_t ulen, ip_hlen;
	uint32_t sum;
	int v6;

	if (len < 14 + 20)
		return 0;
	v6 = (ip[0] >> 4) == 6;
	ip_hlen = v6 ? IPV6_HDR_LEN : 20;
	if (len < 14 + ip_hlen + 8)
		return 0;
	udp = ip + ip_hlen;
	ulen = (size_t)udp[4] << 8 | udp[5];
	if (ulen < 8 || 14 + ip_hlen + ulen > len)
		return 0;
	if (!v6 && !udp[6] && !udp[7])
		return 2;
	sum = v6 ? inet_csum_pseudo(ip + 8, 32, IPPROTO_UDP_NUM, ulen)
		 : inet_csum_pseudo(ip + 12, 8, IPPROTO_UDP_NUM, ulen);
	return inet_csum_fold(inet_csum_add(sum, udp, ulen)) == 0xffff;
}

static void finish_udp(struct frame *f)
{
	uint8_t *udp = f->data + f->l4_off;
	uint16_t csum;

	store_be16(udp + 4, f->len - f->l4_off);
	store_be16(udp + 6, 0);
	if (f->udp_no_checksum)
		return;
	csum = l4_csum(f, IPPROTO_UDP_NUM);
	/* 0 means "no checksum" on the wire, so send its other form. */
	store_be16(udp + 6, csum ? csum : 0xffff);
}

static void finish_tcp(struct frame *f)
{
	uint8_t *tcp = f->data + f->l4_off;

	store_be16(tcp + 16, 0);
	store_be16(tcp + 16, l4_csum(f, IPPROTO_TCP_NUM));
}

void frame_finish(struct frame *f)
{
	if (f->ip_version == 4)
		finish_ipv4(f);
	else if (f->ip_version == 6)
		finish_ipv6(f);
	if (f->has_udp)
		finish_udp(f);
	else if (f->has_tcp)
		finish_tcp(f);
}

void frame_cut(struct frame *f, size_t len)
{
	if (len < f->len)
		f->len = len;
}
