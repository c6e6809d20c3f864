// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF_PROG_TEST_RUN tests of bpf/xdp_relay.bpf.c on header-encrypted (-H)
 * PACKETs: sealed by he_encrypt() as an edge seals them, each must leave
 * as the plaintext relay sends the opened PACKET on, sealed again with the
 * relay's own stamp (opened here with he_decrypt()); what n2n's -H refuses
 * is handed to the daemon as it came, or dropped, and counted by reason.
 * Then the -H relay capture of stock n2n 3.1.1, and the cost.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "common/bytes.h"
#include "common/inet_csum.h"
#include "common/mac.h"
#include "common/pcap_read.h"
#include "frame_builder.h"
#include "kernel/he_kernel.h"
#include "kernel/xdp_counter.h"
#include "n2n_wire_defs.h"
#include "n2nk_relay.h"
#include "proto/header_crypt.h"
#include "proto/timestamp.h"
#include "proto/wire.h"
#include "skel/xdp_relay.skel.h"
#include "relay_fill.h"
#include "suites.h"

#define SN_PORT		 N2N_SN_PORT_DEFAULT
#define A_PORT		 40001
#define B_PORT		 40002
#define C_PORT		 40003
#define D_PORT		 40004
#define E_PORT		 40005
#define HE_COMM		 "hecomm"    /* -H, keys in he_keys */
#define OTHER_COMM	 "othercomm" /* -H too: another key */
#define PLAIN_COMM	 "plaincomm" /* no he_keys entry */
#define OFF_COMM	 "offcomm"   /* an he_keys entry with on = 0 */
#define VECTORS_DIR	 "../shared/vectors/n2n-3.1.1"
#define VECTORS_COMM	 "vectors"
#define CAPTURE		 "A3-H-relay.pcap"
#define UDP_HLEN	 8
#define IPV4_HLEN	 20
#define N2N_AT		 (ETH_HLEN + IPV4_HLEN + UDP_HLEN)
#define OUT_MAX		 (FRAME_MAX + 64)
#define SEALED_RUNS	 200
#define PAYLOAD_MAX	 1400
#define PAYLOAD_CASE	 100
#define COST_RUNS	 10000
#define MAX_DATAGRAMS	 512
#define USEC		 1000000ull
/* The relay's stamp against our clock: the offset was measured once, the
 * wall clock may slew since; inputs are sealed further back than this. */
#define STAMP_SLACK_USEC (1 * USEC)
#define INPUT_AGE_USEC	 (3 * USEC)

static const uint8_t sn_ip[4] = { 192, 0, 2, 1 };
static const uint8_t a_ip[4] = { 192, 0, 2, 10 };
static const uint8_t b_ip[4] = { 192, 0, 2, 20 };
static const uint8_t c_ip[4] = { 192, 0, 2, 30 };
static const uint8_t d_ip[4] = { 192, 0, 2, 40 };
static const uint8_t e_ip[4] = { 192, 0, 2, 50 };
static const uint8_t stranger_ip[4] = { 192, 0, 2, 99 };
static const uint8_t sn_eth[MAC_SIZE] = { 0x02, 0x5e, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t router_eth[MAC_SIZE] = {
	0x02, 0x52, 0x00, 0x00, 0x00, 0x01
};
static const uint8_t mac_a[MAC_SIZE] = { 0x02, 0x6e, 0x48, 0x00, 0x00, 0x0a };
static const uint8_t mac_b[MAC_SIZE] = { 0x02, 0x6e, 0x48, 0x00, 0x00, 0x0b };
static const uint8_t mac_c[MAC_SIZE] = { 0x02, 0x6e, 0x48, 0x00, 0x00, 0x0c };
static const uint8_t mac_d[MAC_SIZE] = { 0x02, 0x6e, 0x48, 0x00, 0x00, 0x0d };
static const uint8_t mac_e[MAC_SIZE] = { 0x02, 0x6e, 0x48, 0x00, 0x00, 0x0e };
static const uint8_t mac_x[MAC_SIZE] = { 0x02, 0x6e, 0x48, 0x00, 0x00, 0x99 };
static const uint8_t mac_bcast[MAC_SIZE] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};
static const uint8_t mac_mcast[MAC_SIZE] = {
	0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb
};

/* A registered edge and the one it sends to in the cases. */
struct edge_def {
	const uint8_t *ip;
	uint16_t port;
	const char *community;
	const uint8_t *mac;
	const uint8_t *peer;
};

static const struct edge_def edge_a = { a_ip, A_PORT, HE_COMM, mac_a, mac_b };
static const struct edge_def edge_b = { b_ip, B_PORT, HE_COMM, mac_b, mac_a };
static const struct edge_def edge_c = { c_ip, C_PORT, PLAIN_COMM, mac_c,
					mac_d };
static const struct edge_def edge_d = { d_ip, D_PORT, PLAIN_COMM, mac_d,
					mac_c };
static const struct edge_def edge_e = { e_ip, E_PORT, OFF_COMM, mac_e, mac_a };
/* Not registered anywhere: A's community and peer, its own socket. */
static const struct edge_def stranger = { stranger_ip, A_PORT, HE_COMM, mac_x,
					  mac_b };

static const struct edge_def *const registered[] = { &edge_a, &edge_b, &edge_c,
						     &edge_d, &edge_e };

/* Community keys as he_encrypt() takes them. */
static struct he_keys keys_he, keys_other, keys_plain, keys_off, keys_vec;
static __s64 clock_off; /* CLOCK_REALTIME - CLOCK_TAI, as loaded */

/* The fields of an edge's PACKET that the cases vary. */
struct he_spec {
	const struct edge_def *from;
	const uint8_t *src_mac;
	const uint8_t *dst_mac;
	uint16_t flags_type;
	uint8_t ttl;
	uint8_t compression;
	uint8_t transform;
	size_t payload_len;
	uint32_t seed;
	uint16_t ip_id;
	int no_df;
};

static struct he_spec spec_from(const struct edge_def *from)
{
	return (struct he_spec){
		.from = from,
		.src_mac = from->mac,
		.dst_mac = from->peer,
		.flags_type = N2N_MSG_PACKET,
		.ttl = 2,
		.compression = N2N_COMPRESSION_NONE,
		.transform = N2N_TRANSFORM_AES,
		.payload_len = PAYLOAD_CASE,
		.seed = 0x48e1a7,
		.ip_id = 0x1234,
	};
}

static void fail(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "  %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static uint64_t realtime_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * USEC + (uint64_t)ts.tv_nsec / 1000;
}

static int64_t tai_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_TAI, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The wall-clock time a stamp names, in microseconds (counter dropped). */
static uint64_t stamp_usec(uint64_t stamp)
{
	return (stamp >> 32) * USEC + ((stamp >> 12) & 0xfffff);
}

/* A stamp delta_usec from now (negative: in the past). */
static uint64_t stamp_now(int64_t delta_usec)
{
	return ts_from_usec(realtime_usec() + (uint64_t)delta_usec);
}

/* A community name as n2n keys and sends it: 20 bytes, NUL-padded. */
static void name20(char out[N2N_COMMUNITY_SIZE], const char *community)
{
	memset(out, 0, N2N_COMMUNITY_SIZE);
	strncpy(out, community, N2N_COMMUNITY_SIZE - 1);
}

