// SPDX-License-Identifier: GPL-2.0-only
/*
 * Header encryption (-H) in the edge's kernel data path (bpf/lib/he.h):
 *
 *   edge_tx   sends what the daemon's encoder and he_encrypt() make of the
 *             frame, with the stamp and random bits the program chose
 *             (recovered with he_decrypt()), P2P and relayed;
 *   edge_rx   delivers the frame of a PACKET sealed by he_encrypt() (P2P,
 *             and relayed with a socket in the header), and hands on, as
 *             it came and counted by reason, what n2n's -H refuses: a
 *             stale or replayed stamp, another community's key, a packet
 *             whose checksum fails, plaintext in a -H community; and an
 *             unknown sender, whose header it had opened, put back.
 *
 * Under -A4 (ChaCha20) and -A1; the clock is the programs' (CLOCK_TAI and
 * he_conf's offset from it to CLOCK_REALTIME).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kernel/edge_loader.h"
#include "kernel/he_kernel.h"
#include "proto/header_crypt.h"
#include "proto/msg_io.h"
#include "proto/timestamp.h"
#include "suites.h"
#include "tc_edge_harness.h"

#define HE_COST_LEN 1400

static struct he_keys keys; /* COMMUNITY's */
static const char community[N2N_COMMUNITY_SIZE] = COMMUNITY;

static uint64_t realtime_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* he_conf as the daemon's loader writes it (on or off). */
static int set_he(const struct env *e, int on)
{
	struct n2nk_he he = { 0 };
	uint32_t zero = 0;
	char name[N2N_COMMUNITY_SIZE] = COMMUNITY;

	he_keys_from_community(&keys, name);
	memcpy(he.hdr.rk, keys.hdr.rk, sizeof(he.hdr.rk));
	memcpy(he.iv.rk, keys.iv.rk, sizeof(he.iv.rk));
	he.utc_off_ns = he_kernel_utc_offset_ns();
	he.on = (uint8_t)on;
	return bpf_map__update_elem(e->skel->maps.he_conf, &zero, sizeof(zero),
				    &he, sizeof(he), BPF_ANY);
}

/* he_stamps emptied: each transform's cases start from no record. */
static int forget_stamps(const struct env *e)
{
	const struct bpf_map *m = e->skel->maps.he_stamps;
	struct n2nk_edge_peer_key k;
	int n = 0;

	while (!bpf_map__get_next_key(m, NULL, &k, sizeof(k)) && n++ < 1000)
		if (bpf_map__delete_elem(m, &k, sizeof(k), 0))
			return -1;
	return 0;
}

/* The PACKET header's length in a datagram made from spec s. */
static size_t hdr_len_of(const struct pkt_spec *s)
{
	if (!(s->msg.flags & N2N_FLAGS_SOCKET))
		return N2N_PACKET_HDR_SIZE;
	return N2N_PACKET_HDR_SIZE +
	       (s->msg.sock.ipv6 ? N2N_SOCK_SIZE_V6 : N2N_SOCK_SIZE_V4);
}

/* ---- TX ---- */

/* The frame through edge_tx; the output must be the daemon's PACKET
 * sealed with the stamp and random bits it carries. */
