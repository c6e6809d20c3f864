/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * n2n's -A3 in BPF: AES-CBC with a zero IV over 16 random bytes || frame,
 * the last two blocks swapped and the output cut to the input's length
 * (ciphertext stealing, n2n-protocol.md 7.2). The AES itself is the
 * kernel's, through the bpf crypto kfuncs (Linux 6.10): a CBC and an ECB
 * context the daemon creates with aes_setup (a syscall program) and keeps
 * in aes_ctx; the stealing is done here on the packet.
 *
 * Only tc_edge_aes.bpf.c (and a test harness) include this: an object
 * that refers to the kfuncs needs a kernel with them, so the programs for
 * every other transform are in tc_edge.bpf.c, with lib/aes_none.h
 * (lib/aes_api.h says what both provide).
 *
 * The 16 random bytes need no AES of their own (n2n encrypts an IV seed to
 * make them): CBC with a zero IV turns them into the first ciphertext
 * block, E(R), which is the IV the frame's first block is chained to, as
 * unpredictable as the key is secret.
 */
#ifndef N2NK_BPF_AES_H /* shared with aes_none.h: one or the other */
#define N2NK_BPF_AES_H

#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/aes_api.h"
#include "n2nk_edge.h"

/* The kernel's handle; only ever behind a pointer (its name is what the
 * verifier matches against the kernel's BTF). */
struct bpf_crypto_ctx {
};

/* The kernel's struct bpf_crypto_params (kernel/bpf/crypto.c), which no
 * UAPI header has and this tree does not take from a vmlinux.h; the
 * kfunc refuses any other size. */
struct bpf_crypto_params {
	char type[14];
	__u8 reserved[2];
	char algo[128];
	__u8 key[256];
	__u32 key_len;
	__u32 authsize;
};

_Static_assert(sizeof(struct bpf_crypto_params) == 408,
	       "kernel/bpf/crypto.c's struct bpf_crypto_params");

extern struct bpf_crypto_ctx *
bpf_crypto_ctx_create(const struct bpf_crypto_params *params, __u32 params__sz,
		      int *err) __ksym;
extern void bpf_crypto_ctx_release(struct bpf_crypto_ctx *ctx) __ksym;
extern int bpf_crypto_encrypt(struct bpf_crypto_ctx *ctx,
			      const struct bpf_dynptr *src,
			      const struct bpf_dynptr *dst,
			      const struct bpf_dynptr *siv) __ksym;
extern int bpf_crypto_decrypt(struct bpf_crypto_ctx *ctx,
			      const struct bpf_dynptr *src,
			      const struct bpf_dynptr *dst,
			      const struct bpf_dynptr *siv) __ksym;
extern int bpf_dynptr_from_skb(struct __sk_buff *skb, __u64 flags,
			       struct bpf_dynptr *ptr__uninit) __ksym;
extern int bpf_dynptr_adjust(const struct bpf_dynptr *ptr, __u32 start,
			     __u32 end) __ksym;

struct aes_ctx_val {
	struct bpf_crypto_ctx __kptr *cbc; /* cbc(aes), 16-byte IV */
	struct bpf_crypto_ctx __kptr *ecb; /* ecb(aes), one block */
};

/* The contexts, made by aes_setup; not pinned: each load makes its own. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct aes_ctx_val);
} aes_ctx SEC(".maps");

/* Blocks being stolen and the CBC IV, off the stack (a kfunc takes map
 * memory as a dynptr). */
struct aes_scratch {
	__u8 iv[AES_BLOCK];   /* the CBC chaining value, zero to start */
	__u8 last[AES_BLOCK]; /* the last whole ciphertext block */
	__u8 tail[AES_BLOCK]; /* the partial block, zero padded */
	__u8 d[AES_BLOCK];    /* a block's ECB decryption */
	__u8 prev[AES_BLOCK]; /* the ciphertext block before last */
	__u8 peek[AES_BLOCK]; /* the frame's first block (n2nk_aes_cts_peek) */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct aes_scratch);
} aes_scratch SEC(".maps");

/* CBC over len (a multiple of 16, not 0) bytes at off of the skb, in
 * place, chained from sc->iv, which it leaves at the last block. */
