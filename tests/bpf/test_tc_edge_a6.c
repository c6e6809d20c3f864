// SPDX-License-Identifier: GPL-2.0-only
/*
 * -A6 in the edge's kernel path (bpf/lib/edge_a6.h) under PROG_TEST_RUN,
 * against libsodium: a frame edge_tx seals opens with
 * crypto_aead_chacha20poly1305_ietf_decrypt under the contract's nonce,
 * AD and DATA header (include/n2nk_session.h); a libsodium-sealed DATA
 * frame, direct or relayed, is delivered by edge_rx as the inner frame;
 * and each way a frame goes to the daemon or is dropped is its reason's:
 * replayed, bit flipped, unknown index, keepalive, handshake, no or
 * spent sending session, a group MAC.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <arpa/inet.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sodium.h>

#include "n2nk_session.h"
#include "suites.h"
#include "tc_edge_harness.h"

#define A6_TX_SLOT   5
#define A6_REMOTE    0x11223344u /* the peer's receiver index */
#define A6_LOCAL     0x0000abcdu /* ours, for frames from the P2P peer */
#define A6_LOCAL_REL 0x0000abceu /* ours, for the relayed peer */
#define A6_DATA_AT   (N2N_AT + N2N_PACKET_HDR_SIZE)

static uint8_t tx_key[32], rx_key[32], rx_key_rel[32];

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void a6_conf(struct n2nk_edge_conf *c)
{
	c->transform = N2NK_TRANSFORM_A6;
}

static int set_tx(const struct env *e, uint64_t counter, uint64_t rekey_at)
{
	struct n2nk_a6_tx v = { .counter = counter,
				.reject_ns = mono_ns() + 3600000000000ull,
				.rekey_at = rekey_at,
				.remote_idx = A6_REMOTE };
	struct n2nk_edge_peer_key k = { 0 };
	uint32_t slot = A6_TX_SLOT;

	memcpy(v.key, tx_key, sizeof(v.key));
	memcpy(k.mac, mac_p2p, ETH_ALEN);
	if (bpf_map__update_elem(e->skel->maps.a6_tx, &slot, sizeof(slot), &v,
				 sizeof(v), BPF_ANY))
		return -1;
	return bpf_map__update_elem(e->skel->maps.a6_peer_tx, &k, sizeof(k),
				    &slot, sizeof(slot), BPF_ANY);
}

static int set_rx(const struct env *e, uint32_t index, const uint8_t *key,
		  const uint8_t *peer)
{
	struct n2nk_a6_rx v;

	memset(&v, 0, sizeof(v));
	memcpy(v.key, key, sizeof(v.key));
	memcpy(v.peer_mac, peer, ETH_ALEN);
	v.reject_ns = mono_ns() + 3600000000000ull;
	return bpf_map__update_elem(e->skel->maps.a6_rx, &index, sizeof(index),
				    &v, sizeof(v), BPF_ANY);
}

static uint64_t read_counter(const struct env *e)
{
	struct n2nk_a6_tx v;
	uint32_t slot = A6_TX_SLOT;

	if (bpf_map__lookup_elem(e->skel->maps.a6_tx, &slot, sizeof(slot), &v,
				 sizeof(v), 0))
		return ~0ull;
	return v.counter;
}

/* reason's counter of map grew by one, and no other. */
static int counted(const struct bpf_map *map, const struct counters *before,
		   int reason, const char *name)
{
	static struct counters after;
	uint32_t slot = n2nk_reason_slot(reason);

	if (tce_read_counters(map, &after))
		return -1;
	if (after.slot[slot].packets != before->slot[slot].packets + 1 ||
	    tce_total_packets(&after) != tce_total_packets(before) + 1) {
		tce_fail(name, "not counted as %s", n2nk_reason_name(reason));
		return -1;
	}
	return 0;
}

/* One program run on in, its verdict and its counter. */
static int run_case(const struct bpf_program *prog, const struct bpf_map *map,
		    const struct frame *in, uint32_t want_ret, int reason,
		    const char *name, struct run_out *out)
{
	static struct counters before;

	if (tce_read_counters(map, &before) || tce_run(prog, in, NULL, 1, out))
		return -1;
	if (out->retval != want_ret) {
		tce_fail(name, "verdict %d, want %d", (int)out->retval,
			 (int)want_ret);
		return -1;
	}
	return counted(map, &before, reason, name);
}

