// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF_PROG_TEST_RUN tests of bpf/xdp_n2n_count.bpf.c: each case builds a
 * frame, runs the program once and checks the verdict, that the frame is
 * unchanged, and the exact change of every per-CPU counter slot.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "common/mac.h"
#include "frame_builder.h"
#include "kernel/xdp_counter.h"
#include "n2n_wire_defs.h"
#include "n2nk_reasons.h"
#include "n2nk_xdp_stats.h"
#include "skel/xdp_n2n_count.skel.h"
#include "suites.h"

#define SN_PORT		 N2N_SN_PORT_DEFAULT
#define EDGE_PORT	 50000
#define OTHER_PORT	 53
#define KNOB_PORT	 1234
#define NO_MSG_TYPE	 -1
#define MAX_LOADED_PORTS 4

static const uint8_t edge_a_mac[MAC_SIZE] = {
	0x02, 0x6e, 0x32, 0x00, 0x00, 0x0a
};
static const uint8_t edge_b_mac[MAC_SIZE] = {
	0x02, 0x6e, 0x32, 0x00, 0x00, 0x0b
};

/* PACKET body: MACs, [socket], compression, transform, an opaque frame. */
static void put_n2n_packet(struct frame *f, uint16_t flags)
{
	frame_n2n_common(f, N2N_PKT_VERSION, flags | N2N_MSG_PACKET,
			 "community");
	frame_put(f, edge_a_mac, sizeof(edge_a_mac));
	frame_put(f, edge_b_mac, sizeof(edge_b_mac));
	if (flags & N2N_FLAGS_SOCKET) {
		frame_put_be16(f, 0); /* IPv4, UDP */
		frame_put_be16(f, EDGE_PORT);
		frame_put_be32(f, 0xc6120001); /* 198.18.0.1 */
	}
	frame_put_u8(f, N2N_COMPRESSION_NONE);
	frame_put_u8(f, N2N_TRANSFORM_NULL);
	frame_put_random(f, 60, 0x1f2e3d4c);
}

/* REGISTER_SUPER with a simple-id auth token and no socket. */
static void put_n2n_register_super(struct frame *f)
{
	frame_n2n_common(f, N2N_PKT_VERSION, N2N_MSG_REGISTER_SUPER,
			 "community");
	frame_put_be32(f, 0x12345678); /* cookie */
	frame_put(f, edge_a_mac, sizeof(edge_a_mac));
	frame_put_zeros(f, N2N_IP_SUBNET_SIZE);
	frame_put_zeros(f, N2N_DESC_SIZE);
	frame_put_be16(f, N2N_AUTH_SIMPLE_ID);
	frame_put_be16(f, N2N_AUTH_ID_TOKEN_SIZE);
	frame_put_random(f, N2N_AUTH_ID_TOKEN_SIZE, 0x5eed);
	frame_put_be32(f, 0); /* key_time */
}

static void eth_ipv4_udp(struct frame *f, uint16_t dst_port)
{
	frame_eth(f, ETH_P_IP);
	frame_ipv4(f, IPPROTO_UDP);
	frame_udp(f, EDGE_PORT, dst_port);
}

static void build_ipv4_packet(struct frame *f)
{
	eth_ipv4_udp(f, SN_PORT);
	put_n2n_packet(f, 0);
	frame_finish(f);
}

static void build_ipv6_packet(struct frame *f)
{
	frame_eth(f, ETH_P_IPV6);
	frame_ipv6(f, IPPROTO_UDP);
	frame_udp(f, EDGE_PORT, SN_PORT);
	put_n2n_packet(f, 0);
	frame_finish(f);
}

static void build_ipv4_register_super(struct frame *f)
{
	eth_ipv4_udp(f, SN_PORT);
	put_n2n_register_super(f);
	frame_finish(f);
}

/* As a supernode relays it: flag bits above the type must be ignored. */
static void build_relayed_packet(struct frame *f)
{
	eth_ipv4_udp(f, SN_PORT);
	put_n2n_packet(f, N2N_FLAGS_FROM_SUPERNODE | N2N_FLAGS_SOCKET);
	frame_finish(f);
}