static __always_inline int aes_cbc_skb(struct __sk_buff *skb,
				       struct bpf_crypto_ctx *cbc,
				       struct aes_scratch *sc, __u32 off,
				       __u32 len, bool decrypt)
{
	struct bpf_dynptr pkt, iv;

	if (bpf_dynptr_from_skb(skb, 0, &pkt) ||
	    bpf_dynptr_adjust(&pkt, off, off + len) ||
	    bpf_dynptr_from_mem(sc->iv, AES_BLOCK, 0, &iv))
		return -1;
	if (decrypt)
		return bpf_crypto_decrypt(cbc, &pkt, &pkt, &iv) ? -1 : 0;
	return bpf_crypto_encrypt(cbc, &pkt, &pkt, &iv) ? -1 : 0;
}

/* One block of ECB, in place in the scratch area. */
static __always_inline int aes_ecb_block(struct bpf_crypto_ctx *ecb, __u8 *blk,
					 bool decrypt)
{
	struct bpf_dynptr b, iv;

	if (bpf_dynptr_from_mem(blk, AES_BLOCK, 0, &b) ||
	    bpf_dynptr_from_mem(blk, 0, 0, &iv))
		return -1;
	if (decrypt)
		return bpf_crypto_decrypt(ecb, &b, &b, &iv) ? -1 : 0;
	return bpf_crypto_encrypt(ecb, &b, &b, &iv) ? -1 : 0;
}

static __always_inline struct aes_ctx_val *aes_ctx_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&aes_ctx, &zero);
}

static __always_inline struct aes_scratch *aes_scratch_get(void)
{
	__u32 zero = 0;
	struct aes_scratch *sc = bpf_map_lookup_elem(&aes_scratch, &zero);

	if (sc)
		__builtin_memset(sc->iv, 0, AES_BLOCK);
	return sc;
}

/* One context for the algorithm named in algo (NUL-terminated within
 * N2NK_AES_ALGO_SIZE) into *slot, releasing what was there. 0 or -errno. */
static __always_inline int aes_ctx_make(struct bpf_crypto_params *p,
					const char *algo,
					struct bpf_crypto_ctx __kptr **slot)
{
	struct bpf_crypto_ctx *c;
	int err = 0;

	__builtin_memcpy(p->algo, algo, N2NK_AES_ALGO_SIZE);
	p->algo[N2NK_AES_ALGO_SIZE - 1] = 0;
	c = bpf_crypto_ctx_create(p, sizeof(*p), &err);
	if (!c)
		return err ? err : -1;
	c = bpf_kptr_xchg(slot, c);
	if (c)
		bpf_crypto_ctx_release(c);
	return 0;
}

/* The context's key, zeroed word by word at constant offsets from a (the
 * verifier refuses stores through a moved context pointer). */
static __always_inline void aes_setup_wipe_key(struct n2nk_aes_setup *a)
{
	volatile __u64 *k = (volatile __u64 *)a->key;

	k[0] = 0;
	k[1] = 0;
	k[2] = 0;
	k[3] = 0;
}

/* The body of a syscall program the daemon runs once (BPF_PROG_RUN, *a
 * as its context): the contexts for a's algorithms and key into aes_ctx,
 * each one's error into a. 0, or -1 without a map or with a bad key. */
static __always_inline int aes_ctx_setup(struct n2nk_aes_setup *a)
{
	struct bpf_crypto_params p = { .type = "skcipher" };
	struct aes_ctx_val *v = aes_ctx_get();

	if (!v || a->key_len > sizeof(a->key))
		return -1;
	p.key_len = a->key_len;
	__builtin_memcpy(p.key, a->key, sizeof(a->key));
	a->err_cbc = aes_ctx_make(&p, a->cbc_algo, &v->cbc);
	a->err_ecb = aes_ctx_make(&p, a->ecb_algo, &v->ecb);
	/* No copy of the key outlives the run: ours on the stack (the
	 * barrier keeps the compiler from dropping a store to a dying
	 * object), and the context's, which the kernel frees unzeroed. */
	__builtin_memset(p.key, 0, sizeof(p.key));
	asm volatile("" : : "r"(&p) : "memory");
	aes_setup_wipe_key(a);
	return 0;
}

