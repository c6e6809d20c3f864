// SPDX-License-Identifier: GPL-2.0-only
/*
 * n2n 3.x message encoders and decoders. Reading and writing go through a
 * cursor with a sticky error, so each body codec reads like the layout table
 * in docs/protocol.md and no field can run past its buffer.
 */
#include <string.h>

#include "common/bytes.h"
#include "common/compiler.h"
#include "wire.h"

struct rd {
	const uint8_t *p;
	size_t len;
	size_t off;
	int err;
};

struct wr {
	uint8_t *p;
	size_t cap;
	size_t off;
	int err;
};

/* Returns a pointer to the next n bytes, or NULL (and sets err) past end. */
static const uint8_t *rd_take(struct rd *r, size_t n)
{
	const uint8_t *at;

	if (r->err)
		return NULL;
	if (n > r->len - r->off) {
		r->err = WIRE_ERR_TRUNCATED;
		return NULL;
	}
	at = r->p + r->off;
	r->off += n;
	return at;
}

static uint8_t rd_u8(struct rd *r)
{
	const uint8_t *p = rd_take(r, 1);

	return p ? p[0] : 0;
}

static uint16_t rd_be16(struct rd *r)
{
	const uint8_t *p = rd_take(r, 2);

	return p ? get_be16(p) : 0;
}

static uint32_t rd_be32(struct rd *r)
{
	const uint8_t *p = rd_take(r, 4);

	return p ? get_be32(p) : 0;
}

static void rd_bytes(struct rd *r, void *dst, size_t n)
{
	const uint8_t *p = rd_take(r, n);

	if (p)
		memcpy(dst, p, n);
}

static uint8_t *wr_take(struct wr *w, size_t n)
{
	uint8_t *at;

	if (w->err)
		return NULL;
	if (n > w->cap - w->off) {
		w->err = WIRE_ERR_NO_SPACE;
		return NULL;
	}
	at = w->p + w->off;
	w->off += n;
	return at;
}

static void wr_u8(struct wr *w, uint8_t v)
{
	uint8_t *p = wr_take(w, 1);

	if (p)
		p[0] = v;
}

static void wr_be16(struct wr *w, uint16_t v)
{
	uint8_t *p = wr_take(w, 2);

	if (p)
		put_be16(p, v);
}

static void wr_be32(struct wr *w, uint32_t v)
{
	uint8_t *p = wr_take(w, 4);

	if (p)
		put_be32(p, v);
}

static void wr_bytes(struct wr *w, const void *src, size_t n)
{
	uint8_t *p = wr_take(w, n);

	if (p && n)
		memcpy(p, src, n);
}

static void wr_fail(struct wr *w, int err)
{
	if (!w->err)
		w->err = err;
}

/* Fields shared by several messages. */

static void rd_sock(struct rd *r, struct n2n_sock *s)
{
	uint16_t family = rd_be16(r);

	memset(s, 0, sizeof(*s));
	if (family & ~(N2N_SOCK_FLAG_IPV6 | N2N_SOCK_FLAG_TCP)) {
		if (!r->err)
			r->err = WIRE_ERR_SOCK_FAMILY;
		return;
	}
	s->ipv6 = family & N2N_SOCK_FLAG_IPV6;
	s->tcp = family & N2N_SOCK_FLAG_TCP;
	s->port = rd_be16(r);
	rd_bytes(r, s->addr, s->ipv6 ? 16 : 4);
}

static void wr_sock(struct wr *w, const struct n2n_sock *s)
{
	uint16_t family = (s->ipv6 ? N2N_SOCK_FLAG_IPV6 : 0) |
			  (s->tcp ? N2N_SOCK_FLAG_TCP : 0);

	wr_be16(w, family);
	wr_be16(w, s->port);
	wr_bytes(w, s->addr, s->ipv6 ? 16 : 4);
}

static void rd_subnet(struct rd *r, struct n2n_ip_subnet *ip)
{
	ip->addr = rd_be32(r);
	ip->prefix = rd_u8(r);
}

static void wr_subnet(struct wr *w, const struct n2n_ip_subnet *ip)
{
	wr_be32(w, ip->addr);
	wr_u8(w, ip->prefix);
}

