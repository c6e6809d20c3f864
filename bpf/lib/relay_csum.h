/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The UDP checksum of a relayed datagram, updated from the one it came
 * with (RFC 1624, eqn. 3: HC' = ~(~HC + ~m + m') for every 16-bit word m
 * that became m'), as a NAT does: the relay never reads the payload, a
 * datagram that arrived intact leaves with a right checksum and one that
 * arrived corrupt leaves as detectably corrupt. Words are summed as they
 * lie in memory (raw loads, no byte swaps): a ones' complement sum does
 * not care about byte order as long as every word is taken the same way,
 * and what is written back is in that same order.
 */
#ifndef N2NK_BPF_RELAY_CSUM_H
#define N2NK_BPF_RELAY_CSUM_H

#include <linux/in.h>
#include <linux/types.h>
#include <bpf/bpf_endian.h>

/* What replacing the word from by to adds to a sum (before folding). */
static __always_inline __u32 csum_diff16(__u16 from, __u16 to)
{
	return (__u16)~from + (__u32)to;
}

/* The same for a 32-bit field: its two words. */
static __always_inline __u32 csum_diff32(__u32 from, __u32 to)
{
	return csum_diff16(from & 0xffff, to & 0xffff) +
	       csum_diff16(from >> 16, to >> 16);
}

/* The words of a 32-bit field, for a sum. */
static __always_inline __u32 csum_words32(__u32 v)
{
	return (v & 0xffff) + (v >> 16);
}

/* A 32-bit sum folded to 16 bits, not complemented. */
static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/*
 * The checksum field check with diff (a sum of csum_diff16/32 terms)
 * applied. A computed 0 goes out as 0xffff: 0 in the field means "no
 * checksum" (RFC 768).
 */
static __always_inline __u16 csum_update(__u16 check, __u32 diff)
{
	__u16 c = (__u16)~csum_fold((__u16)~check + diff);

	return c ? c : 0xffff;
}

/*
 * The sum of a UDP pseudo-header's protocol and length words (the
 * addresses are the caller's); len as it lies in the UDP header.
 */
static __always_inline __u32 csum_pseudo_tail(__be16 len)
{
	return (__u32)bpf_htons(IPPROTO_UDP) + (__u16)len;
}

/*
 * A sender on this host that left its checksum to an offload (a socket
 * over veth, CHECKSUM_PARTIAL) leaves in the field only the pseudo-header
 * sum, folded and not complemented (the kernel's udp4_hwcsum()); the rest
 * would be added by hardware that does not exist. pseudo is that sum,
 * unfolded. A real checksum equals it by chance once in 65535 datagrams;
 * such a one goes to the daemon too, which does no harm.
 */
static __always_inline int csum_is_partial(__u16 check, __u32 pseudo)
{
	return check == csum_fold(pseudo);
}

#endif /* N2NK_BPF_RELAY_CSUM_H */
