/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * -A3 left out (lib/aes_api.h): the programs of tc_edge.bpf.c, which load
 * on any kernel, hand -A3 frames nothing; the daemon loads tc_edge_aes's
 * instead for -A3 communities. It shares aes_cts.h's include guard: an
 * object that included lib/aes_cts.h first gets the real functions, and
 * edge_tx.h and edge_rx.h include this one for everyone else.
 */
#ifndef N2NK_BPF_AES_H
#define N2NK_BPF_AES_H

#include <linux/bpf.h>

#include "lib/aes_api.h"

static __always_inline int aes_seal(struct __sk_buff *skb, __u32 off, __u32 len)
{
	return AES_FAILED;
}

static __always_inline int aes_open(struct __sk_buff *skb, __u32 off, __u32 len)
{
	return AES_FAILED;
}

static __always_inline int aes_source_is(struct __sk_buff *skb, __u32 off,
					 __u32 len, const __u8 *mac)
{
	return -1;
}

#endif /* N2NK_BPF_AES_H */