/* The AD of the PACKET in p (n2n at N2N_AT, DATA header at at). */
static void ad_of(const uint8_t *p, size_t at, uint8_t ad[N2NK_A6_AD_LEN])
{
	memcpy(ad, p + N2N_AT + 4, 32);
	memcpy(ad + 32, p + at - 2, 2 + N2NK_A6_DATA_HDR);
}

static void nonce_of(uint64_t c, uint8_t nonce[12])
{
	memset(nonce, 0, 4);
	memcpy(nonce + 4, &c, 8); /* LE64 on this host */
}

static int tx_sealed(const struct env *e)
{
	static struct frame in;
	static struct run_out out;
	static uint8_t pt[FRAME_MAX];
	const struct inner spec = TO(IN_UDP4, mac_p2p, 300);
	uint8_t ad[N2NK_A6_AD_LEN], nonce[12];
	const char *name = "edge_tx -A6: seals a frame libsodium opens";
	struct n2nk_a6_data_hdr h;
	unsigned long long n;
	size_t flen;
	uint32_t idx;

	if (set_tx(e, 7, N2NK_A6_REKEY_AFTER_MESSAGES))
		return -1;
	tce_build_inner(&in, e, &spec);
	flen = in.len;
	if (run_case(e->skel->progs.edge_tap, e->skel->maps.tap_stats, &in,
		     TC_ACT_REDIRECT, N2NK_OK, "edge_tap -A6: to the TX",
		     &out) ||
	    run_case(e->tx, e->skel->maps.tx_stats, &in, TC_ACT_REDIRECT,
		     N2NK_OK, name, &out))
		return -1;
	if (out.len != A6_DATA_AT + N2NK_A6_OVERHEAD + flen ||
	    out.data[N2N_AT + N2N_PACKET_OFF_SOCK] != N2N_COMPRESSION_NONE ||
	    out.data[N2N_AT + N2N_PACKET_OFF_SOCK + 1] != N2NK_TRANSFORM_A6 ||
	    tce_get16(out.data + ETH_HLEN + 2) != out.len - ETH_HLEN ||
	    tce_get16(out.data + ETH_HLEN + IPV4_HLEN + 4) !=
		    out.len - ETH_HLEN - IPV4_HLEN) {
		tce_fail(name, "PACKET of %u bytes, not as the contract says",
			 out.len);
		return -1;
	}
	memcpy(&h, out.data + A6_DATA_AT, sizeof(h));
	memcpy(&idx, &h.index, 4);
	if (h.type != N2NK_A6_DATA || h.zero[0] || h.zero[1] || h.zero[2] ||
	    idx != A6_REMOTE || h.counter != 7) {
		tce_fail(name, "DATA header %02x idx %08x counter %llu", h.type,
			 idx, (unsigned long long)h.counter);
		return -1;
	}
	ad_of(out.data, A6_DATA_AT, ad);
	nonce_of(7, nonce);
	if (crypto_aead_chacha20poly1305_ietf_decrypt(
		    pt, &n, NULL, out.data + A6_DATA_AT + N2NK_A6_DATA_HDR,
		    flen + N2NK_A6_TAG_LEN, ad, sizeof(ad), nonce, tx_key) ||
	    n != flen || memcmp(pt, in.data, flen)) {
		tce_fail(name, "libsodium does not open it to the frame");
		return -1;
	}
	if (read_counter(e) != 8) {
		tce_fail(name, "the counter did not move on by one");
		return -1;
	}
	return 0;
}

/* The daemon's view of the counter (kernel/a6_maps.c mmaps a6_tx the
 * same way) is the programs'. */
static int tx_counter_shared(const struct env *e, uint64_t want)
{
	const struct bpf_map *m = e->skel->maps.a6_tx;
	size_t len = (size_t)bpf_map__max_entries(m) * bpf_map__value_size(m);
	struct n2nk_a6_tx *mem;
	uint64_t got;

	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
		   bpf_map__fd(m), 0);
	if (mem == MAP_FAILED)
		return -1;
	got = __atomic_fetch_add(&mem[A6_TX_SLOT].counter, 1, __ATOMIC_RELAXED);
	munmap(mem, len);
	return got == want && read_counter(e) == want + 1 ? 0 : -1;
}

