// SPDX-License-Identifier: GPL-2.0-only
/* The XDP relay's registry maps filled for its tests (relay_fill.h). */
#include <arpa/inet.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "relay_fill.h"

void relay_put_edge_key(struct n2nk_relay_edge *e, const char *community,
			const uint8_t mac[MAC_SIZE])
{
	memset(e, 0, sizeof(*e));
	strncpy((char *)e->community, community, N2N_COMMUNITY_SIZE - 1);
	mac_copy(e->mac, mac);
}

void relay_put_sock(struct n2nk_relay_sock4 *s, const uint8_t ip[4],
		    uint16_t port)
{
	memset(s, 0, sizeof(*s));
	memcpy(&s->addr, ip, sizeof(s->addr));
	s->port = htons(port);
}

int relay_set_sender(const struct xdp_relay *skel, const uint8_t ip[4],
		     uint16_t port, const char *community,
		     const uint8_t mac[MAC_SIZE])
{
	struct n2nk_relay_sender e = { 0 };
	struct n2nk_relay_sock4 s;

	relay_put_sock(&s, ip, port);
	relay_put_edge_key(&e.edge, community, mac);
	return bpf_map__update_elem(skel->maps.senders, &s, sizeof(s), &e,
				    sizeof(e), BPF_ANY);
}

int relay_set_edge_until(const struct xdp_relay *skel, const char *community,
			 const uint8_t mac[MAC_SIZE], const uint8_t ip[4],
			 uint16_t port, uint64_t expires)
{
	struct n2nk_relay_dest d = { .expires_ns = expires };
	struct n2nk_relay_edge e;

	relay_put_sock(&d.sock, ip, port);
	relay_put_edge_key(&e, community, mac);
	return bpf_map__update_elem(skel->maps.edges, &e, sizeof(e), &d,
				    sizeof(d), BPF_ANY);
}

int relay_set_edge(const struct xdp_relay *skel, const char *community,
		   const uint8_t mac[MAC_SIZE], const uint8_t ip[4],
		   uint16_t port)
{
	return relay_set_edge_until(skel, community, mac, ip, port, UINT64_MAX);
}

int relay_set_local(const struct xdp_relay *skel, const uint8_t ip[4])
{
	uint8_t one = 1;

	return bpf_map__update_elem(skel->maps.local_addrs, ip, 4, &one,
				    sizeof(one), BPF_ANY);
}

int relay_set_sender6(const struct xdp_relay *skel, const uint8_t ip[16],
		      uint16_t port, const char *community,
		      const uint8_t mac[MAC_SIZE])
{
	struct n2nk_relay_sock6 s = { 0 };
	struct n2nk_relay_sender e = { 0 };

	memcpy(s.addr, ip, sizeof(s.addr));
	s.port = htons(port);
	relay_put_edge_key(&e.edge, community, mac);
	return bpf_map__update_elem(skel->maps.senders6, &s, sizeof(s), &e,
				    sizeof(e), BPF_ANY);
}

int relay_set_edge6(const struct xdp_relay *skel, const char *community,
		    const uint8_t mac[MAC_SIZE], const uint8_t ip[16],
		    uint16_t port)
{
	struct n2nk_relay_dest6 d = { .expires_ns = UINT64_MAX };
	struct n2nk_relay_edge e;

	memcpy(d.sock.addr, ip, sizeof(d.sock.addr));
	d.sock.port = htons(port);
	relay_put_edge_key(&e, community, mac);
	return bpf_map__update_elem(skel->maps.edges6, &e, sizeof(e), &d,
				    sizeof(d), BPF_ANY);
}

int relay_set_local6(const struct xdp_relay *skel, const uint8_t ip[16])
{
	uint8_t one = 1;

	return bpf_map__update_elem(skel->maps.local_addrs6, ip, 16, &one,
				    sizeof(one), BPF_ANY);
}