static int tx_case(const struct env *e, const char *name,
		   const struct inner *in)
{
	static struct frame f;
	static struct run_out out;
	static uint8_t plain[N2N_PKT_BUF_SIZE], want[MSG_BUF_SIZE];
	struct msg_spec s = { .type = N2N_MSG_PACKET,
			      .community = COMMUNITY,
			      .src_mac = mac_ours,
			      .dst_mac = in->dst,
			      .compression = N2N_COMPRESSION_NONE };
	size_t len;
	struct he_result res;
	uint8_t iv[16];
	int64_t skew;
	ssize_t n;

	tce_build_inner(&f, e, in);
	if (tce_set_conf(e, NULL) || tce_run(e->tx, &f, NULL, 1, &out) ||
	    out.retval != TC_ACT_REDIRECT || out.len <= N2N_AT) {
		tce_fail(name, "not sent (verdict %u)", out.retval);
		return -1;
	}
	len = out.len - N2N_AT;
	if (he_decrypt(plain, out.data + N2N_AT, len, community, &keys, &res)) {
		tce_fail(name, "he_decrypt() refuses what edge_tx sent");
		return -1;
	}
	skew = (int64_t)(res.stamp - ts_from_usec(realtime_usec()));
	if (tce_sent_iv(e, plain + N2N_PACKET_HDR_SIZE, iv)) {
		tce_fail(name, "cannot recover the IV");
		return -1;
	}
	n = tce_encode_msg(e, &s, &f, iv, want, sizeof(want));
	if (n != (ssize_t)len || res.hdr_len != N2N_PACKET_HDR_SIZE ||
	    he_encrypt(want, len, res.hdr_len, res.stamp, res.random32,
		       &keys)) {
		tce_fail(name, "%zu bytes, header %zu; the daemon's %zd", len,
			 res.hdr_len, n);
		return -1;
	}
	if (memcmp(want, out.data + N2N_AT, len)) {
		tce_fail(name, "differs from the daemon's sealed PACKET");
		return -1;
	}
	if (skew < -(int64_t)(2ull << 32) || skew > (int64_t)(2ull << 32)) {
		tce_fail(name, "stamp %lld s off the clock",
			 (long long)(skew >> 32));
		return -1;
	}
	return 0;
}

/* ---- RX ---- */

struct he_rx_case {
	const char *name;
	int relayed;
	int64_t age_s; /* the stamp this many seconds before now (< 0: after) */
	int other_key; /* sealed with another community's key */
	int flip_byte; /* a payload byte changed after sealing */
	int plaintext; /* not sealed at all */
	int unknown_src; /* from a MAC the maps do not have */
	int inner_other; /* its frame from another MAC than srcMac */
	int sock_ipv6;	 /* relayed: an IPv6 socket in the header (H 58) */
	int seed_now;	 /* the daemon's record for the sender seeded: now */
	int64_t seed_ahead_s; /* with seed_now: that many seconds ahead */
	size_t hdr_len;	      /* sealed with this H, not the header's */
	int reason;
	long inner_len; /* 0: the spec's */
};

/* The datagram of c, sealed as its sender would. */
static int build(const struct env *e, const struct he_rx_case *c,
		 struct frame *f, struct frame *inner, struct pkt_spec *s)
{
	static const uint8_t stranger[6] = { 0x02, 0x0e, 0x0e, 0, 0, 9 };
	struct he_keys other;
	char name[N2N_COMMUNITY_SIZE] = "not-" COMMUNITY;
	uint64_t stamp;

	if (c->relayed)
		tce_relayed_spec(s);
	else
		tce_p2p_spec(s);
	if (c->unknown_src)
		s->msg.src_mac = stranger, s->inner.src = stranger;
	if (c->inner_len)
		s->inner.len = c->inner_len;
	if (c->inner_other)
		s->inner.src = stranger;
	if (c->sock_ipv6) {
		s->msg.sock.ipv6 = true;
		memset(s->msg.sock.addr, 0x20, 16);
	}
	if (tce_build_datagram(f, inner, e, s))
		return -1;
	he_keys_from_community(&other, name);
	stamp = ts_from_usec(realtime_usec() - (uint64_t)c->age_s * 1000000);
	if (!c->plaintext &&
	    he_encrypt(f->data + N2N_AT, f->len - N2N_AT,
		       c->hdr_len ? c->hdr_len : hdr_len_of(s), stamp, 0x5eed,
		       c->other_key ? &other : &keys))
		return -1;
	if (c->flip_byte)
		f->data[f->len - 1] ^= 0x40;
	frame_finish(f); /* the UDP checksum over what is now there */
	return 0;
}

