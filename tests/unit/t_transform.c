// SPDX-License-Identifier: GPL-2.0-only
/*
 * Payload transforms against n2n 3.1.1's own outputs (crypto-vectors.txt and
 * tests-transform.expected): each vector decrypts, and re-encrypting with the
 * recovered IV gives the same bytes. Then round trips and malformed inputs.
 */
#include <stdio.h>

#include "common/bytes.h"
#include "proto/transform.h"
#include "test.h"

#define VEC_KEY "SoMEVer!S$cUREPassWORD" /* 22 chars: AES-128 */

static const enum n2n_transform_id all_ids[] = {
	N2N_TRANSFORM_NULL,	N2N_TRANSFORM_TWOFISH, N2N_TRANSFORM_AES,
	N2N_TRANSFORM_CHACHA20, N2N_TRANSFORM_SPECK,
};
#define N_IDS (sizeof(all_ids) / sizeof(all_ids[0]))

static void fill_pattern(uint8_t *p, size_t n, unsigned int mul)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * mul);
}

/*
 * Decodes a vector, checks the frame, and re-encodes it with the recovered
 * IV: the bytes must come back exactly.
 */
static void check_vector(const struct transform *t, const uint8_t *vec,
			 size_t vec_len, const uint8_t *want, size_t want_len,
			 const char *what)
{
	uint8_t frame[N2N_PKT_BUF_SIZE], again[N2N_PKT_BUF_SIZE + 16], iv[16];
	ssize_t n;

	n = transform_decode_iv(t, frame, sizeof(frame), vec, vec_len, iv);
	CHECK_MSG(n == (ssize_t)want_len, "%s: decode %zd (%s)", what, n,
		  transform_strerror((int)n));
	if (n != (ssize_t)want_len)
		return;
	CHECK_MSG(!memcmp(frame, want, want_len), "%s: frame", what);
	n = transform_encode(t, again, sizeof(again), frame, want_len, iv);
	CHECK_MSG(n == (ssize_t)vec_len && !memcmp(again, vec, vec_len),
		  "%s: re-encode", what);
}

TEST(transform_twofish_zero_key_zero_block)
{
	uint8_t key[32] = { 0 }, iv[16] = { 0 }, out[16], want[16], back[1];
	struct transform t;

	CHECK_EQ(crypto_vector("tf_zero", want, sizeof(want)), 16);
	/* Empty frame: CBC of the zero preamble with a zero IV is one block. */
	CHECK_EQ(transform_init_raw(&t, N2N_TRANSFORM_TWOFISH, key, 32), 0);
	CHECK_EQ(transform_encode(&t, out, sizeof(out), NULL, 0, iv), 16);
	CHECK_MEM(out, want, 16);
	CHECK_EQ(transform_decode(&t, back, sizeof(back), out, 16), 0);
	transform_fini(&t);
}

static void check_cts_vectors(enum n2n_transform_id id, const char *prefix)
{
	static const size_t lens[] = { 1, 15, 16, 17, 33, 100 };
	uint8_t vec[256], want[128];
	struct transform t;
	char name[32];
	size_t i;
	long n;

	CHECK_EQ(transform_init(&t, id, VEC_KEY), 0);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		snprintf(name, sizeof(name), "%s_%zu", prefix, lens[i]);
		n = crypto_vector(name, vec, sizeof(vec));
		CHECK_MSG(n == (long)lens[i] + 16, "%s: %ld bytes", name, n);
		if (n != (long)lens[i] + 16)
			continue;
		fill_pattern(want, lens[i], 7);
		check_vector(&t, vec, (size_t)n, want, lens[i], name);
	}
	transform_fini(&t);
}

TEST(transform_aes_cts_vectors)
{
	check_cts_vectors(N2N_TRANSFORM_AES, "aes");
}

TEST(transform_twofish_cts_vectors)
{
	check_cts_vectors(N2N_TRANSFORM_TWOFISH, "tf");
}

