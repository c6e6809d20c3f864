// SPDX-License-Identifier: GPL-2.0-only
/*
 * -A2 Twofish-256 (libgcrypt) and -A3 AES-128/192/256 (OpenSSL) in n2n's
 * CBC with ciphertext stealing: 16 random bytes || frame, zero padded, CBC
 * with a zero IV, last two blocks swapped and the output cut to 16 + len.
 */
#include <stdlib.h>
#include <string.h>

#include <gcrypt.h>
#include <openssl/evp.h>

#include "common/compiler.h"
#include "transform.h"

#define CTS_BLOCK    16
#define CTS_BUF_SIZE (CTS_BLOCK + N2N_PKT_BUF_SIZE + CTS_BLOCK)

struct cts_ctx;

/* A block cipher as CTS needs it: zero-IV CBC in place, one ECB decrypt. */
struct cts_cipher {
	int (*cbc_encrypt)(struct cts_ctx *c, uint8_t *buf, size_t len);
	int (*cbc_decrypt)(struct cts_ctx *c, uint8_t *buf, size_t len);
	int (*ecb_decrypt)(struct cts_ctx *c, uint8_t *out, const uint8_t *in);
};

struct cts_ctx {
	const struct cts_cipher *cipher;
	EVP_CIPHER_CTX *aes_enc, *aes_dec, *aes_ecb;
	gcry_cipher_hd_t tf_cbc, tf_ecb;
};

static const uint8_t zero_iv[CTS_BLOCK];

static void cts_free(struct cts_ctx *c)
{
	if (!c)
		return;
	EVP_CIPHER_CTX_free(c->aes_enc); /* these wipe key schedules */
	EVP_CIPHER_CTX_free(c->aes_dec);
	EVP_CIPHER_CTX_free(c->aes_ecb);
	if (c->tf_cbc)
		gcry_cipher_close(c->tf_cbc);
	if (c->tf_ecb)
		gcry_cipher_close(c->tf_ecb);
	free(c);
}

static void cts_fini(struct transform *t)
{
	cts_free(t->priv);
}

/* AES via EVP. Re-arming a context with only an IV keeps its key schedule. */
static int aes_cbc(EVP_CIPHER_CTX *ctx, uint8_t *buf, size_t len)
{
	int n;

	if (EVP_CipherInit_ex(ctx, NULL, NULL, NULL, zero_iv, -1) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1 ||
	    EVP_CipherUpdate(ctx, buf, &n, buf, (int)len) != 1 ||
	    (size_t)n != len)
		return TRANSFORM_ERR_CRYPTO;
	return 0;
}

static int aes_cbc_encrypt(struct cts_ctx *c, uint8_t *buf, size_t len)
{
	return aes_cbc(c->aes_enc, buf, len);
}

static int aes_cbc_decrypt(struct cts_ctx *c, uint8_t *buf, size_t len)
{
	return aes_cbc(c->aes_dec, buf, len);
}

static int aes_ecb_decrypt(struct cts_ctx *c, uint8_t *out, const uint8_t *in)
{
	int n;

	if (EVP_DecryptUpdate(c->aes_ecb, out, &n, in, CTS_BLOCK) != 1 ||
	    n != CTS_BLOCK)
		return TRANSFORM_ERR_CRYPTO;
	return 0;
}

static const struct cts_cipher cts_aes = {
	.cbc_encrypt = aes_cbc_encrypt,
	.cbc_decrypt = aes_cbc_decrypt,
	.ecb_decrypt = aes_ecb_decrypt,
};

static EVP_CIPHER_CTX *aes_ctx_new(const EVP_CIPHER *cipher, const uint8_t *key,
				   int enc)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (ctx &&
	    EVP_CipherInit_ex(ctx, cipher, NULL, key, zero_iv, enc) == 1 &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0) == 1)
		return ctx;
	EVP_CIPHER_CTX_free(ctx);
	return NULL;
}

/* n2n picks the AES key size from the length of the -k string. */
static size_t aes_key_size(size_t key_string_len)
{
	if (key_string_len <= 22)
		return 16;
	return key_string_len <= 32 ? 24 : 32;
}

