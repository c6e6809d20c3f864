// SPDX-License-Identifier: GPL-2.0-only
/*
 * The edge's kernel data path, three TC programs over bpf/lib/edge_*.h:
 *
 *   edge_tap  TC egress on the TAP device: frames for established peers
 *             go to edge_tx through the segmenting veth pair; the rest to
 *             the TAP fd (the daemon). TCP SYNs get their MSS clamped.
 *   edge_tx   TC ingress on the veth end: encapsulate, encrypt, send.
 *   edge_rx   TC ingress on the underlay: PACKETs from established peers
 *             are decrypted into the TAP's receive path (SYNs clamped);
 *             the rest go on to the stack and the daemon's socket.
 *
 * -A3 takes tc_edge_aes.bpf.c's edge_tx and edge_rx instead: the same with
 * the kernel's AES, in an object of their own because they need a kernel
 * with the crypto kfuncs and this one must load without.
 *
 * The maps are the contract in include/n2nk_edge.h; what each program
 * does with a frame is its column of include/n2nk_reasons.h.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#include "lib/edge_progs.h"
#include "lib/edge_tap.h"
#include "lib/mss_clamp.h"

SEC("tc")
int edge_tap(struct __sk_buff *skb)
{
	struct n2nk_edge_conf *conf = edge_conf_get();
	int ret;

	/* No daemon has renewed the lease: everything to the TAP fd. */
	if (!conf || edge_lease_over())
		return TC_ACT_UNSPEC;
	ret = edge_tap_classify(skb, conf);
	edge_count(&tap_stats, ret, skb->len);
	if (n2nk_verdict(N2NK_LAYER_EDGE_TAP, ret) == N2NK_VERDICT_OK)
		return bpf_redirect(conf->seg_ifindex, 0);
	return TC_ACT_UNSPEC; /* on to the TAP fd */
}

SEC("tc")
int edge_tx(struct __sk_buff *skb)
{
	return edge_tx_prog(skb);
}

SEC("tc")
int edge_rx(struct __sk_buff *skb)
{
	return edge_rx_prog(skb);
}

char LICENSE[] SEC("license") = "GPL";
