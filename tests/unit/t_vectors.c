// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every datagram of every capture of a stock n2n 3.1.1 network: with -H it
 * decrypts (clock set to the capture time) and its stamp passes the replay
 * rules; it decodes; it re-encodes (and re-encrypts) to the captured bytes;
 * every PACKET payload decrypts to the expected Ethernet frame and
 * re-encrypts to the captured bytes with the recovered IV. In the relay
 * captures, each forwarded PACKET is checked against the one it forwards.
 */
#include <stdio.h>
#include <stdlib.h>

#include "common/mac.h"
#include "common/pcap_read.h"
#include "proto/header_crypt.h"
#include "proto/timestamp.h"
#include "proto/transform.h"
#include "proto/wire.h"
#include "test.h"

#define VEC_KEY	      "n2n-test-key"
#define VEC_COMMUNITY "vectors"
#define VEC_SN_PORT   7654
#define MAX_SENDERS   8

static const uint8_t mac_edge_a[MAC_SIZE] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_edge_b[MAC_SIZE] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t bcast[MAC_SIZE] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

struct capture {
	const char *file;
	enum n2n_transform_id transform; /* what the edges really used */
	bool he;
	bool relay;
};

/* -A1 with a key is silently AES in stock n2n (docs/protocol.md). */
static const struct capture captures[] = {
	{ "A1-p2p.pcap", N2N_TRANSFORM_AES, false, false },
	{ "A1-H-p2p.pcap", N2N_TRANSFORM_AES, true, false },
	{ "A2-p2p.pcap", N2N_TRANSFORM_TWOFISH, false, false },
	{ "A2-H-p2p.pcap", N2N_TRANSFORM_TWOFISH, true, false },
	{ "A3-p2p.pcap", N2N_TRANSFORM_AES, false, false },
	{ "A3-H-p2p.pcap", N2N_TRANSFORM_AES, true, false },
	{ "A3-relay.pcap", N2N_TRANSFORM_AES, false, true },
	{ "A3-H-relay.pcap", N2N_TRANSFORM_AES, true, true },
	{ "A4-p2p.pcap", N2N_TRANSFORM_CHACHA20, false, false },
	{ "A4-H-p2p.pcap", N2N_TRANSFORM_CHACHA20, true, false },
	{ "A4-relay.pcap", N2N_TRANSFORM_CHACHA20, false, true },
	{ "A5-p2p.pcap", N2N_TRANSFORM_SPECK, false, false },
	{ "A5-H-p2p.pcap", N2N_TRANSFORM_SPECK, true, false },
};

struct tally {
	int datagrams, decoded, reencoded, packets, frames_ok, relayed_ok;
};

struct sender {
	uint8_t ip[4];
	uint16_t port;
	struct ts_replay replay;
};

struct replay_state {
	struct sender s[MAX_SENDERS];
	int n;
};

static struct ts_replay *sender_replay(struct replay_state *st,
				       const struct udp_datagram *d,
				       uint64_t now)
{
	int i;

	for (i = 0; i < st->n; i++)
		if (!memcmp(st->s[i].ip, d->src_ip, 4) &&
		    st->s[i].port == d->src_port)
			return &st->s[i].replay;
	if (st->n == MAX_SENDERS)
		return NULL;
	memcpy(st->s[st->n].ip, d->src_ip, 4);
	st->s[st->n].port = d->src_port;
	ts_replay_init(&st->s[st->n].replay, now);
	return &st->s[st->n++].replay;
}

static bool is_edge_mac(const uint8_t *m)
{
	return mac_equal(m, mac_edge_a) || mac_equal(m, mac_edge_b);
}

static bool is_overlay_ip(const uint8_t *ip)
{
	return ip[0] == 198 && ip[1] == 19 && ip[2] == 0 &&
	       (ip[3] == 2 || ip[3] == 3);
}

/*
 * ICMP echo data after ping's 16-byte struct timeval: "n2n-vector" repeated
 * (ping -p), or ping's default 0x10, 0x11, ... (the lab's first pings).
 */
static bool echo_data_expected(const uint8_t *d, size_t len)
{
	static const char pattern[] = "n2n-vector";
	size_t i;

	if (len < 20)
		return false;
	if (memmem(d, len, pattern, 10))
		return true;
	for (i = 0; i < len; i++)
		if (d[i] != (uint8_t)(0x10 + i))
			return false;
	return true;
}

