// SPDX-License-Identifier: GPL-2.0-only
/*
 * The edge's TX and RX programs for -A3: tc_edge.bpf.c's edge_tx and
 * edge_rx with n2n's AES-CBC (ciphertext stealing here, the AES itself the
 * kernel's through the crypto kfuncs of Linux 6.10: lib/aes_cts.h), and
 * aes_setup, which the daemon runs once to make the AES contexts. The
 * daemon loads this object only for -A3 communities, sharing
 * tc_edge.bpf.c's maps (its edge_tap sends the frames here).
 */
#define N2NK_EDGE_NO_A6	 /* lib/edge_a6.h: not in -A3 communities */
#include "lib/aes_cts.h" /* first: edge_tx.h and edge_rx.h take these */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/edge_progs.h"

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

/* Run once by the daemon (BPF_PROG_RUN): the AES contexts for the key
 * in *a, into aes_ctx. */
SEC("syscall")
int aes_setup(struct n2nk_aes_setup *a)
{
	return aes_ctx_setup(a);
}

char LICENSE[] SEC("license") = "GPL";
