// SPDX-License-Identifier: GPL-2.0-only
/*
 * Birthday probing between our own edges (docs/nat-birthday.md).
 *
 * H, whose supernode-observed port differs from its local one (a NAT that
 * maps per destination), sends E a plan over the relayed path after a few
 * seconds of failed punching: a frame of a private EtherType inside an
 * ordinary PACKET, keyed-BLAKE2b tagged with a key derived from the
 * community key. E, whose port is preserved, accepts or refuses. Then H
 * opens n sockets, each probing E's observed socket once (opening n
 * mappings on H's NAT), and E probes k distinct random ports at H's
 * observed address, paced. A probe that lands is answered once, no
 * larger; H keeps the winning socket as its path to E (the kernel path
 * leaves that peer to the daemon), E sees H at that port and punches it
 * as any other port of H's address. Only supernode-observed addresses are
 * ever probed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/epoll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/bytes.h"
#include "common/log.h"
#include "common/mac.h"
#include "common/sockaddr.h"
#include "conf/conf.h"
#include "ctl/ctl_loop.h"
#include "edge.h"
#include "edge_bday.h"
#include "edge_tcp.h"

#define BDAY_N		    256	 /* H's sockets */
#define BDAY_K		    1024 /* E's probes at most */
#define BDAY_RATE	    100	 /* E's probes per second at most */
#define BDAY_TRIGGER_MS	    3000 /* of failed punching first */
/* E takes a plan only while its own punches at that peer are this fresh. */
#define BDAY_BURST_FRESH_MS 60000
#define BDAY_BACKOFF_S	    300	  /* per peer, between attempts */
#define BDAY_ACCEPT_MS	    3000  /* H waits that long for an answer */
#define BDAY_E_DELAY_MS	    300	  /* E lets H's probes go out first */
#define BDAY_KEEP_MS	    60000 /* a kept socket without P2P that long */
#define BDAY_FRESH_US	    30000000ULL
#define BDAY_PEERS	    64
#define BDAY_PINS	    8
#define BDAY_TAG	    16
#define BDAY_PLAN_LEN	    (1 + 1 + 4 + 4 + 2 + 4 + 2 + 2 + 2 + 2 + 8)
#define BDAY_PROBE_HDR	    (8 + 1 + 1 + 4 + MAC_SIZE)
#define BDAY_PROBE_LEN	    (BDAY_PROBE_HDR + BDAY_TAG)
#define BDAY_FRAME_LEN	    (ETH_FRAME_HDR_LEN + BDAY_PLAN_LEN + BDAY_TAG)

static const uint8_t probe_magic[8] = { 'n', '2', 'n', 'k', 'B', 'D', 'A', 'Y' };

enum {
	BDAY_PLAN = 1,
	BDAY_ACCEPT,
	BDAY_REFUSE
};
enum {
	PR_H2E = 1,
	PR_E2H,
	PR_ACK
};
enum bday_state {
	ST_IDLE,
	ST_H_WAIT,
	ST_H_PROBING,
	ST_E_PROBING
};
enum refusal {
	RF_ADDRESS = 1,
	RF_BACKOFF,
	RF_BUSY,
	RF_BOTH_HARD,
	RF_OFF,
	RF_BOUNDS,
	RF_REPLAY,   /* not newer than the last plan of that peer */
	RF_NO_BURST, /* we have not been punching that peer lately */
	RF_FULL,     /* every peer slot is in its backoff */
	RF_N
};
static const char *const refusal_name[RF_N] = {
	"?",   "address", "backoff", "busy",	 "both_hard",
	"off", "bounds",  "replay",  "no_burst", "full"
};

struct bday_plan {
	uint8_t type, why;
	uint32_t id;
	uint32_t e_ip; /* network order, as on the wire */
	uint16_t e_port;
	uint32_t h_ip;
	uint16_t n, k, rate, deadline_s;
	uint64_t stamp_us;
};

struct bday_sock {
	struct edge *e;
	int fd;
	int idx;
};

