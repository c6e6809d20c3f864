// SPDX-License-Identifier: GPL-2.0-only
/*
 * The edge's send path, TAP -> PACKET: a frame the TAP device gives us is
 * filtered as n2n does, compressed when that helps, encrypted and sent
 * straight to a peer whose direct path works, else to the supernode,
 * which relays it while edge_peer.c punches a direct path.
 */
#include <string.h>

#include "common/log.h"
#include "common/mac.h"
#include "edge.h"

/* Compresses (when it helps) and encrypts a frame into a PACKET. */
static int seal_frame(struct edge *e, struct n2n_msg *m, uint8_t *enc,
		      size_t cap, const uint8_t *frame, size_t len)
{
	uint8_t zbuf[N2N_PKT_BUF_SIZE], iv[TRANSFORM_IV_SIZE];
	uint8_t comp = N2N_COMPRESSION_NONE;
	const uint8_t *dst = frame;
	ssize_t n;

	if (e->compression != N2N_COMPRESSION_NONE) {
		n = compress_encode(&e->comp, e->compression, zbuf,
				    sizeof(zbuf), frame, len);
		if (n > 0) {
			frame = zbuf;
			len = (size_t)n;
			comp = (uint8_t)e->compression;
		}
	}
	transform_random_iv(iv);
	n = transform_encode(&e->tf, enc, cap, frame, len, iv);
	if (n < 0)
		return (int)n;
	edge_init_msg(e, m, N2N_MSG_PACKET, 0);
	mac_copy(m->u.packet.src_mac, e->mac);
	mac_copy(m->u.packet.dst_mac, dst);
	m->u.packet.compression = comp;
	m->u.packet.transform = (uint8_t)e->tf.ops->id;
	m->u.packet.payload = enc;
	m->u.packet.payload_len = (size_t)n;
	return 0;
}

static bool tx_filtered(const struct edge *e, const uint8_t *f, size_t len)
{
	uint32_t src = edge_frame_ipv4(f, len, EDGE_FRAME_IPV4_SRC);

	if (mac_is_ip_multicast(f) && !e->accept_multicast)
		return true;
	/* Without -r only our own IPv4 source address leaves. */
	return !e->allow_routing && e->ip && src && src != e->ip;
}

/* Direct to the peer while its path works, else through the supernode. */
static void count_tx(struct edge_peer *p, enum edge_via via, size_t len)
{
	p->via[via].tx++;
	p->via[via].tx_bytes += len;
}

/* len: the Ethernet frame's, for the per-peer byte counts. */
void edge_tx_send_packet(struct edge *e, struct edge_peer *p,
			 const struct n2n_msg *m, size_t len, uint64_t now)
{
	if (p && edge_peer_direct(e, p, now)) {
		if (edge_send(e, &p->sa, m) == 0) {
			e->stats.tx_p2p++;
			p->tx_p2p++;
			count_tx(p, EDGE_VIA_P2P, len);
		}
		return;
	}
	/*
	 * As n2n: the query first, so that the peer gets its trigger to punch
	 * before this packet, which would otherwise delay its punch.
	 */
	if (p)
		edge_peer_query(e, p, now);
	if (edge_send_sn(e, m) == 0) {
		e->stats.tx_sn++;
		e->stats.tx_sn_bcast += mac_is_group(m->u.packet.dst_mac);
		if (p) {
			p->tx_relay++;
			count_tx(p, EDGE_VIA_RELAY, len);
		}
	}
}

/* -A6: the peer's session seals it (edge_a6_data.c). */
static void a6_from_tap(struct edge *e, const uint8_t *frame, size_t len,
			uint64_t now)
{
	struct edge_peer *p = NULL;

	if (!mac_is_group(frame)) {
		p = edge_peer_get(e, frame, now);
		if (!p)
			return edge_drop(e, N2NK_TABLE_FULL);
	}
	edge_a6_send_frame(e, p, frame, len, now);
}

void edge_on_tap(void *ctx, uint8_t *frame, size_t len)
{
	struct edge *e = ctx;
	uint8_t enc[N2N_PKT_BUF_SIZE + TRANSFORM_MAX_OVERHEAD];
	uint64_t now = evloop_now_ms();
	struct edge_peer *p = NULL;
	const uint8_t *via;
	struct n2n_msg m;

	e->stats.tap_read++;
	if (len < ETH_FRAME_HDR_LEN) {
		edge_drop(e, N2NK_MALFORMED);
		return;
	}
	if (!edge_registered(e)) {
		edge_drop(e, N2NK_NOT_REGISTERED);
		return;
	}
	if (tx_filtered(e, frame, len) ||
	    !traffic_accept(e->rules, frame, len)) {
		edge_drop(e, N2NK_FILTERED);
		return;
	}
	mss_clamp_frame(frame, len, e->mss); /* a SYN into the overlay */
	if (e->a6)
		return a6_from_tap(e, frame, len, now);
	if (seal_frame(e, &m, enc, sizeof(enc), frame, len) < 0) {
		edge_drop(e, N2NK_DECRYPT);
		return;
	}
	/* -r: a host behind a peer goes to the peer, named in dstMac. */
	edge_bridge_local(e, frame + MAC_SIZE);
	via = edge_bridge_via(e, frame, now);
	if (via)
		mac_copy(m.u.packet.dst_mac, via);
	/* With the peer table full, a new peer's frames are relayed. */
	if (!mac_is_group(frame))
		p = edge_peer_get(e, via ? via : frame, now);
	edge_tx_send_packet(e, p, &m, len, now);
}

/*
 * Someone removed our TAP (ip link del): nothing can reach the overlay
 * any more. As WireGuard's and Tailscale's daemons do when their device
 * goes, the edge says so and stops, with exit status 1, so a supervisor
 * (systemd's Restart=on-failure) can bring up a new one.
 */
void edge_on_tap_gone(void *ctx, int err)
{
	struct edge *e = ctx;

	log_err("TAP %s is gone (%s; removed with ip link del?): stopping",
		e->tap_name, strerror(-err));
	e->tap_gone = err;
	e->loop.stop = true;
}