static int aes_init(struct transform *t, const uint8_t *key, size_t key_len)
{
	static const EVP_CIPHER *(*const cbc[])(void) = {
		EVP_aes_128_cbc,
		EVP_aes_192_cbc,
		EVP_aes_256_cbc,
	};
	static const EVP_CIPHER *(*const ecb[])(void) = {
		EVP_aes_128_ecb,
		EVP_aes_192_ecb,
		EVP_aes_256_ecb,
	};
	struct cts_ctx *c;
	size_t i;

	if (key_len != 16 && key_len != 24 && key_len != 32)
		return TRANSFORM_ERR_KEY_SIZE;
	i = key_len / 8 - 2; /* 16, 24, 32 -> 0, 1, 2 */
	c = calloc(1, sizeof(*c));
	if (!c)
		return TRANSFORM_ERR_NOMEM;
	c->cipher = &cts_aes;
	c->aes_enc = aes_ctx_new(cbc[i](), key, 1);
	c->aes_dec = aes_ctx_new(cbc[i](), key, 0);
	c->aes_ecb = aes_ctx_new(ecb[i](), key, 0);
	if (!c->aes_enc || !c->aes_dec || !c->aes_ecb) {
		cts_free(c);
		return TRANSFORM_ERR_CRYPTO;
	}
	t->priv = c;
	return 0;
}

/* Twofish via libgcrypt, which wants one initialisation per process. */
static int gcry_ready(void)
{
	if (gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P))
		return 1;
	if (!gcry_check_version(GCRYPT_VERSION))
		return 0;
	/* Cipher handles here use ordinary memory, as OpenSSL's do. */
	gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	return 1;
}

static int tf_cbc_encrypt(struct cts_ctx *c, uint8_t *buf, size_t len)
{
	if (gcry_cipher_setiv(c->tf_cbc, zero_iv, CTS_BLOCK) ||
	    gcry_cipher_encrypt(c->tf_cbc, buf, len, NULL, 0))
		return TRANSFORM_ERR_CRYPTO;
	return 0;
}

static int tf_cbc_decrypt(struct cts_ctx *c, uint8_t *buf, size_t len)
{
	if (gcry_cipher_setiv(c->tf_cbc, zero_iv, CTS_BLOCK) ||
	    gcry_cipher_decrypt(c->tf_cbc, buf, len, NULL, 0))
		return TRANSFORM_ERR_CRYPTO;
	return 0;
}

static int tf_ecb_decrypt(struct cts_ctx *c, uint8_t *out, const uint8_t *in)
{
	if (gcry_cipher_decrypt(c->tf_ecb, out, CTS_BLOCK, in, CTS_BLOCK))
		return TRANSFORM_ERR_CRYPTO;
	return 0;
}

static const struct cts_cipher cts_twofish = {
	.cbc_encrypt = tf_cbc_encrypt,
	.cbc_decrypt = tf_cbc_decrypt,
	.ecb_decrypt = tf_ecb_decrypt,
};

static gcry_cipher_hd_t tf_open(int mode, const uint8_t *key)
{
	gcry_cipher_hd_t h;

	if (gcry_cipher_open(&h, GCRY_CIPHER_TWOFISH, mode, 0))
		return NULL;
	if (gcry_cipher_setkey(h, key, 32)) {
		gcry_cipher_close(h);
		return NULL;
	}
	return h;
}

static size_t tf_key_size(size_t key_string_len __maybe_unused)
{
	return 32;
}

static int tf_init(struct transform *t, const uint8_t *key, size_t key_len)
{
	struct cts_ctx *c;

	if (key_len != 32)
		return TRANSFORM_ERR_KEY_SIZE;
	if (!gcry_ready())
		return TRANSFORM_ERR_CRYPTO;
	c = calloc(1, sizeof(*c));
	if (!c)
		return TRANSFORM_ERR_NOMEM;
	c->cipher = &cts_twofish;
	c->tf_cbc = tf_open(GCRY_CIPHER_MODE_CBC, key);
	c->tf_ecb = tf_open(GCRY_CIPHER_MODE_ECB, key);
	if (!c->tf_cbc || !c->tf_ecb) {
		cts_free(c);
		return TRANSFORM_ERR_CRYPTO;
	}
	t->priv = c;
	return 0;
}