/* n2n copies token_size bytes into a 48-byte array unchecked; we refuse. */
static void rd_auth(struct rd *r, struct n2n_auth *a)
{
	memset(a, 0, sizeof(*a));
	a->scheme = rd_be16(r);
	a->token_size = rd_be16(r);
	if (a->token_size > N2N_AUTH_MAX_TOKEN_SIZE) {
		if (!r->err)
			r->err = WIRE_ERR_TOKEN_SIZE;
		return;
	}
	rd_bytes(r, a->token, a->token_size);
}

static void wr_auth(struct wr *w, const struct n2n_auth *a)
{
	if (a->token_size > N2N_AUTH_MAX_TOKEN_SIZE) {
		wr_fail(w, WIRE_ERR_INVALID);
		return;
	}
	wr_be16(w, a->scheme);
	wr_be16(w, a->token_size);
	wr_bytes(w, a->token, a->token_size);
}

static void rd_sn_entry(struct rd *r, struct n2n_sn_entry *e)
{
	const uint8_t *p = rd_take(r, 4);

	if (p) {
		e->family = p[0];
		e->pad = p[1];
		e->port = get_le16(p + 2); /* n2n quirk: little-endian */
	}
	rd_bytes(r, e->addr, sizeof(e->addr));
	rd_bytes(r, e->mac, sizeof(e->mac));
}

static void wr_sn_entry(struct wr *w, const struct n2n_sn_entry *e)
{
	uint8_t *p = wr_take(w, 4);

	if (p) {
		p[0] = e->family;
		p[1] = e->pad;
		put_le16(p + 2, e->port);
	}
	wr_bytes(w, e->addr, sizeof(e->addr));
	wr_bytes(w, e->mac, sizeof(e->mac));
}

static bool has_sock(const struct n2n_common *h)
{
	return h->flags & N2N_FLAGS_SOCKET;
}

/* Message bodies, in n2n's wire order. */

static void dec_register(struct rd *r, struct n2n_msg *m)
{
	struct n2n_register *b = &m->u.reg;

	b->cookie = rd_be32(r);
	rd_bytes(r, b->src_mac, N2N_MAC_SIZE);
	rd_bytes(r, b->dst_mac, N2N_MAC_SIZE);
	if (has_sock(&m->hdr))
		rd_sock(r, &b->sock);
	rd_subnet(r, &b->dev_addr);
	rd_bytes(r, b->dev_desc, N2N_DESC_SIZE);
}

static void enc_register(struct wr *w, const struct n2n_msg *m)
{
	const struct n2n_register *b = &m->u.reg;

	wr_be32(w, b->cookie);
	wr_bytes(w, b->src_mac, N2N_MAC_SIZE);
	wr_bytes(w, b->dst_mac, N2N_MAC_SIZE);
	if (has_sock(&m->hdr))
		wr_sock(w, &b->sock);
	wr_subnet(w, &b->dev_addr);
	wr_bytes(w, b->dev_desc, N2N_DESC_SIZE);
}

static void dec_register_ack(struct rd *r, struct n2n_msg *m)
{
	struct n2n_register_ack *b = &m->u.reg_ack;

	b->cookie = rd_be32(r);
	rd_bytes(r, b->dst_mac, N2N_MAC_SIZE);
	rd_bytes(r, b->src_mac, N2N_MAC_SIZE);
	if (has_sock(&m->hdr))
		rd_sock(r, &b->sock);
}

static void enc_register_ack(struct wr *w, const struct n2n_msg *m)
{
	const struct n2n_register_ack *b = &m->u.reg_ack;

	wr_be32(w, b->cookie);
	wr_bytes(w, b->dst_mac, N2N_MAC_SIZE);
	wr_bytes(w, b->src_mac, N2N_MAC_SIZE);
	if (has_sock(&m->hdr))
		wr_sock(w, &b->sock);
}

/* The payload is whatever follows the header; the decoder consumes it all. */
static void dec_packet(struct rd *r, struct n2n_msg *m)
{
	struct n2n_packet *b = &m->u.packet;

	rd_bytes(r, b->src_mac, N2N_MAC_SIZE);
	rd_bytes(r, b->dst_mac, N2N_MAC_SIZE);
	if (has_sock(&m->hdr))
		rd_sock(r, &b->sock);
	b->compression = rd_u8(r);
	b->transform = rd_u8(r);
	b->payload_len = r->err ? 0 : r->len - r->off;
	b->payload = rd_take(r, b->payload_len);
}

