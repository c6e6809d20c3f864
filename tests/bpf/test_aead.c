// SPDX-License-Identifier: GPL-2.0-only
/*
 * -A6's ChaCha20-Poly1305 in BPF (bpf/lib/aead.h, through
 * tests/bpf/aead_harness.bpf.c) against RFC 8439 (2.8.2 and A.5) and
 * libsodium's crypto_aead_chacha20poly1305_ietf_*: sealed frames of
 * random lengths are byte for byte libsodium's and open again, libsodium's
 * open in BPF, and a flipped bit in the ciphertext, the tag or the AD is
 * refused with the frame left as it was. aead_cost() is what
 * `bpf-tests aead-bench` (make bench) prints.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sodium.h>

#include "skel/aead_harness.skel.h"
#include "suites.h"
#include "test_aead.h"

#define HDR	      14
#define TAG	      16
#define AEAD_DATA_MAX 2048
#define AEAD_FRAME    (HDR + AEAD_DATA_MAX + TAG)

/* As aead_harness.bpf.c's. */
struct aead_params {
	uint8_t key[32];
	uint8_t nonce[12];
	uint32_t ad_len;
	uint8_t ad[64];
	uint32_t shift;
	uint32_t bench;
};

struct aead_run {
	uint8_t out[AEAD_FRAME + 64];
	uint32_t len, retval, duration;
};

static int unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned int b;

	while (hex[0] && hex[1]) {
		if (n >= cap || sscanf(hex, "%2x", &b) != 1)
			return -1;
		out[n++] = (uint8_t)b;
		hex += 2;
	}
	return (int)n;
}

static int set_params(struct aead_harness *skel, const struct aead_params *p)
{
	uint32_t zero = 0;

	return bpf_map__update_elem(skel->maps.aead_params, &zero, sizeof(zero),
				    p, sizeof(*p), BPF_ANY);
}

/* data (len bytes, plus the tag room) after a 14-byte stand-in header. */
static int run(const struct bpf_program *prog, const uint8_t *data, size_t len,
	       int repeat, struct aead_run *r)
{
	static uint8_t in[AEAD_FRAME];
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in,
		    .data_size_in = (uint32_t)(HDR + len + TAG),
		    .data_out = r->out, .data_size_out = sizeof(r->out),
		    .repeat = repeat);

	if (len > AEAD_DATA_MAX)
		return -E2BIG;
	memset(in, 0xee, HDR);
	memcpy(in + HDR, data, len + TAG);
	if (bpf_prog_test_run_opts(bpf_program__fd(prog), &opts))
		return -errno;
	r->len = opts.data_size_out;
	r->retval = opts.retval;
	r->duration = opts.duration;
	return 0;
}

/* Seals pt in BPF: the ciphertext and tag must be want (len + 16 bytes);
 * then opens them in BPF back to pt. */
static int seal_open(struct aead_harness *skel, const struct aead_params *p,
		     const uint8_t *pt, size_t len, const uint8_t *want,
		     const char *what)
{
	static uint8_t buf[AEAD_DATA_MAX + TAG];
	static struct aead_run r;

	if (set_params(skel, p))
		return -1;
	memcpy(buf, pt, len);
	memset(buf + len, 0, TAG);
	if (run(skel->progs.aead_seal, buf, len, 1, &r) ||
	    r.retval != TC_ACT_OK || r.len != HDR + len + TAG ||
	    memcmp(r.out + HDR, want, len + TAG)) {
		fprintf(stderr, "  %s, %zu bytes: sealed differently\n", what,
			len);
		return -1;
	}
	if (run(skel->progs.aead_open, want, len, 1, &r) ||
	    r.retval != TC_ACT_OK || memcmp(r.out + HDR, pt, len)) {
		fprintf(stderr, "  %s, %zu bytes: does not open\n", what, len);
		return -1;
	}
	return 0;
}

static int rfc_vector(struct aead_harness *skel, const char *key,
		      const char *nonce, const char *ad, const char *pt_hex,
		      const char *ct_tag, const char *what)
{
	static uint8_t pt[512], want[512 + TAG];
	struct aead_params p = { 0 };
	int n, m, a;

	if (unhex(key, p.key, sizeof(p.key)) != 32 ||
	    unhex(nonce, p.nonce, sizeof(p.nonce)) != 12)
		return -1;
	a = unhex(ad, p.ad, sizeof(p.ad));
	n = unhex(pt_hex, pt, sizeof(pt));
	m = unhex(ct_tag, want, sizeof(want));
	if (a < 0 || n < 0 || m != n + TAG)
		return -1;
	p.ad_len = (uint32_t)a;
	return seal_open(skel, &p, pt, (size_t)n, want, what);
}

