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
 * The maps are the contract in include/n2nk_edge.h; what each program
 * does with a frame is its column of include/n2nk_reasons.h.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#include "lib/edge_rx.h"
#include "lib/edge_tap.h"
#include "lib/edge_tx.h"
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
	__u32 ifindex = 0;
	int ret;

	ret = edge_tx_frame(skb, &ifindex);
	edge_count(&tx_stats, ret, skb->len);
	if (n2nk_verdict(N2NK_LAYER_EDGE_TX, ret) == N2NK_VERDICT_OK)
		return bpf_redirect_neigh(ifindex, NULL, 0, 0);
	return TC_ACT_SHOT;
}

SEC("tc")
int edge_rx(struct __sk_buff *skb)
{
	struct n2nk_edge_conf *conf = edge_conf_get();
	__u32 len = skb->len;
	int ret;

	if (!conf || edge_lease_over())
		return TC_ACT_UNSPEC;
	ret = edge_rx_frame(skb, conf);
	edge_count(&rx_stats, ret, len);
	switch (n2nk_verdict(N2NK_LAYER_EDGE_RX, ret)) {
	case N2NK_VERDICT_OK:
		if (conf->mss_ipv4 | conf->mss_ipv6)
			edge_clamp_mss(skb, conf); /* a SYN-ACK from afar */
		return bpf_redirect(conf->tap_ifindex, BPF_F_INGRESS);
	case N2NK_VERDICT_DAEMON:
	case N2NK_VERDICT_STACK:
		return TC_ACT_UNSPEC;
	case N2NK_VERDICT_DROP:
	case N2NK_VERDICT_NONE:
		break;
	}
	return TC_ACT_SHOT; /* a reason rx should never give */
}

char LICENSE[] SEC("license") = "GPL";
