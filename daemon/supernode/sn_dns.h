/* SPDX-License-Identifier: GPL-2.0-only */
/* The federation's -l names, resolved off the event loop (sn_dns.c). */
#ifndef N2NK_SN_DNS_H
#define N2NK_SN_DNS_H

#include <stdint.h>

struct supernode;
struct sn_anchor;

/* At start-up, how long the supernode waits for its -l names. */
#define SN_DNS_START_WAIT_MS 2000

/* Asks for a's name (unless asked already): 0 resolved now, -EINPROGRESS
 * the answer comes later, other: not asked. */
int sn_dns_anchor(struct supernode *sn, struct sn_anchor *a);
/* Blocking, before the loop runs: waits up to ms for the answers. */
void sn_dns_wait(struct supernode *sn, unsigned int ms);
/* Once the loop exists: answers come through it. */
int sn_dns_attach(struct supernode *sn) __attribute__((warn_unused_result));
void sn_dns_tick(struct supernode *sn, uint64_t now);
void sn_dns_close(struct supernode *sn);

#endif /* N2NK_SN_DNS_H */