static int rfc_2_8_2(struct aead_harness *skel)
{
	return rfc_vector(skel,
			  "808182838485868788898a8b8c8d8e8f90919293949596979899"
			  "9a9b9c9d9e9f",
			  "070000004041424344454647",
			  "50515253c0c1c2c3c4c5c6c7",
			  "4c616469657320616e642047656e746c656d656e206f66207468"
			  "6520636c6173"
			  "73206f66202739393a204966204920636f756c64206f66666572"
			  "20796f75206f"
			  "6e6c79206f6e652074697020666f722074686520667574757265"
			  "2c2073756e73"
			  "637265656e20776f756c642062652069742e",
			  "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2"
			  "b5a736ee62d6"
			  "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6"
			  "a5b67ecd3b36"
			  "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585"
			  "808b4831d7bc"
			  "3ff4def08e4b7a9de576d26586cec64b6116"
			  "1ae10b594f09e26a7e902ecbd0600691",
			  "RFC 8439 2.8.2");
}

/* Its nonce, 00000000 || 0102030405060708, is -A6's layout. */
static int rfc_a_5(struct aead_harness *skel)
{
	return rfc_vector(skel,
			  "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca"
			  "5cbc207075c0",
			  "000000000102030405060708",
			  "f33388860000000000004e91",
			  "496e7465726e65742d4472616674732061726520647261667420"
			  "646f63756d65"
			  "6e74732076616c696420666f722061206d6178696d756d206f66"
			  "20736978206d"
			  "6f6e74687320616e64206d617920626520757064617465642c20"
			  "7265706c6163"
			  "65642c206f72206f62736f6c65746564206279206f7468657220"
			  "646f63756d65"
			  "6e747320617420616e792074696d652e20497420697320696e61"
			  "7070726f7072"
			  "6961746520746f2075736520496e7465726e65742d4472616674"
			  "732061732072"
			  "65666572656e6365206d6174657269616c206f7220746f206369"
			  "746520746865"
			  "6d206f74686572207468616e206173202fe2809c776f726b2069"
			  "6e2070726f67"
			  "726573732e2fe2809d",
			  "64a0861575861af460f062c79be643bd5e805cfd345cf389f108"
			  "670ac76c8cb2"
			  "4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f0"
			  "3b7f355894cf"
			  "332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f9"
			  "82b1ff37c855"
			  "9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6"
			  "157b53c867e4"
			  "b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282"
			  "a1b0a06c523e"
			  "af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b42"
			  "2273f548271a"
			  "0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6"
			  "727627097a10"
			  "49e617d91d361094fa68f0ff77987130305beaba2eda04df997b"
			  "714d6c6f2c29"
			  "a6ad5cb4022b02709b"
			  "eead9d67890cbb22392336fea1851f38",
			  "RFC 8439 A.5");
}

static void random_params(struct aead_params *p, uint32_t ad_len)
{
	memset(p, 0, sizeof(*p));
	randombytes_buf(p->key, sizeof(p->key));
	memset(p->nonce, 0, 4); /* -A6's: 00000000 || LE64(counter) */
	randombytes_buf(p->nonce + 4, 8);
	p->ad_len = ad_len;
	randombytes_buf(p->ad, ad_len);
}

static size_t sodium_seal(const struct aead_params *p, const uint8_t *pt,
			  size_t len, uint8_t *out)
{
	unsigned long long n = 0;

	crypto_aead_chacha20poly1305_ietf_encrypt(
		out, &n, pt, len, p->ad, p->ad_len, NULL, p->nonce, p->key);
	return (size_t)n;
}

/* 200 random lengths 0..1500 (and the edges), random keys, nonces and AD
 * (50 bytes, -A6's, or any length up to 64). */
static int random_vs_sodium(struct aead_harness *skel)
{
	static const size_t edges[] = { 0,    1,    15,	  16,	17,   63,
					64,   65,   127,  128,	129,  1400,
					1500, 1514, 1536, 2000, 2032, 2048 };
	static uint8_t pt[AEAD_DATA_MAX], want[AEAD_DATA_MAX + TAG];
	struct aead_params p;
	size_t i, len, n = sizeof(edges) / sizeof(edges[0]);
	int bad = 0;

	for (i = 0; i < 200 + n; i++) {
		len = i < n ? edges[i] : randombytes_uniform(1501);
		random_params(&p, i % 3 ? 50 : randombytes_uniform(65));
		randombytes_buf(pt, len);
		if (sodium_seal(&p, pt, len, want) != len + TAG)
			return -1;
		bad |= seal_open(skel, &p, pt, len, want, "random");
	}
	return bad;
}