static int tx_to_daemon(const struct env *e)
{
	static struct frame in;
	static struct run_out out;
	const struct inner to_relayed = TO(IN_UDP4, mac_relayed, 300);
	const struct inner to_group = TO(IN_UDP4, mac_bcast, 300);
	const struct inner to_p2p = TO(IN_UDP4, mac_p2p, 300);
	const struct bpf_map *m = e->skel->maps.tap_stats;
	int bad = 0;

	tce_build_inner(&in, e, &to_relayed); /* no a6_peer_tx entry */
	bad |= run_case(e->skel->progs.edge_tap, m, &in,
			(uint32_t)TC_ACT_UNSPEC, N2NK_NO_SESSION,
			"edge_tap -A6: no sending session: the daemon's", &out);
	tce_build_inner(&in, e, &to_group);
	bad |= run_case(e->skel->progs.edge_tap, m, &in,
			(uint32_t)TC_ACT_UNSPEC, N2NK_SESSION_CONTROL,
			"edge_tap -A6: to a group MAC: the daemon's", &out);
	if (set_tx(e, 1000, 1000))
		return -1;
	tce_build_inner(&in, e, &to_p2p);
	bad |= run_case(e->skel->progs.edge_tap, m, &in,
			(uint32_t)TC_ACT_UNSPEC, N2NK_NO_SESSION,
			"edge_tap -A6: counter at rekey_at: the daemon's",
			&out);
	/* And the TX, if it got it anyway, drops it: no counter past. */
	bad |= run_case(e->tx, e->skel->maps.tx_stats, &in, TC_ACT_SHOT,
			N2NK_TRANSFORM,
			"edge_tx -A6: counter at rekey_at: drop", &out);
	if (read_counter(e) != 1000)
		bad = -1;
	return bad;
}

/* A DATA frame (or with len 0 and no inner a keepalive) as libsodium
 * seals it, in a PACKET from the P2P peer's socket or relayed. */
struct a6_pkt {
	int relayed;
	uint8_t type;
	uint32_t index;
	uint64_t counter;
	const uint8_t *key;
	int keepalive;
	long flip;  /* byte of the payload after the header to flip, or -1 */
	size_t len; /* the inner frame's, 0: 300 */
};

static void build_rx(struct frame *f, struct frame *inner, const struct env *e,
		     const struct a6_pkt *p)
{
	const uint8_t *src_mac = p->relayed ? mac_relayed : mac_p2p;
	const struct inner spec = { .kind = IN_UDP4,
				    .dst = mac_ours,
				    .len = p->len ? p->len : 300,
				    .src = src_mac,
				    .ip_src = p->relayed ? relayed_vip
							 : p2p_vip,
				    .ip_dst = our_vip };
	static uint8_t ct[FRAME_MAX + 16];
	uint8_t ad[N2NK_A6_AD_LEN], nonce[12], sock[8] = { 0 };
	struct n2nk_a6_data_hdr h = { .type = p->type };
	unsigned long long n = 0;
	size_t at;

	frame_init(inner);
	if (!p->keepalive)
		tce_build_inner(inner, e, &spec);
	frame_init(f);
	frame_eth(f, ETH_P_IP);
	frame_ipv4(f, IPPROTO_UDP);
	frame_ipv4_addrs(f, p->relayed ? sn_ip : p2p_ip, local_ip);
	f->udp_no_checksum = 1;
	frame_udp(f, p->relayed ? SN_PORT : P2P_PORT, LOCAL_PORT);
	frame_n2n_common(f, N2N_PKT_VERSION,
			 N2N_MSG_PACKET |
				 (p->relayed ? N2N_FLAGS_SOCKET |
						       N2N_FLAGS_FROM_SUPERNODE
					     : 0),
			 COMMUNITY);
	frame_put(f, src_mac, ETH_ALEN);
	frame_put(f, mac_ours, ETH_ALEN);
	if (p->relayed) {
		sock[2] = P2P_PORT >> 8, sock[3] = P2P_PORT & 0xff;
		memcpy(sock + 4, relayed_ip, 4);
		frame_put(f, sock, sizeof(sock));
	}
	frame_put_u8(f, N2N_COMPRESSION_NONE);
	frame_put_u8(f, N2NK_TRANSFORM_A6);
	at = f->len;
	memcpy(&h.index, &p->index, 4);
	h.counter = p->counter;
	frame_put(f, &h, sizeof(h));
	ad_of(f->data, at, ad);
	nonce_of(p->counter, nonce);
	crypto_aead_chacha20poly1305_ietf_encrypt(ct, &n, inner->data,
						  inner->len, ad, sizeof(ad),
						  NULL, nonce, p->key);
	if (p->flip >= 0)
		ct[p->flip] ^= 0x04;
	frame_put(f, ct, (size_t)n);
	frame_finish(f);
}

