/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The handshake core of the -A6 per-peer transform:
 * Noise_IKpsk2_25519_ChaChaPoly_BLAKE2b in WireGuard's message layout, with
 * its mac1/mac2 and cookie replies (shared/notes/keys.md §1-§3). Pure: no
 * I/O, no clocks but noise_tai64n_now, no state outside struct noise_hs.
 *
 * Message bodies follow our 4-byte n2nk type header, which the caller adds
 * and strips. Indices are little-endian as in WireGuard. Functions returning
 * int give 0 or a negative errno: -EBADMSG a wrong length, index or mac1
 * (checked before any DH), -EPERM a failed decryption (wrong key, psk or
 * identity), -EINVAL an all-zero DH result or a call out of order.
 */
#ifndef N2NK_NOISE_H
#define N2NK_NOISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef __must_check
#define __must_check __attribute__((warn_unused_result))
#endif

#define NOISE_KEY_LEN	       32
#define NOISE_HASH_LEN	       64
#define NOISE_TAI64N_LEN       12
#define NOISE_MAC_LEN	       16
#define NOISE_TAG_LEN	       16
#define NOISE_COOKIE_NONCE_LEN 24

/* sender idx, e, enc(s), enc(tai64n), mac1, mac2: WireGuard's 148 bytes
 * without its 4-byte type, whose place our n2nk header takes */
#define NOISE_INIT_LEN	 (4 + 32 + (32 + 16) + (12 + 16) + 16 + 16) /* 144 */
/* sender idx, receiver idx, e, enc(empty), mac1, mac2 */
#define NOISE_RESP_LEN	 (4 + 4 + 32 + 16 + 16 + 16) /* 88, WireGuard's 92 */
/* receiver idx, nonce, xchacha20poly1305(cookie) */
#define NOISE_COOKIE_LEN (4 + 24 + 16 + 16) /* 60, WireGuard's 64 */

/* Raw Noise messages (no indices, no macs) around a payload of n bytes. */
#define NOISE_MSG1_LEN(n) (32 + 32 + 16 + (n) + 16)
#define NOISE_MSG2_LEN(n) (32 + (n) + 16)

/*
 * A static identity: the clamped X25519 key pair and the keys others use
 * to reach it, mac1_key = BLAKE2b-256("mac1----" || pub) and cookie_key =
 * BLAKE2b-256("cookie--" || pub).
 */
struct noise_static {
	uint8_t pub[NOISE_KEY_LEN];
	uint8_t priv[NOISE_KEY_LEN];
	uint8_t mac1_key[NOISE_KEY_LEN];
	uint8_t cookie_key[NOISE_KEY_LEN];
};

enum noise_hs_state {
	NOISE_HS_ZEROED = 0,
	NOISE_HS_STARTED,	/* keys mixed in, no message yet */
	NOISE_HS_INIT_SENT,	/* initiator waits for the response */
	NOISE_HS_INIT_CONSUMED, /* responder may answer */
	NOISE_HS_DONE,		/* transport keys ready */
};

/* One handshake in progress; every byte is secret. */
struct noise_hs {
	uint8_t ck[NOISE_HASH_LEN];
	uint8_t h[NOISE_HASH_LEN];
	uint8_t e_priv[NOISE_KEY_LEN];
	uint8_t e_pub[NOISE_KEY_LEN];
	uint8_t remote_static[NOISE_KEY_LEN];
	uint8_t remote_e[NOISE_KEY_LEN];
	uint8_t psk[NOISE_KEY_LEN];
	struct noise_static me; /* a copy: outlives a rotation of the file */
	uint32_t local_index;
	uint32_t remote_index;
	bool initiator;
	bool has_e; /* e_priv set before the message that sends it */
	enum noise_hs_state state;
};

int noise_static_init(struct noise_static *s,
		      const uint8_t priv[NOISE_KEY_LEN]) __must_check;
void noise_static_wipe(struct noise_static *s);
/* The keys of someone else's identity, from its public key. */
void noise_mac1_key_of(uint8_t key[NOISE_KEY_LEN],
		       const uint8_t pub[NOISE_KEY_LEN]);
void noise_cookie_key_of(uint8_t key[NOISE_KEY_LEN],
			 const uint8_t pub[NOISE_KEY_LEN]);

/*
 * Initiation. The prologue is the caller's ("n2nk v1" || community[20] ||
 * initiator MAC || responder MAC). Fills mac1; mac2 stays zero (noise_mac2
 * adds it when the caller holds a cookie).
 */
int noise_init_create(struct noise_hs *hs, const struct noise_static *me,
		      const uint8_t remote_pub[NOISE_KEY_LEN],
		      const uint8_t psk[NOISE_KEY_LEN], const void *prologue,
		      size_t prologue_len, uint32_t sender_index,
		      const uint8_t tai64n[NOISE_TAI64N_LEN],
		      uint8_t out[NOISE_INIT_LEN]) __must_check;
/*
 * Checks mac1 first, then runs the DHs. Gives the initiator's static key
 * and time stamp: the caller checks the key against its pins and the stamp
 * against the greatest it has seen from that key (replays). On failure hs
 * is wiped.
 */
int noise_init_consume(struct noise_hs *hs, const struct noise_static *me,
		       const uint8_t psk[NOISE_KEY_LEN], const void *prologue,
		       size_t prologue_len, const uint8_t *in, size_t len,
		       uint8_t initiator_pub_out[NOISE_KEY_LEN],
		       uint8_t tai64n_out[NOISE_TAI64N_LEN]) __must_check;
