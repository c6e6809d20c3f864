// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF_PROG_TEST_RUN tests of bpf/tc_edge.bpf.c, the edge's kernel data
 * path, under each transform the kernel carries (-A1, -A4, -A5):
 *
 *   edge_tap  hands edge_tx exactly the frames edge_tx can carry;
 *   edge_tx   sends the PACKET the daemon's encoder makes of the same
 *             frame with the IV the program chose, in IPv4/UDP;
 *   edge_rx   (test_tc_edge_rx.c) delivers exactly the frame the daemon
 *             would, and hands everything else on as it came.
 *
 * A case is {frame, map contents, reason}: the verdict it must get is its
 * reason's column in include/n2nk_reasons.h, the reason's counter (and no
 * other) must grow by one, and so must the peer's counters. Then the cost
 * of a 1400-byte frame and the verifier's instruction counts.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/in.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "edge/mss_clamp.h"
#include "proto/msg_io.h"
#include "suites.h"
#include "tc_edge_harness.h"

#define JUMBO_MTU  3000
#define BENCH_RUNS 2000
#define TAP_REPEAT 10000
#define COST_LEN   1400

static void c_big_tap_mtu(struct n2nk_edge_conf *c)
{
	c->tap_mtu = UNDERLAY_MTU;
}

static void c_jumbo(struct n2nk_edge_conf *c)
{
	c->underlay_mtu = JUMBO_MTU;
}

/* ---- edge_tap ---- */

struct tap_case {
	const char *name;
	struct inner frame;
	uint16_t gso_size; /* a GSO frame of 2 segments of this payload */
	void (*conf)(struct n2nk_edge_conf *c);
	int reason;
};

static const struct tap_case tap_cases[] = {
	{ "unicast IPv4 TCP to the P2P peer", TO(IN_TCP4, mac_p2p, 1000), 0,
	  NULL, N2NK_OK },
	{ "unicast IPv4 UDP to the relayed peer", TO(IN_UDP4, mac_relayed, 300),
	  0, NULL, N2NK_OK },
	{ "unicast IPv6 to the P2P peer", TO(IN_UDP6, mac_p2p, 300), 0, NULL,
	  N2NK_OK },
	{ "tiny IPv4 UDP (42 bytes)", TO(IN_UDP4, mac_p2p, 42), 0, NULL,
	  N2NK_OK },
	{ "frame that fills the underlay MTU", TO(IN_TCP4, mac_p2p, LEN_FIT), 0,
	  c_big_tap_mtu, N2NK_OK },
	{ "frame over the TAP's MTU (bridged), fits the underlay",
	  TO(IN_TCP4, mac_p2p, TAP_MTU + 15), 0, c_jumbo, N2NK_FRAG_NEEDED },
	{ "one byte over the underlay MTU", TO(IN_TCP4, mac_p2p, LEN_OVER), 0,
	  NULL, N2NK_FRAG_NEEDED },
	{ "GSO frame, segments fit", TO(IN_TCP4, mac_p2p, 2000), 1000, NULL,
	  N2NK_OK },
	{ "GSO frame, segments fill the TAP MTU", TO(IN_TCP4, mac_p2p, 2200),
	  TAP_MTU - 40, NULL, N2NK_OK },
	{ "GSO frame, segments fit the TAP MTU, not the underlay",
	  TO(IN_TCP4, mac_p2p, 2200), UNDERLAY_MTU - 40, c_big_tap_mtu,
	  N2NK_FRAG_NEEDED },
	/* A bridged NIC's GRO: segments of the LAN's MTU, not the TAP's. */
	{ "GSO frame, segments one byte over the TAP MTU",
	  TO(IN_TCP4, mac_p2p, 2200), TAP_MTU - 39, c_jumbo, N2NK_FRAG_NEEDED },
	{ "GSO UDP frame (USO), segments fit", TO(IN_UDP4, mac_p2p, 2000), 1000,
	  NULL, N2NK_OK },
	{ "broadcast ARP", TO(IN_ARP, mac_bcast, 60), 0, NULL,
	  N2NK_MULTICAST_DEST },
	{ "IPv4 multicast MAC", TO(IN_UDP4, mac_mcast, 100), 0, NULL,
	  N2NK_MULTICAST_DEST },
	{ "unknown destination MAC", TO(IN_TCP4, mac_stranger, 100), 0, NULL,
	  N2NK_UNKNOWN_DEST },
	{ "peer not established (path none)", TO(IN_TCP4, mac_idle, 100), 0,
	  NULL, N2NK_UNKNOWN_DEST },
	{ "unicast ARP to the P2P peer", TO(IN_ARP, mac_p2p, 60), 0, NULL,
	  N2NK_NOT_IP },
	{ "VLAN-tagged (802.1Q)", TO(IN_VLAN, mac_p2p, 100), 0, NULL,
	  N2NK_VLAN },
	{ "IPv4 source not ours, without -r",
	  TO_FROM_IP(IN_TCP4, mac_p2p, 100, other_vip), 0, NULL,
	  N2NK_FILTERED },
	{ "IPv4 source not ours, with -r",
	  TO_FROM_IP(IN_TCP4, mac_p2p, 100, other_vip), 0, c_routing, N2NK_OK },
	{ "IPv4 source not ours, no -a address",
	  TO_FROM_IP(IN_TCP4, mac_p2p, 100, other_vip), 0, c_no_vip, N2NK_OK },
};

