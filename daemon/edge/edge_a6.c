// SPDX-License-Identifier: GPL-2.0-only
/*
 * -A6 sessions: the keypair pool, rotation and WireGuard's timers.
 *
 * A keypair lives in a pool slot; its receiver index is the slot in the
 * low bits and random bits above, so a frame finds its keypair in one
 * look and an index cannot be guessed. Slots are handed out round-robin:
 * one is used again only after every other one, long after the kernel
 * path (which seals with the same slot of its a6_tx map) let go of it.
 *
 * A peer has up to three keypairs (WireGuard's): current (we send with
 * it), previous (still opens frames in flight after a rotation) and next
 * (a responder's, until the initiator's first frame under it arrives).
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/mac.h"
#include "edge_a6_int.h"
#include "conf/conf.h"
#include "proto/identity.h"

#define POOL_SLOT_MASK (N2NK_A6_MAX_SESSIONS - 1)

_Static_assert((N2NK_A6_MAX_SESSIONS & POOL_SLOT_MASK) == 0,
	       "the pool's size is a power of two");

/* What the rest of the edge sees of -A6 as a transform: its id and
 * name; frames never go through transform_encode/decode. */
static ssize_t a6_not_here(void)
{
	return TRANSFORM_ERR_NOT_READY;
}

static ssize_t a6_encode(const struct transform *t, uint8_t *out,
			 const uint8_t *in, size_t len,
			 const uint8_t iv[TRANSFORM_IV_SIZE])
{
	(void)t, (void)out, (void)in, (void)len, (void)iv;
	return a6_not_here();
}

static ssize_t a6_decode(const struct transform *t, uint8_t *out,
			 const uint8_t *in, size_t len,
			 uint8_t iv_out[TRANSFORM_IV_SIZE])
{
	(void)t, (void)out, (void)in, (void)len, (void)iv_out;
	return a6_not_here();
}

static const struct transform_ops a6_transform_ops = {
	.id = (enum n2n_transform_id)N2NK_TRANSFORM_A6,
	.name = "chacha20-poly1305 (n2nk -A6)",
	.overhead = N2NK_A6_OVERHEAD,
	.encode = a6_encode,
	.decode = a6_decode,
};

struct a6_peer *a6_peer_of(struct edge *e, struct edge_peer *p)
{
	(void)e;
	if (!p->a6)
		p->a6 = calloc(1, sizeof(*p->a6));
	return p->a6;
}

/* A free slot, not freed in the last A6_SLOT_QUARANTINE_MS (a program
 * may still be sealing with it); the round-robin start spreads reuse. */
static int free_slot(struct edge_a6 *a, uint64_t now)
{
	const struct a6_keypair *kp;
	uint32_t i, slot;

	for (i = 0; i < N2NK_A6_MAX_SESSIONS; i++) {
		slot = (a->pool_next + i) & POOL_SLOT_MASK;
		kp = &a->pool[slot];
		if (!kp->local_index &&
		    (!kp->freed_ms ||
		     now - kp->freed_ms >= A6_SLOT_QUARANTINE_MS))
			return (int)slot;
	}
	return -1;
}

/*
 * unconfirmed: for a handshake (ours, or one we answer), which proves
 * nothing yet. Those of peers never confirmed take at most a quarter of
 * the pool, so initiations from made-up MACs (which cost their sender
 * nothing) cannot keep known peers from their sessions.
 */
