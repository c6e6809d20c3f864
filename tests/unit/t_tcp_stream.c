// SPDX-License-Identifier: GPL-2.0-only
/*
 * n2n's TCP framing (daemon/common/tcp_stream.c) over a local stream
 * socket: frames cut anywhere come out whole and in order; a length above
 * 2048 is refused; the peer's end is told; an unfinished frame is timed
 * from its start; the send queue is bounded and says when it is full.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/bytes.h"
#include "common/tcp_stream.h"
#include "test.h"

struct seen {
	int n;
	size_t len[8];
	uint8_t first[8];
};

static bool on_frame(void *arg, uint8_t *body, size_t len)
{
	struct seen *s = arg;

	if (s->n < 8) {
		s->len[s->n] = len;
		s->first[s->n] = len ? body[0] : 0;
	}
	s->n++;
	return true;
}

static void pair(int sv[2])
{
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
}

TEST(tcp_stream_frames_cut_anywhere)
{
	static struct tcp_stream s;
	uint8_t wire[2 + 100 + 2 + 3 + 2 + 0];
	struct seen seen = { 0 };
	size_t i;
	int sv[2];

	pair(sv);
	tcp_stream_init(&s, sv[0]);
	put_be16(wire, 100);
	memset(wire + 2, 0xaa, 100);
	put_be16(wire + 102, 3);
	memset(wire + 104, 0xbb, 3);
	put_be16(wire + 107, 0);
	/* One byte at a time: every cut, the length's two bytes included. */
	for (i = 0; i < sizeof(wire); i++) {
		CHECK_EQ(write(sv[1], wire + i, 1), 1);
		CHECK_EQ(tcp_stream_read(&s, on_frame, &seen, 1000 + i), 0);
		if (i == 50)
			CHECK_EQ(s.partial_ms,
				 1000u); /* from the frame's start */
	}
	CHECK_EQ(seen.n, 3);
	CHECK_EQ(seen.len[0], 100u);
	CHECK_EQ(seen.first[0], 0xaa);
	CHECK_EQ(seen.len[1], 3u);
	CHECK_EQ(seen.first[1], 0xbb);
	CHECK_EQ(seen.len[2], 0u);
	CHECK_EQ(s.partial_ms, 0u); /* nothing unfinished */
	close(sv[1]);
	CHECK_EQ(tcp_stream_read(&s, on_frame, &seen, 2000), -EPIPE);
	tcp_stream_close(&s);
}

TEST(tcp_stream_refuses_a_long_length)
{
	static struct tcp_stream s;
	uint8_t hdr[2];
	struct seen seen = { 0 };
	int sv[2];

	pair(sv);
	tcp_stream_init(&s, sv[0]);
	put_be16(hdr, TCP_FRAME_MAX + 1);
	CHECK_EQ(write(sv[1], hdr, 2), 2);
	CHECK_EQ(tcp_stream_read(&s, on_frame, &seen, 1), -EMSGSIZE);
	CHECK_EQ(seen.n, 0);
	tcp_stream_close(&s);
	close(sv[1]);
}

TEST(tcp_stream_queue_is_bounded)
{
	static struct tcp_stream s;
	static uint8_t body[TCP_FRAME_MAX], got[TCP_FRAME_HDR + TCP_FRAME_MAX];
	int sv[2], i, queued = 0;

	pair(sv);
	tcp_stream_init(&s, sv[0]);
	CHECK_EQ(tcp_stream_queue(&s, body, TCP_FRAME_MAX + 1), -EMSGSIZE);
	for (i = 0; i < 100 && !tcp_stream_queue(&s, body, sizeof(body)); i++)
		queued++;
	CHECK_EQ(queued, 16);
	CHECK_EQ(tcp_stream_queue(&s, body, sizeof(body)), -ENOBUFS);
	CHECK(tcp_stream_flush(&s) >= 0);
	/* What went out is framed: the first length, then its body. */
	CHECK_EQ(read(sv[1], got, sizeof(got)), (ssize_t)sizeof(got));
	CHECK_EQ(get_be16(got), TCP_FRAME_MAX);
	tcp_stream_close(&s);
	close(sv[1]);
}

/* tx_frames: the frames a close would discard, the first maybe cut. */
TEST(tcp_stream_counts_unsent_frames)
{
	static struct tcp_stream s;
	static uint8_t body[TCP_FRAME_MAX];
	const size_t whole = TCP_FRAME_HDR + TCP_FRAME_MAX;
	int sv[2], small = 4096, i;

	pair(sv);
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	tcp_stream_init(&s, sv[0]);
	CHECK_EQ(tcp_stream_queue(&s, body, 10), 0);
	CHECK_EQ(tcp_stream_queue(&s, body, 20), 0);
	CHECK_EQ(s.tx_frames, 2);
	CHECK_EQ(tcp_stream_flush(&s), 0);
	CHECK_EQ(s.tx_frames, 0);
	for (i = 0; i < 16; i++)
		CHECK_EQ(tcp_stream_queue(&s, body, sizeof(body)), 0);
	CHECK_EQ(tcp_stream_flush(&s), 1); /* the peer reads nothing */
	CHECK(s.tx_frames > 0 && s.tx_frames < 16);
	CHECK(s.tx_head_left > 0 && s.tx_head_left <= whole);
	CHECK_EQ(s.tx_len, s.tx_head_left + (s.tx_frames - 1) * whole);
	tcp_stream_close(&s);
	CHECK_EQ(s.tx_frames, 0);
	close(sv[1]);
}