static int rx_case(const struct env *e, const struct a6_pkt *p,
		   uint32_t want_ret, int reason, const char *name)
{
	static struct frame in, inner;
	static struct run_out out;

	build_rx(&in, &inner, e, p);
	if (run_case(e->rx, e->skel->maps.rx_stats, &in, want_ret, reason, name,
		     &out))
		return -1;
	if (reason == N2NK_OK)
		return tce_check_same(name, &out, &inner, "the inner frame");
	if (want_ret == (uint32_t)TC_ACT_UNSPEC)
		return tce_check_same(name, &out, &in, "the datagram");
	return 0;
}

static int rx_cases(struct suite_tally *t, const struct env *e)
{
	struct a6_pkt p = { .type = N2NK_A6_DATA,
			    .index = A6_LOCAL,
			    .counter = 100,
			    .key = rx_key,
			    .flip = -1 };
	struct n2nk_a6_rx v;
	uint32_t idx = A6_LOCAL;
	int r;

	if (set_rx(e, A6_LOCAL, rx_key, mac_p2p) ||
	    set_rx(e, A6_LOCAL_REL, rx_key_rel, mac_relayed))
		return -1;
	suite_record(
		t, "edge_rx -A6: P2P, libsodium's frame delivered",
		rx_case(e, &p, TC_ACT_REDIRECT, N2NK_OK, "edge_rx -A6 P2P"));
	r = bpf_map__lookup_elem(e->skel->maps.a6_rx, &idx, sizeof(idx), &v,
				 sizeof(v), 0);
	suite_record(t, "edge_rx -A6: the session's last_rx_ns and window",
		     r || !v.last_rx_ns || v.win.top != 100 ? -1 : 0);
	suite_record(t, "edge_rx -A6: the same counter again: replayed",
		     rx_case(e, &p, TC_ACT_SHOT, N2NK_REPLAYED,
			     "edge_rx -A6 replay"));
	p.counter = 99; /* below the top, in the window: fine */
	suite_record(
		t, "edge_rx -A6: an older counter in the window",
		rx_case(e, &p, TC_ACT_REDIRECT, N2NK_OK, "edge_rx -A6 older"));
	p.counter = 100 + N2NK_REPLAY_WINDOW + 10;
	rx_case(e, &p, TC_ACT_REDIRECT, N2NK_OK, "edge_rx -A6 far ahead");
	p.counter = 100; /* now behind the window: the pre-check */
	suite_record(t, "edge_rx -A6: behind the window: replayed",
		     rx_case(e, &p, TC_ACT_SHOT, N2NK_REPLAYED,
			     "edge_rx -A6 stale"));
	p.counter = 200000, p.flip = 3;
	suite_record(t, "edge_rx -A6: a flipped ciphertext bit: aead_tag",
		     rx_case(e, &p, TC_ACT_SHOT, N2NK_AEAD_TAG,
			     "edge_rx -A6 flipped"));
	p.flip = 300 + 5; /* in the tag */
	suite_record(t, "edge_rx -A6: a flipped tag bit: aead_tag",
		     rx_case(e, &p, TC_ACT_SHOT, N2NK_AEAD_TAG,
			     "edge_rx -A6 flipped tag"));
	p.flip = -1, p.key = rx_key_rel; /* not this session's key */
	suite_record(t, "edge_rx -A6: another key: aead_tag",
		     rx_case(e, &p, TC_ACT_SHOT, N2NK_AEAD_TAG,
			     "edge_rx -A6 wrong key"));
	p.key = rx_key, p.counter = 200000; /* the window did not move */
	suite_record(t, "edge_rx -A6: a forgery did not move the window",
		     rx_case(e, &p, TC_ACT_REDIRECT, N2NK_OK,
			     "edge_rx -A6 after forgeries"));
	p.index = 0x7777, p.counter = 1;
	suite_record(t, "edge_rx -A6: unknown index: no_session, daemon's",
		     rx_case(e, &p, (uint32_t)TC_ACT_UNSPEC, N2NK_NO_SESSION,
			     "edge_rx -A6 unknown index"));
	p.index = A6_LOCAL_REL, p.key = rx_key_rel; /* the relayed peer's */
	suite_record(t, "edge_rx -A6: another peer's session: aead_tag",
		     rx_case(e, &p, TC_ACT_SHOT, N2NK_AEAD_TAG,
			     "edge_rx -A6 wrong peer"));
	p.index = A6_LOCAL, p.key = rx_key, p.counter = 300000;
	p.keepalive = 1;
	suite_record(t, "edge_rx -A6: a keepalive: the daemon's",
		     rx_case(e, &p, (uint32_t)TC_ACT_UNSPEC, N2NK_KEEPALIVE,
			     "edge_rx -A6 keepalive"));
	p.keepalive = 0, p.type = N2NK_A6_INIT;
	suite_record(t, "edge_rx -A6: a handshake: session_control",
		     rx_case(e, &p, (uint32_t)TC_ACT_UNSPEC,
			     N2NK_SESSION_CONTROL, "edge_rx -A6 init"));
	p.type = N2NK_A6_DATA, p.relayed = 1, p.index = A6_LOCAL_REL;
	p.key = rx_key_rel, p.counter = 5;
	suite_record(t, "edge_rx -A6: relayed (46-byte header) delivered",
		     rx_case(e, &p, TC_ACT_REDIRECT, N2NK_OK,
			     "edge_rx -A6 relayed"));
	return 0;
}

