// SPDX-License-Identifier: GPL-2.0-only
/*
 * User/password auth against n2n 3.1.1's tests-auth.expected,
 * tests-elliptic.expected, crypto-vectors.txt and documented keygen output,
 * plus a full edge <-> supernode challenge/answer round trip.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "proto/auth.h"
#include "test.h"

#define AUTH_EXPECTED "tests-auth.expected"

/* The text after "<prefix>" on its line of tests-auth.expected. */
static int expected_text(const char *prefix, char *out, size_t cap)
{
	size_t len, plen = strlen(prefix);
	char *text, *p, *end;
	int ret = -1;

	text = (char *)read_file(
		vector_path("upstream-expected/" AUTH_EXPECTED), &len);
	if (!text)
		return -1;
	p = strstr(text, prefix);
	if (p) {
		p += plen;
		end = p + strcspn(p, "\n");
		if ((size_t)(end - p) < cap) {
			memcpy(out, p, (size_t)(end - p));
			out[end - p] = 0;
			ret = 0;
		}
	}
	free(text);
	return ret;
}

TEST(auth_bin_to_ascii_upstream)
{
	uint8_t in[16];
	char want[64], got[64];
	int i;

	for (i = 0; i < 16; i++)
		in[i] = (uint8_t)i;
	CHECK_EQ(expected_text("bin_to_ascii: output: ", want, sizeof(want)),
		 0);
	CHECK(strcmp(want, "00420mG51WS82GeB30qE3m") == 0);
	CHECK_EQ(auth_bin_to_ascii(got, sizeof(got), in, sizeof(in)), 22);
	CHECK(strcmp(got, want) == 0);
	CHECK_EQ(auth_bin_to_ascii(got, 22, in, sizeof(in)),
		 -AUTH_ERR_NO_SPACE);
}

TEST(auth_ascii_to_bin_upstream)
{
	uint8_t want[64], got[16];
	char in[64];

	CHECK_EQ(expected_text("ascii_to_bin: input = ", in, sizeof(in)), 0);
	/* upstream dumps its whole 32-byte buffer; only 16 bytes are data */
	CHECK_EQ(expected_dump(AUTH_EXPECTED, "ascii_to_bin: output:", want,
			       sizeof(want)),
		 32);
	CHECK_EQ(auth_ascii_to_bin(got, sizeof(got), in), 0);
	CHECK_MEM(got, want, 16);
}

TEST(auth_keys_upstream)
{
	uint8_t want[64], prv[32], pub[32], ss[32];
	char in[64];

	CHECK_EQ(
		expected_text("generate_private_key: input = ", in, sizeof(in)),
		0);
	CHECK_EQ(expected_dump(AUTH_EXPECTED, "generate_private_key: output:",
			       want, sizeof(want)),
		 32);
	auth_private_key(prv, in);
	CHECK_MEM(prv, want, 32);

	CHECK_EQ(expected_dump(AUTH_EXPECTED, "generate_public_key: output:",
			       want, sizeof(want)),
		 32);
	CHECK_EQ(auth_public_key(pub, prv), 0);
	CHECK_MEM(pub, want, 32);

	/* upstream pairs the key with its own public key */
	CHECK_EQ(expected_dump(AUTH_EXPECTED, "generate_shared_secret: output:",
			       want, sizeof(want)),
		 32);
	CHECK_EQ(auth_shared_secret(ss, prv, pub), 0);
	CHECK_MEM(ss, want, 32);
}

/* n2n's curve25519(out, key, in): libsodium must clamp the same way. */
TEST(auth_curve25519_upstream)
{
	uint8_t in[64], key[64], want[64], out[32];

	CHECK_EQ(expected_dump("tests-elliptic.expected", "environment: input",
			       in, sizeof(in)),
		 32);
	CHECK_EQ(expected_dump("tests-elliptic.expected", "environment: key",
			       key, sizeof(key)),
		 32);
	CHECK_EQ(expected_dump("tests-elliptic.expected", "curve25519: output",
			       want, sizeof(want)),
		 32);
	CHECK_EQ(in[31], 9);
	CHECK_EQ(crypto_scalarmult_curve25519(out, key, in), 0);
	CHECK_MEM(out, want, 32);
	/* and auth_public_key uses that same 00..09 point */
	CHECK_EQ(auth_public_key(out, key), 0);
	CHECK_MEM(out, want, 32);
}

