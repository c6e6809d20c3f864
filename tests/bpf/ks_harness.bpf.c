// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test harness for the BPF keystream transforms (bpf/lib/keystream.h):
 * XORs the keystream of edge_conf's transform and the IV in `harness_iv`
 * over everything after the first 14 bytes of the frame it is given, so
 * tests/bpf/test_keystream.c can compare it with the userspace transforms.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#include "lib/keystream.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct n2nk_edge_conf);
} edge_conf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct n2nk_ks_scratch);
} ks_scratch SEC(".maps");

/* The 16-byte IV to use. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8[16]);
} harness_iv SEC(".maps");

SEC("tc")
int ks_harness(struct __sk_buff *skb)
{
	struct n2nk_edge_conf *conf;
	struct n2nk_ks_scratch *s;
	__u32 zero = 0, len;
	__u8 *iv;

	conf = bpf_map_lookup_elem(&edge_conf, &zero);
	s = bpf_map_lookup_elem(&ks_scratch, &zero);
	iv = bpf_map_lookup_elem(&harness_iv, &zero);
	if (!conf || !s || !iv || skb->len < 14)
		return TC_ACT_SHOT;
	if (bpf_skb_pull_data(skb, skb->len))
		return TC_ACT_SHOT;
	len = skb->len - 14;
	ks_setup(conf, s, iv);
	return n2nk_ks_xor_skb(skb, 14, len, conf, s) ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
