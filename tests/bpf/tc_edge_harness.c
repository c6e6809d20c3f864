// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tc_edge tests' shared half (see tc_edge_harness.h): the edge, its
 * peers and its maps; frames and datagrams built layer by layer, the n2n
 * part by the daemon's encoder; a run with its counters checked.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/in.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "proto/msg_io.h"
#include "proto/speck.h"
#include "suites.h"
#include "tc_edge_harness.h"

#define KEY_STRING "s3cret"
#define IFINDEX	   1
#define MAX_CPUS   512

const uint8_t local_ip[4] = { 198, 18, 0, 1 };
const uint8_t p2p_ip[4] = { 198, 18, 0, 12 };
const uint8_t relayed_ip[4] = { 198, 18, 0, 13 };
const uint8_t stranger_ip[4] = { 198, 18, 0, 99 };
const uint8_t sn_ip[4] = { 198, 18, 0, 254 };
const uint8_t mac_ours[6] = { 0x02, 0x6e, 0x6b, 0x00, 0x00, 0x01 };
const uint8_t mac_p2p[6] = { 0x02, 0x6e, 0x6b, 0x00, 0x00, 0x0c };
const uint8_t mac_relayed[6] = { 0x02, 0x6e, 0x6b, 0x00, 0x00, 0x0d };
const uint8_t mac_idle[6] = { 0x02, 0x6e, 0x6b, 0x00, 0x00, 0x0e };
const uint8_t mac_stranger[6] = { 0x02, 0x6e, 0x6b, 0x00, 0x00, 0x63 };
const uint8_t mac_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
const uint8_t mac_mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };
const uint8_t our_vip[4] = { 10, 1, 0, 1 };
const uint8_t p2p_vip[4] = { 10, 1, 0, 12 };
const uint8_t relayed_vip[4] = { 10, 1, 0, 13 };
const uint8_t other_vip[4] = { 10, 1, 0, 99 };
static const uint8_t nic_eth[6] = { 0x02, 0x4e, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t router_eth[6] = { 0x02, 0x52, 0x00, 0x00, 0x00, 0x01 };
/* The IV of the PACKETs edge_rx is given. */
static const uint8_t rx_iv[IV_LEN] = { 0x5a, 0x3c, 0x00, 0x80, 1, 2,  3,  4,
				       5,    6,	   7,	 8,    9, 10, 11, 12 };

const struct peer_def peer_p2p = { "p2p", mac_p2p, N2NK_PATH_P2P, p2p_ip,
				   P2P_PORT };
const struct peer_def peer_relayed = { "relayed", mac_relayed, N2NK_PATH_RELAY,
				       relayed_ip, RELAYED_PORT };
const struct peer_def peer_idle = { "idle", mac_idle, N2NK_PATH_NONE,
				    stranger_ip, P2P_PORT };
static const struct peer_def *const all_peers[] = { &peer_p2p, &peer_relayed,
						    &peer_idle };
#define N_PEERS ARRAY_SIZE(all_peers)

_Static_assert(N_PEERS == ARRAY_SIZE(((struct peer_snap *)0)->heard),
	       "struct peer_snap holds every peer");

void tce_fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "  %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

uint16_t tce_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

const struct peer_def *tce_peer_by_mac(const uint8_t *mac)
{
	size_t i;

	for (i = 0; i < N_PEERS; i++)
		if (!memcmp(all_peers[i]->mac, mac, ETH_ALEN))
			return all_peers[i];
	return NULL;
}

/* ---- Maps. ---- */

static void peer_key(struct n2nk_edge_peer_key *k, const uint8_t *mac)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->mac, mac, ETH_ALEN);
}