struct bday {
	int epfd; /* the probing sockets, one fd in the edge's loop */
	uint8_t key[crypto_generichash_KEYBYTES];
	bool off;
	unsigned int rate, k, backoff_s;
	uint32_t test_h_ip; /* N2NK_BDAY_TEST_PLAN_IP: a forged plan */
	struct sockaddr_storage observed;
	bool have_observed;
	/* The attempt (one at a time). */
	enum bday_state st;
	uint8_t mac[MAC_SIZE];
	uint32_t id;
	struct sockaddr_storage there; /* H: E's socket; E: H's address */
	unsigned int n, kmax, cur_rate, sent, h_rx;
	uint64_t start_ms, deadline_ms, probe_from_ms;
	bool answered;
	struct bday_sock socks[BDAY_N];
	uint8_t used[65536 / 8];
	struct {
		uint8_t mac[MAC_SIZE];
		bool used, ours, asked;
		uint64_t last_ms;
		uint64_t plan_stamp_us; /* its newest plan: older ones replay */
	} peers[BDAY_PEERS];
	struct {
		bool on;
		uint8_t mac[MAC_SIZE];
		struct bday_sock *s;
		struct sockaddr_storage to;
		uint64_t ok_ms;
	} pins[BDAY_PINS];
	struct {
		uint64_t plans_sent, plans_rx, refused[RF_N], bad_tag, stale;
		uint64_t attempts, probes_sent, probes_rx, acks_sent, hits,
			misses, sockets, kept, unexpected;
	} c;
};

static struct bday *B(const struct edge *e)
{
	return e->bday;
}

static unsigned int env_uint(const char *name, unsigned int def,
			     unsigned int max)
{
	const char *v = getenv(name);
	unsigned long n;
	char *end;

	if (!v || !*v)
		return def;
	n = strtoul(v, &end, 10);
	if (*end || n == 0 || n > max)
		return def;
	log_warn("%s=%lu: a test-only setting (default %u)", name, n, def);
	return (unsigned int)n;
}

/* Keyed by the community key (-k) and name: only our community's edges
 * can plan or answer. Without -k, by the name only (docs). */
static void derive_key(struct bday *b, const struct edge *e)
{
	static const char label[] = "n2nk birthday probing v1";
	uint8_t k0[crypto_generichash_KEYBYTES];
	uint8_t in[sizeof(label) + N2N_COMMUNITY_SIZE];
	const char *key = e->conf->key ? e->conf->key : "";

	crypto_generichash(k0, sizeof(k0), (const uint8_t *)key, strlen(key),
			   NULL, 0);
	memcpy(in, label, sizeof(label));
	memcpy(in + sizeof(label), e->community, N2N_COMMUNITY_SIZE);
	crypto_generichash(b->key, sizeof(b->key), in, sizeof(in), k0,
			   sizeof(k0));
	sodium_memzero(k0, sizeof(k0));
}

static void tag(const struct bday *b, uint8_t out[BDAY_TAG], const uint8_t *buf,
		size_t len)
{
	crypto_generichash(out, BDAY_TAG, buf, len, b->key, sizeof(b->key));
}

static bool tag_ok(const struct bday *b, const uint8_t *buf, size_t len)
{
	uint8_t t[BDAY_TAG];

	tag(b, t, buf, len);
	return sodium_memcmp(t, buf + len, BDAY_TAG) == 0;
}

static uint32_t sa_ip(const struct sockaddr_storage *sa)
{
	return ((const struct sockaddr_in *)sa)->sin_addr.s_addr;
}

static uint16_t sa_port(const struct sockaddr_storage *sa)
{
	return ntohs(((const struct sockaddr_in *)sa)->sin_port);
}

static void sa_set(struct sockaddr_storage *sa, uint32_t ip, uint16_t port)
{
	struct sockaddr_in *in = (struct sockaddr_in *)sa;

	memset(sa, 0, sizeof(*sa));
	in->sin_family = AF_INET;
	in->sin_addr.s_addr = ip;
	in->sin_port = htons(port);
}

/* Hard: the supernode saw another port than ours (a NAT mapping per
 * destination, or at least not preserving the port). */
static bool we_are_hard(const struct edge *e)
{
	const struct bday *b = B(e);

	return b->have_observed && sa_port(&b->observed) != e->dp.bound_port;
}

static bool in_backoff(const struct bday *b, int slot, uint64_t now)
{
	return slot >= 0 && b->peers[slot].last_ms &&
	       now - b->peers[slot].last_ms < (uint64_t)b->backoff_s * 1000;
}

static int peer_slot_find(const struct bday *b, const uint8_t *mac)
{
	int i;

	for (i = 0; i < BDAY_PEERS; i++)
		if (b->peers[i].used && mac_equal(b->peers[i].mac, mac))
			return i;
	return -1;
}

/* A peer's slot, made if need be; the oldest slot that is out of its
 * backoff makes room, never one in it (that would clear the backoff).
 * -1 when every slot is in its backoff. */
