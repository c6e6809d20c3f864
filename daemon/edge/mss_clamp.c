// SPDX-License-Identifier: GPL-2.0-only
/*
 * TCP MSS clamping of overlay frames: see mss_clamp.h. The walk over the
 * options is the one bpf/lib/mss_clamp.h makes; tests/unit/t_mss_clamp.c
 * holds both to the same table.
 */
#include "common/bytes.h"
#include "common/inet_csum.h"
#include "mss_clamp.h"

#define ETH_HDR	    14
#define ETYPE_IPV4  0x0800
#define ETYPE_IPV6  0x86dd
#define PROTO_TCP   6
#define TCP_SYN	    0x02
#define TCP_HDR	    20
#define OPT_EOL	    0
#define OPT_NOP	    1
#define OPT_MSS	    2
#define OPT_MSS_LEN 4

struct mss_limit mss_limit_of(int clamp, unsigned int mtu)
{
	struct mss_limit l = { 0, 0 };

	if (clamp > 0) {
		/* N is IPv4's; IPv6's header is 20 bytes longer. */
		l.ipv4 = (uint16_t)clamp;
		l.ipv6 = clamp > 108 ? (uint16_t)(clamp - 20) : 88;
	} else if (clamp == MSS_CLAMP_AUTO) {
		/* IPv4 and TCP headers of 20 bytes each; IPv6's is 40. */
		l.ipv4 = mtu > 40 ? (uint16_t)(mtu - 40) : 0;
		l.ipv6 = mtu > 60 ? (uint16_t)(mtu - 60) : 0;
	}
	return l;
}

/* Where a clamped frame's TCP header starts, its limit, and where its IP
 * packet ends (Ethernet padding is no TCP option); 0 if none. */
static size_t tcp_offset(const uint8_t *f, size_t len, struct mss_limit lim,
			 uint16_t *max, size_t *end)
{
	const uint8_t *ip = f + ETH_HDR;
	size_t ihl;

	if (len < ETH_HDR + 40)
		return 0;
	if (get_be16(f + 12) == ETYPE_IPV4 && lim.ipv4) {
		ihl = (size_t)(ip[0] & 0xf) * 4;
		/* A fragment (or a first one: MF) is not a whole SYN. */
		if (ip[0] >> 4 != 4 || ihl < 20 || ip[9] != PROTO_TCP ||
		    get_be16(ip + 6) & 0x3fff)
			return 0;
		*max = lim.ipv4;
		*end = ETH_HDR + get_be16(ip + 2);
		return ETH_HDR + ihl;
	}
	if (get_be16(f + 12) == ETYPE_IPV6 && lim.ipv6) {
		if (ip[0] >> 4 != 6 || ip[6] != PROTO_TCP)
			return 0;
		*max = lim.ipv6;
		*end = ETH_HDR + 40 + get_be16(ip + 4);
		return ETH_HDR + 40;
	}
	return 0;
}

/*
 * RFC 1624 (eqn. 3): the checksum at field after a word went from -> to.
 * A word at an odd offset into the segment (an MSS option after one NOP)
 * straddles two of the sum's words: it counts byte-swapped.
 */
static void csum_replace16(uint8_t *field, uint16_t from, uint16_t to, bool odd)
{
	uint32_t sum;

	if (odd) {
		from = (uint16_t)(from << 8 | from >> 8);
		to = (uint16_t)(to << 8 | to >> 8);
	}
	sum = (uint32_t)(uint16_t)~get_be16(field) + (uint16_t)~from + to;

	put_be16(field, (uint16_t)~inet_csum_fold(sum));
}

bool mss_clamp_frame(uint8_t *frame, size_t len, struct mss_limit lim)
{
	uint16_t max = 0, mss;
	size_t end = 0, t = tcp_offset(frame, len, lim, &max, &end), doff, i;
	uint8_t *tcp = frame + t, *opt;

	if (end < len)
		len = end;
	if (!t || len < t + TCP_HDR || !(tcp[13] & TCP_SYN))
		return false;
	doff = (size_t)(tcp[12] >> 4) * 4;
	if (doff < TCP_HDR || len < t + doff)
		return false;
	for (i = TCP_HDR; i < doff;) {
		opt = tcp + i;
		if (opt[0] == OPT_EOL)
			break;
		if (opt[0] == OPT_NOP) {
			i++;
			continue;
		}
		if (i + 2 > doff || opt[1] < 2 || i + opt[1] > doff)
			break; /* a broken option list: left alone */
		if (opt[0] == OPT_MSS && opt[1] == OPT_MSS_LEN) {
			mss = get_be16(opt + 2);
			if (mss <= max)
				return false;
			put_be16(opt + 2, max);
			csum_replace16(tcp + 16, mss, max, i & 1);
			return true;
		}
		i += opt[1];
	}
	return false;
}
