// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: TCP MSS clamping (daemon/edge/mss_clamp.c) of the Ethernet
 * frames an edge reads from its TAP and from its peers. The first byte
 * picks the limits (0 leaves that IP version alone), the rest is the
 * frame. Checks: a frame left alone is unchanged; a rewritten one differs
 * in at most the 4 bytes of an MSS value and the TCP checksum, and its
 * one's complement sum is the same (the checksum was fixed up right,
 * wherever the option sits, odd offsets included).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "edge/mss_clamp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Sum of the frame as 16-bit words from its start (the TCP header starts
 * at an even offset: 14 + 4 * IHL, or 14 + 40), folded; 0xffff is 0. */
static uint16_t sum16(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s == 0xffff ? 0 : (uint16_t)s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mss_limit lim;
	uint8_t *frame;
	size_t len, i, diff = 0;

	if (size < 1)
		return 0;
	lim.ipv4 = (data[0] & 0x0f) ? 88 + (data[0] & 0x0f) * 100 : 0;
	lim.ipv6 = (data[0] >> 4) ? 88 + (data[0] >> 4) * 100 : 0;
	len = size - 1;
	frame = malloc(len ? len : 1); /* exact size, so ASan sees overruns */
	memcpy(frame, data + 1, len);
	if (mss_clamp_frame(frame, len, lim)) {
		for (i = 0; i < len; i++)
			diff += frame[i] != data[1 + i];
		if (diff > 4 || sum16(frame, len) != sum16(data + 1, len))
			abort();
	} else if (memcmp(frame, data + 1, len)) {
		abort();
	}
	free(frame);
	return 0;
}