/* libsodium's frame, one bit flipped at byte at (ciphertext or tag) or
 * in the AD: refused, the frame as it came. */
static int flipped(struct aead_harness *skel, size_t len, long at, int ad_at)
{
	static uint8_t pt[AEAD_DATA_MAX], ct[AEAD_DATA_MAX + TAG];
	static struct aead_run r;
	struct aead_params p;

	random_params(&p, 50);
	randombytes_buf(pt, len);
	sodium_seal(&p, pt, len, ct);
	if (at >= 0)
		ct[at] ^= 0x10;
	if (ad_at >= 0)
		p.ad[ad_at] ^= 0x01;
	if (set_params(skel, &p) || run(skel->progs.aead_open, ct, len, 1, &r))
		return -1;
	if (r.retval != TC_ACT_SHOT || memcmp(r.out + HDR, ct, len + TAG)) {
		fprintf(stderr, "  flipped bit (len %zu, at %ld, ad %d): %s\n",
			len, at, ad_at,
			r.retval == TC_ACT_SHOT ? "frame changed" : "accepted");
		return -1;
	}
	return 0;
}

static int tampered(struct aead_harness *skel)
{
	int bad = 0;

	bad |= flipped(skel, 1400, 0, -1);    /* ciphertext, first byte */
	bad |= flipped(skel, 1400, 1399, -1); /* ciphertext, last byte */
	bad |= flipped(skel, 1400, 700, -1);
	bad |= flipped(skel, 1400, 1400, -1); /* tag, first byte */
	bad |= flipped(skel, 1400, 1415, -1); /* tag, last byte */
	bad |= flipped(skel, 0, 5, -1);	      /* a keepalive's tag */
	bad |= flipped(skel, 1400, -1, 0);    /* AD */
	bad |= flipped(skel, 64, -1, 49);
	return bad;
}

/* Opening with the plaintext moved 16 bytes on (over the tag), as the
 * edge's RX does. */
static int shifted(struct aead_harness *skel)
{
	static const size_t lens[] = {
		14, 60, 63, 64, 65, 127, 128, 1400, 1514
	};
	static uint8_t pt[AEAD_DATA_MAX], ct[AEAD_DATA_MAX + TAG];
	static struct aead_run r;
	struct aead_params p;
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		random_params(&p, 50);
		p.shift = TAG;
		randombytes_buf(pt, lens[i]);
		sodium_seal(&p, pt, lens[i], ct);
		if (set_params(skel, &p) ||
		    run(skel->progs.aead_open, ct, lens[i], 1, &r) ||
		    r.retval != TC_ACT_OK ||
		    memcmp(r.out + HDR + TAG, pt, lens[i])) {
			fprintf(stderr, "  shifted open of %zu bytes differs\n",
				lens[i]);
			bad = -1;
		}
	}
	return bad;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#define COST_ROUNDS 5

/* ns per seal and open of len bytes: BPF (PROG_TEST_RUN's own per-run
 * time, repeat times) and libsodium, median of COST_ROUNDS interleaved
 * rounds. 0 or -1. */
int aead_cost(struct aead_harness *skel, size_t len, int repeat,
	      struct aead_cost *c)
{
	static uint8_t pt[AEAD_DATA_MAX], ct[AEAD_DATA_MAX + TAG];
	static struct aead_run r;
	uint64_t bs[COST_ROUNDS], bo[COST_ROUNDS], ss[COST_ROUNDS],
		so[COST_ROUNDS], t;
	unsigned long long n;
	struct aead_params p;
	int k, i;

	random_params(&p, 50);
	randombytes_buf(pt, len);
	sodium_seal(&p, pt, len, ct);
	p.bench = 1;
	if (set_params(skel, &p))
		return -1;
	for (k = 0; k < COST_ROUNDS; k++) {
		memcpy(pt + len, ct + len, TAG); /* seal's tag room */
		if (run(skel->progs.aead_seal, pt, len, repeat, &r))
			return -1;
		bs[k] = r.duration;
		if (run(skel->progs.aead_open, ct, len, repeat, &r) ||
		    r.retval != TC_ACT_OK)
			return -1;
		bo[k] = r.duration;
		t = now_ns();
		for (i = 0; i < repeat; i++)
			crypto_aead_chacha20poly1305_ietf_encrypt(
				ct, &n, pt, len, p.ad, p.ad_len, NULL, p.nonce,
				p.key);
		ss[k] = (now_ns() - t) / (uint64_t)repeat;
		t = now_ns();
		for (i = 0; i < repeat; i++)
			if (crypto_aead_chacha20poly1305_ietf_decrypt(
				    pt, &n, NULL, ct, len + TAG, p.ad, p.ad_len,
				    p.nonce, p.key))
				return -1;
		so[k] = (now_ns() - t) / (uint64_t)repeat;
	}
	qsort(bs, COST_ROUNDS, sizeof(bs[0]), cmp_u64);
	qsort(bo, COST_ROUNDS, sizeof(bo[0]), cmp_u64);
	qsort(ss, COST_ROUNDS, sizeof(ss[0]), cmp_u64);
	qsort(so, COST_ROUNDS, sizeof(so[0]), cmp_u64);
	c->bpf_seal = bs[COST_ROUNDS / 2];
	c->bpf_open = bo[COST_ROUNDS / 2];
	c->sodium_seal = ss[COST_ROUNDS / 2];
	c->sodium_open = so[COST_ROUNDS / 2];
	return 0;
}

