// SPDX-License-Identifier: GPL-2.0-only
/*
 * -A3 in the kernel: see edge_aes.h, and docs/architecture.md ("AES
 * (-A3) with the kernel's cipher") for why auto asks for a fast driver.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <sodium.h>

#include "common/why.h"
#include "edge_aes.h"
#include "n2nk_edge.h"
#include "skel/tc_edge_aes.skel.h"

struct edge_aes {
	struct tc_edge_aes *skel;
};

/* Whether the kernel has the kfuncs the programs call (Linux 6.10). */
bool edge_aes_kernel_has_kfuncs(void)
{
	static const char *const need[] = {
		"bpf_crypto_ctx_create", "bpf_crypto_encrypt",
		"bpf_crypto_decrypt",	 "bpf_dynptr_from_skb",
		"bpf_dynptr_adjust",
	};
	struct btf *vmlinux = btf__load_vmlinux_btf();
	bool ok = vmlinux != NULL;
	size_t i;

	for (i = 0; ok && i < sizeof(need) / sizeof(need[0]); i++)
		ok = btf__find_by_name_kind(vmlinux, need[i], BTF_KIND_FUNC) >
		     0;
	btf__free(vmlinux);
	return ok;
}

/* aes_setup run once for c's key. 0 or -errno. */
static int run_setup(const struct tc_edge_aes *s, const struct edge_aes_cfg *c)
{
	struct n2nk_aes_setup a = { .cbc_algo = "cbc(aes)",
				    .ecb_algo = "ecb(aes)" };
	LIBBPF_OPTS(bpf_test_run_opts, run, .ctx_in = &a,
		    .ctx_size_in = sizeof(a)); /* written back */
	int err;

	memcpy(a.key, c->key, c->key_len);
	a.key_len = (__u32)c->key_len;
	err = bpf_prog_test_run_opts(bpf_program__fd(s->progs.aes_setup), &run);
	err = err ? -errno : run.retval ? -EINVAL : 0;
	if (!err)
		err = a.err_cbc ? a.err_cbc : a.err_ecb;
	sodium_memzero(&a, sizeof(a));
	return err;
}

/* One /proc/crypto entry, as far as cbc_aes_driver() cares. */
struct crypto_entry {
	char name[96], driver[96], type[32];
	long priority;
	bool internal;
};

/* "key : value" into e; other lines are ignored. */
static void crypto_entry_line(struct crypto_entry *e, char *line)
{
	char *colon = strchr(line, ':'), *k = line, *v, *end;

	if (!colon)
		return;
	*colon = 0;
	v = colon + 1;
	for (end = colon; end > k && (end[-1] == ' ' || end[-1] == '\t');)
		*--end = 0;
	v += strspn(v, " \t");
	v[strcspn(v, "\n")] = 0;
	if (!strcmp(k, "name"))
		snprintf(e->name, sizeof(e->name), "%s", v);
	else if (!strcmp(k, "driver"))
		snprintf(e->driver, sizeof(e->driver), "%s", v);
	else if (!strcmp(k, "type"))
		snprintf(e->type, sizeof(e->type), "%s", v);
	else if (!strcmp(k, "internal"))
		e->internal = !strcmp(v, "yes");
	else if (!strcmp(k, "priority")) {
		e->priority = strtol(v, &end, 10);
		if (end == v || *end)
			e->priority = -1;
	}
}

/*
 * The driver the crypto API picks for the cbc(aes) lskcipher the programs
 * use (the highest priority; listed in /proc/crypto once aes_setup made
 * it). 0, or -ENOENT.
 */
static int cbc_aes_driver(char *out, size_t len)
{
	struct crypto_entry e = { .priority = -1 };
	FILE *f = fopen("/proc/crypto", "r");
	long best = -1;
	char line[256];
	bool more = true;

	if (!f)
		return -ENOENT;
	while (more) {
		more = fgets(line, sizeof(line), f) != NULL;
		if (more && line[0] != '\n') {
			crypto_entry_line(&e, line);
			continue;
		}
		/* A blank line (or the end) ends an entry. */
		if (!strcmp(e.name, "cbc(aes)") &&
		    !strcmp(e.type, "lskcipher") && !e.internal &&
		    e.priority > best) {
			best = e.priority;
			snprintf(out, len, "%s", e.driver);
		}
		memset(&e, 0, sizeof(e));
		e.priority = -1;
	}
	fclose(f);
	return best < 0 ? -ENOENT : 0;
}

/* Drivers with the CPU's AES instructions (constant time, fast): AES-NI,
 * ARMv8 CE, s390 CPACF, POWER8, RISC-V Zvkned. */