static void keys_of(struct he_keys *k, const char *community)
{
	char name[N2N_COMMUNITY_SIZE];

	name20(name, community);
	he_keys_from_community(k, name);
}

/* First differing byte of a and b, or -1. */
static long first_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return (long)i;
	return -1;
}

/* ---- frames ---- */

static void build_plain(struct frame *f, const struct he_spec *s)
{
	uint8_t *ip;

	frame_init(f);
	frame_eth_macs(f, sn_eth, router_eth, ETH_P_IP);
	frame_ipv4(f, IPPROTO_UDP);
	frame_ipv4_addrs(f, s->from->ip, sn_ip);
	ip = f->data + f->l3_off;
	put_be16(ip + 4, s->ip_id);
	if (s->no_df)
		put_be16(ip + 6, 0);
	frame_udp(f, s->from->port, SN_PORT);
	frame_n2n_common(f, N2N_PKT_VERSION, s->flags_type, s->from->community);
	f->data[f->len - N2N_COMMON_SIZE + N2N_COMMON_OFF_TTL] = s->ttl;
	frame_put(f, s->src_mac, MAC_SIZE);
	frame_put(f, s->dst_mac, MAC_SIZE);
	frame_put_u8(f, s->compression);
	frame_put_u8(f, s->transform);
	frame_put_random(f, s->payload_len, s->seed);
	frame_finish(f);
}

/* The n2n datagram of f sealed in place (H hdr_len), UDP checksum anew. */
static int seal(struct frame *f, size_t hdr_len, uint64_t stamp,
		uint32_t random32, const struct he_keys *k)
{
	if (he_encrypt(f->data + N2N_AT, f->len - N2N_AT, hdr_len, stamp,
		       random32, k))
		return -1;
	frame_finish(f);
	return 0;
}

/*
 * What the plaintext relay sends on for the plaintext PACKET p (n2n
 * 3.1.1's rewrite, as test_xdp_relay.c expects it): back where it came
 * from, from our address and port to the destination edge's socket, the
 * sender's IP ID and DF kept, IP TTL 64, the UDP checksum right, n2n TTL - 1,
 * SOCKET | FROM_SUPERNODE and the sender's socket after dstMac.
 */
static void expect_relayed(struct frame *w, const struct frame *p,
			   const struct edge_def *to)
{
	const uint8_t *pip = p->data + ETH_HLEN, *pn = p->data + N2N_AT;
	uint8_t *ip, *n;

	frame_init(w);
	frame_eth_macs(w, p->data + MAC_SIZE, p->data, ETH_P_IP);
	w->l3_off = w->len;
	w->ip_version = 4;
	frame_put(w, pip, IPV4_HLEN);
	ip = w->data + w->l3_off;
	ip[8] = 64;
	memcpy(ip + 12, pip + 16, 4);
	memcpy(ip + 16, to->ip, 4);
	w->l4_off = w->len;
	w->has_udp = 1;
	frame_udp(w, SN_PORT, to->port);
	n = w->data + w->len;
	frame_put(w, pn, N2N_PACKET_OFF_SOCK);
	n[N2N_COMMON_OFF_TTL]--;
	n[N2N_COMMON_OFF_FLAGS + 1] |= N2N_FLAGS_SOCKET |
				       N2N_FLAGS_FROM_SUPERNODE;
	frame_put_be16(w, 0); /* AF_INET, as n2n encodes it */
	frame_put(w, pip + IPV4_HLEN, 2);
	frame_put(w, pip + 12, 4);
	frame_put(w, pn + N2N_PACKET_OFF_SOCK,
		  p->len - N2N_AT - N2N_PACKET_OFF_SOCK);
	frame_finish(w);
}

/* ---- maps ---- */

/* he_keys' entry for community as xdp_relay_loader_he_set() writes it,
 * with the clock offset off; on 0 for an entry whose keys are not in use. */
static int set_keys(const struct xdp_relay *skel, const char *community,
		    const struct he_keys *k, __s64 off, int on)
{
	struct n2nk_relay_community key;
	struct n2nk_he v = { 0 };
	int err;

	memset(&key, 0, sizeof(key));
	strncpy((char *)key.name, community, N2N_COMMUNITY_SIZE - 1);
	err = he_kernel_keys(&v, k);
	if (err)
		return err;
	v.utc_off_ns = off;
	v.on = (uint8_t)on;
	return bpf_map__update_elem(skel->maps.he_keys, &key, sizeof(key), &v,
				    sizeof(v), BPF_ANY);
}

static int del_keys(const struct xdp_relay *skel, const char *community)
{
	struct n2nk_relay_community key;

	memset(&key, 0, sizeof(key));
	strncpy((char *)key.name, community, N2N_COMMUNITY_SIZE - 1);
	return bpf_map__delete_elem(skel->maps.he_keys, &key, sizeof(key), 0);
}

/* The relay's replay record of an edge: 0, or -ENOENT when it has none. */
static int get_record(const struct xdp_relay *skel, const struct edge_def *e,
		      uint64_t *stamp)
{
	struct n2nk_relay_edge k;

	relay_put_edge_key(&k, e->community, e->mac);
	return bpf_map__lookup_elem(skel->maps.he_stamps, &k, sizeof(k), stamp,
				    sizeof(*stamp), 0);
}

/* The sender's record set to stamp, as a seed or an earlier PACKET. */
static int set_record(const struct xdp_relay *skel, const struct edge_def *e,
		      uint64_t stamp)
{
	struct n2nk_relay_edge k;

	relay_put_edge_key(&k, e->community, e->mac);
	return bpf_map__update_elem(skel->maps.he_stamps, &k, sizeof(k), &stamp,
				    sizeof(stamp), BPF_ANY);
}

/* he_stamps emptied: a case starts from no record. */
static int forget_stamps(const struct xdp_relay *skel)
{
	const struct bpf_map *m = skel->maps.he_stamps;
	struct n2nk_relay_edge k;
	int n = 0;

	while (!bpf_map__get_next_key(m, NULL, &k, sizeof(k)))
		if (n++ > 1000 || bpf_map__delete_elem(m, &k, sizeof(k), 0))
			return -1;
	return 0;
}

static int stamps_empty(const struct xdp_relay *skel)
{
	struct n2nk_relay_edge k;

	return bpf_map__get_next_key(skel->maps.he_stamps, NULL, &k,
				     sizeof(k)) != 0;
}

/* Every edge registered where the cases expect it, the -H keys loaded. */
static int fill_maps(const struct xdp_relay *skel)
{
	const struct edge_def *e;
	size_t i;
	int err;

	keys_of(&keys_he, HE_COMM);
	keys_of(&keys_other, OTHER_COMM);
	keys_of(&keys_plain, PLAIN_COMM);
	keys_of(&keys_off, OFF_COMM);
	keys_of(&keys_vec, VECTORS_COMM);
	clock_off = he_kernel_utc_offset_ns();
	err = relay_set_local(skel, sn_ip);
	for (i = 0; !err && i < sizeof(registered) / sizeof(registered[0]);
	     i++) {
		e = registered[i];
		err = relay_set_sender(skel, e->ip, e->port, e->community,
				       e->mac);
		if (!err)
			err = relay_set_edge(skel, e->community, e->mac, e->ip,
					     e->port);
	}
	if (!err)
		err = set_keys(skel, HE_COMM, &keys_he, clock_off, 1);
	if (!err)
		err = set_keys(skel, OTHER_COMM, &keys_other, clock_off, 1);
	if (!err)
		err = set_keys(skel, OFF_COMM, &keys_off, clock_off, 0);
	return err;
}