static int peer_slot(struct bday *b, const uint8_t *mac, uint64_t now)
{
	int i = peer_slot_find(b, mac), old = -1;

	if (i >= 0)
		return i;
	for (i = 0; i < BDAY_PEERS; i++) {
		if (!b->peers[i].used) {
			old = i;
			break;
		}
		if (!in_backoff(b, i, now) &&
		    (old < 0 || b->peers[i].last_ms < b->peers[old].last_ms))
			old = i;
	}
	if (old < 0)
		return -1;
	memset(&b->peers[old], 0, sizeof(b->peers[old]));
	b->peers[old].used = true;
	mac_copy(b->peers[old].mac, mac);
	return old;
}

static void plan_encode(uint8_t *o, const struct bday_plan *p)
{
	o[0] = p->type;
	o[1] = p->why;
	put_be32(o + 2, p->id);
	memcpy(o + 6, &p->e_ip, 4);
	put_be16(o + 10, p->e_port);
	memcpy(o + 12, &p->h_ip, 4);
	put_be16(o + 16, p->n);
	put_be16(o + 18, p->k);
	put_be16(o + 20, p->rate);
	put_be16(o + 22, p->deadline_s);
	put_be64(o + 24, p->stamp_us);
}

static void plan_decode(struct bday_plan *p, const uint8_t *o)
{
	p->type = o[0];
	p->why = o[1];
	p->id = get_be32(o + 2);
	memcpy(&p->e_ip, o + 6, 4);
	p->e_port = get_be16(o + 10);
	memcpy(&p->h_ip, o + 12, 4);
	p->n = get_be16(o + 16);
	p->k = get_be16(o + 18);
	p->rate = get_be16(o + 20);
	p->deadline_s = get_be16(o + 22);
	p->stamp_us = get_be64(o + 24);
}

/* The plan frame to mac inside a PACKET through the supernode. */
static void send_ctl(struct edge *e, const uint8_t *mac,
		     const struct bday_plan *p)
{
	uint8_t f[BDAY_FRAME_LEN], iv[TRANSFORM_IV_SIZE];
	uint8_t enc[BDAY_FRAME_LEN + TRANSFORM_MAX_OVERHEAD];
	struct n2n_msg m;
	ssize_t n;

	mac_copy(f, mac);
	mac_copy(f + MAC_SIZE, e->mac);
	put_be16(f + 12, BDAY_ETHERTYPE);
	plan_encode(f + ETH_FRAME_HDR_LEN, p);
	tag(B(e), f + BDAY_FRAME_LEN - BDAY_TAG, f, BDAY_FRAME_LEN - BDAY_TAG);
	transform_random_iv(iv);
	n = transform_encode(&e->tf, enc, sizeof(enc), f, sizeof(f), iv);
	if (n < 0)
		return;
	edge_init_msg(e, &m, N2N_MSG_PACKET, 0);
	mac_copy(m.u.packet.src_mac, e->mac);
	mac_copy(m.u.packet.dst_mac, mac);
	m.u.packet.compression = N2N_COMPRESSION_NONE;
	m.u.packet.transform = (uint8_t)e->tf.ops->id;
	m.u.packet.payload = enc;
	m.u.packet.payload_len = (size_t)n;
	edge_send_sn(e, &m);
}

static void probe_make(const struct bday *b, uint8_t o[BDAY_PROBE_LEN],
		       uint8_t type, const uint8_t *mac)
{
	memcpy(o, probe_magic, 8);
	o[8] = type;
	o[9] = 0;
	put_be32(o + 10, b->id);
	mac_copy(o + 14, mac);
	tag(b, o + BDAY_PROBE_HDR, o, BDAY_PROBE_HDR);
}

static void close_socks(struct bday *b, const struct bday_sock *keep)
{
	int i;

	for (i = 0; i < BDAY_N; i++) {
		struct bday_sock *s = &b->socks[i];

		if (s->fd < 0 || s == keep)
			continue;
		close(s->fd); /* leaves b->epfd too */
		s->fd = -1;
	}
}

static void attempt_end(struct edge *e, const char *how)
{
	struct bday *b = B(e);
	char mac[MAC_STR_MAX];

	log_notice("birthday %08x with %s: %s, %u probes sent, %u received, "
		   "%llu ms",
		   b->id, mac_str(b->mac, mac), how, b->sent, b->h_rx,
		   (unsigned long long)(evloop_now_ms() - b->start_ms));
	close_socks(b, NULL);
	b->st = ST_IDLE;
}

static bool probe_valid(const struct bday *b, const uint8_t *buf, size_t len,
			uint8_t *type)
{
	if (len != BDAY_PROBE_LEN || memcmp(buf, probe_magic, 8))
		return false;
	*type = buf[8];
	return get_be32(buf + 10) == b->id && mac_equal(buf + 14, b->mac) &&
	       tag_ok(b, buf, BDAY_PROBE_HDR);
}

