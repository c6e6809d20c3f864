// SPDX-License-Identifier: GPL-2.0-only
/* Datagram sealing and opening for both roles. */
#include <errno.h>
#include <sodium.h>
#include <string.h>

#include "auth.h"
#include "common/evloop.h"
#include "msg_io.h"

void msg_he_init(struct msg_he *he, bool on,
		 const char community[N2N_COMMUNITY_SIZE])
{
	he->on = on;
	he->upw = false;
	he_keys_from_community(&he->static_keys, community);
	he->keys = he->static_keys;
}

bool msg_uses_static_keys(unsigned int type)
{
	return type == N2N_MSG_REGISTER_SUPER ||
	       type == N2N_MSG_REGISTER_SUPER_ACK ||
	       type == N2N_MSG_REGISTER_SUPER_NAK;
}

/* What header encryption hides: the whole message, or a PACKET's header
 * (plus its payload IV in a upw community). */
static size_t hidden_len(const struct n2n_msg *m, size_t n, bool upw)
{
	size_t payload;

	if (m->hdr.type != N2N_MSG_PACKET)
		return n;
	payload = m->u.packet.payload_len;
	return n - payload + (upw ? (payload < 16 ? payload : 16) : 0);
}

ssize_t msg_seal(uint8_t *buf, size_t cap, const struct n2n_msg *m,
		 struct msg_he *he)
{
	ssize_t n = wire_encode(buf, cap, m);
	const struct he_keys *keys;

	if (n < 0 || !he || !he->on)
		return n;
	keys = msg_uses_static_keys(m->hdr.type) ? &he->static_keys : &he->keys;
	if (he_encrypt(buf, (size_t)n, hidden_len(m, (size_t)n, he->upw),
		       ts_next(&he->stamps, evloop_wall_usec() + he->lead_usec),
		       randombytes_random(), keys) < 0)
		return -WIRE_ERR_INVALID;
	return n;
}

ssize_t msg_append_trailer(uint8_t *buf, size_t cap, size_t len,
			   const struct auth_secret *s)
{
	if (cap - len < AUTH_TRAILER_SIZE || len > cap)
		return -WIRE_ERR_NO_SPACE;
	if (s)
		auth_trailer(buf + len, buf, len, s);
	else
		randombytes_buf(buf + len, AUTH_TRAILER_SIZE);
	return (ssize_t)(len + AUTH_TRAILER_SIZE);
}

/* upw: the static keys over all but the 16-byte trailer. */
static int open_static(uint8_t *buf, size_t len,
		       const char community[N2N_COMMUNITY_SIZE],
		       const struct msg_he *he, struct msg_opened *o)
{
	struct he_result r;
	size_t n = len - AUTH_TRAILER_SIZE;

	/* Longer than o->enc (and than he_decrypt takes): not ours. */
	if (len < N2N_COMMON_SIZE + AUTH_TRAILER_SIZE || n > sizeof(o->enc) ||
	    !he_magic_matches(buf, n, &he->static_keys))
		return -1;
	memcpy(o->enc, buf, n);
	if (he_decrypt(buf, buf, n, community, &he->static_keys, &r))
		return -1;
	o->enc_len = n;
	o->by_static = true;
	o->trailer = buf + n;
	o->stamp = r.stamp;
	return 0;
}

int msg_open(struct n2n_msg *m, uint8_t *buf, size_t len,
	     const char community[N2N_COMMUNITY_SIZE], const struct msg_he *he,
	     struct msg_opened *o, enum n2nk_reason *why)
{
	size_t dec_len = len;
	struct he_result r;

	o->stamp = 0;
	o->by_static = false;
	if (he && he->on) {
		if (!he_decrypt(buf, buf, len, community, &he->keys, &r)) {
			o->stamp = r.stamp;
		} else if (he->upw &&
			   !open_static(buf, len, community, he, o)) {
			dec_len = o->enc_len;
		} else {
			*why = N2NK_HEADER_KEY;
			return -EBADMSG;
		}
	}
	if (wire_decode(m, buf, dec_len) < 0) {
		*why = N2NK_MALFORMED;
		return -EBADMSG;
	}
	/* In a upw community only registration may use the static keys. */
	if (o->by_static && !msg_uses_static_keys(m->hdr.type)) {
		*why = N2NK_UNEXPECTED;
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