/* ---- runs ---- */

struct run_out {
	uint32_t verdict;
	uint8_t data[OUT_MAX];
	uint32_t len;
	uint32_t duration; /* ns, as the kernel measured the run */
};

static int run_prog(const struct xdp_relay *skel, const uint8_t *frame,
		    size_t len, struct run_out *out)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame,
		    .data_size_in = len, .data_out = out->data,
		    .data_size_out = sizeof(out->data), .repeat = 1);
	int err;

	err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.xdp_relay),
				     &opts);
	if (err)
		return err;
	out->verdict = opts.retval;
	out->len = opts.data_size_out;
	out->duration = opts.duration;
	return 0;
}

static int read_stats(const struct xdp_relay *skel,
		      struct n2nk_xdp_counter sum[N2NK_REASON_SLOTS])
{
	uint32_t slot;
	int err;

	for (slot = 0; slot < N2NK_REASON_SLOTS; slot++) {
		err = xdp_counter_sum(skel->maps.relay_stats, slot, &sum[slot]);
		if (err)
			return err;
	}
	return 0;
}

/* The relay column's verdict as the action the program returns with no
 * AF_XDP socket bound (DAEMON falls back to XDP_PASS). */
static uint32_t xdp_action_of(int reason)
{
	switch (n2nk_verdict(N2NK_LAYER_RELAY, reason)) {
	case N2NK_VERDICT_OK:
		return XDP_TX;
	case N2NK_VERDICT_DAEMON:
	case N2NK_VERDICT_STACK:
		return XDP_PASS;
	case N2NK_VERDICT_DROP:
	case N2NK_VERDICT_NONE:
		break;
	}
	return XDP_DROP;
}

/*
 * Runs the program once on frame; *reason is what it counted: exactly one
 * frame of len bytes in exactly one relay_stats slot, else an error.
 */
static int run_counted(const struct xdp_relay *skel, const char *name,
		       const uint8_t *frame, size_t len, struct run_out *out,
		       int *reason)
{
	struct n2nk_xdp_counter before[N2NK_REASON_SLOTS];
	struct n2nk_xdp_counter after[N2NK_REASON_SLOTS];
	uint64_t packets, bytes;
	uint32_t slot;
	int err, n = 0;

	err = read_stats(skel, before);
	if (!err)
		err = run_prog(skel, frame, len, out);
	if (!err)
		err = read_stats(skel, after);
	if (err) {
		fail(name, "test run: %s", strerror(-err));
		return -1;
	}
	for (slot = 0; slot < N2NK_REASON_SLOTS; slot++) {
		packets = after[slot].packets - before[slot].packets;
		bytes = after[slot].bytes - before[slot].bytes;
		if (!packets && !bytes)
			continue;
		if (packets != 1 || bytes != len)
			n = 2;
		*reason = -(int)slot;
		n++;
	}
	if (n != 1) {
		fail(name, "relay_stats did not count the frame once");
		return -1;
	}
	return 0;
}

/* One run, which must be counted as reason with the action it names. */
static int probe(const struct xdp_relay *skel, const char *name,
		 const struct frame *f, int want, struct run_out *out)
{
	int got;

	if (run_counted(skel, name, f->data, f->len, out, &got))
		return -1;
	if (got != want) {
		fail(name, "counted as %s, want %s (verdict %u)",
		     n2nk_reason_name(got), n2nk_reason_name(want),
		     out->verdict);
		return -1;
	}
	if (out->verdict != xdp_action_of(want)) {
		fail(name, "verdict %u, want %u", out->verdict,
		     xdp_action_of(want));
		return -1;
	}
	return 0;
}

/* A frame handed on must be the input, byte for byte. */
static int check_unchanged(const char *name, const struct frame *in,
			   const struct run_out *out)
{
	long at;

	if (out->len != in->len) {
		fail(name, "handed on %u bytes, %zu came in", out->len,
		     in->len);
		return -1;
	}
	at = first_diff(out->data, in->data, in->len);
	if (at >= 0) {
		fail(name,
		     "handed on changed: byte %ld is 0x%02x, came in as "
		     "0x%02x",
		     at, out->data[at], in->data[at]);
		return -1;
	}
	return 0;
}

/* ---- relayed ---- */

/* The plaintext relay of p (he_keys' entry taken away for the run) must
 * be w: the oracle agrees with the program's plaintext path. */
static int plain_relay_is(const struct xdp_relay *skel, const char *name,
			  const struct frame *p, const struct frame *w)
{
	static struct run_out out;
	long at;
	int err;

	err = del_keys(skel, HE_COMM);
	if (!err)
		err = run_prog(skel, p->data, p->len, &out);
	if (set_keys(skel, HE_COMM, &keys_he, clock_off, 1) || err) {
		fail(name, "plaintext run: %s", strerror(-err));
		return -1;
	}
	if (out.verdict != XDP_TX || out.len != w->len) {
		fail(name, "plaintext relay: verdict %u, %u bytes (want %zu)",
		     out.verdict, out.len, w->len);
		return -1;
	}
	at = first_diff(out.data, w->data, w->len);
	if (at >= 0) {
		fail(name, "plaintext relay differs from n2n's at byte %ld",
		     at);
		return -1;
	}
	return 0;
}

/*
 * s, the sealed p from `from` to `to`, must leave as the plaintext relay
 * sends p on: the same Ethernet, IP and UDP headers, the same n2n packet
 * once opened with the community's keys, sealed with H 46 and the relay's
 * own stamp (within STAMP_SLACK_USEC of our clock, so not the input's).
 * The sender's replay record must then be want_record; the output's
 * random bits go to *random32.
 */
