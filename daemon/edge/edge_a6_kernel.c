// SPDX-License-Identifier: GPL-2.0-only
/* -A6 sessions in the kernel path: not in this build yet. */
#include "edge_a6_int.h"

const bool edge_a6_kernel_ready = false;

void edge_a6_kernel_start(struct edge *e)
{
	(void)e;
}

void a6_kernel_add(struct edge *e, struct a6_keypair *kp)
{
	(void)e, (void)kp;
}

void a6_kernel_del(struct edge *e, struct a6_keypair *kp)
{
	(void)e, (void)kp;
}

void a6_kernel_tx(struct edge *e, struct edge_peer *p)
{
	(void)e, (void)p;
}

void a6_kernel_poll(struct edge *e, struct edge_peer *p, uint64_t now)
{
	(void)e, (void)p, (void)now;
}