/* The peer and its zeroed per-CPU counters, as the daemon adds them. */
static int add_peer(struct tc_edge *skel, const struct peer_def *p)
{
	static struct n2nk_edge_peer_stats zero[MAX_CPUS];
	int ncpus = libbpf_num_possible_cpus();
	struct n2nk_edge_peer_key k;
	struct n2nk_edge_peer v = { 0 };
	int err;

	if (ncpus < 0 || ncpus > MAX_CPUS)
		return -ERANGE;
	peer_key(&k, p->mac);
	v.path = p->path;
	v.ifindex = IFINDEX;
	if (p->path == N2NK_PATH_P2P) {
		memcpy(&v.addr, p->ip, 4);
		v.port = htons(p->port);
	}
	err = bpf_map__update_elem(skel->maps.peers, &k, sizeof(k), &v,
				   sizeof(v), BPF_ANY);
	if (!err)
		err = bpf_map__update_elem(skel->maps.peer_stats, &k, sizeof(k),
					   zero, ncpus * sizeof(zero[0]),
					   BPF_ANY);
	return err;
}

struct tc_edge *tce_load(void)
{
	struct tc_edge *skel = tc_edge__open_and_load();
	size_t i;

	for (i = 0; skel && i < N_PEERS; i++)
		if (add_peer(skel, all_peers[i])) {
			tc_edge__destroy(skel);
			return NULL;
		}
	return skel;
}

/* Keys as the daemon derives them from -k: both ciphers' always. */
static int set_keys(struct n2nk_edge_conf *c)
{
	uint8_t cc20[TRANSFORM_KEY_MAX], speck[TRANSFORM_KEY_MAX];
	struct speck_key sk;

	if (transform_derive_key(N2N_TRANSFORM_CHACHA20, KEY_STRING, cc20) !=
		    N2NK_EDGE_KEY_SIZE ||
	    transform_derive_key(N2N_TRANSFORM_SPECK, KEY_STRING, speck) !=
		    N2NK_EDGE_KEY_SIZE ||
	    speck_setkey(&sk, speck, N2NK_EDGE_KEY_SIZE))
		return -1;
	memcpy(c->speck.rk, sk.rk, sizeof(c->speck.rk));
	memcpy(c->key, cc20, sizeof(c->key));
	return 0;
}

/* -A3: tc_edge_aes over skel's maps with the kernel's contexts for the
 * key, as the daemon's loader makes them, and the key's fingerprint in
 * edge_conf. */
static int set_aes(struct env *e)
{
	struct edge_aes_cfg c = { .key = e->aes_key };
	char why[256];
	int n = transform_derive_key(N2N_TRANSFORM_AES, KEY_STRING, e->aes_key);

	if (n != 16 && n != 24 && n != 32)
		return -1;
	e->aes_key_len = c.key_len = (size_t)n;
	crypto_generichash(e->conf.key, sizeof(e->conf.key), e->aes_key,
			   e->aes_key_len, NULL, 0);
	if (edge_aes_open(&e->aes, e->skel->obj, &c, why, sizeof(why))) {
		fprintf(stderr, "  -A3: %s\n", why);
		return -1;
	}
	e->tx = edge_aes_tx(e->aes);
	e->rx = edge_aes_rx(e->aes);
	return 0;
}