static int check_relayed(const struct xdp_relay *skel, const char *name,
			 const struct frame *p, const struct frame *s,
			 const struct edge_def *from, const struct edge_def *to,
			 uint64_t want_record, uint32_t *random32)
{
	static uint8_t plain[N2N_PKT_BUF_SIZE];
	static struct run_out out;
	static struct frame w;
	char comm[N2N_COMMUNITY_SIZE];
	struct he_result res;
	uint64_t t0, t1, got, record = 0;
	const uint8_t *ip = out.data + ETH_HLEN;
	size_t n2n_len;
	long at;

	expect_relayed(&w, p, to);
	if (plain_relay_is(skel, name, p, &w))
		return -1;
	t0 = realtime_usec();
	if (probe(skel, name, s, N2NK_OK, &out))
		return -1;
	t1 = realtime_usec();
	if (out.len != w.len) {
		fail(name, "relayed %u bytes from %zu, want %zu", out.len,
		     s->len, w.len);
		return -1;
	}
	/* All but the UDP checksum, which covers the sealed header. */
	at = first_diff(out.data, w.data, N2N_AT - 2);
	if (at >= 0 || inet_csum(ip, IPV4_HLEN) != 0 ||
	    frame_udp_csum_ok(out.data, out.len) !=
		    frame_udp_csum_ok(s->data, s->len)) {
		fail(name,
		     "Ethernet/IP/UDP headers not the plaintext relay's "
		     "(byte %ld)",
		     at);
		return -1;
	}
	name20(comm, HE_COMM);
	n2n_len = out.len - N2N_AT;
	if (he_decrypt(plain, out.data + N2N_AT, n2n_len, comm, &keys_he,
		       &res)) {
		fail(name, "the relayed packet does not open with its keys");
		return -1;
	}
	if (res.hdr_len != N2N_PACKET_HDR_SIZE_SOCK) {
		fail(name, "sealed with H %zu, want %d", res.hdr_len,
		     N2N_PACKET_HDR_SIZE_SOCK);
		return -1;
	}
	at = first_diff(plain, w.data + N2N_AT, n2n_len);
	if (at >= 0) {
		fail(name,
		     "opened, differs from the plaintext relay at n2n byte "
		     "%ld: 0x%02x, want 0x%02x",
		     at, plain[at], w.data[N2N_AT + at]);
		return -1;
	}
	got = stamp_usec(res.stamp);
	if (got + STAMP_SLACK_USEC < t0 || got > t1 + STAMP_SLACK_USEC) {
		fail(name, "stamp %.6f s, our clock read %.6f s",
		     (double)got / USEC, (double)t0 / USEC);
		return -1;
	}
	if (get_record(skel, from, &record) || record != want_record) {
		fail(name, "sender's record %#llx, want %#llx",
		     (unsigned long long)record,
		     (unsigned long long)want_record);
		return -1;
	}
	*random32 = res.random32;
	return 0;
}

/* The spec's PACKET sealed with the sender's keys and stamp; 0 or -1. */
static int build_sealed(struct frame *p, struct frame *s,
			const struct he_spec *spec, uint64_t stamp,
			uint32_t random32)
{
	build_plain(p, spec);
	*s = *p;
	return seal(s, N2N_PACKET_HDR_SIZE, stamp, random32, &keys_he);
}

/* Lengths where the checksum's 64-byte reads and 8-byte lanes turn,
 * before and after the 8 bytes the relay adds. */
static const size_t edge_lengths[] = { 0,  1,  2,  7,  8,  9,  17, 18,	19,
				       25, 26, 27, 82, 89, 90, 91, 1400 };

#define N_EDGE_LENGTHS (sizeof(edge_lengths) / sizeof(edge_lengths[0]))

/*
 * SEALED_RUNS PACKETs between A and B, both ways, every length from the
 * list then random ones up to PAYLOAD_MAX, TTLs 1..255, random
 * compression and transform bytes, IP IDs, DF on and off.
 */
static int run_sealed_many(const struct xdp_relay *skel)
{
	static struct frame p, s;
	uint32_t x = 0x6e3248, random32 = 0, same_random = 0;
	struct he_spec spec;
	uint64_t stamp;
	char name[160];
	int i;

	if (forget_stamps(skel))
		return -1;
	for (i = 0; i < SEALED_RUNS; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		spec = spec_from(i & 1 ? &edge_b : &edge_a);
		spec.payload_len = i < (int)N_EDGE_LENGTHS
					   ? edge_lengths[i]
					   : x % (PAYLOAD_MAX + 1);
		spec.ttl = 1 + (x >> 3) % 255;
		spec.compression = (x >> 11) % 4;
		spec.transform = (uint8_t)(x >> 13);
		spec.ip_id = (uint16_t)(x >> 16);
		spec.no_df = (x >> 21) & 1;
		spec.seed = x;
		snprintf(name, sizeof(name),
			 "relay -H: sealed PACKET %d (%s, payload %zu, TTL "
			 "%u)",
			 i, i & 1 ? "B to A" : "A to B", spec.payload_len,
			 spec.ttl);
		stamp = stamp_now(-(int64_t)INPUT_AGE_USEC);
		if (build_sealed(&p, &s, &spec, stamp, x)) {
			fail(name, "he_encrypt() refused it");
			return -1;
		}
		if (check_relayed(skel, name, &p, &s, spec.from,
				  i & 1 ? &edge_a : &edge_b, stamp, &random32))
			return -1;
		same_random += random32 == x;
	}
	/* New random bits: the input's could come back once by chance. */
	if (same_random > 1) {
		fail("relay -H",
		     "%u of %d relayed kept the input's random bits",
		     same_random, SEALED_RUNS);
		return -1;
	}
	return 0;
}

/* The most -H seals (N2N_PKT_BUF_SIZE) once relayed, and 1 byte more. */
static int run_largest(const struct xdp_relay *skel, const char *name, int over)
{
	static struct frame p, s;
	static struct run_out out;
	struct he_spec spec = spec_from(&edge_a);
	uint64_t stamp = stamp_now(-(int64_t)INPUT_AGE_USEC);
	uint32_t random32;

	if (forget_stamps(skel))
		return -1;
	spec.payload_len = N2N_PKT_BUF_SIZE - N2N_SOCK_SIZE_V4 -
			   N2N_PACKET_HDR_SIZE + over;
	if (build_sealed(&p, &s, &spec, stamp, 0x1a56e)) {
		fail(name, "he_encrypt() refused it");
		return -1;
	}
	if (!over)
		return check_relayed(skel, name, &p, &s, &edge_a, &edge_b,
				     stamp, &random32);
	if (probe(skel, name, &s, N2NK_HEADER_ENCRYPTED, &out))
		return -1;
	return check_unchanged(name, &s, &out);
}

/* ---- refused ---- */

enum seal_with {
	SEAL_OWN,
	SEAL_OTHER,
	SEAL_NONE
};
enum flip {
	FLIP_NONE,
	FLIP_PAYLOAD,
	FLIP_IV
};

struct he_case {
	const char *name;
	const struct edge_def *from;
	const uint8_t *src_mac; /* NULL: the sender's */
	const uint8_t *dst_mac; /* NULL: the sender's peer */
	uint16_t flags;		/* added to PACKET's */
	int ttl_0;
	int seal_with;
	int64_t age_ms; /* the stamp this long before now (< 0: ahead) */
	int flip;
	int registration; /* a REGISTER, H the whole message */
	size_t hdr_len;	  /* a PACKET sealed with this H, not 38 */
	int reason;
};

static const struct he_keys *seal_keys(const struct he_case *c)
{
	if (c->seal_with == SEAL_OTHER)
		return &keys_other;
	if (c->from == &edge_c)
		return &keys_plain;
	if (c->from == &edge_e)
		return &keys_off;
	return &keys_he;
}

/* A REGISTER from A to B as n2n 3.1.1 encodes one: cookie, MACs, the
 * tunnel address and description; H is all of it (61 bytes). */
static void build_register(struct frame *f)
{
	static const uint8_t dev_addr[5] = { 198, 19, 0, 2, 24 };

	frame_init(f);
	frame_eth_macs(f, sn_eth, router_eth, ETH_P_IP);
	frame_ipv4(f, IPPROTO_UDP);
	frame_ipv4_addrs(f, a_ip, sn_ip);
	frame_udp(f, A_PORT, SN_PORT);
	frame_n2n_common(f, N2N_PKT_VERSION, N2N_MSG_REGISTER, HE_COMM);
	frame_put_be32(f, 0x6e324b01);
	frame_put(f, mac_a, MAC_SIZE);
	frame_put(f, mac_b, MAC_SIZE);
	frame_put(f, dev_addr, sizeof(dev_addr));
	frame_put_zeros(f, 16);
	memcpy(f->data + f->len - 16, "edge-a", 6);
	frame_finish(f);
}

