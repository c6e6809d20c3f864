/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the edge's programs ask of -A3 (n2n's AES-CBC with ciphertext
 * stealing), whichever object they are built into: the one with the
 * kernel's AES (lib/aes_cts.h, tc_edge_aes.bpf.c) or the one without
 * (lib/aes_none.h, tc_edge.bpf.c, which must load on kernels that lack the
 * crypto kfuncs). Both define, over the len bytes at off of a linear skb
 * (16 random bytes and the frame):
 *
 *   aes_seal(skb, off, len)    encrypt in place into n2n's output;
 *   aes_open(skb, off, len)    decrypt n2n's output in place;
 *   aes_source_is(skb, off, len, mac)
 *                              whether the frame's source MAC is mac,
 *                              from its first block alone: 1 yes, 0 no,
 *                              < 0 cannot tell.
 *
 * seal and open return 0, AES_FAILED (the packet is unchanged) or
 * AES_FAILED_WRITTEN (part of it changed: drop it, never hand it on).
 */
#ifndef N2NK_BPF_AES_API_H
#define N2NK_BPF_AES_API_H

#define AES_BLOCK	   16
#define AES_FAILED	   (-1)
#define AES_FAILED_WRITTEN (-2)

#endif /* N2NK_BPF_AES_API_H */
