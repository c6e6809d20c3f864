// SPDX-License-Identifier: GPL-2.0-only
/*
 * n2n's TCP framing: a 2-byte big-endian length, then the datagram.
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/bytes.h"
#include "common/tcp_stream.h"

/* Reads per call: a busy peer does not keep the loop to itself. */
#define TCP_READS_PER_CALL 16

void tcp_stream_init(struct tcp_stream *s, int fd)
{
	s->fd = fd;
	s->rx_len = 0;
	s->partial_ms = 0;
	s->tx_len = 0;
	s->tx_frames = 0;
	s->tx_head_left = 0;
	s->out_armed = false;
}

void tcp_stream_close(struct tcp_stream *s)
{
	if (s->fd >= 0)
		close(s->fd); /* also leaves every epoll set */
	tcp_stream_init(s, -1);
}

int tcp_stream_queue(struct tcp_stream *s, const uint8_t *buf, size_t len)
{
	if (len > TCP_FRAME_MAX)
		return -EMSGSIZE;
	if (s->tx_len + TCP_FRAME_HDR + len > sizeof(s->tx))
		return -ENOBUFS;
	put_be16(s->tx + s->tx_len, (uint16_t)len);
	memcpy(s->tx + s->tx_len + TCP_FRAME_HDR, buf, len);
	s->tx_len += TCP_FRAME_HDR + len;
	if (s->tx_frames++ == 0)
		s->tx_head_left = TCP_FRAME_HDR + len;
	return 0;
}

/* n bytes of tx went (not yet moved out): the frames they finish. */
static void count_sent(struct tcp_stream *s, size_t n)
{
	size_t off = 0;

	while (s->tx_frames && n >= s->tx_head_left) {
		n -= s->tx_head_left;
		off += s->tx_head_left;
		s->tx_frames--;
		s->tx_head_left =
			s->tx_frames ? TCP_FRAME_HDR + get_be16(s->tx + off)
				     : 0;
	}
	s->tx_head_left -= n;
}

int tcp_stream_flush(struct tcp_stream *s)
{
	ssize_t n;

	while (s->tx_len) {
		n = send(s->fd, s->tx, s->tx_len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 1;
		if (n < 0)
			return -errno;
		count_sent(s, (size_t)n);
		memmove(s->tx, s->tx + n, s->tx_len - (size_t)n);
		s->tx_len -= (size_t)n;
	}
	return 0;
}

/* The whole frames in rx to cb; the rest moved to the front. */
static int take_frames(struct tcp_stream *s, tcp_frame_cb cb, void *arg,
		       bool *took)
{
	size_t off = 0;

	while (s->rx_len - off >= TCP_FRAME_HDR) {
		size_t len = get_be16(s->rx + off);

		if (len > TCP_FRAME_MAX)
			return -EMSGSIZE;
		if (s->rx_len - off < TCP_FRAME_HDR + len)
			break;
		*took = true;
		if (!cb(arg, s->rx + off + TCP_FRAME_HDR, len))
			return -ECANCELED;
		off += TCP_FRAME_HDR + len;
	}
	memmove(s->rx, s->rx + off, s->rx_len - off);
	s->rx_len -= off;
	return 0;
}

int tcp_stream_read(struct tcp_stream *s, tcp_frame_cb cb, void *arg,
		    uint64_t now)
{
	bool took = false;
	int i, err = 0;
	ssize_t n;

	for (i = 0; i < TCP_READS_PER_CALL && !err; i++) {
		n = recv(s->fd, s->rx + s->rx_len, sizeof(s->rx) - s->rx_len,
			 MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0)
			return n ? -errno : -EPIPE;
		s->rx_len += (size_t)n;
		err = take_frames(s, cb, arg, &took);
	}
	if (err == -ECANCELED)
		return 0; /* cb closed the stream */
	/* A frame that keeps not ending (a byte now and then) is timed from
	 * its start: the last whole frame, or the first byte after none. */
	if (!s->rx_len)
		s->partial_ms = 0;
	else if (took || !s->partial_ms)
		s->partial_ms = now ? now : 1;
	return err;
}

void tcp_stream_arm(struct tcp_stream *s, int epfd, void *data)
{
	bool want = s->tx_len != 0;
	struct epoll_event ev = { .events = EPOLLIN | (want ? EPOLLOUT : 0),
				  .data.ptr = data };

	if (want == s->out_armed || s->fd < 0)
		return;
	if (!epoll_ctl(epfd, EPOLL_CTL_MOD, s->fd, &ev))
		s->out_armed = want;
}
