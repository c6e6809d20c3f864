// SPDX-License-Identifier: GPL-2.0-only
/*
 * The -A6 handshake core (daemon/proto/noise.c) against cacophony's
 * Noise_IKpsk2_25519_ChaChaPoly_BLAKE2b vector, then WireGuard-layout
 * handshakes that must work or must fail, cookies, and the identity file
 * (daemon/proto/identity.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/bytes.h"
#include "proto/identity.h"
#include "proto/noise.h"
#include "test.h"

/* haskell-cryptography/cacophony vectors/cacophony.txt, the one vector
 * named Noise_IKpsk2_25519_ChaChaPoly_BLAKE2b. */
static const struct {
	const char *init_static, *init_ephemeral, *resp_static, *resp_ephemeral,
		*resp_public, *prologue, *psk, *hash;
	const char *payload[6], *ciphertext[6];
} kat = {
	.init_static = "e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1",
	.init_ephemeral = "893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a",
	.resp_static = "4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893",
	.resp_ephemeral = "bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b",
	.resp_public = "31e0303fd6418d2f8c0e78b91f22e8caed0fbe48656dcf4767e4834f701b8f62",
	.prologue = "4a6f686e2047616c74",
	.psk = "54686973206973206d7920417573747269616e20706572737065637469766521",
	.hash = "ed837c9084f2f0333a7ec60b9bcacd9921394858de8ced118b5966d1147ba390"
		"084dab42326c565a309c29317a6079be30aa1d790d25a517b43287426cb1d36a",
	.payload = {
		"4c756477696720766f6e204d69736573",
		"4d757272617920526f746862617264",
		"462e20412e20486179656b",
		"4361726c204d656e676572",
		"4a65616e2d426170746973746520536179",
		"457567656e2042f6686d20766f6e2042617765726b",
	},
	.ciphertext = {
		"ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c7944"
		"b6fe0240b839afac809de1630eaf99d8f9b941394f0512c0554633bbb021d151"
		"76135c0a20e7fdb9a9ed066f22f054b47625b1d5061cb27d6a17f053273db7c2"
		"5216a5addc506ee321bc0618feb5849d",
		"95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f144808843"
		"8f627e69fc120006f746b9d420bf4056cf8481ab32d9e904ffaeeaa56a5290",
		"07fc0034398a5f1010322be193d62f94bebf2948a20b3e15d681fe",
		"2ea5400f5b8a16971c8b67bde75aeb7987d454b1c0beeb2566932d",
		"96eef918ef51639fc0e156da1823c4f71b33fac5af983f5da9384f7da20d86ed91",
		"f02766a56496e1fbf32e05274baebf6d693c8f3e4c6e0dc7ebdc5ac170f15dae"
		"433b92f469",
	},
};

static void unhex(uint8_t *out, size_t len, const char *hex)
{
	CHECK_EQ(hex_decode(out, len, hex), (long)len);
}

/* Transport message i (0 = first after the handshake) under key k. */
static void check_transport(const uint8_t k[32], uint64_t n, int i)
{
	uint8_t pt[64], want[80], got[80], nonce[12] = { 0 };
	size_t plen = strlen(kat.payload[i + 2]) / 2;

	unhex(pt, plen, kat.payload[i + 2]);
	unhex(want, plen + 16, kat.ciphertext[i + 2]);
	put_le64(nonce + 4, n);
	crypto_aead_chacha20poly1305_ietf_encrypt(got, NULL, pt, plen, NULL, 0,
						  NULL, nonce, k);
	CHECK_MEM(got, want, plen + 16);
}

struct kat_keys {
	uint8_t is[32], ie[32], rs[32], re[32], rpub[32], pro[9], psk[32];
};

static void kat_load(struct kat_keys *k)
{
	unhex(k->is, 32, kat.init_static);
	unhex(k->ie, 32, kat.init_ephemeral);
	unhex(k->rs, 32, kat.resp_static);
	unhex(k->re, 32, kat.resp_ephemeral);
	unhex(k->rpub, 32, kat.resp_public);
	unhex(k->pro, 9, kat.prologue);
	unhex(k->psk, 32, kat.psk);
}