static struct bday_sock *pin_sock(const struct edge *e,
				  const struct sockaddr_storage *to)
{
	const struct bday *b = B(e);
	int i;

	for (i = 0; i < BDAY_PINS; i++)
		if (b->pins[i].on && sockaddr_equal(&b->pins[i].to, to))
			return b->pins[i].s;
	return NULL;
}

static void unpin(struct edge *e, int i)
{
	struct bday *b = B(e);
	struct bday_sock *s = b->pins[i].s;
	struct edge_peer *p = edge_peer_find(e, b->pins[i].mac);

	close(s->fd);
	free(s);
	b->pins[i].on = false;
	if (p)
		edge_kernel_sync(e, p, evloop_now_ms());
}

static void sock_rx(void *arg);

static int sock_watch(struct bday *b, struct bday_sock *s, int op)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = s };

	return epoll_ctl(b->epfd, op, s->fd, &ev);
}

/* H: socket i heard E (a probe or an answer): it stays as the path. */
static void h_win(struct edge *e, struct bday_sock *s,
		  const struct sockaddr_storage *from)
{
	struct bday *b = B(e);
	struct edge_peer *p = edge_peer_find(e, b->mac);
	struct bday_sock *keep = malloc(sizeof(*keep));
	char buf[SOCKADDR_STR_MAX];
	int i;

	for (i = 0; i < BDAY_PINS && b->pins[i].on; i++)
		;
	if (!keep || i == BDAY_PINS || !p) {
		free(keep);
		return attempt_end(e, "won, but nothing to keep it in");
	}
	*keep = *s;
	s->fd = -1;
	if (sock_watch(b, keep, EPOLL_CTL_MOD)) { /* its pointer moves */
		close(keep->fd);
		free(keep);
		return attempt_end(e, "won, but cannot keep the socket");
	}
	b->pins[i].on = true;
	mac_copy(b->pins[i].mac, b->mac);
	b->pins[i].s = keep;
	b->pins[i].to = *from;
	b->pins[i].ok_ms = evloop_now_ms();
	b->c.hits++;
	b->c.kept++;
	log_notice("birthday %08x: socket %d of %u reached by %s", b->id,
		   keep->idx, b->n, sockaddr_str(from, buf));
	attempt_end(e, "hit");
	edge_kernel_sync(e, p, evloop_now_ms()); /* off the kernel path */
	edge_peer_punch_at(e, p, from, evloop_now_ms());
}

/* H: a probe or answer from E on socket s. */
static void h_probe_rx(struct edge *e, struct bday_sock *s,
		       const struct sockaddr_storage *from, const uint8_t *buf,
		       size_t len)
{
	struct bday *b = B(e);
	uint8_t type, ack[BDAY_PROBE_LEN];

	if (b->st != ST_H_PROBING || !sockaddr_equal(from, &b->there) ||
	    !probe_valid(b, buf, len, &type)) {
		b->c.unexpected++;
		return;
	}
	b->h_rx++;
	b->c.probes_rx++;
	if (type == PR_E2H && !b->answered) { /* once, no larger */
		probe_make(b, ack, PR_ACK, e->mac);
		if (sendto(s->fd, ack, sizeof(ack), 0,
			   (const struct sockaddr *)from,
			   sizeof(struct sockaddr_in)) == (ssize_t)sizeof(ack))
			b->c.acks_sent++;
		b->answered = true;
	}
	if (type == PR_E2H || type == PR_ACK)
		h_win(e, s, from);
}

static bool is_probe_sock(const struct bday *b, const struct bday_sock *s)
{
	return s >= b->socks && s < b->socks + BDAY_N;
}

static void sock_rx(void *arg)
{
	struct bday_sock *s = arg;
	struct edge *e = s->e;
	/* Static: a datagram-sized buffer off the stack; one loop thread. */
	static uint8_t buf[N2N_PKT_BUF_SIZE + 64];
	struct sockaddr_storage from;
	socklen_t fl;
	ssize_t n;
	int i;

	for (i = 0; i < 64 && s->fd >= 0; i++) {
		fl = sizeof(from);
		n = recvfrom(s->fd, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &fl);
		if (n < 0)
			return;
		if (is_probe_sock(B(e), s)) {
			h_probe_rx(e, s, &from, buf, (size_t)n);
			if (s->fd < 0) /* it won and moved */
				return;
		} else if ((size_t)n < sizeof(probe_magic) ||
			   memcmp(buf, probe_magic, sizeof(probe_magic))) {
			edge_on_udp(e, &from, buf, (size_t)n);
		}
	}
}

