// SPDX-License-Identifier: GPL-2.0-only
/*
 * The edge's receive path, PACKET -> TAP: a PACKET of our community is
 * checked, decrypted, decompressed and filtered as n2n does, counted as
 * P2P or relayed, and its frame written to the TAP device. What it tells
 * about the sender's address goes to the peer table (edge_peer.c).
 */
#include <string.h>

#include "common/mac.h"
#include "edge.h"
#include "edge_bday.h"

static bool rx_filtered(const struct edge *e, const uint8_t *f, size_t len)
{
	uint32_t dst = edge_frame_ipv4(f, len, EDGE_FRAME_IPV4_DST);

	if (mac_is_ip_multicast(f) && !e->accept_multicast)
		return true;
	return !e->allow_routing && !mac_is_group(f) && e->ip && dst &&
	       dst != e->ip;
}

/* Decrypts and decompresses a PACKET's payload into frame; length or <0. */
static ssize_t open_payload(struct edge *e, const struct n2n_packet *p,
			    uint8_t *frame, size_t cap)
{
	uint8_t plain[N2N_PKT_BUF_SIZE];
	ssize_t n;

	if (p->compression == N2N_COMPRESSION_NONE)
		return transform_decode(&e->tf, frame, cap, p->payload,
					p->payload_len);
	n = transform_decode(&e->tf, plain, sizeof(plain), p->payload,
			     p->payload_len);
	if (n < 0)
		return n;
	return compress_decode(&e->comp, p->compression, frame, cap, plain,
			       (size_t)n);
}

/*
 * n2n's ciphers do not authenticate: random bytes "decrypt". A direct
 * PACKET proves a path only when the frame inside comes from its srcMac
 * (as the kernel path's N2NK_INNER_SOURCE check), and only for a peer the
 * supernode told us of; others (bridged frames behind the peer, -r) are
 * still delivered.
 */
static void count_rx(struct edge *e, const struct n2n_msg *m,
		     const struct sockaddr_storage *from, bool via_sn,
		     bool inner_ok, size_t len, uint64_t now)
{
	struct edge_peer *p = edge_peer_find(e, m->u.packet.src_mac);

	if (p) {
		p->via[via_sn ? EDGE_VIA_RELAY : EDGE_VIA_P2P].rx++;
		p->via[via_sn ? EDGE_VIA_RELAY : EDGE_VIA_P2P].rx_bytes += len;
	}
	if (via_sn) {
		e->stats.rx_sn++;
		e->stats.rx_sn_bcast += mac_is_group(m->u.packet.dst_mac);
		if (p)
			p->rx_relay++;
		edge_peer_learn_relayed(e, m, now);
		return;
	}
	e->stats.rx_p2p++;
	if (!p) {
		if (inner_ok)
			edge_peer_ask(e, m->u.packet.src_mac, now);
		return;
	}
	p->rx_p2p++;
	if (inner_ok)
		edge_peer_heard_direct(e, p, from, now);
}

void edge_on_packet(struct edge *e, const struct n2n_msg *m,
		    const struct sockaddr_storage *from, bool via_sn)
{
	const struct n2n_packet *pk = &m->u.packet;
	uint8_t frame[N2N_PKT_BUF_SIZE];
	ssize_t n;

	if (!edge_registered(e)) {
		edge_drop(e, N2NK_NOT_REGISTERED);
		return;
	}
	if (mac_equal(pk->src_mac, e->mac)) {
		edge_drop(e, N2NK_UNEXPECTED);
		return;
	}
	if (e->a6) { /* its own transform check, which says more */
		edge_a6_on_packet(e, m, from, via_sn);
		return;
	}
	if (pk->transform != e->tf.ops->id) {
		edge_drop(e, N2NK_TRANSFORM);
		return;
	}
	n = open_payload(e, pk, frame, sizeof(frame));
	if (n < ETH_FRAME_HDR_LEN) {
		edge_drop(e, N2NK_DECRYPT);
		return;
	}
	edge_rx_deliver(e, m, from, via_sn, frame, (size_t)n);
}

void edge_rx_deliver(struct edge *e, const struct n2n_msg *m,
		     const struct sockaddr_storage *from, bool via_sn,
		     uint8_t *frame, size_t n)
{
	const struct n2n_packet *pk = &m->u.packet;

	if (edge_bday_on_frame(e, frame, n, pk->src_mac)) /* never to the TAP */
		return;
	if (rx_filtered(e, frame, n) || !traffic_accept(e->rules, frame, n)) {
		edge_drop(e, N2NK_FILTERED);
		return;
	}
	count_rx(e, m, from, via_sn, mac_equal(frame + MAC_SIZE, pk->src_mac),
		 n, evloop_now_ms());
	if (e->allow_routing) /* -r: a host behind the sender */
		edge_bridge_learn(e, frame + MAC_SIZE, pk->src_mac,
				  evloop_now_ms());
	mss_clamp_frame(frame, n, e->mss); /* a SYN-ACK from afar */
	if (datapath_send_tap(&e->dp, frame, n) < 0)
		edge_drop(e, N2NK_SEND_FAILED);
	else
		e->stats.tap_written++;
}