/* Options move the UDP header: the variable-length IPv4 pull. */
static void build_ipv4_options_packet(struct frame *f)
{
	frame_eth(f, ETH_P_IP);
	frame_ipv4_options(f, IPPROTO_UDP, 2);
	frame_udp(f, EDGE_PORT, SN_PORT);
	put_n2n_packet(f, 0);
	frame_finish(f);
}

/* Sent in plaintext to edges, above the supernode heuristic's type bound. */
static void build_re_register_super(struct frame *f)
{
	eth_ipv4_udp(f, SN_PORT);
	frame_n2n_common(f, N2N_PKT_VERSION, N2N_MSG_RE_REGISTER_SUPER,
			 "community");
	frame_finish(f);
}

/*
 * Header encryption leaves a random IV where the version byte was (here
 * not 3, as in 255 of 256 datagrams) and ciphertext after it.
 */
static void build_header_encrypted(struct frame *f)
{
	eth_ipv4_udp(f, SN_PORT);
	frame_put_random(f, N2N_PACKET_HDR_SIZE + 60, 0xc0ffee);
	f->data[f->l4_off + 8] = 0xa5;
	frame_finish(f);
}

/* Version 3 by chance, but the community's last byte is not NUL. */
static void build_header_encrypted_version_3(struct frame *f)
{
	eth_ipv4_udp(f, SN_PORT);
	frame_put_random(f, N2N_PACKET_HDR_SIZE + 60, 0xbadc0de);
	f->data[f->l4_off + 8] = N2N_PKT_VERSION;
	f->data[f->l4_off + 8 + N2N_COMMON_SIZE - 1] = 0x42;
	frame_finish(f);
}

static void build_udp_other_port(struct frame *f)
{
	eth_ipv4_udp(f, OTHER_PORT);
	put_n2n_packet(f, 0);
	frame_finish(f);
}

static void build_icmp_echo(struct frame *f)
{
	frame_eth(f, ETH_P_IP);
	frame_ipv4(f, IPPROTO_ICMP);
	frame_put_be32(f, 0x08000000); /* echo request */
	frame_put_be32(f, 0x00010001);
	frame_finish(f);
}

/* Extension headers are not walked (yet), so this is "not UDP". */
static void build_ipv6_hop_by_hop(struct frame *f)
{
	frame_eth(f, ETH_P_IPV6);
	frame_ipv6(f, 0);	       /* hop-by-hop options */
	frame_put_be32(f, 0x11000104); /* next: UDP, PadN */
	frame_put_be32(f, 0);
	frame_put_random(f, 40, 0x600d);
	frame_finish(f);
}

static void build_truncated_eth(struct frame *f)
{
	build_ipv4_packet(f);
	frame_cut(f, 10);
}

static void build_truncated_ipv4(struct frame *f)
{
	build_ipv4_packet(f);
	frame_cut(f, f->l3_off + 12);
}

/* The fixed header is all there, its options are not. */
static void build_truncated_ipv4_options(struct frame *f)
{
	build_ipv4_options_packet(f);
	frame_cut(f, f->l3_off + 24);
}

static void build_truncated_ipv6(struct frame *f)
{
	build_ipv6_packet(f);
	frame_cut(f, f->l3_off + 30);
}

static void build_truncated_udp(struct frame *f)
{
	build_ipv4_packet(f);
	frame_cut(f, f->l4_off + 4);
}

/* A well-formed UDP datagram, only shorter than an n2n header. */
static void build_truncated_n2n(struct frame *f)
{
	eth_ipv4_udp(f, SN_PORT);
	frame_n2n_common(f, N2N_PKT_VERSION, N2N_MSG_PACKET, "community");
	frame_cut(f, f->l4_off + 8 + N2N_COMMON_SIZE - 1);
	frame_finish(f);
}

static void build_ipv4_ihl_4(struct frame *f)
{
	build_ipv4_packet(f);
	f->data[f->l3_off] = 0x40 | 4;
}

/* A later fragment of a datagram to the n2n port: no UDP header in it. */
static void build_ipv4_fragment(struct frame *f)
{
	frame_eth(f, ETH_P_IP);
	frame_ipv4(f, IPPROTO_UDP);
	frame_put_random(f, 80, 0xf4a6);
	f->data[f->l3_off + 6] = 0x00; /* offset 185 * 8 bytes */
	f->data[f->l3_off + 7] = 0xb9;
	frame_finish(f);
}

