// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compression against n2n 3.1.1's tests-compress.expected (LZO1X-1 and zstd
 * level 7 of a 512-byte pattern) and the compressed PACKETs of
 * tests-transform.expected; then round trips, "not smaller", and corrupt or
 * oversized streams, which must fail with a named error and never crash.
 */
#include <stdlib.h>

#include <zstd.h>

#include "proto/compress.h"
#include "test.h"

static void pattern_512(uint8_t in[512])
{
	int i;

	for (i = 0; i < 512; i++)
		in[i] = (uint8_t)(i & 15);
}

/* Compresses the upstream input and compares with n2n's bytes. */
static void check_upstream(enum n2n_compression_id id, const char *heading,
			   long want_len)
{
	uint8_t in[512], want[600], out[600], back[N2N_PKT_BUF_SIZE];
	struct compressor c;
	long n;

	pattern_512(in);
	CHECK_EQ(expected_dump("tests-compress.expected", "original: input",
			       out, sizeof(out)),
		 512);
	CHECK_MEM(out, in, 512);
	n = expected_dump("tests-compress.expected", heading, want,
			  sizeof(want));
	CHECK_EQ(n, want_len);
	if (n != want_len)
		return;
	CHECK_EQ(compress_init(&c), 0);
	CHECK_EQ(compress_encode(&c, id, out, sizeof(out), in, 512), n);
	CHECK_MEM(out, want, (size_t)n);
	CHECK_EQ(compress_decode(&c, id, back, sizeof(back), want, (size_t)n),
		 512);
	CHECK_MEM(back, in, 512);
	compress_fini(&c);
}

TEST(compress_lzo_upstream_expected)
{
	check_upstream(N2N_COMPRESSION_LZO, "lzo1x: output", 0x2f);
}

/*
 * zstd's output can change between library versions; the installed
 * libzstd 1.5 reproduces n2n's 33 bytes exactly. If a future version does
 * not, decompressing n2n's bytes (also checked here) is what matters.
 */
TEST(compress_zstd_upstream_expected)
{
	check_upstream(N2N_COMPRESSION_ZSTD, "zstd: output", 0x21);
}

/* The compressed PACKETs of tests-transform.expected: payload at 38. */
TEST(compress_upstream_packets_decompress)
{
	static const struct {
		enum n2n_compression_id id;
		const char *heading;
	} cases[] = {
		{ N2N_COMPRESSION_LZO, "lzo: output" },
		{ N2N_COMPRESSION_ZSTD, "zstd: output" },
	};
	uint8_t pkt[256], in[512], out[N2N_PKT_BUF_SIZE];
	struct compressor c;
	size_t i;
	long n;

	pattern_512(in);
	CHECK_EQ(compress_init(&c), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = expected_dump("tests-transform.expected", cases[i].heading,
				  pkt, sizeof(pkt));
		CHECK_MSG(n > N2N_PACKET_HDR_SIZE, "%s", cases[i].heading);
		if (n <= N2N_PACKET_HDR_SIZE)
			continue;
		CHECK_EQ(compress_decode(&c, cases[i].id, out, sizeof(out),
					 pkt + N2N_PACKET_HDR_SIZE,
					 (size_t)n - N2N_PACKET_HDR_SIZE),
			 512);
		CHECK_MEM(out, in, 512);
	}
	compress_fini(&c);
}

static void fill_compressible(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i / 7 % 5);
}

static void round_trip(struct compressor *c, enum n2n_compression_id id,
		       size_t len)
{
	uint8_t in[N2N_PKT_BUF_SIZE], z[N2N_PKT_BUF_SIZE];
	uint8_t out[N2N_PKT_BUF_SIZE];
	ssize_t n, m;

	fill_compressible(in, len);
	n = compress_encode(c, id, z, sizeof(z), in, len);
	if (n == COMPRESS_ERR_NOT_SMALLER)
		return;
	CHECK_MSG(n >= 0 && (id == N2N_COMPRESSION_NONE || (size_t)n < len),
		  "%s len %zu: encode %zd", compress_name(id), len, n);
	if (n < 0)
		return;
	m = compress_decode(c, id, out, sizeof(out), z, (size_t)n);
	CHECK_MSG(m == (ssize_t)len && !memcmp(out, in, len),
		  "%s len %zu: decode %zd", compress_name(id), len, m);
}