static int build_case(const struct he_case *c, struct frame *f)
{
	struct he_spec spec = spec_from(c->from);
	uint64_t stamp = stamp_now(-c->age_ms * 1000);
	size_t h = N2N_PACKET_HDR_SIZE;

	if (c->registration) {
		build_register(f);
		h = f->len - N2N_AT;
	} else {
		if (c->src_mac)
			spec.src_mac = c->src_mac;
		if (c->dst_mac)
			spec.dst_mac = c->dst_mac;
		spec.flags_type |= c->flags;
		if (c->ttl_0)
			spec.ttl = 0;
		build_plain(f, &spec);
		if (c->hdr_len)
			h = c->hdr_len;
	}
	if (c->seal_with != SEAL_NONE &&
	    seal(f, h, stamp, 0x5eed, seal_keys(c)))
		return -1;
	if (c->flip == FLIP_PAYLOAD)
		f->data[f->len - 1] ^= 0x40;
	else if (c->flip == FLIP_IV)
		f->data[N2N_AT + 9] ^= 0x01;
	frame_finish(f);
	return 0;
}

static const struct he_case he_cases[] = {
	{ .name = "unknown sender socket: header_encrypted",
	  .from = &stranger,
	  .reason = N2NK_HEADER_ENCRYPTED },
	{ .name = "sender's community has no keys: header_encrypted",
	  .from = &edge_c,
	  .reason = N2NK_HEADER_ENCRYPTED },
	{ .name = "sender's community's keys not in use (on 0): "
		  "header_encrypted",
	  .from = &edge_e,
	  .reason = N2NK_HEADER_ENCRYPTED },
	{ .name = "sealed with another -H community's key: header_key",
	  .from = &edge_a,
	  .seal_with = SEAL_OTHER,
	  .reason = N2NK_HEADER_KEY },
	{ .name = "a payload byte flipped after sealing: header_key",
	  .from = &edge_a,
	  .flip = FLIP_PAYLOAD,
	  .reason = N2NK_HEADER_KEY },
	{ .name = "an IV byte flipped after sealing: header_key",
	  .from = &edge_a,
	  .flip = FLIP_IV,
	  .reason = N2NK_HEADER_KEY },
	{ .name = "a REGISTER sealed with H 61: not_packet",
	  .from = &edge_a,
	  .registration = 1,
	  .reason = N2NK_NOT_PACKET },
	/* H covers more than a PACKET header (relay.h: as a PACKET with
	 * its IV under the header, user/password): the daemon's. */
	{ .name = "a PACKET sealed with H 54: not_packet",
	  .from = &edge_a,
	  .hdr_len = N2N_PACKET_HDR_SIZE + 16,
	  .reason = N2NK_NOT_PACKET },
	{ .name = "FROM_SUPERNODE set: from_supernode",
	  .from = &edge_a,
	  .flags = N2N_FLAGS_FROM_SUPERNODE,
	  .reason = N2NK_FROM_SUPERNODE },
	{ .name = "stamp 20 s old: stamp",
	  .from = &edge_a,
	  .age_ms = 20000,
	  .reason = N2NK_STAMP },
	{ .name = "stamp 20 s ahead: stamp",
	  .from = &edge_a,
	  .age_ms = -20000,
	  .reason = N2NK_STAMP },
	{ .name = "plaintext PACKET in a -H community: dropped",
	  .from = &edge_a,
	  .seal_with = SEAL_NONE,
	  .reason = N2NK_PLAINTEXT_ON_HE },
	{ .name = "unknown destination MAC: unknown_dest",
	  .from = &edge_a,
	  .dst_mac = mac_x,
	  .reason = N2NK_UNKNOWN_DEST },
	{ .name = "broadcast destination: multicast_dest",
	  .from = &edge_a,
	  .dst_mac = mac_bcast,
	  .reason = N2NK_MULTICAST_DEST },
	{ .name = "multicast destination: multicast_dest",
	  .from = &edge_a,
	  .dst_mac = mac_mcast,
	  .reason = N2NK_MULTICAST_DEST },
	{ .name = "srcMac not the one registered at the socket: "
		  "spoofed_source",
	  .from = &edge_a,
	  .src_mac = mac_x,
	  .reason = N2NK_SPOOFED_SOURCE },
	{ .name = "TTL 0: dropped",
	  .from = &edge_a,
	  .ttl_0 = 1,
	  .reason = N2NK_TTL_EXPIRED },
};

#define N_HE_CASES (sizeof(he_cases) / sizeof(he_cases[0]))

/* From no record: counted as its reason, handed on as it came (or
 * dropped), and no record left behind. */
static int run_he_case(const struct xdp_relay *skel, const struct he_case *c,
		       const char *name)
{
	static struct run_out out;
	static struct frame f;

	if (forget_stamps(skel) || build_case(c, &f)) {
		fail(name, "cannot build the frame or empty he_stamps");
		return -1;
	}
	if (probe(skel, name, &f, c->reason, &out))
		return -1;
	if (!stamps_empty(skel)) {
		fail(name, "a replay record was taken from it");
		return -1;
	}
	if (n2nk_verdict(N2NK_LAYER_RELAY, c->reason) == N2NK_VERDICT_DROP)
		return 0;
	return check_unchanged(name, &f, &out);
}

/* ---- replays ---- */

/* One step of the replay sequence, all PACKETs from A to B. */
struct replay_frame {
	struct frame plain, sealed;
	uint64_t stamp;
};

static int make_replay_frame(struct replay_frame *r, uint64_t stamp,
			     uint32_t seed)
{
	struct he_spec spec = spec_from(&edge_a);

	spec.seed = seed;
	r->stamp = stamp;
	return build_sealed(&r->plain, &r->sealed, &spec, stamp, seed);
}

static int relayed_step(const struct xdp_relay *skel, const char *name,
			const struct replay_frame *r, uint64_t want_record)
{
	uint32_t random32;

	return check_relayed(skel, name, &r->plain, &r->sealed, &edge_a,
			     &edge_b, want_record, &random32);
}

/* Dropped as replayed, the record left where it was. */
static int replayed_step(const struct xdp_relay *skel, const char *name,
			 const struct replay_frame *r, uint64_t want_record)
{
	static struct run_out out;
	uint64_t record = 0;

	if (probe(skel, name, &r->sealed, N2NK_REPLAYED, &out))
		return -1;
	if (get_record(skel, &edge_a, &record) || record != want_record) {
		fail(name, "record %#llx, want %#llx",
		     (unsigned long long)record,
		     (unsigned long long)want_record);
		return -1;
	}
	return 0;
}

/*
 * A record ahead of our clock (a sender whose clock runs ahead, or a
 * forgery stamped ahead): what is behind it is a replay, dropped in the
 * kernel, not handed to the daemon, whose record never saw what the
 * kernel relayed. A record beyond the 16 s window (our clock stepped back
 * since) is no longer judged by, and the next PACKET replaces it.
 */