/* The -k string's length picks AES-128/192/256 (22, 23..32, 33+). */
TEST(transform_aes_key_size_from_key_length)
{
	static const struct {
		const char *vec, *key;
		int key_len;
	} cases[] = {
		{ "aeskey22_33", "0123456789012345678901", 16 },
		{ "aeskey23_33", "01234567890123456789012", 24 },
		{ "aeskey32_33", "01234567890123456789012345678901", 24 },
		{ "aeskey33_33", "012345678901234567890123456789012", 32 },
	};
	uint8_t vec[64], want[33], key[TRANSFORM_KEY_MAX];
	struct transform t;
	size_t i;

	fill_pattern(want, sizeof(want), 7);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_EQ(transform_derive_key(N2N_TRANSFORM_AES, cases[i].key,
					      key),
			 cases[i].key_len);
		CHECK_EQ(crypto_vector(cases[i].vec, vec, sizeof(vec)), 49);
		CHECK_EQ(transform_init(&t, N2N_TRANSFORM_AES, cases[i].key),
			 0);
		check_vector(&t, vec, 49, want, sizeof(want), cases[i].vec);
		transform_fini(&t);
	}
}

/* Twofish, ChaCha20 and Speck use the whole 256-bit Pearson hash. */
TEST(transform_key_derivation_sizes)
{
	uint8_t key[TRANSFORM_KEY_MAX];

	CHECK_EQ(transform_derive_key(N2N_TRANSFORM_NULL, NULL, key), 0);
	CHECK_EQ(transform_derive_key(N2N_TRANSFORM_TWOFISH, "x", key), 32);
	CHECK_EQ(transform_derive_key(N2N_TRANSFORM_CHACHA20, "x", key), 32);
	CHECK_EQ(transform_derive_key(N2N_TRANSFORM_SPECK, "x", key), 32);
	CHECK_EQ(transform_derive_key(N2N_TRANSFORM_AES, "x", key), 16);
	CHECK_EQ(transform_derive_key(N2N_TRANSFORM_AES, NULL, key),
		 TRANSFORM_ERR_NO_KEY);
	CHECK_EQ(transform_derive_key(N2N_TRANSFORM_SPECK, "", key),
		 TRANSFORM_ERR_NO_KEY);
	CHECK_EQ(transform_derive_key(N2N_TRANSFORM_INVALID, "x", key),
		 TRANSFORM_ERR_UNKNOWN_ID);
}

/*
 * tests-transform.expected holds whole PACKETs: the 24-byte common header,
 * srcMac, dstMac, then compression and transform bytes (both 0 there, which
 * real edges would drop, protocol §11.6) and the payload from byte 38.
 */
static void check_upstream_packet(enum n2n_transform_id id, const char *heading)
{
	uint8_t pkt[N2N_PKT_BUF_SIZE], want[512];
	struct transform t;
	long n;

	n = expected_dump("tests-transform.expected", heading, pkt,
			  sizeof(pkt));
	CHECK_MSG(n == N2N_PACKET_HDR_SIZE + 512 + transform_overhead(id),
		  "%s: %ld bytes", heading, n);
	if (n != N2N_PACKET_HDR_SIZE + 512 + transform_overhead(id))
		return;
	CHECK(!memcmp(pkt + 4, "abc123def456", 12));
	CHECK_EQ(pkt[3], N2N_MSG_PACKET);
	CHECK_EQ(pkt[N2N_PACKET_HDR_SIZE - 2], 0); /* compression */
	CHECK_EQ(pkt[N2N_PACKET_HDR_SIZE - 1], 0); /* transform */
	fill_pattern(want, sizeof(want), 1);
	for (n = 0; n < 512; n++)
		want[n] &= 15;
	CHECK_EQ(transform_init(&t, id, VEC_KEY), 0);
	check_vector(&t, pkt + N2N_PACKET_HDR_SIZE,
		     512 + (size_t)transform_overhead(id), want, 512, heading);
	transform_fini(&t);
}

TEST(transform_upstream_expected)
{
	uint8_t input[600];

	/* The input section confirms the 512-byte 0..15 pattern. */
	CHECK_EQ(expected_dump("tests-transform.expected",
			       "environment: input size", input, sizeof(input)),
		 512);
	CHECK_EQ(input[17], 1);
	check_upstream_packet(N2N_TRANSFORM_NULL, "null: output");
	check_upstream_packet(N2N_TRANSFORM_TWOFISH, "tf: output");
	check_upstream_packet(N2N_TRANSFORM_AES, "aes: output");
	check_upstream_packet(N2N_TRANSFORM_CHACHA20, "cc20: output");
	check_upstream_packet(N2N_TRANSFORM_SPECK, "speck: output");
}