struct a6_keypair *a6_keypair_new(struct edge *e, struct edge_peer *p,
				  bool unconfirmed)
{
	struct edge_a6 *a = e->a6;
	uint64_t now = evloop_now_ms();
	struct a6_keypair *kp;
	uint32_t rnd;
	int slot = free_slot(a, now);

	if (slot < 0 || (unconfirmed && !(p->a6 && p->a6->confirmed_once) &&
			 a->unconfirmed >= N2NK_A6_MAX_SESSIONS / 4)) {
		edge_drop(e, N2NK_TABLE_FULL);
		return NULL;
	}
	a->pool_next = (uint32_t)slot + 1;
	kp = &a->pool[slot];
	memset(kp, 0, sizeof(*kp));
	kp->unconfirmed = unconfirmed;
	a->unconfirmed += unconfirmed;
	do
		rnd = randombytes_random() & ~(uint32_t)POOL_SLOT_MASK;
	while (!rnd);
	kp->local_index = rnd | slot;
	kp->peer = p;
	kp->tx_ctr = &kp->tx_counter;
	kp->created_ms = now;
	a->pool_used++;
	return kp;
}

void a6_keypair_free(struct edge *e, struct a6_keypair *kp)
{
	if (!kp || !kp->local_index)
		return;
	a6_kernel_del(e, kp);
	e->a6->unconfirmed -= kp->unconfirmed;
	sodium_memzero(kp, sizeof(*kp));
	kp->freed_ms = evloop_now_ms();
	e->a6->pool_used--;
}

struct a6_keypair *a6_keypair_find(struct edge *e, uint32_t index)
{
	struct a6_keypair *kp;

	if (!e->a6 || !index)
		return NULL;
	kp = &e->a6->pool[index & POOL_SLOT_MASK];
	return kp->local_index == index ? kp : NULL;
}

static uint64_t kp_age_ms(const struct a6_keypair *kp, uint64_t now)
{
	return now > kp->created_ms ? now - kp->created_ms : 0;
}

bool a6_keypair_usable(const struct edge *e, const struct a6_keypair *kp,
		       uint64_t now)
{
	return kp && kp->local_index && !kp->pending &&
	       kp_age_ms(kp, now) < e->a6->reject_after_ms &&
	       __atomic_load_n(kp->tx_ctr, __ATOMIC_RELAXED) <
		       N2NK_A6_REJECT_AFTER_MESSAGES;
}

bool edge_a6_peer_live(const struct edge_peer *p, uint64_t now)
{
	return p->a6 && p->a6->cur && p->a6->cur->local_index &&
	       now - p->a6->cur->created_ms < A6_REKEY_ATTEMPT_MS * 2;
}

/* cur -> prev (the old prev goes), kp -> cur. */
static void make_current(struct edge *e, struct a6_peer *ap,
			 struct a6_keypair *kp)
{
	char mac[MAC_STR_MAX], fp[IDENTITY_FINGERPRINT_SIZE];

	if (kp->unconfirmed) {
		kp->unconfirmed = false;
		e->a6->unconfirmed--;
	}
	ap->confirmed_once = true;
	if (ap->cur) {
		ap->rekeys++;
	} else {
		identity_fingerprint(fp, ap->pub);
		log_info("-A6: session with %s (identity %s)",
			 mac_str(kp->peer->key.mac, mac), fp);
	}
	a6_keypair_free(e, ap->prev);
	ap->prev = ap->cur;
	ap->cur = kp;
}

/* N2NK_A6_KEYLOG: each session's keys, so a test can show that one
 * session's key opens none of the next one's frames. */
static void keylog(struct edge *e, const struct a6_keypair *kp)
{
	char rx[2 * N2NK_A6_KEY_LEN + 1], tx[2 * N2NK_A6_KEY_LEN + 1];
	char mac[MAC_STR_MAX];

	if (!e->a6->keylog)
		return;
	sodium_bin2hex(rx, sizeof(rx), kp->rx_key, N2NK_A6_KEY_LEN);
	sodium_bin2hex(tx, sizeof(tx), kp->tx_key, N2NK_A6_KEY_LEN);
	fprintf(e->a6->keylog, "peer %s index %08x rx %s tx %s\n",
		mac_str(kp->peer->key.mac, mac), kp->local_index, rx, tx);
	fflush(e->a6->keylog);
	sodium_memzero(rx, sizeof(rx));
	sodium_memzero(tx, sizeof(tx));
}