/* The contexts and a zeroed CBC IV, or NULL. */
static __always_inline struct aes_scratch *
aes_begin(struct bpf_crypto_ctx **cbc, struct bpf_crypto_ctx **ecb)
{
	struct aes_ctx_val *v = aes_ctx_get();
	struct aes_scratch *sc = aes_scratch_get();

	if (!v || !sc)
		return NULL;
	*cbc = v->cbc;
	*ecb = v->ecb;
	return *cbc && *ecb ? sc : NULL;
}

/* n2n's -A3 output is at least the random block and one byte, at most
 * the random block and n2n's largest frame. */
static __always_inline bool aes_len_ok(__u32 len)
{
	return len >= AES_BLOCK + 1 && len <= AES_BLOCK + N2N_PKT_BUF_SIZE;
}

/*
 * Encrypts the len bytes at off (16 random bytes and the frame, linear in
 * the skb) in place into n2n's -A3 output of the same length. 0,
 * AES_FAILED or AES_FAILED_WRITTEN.
 */
__attribute__((noinline)) int n2nk_aes_cts_encrypt(struct __sk_buff *skb,
						   __u32 off, __u32 len)
{
	struct bpf_crypto_ctx *cbc, *ecb;
	struct aes_scratch *sc;
	__u32 whole, r;
	int i;

	if (!skb || !aes_len_ok(len))
		return AES_FAILED;
	sc = aes_begin(&cbc, &ecb);
	if (!sc)
		return AES_FAILED;
	r = len & (AES_BLOCK - 1);
	whole = len - r;
	if (aes_cbc_skb(skb, cbc, sc, off, whole, false))
		return AES_FAILED_WRITTEN;
	if (!r)
		return 0;
	/* The padded last block, chained to the last whole one (C), is
	 * encrypted and takes C's place; C's first r bytes end the output.
	 * (r & (AES_BLOCK - 1): r again, in a form whose bounds, 1..15 past
	 * the test above, the verifier sees for a helper's size.) */
	__builtin_memset(sc->tail, 0, AES_BLOCK);
	if (bpf_skb_load_bytes(skb, off + whole, sc->tail,
			       r & (AES_BLOCK - 1)) ||
	    bpf_skb_load_bytes(skb, off + whole - AES_BLOCK, sc->last,
			       AES_BLOCK))
		return AES_FAILED_WRITTEN;
	for (i = 0; i < AES_BLOCK; i++)
		sc->tail[i] ^= sc->last[i];
	if (aes_ecb_block(ecb, sc->tail, false) ||
	    bpf_skb_store_bytes(skb, off + whole - AES_BLOCK, sc->tail,
				AES_BLOCK, 0) ||
	    bpf_skb_store_bytes(skb, off + whole, sc->last, r & (AES_BLOCK - 1),
				0))
		return AES_FAILED_WRITTEN;
	return 0;
}

/*
 * The last two plaintext blocks of n2n's -A3 output of len bytes at off
 * (r = len % 16, not 0), before the packet changes: the whole one into
 * sc->last, the frame's last r bytes into sc->tail. The output ends
 * [.. | prev | E(P' ^ C) | C's first r bytes]: D = the middle block
 * decrypted is P' ^ C, so C = those r bytes || D's last 16 - r, and the
 * frame's last r bytes are D's first r ^ C's. 0 or -1.
 */
static __always_inline int aes_unsteal(struct __sk_buff *skb,
				       struct bpf_crypto_ctx *ecb,
				       struct aes_scratch *sc, __u32 off,
				       __u32 whole, __u32 r)
{
	__u32 pen = whole - AES_BLOCK;
	int i;

	__builtin_memset(sc->tail, 0, AES_BLOCK);
	__builtin_memset(sc->prev, 0, AES_BLOCK);
	if (bpf_skb_load_bytes(skb, off + pen, sc->d, AES_BLOCK) ||
	    bpf_skb_load_bytes(skb, off + whole, sc->tail,
			       r & (AES_BLOCK - 1)) ||
	    (pen && bpf_skb_load_bytes(skb, off + pen - AES_BLOCK, sc->prev,
				       AES_BLOCK)) ||
	    aes_ecb_block(ecb, sc->d, true))
		return -1;
	for (i = 0; i < AES_BLOCK; i++) {
		sc->last[i] = i < (int)r ? sc->tail[i] : sc->d[i]; /* C */
		sc->tail[i] = i < (int)r ? sc->d[i] ^ sc->last[i] : 0;
	}
	if (aes_ecb_block(ecb, sc->last, true))
		return -1;
	for (i = 0; i < AES_BLOCK; i++)
		sc->last[i] ^= sc->prev[i];
	return 0;
}

