// SPDX-License-Identifier: GPL-2.0-only
/* Pearson hashes against n2n's tests-hashing.expected; Speck against the
 * published Speck128/128 and Speck128/256 vectors and n2n's CTR layout. */
#include "common/bytes.h"
#include "proto/pearson.h"
#include "proto/speck.h"
#include "test.h"

static void hashing_input(uint8_t in[512])
{
	int i;

	for (i = 0; i < 512; i++)
		in[i] = (uint8_t)(i & 15);
}

TEST(pearson_matches_upstream_expected)
{
	uint8_t in[512], want[64], got[32];

	hashing_input(in);
	CHECK_EQ(expected_dump("tests-hashing.expected",
			       "pearson_hash_256: output", want, sizeof(want)),
		 32);
	pearson_hash_256(got, in, sizeof(in));
	CHECK_MEM(got, want, 32);
	CHECK_EQ(expected_dump("tests-hashing.expected",
			       "pearson_hash_128: output", want, sizeof(want)),
		 16);
	pearson_hash_128(got, in, sizeof(in));
	CHECK_MEM(got, want, 16);
	CHECK(pearson_hash_64(in, sizeof(in)) == 0xb2d98fa82ea108beull);
	CHECK(pearson_hash_32(in, sizeof(in)) == 0x2ea108beu);
	CHECK(pearson_hash_16(in, sizeof(in)) == 0x08be);
}

TEST(speck128_128_standard_vector)
{
	uint8_t key[16], pt[16], ct[16], out[16], back[16];
	struct speck_key k;
	int i;

	for (i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	hex_decode(pt, 16, "206d616465206974206571756976616c");
	hex_decode(ct, 16, "180d575cdffe60786532787951985da6");
	CHECK_EQ(speck_setkey(&k, key, 16), 0);
	speck_encrypt_block(&k, out, pt);
	CHECK_MEM(out, ct, 16);
	speck_decrypt_block(&k, back, out);
	CHECK_MEM(back, pt, 16);
}

TEST(speck128_256_standard_vector)
{
	uint8_t key[32], pt[16], ct[16], out[16], back[16];
	struct speck_key k;
	int i;

	for (i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	hex_decode(pt, 16, "706f6f6e65722e20496e2074686f7365");
	hex_decode(ct, 16, "438f189c8db4ee4e3ef5c00504010941");
	CHECK_EQ(speck_setkey(&k, key, 32), 0);
	speck_encrypt_block(&k, out, pt);
	CHECK_MEM(out, ct, 16);
	speck_decrypt_block(&k, back, out);
	CHECK_MEM(back, pt, 16);
}

TEST(speck_rejects_bad_key_length)
{
	uint8_t key[24] = { 0 };
	struct speck_key k;

	CHECK(speck_setkey(&k, key, 24) < 0);
	CHECK(speck_setkey(&k, key, 0) < 0);
}

/* CTR: block i is E(LE64(n0 + i) || LE64(n1)); n1 never changes (no carry). */
TEST(speck_ctr_counts_low_half_only)
{
	uint8_t key[16] = { 1, 2, 3 }, iv[16], ctr[16], ks[16];
	uint8_t zero[40] = { 0 }, out[40];
	struct speck_key k;

	CHECK_EQ(speck_setkey(&k, key, 16), 0);
	memset(iv, 0xff, 8); /* n0 = 2^64 - 1: wraps on block 1 */
	memset(iv + 8, 0x5a, 8);
	speck_ctr(&k, iv, out, zero, sizeof(out));
	memcpy(ctr, iv, 16);
	speck_encrypt_block(&k, ks, ctr);
	CHECK_MEM(out, ks, 16);
	put_le64(ctr, 0); /* wrapped, n1 unchanged */
	speck_encrypt_block(&k, ks, ctr);
	CHECK_MEM(out + 16, ks, 16);
	put_le64(ctr, 1);
	speck_encrypt_block(&k, ks, ctr);
	CHECK_MEM(out + 32, ks, 8);
}
