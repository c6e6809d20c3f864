// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the AF_XDP slow path's frame check (daemon/kernel/xsk.c), which
 * sees raw Ethernet frames the XDP relay redirected. The first byte picks
 * the match (any address or a fixed one); an accepted frame's payload must
 * lie inside the frame.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/xsk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xsk_rx_match m = { .port = htons(7654) };
	const uint8_t *payload = NULL;
	struct sockaddr_in from;
	uint8_t *frame;
	size_t plen = 0;

	if (size < 1)
		return 0;
	if (data[0] & 1)
		m.addr.s_addr = htonl(0xc6120001); /* 198.18.0.1 */
	frame = malloc(size - 1 ? size - 1 : 1);
	memcpy(frame, data + 1, size - 1);
	if (xsk_rx_parse(frame, size - 1, &m, &from, &payload, &plen) ==
		    N2NK_OK &&
	    (payload < frame || payload + plen > frame + size - 1))
		abort();
	free(frame);
	return 0;
}