/* Whatever the verdict, the frame leaves edge_tap as it came. */
static int run_tap_case(const struct env *e, const struct tap_case *tc,
			const char *name)
{
	struct __sk_buff ctx = { .gso_segs = 2, .gso_size = tc->gso_size };
	struct probe p = { name, N2NK_LAYER_EDGE_TAP, tc->reason,
			   tc->gso_size ? &ctx : NULL };
	static struct probed r;
	struct frame f;

	tce_build_inner(&f, e, &tc->frame);
	if (tce_set_conf(e, tc->conf) || tce_probe(e, &p, &f, &r) ||
	    tce_check_same(name, &r.out, &f, "the input"))
		return -1;
	return tce_check_peers(name, &r.pb, &r.pa, NULL, NULL, 0);
}

/* ---- edge_tap: MSS clamping (--mss-clamp) ---- */

static void c_mss_off(struct n2nk_edge_conf *c)
{
	c->mss_ipv4 = c->mss_ipv6 = 0;
}

static void c_mss_1500(struct n2nk_edge_conf *c)
{
	c->mss_ipv4 = c->mss_ipv6 = 1500;
}

struct syn_case {
	const char *name;
	struct inner frame;
	void (*conf)(struct n2nk_edge_conf *c);
	int reason;
	uint16_t mss; /* the MSS the SYN leaves with */
};

static const struct syn_case syn_cases[] = {
	{ "IPv4 SYN to the P2P peer: MSS 1460 clamped",
	  TO(IN_SYN4, mac_p2p, 80), NULL, N2NK_OK, TAP_MTU - 40 },
	{ "IPv6 SYN to the P2P peer: MSS 1440 clamped",
	  TO(IN_SYN6, mac_p2p, 100), NULL, N2NK_OK, TAP_MTU - 60 },
	{ "IPv4 SYN to an unknown MAC: clamped, to the daemon",
	  TO(IN_SYN4, mac_stranger, 80), NULL, N2NK_UNKNOWN_DEST,
	  TAP_MTU - 40 },
	{ "IPv4 SYN, --mss-clamp=off: as it came", TO(IN_SYN4, mac_p2p, 80),
	  c_mss_off, N2NK_OK, 1460 },
	{ "IPv4 SYN whose MSS fits: as it came", TO(IN_SYN4, mac_p2p, 80),
	  c_mss_1500, N2NK_OK, 1460 },
};

