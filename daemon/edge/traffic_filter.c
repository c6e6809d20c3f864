// SPDX-License-Identifier: GPL-2.0-only
/*
 * n2n's -R traffic rules: the strict parser and the filter (see
 * traffic_filter.h for the semantics, which are n2n 3.1.1's).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/bytes.h"
#include "common/log.h"
#include "edge/traffic_filter.h"

struct cursor {
	const char *start, *p;
	char *msg;
	size_t len;
};

static int fail(struct cursor *c, const char *what)
{
	if (*c->p)
		snprintf(c->msg, c->len, "at column %d ('%.12s'): %s",
			 (int)(c->p - c->start) + 1, c->p, what);
	else
		snprintf(c->msg, c->len, "at the end of the rule: %s", what);
	return -EINVAL;
}

/* A decimal number of at most max; no sign, no blanks. */
static int number(struct cursor *c, unsigned long max, unsigned long *out,
		  const char *what)
{
	unsigned long n = 0;
	const char *q = c->p;

	if (*q < '0' || *q > '9')
		return fail(c, what);
	while (*q >= '0' && *q <= '9' && n <= max)
		n = n * 10 + (unsigned long)(*q++ - '0');
	if (n > max || (*q >= '0' && *q <= '9'))
		return fail(c, max == 65535 ? "a port is 0..65535"
					    : "a prefix length is 0..32");
	c->p = q;
	*out = n;
	return 0;
}

static int address(struct cursor *c, struct traffic_side *s)
{
	size_t n = strspn(c->p, "0123456789.");
	char buf[INET_ADDRSTRLEN];
	struct in_addr a;

	if (!n || n >= sizeof(buf))
		return fail(c, "expected an IPv4 address like 192.168.1.0");
	memcpy(buf, c->p, n);
	buf[n] = 0;
	if (inet_pton(AF_INET, buf, &a) != 1)
		return fail(c, "not an IPv4 address");
	s->net = ntohl(a.s_addr);
	c->p += n;
	return 0;
}

static int prefix(struct cursor *c, struct traffic_side *s)
{
	const char *at = c->p;
	unsigned long len = 32;

	if (*c->p == '/') {
		c->p++;
		if (number(c, 32, &len, "expected a prefix length 0..32"))
			return -EINVAL;
	}
	s->len = (uint8_t)len;
	if (len < 32 && (s->net & (0xffffffffu >> len))) {
		c->p = at;
		/* n2n would take it and never match it. */
		return fail(c, "the address has bits set past the prefix "
			       "length (use the network address)");
	}
	return 0;
}

static int ports(struct cursor *c, struct traffic_side *s)
{
	unsigned long lo = 0, hi = 65535;

	if (*c->p == ':') {
		c->p++;
		if (*c->p == '[') {
			c->p++;
			if (number(c, 65535, &lo, "expected a port 0..65535"))
				return -EINVAL;
			if (*c->p != ',')
				return fail(c, "expected ',' in [from,to]");
			c->p++;
			if (number(c, 65535, &hi, "expected a port 0..65535"))
				return -EINVAL;
			if (*c->p != ']')
				return fail(c, "expected ']' after [from,to");
			c->p++;
			if (lo > hi)
				return fail(c, "the port range's from is "
					       "above its to");
		} else {
			if (number(c, 65535, &lo,
				   "expected a port or [from,to]"))
				return -EINVAL;
			hi = lo;
		}
	}
	s->port_lo = (uint16_t)lo;
	s->port_hi = (uint16_t)hi;
	return 0;
}

static int side(struct cursor *c, struct traffic_side *s)
{
	if (address(c, s) || prefix(c, s) || ports(c, s))
		return -EINVAL;
	return 0;
}

/* TCP+, UDP-, ICMP+ (n2n's spelling; lower case taken too). */
static int protocol(struct cursor *c, struct traffic_rule *r)
{
	static const struct {
		const char *name;
		uint8_t bit;
	} protos[] = { { "TCP", TRAFFIC_TCP },
		       { "UDP", TRAFFIC_UDP },
		       { "ICMP", TRAFFIC_ICMP } };
	size_t i, n;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		n = strlen(protos[i].name);
		if (!strncasecmp(c->p, protos[i].name, n))
			break;
	}
	if (i == sizeof(protos) / sizeof(protos[0]))
		return fail(c, "expected TCP, UDP or ICMP followed by + "
			       "(accept) or - (drop)");
	if (r->configured & protos[i].bit)
		return fail(c, "this protocol is already in the rule");
	c->p += n;
	if (*c->p != '+' && *c->p != '-')
		return fail(c, "expected + (accept) or - (drop)");
	r->configured |= protos[i].bit;
	if (*c->p == '+')
		r->accept |= protos[i].bit;
	c->p++;
	return 0;
}

