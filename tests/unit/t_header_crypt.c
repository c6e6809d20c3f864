// SPDX-License-Identifier: GPL-2.0-only
/*
 * Header encryption against n2n's he_plain/he_enc vector, tamper and
 * wrong-key detection, and the time-stamp rules (frame, replay, jitter).
 */
#include "proto/header_crypt.h"
#include "proto/timestamp.h"
#include "test.h"

static void community(char out[N2N_COMMUNITY_SIZE], const char *name)
{
	memset(out, 0, N2N_COMMUNITY_SIZE);
	strncpy(out, name, N2N_COMMUNITY_SIZE - 1);
}

TEST(he_decrypts_and_reencrypts_upstream_vector)
{
	uint8_t plain[128], enc[128], want_dec[128], out[128];
	long plen = crypto_vector("he_plain", plain, sizeof(plain));
	long elen = crypto_vector("he_enc", enc, sizeof(enc));
	struct he_result res;
	struct he_keys keys;
	char comm[N2N_COMMUNITY_SIZE];

	CHECK_EQ(plen, 64);
	CHECK_EQ(elen, 64);
	CHECK_EQ(crypto_vector("he_dec", want_dec, sizeof(want_dec)), 64);
	community(comm, "mycommunity");
	he_keys_from_community(&keys, comm);
	CHECK(he_magic_matches(enc, 64, &keys));
	CHECK_EQ(he_decrypt(out, enc, 64, comm, &keys, &res), 0);
	CHECK_MEM(out, want_dec, 64);
	CHECK_EQ(res.hdr_len, 40);
	CHECK(res.stamp == 0x0123456789abcdefull);

	/* Same stamp and random bits: the encoder reproduces n2n's bytes. */
	memcpy(out, plain, 64);
	CHECK_EQ(he_encrypt(out, 64, 40, res.stamp, res.random32, &keys), 0);
	CHECK_MEM(out, enc, 64);
}

TEST(he_in_place_and_out_of_place_agree)
{
	uint8_t enc[128], a[128];
	struct he_keys keys;
	char comm[N2N_COMMUNITY_SIZE];

	community(comm, "mycommunity");
	he_keys_from_community(&keys, comm);
	CHECK_EQ(crypto_vector("he_enc", enc, sizeof(enc)), 64);
	CHECK_EQ(he_decrypt(a, enc, 64, comm, &keys, NULL), 0);
	CHECK_EQ(he_decrypt(enc, enc, 64, comm, &keys, NULL), 0);
	CHECK_MEM(enc, a, 64);
}

TEST(he_wrong_community_fails_and_leaves_buffer)
{
	uint8_t enc[128], copy[128], out[128];
	struct he_keys keys;
	char comm[N2N_COMMUNITY_SIZE];

	CHECK_EQ(crypto_vector("he_enc", enc, sizeof(enc)), 64);
	memcpy(copy, enc, 64);
	memset(out, 0xee, sizeof(out));
	community(comm, "othercommunity");
	he_keys_from_community(&keys, comm);
	CHECK(!he_magic_matches(enc, 64, &keys));
	CHECK_EQ(he_decrypt(enc, enc, 64, comm, &keys, NULL), -HE_ERR_MAGIC);
	CHECK_MEM(enc, copy, 64);
	CHECK(out[0] == 0xee);
}

/* A changed header byte breaks the checksum; a changed payload byte the
 * stamp (n2n folds the low checksum half into it), which ts_verify catches. */
TEST(he_tampering_is_detected)
{
	uint8_t enc[128], t[128], plain[128];
	struct he_result res;
	struct he_keys keys;
	char comm[N2N_COMMUNITY_SIZE];
	int i, caught = 0;

	community(comm, "mycommunity");
	he_keys_from_community(&keys, comm);
	CHECK_EQ(crypto_vector("he_enc", enc, sizeof(enc)), 64);
	for (i = 20; i < 40; i++) {
		memcpy(t, enc, 64);
		t[i] ^= 0x01;
		CHECK_MSG(he_decrypt(plain, t, 64, comm, &keys, NULL) < 0,
			  "header byte %d", i);
	}
	for (i = 40; i < 64; i++) {
		memcpy(t, enc, 64);
		t[i] ^= 0x80;
		if (he_decrypt(plain, t, 64, comm, &keys, &res) < 0 ||
		    ts_verify(NULL, res.stamp, 0x0123456789abcdefull, false) <
			    0)
			caught++;
	}
	CHECK_EQ(caught, 24);
}

