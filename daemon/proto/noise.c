// SPDX-License-Identifier: GPL-2.0-only
/*
 * Noise_IKpsk2_25519_ChaChaPoly_BLAKE2b over libsodium, in WireGuard's
 * message layout (noise.h). BLAKE2b makes HASHLEN 64: h and ck are 64 bytes,
 * each cipher key the first 32 bytes of an HKDF output (Noise §4.3, §5.2).
 * t_noise.c checks it against cacophony's vectors.
 */
#include <errno.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "common/bytes.h"
#include "noise.h"

#define BLAKE2B_BLOCK_LEN 128

/* 37 bytes, under HASHLEN: h starts as the zero-padded name (Noise §5.2). */
static const char protocol_name[] = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2b";
_Static_assert(sizeof(protocol_name) - 1 <= NOISE_HASH_LEN, "name too long");
_Static_assert(NOISE_INIT_LEN == 144 && NOISE_RESP_LEN == 88 &&
		       NOISE_COOKIE_LEN == 60,
	       "WireGuard's message sizes less their 4-byte type");

static void hash2(uint8_t out[NOISE_HASH_LEN], const void *a, size_t alen,
		  const void *b, size_t blen)
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, NOISE_HASH_LEN);
	crypto_generichash_update(&st, a, alen);
	crypto_generichash_update(&st, b, blen);
	crypto_generichash_final(&st, out, NOISE_HASH_LEN);
}

static void mix_hash(uint8_t h[NOISE_HASH_LEN], const void *data, size_t len)
{
	hash2(h, h, NOISE_HASH_LEN, data, len);
}

/* BLAKE2b-256(label || pub): the mac1 and cookie keys of an identity. */
static void label_key(uint8_t key[NOISE_KEY_LEN], const char label[8],
		      const uint8_t pub[NOISE_KEY_LEN])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, NOISE_KEY_LEN);
	crypto_generichash_update(&st, (const uint8_t *)label, 8);
	crypto_generichash_update(&st, pub, NOISE_KEY_LEN);
	crypto_generichash_final(&st, key, NOISE_KEY_LEN);
}

void noise_mac1_key_of(uint8_t key[NOISE_KEY_LEN],
		       const uint8_t pub[NOISE_KEY_LEN])
{
	label_key(key, "mac1----", pub);
}

void noise_cookie_key_of(uint8_t key[NOISE_KEY_LEN],
			 const uint8_t pub[NOISE_KEY_LEN])
{
	label_key(key, "cookie--", pub);
}

/*
 * HMAC-BLAKE2b (RFC 2104) with a HASHLEN key, zero-padded to the 128-byte
 * block; libsodium has none. The message is d1 || d2.
 */