static void round_trip(const struct transform *t, size_t len)
{
	uint8_t in[1400], enc[1400 + 16], enc2[1400 + 16], out[1400], iv[16];
	uint8_t iv_back[16];
	size_t over = t->ops->overhead;
	ssize_t n;

	fill_pattern(in, len, 13);
	transform_random_iv(iv);
	n = transform_encode(t, enc, sizeof(enc), in, len, iv);
	CHECK_MSG(n == (ssize_t)(len + over), "%s len %zu: encode %zd",
		  t->ops->name, len, n);
	CHECK(transform_encode(t, enc2, sizeof(enc2), in, len, iv) == n);
	CHECK_MSG(!memcmp(enc, enc2, len + over), "%s: not deterministic",
		  t->ops->name);
	n = transform_decode_iv(t, out, sizeof(out), enc, len + over, iv_back);
	CHECK_MSG(n == (ssize_t)len && !memcmp(out, in, len),
		  "%s len %zu: decode %zd", t->ops->name, len, n);
	if (over)
		CHECK_MEM(iv_back, iv, 16);
}

TEST(transform_round_trips)
{
	struct transform t;
	size_t i, len;

	for (i = 0; i < N_IDS; i++) {
		CHECK_EQ(transform_init(&t, all_ids[i], "round-trip key"), 0);
		for (len = 0; len <= 70; len++)
			round_trip(&t, len);
		round_trip(&t, 1400);
		transform_fini(&t);
	}
}

/* AES with each raw key size, and a different key must not decrypt. */
TEST(transform_aes_raw_keys_and_wrong_key)
{
	uint8_t key[32], in[40], enc[56], out[40], iv[16] = { 1 };
	struct transform a, b;
	size_t k;

	fill_pattern(key, sizeof(key), 3);
	fill_pattern(in, sizeof(in), 5);
	for (k = 16; k <= 32; k += 8) {
		CHECK_EQ(transform_init_raw(&a, N2N_TRANSFORM_AES, key, k), 0);
		key[0] ^= 1;
		CHECK_EQ(transform_init_raw(&b, N2N_TRANSFORM_AES, key, k), 0);
		CHECK_EQ(transform_encode(&a, enc, sizeof(enc), in, 40, iv),
			 56);
		CHECK_EQ(transform_decode(&a, out, sizeof(out), enc, 56), 40);
		CHECK_MEM(out, in, 40);
		CHECK_EQ(transform_decode(&b, out, sizeof(out), enc, 56), 40);
		CHECK(memcmp(out, in, 40) != 0);
		transform_fini(&a);
		transform_fini(&b);
	}
}

/*
 * ChaCha20: the 32-bit block counter in IV bytes 0..3 wraps to 0 inside a
 * packet and keeps the nonce, as n2n's built-in code does.
 */
TEST(transform_chacha20_counter_wraps_to_zero)
{
	uint8_t zero[200] = { 0 }, wrap[216], head[80], tail[152], iv[16];
	struct transform t;

	memset(iv + 4, 0xa5, 12);
	CHECK_EQ(transform_init(&t, N2N_TRANSFORM_CHACHA20, VEC_KEY), 0);
	put_le32(iv, 0xffffffffu);
	CHECK_EQ(transform_encode(&t, wrap, sizeof(wrap), zero, 200, iv), 216);
	CHECK_EQ(transform_encode(&t, head, sizeof(head), zero, 64, iv), 80);
	put_le32(iv, 0);
	CHECK_EQ(transform_encode(&t, tail, sizeof(tail), zero, 136, iv), 152);
	CHECK_MEM(wrap + 16, head + 16, 64);
	CHECK_MEM(wrap + 16 + 64, tail + 16, 136);
	put_le32(iv, 0xffffffffu);
	CHECK_MEM(wrap, iv, 16); /* the IV goes out as given */
	transform_fini(&t);
}