TEST(he_rejects_bad_lengths)
{
	uint8_t buf[N2N_PKT_BUF_SIZE + 1] = { 3 };
	struct he_keys keys;
	char comm[N2N_COMMUNITY_SIZE];

	community(comm, "c");
	he_keys_from_community(&keys, comm);
	CHECK_EQ(he_encrypt(buf, 23, 23, 0, 0, &keys), -HE_ERR_SHORT);
	CHECK_EQ(he_encrypt(buf, 40, 23, 0, 0, &keys), -HE_ERR_HDR_LEN);
	CHECK_EQ(he_encrypt(buf, 40, 41, 0, 0, &keys), -HE_ERR_HDR_LEN);
	CHECK_EQ(he_encrypt(buf, sizeof(buf), 24, 0, 0, &keys),
		 -HE_ERR_TOO_LONG);
	CHECK_EQ(he_decrypt(buf, buf, 23, comm, &keys, NULL), -HE_ERR_SHORT);
	CHECK_EQ(he_decrypt(buf, buf, sizeof(buf), comm, &keys, NULL),
		 -HE_ERR_TOO_LONG);
}

TEST(he_roundtrip_every_header_length)
{
	uint8_t pkt[300], orig[300], out[300];
	struct he_result res;
	struct he_keys keys;
	char comm[N2N_COMMUNITY_SIZE];
	size_t h, i;

	community(comm, "roundtrip");
	he_keys_from_community(&keys, comm);
	for (i = 0; i < sizeof(orig); i++)
		orig[i] = (uint8_t)(i * 13);
	orig[0] = 3;
	memcpy(orig + 4, comm, N2N_COMMUNITY_SIZE);
	for (h = 24; h <= sizeof(orig); h += 7) {
		memcpy(pkt, orig, sizeof(pkt));
		CHECK_EQ(he_encrypt(pkt, sizeof(pkt), h, 0x5000000012345670ull,
				    0xabcdef01, &keys),
			 0);
		CHECK_EQ(he_decrypt(out, pkt, sizeof(pkt), comm, &keys, &res),
			 0);
		CHECK_MEM(out, orig, sizeof(orig));
		CHECK(res.hdr_len == h && res.stamp == 0x5000000012345670ull);
		CHECK(res.random32 == 0xabcdef01);
	}
}

TEST(ts_frame_replay_and_jitter)
{
	uint64_t now = ts_from_usec(1795316033ull * 1000000);
	struct ts_replay rp;

	CHECK(now == 0x6b02594100000000ull);
	CHECK_EQ(ts_verify(NULL, now + TS_FRAME - 1, now, false), 0);
	CHECK_EQ(ts_verify(NULL, now + TS_FRAME, now, false), -TS_ERR_FRAME);
	CHECK_EQ(ts_verify(NULL, now - TS_FRAME, now, false), -TS_ERR_FRAME);

	ts_replay_init(&rp, now);
	CHECK_EQ(ts_verify(&rp, now, now, false), 0);
	CHECK_EQ(ts_verify(&rp, now, now, false), -TS_ERR_REPLAY);
	CHECK_EQ(ts_verify(&rp, now - 0x100000, now, false), -TS_ERR_REPLAY);
	/* Jitter types may arrive up to ~160 ms late, not more. */
	CHECK_EQ(ts_verify(&rp, now - 0x100000, now, true), 0);
	CHECK_EQ(ts_verify(&rp, now - TS_JITTER, now, true), -TS_ERR_REPLAY);
	CHECK(rp.last == now); /* a late one never moves it back */
	CHECK_EQ(ts_verify(&rp, now + 16, now, false), 0);
	CHECK(rp.last == now + 16);
	/* Counter-only stamps get 256 times the jitter. */
	CHECK_EQ(ts_verify(&rp, (now - TS_JITTER * 2) | 1, now, true), 0);
}

TEST(ts_source_never_repeats)
{
	struct ts_source src = { 0 };
	uint64_t a = ts_next(&src, 1000000), b = ts_next(&src, 1000000);
	uint64_t c = ts_next(&src, 999999);

	CHECK(a == 1ull << 32);
	CHECK(b > a && c > b);
	CHECK(ts_next(&src, 2000000) == 2ull << 32);
}

TEST(ts_jitter_table_follows_n2n)
{
	CHECK(ts_type_allows_jitter(N2N_MSG_PACKET, false, false));
	CHECK(ts_type_allows_jitter(N2N_MSG_PACKET, true, false));
	CHECK(ts_type_allows_jitter(N2N_MSG_QUERY_PEER, true, false));
	CHECK(ts_type_allows_jitter(N2N_MSG_PEER_INFO, false, false));
	CHECK(!ts_type_allows_jitter(N2N_MSG_PEER_INFO, true, false));
	CHECK(ts_type_allows_jitter(N2N_MSG_REGISTER, false, true));
	CHECK(!ts_type_allows_jitter(N2N_MSG_REGISTER, false, false));
	CHECK(!ts_type_allows_jitter(N2N_MSG_REGISTER_SUPER, true, false));
	CHECK(!ts_type_allows_jitter(N2N_MSG_REGISTER_SUPER_ACK, false, false));
}
