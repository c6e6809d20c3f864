// SPDX-License-Identifier: GPL-2.0-only
/*
 * -A3 in BPF (bpf/lib/aes_cts.h, the kernel's AES through the crypto
 * kfuncs, n2n's ciphertext stealing in BPF) against:
 *
 *   n2n 3.1.1's own outputs (crypto-vectors.txt: aes_N for 1 to 100
 *   bytes, aeskeyK_33 for AES-128, -192 and -256), decrypted;
 *   the PACKETs of the -A3 captures, decrypted as the daemon does;
 *   the userspace transform (OpenSSL) on random frames of every length
 *   mod 16 and each key size, both ways, with the same random block.
 *
 * Skipped where the kernel has no crypto kfuncs (before 6.10). Also
 * prints what a 1400-byte frame costs each way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_ether.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "common/pcap_read.h"
#include "kernel/edge_aes.h"
#include "n2nk_edge.h"
#include "proto/transform.h"
#include "proto/wire.h"
#include "skel/aes_harness.skel.h"
#include "suites.h"

#define VECTORS_DIR   "../shared/vectors/n2n-3.1.1"
#define VEC_KEY	      "SoMEVer!S$cUREPassWORD"
#define CAPTURE_KEY   "n2n-test-key"
#define AES_FRAME_MAX (ETH_HLEN + 16 + N2N_PKT_BUF_SIZE + 1) /* one over */

struct aes_run {
	uint8_t out[AES_FRAME_MAX + 64];
	uint32_t len, retval, duration;
};

static const char *vectors_dir(void)
{
	const char *dir = getenv("N2N_VECTORS");

	return dir ? dir : VECTORS_DIR;
}

/* The kernel's contexts for the key string's AES key. */
static int set_key(struct aes_harness *skel, const char *key_string)
{
	struct n2nk_aes_setup a = { .cbc_algo = "cbc(aes)",
				    .ecb_algo = "ecb(aes)" };
	LIBBPF_OPTS(bpf_test_run_opts, run, .ctx_in = &a,
		    .ctx_size_in = sizeof(a)); /* written back */
	int n = transform_derive_key(N2N_TRANSFORM_AES, key_string, a.key);

	if (n != 16 && n != 24 && n != 32)
		return -EINVAL;
	a.key_len = (uint32_t)n;
	if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.aes_setup),
				   &run))
		return -errno;
	return run.retval ? -EINVAL : a.err_cbc ? a.err_cbc : a.err_ecb;
}

/* buf (len bytes after a 14-byte stand-in header) through a program. */
static int run(const struct bpf_program *prog, const uint8_t *buf, size_t len,
	       int repeat, struct aes_run *r)
{
	static uint8_t in[AES_FRAME_MAX];
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in,
		    .data_size_in = (uint32_t)(ETH_HLEN + len),
		    .data_out = r->out, .data_size_out = sizeof(r->out),
		    .repeat = repeat);

	if (len > sizeof(in) - ETH_HLEN)
		return -E2BIG;
	memset(in, 0xee, ETH_HLEN);
	memcpy(in + ETH_HLEN, buf, len);
	if (bpf_prog_test_run_opts(bpf_program__fd(prog), &opts))
		return -errno;
	r->len = opts.data_size_out;
	r->retval = opts.retval;
	r->duration = opts.duration;
	return r->retval == 0 /* TC_ACT_OK */ && r->len == ETH_HLEN + len
		       ? 0
		       : -EPROTO;
}

/* BPF's decryption of n2n's output ct equals 16 bytes || plain. */
static int check_decrypts(struct aes_harness *skel, const uint8_t *ct,
			  size_t len, const uint8_t *plain, const char *what)
{
	static struct aes_run r;

	if (len < 16 + 1 || run(skel->progs.aes_decrypt, ct, len, 1, &r) ||
	    memcmp(r.out + ETH_HLEN + 16, plain, len - 16)) {
		fprintf(stderr, "  %s: BPF decryption differs\n", what);
		return -1;
	}
	return 0;
}