int tce_sent_iv(const struct env *e, const uint8_t *at, uint8_t iv[16])
{
	static const EVP_CIPHER *(*const ecb[])(void) = {
		EVP_aes_128_ecb,
		EVP_aes_192_ecb,
		EVP_aes_256_ecb,
	};
	EVP_CIPHER_CTX *c;
	int n = 0, ok;

	if (e->id != N2N_TRANSFORM_AES) {
		memcpy(iv, at, 16);
		return 0;
	}
	/* CBC from a zero IV: the first block is E(random block). */
	c = EVP_CIPHER_CTX_new();
	ok = c &&
	     EVP_DecryptInit_ex(c, ecb[e->aes_key_len / 8 - 2](), NULL,
				e->aes_key, NULL) == 1 &&
	     EVP_CIPHER_CTX_set_padding(c, 0) == 1 &&
	     EVP_DecryptUpdate(c, iv, &n, at, 16) == 1 && n == 16;
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

int tce_env_init(struct env *e, struct tc_edge *skel, enum n2n_transform_id id,
		 const char *name)
{
	struct n2nk_edge_conf *c = &e->conf;

	memset(e, 0, sizeof(*e));
	e->skel = skel, e->id = id, e->name = name;
	e->iv_len = id == N2N_TRANSFORM_NULL ? 0 : IV_LEN;
	e->tx = skel->progs.edge_tx;
	e->rx = skel->progs.edge_rx;
	if (set_keys(c) || transform_init(&e->tf, id, KEY_STRING) ||
	    (id == N2N_TRANSFORM_AES && set_aes(e)))
		return -1;
	strncpy((char *)c->community, COMMUNITY, N2N_COMMUNITY_SIZE - 1);
	memcpy(c->mac, mac_ours, ETH_ALEN);
	c->transform = (uint8_t)id;
	memcpy(&c->ip, our_vip, 4);
	memcpy(&c->local_addr, local_ip, 4);
	memcpy(&c->sn_addr, sn_ip, 4);
	c->sn_port = htons(SN_PORT);
	c->local_port = htons(LOCAL_PORT);
	c->underlay_mtu = UNDERLAY_MTU;
	c->tap_mtu = TAP_MTU;
	c->mss_ipv4 = TAP_MTU - 40; /* --mss-clamp=auto */
	c->mss_ipv6 = TAP_MTU - 60;
	c->tap_ifindex = c->seg_ifindex = c->sn_ifindex = IFINDEX;
	return 0;
}

int tce_set_conf(const struct env *e, void (*tweak)(struct n2nk_edge_conf *c))
{
	struct n2nk_edge_conf c = e->conf;
	uint32_t zero = 0;

	if (tweak)
		tweak(&c);
	return bpf_map__update_elem(e->skel->maps.edge_conf, &zero,
				    sizeof(zero), &c, sizeof(c), BPF_ANY);
}

void c_routing(struct n2nk_edge_conf *c)
{
	c->allow_routing = 1;
}

void c_no_vip(struct n2nk_edge_conf *c)
{
	c->ip = 0;
}

/* ---- Inner frames. ---- */

static size_t inner_len(const struct env *e, long len)
{
	size_t fit = UNDERLAY_MTU - IPV4_HLEN - UDP_HLEN - N2N_PACKET_HDR_SIZE -
		     e->iv_len;

	if (len == LEN_FIT)
		return fit;
	return len == LEN_OVER ? fit + 1 : (size_t)len;
}

static void put_ipv4(struct frame *f, const struct inner *in, uint8_t proto)
{
	frame_ipv4(f, proto);
	frame_ipv4_addrs(f, in->ip_src ? in->ip_src : our_vip,
			 in->ip_dst ? in->ip_dst : p2p_vip);
}

/* An ARP reply from src to in->dst. */
static void put_arp(struct frame *f, const struct inner *in, const uint8_t *src)
{
	frame_eth_macs(f, in->dst, src, ETH_P_ARP);
	frame_put_be16(f, 1); /* Ethernet */
	frame_put_be16(f, ETH_P_IP);
	frame_put_u8(f, ETH_ALEN);
	frame_put_u8(f, 4);
	frame_put_be16(f, 2); /* reply */
	frame_put(f, src, ETH_ALEN);
	frame_put(f, in->ip_src ? in->ip_src : our_vip, 4);
	frame_put(f, in->dst, ETH_ALEN);
	frame_put(f, in->ip_dst ? in->ip_dst : p2p_vip, 4);
}

/* Ethernet and, but for IN_SHORT, the IP and L4 headers. */
static void put_headers(struct frame *f, const struct inner *in,
			const uint8_t *src)
{
	switch (in->kind) {
	case IN_UDP6:
		frame_eth_macs(f, in->dst, src, ETH_P_IPV6);
		frame_ipv6(f, IPPROTO_UDP);
		frame_udp(f, 40000, 4242);
		return;
	case IN_UDP4:
		frame_eth_macs(f, in->dst, src, ETH_P_IP);
		put_ipv4(f, in, IPPROTO_UDP);
		frame_udp(f, 40000, 4242);
		return;
	case IN_SHORT:
		frame_eth_macs(f, in->dst, src, ETH_P_IP);
		return;
	case IN_SYN4:
		frame_eth_macs(f, in->dst, src, ETH_P_IP);
		put_ipv4(f, in, IPPROTO_TCP);
		frame_tcp_syn(f, 40000, 22, 1460);
		return;
	case IN_SYN6:
		frame_eth_macs(f, in->dst, src, ETH_P_IPV6);
		frame_ipv6(f, IPPROTO_TCP);
		frame_tcp_syn(f, 40000, 22, 1440);
		return;
	case IN_VLAN:
		frame_eth_macs(f, in->dst, src, ETH_P_8021Q);
		frame_vlan(f, 100, ETH_P_IP);
		break;
	default:
		frame_eth_macs(f, in->dst, src, ETH_P_IP);
	}
	put_ipv4(f, in, IPPROTO_TCP);
	frame_tcp(f, 40000, 22);
}

void tce_build_inner(struct frame *f, const struct env *e,
		     const struct inner *in)
{
	const uint8_t *src = in->src ? in->src : mac_ours;
	size_t len = inner_len(e, in->len);

	frame_init(f);
	if (in->kind == IN_ARP) {
		put_arp(f, in, src);
		if (f->len < len) /* Ethernet's padding */
			frame_put_zeros(f, len - f->len);
		return;
	}
	put_headers(f, in, src);
	if (f->len < len)
		frame_put_random(f, len - f->len, (uint32_t)len);
	frame_finish(f);
}

/* ---- n2n datagrams. ---- */

static void msg_header(struct n2n_msg *m, const struct msg_spec *s)
{
	memset(m, 0, sizeof(*m));
	m->hdr.type = s->type;
	m->hdr.ttl = N2N_DEFAULT_TTL;
	m->hdr.flags = s->flags;
	strncpy(m->hdr.community, s->community, N2N_COMMUNITY_SIZE - 1);
}

/* As edge_tx.c's seal_frame() and edge_init_msg() build it. */
ssize_t tce_encode_msg(const struct env *e, const struct msg_spec *s,
		       const struct frame *frame, const uint8_t *iv,
		       uint8_t *buf, size_t cap)
{
	static uint8_t enc[N2N_PKT_BUF_SIZE + TRANSFORM_MAX_OVERHEAD];
	struct n2n_packet *pk;
	struct n2n_msg m;
	ssize_t n;

	msg_header(&m, s);
	if (s->type == N2N_MSG_REGISTER) {
		m.u.reg.cookie = N2N_REGULAR_REG_COOKIE;
		memcpy(m.u.reg.src_mac, s->src_mac, N2N_MAC_SIZE);
		memcpy(m.u.reg.dst_mac, s->dst_mac, N2N_MAC_SIZE);
		return msg_seal(buf, cap, &m, NULL);
	}
	n = transform_encode(&e->tf, enc, sizeof(enc), frame->data, frame->len,
			     iv);
	if (n < 0)
		return n;
	pk = &m.u.packet;
	memcpy(pk->src_mac, s->src_mac, N2N_MAC_SIZE);
	memcpy(pk->dst_mac, s->dst_mac, N2N_MAC_SIZE);
	pk->sock = s->sock;
	pk->compression = s->compression;
	pk->transform = s->transform ? s->transform : (uint8_t)e->id;
	pk->payload = enc;
	pk->payload_len = (size_t)n;
	return msg_seal(buf, cap, &m, NULL); /* no header encryption */
}

void tce_p2p_spec(struct pkt_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->ethertype = ETH_P_IP;
	s->ip_proto = IPPROTO_UDP;
	s->ip_src = p2p_ip;
	s->src_port = P2P_PORT;
	s->ip_dst = local_ip;
	s->dst_port = LOCAL_PORT;
	s->msg.type = N2N_MSG_PACKET;
	s->msg.community = COMMUNITY;
	s->msg.src_mac = mac_p2p;
	s->msg.dst_mac = mac_ours;
	s->msg.compression = N2N_COMPRESSION_NONE;
	s->inner = (struct inner){ .kind = IN_TCP4,
				   .dst = mac_ours,
				   .len = 300,
				   .src = mac_p2p,
				   .ip_src = p2p_vip,
				   .ip_dst = our_vip };
}

/* As n2n supernodes send it: the flags, and the sender's IPv4 socket
 * after dstMac. */
void tce_relayed_spec(struct pkt_spec *s)
{
	tce_p2p_spec(s);
	s->ip_src = sn_ip;
	s->src_port = SN_PORT;
	s->msg.flags = N2N_FLAGS_FROM_SUPERNODE | N2N_FLAGS_SOCKET;
	s->msg.src_mac = mac_relayed;
	s->msg.sock.port = RELAYED_PORT;
	memcpy(s->msg.sock.addr, relayed_ip, 4);
	s->inner.src = mac_relayed;
	s->inner.ip_src = relayed_vip;
}

static void put_outer(struct frame *f, const struct pkt_spec *s)
{
	if (s->ethertype == ETH_P_IPV6) {
		frame_eth_macs(f, nic_eth, router_eth, ETH_P_IPV6);
		frame_ipv6(f, IPPROTO_UDP);
	} else {
		frame_eth_macs(f, nic_eth, router_eth, ETH_P_IP);
		frame_ipv4_options(f, s->ip_proto, s->ip_options);
		frame_ipv4_addrs(f, s->ip_src, s->ip_dst);
	}
	frame_udp(f, s->src_port, s->dst_port);
}

int tce_build_datagram(struct frame *f, struct frame *inner,
		       const struct env *e, const struct pkt_spec *s)
{
	static uint8_t msg[MSG_BUF_SIZE];
	ssize_t n;

	tce_build_inner(inner, e, &s->inner);
	n = tce_encode_msg(e, &s->msg, inner, rx_iv, msg, sizeof(msg));
	if (n < 0)
		return -1;
	frame_init(f);
	put_outer(f, s);
	frame_put(f, msg, (size_t)n);
	frame_finish(f);
	if (s->mangle)
		s->mangle(f, e);
	return 0;
}

/* ---- Runs and reason counters. ---- */

int tce_run(const struct bpf_program *prog, const struct frame *in,
	    struct __sk_buff *ctx, int repeat, struct run_out *out)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in->data,
		    .data_size_in = (uint32_t)in->len, .data_out = out->data,
		    .data_size_out = sizeof(out->data), .repeat = repeat);
	int err;

	if (ctx) {
		opts.ctx_in = ctx;
		opts.ctx_size_in = sizeof(*ctx);
	}
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
	/* The kernel refuses a test frame shorter than its IP header. */
	if (err == -EINVAL && in->len < ETH_HLEN + IPV6_HLEN)
		return -EOPNOTSUPP;
	out->retval = opts.retval;
	out->len = opts.data_size_out;
	out->duration = opts.duration;
	return err;
}

