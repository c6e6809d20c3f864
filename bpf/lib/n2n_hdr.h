/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The n2n 3.x common header (24 bytes at the start of every datagram): tells
 * plaintext from header-encrypted datagrams and reads the message type.
 */
#ifndef N2NK_BPF_N2N_HDR_H
#define N2NK_BPF_N2N_HDR_H

#include "lib/parse.h"
#include "n2n_wire_defs.h"

/* The big-endian flags|type word at N2N_COMMON_OFF_FLAGS. */
static __always_inline __u16 n2n_common_flags(const __u8 *hdr)
{
	return (__u16)hdr[N2N_COMMON_OFF_FLAGS] << 8 |
	       hdr[N2N_COMMON_OFF_FLAGS + 1];
}

/*
 * The supernode's plaintext test without its type bound (see
 * include/n2nk_xdp_stats.h). Under header encryption these bytes are IV and
 * ciphertext, so a wrong guess costs about 1 in 2^25 datagrams.
 */
static __always_inline int n2n_common_is_plaintext(const __u8 *hdr)
{
	return hdr[N2N_COMMON_OFF_VERSION] == N2N_PKT_VERSION &&
	       n2n_common_flags(hdr) < N2N_FLAGS_OPTIONS &&
	       hdr[N2N_COMMON_SIZE - 1] == 0;
}

/* Returns the message type of a plaintext common header. */
static __always_inline int parse_n2n_common(struct cursor *c)
{
	const __u8 *hdr = cursor_pull(c, N2N_COMMON_SIZE);

	if (!hdr)
		return N2NK_TRUNCATED_N2N;
	if (!n2n_common_is_plaintext(hdr))
		return N2NK_HEADER_ENCRYPTED;
	return n2n_common_flags(hdr) & N2N_FLAGS_TYPE_MASK;
}

#endif /* N2NK_BPF_N2N_HDR_H */