static void swap_blocks(uint8_t *a, uint8_t *b)
{
	uint8_t tmp[CTS_BLOCK];

	memcpy(tmp, a, CTS_BLOCK);
	memcpy(a, b, CTS_BLOCK);
	memcpy(b, tmp, CTS_BLOCK);
}

static ssize_t cts_encode(const struct transform *t, uint8_t *out,
			  const uint8_t *in, size_t len,
			  const uint8_t iv[TRANSFORM_IV_SIZE])
{
	struct cts_ctx *c = t->priv;
	uint8_t buf[CTS_BUF_SIZE];
	size_t n = CTS_BLOCK + len;
	size_t padded = (n + CTS_BLOCK - 1) / CTS_BLOCK * CTS_BLOCK;

	memcpy(buf, iv, CTS_BLOCK);
	if (len)
		memcpy(buf + CTS_BLOCK, in, len);
	memset(buf + n, 0, padded - n);
	if (c->cipher->cbc_encrypt(c, buf, padded))
		return TRANSFORM_ERR_CRYPTO;
	/* Stealing: the full last block goes first, the cut one last. */
	if (padded != n)
		swap_blocks(buf + padded - 2 * CTS_BLOCK,
			    buf + padded - CTS_BLOCK);
	memcpy(out, buf, n);
	return (ssize_t)n;
}

/*
 * Undoes the stealing: the last full block b decrypts to D, whose tail is
 * the stolen part of the previous ciphertext block; the r trailing bytes
 * are its head. Rebuild [..., D, b] for a plain CBC decryption.
 */
static int cts_unsteal(struct cts_ctx *c, uint8_t *buf, const uint8_t *in,
		       size_t len)
{
	size_t r = len % CTS_BLOCK;
	size_t pen = (len / CTS_BLOCK - 1) * CTS_BLOCK;
	uint8_t d[CTS_BLOCK];

	memcpy(buf, in, pen);
	if (c->cipher->ecb_decrypt(c, d, in + pen))
		return TRANSFORM_ERR_CRYPTO;
	memcpy(d, in + len - r, r);
	memcpy(buf + pen, d, CTS_BLOCK);
	memcpy(buf + pen + CTS_BLOCK, in + pen, CTS_BLOCK);
	return 0;
}

static int all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	while (n--)
		acc |= *p++;
	return !acc;
}

static ssize_t cts_decode(const struct transform *t, uint8_t *out,
			  const uint8_t *in, size_t len,
			  uint8_t iv_out[TRANSFORM_IV_SIZE])
{
	struct cts_ctx *c = t->priv;
	uint8_t buf[CTS_BUF_SIZE];
	size_t r = len % CTS_BLOCK;
	size_t padded = r ? len + CTS_BLOCK - r : len;

	if (r) {
		if (cts_unsteal(c, buf, in, len))
			return TRANSFORM_ERR_CRYPTO;
	} else {
		memcpy(buf, in, len);
	}
	if (c->cipher->cbc_decrypt(c, buf, padded))
		return TRANSFORM_ERR_CRYPTO;
	/* n2n drops the packet unless the stolen padding decrypts to zero. */
	if (!all_zero(buf + len, padded - len))
		return TRANSFORM_ERR_BAD_PADDING;
	if (iv_out)
		memcpy(iv_out, buf, CTS_BLOCK);
	if (len > CTS_BLOCK)
		memcpy(out, buf + CTS_BLOCK, len - CTS_BLOCK);
	return (ssize_t)(len - CTS_BLOCK);
}

const struct transform_ops transform_twofish_ops = {
	.id = N2N_TRANSFORM_TWOFISH,
	.name = "twofish",
	.overhead = CTS_BLOCK,
	.key_size = tf_key_size,
	.init = tf_init,
	.encode = cts_encode,
	.decode = cts_decode,
	.fini = cts_fini,
};

const struct transform_ops transform_aes_ops = {
	.id = N2N_TRANSFORM_AES,
	.name = "aes",
	.overhead = CTS_BLOCK,
	.key_size = aes_key_size,
	.init = aes_init,
	.encode = cts_encode,
	.decode = cts_decode,
	.fini = cts_fini,
};