TEST(transform_chacha20_wrap_full_packet_round_trip)
{
	uint8_t in[N2N_PKT_BUF_SIZE], enc[N2N_PKT_BUF_SIZE + 16];
	uint8_t out[N2N_PKT_BUF_SIZE], iv[16] = { 0 };
	struct transform t;
	uint32_t ctr;

	fill_pattern(in, sizeof(in), 11);
	CHECK_EQ(transform_init(&t, N2N_TRANSFORM_CHACHA20, VEC_KEY), 0);
	for (ctr = 0xffffffe0u; ctr != 0; ctr++) {
		put_le32(iv, ctr);
		CHECK_EQ(transform_encode(&t, enc, sizeof(enc), in, sizeof(in),
					  iv),
			 sizeof(enc));
		CHECK_EQ(transform_decode(&t, out, sizeof(out), enc,
					  sizeof(enc)),
			 sizeof(in));
		CHECK_MEM(out, in, sizeof(in));
	}
	transform_fini(&t);
}

TEST(transform_rejects_short_ciphertext)
{
	uint8_t in[16] = { 0 }, out[64];
	struct transform t;
	size_t i, len;

	for (i = 1; i < N_IDS; i++) {
		CHECK_EQ(transform_init(&t, all_ids[i], VEC_KEY), 0);
		for (len = 0; len < 16; len++) {
			ssize_t n =
				transform_decode(&t, out, sizeof(out), in, len);

			CHECK_EQ(n, TRANSFORM_ERR_TOO_SHORT);
		}
		transform_fini(&t);
	}
}

TEST(transform_rejects_small_output_and_long_input)
{
	/* Static: two packet-sized buffers, off the stack. */
	static uint8_t in[N2N_PKT_BUF_SIZE + 32], out[N2N_PKT_BUF_SIZE + 32];
	uint8_t iv[16] = { 0 };
	struct transform t;
	size_t i, over;

	for (i = 0; i < N_IDS; i++) {
		CHECK_EQ(transform_init(&t, all_ids[i], VEC_KEY), 0);
		over = t.ops->overhead;
		CHECK_EQ(transform_encode(&t, out, 40 + over - 1, in, 40, iv),
			 TRANSFORM_ERR_NO_SPACE);
		CHECK_EQ(transform_decode(&t, out, 39, in, 40 + over),
			 TRANSFORM_ERR_NO_SPACE);
		CHECK_EQ(transform_encode(&t, out, sizeof(out), in,
					  N2N_PKT_BUF_SIZE + 1, iv),
			 TRANSFORM_ERR_TOO_LONG);
		CHECK_EQ(transform_decode(&t, out, sizeof(out), in,
					  N2N_PKT_BUF_SIZE + over + 1),
			 TRANSFORM_ERR_TOO_LONG);
		/* The largest frame fits both ways. */
		CHECK_EQ(transform_encode(&t, out, sizeof(out), in,
					  N2N_PKT_BUF_SIZE, iv),
			 N2N_PKT_BUF_SIZE + over);
		CHECK_EQ(transform_decode(&t, in, sizeof(in), out,
					  N2N_PKT_BUF_SIZE + over),
			 N2N_PKT_BUF_SIZE);
		transform_fini(&t);
	}
}

/*
 * n2n checks that the stolen padding decrypts to zero, but with its
 * reassembly the last block is Dec(b) ^ D, where D is Dec(b) with only
 * its first r bytes replaced: the padding is zero for every input, so the
 * check cannot fire. Show that tampering of any byte never trips it (and
 * never crashes); the transforms carry no integrity.
 */
TEST(transform_cts_padding_check_is_unreachable)
{
	uint8_t frame[17], enc[33], bad[33], out[17], iv[16] = { 9 };
	struct transform t;
	size_t i, bit;

	fill_pattern(frame, sizeof(frame), 7);
	CHECK_EQ(transform_init(&t, N2N_TRANSFORM_AES, VEC_KEY), 0);
	CHECK_EQ(transform_encode(&t, enc, sizeof(enc), frame, 17, iv), 33);
	for (i = 0; i < sizeof(enc); i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(bad, enc, sizeof(bad));
			bad[i] ^= (uint8_t)(1 << bit);
			CHECK_EQ(transform_decode(&t, out, sizeof(out), bad,
						  sizeof(bad)),
				 17);
		}
	}
	transform_fini(&t);
}