/* ARP between the two edges, or an ICMP echo between their addresses. */
static bool frame_is_expected(const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + 14;
	size_t ip_hlen, icmp_data;

	if (len < 42 || !is_edge_mac(f + MAC_SIZE) ||
	    !(is_edge_mac(f) || mac_equal(f, bcast)))
		return false;
	if (f[12] == 0x08 && f[13] == 0x06)
		return true;
	if (f[12] != 0x08 || f[13] != 0x00 || (ip[0] >> 4) != 4 || ip[9] != 1)
		return false;
	if (!is_overlay_ip(ip + 12) || !is_overlay_ip(ip + 16))
		return false;
	ip_hlen = (size_t)(ip[0] & 15) * 4;
	icmp_data = 14 + ip_hlen + 8 + 16;
	if (len < icmp_data || (ip[ip_hlen] != 0 && ip[ip_hlen] != 8))
		return false;
	return echo_data_expected(f + icmp_data, len - icmp_data);
}

static void check_packet_payload(const struct n2n_msg *m,
				 const struct transform *tf, struct tally *t,
				 const char *where)
{
	const struct n2n_packet *p = &m->u.packet;
	uint8_t frame[N2N_PKT_BUF_SIZE], again[N2N_PKT_BUF_SIZE], iv[16];
	ssize_t n, back;

	t->packets++;
	CHECK_MSG(p->compression == N2N_COMPRESSION_NONE, "%s", where);
	CHECK_MSG(p->transform == tf->ops->id, "%s: transform %u", where,
		  p->transform);
	n = transform_decode_iv(tf, frame, sizeof(frame), p->payload,
				p->payload_len, iv);
	CHECK_MSG(n > 0, "%s: decode %s", where, transform_strerror((int)n));
	if (n <= 0)
		return;
	CHECK_MSG(frame_is_expected(frame, (size_t)n), "%s: frame", where);
	CHECK_MSG(mac_equal(p->src_mac, frame + MAC_SIZE), "%s: srcMac", where);
	back = transform_encode(tf, again, sizeof(again), frame, (size_t)n, iv);
	CHECK_MSG(back == (ssize_t)p->payload_len &&
			  !memcmp(again, p->payload, p->payload_len),
		  "%s: re-encrypt", where);
	t->frames_ok += frame_is_expected(frame, (size_t)n) &&
			back == (ssize_t)p->payload_len;
}

/* Re-encodes m (and re-encrypts with the captured stamp) into out. */
static ssize_t reencode(uint8_t *out, const struct n2n_msg *m, bool he,
			const struct he_result *r, const struct he_keys *keys)
{
	ssize_t n = wire_encode(out, N2N_PKT_BUF_SIZE, m);

	if (n > 0 && he &&
	    he_encrypt(out, (size_t)n, r->hdr_len, r->stamp, r->random32,
		       keys) < 0)
		return -1;
	return n;
}

/* Recent edge-to-supernode PACKETs, to pair with their relayed copies. */
#define RELAY_HISTORY 8

struct relay_memo {
	struct {
		struct n2n_msg m;
		uint8_t payload[N2N_PKT_BUF_SIZE];
		struct udp_datagram from;
	} sent[RELAY_HISTORY];
	int next;
};

static void relay_remember(struct relay_memo *memo, const struct n2n_msg *m,
			   const struct udp_datagram *d)
{
	int i = memo->next++ % RELAY_HISTORY;

	memo->sent[i].m = *m;
	memo->sent[i].from = *d;
	memcpy(memo->sent[i].payload, m->u.packet.payload,
	       m->u.packet.payload_len);
}

/* n2n's supernode adds SOCKET|FROM_SUPERNODE, TTL - 1 and the sender. */
static void check_relay(struct relay_memo *memo, const struct n2n_msg *m,
			const struct udp_datagram *d, struct tally *t)
{
	const struct n2n_packet *p = &m->u.packet;
	int i;

	if (d->dst_port == VEC_SN_PORT) {
		relay_remember(memo, m, d);
		return;
	}
	for (i = 0; i < RELAY_HISTORY; i++) {
		const struct n2n_msg *o = &memo->sent[i].m;
		const struct udp_datagram *from = &memo->sent[i].from;

		if (o->u.packet.payload_len != p->payload_len ||
		    memcmp(memo->sent[i].payload, p->payload, p->payload_len))
			continue;
		CHECK(m->hdr.flags ==
		      (N2N_FLAGS_SOCKET | N2N_FLAGS_FROM_SUPERNODE));
		CHECK_EQ(m->hdr.ttl, o->hdr.ttl - 1);
		CHECK(!p->sock.ipv6 && p->sock.port == from->src_port);
		CHECK_MEM(p->sock.addr, from->src_ip, 4);
		CHECK_MEM(p->src_mac, o->u.packet.src_mac, MAC_SIZE);
		CHECK_MEM(p->dst_mac, o->u.packet.dst_mac, MAC_SIZE);
		t->relayed_ok++;
		return;
	}
	CHECK_MSG(0, "relayed PACKET with no original");
}