static void run_records_ahead(struct suite_tally *t,
			      const struct xdp_relay *skel)
{
	static struct replay_frame now_f, again;
	uint64_t now = realtime_usec(), ahead = ts_from_usec(now + 10 * USEC);
	uint64_t stale = ts_from_usec(now + 20 * USEC);

	if (make_replay_frame(&now_f, ts_from_usec(now), 6) ||
	    make_replay_frame(&again, ts_from_usec(now - USEC), 7) ||
	    set_record(skel, &edge_a, ahead)) {
		suite_record(t, "relay -H records ahead: set up", -1);
		return;
	}
	suite_record(
		t,
		"relay -H records ahead: the record 10 s ahead, a PACKET "
		"stamped now: dropped as replayed",
		replayed_step(skel, "behind a record ahead", &now_f, ahead));
	if (set_record(skel, &edge_a, stale)) {
		suite_record(t, "relay -H records ahead: set the record", -1);
		return;
	}
	suite_record(t,
		     "relay -H records ahead: the record 20 s ahead (beyond "
		     "the window): relayed, the record replaced",
		     relayed_step(skel, "behind a stale record", &now_f,
				  now_f.stamp));
	suite_record(t,
		     "relay -H records ahead: and one 1 s older after it: "
		     "dropped as replayed",
		     replayed_step(skel, "behind the new record", &again,
				   now_f.stamp));
}

/*
 * n2n's replay check of a PACKET at the supernode (ts_verify with
 * jitter): a stamp not newer than the sender's last one by more than
 * N2N_TS_JITTER (~160 ms) is a replay. So is a frame sent again once a
 * newer one went; the very same frame again right away is not (its stamp
 * equals the record: within the jitter, as stock n2n 3.1.1 accepts it).
 */
static void run_replays(struct suite_tally *t, const struct xdp_relay *skel)
{
	static struct replay_frame x, y, z, w, v;
	uint64_t now = realtime_usec();
	int err;

	err = forget_stamps(skel);
	if (!err)
		err = make_replay_frame(&x, ts_from_usec(now - 2 * USEC), 1);
	if (!err)
		err = make_replay_frame(&y, ts_from_usec(now - USEC), 2);
	if (!err)
		err = make_replay_frame(&z, ts_from_usec(now - 2 * USEC), 3);
	if (!err)
		err = make_replay_frame(
			&w, ts_from_usec(now - USEC - USEC / 10), 4);
	if (err) {
		suite_record(t, "relay -H replays: build the frames", -1);
		return;
	}
	suite_record(t, "relay -H replays: X (stamp now - 2 s) relayed",
		     relayed_step(skel, "X", &x, x.stamp));
	suite_record(t, "relay -H replays: Y (now - 1 s) relayed, record moved",
		     relayed_step(skel, "Y", &y, y.stamp));
	suite_record(t,
		     "relay -H replays: X again (1 s behind the record): "
		     "dropped as replayed",
		     replayed_step(skel, "X again", &x, y.stamp));
	suite_record(t,
		     "relay -H replays: Y again at once (stamp = record, "
		     "within n2n's jitter): relayed",
		     relayed_step(skel, "Y again", &y, y.stamp));
	suite_record(t,
		     "relay -H replays: a new PACKET 1 s older than the "
		     "last relayed: dropped as replayed",
		     replayed_step(skel, "Z", &z, y.stamp));
	suite_record(t,
		     "relay -H replays: a new PACKET 100 ms older (jitter): "
		     "relayed, record kept",
		     relayed_step(skel, "W", &w, y.stamp));
	if (make_replay_frame(&v, stamp_now(0), 5)) {
		suite_record(t, "relay -H replays: build V", -1);
		return;
	}
	suite_record(t,
		     "relay -H replays: a fresh PACKET after them: relayed, "
		     "record moved",
		     relayed_step(skel, "V", &v, v.stamp));
	run_records_ahead(t, skel);
}

/* ---- the stock n2n capture ---- */

/* One captured datagram, its frame and (if it opens) its plaintext. */
struct captured {
	struct udp_datagram d;
	const uint8_t *frame;
	size_t frame_len;
	int opened;
	struct he_result res;
	uint8_t plain[N2N_PKT_BUF_SIZE];
};

/* Every UDP datagram, opened with the capture's community key where it
 * will; how many, or -1. */
static int read_capture(struct capture_file *pf, struct captured *c, int max)
{
	char comm[N2N_COMMUNITY_SIZE];
	int n = 0, ret;

	name20(comm, VECTORS_COMM);
	while (n < max && (ret = capture_next_udp(pf, &c[n].d)) == 1) {
		if (!pf->ethernet)
			return -1;
		c[n].frame = c[n].d.frame;
		c[n].frame_len = c[n].d.frame_len;
		c[n].opened = !c[n].d.ipv6 &&
			      !he_decrypt(c[n].plain, c[n].d.payload,
					  c[n].d.len, comm, &keys_vec,
					  &c[n].res);
		n++;
	}
	return ret < 0 ? -1 : n;
}

static unsigned int msg_type(const struct captured *c)
{
	return c->plain[N2N_COMMON_OFF_FLAGS + 1] & N2N_FLAGS_TYPE_MASK;
}

/* An edge's -H PACKET to the supernode. */
static int is_edge_packet(const struct captured *c)
{
	return c->opened && c->d.dst_port == SN_PORT &&
	       c->res.hdr_len == N2N_PACKET_HDR_SIZE &&
	       msg_type(c) == N2N_MSG_PACKET &&
	       !(c->plain[N2N_COMMON_OFF_FLAGS + 1] &
		 (N2N_FLAGS_FROM_SUPERNODE | N2N_FLAGS_SOCKET));
}

/* The supernode's copy of in: the same MACs and payload, a socket. */
static int is_relayed_copy(const struct captured *in, const struct captured *c)
{
	return c->opened && c->d.src_port == SN_PORT &&
	       c->res.hdr_len == N2N_PACKET_HDR_SIZE_SOCK &&
	       msg_type(c) == N2N_MSG_PACKET &&
	       c->d.len == in->d.len + N2N_SOCK_SIZE_V4 &&
	       !memcmp(c->plain + N2N_PACKET_OFF_SRC_MAC,
		       in->plain + N2N_PACKET_OFF_SRC_MAC, 2 * MAC_SIZE) &&
	       !memcmp(c->plain + N2N_PACKET_HDR_SIZE_SOCK,
		       in->plain + N2N_PACKET_HDR_SIZE,
		       in->d.len - N2N_PACKET_HDR_SIZE);
}

/* he_keys' entry for the capture's community, our clock at its stamp. */
static int clock_at(const struct xdp_relay *skel, uint64_t stamp)
{
	__s64 off = (__s64)stamp_usec(stamp) * 1000 - tai_ns();

	return set_keys(skel, VECTORS_COMM, &keys_vec, off, 1);
}

/* One captured pair: registered as the supernode had them, then ours
 * opened must be stock's opened, byte for byte. */