static int rx_case(const struct env *e, const struct he_rx_case *c,
		   const char *name)
{
	struct probe p = { name, N2NK_LAYER_EDGE_RX, c->reason, NULL };
	static struct frame f, inner;
	static struct probed r;
	struct pkt_spec s;
	int ret;

	if (build(e, c, &f, &inner, &s) || tce_set_conf(e, NULL) ||
	    (c->seed_now &&
	     edge_stamps_seed(e->skel->maps.he_stamps,
			      c->relayed ? NULL : s.msg.src_mac,
			      ts_from_usec(realtime_usec() +
					   c->seed_ahead_s * 1000000)))) {
		tce_fail(name, "cannot build the datagram or seed the record");
		return -1;
	}
	ret = tce_probe(e, &p, &f, &r);
	if (ret)
		return ret;
	if (c->reason == N2NK_OK)
		return tce_check_same(name, &r.out, &inner, "the inner frame");
	if (n2nk_verdict(N2NK_LAYER_EDGE_RX, c->reason) == N2NK_VERDICT_DROP)
		return 0; /* gone: what is left of it goes nowhere */
	return tce_check_same(name, &r.out, &f, "the input");
}

static const struct he_rx_case rx_cases[] = {
	{ .name = "P2P, sealed now", .reason = N2NK_OK },
	/* Before the kernel has a record of the supernode: the daemon took
	 * one now (edge_loader_stamp_seed), so one 1 s old is a replay. */
	{ .name = "relayed, 1 s old, the daemon's record (now) seeded",
	  .relayed = 1,
	  .seed_now = 1,
	  .age_s = 1,
	  .reason = N2NK_REPLAYED },
	{ .name = "relayed (socket in the header), sealed now",
	  .relayed = 1,
	  .reason = N2NK_OK },
	{ .name = "P2P, a stamp 2 s older than the last one (replay)",
	  .age_s = 2,
	  .reason = N2NK_REPLAYED },
	{ .name = "relayed, an IPv6 socket in the header (H 58)",
	  .relayed = 1,
	  .sock_ipv6 = 1,
	  .reason = N2NK_OK },
	{ .name = "P2P, sealed with H 65, more than a PACKET header has",
	  .hdr_len = 65,
	  .reason = N2NK_NOT_PACKET },
	/* A forged header (the community name gives its keys) with a stamp
	 * ahead, whose frame fails: the sender's real PACKETs still pass. */
	{ .name = "P2P, a stamp 10 s ahead, its frame not from srcMac",
	  .age_s = -10,
	  .inner_other = 1,
	  .reason = N2NK_INNER_SOURCE },
	{ .name = "P2P, sealed now, after that one: delivered",
	  .reason = N2NK_OK },
	{ .name = "relayed, a stamp 20 s old",
	  .relayed = 1,
	  .age_s = 20,
	  .reason = N2NK_STAMP },
	{ .name = "another community's key",
	  .other_key = 1,
	  .reason = N2NK_HEADER_ENCRYPTED },
	{ .name = "a payload byte changed after sealing",
	  .flip_byte = 1,
	  .reason = N2NK_HEADER_KEY },
	{ .name = "plaintext in a -H community",
	  .plaintext = 1,
	  .reason = N2NK_PLAINTEXT_ON_HE },
	{ .name = "an unknown sender (header opened, put back)",
	  .unknown_src = 1,
	  .reason = N2NK_UNKNOWN_SENDER },
	/* A frame the sender (or anyone, with -A1 and the name) sealed 10 s
	 * ahead moves our record there; later ones are then replays until
	 * the clock gets there, as in n2n: handing them to the daemon, whose
	 * record never saw what the kernel took, would let replays through. */
	{ .name = "P2P, delivered with a stamp 10 s ahead",
	  .age_s = -10,
	  .reason = N2NK_OK },
	{ .name = "P2P, sealed now after that: dropped as a replay",
	  .reason = N2NK_REPLAYED },
	/* A record beyond the 16 s window (our clock stepped back since):
	 * no longer judged by, as n2n after a restart. */
	{ .name = "P2P, sealed now, the record 20 s ahead: delivered",
	  .seed_now = 1,
	  .seed_ahead_s = 20,
	  .reason = N2NK_OK },
	{ .name = "P2P, the same stamp's PACKET 1 s older after it: replayed",
	  .age_s = 1,
	  .reason = N2NK_REPLAYED },
};