static void vector(const char *name, uint8_t *out, size_t len)
{
	uint8_t buf[64];

	CHECK_EQ(crypto_vector(name, buf, sizeof(buf)), (long)len);
	memcpy(out, buf, len);
}

TEST(auth_logan_and_federation_vectors)
{
	uint8_t want[32], prv[32], pub[32], fprv[32], fpub[32], ss[32];

	auth_user_private_key(prv, "logan", "007");
	vector("prv_logan", want, 32);
	CHECK_MEM(prv, want, 32);
	CHECK_EQ(auth_public_key(pub, prv), 0);
	vector("pub_logan", want, 32);
	CHECK_MEM(pub, want, 32);

	CHECK_EQ(auth_federation_keys(fprv, fpub, "Federation"), 0);
	vector("fed_prv", want, 32);
	CHECK_MEM(fprv, want, 32);
	vector("fed_pub", want, 32);
	CHECK_MEM(fpub, want, 32);

	/* edge: own private, federation public; SN: the other way round */
	CHECK_EQ(auth_shared_secret(ss, prv, fpub), 0);
	vector("ss_edge", want, 32);
	CHECK_MEM(ss, want, 32);
	CHECK_EQ(auth_shared_secret(ss, fprv, pub), 0);
	vector("ss_sn", want, 32);
	CHECK_MEM(ss, want, 32);
}

TEST(auth_dynamic_key_vector)
{
	uint8_t want[16], key[16];

	vector("dynkey", want, 16);
	CHECK_EQ(auth_dynamic_key(key, "netleo", "*Federation", 1700000000u),
		 0);
	CHECK_MEM(key, want, 16);
	/* another time, another key */
	CHECK_EQ(auth_dynamic_key(key, "netleo", "*Federation", 1700000001u),
		 0);
	CHECK(memcmp(key, want, 16) != 0);
}

TEST(auth_dynamic_key_name_limits)
{
	uint8_t key[16];

	CHECK_EQ(auth_dynamic_key(key, "0123456789012345678", "*F", 1), 0);
	CHECK_EQ(auth_dynamic_key(key, "01234567890123456789", "*F", 1),
		 -AUTH_ERR_NAME);
	CHECK_EQ(auth_dynamic_key(key, "c", "*0123456789012345678", 1),
		 -AUTH_ERR_NAME);
}

static void keygen_line(char *out, size_t cap, const char *user,
			const char *secret)
{
	uint8_t prv[32], pub[32];
	char asc[AUTH_KEY_ASCII_LEN + 1];

	if (user)
		auth_user_private_key(prv, user, secret);
	else
		auth_private_key(prv, secret);
	CHECK_EQ(auth_public_key(pub, prv), 0);
	CHECK_EQ(auth_bin_to_ascii(asc, sizeof(asc), pub, 32),
		 AUTH_KEY_ASCII_LEN);
	if (user)
		snprintf(out, cap, "* %s %s", user, asc);
	else
		snprintf(out, cap, "-P %s", asc);
}

TEST(auth_keygen_documented_output)
{
	char line[128];

	keygen_line(line, sizeof(line), "logan", "007");
	CHECK(strcmp(line,
		     "* logan nHWum+r42k1qDXdIeH-WFKeylK5UyLStRzxofRNAgpG") ==
	      0);
	keygen_line(line, sizeof(line), NULL, "secretFed");
	CHECK(strcmp(line, "-P opIyaWhWjKLJSNOHNpKnGmelhHWRqkmY5pAx7lbDHp4") ==
	      0);
	keygen_line(line, sizeof(line), NULL, "Federation");
	CHECK(strcmp(line, "-P i0IuBFO0RC22m2Ya32uUUFUA2yfQSwsxVZ3-S5F2k7O") ==
	      0);
}

