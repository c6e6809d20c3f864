// SPDX-License-Identifier: GPL-2.0-only
/*
 * XDP observer for n2n traffic: counts plaintext n2n datagrams by message
 * type and every other frame by why it is not one, then passes everything
 * on. The counters are the contract in include/n2nk_xdp_stats.h. No daemon
 * loads it: it is the PROG_TEST_RUN harness of the shared parsers
 * (bpf/lib/parse.h, n2n_hdr.h) that every other program is built on.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/n2n_hdr.h"
#include "lib/parse.h"
#include "lib/stats.h"

/* UDP destination port of n2n traffic (host order); set before load. */
const volatile __u16 n2n_port = N2N_SN_PORT_DEFAULT;

/* Returns the plaintext n2n message type, or why the frame is not one. */
static __always_inline int classify_frame(struct cursor *c)
{
	struct udphdr *udph;
	struct ethhdr *eth;
	int ret;

	ret = parse_eth(c, &eth);
	if (ret < 0)
		return ret;
	ret = parse_ip(c, ret);
	if (ret < 0)
		return ret;
	if (ret != IPPROTO_UDP)
		return N2NK_NOT_UDP;
	ret = parse_udp(c, &udph);
	if (ret < 0)
		return ret;
	if (ret != n2n_port)
		return N2NK_WRONG_PORT;
	return parse_n2n_common(c);
}

SEC("xdp")
int xdp_n2n_count(struct xdp_md *ctx)
{
	__u64 bytes = ctx->data_end - ctx->data;
	struct cursor c;
	int ret;

	cursor_init_xdp(&c, ctx);
	ret = classify_frame(&c);
	if (ret >= 0) {
		stats_count_type(ret, bytes);
		ret = N2NK_OK;
	}
	stats_count_reason(ret, bytes);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