/* This seed gives EtherType 0x01b2: neither IPv4 nor IPv6. */
static void build_random_bytes(struct frame *f)
{
	frame_put_random(f, 64, 0x6e326e32);
}

static void build_ipv4_packet_knob_port(struct frame *f)
{
	eth_ipv4_udp(f, KNOB_PORT);
	put_n2n_packet(f, 0);
	frame_finish(f);
}

struct xdp_case {
	const char *name;
	void (*build)(struct frame *f);
	uint16_t n2n_port; /* loaded into rodata; 0: the default */
	uint32_t verdict;
	int reason;   /* the reason_stats slot that counts it */
	int msg_type; /* the type_stats slot too, or NO_MSG_TYPE */
};

#define COUNTED(type) .reason = N2NK_OK, .msg_type = (type)
#define SKIPPED(why)  .reason = (why), .msg_type = NO_MSG_TYPE

static const struct xdp_case cases[] = {
	{ "ipv4 PACKET to the n2n port", build_ipv4_packet, 0, XDP_PASS,
	  COUNTED(N2N_MSG_PACKET) },
	{ "ipv6 PACKET to the n2n port", build_ipv6_packet, 0, XDP_PASS,
	  COUNTED(N2N_MSG_PACKET) },
	{ "ipv4 REGISTER_SUPER", build_ipv4_register_super, 0, XDP_PASS,
	  COUNTED(N2N_MSG_REGISTER_SUPER) },
	{ "relayed PACKET, flags above the type", build_relayed_packet, 0,
	  XDP_PASS, COUNTED(N2N_MSG_PACKET) },
	{ "ipv4 with options, PACKET", build_ipv4_options_packet, 0, XDP_PASS,
	  COUNTED(N2N_MSG_PACKET) },
	{ "RE_REGISTER_SUPER (type 12)", build_re_register_super, 0, XDP_PASS,
	  COUNTED(N2N_MSG_RE_REGISTER_SUPER) },
	{ "header-encrypted datagram", build_header_encrypted, 0, XDP_PASS,
	  SKIPPED(N2NK_HEADER_ENCRYPTED) },
	{ "header-encrypted, first byte 3", build_header_encrypted_version_3, 0,
	  XDP_PASS, SKIPPED(N2NK_HEADER_ENCRYPTED) },
	{ "UDP to another port", build_udp_other_port, 0, XDP_PASS,
	  SKIPPED(N2NK_WRONG_PORT) },
	{ "ICMP (not UDP)", build_icmp_echo, 0, XDP_PASS,
	  SKIPPED(N2NK_NOT_UDP) },
	{ "ipv6 hop-by-hop header", build_ipv6_hop_by_hop, 0, XDP_PASS,
	  SKIPPED(N2NK_NOT_UDP) },
	{ "truncated Ethernet header", build_truncated_eth, 0, XDP_PASS,
	  SKIPPED(N2NK_TRUNCATED_ETH) },
	{ "truncated ipv4 header", build_truncated_ipv4, 0, XDP_PASS,
	  SKIPPED(N2NK_TRUNCATED_IP) },
	{ "truncated ipv4 options", build_truncated_ipv4_options, 0, XDP_PASS,
	  SKIPPED(N2NK_TRUNCATED_IP) },
	{ "truncated ipv6 header", build_truncated_ipv6, 0, XDP_PASS,
	  SKIPPED(N2NK_TRUNCATED_IP) },
	{ "truncated UDP header", build_truncated_udp, 0, XDP_PASS,
	  SKIPPED(N2NK_TRUNCATED_UDP) },
	{ "truncated n2n header", build_truncated_n2n, 0, XDP_PASS,
	  SKIPPED(N2NK_TRUNCATED_N2N) },
	{ "ipv4 ihl 4", build_ipv4_ihl_4, 0, XDP_PASS,
	  SKIPPED(N2NK_BAD_IP_HEADER) },
	{ "ipv4 non-first fragment", build_ipv4_fragment, 0, XDP_PASS,
	  SKIPPED(N2NK_IP_FRAGMENT) },
	{ "random bytes", build_random_bytes, 0, XDP_PASS,
	  SKIPPED(N2NK_NOT_IP) },
	{ "n2n_port knob: PACKET to it", build_ipv4_packet_knob_port, KNOB_PORT,
	  XDP_PASS, COUNTED(N2N_MSG_PACKET) },
	{ "n2n_port knob: 7654 is then other", build_ipv4_packet, KNOB_PORT,
	  XDP_PASS, SKIPPED(N2NK_WRONG_PORT) },
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

/* One program per n2n_port value, loaded on first use. */
static struct loaded_prog {
	uint16_t port;
	struct xdp_n2n_count *skel;
	int err; /* negative errno: loading failed */
} loaded[MAX_LOADED_PORTS];

struct counters {
	struct n2nk_xdp_counter type[N2N_MSG_TYPE_COUNT];
	struct n2nk_xdp_counter reason[N2NK_REASON_SLOTS];
};

static void case_fail(const struct xdp_case *tc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void case_fail(const struct xdp_case *tc, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "  %s: ", tc->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int load_program(uint16_t port, struct xdp_n2n_count **out)
{
	struct xdp_n2n_count *skel;
	int err;

	skel = xdp_n2n_count__open();
	if (!skel)
		return -errno;
	skel->rodata->n2n_port = port;
	err = xdp_n2n_count__load(skel);
	if (err) {
		xdp_n2n_count__destroy(skel);
		return err;
	}
	*out = skel;
	return 0;
}

/* The program loaded for port, or NULL with *err set (tried once). */
static struct xdp_n2n_count *program_for_port(uint16_t port, int *err)
{
	struct loaded_prog *lp;
	size_t i;

	for (i = 0; i < MAX_LOADED_PORTS; i++) {
		lp = &loaded[i];
		if (lp->port == port || lp->port == 0)
			break;
	}
	if (i == MAX_LOADED_PORTS) {
		*err = -ENOSPC;
		return NULL;
	}
	if (lp->port == 0) {
		lp->port = port;
		lp->err = load_program(port, &lp->skel);
		if (lp->err)
			fprintf(stderr, "cannot load BPF (n2n_port %u): %s\n",
				port, strerror(-lp->err));
	}
	*err = lp->err;
	return lp->skel;
}

static void unload_programs(void)
{
	size_t i;

	for (i = 0; i < MAX_LOADED_PORTS; i++)
		xdp_n2n_count__destroy(loaded[i].skel);
}

static int read_counters(const struct xdp_n2n_count *skel, struct counters *c)
{
	uint32_t slot;
	int err = 0;

	for (slot = 0; !err && slot < N2N_MSG_TYPE_COUNT; slot++)
		err = xdp_counter_sum(skel->maps.type_stats, slot,
				      &c->type[slot]);
	for (slot = 0; !err && slot < N2NK_REASON_SLOTS; slot++)
		err = xdp_counter_sum(skel->maps.reason_stats, slot,
				      &c->reason[slot]);
	return err;
}

/*
 * The kernel refuses test buffers shorter than an Ethernet header. Newer
 * kernels (6.18 has it) let ctx.data_end end the linear part early and put
 * the rest in a fragment, which a program without xdp.frags never sees: so
 * a short frame is sent padded to ETH_HLEN with data_end at its real end.
 * Older kernels answer EINVAL, and the case is skipped.
 */
static int run_short_frame(const struct xdp_n2n_count *skel,
			   struct bpf_test_run_opts *opts, size_t frame_len)
{
	struct xdp_md ctx = { .data_end = frame_len };
	int err;

	opts->data_size_in = ETH_HLEN;
	opts->ctx_in = &ctx;
	opts->ctx_size_in = sizeof(ctx);
	err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.xdp_n2n_count),
				     opts);
	opts->ctx_in = NULL;
	opts->ctx_size_in = 0;
	return err == -EINVAL ? -EOPNOTSUPP : err;
}

/*
 * Runs the program once over the frame; returns its verdict, or a negative
 * errno. An observer must hand the frame on unchanged, so that is checked.
 */
static int run_once(const struct xdp_case *tc, const struct xdp_n2n_count *skel,
		    const struct frame *f)
{
	/* Static: two frame buffers off the stack; the tests run serially. */
	static uint8_t in[FRAME_MAX], out[FRAME_MAX];
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in,
		    .data_size_in = f->len, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = 1);
	int err;

	memset(in, 0, sizeof(in));
	memcpy(in, f->data, f->len);
	if (f->len < ETH_HLEN)
		err = run_short_frame(skel, &opts, f->len);
	else
		err = bpf_prog_test_run_opts(
			bpf_program__fd(skel->progs.xdp_n2n_count), &opts);
	if (err)
		return err;
	if (opts.data_size_out != opts.data_size_in ||
	    memcmp(out, in, opts.data_size_in) != 0) {
		case_fail(tc, "frame changed (%u bytes out, %u in)",
			  opts.data_size_out, opts.data_size_in);
		return -EPROTO;
	}
	return opts.retval;
}