TEST(noise_cacophony_ikpsk2_blake2b)
{
	uint8_t m1[NOISE_MSG1_LEN(16)], m2[NOISE_MSG2_LEN(15)], want[112];
	uint8_t p[16], hash[64], hi[64], hr[64], itx[32], irx[32], rtx[32],
		rrx[32];
	struct noise_static si, sr;
	struct noise_hs i, r;
	struct kat_keys k;

	kat_load(&k);
	CHECK(!noise_static_init(&si, k.is) && !noise_static_init(&sr, k.rs));
	CHECK_MEM(sr.pub, k.rpub, 32);
	CHECK(!noise_hs_begin(&i, true, &si, sr.pub, k.psk, k.pro, 9));
	CHECK(!noise_hs_begin(&r, false, &sr, NULL, k.psk, k.pro, 9));
	CHECK(!noise_hs_set_ephemeral(&i, k.ie));
	unhex(p, 16, kat.payload[0]);
	CHECK(!noise_hs_write1(&i, p, 16, m1));
	unhex(want, sizeof(m1), kat.ciphertext[0]);
	CHECK_MEM(m1, want, sizeof(m1));
	memset(p, 0, sizeof(p));
	CHECK(!noise_hs_read1(&r, m1, p, 16));
	CHECK(memcmp(p, "Ludwig von Mises", 16) == 0);
	CHECK_MEM(r.remote_static, si.pub, 32);

	CHECK(!noise_hs_set_ephemeral(&r, k.re));
	unhex(p, 15, kat.payload[1]);
	CHECK(!noise_hs_write2(&r, p, 15, m2));
	unhex(want, sizeof(m2), kat.ciphertext[1]);
	CHECK_MEM(m2, want, sizeof(m2));
	CHECK(!noise_hs_read2(&i, m2, p, 15));
	CHECK(memcmp(p, "Murray Rothbard", 15) == 0);

	unhex(hash, 64, kat.hash);
	noise_hs_hash(&i, hi);
	noise_hs_hash(&r, hr);
	CHECK_MEM(hi, hash, 64);
	CHECK_MEM(hr, hash, 64);
	CHECK(!noise_session_keys(&i, itx, irx));
	CHECK(!noise_session_keys(&r, rtx, rrx));
	CHECK_MEM(itx, rrx, 32);
	CHECK_MEM(irx, rtx, 32);
	/* Transport messages alternate, initiator first, nonces from 0. */
	check_transport(itx, 0, 0);
	check_transport(rtx, 0, 1);
	check_transport(itx, 1, 2);
	check_transport(rtx, 1, 3);
}

/* Two random identities, a psk and a prologue for the cases below. */
struct pair {
	struct noise_static a, b;
	uint8_t psk[32];
	uint8_t prologue[7 + 20 + 6 + 6];
};

static void pair_init(struct pair *p)
{
	uint8_t ka[32], kb[32];

	CHECK(sodium_init() >= 0);
	randombytes_buf(ka, 32);
	randombytes_buf(kb, 32);
	CHECK(!noise_static_init(&p->a, ka) && !noise_static_init(&p->b, kb));
	randombytes_buf(p->psk, 32);
	memset(p->prologue, 0, sizeof(p->prologue));
	memcpy(p->prologue, "n2nk v1community", 16);
}

/* from initiates to to; the responder's view comes back in r. */
static int handshake(const struct pair *p, const struct noise_static *from,
		     const struct noise_static *to, uint8_t tx[32],
		     uint8_t rx[32], uint8_t peer_tx[32], uint8_t peer_rx[32])
{
	uint8_t init[NOISE_INIT_LEN], resp[NOISE_RESP_LEN], tai[12], got[12],
		pub[32];
	struct noise_hs i, r;
	int ret;

	noise_tai64n_now(tai);
	ret = noise_init_create(&i, from, to->pub, p->psk, p->prologue,
				sizeof(p->prologue), 0x11223344, tai, init);
	if (!ret)
		ret = noise_init_consume(&r, to, p->psk, p->prologue,
					 sizeof(p->prologue), init,
					 sizeof(init), pub, got);
	if (!ret) {
		CHECK_MEM(pub, from->pub, 32);
		CHECK_MEM(got, tai, 12);
		CHECK_EQ(r.remote_index, 0x11223344);
		ret = noise_resp_create(&r, 0x55667788, resp);
	}
	if (!ret)
		ret = noise_resp_consume(&i, resp, sizeof(resp));
	if (!ret) {
		CHECK_EQ(i.remote_index, 0x55667788);
		ret = noise_session_keys(&i, tx, rx)
			      ?: noise_session_keys(&r, peer_tx, peer_rx);
	}
	return ret;
}