static const struct bpf_program *prog_of(const struct env *e,
					 enum n2nk_layer layer)
{
	if (layer == N2NK_LAYER_EDGE_TAP)
		return e->skel->progs.edge_tap;
	if (layer == N2NK_LAYER_EDGE_TX)
		return e->tx;
	return e->rx;
}

static const struct bpf_map *stats_of(const struct env *e,
				      enum n2nk_layer layer)
{
	if (layer == N2NK_LAYER_EDGE_TAP)
		return e->skel->maps.tap_stats;
	if (layer == N2NK_LAYER_EDGE_TX)
		return e->skel->maps.tx_stats;
	return e->skel->maps.rx_stats;
}

/* What tc_edge.bpf.c returns for a layer's verdict on a reason. */
static uint32_t tc_action_of(enum n2nk_layer layer, int reason)
{
	if (reason == ANY_HANDED_ON)
		return (uint32_t)TC_ACT_UNSPEC;
	switch (n2nk_verdict(layer, reason)) {
	case N2NK_VERDICT_OK:
		return TC_ACT_REDIRECT; /* what a test run returns */
	case N2NK_VERDICT_DAEMON:
	case N2NK_VERDICT_STACK:
		return (uint32_t)TC_ACT_UNSPEC;
	case N2NK_VERDICT_DROP:
	case N2NK_VERDICT_NONE:
		break;
	}
	return TC_ACT_SHOT;
}