TEST(auth_ascii_key_round_trip)
{
	uint8_t pub[32], want[32];

	vector("pub_logan", want, 32);
	CHECK_EQ(
		auth_ascii_to_bin(
			pub, 32, "nHWum+r42k1qDXdIeH-WFKeylK5UyLStRzxofRNAgpG"),
		0);
	CHECK_MEM(pub, want, 32);
}

TEST(auth_ascii_key_malformed)
{
	const char *good = "nHWum+r42k1qDXdIeH-WFKeylK5UyLStRzxofRNAgpG";
	uint8_t key[32], zero[32] = { 0 };
	char bad[64];

	CHECK_EQ(auth_ascii_to_bin(key, 32, ""), -AUTH_ERR_ASCII_LENGTH);
	CHECK_EQ(auth_ascii_to_bin(
			 key, 32, "nHWum+r42k1qDXdIeH-WFKeylK5UyLStRzxofRNAgp"),
		 -AUTH_ERR_ASCII_LENGTH);
	snprintf(bad, sizeof(bad), "%sA", good);
	CHECK_EQ(auth_ascii_to_bin(key, 32, bad), -AUTH_ERR_ASCII_LENGTH);
	CHECK_MEM(key, zero, 32);

	/* n2n's decoder quietly took '<', '>' as '+', '-' and skipped others */
	strcpy(bad, good);
	bad[5] = '<';
	CHECK_EQ(auth_ascii_to_bin(key, 32, bad), -AUTH_ERR_ASCII_CHAR);
	bad[5] = '/';
	CHECK_EQ(auth_ascii_to_bin(key, 32, bad), -AUTH_ERR_ASCII_CHAR);
	bad[5] = ' ';
	CHECK_EQ(auth_ascii_to_bin(key, 32, bad), -AUTH_ERR_ASCII_CHAR);
	bad[5] = (char)0xc3;
	CHECK_EQ(auth_ascii_to_bin(key, 32, bad), -AUTH_ERR_ASCII_CHAR);
	CHECK_MEM(key, zero, 32);
	CHECK(strcmp(auth_strerror(-AUTH_ERR_ASCII_CHAR),
		     "ASCII key has a character outside 0-9 A-Z a-z + -") == 0);
}

/* An edge (logan/007) and a supernode (federation "Federation"). */
struct upw_pair {
	uint8_t edge_prv[32], edge_pub[32], sn_prv[32], sn_pub[32];
	struct auth_secret edge, sn;
};

static void upw_pair_init(struct upw_pair *p)
{
	auth_user_private_key(p->edge_prv, "logan", "007");
	CHECK_EQ(auth_public_key(p->edge_pub, p->edge_prv), 0);
	CHECK_EQ(auth_federation_keys(p->sn_prv, p->sn_pub, "Federation"), 0);
	CHECK_EQ(auth_secret_init(&p->edge, p->edge_prv, p->sn_pub), 0);
	CHECK_EQ(auth_secret_init(&p->sn, p->sn_prv, p->edge_pub), 0);
}

TEST(auth_challenge_round_trip)
{
	uint8_t challenge[16], token[48], answer[48], dyn[16], got[16];
	struct upw_pair p;

	upw_pair_init(&p);
	CHECK_MEM(p.edge.ss, p.sn.ss, 32);
	CHECK_EQ(auth_dynamic_key(dyn, "netleo", "*Federation", 1700000000u),
		 0);
	CHECK_EQ(auth_new_challenge(challenge), 0);

	auth_edge_token(token, p.edge_pub, &p.edge, challenge);
	CHECK_MEM(token, p.edge_pub, 32);
	CHECK(memcmp(token + 32, challenge, 16) != 0);

	auth_sn_answer(answer, token, &p.sn, dyn);
	CHECK_MEM(answer + 16, p.edge_pub + 16, 16);
	CHECK_EQ(auth_edge_check_answer(got, answer, &p.edge, challenge), 0);
	CHECK_MEM(got, dyn, 16);

	/* in place, as n2n builds the answer in the received token */
	auth_sn_answer(token, token, &p.sn, dyn);
	CHECK_MEM(token, answer, 48);

	/* an answer to an older challenge is refused (quirk 28) */
	challenge[0] ^= 1;
	CHECK_EQ(auth_edge_check_answer(got, answer, &p.edge, challenge),
		 -AUTH_ERR_CHALLENGE);
	auth_secret_wipe(&p.edge);
	auth_secret_wipe(&p.sn);
}

