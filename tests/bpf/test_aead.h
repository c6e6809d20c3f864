/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What one -A6 AEAD costs in BPF and in libsodium (tests/bpf/test_aead.c),
 * for the suite and for `bpf-tests aead-bench`.
 */
#ifndef N2NK_TEST_AEAD_H
#define N2NK_TEST_AEAD_H

#include <stddef.h>
#include <stdint.h>

struct aead_harness;

struct aead_cost {
	uint64_t bpf_seal, bpf_open;	   /* ns, PROG_TEST_RUN's */
	uint64_t sodium_seal, sodium_open; /* ns, the same core */
};

int aead_cost(struct aead_harness *skel, size_t len, int repeat,
	      struct aead_cost *c);
/* `bpf-tests aead-bench`: the rows for make bench. 0 or 1. */
int aead_bench(void);

#endif /* N2NK_TEST_AEAD_H */
