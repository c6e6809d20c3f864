// SPDX-License-Identifier: GPL-2.0-only
/* Datagram sealing and opening for both roles. */
#include <errno.h>
#include <sodium.h>

#include "evloop.h"
#include "msg_io.h"

ssize_t msg_seal(uint8_t *buf, size_t cap, const struct n2n_msg *m,
		 struct msg_he *he)
{
	ssize_t n = wire_encode(buf, cap, m);
	size_t hdr_len;

	if (n < 0 || !he || !he->on)
		return n;
	/* A PACKET hides its header only; everything else is hidden whole. */
	hdr_len = m->hdr.type == N2N_MSG_PACKET
			  ? (size_t)n - m->u.packet.payload_len
			  : (size_t)n;
	if (he_encrypt(buf, (size_t)n, hdr_len,
		       ts_next(&he->stamps, evloop_wall_usec()),
		       randombytes_random(), &he->keys) < 0)
		return -WIRE_ERR_INVALID;
	return n;
}

int msg_open(struct n2n_msg *m, uint8_t *buf, size_t len,
	     const char community[N2N_COMMUNITY_SIZE],
	     const struct he_keys *keys, uint64_t *stamp, enum drop_reason *why)
{
	struct he_result r;

	*stamp = 0;
	if (keys) {
		if (he_decrypt(buf, buf, len, community, keys, &r)) {
			*why = DROP_HEADER_KEY;
			return -EBADMSG;
		}
		*stamp = r.stamp;
	}
	if (wire_decode(m, buf, len) < 0) {
		*why = DROP_MALFORMED;
		return -EBADMSG;
	}
	return 0;
}

const uint8_t *msg_src_mac(const struct n2n_msg *m)
{
	switch (m->hdr.type) {
	case N2N_MSG_PACKET:
		return m->u.packet.src_mac;
	case N2N_MSG_REGISTER:
		return m->u.reg.src_mac;
	case N2N_MSG_REGISTER_ACK:
		return m->u.reg_ack.src_mac;
	case N2N_MSG_REGISTER_SUPER:
		return m->u.reg_super.edge_mac;
	case N2N_MSG_UNREGISTER_SUPER:
		return m->u.unreg_super.src_mac;
	case N2N_MSG_QUERY_PEER:
		return m->u.query_peer.src_mac;
	default:
		return NULL;
	}
}

const uint8_t *msg_dst_mac(const struct n2n_msg *m)
{
	if (m->hdr.type == N2N_MSG_PACKET)
		return m->u.packet.dst_mac;
	if (m->hdr.type == N2N_MSG_REGISTER)
		return m->u.reg.dst_mac;
	return NULL;
}
