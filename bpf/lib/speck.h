/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Speck128/256 in n2n's counter mode for the -A5 transform, in BPF, the
 * same cipher as daemon/proto/speck.c: keystream block i encrypts
 * LE64(n0 + i) || LE64(n1), n0 and n1 the little-endian halves of the
 * 16-byte IV; only n0 counts. The round keys are expanded by the daemon
 * (speck_setkey()) and handed over in the peer's key entry.
 *
 * Four blocks at a time, so one call fills a 64-byte keystream block like
 * ChaCha20's and both share the XOR loop of keystream.h.
 */
#ifndef N2NK_BPF_SPECK_H
#define N2NK_BPF_SPECK_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/ks.h"
#include "n2nk_edge.h"

static __always_inline __u64 speck_ror(__u64 x, int r)
{
	return x >> r | x << (64 - r);
}

static __always_inline __u64 speck_rol(__u64 x, int r)
{
	return x << r | x >> (64 - r);
}

/*
 * s->ks = four keystream blocks, Speck(k, LE64(n0 + j) || LE64(n1)) for
 * j = 0..3 as little-endian words, and n0 on by 4. 0, or -1 without
 * arguments.
 */
__attribute__((noinline)) int n2nk_speck_ctr4(const struct n2nk_speck_key *key,
					      struct n2nk_ks_scratch *s)
{
	__u64 x0, y0, x1, y1, x2, y2, x3, y3, k;
	int i;

	if (!key || !s)
		return -1;
	y0 = s->ctr[0], y1 = y0 + 1, y2 = y0 + 2, y3 = y0 + 3;
	x0 = x1 = x2 = x3 = s->ctr[1];
	for (i = 0; i < N2NK_SPECK_ROUNDS; i++) {
		k = key->rk[i];
		x0 = (speck_ror(x0, 8) + y0) ^ k;
		x1 = (speck_ror(x1, 8) + y1) ^ k;
		x2 = (speck_ror(x2, 8) + y2) ^ k;
		x3 = (speck_ror(x3, 8) + y3) ^ k;
		y0 = speck_rol(y0, 3) ^ x0;
		y1 = speck_rol(y1, 3) ^ x1;
		y2 = speck_rol(y2, 3) ^ x2;
		y3 = speck_rol(y3, 3) ^ x3;
	}
	s->ks[0] = y0, s->ks[1] = x0, s->ks[2] = y1, s->ks[3] = x1;
	s->ks[4] = y2, s->ks[5] = x2, s->ks[6] = y3, s->ks[7] = x3;
	s->ctr[0] += 4;
	return 0;
}

#endif /* N2NK_BPF_SPECK_H */