int tce_read_counters(const struct bpf_map *map, struct counters *sum)
{
	static struct n2nk_xdp_counter per_cpu[MAX_CPUS];
	int ncpus = libbpf_num_possible_cpus();
	uint32_t slot;
	int cpu, err;

	if (ncpus < 0 || ncpus > MAX_CPUS)
		return -ERANGE;
	memset(sum, 0, sizeof(*sum));
	for (slot = 0; slot < N2NK_REASON_SLOTS; slot++) {
		err = bpf_map__lookup_elem(map, &slot, sizeof(slot), per_cpu,
					   ncpus * sizeof(per_cpu[0]), 0);
		if (err)
			return err;
		for (cpu = 0; cpu < ncpus; cpu++) {
			sum->slot[slot].packets += per_cpu[cpu].packets;
			sum->slot[slot].bytes += per_cpu[cpu].bytes;
		}
	}
	return 0;
}

uint64_t tce_total_packets(const struct counters *c)
{
	uint64_t n = 0;
	uint32_t slot;

	for (slot = 0; slot < N2NK_REASON_SLOTS; slot++)
		n += c->slot[slot].packets;
	return n;
}

/* The slot that grew when the reason is ANY_HANDED_ON: any but slot 0. */
static uint32_t grown_slot(const struct counters *b, const struct counters *a)
{
	uint32_t slot;

	for (slot = 1; slot < N2NK_REASON_SLOTS; slot++)
		if (a->slot[slot].packets != b->slot[slot].packets)
			return slot;
	return 0;
}