void a6_session_start(struct edge *e, struct edge_peer *p,
		      struct a6_keypair *kp, uint64_t now)
{
	struct a6_peer *ap = p->a6;

	ap->last_hs_ms = now;
	p->last_seen_ms = now;
	a6_kernel_add(e, kp);
	keylog(e, kp);
	if (kp->initiator) {
		make_current(e, ap, kp);
		a6_kernel_tx(e, p);
		return;
	}
	if (ap->next != kp)
		a6_keypair_free(e, ap->next);
	ap->next = kp;
}

void a6_session_confirm(struct edge *e, struct edge_peer *p,
			struct a6_keypair *kp, uint64_t now)
{
	struct a6_peer *ap = p->a6;

	if (kp != ap->next)
		return;
	ap->next = NULL;
	/* Data under it proves the PSK: what the initiation said holds. */
	memcpy(ap->pub, kp->peer_pub, NOISE_KEY_LEN);
	ap->have_pub = true;
	memcpy(ap->last_tai, kp->tai, NOISE_TAI64N_LEN);
	make_current(e, ap, kp);
	a6_kernel_tx(e, p);
	a6_flush_queue(e, p, now);
}

void a6_prologue(const struct edge *e, uint8_t out[A6_PROLOGUE_LEN],
		 const uint8_t *init_mac, const uint8_t *resp_mac)
{
	memcpy(out, "n2nk v1", 7);
	memcpy(out + 7, e->community, N2N_COMMUNITY_SIZE);
	memcpy(out + 7 + N2N_COMMUNITY_SIZE, init_mac, MAC_SIZE);
	memcpy(out + 7 + N2N_COMMUNITY_SIZE + MAC_SIZE, resp_mac, MAC_SIZE);
}

static void budget_second(uint64_t *window_ms, unsigned int *count,
			  uint64_t now)
{
	if (now - *window_ms >= 1000) {
		*window_ms = now;
		*count = 0;
	}
}

bool a6_hs_budget(struct edge *e, struct a6_peer *ap, uint64_t now)
{
	struct edge_a6 *a = e->a6;

	budget_second(&a->hs_window_ms, &a->hs_count, now);
	budget_second(&ap->init_window_ms, &ap->init_count, now);
	if (a->hs_count >= A6_HS_PER_S ||
	    ap->init_count >= A6_HS_PER_PEER_PER_S) {
		edge_drop(e, N2NK_HANDSHAKE_LIMIT);
		return false;
	}
	a->hs_count++;
	ap->init_count++;
	return true;
}

bool a6_under_load(struct edge *e)
{
	budget_second(&e->a6->hs_window_ms, &e->a6->hs_count, evloop_now_ms());
	return e->a6->hs_count >= A6_HS_LOAD;
}

/* Keypairs past REJECT_AFTER_TIME go, whichever slot they hold; a
 * responder's unconfirmed one sooner (initiations cost nothing to make,
 * so they must not fill the pool). */
static void expire(struct edge *e, struct a6_keypair **kpp, uint64_t limit,
		   uint64_t now)
{
	if (*kpp && kp_age_ms(*kpp, now) >= limit) {
		a6_keypair_free(e, *kpp);
		*kpp = NULL;
	}
}

static bool wants_rekey(const struct edge *e, const struct a6_peer *ap,
			uint64_t now)
{
	const struct a6_keypair *kp = ap->cur;
	uint64_t limit = e->a6->rekey_after_ms;

	if (!kp || now - ap->last_tx_ms > A6_KEEPALIVE_MS)
		return false;
	/* The responder waits longer, so the two rarely cross. */
	if (!kp->initiator)
		limit = e->a6->reject_after_ms - A6_KEEPALIVE_MS -
			A6_REKEY_TIMEOUT_MS;
	return kp_age_ms(kp, now) >= limit ||
	       __atomic_load_n(kp->tx_ctr, __ATOMIC_RELAXED) >=
		       N2NK_A6_REKEY_AFTER_MESSAGES;
}

