// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runs every BPF_PROG_TEST_RUN suite and prints one "N passed, N failed,
 * N skipped" line for tests/run-checks.sh: a case this kernel cannot
 * test-run is a skip, never a pass.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "suites.h"
#include "test_aead.h"

void suite_record(struct suite_tally *t, const char *name, int ret)
{
	if (ret == 0) {
		printf("ok   %s\n", name);
		t->passed++;
	} else if (ret == CASE_SKIPPED) {
		printf("skip %s\n", name);
		t->skipped++;
	} else {
		printf("FAIL %s\n", name);
		t->failed++;
	}
	fflush(stdout);
}

static int libbpf_print_warnings(enum libbpf_print_level level, const char *fmt,
				 va_list ap)
	__attribute__((format(printf, 2, 0)));

static int libbpf_print_warnings(enum libbpf_print_level level, const char *fmt,
				 va_list ap)
{
	if (level > LIBBPF_WARN)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int main(int argc, char **argv)
{
	struct suite_tally t = { 0 };

	libbpf_set_print(libbpf_print_warnings);
	if (argc > 1 && !strcmp(argv[1], "aead-bench"))
		return aead_bench(); /* make bench's -A6 AEAD rows */
	/* "relay": only the XDP relay's suites (a quicker run while working
	 * on it; check-unit runs them all). */
	if (argc > 1 && !strcmp(argv[1], "relay")) {
		suite_xdp_relay(&t);
		suite_xdp_relay_he(&t);
		goto out;
	}
	suite_xdp_n2n_count(&t);
	suite_xdp_relay(&t);
	suite_xdp_relay_he(&t);
	suite_keystream(&t);
	suite_aead(&t);
	suite_aes_cts(&t);
	suite_tc_edge(&t);
	suite_tc_edge_he(&t);
	suite_tc_edge_a6(&t);
out:
	if (t.skipped)
		printf("skipped cases: this kernel cannot test-run them\n");
	printf("%d passed, %d failed, %d skipped\n", t.passed, t.failed,
	       t.skipped);
	return t.failed ? 1 : 0;
}