static bool driver_fast(const char *driver)
{
	static const char *const fast[] = { "aesni", "aes-ce", "s390", "p8",
					    "zvkned" };
	size_t i;

	for (i = 0; i < sizeof(fast) / sizeof(fast[0]); i++)
		if (strstr(driver, fast[i]))
			return true;
	return false;
}

static int check_cfg(const struct edge_aes_cfg *c, char *why, size_t len)
{
	if (!c->key ||
	    (c->key_len != 16 && c->key_len != 24 && c->key_len != 32))
		return why_fail(why, len, -EINVAL,
				"-A3 in the kernel: an AES key of %zu bytes",
				c->key ? c->key_len : 0);
	if (!edge_aes_kernel_has_kfuncs())
		return why_fail(why, len, -EOPNOTSUPP,
				"-A3 in the kernel needs the bpf crypto "
				"kfuncs (Linux 6.10 or later)");
	return 0;
}

/* Why aes_setup failed, in words a user can act on. */
static int setup_fail(int err, char *why, size_t len)
{
	return why_fail(why, len, err,
			"the kernel's AES (cbc(aes), ecb(aes)) for -A3%s",
			err == -ENOENT ? " (is bpf_crypto_skcipher loaded? "
					 "modprobe bpf_crypto_skcipher)"
				       : "");
}

int edge_aes_probe(const struct edge_aes_cfg *c, char *driver, size_t dlen,
		   char *why, size_t len)
{
	struct tc_edge_aes *s;
	int err = check_cfg(c, why, len);

	if (err)
		return err;
	s = tc_edge_aes__open();
	if (!s)
		return why_fail(why, len, -errno, "opening the -A3 programs");
	/* The trial needs the setup program only. */
	bpf_program__set_autoload(s->progs.edge_tx, false);
	bpf_program__set_autoload(s->progs.edge_rx, false);
	err = tc_edge_aes__load(s);
	if (err)
		err = why_fail(why, len, err, "loading the -A3 programs");
	else if ((err = run_setup(s, c)))
		setup_fail(err, why, len);
	tc_edge_aes__destroy(s);
	if (err)
		return err;
	if (cbc_aes_driver(driver, dlen))
		snprintf(driver, dlen, "unknown");
	if (c->need_fast && !driver_fast(driver))
		return why_fail(why, len, -EOPNOTSUPP,
				"-A3 stays in userspace: the kernel's AES "
				"here is %s, without the CPU's AES "
				"instructions, several times slower than the "
				"socket path's OpenSSL (--datapath=kernel "
				"takes it anyway)",
				driver);
	return 0;
}

/* Each of s's maps that main has by name becomes main's. */
static int reuse_maps(struct tc_edge_aes *s, const struct bpf_object *main)
{
	struct bpf_map *m, *theirs;
	int err;

	bpf_object__for_each_map(m, s->obj)
	{
		theirs = bpf_object__find_map_by_name(main, bpf_map__name(m));
		if (!theirs)
			continue; /* ours alone: aes_ctx, aes_scratch */
		err = bpf_map__reuse_fd(m, bpf_map__fd(theirs));
		if (err)
			return err;
	}
	return 0;
}

int edge_aes_open(struct edge_aes **out, const struct bpf_object *main,
		  const struct edge_aes_cfg *c, char *why, size_t len)
{
	struct edge_aes *a;
	int err = check_cfg(c, why, len);

	*out = NULL;
	if (err)
		return err;
	a = calloc(1, sizeof(*a));
	if (!a)
		return why_fail(why, len, -ENOMEM, "-A3 in the kernel");
	a->skel = tc_edge_aes__open();
	if (!a->skel)
		err = why_fail(why, len, -errno, "opening the -A3 programs");
	else if ((err = reuse_maps(a->skel, main)))
		why_fail(why, len, err, "sharing the edge's maps with -A3's");
	else if ((err = tc_edge_aes__load(a->skel)))
		why_fail(why, len, err, "loading the -A3 programs");
	else if ((err = run_setup(a->skel, c)))
		setup_fail(err, why, len);
	if (err) {
		edge_aes_close(a);
		return err;
	}
	*out = a;
	return 0;
}

struct bpf_program *edge_aes_tx(const struct edge_aes *a)
{
	return a->skel->progs.edge_tx;
}

struct bpf_program *edge_aes_rx(const struct edge_aes *a)
{
	return a->skel->progs.edge_rx;
}

void edge_aes_close(struct edge_aes *a)
{
	if (!a)
		return;
	tc_edge_aes__destroy(a->skel);
	free(a);
}