TEST(compress_round_trips)
{
	static const enum n2n_compression_id ids[] = {
		N2N_COMPRESSION_NONE,
		N2N_COMPRESSION_LZO,
		N2N_COMPRESSION_ZSTD,
	};
	struct compressor c;
	size_t i, len;

	CHECK_EQ(compress_init(&c), 0);
	for (i = 0; i < 3; i++) {
		for (len = 0; len <= 70; len++)
			round_trip(&c, ids[i], len);
		round_trip(&c, ids[i], 1400);
		round_trip(&c, ids[i], N2N_PKT_BUF_SIZE);
	}
	/* Long compressible frames do shrink. */
	CHECK(compress_encode(&c, N2N_COMPRESSION_LZO, (uint8_t[2048]){ 0 },
			      2048, (uint8_t[1400]){ 0 }, 1400) > 0);
	compress_fini(&c);
}

TEST(compress_not_smaller)
{
	uint8_t in[300], out[600];
	struct compressor c;
	size_t i;

	srand(7);
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)rand();
	CHECK_EQ(compress_init(&c), 0);
	CHECK_EQ(compress_encode(&c, N2N_COMPRESSION_LZO, out, sizeof(out), in,
				 sizeof(in)),
		 COMPRESS_ERR_NOT_SMALLER);
	CHECK_EQ(compress_encode(&c, N2N_COMPRESSION_ZSTD, out, sizeof(out), in,
				 sizeof(in)),
		 COMPRESS_ERR_NOT_SMALLER);
	CHECK_EQ(compress_encode(&c, N2N_COMPRESSION_LZO, out, sizeof(out), in,
				 0),
		 COMPRESS_ERR_NOT_SMALLER);
	CHECK_EQ(compress_encode(&c, N2N_COMPRESSION_ZSTD, out, sizeof(out), in,
				 0),
		 COMPRESS_ERR_NOT_SMALLER);
	CHECK_EQ(compress_encode(&c, N2N_COMPRESSION_NONE, out, sizeof(out), in,
				 sizeof(in)),
		 sizeof(in));
	CHECK_MEM(out, in, sizeof(in));
	compress_fini(&c);
}

TEST(compress_rejects_bad_lengths)
{
	/* Static: two packet-sized buffers, off the stack. */
	static uint8_t in[N2N_PKT_BUF_SIZE + 1], out[N2N_PKT_BUF_SIZE];
	uint8_t z[64];
	struct compressor c;
	ssize_t n;

	CHECK_EQ(compress_init(&c), 0);
	CHECK_EQ(compress_encode(&c, N2N_COMPRESSION_LZO, out, sizeof(out), in,
				 sizeof(in)),
		 COMPRESS_ERR_TOO_LONG);
	CHECK_EQ(compress_decode(&c, N2N_COMPRESSION_ZSTD, out, sizeof(out), in,
				 sizeof(in)),
		 COMPRESS_ERR_TOO_LONG);
	CHECK_EQ(compress_encode(&c, N2N_COMPRESSION_ZSTD, z, 8, in, 512),
		 COMPRESS_ERR_NO_SPACE);
	CHECK_EQ(compress_encode(&c, N2N_COMPRESSION_NONE, z, 8, in, 9),
		 COMPRESS_ERR_NO_SPACE);
	CHECK_EQ(compress_decode(&c, N2N_COMPRESSION_NONE, z, 8, in, 9),
		 COMPRESS_ERR_NO_SPACE);
	n = compress_encode(&c, N2N_COMPRESSION_LZO, z, sizeof(z), in, 512);
	CHECK(n > 0);
	CHECK_EQ(compress_decode(&c, N2N_COMPRESSION_LZO, out, 511, z,
				 (size_t)n),
		 COMPRESS_ERR_NO_SPACE);
	n = compress_encode(&c, N2N_COMPRESSION_ZSTD, z, sizeof(z), in, 512);
	CHECK(n > 0);
	CHECK_EQ(compress_decode(&c, N2N_COMPRESSION_ZSTD, out, 511, z,
				 (size_t)n),
		 COMPRESS_ERR_NO_SPACE);
	CHECK_EQ(compress_encode(&c, N2N_COMPRESSION_INVALID, out, sizeof(out),
				 in, 10),
		 COMPRESS_ERR_UNKNOWN_ID);
	CHECK_EQ(compress_decode(&c, (enum n2n_compression_id)4, out,
				 sizeof(out), in, 10),
		 COMPRESS_ERR_UNKNOWN_ID);
	compress_fini(&c);
}