static void enc_packet(struct wr *w, const struct n2n_msg *m)
{
	const struct n2n_packet *b = &m->u.packet;

	wr_bytes(w, b->src_mac, N2N_MAC_SIZE);
	wr_bytes(w, b->dst_mac, N2N_MAC_SIZE);
	if (has_sock(&m->hdr))
		wr_sock(w, &b->sock);
	wr_u8(w, b->compression);
	wr_u8(w, b->transform);
	if (b->payload_len && !b->payload) {
		wr_fail(w, WIRE_ERR_INVALID);
		return;
	}
	wr_bytes(w, b->payload, b->payload_len);
}

static void dec_register_super(struct rd *r, struct n2n_msg *m)
{
	struct n2n_register_super *b = &m->u.reg_super;

	b->cookie = rd_be32(r);
	rd_bytes(r, b->edge_mac, N2N_MAC_SIZE);
	if (has_sock(&m->hdr))
		rd_sock(r, &b->sock);
	rd_subnet(r, &b->dev_addr);
	rd_bytes(r, b->dev_desc, N2N_DESC_SIZE);
	rd_auth(r, &b->auth);
	b->key_time = rd_be32(r);
}

static void enc_register_super(struct wr *w, const struct n2n_msg *m)
{
	const struct n2n_register_super *b = &m->u.reg_super;

	wr_be32(w, b->cookie);
	wr_bytes(w, b->edge_mac, N2N_MAC_SIZE);
	if (has_sock(&m->hdr))
		wr_sock(w, &b->sock);
	wr_subnet(w, &b->dev_addr);
	wr_bytes(w, b->dev_desc, N2N_DESC_SIZE);
	wr_auth(w, &b->auth);
	wr_be32(w, b->key_time);
}

static void dec_unregister_super(struct rd *r, struct n2n_msg *m)
{
	rd_auth(r, &m->u.unreg_super.auth);
	rd_bytes(r, m->u.unreg_super.src_mac, N2N_MAC_SIZE);
}

static void enc_unregister_super(struct wr *w, const struct n2n_msg *m)
{
	wr_auth(w, &m->u.unreg_super.auth);
	wr_bytes(w, m->u.unreg_super.src_mac, N2N_MAC_SIZE);
}

/* The socket is unconditional here; n2n's 1166-byte list holds 44 entries. */
static void dec_register_super_ack(struct rd *r, struct n2n_msg *m)
{
	struct n2n_register_super_ack *b = &m->u.reg_super_ack;
	int i;

	b->cookie = rd_be32(r);
	rd_bytes(r, b->src_mac, N2N_MAC_SIZE);
	rd_subnet(r, &b->dev_addr);
	b->lifetime = rd_be16(r);
	rd_sock(r, &b->sock);
	rd_auth(r, &b->auth);
	b->num_sn = rd_u8(r);
	if (b->num_sn > N2N_SN_ENTRY_MAX) {
		if (!r->err)
			r->err = WIRE_ERR_SN_COUNT;
		return;
	}
	for (i = 0; i < b->num_sn; i++)
		rd_sn_entry(r, &b->sn[i]);
	b->key_time = rd_be32(r);
}

static void enc_register_super_ack(struct wr *w, const struct n2n_msg *m)
{
	const struct n2n_register_super_ack *b = &m->u.reg_super_ack;
	int i;

	if (b->num_sn > N2N_SN_ENTRY_MAX) {
		wr_fail(w, WIRE_ERR_INVALID);
		return;
	}
	wr_be32(w, b->cookie);
	wr_bytes(w, b->src_mac, N2N_MAC_SIZE);
	wr_subnet(w, &b->dev_addr);
	wr_be16(w, b->lifetime);
	wr_sock(w, &b->sock);
	wr_auth(w, &b->auth);
	wr_u8(w, b->num_sn);
	for (i = 0; i < b->num_sn; i++)
		wr_sn_entry(w, &b->sn[i]);
	wr_be32(w, b->key_time);
}

static void dec_register_super_nak(struct rd *r, struct n2n_msg *m)
{
	struct n2n_register_super_nak *b = &m->u.reg_super_nak;

	b->cookie = rd_be32(r);
	rd_bytes(r, b->src_mac, N2N_MAC_SIZE);
	rd_auth(r, &b->auth);
}

static void enc_register_super_nak(struct wr *w, const struct n2n_msg *m)
{
	const struct n2n_register_super_nak *b = &m->u.reg_super_nak;

	wr_be32(w, b->cookie);
	wr_bytes(w, b->src_mac, N2N_MAC_SIZE);
	wr_auth(w, &b->auth);
}

