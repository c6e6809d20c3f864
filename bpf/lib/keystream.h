/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The keystream transforms of n2n in BPF: -A4 (ChaCha20) and -A5 (Speck
 * in n2n's counter mode) both XOR a keystream over the frame, 64 bytes at
 * a time, so encrypting and decrypting are the same function. The XOR
 * runs in a global function over the skb, verified once.
 */
#ifndef N2NK_BPF_KEYSTREAM_H
#define N2NK_BPF_KEYSTREAM_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/chacha20.h"
#include "lib/ks.h"
#include "lib/speck.h"
#include "n2nk_edge.h"

/* The longest frame the data path encrypts, and where it may start. */
#define KS_MAX_LEN    N2N_PKT_BUF_SIZE
#define KS_MAX_BLOCKS (KS_MAX_LEN / KS_BLOCK)
#define KS_MAX_OFF    256
/* Offsets into the packet are masked with this before use: the bound the
 * verifier can see, whatever the compiler did to the arithmetic. It is
 * above KS_MAX_OFF + KS_MAX_LEN, so the mask never changes a value. */
#define KS_POS_MASK   0xfff

/* Loads the transform's key and the 16-byte IV into s. */
static __always_inline void ks_setup(const struct n2nk_edge_conf *conf,
				     struct n2nk_ks_scratch *s, const __u8 *iv)
{
	if (conf->transform == N2N_TRANSFORM_CHACHA20) {
		cc20_setup(s, conf->key, iv);
		return;
	}
	__builtin_memcpy(&s->ctr[0], iv, 8);
	__builtin_memcpy(&s->ctr[1], iv + 8, 8);
}

static __always_inline int ks_next(const struct n2nk_edge_conf *conf,
				   struct n2nk_ks_scratch *s)
{
	if (conf->transform == N2N_TRANSFORM_CHACHA20)
		return n2nk_cc20_block(s);
	if (conf->transform == N2N_TRANSFORM_SPECK)
		return n2nk_speck_ctr4(&conf->speck, s);
	return -1;
}

/*
 * XORs the keystream set up in s over the len bytes at off of the skb's
 * linear data (the caller pulled them in). 0, or -1 when the bytes are
 * not there or the transform has no keystream.
 */
__attribute__((noinline)) int n2nk_ks_xor_skb(struct __sk_buff *skb, __u32 off,
					      __u32 len,
					      const struct n2nk_edge_conf *conf,
					      struct n2nk_ks_scratch *s)
{
	__u32 done = 0, j;
	void *data, *end;
	__u8 *ks8, *b;
	__u64 *w;
	int i;

	if (!skb || !conf || !s || len > KS_MAX_LEN || off > KS_MAX_OFF)
		return -1;
	ks8 = (__u8 *)s->ks;
	for (i = 0; i < KS_MAX_BLOCKS && done < len; i++) {
		if (ks_next(conf, s))
			return -1;
		data = (void *)(long)skb->data;
		end = (void *)(long)skb->data_end;
		if (len - done >= KS_BLOCK) {
			w = data + ((off + done) & KS_POS_MASK);
			if ((void *)(w + 8) > end)
				return -1;
			w[0] ^= s->ks[0], w[1] ^= s->ks[1];
			w[2] ^= s->ks[2], w[3] ^= s->ks[3];
			w[4] ^= s->ks[4], w[5] ^= s->ks[5];
			w[6] ^= s->ks[6], w[7] ^= s->ks[7];
			done += KS_BLOCK;
			continue;
		}
		for (j = 0; j < KS_BLOCK && done + j < len; j++) {
			b = data + ((off + done + j) & KS_POS_MASK);
			if ((void *)(b + 1) > end)
				return -1;
			*b ^= ks8[j];
		}
		done = len;
	}
	return done == len ? 0 : -1;
}

#endif /* N2NK_BPF_KEYSTREAM_H */
