/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The supernode's TCP side (edges with -S2), as n2n 3.x: it listens on its
 * main port, each connection carries one edge's frames both ways (framed
 * by common/tcp_stream.h), and an edge registered over a connection is
 * answered and sent to over it until it closes, which forgets the edge.
 *
 * Anyone can connect: connections are bounded in number, overall and per
 * source (IPv4 address, IPv6 /64); over a bound the oldest connection
 * with no registration makes room, else the new one is refused; one that has no registration accepted within
 * SN_TCP_HELLO_MS, sends nothing valid for SN_TCP_IDLE_MS, or leaves a
 * frame unfinished for SN_TCP_PARTIAL_MS is closed; each holds at most a
 * frame coming in and TCP_STREAM_TX_CAP bytes going out (beyond that,
 * frames to it are dropped). Every refusal is counted by reason.
 */
#ifndef N2NK_SN_TCP_H
#define N2NK_SN_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define SN_TCP_MAX_CONNS  256
#define SN_TCP_MAX_PER_IP 8
#define SN_TCP_HELLO_MS	  5000
#define SN_TCP_PARTIAL_MS 5000
#define SN_TCP_IDLE_MS	  90000
#define SN_TCP_BACKLOG	  64

struct supernode;
struct sn_community;
struct sn_edge;

/* Listens on TCP where the UDP socket is (after open_datapath): 0, or
 * -errno (logged: the supernode goes on without TCP). */
int sn_tcp_open(struct supernode *sn);
void sn_tcp_close(struct supernode *sn);
/* A sealed datagram to edge e at `to` (e NULL: an answer to the frame
 * being handled, or to a supernode). Over TCP: to e when it registered
 * over a connection still registered for its MAC, with e->tcp; an answer
 * over the connection that carried the frame, if `to` sent it. 0 when
 * queued; -ENOENT: not for TCP (UDP then); other -errno: dropped,
 * counted. */
int sn_tcp_send(struct supernode *sn, const struct sn_community *c,
		const struct sockaddr_storage *to, const struct sn_edge *e,
		const uint8_t *buf, size_t len);
/* A registration was accepted for e, from `from`: if it came over a
 * connection, e is reached over it from now on (e->tcp). */
void sn_tcp_registered(struct supernode *sn, struct sn_community *c,
		       struct sn_edge *e, const struct sockaddr_storage *from);
void sn_tcp_tick(struct supernode *sn, uint64_t now);
/* Open connections, and of those, with an edge still reached over it. */
void sn_tcp_count(struct supernode *sn, unsigned int *open,
		  unsigned int *registered);

/* supernode.c: a frame's datagram, as if it came over UDP from `from`. */
void sn_on_udp(void *ctx, const struct sockaddr_storage *from, uint8_t *buf,
	       size_t len);

#endif /* N2NK_SN_TCP_H */
