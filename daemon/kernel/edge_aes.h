/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * -A3 in the edge's kernel data path: bpf/tc_edge_aes.bpf.c (edge_tx and
 * edge_rx with the kernel's AES, through the crypto kfuncs of Linux 6.10)
 * loaded over the maps of the edge's main object, and the AES contexts
 * its syscall program aes_setup makes for the key. The only file that
 * talks to libbpf and /proc/crypto for it; edge_loader.c uses it.
 */
#ifndef N2NK_EDGE_AES_H
#define N2NK_EDGE_AES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bpf/libbpf.h>

struct edge_aes;

/* Whether the kernel has the crypto kfuncs the -A3 programs call. */
bool edge_aes_kernel_has_kfuncs(void);

struct edge_aes_cfg {
	const uint8_t *key; /* the AES key, 16, 24 or 32 bytes */
	size_t key_len;
	/* Refuse a kernel AES that is not known to be fast and constant
	 * time (--datapath=auto); else any that works (kernel). */
	bool need_fast;
};

/*
 * Whether -A3 can (and, with need_fast, should) run in the kernel: a
 * trial of aes_setup alone, before anything is pinned. The kernel's
 * cbc(aes) driver into driver (e.g. "cbc(ecb(aes-fixed-time))"). 0, or
 * -errno with the reason in why.
 */
int edge_aes_probe(const struct edge_aes_cfg *c, char *driver, size_t dlen,
		   char *why, size_t len) __attribute__((warn_unused_result));

/* Loads the -A3 programs over main's maps (the same names) and makes the
 * contexts. 0, or -errno with the reason in why. */
int edge_aes_open(struct edge_aes **out, const struct bpf_object *main,
		  const struct edge_aes_cfg *c, char *why, size_t len)
	__attribute__((warn_unused_result));
struct bpf_program *edge_aes_tx(const struct edge_aes *a);
struct bpf_program *edge_aes_rx(const struct edge_aes *a);
void edge_aes_close(struct edge_aes *a); /* NULL is fine */

#endif /* N2NK_EDGE_AES_H */
