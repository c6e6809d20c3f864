/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Header encryption (-H) in the kernel, the part the edge's programs and
 * the XDP supernode relay share (bpf/lib/he.h): one community's keys as
 * Speck128/128 round keys (daemon/proto/header_crypt.c expands them) and
 * the wall clock its time stamps count in. Where each program keeps this
 * entry is its own contract: include/n2nk_edge.h (he_conf, one entry) and
 * include/n2nk_relay.h (he_keys, one per community). Both clang -target
 * bpf and gcc compile this file: fixed-width types, explicit padding.
 */
#ifndef N2NK_HE_H
#define N2NK_HE_H

#include <linux/types.h>

#define N2NK_HE_ROUNDS 32 /* Speck128/128 */

struct n2nk_speck128_key {
	__u64 rk[N2NK_HE_ROUNDS];
};

struct n2nk_he {
	struct n2nk_speck128_key hdr; /* keys the CTR over the header */
	struct n2nk_speck128_key iv;  /* encrypts the IV block */
	/* CLOCK_REALTIME - CLOCK_TAI, ns: bpf_ktime_get_tai_ns() plus this
	 * is the wall clock n2n's stamps count in. Whole seconds (the
	 * kernel's TAI offset, 0 where nothing set it), so it changes only
	 * when that offset does (a leap second, or NTP setting it), not with
	 * every step of the clock: CLOCK_TAI follows those itself. */
	__s64 utc_off_ns;
	__u8 on; /* 1: the keys are set and in use */
	__u8 pad[7];
};

_Static_assert(sizeof(struct n2nk_he) == 528,
	       "n2nk_he is part of the BPF map ABI");
_Static_assert(__builtin_offsetof(struct n2nk_he, utc_off_ns) == 512,
	       "n2nk_he.utc_off_ns moved");
_Static_assert(__builtin_offsetof(struct n2nk_he, on) == 520,
	       "n2nk_he.on moved");

#endif /* N2NK_HE_H */