TEST(noise_handshake_both_ways)
{
	uint8_t atx[32], arx[32], btx[32], brx[32], atx2[32], arx2[32];
	struct pair p;

	pair_init(&p);
	CHECK_EQ(handshake(&p, &p.a, &p.b, atx, arx, btx, brx), 0);
	CHECK_MEM(atx, brx, 32);
	CHECK_MEM(arx, btx, 32);
	CHECK(memcmp(atx, arx, 32) != 0);
	CHECK_EQ(handshake(&p, &p.b, &p.a, btx, brx, atx2, arx2), 0);
	CHECK_MEM(btx, arx2, 32);
	CHECK_MEM(brx, atx2, 32);
	CHECK(memcmp(atx, atx2, 32) != 0); /* fresh ephemerals, fresh keys */
}

/* An initiation from a to b, consumed by b into r. */
static void init_a_to_b(const struct pair *p, struct noise_hs *i,
			uint8_t init[NOISE_INIT_LEN])
{
	uint8_t tai[12];

	noise_tai64n_now(tai);
	CHECK(!noise_init_create(i, &p->a, p->b.pub, p->psk, p->prologue,
				 sizeof(p->prologue), 7, tai, init));
}

static int consume(const struct pair *p, const struct noise_static *me,
		   const uint8_t *psk, struct noise_hs *r, const uint8_t *msg)
{
	uint8_t pub[32], tai[12];

	return noise_init_consume(r, me, psk, p->prologue, sizeof(p->prologue),
				  msg, NOISE_INIT_LEN, pub, tai);
}

/* Sets a fresh mac1 for the receiver with public key pub. */
static void remac(uint8_t *msg, size_t len, const uint8_t pub[32])
{
	uint8_t key[32];

	noise_mac1_key_of(key, pub);
	crypto_generichash(msg + len - 32, 16, msg, len - 32, key, 32);
}

TEST(noise_wrong_psk_fails_the_response_and_keeps_the_handshake)
{
	uint8_t init[NOISE_INIT_LEN], bad[NOISE_RESP_LEN], good[NOISE_RESP_LEN],
		other[32], tx[32], rx[32];
	struct noise_hs i, r, r2;
	struct pair p;

	pair_init(&p);
	randombytes_buf(other, 32);
	init_a_to_b(&p, &i, init);
	/* psk2 enters with the response: the initiation still passes. */
	CHECK_EQ(consume(&p, &p.b, other, &r, init), 0);
	CHECK_EQ(noise_resp_create(&r, 9, bad), 0);
	CHECK_EQ(noise_resp_consume(&i, bad, sizeof(bad)), -EPERM);
	CHECK_EQ(i.state, NOISE_HS_INIT_SENT);
	CHECK_EQ(consume(&p, &p.b, p.psk, &r2, init), 0);
	CHECK_EQ(noise_resp_create(&r2, 9, good), 0);
	CHECK_EQ(noise_resp_consume(&i, good, sizeof(good)), 0);
	CHECK_EQ(noise_session_keys(&i, tx, rx), 0);
	noise_hs_wipe(&r);
	noise_hs_wipe(&r2);
}

TEST(noise_wrong_responder_identity_fails)
{
	uint8_t init[NOISE_INIT_LEN], tai[12] = { 0 }, kc[32];
	struct noise_static c;
	struct noise_hs i, r;
	struct pair p;

	pair_init(&p);
	randombytes_buf(kc, 32);
	CHECK(!noise_static_init(&c, kc));
	CHECK(!noise_init_create(&i, &p.a, c.pub, p.psk, p.prologue,
				 sizeof(p.prologue), 7, tai, init));
	CHECK_EQ(consume(&p, &p.b, p.psk, &r, init), -EBADMSG);
	CHECK_EQ(r.state, NOISE_HS_ZEROED);
	remac(init, sizeof(init), p.b.pub); /* anyone can, knowing b's key */
	CHECK_EQ(consume(&p, &p.b, p.psk, &r, init), -EPERM);
	CHECK_EQ(r.state, NOISE_HS_ZEROED);
	CHECK(sodium_is_zero((uint8_t *)&r, sizeof(r)));
	noise_hs_wipe(&i);
}

