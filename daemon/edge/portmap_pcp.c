// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCP (RFC 6887) MAP requests, written here: no Debian package has a
 * client. A request is the 24-byte common header and the 36-byte MAP
 * opcode, 60 bytes; the answer has the same size. A gateway that speaks
 * only NAT-PMP answers version 0 "unsupported version" (RFC 6887 §9).
 * Also the UDP exchange shared with nothing else and the address rules.
 */
#include <errno.h>
#include <poll.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/bytes.h"
#include "common/log.h"
#include "edge/portmap_int.h"

#define PCP_PORT	   5351
#define PCP_VERSION	   2
#define PCP_OP_MAP	   1
#define PCP_RESPONSE	   0x80
#define PCP_PROTO_UDP	   17
#define PCP_UNSUPP_VERSION 1

uint64_t pm_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

bool pm_addr_reserved(struct in_addr a)
{
	static const struct {
		uint32_t net;
		unsigned int len;
	} r[] = {
		{ 0x00000000, 8 },  { 0x0a000000, 8 },	{ 0x64400000, 10 },
		{ 0x7f000000, 8 },  { 0xa9fe0000, 16 }, { 0xac100000, 12 },
		{ 0xc0000000, 24 }, { 0xc0000200, 24 }, { 0xc0a80000, 16 },
		{ 0xc6120000, 15 }, { 0xc6336400, 24 }, { 0xcb007100, 24 },
		{ 0xe0000000, 4 },  { 0xf0000000, 4 },
	};
	uint32_t h = ntohl(a.s_addr);
	size_t i;

	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if ((h >> (32 - r[i].len)) == (r[i].net >> (32 - r[i].len)))
			return true;
	return false;
}

bool pm_allow_reserved(void)
{
	const char *v = getenv("N2NK_PORTMAP_ALLOW_RESERVED");

	return v && !strcmp(v, "1");
}

static int gw_socket(const struct pm_req *r)
{
	struct sockaddr_in gw = { .sin_family = AF_INET,
				  .sin_port = htons(PCP_PORT),
				  .sin_addr = r->gw };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&gw, sizeof(gw))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* Waits up to ms for an answer accept() likes: its length, 0, -errno. */
static int wait_answer(int fd, unsigned int ms, uint8_t *resp, size_t cap,
		       size_t min_len,
		       bool (*accept)(const uint8_t *, size_t, const void *),
		       const void *arg)
{
	uint64_t end = pm_now_ms() + ms;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	for (;;) {
		uint64_t now = pm_now_ms();
		ssize_t n;

		if (now >= end || poll(&p, 1, (int)(end - now)) <= 0)
			return 0;
		n = recv(fd, resp, cap, MSG_DONTWAIT);
		if (n < 0 && errno == ECONNREFUSED)
			return -ENOENT;
		if (n >= (ssize_t)min_len && accept(resp, (size_t)n, arg))
			return (int)n;
	}
}

int pm_udp_exchange(const struct pm_req *r, const uint8_t *req, size_t len,
		    uint8_t *resp, size_t cap, size_t min_len,
		    bool (*accept)(const uint8_t *, size_t, const void *),
		    const void *arg, unsigned int wait_ms)
{
	unsigned int ms = wait_ms ? wait_ms : PM_UDP_FIRST_MS;
	int fd = gw_socket(r), n = -ENOENT, i;

	if (fd < 0)
		return fd;
	for (i = 0; i < (wait_ms ? 1 : PM_UDP_TRIES) && !*r->stop; i++) {
		if (send(fd, req, len, 0) < 0) {
			n = errno == ECONNREFUSED ? -ENOENT : -errno;
			break;
		}
		n = wait_answer(fd, ms, resp, cap, min_len, accept, arg);
		if (n)
			break;
		n = -ENOENT;
		ms *= 2;
	}
	close(fd);
	return n;
}

static void put_v4mapped(uint8_t *p, struct in_addr a)
{
	memset(p, 0, 10);
	p[10] = p[11] = 0xff;
	memcpy(p + 12, &a, 4);
}