static void check_datagram(const struct capture *c,
			   const struct udp_datagram *d,
			   struct replay_state *rs, struct relay_memo *memo,
			   const struct transform *tf, struct tally *t)
{
	const char comm[N2N_COMMUNITY_SIZE] = VEC_COMMUNITY;
	uint8_t plain[N2N_PKT_BUF_SIZE], again[N2N_PKT_BUF_SIZE];
	uint64_t now = ts_from_usec(d->ts_usec);
	struct he_result r = { 0 };
	struct he_keys keys;
	struct n2n_msg m;
	char where[96];
	ssize_t n;

	snprintf(where, sizeof(where), "%s #%d", c->file, t->datagrams);
	t->datagrams++;
	CHECK_MSG(d->len <= sizeof(plain), "%s: too long", where);
	if (d->len > sizeof(plain))
		return;
	memcpy(plain, d->payload, d->len);
	he_keys_from_community(&keys, comm);
	if (c->he) {
		int err =
			he_decrypt(plain, d->payload, d->len, comm, &keys, &r);

		CHECK_MSG(!err, "%s: %s", where, he_strerror(err));
		if (err)
			return;
	}
	n = wire_decode(&m, plain, d->len);
	CHECK_MSG(n == (ssize_t)d->len, "%s: %s", where,
		  n < 0 ? wire_strerror((int)n) : "bytes left over");
	if (n != (ssize_t)d->len)
		return;
	t->decoded++;
	if (c->he) {
		bool jitter = ts_type_allows_jitter(
			m.hdr.type, d->dst_port == VEC_SN_PORT, false);
		int err = ts_verify(sender_replay(rs, d, now), r.stamp, now,
				    jitter);

		CHECK_MSG(!err, "%s: %s", where, ts_strerror(err));
	}
	n = reencode(again, &m, c->he, &r, &keys);
	CHECK_MSG(n == (ssize_t)d->len && !memcmp(again, d->payload, d->len),
		  "%s: re-encoding differs", where);
	t->reencoded += n == (ssize_t)d->len &&
			!memcmp(again, d->payload, d->len);
	if (m.hdr.type != N2N_MSG_PACKET)
		return;
	check_packet_payload(&m, tf, t, where);
	if (c->relay)
		check_relay(memo, &m, d, t);
}

static void check_capture(const struct capture *c, struct tally *t)
{
	/* Static: RELAY_HISTORY whole messages, off the stack. */
	static struct relay_memo memo;
	struct replay_state rs = { .n = 0 };
	struct udp_datagram d;
	struct capture_file pf;
	struct transform tf;
	int ret;

	memset(&memo, 0, sizeof(memo));
	CHECK_MSG(capture_open(&pf, vector_path(c->file)) == 0, "open %s",
		  c->file);
	CHECK_EQ(transform_init(&tf, c->transform, VEC_KEY), 0);
	while ((ret = capture_next_udp(&pf, &d)) == 1)
		check_datagram(c, &d, &rs, &memo, &tf, t);
	CHECK_MSG(ret == 0, "%s: malformed capture", c->file);
	transform_fini(&tf);
	capture_close(&pf);
}

TEST(vectors_every_datagram_of_every_capture)
{
	struct tally all = { 0 };
	size_t i;

	for (i = 0; i < sizeof(captures) / sizeof(captures[0]); i++) {
		struct tally t = { 0 };

		check_capture(&captures[i], &t);
		CHECK_MSG(t.datagrams > 0, "%s: empty", captures[i].file);
		CHECK_MSG(
			t.decoded == t.datagrams && t.reencoded == t.datagrams,
			"%s: %d of %d decoded, %d re-encoded", captures[i].file,
			t.decoded, t.datagrams, t.reencoded);
		CHECK_MSG(t.frames_ok == t.packets, "%s: %d of %d PACKETs",
			  captures[i].file, t.frames_ok, t.packets);
		/* The -H captures hold no PACKET (see docs/protocol.md). */
		CHECK_MSG(captures[i].he || t.packets > 0, "%s: no PACKET",
			  captures[i].file);
		CHECK_MSG(!captures[i].relay || captures[i].he ||
				  t.relayed_ok >= 10,
			  "%s: %d relayed pairs", captures[i].file,
			  t.relayed_ok);
		all.datagrams += t.datagrams;
		all.decoded += t.decoded;
		all.packets += t.packets;
		all.frames_ok += t.frames_ok;
		all.relayed_ok += t.relayed_ok;
	}
	if (getenv("V"))
		printf("     captures: %d datagrams, %d decoded, %d PACKETs, "
		       "%d frames ok, %d relayed pairs\n",
		       all.datagrams, all.decoded, all.packets, all.frames_ok,
		       all.relayed_ok);
	CHECK_EQ(all.datagrams, 534);
}