/* The MSS in frame_tcp_syn()'s options (the option at their byte 4). */
static uint16_t syn_mss(const uint8_t *f, bool v6)
{
	size_t opt = ETH_HLEN + (v6 ? 40 : IPV4_HLEN) + 20 + 4;

	return (uint16_t)(f[opt + 2] << 8 | f[opt + 3]);
}

/* Leaves edge_tap as the socket backend's mss_clamp_frame() leaves it. */
static int run_syn_case(const struct env *e, const struct syn_case *tc,
			const char *name)
{
	struct probe p = { name, N2NK_LAYER_EDGE_TAP, tc->reason, NULL };
	struct n2nk_edge_conf c = e->conf;
	static struct probed r;
	struct frame f, want;
	bool v6 = tc->frame.kind == IN_SYN6;

	tce_build_inner(&f, e, &tc->frame);
	if (tc->conf)
		tc->conf(&c);
	want = f;
	mss_clamp_frame(want.data, want.len,
			(struct mss_limit){ c.mss_ipv4, c.mss_ipv6 });
	if (syn_mss(want.data, v6) != tc->mss) {
		tce_fail(name, "the socket backend leaves MSS %u, want %u",
			 syn_mss(want.data, v6), tc->mss);
		return -1;
	}
	if (tce_set_conf(e, tc->conf) || tce_probe(e, &p, &f, &r) ||
	    tce_check_same(name, &r.out, &want, "the socket backend's SYN"))
		return -1;
	return 0;
}

/* SYNs with hostile headers: both clamps must leave the same bytes. */
#define SYN_MUTANTS 3000