/*
 * Decrypts n2n's -A3 output of len bytes at off in place: the 16 random
 * bytes and the frame. Every input decrypts to something (the zero
 * padding n2n checks always comes out zero: the stolen bytes are the
 * block's own); the caller checks the frame. Whatever can fail without a
 * write comes first. 0, AES_FAILED or AES_FAILED_WRITTEN.
 */
__attribute__((noinline)) int n2nk_aes_cts_decrypt(struct __sk_buff *skb,
						   __u32 off, __u32 len)
{
	struct bpf_crypto_ctx *cbc, *ecb;
	struct aes_scratch *sc;
	__u32 whole, r, pen;

	if (!skb || !aes_len_ok(len))
		return AES_FAILED;
	sc = aes_begin(&cbc, &ecb);
	if (!sc)
		return AES_FAILED;
	r = len & (AES_BLOCK - 1);
	whole = len - r;
	if (!r)
		return aes_cbc_skb(skb, cbc, sc, off, whole, true)
			       ? AES_FAILED_WRITTEN
			       : 0;
	pen = whole - AES_BLOCK;
	if (aes_unsteal(skb, ecb, sc, off, whole, r))
		return AES_FAILED;
	if ((pen && aes_cbc_skb(skb, cbc, sc, off, pen, true)) ||
	    bpf_skb_store_bytes(skb, off + pen, sc->last, AES_BLOCK, 0) ||
	    bpf_skb_store_bytes(skb, off + whole, sc->tail, r & (AES_BLOCK - 1),
				0))
		return AES_FAILED_WRITTEN;
	return 0;
}

/*
 * The frame's first 16 bytes (its MACs and EtherType), decrypted into
 * sc->peek without changing the packet, where they lie outside the
 * stolen blocks (output of 48 bytes or more): one block's work, so that a
 * forged PACKET from a known peer costs that, not a whole decryption and
 * encryption. 0, 1 when it cannot tell (a short output), or -1.
 */
__attribute__((noinline)) int n2nk_aes_cts_peek(struct __sk_buff *skb,
						__u32 off, __u32 len)
{
	struct bpf_crypto_ctx *cbc, *ecb;
	struct aes_scratch *sc;
	int i;

	if (!skb || !aes_len_ok(len))
		return -1;
	if (len < 3 * AES_BLOCK)
		return 1;
	sc = aes_begin(&cbc, &ecb);
	if (!sc || bpf_skb_load_bytes(skb, off, sc->prev, AES_BLOCK) ||
	    bpf_skb_load_bytes(skb, off + AES_BLOCK, sc->peek, AES_BLOCK) ||
	    aes_ecb_block(ecb, sc->peek, true))
		return -1;
	for (i = 0; i < AES_BLOCK; i++)
		sc->peek[i] ^= sc->prev[i];
	return 0;
}

/* lib/aes_api.h's three, over the functions above. */
static __always_inline int aes_seal(struct __sk_buff *skb, __u32 off, __u32 len)
{
	return n2nk_aes_cts_encrypt(skb, off, len);
}

static __always_inline int aes_open(struct __sk_buff *skb, __u32 off, __u32 len)
{
	return n2nk_aes_cts_decrypt(skb, off, len);
}

static __always_inline int aes_source_is(struct __sk_buff *skb, __u32 off,
					 __u32 len, const __u8 *mac)
{
	struct aes_scratch *sc;
	int ret = n2nk_aes_cts_peek(skb, off, len);

	if (ret)
		return -1;
	sc = aes_scratch_get();
	if (!sc)
		return -1;
	return !__builtin_memcmp(sc->peek + 6, mac, 6);
}

#endif /* N2NK_BPF_AES_H */