TEST(noise_replayed_initiation_gives_the_same_stamp)
{
	uint8_t init[NOISE_INIT_LEN], pub[32], t1[12], t2[12], later[12];
	struct noise_hs i, r;
	struct pair p;

	pair_init(&p);
	init_a_to_b(&p, &i, init);
	CHECK(!noise_init_consume(&r, &p.b, p.psk, p.prologue,
				  sizeof(p.prologue), init, sizeof(init), pub,
				  t1));
	CHECK(!noise_init_consume(&r, &p.b, p.psk, p.prologue,
				  sizeof(p.prologue), init, sizeof(init), pub,
				  t2));
	CHECK_EQ(noise_tai64n_cmp(t1, t2), 0);
	usleep(20000); /* past the 2^24 ns rounding */
	noise_tai64n_now(later);
	CHECK_EQ(noise_tai64n_cmp(later, t1), 1);
	CHECK_EQ(noise_tai64n_cmp(t1, later), -1);
	noise_hs_wipe(&i);
	noise_hs_wipe(&r);
}

TEST(noise_reflected_initiation_fails)
{
	uint8_t init[NOISE_INIT_LEN], tai[12] = { 0 }, out[NOISE_INIT_LEN];
	struct noise_hs i, r;
	struct pair p;

	pair_init(&p);
	init_a_to_b(&p, &i, init);
	CHECK_EQ(consume(&p, &p.a, p.psk, &r, init), -EBADMSG);
	remac(init, sizeof(init), p.a.pub);
	CHECK_EQ(consume(&p, &p.a, p.psk, &r, init), -EPERM);
	/* Nor may a start a handshake with itself. */
	CHECK_EQ(noise_init_create(&i, &p.a, p.a.pub, p.psk, p.prologue,
				   sizeof(p.prologue), 7, tai, out),
		 -EINVAL);
}

TEST(noise_mac1_checked_before_dh)
{
	uint8_t init[NOISE_INIT_LEN];
	struct noise_hs i, r;
	struct pair p;

	pair_init(&p);
	init_a_to_b(&p, &i, init);
	memset(init + 4, 0, 32); /* a DH would fail with -EINVAL */
	CHECK_EQ(consume(&p, &p.b, p.psk, &r, init), -EBADMSG);
	init_a_to_b(&p, &i, init);
	init[NOISE_INIT_LEN - 32] ^= 1;
	CHECK_EQ(consume(&p, &p.b, p.psk, &r, init), -EBADMSG);
	init[NOISE_INIT_LEN - 32] ^= 1;
	init[40] ^= 0x80;
	CHECK_EQ(consume(&p, &p.b, p.psk, &r, init), -EBADMSG);
	init[40] ^= 0x80;
	CHECK_EQ(noise_init_consume(&r, &p.b, p.psk, p.prologue,
				    sizeof(p.prologue), init, sizeof(init) - 1,
				    (uint8_t[32]){ 0 }, (uint8_t[12]){ 0 }),
		 -EBADMSG);
	/* mac2 is not mac1's business. */
	init[NOISE_INIT_LEN - 1] ^= 1;
	CHECK_EQ(consume(&p, &p.b, p.psk, &r, init), 0);
	noise_hs_wipe(&i);
	noise_hs_wipe(&r);
}