/* Compares how much one slot grew with what the case expects. */
static int check_slot(const struct xdp_case *tc, const char *map,
		      const char *slot_name,
		      const struct n2nk_xdp_counter *before,
		      const struct n2nk_xdp_counter *after,
		      const struct n2nk_xdp_counter *want)
{
	uint64_t packets = after->packets - before->packets;
	uint64_t bytes = after->bytes - before->bytes;

	if (packets == want->packets && bytes == want->bytes)
		return 0;
	case_fail(tc, "%s[%s]: +%llu packets, +%llu bytes; want +%llu, +%llu",
		  map, slot_name, (unsigned long long)packets,
		  (unsigned long long)bytes, (unsigned long long)want->packets,
		  (unsigned long long)want->bytes);
	return -1;
}

/* The expected slot grows by one frame, every other slot stays put. */
static int check_counters(const struct xdp_case *tc,
			  const struct counters *before,
			  const struct counters *after, size_t frame_len)
{
	const struct n2nk_xdp_counter one_frame = { 1, frame_len };
	const struct n2nk_xdp_counter nothing = { 0, 0 };
	uint32_t reason_slot = n2nk_reason_slot(tc->reason);
	char name[16];
	int slot, bad = 0;

	for (slot = 0; slot < N2N_MSG_TYPE_COUNT; slot++) {
		snprintf(name, sizeof(name), "%d", slot);
		bad |= check_slot(tc, "type_stats", name, &before->type[slot],
				  &after->type[slot],
				  slot == tc->msg_type ? &one_frame : &nothing);
	}
	for (slot = 0; slot < N2NK_REASON_SLOTS; slot++)
		bad |= check_slot(tc, "reason_stats", n2nk_reason_name(-slot),
				  &before->reason[slot], &after->reason[slot],
				  (uint32_t)slot == reason_slot ? &one_frame
								: &nothing);
	return bad;
}