/* The loop's one fd for all of them: each ready socket, a bounded
 * number per wake-up. */
static void bday_ready(void *arg)
{
	struct edge *e = arg;
	struct epoll_event evs[32];
	int i, n = epoll_wait(B(e)->epfd, evs, 32, 0);

	for (i = 0; i < n; i++)
		sock_rx(evs[i].data.ptr);
}

/* H: E accepted; n sockets, one probe each to E's observed socket. */
static void h_start(struct edge *e)
{
	struct bday *b = B(e);
	uint8_t pr[BDAY_PROBE_LEN];
	unsigned int i;

	probe_make(b, pr, PR_H2E, e->mac);
	for (i = 0; i < b->n; i++) {
		struct bday_sock *s = &b->socks[i];

		s->e = e;
		s->idx = (int)i;
		s->fd = socket(AF_INET,
			       SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (s->fd < 0)
			break;
		if (sock_watch(b, s, EPOLL_CTL_ADD)) {
			close(s->fd);
			s->fd = -1;
			break;
		}
		b->c.sockets++;
		if (sendto(s->fd, pr, sizeof(pr), 0,
			   (const struct sockaddr *)&b->there,
			   sizeof(struct sockaddr_in)) == (ssize_t)sizeof(pr)) {
			b->sent++;
			b->c.probes_sent++;
		}
	}
	b->n = i;
	b->st = ST_H_PROBING;
	log_notice("birthday %08x: %u sockets opened, one probe each", b->id,
		   i);
}

/* E: a probe or answer from H at another port of its address. */
bool edge_bday_on_udp(struct edge *e, const struct sockaddr_storage *from,
		      const uint8_t *buf, size_t len)
{
	struct bday *b = B(e);
	uint8_t type, ack[BDAY_PROBE_LEN];
	char where[SOCKADDR_STR_MAX];
	struct edge_peer *p;

	if (!b || len != BDAY_PROBE_LEN || memcmp(buf, probe_magic, 8))
		return false;
	if (b->st != ST_E_PROBING || from->ss_family != AF_INET ||
	    sa_ip(from) != sa_ip(&b->there) ||
	    !probe_valid(b, buf, len, &type)) {
		b->c.unexpected++;
		return true;
	}
	b->h_rx++;
	b->c.probes_rx++;
	if (type == PR_H2E && !b->answered) {
		probe_make(b, ack, PR_ACK, e->mac);
		if (!datapath_send_udp(&e->dp, from, ack, sizeof(ack)))
			b->c.acks_sent++;
		b->answered = true;
	}
	b->c.hits++;
	log_notice("birthday %08x: hit, the peer at %s", b->id,
		   sockaddr_str(from, where));
	attempt_end(e, "hit");
	p = edge_peer_find(e, b->mac);
	if (p)
		edge_peer_punch_at(e, p, from, evloop_now_ms());
	return true;
}

static enum refusal e_check(struct edge *e, const struct edge_peer *p,
			    const struct bday_plan *pl, int slot, uint64_t now)
{
	struct bday *b = B(e);

	if (b->off)
		return RF_OFF;
	/* Only what the supernode told us: H's address and our socket. */
	if (!p || !p->have_sa || p->sa.ss_family != AF_INET ||
	    pl->h_ip != sa_ip(&p->sa) || !b->have_observed ||
	    pl->e_ip != sa_ip(&b->observed) ||
	    pl->e_port != sa_port(&b->observed))
		return RF_ADDRESS;
	/* Only a peer we have been punching in vain lately: a plan cannot
	 * point us at an address we had no reason to reach. */
	if (p->p2p || !p->burst_ms || now - p->burst_ms > BDAY_BURST_FRESH_MS)
		return RF_NO_BURST;
	if (we_are_hard(e))
		return RF_BOTH_HARD;
	if (!pl->n || pl->n > BDAY_N || !pl->k || !pl->rate ||
	    !pl->deadline_s || pl->deadline_s > 60)
		return RF_BOUNDS;
	if (slot >= 0 && pl->stamp_us <= b->peers[slot].plan_stamp_us)
		return RF_REPLAY;
	if (b->st != ST_IDLE)
		return RF_BUSY;
	if (in_backoff(b, slot, now))
		return RF_BACKOFF;
	return 0;
}

static void e_on_plan(struct edge *e, const uint8_t *src,
		      const struct bday_plan *pl, uint64_t now)
{
	struct bday *b = B(e);
	struct edge_peer *p = edge_peer_find(e, src);
	int slot = peer_slot_find(b, src);
	enum refusal why = e_check(e, p, pl, slot, now);
	struct bday_plan r = *pl;
	char mac[MAC_STR_MAX];

	/* A slot only for a plan that names what the supernode told us. */
	if (why != RF_ADDRESS && why != RF_NO_BURST && why != RF_OFF) {
		if (slot < 0)
			slot = peer_slot(b, src, now);
		if (slot < 0 && !why)
			why = RF_FULL;
		if (slot >= 0) {
			b->peers[slot].ours = true;
			if (why != RF_REPLAY)
				b->peers[slot].plan_stamp_us = pl->stamp_us;
		}
	}

	b->c.plans_rx++;
	r.type = why ? BDAY_REFUSE : BDAY_ACCEPT;
	r.why = (uint8_t)why;
	r.stamp_us = evloop_wall_usec();
	send_ctl(e, src, &r);
	if (why) {
		b->c.refused[why]++;
		log_info("birthday %08x from %s refused: %s", pl->id,
			 mac_str(src, mac), refusal_name[why]);
		return;
	}
	b->st = ST_E_PROBING;
	mac_copy(b->mac, src);
	b->id = pl->id;
	sa_set(&b->there, pl->h_ip, 0);
	b->kmax = pl->k < b->k ? pl->k : b->k;
	b->cur_rate = pl->rate < b->rate ? pl->rate : b->rate;
	b->start_ms = now;
	b->probe_from_ms = now + BDAY_E_DELAY_MS;
	b->deadline_ms = now + (uint64_t)pl->deadline_s * 1000;
	b->sent = b->h_rx = 0;
	b->answered = false;
	memset(b->used, 0, sizeof(b->used));
	b->peers[slot].last_ms = now;
	b->c.attempts++;
	log_notice("birthday %08x with %s: probing up to %u ports of its "
		   "address at %u/s",
		   b->id, mac_str(src, mac), b->kmax, b->cur_rate);
}

static void h_on_answer(struct edge *e, const uint8_t *src,
			const struct bday_plan *pl)
{
	struct bday *b = B(e);
	char how[64];
	int slot;

	if (b->st != ST_H_WAIT || pl->id != b->id || !mac_equal(src, b->mac)) {
		b->c.unexpected++;
		return;
	}
	slot = peer_slot_find(b, src);
	if (slot >= 0) /* it answered: one of ours, it may be asked again */
		b->peers[slot].ours = true;
	if (pl->type == BDAY_ACCEPT)
		return h_start(e);
	snprintf(how, sizeof(how), "refused by the peer (%s)",
		 pl->why < RF_N ? refusal_name[pl->why] : "?");
	attempt_end(e, how);
}

bool edge_bday_on_frame(struct edge *e, const uint8_t *f, size_t n,
			const uint8_t *pkt_src)
{
	struct bday *b = B(e);
	uint64_t now = evloop_now_ms(), wall = evloop_wall_usec();
	struct bday_plan pl;

	/* Only frames of its EtherType and size to us: other frames of that
	 * EtherType (a user's experiment) go on to the TAP. */
	if (n != BDAY_FRAME_LEN || get_be16(f + 12) != BDAY_ETHERTYPE ||
	    !mac_equal(f, e->mac))
		return false;
	if (!b) /* never to the TAP */
		return true;
	/* Its sender is the PACKET's: no plan in another peer's name. */
	if (!mac_equal(f + MAC_SIZE, pkt_src)) {
		b->c.unexpected++;
		return true;
	}
	if (!tag_ok(b, f, n - BDAY_TAG)) {
		b->c.bad_tag++;
		return true;
	}
	plan_decode(&pl, f + ETH_FRAME_HDR_LEN);
	if (pl.stamp_us + BDAY_FRESH_US < wall ||
	    pl.stamp_us > wall + BDAY_FRESH_US) {
		b->c.stale++;
		return true;
	}
	if (pl.type == BDAY_PLAN)
		e_on_plan(e, f + MAC_SIZE, &pl, now);
	else
		h_on_answer(e, f + MAC_SIZE, &pl);
	return true;
}

/* H: after failed punching, plan with a peer (one at a time; a peer not
 * yet known to be ours gets one plan, ever: a stock edge's TAP drops it). */
static void h_consider(struct mac_entry *me, void *arg)
{
	struct edge_peer *p = (struct edge_peer *)me;
	struct edge *e = arg;
	struct bday *b = B(e);
	uint64_t now = evloop_now_ms();
	struct bday_plan pl = { .type = BDAY_PLAN };
	char mac[MAC_STR_MAX];
	int slot;

	if (b->st != ST_IDLE || p->p2p || !p->have_sa ||
	    p->sa.ss_family != AF_INET || !p->burst_ms ||
	    now - p->burst_ms < BDAY_TRIGGER_MS)
		return;
	slot = peer_slot(b, p->key.mac, now);
	if (slot < 0 || in_backoff(b, slot, now) ||
	    (!b->peers[slot].ours && b->peers[slot].asked))
		return;
	pl.id = randombytes_random();
	pl.e_ip = sa_ip(&p->sa);
	pl.e_port = sa_port(&p->sa);
	pl.h_ip = b->test_h_ip ? b->test_h_ip : sa_ip(&b->observed);
	pl.n = BDAY_N;
	pl.k = (uint16_t)b->k;
	pl.rate = (uint16_t)b->rate;
	pl.deadline_s = (uint16_t)(b->k / b->rate + 3);
	pl.stamp_us = evloop_wall_usec();
	send_ctl(e, p->key.mac, &pl);
	b->peers[slot].asked = true;
	b->peers[slot].last_ms = now;
	b->c.plans_sent++;
	b->c.attempts++;
	b->st = ST_H_WAIT;
	mac_copy(b->mac, p->key.mac);
	b->id = pl.id;
	b->there = p->sa;
	b->n = BDAY_N;
	b->sent = b->h_rx = 0;
	b->answered = false;
	b->start_ms = now;
	b->deadline_ms = now + BDAY_ACCEPT_MS + (uint64_t)pl.deadline_s * 1000;
	log_notice("birthday %08x with %s: planned (our port %u is seen as "
		   "%u: a mapping per destination)",
		   b->id, mac_str(p->key.mac, mac), e->dp.bound_port,
		   sa_port(&b->observed));
}

static uint16_t fresh_port(struct bday *b)
{
	unsigned int i, port = 1024;

	for (i = 0; i < 64; i++) {
		port = 1024 + randombytes_uniform(65536 - 1024);
		if (!(b->used[port / 8] & (1u << (port % 8))))
			break;
	}
	b->used[port / 8] |= (uint8_t)(1u << (port % 8));
	return (uint16_t)port;
}

/* E: paced probes from the main socket to random ports of H's address. */
static void e_probe_tick(struct edge *e, uint64_t now)
{
	struct bday *b = B(e);
	uint8_t pr[BDAY_PROBE_LEN];
	struct sockaddr_storage to;
	uint64_t due;

	if (now < b->probe_from_ms)
		return;
	due = (now - b->probe_from_ms) * b->cur_rate / 1000 + 1;
	if (due > b->kmax)
		due = b->kmax;
	probe_make(b, pr, PR_E2H, e->mac);
	while (b->sent < due) {
		sa_set(&to, sa_ip(&b->there), fresh_port(b));
		datapath_send_udp(&e->dp, &to, pr, sizeof(pr));
		b->sent++;
		b->c.probes_sent++;
	}
}

static void pins_tick(struct edge *e, uint64_t now)
{
	struct bday *b = B(e);
	char mac[MAC_STR_MAX];
	int i;

	for (i = 0; i < BDAY_PINS; i++) {
		struct edge_peer *p;

		if (!b->pins[i].on)
			continue;
		p = edge_peer_find(e, b->pins[i].mac);
		if (p && edge_peer_direct(e, p, now))
			b->pins[i].ok_ms = now;
		else if (!p || now - b->pins[i].ok_ms > BDAY_KEEP_MS) {
			log_notice("birthday: path to %s closed (no P2P)",
				   mac_str(b->pins[i].mac, mac));
			unpin(e, i);
		}
	}
}

void edge_bday_tick(struct edge *e, uint64_t now)
{
	struct bday *b = B(e);

	if (!b)
		return;
	pins_tick(e, now);
	if (b->st == ST_E_PROBING)
		e_probe_tick(e, now);
	if (b->st == ST_H_WAIT && now - b->start_ms > BDAY_ACCEPT_MS)
		return attempt_end(e, "no answer to the plan");
	if (b->st != ST_IDLE && now > b->deadline_ms) {
		b->c.misses++;
		return attempt_end(e, "missed");
	}
	if (b->st == ST_IDLE && !b->off && edge_registered(e) && we_are_hard(e))
		mac_table_each(&e->peers, h_consider, e);
}

int edge_bday_open(struct edge *e)
{
	struct bday *b = calloc(1, sizeof(*b));
	int i;

	if (!b)
		return -ENOMEM;
	for (i = 0; i < BDAY_N; i++)
		b->socks[i].fd = -1;
	b->off = e->conf->nat_probe_off || e->a6 || e->relay_only;
	/* Without -k the tag's key would be the community name alone, which
	 * every n2n header carries in clear (without -H): anyone could plan. */
	if (!b->off && (!e->conf->key || !*e->conf->key)) {
		b->off = true;
		log_warn("birthday probing off: no -k to authenticate its "
			 "plans");
	}
	b->rate = env_uint("N2NK_BDAY_RATE", BDAY_RATE, 10000);
	b->k = env_uint("N2NK_BDAY_K", BDAY_K, BDAY_K);
	b->backoff_s = env_uint("N2NK_BDAY_BACKOFF_S", BDAY_BACKOFF_S, 86400);
	derive_key(b, e);
	if (getenv("N2NK_BDAY_TEST_PLAN_IP") &&
	    inet_pton(AF_INET, getenv("N2NK_BDAY_TEST_PLAN_IP"),
		      &b->test_h_ip) == 1)
		log_warn("N2NK_BDAY_TEST_PLAN_IP: plans name %s (tests only)",
			 getenv("N2NK_BDAY_TEST_PLAN_IP"));
	b->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (b->epfd < 0 || evloop_add(&e->loop, b->epfd, bday_ready, e)) {
		if (b->epfd >= 0)
			close(b->epfd);
		free(b);
		return -EMFILE;
	}
	e->bday = b;
	return 0;
}

void edge_bday_close(struct edge *e)
{
	struct bday *b = B(e);
	int i;

	if (!b)
		return;
	close_socks(b, NULL);
	for (i = 0; i < BDAY_PINS; i++)
		if (b->pins[i].on) {
			close(b->pins[i].s->fd);
			free(b->pins[i].s);
		}
	if (b->epfd >= 0) {
		evloop_del(&e->loop, b->epfd);
		close(b->epfd);
	}
	sodium_memzero(b->key, sizeof(b->key));
	free(b);
	e->bday = NULL;
}

void edge_bday_observed(struct edge *e, const struct n2n_sock *s)
{
	struct bday *b = B(e);
	struct sockaddr_storage sa;

	if (!b || s->ipv6)
		return;
	sockaddr_from_sock(&sa, s);
	if (b->have_observed && sockaddr_equal(&sa, &b->observed))
		return;
	b->observed = sa;
	b->have_observed = true;
	if (we_are_hard(e))
		log_info("the supernode sees our port %u as %u: birthday "
			 "probing%s",
			 e->dp.bound_port, s->port,
			 b->off ? " is off" : " ready");
}

int edge_bday_send(struct edge *e, const struct sockaddr_storage *to,
		   const uint8_t *buf, size_t len)
{
	struct bday_sock *s = B(e) ? pin_sock(e, to) : NULL;

	if (!s)
		return -ENOENT;
	if (sendto(s->fd, buf, len, 0, (const struct sockaddr *)to,
		   sizeof(struct sockaddr_in)) < 0)
		return -EIO;
	return 0;
}

bool edge_bday_pinned(const struct edge *e, const struct edge_peer *p)
{
	const struct bday *b = B(e);
	int i;

	for (i = 0; b && i < BDAY_PINS; i++)
		if (b->pins[i].on && mac_equal(b->pins[i].mac, p->key.mac))
			return true;
	return false;
}

void edge_bday_stats_rows(struct ctl_table *t, const struct edge *e)
{
	const struct bday *b = B(e);
	int i;

	if (!b)
		return;
	ctl_counter_row(t, "bday_attempts", b->c.attempts);
	ctl_counter_row(t, "bday_plans_sent", b->c.plans_sent);
	ctl_counter_row(t, "bday_plans_received", b->c.plans_rx);
	for (i = 1; i < RF_N; i++) {
		char name[48];

		snprintf(name, sizeof(name), "bday_refused_%s",
			 refusal_name[i]);
		ctl_counter_row(t, name, b->c.refused[i]);
	}
	ctl_counter_row(t, "bday_bad_tag", b->c.bad_tag);
	ctl_counter_row(t, "bday_stale", b->c.stale);
	ctl_counter_row(t, "bday_unexpected", b->c.unexpected);
	ctl_counter_row(t, "bday_sockets", b->c.sockets);
	ctl_counter_row(t, "bday_probes_sent", b->c.probes_sent);
	ctl_counter_row(t, "bday_probes_received", b->c.probes_rx);
	ctl_counter_row(t, "bday_answers_sent", b->c.acks_sent);
	ctl_counter_row(t, "bday_hits", b->c.hits);
	ctl_counter_row(t, "bday_misses", b->c.misses);
	ctl_counter_row(t, "bday_paths_kept", b->c.kept);
}