/* First socket unconditional; SOCKET flag adds the preferred socket. */
static void dec_peer_info(struct rd *r, struct n2n_msg *m)
{
	struct n2n_peer_info *b = &m->u.peer_info;

	b->aflags = rd_be16(r);
	rd_bytes(r, b->src_mac, N2N_MAC_SIZE);
	rd_bytes(r, b->mac, N2N_MAC_SIZE);
	rd_sock(r, &b->sock);
	if (has_sock(&m->hdr))
		rd_sock(r, &b->preferred_sock);
	b->load = rd_be32(r);
	b->uptime = rd_be32(r);
	rd_bytes(r, b->version, N2N_VERSION_STRING_SIZE);
}

static void enc_peer_info(struct wr *w, const struct n2n_msg *m)
{
	const struct n2n_peer_info *b = &m->u.peer_info;

	wr_be16(w, b->aflags);
	wr_bytes(w, b->src_mac, N2N_MAC_SIZE);
	wr_bytes(w, b->mac, N2N_MAC_SIZE);
	wr_sock(w, &b->sock);
	if (has_sock(&m->hdr))
		wr_sock(w, &b->preferred_sock);
	wr_be32(w, b->load);
	wr_be32(w, b->uptime);
	wr_bytes(w, b->version, N2N_VERSION_STRING_SIZE);
}

static void dec_query_peer(struct rd *r, struct n2n_msg *m)
{
	struct n2n_query_peer *b = &m->u.query_peer;

	rd_bytes(r, b->src_mac, N2N_MAC_SIZE);
	rd_bytes(r, b->target_mac, N2N_MAC_SIZE);
	b->aflags = rd_be16(r);
}

static void enc_query_peer(struct wr *w, const struct n2n_msg *m)
{
	const struct n2n_query_peer *b = &m->u.query_peer;

	wr_bytes(w, b->src_mac, N2N_MAC_SIZE);
	wr_bytes(w, b->target_mac, N2N_MAC_SIZE);
	wr_be16(w, b->aflags);
}

/* RE_REGISTER_SUPER is the common header alone. */
static void dec_empty(struct rd *r __maybe_unused,
		      struct n2n_msg *m __maybe_unused)
{
}

static void enc_empty(struct wr *w __maybe_unused,
		      const struct n2n_msg *m __maybe_unused)
{
}

struct msg_codec {
	const char *name;
	void (*decode)(struct rd *r, struct n2n_msg *m);
	void (*encode)(struct wr *w, const struct n2n_msg *m);
};

static const struct msg_codec codecs[N2N_MSG_TYPE_COUNT] = {
	[N2N_MSG_REGISTER] = { "REGISTER", dec_register, enc_register },
	[N2N_MSG_PACKET] = { "PACKET", dec_packet, enc_packet },
	[N2N_MSG_REGISTER_ACK] = { "REGISTER_ACK", dec_register_ack,
				   enc_register_ack },
	[N2N_MSG_REGISTER_SUPER] = { "REGISTER_SUPER", dec_register_super,
				     enc_register_super },
	[N2N_MSG_UNREGISTER_SUPER] = { "UNREGISTER_SUPER", dec_unregister_super,
				       enc_unregister_super },
	[N2N_MSG_REGISTER_SUPER_ACK] = { "REGISTER_SUPER_ACK",
					 dec_register_super_ack,
					 enc_register_super_ack },
	[N2N_MSG_REGISTER_SUPER_NAK] = { "REGISTER_SUPER_NAK",
					 dec_register_super_nak,
					 enc_register_super_nak },
	[N2N_MSG_PEER_INFO] = { "PEER_INFO", dec_peer_info, enc_peer_info },
	[N2N_MSG_QUERY_PEER] = { "QUERY_PEER", dec_query_peer, enc_query_peer },
	[N2N_MSG_RE_REGISTER_SUPER] = { "RE_REGISTER_SUPER", dec_empty,
					enc_empty },
};

bool wire_msg_has_codec(unsigned int type)
{
	return type < N2N_MSG_TYPE_COUNT && codecs[type].decode;
}

const char *wire_msg_name(unsigned int type)
{
	return wire_msg_has_codec(type) ? codecs[type].name : "unknown";
}

static bool community_terminated(const char *c)
{
	return memchr(c, 0, N2N_COMMUNITY_SIZE) != NULL;
}