static void send_keepalive(struct edge *e, struct edge_peer *p, uint64_t now)
{
	struct a6_peer *ap = p->a6;

	if (a6_keypair_usable(e, ap->cur, now))
		a6_seal_to(e, p, ap->cur, NULL, 0);
}

void edge_a6_peer_tick(struct edge *e, struct edge_peer *p, uint64_t now)
{
	struct a6_peer *ap = p->a6;

	if (!e->a6 || !ap)
		return;
	expire(e, &ap->prev, e->a6->reject_after_ms, now);
	expire(e, &ap->next, A6_UNCONFIRMED_MS, now);
	expire(e, &ap->cur, e->a6->reject_after_ms, now);
	a6_kernel_poll(e, p, now);
	a6_hs_tick(e, p, now);
	if (wants_rekey(e, ap, now))
		a6_hs_start(e, p, now);
	if (ap->rx_unanswered_ms &&
	    now - ap->rx_unanswered_ms >= A6_KEEPALIVE_MS)
		send_keepalive(e, p, now);
	/* Data out, nothing back for 15 s: the peer may have lost our
	 * session (a restart); a handshake mends it. */
	if (ap->tx_unanswered_ms && now - ap->tx_unanswered_ms >= A6_DEAD_MS) {
		ap->tx_unanswered_ms = 0;
		a6_hs_start(e, p, now);
	}
}

void a6_heard(struct a6_peer *ap, bool data, uint64_t now)
{
	ap->last_rx_ms = now;
	ap->tx_unanswered_ms = 0;
	/* A keepalive asks for no answer: two idle peers stay quiet. */
	if (data && !ap->rx_unanswered_ms)
		ap->rx_unanswered_ms = now;
}

void a6_sent(struct a6_peer *ap, bool data, uint64_t now)
{
	ap->last_tx_ms = now;
	ap->rx_unanswered_ms = 0;
	if (data && !ap->tx_unanswered_ms)
		ap->tx_unanswered_ms = now;
}

void edge_a6_peer_free(struct edge *e, struct edge_peer *p)
{
	struct a6_peer *ap = p->a6;

	if (!ap)
		return;
	if (e->a6) {
		a6_keypair_free(e, ap->cur);
		a6_keypair_free(e, ap->prev);
		a6_keypair_free(e, ap->next);
		a6_keypair_free(e, ap->hs_kp);
	}
	noise_hs_wipe(&ap->hs);
	free(ap->queue);
	sodium_memzero(ap, sizeof(*ap));
	free(ap);
	p->a6 = NULL;
}

static void rotate_cookie_secret(struct edge_a6 *a, uint64_t now)
{
	if (a->cookie_secret_ms &&
	    now - a->cookie_secret_ms < A6_COOKIE_SECRET_MS)
		return;
	randombytes_buf(a->cookie_secret, sizeof(a->cookie_secret));
	a->cookie_secret_ms = now;
}

void edge_a6_tick(struct edge *e, uint64_t now)
{
	if (e->a6)
		rotate_cookie_secret(e->a6, now);
}

static uint64_t env_seconds(const char *name, uint64_t dflt)
{
	const char *v = getenv(name);
	char *end;
	unsigned long s;

	if (!v || !*v)
		return dflt;
	s = strtoul(v, &end, 10);
	if (*end || s < 2 || s > 86400) {
		log_warn("%s=%s ignored (2..86400 seconds)", name, v);
		return dflt;
	}
	log_warn("%s=%lu: a test setting, not for real networks", name, s);
	return s * 1000;
}

static void open_keylog(struct edge_a6 *a)
{
	const char *path = getenv("N2NK_A6_KEYLOG");
	int fd;

	if (!path || !*path)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	a->keylog = fd < 0 ? NULL : fdopen(fd, "a");
	if (!a->keylog && fd >= 0)
		close(fd);
	if (a->keylog)
		log_warn("N2NK_A6_KEYLOG=%s: session keys are written there "
			 "(for tests only: anyone who reads it reads the "
			 "traffic)",
			 path);
	else
		log_err("N2NK_A6_KEYLOG=%s: %s", path, strerror(errno));
}