static void hmac(uint8_t out[NOISE_HASH_LEN], const uint8_t key[NOISE_HASH_LEN],
		 const uint8_t *d1, size_t l1, const uint8_t *d2, size_t l2)
{
	uint8_t pad[BLAKE2B_BLOCK_LEN] = { 0 }, inner[NOISE_HASH_LEN];
	crypto_generichash_state st;
	size_t i;

	memcpy(pad, key, NOISE_HASH_LEN);
	for (i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36;
	crypto_generichash_init(&st, NULL, 0, NOISE_HASH_LEN);
	crypto_generichash_update(&st, pad, sizeof(pad));
	crypto_generichash_update(&st, d1, l1);
	crypto_generichash_update(&st, d2, l2);
	crypto_generichash_final(&st, inner, sizeof(inner));
	for (i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36 ^ 0x5c;
	hash2(out, pad, sizeof(pad), inner, sizeof(inner));
	sodium_memzero(pad, sizeof(pad));
	sodium_memzero(inner, sizeof(inner));
	sodium_memzero(&st, sizeof(st));
}

/* HKDF(ck, ikm) to two or three outputs (o3 may be NULL); o1 may be ck. */
static void kdf(uint8_t *o1, uint8_t *o2, uint8_t *o3,
		const uint8_t ck[NOISE_HASH_LEN], const uint8_t *ikm,
		size_t len)
{
	uint8_t prk[NOISE_HASH_LEN], t[NOISE_HASH_LEN + 1];

	hmac(prk, ck, ikm, len, NULL, 0);
	t[0] = 1;
	hmac(t, prk, t, 1, NULL, 0);
	memcpy(o1, t, NOISE_HASH_LEN);
	t[NOISE_HASH_LEN] = 2;
	hmac(t, prk, t, sizeof(t), NULL, 0);
	memcpy(o2, t, NOISE_HASH_LEN);
	if (o3) {
		t[NOISE_HASH_LEN] = 3;
		hmac(t, prk, t, sizeof(t), NULL, 0);
		memcpy(o3, t, NOISE_HASH_LEN);
	}
	sodium_memzero(prk, sizeof(prk));
	sodium_memzero(t, sizeof(t));
}

/* MixKey: ck, k = HKDF(ck, ikm); k (may be NULL) gets the first 32 bytes. */
static void mix_key(struct noise_hs *hs, const uint8_t *ikm, size_t len,
		    uint8_t k[NOISE_KEY_LEN])
{
	uint8_t tk[NOISE_HASH_LEN];

	kdf(hs->ck, tk, NULL, hs->ck, ikm, len);
	if (k)
		memcpy(k, tk, NOISE_KEY_LEN);
	sodium_memzero(tk, sizeof(tk));
}

/* MixKey(DH(priv, pub)); an all-zero result (small order) aborts. */
static int mix_dh(struct noise_hs *hs, const uint8_t priv[NOISE_KEY_LEN],
		  const uint8_t pub[NOISE_KEY_LEN], uint8_t k[NOISE_KEY_LEN])
{
	uint8_t dh[NOISE_KEY_LEN];

	if (crypto_scalarmult(dh, priv, pub) != 0) {
		sodium_memzero(dh, sizeof(dh));
		return -EINVAL;
	}
	mix_key(hs, dh, sizeof(dh), k);
	sodium_memzero(dh, sizeof(dh));
	return 0;
}

/* MixKeyAndHash(psk): ck, tau, k = HKDF(ck, psk); h = HASH(h || tau). */
static void mix_psk(struct noise_hs *hs, uint8_t k[NOISE_KEY_LEN])
{
	uint8_t tau[NOISE_HASH_LEN], tk[NOISE_HASH_LEN];

	kdf(hs->ck, tau, tk, hs->ck, hs->psk, NOISE_KEY_LEN);
	mix_hash(hs->h, tau, sizeof(tau));
	memcpy(k, tk, NOISE_KEY_LEN);
	sodium_memzero(tau, sizeof(tau));
	sodium_memzero(tk, sizeof(tk));
}

/* The "e" token with a psk: MixHash(e) and MixKey(e) (Noise §9.2). */
static void mix_e(struct noise_hs *hs, const uint8_t pub[NOISE_KEY_LEN])
{
	mix_hash(hs->h, pub, NOISE_KEY_LEN);
	mix_key(hs, pub, NOISE_KEY_LEN, NULL);
}

/* Each handshake key encrypts once, so the nonce is always 0. */
static void seal_hash(struct noise_hs *hs, const uint8_t k[NOISE_KEY_LEN],
		      const uint8_t *pt, size_t len, uint8_t *out)
{
	static const uint8_t zero_nonce[12], none[1];

	crypto_aead_chacha20poly1305_ietf_encrypt(out, NULL, len ? pt : none,
						  len, hs->h, NOISE_HASH_LEN,
						  NULL, zero_nonce, k);
	mix_hash(hs->h, out, len + NOISE_TAG_LEN);
}

static int open_hash(struct noise_hs *hs, const uint8_t k[NOISE_KEY_LEN],
		     const uint8_t *ct, size_t len, uint8_t *pt)
{
	static const uint8_t zero_nonce[12];
	uint8_t none[1];

	if (crypto_aead_chacha20poly1305_ietf_decrypt(
		    len > NOISE_TAG_LEN ? pt : none, NULL, NULL, ct, len, hs->h,
		    NOISE_HASH_LEN, zero_nonce, k) != 0)
		return -EPERM;
	mix_hash(hs->h, ct, len);
	return 0;
}

static void clamp(uint8_t k[NOISE_KEY_LEN])
{
	k[0] &= 248;
	k[31] &= 127;
	k[31] |= 64;
}

int noise_static_init(struct noise_static *s, const uint8_t priv[NOISE_KEY_LEN])
{
	sodium_memzero(s, sizeof(*s));
	if (sodium_init() < 0)
		return -ENOSYS;
	if (sodium_is_zero(priv, NOISE_KEY_LEN))
		return -EINVAL;
	memcpy(s->priv, priv, NOISE_KEY_LEN);
	clamp(s->priv);
	if (crypto_scalarmult_base(s->pub, s->priv) != 0) {
		sodium_memzero(s, sizeof(*s));
		return -EINVAL;
	}
	noise_mac1_key_of(s->mac1_key, s->pub);
	noise_cookie_key_of(s->cookie_key, s->pub);
	return 0;
}

void noise_static_wipe(struct noise_static *s)
{
	sodium_memzero(s, sizeof(*s));
}

void noise_hs_wipe(struct noise_hs *hs)
{
	sodium_memzero(hs, sizeof(*hs));
}

int noise_hs_begin(struct noise_hs *hs, bool initiator,
		   const struct noise_static *me,
		   const uint8_t remote_pub[NOISE_KEY_LEN],
		   const uint8_t psk[NOISE_KEY_LEN], const void *prologue,
		   size_t prologue_len)
{
	noise_hs_wipe(hs);
	if (initiator &&
	    (!remote_pub || !sodium_memcmp(remote_pub, me->pub, NOISE_KEY_LEN)))
		return -EINVAL;
	memcpy(hs->h, protocol_name, sizeof(protocol_name) - 1);
	memcpy(hs->ck, hs->h, NOISE_HASH_LEN);
	mix_hash(hs->h, prologue, prologue_len);
	/* The pre-message: the responder's static key. */
	mix_hash(hs->h, initiator ? remote_pub : me->pub, NOISE_KEY_LEN);
	if (initiator)
		memcpy(hs->remote_static, remote_pub, NOISE_KEY_LEN);
	memcpy(hs->psk, psk, NOISE_KEY_LEN);
	hs->me = *me;
	hs->initiator = initiator;
	hs->state = NOISE_HS_STARTED;
	return 0;
}

static int set_e(struct noise_hs *hs, const uint8_t *priv)
{
	if (priv)
		memcpy(hs->e_priv, priv, NOISE_KEY_LEN);
	else
		randombytes_buf(hs->e_priv, NOISE_KEY_LEN);
	clamp(hs->e_priv);
	hs->has_e = true;
	return crypto_scalarmult_base(hs->e_pub, hs->e_priv) ? -EINVAL : 0;
}

/* Before the message that sends e: write1 as initiator, write2 as responder. */
int noise_hs_set_ephemeral(struct noise_hs *hs,
			   const uint8_t priv[NOISE_KEY_LEN])
{
	enum noise_hs_state want = hs->initiator ? NOISE_HS_STARTED
						 : NOISE_HS_INIT_CONSUMED;

	if (hs->state != want || hs->has_e)
		return -EINVAL;
	return set_e(hs, priv);
}

/* -> e, es, s, ss, {payload} */
static int write1(struct noise_hs *hs, const uint8_t *payload, size_t plen,
		  uint8_t *out, uint8_t k[NOISE_KEY_LEN])
{
	int ret;

	if (!hs->initiator || hs->state != NOISE_HS_STARTED)
		return -EINVAL;
	if (!hs->has_e && (ret = set_e(hs, NULL)))
		return ret;
	memcpy(out, hs->e_pub, NOISE_KEY_LEN);
	mix_e(hs, hs->e_pub);
	ret = mix_dh(hs, hs->e_priv, hs->remote_static, k);
	if (ret)
		return ret;
	seal_hash(hs, k, hs->me.pub, NOISE_KEY_LEN, out + 32);
	ret = mix_dh(hs, hs->me.priv, hs->remote_static, k);
	if (ret)
		return ret;
	seal_hash(hs, k, payload, plen, out + 32 + 32 + NOISE_TAG_LEN);
	hs->state = NOISE_HS_INIT_SENT;
	return 0;
}

static int read1(struct noise_hs *hs, const uint8_t *in, uint8_t *payload,
		 size_t plen, uint8_t k[NOISE_KEY_LEN])
{
	int ret;

	if (hs->initiator || hs->state != NOISE_HS_STARTED)
		return -EINVAL;
	memcpy(hs->remote_e, in, NOISE_KEY_LEN);
	mix_e(hs, hs->remote_e);
	ret = mix_dh(hs, hs->me.priv, hs->remote_e, k);
	if (ret)
		return ret;
	ret = open_hash(hs, k, in + 32, 32 + NOISE_TAG_LEN, hs->remote_static);
	if (ret)
		return ret;
	/* Our own message reflected back at us. */
	if (!sodium_memcmp(hs->remote_static, hs->me.pub, NOISE_KEY_LEN))
		return -EPERM;
	ret = mix_dh(hs, hs->me.priv, hs->remote_static, k);
	if (ret)
		return ret;
	ret = open_hash(hs, k, in + 32 + 32 + NOISE_TAG_LEN,
			plen + NOISE_TAG_LEN, payload);
	if (ret)
		return ret;
	hs->state = NOISE_HS_INIT_CONSUMED;
	return 0;
}

/* <- e, ee, se, psk, {payload} */
static int write2(struct noise_hs *hs, const uint8_t *payload, size_t plen,
		  uint8_t *out, uint8_t k[NOISE_KEY_LEN])
{
	int ret;

	if (hs->initiator || hs->state != NOISE_HS_INIT_CONSUMED)
		return -EINVAL;
	if (!hs->has_e && (ret = set_e(hs, NULL)))
		return ret;
	memcpy(out, hs->e_pub, NOISE_KEY_LEN);
	mix_e(hs, hs->e_pub);
	ret = mix_dh(hs, hs->e_priv, hs->remote_e, NULL);
	if (ret)
		return ret;
	ret = mix_dh(hs, hs->e_priv, hs->remote_static, NULL);
	if (ret)
		return ret;
	mix_psk(hs, k);
	seal_hash(hs, k, payload, plen, out + 32);
	hs->state = NOISE_HS_DONE;
	return 0;
}

static int read2(struct noise_hs *hs, const uint8_t *in, uint8_t *payload,
		 size_t plen, uint8_t k[NOISE_KEY_LEN])
{
	int ret;

	if (!hs->initiator || hs->state != NOISE_HS_INIT_SENT)
		return -EINVAL;
	memcpy(hs->remote_e, in, NOISE_KEY_LEN);
	mix_e(hs, hs->remote_e);
	ret = mix_dh(hs, hs->e_priv, hs->remote_e, NULL);
	if (ret)
		return ret;
	ret = mix_dh(hs, hs->me.priv, hs->remote_e, NULL);
	if (ret)
		return ret;
	mix_psk(hs, k);
	ret = open_hash(hs, k, in + 32, plen + NOISE_TAG_LEN, payload);
	if (ret)
		return ret;
	hs->state = NOISE_HS_DONE;
	return 0;
}

/* A message step: in/out are the message or payload, by direction. */
typedef int (*hs_step)(struct noise_hs *hs, const uint8_t *in, uint8_t *out,
		       size_t plen, uint8_t k[NOISE_KEY_LEN]);

/* Runs a step with a scratch key; a failed step wipes hs. */
static int run_step(struct noise_hs *hs, hs_step step, const uint8_t *in,
		    uint8_t *out, size_t plen)
{
	uint8_t k[NOISE_KEY_LEN];
	int ret = step(hs, in, out, plen, k);

	sodium_memzero(k, sizeof(k));
	if (ret)
		noise_hs_wipe(hs);
	return ret;
}

static int write1_step(struct noise_hs *hs, const uint8_t *payload,
		       uint8_t *out, size_t plen, uint8_t *k)
{
	return write1(hs, payload, plen, out, k);
}

static int write2_step(struct noise_hs *hs, const uint8_t *payload,
		       uint8_t *out, size_t plen, uint8_t *k)
{
	return write2(hs, payload, plen, out, k);
}

int noise_hs_write1(struct noise_hs *hs, const uint8_t *payload, size_t plen,
		    uint8_t *out)
{
	return run_step(hs, write1_step, payload, out, plen);
}

int noise_hs_read1(struct noise_hs *hs, const uint8_t *in, uint8_t *payload,
		   size_t plen)
{
	return run_step(hs, read1, in, payload, plen);
}

int noise_hs_write2(struct noise_hs *hs, const uint8_t *payload, size_t plen,
		    uint8_t *out)
{
	return run_step(hs, write2_step, payload, out, plen);
}

int noise_hs_read2(struct noise_hs *hs, const uint8_t *in, uint8_t *payload,
		   size_t plen)
{
	return run_step(hs, read2, in, payload, plen);
}

void noise_hs_hash(const struct noise_hs *hs, uint8_t out[NOISE_HASH_LEN])
{
	memcpy(out, hs->h, NOISE_HASH_LEN);
}

int noise_session_keys(struct noise_hs *hs, uint8_t tx[NOISE_KEY_LEN],
		       uint8_t rx[NOISE_KEY_LEN])
{
	uint8_t t1[NOISE_HASH_LEN], t2[NOISE_HASH_LEN];
	int ret = -EINVAL;

	sodium_memzero(tx, NOISE_KEY_LEN);
	sodium_memzero(rx, NOISE_KEY_LEN);
	if (hs->state == NOISE_HS_DONE) {
		kdf(t1, t2, NULL, hs->ck, NULL, 0);
		memcpy(tx, hs->initiator ? t1 : t2, NOISE_KEY_LEN);
		memcpy(rx, hs->initiator ? t2 : t1, NOISE_KEY_LEN);
		ret = 0;
	}
	sodium_memzero(t1, sizeof(t1));
	sodium_memzero(t2, sizeof(t2));
	noise_hs_wipe(hs);
	return ret;
}

/* mac1 (keyed by the receiver's mac1 key), mac2 left zero. */
static void put_macs(uint8_t *msg, size_t len,
		     const uint8_t receiver_pub[NOISE_KEY_LEN])
{
	uint8_t key[NOISE_KEY_LEN];

	noise_mac1_key_of(key, receiver_pub);
	crypto_generichash(msg + len - 2 * NOISE_MAC_LEN, NOISE_MAC_LEN, msg,
			   len - 2 * NOISE_MAC_LEN, key, sizeof(key));
	memset(msg + len - NOISE_MAC_LEN, 0, NOISE_MAC_LEN);
}

int noise_init_create_with_ephemeral(struct noise_hs *hs,
				     const struct noise_static *me,
				     const uint8_t remote_pub[NOISE_KEY_LEN],
				     const uint8_t psk[NOISE_KEY_LEN],
				     const void *prologue, size_t prologue_len,
				     uint32_t sender_index,
				     const uint8_t tai64n[NOISE_TAI64N_LEN],
				     const uint8_t e_priv[NOISE_KEY_LEN],
				     uint8_t out[NOISE_INIT_LEN])
{
	int ret;

	ret = noise_hs_begin(hs, true, me, remote_pub, psk, prologue,
			     prologue_len);
	if (!ret && e_priv)
		ret = noise_hs_set_ephemeral(hs, e_priv);
	if (!ret)
		ret = noise_hs_write1(hs, tai64n, NOISE_TAI64N_LEN, out + 4);
	if (ret) {
		noise_hs_wipe(hs);
		return ret;
	}
	put_le32(out, sender_index);
	hs->local_index = sender_index;
	put_macs(out, NOISE_INIT_LEN, remote_pub);
	return 0;
}

int noise_init_create(struct noise_hs *hs, const struct noise_static *me,
		      const uint8_t remote_pub[NOISE_KEY_LEN],
		      const uint8_t psk[NOISE_KEY_LEN], const void *prologue,
		      size_t prologue_len, uint32_t sender_index,
		      const uint8_t tai64n[NOISE_TAI64N_LEN],
		      uint8_t out[NOISE_INIT_LEN])
{
	return noise_init_create_with_ephemeral(
		hs, me, remote_pub, psk, prologue, prologue_len, sender_index,
		tai64n, NULL, out);
}

int noise_init_consume(struct noise_hs *hs, const struct noise_static *me,
		       const uint8_t psk[NOISE_KEY_LEN], const void *prologue,
		       size_t prologue_len, const uint8_t *in, size_t len,
		       uint8_t initiator_pub_out[NOISE_KEY_LEN],
		       uint8_t tai64n_out[NOISE_TAI64N_LEN])
{
	uint8_t tai[NOISE_TAI64N_LEN];
	int ret;

	noise_hs_wipe(hs);
	if (len != NOISE_INIT_LEN || !noise_mac1_ok(me, in, len))
		return -EBADMSG;
	ret = noise_hs_begin(hs, false, me, NULL, psk, prologue, prologue_len);
	if (!ret)
		ret = noise_hs_read1(hs, in + 4, tai, sizeof(tai));
	if (ret) {
		noise_hs_wipe(hs);
		return ret;
	}
	hs->remote_index = get_le32(in);
	memcpy(initiator_pub_out, hs->remote_static, NOISE_KEY_LEN);
	memcpy(tai64n_out, tai, sizeof(tai));
	return 0;
}

int noise_resp_create_with_ephemeral(struct noise_hs *hs, uint32_t sender_index,
				     const uint8_t e_priv[NOISE_KEY_LEN],
				     uint8_t out[NOISE_RESP_LEN])
{
	int ret = 0;

	if (hs->initiator || hs->state != NOISE_HS_INIT_CONSUMED) {
		noise_hs_wipe(hs);
		return -EINVAL;
	}
	if (e_priv)
		ret = noise_hs_set_ephemeral(hs, e_priv);
	if (!ret)
		ret = noise_hs_write2(hs, NULL, 0, out + 8);
	if (ret) {
		noise_hs_wipe(hs);
		return ret;
	}
	put_le32(out, sender_index);
	put_le32(out + 4, hs->remote_index);
	hs->local_index = sender_index;
	put_macs(out, NOISE_RESP_LEN, hs->remote_static);
	return 0;
}

int noise_resp_create(struct noise_hs *hs, uint32_t sender_index,
		      uint8_t out[NOISE_RESP_LEN])
{
	return noise_resp_create_with_ephemeral(hs, sender_index, NULL, out);
}

int noise_resp_consume(struct noise_hs *hs, const uint8_t *in, size_t len)
{
	struct noise_hs scratch;
	int ret;

	if (!hs->initiator || hs->state != NOISE_HS_INIT_SENT)
		return -EINVAL;
	if (len != NOISE_RESP_LEN || get_le32(in + 4) != hs->local_index ||
	    !noise_mac1_ok(&hs->me, in, len))
		return -EBADMSG;
	scratch = *hs;
	ret = noise_hs_read2(&scratch, in + 8, NULL, 0);
	if (!ret) {
		scratch.remote_index = get_le32(in);
		*hs = scratch;
	}
	noise_hs_wipe(&scratch);
	return ret;
}

bool noise_mac1_ok(const struct noise_static *me, const uint8_t *msg,
		   size_t len)
{
	uint8_t mac[NOISE_MAC_LEN];

	if (len < 2 * NOISE_MAC_LEN)
		return false;
	crypto_generichash(mac, sizeof(mac), msg, len - 2 * NOISE_MAC_LEN,
			   me->mac1_key, NOISE_KEY_LEN);
	return crypto_verify_16(mac, msg + len - 2 * NOISE_MAC_LEN) == 0;
}

void noise_mac2(uint8_t *msg, size_t len, const uint8_t cookie[NOISE_MAC_LEN])
{
	if (len < 2 * NOISE_MAC_LEN)
		return;
	crypto_generichash(msg + len - NOISE_MAC_LEN, NOISE_MAC_LEN, msg,
			   len - NOISE_MAC_LEN, cookie, NOISE_MAC_LEN);
}

bool noise_mac2_ok(const uint8_t *msg, size_t len,
		   const uint8_t cookie[NOISE_MAC_LEN])
{
	uint8_t mac[NOISE_MAC_LEN];

	if (len < 2 * NOISE_MAC_LEN)
		return false;
	crypto_generichash(mac, sizeof(mac), msg, len - NOISE_MAC_LEN, cookie,
			   NOISE_MAC_LEN);
	return crypto_verify_16(mac, msg + len - NOISE_MAC_LEN) == 0;
}

void noise_cookie_make(uint8_t cookie[NOISE_MAC_LEN],
		       const uint8_t secret[NOISE_KEY_LEN], const void *source,
		       size_t source_len)
{
	crypto_generichash(cookie, NOISE_MAC_LEN, source, source_len, secret,
			   NOISE_KEY_LEN);
}

int noise_cookie_reply(const struct noise_static *me, uint32_t receiver_index,
		       const uint8_t cookie[NOISE_MAC_LEN],
		       const uint8_t mac1_of_msg[NOISE_MAC_LEN],
		       uint8_t out[NOISE_COOKIE_LEN])
{
	uint8_t *nonce = out + 4;

	put_le32(out, receiver_index);
	randombytes_buf(nonce, NOISE_COOKIE_NONCE_LEN);
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(
		    nonce + NOISE_COOKIE_NONCE_LEN, NULL, cookie, NOISE_MAC_LEN,
		    mac1_of_msg, NOISE_MAC_LEN, NULL, nonce, me->cookie_key))
		return -EINVAL;
	return 0;
}

int noise_cookie_consume(const uint8_t responder_cookie_key[NOISE_KEY_LEN],
			 const uint8_t *in, size_t len,
			 const uint8_t mac1_sent[NOISE_MAC_LEN],
			 uint8_t cookie_out[NOISE_MAC_LEN])
{
	const uint8_t *nonce = in + 4;

	memset(cookie_out, 0, NOISE_MAC_LEN);
	if (len != NOISE_COOKIE_LEN)
		return -EBADMSG;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(
		    cookie_out, NULL, NULL, nonce + NOISE_COOKIE_NONCE_LEN,
		    NOISE_MAC_LEN + NOISE_TAG_LEN, mac1_sent, NOISE_MAC_LEN,
		    nonce, responder_cookie_key)) {
		memset(cookie_out, 0, NOISE_MAC_LEN);
		return -EPERM;
	}
	return 0;
}