TEST(noise_cookie_round_trip)
{
	uint8_t init[NOISE_INIT_LEN], reply[NOISE_COOKIE_LEN], secret[32],
		cookie[16], got[16], key[32], mac1[16];
	static const uint8_t source[] = { 192, 0, 2, 1, 0x1e, 0x61,
					  2,   0, 0, 0, 0,    1 };
	struct noise_hs i, r;
	struct pair p;

	pair_init(&p);
	init_a_to_b(&p, &i, init);
	memcpy(mac1, init + NOISE_INIT_LEN - 32, 16);
	randombytes_buf(secret, 32);
	noise_cookie_make(cookie, secret, source, sizeof(source));
	CHECK(!noise_cookie_reply(&p.b, 7, cookie, mac1, reply));
	CHECK_EQ(get_le32(reply), 7);
	noise_cookie_key_of(key, p.b.pub);
	CHECK_EQ(noise_cookie_consume(key, reply, sizeof(reply), mac1, got), 0);
	CHECK_MEM(got, cookie, 16);
	CHECK(!noise_mac2_ok(init, sizeof(init), cookie));
	noise_mac2(init, sizeof(init), got);
	CHECK(noise_mac2_ok(init, sizeof(init), cookie));
	CHECK(noise_mac1_ok(&p.b, init, sizeof(init)));
	CHECK_EQ(consume(&p, &p.b, p.psk, &r, init), 0);
	init[3] ^= 1;
	CHECK(!noise_mac2_ok(init, sizeof(init), cookie));
	mac1[0] ^= 1; /* a reply to another initiation */
	CHECK_EQ(noise_cookie_consume(key, reply, sizeof(reply), mac1, got),
		 -EPERM);
	CHECK(sodium_is_zero(got, 16));
	CHECK_EQ(noise_cookie_consume(key, reply, sizeof(reply) - 1, mac1, got),
		 -EBADMSG);
	noise_hs_wipe(&i);
	noise_hs_wipe(&r);
}

/* Curve25519 points of small order: zero, one, and one of order 8. */
static const char *const small_order[] = {
	"0000000000000000000000000000000000000000000000000000000000000000",
	"0100000000000000000000000000000000000000000000000000000000000000",
	"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
};

TEST(noise_small_order_ephemeral_rejected)
{
	uint8_t init[NOISE_INIT_LEN], resp[NOISE_RESP_LEN], tx[32], rx[32];
	struct noise_hs i, r;
	struct pair p;
	size_t n;

	pair_init(&p);
	for (n = 0; n < sizeof(small_order) / sizeof(small_order[0]); n++) {
		init_a_to_b(&p, &i, init);
		unhex(init + 4, 32, small_order[n]);
		remac(init, sizeof(init), p.b.pub);
		CHECK_EQ(consume(&p, &p.b, p.psk, &r, init), -EINVAL);
	}
	init_a_to_b(&p, &i, init);
	CHECK_EQ(consume(&p, &p.b, p.psk, &r, init), 0);
	CHECK_EQ(noise_resp_create(&r, 3, resp), 0);
	for (n = 0; n < sizeof(small_order) / sizeof(small_order[0]); n++) {
		uint8_t bad[NOISE_RESP_LEN];

		memcpy(bad, resp, sizeof(bad));
		unhex(bad + 8, 32, small_order[n]);
		remac(bad, sizeof(bad), p.a.pub);
		CHECK_EQ(noise_resp_consume(&i, bad, sizeof(bad)), -EINVAL);
	}
	CHECK_EQ(noise_resp_consume(&i, resp, sizeof(resp)), 0);
	CHECK_EQ(noise_session_keys(&i, tx, rx), 0);
}

TEST(noise_calls_out_of_order_refused)
{
	uint8_t init[NOISE_INIT_LEN], resp[NOISE_RESP_LEN], tx[32], rx[32];
	struct noise_hs i, r;
	struct pair p;

	pair_init(&p);
	init_a_to_b(&p, &i, init);
	CHECK_EQ(noise_resp_create(&i, 1, resp), -EINVAL);
	init_a_to_b(&p, &i, init);
	CHECK_EQ(noise_session_keys(&i, tx, rx), -EINVAL);
	CHECK(sodium_is_zero(tx, 32) && sodium_is_zero(rx, 32));
	CHECK_EQ(consume(&p, &p.b, p.psk, &r, init), 0);
	CHECK_EQ(noise_resp_consume(&r, resp, sizeof(resp)), -EINVAL);
	CHECK_EQ(noise_resp_create(&r, 1, resp), 0);
	resp[4] ^= 1; /* not the index a gave */
	init_a_to_b(&p, &i, init);
	CHECK_EQ(noise_resp_consume(&i, resp, sizeof(resp)), -EBADMSG);
	noise_hs_wipe(&i);
	noise_hs_wipe(&r);
}