static int load_identity(struct edge *e, struct edge_a6 *a)
{
	const struct edge_conf *c = e->conf;
	int err;

	if (c->identity[0])
		snprintf(a->identity_path, sizeof(a->identity_path), "%s",
			 c->identity);
	else
		snprintf(a->identity_path, sizeof(a->identity_path),
			 "/var/lib/n2nk/%s.key",
			 c->tap_name[0] ? c->tap_name : "edge0");
	err = identity_load_or_create(&a->me, a->identity_path, true);
	if (err == 1)
		log_notice("-A6: made a new identity key in %s",
			   a->identity_path);
	/* Kept open: n2nctl keys rotate rewrites it after privileges went. */
	a->identity_fd = err < 0 ? -1
				 : open(a->identity_path, O_RDWR | O_CLOEXEC);
	if (err < 0) {
		log_err("-A6: identity key %s: %s%s", a->identity_path,
			identity_strerror(err),
			err == -EROFS || err == -ENOENT || err == -EACCES
				? " (give a writable file with --identity)"
				: "");
		return err;
	}
	return 0;
}

int edge_a6_init(struct edge *e)
{
	const struct edge_conf *c = e->conf;
	struct edge_a6 *a = calloc(1, sizeof(*a));
	char fp[IDENTITY_FINGERPRINT_SIZE];
	int err;

	if (!a)
		return -ENOMEM;
	a->identity_fd = -1;
	a->pool = calloc(N2NK_A6_MAX_SESSIONS, sizeof(*a->pool));
	err = a->pool ? load_identity(e, a) : -ENOMEM;
	if (!err && noise_psk_from_key(a->psk, c->key, e->community))
		err = -ENOMEM;
	if (err) {
		free(a->pool);
		free(a);
		return err;
	}
	crypto_generichash(a->reply_key, sizeof(a->reply_key),
			   (const uint8_t *)"n2nk key reply v1", 17, a->psk,
			   sizeof(a->psk));
	open_keylog(a);
	a->rekey_after_ms = env_seconds("N2NK_A6_REKEY_AFTER_S",
					N2NK_A6_REKEY_AFTER_S * 1000ULL);
	a->reject_after_ms = env_seconds("N2NK_A6_REJECT_AFTER_S",
					 N2NK_A6_REJECT_AFTER_S * 1000ULL);
	if (a->reject_after_ms <=
	    a->rekey_after_ms + A6_KEEPALIVE_MS + A6_REKEY_TIMEOUT_MS)
		a->reject_after_ms = a->rekey_after_ms + 3 * A6_KEEPALIVE_MS;
	e->a6 = a;
	e->tf.ops = &a6_transform_ops;
	identity_fingerprint(fp, a->me.pub);
	log_notice("-A6: identity %s (%s), per-peer sessions", fp,
		   a->identity_path);
	return 0;
}

static void free_peer_sessions(struct mac_entry *me, void *arg)
{
	edge_a6_peer_free(arg, (struct edge_peer *)me);
}

void edge_a6_fini(struct edge *e)
{
	struct edge_a6 *a = e->a6;

	if (!a)
		return;
	mac_table_each(&e->peers, free_peer_sessions, e);
	if (a->keylog)
		fclose(a->keylog);
	if (a->identity_fd >= 0)
		close(a->identity_fd);
	sodium_memzero(a->pool, N2NK_A6_MAX_SESSIONS * sizeof(*a->pool));
	free(a->pool);
	sodium_memzero(a, sizeof(*a));
	free(a);
	e->a6 = NULL;
}

static void forget_peer_sessions(struct mac_entry *me, void *arg)
{
	struct edge_peer *p = (struct edge_peer *)me;
	struct a6_peer *ap = p->a6;

	if (!ap)
		return;
	/* Its sessions keep working until the new handshake replaces them;
	 * the handshake proves the new key to the peer. */
	ap->hs_tries = 0;
	ap->hs_sent_ms = 0;
	if (ap->cur)
		a6_hs_start(arg, p, evloop_now_ms());
}