int noise_psk_from_key(uint8_t psk[NOISE_KEY_LEN], const char *community_key,
		       const char *community)
{
	static const char label[] = "n2nk psk v1";
	uint8_t salt[crypto_pwhash_SALTBYTES];
	crypto_generichash_state st;
	size_t clen = strlen(community);

	sodium_memzero(psk, NOISE_KEY_LEN);
	if (clen > 19)
		return -EINVAL;
	if (sodium_init() < 0)
		return -ENOSYS;
	crypto_generichash_init(&st, NULL, 0, sizeof(salt));
	crypto_generichash_update(&st, (const uint8_t *)label,
				  sizeof(label) - 1);
	crypto_generichash_update(&st, (const uint8_t *)community, clen);
	crypto_generichash_final(&st, salt, sizeof(salt));
	if (crypto_pwhash(psk, NOISE_KEY_LEN, community_key,
			  strlen(community_key), salt,
			  crypto_pwhash_OPSLIMIT_INTERACTIVE,
			  crypto_pwhash_MEMLIMIT_INTERACTIVE,
			  crypto_pwhash_ALG_ARGON2ID13))
		return -ENOMEM;
	return 0;
}

/*
 * TAI64N: 2^62 + 10 + seconds (the TAI label WireGuard uses), then
 * nanoseconds rounded down to 2^24 (about 16 ms, one in 50 initiations a
 * second), so the stamp does not leak the clock's fine timing.
 */
void noise_tai64n_now(uint8_t out[NOISE_TAI64N_LEN])
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	put_be64(out, 0x400000000000000aULL + (uint64_t)ts.tv_sec);
	put_be32(out + 8, (uint32_t)ts.tv_nsec & ~((1u << 24) - 1));
}

int noise_tai64n_cmp(const uint8_t a[NOISE_TAI64N_LEN],
		     const uint8_t b[NOISE_TAI64N_LEN])
{
	int c = memcmp(a, b, NOISE_TAI64N_LEN);

	return (c > 0) - (c < 0);
}
