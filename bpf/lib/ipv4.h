/* SPDX-License-Identifier: GPL-2.0-only */
/* IPv4 header helpers shared by the programs that write headers. */
#ifndef N2NK_BPF_IPV4_H
#define N2NK_BPF_IPV4_H

#include <linux/ip.h>
#include <linux/types.h>

/* The IPv4 header checksum, computed afresh over 20 bytes. */
static __always_inline __u16 ipv4_csum(struct iphdr *iph)
{
	__u16 *w = (__u16 *)iph;
	__u32 sum = 0;
	int i;

	iph->check = 0;
#pragma unroll
	for (i = 0; i < (int)sizeof(*iph) / 2; i++)
		sum += w[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum += sum >> 16;
	return ~sum & 0xffff;
}

#endif /* N2NK_BPF_IPV4_H */