static int capture_pair(const struct xdp_relay *skel, const struct captured *in,
			const struct captured *rel)
{
	static uint8_t plain[N2N_PKT_BUF_SIZE];
	static struct run_out out;
	const uint8_t *ip = out.data + ETH_HLEN, *udp = ip + IPV4_HLEN;
	char comm[N2N_COMMUNITY_SIZE];
	struct he_result res;
	int err, reason;

	err = relay_set_local(skel, in->d.dst_ip);
	if (!err)
		err = relay_set_sender(skel, in->d.src_ip, in->d.src_port,
				       VECTORS_COMM,
				       in->plain + N2N_PACKET_OFF_SRC_MAC);
	if (!err)
		err = relay_set_edge(skel, VECTORS_COMM,
				     in->plain + N2N_PACKET_OFF_DST_MAC,
				     rel->d.dst_ip, rel->d.dst_port);
	if (!err)
		err = clock_at(skel, in->res.stamp);
	if (err ||
	    run_counted(skel, CAPTURE, in->frame, in->frame_len, &out, &reason))
		return -1;
	if (reason != N2NK_OK || out.verdict != XDP_TX) {
		fail(CAPTURE, "PACKET: %s, verdict %u",
		     n2nk_reason_name(reason), out.verdict);
		return -1;
	}
	if (out.len != in->frame_len + N2N_SOCK_SIZE_V4 ||
	    inet_csum(ip, IPV4_HLEN) != 0 ||
	    memcmp(ip + 12, rel->d.src_ip, 4) ||
	    memcmp(ip + 16, rel->d.dst_ip, 4) ||
	    get_be16(ip + 2) != IPV4_HLEN + UDP_HLEN + rel->d.len ||
	    get_be16(udp) != rel->d.src_port ||
	    get_be16(udp + 2) != rel->d.dst_port ||
	    get_be16(udp + 4) != UDP_HLEN + rel->d.len) {
		fail(CAPTURE, "IP/UDP headers not as stock relayed them");
		return -1;
	}
	name20(comm, VECTORS_COMM);
	if (he_decrypt(plain, udp + UDP_HLEN, rel->d.len, comm, &keys_vec,
		       &res) ||
	    res.hdr_len != N2N_PACKET_HDR_SIZE_SOCK ||
	    memcmp(plain, rel->plain, rel->d.len)) {
		fail(CAPTURE, "opened, differs from stock's relayed copy");
		return -1;
	}
	return 0;
}

/* A stock-sealed datagram that is not a relayable PACKET (REGISTER_SUPER,
 * QUERY_PEER): to the daemon as not_packet, as it came. */
static int capture_other(const struct xdp_relay *skel, const struct captured *c)
{
	static const uint8_t none[MAC_SIZE];
	static struct run_out out;
	int err, reason;

	err = relay_set_local(skel, c->d.dst_ip);
	if (!err)
		err = relay_set_sender(skel, c->d.src_ip, c->d.src_port,
				       VECTORS_COMM, none);
	if (!err)
		err = clock_at(skel, c->res.stamp);
	if (err ||
	    run_counted(skel, CAPTURE, c->frame, c->frame_len, &out, &reason))
		return -1;
	if (reason != N2NK_NOT_PACKET || out.verdict != XDP_PASS ||
	    out.len != c->frame_len ||
	    memcmp(out.data, c->frame, c->frame_len)) {
		fail(CAPTURE,
		     "%s (H %zu, %zu bytes): %s, verdict %u, %s; want "
		     "not_packet, handed on as it came",
		     wire_msg_name(msg_type(c)), c->res.hdr_len, c->d.len,
		     n2nk_reason_name(reason), out.verdict,
		     out.len == c->frame_len &&
				     !memcmp(out.data, c->frame, c->frame_len)
			     ? "unchanged"
			     : "CHANGED");
		return -1;
	}
	return 0;
}

/*
 * Stock n2n 3.1.1's -H relay capture: each edge PACKET that the stock
 * supernode relayed (its copy found after it), and every other datagram
 * to the supernode that opens with the community's key.
 */
static void run_capture(struct suite_tally *t, const struct xdp_relay *skel)
{
	/* Static: a whole capture's datagrams, off the stack. */
	static struct captured c[MAX_DATAGRAMS];
	const char *dir = getenv("N2N_VECTORS");
	int n, i, j, pairs = 0, others = 0, closed = 0, bad_pairs = 0,
		     bad_others = 0;
	struct capture_file pf;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : VECTORS_DIR, CAPTURE);
	if (capture_open(&pf, path)) {
		fail(CAPTURE, "cannot read %s", path);
		suite_record(t, "relay -H: stock n2n 3.1.1 capture", -1);
		return;
	}
	n = read_capture(&pf, c, MAX_DATAGRAMS);
	for (i = 0; i < n; i++) {
		if (c[i].d.ipv6 || c[i].d.dst_port != SN_PORT)
			continue;
		if (!c[i].opened) {
			closed++;
			continue;
		}
		if (!is_edge_packet(&c[i])) {
			bad_others += capture_other(skel, &c[i]) != 0;
			others++;
			continue;
		}
		for (j = i + 1; j < n; j++)
			if (is_relayed_copy(&c[i], &c[j]))
				break;
		if (j == n)
			continue;
		bad_pairs += capture_pair(skel, &c[i], &c[j]) != 0;
		pairs++;
	}
	capture_close(&pf);
	if (n < 0) {
		fail(CAPTURE, "malformed capture %s", path);
		suite_record(t, "relay -H: stock n2n 3.1.1 capture", -1);
		return;
	}
	printf("     %s: %d unicast pairs relayed byte for byte%s\n", CAPTURE,
	       pairs - bad_pairs,
	       pairs ? ""
		     : " (it holds none: the stock supernode sent nothing "
		       "back)");
	printf("     %s: %d of %d other sealed datagrams to the supernode "
	       "handed on as not_packet, %d did not open with \"%s\"'s "
	       "key\n",
	       CAPTURE, others - bad_others, others, closed, VECTORS_COMM);
	suite_record(t,
		     "relay -H: stock n2n 3.1.1 capture, relayed PACKETs "
		     "opened equal stock's",
		     bad_pairs ? -1
		     : pairs   ? 0
			       : CASE_SKIPPED);
	suite_record(t,
		     "relay -H: stock n2n 3.1.1 capture, its registrations "
		     "and queries to the daemon as not_packet, unchanged",
		     bad_others || !others ? -1 : 0);
	/* The capture's records are years ahead of our clock. */
	forget_stamps(skel);
}

/* ---- cost ---- */

/*
 * Mean kernel-measured duration of COST_RUNS single runs relaying a
 * PACKET with a PAYLOAD_MAX-byte payload: -H (each run a frame sealed
 * anew with a fresh stamp, so every one is relayed: open, check, stamp,
 * rewrite, seal) and plaintext (C to D, no keys), the same way.
 */
static void print_cost(const struct xdp_relay *skel)
{
	static struct frame p, s, q;
	static struct run_out out;
	struct he_spec spec = spec_from(&edge_a);
	uint64_t he_ns = 0, plain_ns = 0;
	int i;

	spec.payload_len = PAYLOAD_MAX;
	build_plain(&p, &spec);
	spec = spec_from(&edge_c);
	spec.payload_len = PAYLOAD_MAX;
	build_plain(&q, &spec);
	if (forget_stamps(skel))
		return;
	for (i = 0; i < COST_RUNS; i++) {
		s = p;
		if (seal(&s, N2N_PACKET_HDR_SIZE, stamp_now(0), i, &keys_he) ||
		    run_prog(skel, s.data, s.len, &out) ||
		    out.verdict != XDP_TX)
			goto not_relayed;
		he_ns += out.duration;
		if (run_prog(skel, q.data, q.len, &out) ||
		    out.verdict != XDP_TX)
			goto not_relayed;
		plain_ns += out.duration;
	}
	printf("     cost: %.1f ns per -H PACKET relayed, %.1f ns per "
	       "plaintext one (%d-byte payload, %zu-byte datagram; mean of "
	       "%d single runs each, every -H one sealed anew)\n",
	       (double)he_ns / COST_RUNS, (double)plain_ns / COST_RUNS,
	       PAYLOAD_MAX, p.len - N2N_AT, COST_RUNS);
	return;
not_relayed:
	printf("     cost: run %d was not relayed (verdict %u)\n", i,
	       out.verdict);
}

