// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test harness for -A3 in BPF (bpf/lib/aes_cts.h): encrypts or decrypts,
 * in place, everything after the first 14 bytes of the frame it is given,
 * with the contexts aes_setup made, so tests/bpf/test_aes_cts.c can hold
 * it against n2n's vectors, the captures and the userspace transform.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#include "lib/aes_cts.h"

static __always_inline int run(struct __sk_buff *skb, int decrypt)
{
	__u32 len;

	if (skb->len < 14 || bpf_skb_pull_data(skb, skb->len))
		return TC_ACT_SHOT;
	len = skb->len - 14;
	if (decrypt)
		return n2nk_aes_cts_decrypt(skb, 14, len) ? TC_ACT_SHOT
							  : TC_ACT_OK;
	return n2nk_aes_cts_encrypt(skb, 14, len) ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("tc")
int aes_encrypt(struct __sk_buff *skb)
{
	return run(skb, 0);
}

SEC("tc")
int aes_decrypt(struct __sk_buff *skb)
{
	return run(skb, 1);
}

SEC("syscall")
int aes_setup(struct n2nk_aes_setup *a)
{
	return aes_ctx_setup(a);
}

char LICENSE[] SEC("license") = "GPL";