/*
 * Returns 0 when the case passed, CASE_SKIPPED when this kernel cannot run
 * it, or -1; the reasons go to stderr.
 */
static int run_case(const struct xdp_case *tc)
{
	uint16_t port = tc->n2n_port ? tc->n2n_port : N2N_SN_PORT_DEFAULT;
	struct counters before, after;
	struct xdp_n2n_count *skel;
	struct frame f;
	int err, verdict;

	skel = program_for_port(port, &err);
	if (!skel) {
		case_fail(tc, "no program: %s", strerror(-err));
		return -1;
	}
	frame_init(&f);
	tc->build(&f);
	err = read_counters(skel, &before);
	if (err) {
		case_fail(tc, "reading counters: %s", strerror(-err));
		return -1;
	}
	verdict = run_once(tc, skel, &f);
	if (verdict == -EOPNOTSUPP) {
		case_fail(tc, "this kernel cannot test-run a %zu-byte frame",
			  f.len);
		return CASE_SKIPPED;
	}
	if (verdict < 0) {
		case_fail(tc, "test run: %s", strerror(-verdict));
		return -1;
	}
	if ((uint32_t)verdict != tc->verdict) {
		case_fail(tc, "verdict %d, want %u", verdict, tc->verdict);
		return -1;
	}
	err = read_counters(skel, &after);
	if (err) {
		case_fail(tc, "reading counters: %s", strerror(-err));
		return -1;
	}
	return check_counters(tc, &before, &after, f.len);
}

void suite_xdp_n2n_count(struct suite_tally *t)
{
	size_t i;

	for (i = 0; i < N_CASES; i++)
		suite_record(t, cases[i].name, run_case(&cases[i]));
	unload_programs();
}