/* The CPU's model, from /proc/cpuinfo, into buf. */
static void cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256], *colon;

	snprintf(buf, len, "unknown CPU");
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "model name", 10) ||
		    !(colon = strchr(line, ':')))
			continue;
		snprintf(buf, len, "%s", colon + 2);
		buf[strcspn(buf, "\n")] = 0;
		break;
	}
	if (f)
		fclose(f);
}

int aead_bench(void)
{
	static const size_t lens[] = { 64, 1400 };
	static const int repeats[] = { 20000, 5000 };
	struct aead_harness *skel;
	struct aead_cost c;
	char cpu[128];
	cpu_set_t one;
	size_t i;
	int me = sched_getcpu();

	/* One core for both: PROG_TEST_RUN runs where its caller runs. */
	CPU_ZERO(&one);
	CPU_SET(me < 0 ? 0 : me, &one);
	if (sodium_init() < 0 || sched_setaffinity(0, sizeof(one), &one))
		return 1;
	skel = aead_harness__open_and_load();
	if (!skel)
		return 1;
	cpu_model(cpu, sizeof(cpu));
	printf("-A6 AEAD (ChaCha20-Poly1305) per frame, CPU %d (%s), "
	       "median of %d rounds\n",
	       me, cpu, COST_ROUNDS);
	printf("%-6s %9s %9s %9s %9s %9s %9s\n", "bytes", "bpf seal", "open",
	       "Gbit/s", "sodium", "open", "Gbit/s");
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		if (aead_cost(skel, lens[i], repeats[i], &c)) {
			printf("%-6zu failed\n", lens[i]);
			continue;
		}
		/* The ceiling one core's AEAD allows: frame bits over the
		 * slower of seal and open. */
		printf("%-6zu %6llu ns %6llu ns %9.2f %6llu ns %6llu ns "
		       "%9.2f\n",
		       lens[i], (unsigned long long)c.bpf_seal,
		       (unsigned long long)c.bpf_open,
		       8.0 * (double)lens[i] /
			       (double)(c.bpf_seal > c.bpf_open ? c.bpf_seal
								: c.bpf_open),
		       (unsigned long long)c.sodium_seal,
		       (unsigned long long)c.sodium_open,
		       8.0 * (double)lens[i] /
			       (double)(c.sodium_seal > c.sodium_open
						? c.sodium_seal
						: c.sodium_open));
	}
	aead_harness__destroy(skel);
	return 0;
}

void suite_aead(struct suite_tally *t)
{
	struct aead_harness *skel;
	struct aead_cost c;

	if (sodium_init() < 0) {
		suite_record(t, "aead: libsodium", -1);
		return;
	}
	skel = aead_harness__open_and_load();
	if (!skel) {
		suite_record(t, "aead: load the harness", -1);
		return;
	}
	suite_record(t, "aead: RFC 8439 2.8.2 seals and opens",
		     rfc_2_8_2(skel));
	suite_record(t, "aead: RFC 8439 A.5 (-A6's nonce layout)",
		     rfc_a_5(skel));
	suite_record(t, "aead: 218 random frames 0..2048 B equal libsodium's",
		     random_vs_sodium(skel));
	suite_record(t, "aead: a flipped bit (ciphertext, tag, AD) is refused",
		     tampered(skel));
	suite_record(t, "aead: opened 16 bytes on equals libsodium's",
		     shifted(skel));
	if (!aead_cost(skel, 1400, 2000, &c))
		printf("     cost: -A6 AEAD 1400 B seal %llu ns, open %llu ns "
		       "(libsodium %llu / %llu)\n",
		       (unsigned long long)c.bpf_seal,
		       (unsigned long long)c.bpf_open,
		       (unsigned long long)c.sodium_seal,
		       (unsigned long long)c.sodium_open);
	aead_harness__destroy(skel);
}