static uint32_t syn_rand(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* One of: random option bytes and data offset, 36 NOPs then an MSS (the
 * walk's last step), a length byte that overruns, two MSS options, an
 * IPv4 header length, total length or fragment field, or an IPv6 payload
 * length, at random. */
static void syn_mutate(struct frame *f, bool v6, uint32_t *x)
{
	size_t tcp = ETH_HLEN + (v6 ? 40 : IPV4_HLEN), i;
	uint8_t *o = f->data + tcp + 20;
	uint32_t r = syn_rand(x);

	f->data[tcp + 12] = (uint8_t)((5 + r % 11) << 4); /* doff 5..15 */
	switch ((r >> 4) % 5) {
	case 0:
		for (i = 0; i < 40; i++)
			o[i] = (uint8_t)(syn_rand(x) % 8 ? syn_rand(x) % 5
							 : syn_rand(x));
		break;
	case 1:
		memset(o, 1, 36);
		memcpy(o + 36, "\x02\x04\xff\xff", 4);
		f->data[tcp + 12] = 15 << 4;
		break;
	case 2:
		memcpy(o, "\x01\x02\x04\x05\xb4\x02\x04\x05\xb4", 9);
		o[(r >> 8) % 9] = (uint8_t)(r >> 16);
		break;
	case 3:
		memcpy(o, "\x02\x04\x05\xb4\x02\x04\x05\xb4", 8);
		break;
	default: /* IPv4's first 8 bytes (lengths, fragments), IPv6's length */
		if (!v6)
			f->data[ETH_HLEN + (r >> 8) % 8] = (uint8_t)(r >> 16);
		else
			f->data[ETH_HLEN + 4 + (r >> 8) % 2] =
				(uint8_t)(r >> 16);
	}
}

static int run_syn_mutants(const struct env *e, const char *name)
{
	struct mss_limit lim = { e->conf.mss_ipv4, e->conf.mss_ipv6 };
	static struct run_out out;
	struct frame f, want;
	uint32_t x = 0x6d737321, n, clamped = 0;
	bool v6;
	int err;

	if (tce_set_conf(e, NULL))
		return -1;
	for (n = 0; n < SYN_MUTANTS; n++) {
		v6 = n & 1;
		const struct inner in =
			TO(v6 ? IN_SYN6 : IN_SYN4, mac_p2p, 140);

		tce_build_inner(&f, e, &in);
		syn_mutate(&f, v6, &x);
		want = f;
		clamped += mss_clamp_frame(want.data, want.len, lim);
		err = tce_run(e->skel->progs.edge_tap, &f, NULL, 1, &out);
		if (err == -EOPNOTSUPP)
			continue;
		if (err || tce_check_same(name, &out, &want,
					  "the socket backend's clamp")) {
			fprintf(stderr, "  mutant %u\n", n);
			return -1;
		}
	}
	printf("     syn mutants %s: %u run, %u clamped by both\n", e->name,
	       SYN_MUTANTS, clamped);
	return 0;
}

/* ---- edge_tx ---- */

struct tx_case {
	const char *name;
	struct inner frame;
	void (*conf)(struct n2nk_edge_conf *c);
	int reason;
};

static const struct tx_case tx_cases[] = {
	{ "P2P, tiny IPv4 UDP (42 bytes)", TO(IN_UDP4, mac_p2p, 42), NULL,
	  N2NK_OK },
	{ "P2P, IPv4 TCP 60 bytes", TO(IN_TCP4, mac_p2p, 60), NULL, N2NK_OK },
	{ "P2P, IPv4 TCP 133 bytes", TO(IN_TCP4, mac_p2p, 133), NULL, N2NK_OK },
	{ "P2P, IPv4 TCP 1400 bytes", TO(IN_TCP4, mac_p2p, 1400), NULL,
	  N2NK_OK },
	{ "P2P, IPv6 UDP 300 bytes", TO(IN_UDP6, mac_p2p, 300), NULL, N2NK_OK },
	{ "P2P, frame that fills the underlay MTU",
	  TO(IN_TCP4, mac_p2p, LEN_FIT), NULL, N2NK_OK },
	{ "P2P, 2048 bytes (n2n's largest) on a jumbo underlay",
	  TO(IN_UDP4, mac_p2p, N2N_PKT_BUF_SIZE), c_jumbo, N2NK_OK },
	{ "relayed, tiny IPv4 UDP (42 bytes)", TO(IN_UDP4, mac_relayed, 42),
	  NULL, N2NK_OK },
	{ "relayed, IPv4 TCP 1400 bytes", TO(IN_TCP4, mac_relayed, 1400), NULL,
	  N2NK_OK },
	{ "relayed, IPv6 UDP 300 bytes", TO(IN_UDP6, mac_relayed, 300), NULL,
	  N2NK_OK },
	{ "unknown destination MAC", TO(IN_TCP4, mac_stranger, 100), NULL,
	  N2NK_UNKNOWN_DEST },
	{ "peer not established (path none)", TO(IN_TCP4, mac_idle, 100), NULL,
	  N2NK_UNKNOWN_DEST },
	{ "one byte over the underlay MTU", TO(IN_TCP4, mac_p2p, LEN_OVER),
	  NULL, N2NK_FRAG_NEEDED },
	{ "2049 bytes on a jumbo underlay",
	  TO(IN_UDP4, mac_p2p, N2N_PKT_BUF_SIZE + 1), c_jumbo,
	  N2NK_FRAG_NEEDED },
};

static int ipv4_checksum_ok(const uint8_t *ip)
{
	uint32_t sum = 0;
	int i;

	for (i = 0; i < IPV4_HLEN; i += 2)
		sum += tce_get16(ip + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

/* Ethernet/IPv4/UDP from our socket to dst_ip:dst_port, as edge_tx.h says. */
static int check_outer(const char *name, const struct run_out *out,
		       const uint8_t *dst_ip, uint16_t dst_port)
{
	const uint8_t *ip = out->data + ETH_HLEN, *udp = ip + IPV4_HLEN;
	uint16_t ip_len = (uint16_t)(out->len - ETH_HLEN);

	if (tce_get16(out->data + 12) != ETH_P_IP || ip[0] != 0x45 || ip[1] ||
	    tce_get16(ip + 2) != ip_len || tce_get16(ip + 6) || ip[8] != 64 ||
	    ip[9] != IPPROTO_UDP || !ipv4_checksum_ok(ip) ||
	    memcmp(ip + 12, local_ip, 4) || memcmp(ip + 16, dst_ip, 4)) {
		tce_fail(name, "outer Ethernet/IPv4 header wrong");
		return -1;
	}
	if (tce_get16(udp) != LOCAL_PORT || tce_get16(udp + 2) != dst_port ||
	    tce_get16(udp + 4) != ip_len - IPV4_HLEN || tce_get16(udp + 6)) {
		tce_fail(name, "outer UDP header wrong");
		return -1;
	}
	return 0;
}

/* The UDP payload is the daemon's PACKET for `in`, with the output's IV. */
static int check_tx_payload(const struct env *e, const char *name,
			    const struct frame *in, const struct run_out *out)
{
	const struct msg_spec s = { .type = N2N_MSG_PACKET,
				    .community = COMMUNITY,
				    .src_mac = mac_ours,
				    .dst_mac = in->data,
				    .compression = N2N_COMPRESSION_NONE };
	static uint8_t want[MSG_BUF_SIZE];
	uint8_t iv[16];
	ssize_t n = -1;
	size_t i;

	if (!tce_sent_iv(e, out->data + N2N_AT + N2N_PACKET_HDR_SIZE, iv))
		n = tce_encode_msg(e, &s, in, iv, want, sizeof(want));

	if (n < 0 || (size_t)n != out->len - N2N_AT) {
		tce_fail(name, "UDP payload of %u bytes, the daemon's %zd",
			 out->len - N2N_AT, n);
		return -1;
	}
	for (i = 0; i < (size_t)n; i++)
		if (out->data[N2N_AT + i] != want[i]) {
			tce_fail(name,
				 "UDP payload differs from the daemon's "
				 "PACKET at byte %zu",
				 i);
			return -1;
		}
	return 0;
}

static int check_tx_sent(const struct env *e, const char *name,
			 const struct frame *in, const struct probed *r)
{
	const struct peer_def *to = tce_peer_by_mac(in->data);
	int relayed = to->path == N2NK_PATH_RELAY;
	struct n2nk_edge_peer_stats want = tce_carried(0, relayed, in->len);

	if (r->out.len != N2N_AT + N2N_PACKET_HDR_SIZE + e->iv_len + in->len) {
		tce_fail(name, "sent %u bytes for a %zu-byte frame", r->out.len,
			 in->len);
		return -1;
	}
	if (check_outer(name, &r->out, relayed ? sn_ip : to->ip,
			relayed ? SN_PORT : to->port) ||
	    check_tx_payload(e, name, in, &r->out))
		return -1;
	return tce_check_peers(name, &r->pb, &r->pa, to, &want, 0);
}

/* Sent: the daemon's PACKET; dropped: the frame untouched. */
static int run_tx_case(const struct env *e, const struct tx_case *tc,
		       const char *name)
{
	struct probe p = { name, N2NK_LAYER_EDGE_TX, tc->reason, NULL };
	static struct probed r;
	struct frame f;

	tce_build_inner(&f, e, &tc->frame);
	if (tce_set_conf(e, tc->conf) || tce_probe(e, &p, &f, &r))
		return -1;
	if (tc->reason == N2NK_OK)
		return check_tx_sent(e, name, &f, &r);
	if (tce_check_same(name, &r.out, &f, "the input"))
		return -1;
	return tce_check_peers(name, &r.pb, &r.pa, NULL, NULL, 0);
}

/* Two runs of one frame: two IVs, LE32(random) || LE64(seq) || LE32(CPU). */
static int check_ivs(const struct env *e)
{
	static const struct inner in = TO(IN_TCP4, mac_p2p, COST_LEN);
	static struct run_out a, b;
	const size_t at = N2N_AT + N2N_PACKET_HDR_SIZE;
	uint8_t iv_a[16], iv_b[16];
	uint64_t seq_a, seq_b;
	uint32_t cpu_a, cpu_b;
	struct frame f;

	tce_build_inner(&f, e, &in);
	if (tce_set_conf(e, NULL) || tce_run(e->tx, &f, NULL, 1, &a) ||
	    tce_run(e->tx, &f, NULL, 1, &b) || a.retval != TC_ACT_REDIRECT ||
	    b.retval != TC_ACT_REDIRECT) {
		tce_fail("IVs", "cannot send");
		return -1;
	}
	if (!memcmp(a.data + at, b.data + at, IV_LEN) ||
	    !memcmp(a.data + at + IV_LEN, b.data + at + IV_LEN, f.len)) {
		tce_fail("IVs", "two frames with the same IV or keystream");
		return -1;
	}
	/* -A3: the random block is what the IV is for the others */
	if (tce_sent_iv(e, a.data + at, iv_a) ||
	    tce_sent_iv(e, b.data + at, iv_b)) {
		tce_fail("IVs", "cannot decrypt the first block");
		return -1;
	}
	memcpy(&seq_a, iv_a + 4, 8);
	memcpy(&seq_b, iv_b + 4, 8);
	memcpy(&cpu_a, iv_a + 12, 4);
	memcpy(&cpu_b, iv_b + 12, 4);
	cpu_a = le32toh(cpu_a), cpu_b = le32toh(cpu_b);
	if (cpu_a >= (uint32_t)libbpf_num_possible_cpus() ||
	    (cpu_a == cpu_b && le64toh(seq_b) != le64toh(seq_a) + 1)) {
		tce_fail("IVs", "CPU %u then %u, sequence %llu then %llu",
			 cpu_a, cpu_b, (unsigned long long)le64toh(seq_a),
			 (unsigned long long)le64toh(seq_b));
		return -1;
	}
	return 0;
}

/* ---- Cost and verifier. ---- */

/*
 * ns per run. .repeat reruns a program on the skb the previous run left,
 * which after edge_tx or edge_rx is no longer the frame (encapsulated, or
 * stripped), so theirs are the mean of single runs; edge_tap leaves the
 * frame alone and repeats.
 */
static double mean_cost(const struct bpf_program *prog, const struct frame *f,
			int runs, int repeat)
{
	static struct run_out out;
	uint64_t total = 0;
	int i;

	for (i = 0; i < runs; i++) {
		if (tce_run(prog, f, NULL, repeat, &out) ||
		    out.retval != TC_ACT_REDIRECT)
			return -1;
		total += out.duration;
	}
	return (double)total / runs;
}

static void print_cost(const struct env *e)
{
	static const struct inner in = TO(IN_TCP4, mac_p2p, COST_LEN);
	static struct frame frame, dgram, inner;
	const struct tc_edge *skel = e->skel;
	struct pkt_spec s;

	tce_p2p_spec(&s);
	s.inner.len = COST_LEN;
	tce_build_inner(&frame, e, &in);
	if (tce_set_conf(e, NULL) || tce_build_datagram(&dgram, &inner, e, &s))
		return;
	printf("     cost %s: edge_tap %.0f ns (repeat %d), edge_tx %.0f ns, "
	       "edge_rx %.0f ns per %d-byte frame (mean of %d single runs)\n",
	       e->name, mean_cost(skel->progs.edge_tap, &frame, 1, TAP_REPEAT),
	       TAP_REPEAT, mean_cost(e->tx, &frame, BENCH_RUNS, 1),
	       mean_cost(e->rx, &dgram, BENCH_RUNS, 1), COST_LEN, BENCH_RUNS);
}

static unsigned int verified_insns(const struct bpf_program *prog)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
		return 0;
	return info.verified_insns;
}

static void print_verifier(const struct tc_edge *skel)
{
	printf("     verifier: edge_tap %u, edge_tx %u, edge_rx %u "
	       "instructions processed\n",
	       verified_insns(skel->progs.edge_tap),
	       verified_insns(skel->progs.edge_tx),
	       verified_insns(skel->progs.edge_rx));
}

/* ---- The suite. ---- */

static void record(struct suite_tally *t, const struct env *e, const char *prog,
		   const char *what, int ret)
{
	char name[192];

	snprintf(name, sizeof(name), "%s %s: %s", prog, e->name, what);
	suite_record(t, name, ret);
}

static void run_tables(struct suite_tally *t, const struct env *e)
{
	char name[192];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tap_cases); i++) {
		snprintf(name, sizeof(name), "edge_tap %s: %s", e->name,
			 tap_cases[i].name);
		suite_record(t, name, run_tap_case(e, &tap_cases[i], name));
	}
	for (i = 0; i < ARRAY_SIZE(syn_cases); i++) {
		snprintf(name, sizeof(name), "edge_tap %s: %s", e->name,
			 syn_cases[i].name);
		suite_record(t, name, run_syn_case(e, &syn_cases[i], name));
	}
	snprintf(name, sizeof(name),
		 "edge_tap %s: SYNs with hostile headers clamped as the "
		 "socket backend clamps them",
		 e->name);
	suite_record(t, name, run_syn_mutants(e, name));
	for (i = 0; i < ARRAY_SIZE(tx_cases); i++) {
		snprintf(name, sizeof(name), "edge_tx %s: %s", e->name,
			 tx_cases[i].name);
		suite_record(t, name, run_tx_case(e, &tx_cases[i], name));
	}
	tce_rx_cases(t, e);
}

static const struct {
	enum n2n_transform_id id;
	const char *name;
} transforms[] = {
	{ N2N_TRANSFORM_NULL, "-A1" },
	{ N2N_TRANSFORM_AES, "-A3" },
	{ N2N_TRANSFORM_CHACHA20, "-A4" },
	{ N2N_TRANSFORM_SPECK, "-A5" },
};

static void run_transform(struct suite_tally *t, struct tc_edge *skel,
			  enum n2n_transform_id id, const char *name)
{
	static struct env e;

	if (id == N2N_TRANSFORM_AES && !edge_aes_kernel_has_kfuncs()) {
		/* Before Linux 6.10: -A3 stays in userspace, and says so. */
		suite_record(t, "edge -A3: the kernel has no crypto kfuncs",
			     CASE_SKIPPED);
		return;
	}
	if (tce_env_init(&e, skel, id, name)) {
		suite_record(t, "edge: keys and transform", -1);
		edge_aes_close(e.aes);
		return;
	}
	run_tables(t, &e);
	if (e.iv_len)
		record(t, &e, "edge_tx", "a new IV for every frame",
		       check_ivs(&e));
	record(t, &e, "edge_rx", "mutated PACKETs, each counted once",
	       tce_rx_mutants(&e));
	print_cost(&e);
	if (e.aes)
		printf("     verifier: tc_edge_aes's edge_tx %u, edge_rx %u "
		       "instructions processed\n",
		       verified_insns(e.tx), verified_insns(e.rx));
	edge_aes_close(e.aes);
	transform_fini(&e.tf);
}

void suite_tc_edge(struct suite_tally *t)
{
	struct tc_edge *skel = tce_load();
	size_t i;

	if (!skel) {
		suite_record(t, "edge: load tc_edge and fill its maps", -1);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(transforms); i++)
		run_transform(t, skel, transforms[i].id, transforms[i].name);
	print_verifier(skel);
	tc_edge__destroy(skel);
}