/* Only the reason's slot grew, by one frame of `bytes`. */
static int check_counted(const char *name, const struct counters *before,
			 const struct counters *after, int reason,
			 uint64_t bytes)
{
	uint32_t want = reason == ANY_HANDED_ON ? grown_slot(before, after)
						: n2nk_reason_slot(reason);
	uint64_t packets, got_bytes;
	uint32_t slot;
	int bad = 0;

	for (slot = 0; slot < N2NK_REASON_SLOTS; slot++) {
		packets =
			after->slot[slot].packets - before->slot[slot].packets;
		got_bytes = after->slot[slot].bytes - before->slot[slot].bytes;
		if (packets == (slot == want) &&
		    got_bytes == (slot == want ? bytes : 0))
			continue;
		tce_fail(name, "counter %s: +%llu frames, +%llu bytes",
			 n2nk_reason_name(-(int)slot),
			 (unsigned long long)packets,
			 (unsigned long long)got_bytes);
		bad = -1;
	}
	return bad;
}

/* ---- Peer counters. ---- */

#define PEER_FIELDS(X) \
	X(tx_p2p) X(tx_relay) X(rx_p2p) X(rx_relay) X(tx_bytes) X(rx_bytes)

static int read_peer(const struct env *e, const struct peer_def *p,
		     struct n2nk_edge_peer_stats *sum, uint64_t *heard)
{
	static struct n2nk_edge_peer_stats per_cpu[MAX_CPUS];
	int ncpus = libbpf_num_possible_cpus(), cpu, err;
	struct n2nk_edge_peer_key k;
	struct n2nk_edge_peer v;

	peer_key(&k, p->mac);
	err = bpf_map__lookup_elem(e->skel->maps.peers, &k, sizeof(k), &v,
				   sizeof(v), 0);
	if (!err)
		err = bpf_map__lookup_elem(e->skel->maps.peer_stats, &k,
					   sizeof(k), per_cpu,
					   ncpus * sizeof(per_cpu[0]), 0);
	if (err)
		return err;
	memset(sum, 0, sizeof(*sum));
	for (cpu = 0; cpu < ncpus; cpu++) {
#define PEER_ADD_(f) sum->f += per_cpu[cpu].f;
		PEER_FIELDS(PEER_ADD_)
#undef PEER_ADD_
	}
	*heard = v.last_p2p_rx_ns;
	return 0;
}

static int snap_peers(const struct env *e, struct peer_snap *s)
{
	size_t i;
	int err = 0;

	for (i = 0; i < N_PEERS && !err; i++)
		err = read_peer(e, all_peers[i], &s->st[i], &s->heard[i]);
	return err;
}

struct n2nk_edge_peer_stats tce_carried(int rx, int relayed, size_t len)
{
	struct n2nk_edge_peer_stats s = { 0 };

	if (rx) {
		*(relayed ? &s.rx_relay : &s.rx_p2p) = 1;
		s.rx_bytes = len;
	} else {
		*(relayed ? &s.tx_relay : &s.tx_p2p) = 1;
		s.tx_bytes = len;
	}
	return s;
}