TEST(noise_psk_from_key)
{
	uint8_t a[32], b[32], c[32];

	CHECK_EQ(noise_psk_from_key(a, "secret", "net"), 0);
	CHECK_EQ(noise_psk_from_key(b, "secret", "net"), 0);
	CHECK_EQ(noise_psk_from_key(c, "secret", "net2"), 0);
	CHECK_MEM(a, b, 32);
	CHECK(memcmp(a, c, 32) != 0);
	CHECK_EQ(noise_psk_from_key(c, "secret", "twenty-chars-long-xx"),
		 -EINVAL);
	CHECK(sodium_is_zero(c, 32));
}

TEST(noise_static_refuses_zero_key)
{
	struct noise_static s;
	uint8_t zero[32] = { 0 };

	CHECK_EQ(noise_static_init(&s, zero), -EINVAL);
}

static char *key_path(char *dir, char *path, size_t cap, const char *name)
{
	snprintf(path, cap, "%s/%s", dir, name);
	return path;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	CHECK(fd >= 0);
	CHECK_EQ(write(fd, text, strlen(text)), (long)strlen(text));
	CHECK(!fchmod(fd, mode)); /* not chmod: the test binary wraps it */
	close(fd);
}

TEST(identity_file_create_load_rotate)
{
	char dir[] = "/tmp/t_noise.XXXXXX", path[64], fp[20], b64[45];
	struct noise_static s1, s2, s3;
	struct stat st;

	CHECK(mkdtemp(dir) != NULL);
	key_path(dir, path, sizeof(path), "edge.key");
	CHECK_EQ(identity_load_or_create(&s1, path, false), -ENOENT);
	CHECK_EQ(identity_load_or_create(&s1, path, true), 1);
	CHECK(!stat(path, &st) && (st.st_mode & 0777) == 0600);
	CHECK_EQ(st.st_size, 45);
	CHECK_EQ(identity_load_or_create(&s2, path, true), 0);
	CHECK_MEM(s1.pub, s2.pub, 32);
	CHECK_MEM(s1.mac1_key, s2.mac1_key, 32);
	identity_fingerprint(fp, s1.pub);
	CHECK_EQ(strlen(fp), 19);
	CHECK(fp[4] == ':' && fp[9] == ':' && fp[14] == ':');
	identity_pub_base64(b64, s1.pub);
	CHECK_EQ(strlen(b64), 44);
	CHECK_EQ(identity_rotate(&s3, path), 0);
	CHECK(memcmp(s3.pub, s1.pub, 32) != 0);
	CHECK_EQ(identity_load_or_create(&s2, path, false), 0);
	CHECK_MEM(s2.pub, s3.pub, 32);
	CHECK(!stat(path, &st) && (st.st_mode & 0777) == 0600);
	unlink(path);
	rmdir(dir);
}

TEST(identity_file_refuses_open_or_bad_files)
{
	char dir[] = "/tmp/t_noise.XXXXXX", path[64];
	/* RFC 7748 §6.1: Alice's private key, and its public key. */
	static const char key[] =
		"dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=\n";
	static const char pub[] = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d2638"
				  "1af4eba4a98eaa9b4e6a";
	struct noise_static s;
	uint8_t want[32];

	CHECK(mkdtemp(dir) != NULL);
	key_path(dir, path, sizeof(path), "k");
	write_file(path, key, 0600);
	CHECK_EQ(identity_load_or_create(&s, path, false), 0);
	unhex(want, 32, pub);
	CHECK_MEM(s.pub, want, 32);
	write_file(path, key, 0640);
	CHECK_EQ(identity_load_or_create(&s, path, true), -EPERM);
	CHECK(strstr(identity_strerror(-EPERM), "chmod 600") != NULL);
	write_file(path, key, 0604);
	CHECK_EQ(identity_load_or_create(&s, path, true), -EPERM);
	write_file(path, "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LC==\n",
		   0600);
	CHECK_EQ(identity_load_or_create(&s, path, true), -EBADMSG);
	write_file(path, "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo= x\n",
		   0600);
	CHECK_EQ(identity_load_or_create(&s, path, true), -EBADMSG);
	write_file(path, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
		   0600);
	CHECK_EQ(identity_load_or_create(&s, path, true), -EINVAL);
	write_file(path, "", 0600);
	CHECK_EQ(identity_load_or_create(&s, path, true), -EBADMSG);
	unlink(path);
	CHECK(!mkdir(path, 0700));
	CHECK_EQ(identity_load_or_create(&s, path, true), -EBADMSG);
	rmdir(path);
	rmdir(dir);
}