/* Fixed challenge: the wrapped key field is E(challenge ^ dyn ^ ss). */
TEST(auth_answer_layout)
{
	uint8_t challenge[16], token[48], answer[48], dyn[16], plain[16];
	struct upw_pair p;
	int i;

	upw_pair_init(&p);
	for (i = 0; i < 16; i++) {
		challenge[i] = (uint8_t)(0xa0 + i);
		dyn[i] = (uint8_t)(0x11 * i);
	}
	auth_edge_token(token, p.edge_pub, &p.edge, challenge);
	speck_decrypt_block(&p.sn.k_ss, plain, token + 32);
	CHECK_MEM(plain, challenge, 16);

	auth_sn_answer(answer, token, &p.sn, dyn);
	speck_decrypt_block(&p.edge.k_ss, plain, answer);
	CHECK_MEM(plain, token + 32, 16);
	speck_decrypt_block(&p.edge.k_ss, plain, answer + 32);
	for (i = 0; i < 16; i++)
		plain[i] ^= challenge[i] ^ p.edge.ss[i];
	CHECK_MEM(plain, dyn, 16);
}

TEST(auth_wrong_secret_fails_answer)
{
	uint8_t challenge[16] = { 1 }, token[48], answer[48], dyn[16] = { 2 };
	uint8_t other_prv[32], got[16];
	struct auth_secret other;
	struct upw_pair p;

	upw_pair_init(&p);
	auth_user_private_key(other_prv, "logan", "008");
	CHECK_EQ(auth_secret_init(&other, other_prv, p.sn_pub), 0);
	auth_edge_token(token, p.edge_pub, &p.edge, challenge);
	auth_sn_answer(answer, token, &other, dyn);
	CHECK_EQ(auth_edge_check_answer(got, answer, &p.edge, challenge),
		 -AUTH_ERR_CHALLENGE);
}

TEST(auth_trailer_verify)
{
	uint8_t msg[80], trailer[16];
	struct upw_pair p;
	size_t i;

	upw_pair_init(&p);
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7);
	auth_trailer(trailer, msg, sizeof(msg), &p.edge);
	CHECK_EQ(auth_trailer_verify(trailer, msg, sizeof(msg), &p.sn), 0);

	msg[40] ^= 0x80;
	CHECK_EQ(auth_trailer_verify(trailer, msg, sizeof(msg), &p.sn),
		 -AUTH_ERR_TRAILER);
	msg[40] ^= 0x80;
	trailer[15] ^= 1;
	CHECK_EQ(auth_trailer_verify(trailer, msg, sizeof(msg), &p.sn),
		 -AUTH_ERR_TRAILER);
	trailer[15] ^= 1;
	CHECK_EQ(auth_trailer_verify(trailer, msg, sizeof(msg) - 1, &p.sn),
		 -AUTH_ERR_TRAILER);
}

/* A small-order public key would give everyone the same shared secret. */
TEST(auth_small_order_key_refused)
{
	uint8_t prv[32], zero[32] = { 0 }, one[32] = { 1 }, ss[32];
	struct auth_secret s;

	auth_private_key(prv, "x");
	CHECK_EQ(auth_shared_secret(ss, prv, zero), -AUTH_ERR_WEAK_KEY);
	CHECK_EQ(auth_secret_init(&s, prv, one), -AUTH_ERR_WEAK_KEY);
	CHECK_MEM(s.ss, zero, 32);
}