static int check_peer_delta(const char *name, const struct peer_def *p,
			    const struct n2nk_edge_peer_stats *b,
			    const struct n2nk_edge_peer_stats *a,
			    const struct n2nk_edge_peer_stats *want)
{
	int bad = 0;

#define PEER_CHECK_(f)                                                       \
	if (a->f - b->f != want->f) {                                        \
		tce_fail(name, "peer %s: " #f " +%llu, want +%llu", p->name, \
			 (unsigned long long)(a->f - b->f),                  \
			 (unsigned long long)want->f);                       \
		bad = -1;                                                    \
	}
	PEER_FIELDS(PEER_CHECK_)
#undef PEER_CHECK_
	return bad;
}

int tce_check_peers(const char *name, const struct peer_snap *b,
		    const struct peer_snap *a, const struct peer_def *who,
		    const struct n2nk_edge_peer_stats *want, int heard)
{
	static const struct n2nk_edge_peer_stats none;
	int bad = 0, moved, is_who;
	size_t i;

	for (i = 0; i < N_PEERS; i++) {
		is_who = all_peers[i] == who;
		bad |= check_peer_delta(name, all_peers[i], &b->st[i],
					&a->st[i], is_who ? want : &none);
		moved = a->heard[i] != b->heard[i];
		if (moved != (is_who && heard)) {
			tce_fail(name, "peer %s: last_p2p_rx_ns %s",
				 all_peers[i]->name,
				 moved ? "moved" : "did not move");
			bad = -1;
		}
	}
	return bad;
}

/* ---- One case. ---- */

static int probe_run(const struct env *e, const struct probe *p,
		     const struct frame *in, struct probed *r)
{
	const struct bpf_map *stats = stats_of(e, p->layer);
	int err;

	err = tce_read_counters(stats, &r->before);
	if (!err)
		err = snap_peers(e, &r->pb);
	if (!err)
		err = tce_run(prog_of(e, p->layer), in, p->ctx, 1, &r->out);
	if (!err)
		err = tce_read_counters(stats, &r->after);
	if (!err)
		err = snap_peers(e, &r->pa);
	return err;
}

int tce_probe(const struct env *e, const struct probe *p,
	      const struct frame *in, struct probed *r)
{
	uint32_t want = tc_action_of(p->layer, p->reason);
	uint64_t bytes = in->len;
	int err;

	if (p->reason != ANY_HANDED_ON &&
	    n2nk_verdict(p->layer, p->reason) == N2NK_VERDICT_NONE) {
		tce_fail(p->name, "%s is not a reason of this program",
			 n2nk_reason_name(p->reason));
		return -1;
	}
	err = probe_run(e, p, in, r);
	if (err == -EOPNOTSUPP)
		return CASE_SKIPPED;
	if (err) {
		tce_fail(p->name, "test run: %s", strerror(-err));
		return -1;
	}
	if (r->out.retval != want) {
		tce_fail(p->name, "verdict %d, want %d (%s)",
			 (int)r->out.retval, (int)want,
			 p->reason == ANY_HANDED_ON
				 ? "handed on"
				 : n2nk_reason_name(p->reason));
		return -1;
	}
	/* edge_tx counts what it sends: the encapsulated frame. */
	if (p->layer == N2NK_LAYER_EDGE_TX && p->reason == N2NK_OK)
		bytes = r->out.len;
	return check_counted(p->name, &r->before, &r->after, p->reason, bytes);
}

int tce_same(const struct run_out *out, const struct frame *f)
{
	return out->len == f->len && !memcmp(out->data, f->data, f->len);
}

int tce_check_same(const char *name, const struct run_out *out,
		   const struct frame *want, const char *what)
{
	size_t i;

	if (tce_same(out, want))
		return 0;
	for (i = 0; i < want->len && i < out->len; i++)
		if (out->data[i] != want->data[i])
			break;
	tce_fail(name,
		 "output is not %s: %u bytes, want %zu; first difference "
		 "at byte %zu",
		 what, out->len, want->len, i);
	return -1;
}
