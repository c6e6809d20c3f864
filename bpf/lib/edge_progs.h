/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The bodies of the edge's TX and RX programs, shared by tc_edge.bpf.c
 * (every transform but -A3) and tc_edge_aes.bpf.c (the same with the
 * kernel's AES): what each verdict of include/n2nk_reasons.h does.
 */
#ifndef N2NK_BPF_EDGE_PROGS_H
#define N2NK_BPF_EDGE_PROGS_H

#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#include "lib/edge_rx.h"
#include "lib/edge_tx.h"
#include "lib/mss_clamp.h"

static __always_inline int edge_tx_prog(struct __sk_buff *skb)
{
	__u32 ifindex = 0;
	int ret;

	ret = edge_tx_frame(skb, &ifindex);
	edge_count(&tx_stats, ret, skb->len);
	if (n2nk_verdict(N2NK_LAYER_EDGE_TX, ret) == N2NK_VERDICT_OK)
		return bpf_redirect_neigh(ifindex, NULL, 0, 0);
	return TC_ACT_SHOT;
}

static __always_inline int edge_rx_prog(struct __sk_buff *skb)
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

#endif /* N2NK_BPF_EDGE_PROGS_H */