#define COST_LEN   1400
#define COST_RUNS  2000
#define TAP_REPEAT 10000

/* ns per single run of prog; mk (if any) builds each run's input. */
static double a6_mean(const struct env *e, const struct bpf_program *prog,
		      struct frame *f, struct a6_pkt *p)
{
	static struct frame inner;
	static struct run_out out;
	uint64_t total = 0;
	int i;

	for (i = 0; i < COST_RUNS; i++) {
		if (p) {
			p->counter++; /* a fresh one: the window takes it */
			build_rx(f, &inner, e, p);
		}
		if (tce_run(prog, f, NULL, 1, &out) ||
		    out.retval != TC_ACT_REDIRECT)
			return -1;
		total += out.duration;
	}
	return (double)total / COST_RUNS;
}

/* The whole programs' cost per 1400-byte frame, as test_tc_edge.c
 * prints it for n2n's ciphers (tools/bench-edge.sh reads it). */
static void print_cost(const struct env *e)
{
	static const struct inner spec = TO(IN_TCP4, mac_p2p, COST_LEN);
	struct a6_pkt p = { .type = N2NK_A6_DATA,
			    .index = A6_LOCAL,
			    .key = rx_key,
			    .counter = 1000000,
			    .flip = -1,
			    .len = COST_LEN };
	static struct frame frame, dgram;
	static struct run_out out;
	double tap = -1;

	if (set_tx(e, 1, N2NK_A6_REKEY_AFTER_MESSAGES) ||
	    set_rx(e, A6_LOCAL, rx_key, mac_p2p))
		return;
	tce_build_inner(&frame, e, &spec);
	if (!tce_run(e->skel->progs.edge_tap, &frame, NULL, TAP_REPEAT, &out))
		tap = (double)out.duration;
	printf("     cost -A6: edge_tap %.0f ns (repeat %d), edge_tx %.0f ns, "
	       "edge_rx %.0f ns per %d-byte frame (mean of %d single runs)\n",
	       tap, TAP_REPEAT, a6_mean(e, e->tx, &frame, NULL),
	       a6_mean(e, e->rx, &dgram, &p), COST_LEN, COST_RUNS);
}

void suite_tc_edge_a6(struct suite_tally *t)
{
	struct tc_edge *skel;
	struct env e;

	if (sodium_init() < 0) {
		suite_record(t, "edge -A6: libsodium", -1);
		return;
	}
	skel = tce_load();
	if (!skel || tce_env_init(&e, skel, N2N_TRANSFORM_CHACHA20, "-A6")) {
		suite_record(t, "edge -A6: load tc_edge and fill its maps", -1);
		if (skel)
			tc_edge__destroy(skel);
		return;
	}
	a6_conf(&e.conf);
	randombytes_buf(tx_key, sizeof(tx_key));
	randombytes_buf(rx_key, sizeof(rx_key));
	randombytes_buf(rx_key_rel, sizeof(rx_key_rel));
	if (tce_set_conf(&e, NULL)) {
		suite_record(t, "edge -A6: conf", -1);
	} else {
		suite_record(t, "edge_tx -A6: sealed as the contract says",
			     tx_sealed(&e));
		suite_record(t,
			     "a6_tx mmapped: the daemon takes the next counter",
			     tx_counter_shared(&e, 8));
		suite_record(t,
			     "edge_tap -A6: no session, spent, group: daemon",
			     tx_to_daemon(&e));
		if (rx_cases(t, &e))
			suite_record(t, "edge_rx -A6: sessions", -1);
		print_cost(&e);
	}
	transform_fini(&e.tf);
	tc_edge__destroy(skel);
}
