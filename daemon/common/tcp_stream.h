/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * n2n's TCP framing (-S2), both roles: every n2n message is a 2-byte
 * big-endian length and exactly the UDP payload that would have been sent
 * (header encryption included). A length above 2048 ends the connection,
 * as in n2n 3.x. A stream holds one partial frame on the way in and a
 * bounded queue of bytes on the way out: memory per connection is fixed.
 */
#ifndef N2NK_TCP_STREAM_H
#define N2NK_TCP_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "n2n_wire_defs.h"

#define TCP_FRAME_HDR	  2
#define TCP_FRAME_MAX	  N2N_PKT_BUF_SIZE
/* Bytes waiting for the peer to read them: 16 full frames. */
#define TCP_STREAM_TX_CAP (16 * (TCP_FRAME_HDR + TCP_FRAME_MAX))

struct tcp_stream {
	int fd; /* -1: closed */
	uint8_t rx[TCP_FRAME_HDR + TCP_FRAME_MAX];
	size_t rx_len;
	/* When the frame now in rx began to arrive (0: none): slowloris. */
	uint64_t partial_ms;
	uint8_t tx[TCP_STREAM_TX_CAP];
	size_t tx_len;
	/* Frames in tx, the first maybe partly sent (tx_head_left of it to
	 * go): what a close discards. */
	unsigned int tx_frames;
	size_t tx_head_left;
	bool out_armed; /* EPOLLOUT asked for */
};

/* A whole frame; returns false to stop reading (the stream closed). */
typedef bool (*tcp_frame_cb)(void *arg, uint8_t *body, size_t len);

void tcp_stream_init(struct tcp_stream *s, int fd);
/* Closes the fd and forgets both directions' bytes. */
void tcp_stream_close(struct tcp_stream *s);
/* Queues one frame: 0, -ENOBUFS (the queue is full: dropped) or
 * -EMSGSIZE. Does not write: tcp_stream_flush() does. */
int tcp_stream_queue(struct tcp_stream *s, const uint8_t *buf, size_t len);
/* Writes what the socket takes: 0 (all gone), 1 (some left), -errno. */
int tcp_stream_flush(struct tcp_stream *s);
/*
 * Reads what is there (a bounded number of reads) and hands each whole
 * frame to cb. 0 once the socket has nothing more; -EPIPE at its end,
 * -EMSGSIZE for a length above TCP_FRAME_MAX, -errno on error. now: for
 * partial_ms.
 */
int tcp_stream_read(struct tcp_stream *s, tcp_frame_cb cb, void *arg,
		    uint64_t now);
/* EPOLLOUT in epfd's interest set while bytes wait (data: the event's). */
void tcp_stream_arm(struct tcp_stream *s, int epfd, void *data);

#endif /* N2NK_TCP_STREAM_H */