void pm_pcp_build(uint8_t *b, const struct pm_req *r, const struct pm_map *m,
		  uint32_t lifetime)
{
	memset(b, 0, PCP_LEN);
	b[0] = PCP_VERSION;
	b[1] = PCP_OP_MAP;
	put_be32(b + 4, lifetime);
	put_v4mapped(b + 8, r->local);
	memcpy(b + 24, m->nonce, sizeof(m->nonce));
	b[36] = PCP_PROTO_UDP;
	put_be16(b + 40, r->local_port);
	put_be16(b + 42, m->ext_port); /* suggested: ours, or the last */
	put_v4mapped(b + 44, m->ext_ip);
}

/*
 * A PCP answer to our MAP (nonce and port), or exactly NAT-PMP's answer to
 * a version it does not speak (RFC 6886 §3.5: version 0, our opcode +
 * 128, result 1): any other version 0 packet could be a LAN spoofer
 * downgrading us from PCP (nonce) to NAT-PMP (none).
 */
bool pm_pcp_accept(const uint8_t *b, size_t n, const void *arg)
{
	const uint8_t *req = arg;

	if (b[0] == 0)
		return n >= 4 && b[1] == (PCP_RESPONSE | PCP_OP_MAP) &&
		       b[2] == 0 && b[3] == 1;
	return n >= PCP_LEN && b[0] == PCP_VERSION &&
	       b[1] == (PCP_RESPONSE | PCP_OP_MAP) &&
	       !memcmp(b + 24, req + 24, 12) && b[36] == PCP_PROTO_UDP &&
	       !memcmp(b + 40, req + 40, 2);
}

int pm_pcp_parse(const uint8_t *b, struct pm_map *m)
{
	static const uint8_t v4pfx[12] = { 0, 0, 0, 0, 0,    0,
					   0, 0, 0, 0, 0xff, 0xff };

	if (b[0] == 0)
		return -EPROTONOSUPPORT; /* a NAT-PMP gateway */
	if (b[3] == PCP_UNSUPP_VERSION)
		return -EPROTONOSUPPORT;
	if (b[3] != 0) {
		log_info("port mapping: PCP gateway refused: result %u", b[3]);
		return -EPERM;
	}
	if (memcmp(b + 44, v4pfx, sizeof(v4pfx)) || !get_be16(b + 42))
		return -EBADMSG;
	m->lease_s = pm_lease_clamp(get_be32(b + 4));
	m->ext_port = get_be16(b + 42);
	memcpy(&m->ext_ip, b + 56, 4);
	m->proto = PORTMAP_PCP;
	return m->lease_s ? 0 : -EBADMSG;
}

int pm_pcp_map(const struct pm_req *r, struct pm_map *m, bool renew)
{
	uint8_t req[PCP_LEN], resp[1100];
	int n;

	if (!renew) {
		memset(m, 0, sizeof(*m));
		randombytes_buf(m->nonce, sizeof(m->nonce));
		m->ext_port = r->local_port;
	}
	pm_pcp_build(req, r, m, PM_LEASE_ASK_S);
	n = pm_udp_exchange(r, req, sizeof(req), resp, sizeof(resp), 4,
			    pm_pcp_accept, req, 0);
	return n < 0 ? n : pm_pcp_parse(resp, m);
}

void pm_pcp_unmap(const struct pm_req *r, struct pm_map *m)
{
	uint8_t req[PCP_LEN], resp[1100];
	struct pm_map del = *m;

	del.ext_port = 0;
	del.ext_ip.s_addr = 0;
	pm_pcp_build(req, r, &del, 0);
	/* Twice at most (RFC 6886 §3.1 says one or two tries suffice). */
	if (pm_udp_exchange(r, req, sizeof(req), resp, sizeof(resp), 4,
			    pm_pcp_accept, req, PM_DELETE_WAIT_MS) < 0)
		(void)pm_udp_exchange(r, req, sizeof(req), resp, sizeof(resp),
				      4, pm_pcp_accept, req, PM_DELETE_WAIT_MS);
}
