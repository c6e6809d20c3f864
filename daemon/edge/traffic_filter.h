/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * n2n's traffic rules (-R, n2n 3.1.1 src/network_traffic_filter.c): a
 * rule names a source and a destination IPv4 network, each with a port
 * range, and for TCP, UDP and ICMP whether that protocol's packets pass
 * (+) or are dropped (-). A packet takes the verdict of the matching rule
 * with the longest prefixes (source length + destination length; the
 * first such rule given on a tie); a packet no rule matches, and anything
 * not IPv4 TCP, UDP or ICMP (ARP, IPv6, IGMP...), passes. The edge
 * applies the rules to frames from its TAP and to frames from its peers.
 *
 * Syntax: src_ip[/len][:port|:[from,to]],dst_ip[/len][:port|:[from,to]],
 * PROTO(+|-)[,PROTO(+|-)...], PROTO one of TCP, UDP, ICMP; no /len is
 * /32, no port is 0..65535. Stricter than n2n, which accepts and then
 * ignores what it cannot use: each of these is refused with a reason
 * (no protocol, a protocol twice, an address with host bits set, a port
 * over 65535 or a range from > to, anything after the rule).
 */
#ifndef N2NK_TRAFFIC_FILTER_H
#define N2NK_TRAFFIC_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRAFFIC_MAX_RULES 64
#define TRAFFIC_RULE_STR  96 /* the longest traffic_rule_str() */

/* Protocol bits of traffic_rule.configured and .accept. */
#define TRAFFIC_TCP  0x01
#define TRAFFIC_UDP  0x02
#define TRAFFIC_ICMP 0x04

struct traffic_side {
	uint32_t net; /* host order, host bits clear */
	uint8_t len;  /* 0..32 */
	uint16_t port_lo, port_hi;
};

struct traffic_rule {
	struct traffic_side src, dst;
	uint8_t configured; /* the protocols the rule names */
	uint8_t accept;	    /* of those, the ones it lets pass */
};

struct traffic_rules {
	unsigned int n;
	struct traffic_rule r[TRAFFIC_MAX_RULES];
};

/* One rule string; 0, or -EINVAL with what is wrong and where in msg. */
int traffic_rule_parse(const char *s, struct traffic_rule *r, char *msg,
		       size_t len);
/* The rule in n2n's canonical form (all fields spelt out). */
void traffic_rule_str(const struct traffic_rule *r, char *buf, size_t len);

/* Logs each rule in canonical form, as n2n does at start. */
void traffic_rules_log(const struct traffic_rules *rs);

/* What a frame (Ethernet, as the TAP has it) carries, for the rules. */
struct traffic_pkt {
	uint8_t proto; /* TRAFFIC_TCP/UDP/ICMP, 0: not filtered */
	bool ports;    /* false: a later fragment, ports unknown */
	uint32_t src, dst;
	uint16_t sport, dport;
};
void traffic_pkt_parse(const uint8_t *f, size_t len, struct traffic_pkt *p);

/* The rule a packet takes, or NULL (it passes). */
const struct traffic_rule *traffic_match(const struct traffic_rules *rs,
					 const struct traffic_pkt *p);
/* Whether the frame passes the rules (true without rules). */
bool traffic_accept(const struct traffic_rules *rs, const uint8_t *f,
		    size_t len);

#endif /* N2NK_TRAFFIC_FILTER_H */
