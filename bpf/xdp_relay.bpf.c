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
/* Where next hops come from: enum n2nk_relay_next_hop. */
const volatile __u8 next_hop = N2NK_RELAY_HOP_FIB;

SEC("xdp")
int xdp_relay(struct xdp_md *ctx)
{
	__u64 bytes = ctx->data_end - ctx->data;
	struct relay_hop hop = {};
	int ret;

	ret = relay_frame(ctx, sn_port, next_hop, &hop);
	relay_count(ret, bytes);
	switch (n2nk_verdict(N2NK_LAYER_RELAY, ret)) {
	case N2NK_VERDICT_OK:
		return relay_egress(ctx, hop.ifindex); /* XDP_TX or redirect */
	case N2NK_VERDICT_DAEMON:
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
