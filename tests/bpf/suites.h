/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The BPF test suites linked into one binary (tests/bpf/bpf_main.c runs
 * them in turn) and the tally they share.
 */
#ifndef N2NK_BPF_SUITES_H
#define N2NK_BPF_SUITES_H

#define CASE_SKIPPED 1

struct suite_tally {
	int passed;
	int failed;
	int skipped;
};

/* Prints "ok", "skip" or "FAIL" for a case result (0, CASE_SKIPPED, -1). */
void suite_record(struct suite_tally *t, const char *name, int ret);

void suite_xdp_n2n_count(struct suite_tally *t);
void suite_xdp_relay(struct suite_tally *t);
void suite_xdp_relay_he(struct suite_tally *t);
void suite_keystream(struct suite_tally *t);
void suite_aead(struct suite_tally *t);
void suite_aes_cts(struct suite_tally *t);
void suite_tc_edge(struct suite_tally *t);
void suite_tc_edge_he(struct suite_tally *t);
void suite_tc_edge_a6(struct suite_tally *t);

#endif /* N2NK_BPF_SUITES_H */