/* The value of "name=" in crypto-vectors.txt, decoded; -1 if absent. */
static long crypto_vector(const char *name, uint8_t *out, size_t cap)
{
	char path[512], line[4096], *v;
	size_t n = 0, nl = strlen(name);
	FILE *f;

	snprintf(path, sizeof(path), "%s/crypto-vectors.txt", vectors_dir());
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, nl) && line[nl] == '=')
			break;
	v = feof(f) ? NULL : line + nl + 1;
	fclose(f);
	while (v && n < cap && sscanf(v, "%2hhx", &out[n]) == 1)
		n++, v += 2;
	return v ? (long)n : -1;
}

/* n2n's aes_N and aeskeyK_33: the N bytes i * 7 mod 256, encrypted. */
static int check_vectors(struct aes_harness *skel)
{
	static const struct {
		const char *name, *key;
		size_t n;
	} vec[] = {
		{ "aes_1", VEC_KEY, 1 },
		{ "aes_15", VEC_KEY, 15 },
		{ "aes_16", VEC_KEY, 16 },
		{ "aes_17", VEC_KEY, 17 },
		{ "aes_33", VEC_KEY, 33 },
		{ "aes_100", VEC_KEY, 100 },
		{ "aeskey22_33", "0123456789012345678901", 33 },
		{ "aeskey23_33", "01234567890123456789012", 33 },
		{ "aeskey32_33", "01234567890123456789012345678901", 33 },
		{ "aeskey33_33", "012345678901234567890123456789012", 33 },
	};
	uint8_t ct[256], plain[128];
	size_t i, k;
	int bad = 0;
	long n;

	for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		for (k = 0; k < vec[i].n; k++)
			plain[k] = (uint8_t)(k * 7);
		n = crypto_vector(vec[i].name, ct, sizeof(ct));
		if (n != (long)vec[i].n + 16 || set_key(skel, vec[i].key)) {
			fprintf(stderr, "  %s: no vector or no key\n",
				vec[i].name);
			bad = -1;
			continue;
		}
		bad |= check_decrypts(skel, ct, (size_t)n, plain, vec[i].name);
	}
	return bad;
}

/* Each PACKET of a stock -A3 capture decrypts as the daemon decrypts it. */
static int check_capture(struct aes_harness *skel, const char *file)
{
	static uint8_t plain[N2N_PKT_BUF_SIZE];
	struct udp_datagram d;
	struct transform tf;
	struct capture_file pf;
	struct n2n_msg m;
	int n = 0, bad = 0;
	char path[512];
	ssize_t len;

	snprintf(path, sizeof(path), "%s/%s", vectors_dir(), file);
	if (capture_open(&pf, path) ||
	    transform_init(&tf, N2N_TRANSFORM_AES, CAPTURE_KEY) ||
	    set_key(skel, CAPTURE_KEY)) {
		fprintf(stderr, "  %s: cannot read it or set its key\n", file);
		return -1;
	}
	while (capture_next_udp(&pf, &d) == 1) {
		if (wire_decode(&m, d.payload, d.len) < 0 ||
		    m.hdr.type != N2N_MSG_PACKET ||
		    m.u.packet.transform != N2N_TRANSFORM_AES)
			continue;
		len = transform_decode(&tf, plain, sizeof(plain),
				       m.u.packet.payload,
				       m.u.packet.payload_len);
		if (len < 0 ||
		    check_decrypts(skel, m.u.packet.payload,
				   m.u.packet.payload_len, plain, file))
			bad = -1;
		n++;
	}
	capture_close(&pf);
	transform_fini(&tf);
	printf("     %s: %d PACKETs decrypted byte for byte\n", file, n);
	return n ? bad : -1;
}

/* 1 to 80 (every length mod 16, the stolen and the short cases), then a
 * stride up to the largest frames, which are each taken again. */
static size_t next_len(size_t len)
{
	if (len < 80 || len >= N2N_PKT_BUF_SIZE - 16)
		return len + 1;
	return len < 1400 ? len + 97 : len + 13;
}