/*
 * A new key into the file we hold open (the daemon may run as nobody by
 * now, unable to make a file beside it): written over the old one, cut to
 * its length, synced; then in use.
 */
static int rewrite_identity(struct edge_a6 *a)
{
	uint8_t priv[NOISE_KEY_LEN];
	char line[IDENTITY_BASE64_SIZE + 1];
	struct noise_static s;
	size_t n;
	int err;

	if (a->identity_fd < 0)
		return -EBADF;
	randombytes_buf(priv, sizeof(priv));
	err = noise_static_init(&s, priv);
	sodium_bin2base64(line, sizeof(line), priv, sizeof(priv),
			  sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(priv, sizeof(priv));
	n = strlen(line);
	line[n++] = '\n';
	if (!err &&
	    (pwrite(a->identity_fd, line, n, 0) != (ssize_t)n ||
	     ftruncate(a->identity_fd, (off_t)n) || fsync(a->identity_fd)))
		err = -errno;
	sodium_memzero(line, sizeof(line));
	if (!err)
		a->me = s;
	sodium_memzero(&s, sizeof(s));
	return err;
}

int edge_a6_rotate_identity(struct edge *e)
{
	char fp[IDENTITY_FINGERPRINT_SIZE];
	int err;

	if (!e->a6)
		return -EOPNOTSUPP;
	/* A new file renamed over the old, else (the daemon may run as
	 * nobody by now) the old one rewritten. */
	err = identity_rotate(&e->a6->me, e->a6->identity_path);
	if (err == -EACCES || err == -EPERM || err == -EROFS) {
		err = rewrite_identity(e->a6);
	} else if (!err) {
		close(e->a6->identity_fd); /* the renamed-over file */
		e->a6->identity_fd =
			open(e->a6->identity_path, O_RDWR | O_CLOEXEC);
	}
	if (err) {
		log_err("-A6: cannot rotate identity %s: %s",
			e->a6->identity_path, identity_strerror(err));
		return err;
	}
	identity_fingerprint(fp, e->a6->me.pub);
	log_notice("-A6: new identity %s; renegotiating every session", fp);
	mac_table_each(&e->peers, forget_peer_sessions, e);
	return 0;
}

void edge_a6_identity(const struct edge *e, char *fingerprint, size_t fl,
		      char *pub_b64, size_t bl)
{
	char fp[IDENTITY_FINGERPRINT_SIZE];

	fingerprint[0] = pub_b64[0] = 0;
	if (!e->a6)
		return;
	identity_fingerprint(fp, e->a6->me.pub);
	snprintf(fingerprint, fl, "%s", fp);
	sodium_bin2base64(pub_b64, bl, e->a6->me.pub, NOISE_KEY_LEN,
			  sodium_base64_VARIANT_ORIGINAL);
}

const char *edge_a6_identity_path(const struct edge *e)
{
	return e->a6 ? e->a6->identity_path : "";
}

static int64_t secs_since(uint64_t then, uint64_t now)
{
	return then ? (int64_t)((now - then) / 1000) : -1;
}

void edge_a6_peer_view(const struct edge *e, const struct edge_peer *p,
		       uint64_t now, struct a6_peer_view *v)
{
	const struct a6_peer *ap = p->a6;

	memset(v, 0, sizeof(*v));
	v->session_age_s = v->last_handshake_s = -1;
	if (!e->a6 || !ap)
		return;
	if (ap->have_pub)
		identity_fingerprint(v->fingerprint, ap->pub);
	if (ap->cur)
		v->session_age_s = secs_since(ap->cur->created_ms, now);
	v->last_handshake_s = secs_since(ap->last_hs_ms, now);
	v->rekeys = ap->rekeys;
	v->replayed = ap->replayed;
	v->tag_failed = ap->tag_failed;
}
