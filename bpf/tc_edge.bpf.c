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

/*
 * -A6: the daemon's way into a session's replay window (run with
 * BPF_PROG_TEST_RUN, never attached). A DATA frame that reached the
 * daemon without the programs taking its counter (IP options, fragments,
 * merged datagrams, a sender or frame they hand on) takes it here, under
 * the same lock, so a session in the kernel has one window whichever
 * way its frames come. In: struct n2nk_a6_take at the start of the data;
 * out: N2NK_A6_TAKEN, N2NK_A6_SEEN or N2NK_A6_NO_SESSION.
 */
SEC("tc")
int a6_take(struct __sk_buff *skb)
{
	struct n2nk_a6_take in;
	struct n2nk_a6_rx *v;
	int seen;

	if (bpf_skb_load_bytes(skb, 0, &in, sizeof(in)))
		return N2NK_A6_NO_SESSION;
	v = bpf_map_lookup_elem(&a6_rx, &in.index);
	if (!v)
		return N2NK_A6_NO_SESSION;
	if (n2nk_replay_stale(&v->win, in.counter))
		return N2NK_A6_SEEN;
	bpf_spin_lock(&v->lock);
	seen = n2nk_replay_accept(&v->win, in.counter);
	bpf_spin_unlock(&v->lock);
	return seen ? N2NK_A6_SEEN : N2NK_A6_TAKEN;
}

char LICENSE[] SEC("license") = "GPL";