/* ---- IPv6: edges P and Q of HE_COMM at IPv6 sockets ---- */

#define N2N6_AT (ETH_HLEN + 40 + UDP_HLEN)
#define P6_PORT 41006
#define Q6_PORT 41007

static const uint8_t sn6_ip[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
static const uint8_t p6_ip[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x61 };
static const uint8_t q6_ip[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x62 };
static const uint8_t mac_p[MAC_SIZE] = { 0x02, 0x68, 0x65, 0x00, 0x06, 0x01 };
static const uint8_t mac_q[MAC_SIZE] = { 0x02, 0x68, 0x65, 0x00, 0x06, 0x02 };

/* The n2n PACKET P sends Q (relayed: as the socket relay sends it on,
 * P's IPv6 socket inside), encoded by daemon/proto/wire.c. */
static ssize_t he6_packet(uint8_t *buf, size_t cap, bool relayed)
{
	static uint8_t payload[300];
	struct n2n_msg m = { 0 };
	size_t i;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 29 + 3);
	m.hdr.type = N2N_MSG_PACKET;
	m.hdr.ttl = relayed ? 1 : 2;
	strcpy(m.hdr.community, HE_COMM);
	mac_copy(m.u.packet.src_mac, mac_p);
	mac_copy(m.u.packet.dst_mac, mac_q);
	m.u.packet.transform = N2N_TRANSFORM_NULL;
	m.u.packet.payload = payload;
	m.u.packet.payload_len = sizeof(payload);
	if (relayed) {
		m.hdr.flags = N2N_FLAGS_SOCKET | N2N_FLAGS_FROM_SUPERNODE;
		m.u.packet.sock.ipv6 = true;
		m.u.packet.sock.port = P6_PORT;
		memcpy(m.u.packet.sock.addr, p6_ip, 16);
	}
	return wire_encode(buf, cap, &m);
}

/*
 * P's sealed PACKET to Q over IPv6 must leave relayed to Q, its UDP
 * checksum right, and open with HE_COMM's keys (H 58: the IPv6 socket)
 * to exactly what the socket relay sends.
 */
static int run_he6(const struct xdp_relay *skel, const char *name)
{
	static uint8_t want[N2N_PKT_BUF_SIZE], plain[N2N_PKT_BUF_SIZE];
	static struct run_out out;
	char comm[N2N_COMMUNITY_SIZE];
	struct he_result res;
	struct frame f;
	ssize_t n, w;

	if (relay_set_local6(skel, sn6_ip) ||
	    relay_set_sender6(skel, p6_ip, P6_PORT, HE_COMM, mac_p) ||
	    relay_set_edge6(skel, HE_COMM, mac_p, p6_ip, P6_PORT) ||
	    relay_set_sender6(skel, q6_ip, Q6_PORT, HE_COMM, mac_q) ||
	    relay_set_edge6(skel, HE_COMM, mac_q, q6_ip, Q6_PORT)) {
		fail(name, "IPv6 edges: %s", strerror(errno));
		return -1;
	}
	frame_init(&f);
	frame_eth(&f, ETH_P_IPV6);
	frame_ipv6(&f, IPPROTO_UDP);
	memcpy(f.data + f.l3_off + 8, p6_ip, 16);
	memcpy(f.data + f.l3_off + 24, sn6_ip, 16);
	frame_udp(&f, P6_PORT, SN_PORT);
	n = he6_packet(f.data + f.len, sizeof(f.data) - f.len, false);
	w = he6_packet(want, sizeof(want), true);
	if (n < 0 || w < 0)
		return -1;
	f.len += (size_t)n;
	if (he_encrypt(f.data + N2N6_AT, f.len - N2N6_AT, N2N_PACKET_HDR_SIZE,
		       stamp_now(0), 0x600d6, &keys_he))
		return -1;
	frame_finish(&f);
	if (probe(skel, name, &f, N2NK_OK, &out))
		return -1;
	if (out.len != f.len + N2N_SOCK_SIZE_V6 ||
	    frame_udp_csum_ok(out.data, out.len) != 1 ||
	    memcmp(out.data + ETH_HLEN + 24, q6_ip, 16)) {
		fail(name,
		     "relayed %u bytes from %zu, or its IPv6/UDP headers "
		     "wrong",
		     out.len, f.len);
		return -1;
	}
	name20(comm, HE_COMM);
	if (he_decrypt(plain, out.data + N2N6_AT, out.len - N2N6_AT, comm,
		       &keys_he, &res) ||
	    res.hdr_len != N2N_PACKET_HDR_SIZE + N2N_SOCK_SIZE_V6 ||
	    (ssize_t)(out.len - N2N6_AT) != w ||
	    memcmp(plain, want, (size_t)w)) {
		fail(name, "opened, not the socket relay's packet");
		return -1;
	}
	return 0;
}

void suite_xdp_relay_he(struct suite_tally *t)
{
	struct xdp_relay *skel = xdp_relay__open();
	const char *name_largest;
	char name[192];
	size_t i;

	if (skel) {
		skel->rodata->sn_port = SN_PORT;
		skel->rodata->next_hop = N2NK_RELAY_HOP_BACK; /* never leave */
		skel->rodata->next_hop6 = N2NK_RELAY_HOP_BACK;
		/* Random stamps: a sealed datagram whose real checksum looks
		 * partial (1 in 65535) would go to the daemon; no veth here. */
		skel->rodata->partial_csum = 0;
	}
	if (!skel || xdp_relay__load(skel) || fill_maps(skel)) {
		suite_record(t, "relay -H: load and fill maps", -1);
		xdp_relay__destroy(skel);
		return;
	}
	snprintf(name, sizeof(name),
		 "relay -H: %d sealed PACKETs A<->B (payload 0..%d, TTL "
		 "1..255) relayed as the plaintext relay, sealed anew",
		 SEALED_RUNS, PAYLOAD_MAX);
	suite_record(t, name, run_sealed_many(skel));
	name_largest = "relay -H: 2040-byte datagram relayed as 2048";
	suite_record(t, name_largest, run_largest(skel, name_largest, 0));
	name_largest = "relay -H: 2041-byte datagram (2049 once relayed): "
		       "header_encrypted, unchanged";
	suite_record(t, name_largest, run_largest(skel, name_largest, 1));
	for (i = 0; i < N_HE_CASES; i++) {
		snprintf(name, sizeof(name), "relay -H: %s", he_cases[i].name);
		suite_record(t, name, run_he_case(skel, &he_cases[i], name));
	}
	run_replays(t, skel);
	run_capture(t, skel);
	suite_record(t, "relay -H over IPv6: opened, relayed, sealed again",
		     run_he6(skel, "relay -H over IPv6"));
	print_cost(skel);
	xdp_relay__destroy(skel);
}
