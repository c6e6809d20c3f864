// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test harness for -A6's ChaCha20-Poly1305 in BPF (bpf/lib/aead.h): the
 * frame it is given is a 14-byte stand-in header, the data, and 16 bytes
 * for the tag; key, nonce and AD come from aead_params.
 *
 *   aead_seal  encrypts the data in place and writes the tag after it.
 *   aead_open  checks the tag (TC_ACT_SHOT when it does not verify, the
 *              frame unchanged) and decrypts the data in place, or
 *              `shift` bytes further on. With `bench` set it decrypts
 *              whatever the tag says, so PROG_TEST_RUN's repeated runs on
 *              one buffer (plaintext, ciphertext, ...) all cost a whole
 *              open.
 *
 * tests/bpf/test_aead.c holds them against RFC 8439 and libsodium.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#include "lib/aead.h"

#define HARNESS_HDR 14

struct aead_params {
	__u8 key[32];
	__u8 nonce[12];
	__u32 ad_len;
	__u8 ad[64];
	__u32 shift; /* open: where the plaintext goes */
	__u32 bench; /* open: decrypt whatever the tag says (repeated runs) */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct aead_params);
} aead_params SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct n2nk_aead_scratch);
} aead_scratch SEC(".maps");

/* Keyed, the AD authenticated; the data's length in *len. */
static __always_inline int start(struct __sk_buff *skb,
				 struct n2nk_aead_scratch **sp,
				 struct aead_params **pp, __u32 *len)
{
	struct n2nk_aead_scratch *s;
	struct aead_params *p;
	__u32 zero = 0;

	p = bpf_map_lookup_elem(&aead_params, &zero);
	s = bpf_map_lookup_elem(&aead_scratch, &zero);
	if (!p || !s || skb->len < HARNESS_HDR + AEAD_TAG_LEN ||
	    p->ad_len > AEAD_MAX_AD || bpf_skb_pull_data(skb, skb->len))
		return -1;
	*len = skb->len - HARNESS_HDR - AEAD_TAG_LEN;
	if (aead_start(s, p->key, p->nonce))
		return -1;
	__builtin_memcpy(s->buf, p->ad, sizeof(p->ad));
	if (aead_ad(s, p->ad_len))
		return -1;
	*sp = s, *pp = p;
	return 0;
}

SEC("tc")
int aead_seal(struct __sk_buff *skb)
{
	struct n2nk_aead_scratch *s;
	struct aead_params *p;
	__u32 len;

	if (start(skb, &s, &p, &len) ||
	    n2nk_aead_seal_skb(skb, HARNESS_HDR, len, s) ||
	    aead_finish(s, p->ad_len, len) ||
	    bpf_skb_store_bytes(skb, HARNESS_HDR + len, s->tag, AEAD_TAG_LEN,
				0))
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}

SEC("tc")
int aead_open(struct __sk_buff *skb)
{
	struct n2nk_aead_scratch *s;
	struct aead_params *p;
	__u32 len;

	if (start(skb, &s, &p, &len) ||
	    n2nk_aead_auth_skb(skb, HARNESS_HDR, len, s) ||
	    aead_finish(s, p->ad_len, len) ||
	    bpf_skb_load_bytes(skb, HARNESS_HDR + len, s->buf, AEAD_TAG_LEN))
		return TC_ACT_SHOT;
	if (!poly_tag_equal(s, s->buf) && !p->bench)
		return TC_ACT_SHOT;
	if (aead_head(skb, HARNESS_HDR, len, s))
		return TC_ACT_STOLEN;
	if (n2nk_aead_open_skb(skb, HARNESS_HDR, len, p->shift, s))
		return TC_ACT_STOLEN; /* not a verdict the tests expect */
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