/* ns per 1400-byte frame through edge_tx and edge_rx with -H (mean of
 * single runs: each leaves the skb changed). */
static void print_cost(const struct env *e, const char *label)
{
	static const struct he_rx_case now = { .name = "cost",
					       .inner_len = HE_COST_LEN };
	static const struct inner in = TO(IN_TCP4, mac_p2p, HE_COST_LEN);
	static struct frame f, dgram, inner;
	static struct run_out out;
	uint64_t tx = 0, rx = 0;
	struct pkt_spec s;
	int i, runs = 1000;

	tce_build_inner(&f, e, &in);
	if (build(e, &now, &dgram, &inner, &s))
		return;
	for (i = 0; i < runs; i++) {
		if (tce_run(e->tx, &f, NULL, 1, &out))
			return;
		tx += out.duration;
		if (tce_run(e->rx, &dgram, NULL, 1, &out))
			return;
		rx += out.duration;
	}
	printf("     cost %s: edge_tx %llu ns, edge_rx %llu ns per %d-byte "
	       "frame (mean of %d single runs)\n",
	       label, (unsigned long long)(tx / runs),
	       (unsigned long long)(rx / runs), HE_COST_LEN, runs);
}

static void run_env(struct suite_tally *t, struct tc_edge *skel,
		    enum n2n_transform_id id, const char *label)
{
	/* n2n packets (-A1) of 128 +- 1 bytes: the checksum's chunk edge */
	static const struct inner tx_in[] = {
		TO(IN_TCP4, mac_p2p, HE_COST_LEN),
		TO(IN_UDP4, mac_relayed, 300),
		TO(IN_UDP4, mac_p2p, 42),
		TO(IN_UDP4, mac_p2p, 89),
		TO(IN_UDP4, mac_p2p, 90),
		TO(IN_UDP4, mac_p2p, 91),
	};
	static struct env e;
	char name[192];
	size_t i;

	if (id == N2N_TRANSFORM_AES && !edge_aes_kernel_has_kfuncs()) {
		suite_record(t, "edge -A3 -H: the kernel has no crypto kfuncs",
			     CASE_SKIPPED);
		return;
	}
	if (tce_env_init(&e, skel, id, label) || set_he(&e, 1) ||
	    forget_stamps(&e)) {
		suite_record(t, "edge -H: keys and transform", -1);
		edge_aes_close(e.aes);
		return;
	}
	for (i = 0; i < sizeof(tx_in) / sizeof(tx_in[0]); i++) {
		snprintf(name, sizeof(name),
			 "edge_tx %s: %s %ld bytes, as the daemon seals it",
			 label, tx_in[i].dst == mac_p2p ? "P2P" : "relayed",
			 tx_in[i].len);
		suite_record(t, name, tx_case(&e, name, &tx_in[i]));
	}
	for (i = 0; i < sizeof(rx_cases) / sizeof(rx_cases[0]); i++) {
		snprintf(name, sizeof(name), "edge_rx %s: %s", label,
			 rx_cases[i].name);
		suite_record(t, name, rx_case(&e, &rx_cases[i], name));
	}
	if (!forget_stamps(&e)) /* the cases left a record 10 s ahead */
		print_cost(&e, label);
	set_he(&e, 0);
	edge_aes_close(e.aes);
	transform_fini(&e.tf);
}

void suite_tc_edge_he(struct suite_tally *t)
{
	struct tc_edge *skel = tce_load();

	if (!skel) {
		suite_record(t, "edge -H: load tc_edge and fill its maps", -1);
		return;
	}
	run_env(t, skel, N2N_TRANSFORM_CHACHA20, "-A4 -H");
	run_env(t, skel, N2N_TRANSFORM_NULL, "-A1 -H");
	run_env(t, skel, N2N_TRANSFORM_AES, "-A3 -H");
	tc_edge__destroy(skel);
}
