// SPDX-License-Identifier: GPL-2.0-only
/*
 * XDP supernode relay: forwards n2n PACKETs (plaintext, or sealed with a
 * -H community's header keys) between registered edges without waking
 * the userspace supernode, and passes everything else
 * on unchanged, to it or to the kernel's stack (or drops it). The maps and
 * counters are the contract in include/n2nk_relay.h; what happens to each
 * frame is the relay column of include/n2nk_reasons.h.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/relay.h"

/* UDP port the supernode listens on (host order); set before load. */
const volatile __u16 sn_port = N2N_SN_PORT_DEFAULT;
/* Where next hops come from: enum n2nk_relay_next_hop, for IPv4 and
 * IPv6 (each by its own forwarding setting). */
const volatile __u8 next_hop = N2NK_RELAY_HOP_FIB;
const volatile __u8 next_hop6 = N2NK_RELAY_HOP_FIB;
/* 1: a partial UDP checksum (a local sender's, over a virtual device)
 * goes to the daemon; 0 where every interface is hardware. */
const volatile __u8 partial_csum = 1;

SEC("xdp")
int xdp_relay(struct xdp_md *ctx)
{
	__u64 bytes = ctx->data_end - ctx->data;
	struct relay_hop hop = {};
	int ret;

	ret = relay_frame(ctx, sn_port, next_hop, next_hop6, partial_csum,
			  &hop);
	relay_count(ret, bytes);
	switch (n2nk_verdict(N2NK_LAYER_RELAY, ret)) {
	case N2NK_VERDICT_OK:
		return relay_egress(ctx, hop.ifindex); /* XDP_TX or redirect */
	case N2NK_VERDICT_DAEMON:
		/* The AF_XDP path parses IPv4 only: IPv6 reaches the daemon's
		 * socket through the stack, which checks it on the way. */
		if (hop.v6)
			return XDP_PASS;
		return relay_to_daemon(ctx);
	case N2NK_VERDICT_STACK:
		return XDP_PASS;
	case N2NK_VERDICT_DROP:
	case N2NK_VERDICT_NONE:
		break;
	}
	return XDP_DROP; /* a reason the relay should never give */
}

char LICENSE[] SEC("license") = "GPL";
