// SPDX-License-Identifier: GPL-2.0-only
/*
 * The XDP programs of tools/n2n-loadgen's kernel mode: lg_tx sends
 * every frame BPF_PROG_TEST_RUN hands it out of the interface (live frames),
 * and lg_sink counts and drops the relayed PACKETs coming back, so the
 * generator measures what the supernode forwarded without a socket in the
 * way. Everything else passes: registration answers must reach the sockets.
 * lg_tx can pace itself (open loop: a target rate whatever the receiver
 * takes) and cycle over many flows; lg_reflect is the bare XDP_TX
 * reflector a relay is compared with.
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

/* --flows N (N > 1): frame k carries flow k % N's headers (pair k % N's
 * addresses, ports and MACs), written by userspace after load. */
#define LG_MAX_FLOWS 8192

struct lg_hdr {
	__u8 b[LG_TX_HDR_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LG_MAX_FLOWS);
	__type(key, __u32);
	__type(value, struct lg_hdr);
} tx_flows SEC(".maps");

__u32 n_flows;
__u32 flow_next;

/*
 * Pacing (-r with -m kernel), set by userspace before each call; one
 * sender, so plain variables. Frame k is due at pace_start + k *
 * pace_period / 2^16 ns; every pace_burst frames the program spins (with
 * bpf_loop) until the next group is due, and BPF_PROG_TEST_RUN's batch is
 * one group, so the supernode's ring gets pace_burst frames at a time.
 * A sender more than LG_PACE_MAX_LAG groups late (preempted) starts the
 * schedule again from now instead of catching up in one long burst
 * (pace_resets). From pace_end on frames are dropped, not sent.
 */
#define LG_PACE_SHIFT	16
#define LG_PACE_MAX_LAG 4
#define LG_PACE_SPINS	(1 << 20)

__u64 pace_period;
__u32 pace_burst;
__u64 pace_start;
__u64 pace_end;
__u64 pace_sent;
__u64 pace_resets;
__u64 pace_first_ns;
__u64 pace_last_ns;

struct pace_wait {
	__u64 due;
	__u64 now;
};

static long pace_spin(__u64 i, void *arg)
{
	struct pace_wait *w = arg;

	w->now = bpf_ktime_get_ns();
	return w->now >= w->due;
}

/* XDP_TX when the frame may go, XDP_DROP once the time is up. */
static __always_inline int pace(void)
{
	struct pace_wait w;
	__u64 lag;

	if (!pace_period)
		return XDP_TX;
	if (pace_burst && pace_sent % pace_burst)
		goto send;
	w.due = pace_start + ((pace_sent * pace_period) >> LG_PACE_SHIFT);
	w.now = bpf_ktime_get_ns();
	if (w.now < w.due)
		bpf_loop(LG_PACE_SPINS, pace_spin, &w, 0);
	lag = (LG_PACE_MAX_LAG * pace_burst * pace_period) >> LG_PACE_SHIFT;
	if (w.now > w.due + lag) {
		pace_start += w.now - w.due;
		pace_resets++;
	}
	if (w.now >= pace_end)
		return XDP_DROP;
	if (!pace_first_ns)
		pace_first_ns = w.now;
	pace_last_ns = w.now;
send:
	pace_sent++;
	return XDP_TX;
}

SEC("xdp")
int lg_tx(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	struct lg_hdr *h;
	__u32 k;

	if (data + LG_TX_HDR_LEN > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	if (n_flows > 1) {
		k = flow_next++;
		if (k >= n_flows) {
			k = 0;
			flow_next = 1;
		}
		h = bpf_map_lookup_elem(&tx_flows, &k);
		if (!h)
			return XDP_ABORTED;
		__builtin_memcpy(data, h->b, LG_TX_HDR_LEN);
	} else {
		__builtin_memcpy(data, tx_hdr, LG_TX_HDR_LEN);
	}
	return pace();
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

/*
 * The lab's physical limit: the least an XDP relay must do. A plaintext
 * PACKET to the supernode's port goes back where it came from, MACs, IPv4
 * addresses and UDP ports swapped and FROM_SUPERNODE set (so lg_sink
 * counts it), with XDP_TX; the IPv4 checksum holds (a swap), the UDP one
 * is 0. Everything else passes (ARP, registrations for the daemon).
 */
SEC("xdp")
int lg_reflect(struct xdp_md *ctx)
{
	__u8 mac[ETH_ALEN], *hdr;
	struct udphdr *udph;
	struct ethhdr *eth;
	struct iphdr *iph;
	struct cursor c;
	__be32 addr;
	__be16 port;

	cursor_init_xdp(&c, ctx);
	if (parse_eth(&c, &eth) != ETH_P_IP ||
	    parse_ipv4(&c, &iph) != IPPROTO_UDP || parse_udp(&c, &udph) < 0 ||
	    udph->dest != bpf_htons(sn_port))
		return XDP_PASS;
	hdr = cursor_pull(&c, N2N_COMMON_SIZE);
	if (!hdr || !n2n_common_is_plaintext(hdr) ||
	    (n2n_common_flags(hdr) & N2N_FLAGS_TYPE_MASK) != N2N_MSG_PACKET)
		return XDP_PASS;
	__builtin_memcpy(mac, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, mac, ETH_ALEN);
	addr = iph->saddr;
	iph->saddr = iph->daddr;
	iph->daddr = addr;
	port = udph->source;
	udph->source = udph->dest;
	udph->dest = port;
	hdr[N2N_COMMON_OFF_FLAGS + 1] |= N2N_FLAGS_FROM_SUPERNODE;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