int noise_resp_create(struct noise_hs *hs, uint32_t sender_index,
		      uint8_t out[NOISE_RESP_LEN]) __must_check;
/*
 * On failure hs is left as it was, still waiting: as in WireGuard, a forged
 * response (mac1 needs only our public key) must not cancel the handshake
 * the real one answers. Nothing of a failed response is kept.
 */
int noise_resp_consume(struct noise_hs *hs, const uint8_t *in,
		       size_t len) __must_check;
/*
 * After a complete handshake: the initiator sends with the first KDF2
 * output, the responder with the second. Wipes hs. -EINVAL (keys zeroed)
 * before the handshake is done.
 */
int noise_session_keys(struct noise_hs *hs, uint8_t tx[NOISE_KEY_LEN],
		       uint8_t rx[NOISE_KEY_LEN]) __must_check;
void noise_hs_wipe(struct noise_hs *hs);

/*
 * mac1: BLAKE2b-128 keyed by the receiver's mac1_key over msg up to mac1;
 * mac2: keyed by a 16-byte cookie over msg up to mac2. mac1 and mac2 are
 * the last 32 bytes of msg.
 */
bool noise_mac1_ok(const struct noise_static *me, const uint8_t *msg,
		   size_t len);
void noise_mac2(uint8_t *msg, size_t len, const uint8_t cookie[NOISE_MAC_LEN]);
bool noise_mac2_ok(const uint8_t *msg, size_t len,
		   const uint8_t cookie[NOISE_MAC_LEN]);
/* The cookie of a source (address || port || MAC): BLAKE2b-128 keyed by a
 * secret the caller rotates. */
void noise_cookie_make(uint8_t cookie[NOISE_MAC_LEN],
		       const uint8_t secret[NOISE_KEY_LEN], const void *source,
		       size_t source_len);
/* XChaCha20-Poly1305 under me->cookie_key, AD = the mac1 it answers. */
int noise_cookie_reply(const struct noise_static *me, uint32_t receiver_index,
		       const uint8_t cookie[NOISE_MAC_LEN],
		       const uint8_t mac1_of_msg[NOISE_MAC_LEN],
		       uint8_t out[NOISE_COOKIE_LEN]) __must_check;
/* responder_cookie_key: noise_cookie_key_of(the responder's public key). */
int noise_cookie_consume(const uint8_t responder_cookie_key[NOISE_KEY_LEN],
			 const uint8_t *in, size_t len,
			 const uint8_t mac1_sent[NOISE_MAC_LEN],
			 uint8_t cookie_out[NOISE_MAC_LEN]) __must_check;

/*
 * The psk from the community key: Argon2id (interactive limits), salt =
 * BLAKE2b-128("n2nk psk v1" || community). -EINVAL for a community name
 * longer than 19 bytes, -ENOMEM when Argon2id cannot get its memory.
 */
int noise_psk_from_key(uint8_t psk[NOISE_KEY_LEN], const char *community_key,
		       const char *community) __must_check;

/* TAI64N now (nanoseconds rounded down as WireGuard does); big-endian, so
 * later stamps compare greater. */
void noise_tai64n_now(uint8_t out[NOISE_TAI64N_LEN]);
int noise_tai64n_cmp(const uint8_t a[NOISE_TAI64N_LEN],
		     const uint8_t b[NOISE_TAI64N_LEN]);

/*
 * The layer below, for known-answer tests and fuzzing: raw Noise messages
 * with any payload, and a chosen ephemeral. noise_hs_begin mixes in the
 * name, prologue and responder's static key (remote_pub for an initiator,
 * NULL for a responder). Each read/write takes exactly the message length
 * its payload implies.
 */
int noise_hs_begin(struct noise_hs *hs, bool initiator,
		   const struct noise_static *me,
		   const uint8_t remote_pub[NOISE_KEY_LEN],
		   const uint8_t psk[NOISE_KEY_LEN], const void *prologue,
		   size_t prologue_len) __must_check;
int noise_hs_set_ephemeral(struct noise_hs *hs,
			   const uint8_t priv[NOISE_KEY_LEN]) __must_check;
int noise_hs_write1(struct noise_hs *hs, const uint8_t *payload, size_t plen,
		    uint8_t *out) __must_check;
int noise_hs_read1(struct noise_hs *hs, const uint8_t *in, uint8_t *payload,
		   size_t plen) __must_check;
int noise_hs_write2(struct noise_hs *hs, const uint8_t *payload, size_t plen,
		    uint8_t *out) __must_check;
int noise_hs_read2(struct noise_hs *hs, const uint8_t *in, uint8_t *payload,
		   size_t plen) __must_check;
void noise_hs_hash(const struct noise_hs *hs, uint8_t out[NOISE_HASH_LEN]);
/* noise_init_create and noise_resp_create with a chosen ephemeral. */
int noise_init_create_with_ephemeral(struct noise_hs *hs,
				     const struct noise_static *me,
				     const uint8_t remote_pub[NOISE_KEY_LEN],
				     const uint8_t psk[NOISE_KEY_LEN],
				     const void *prologue, size_t prologue_len,
				     uint32_t sender_index,
				     const uint8_t tai64n[NOISE_TAI64N_LEN],
				     const uint8_t e_priv[NOISE_KEY_LEN],
				     uint8_t out[NOISE_INIT_LEN]) __must_check;
int noise_resp_create_with_ephemeral(struct noise_hs *hs, uint32_t sender_index,
				     const uint8_t e_priv[NOISE_KEY_LEN],
				     uint8_t out[NOISE_RESP_LEN]) __must_check;

#endif /* N2NK_NOISE_H */
