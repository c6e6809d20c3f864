// SPDX-License-Identifier: GPL-2.0-only
/*
 * The XDP programs of tools/n2n-loadgen's kernel mode: lg_tx sends
 * every frame BPF_PROG_TEST_RUN hands it out of the interface (live frames),
 * and lg_sink counts and drops the relayed PACKETs coming back, so the
 * generator measures what the supernode forwarded without a socket in the
 * way. Everything else passes: registration answers must reach the sockets.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/counter.h"
#include "lib/n2n_hdr.h"
#include "lib/parse.h"
#include "n2nk_xdp_stats.h"

/* The supernode's UDP port (host order) and IPv4 address (network order,
 * 0 = any); set before load. */
const volatile __u16 sn_port = N2N_SN_PORT_DEFAULT;
const volatile __be32 sn_addr;
/* -H: the length of a relayed PACKET's n2n datagram (0: not -H). A sealed
 * header cannot be read here, so a sealed datagram from the supernode of
 * exactly this length counts as one; the registration answers are of
 * another length and pass. */
const volatile __u16 sealed_len;

/* Relayed PACKETs received: one counter per CPU, slot 0 only. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct n2nk_xdp_counter);
} sink_stats SEC(".maps");

/*
 * The frame's headers up to the PACKET payload, written by userspace after
 * load. Live frames recycle their pages without restoring the bytes, and
 * the relay rewrites those headers in place on the far side of the veth,
 * so lg_tx puts them back before every transmission.
 */
#define LG_TX_HDR_LEN                                   \
	(sizeof(struct ethhdr) + sizeof(struct iphdr) + \
	 sizeof(struct udphdr) + N2N_PACKET_HDR_SIZE)

__u8 tx_hdr[LG_TX_HDR_LEN];

SEC("xdp")
int lg_tx(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;

	if (data + LG_TX_HDR_LEN > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	__builtin_memcpy(data, tx_hdr, LG_TX_HDR_LEN);
	return XDP_TX;
}

/* Whether the frame is an IPv4 UDP datagram from the supernode carrying a
 * plaintext PACKET it relayed (FROM_SUPERNODE set), or under -H one of
 * sealed_len bytes. */
static __always_inline int is_relayed_packet(struct cursor *c)
{
	struct udphdr *udph;
	struct ethhdr *eth;
	struct iphdr *iph;
	const __u8 *hdr;
	__u16 flags;

	if (parse_eth(c, &eth) != ETH_P_IP)
		return 0;
	if (parse_ipv4(c, &iph) != IPPROTO_UDP)
		return 0;
	if (sn_addr && iph->saddr != sn_addr)
		return 0;
	if (parse_udp(c, &udph) < 0 || udph->source != bpf_htons(sn_port))
		return 0;
	hdr = cursor_pull(c, N2N_COMMON_SIZE);
	if (!hdr)
		return 0;
	if (sealed_len)
		return !n2n_common_is_plaintext(hdr) &&
		       bpf_ntohs(udph->len) == sizeof(*udph) + sealed_len;
	if (!n2n_common_is_plaintext(hdr))
		return 0;
	flags = n2n_common_flags(hdr);
	return (flags & N2N_FLAGS_TYPE_MASK) == N2N_MSG_PACKET &&
	       (flags & N2N_FLAGS_FROM_SUPERNODE);
}

/*
 * Socket mode's stand-in for lg_sink: a veth only accepts frames its peer
 * sends with XDP_TX while an XDP program runs on it, and this one lets
 * them all through to the edges' sockets.
 */
SEC("xdp")
int lg_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int lg_sink(struct xdp_md *ctx)
{
	struct cursor c;

	cursor_init_xdp(&c, ctx);
	if (!is_relayed_packet(&c))
		return XDP_PASS;
	counter_add(&sink_stats, 0, ctx->data_end - ctx->data);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