/* Random frames of every length mod 16: the same bytes both ways. */
static int check_random(struct aes_harness *skel, const char *key_string)
{
	static uint8_t frame[N2N_PKT_BUF_SIZE], ct[N2N_PKT_BUF_SIZE + 16],
		pt[N2N_PKT_BUF_SIZE + 17];
	static struct aes_run r;
	uint8_t iv[TRANSFORM_IV_SIZE];
	struct transform tf;
	size_t len, i;
	int bad = 0;

	if (set_key(skel, key_string) ||
	    transform_init(&tf, N2N_TRANSFORM_AES, key_string))
		return -1;
	for (len = 1; len <= N2N_PKT_BUF_SIZE && !bad; len = next_len(len)) {
		for (i = 0; i < len; i++)
			frame[i] = (uint8_t)rand();
		for (i = 0; i < sizeof(iv); i++)
			iv[i] = (uint8_t)rand();
		if (transform_encode(&tf, ct, sizeof(ct), frame, len, iv) !=
		    (ssize_t)len + 16)
			bad = -1;
		memcpy(pt, iv, 16);
		memcpy(pt + 16, frame, len);
		if (!bad &&
		    (run(skel->progs.aes_encrypt, pt, len + 16, 1, &r) ||
		     memcmp(r.out + ETH_HLEN, ct, len + 16))) {
			fprintf(stderr, "  %zu bytes: BPF encryption differs\n",
				len);
			bad = -1;
		}
		if (!bad && check_decrypts(skel, ct, len + 16, frame, "random"))
			bad = -1;
	}
	transform_fini(&tf);
	/* One byte over n2n's largest frame: refused, nothing changed. */
	memset(pt, 0x5a, sizeof(pt));
	if (!bad &&
	    (!run(skel->progs.aes_encrypt, pt, N2N_PKT_BUF_SIZE + 17, 1, &r) ||
	     r.retval != 2 /* TC_ACT_SHOT */)) {
		fprintf(stderr, "  %d bytes: not refused\n",
			N2N_PKT_BUF_SIZE + 17);
		bad = -1;
	}
	return bad;
}

/* ns per 1400-byte frame each way (10000 runs in place: the bytes change,
 * the work does not). */
static void print_cost(struct aes_harness *skel)
{
	static uint8_t buf[16 + 1400];
	static struct aes_run e, d;

	if (set_key(skel, CAPTURE_KEY) ||
	    run(skel->progs.aes_encrypt, buf, sizeof(buf), 10000, &e) ||
	    run(skel->progs.aes_decrypt, buf, sizeof(buf), 10000, &d))
		return;
	printf("     cost: aes-128 (kernel cbc(aes)) encrypt %u ns, decrypt "
	       "%u ns per 1400-byte frame (PROG_TEST_RUN, repeat 10000)\n",
	       e.duration, d.duration);
}

void suite_aes_cts(struct suite_tally *t)
{
	struct aes_harness *skel;

	if (!edge_aes_kernel_has_kfuncs()) {
		/* Before Linux 6.10: no -A3 in the kernel, which the edge
		 * says when it starts. */
		suite_record(t, "aes: the kernel has no crypto kfuncs",
			     CASE_SKIPPED);
		return;
	}
	skel = aes_harness__open_and_load();
	if (!skel) {
		suite_record(t, "aes: load the harness", -1);
		return;
	}
	srand(3);
	suite_record(t, "aes: n2n 3.1.1's AES outputs (crypto-vectors.txt)",
		     check_vectors(skel));
	suite_record(t, "aes: PACKETs of A3-p2p.pcap",
		     check_capture(skel, "A3-p2p.pcap"));
	suite_record(t, "aes: PACKETs of A3-relay.pcap",
		     check_capture(skel, "A3-relay.pcap"));
	suite_record(t, "aes: random frames, AES-128, both ways",
		     check_random(skel, "s3cret"));
	suite_record(t, "aes: random frames, AES-192, both ways",
		     check_random(skel, "01234567890123456789012"));
	suite_record(t, "aes: random frames, AES-256, both ways",
		     check_random(skel, "012345678901234567890123456789012"));
	print_cost(skel);
	aes_harness__destroy(skel);
}