int traffic_rule_parse(const char *s, struct traffic_rule *r, char *msg,
		       size_t len)
{
	struct cursor c = { s, s, msg, len };

	memset(r, 0, sizeof(*r));
	if (side(&c, &r->src))
		return -EINVAL;
	if (*c.p != ',')
		return fail(&c, "expected ',' and the destination");
	c.p++;
	if (side(&c, &r->dst))
		return -EINVAL;
	if (*c.p != ',')
		return fail(&c, "expected ',' and a protocol (n2n ignores a "
				"rule without one)");
	do {
		c.p++;
		if (protocol(&c, r))
			return -EINVAL;
	} while (*c.p == ',');
	if (*c.p)
		return fail(&c, "expected ',' and a protocol, or the end");
	return 0;
}

static void side_str(const struct traffic_side *s, char *buf, size_t len)
{
	struct in_addr a = { htonl(s->net) };
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	snprintf(buf, len, "%s/%u:[%u,%u]", ip, s->len, s->port_lo, s->port_hi);
}

void traffic_rule_str(const struct traffic_rule *r, char *buf, size_t len)
{
	char src[40], dst[40];

	side_str(&r->src, src, sizeof(src));
	side_str(&r->dst, dst, sizeof(dst));
	snprintf(buf, len, "%s,%s%s%s%s%s%s%s", src, dst,
		 r->configured & TRAFFIC_TCP ? ",TCP" : "",
		 r->configured & TRAFFIC_TCP
			 ? (r->accept & TRAFFIC_TCP ? "+" : "-")
			 : "",
		 r->configured & TRAFFIC_UDP ? ",UDP" : "",
		 r->configured & TRAFFIC_UDP
			 ? (r->accept & TRAFFIC_UDP ? "+" : "-")
			 : "",
		 r->configured & TRAFFIC_ICMP ? ",ICMP" : "",
		 r->configured & TRAFFIC_ICMP
			 ? (r->accept & TRAFFIC_ICMP ? "+" : "-")
			 : "");
}

void traffic_rules_log(const struct traffic_rules *rs)
{
	char buf[TRAFFIC_RULE_STR];
	unsigned int i;

	for (i = 0; i < rs->n; i++) {
		traffic_rule_str(&rs->r[i], buf, sizeof(buf));
		log_notice("traffic rule %u: %s", i + 1, buf);
	}
}

/*
 * IPv4 only, as n2n (which reads no VLAN tag either). The ports of a
 * later fragment are not in it: such a packet matches on addresses alone
 * (n2n reads payload bytes as ports there).
 */
void traffic_pkt_parse(const uint8_t *f, size_t len, struct traffic_pkt *p)
{
	const uint8_t *ip = f + 14;
	size_t ihl;

	memset(p, 0, sizeof(*p));
	if (len < 14 + 20 || get_be16(f + 12) != 0x0800 || ip[0] >> 4 != 4)
		return;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	if (ihl < 20)
		return;
	p->src = get_be32(ip + 12);
	p->dst = get_be32(ip + 16);
	p->proto = ip[9] == 6	 ? TRAFFIC_TCP
		   : ip[9] == 17 ? TRAFFIC_UDP
		   : ip[9] == 1	 ? TRAFFIC_ICMP
				 : 0;
	p->ports = !(get_be16(ip + 6) & 0x1fff);
	/* A first fragment or whole packet too short for its ports: 0, as
	 * n2n's zeroed fields. */
	if (p->ports && len >= 14 + ihl + 4) {
		p->sport = get_be16(ip + ihl);
		p->dport = get_be16(ip + ihl + 2);
	}
}

static bool in_net(const struct traffic_side *s, uint32_t a)
{
	return !s->len || !((a ^ s->net) >> (32 - s->len));
}

static bool in_ports(const struct traffic_side *s, uint16_t port)
{
	return s->port_lo <= port && port <= s->port_hi;
}

const struct traffic_rule *traffic_match(const struct traffic_rules *rs,
					 const struct traffic_pkt *p)
{
	const struct traffic_rule *best = NULL;
	unsigned int i, score, best_score = 0;

	for (i = 0; p->proto && i < rs->n; i++) {
		const struct traffic_rule *r = &rs->r[i];

		if (!(r->configured & p->proto) || !in_net(&r->src, p->src) ||
		    !in_net(&r->dst, p->dst))
			continue;
		if (p->proto != TRAFFIC_ICMP && p->ports &&
		    (!in_ports(&r->src, p->sport) ||
		     !in_ports(&r->dst, p->dport)))
			continue;
		score = r->src.len + r->dst.len + 2u;
		if (score > best_score) {
			best = r;
			best_score = score;
		}
	}
	return best;
}

bool traffic_accept(const struct traffic_rules *rs, const uint8_t *f,
		    size_t len)
{
	const struct traffic_rule *r;
	struct traffic_pkt p;

	if (!rs || !rs->n)
		return true;
	traffic_pkt_parse(f, len, &p);
	r = traffic_match(rs, &p);
	return !r || (r->accept & p.proto);
}