TEST(transform_rejects_bad_setup)
{
	uint8_t key[32] = { 0 }, buf[32] = { 0 }, iv[16] = { 0 };
	struct transform t = { 0 };

	CHECK_EQ(transform_encode(&t, buf, sizeof(buf), buf, 1, iv),
		 TRANSFORM_ERR_NOT_READY);
	CHECK_EQ(transform_decode(&t, buf, sizeof(buf), buf, 17),
		 TRANSFORM_ERR_NOT_READY);
	CHECK_EQ(transform_init(&t, N2N_TRANSFORM_INVALID, VEC_KEY),
		 TRANSFORM_ERR_UNKNOWN_ID);
	CHECK_EQ(transform_init(&t, (enum n2n_transform_id)6, VEC_KEY),
		 TRANSFORM_ERR_UNKNOWN_ID);
	CHECK_EQ(transform_init(&t, (enum n2n_transform_id) - 1, VEC_KEY),
		 TRANSFORM_ERR_UNKNOWN_ID);
	CHECK_EQ(transform_init(&t, N2N_TRANSFORM_AES, NULL),
		 TRANSFORM_ERR_NO_KEY);
	CHECK_EQ(transform_init(&t, N2N_TRANSFORM_TWOFISH, ""),
		 TRANSFORM_ERR_NO_KEY);
	CHECK_EQ(transform_init_raw(&t, N2N_TRANSFORM_AES, key, 20),
		 TRANSFORM_ERR_KEY_SIZE);
	CHECK_EQ(transform_init_raw(&t, N2N_TRANSFORM_TWOFISH, key, 16),
		 TRANSFORM_ERR_KEY_SIZE);
	CHECK_EQ(transform_init_raw(&t, N2N_TRANSFORM_CHACHA20, key, 16),
		 TRANSFORM_ERR_KEY_SIZE);
	CHECK_EQ(transform_init_raw(&t, N2N_TRANSFORM_SPECK, key, 24),
		 TRANSFORM_ERR_KEY_SIZE);
	CHECK(t.ops == NULL);
	transform_fini(&t); /* harmless after a failed init */
	CHECK_EQ(transform_init(&t, N2N_TRANSFORM_NULL, NULL), 0);
	transform_fini(&t);
}

TEST(transform_names_flags_and_errors)
{
	int err;

	CHECK(!strcmp(transform_name(N2N_TRANSFORM_NULL), "null"));
	CHECK(!strcmp(transform_name(N2N_TRANSFORM_TWOFISH), "twofish"));
	CHECK(!strcmp(transform_name(N2N_TRANSFORM_AES), "aes"));
	CHECK(!strcmp(transform_name(N2N_TRANSFORM_CHACHA20), "chacha20"));
	CHECK(!strcmp(transform_name(N2N_TRANSFORM_SPECK), "speck"));
	CHECK(!strcmp(transform_name(N2N_TRANSFORM_INVALID), "invalid"));
	CHECK(!strcmp(transform_name((enum n2n_transform_id)99), "invalid"));
	CHECK_EQ(transform_id_from_flag(1), N2N_TRANSFORM_NULL);
	CHECK_EQ(transform_id_from_flag(5), N2N_TRANSFORM_SPECK);
	CHECK_EQ(transform_id_from_flag(0), TRANSFORM_ERR_UNKNOWN_ID);
	CHECK_EQ(transform_id_from_flag(6), TRANSFORM_ERR_UNKNOWN_ID);
	CHECK_EQ(transform_id_from_flag(-3), TRANSFORM_ERR_UNKNOWN_ID);
	CHECK_EQ(transform_overhead(N2N_TRANSFORM_NULL), 0);
	CHECK_EQ(transform_overhead(N2N_TRANSFORM_AES), 16);
	CHECK_EQ(transform_overhead(N2N_TRANSFORM_INVALID),
		 TRANSFORM_ERR_UNKNOWN_ID);
	for (err = TRANSFORM_ERR_NOT_READY; err <= TRANSFORM_ERR_UNKNOWN_ID;
	     err++)
		CHECK(strcmp(transform_strerror(err),
			     "unknown transform error") != 0);
	CHECK(!strcmp(transform_strerror(-1), "unknown transform error"));
	CHECK(!strcmp(transform_strerror(-999), "unknown transform error"));
	CHECK(!strcmp(transform_strerror(0), "success"));
}