/* A valid zstd frame of 4096 bytes: bigger than any receive buffer. */
TEST(compress_rejects_frame_above_buffer_size)
{
	static uint8_t big[4096], out[8192]; /* static: 12 KiB off the stack */
	uint8_t z[128];
	struct compressor c;
	size_t n;

	n = ZSTD_compress(z, sizeof(z), big, sizeof(big), 7);
	CHECK(!ZSTD_isError(n));
	CHECK_EQ(compress_init(&c), 0);
	CHECK_EQ(compress_decode(&c, N2N_COMPRESSION_ZSTD, out, sizeof(out), z,
				 n),
		 COMPRESS_ERR_TOO_LONG);
	compress_fini(&c);
}

static int named_decode_result(ssize_t n)
{
	return n >= 0 || n == COMPRESS_ERR_CORRUPT ||
	       n == COMPRESS_ERR_NO_SPACE || n == COMPRESS_ERR_TOO_LONG;
}

/*
 * Every truncation and every single-bit flip of a valid stream: whatever
 * comes out is a length within the buffer or a named error.
 */
static void mangle(struct compressor *c, enum n2n_compression_id id,
		   const uint8_t *z, size_t zlen)
{
	uint8_t bad[256], out[N2N_PKT_BUF_SIZE];
	size_t i, bit;
	ssize_t n;

	for (i = 0; i < zlen; i++) {
		n = compress_decode(c, id, out, sizeof(out), z, i);
		CHECK_MSG(n != 512, "%s: truncated to %zu decodes",
			  compress_name(id), i);
		CHECK(named_decode_result(n));
	}
	for (i = 0; i < zlen; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(bad, z, zlen);
			bad[i] ^= (uint8_t)(1 << bit);
			n = compress_decode(c, id, out, sizeof(out), bad, zlen);
			CHECK(named_decode_result(n));
			CHECK(n <= N2N_PKT_BUF_SIZE);
		}
	}
}

TEST(compress_corrupt_streams)
{
	uint8_t in[512], z[256], junk[64];
	struct compressor c;
	ssize_t n;

	pattern_512(in);
	memset(junk, 0xee, sizeof(junk));
	CHECK_EQ(compress_init(&c), 0);
	n = compress_encode(&c, N2N_COMPRESSION_LZO, z, sizeof(z), in, 512);
	CHECK(n > 0);
	if (n > 0)
		mangle(&c, N2N_COMPRESSION_LZO, z, (size_t)n);
	n = compress_encode(&c, N2N_COMPRESSION_ZSTD, z, sizeof(z), in, 512);
	CHECK(n > 0);
	if (n > 0)
		mangle(&c, N2N_COMPRESSION_ZSTD, z, (size_t)n);
	CHECK_EQ(compress_decode(&c, N2N_COMPRESSION_ZSTD, in, sizeof(in), junk,
				 sizeof(junk)),
		 COMPRESS_ERR_CORRUPT);
	CHECK_EQ(compress_decode(&c, N2N_COMPRESSION_LZO, in, sizeof(in), junk,
				 sizeof(junk)),
		 COMPRESS_ERR_CORRUPT);
	compress_fini(&c);
}

TEST(compress_names_flags_and_errors)
{
	int err;

	CHECK(!strcmp(compress_name(N2N_COMPRESSION_NONE), "none"));
	CHECK(!strcmp(compress_name(N2N_COMPRESSION_LZO), "lzo1x"));
	CHECK(!strcmp(compress_name(N2N_COMPRESSION_ZSTD), "zstd"));
	CHECK(!strcmp(compress_name(N2N_COMPRESSION_INVALID), "invalid"));
	CHECK(!strcmp(compress_name((enum n2n_compression_id)77), "invalid"));
	CHECK_EQ(compress_id_from_flag(0), N2N_COMPRESSION_NONE);
	CHECK_EQ(compress_id_from_flag(1), N2N_COMPRESSION_LZO);
	CHECK_EQ(compress_id_from_flag(2), N2N_COMPRESSION_ZSTD);
	CHECK_EQ(compress_id_from_flag(3), COMPRESS_ERR_UNKNOWN_ID);
	CHECK_EQ(compress_id_from_flag(-1), COMPRESS_ERR_UNKNOWN_ID);
	for (err = COMPRESS_ERR_NOMEM; err <= COMPRESS_ERR_UNKNOWN_ID; err++)
		CHECK(strcmp(compress_strerror(err),
			     "unknown compression error") != 0);
	CHECK(!strcmp(compress_strerror(-1), "unknown compression error"));
	CHECK(!strcmp(compress_strerror(0), "success"));
}
