/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * -S2: the edge reaches its supernode over TCP (networks that block UDP),
 * framed as n2n 3.x frames it (common/tcp_stream.h). Everything for the
 * supernode goes over the connection; it opens to whichever supernode is
 * current, again after an error or its end (with a back-off), and anew
 * when the edge fails over to another supernode.
 */
#ifndef N2NK_EDGE_TCP_H
#define N2NK_EDGE_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct edge;

/* Back-off between attempts: doubled on each failure up to the max. */
#define EDGE_TCP_BACKOFF_MIN_MS 500
#define EDGE_TCP_BACKOFF_MAX_MS 16000
/* A connect that has not completed by then failed. */
#define EDGE_TCP_CONNECT_MS	5000

int edge_tcp_open(struct edge *e) __attribute__((warn_unused_result));
void edge_tcp_close(struct edge *e);
/*
 * A sealed datagram for the supernode at to, over the connection to it
 * (opened if needed): 0 or -errno (dropped and counted). Only the current
 * supernode (current) is talked to: one connection, as n2n, which sends
 * -S2 edges no PINGs; a frame for another is dropped (tcp_not_connected)
 * rather than moving the connection.
 */
int edge_tcp_send(struct edge *e, const struct sockaddr_storage *to,
		  const uint8_t *buf, size_t len, bool current);
void edge_tcp_tick(struct edge *e, uint64_t now);
/* "connected to 198.18.0.1:7654", "connecting ...", "down ..." */
const char *edge_tcp_state(const struct edge *e, char *buf, size_t cap);

/* edge.c: what arrives, as if from the supernode's UDP socket. */
void edge_on_udp(void *ctx, const struct sockaddr_storage *from, uint8_t *buf,
		 size_t len);

#endif /* N2NK_EDGE_TCP_H */