static void rd_common(struct rd *r, struct n2n_common *h)
{
	uint16_t word;

	memset(h, 0, sizeof(*h));
	if (rd_u8(r) != N2N_PKT_VERSION && !r->err) {
		r->err = WIRE_ERR_VERSION;
		return;
	}
	h->ttl = rd_u8(r);
	word = rd_be16(r);
	h->type = word & N2N_FLAGS_TYPE_MASK;
	h->flags = word & N2N_FLAGS_BITS_MASK;
	rd_bytes(r, h->community, N2N_COMMUNITY_SIZE);
	if (!r->err && !community_terminated(h->community))
		r->err = WIRE_ERR_COMMUNITY;
}

ssize_t wire_decode_common(struct n2n_common *hdr, const uint8_t *buf,
			   size_t len)
{
	struct rd r = { .p = buf, .len = len };

	rd_common(&r, hdr);
	return r.err ? -r.err : (ssize_t)r.off;
}

ssize_t wire_decode(struct n2n_msg *msg, const uint8_t *buf, size_t len)
{
	struct rd r = { .p = buf, .len = len };

	memset(msg, 0, sizeof(*msg));
	rd_common(&r, &msg->hdr);
	if (r.err)
		return -r.err;
	if (!wire_msg_has_codec(msg->hdr.type))
		return -WIRE_ERR_TYPE;
	codecs[msg->hdr.type].decode(&r, msg);
	return r.err ? -r.err : (ssize_t)r.off;
}

ssize_t wire_encode(uint8_t *buf, size_t cap, const struct n2n_msg *msg)
{
	const struct n2n_common *h = &msg->hdr;
	struct wr w = { .p = buf, .cap = cap };

	if (!wire_msg_has_codec(h->type))
		return -WIRE_ERR_TYPE;
	if (!community_terminated(h->community) ||
	    (h->flags & ~N2N_FLAGS_BITS_MASK))
		return -WIRE_ERR_INVALID;
	wr_u8(&w, N2N_PKT_VERSION);
	wr_u8(&w, h->ttl);
	wr_be16(&w, (uint16_t)(h->flags | h->type));
	wr_bytes(&w, h->community, N2N_COMMUNITY_SIZE);
	codecs[h->type].encode(&w, msg);
	return w.err ? -w.err : (ssize_t)w.off;
}

ssize_t wire_decode_sock(struct n2n_sock *sock, const uint8_t *buf, size_t len)
{
	struct rd r = { .p = buf, .len = len };

	rd_sock(&r, sock);
	return r.err ? -r.err : (ssize_t)r.off;
}

ssize_t wire_encode_sock(uint8_t *buf, size_t cap, const struct n2n_sock *sock)
{
	struct wr w = { .p = buf, .cap = cap };

	wr_sock(&w, sock);
	return w.err ? -w.err : (ssize_t)w.off;
}

ssize_t wire_decode_sn_entry(struct n2n_sn_entry *e, const uint8_t *buf,
			     size_t len)
{
	struct rd r = { .p = buf, .len = len };

	rd_sn_entry(&r, e);
	return r.err ? -r.err : (ssize_t)r.off;
}

ssize_t wire_encode_sn_entry(uint8_t *buf, size_t cap,
			     const struct n2n_sn_entry *e)
{
	struct wr w = { .p = buf, .cap = cap };

	wr_sn_entry(&w, e);
	return w.err ? -w.err : (ssize_t)w.off;
}

static const char *const wire_errors[WIRE_ERR_COUNT] = {
	[WIRE_OK] = "ok",
	[WIRE_ERR_TRUNCATED] = "datagram truncated",
	[WIRE_ERR_VERSION] = "not protocol version 3",
	[WIRE_ERR_TYPE] = "message type has no codec",
	[WIRE_ERR_TOKEN_SIZE] = "auth token longer than 48 bytes",
	[WIRE_ERR_SN_COUNT] = "more than 44 supernode entries",
	[WIRE_ERR_SOCK_FAMILY] = "unknown socket family bits",
	[WIRE_ERR_NO_SPACE] = "output buffer too small",
	[WIRE_ERR_COMMUNITY] = "community name not terminated",
	[WIRE_ERR_INVALID] = "value not representable on the wire",
};

const char *wire_strerror(int err)
{
	if (err < 0)
		err = -err;
	return err < WIRE_ERR_COUNT ? wire_errors[err] : "unknown error";
}
