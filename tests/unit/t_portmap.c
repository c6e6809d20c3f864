// SPDX-License-Identifier: GPL-2.0-only
/* Port mapping: the PCP MAP codec against RFC 6887's layout and recorded
 * answers, and the reserved-address rule. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "edge/portmap_int.h"
#include "test.h"

static const struct pm_req REQ = { .local_port = 50001 };

static void setup(struct pm_req *r, struct pm_map *m)
{
	*r = REQ;
	inet_pton(AF_INET, "198.18.1.2", &r->local);
	memset(m, 0, sizeof(*m));
	memcpy(m->nonce, "0123456789ab", 12);
	m->ext_port = 50001;
}

TEST(portmap_pcp_request_layout)
{
	static const uint8_t
		want[PCP_LEN] = {
			2,    1,   0,	0,    0,    0,	  0x1c,
			0x20, /* v2 MAP, lifetime 7200 */
			0,    0,   0,	0,    0,    0,	  0,
			0,    0,   0,	0xff, 0xff, 198,  18,
			1,    2,   '0', '1',  '2',  '3',  '4',
			'5',  '6', '7', '8',  '9',  'a',  'b',
			17,   0,   0,	0,    0xc3, 0x51, 0xc3,
			0x51, /* UDP, 50001, 50001 */
			0,    0,   0,	0,    0,    0,	  0,
			0,    0,   0,	0xff, 0xff, 0,	  0,
			0,    0,
		};
	struct pm_req r;
	struct pm_map m;
	uint8_t b[PCP_LEN];

	setup(&r, &m);
	pm_pcp_build(b, &r, &m, 7200);
	CHECK_MEM(b, want, PCP_LEN);
}

/* The answer a PCP server sends to that request: result 0, lifetime
 * 3600, epoch 1000, external 198.18.0.101:51001. */
static void answer(uint8_t *a, const uint8_t *req, uint8_t result)
{
	memcpy(a, req, PCP_LEN);
	memset(a + 2, 0, 22);
	a[1] = 0x81;
	a[3] = result;
	a[6] = 0x0e, a[7] = 0x10;   /* 3600 */
	a[10] = 0x03, a[11] = 0xe8; /* epoch */
	a[42] = 0xc7, a[43] = 0x39; /* 51001 */
	memset(a + 44, 0, 10);
	a[54] = a[55] = 0xff;
	a[56] = 198, a[57] = 18, a[58] = 0, a[59] = 101;
}

TEST(portmap_pcp_answer_parsed)
{
	struct pm_req r;
	struct pm_map m;
	uint8_t q[PCP_LEN], a[PCP_LEN];
	char ip[INET_ADDRSTRLEN];

	setup(&r, &m);
	pm_pcp_build(q, &r, &m, 7200);
	answer(a, q, 0);
	CHECK(pm_pcp_accept(a, sizeof(a), q));
	CHECK_EQ(pm_pcp_parse(a, &m), 0);
	CHECK_EQ(m.proto, PORTMAP_PCP);
	CHECK_EQ(m.ext_port, 51001);
	CHECK_EQ(m.lease_s, 3600);
	inet_ntop(AF_INET, &m.ext_ip, ip, sizeof(ip));
	CHECK(!strcmp(ip, "198.18.0.101"));
}

TEST(portmap_pcp_answers_refused)
{
	static const uint8_t natpmp[8] = { 0, 0x81, 0, 1 }; /* version 0 */
	static const uint8_t natpmp_op[8] = { 0, 0x82, 0, 1 };
	static const uint8_t natpmp_ok[8] = { 0, 0x81, 0, 0 };
	struct pm_req r;
	struct pm_map m;
	uint8_t q[PCP_LEN], a[PCP_LEN];

	setup(&r, &m);
	pm_pcp_build(q, &r, &m, 7200);
	answer(a, q, 2); /* NOT_AUTHORIZED */
	CHECK_EQ(pm_pcp_parse(a, &m), -EPERM);
	answer(a, q, 1); /* UNSUPP_VERSION */
	CHECK_EQ(pm_pcp_parse(a, &m), -EPROTONOSUPPORT);
	CHECK(pm_pcp_accept(natpmp, sizeof(natpmp), q));
	CHECK(!pm_pcp_accept(natpmp_op, sizeof(natpmp_op), q)); /* downgrade */
	CHECK(!pm_pcp_accept(natpmp_ok, sizeof(natpmp_ok), q));
	CHECK_EQ(pm_pcp_parse(natpmp, &m), -EPROTONOSUPPORT);
	answer(a, q, 0);
	a[30] ^= 1; /* another request's nonce */
	CHECK(!pm_pcp_accept(a, sizeof(a), q));
	answer(a, q, 0);
	CHECK(!pm_pcp_accept(a, PCP_LEN - 1, q)); /* short */
	answer(a, q, 0);
	a[6] = a[7] = 0; /* lifetime 0 for a MAP we asked to keep */
	CHECK_EQ(pm_pcp_parse(a, &m), -EBADMSG);
}

TEST(portmap_hostile_lease_clamped)
{
	struct pm_req r;
	struct pm_map m;
	uint8_t q[PCP_LEN], a[PCP_LEN];

	setup(&r, &m);
	pm_pcp_build(q, &r, &m, 7200);
	answer(a, q, 0);
	a[4] = a[5] = a[6] = a[7] = 0xff; /* 0xFFFFFFFF s */
	CHECK_EQ(pm_pcp_parse(a, &m), 0);
	CHECK_EQ(m.lease_s, PM_LEASE_MAX_S);
}

TEST(portmap_reserved_addresses)
{
	static const struct {
		const char *ip;
		bool reserved;
	} c[] = {
		{ "198.18.0.101", true }, { "198.19.255.1", true },
		{ "198.20.0.1", false },  { "100.64.0.1", true },
		{ "100.128.0.1", false }, { "10.1.2.3", true },
		{ "172.16.0.1", true },	  { "172.32.0.1", false },
		{ "192.168.1.1", true },  { "203.0.113.9", true },
		{ "8.8.8.8", false },	  { "224.0.0.1", true },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct in_addr a;

		inet_pton(AF_INET, c[i].ip, &a);
		CHECK_MSG(pm_addr_reserved(a) == c[i].reserved, "%s", c[i].ip);
	}
}

TEST(portmap_upnp_only_gateway_urls)
{
	struct in_addr gw;

	inet_pton(AF_INET, "198.18.1.1", &gw);
	CHECK(pm_url_host_is("http://198.18.1.1:5000/rootDesc.xml", gw));
	CHECK(pm_url_host_is("http://198.18.1.1/ctl", gw));
	CHECK(pm_url_host_is("HTTP://198.18.1.1", gw));
	CHECK(!pm_url_host_is("http://198.18.1.7:5000/rootDesc.xml", gw));
	CHECK(!pm_url_host_is("http://198.18.1.10:5000/", gw));
	CHECK(!pm_url_host_is("http://198.18.1.1@198.18.1.7/", gw));
	CHECK(!pm_url_host_is("https://198.18.1.1/", gw));
	CHECK(!pm_url_host_is("http://gw.lan/", gw));
	CHECK(!pm_url_host_is(NULL, gw));
}
