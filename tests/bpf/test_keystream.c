// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BPF keystream transforms against the userspace ones: for frames of
 * every interesting length and random IVs, tests/bpf/ks_harness.bpf.c's
 * output must equal transform_encode()'s ciphertext byte for byte, for
 * ChaCha20 (-A4, including the 32-bit counter wrap) and Speck (-A5). Also
 * prints what one 1400-byte frame costs each.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_ether.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "n2nk_edge.h"
#include "proto/speck.h"
#include "proto/transform.h"
#include "skel/ks_harness.skel.h"
#include "suites.h"

#define KS_KEY_STRING "s3cret"
#define KS_FRAME_MAX  (N2N_PKT_BUF_SIZE + ETH_HLEN)

struct ks_run {
	uint8_t out[KS_FRAME_MAX + 64];
	uint32_t len, retval, duration;
};

static int set_conf(struct ks_harness *skel, enum n2n_transform_id id)
{
	uint8_t key[TRANSFORM_KEY_MAX];
	struct n2nk_edge_conf conf = { 0 };
	struct speck_key sk;
	uint32_t zero = 0;
	int n = transform_derive_key(id, KS_KEY_STRING, key);

	if (n != N2NK_EDGE_KEY_SIZE)
		return -EINVAL;
	conf.transform = (uint8_t)id;
	memcpy(conf.key, key, sizeof(conf.key));
	if (speck_setkey(&sk, key, (size_t)n))
		return -EINVAL;
	memcpy(conf.speck.rk, sk.rk, sizeof(conf.speck.rk));
	return bpf_map__update_elem(skel->maps.edge_conf, &zero, sizeof(zero),
				    &conf, sizeof(conf), BPF_ANY);
}

static int run(struct ks_harness *skel, const uint8_t *iv, const uint8_t *in,
	       size_t len, int repeat, struct ks_run *r)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in,
		    .data_size_in = (uint32_t)len, .data_out = r->out,
		    .data_size_out = sizeof(r->out), .repeat = repeat);
	uint32_t zero = 0;
	int err;

	err = bpf_map__update_elem(skel->maps.harness_iv, &zero, sizeof(zero),
				   iv, 16, BPF_ANY);
	if (!err)
		err = bpf_prog_test_run_opts(
			bpf_program__fd(skel->progs.ks_harness), &opts);
	r->len = opts.data_size_out;
	r->retval = opts.retval;
	r->duration = opts.duration;
	return err;
}

/* One frame of frame_len bytes after a 14-byte stand-in header. */
static int check_one(struct ks_harness *skel, const struct transform *tf,
		     size_t frame_len, const uint8_t *iv, const char *what)
{
	static uint8_t in[KS_FRAME_MAX], want[KS_FRAME_MAX + 16];
	static struct ks_run r; /* 2 KiB: off the stack */
	ssize_t n;
	size_t i;

	for (i = 0; i < ETH_HLEN + frame_len; i++)
		in[i] = (uint8_t)(i * 7 + frame_len);
	n = transform_encode(tf, want, sizeof(want), in + ETH_HLEN, frame_len,
			     iv);
	if (n != (ssize_t)frame_len + 16 ||
	    run(skel, iv, in, ETH_HLEN + frame_len, 1, &r)) {
		fprintf(stderr, "  %s %zu: cannot run\n", what, frame_len);
		return -1;
	}
	if (r.retval != 0 /* TC_ACT_OK */ || r.len != ETH_HLEN + frame_len ||
	    memcmp(r.out, in, ETH_HLEN) ||
	    memcmp(r.out + ETH_HLEN, want + 16, frame_len)) {
		fprintf(stderr, "  %s %zu bytes: BPF output differs\n", what,
			frame_len);
		return -1;
	}
	return 0;
}

static int check_transform(struct ks_harness *skel, enum n2n_transform_id id,
			   const char *what)
{
	static const size_t lens[] = { 0,    1,	   7,	 8,    15,   16,  17,
				       63,   64,   65,	 127,  128,  129, 1000,
				       1400, 1514, 1536, 2000, 2047, 2048 };
	uint8_t iv[16];
	struct transform tf;
	size_t i, k;
	int bad = 0;

	if (set_conf(skel, id) || transform_init(&tf, id, KS_KEY_STRING))
		return -1;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		for (k = 0; k < 16; k++)
			iv[k] = (uint8_t)rand();
		bad |= check_one(skel, &tf, lens[i], iv, what);
	}
	/* ChaCha20's block counter wraps inside the frame: 0xfffffffe. */
	memset(iv, 0xfe, 4);
	iv[0] = 0xfe, iv[1] = iv[2] = iv[3] = 0xff;
	bad |= check_one(skel, &tf, 1400, iv, what);
	/* Speck's 64-bit n0 wraps too (no carry into n1). */
	memset(iv, 0xff, 8);
	bad |= check_one(skel, &tf, 1400, iv, what);
	transform_fini(&tf);
	return bad;
}

/* ns per 1400-byte frame, over 10000 runs. */
static void print_cost(struct ks_harness *skel, enum n2n_transform_id id,
		       const char *what)
{
	static uint8_t in[ETH_HLEN + 1400];
	static struct ks_run r;
	uint8_t iv[16] = { 1 };

	if (set_conf(skel, id) || run(skel, iv, in, sizeof(in), 10000, &r))
		return;
	printf("     cost: %s %u ns per 1400-byte frame (PROG_TEST_RUN, "
	       "repeat 10000)\n",
	       what, r.duration);
}

void suite_keystream(struct suite_tally *t)
{
	struct ks_harness *skel = ks_harness__open_and_load();

	if (!skel) {
		suite_record(t, "keystream: load the harness", -1);
		return;
	}
	srand(1);
	suite_record(t, "keystream: ChaCha20 (-A4) equals userspace",
		     check_transform(skel, N2N_TRANSFORM_CHACHA20, "chacha20"));
	suite_record(t, "keystream: Speck (-A5) equals userspace",
		     check_transform(skel, N2N_TRANSFORM_SPECK, "speck"));
	print_cost(skel, N2N_TRANSFORM_CHACHA20, "chacha20");
	print_cost(skel, N2N_TRANSFORM_SPECK, "speck");
	ks_harness__destroy(skel);
}
